"""A private X server (Xvfb) and xdotool, to start the app as a user would and watch its window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def available() -> bool:
    """Whether Xvfb and xdotool are installed."""
    return bool(shutil.which("Xvfb") and shutil.which("xdotool"))


@contextmanager
def private_display() -> Iterator[str]:
    """Run an Xvfb server of our own for the block; its display name (":N")."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def xdotool(display: str, *args: str) -> str:
    """Run xdotool on the display; what it printed."""
    done = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return done.stdout.strip()


def start_viewer(
    display: str, paths: list[str], cwd: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """`python -m viewer PATHS` on the display (xcb), its output kept for reading."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    environment = {
        **os.environ,
        **(env or {}),
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": root,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "viewer", *paths],
        env=environment,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_window(display: str, app: subprocess.Popen[str], limit: float) -> str:
    """The id of the app's visible window once it shows ("" if it exits or `limit` s pass)."""
    started = time.monotonic()
    while time.monotonic() - started < limit and app.poll() is None:
        window = xdotool(display, "search", "--onlyvisible", "--name", "Variorum")
        if window:
            return window.splitlines()[0]
        time.sleep(0.02)  # polling another process: there is no signal to wait on
    return ""


def press_ctrl_q(display: str, window: str) -> None:
    xdotool(display, "windowfocus", "--sync", window)
    xdotool(display, "key", "ctrl+q")
