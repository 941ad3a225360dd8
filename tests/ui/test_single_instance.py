"""Two files picked one after the other ("Open with" on each) end up in one window."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, ROOT, TIMEOUT, WEB
from viewer.core import Side
from viewer.ui import single_instance
from viewer.ui.app import open_paths
from viewer.ui.main_window import MainWindow
from viewer.ui.open_dialog import OpenPairDialog
from viewer.ui.single_instance import deliver, socket_path, wait_for_second_file


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


def deliver_from_another_process(path: Path) -> subprocess.Popen[str]:
    """What a second `variorum FILE` does first, in a process of its own; prints True or False."""
    code = f"from viewer.ui.single_instance import deliver; print(deliver([{str(path)!r}]))"
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def answer(qtbot: QtBot, process: subprocess.Popen[str]) -> str:
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=TIMEOUT)  # the window keeps serving
    out, err = process.communicate()
    assert process.returncode == 0, err
    return out.strip()


def test_the_socket_is_per_user_runtime_folder() -> None:
    assert socket_path() == os.path.join(os.environ["XDG_RUNTIME_DIR"], "variorum-second-file")


# Offscreen windows have no stacking order to raise them in.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|propagateSizeHints)")
def test_a_waiting_window_takes_the_second_file(window: MainWindow, qtbot: QtBot) -> None:
    open_paths(window, [str(WEB)])
    server = wait_for_second_file(window)
    assert server.listening
    assert window.findChild(OpenPairDialog).isVisible()
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        assert answer(qtbot, deliver_from_another_process(PDF)) == "True"
    assert (window.path(Side.LEFT), window.path(Side.RIGHT)) == (str(WEB), str(PDF.absolute()))
    assert not window.findChild(OpenPairDialog).isVisible()
    assert not server.listening  # with its comparison, the window no longer waits


def test_a_window_with_a_comparison_declines(opened: MainWindow, qtbot: QtBot) -> None:
    server = single_instance.SecondFileServer(lambda: single_instance.is_waiting(opened), opened)
    assert server.listen()
    assert answer(qtbot, deliver_from_another_process(PDF)) == "False"
    assert opened.path(Side.RIGHT) == str(PDF)
    server.close()


def test_without_a_waiting_window_the_caller_gives_up_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    assert not deliver([str(WEB)])
    # A socket file left by a window that was killed answers nobody either.
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(socket_path())
    stale.close()
    assert not deliver([str(WEB)])
    assert time.monotonic() - started < 1.0


def test_a_stale_socket_file_does_not_stop_a_new_window(window: MainWindow) -> None:
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(socket_path())
    stale.close()
    open_paths(window, [str(WEB)])
    assert wait_for_second_file(window).listening


def test_a_second_waiting_window_leaves_the_socket_to_the_first(
    window: MainWindow, qtbot: QtBot, settings: QSettings
) -> None:
    open_paths(window, [str(WEB)])
    first = wait_for_second_file(window)
    other = MainWindow(settings)
    qtbot.addWidget(other)
    open_paths(other, [str(PDF)])
    assert first.listening
    assert not wait_for_second_file(other).listening


@pytest.mark.slow
def test_variorum_file_then_variorum_file_compares_them_in_one_window(tmp_path: Path) -> None:
    """The real commands, as a file manager runs them for "Open with" on one file, then another."""
    first = subprocess.Popen(
        [sys.executable, "-m", "viewer", str(WEB)], env=env(), cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(socket_path()) and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # polling another process: there is no signal to wait on
        assert os.path.exists(socket_path()), "the first window never listened"
        second = subprocess.run(
            [sys.executable, "-m", "viewer", str(PDF)], env=env(), cwd=tmp_path, timeout=20, check=False
        )
        assert second.returncode == 0
        # The first window compares the pair and, like every comparison, remembers it.
        config = Path(os.environ["XDG_CONFIG_HOME"]) / "Variorum" / "Variorum.conf"
        while first.poll() is None and time.monotonic() < deadline:
            if config.exists() and "pdf.txt" in config.read_text(encoding="utf-8"):
                break
            time.sleep(0.05)
        recent = QSettings(str(config), QSettings.Format.IniFormat).value("recent/comparisons")
        assert str(WEB) in str(recent)
        assert str(PDF) in str(recent)
        assert first.poll() is None
    finally:
        first.kill()
        first.wait()
        assert first.stderr is not None
        first.stderr.close()
