"""Fixtures for driving the real window: isolated settings, the samples opened the command line's way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, TIMEOUT, WEB
from viewer.ui.app import application, binding_problem, open_paths
from viewer.ui.main_window import MainWindow

UI_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the window tests: ignore an offscreen-platform warning; skip on a broken Qt binding.

    The offscreen platform warns that it cannot pass size hints on, which says nothing about
    the window. A binding that drops references would abort the whole test run part-way.
    """
    problem = binding_problem()
    for item in items:
        if UI_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
            if problem and "qtbot" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.skip(reason=problem))


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "variorum.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings) -> Iterator[MainWindow]:
    """The real window, shown, with its own settings file; closed without questions afterwards."""
    application()
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.session is not None:
        win.session.mark_exported()
    for box in win.findChildren(QMessageBox):
        box.close()
    win.runner.shutdown()
    win.folders.close()


@pytest.fixture
def opened(window: MainWindow, qtbot: QtBot) -> MainWindow:
    """The window on the bundled samples, opened the way the command line opens them."""
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        open_paths(window, [str(WEB), str(PDF)])
    return window
