"""File ▸ Export Report in the window: the shown differences with the decisions as they stand."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.test_html_report import _parsed
from tests.ui.helpers import WEB
from viewer.core import Choice, DifferenceKind
from viewer.ui.main_window import MainWindow


def test_the_report_lists_the_shown_differences_with_their_decisions(
    opened: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    comparison = opened.comparison
    assert comparison is not None
    first = comparison.differences[0]
    opened.view.set_current(first.id)
    opened.decide(Choice.RIGHT)
    breaks = opened.view.panel.filter_bar.button(DifferenceKind.BREAK)
    assert breaks is not None
    breaks.click()
    assert DifferenceKind.BREAK in opened.view.hidden_kinds

    out = tmp_path / "report.html"
    assert opened.commands["export_report"].isEnabled()
    assert opened.exports.report_to(str(out))
    rows = _parsed(out.read_text(encoding="utf-8")).rows
    assert [row[0] for row in rows] == [
        d.id for d in comparison.differences if d.kind is not DifferenceKind.BREAK
    ]
    assert rows[0][-1] == "right (yours)"
    assert all("(yours)" not in row[-1] for row in rows[1:])
    assert f"Report written to {out}" in opened.statusBar().currentMessage()


def test_a_report_never_replaces_a_source(opened: MainWindow, tmp_path: Path) -> None:
    before = WEB.read_bytes()
    assert not opened.exports.report_to(str(WEB))
    box = opened.findChild(QMessageBox, "export_error")
    assert box is not None
    assert "refusing to overwrite a source" in box.text()
    box.close()
    assert WEB.read_bytes() == before
