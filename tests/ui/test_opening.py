"""Opening comparisons: command line, dialog, recent list, unreadable files, the worker."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, TIMEOUT, WEB
from viewer.core import Cancelled, Side, variant_from_text
from viewer.ui import worker
from viewer.ui.app import open_paths
from viewer.ui.main_window import MainWindow
from viewer.ui.open_dialog import OpenPairDialog
from viewer.ui.worker import ComparisonRequest, ComparisonRunner


def test_empty_window_shows_the_welcome_page(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.welcome
    assert window.comparison is None
    assert not window.commands["export"].isEnabled()
    assert window.welcome.recent_empty.isVisibleTo(window.welcome)


def test_command_line_paths_open_the_comparison(opened: MainWindow) -> None:
    c = opened.comparison
    assert c is not None
    assert c.summary == {"title": 1, "byline": 1, "date": 1, "caption": 1, "break": 2, "link": 1, "footer": 1}
    assert opened.stack.currentWidget() is opened.view
    assert opened.view.left_view.toPlainText() == c.left.text
    assert opened.view.right_view.toPlainText() == c.right.text
    assert opened.status.position.text() == "Difference 1 of 8"
    assert "left: UTF-8, LF" in opened.status.files.text()
    assert "break 2" in opened.status.counts.text()
    assert opened.view.headers[Side.LEFT].title.text() == "lavrov-web.md"
    assert "lavrov-web.md" in opened.windowTitle()


def test_one_path_on_the_command_line_asks_for_the_other(window: MainWindow) -> None:
    open_paths(window, [str(WEB)])
    dialog = window.findChild(OpenPairDialog)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.paths() == (str(WEB), "")
    assert window.pending == {Side.LEFT: str(WEB)}
    dialog.reject()


def test_the_open_dialog_compares_the_two_chosen_files(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.open_dialog()
    dialog.edits[Side.LEFT].setText(str(PDF))
    dialog.edits[Side.RIGHT].setText(str(WEB))
    dialog.swap()
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        dialog.accept()
    assert window.path(Side.LEFT) == str(WEB)
    assert window.path(Side.RIGHT) == str(PDF)


def test_an_unreadable_file_shows_the_engine_message_and_keeps_the_comparison(
    opened: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    before = opened.comparison
    missing = tmp_path / "gone.md"
    with qtbot.waitSignal(opened.comparison_failed, timeout=TIMEOUT) as failed:
        opened.open_pair(str(missing), str(PDF))
    assert "no such file" in failed.args[0]
    box = opened.findChild(QMessageBox, "error_dialog")
    assert box is not None
    assert box.isVisible()
    assert "gone.md: no such file" in box.text()
    assert opened.comparison is before
    assert opened.stack.currentWidget() is opened.view


def test_recent_comparisons_are_remembered(opened: MainWindow, qtbot: QtBot, settings: QSettings) -> None:
    second = MainWindow(settings)
    qtbot.addWidget(second)
    assert second.recent.pairs()[0] == (str(WEB.absolute()), str(PDF.absolute()))
    assert second.welcome.recent.count() == 1
    assert "lavrov-web.md" in second.welcome.recent.item(0).text()


def test_a_recent_comparison_reopens(window: MainWindow, qtbot: QtBot) -> None:
    window.recent.add(str(WEB), str(PDF))
    window._refresh_recent()
    item = window.welcome.recent.item(0)
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.welcome.recent.itemActivated.emit(item)
    assert window.path(Side.RIGHT) == str(PDF.absolute())


def test_a_result_for_a_replaced_request_is_dropped(qtbot: QtBot) -> None:
    runner = ComparisonRunner()
    first = ComparisonRequest(variant_from_text("one two three", "a"), variant_from_text("one two four", "b"))
    second = ComparisonRequest(variant_from_text("alpha beta", "c"), variant_from_text("alpha gamma", "d"))
    results = []
    runner.finished.connect(results.append)
    runner.start(first)
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        runner.start(second)
    qtbot.waitUntil(lambda: not runner._jobs, timeout=TIMEOUT)
    runner.shutdown()
    assert [r.comparison.left.name for r in results] == ["c"]


def test_cancel_stops_a_running_comparison(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()

    def slow_compare(left, right, options=None, *, cancelled, progress=None):  # type: ignore[no-untyped-def]
        progress(0.1)
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    monkeypatch.setattr(worker, "compare", slow_compare)
    runner = ComparisonRunner()
    with qtbot.waitSignal(runner.progressed, timeout=TIMEOUT):
        runner.start(ComparisonRequest(variant_from_text("a", "a"), variant_from_text("b", "b")))
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    assert runner.busy
    with qtbot.waitSignal(runner.cancelled, timeout=TIMEOUT):
        runner.cancel()
    assert not runner.busy
    runner.shutdown()


def test_the_window_shows_progress_while_comparing(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(WEB), str(PDF))
        assert window.progress.isVisible()
        assert "lavrov-web.md and lavrov-pdf.txt" in window.progress.label.text()
    assert not window.progress.isVisible()


def test_synchronous_runner_for_scripts(qtbot: QtBot, settings: QSettings) -> None:
    win = MainWindow(settings, synchronous=True)
    qtbot.addWidget(win)
    win.open_pair(str(WEB), str(PDF))
    assert win.comparison is not None
    assert win.session is not None


def compare_until_cancelled(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make the window's comparisons run until cancelled; the event is set once one runs."""
    started = threading.Event()

    def slow_compare(left, right, options=None, *, cancelled, progress=None):  # type: ignore[no-untyped-def]
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    monkeypatch.setattr(worker, "compare", slow_compare)
    return started


def test_cancel_in_the_window_keeps_the_comparison_shown(
    opened: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = compare_until_cancelled(monkeypatch)
    before = opened.comparison
    opened.open_pair(str(PDF), str(WEB))
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    assert opened.progress.isVisible()
    assert opened.commands["cancel"].isEnabled()
    opened.progress.cancel_button.click()
    assert not opened.progress.isVisible()
    assert "cancelled" in opened.statusBar().currentMessage()
    assert opened.comparison is before
    qtbot.waitUntil(lambda: not opened.runner._jobs, timeout=TIMEOUT)


def test_starting_and_cancelling_a_comparison_moves_no_pane(
    opened: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Progress and the cancel notice live in the status bar: moving the panes would lay out
    and repaint the whole window while a long comparison keeps the interpreter busy."""
    started = compare_until_cancelled(monkeypatch)
    panes = opened.view.left_view

    def placement() -> tuple[object, ...]:
        return panes.mapTo(opened, panes.rect().topLeft()), panes.size(), opened.statusBar().height()

    where = placement()
    opened.open_pair(str(PDF), str(WEB))
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    qtbot.waitUntil(opened.progress.isVisible, timeout=TIMEOUT)
    QApplication.processEvents()
    assert placement() == where
    opened.progress.cancel_button.click()
    QApplication.processEvents()
    assert "cancelled" in opened.statusBar().currentMessage()
    assert placement() == where
    qtbot.waitUntil(lambda: not opened.runner._jobs, timeout=TIMEOUT)
