"""A long generated pair in the window: panes filled off-thread, merges in the background, Cancel.

About 300 KB a side: long enough for every path the window takes for long texts (documents
filled in the worker, shown over several event-loop turns, merges in a worker thread),
short enough for the suite. Timing is the benchmark's business (bench/gui_probe.py).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bench.generate import make_pair
from tests.ui.helpers import TIMEOUT, type_at_end
from viewer.core import Cancelled, Choice, Decision, DifferenceKind, Side, merge
from viewer.core.session_store import AutosaveRecord
from viewer.ui import merge_background, text_documents, worker
from viewer.ui.autosave import pair_paths
from viewer.ui.background import shared_pool
from viewer.ui.comparison_view import ComparisonView
from viewer.ui.main_window import MainWindow
from viewer.ui.worker import ComparisonRequest, ComparisonRunner

SIZE = 300_000
#: A long comparison on a slow machine: the engine alone takes about a second here.
LONG = 6 * TIMEOUT


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("large")
    generated = make_pair(SIZE, seed=3, moved_paragraphs=2, hyphenation=0.02)
    left, right = folder / "left.md", folder / "right.txt"
    left.write_text(generated.left, encoding="utf-8")
    right.write_text(generated.right, encoding="utf-8")
    return str(left), str(right)


def test_the_pair_takes_every_long_text_path() -> None:
    """The sizes below are what make these tests exercise the paths for long texts."""
    assert SIZE > text_documents.PREBUILT_CHARS
    assert 2 * SIZE > merge_background.BACKGROUND_MERGE_CHARS


def raw_text(view: object) -> str:
    """A pane's text exactly as the document holds it."""
    document = view.document()  # type: ignore[attr-defined]
    return str(document.toRawText()).replace("\u2029", "\n")


@pytest.fixture
def large(window: MainWindow, qtbot: QtBot, pair: tuple[str, str]) -> Iterator[MainWindow]:
    """The window on the long pair, every pane filled."""
    with (
        qtbot.waitSignal(window.view.loading_finished, timeout=LONG),
        qtbot.waitSignal(window.comparison_ready, timeout=LONG),
    ):
        window.open_pair(*pair)
    wait_for_merge(window, qtbot)
    yield window
    # The test's background work ends before the next test begins. Not by waiting for the
    # session: pytest-qt has closed the window by now, and an event loop would delete it.
    assert shared_pool().waitForDone(LONG)


def wait_for_merge(window: MainWindow, qtbot: QtBot) -> str:
    """Wait until the canonical pane shows the session's text; that text."""
    session = window.session
    assert session is not None
    qtbot.waitUntil(lambda: not session.updating and not window.view.canonical.updating, timeout=LONG)
    text = session.text
    assert window.view.canonical.shows(text)
    assert window.view.canonical.plain_text() == text
    return text


def test_the_panes_show_the_whole_texts(large: MainWindow) -> None:
    comparison = large.comparison
    assert comparison is not None
    assert raw_text(large.view.left_view) == comparison.left.text
    assert raw_text(large.view.right_view) == comparison.right.text
    assert large.session is not None
    assert large.view.canonical.plain_text() == large.session.text
    assert not large.view.loading
    # The documents filled in the worker were all taken by the panes.
    assert large.prepared is not None
    assert not large.prepared.documents
    assert large.status.position.text().startswith("Difference 1 of ")
    # Each pane got its document in one turn and painted it in the next: none stays frozen.
    panes = (large.view.left_view, large.view.right_view, large.view.canonical)
    assert all(p.updatesEnabled() for p in panes)


def test_a_comparison_shown_over_another_being_shown_leaves_no_pane_frozen(
    large: MainWindow, qtbot: QtBot, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comparison can arrive while the one before is still being put on screen."""
    panes = (large.view.left_view, large.view.right_view, large.view.canonical)
    real_show_side = ComparisonView._show_side
    again: list[bool] = []

    def show_side_then_start_over(view: ComparisonView, side: Side) -> None:
        real_show_side(view, side)
        if not again:  # the left pane has its document but has not painted it yet
            again.append(not view.left_view.updatesEnabled())
            view.show_comparison(view.prepared, view.session)

    monkeypatch.setattr(ComparisonView, "_show_side", show_side_then_start_over)
    with qtbot.waitSignal(large.view.loading_finished, timeout=LONG):
        large.open_pair(pair[1], pair[0])
    assert again == [True]
    assert all(p.updatesEnabled() for p in panes)
    comparison = large.comparison
    assert comparison is not None
    assert raw_text(large.view.left_view) == comparison.left.text
    assert raw_text(large.view.right_view) == comparison.right.text


def test_only_the_visible_differences_are_highlighted(
    window: MainWindow, qtbot: QtBot, pair: tuple[str, str]
) -> None:
    view = window.view.left_view
    with qtbot.waitSignal(view.differences_painted, timeout=LONG):
        window.open_pair(*pair)
    selections = view.extraSelections()
    assert selections
    comparison = window.comparison
    assert comparison is not None
    assert len(selections) < len(comparison.differences) / 10
    first, last = view.visible_range()
    for selection in selections:
        assert selection.cursor.selectionEnd() >= first
        assert selection.cursor.selectionStart() <= last


def test_jumping_to_the_last_difference_scrolls_there(large: MainWindow, qtbot: QtBot) -> None:
    view = large.view
    assert view.left_view.verticalScrollBar().value() == 0
    large.commands["last"].trigger()
    last = view.navigable_ids()[-1]
    assert view.current_id == last
    assert large.prepared is not None
    assert large.comparison is not None
    d = large.comparison.by_id(last)
    for side in Side:
        pane = view.views[side]
        start, _end = large.prepared.qt_span(d, side)
        first, end = pane.visible_range()
        assert first <= start <= end
    # Its highlight is painted in the current style, with the others in view.
    qtbot.waitUntil(lambda: any(p.difference.id == last for p in view.left_view.visible_differences()))
    assert view.left_view.extraSelections()


def test_a_decision_shows_at_once_and_its_text_follows(large: MainWindow, qtbot: QtBot) -> None:
    session = large.session
    assert session is not None
    before = wait_for_merge(large, qtbot)
    large.commands["last"].trigger()
    current = large.view.current_id
    assert current is not None
    choice = Choice.RIGHT if session.decision(current).choice is Choice.LEFT else Choice.LEFT
    with qtbot.waitSignal(session.updating_changed, timeout=LONG):
        large.commands["take_right" if choice is Choice.RIGHT else "take_left"].trigger()
    # The decision is recorded and listed at once; the long text is merged in the worker.
    assert session.is_user_decided(current)
    row = large.view.panel.model.row_of(current)
    assert large.view.panel.model.index(row, 2).data().endswith(choice.value)
    after = wait_for_merge(large, qtbot)
    assert after != before
    large.commands["undo"].trigger()
    assert wait_for_merge(large, qtbot) == before
    assert not session.is_user_decided(current)
    large.commands["redo"].trigger()
    assert wait_for_merge(large, qtbot) == after


def test_the_canonical_pane_waits_while_the_text_is_merged(large: MainWindow, qtbot: QtBot) -> None:
    session = large.session
    assert session is not None
    editor = large.view.canonical
    assert not editor.isReadOnly()
    with qtbot.waitSignal(editor.updating_changed, timeout=LONG):
        large.commands["take_all_right"].trigger()
    assert editor.isReadOnly()
    assert "updating" in large.view.canonical_header.detail.text()
    wait_for_merge(large, qtbot)
    assert not editor.isReadOnly()
    assert "updating" not in large.view.canonical_header.detail.text()


def test_the_first_merge_follows_the_panes(
    window: MainWindow, qtbot: QtBot, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long comparison is shown before its canonical text is merged (in the worker thread,
    as a decision's is); a decision made meanwhile wins, and asking for the text waits."""
    release = threading.Event()
    real_merge = merge_background.merge
    stops: list[Callable[[], bool]] = []

    # Whether the panes were still being filled when each merge started.
    loading: list[bool] = []

    def held_merge(*args: Any, **kwargs: Any) -> Any:
        loading.append(window.view.loading)
        stops.append(kwargs["cancelled"])
        release.wait(LONG / 1000)  # the worker's merges wait until the test lets them go
        return real_merge(*args, **kwargs)

    monkeypatch.setattr(merge_background, "merge", held_merge)
    try:
        with qtbot.waitSignal(window.view.loading_finished, timeout=LONG):
            window.open_pair(*pair)
        session, editor = window.session, window.view.canonical
        assert session is not None
        assert raw_text(window.view.left_view) == session.comparison.left.text
        assert session.updating
        assert editor.isReadOnly()
        assert (session.shown_text, editor.plain_text()) == ("", "")
        assert window.view.canonical_header.detail.text() == "merging the variants…"
        assert editor.placeholderText() == "Merging the variants…"
        # The merge waited for the panes: in the worker meanwhile, it would slow them down.
        qtbot.waitUntil(lambda: bool(loading), timeout=LONG)
        assert loading == [False]
        release.set()
        text = wait_for_merge(window, qtbot)
        assert text == merge(session.comparison, format=session.text_format).text
        assert not editor.isReadOnly()
        assert "editable" in window.view.canonical_header.detail.text()
        assert "appears here" in editor.placeholderText()

        # A session replaced stops its merge; asked for its text while the first merge runs, a
        # session merges it there and then.
        release.clear()
        stops.clear()
        with qtbot.waitSignal(window.view.loading_finished, timeout=LONG):
            window.open_pair(*pair)
        qtbot.waitUntil(lambda: bool(stops), timeout=LONG)
        (replaced,) = stops
        assert not replaced()
        with qtbot.waitSignal(window.view.loading_finished, timeout=LONG):
            window.open_pair(*pair)
        assert replaced()
        session = window.session
        assert session is not None
        assert session.updating
        assert session.text == text
        release.set()  # the worker thread is the panes' too
        assert wait_for_merge(window, qtbot) == text
        # Asked before the panes are filled, while its first merge waits for them, too.
        asked: list[str] = []

        def ask() -> None:
            assert window.session is not None
            assert window.view.loading
            assert window.session.updating
            asked.append(window.session.text)

        window.comparison_ready.connect(ask)
        with qtbot.waitSignal(window.view.loading_finished, timeout=LONG):
            window.open_pair(*pair)
        window.comparison_ready.disconnect(ask)
        assert asked == [text]
        assert wait_for_merge(window, qtbot) == text

        # Again, with every difference taken from the right before the first merge is done.
        release.clear()
        with qtbot.waitSignal(window.view.loading_finished, timeout=LONG):
            window.open_pair(*pair)
        session = window.session
        assert session is not None
        assert session.updating
        window.commands["take_all_right"].trigger()
        release.set()
        decisions = {d.id: Decision(Choice.RIGHT) for d in session.comparison.differences}
        assert wait_for_merge(window, qtbot) == merge(session.comparison, decisions, format="md").text
    finally:
        release.set()


def test_hand_edits_are_carried_over_a_decision(large: MainWindow, qtbot: QtBot) -> None:
    session = large.session
    assert session is not None
    type_at_end(large, qtbot, " Fin.")
    assert session.text.endswith(" Fin.")
    assert session.has_hand_edits
    large.commands["first"].trigger()
    current = large.view.current_id
    assert current is not None
    choice = Choice.RIGHT if session.decision(current).choice is Choice.LEFT else Choice.LEFT
    large.commands["take_right" if choice is Choice.RIGHT else "take_left"].trigger()
    text = wait_for_merge(large, qtbot)
    assert session.decision(current).choice is choice
    assert text.endswith(" Fin.")
    assert session.undo_stack.count() == 2
    large.commands["undo"].trigger()
    large.commands["undo"].trigger()
    assert not wait_for_merge(large, qtbot).endswith(" Fin.")


def test_typing_records_exactly_what_was_typed(large: MainWindow, qtbot: QtBot) -> None:
    session = large.session
    assert session is not None
    editor = large.view.canonical
    before = session.text
    cursor = editor.textCursor()
    cursor.setPosition(40)
    editor.setTextCursor(cursor)
    editor.setFocus()
    qtbot.keyClicks(editor, "xy")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert session.text == before[:40] + "x" + before[40:]
    assert editor.plain_text() == session.text


def test_hiding_a_kind_filters_the_list_and_navigation(large: MainWindow) -> None:
    panel = large.view.panel
    total = panel.proxy.rowCount()
    comparison = large.comparison
    assert comparison is not None
    counts = comparison.summary
    kind = DifferenceKind(max(counts, key=lambda k: counts[k]))
    toggle = panel.filter_bar.button(kind)
    assert toggle is not None
    toggle.click()
    assert panel.proxy.rowCount() == total - counts[kind]
    assert all(comparison.by_id(i).kind != kind for i in large.view.navigable_ids())
    large.commands["last"].trigger()
    assert comparison.by_id(large.view.current_id or "").kind != kind
    assert panel.table.currentIndex().isValid()
    toggle.click()
    assert panel.proxy.rowCount() == total


def test_cancel_during_a_long_comparison_keeps_what_was_shown(
    large: MainWindow, qtbot: QtBot, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = large.comparison
    shown = raw_text(large.view.left_view)
    # Hold the real comparison at its first progress report until Cancel has been clicked:
    # on a fast machine it could otherwise finish before the click.
    gate = threading.Event()
    real_compare = worker.compare

    def held_compare(left, right, options=None, *, cancelled, progress=None):  # type: ignore[no-untyped-def]
        def report(fraction: float) -> None:
            if progress is not None:
                progress(fraction)
            gate.wait(LONG / 1000)

        return real_compare(left, right, options, cancelled=cancelled, progress=report)

    monkeypatch.setattr(worker, "compare", held_compare)
    try:
        with qtbot.waitSignal(large.runner.progressed, timeout=LONG):
            large.open_pair(pair[1], pair[0])
        assert large.runner.busy
        large.progress.cancel_button.click()
    finally:
        gate.set()
    assert not large.progress.isVisible()
    assert "cancelled" in large.statusBar().currentMessage()
    # The job stops (the engine polls the flag) and its result never replaces the comparison.
    qtbot.waitUntil(lambda: not large.runner._jobs, timeout=LONG)
    assert large.comparison is before
    assert raw_text(large.view.left_view) == shown
    assert large.view.left_view.extraSelections()


def test_progress_runs_through_every_stage_of_a_long_comparison(
    window: MainWindow, qtbot: QtBot, pair: tuple[str, str]
) -> None:
    """Loading, comparing, preparing and filling the panes all move the bar, in that order:
    it is not full while the window still prepares what it will show."""
    seen: list[float] = []
    window.runner.progressed.connect(seen.append)
    with qtbot.waitSignal(window.view.loading_finished, timeout=LONG):
        window.open_pair(*pair)
    assert seen == sorted(seen)
    stages = worker._Stages
    assert seen[0] < stages.LOADING  # the first file read
    comparing = [f for f in seen if stages.LOADING < f < stages.LOADING + stages.COMPARING]
    assert len(comparing) >= 5
    filling = [f for f in seen if f > 1 - stages.FILLING]
    # The left and right documents: the canonical text of a long comparison is merged, and
    # its document filled, once the panes show the comparison.
    assert len(filling) == 2
    assert seen[-1] == 1.0


def test_a_cancelled_comparison_leaves_its_documents_to_the_gui_thread(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, pair: tuple[str, str]
) -> None:
    """Deleting a long document takes tens of milliseconds: in the worker it would hold the
    interpreter lock the window needs, so the GUI thread deletes them, one per turn."""
    made: list[int] = []  # how many, without holding them: the test must not keep them alive
    deleted_in: list[threading.Thread] = []
    filling_second = threading.Event()
    real_new, real_fill = worker.new_document, worker.fill_document

    def recording_new(style: text_documents.DocumentStyle) -> object:
        doc = real_new(style)
        doc.destroyed.connect(lambda: deleted_in.append(threading.current_thread()))
        made.append(len(made))
        return doc

    def fill(doc, text, cancelled):  # type: ignore[no-untyped-def]
        if len(made) == 2:  # the first is whole, the second is cancelled half-way
            filling_second.set()
            while not cancelled():
                threading.Event().wait(0.005)
        real_fill(doc, text, cancelled)

    monkeypatch.setattr(worker, "new_document", recording_new)
    monkeypatch.setattr(worker, "fill_document", fill)
    window.open_pair(*pair)
    qtbot.waitUntil(filling_second.is_set, timeout=LONG)
    window.progress.cancel_button.click()
    qtbot.waitUntil(lambda: not window.runner.working, timeout=LONG)
    qtbot.waitUntil(lambda: len(deleted_in) == 2, timeout=LONG)
    assert deleted_in == [threading.main_thread()] * 2
    assert window.comparison is None


def test_loading_can_be_cancelled_too(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, pair: tuple[str, str]
) -> None:
    """Cancel reaches the loading of the files, not only the comparison: the job stops while
    loading, and the helper process loading one of the files is gone with it."""
    one_loaded = threading.Event()
    real_load_pair = worker.load_pair

    def load_pair(  # type: ignore[no-untyped-def]
        left: str, right: str, *, cancelled: Callable[[], bool], loaded: Callable[[Side], None]
    ):
        def then_wait_for_cancel(side: Side) -> None:
            loaded(side)
            one_loaded.set()
            waited = 0.0
            while not cancelled() and waited < LONG / 1000:  # LONG is in milliseconds
                threading.Event().wait(0.005)
                waited += 0.005

        return real_load_pair(left, right, cancelled=cancelled, loaded=then_wait_for_cancel, helper=True)

    monkeypatch.setattr(worker, "load_pair", load_pair)
    runner = ComparisonRunner()
    finished: list[object] = []
    runner.finished.connect(finished.append)
    runner.start(ComparisonRequest(*pair))
    qtbot.waitUntil(one_loaded.is_set, timeout=LONG)
    runner.cancel()
    qtbot.waitUntil(lambda: not runner.working, timeout=TIMEOUT)
    assert not finished
    assert not multiprocessing.active_children()
    runner.shutdown()


def saved_record(window: MainWindow) -> AutosaveRecord | None:
    session = window.session
    assert session is not None
    paths = pair_paths(session.comparison)
    assert paths is not None
    return window.autosave.store.load(*paths)


def decide_then_hold_the_worker(window: MainWindow, qtbot: QtBot) -> threading.Event:
    """One decision, its text merged; then the shared worker thread is kept busy until the
    returned event is set."""
    # Only the test writes the autosave: the timer must not fire while a slow merge runs.
    window.autosave.timer.setInterval(3_600_000)
    window.commands["first"].trigger()
    window.commands["take_right"].trigger()
    wait_for_merge(window, qtbot)
    gate = threading.Event()
    shared_pool().start(lambda: gate.wait(LONG / 1000))
    return gate


def test_long_work_is_autosaved_in_the_worker(large: MainWindow, qtbot: QtBot) -> None:
    gate = decide_then_hold_the_worker(large, qtbot)
    try:
        large.autosave.flush()
        # The window goes on at once; the record lands when the worker gets to it.
        assert saved_record(large) is None
    finally:
        gate.set()
    qtbot.waitUntil(lambda: saved_record(large) is not None, timeout=LONG)
    record = saved_record(large)
    session = large.session
    assert record is not None
    assert session is not None
    assert record.text == session.text
    assert record.decision_count == 1


def test_a_discard_wins_over_a_write_still_waiting(large: MainWindow, qtbot: QtBot) -> None:
    gate = decide_then_hold_the_worker(large, qtbot)
    try:
        large.autosave.flush()
        large.autosave.discard()
    finally:
        gate.set()
    finished = threading.Event()
    shared_pool().start(finished.set)
    qtbot.waitUntil(finished.is_set, timeout=LONG)
    assert saved_record(large) is None


def test_a_merge_overtaken_by_a_newer_one_stops_early(
    large: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = large.session
    assert session is not None
    wait_for_merge(large, qtbot)
    real_merge = merge_background.merge
    started, proceed = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def watched_merge(*args, cancelled, **kwargs):  # type: ignore[no-untyped-def]
        if not started.is_set():
            started.set()
            proceed.wait(LONG / 1000)
        try:
            result = real_merge(*args, cancelled=cancelled, **kwargs)
        except Cancelled:
            outcomes.append("stopped")
            raise
        outcomes.append("finished")
        return result

    monkeypatch.setattr(merge_background, "merge", watched_merge)
    try:
        large.commands["take_all_right"].trigger()
        qtbot.waitUntil(started.is_set, timeout=LONG)
        large.commands["take_all_left"].trigger()  # the first merge is running: its text is unwanted now
    finally:
        proceed.set()
    text = wait_for_merge(large, qtbot)
    assert outcomes == ["stopped", "finished"]
    state = session.state
    assert text == real_merge(session.comparison, state.overrides, state.policy, state.text_format).text
