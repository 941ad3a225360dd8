"""The editable canonical pane: the merged text, live, with where each stretch came from."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from viewer.core import Side
from viewer.look import SIDE_HUES
from viewer.ui.background import BackgroundWork
from viewer.ui.canonical_edits import changed_region, common_prefix_length, common_suffix_length
from viewer.ui.decision_menu import pane_menu
from viewer.ui.find_marks import FindMarks
from viewer.ui.margin import PaneMargin, begin_margin_paint
from viewer.ui.merge_session import CHOICE_LABELS, CanonicalSegment, MergeSession
from viewer.ui.palette import KIND_STYLES, is_dark, text_format
from viewer.ui.text_documents import (
    PREBUILT_CHARS,
    DocumentStyle,
    build_document,
    empty_document,
    install_document,
)
from viewer.ui.text_offsets import Utf16Index

MARGIN_WIDTH = 16
_EDITED_HUE = "#CC79A7"
_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


_PLACEHOLDER = "The merged text appears here once two variants are compared."
_MERGING = "Merging the variants…"


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _document_length16(doc: QTextDocument) -> int:
    """The length of a document's text in UTF-16 units, without the final block separator."""
    return doc.characterCount() - 1


class CanonicalEditor(QPlainTextEdit):
    """Shows the session's text; typing becomes undoable hand edits in the session."""

    #: True while the shown text is being brought up to date (a merge or a long replacement).
    updating_changed = Signal(bool)
    #: A right-click on a stretch that a difference decided: its id.
    difference_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canonical_editor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # One undo history for decisions and edits: the session's, not the document's.
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        # A scroll bar that comes and goes changes the width, and every line is laid out again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setPlaceholderText(_PLACEHOLDER)
        self._session: MergeSession | None = None
        self._shadow = ""
        self._index = Utf16Index("")
        self._syncing = False
        self._recording = False
        self._updating = False
        self._shown_key: tuple[object, ...] = ()
        self._builder = BackgroundWork(self)
        self._margin = PaneMargin(self, MARGIN_WIDTH, self.paint_margin)
        self.setViewportMargins(MARGIN_WIDTH, 0, 0, 0)
        self.document().contentsChange.connect(self._on_contents_change)
        self.updateRequest.connect(self._on_update_request)
        self.find_marks = FindMarks(self)
        self._decision_actions: list[QAction] = []

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self.find_marks.paint(event.rect())

    @property
    def session(self) -> MergeSession | None:
        return self._session

    @property
    def updating(self) -> bool:
        """The shown text lags behind the session's (it follows when the background work ends)."""
        return self._updating

    def set_session(
        self, session: MergeSession | None, document: QTextDocument | None = None, built_for: str = ""
    ) -> None:
        """Show a session's text; `document` was filled with `built_for` beforehand (used if current)."""
        if self._session is not None:
            self._session.changed.disconnect(self.sync_from_session)
            self._session.updating_changed.disconnect(self._update_state)
        self._session = session
        self._builder.drop()
        text = session.shown_text if session else ""
        if self.document().characterCount() > PREBUILT_CHARS and (document is None or text != built_for):
            # Clearing a long document costs as much as filling it: start from an empty one.
            self._show_document(empty_document(self), "")
        if document is not None and text == built_for:
            self._show_document(document, text)
        elif len(text) >= PREBUILT_CHARS:
            self._show_document(empty_document(self), "")
            self._replace_later(text)
        else:
            self._syncing = True
            try:
                self.setPlainText(text)
            finally:
                self._syncing = False
            self._shadow = text
            self._index = Utf16Index(text)
        if session is not None:
            session.changed.connect(self.sync_from_session)
            session.updating_changed.connect(self._update_state)
        self._update_state()
        self.refresh_highlights(force=True)

    def plain_text(self) -> str:
        """The document's text exactly (toPlainText would turn no-break spaces into spaces)."""
        return self.document().toRawText().replace("\u2029", "\n")

    def shows(self, text: str) -> bool:
        """Whether the pane shows exactly this text now, with nothing pending."""
        return not self._builder.busy and self._shadow == text

    def sync_from_session(self) -> None:
        """Bring the pane to the session's text, replacing only what changed (scroll stays)."""
        if self._session is None:
            return
        self._builder.drop()  # what the pane shows now is what the change is measured against
        new = self._session.text
        if self._recording:
            # The change is the user's typing, already in the document: take the session's text.
            self._shadow = new
            self._index = Utf16Index(new)
        elif new == self._shadow:
            self._shadow = new
        else:
            start, old_end, new_end = changed_region(self._shadow, new)
            if max(old_end, new_end) - start >= PREBUILT_CHARS:
                # Inserting this much would freeze the window: fill a new document off-thread.
                self._replace_later(new)
            else:
                cursor = QTextCursor(self.document())
                cursor.setPosition(self._index.to_qt(start))
                cursor.setPosition(self._index.to_qt(old_end), QTextCursor.MoveMode.KeepAnchor)
                self._syncing = True
                try:
                    cursor.insertText(new[start:new_end])
                finally:
                    self._syncing = False
                self._shadow = new
                self._index = Utf16Index(new)
        self._update_state()
        self.refresh_highlights(force=True)

    def _replace_later(self, text: str) -> None:
        style = DocumentStyle.of(self)
        self._builder.request(lambda: build_document(text, style), lambda doc: self._swap_in(doc, text))

    def _swap_in(self, document: QTextDocument, text: str) -> None:
        """Show a document filled in the background, keeping the caret and the scroll position."""
        bar = self.verticalScrollBar()
        value, caret = bar.value(), self.textCursor().position()
        self._show_document(document, text)
        cursor = QTextCursor(document)
        cursor.setPosition(min(caret, document.characterCount() - 1))
        self.setTextCursor(cursor)
        bar.setValue(value)
        self._update_state()
        self.refresh_highlights(force=True)

    def _show_document(self, document: QTextDocument, text: str) -> None:
        self._syncing = True
        try:
            install_document(self, document)
        finally:
            self._syncing = False
        document.contentsChange.connect(self._on_contents_change)
        self._shadow = text
        self._index = Utf16Index(text)

    def _update_state(self) -> None:
        """Editable only when the pane shows the session's current text."""
        session = self._session
        updating = session is not None and (session.updating or self._builder.busy)
        self.setReadOnly(session is None or updating)
        # A long comparison's first merge comes after the panes: say so meanwhile.
        self.setPlaceholderText(_MERGING if updating else _PLACEHOLDER)
        if updating != self._updating:
            self._updating = updating
            self.updating_changed.emit(updating)

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        """The user typed: pass the edit on, without copying the whole text more than needed."""
        if self._syncing or self._session is None:
            return
        doc = self.document()
        end = min(position + added, doc.characterCount() - 1)
        cursor = QTextCursor(doc)
        cursor.setPosition(min(position, end))
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        inserted = cursor.selectedText().replace("\u2029", "\n")
        shadow = self._shadow
        start = self._index.from_qt(position)
        old_end = min(len(shadow), self._index.from_qt(position + removed))
        removed_text = shadow[start:old_end]
        length16 = self._index.length16 + _utf16_length(inserted) - _utf16_length(removed_text)
        if length16 != _document_length16(doc):
            # Qt reported a range that does not add up (it can include the final separator).
            new = self.plain_text()
            start, old_end, new_end = changed_region(shadow, new)
            inserted = new[start:new_end]
        else:
            # Qt may report a whole block as changed: keep the edit to what really differs.
            trim = common_prefix_length(removed_text, inserted)
            tail = common_suffix_length(removed_text, inserted, min(len(removed_text), len(inserted)) - trim)
            start, old_end = start + trim, old_end - tail
            inserted = inserted[trim : len(inserted) - tail]
        if start == old_end and not inserted:
            return
        self._recording = True
        try:
            self._session.record_edit(start, old_end - start, inserted)
        finally:
            self._recording = False
        if self._shadow is shadow:
            # The session has not shown its text yet (a merge is pending): keep the pane's own.
            self._shadow = shadow[:start] + inserted + shadow[old_end:]
            self._index = Utf16Index(self._shadow)

    def scroll_to_range(self, start: int, end: int) -> None:
        """Show a stretch of the canonical text near the top third of the pane."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(self._index.to_qt(start), self.document().characterCount() - 1))
        bar = self.verticalScrollBar()
        block = cursor.block()
        bar.setValue(max(0, block.firstLineNumber() - 2))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def shown_length(self) -> int:
        """Length of the text shown (Python characters)."""
        return len(self._shadow)

    # -- provenance display -----------------------------------------------------------------

    def _visible_segments(self) -> list[CanonicalSegment]:
        if self._session is None or self._builder.busy:
            return []
        vp = self.viewport()
        first = self._index.from_qt(self.cursorForPosition(vp.rect().topLeft()).position())
        last = self._index.from_qt(self.cursorForPosition(vp.rect().bottomRight()).position())
        return self._session.segments_between(first, last)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        self._margin.follow(rect, dy)
        self.refresh_highlights()

    def refresh_highlights(self, force: bool = False) -> None:
        if self._syncing:
            return  # the document is half-replaced: positions would point past its end
        session = self._session
        segments = self._visible_segments()
        dark = is_dark(self.palette())
        key = (dark, tuple(segments))
        if key == self._shown_key and not force:
            return
        self._shown_key = key
        selections = []
        for seg in segments:
            if seg.difference_id is None and not seg.edited:
                continue
            sel = QTextEdit.ExtraSelection()
            if seg.edited:
                fmt = sel.format
                fmt.setUnderlineStyle(fmt.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(_EDITED_HUE)
                sel.format = fmt
            elif session is not None and seg.difference_id is not None:
                kind = session.comparison.by_id(seg.difference_id).kind
                sel.format = text_format(kind, dark)
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._index.to_qt(seg.start))
            cursor.setPosition(self._index.to_qt(seg.end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.setExtraSelections(selections)
        self._margin.update()

    def _extent(self, seg: CanonicalSegment) -> tuple[int, int]:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._index.to_qt(seg.start))
        top = self.cursorRect(cursor).top()
        cursor.setPosition(self._index.to_qt(seg.end))
        return top, self.cursorRect(cursor).bottom()

    def paint_margin(self, margin: QWidget, clip: QRect) -> None:
        painter = begin_margin_paint(margin, clip, self, 0.75)
        for seg in self._visible_segments():
            top, bottom = self._extent(seg)
            if seg.edited:
                hue, glyph = _EDITED_HUE, "✎"
            elif seg.difference_id is None:
                continue
            else:
                hue, glyph = SIDE_HUES[seg.side], {Side.LEFT: "L", Side.RIGHT: "R", None: "✎"}[seg.side]
            painter.fillRect(QRect(MARGIN_WIDTH - 4, top, 4, max(bottom - top, 4)), hue)
            painter.setPen(self.palette().color(self.palette().ColorRole.Text))
            painter.drawText(QRect(0, top, MARGIN_WIDTH - 4, 16), Qt.AlignmentFlag.AlignCenter, glyph)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._margin.setGeometry(QRect(cr.left(), cr.top(), MARGIN_WIDTH, cr.height()))

    def provenance_tip(self, position: int) -> str:
        """What the tool tip says about the stretch at a position (plain text)."""
        session = self._session
        if session is None:
            return ""
        seg = session.segment_at(position)
        if seg is None:
            return ""
        if seg.edited:
            return "Edited by hand here."
        if seg.difference_id is None:
            prefer = session.policy.preferred
            name = session.comparison.variant(prefer).name
            return f"Both variants agree here (text taken from the {prefer.value} variant, {name})."
        d = session.comparison.by_id(seg.difference_id)
        decision = session.decision(d.id)
        who = "your decision" if session.is_user_decided(d.id) else "the default policy"
        source = (
            f"the {seg.side.value} variant ({session.comparison.variant(seg.side).name})"
            if seg.side is not None
            else "custom text"
        )
        return (
            f"From {source}: difference {d.id}, {KIND_STYLES[d.kind].label.lower()} — "
            f"{CHOICE_LABELS[decision.choice].lower()} by {who}."
        )

    def set_decision_actions(self, actions: list[QAction]) -> None:
        """The actions a right-click on a decided stretch offers (after making its difference
        the current one)."""
        self._decision_actions = list(actions)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu for a right-click at viewport position `pos` (see decision_menu)."""
        on = None
        session = self._session
        if session is not None:
            seg = session.segment_at(self._index.from_qt(self.cursorForPosition(pos).position()))
            if seg is not None and seg.difference_id is not None and not seg.edited:
                self.difference_clicked.emit(seg.difference_id)
                on = (seg.difference_id, session.comparison.by_id(seg.difference_id).kind)
        return pane_menu(self, pos, on, self._decision_actions)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self._index.from_qt(self.cursorForPosition(event.pos()).position())
            tip = self.provenance_tip(position)
            if tip:
                QToolTip.showText(event.globalPos(), html.escape(tip), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def event(self, event: QEvent) -> bool:
        # Let Ctrl+Z / Ctrl+Shift+Z reach the window's undo, which covers edits and decisions.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(k) for k in _UNDO_KEYS)
        ):
            event.ignore()
            return False
        return super().event(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.ignore()  # files go to the window, which opens them
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.ignore()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.ignore()
        else:
            super().dropEvent(event)
