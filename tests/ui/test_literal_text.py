"""Variant text is shown exactly as written: markup stays text, and emoji do not shift highlights."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.helpers import TIMEOUT
from viewer.core import Side
from viewer.ui.main_window import MainWindow


def _open(window: MainWindow, qtbot: QtBot, tmp_path: Path, left: str, right: str) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(left, encoding="utf-8")
    b.write_text(right, encoding="utf-8")
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(a), str(b))


def test_markup_in_a_file_is_never_interpreted(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    left = "A <b>bold</b> claim &amp; a <i>quiet</i> one.\n\nSecond paragraph here.\n"
    right = "A <b>bold</b> claim &amp; a <i>loud</i> one.\n\nSecond paragraph here.\n"
    _open(window, qtbot, tmp_path, left, right)
    assert (
        window.view.left_view.toPlainText() == left.rstrip("\n") + "\n"
        or window.view.left_view.toPlainText() == left
    )
    assert "<b>bold</b>" in window.view.left_view.toPlainText()
    assert "&amp;" in window.view.right_view.toPlainText()
    panel = window.view.panel
    snippets = [panel.model.index(r, 1).data() for r in range(panel.model.rowCount())]
    tips = [panel.model.index(r, 1).data(Qt.ItemDataRole.ToolTipRole) for r in range(panel.model.rowCount())]
    assert any("quiet" in s for s in snippets)
    assert all("<i>" not in t for t in tips)  # escaped, so a tool tip shows the tag as text
    assert window.view.headers[Side.LEFT].title.textFormat() == Qt.TextFormat.PlainText


def test_highlights_land_on_the_right_characters_after_emoji(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left = "Smile 😀😀 then the cat sat on the mat today.\n"
    right = "Smile 😀😀 then the dog sat on the mat today.\n"
    _open(window, qtbot, tmp_path, left, right)
    c = window.comparison
    assert c is not None
    wording = [d for d in c.differences if d.left.text.strip()]
    assert wording
    for side, view in window.view.views.items():
        selections = view.extraSelections()
        assert selections
        texts = {s.cursor.selectedText() for s in selections}
        assert {d.span(side).text for d in wording} <= texts


def test_a_break_row_names_the_side_with_the_paragraph_break(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    # The left side's gap holds the link's hidden markup, which a row is not to show as text.
    body = "We use cookies and other tracking technologies to improve your browsing.\n"
    left, right = f"[Skip to main content](#content)\n\n{body}", f"Skip to main content {body}"
    _open(window, qtbot, tmp_path, left, right)
    panel = window.view.panel
    rows = {
        panel.model.index(r, 0).data(): panel.model.index(r, 1).data() for r in range(panel.model.rowCount())
    }
    assert rows["Break"] == "paragraph break on the left only"


def test_a_formatting_row_and_the_decision_bar_name_the_style(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    a, b = tmp_path / "web.md", tmp_path / "print.md"
    # The bold words' source span holds markup (the comma closes up after it): the row shows words.
    a.write_text("By choosing **I Accept** , you agree, and *then* go home.\n", encoding="utf-8")
    b.write_text("By choosing I Accept, you agree,\nand then go home.\n", encoding="utf-8")
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(a), str(b))
    panel = window.view.panel
    rows = [panel.model.index(r, 1).data() for r in range(panel.model.rowCount())]
    assert rows == ["bold, left only: I Accept,", "italic, left only: then"]
    assert window.comparison is not None
    window.view.set_current(window.comparison.differences[1].id)
    assert "Formatting (italic on the left only) · take left" in window.view.decision_bar.label.text()
