"""A read-only pane showing one variant's text with its differences highlighted by kind."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from viewer.core.model import DifferenceKind, Side
from viewer.ui.decision_menu import pane_menu
from viewer.ui.find_marks import FindMarks
from viewer.ui.margin import PaneMargin, begin_margin_paint
from viewer.ui.palette import KIND_STYLES, is_dark, text_format
from viewer.ui.prepared import PlacedDifference, PreparedComparison
from viewer.ui.text_documents import empty_document, install_document

MARGIN_WIDTH = 18


@dataclass(slots=True)
class _Frame:
    """What one repaint asks again and again (margin, gutter, highlights), for one geometry."""

    key: tuple[object, ...] = ()
    visible_range: tuple[int, int] | None = None
    visible: list[PlacedDifference] | None = None
    extents: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


class VariantView(QPlainTextEdit):
    """One side of the comparison: literal text, highlights for visible differences only."""

    #: A file drag was dropped on this pane: (side value, mime data).
    files_dropped = Signal(str, QMimeData)
    #: The user clicked inside a difference: its id.
    difference_clicked = Signal(str)
    #: The pane painted highlighted differences for the first time since its text was set.
    differences_painted = Signal()

    def __init__(self, side: Side, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.setObjectName(f"{side.value}_view")
        self.setReadOnly(True)
        self.setAcceptDrops(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        # A scroll bar that comes and goes changes the width, and every line is laid out again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._prepared: PreparedComparison | None = None
        self._hidden_kinds: set[DifferenceKind] = set()
        self._current: str | None = None
        self._shown_key: tuple[object, ...] = ()
        self._highlighted = False
        self._announce_paint = False
        self._frame = _Frame()
        self._margin = PaneMargin(self, MARGIN_WIDTH, self.paint_margin)
        self.setViewportMargins(MARGIN_WIDTH, 0, 0, 0)
        self.updateRequest.connect(self._on_update_request)
        self.find_marks = FindMarks(self)
        self._decision_actions: list[QAction] = []

    # -- content -------------------------------------------------------------------------

    @property
    def prepared(self) -> PreparedComparison | None:
        return self._prepared

    def show_variant(
        self, prepared: PreparedComparison | None, document: QTextDocument | None = None
    ) -> None:
        """Show this side of a comparison (or nothing), in a document filled beforehand if given."""
        # No spans while the text is replaced: repaints in between must not look them up.
        self._prepared = None
        self._current = None
        self._shown_key = ()
        if document is not None:
            install_document(self, document)
        elif prepared is None:
            # A fresh empty document: clearing a long one would cost as much as filling it.
            install_document(self, empty_document(self))
        else:
            # setPlainText never interprets markup: text like <b> or &amp; shows as written.
            self.setPlainText(prepared.comparison.variant(self.side).text)
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self._prepared = prepared
        self._announce_paint = prepared is not None
        self.refresh_highlights()

    def set_hidden_kinds(self, kinds: set[DifferenceKind]) -> None:
        self._hidden_kinds = set(kinds)
        self.refresh_highlights()

    def set_current(self, difference_id: str | None) -> None:
        self._current = difference_id
        self.refresh_highlights()

    def set_word_wrap(self, on: bool) -> None:
        mode = QPlainTextEdit.LineWrapMode.WidgetWidth if on else QPlainTextEdit.LineWrapMode.NoWrap
        self.setLineWrapMode(mode)

    # -- geometry helpers used by the gutter, the overview and scrolling -----------------

    def _current_frame(self) -> _Frame:
        """Answers about the current geometry, dropped when the view scrolls, resizes or changes."""
        vp = self.viewport()
        key = (
            self.verticalScrollBar().value(),
            self.horizontalScrollBar().value(),
            vp.width(),
            vp.height(),
            self.lineWrapMode(),
            id(self.document()),
            self.document().revision(),
            id(self._prepared),
            frozenset(self._hidden_kinds),
        )
        if key != self._frame.key:
            self._frame = _Frame(key)
        return self._frame

    def visible_range(self) -> tuple[int, int]:
        """Qt positions of the first and last character in the viewport."""
        frame = self._current_frame()
        if frame.visible_range is None:
            vp = self.viewport()
            first = self.cursorForPosition(QPoint(0, 0)).position()
            last = self.cursorForPosition(QPoint(vp.width(), vp.height())).position()
            frame.visible_range = (first, last)
        return frame.visible_range

    def visible_differences(self) -> list[PlacedDifference]:
        if self._prepared is None:
            return []
        frame = self._current_frame()
        if frame.visible is None:
            first, last = self.visible_range()
            frame.visible = [
                p
                for p in self._prepared.spans[self.side].overlapping(first, last)
                if p.difference.kind not in self._hidden_kinds
            ]
        return frame.visible

    def position_rect(self, position: int) -> QRect:
        """The viewport rectangle of the caret at a Qt position."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(max(0, min(position, self.document().characterCount() - 1)))
        return self.cursorRect(cursor)

    def span_extent(self, start: int, end: int) -> tuple[int, int]:
        """Viewport y from the top of a span's first line to the bottom of its last."""
        extents = self._current_frame().extents
        found = extents.get((start, end))
        if found is None:
            top = self.position_rect(start).top()
            found = extents[(start, end)] = (top, top if end <= start else self.position_rect(end).bottom())
        return found

    def position_at(self, y: int) -> int:
        """The Qt position shown at viewport height y."""
        return self.cursorForPosition(QPoint(1, y)).position()

    def line_height(self) -> int:
        return max(1, self.fontMetrics().lineSpacing())

    def scroll_position_to(self, position: int, y: int) -> None:
        """Scroll so that the line holding `position` sits at viewport height y (line precision)."""
        bar = self.verticalScrollBar()
        block = self.document().findBlock(position)
        if not block.isValid():
            return
        layout = block.layout()
        line_in_block = 0
        if layout is not None and layout.lineCount() > 0:
            line_in_block = layout.lineForTextPosition(position - block.position()).lineNumber()
        target_line = block.firstLineNumber() + max(0, line_in_block)
        bar.setValue(target_line - y // self.line_height())
        # Blocks laid out only now may have changed the line count: correct once by measuring.
        error = (self.position_rect(position).top() - y) // self.line_height()
        if error:
            bar.setValue(bar.value() + error)

    # -- highlighting --------------------------------------------------------------------

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        self._margin.follow(rect, dy)
        self.refresh_highlights()

    def refresh_highlights(self) -> None:
        """Rebuild the extra selections for the differences in view (all others cost nothing)."""
        placed = self.visible_differences()
        dark = is_dark(self.palette())
        key = (dark, self._current, tuple((p.difference.id, p.start, p.end) for p in placed))
        if key == self._shown_key:
            return
        self._shown_key = key
        self._highlighted = bool(placed)
        selections = []
        for p in placed:
            if p.end <= p.start:
                continue
            sel = QTextEdit.ExtraSelection()
            sel.format = text_format(p.difference.kind, dark, current=p.difference.id == self._current)
            cursor = QTextCursor(self.document())
            cursor.setPosition(p.start)
            cursor.setPosition(p.end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.setExtraSelections(selections)
        self._margin.update()
        self.viewport().update()

    def paint_margin(self, margin: QWidget, clip: QRect) -> None:
        painter = begin_margin_paint(margin, clip, self, 0.8)
        glyph_rows: dict[int, str] = {}
        for p in self.visible_differences():
            style = KIND_STYLES[p.difference.kind]
            top, bottom = self.span_extent(p.start, p.end)
            bottom = max(bottom, top + self.line_height())
            current = p.difference.id == self._current
            # Several differences on one line (one-sided ones often meet at one place): one glyph,
            # the current one's if it is among them.
            if top in glyph_rows and not current:
                continue
            glyph_rows[top] = p.difference.id
            painter.fillRect(QRect(MARGIN_WIDTH - 4, top, 4, bottom - top), style.color())
            glyph_box = QRect(0, top, MARGIN_WIDTH - 4, bottom - top)
            painter.fillRect(glyph_box, self.palette().color(self.palette().ColorRole.Window))
            if current:
                painter.fillRect(glyph_box, style.fill(is_dark(self.palette()), True))
            painter.setPen(
                style.color() if not current else self.palette().color(self.palette().ColorRole.Text)
            )
            painter.drawText(
                QRect(0, top, MARGIN_WIDTH - 4, self.line_height()), Qt.AlignmentFlag.AlignCenter, style.glyph
            )
        painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self.find_marks.paint(event.rect())
        if self._prepared is None:
            return
        # Where one side has nothing, or only white space (a paragraph break), mark the place.
        painter = QPainter(self.viewport())
        for p in self.visible_differences():
            text = p.difference.span(self.side).text
            if p.end > p.start and text.strip():
                continue
            color = QColor(KIND_STYLES[p.difference.kind].color())
            rect = self.position_rect(p.start)
            width = 3 if p.difference.id == self._current else 2
            painter.fillRect(QRect(rect.left(), rect.top(), width, rect.height()), color)
            painter.fillRect(QRect(rect.left(), rect.top(), 8, width), color)
            if p.end > p.start:
                painter.setPen(color)
                painter.drawText(rect.left() + 4, rect.bottom() - 2, "¶")
        painter.end()
        if self._announce_paint and self._highlighted:
            self._announce_paint = False
            self.differences_painted.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._margin.setGeometry(QRect(cr.left(), cr.top(), MARGIN_WIDTH, cr.height()))
        self.refresh_highlights()

    # -- interaction ---------------------------------------------------------------------

    def difference_at(self, position: int) -> PlacedDifference | None:
        if self._prepared is None:
            return None
        for p in self._prepared.spans[self.side].overlapping(position, position):
            if p.difference.kind not in self._hidden_kinds and p.start <= position <= max(p.end, p.start + 1):
                return p
        return None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            hit = self.difference_at(self.cursorForPosition(event.position().toPoint()).position())
            if hit is not None:
                self.difference_clicked.emit(hit.difference.id)

    def set_decision_actions(self, actions: list[QAction]) -> None:
        """The actions a right-click on a difference offers (after making it the current one)."""
        self._decision_actions = list(actions)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu for a right-click at viewport position `pos` (see decision_menu)."""
        hit = self.difference_at(self.cursorForPosition(pos).position())
        if hit is not None:
            self.difference_clicked.emit(hit.difference.id)
        on = (hit.difference.id, hit.difference.kind) if hit is not None else None
        return pane_menu(self, pos, on, self._decision_actions)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.difference_at(self.cursorForPosition(event.pos()).position())
            if hit is None:
                QToolTip.hideText()
            else:
                d = hit.difference
                # Tool tips guess rich text: escape, since the variant's text is never markup here.
                QToolTip.showText(
                    event.globalPos(),
                    f"<b>{html.escape(KIND_STYLES[d.kind].label)}</b> ({d.id}): "
                    f"{html.escape(d.kind.description)}<br/>Click to select this difference.",
                    self.viewport(),
                )
            return True
        return super().viewportEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if not event.mimeData().hasUrls():
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(self.side.value, event.mimeData())
