"""Sources changing on disk while open: reload keeps what still applies; deletion only warns."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, TIMEOUT, WEB, type_at_end
from viewer.core import Choice, DifferenceKind, Side
from viewer.ui.main_window import MainWindow

BYLINE = "By [AFP](#)\n\n"


@pytest.fixture
def copies(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> tuple[Path, Path]:
    """The samples copied to a folder of their own and opened in the window."""
    left, right = tmp_path / "web.md", tmp_path / "pdf.txt"
    shutil.copy(WEB, left)
    shutil.copy(PDF, right)
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(left), str(right))
    return left, right


def decide(window: MainWindow, difference_id: str, action: str = "take_left") -> None:
    window.view.set_current(difference_id)
    window.commands[action].trigger()


def replace_by_rename(path: Path, text: str) -> None:
    """Save the way many editors do: write a new file beside it, then rename it over."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def choice_of_kind(window: MainWindow, kind: DifferenceKind) -> Choice:
    assert window.session is not None
    d = next(d for d in window.session.comparison.differences if d.kind is kind)
    return window.session.decision(d.id).choice


def test_a_change_on_disk_offers_a_reload_that_keeps_the_decisions_that_still_apply(
    window: MainWindow, qtbot: QtBot, copies: tuple[Path, Path]
) -> None:
    left, _right = copies
    banner = window.watch.banner
    for difference_id in ("d2", "d3", "d4"):  # byline, date, caption: all taken from the left
        decide(window, difference_id)
    replace_by_rename(left, left.read_text(encoding="utf-8").replace(BYLINE, ""))
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT)
    assert "web.md has changed on disk" in banner.text
    assert window.session is not None
    assert "April 09, 2024" in window.session.text  # nothing changes before the reload
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        banner.buttons["reload"].click()
    assert not banner.isVisible()
    assert window.comparison is not None
    assert not window.comparison.of_kind(DifferenceKind.BYLINE)
    assert window.session.is_user_decided("d2")  # the date, now second, matched by its content
    assert choice_of_kind(window, DifferenceKind.DATE) is Choice.LEFT
    assert choice_of_kind(window, DifferenceKind.CAPTION) is Choice.LEFT
    assert "2 decisions kept" in window.banner.text
    assert "Dropped 1 decision whose difference is gone" in window.banner.text
    assert "byline “By [AFP](#)”" in window.banner.text
    assert window.banner.level == "warning"


def test_hand_edits_away_from_the_change_survive_the_reload(
    window: MainWindow, qtbot: QtBot, copies: tuple[Path, Path]
) -> None:
    left, _right = copies
    type_at_end(window, qtbot, " Fin.")
    left.write_text(left.read_text(encoding="utf-8").replace("Tuesday afternoon", "Tuesday noon"))
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.commands["reload"].trigger()  # F5 does the same as the banner's button
    assert window.session is not None
    assert window.session.text.endswith(" Fin.")
    assert "Reloaded: 0 decisions kept." in window.banner.text


def test_every_later_save_by_rename_is_noticed_too(
    window: MainWindow, qtbot: QtBot, copies: tuple[Path, Path]
) -> None:
    _left, right = copies
    banner = window.watch.banner
    original = right.read_text(encoding="utf-8")
    replace_by_rename(right, original + "\nOne more line.\n")
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT)
    banner.dismiss()
    replace_by_rename(right, original + "\nTwo more lines.\n")
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT)
    assert "pdf.txt has changed on disk" in banner.text


def test_a_save_without_changes_shows_nothing(window: MainWindow, copies: tuple[Path, Path]) -> None:
    left, _right = copies
    replace_by_rename(left, left.read_text(encoding="utf-8"))
    window.watch.check()
    assert not window.watch.banner.isVisible()
    assert window.watch.changed == []


def test_a_deleted_source_leaves_the_comparison_with_a_warning(
    window: MainWindow, qtbot: QtBot, copies: tuple[Path, Path], tmp_path: Path
) -> None:
    left, _right = copies
    before = window.comparison
    decide(window, "d3")
    left.unlink()
    banner = window.watch.banner
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT)
    assert "web.md was deleted or can no longer be read" in banner.text
    assert banner.level == "warning"
    assert "reload" not in banner.buttons
    assert window.comparison is before
    assert window.stack.currentWidget() is window.view
    assert window.exports.canonical_to(str(tmp_path / "merged.md"))
    assert "April 09, 2024" in (tmp_path / "merged.md").read_text(encoding="utf-8")


def test_a_failed_reload_keeps_the_comparison_and_its_decisions(
    window: MainWindow, qtbot: QtBot, copies: tuple[Path, Path]
) -> None:
    left, _right = copies
    decide(window, "d3")
    session = window.session
    left.unlink()
    with qtbot.waitSignal(window.comparison_failed, timeout=TIMEOUT):
        window.reload()
    assert window.session is session
    assert window.session is not None
    assert window.session.is_user_decided("d3")
    assert window.watch.carry is None


def test_a_source_replaced_by_something_unreadable_warns(
    window: MainWindow, qtbot: QtBot, copies: tuple[Path, Path]
) -> None:
    _left, right = copies
    right.unlink()
    right.mkdir()  # the name now stands for a folder: no text to read
    qtbot.waitUntil(window.watch.banner.isVisible, timeout=TIMEOUT)
    assert "pdf.txt was deleted or can no longer be read" in window.watch.banner.text
    assert window.path(Side.RIGHT) == str(right)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_a_source_that_loses_its_read_permission_warns(
    window: MainWindow, qtbot: QtBot, copies: tuple[Path, Path]
) -> None:
    left, _right = copies
    left.chmod(0)
    try:
        qtbot.waitUntil(window.watch.banner.isVisible, timeout=TIMEOUT)
        assert "can no longer be read" in window.watch.banner.text
    finally:
        left.chmod(0o644)


def test_closing_the_comparison_stops_watching(window: MainWindow, copies: tuple[Path, Path]) -> None:
    assert len(window.watch.watcher.files()) == 2
    window.close_comparison()
    assert window.watch.watcher.files() == []
    assert window.watch.watcher.directories() == []
