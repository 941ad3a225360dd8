"""Merging in the window: decisions, the canonical pane, undo, hand edits, export, closing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.helpers import TIMEOUT, WEB, type_at_end
from viewer.core import Choice, DifferenceKind
from viewer.ui.main_window import MainWindow


def canonical(window: MainWindow) -> str:
    text = window.view.canonical.plain_text()
    assert window.session is not None
    assert text == window.session.text
    return text


def test_a_decision_changes_the_canonical_pane(opened: MainWindow) -> None:
    assert "April 09, 2024" not in canonical(opened)
    opened.view.set_current("d3")
    opened.commands["take_left"].trigger()
    assert "April 09, 2024" in canonical(opened)
    assert opened.session is not None
    assert opened.session.is_user_decided("d3")
    assert opened.isWindowModified()
    row = opened.view.panel.model.row_of("d3")
    assert opened.view.panel.model.index(row, 2).data() == "◀ left"


def test_undo_restores_and_redo_repeats(opened: MainWindow) -> None:
    before = canonical(opened)
    opened.view.set_current("d3")
    opened.commands["take_left"].trigger()
    after = canonical(opened)
    opened.commands["undo"].trigger()
    assert canonical(opened) == before
    assert not opened.isWindowModified()
    opened.commands["redo"].trigger()
    assert canonical(opened) == after


def test_ctrl_z_in_the_canonical_pane_undoes_decisions_too(opened: MainWindow, qtbot: QtBot) -> None:
    before = canonical(opened)
    opened.view.set_current("d3")
    opened.commands["take_left"].trigger()
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    opened.view.canonical.setFocus()
    qtbot.keyClick(opened.view.canonical, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canonical(opened) == before


def test_apply_to_all_of_a_kind_is_one_undo_step(opened: MainWindow) -> None:
    session = opened.session
    assert session is not None
    before = canonical(opened)
    opened.view.set_current("d5")
    opened.commands["keep_neither"].trigger()
    opened.commands["apply_to_kind"].trigger()
    assert all(
        session.decision(d.id).choice is Choice.NEITHER
        for d in session.comparison.of_kind(DifferenceKind.BREAK)
    )
    assert session.undo_stack.count() == 2
    opened.commands["undo"].trigger()
    assert (
        session.decision("d7").choice is not Choice.NEITHER or session.defaults["d7"].choice is Choice.NEITHER
    )
    opened.commands["undo"].trigger()
    assert canonical(opened) == before


def test_gutter_buttons_decide(opened: MainWindow) -> None:
    opened.view.gutter.decision_requested.emit("d2", Choice.LEFT.value)
    assert opened.view.current_id == "d2"
    assert "AFP" in canonical(opened).split("\n\n")[1]


def test_hand_edits_survive_later_decisions_and_undo(opened: MainWindow, qtbot: QtBot) -> None:
    type_at_end(opened, qtbot, " Fin.")
    assert canonical(opened).endswith('flames," he added. Fin.')
    session = opened.session
    assert session is not None
    assert session.has_hand_edits
    assert session.undo_stack.count() == 1  # typing is one step
    opened.view.set_current("d2")
    opened.commands["take_left"].trigger()
    text = canonical(opened)
    assert text.endswith(" Fin.")
    assert "AFP" in text
    opened.commands["undo"].trigger()
    opened.commands["undo"].trigger()
    assert not canonical(opened).endswith(" Fin.")


def test_the_canonical_pane_tells_where_text_came_from(opened: MainWindow) -> None:
    editor = opened.view.canonical
    assert "left variant (lavrov-web.md)" in editor.provenance_tip(5)
    assert "difference d1" in editor.provenance_tip(5)
    assert "Both variants agree" in editor.provenance_tip(100)


@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_export_writes_the_expected_file(opened: MainWindow, tmp_path: Path, fmt: str) -> None:
    session = opened.session
    assert session is not None
    opened.view.set_current("d3")
    opened.commands["take_left"].trigger()
    target = tmp_path / f"out.{fmt}"
    assert opened.exports.canonical_to(str(target))
    written = target.read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(written)
        assert data["text"] == session.text
        d3 = next(d for d in data["differences"] if d["id"] == "d3")
        assert d3["decision"] == {"choice": "left"}
        assert d3["decided_by"] == "user"
    else:
        assert written == session.export_text(fmt) + "\n"
        assert "April 09, 2024" in written
    assert not session.is_modified
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_export_never_overwrites_a_source(opened: MainWindow) -> None:
    original = WEB.read_bytes()
    assert not opened.exports.canonical_to(str(WEB), "md")
    assert WEB.read_bytes() == original
    box = next(b for b in opened.findChildren(QMessageBox) if b.isVisible())
    assert "refusing to overwrite a source file" in box.text()


def test_copy_puts_the_canonical_text_on_the_clipboard(opened: MainWindow) -> None:
    opened.commands["copy_canonical"].trigger()
    assert QGuiApplication.clipboard().text() == canonical(opened)


def test_closing_with_unexported_decisions_asks_first(opened: MainWindow, qtbot: QtBot) -> None:
    opened.view.set_current("d3")
    opened.commands["take_left"].trigger()
    opened.commands["quit"].trigger()
    box = opened.findChild(QMessageBox, "confirm_discard")
    assert box is not None
    assert box.isVisible()
    assert opened.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert opened.isVisible()
    opened.commands["quit"].trigger()
    box = next(b for b in opened.findChildren(QMessageBox, "confirm_discard") if b.isVisible())
    box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not opened.isVisible())


def test_closing_with_unexported_decisions_can_export_them_first(
    opened: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    opened.view.set_current("d3")
    opened.commands["take_left"].trigger()
    type_at_end(opened, qtbot, " Checked.")
    assert opened.session is not None
    assert opened.session.text_format == "md"
    expected = opened.session.export_text("md")
    assert "Checked." in expected
    target = tmp_path / "reviewed.md"

    def close_and_export(path: Path | None) -> None:
        """Close, choose Export… in the question, then save to `path` in the real file dialog
        (or cancel it)."""
        opened.commands["close"].trigger()
        box = next(b for b in opened.findChildren(QMessageBox, "confirm_discard") if b.isVisible())

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QFileDialog):
                QTimer.singleShot(10, answer)  # not shown yet
                return
            if path is None:
                dialog.reject()
            else:
                dialog.selectFile(str(path))
                dialog.accept()

        QTimer.singleShot(0, answer)
        export = box.button(QMessageBox.StandardButton.Save)
        assert export.text() == "&Export…"
        export.click()

    close_and_export(None)
    assert not target.exists()
    assert opened.comparison is not None, "the export was cancelled: the comparison stays"
    # As plain text, the hand edits (made on the Markdown) are left out: written, but the
    # comparison stays, with the warning to read.
    close_and_export(tmp_path / "reviewed.txt")
    assert (tmp_path / "reviewed.txt").is_file()
    assert "Checked." not in (tmp_path / "reviewed.txt").read_text(encoding="utf-8")
    assert opened.comparison is not None
    assert "hand edits" in opened.banner.text
    assert opened.session.is_modified, "the hand edits are still to export"
    close_and_export(target)
    assert target.read_text(encoding="utf-8") == expected.rstrip("\n") + "\n"
    assert opened.comparison is None
    assert opened.stack.currentWidget() is opened.welcome


def test_quit_without_changes_closes_at_once(opened: MainWindow, qtbot: QtBot) -> None:
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    qtbot.keyClick(opened, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not opened.isVisible())
    assert not opened.runner.busy


def test_take_everything_from_one_side_is_one_undo_step(opened: MainWindow) -> None:
    session = opened.session
    assert session is not None
    before = canonical(opened)
    opened.commands["take_all_left"].trigger()
    assert all(session.decision(d.id).choice is Choice.LEFT for d in session.comparison.differences)
    assert "Original url" in canonical(opened)
    assert "April 09, 2024" in canonical(opened)
    assert session.undo_stack.count() == 1
    opened.commands["undo"].trigger()
    assert canonical(opened) == before


def _default_tips(window: MainWindow, kind: DifferenceKind) -> list[str]:
    model = window.view.panel.model
    return [
        model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)
        for row in range(model.rowCount())
        if model.difference(row).kind is kind
    ]


def _open_after_a_shared_paragraph(
    window: MainWindow, qtbot: QtBot, left: tuple[Path, str], right: tuple[Path, str]
) -> None:
    """Write each file as a shared paragraph and its own line, and compare them (any work done
    counted as exported)."""
    body = "A paragraph both sides share, long enough to align the two texts on.\n\n"
    for path, line in (left, right):
        path.write_text(f"{body}{line}\n", encoding="utf-8")
    window.session.mark_exported()  # type: ignore[union-attr]
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(left[0]), str(right[0]))


def test_a_default_says_why_where_a_rule_read_the_text(
    opened: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    # The samples' web page breaks a quotation's sentence in two ("Lavrov / told Xi").
    assert "Take right: the default, not yet reviewed (joined: the break cuts a sentence in two)" in (
        _default_tips(opened, DifferenceKind.BREAK)
    )
    left, right = tmp_path / "latex.md", tmp_path / "print.txt"
    _open_after_a_shared_paragraph(
        opened,
        qtbot,
        (left, "We introduce , a small model."),
        (right, "We introduce Mistral 7B, a small model."),
    )
    (tip,) = _default_tips(opened, DifferenceKind.WORDING)
    assert tip.endswith("(the right side's words fill a hole in the left side's text)")
    opened.view.set_current(opened.view.panel.model.difference(0).id)
    opened.commands["take_left"].trigger()
    assert _default_tips(opened, DifferenceKind.WORDING)[0] == "Take left: your decision"
    # A citation: the printed number, where the left side has the LaTeX source's key.
    _open_after_a_shared_paragraph(
        opened,
        qtbot,
        (left, "As human observers[li2019tablebank] do."),
        (right, "As human observers [7] do."),
    )
    (tip,) = _default_tips(opened, DifferenceKind.CITATION)
    assert tip == "Take right: the default, not yet reviewed (the right side's reference as printed)"
