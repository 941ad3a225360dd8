"""Every match of the find bar's text marked in a pane, not only the selected one.

A pane owns a FindMarks and calls `paint` at the end of its paintEvent. Only the matches in
view are drawn (a long text can hold a hundred thousand); marks that no longer fit the text
(it was edited since the search) are not drawn until the next search sets them again.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QPainter, QPalette, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

#: Matches drawn in one view at most (a one-letter search shows hundreds at once).
DRAWN_LIMIT = 1_000


class FindMarks:
    """The matches to mark in one pane, as Qt positions (UTF-16) of one revision of its text."""

    def __init__(self, view: QPlainTextEdit) -> None:
        self.view = view
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._revision: tuple[int, int] | None = None

    def set(self, starts: list[int], ends: list[int]) -> None:
        """Mark these matches of the pane's text as it is now."""
        self.starts, self.ends = starts, ends
        self._revision = self._text_revision()
        self.view.viewport().update()

    def clear(self) -> None:
        if self.starts:
            self.starts, self.ends = [], []
            self.view.viewport().update()
        self._revision = None

    def _text_revision(self) -> tuple[int, int]:
        document = self.view.document()
        return id(document), document.revision()

    def in_view(self) -> list[tuple[int, int]]:
        """The marked matches that overlap the viewport (at most DRAWN_LIMIT of them)."""
        return self._within(self.view.viewport().rect())

    def _within(self, area: QRect) -> list[tuple[int, int]]:
        """The marked matches on the lines of the viewport's `area` (at most DRAWN_LIMIT)."""
        if not self.starts or self._revision != self._text_revision():
            return []
        width = self.view.viewport().width()
        first = self.view.cursorForPosition(QPoint(0, area.top())).position()
        last = self.view.cursorForPosition(QPoint(width, area.bottom())).position()
        lo = max(0, bisect_left(self.ends, first) - 1)
        hi = min(bisect_right(self.starts, last), lo + DRAWN_LIMIT)
        return [(s, e) for s, e in zip(self.starts[lo:hi], self.ends[lo:hi], strict=True) if e >= first]

    def paint(self, area: QRect) -> None:
        """Outline each match on the lines of `area` (what is repainted: a caret's blink
        repaints one line), over the text and its highlights."""
        shown = self._within(area)
        if not shown:
            return
        color = self.view.palette().color(QPalette.ColorRole.Highlight)
        fill = QColor(color)
        fill.setAlpha(60)
        painter = QPainter(self.view.viewport())
        painter.setClipRect(area)
        painter.setPen(color)
        right = self.view.viewport().width() - 1
        for start, end in shown:
            for rect in self._rects(start, end, right):
                painter.fillRect(rect, fill)
                painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()

    def _rects(self, start: int, end: int, right: int) -> list[QRect]:
        """The viewport rectangles a match covers: one, or its first and last lines' parts."""
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(start)
        head = self.view.cursorRect(cursor)
        cursor.setPosition(end)
        tail = self.view.cursorRect(cursor)
        if head.top() == tail.top():
            return [QRect(head.topLeft(), QPoint(max(tail.left(), head.left() + 1), head.bottom()))]
        return [
            QRect(head.topLeft(), QPoint(right, head.bottom())),
            QRect(QPoint(0, tail.top()), QPoint(max(tail.left(), 1), tail.bottom())),
        ]
