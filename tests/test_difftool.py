"""`git difftool` drives the headless comparison, as the README documents."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PDF_SAMPLE, WEB_SAMPLE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def test_git_difftool_runs_variorum_diff(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert git(repo, "init", "-q").returncode == 0
    article = repo / "article.md"
    article.write_bytes(WEB_SAMPLE.read_bytes())
    git(repo, "add", "article.md")
    assert git(repo, "commit", "-q", "-m", "web version").returncode == 0
    article.write_bytes(PDF_SAMPLE.read_bytes())
    tool = f"{sys.executable} -m viewer diff"
    result = git(repo, "difftool", "-y", "-x", tool)
    assert "8 differences" in result.stdout, result.stderr
    assert "caption" in result.stdout
    assert "byline" in result.stdout
    # The configured tool form from the README works the same way.
    git(repo, "config", "difftool.variorum.cmd", f'{tool} "$LOCAL" "$REMOTE"')
    configured = git(repo, "difftool", "-y", "--tool=variorum")
    # Same report, but for the temporary file git names the old version with.
    assert configured.stdout.splitlines()[1:] == result.stdout.splitlines()[1:]
