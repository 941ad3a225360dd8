"""Shared by the window tests: the sample paths, a wait limit, real drag-and-drop delivery, typing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from viewer.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "samples" / "lavrov-web.md"
PDF = ROOT / "samples" / "lavrov-pdf.txt"
#: Milliseconds to wait for a signal: generous, since CI machines can be slow.
TIMEOUT = 10_000


def file_mime(paths: Iterable[str | Path | QUrl]) -> QMimeData:
    """What a file manager puts on a drag: a text/uri-list of file URLs."""
    mime = QMimeData()
    mime.setUrls([p if isinstance(p, QUrl) else QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drop(widget: QWidget, mime: QMimeData, at: QPoint | None = None) -> bool:
    """Deliver drag-enter, drag-move and drop to a widget; True if the drop was accepted."""
    pos = QPointF(at or widget.rect().center())
    action = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    try:
        enter = QDragEnterEvent(pos, action, mime, buttons, modifiers)
        move = QDragMoveEvent(pos, action, mime, buttons, modifiers)
    except TypeError:  # before Qt 6.12 these take an integer point only
        enter = QDragEnterEvent(pos.toPoint(), action, mime, buttons, modifiers)
        move = QDragMoveEvent(pos.toPoint(), action, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(widget, move)
    event = QDropEvent(pos, action, mime, buttons, modifiers)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def type_at_end(window: MainWindow, qtbot: QtBot, text: str) -> None:
    """Type `text` at the end of the canonical pane, as a user would."""
    editor = window.view.canonical
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.setFocus()
    qtbot.keyClicks(editor, text)
