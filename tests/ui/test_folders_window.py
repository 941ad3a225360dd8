"""Two folders in the window: the pairs listed with what each comparison finds, opened one by
one, merged all at once; the worker processes never outlive the list."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from functools import cache
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from bench.generate import make_pair
from tests.prose import paragraphs
from tests.test_cli import run
from tests.test_folders import _digests, _library, write
from tests.test_html_report import _parsed
from tests.ui.helpers import TIMEOUT, drop, file_mime
from viewer.batch import default_jobs
from viewer.core import CompareOptions, DifferenceKind
from viewer.core.folders import compare_files, pair_folders
from viewer.core.merge import Choice
from viewer.core.written import MERGED, WrittenStore
from viewer.desktop import written_dir
from viewer.ui import folder_scan, folder_view
from viewer.ui.app import open_paths
from viewer.ui.main_window import MainWindow
from viewer.ui.merge_session import MergeSession


def _listed(window: MainWindow, qtbot: QtBot, left: Path, right: Path) -> None:
    """Open two folders the command line's way and wait until every pair is compared."""
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        open_paths(window, [str(left), str(right)])


def _row(window: MainWindow, left_name: str) -> int:
    for item in window.folders.view.items():
        if item.text(0) == left_name:
            return window.folders.view.tree.indexOfTopLevelItem(item)
    raise AssertionError(f"{left_name} is not listed")


def test_two_folders_list_each_pair_with_what_comparing_it_finds(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left, right, _ = _library(tmp_path)
    write(left / "lonely.md", "only here")
    write(left / "broken.txt", b"\x00\x01\x02 not text")
    write(right / "broken.txt", "text")
    _listed(window, qtbot, left, right)

    view = window.folders.view
    assert window.stack.currentWidget() is view
    assert window.windowTitle().startswith("web ↔ pdf")
    rows = {item.text(0): item for item in view.items()}
    pairing = pair_folders(left, right)
    hidden = {kind.value for kind in window.view.hidden_kinds}
    assert hidden == {"typography"}, "the legend's default"
    for pair in pairing.pairs:
        expected = compare_files(pair, pairing.paths(pair), CompareOptions())
        item = rows[pair.left]
        assert item.text(1) == pair.right
        if expected.error:
            assert item.text(2) == "trouble"
            assert "binary" in item.toolTip(0)
            assert item.text(3) == ""
        else:
            # What the comparison shows is counted; the kinds its legend hides are named.
            shown = sum(n for kind, n in expected.summary.items() if kind not in hidden)
            assert item.text(2) == ("different" if shown else "same")
            assert item.data(3, Qt.ItemDataRole.DisplayRole) == shown
            if "typography" in expected.summary:
                assert item.text(4).endswith(f"(typography {expected.summary['typography']} hidden)")
            kinds = (
                dict(part.rsplit(" ", 1) for part in item.toolTip(4).split(", "))
                if expected.differences
                else {}
            )
            assert {k: int(n.replace(",", "")) for k, n in kinds.items()} == expected.summary
    assert rows["lonely.md"].text(2) == "only left"
    assert view.summary.text() == "6 pairs: 1 same, 4 different, 1 with trouble, 1 only left"

    # Sorting by the Differences column sorts by number, not by text.
    view.tree.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    counts = [i.data(3, Qt.ItemDataRole.DisplayRole) for i in view.items() if i.text(2) == "different"]
    assert counts == sorted(counts, reverse=True)
    assert len(counts) == 4
    assert min(counts) < 10 < max(counts), "both one- and two-digit counts: text order would differ"

    view.hide_same.setChecked(True)
    assert rows["copy.md"].isHidden()
    assert not rows["alpha.md"].isHidden()


def test_a_pair_opens_from_the_list_and_ctrl_w_goes_back(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left, right, _ = _library(tmp_path)
    _listed(window, qtbot, left, right)
    view = window.folders.view
    assert not window.commands["folder_list"].isEnabled()
    view.tree.setCurrentItem(view.tree.topLevelItem(_row(window, "lavrov.md")))
    view.tree.setFocus()
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.view
    assert window.comparison is not None
    assert window.comparison.left.path == str(left / "lavrov.md")
    assert window.comparison.right.path == str(right / "lavrov.txt")
    assert window.commands["folder_list"].isEnabled()

    # Alt+PgDown / Alt+PgUp go through the pairs in the list's order, skipping hidden rows.
    alt = Qt.KeyboardModifier.AltModifier
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_PageDown, alt)
    assert window.comparison is not None
    assert window.comparison.left.path == str(left / "sub" / "gamma.md")
    qtbot.keyClick(window, Qt.Key.Key_PageDown, alt)
    assert "last pair" in window.statusBar().currentMessage()
    assert window.comparison.left.path == str(left / "sub" / "gamma.md")
    view.hide_same.setChecked(True)
    for expected in ("lavrov.md", "beta.md"):  # copy.md, the same on both sides, is hidden
        with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
            qtbot.keyClick(window, Qt.Key.Key_PageUp, alt)
        assert window.comparison.left.path == str(left / expected)
    view.hide_same.setChecked(False)

    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.comparison is None
    assert window.stack.currentWidget() is view
    assert view.tree.currentItem() is not None
    assert view.tree.currentItem().text(0) == "beta.md"  # type: ignore[union-attr]
    # Once more on the list: the start page.
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.welcome
    assert not window.commands["folder_list"].isVisible()
    # The pair of folders is the recent comparison (the pairs opened from it are not listed:
    # the folders lead to them), and reopens from there.
    assert window.recent.existing_pairs() == [(str(left), str(right))]
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        window.welcome.recent_chosen.emit(str(left), str(right))
    assert window.stack.currentWidget() is view


def test_a_pair_whose_differences_the_legend_hides_reads_same_until_shown(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left, right = tmp_path / "left", tmp_path / "right"
    text = paragraphs()[0]
    write(left / "quotes.md", f'He said "{text}"')
    write(right / "quotes.txt", f"He said “{text}”")
    write(left / "words.md", text)
    write(right / "words.txt", text.replace(" the ", " a ", 1))
    _listed(window, qtbot, left, right)
    view = window.folders.view
    rows = {item.text(0): item for item in view.items()}
    quotes = rows["quotes.md"]
    assert [quotes.text(2), quotes.data(3, Qt.ItemDataRole.DisplayRole), quotes.text(4)] == [
        "same",
        0,
        "(typography 2 hidden)",  # the opening and the closing quotation mark
    ]
    assert "hidden in the comparison: typography 2" in quotes.toolTip(2)
    assert view.summary.text() == "2 pairs: 1 same, 1 different"
    view.hide_same.setChecked(True)
    assert quotes.isHidden()
    assert not rows["words.md"].isHidden()
    view.hide_same.setChecked(False)

    # Open it, show typography in the legend, and back: the list counts it now.
    view.tree.setCurrentItem(quotes)
    view.tree.setFocus()
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    toggle = window.view.panel.filter_bar.button(DifferenceKind.TYPOGRAPHY)
    assert toggle is not None
    assert not toggle.isChecked()
    toggle.click()
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is view
    assert [quotes.text(2), quotes.data(3, Qt.ItemDataRole.DisplayRole), quotes.text(4)] == [
        "different",
        2,
        "typography 2",
    ]
    qtbot.waitUntil(lambda: view.summary.text() == "2 pairs: 0 same, 2 different", timeout=TIMEOUT)


def test_folders_dropped_on_the_window(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    left, right, _ = _library(tmp_path)
    drop(window, file_mime([left]))
    assert "drop two folders" in window.banner.text
    drop(window, file_mime([left, right / "alpha.txt"]))
    assert "a folder and a file" in window.banner.text.lower()
    assert window.folders.pairing is None
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        assert drop(window, file_mime([left, right]))
    assert window.stack.currentWidget() is window.folders.view
    assert len(window.folders.view.outcomes) == 5


def test_refresh_reads_the_folders_again(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    left, right, _ = _library(tmp_path)
    _listed(window, qtbot, left, right)
    write(left / "new.md", "A new paragraph.")
    write(right / "new.txt", "A new\nparagraph.")
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.folders.view.items()[_row(window, "new.md")].text(2) == "same"

    # Swap Sides on the list compares the folders the other way round.
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        window.commands["swap"].trigger()
    assert window.folders.pairing is not None
    assert (window.folders.pairing.left_root, window.folders.pairing.right_root) == (str(right), str(left))
    assert window.folders.view.items()[0].text(0).endswith(".txt")


def test_merge_all_writes_what_the_command_line_writes(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left, right, pairs = _library(tmp_path)
    _listed(window, qtbot, left, right)
    before = _digests(left, right)
    # Before any Merge All, and with no "canonical" folder yet: beside the compared folders.
    assert window.folders.export_target(*map(str, pairs["alpha"]), "md") == (str(tmp_path), "alpha.md")

    refused = window.folders.merge_all(str(left / "out"), "md")
    assert not refused
    box = window.findChild(QMessageBox, "error_dialog")
    assert box is not None
    assert "outside the compared folders" in box.text()
    box.close()
    assert not (left / "out").exists()

    out = tmp_path / "canonical"
    dialog = window.folders.merge_dialog()
    assert dialog is not None
    labels = dialog.findChildren(QLabel)
    assert any(label.buddy() is dialog.folder for label in labels)  # type: ignore[attr-defined]
    dialog.folder.setText(str(out))  # type: ignore[attr-defined]
    dialog.format.setCurrentIndex(dialog.format.findData("md"))  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT) as finished:
        dialog.accept()
    assert finished.args is not None
    assert finished.args[1] == str(out)
    for name, (a, b) in pairs.items():
        alone = run("merge", "--format", "md", a, b)
        assert (out / f"{name}.md").read_text(encoding="utf-8") == alone.stdout, name
    assert f"Wrote 5 canonical texts into {out}" in window.folders.view.summary.text()
    assert {item.text(5) for item in window.folders.view.items()} == {"merged"}
    assert _digests(left, right) == before

    # A pair opened from the list offers its own export where Merge All wrote it, not in
    # the compared folders.
    for name, folder in (("sub/gamma.md", out / "sub"), ("alpha.md", out)):
        view = window.folders.view
        view.tree.setCurrentItem(view.items()[_row(window, name)])
        with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
            view.tree.itemActivated.emit(view.tree.currentItem(), 0)
        # Under the name Merge All gave it: a reviewed pair's export replaces its merge.
        stem = name[:-3]
        assert window.exports.start("txt") == (str(folder), f"{Path(stem).name}.txt")
        assert window.folders.merged_format == "md", "the format Merge All wrote in is offered"
        assert (folder / f"{Path(stem).name}.md").is_file()
        if name == "alpha.md":
            # Reviewed and exported over its merge: the list says so, and keeps saying so
            # when the folders are read again.
            assert window.exports.canonical_to(str(folder / "alpha.md"), "md")
        window.close_comparison()
    canonical = {item.text(0): item.text(5) for item in window.folders.view.items()}
    assert canonical == dict.fromkeys(("beta.md", "copy.md", "lavrov.md", "sub/gamma.md"), "merged") | {
        "alpha.md": "exported"
    }
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        window.folders.refresh()
    assert {item.text(0): item.text(5) for item in window.folders.view.items()} == canonical
    assert str(out / "alpha.md") in window.folders.view.items()[_row(window, "alpha.md")].toolTip(5)

    # Other folders start afresh: nothing merged, exports offered beside them again.
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        window.open_pair(str(right), str(left))
    assert {item.text(5) for item in window.folders.view.items()} == {""}
    assert window.folders.merged_into == ""


def test_reports_write_a_page_per_pair_and_an_index(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    left, right, pairs = _library(tmp_path)
    _listed(window, qtbot, left, right)
    assert not window.folders.write_reports(str(right / "reports"))
    box = window.findChild(QMessageBox, "error_dialog")
    assert box is not None
    box.close()

    out = tmp_path / "reports"
    dialog = window.folders.reports_dialog()
    assert dialog is not None
    assert dialog.folder.text() == str(out)  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        dialog.accept()
    index = out / "index.html"
    assert window.folders.index == str(index)
    assert not window.folders.view.index_button.isHidden()
    rows = _parsed(index.read_text(encoding="utf-8")).rows
    assert [row[0] for row in rows] == sorted(f"{name}.md" for name in pairs)
    for name in pairs:
        assert (out / f"{name}.html").is_file()
    # Reports are not canonical texts: the Canonical column stays empty.
    assert {item.text(5) for item in window.folders.view.items()} == {""}
    assert f"Wrote 5 reports and {index}" in window.folders.view.summary.text()


def test_stop_and_close_end_the_worker_processes_at_once(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Each pair takes a worker a second or more; Stop (and closing the window) ends the
    workers in the middle of their pairs instead of waiting for them."""
    open_paths(window, [str(p) for p in _long_pairs(tmp_path, 4)])
    view = window.folders.view
    assert view.stop_button.isVisible()
    qtbot.waitUntil(lambda: bool(_workers()), timeout=TIMEOUT)
    view.stop_button.click()
    stopped = time.monotonic()
    assert not window.folders.scan.busy
    assert "Stopped comparing" in view.summary.text()
    qtbot.waitUntil(lambda: not _workers(), timeout=TIMEOUT)
    assert time.monotonic() - stopped < 0.5
    assert not view.outcomes
    assert not view.stop_button.isVisible()

    view.refresh_button.click()
    qtbot.waitUntil(lambda: bool(_workers()), timeout=TIMEOUT)
    window.close()
    closed = time.monotonic()
    qtbot.waitUntil(lambda: not _workers(), timeout=TIMEOUT)
    assert time.monotonic() - closed < 0.5


def test_a_worker_that_dies_costs_no_pair_that_can_be_compared(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Killed from outside, a worker breaks its pool: its pairs are compared again."""
    open_paths(window, [str(p) for p in _long_pairs(tmp_path, 3)])
    qtbot.waitUntil(lambda: bool(_workers()), timeout=TIMEOUT)
    with qtbot.waitSignal(window.folders.scan_finished, timeout=6 * TIMEOUT):
        os.kill(_workers()[0].pid, signal.SIGKILL)  # type: ignore[arg-type]
    view = window.folders.view
    assert not window.folders.scan.busy
    assert len(view.outcomes) == 3
    assert not [o for o in view.outcomes.values() if o.error]
    assert "with trouble" not in view.summary.text()
    qtbot.waitUntil(lambda: not _workers(), timeout=TIMEOUT)


def test_a_pair_whose_own_process_dies_too_is_trouble_and_the_others_are_compared(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    open_paths(window, [str(p) for p in _long_pairs(tmp_path, 3)])
    jobs = min(default_jobs(), 3)
    # The pool starts its processes one after another: all of them are the old ones.
    qtbot.waitUntil(lambda: len(_workers()) == jobs, timeout=TIMEOUT)
    first = _workers()
    os.kill(first[0].pid, signal.SIGKILL)  # type: ignore[arg-type]
    # Then the first pair has a process of its own, the two others a new pool: all die.
    old = {worker.pid for worker in first}
    new = 1 + min(default_jobs(), 2)
    qtbot.waitUntil(lambda: len([w for w in _workers() if w.pid not in old]) == new, timeout=2 * TIMEOUT)
    with qtbot.waitSignal(window.folders.scan_finished, timeout=6 * TIMEOUT):
        for worker in _workers():
            if worker.pid not in old:
                os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]
    view = window.folders.view
    troubled = sorted(o.pair.left for o in view.outcomes.values() if o.error)  # type: ignore[union-attr]
    assert troubled == ["long0.md"]
    (error,) = [o.error for o in view.outcomes.values() if o.error]
    assert error == "the process comparing it stopped (killed, or out of memory)"
    assert len(view.outcomes) == 3
    assert "1 with trouble" in view.summary.text()
    qtbot.waitUntil(lambda: not _workers(), timeout=TIMEOUT)


@cache
def _long_pair() -> tuple[str, str]:
    """A pair that takes a worker a second or more (made once for the tests that need it)."""
    generated = make_pair(2_500_000, seed=3)
    return generated.left, generated.right


def _long_pairs(tmp_path: Path, count: int) -> tuple[Path, Path]:
    """Two folders of `count` long pairs."""
    left, right = tmp_path / "a", tmp_path / "b"
    text_left, text_right = _long_pair()
    for k in range(count):
        write(left / f"long{k}.md", text_left)
        write(right / f"long{k}.txt", text_right)
    return left, right


def _workers() -> list[multiprocessing.process.BaseProcess]:
    """The processes this one started that are still there (pool workers; not the fork server)."""
    return multiprocessing.active_children()


def _many(folder: Path, count: int, stem: str) -> tuple[Path, Path]:
    """Two folders of `count` small pairs named stem0, stem1, ..."""
    left, right = folder / "left", folder / "right"
    for k in range(count):
        write(
            left / f"{stem}{k}.md", f"# {stem} {k}\n\nA paragraph about [item {k}](http://example.org/{k}).\n"
        )
        write(right / f"{stem}{k}.txt", f"{stem} {k}\nA paragraph about\nitem {k}.\n")
    return left, right


def test_a_long_list_goes_in_over_several_turns_and_other_folders_replace_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folders are read off the window's thread and their rows put in a few at a time:
    opening returns at once, and folders opened while others are still listing replace them
    (no row of the first pair of folders is left, nor one of their outcomes)."""
    monkeypatch.setattr(folder_view, "FILL_CHUNK", 3)
    first = _many(tmp_path / "first", 40, "old")
    second = _many(tmp_path / "second", 4, "new")
    view = window.folders.view
    seen: list[tuple[int, str, bool]] = []

    def then_the_others(*_arrived: object) -> None:
        # Just after the first folders' first rows went in (the rest wait for later turns).
        if not seen:
            seen.append((view.tree.topLevelItemCount(), view.summary.text(), window.folders.scan.busy))
            window.open_pair(*(str(p) for p in second))

    # Connected after the window's own slot: it runs once that has put the first rows in.
    window.folders._paired.connect(then_the_others)
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        window.open_pair(*(str(p) for p in first))
        assert view.tree.topLevelItemCount() == 0  # read in a thread: nothing listed yet
        assert window.stack.currentWidget() is view
        assert view.summary.text() == "Reading the folders…"
    window.folders._paired.disconnect(then_the_others)
    assert seen == [(3, "40 pairs: 0 same, 0 different — listing 3 of 40 files…", False)]
    assert sorted(item.text(0) for item in view.items()) == [f"new{k}.md" for k in range(4)]
    assert {o.pair.left for o in view.outcomes.values()} == {f"new{k}.md" for k in range(4)}
    assert view.summary.text() == "4 pairs: 0 same, 4 different"


def _click_header(qtbot: QtBot, window: MainWindow, column: int) -> None:
    header = window.folders.view.tree.header()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_the_list_is_in_natural_order_and_sorts_by_the_header_clicked(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder_view, "FILL_CHUNK", 4)
    left, right = tmp_path / "left", tmp_path / "right"
    # Pair k has a word changed in k + 1 paragraphs: counts order the pairs as their numbers do.
    for k in range(12):
        paragraphs = [f"Paragraph {p} of chapter {k} reads" for p in range(k + 1)]
        write(left / f"ch{k}.md", "\n\n".join(f"{text} here." for text in paragraphs))
        write(right / f"ch{k}.txt", "\n\n".join(f"{text} there." for text in paragraphs))
    write(left / "ch3b.md", "only here")
    _listed(window, qtbot, left, right)
    view = window.folders.view
    names = [item.text(0) for item in view.items()]
    natural = [f"ch{k}.md" for k in range(4)] + ["ch3b.md"] + [f"ch{k}.md" for k in range(4, 12)]
    assert names == natural, "ch10 after ch9, the file only on the left in its place"

    view.tree.setCurrentItem(view.items()[5])
    current = view.tree.currentItem()
    _click_header(qtbot, window, 0)
    assert [item.text(0) for item in view.items()] == natural[::-1]
    assert view.tree.currentItem() is current

    _click_header(qtbot, window, 3)
    counts = [item.data(3, Qt.ItemDataRole.DisplayRole) for item in view.items()]
    pairs = [count for count in counts if count is not None]
    assert pairs == list(range(1, 13))
    assert counts[0] is None, "the file with no partner, and no count, first"

    # The order stays what the header says when the folders are compared again.
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        view.refresh_button.click()
    counts = [item.data(3, Qt.ItemDataRole.DisplayRole) for item in view.items()]
    assert counts == [None, *pairs]


def test_stop_while_the_folders_are_listed_and_f5_lists_them_again(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder_view, "FILL_CHUNK", 2)
    left, right = _many(tmp_path, 30, "doc")
    view = window.folders.view
    stopped: list[int] = []

    def stop(*_arrived: object) -> None:
        # Just after the first rows went in.
        if not stopped:
            stopped.append(view.tree.topLevelItemCount())
            view.stop_button.click()

    window.folders._paired.connect(stop)
    window.open_pair(str(left), str(right))
    qtbot.waitUntil(lambda: bool(stopped), timeout=TIMEOUT)
    window.folders._paired.disconnect(stop)
    assert stopped == [2]
    assert not window.folders.busy
    assert view.tree.topLevelItemCount() == 0
    assert window.folders.pairing is not None
    assert window.folders.pairing.pairs == ()  # as listed: nothing for Merge All or Alt+PgDown
    assert "Stopped reading the folders" in view.summary.text()
    qtbot.wait(100)  # the listing's next turns, had they not stopped
    assert view.tree.topLevelItemCount() == 0
    assert not view.outcomes
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert len(view.outcomes) == view.tree.topLevelItemCount() == 30


def test_the_workers_run_below_the_window_s_priority(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """As many workers as cores: at the window's own priority they would take its core."""
    open_paths(window, [str(p) for p in _long_pairs(tmp_path, 2)])
    qtbot.waitUntil(lambda: bool(_workers()), timeout=TIMEOUT)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    expected = min(19, own + folder_scan.BACKGROUND_NICENESS)

    def lowered() -> bool:
        found = [os.getpriority(os.PRIO_PROCESS, w.pid or 0) for w in _workers()]
        return bool(found) and all(niceness == expected for niceness in found)

    qtbot.waitUntil(lowered, timeout=TIMEOUT)
    window.folders.stop()


def test_a_pair_s_own_export_is_offered_under_its_merge_all_name(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """x.md and x.txt would both merge into x.txt: Merge All names them x.md.txt and x.txt.txt,
    and each pair's Ctrl+S offers that same name, not the x.txt the pair alone would get."""
    left, right = tmp_path / "left", tmp_path / "right"
    for name in ("x.md", "x.txt"):
        write(left / name, "A paragraph.")
        write(right / name, "A\nparagraph.")
    _listed(window, qtbot, left, right)
    offered = {
        name: window.folders.export_target(str(left / name), str(right / name), "txt")
        for name in ("x.md", "x.txt")
    }
    assert offered == {"x.md": (str(tmp_path), "x.md.txt"), "x.txt": (str(tmp_path), "x.txt.txt")}


def _merge_all(window: MainWindow, qtbot: QtBot, out: Path) -> None:
    with qtbot.waitSignal(window.folders.scan_finished, timeout=3 * TIMEOUT):
        assert window.folders.merge_all(str(out), "md")


def _open_listed(window: MainWindow, qtbot: QtBot, left_name: str) -> MergeSession:
    view = window.folders.view
    view.tree.setCurrentItem(view.items()[_row(window, left_name)])
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        view.tree.itemActivated.emit(view.tree.currentItem(), 0)
    assert window.session is not None
    return window.session


def _decide_one_otherwise(session: MergeSession) -> None:
    """Decide the first difference whose other side changes the canonical text, the other way."""
    before = session.text
    for difference in session.comparison.differences:
        choice = session.decision(difference.id).choice
        if choice in (Choice.LEFT, Choice.RIGHT):
            session.decide([difference.id], Choice.RIGHT if choice is Choice.LEFT else Choice.LEFT)
            if session.text != before:
                return
            session.undo_stack.undo()
    raise AssertionError("no decision changes the text")


def test_merge_all_again_keeps_your_exports_and_files_changed_since(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left, right, pairs = _library(tmp_path)
    _listed(window, qtbot, left, right)
    out = tmp_path / "canonical"
    # beta: reviewed and exported before any Merge All, where Merge All then writes.
    _decide_one_otherwise(_open_listed(window, qtbot, "beta.md"))
    assert window.exports.start("md") == (str(tmp_path), "beta.md")
    out.mkdir()
    assert window.exports.canonical_to(str(out / "beta.md"), "md")
    reviewed = (out / "beta.md").read_text(encoding="utf-8")
    window.close_comparison()
    _merge_all(window, qtbot, out)
    assert (out / "beta.md").read_text(encoding="utf-8") == reviewed
    assert window.folders.view.items()[_row(window, "beta.md")].text(5) == "exported"
    assert f"Wrote 4 canonical texts into {out}; kept 1 of your exports (delete" in (
        window.folders.view.summary.text()
    )
    (out / "beta.md").unlink()
    _merge_all(window, qtbot, out)
    first = {name: (out / f"{name}.md").read_text(encoding="utf-8") for name in pairs}
    assert first["beta"] != reviewed

    # alpha: reviewed, and exported over its merge.
    _decide_one_otherwise(_open_listed(window, qtbot, "alpha.md"))
    assert window.exports.canonical_to(str(out / "alpha.md"), "md")
    exported = (out / "alpha.md").read_text(encoding="utf-8")
    assert exported != first["alpha"]
    window.close_comparison()
    # gamma: its merge changed by hand since.
    edited = first["sub/gamma"] + "A note of mine.\n"
    (out / "sub" / "gamma.md").write_text(edited, encoding="utf-8")
    untouched = {name: (out / f"{name}.md").stat().st_ino for name in ("beta", "copy", "lavrov")}

    _merge_all(window, qtbot, out)
    assert (out / "alpha.md").read_text(encoding="utf-8") == exported
    assert (out / "sub" / "gamma.md").read_text(encoding="utf-8") == edited
    for name, inode in untouched.items():
        assert (out / f"{name}.md").stat().st_ino != inode, f"{name} was written again"
        assert (out / f"{name}.md").read_text(encoding="utf-8") == first[name]
    states = {item.text(0): item.text(5) for item in window.folders.view.items()}
    assert states == {
        "alpha.md": "exported",
        "sub/gamma.md": "changed",
        "lavrov.md": "merged",
        "beta.md": "merged",
        "copy.md": "merged",
    }
    summary = window.folders.view.summary.text()
    assert f"Wrote 3 canonical texts into {out}; kept 1 of your exports and 1 file changed since" in summary

    assert str(out / "alpha.md") in window.folders.view.items()[_row(window, "alpha.md")].toolTip(5)

    # A file deleted is written again, and one written again by Merge All is replaced later.
    (out / "alpha.md").unlink()
    _merge_all(window, qtbot, out)
    assert (out / "alpha.md").read_text(encoding="utf-8") == first["alpha"]
    inode = (out / "alpha.md").stat().st_ino
    _merge_all(window, qtbot, out)
    assert (out / "alpha.md").stat().st_ino != inode
    assert window.folders.view.items()[_row(window, "alpha.md")].text(5) == "merged"

    # The records of files no longer there go when Merge All runs.
    store = WrittenStore(written_dir())
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("merged once\n", encoding="utf-8")
    store.note(elsewhere, MERGED)
    elsewhere.unlink()
    _merge_all(window, qtbot, out)
    assert not store.record_path(elsewhere).exists()
    assert store.record_path(out / "alpha.md").exists()
