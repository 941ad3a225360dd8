"""The desktop entry: written where the desktop looks, valid, removable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args], capture_output=True, text=True, check=False, env=os.environ
    )


def test_install_validate_uninstall() -> None:
    data = Path(os.environ["XDG_DATA_HOME"])
    result = run("--install-desktop")
    assert result.returncode == 0, result.stderr
    entry = data / "applications" / "variorum.desktop"
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / "variorum.svg"
    text = entry.read_text()
    assert " %F" in text
    for mime in ("text/plain", "text/markdown", "text/x-rst", "text/html", "application/pdf"):
        assert mime in text
    assert icon.read_text().lstrip().startswith("<?xml")
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (Debian package desktop-file-utils)")
    check = subprocess.run([validator, str(entry)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert run("--uninstall-desktop").returncode == 0
    assert not entry.exists()
    assert not icon.exists()
