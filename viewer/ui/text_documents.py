"""Text documents for long texts, filled off the GUI thread and then shown by a pane.

Filling a QTextDocument with megabytes of text takes about a tenth of a second per megabyte;
in the GUI thread that freezes the window. Qt documents QTextDocument, QTextCursor and the
related classes as reentrant ("Rich Text in Threads"), so a document without a parent is
filled in a worker thread, moved to the GUI thread, and only given its plain-text layout
there, when a pane takes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QThread, QTimer
from PySide6.QtGui import QFont, QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

from viewer.core import Cancelled
from viewer.core.cancel import check

#: Texts at least this long (characters) are filled off the GUI thread; shorter ones at once.
PREBUILT_CHARS = 100_000
#: Characters inserted per call: Qt keeps the interpreter lock while it inserts, and the GUI
#: thread waits for it (32,000 characters take about 5 ms).
_SLICE = 32_000
#: Documents with more lines than this get their lines' layout objects made here too: the
#: pane would otherwise make one per line when it takes the document (40 ms per 100,000).
_PREPARED_BLOCKS = 20_000
#: Marks the documents made here, which their pane owns and deletes when it shows another.
_OWNED = "variorum_built"


@dataclass(frozen=True, slots=True)
class DocumentStyle:
    """What a pane's document needs before its text goes in: font, wrapping and margin."""

    font: QFont
    option: QTextOption
    margin: float

    @classmethod
    def of(cls, editor: QPlainTextEdit) -> DocumentStyle:
        doc = editor.document()
        return cls(QFont(doc.defaultFont()), QTextOption(doc.defaultTextOption()), doc.documentMargin())


def build_document(
    text: str, style: DocumentStyle, cancelled: Callable[[], bool] = lambda: False
) -> QTextDocument:
    """A document holding `text` (any thread), ready to be moved to the GUI thread and shown."""
    doc = new_document(style)
    fill_document(doc, text, cancelled)
    return doc


def new_document(style: DocumentStyle) -> QTextDocument:
    """An empty document in a pane's style, for fill_document (any thread)."""
    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    doc.setDefaultFont(style.font)
    doc.setDefaultTextOption(style.option)
    doc.setDocumentMargin(style.margin)
    doc.setProperty(_OWNED, True)
    return doc


def fill_document(doc: QTextDocument, text: str, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Put `text` into a new document and move it to the GUI thread (raises Cancelled)."""
    cursor = QTextCursor(doc)
    try:
        for start in range(0, len(text), _SLICE):
            check(cancelled)
            # Inserted text is never interpreted: markup such as <b> stays literal.
            cursor.insertText(text[start : start + _SLICE])
    finally:
        # Raised, this frame lives on in the traceback: a cursor that outlived its document
        # (which the GUI thread may delete meanwhile) would crash when it goes.
        del cursor
    if doc.blockCount() > _PREPARED_BLOCKS:
        # Two calls a line, counted here: asking each block its number and validity too made
        # this loop a third slower (119,083 lines: 430 ms against 333).
        block = doc.firstBlock()
        for number in range(doc.blockCount()):
            if not number % 10_000 and cancelled():
                raise Cancelled()
            block.layout()
            block = block.next()
    to_gui_thread(doc)


def to_gui_thread(doc: QTextDocument) -> None:
    """Give a document made in this thread to the GUI thread (nothing when it is there already)."""
    app = QCoreApplication.instance()
    if app is not None and doc.thread() is QThread.currentThread() and doc.thread() is not app.thread():
        doc.moveToThread(app.thread())


def install_document(editor: QPlainTextEdit, doc: QTextDocument) -> None:
    """Show a built document in a pane (GUI thread); the pane owns it from now on."""
    old = editor.document()
    if doc.defaultFont() != old.defaultFont():
        doc.setDefaultFont(old.defaultFont())  # the pane's font changed while the text was built
    doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
    doc.setParent(editor)
    # The pane deletes its own first document when it gets another; ours are deleted here.
    owned = bool(old.property(_OWNED))
    editor.setDocument(doc)
    if owned:
        retire([old])


def retire(docs: Iterable[QTextDocument]) -> None:
    """Delete documents of ours that no pane shows, one per event-loop turn (GUI thread)."""
    _retired.extend(doc for doc in docs if shiboken6.isValid(doc))
    if _retired and not _held:
        _retire_timer().start()


def hold_deletions(held: bool) -> None:
    """While a comparison is put on screen turn by turn, keep retired documents for afterwards:
    a deletion's turn is also one of those turns (both wait on zero-interval timers)."""
    global _held
    _held = held
    if _retired and not held:
        _retire_timer().start()


# Deleting a long document takes 10-50 ms: the panes' old ones, and those of comparisons
# cancelled or overtaken, go one per event-loop turn, not all in the same turn as everything
# else a new comparison brings (nor in a worker thread, holding the interpreter lock).
_retired: list[QTextDocument] = []
_timer: QTimer | None = None
_held = False


def _retire_timer() -> QTimer:
    global _timer
    if _timer is None:
        _timer = QTimer(QCoreApplication.instance())
        _timer.setInterval(0)
        _timer.timeout.connect(_delete_one)
    return _timer


def _delete_one() -> None:
    if _held:
        if _timer is not None:
            _timer.stop()
        return
    if _retired:
        doc = _retired.pop(0)
        if shiboken6.isValid(doc):  # its pane may have gone first, and taken it along
            shiboken6.delete(doc)
    if not _retired and _timer is not None:
        _timer.stop()


def empty_document(editor: QPlainTextEdit) -> QTextDocument:
    """An empty document in the pane's style, to show at once while a long text is prepared."""
    return build_document("", DocumentStyle.of(editor))
