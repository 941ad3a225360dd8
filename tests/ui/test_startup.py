"""The window as a user starts it: under a real X server, shown, gone on Ctrl+Q.

How fast it shows is the benchmark's business (bench/run.py times it under Xvfb).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from bench import xserver
from tests.ui.helpers import PDF, TIMEOUT, WEB
from viewer.ui.main_window import MainWindow
from viewer.ui.theme import apply_theme

needs_x = pytest.mark.skipif(not xserver.available(), reason="needs Xvfb and xdotool")


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private Xvfb server; its display name."""
    with xserver.private_display() as display:
        yield display


@pytest.mark.slow
@needs_x
def test_the_command_shows_the_window_and_quits_on_ctrl_q(x_display: str, tmp_path: Path) -> None:
    app = xserver.start_viewer(x_display, [str(WEB), str(PDF)], str(tmp_path))
    try:
        # A loaded machine may be slow: the start-up time itself is benchmarked (bench/run.py).
        window = xserver.wait_for_window(x_display, app, 60)
        if window:
            xserver.press_ctrl_q(x_display, window)
        else:
            app.kill()
        _output, stderr = app.communicate(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert window, f"no window; stderr: {stderr}"
    assert app.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_every_menu_command_with_a_shortcut_shows_it(window: MainWindow) -> None:
    rows = window.commands.shortcut_rows()
    keys = {command: shortcut for _menu, command, shortcut in rows}
    assert keys["Next Difference"] == "Alt+Down"
    assert keys["Previous Difference"] == "Alt+Up"
    assert keys["Export Canonical…"] == "Ctrl+S"
    assert keys["Copy Canonical Text"] == "Ctrl+Shift+C"
    assert "Ctrl+Shift+Z" in keys["Redo"]
    assert "(Alt+Left)" in window.commands["take_left"].toolTip()


def test_help_shows_the_shortcuts_and_about(window: MainWindow) -> None:
    window.commands["shortcuts"].trigger()
    dialog = next(d for d in window.findChildren(QDialog) if d.objectName() == "shortcuts_dialog")
    assert dialog.isVisible()
    assert dialog.table.rowCount() >= 15
    dialog.reject()
    window.commands["about"].trigger()
    about = next(d for d in window.findChildren(QDialog) if d.objectName() == "about_dialog")
    assert "Variorum" in about.text()
    about.close()


def test_the_sample_comparison_opens_from_the_welcome_page(window: MainWindow, qtbot: QtBot) -> None:
    assert window.commands["open_samples"].isVisible()
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.commands["open_samples"].trigger()
    assert window.path(window.view.left_view.side) == str(WEB)


def test_the_dark_theme_recolours_the_window(opened: MainWindow, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        opened.set_theme("dark")
        view = opened.view.left_view
        qtbot.waitUntil(lambda: view.palette().color(view.palette().ColorRole.Base).lightness() < 128)
        assert opened.settings.value("view/theme") == "dark"
        assert opened.view.left_view.extraSelections()
    finally:
        apply_theme(app, "light")
        app.setPalette(before)
