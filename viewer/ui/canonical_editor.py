"""The editable canonical pane: the merged text, live, with where each stretch came from."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from viewer.core import Side
from viewer.ui.canonical_edits import changed_region
from viewer.ui.merge_session import CHOICE_LABELS, CanonicalSegment, MergeSession
from viewer.ui.palette import KIND_STYLES, SIDE_HUES, is_dark, text_format
from viewer.ui.text_offsets import Utf16Index

MARGIN_WIDTH = 16
_EDITED_HUE = "#CC79A7"
_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


class _ProvenanceMargin(QWidget):
    """The strip left of the canonical text: which variant each stretch came from."""

    def __init__(self, editor: CanonicalEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(MARGIN_WIDTH, 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self._editor.paint_margin(self, event.rect())


class CanonicalEditor(QPlainTextEdit):
    """Shows the session's text; typing becomes undoable hand edits in the session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canonical_editor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # One undo history for decisions and edits: the session's, not the document's.
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setPlaceholderText("The merged text appears here once two variants are compared.")
        self._session: MergeSession | None = None
        self._shadow = ""
        self._index = Utf16Index("")
        self._syncing = False
        self._shown_key: tuple[object, ...] = ()
        self._margin = _ProvenanceMargin(self)
        self.setViewportMargins(MARGIN_WIDTH, 0, 0, 0)
        self.document().contentsChanged.connect(self._on_contents_changed)
        self.updateRequest.connect(self._on_update_request)

    @property
    def session(self) -> MergeSession | None:
        return self._session

    def set_session(self, session: MergeSession | None) -> None:
        if self._session is not None:
            self._session.changed.disconnect(self.sync_from_session)
        self._session = session
        self._syncing = True
        try:
            self.setPlainText(session.text if session else "")
        finally:
            self._syncing = False
        self._shadow = session.text if session else ""
        self._index = Utf16Index(self._shadow)
        self.setReadOnly(session is None)
        if session is not None:
            session.changed.connect(self.sync_from_session)
        self.refresh_highlights(force=True)

    def plain_text(self) -> str:
        """The document's text exactly (toPlainText would turn no-break spaces into spaces)."""
        return self.document().toRawText().replace("\u2029", "\n")

    def sync_from_session(self) -> None:
        """Bring the pane to the session's text, replacing only what changed (scroll stays)."""
        if self._session is None:
            return
        new = self._session.text
        if new != self._shadow:
            start, old_end, new_end = changed_region(self._shadow, new)
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
        self.refresh_highlights(force=True)

    def _on_contents_changed(self) -> None:
        if self._syncing or self._session is None:
            return
        new = self.plain_text()
        if new == self._shadow:
            return
        start, old_end, new_end = changed_region(self._shadow, new)
        self._shadow = new
        self._index = Utf16Index(new)
        self._session.record_edit(start, old_end - start, new[start:new_end])

    def scroll_to_range(self, start: int, end: int) -> None:
        """Show a stretch of the canonical text near the top third of the pane."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(self._index.to_qt(start), self.document().characterCount() - 1))
        bar = self.verticalScrollBar()
        block = cursor.block()
        bar.setValue(max(0, block.firstLineNumber() - 2))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- provenance display -----------------------------------------------------------------

    def _visible_segments(self) -> list[CanonicalSegment]:
        if self._session is None:
            return []
        vp = self.viewport()
        first = self._index.from_qt(self.cursorForPosition(vp.rect().topLeft()).position())
        last = self._index.from_qt(self.cursorForPosition(vp.rect().bottomRight()).position())
        return self._session.segments_between(first, last)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._margin.scroll(0, dy)
        else:
            self._margin.update(0, rect.y(), self._margin.width(), rect.height())
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
        painter = QPainter(margin)
        painter.fillRect(clip, self.palette().color(self.palette().ColorRole.Window))
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        font.setBold(True)
        painter.setFont(font)
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
