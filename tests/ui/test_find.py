"""Finding text in a pane: Ctrl+F, F3 / Shift+F3, Enter, match case, the pane that had the focus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, TIMEOUT, WEB
from viewer.ui import find_bar
from viewer.ui.app import open_paths
from viewer.ui.canonical_editor import CanonicalEditor
from viewer.ui.main_window import MainWindow
from viewer.ui.variant_view import VariantView


def occurrences(text: str, needle: str, *, case: bool = False) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), text, 0 if case else re.IGNORECASE)]


def selection(view: QPlainTextEdit) -> tuple[int, str]:
    cursor = view.textCursor()
    return cursor.selectionStart(), cursor.selectedText()


def open_texts(window: MainWindow, qtbot: QtBot, folder: Path, left: str, right: str) -> None:
    """Write a pair of files and open them the command line's way."""
    paths = [folder / "a.txt", folder / "b.txt"]
    for path, text in zip(paths, (left, right), strict=True):
        path.write_text(text, encoding="utf-8")
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        open_paths(window, [str(p) for p in paths])


def give_focus(window: MainWindow, qtbot: QtBot, widget: QPlainTextEdit) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def type_needle(opened: MainWindow, qtbot: QtBot, needle: str) -> None:
    bar = opened.view.find_bar
    bar.field.clear()
    qtbot.keyClicks(bar.field, needle)


def test_ctrl_f_opens_the_bar_and_typing_finds_the_first_match(opened: MainWindow, qtbot: QtBot) -> None:
    bar = opened.view.find_bar
    assert not bar.isVisible()
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    qtbot.keyClick(opened.view.left_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.isVisible()
    qtbot.waitUntil(bar.field.hasFocus)
    type_needle(opened, qtbot, "Lavrov")
    text = WEB.read_text(encoding="utf-8")
    found = occurrences(text, "Lavrov")
    assert selection(opened.view.left_view) == (found[0], text[found[0] : found[0] + 6])
    assert bar.status.text() == f"1 of {len(found)} in the left pane"


def test_enter_f3_and_shift_f3_walk_through_the_matches_and_wrap(opened: MainWindow, qtbot: QtBot) -> None:
    bar = opened.view.find_bar
    opened.commands["find"].trigger()
    type_needle(opened, qtbot, "lavrov")
    found = occurrences(WEB.read_text(encoding="utf-8"), "lavrov")
    left = opened.view.left_view
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert selection(left)[0] == found[1]
    opened.commands["find_next"].trigger()
    assert selection(left)[0] == found[2]
    assert bar.status.text().startswith(f"3 of {len(found)}")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert selection(left)[0] == found[1]
    opened.commands["find_previous"].trigger()
    opened.commands["find_previous"].trigger()
    assert selection(left)[0] == found[-1]  # wrapped round to the last one
    assert bar.status.text().endswith("from the end")
    opened.commands["find_next"].trigger()
    assert selection(left)[0] == found[0]
    assert bar.status.text().endswith("from the top")


def test_match_case_counts_only_the_same_letters(opened: MainWindow, qtbot: QtBot) -> None:
    bar = opened.view.find_bar
    opened.commands["find"].trigger()
    type_needle(opened, qtbot, "lavrov")
    text = WEB.read_text(encoding="utf-8")
    assert bar.status.text() == f"1 of {len(occurrences(text, 'lavrov'))} in the left pane"
    bar.match_case.setChecked(True)
    exact = occurrences(text, "lavrov", case=True)
    assert len(exact) < len(occurrences(text, "lavrov"))
    assert selection(opened.view.left_view)[0] == exact[0]
    assert bar.status.text() == f"1 of {len(exact)} in the left pane"


def test_the_search_follows_the_pane_that_had_the_focus(opened: MainWindow, qtbot: QtBot) -> None:
    bar = opened.view.find_bar
    right = opened.view.right_view
    give_focus(opened, qtbot, right)
    opened.commands["find"].trigger()
    type_needle(opened, qtbot, "Lavrov")
    found = occurrences(PDF.read_text(encoding="utf-8"), "Lavrov")
    assert selection(right)[0] == found[0]
    assert bar.status.text() == f"1 of {len(found)} in the right pane"
    canonical = opened.view.canonical
    give_focus(opened, qtbot, canonical)
    opened.commands["find_next"].trigger()
    merged = canonical.toPlainText()
    assert selection(canonical)[0] == occurrences(merged, "Lavrov")[0]
    assert "merged text" in bar.status.text()


def test_no_match_says_so_and_esc_closes_the_bar_back_to_the_pane(opened: MainWindow, qtbot: QtBot) -> None:
    bar = opened.view.find_bar
    left = opened.view.left_view
    give_focus(opened, qtbot, left)
    opened.commands["find"].trigger()
    qtbot.waitUntil(bar.field.hasFocus)
    type_needle(opened, qtbot, "no such words here")
    assert bar.status.text() == "Not found in the left pane"
    assert "no such words here" not in selection(left)[1]
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    qtbot.waitUntil(left.hasFocus)
    assert not opened.runner.busy  # Esc closed the bar; it did not go to the window's Cancel


def test_ctrl_f_takes_the_selected_words(opened: MainWindow, qtbot: QtBot) -> None:
    left = opened.view.left_view
    text = WEB.read_text(encoding="utf-8")
    start = text.index("Lavrov")
    cursor = left.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + 6, cursor.MoveMode.KeepAnchor)
    left.setTextCursor(cursor)
    opened.commands["find"].trigger()
    assert opened.view.find_bar.field.text() == "Lavrov"
    assert opened.view.find_bar.status.text().startswith("1 of ")


def test_matches_after_characters_beyond_the_basic_plane_land_on_the_word(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left = "Emoji \U0001f600 then \U0001f680 the target word.\n"
    open_texts(window, qtbot, tmp_path, left, "Emoji then the target word.\n")
    window.commands["find"].trigger()
    type_needle(window, qtbot, "target")
    assert window.view.left_view.textCursor().selectedText() == "target"


def test_past_the_counting_limit_the_count_says_so(
    opened: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(find_bar, "COUNT_LIMIT", 3)
    bar = opened.view.find_bar
    opened.commands["find"].trigger()
    type_needle(opened, qtbot, "Lavrov")
    assert len(occurrences(WEB.read_text(encoding="utf-8"), "Lavrov")) > 3
    assert bar.status.text() == "1 of 3+ in the left pane"
    for _ in range(3):
        opened.commands["find_next"].trigger()
    assert bar.status.text() == "1 of 3+ in the left pane, from the top"


def test_a_letter_that_lower_case_makes_two_still_finds_the_word(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    open_texts(window, qtbot, tmp_path, "İstanbul then the İSTANBUL office.\n", "Istanbul then the office.\n")
    window.commands["find"].trigger()
    type_needle(window, qtbot, "office")
    assert window.view.left_view.textCursor().selectedText() == "office"
    field = window.view.find_bar.field
    field.clear()
    field.insert("İstanbul")  # typed as an input method would (QTest has no key for it)
    assert window.view.left_view.textCursor().selectedText() == "İstanbul"


def test_a_needle_that_lower_case_makes_longer_selects_the_whole_match(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    # "i" and a combining dot: what "İ" becomes in lower case, two characters for one.
    left = "Flights to i\u0307stanbul leave daily.\n"
    open_texts(window, qtbot, tmp_path, left, "Flights to Istanbul leave daily.\n")
    window.commands["find"].trigger()
    field = window.view.find_bar.field
    field.insert("İstanbul")
    assert window.view.left_view.textCursor().selectedText() == "i\u0307stanbul"


def marked_pixels(view: QPlainTextEdit, start: int, end: int) -> QImage:
    """The viewport's pixels over the match start..end (its first line)."""
    cursor = view.textCursor()
    cursor.setPosition(start)
    head = view.cursorRect(cursor)
    cursor.setPosition(end)
    tail = view.cursorRect(cursor)
    view.viewport().repaint()
    rect = QRect(head.topLeft(), QPoint(max(tail.left(), head.left() + 4), head.bottom()))
    return view.viewport().grab(rect).toImage()


def test_every_match_in_view_is_outlined_until_the_bar_closes(opened: MainWindow, qtbot: QtBot) -> None:
    left = opened.view.left_view
    text = WEB.read_text(encoding="utf-8")
    before = {start: marked_pixels(left, start, start + 3) for start in occurrences(text, "the")[1:4]}
    opened.commands["find"].trigger()
    type_needle(opened, qtbot, "the")
    shown = left.find_marks.in_view()
    assert len(shown) > 3
    assert all(text[start:end].lower() == "the" for start, end in shown)
    current = selection(left)[0]
    for start, image in before.items():
        assert start != current
        assert (start, start + 3) in shown
        assert marked_pixels(left, start, start + 3) != image  # drawn, not only listed
    opened.view.find_bar.close_bar()
    assert left.find_marks.in_view() == []
    for start, image in before.items():
        assert marked_pixels(left, start, start + 3) == image


def test_outlines_follow_the_pane_searched_and_leave_edited_text(opened: MainWindow, qtbot: QtBot) -> None:
    left, canonical = opened.view.left_view, opened.view.canonical
    opened.commands["find"].trigger()
    type_needle(opened, qtbot, "Lavrov")
    assert left.find_marks.in_view()
    give_focus(opened, qtbot, canonical)
    assert left.find_marks.in_view() == []
    opened.commands["find_next"].trigger()
    assert_outlined(canonical, "Lavrov")
    # Typing moves the text under the outlines: they go until the next search.
    cursor = canonical.textCursor()
    cursor.setPosition(0)
    canonical.setTextCursor(cursor)
    qtbot.keyClicks(canonical, "Now ")
    assert canonical.find_marks.in_view() == []
    opened.commands["find_next"].trigger()
    assert_outlined(canonical, "Lavrov")


def assert_outlined(view: VariantView | CanonicalEditor, needle: str) -> None:
    """Some matches are outlined in view, and each outline is on the needle in the text now."""
    text = view.toPlainText()
    shown = view.find_marks.in_view()
    assert shown
    assert all(text[start:end] == needle for start, end in shown)
