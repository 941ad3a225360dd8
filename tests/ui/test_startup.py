"""The window as a user starts it: under a real X server, shown, gone on Ctrl+Q.

How fast it shows is the benchmark's business (bench/run.py times it under Xvfb).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, ROOT, TIMEOUT, WEB
from viewer.ui.main_window import MainWindow
from viewer.ui.theme import apply_theme

needs_x = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
)


def _xdotool(display: str, *args: str) -> str:
    env = {**os.environ, "DISPLAY": display}
    done = subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, timeout=10, check=False
    )
    return done.stdout.strip()


@pytest.fixture
def x_display() -> str:
    """A private Xvfb server; its display name."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.slow
@needs_x
def test_the_command_shows_the_window_and_quits_on_ctrl_q(x_display: str, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    limit = 60  # seconds: a loaded machine may be slow; the start-up time itself is benchmarked
    app = subprocess.Popen(
        [sys.executable, "-m", "viewer", str(WEB), str(PDF)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        window = ""
        while not window and time.monotonic() - started < limit and app.poll() is None:
            window = _xdotool(x_display, "search", "--onlyvisible", "--name", "Variorum")
            time.sleep(0.05)  # polling another process: there is no signal to wait on
        assert window, f"no window; stderr: {app.stderr.read() if app.poll() is not None else ''}"
        window = window.splitlines()[0]
        _xdotool(x_display, "windowfocus", "--sync", window)
        _xdotool(x_display, "key", "ctrl+q")
        status = app.wait(timeout=10)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    stderr = app.stderr.read() if app.stderr else ""
    assert status == 0, stderr
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
