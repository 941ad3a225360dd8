"""Moving between differences: actions, keys, the list, the overview strip and the kind filter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.ui.helpers import TIMEOUT
from viewer.core import DifferenceKind, Side
from viewer.ui.main_window import MainWindow
from viewer.ui.palette import KIND_STYLES


def test_next_and_previous_move_the_selection(opened: MainWindow) -> None:
    view = opened.view
    assert view.current_id == "d1"
    opened.commands["next"].trigger()
    assert view.current_id == "d2"
    assert opened.status.position.text() == "Difference 2 of 8"
    assert view.panel.table.currentIndex().row() == 1
    opened.commands["previous"].trigger()
    assert view.current_id == "d1"
    opened.commands["previous"].trigger()
    assert view.current_id == "d1"  # stays at the first


def test_alt_down_and_alt_up_are_the_keys(opened: MainWindow, qtbot: QtBot) -> None:
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    qtbot.keyClick(opened.view.left_view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert opened.view.current_id == "d2"
    qtbot.keyClick(opened.view.left_view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert opened.view.current_id == "d1"


def test_going_to_the_last_difference_scrolls_both_panes(opened: MainWindow, qtbot: QtBot) -> None:
    left, right = opened.view.left_view, opened.view.right_view
    assert left.verticalScrollBar().value() == 0
    opened.commands["last"].trigger()
    assert opened.view.current_id == "d8"
    assert left.verticalScrollBar().value() > 0
    footer = opened.comparison.by_id("d8")  # type: ignore[union-attr]
    first, last = left.visible_range()
    assert first <= footer.left.start <= last
    first, last = right.visible_range()
    assert first <= footer.right.start <= last + 1


def test_selecting_a_row_scrolls_both_panes_to_it(opened: MainWindow) -> None:
    panel = opened.view.panel
    row = panel.model.row_of("d7")
    panel.table.setCurrentIndex(panel.proxy.mapFromSource(panel.model.index(row, 1)))
    assert opened.view.current_id == "d7"
    d = opened.comparison.by_id("d7")  # type: ignore[union-attr]
    for side, view in opened.view.views.items():
        first, last = view.visible_range()
        assert first <= d.span(side).start <= last


def test_the_kind_filter_hides_rows_and_navigation_skips_them(opened: MainWindow) -> None:
    panel = opened.view.panel
    assert panel.proxy.rowCount() == 8
    toggle = panel.filter_bar.button(DifferenceKind.BREAK)
    assert toggle is not None
    assert toggle.isChecked()
    assert "2" in toggle.text()
    toggle.click()
    assert panel.proxy.rowCount() == 6
    assert "6 of 8 differences shown" in panel.summary.text()
    assert "d5" not in panel.visible_ids()
    assert opened.view.navigable_ids() == ["d1", "d2", "d3", "d4", "d6", "d8"]
    opened.view.set_current("d4")
    opened.commands["next"].trigger()
    assert opened.view.current_id == "d6"
    assert all(
        p.difference.kind is not DifferenceKind.BREAK for p in opened.view.left_view.visible_differences()
    )
    toggle.click()
    assert panel.proxy.rowCount() == 8


def test_clicking_the_overview_jumps_there(opened: MainWindow, qtbot: QtBot) -> None:
    strip = opened.view.overviews[Side.LEFT]
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(strip.width() // 2, strip.height() - 3))
    assert opened.view.current_id == "d8"
    assert opened.view.left_view.verticalScrollBar().value() > 0


def test_scrolling_one_pane_keeps_the_other_level(opened: MainWindow) -> None:
    left, right = opened.view.left_view, opened.view.right_view
    bar = left.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = left.viewport().height() // 2
    position = left.position_at(middle)
    expected = opened.view.prepared.corresponding(Side.LEFT, position)  # type: ignore[union-attr]
    first, last = right.visible_range()
    assert first <= expected <= last
    assert abs(right.position_rect(expected).top() - middle) <= 2 * right.line_height()


def test_clicking_a_highlight_selects_its_difference(opened: MainWindow, qtbot: QtBot) -> None:
    view = opened.view.left_view
    d = opened.comparison.by_id("d1")  # type: ignore[union-attr]
    opened.view.set_current("d6", scroll=False)
    view.verticalScrollBar().setValue(0)
    rect = view.position_rect(d.left.start + 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.view.current_id == "d1"


def test_the_overview_draws_the_kinds_shown(opened: MainWindow) -> None:
    strip = opened.view.overviews[Side.LEFT]
    comparison = opened.comparison
    assert comparison is not None
    last = comparison.differences[-1]  # far from the current difference, at the top
    hue = KIND_STYLES[last.kind].color()

    def column() -> list[str]:
        image = strip.grab().toImage()
        x = strip.width() // 2
        return [image.pixelColor(x, y).name() for y in range(image.height())]

    shown = column()
    bottom = shown[len(shown) * 3 // 4 :]
    assert hue.name() in bottom
    toggle = opened.view.panel.filter_bar.button(last.kind)
    assert toggle is not None
    toggle.click()
    hidden = column()
    assert hue.name() not in hidden[len(hidden) * 3 // 4 :]
    toggle.click()
    assert column() == shown


def test_the_overview_shows_wording_first_where_kinds_share_a_row(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left = "\n\n".join(f"Item {k} has [a link](https://x.org/{k}) and an old word here." for k in range(60))
    right = "\n\n".join(f"Item {k} has a link and an new word here." for k in range(60))
    (tmp_path / "a.md").write_text(left, encoding="utf-8")
    (tmp_path / "b.md").write_text(right, encoding="utf-8")
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(tmp_path / "a.md"), str(tmp_path / "b.md"))
    comparison = window.comparison
    assert comparison is not None
    assert {DifferenceKind.WORDING.value, DifferenceKind.LINK.value} <= set(comparison.summary)
    strip = window.view.overviews[Side.LEFT]
    strip.setFixedHeight(24)  # 60 paragraphs with both kinds on 20 rows: every row is shared
    qtbot.waitUntil(lambda: strip.height() == 24, timeout=TIMEOUT)
    kinds = {kind for _top, _height, _id, kind in strip._rows()}
    assert kinds == {DifferenceKind.WORDING}


def test_next_unreviewed_skips_what_you_decided_and_goes_round(opened: MainWindow, qtbot: QtBot) -> None:
    view, session = opened.view, opened.session
    assert session is not None
    shown = view.navigable_ids()
    n = len(shown)
    assert opened.status.reviewed.text() == f"0 of {n} decided"
    # Taking what the default takes counts as deciding: d1 is reviewed, and the text is the same.
    text = session.text
    default = session.decision("d1").choice
    opened.decide(default)
    assert session.is_user_decided("d1")
    assert session.text == text
    assert opened.status.reviewed.text() == f"1 of {n} decided"
    opened.commands["next_unreviewed"].trigger()
    assert view.current_id == shown[1]
    opened.commands["take_right"].trigger()
    opened.commands["first"].trigger()
    opened.commands["next_unreviewed"].trigger()
    assert view.current_id == shown[2]  # past d1 and the one just decided
    # Before the first undecided one, the search goes round to the last.
    opened.commands["first"].trigger()
    opened.commands["previous_unreviewed"].trigger()
    assert view.current_id == shown[-1]
    assert "Went round past the first difference" in opened.statusBar().currentMessage()
    opened.commands["take_all_left"].trigger()
    opened.commands["next_unreviewed"].trigger()
    assert view.current_id == shown[-1]
    assert opened.statusBar().currentMessage() == "You have decided every difference shown."
    assert opened.status.reviewed.text() == f"{n} of {n} decided"
    # Each decision is undone on its own, the confirmed default too.
    for _ in range(3):
        opened.commands["undo"].trigger()
    assert not session.is_user_decided("d1")
    assert opened.status.reviewed.text() == f"0 of {n} decided"
    # The counts are of the differences shown: hiding a kind changes them at once.
    view.set_current("d1")
    opened.decide(session.decision("d1").choice)
    assert opened.status.reviewed.text() == f"1 of {n} decided"
    kind = session.comparison.by_id(shown[-1]).kind
    assert kind is not session.comparison.by_id("d1").kind
    left = n - len(session.comparison.of_kind(kind))
    opened.view.panel.filter_bar.button(kind).click()
    assert opened.status.reviewed.text() == f"1 of {left} decided"
    assert opened.status.position.text() == f"Difference 1 of {left}"


def test_alt_shift_down_is_the_key_for_the_next_unreviewed(opened: MainWindow, qtbot: QtBot) -> None:
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    opened.decide(opened.session.decision("d1").choice)  # type: ignore[union-attr]
    modifiers = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(opened.view.left_view, Qt.Key.Key_Down, modifiers)
    assert opened.view.current_id == opened.view.navigable_ids()[1]
