"""Drag-and-drop as a file manager does it: text/uri-list drags delivered as real drop events."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, TIMEOUT, WEB, drop, file_mime
from viewer.core import Side
from viewer.ui.main_window import MainWindow


def test_two_files_dropped_on_the_window_are_compared(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        assert drop(window, file_mime([WEB, PDF]))
    assert window.path(Side.LEFT) == str(WEB)
    assert window.path(Side.RIGHT) == str(PDF)


def test_a_raw_uri_list_from_a_file_manager_works(window: MainWindow, qtbot: QtBot) -> None:
    mime = QMimeData()
    uris = f"{QUrl.fromLocalFile(str(WEB)).toString()}\r\n{QUrl.fromLocalFile(str(PDF)).toString()}\r\n"
    mime.setData("text/uri-list", uris.encode())
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        assert drop(window, mime)
    assert window.comparison is not None


def test_a_file_dropped_on_a_pane_replaces_that_side(
    opened: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text(PDF.read_text().replace("Tuesday", "Wednesday"), encoding="utf-8")
    with qtbot.waitSignal(opened.comparison_ready, timeout=TIMEOUT):
        assert drop(opened.view.right_view.viewport(), file_mime([other]))
    assert opened.path(Side.RIGHT) == str(other)
    assert opened.path(Side.LEFT) == str(WEB)
    assert "Wednesday" in opened.view.right_view.toPlainText()
    assert opened.comparison is not None
    assert opened.comparison.summary.get("wording")


def test_two_files_dropped_on_a_pane_are_compared(opened: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(opened.comparison_ready, timeout=TIMEOUT):
        assert drop(opened.view.left_view.viewport(), file_mime([PDF, WEB]))
    assert opened.path(Side.LEFT) == str(PDF)


def test_one_file_on_the_empty_window_waits_for_the_second(window: MainWindow, qtbot: QtBot) -> None:
    assert drop(window, file_mime([WEB]))
    assert window.comparison is None
    assert "lavrov-web.md" in window.welcome.drop_zone.text()
    assert "other" in window.banner.text
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        drop(window, file_mime([PDF]))
    assert window.path(Side.RIGHT) == str(PDF)


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: [tmp], "drop two folders to compare their files"),
        (lambda tmp: [tmp, PDF], "A folder and a file was dropped"),
        (lambda tmp: [QUrl("https://example.org/article.md"), PDF], "not a file on this computer"),
        (lambda tmp: [_binary(tmp), PDF], "binary file"),
        (lambda tmp: [WEB, PDF, WEB], "3 items were dropped"),
    ],
    ids=["folder", "folder-and-file", "remote-url", "binary", "three-files"],
)
def test_a_bad_drop_says_why_in_the_window(opened: MainWindow, tmp_path: Path, make, expected: str) -> None:  # type: ignore[no-untyped-def]
    before = opened.comparison
    drop(opened, file_mime(make(tmp_path)))
    assert opened.banner.isVisible()
    assert expected in opened.banner.text
    assert opened.banner.level == "error"
    assert not opened.runner.busy
    assert opened.comparison is before


def test_a_drag_without_files_is_refused(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("just some words")
    assert not drop(window, mime)


def test_files_dropped_on_the_canonical_pane_go_to_the_window(opened: MainWindow, qtbot: QtBot) -> None:
    before = opened.view.canonical.plain_text()
    with qtbot.waitSignal(opened.comparison_ready, timeout=TIMEOUT):
        drop(opened, file_mime([PDF, WEB]))
    assert opened.path(Side.LEFT) == str(PDF)
    assert opened.view.canonical.plain_text() != ""
    assert before != ""
