"""The strip left of a text pane, painted by the pane itself (difference markers, provenance)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class PaneMargin(QWidget):
    """A fixed-width strip whose painting the owning pane does, so both share one layout pass."""

    def __init__(self, pane: QWidget, width: int, paint: Callable[[QWidget, QRect], None]) -> None:
        super().__init__(pane)
        self._width = width
        self._paint = paint

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._width, 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self._paint(self, event.rect())

    def follow(self, rect: QRect, dy: int) -> None:
        """Keep in step with the pane's viewport (its updateRequest: scrolled by dy, or rect repainted)."""
        if dy:
            self.scroll(0, dy)
        else:
            self.update(0, rect.y(), self.width(), rect.height())


def begin_margin_paint(margin: QWidget, clip: QRect, pane: QWidget, scale: float) -> QPainter:
    """A painter on the margin, background filled, with a small bold version of the pane's font."""
    painter = QPainter(margin)
    painter.fillRect(clip, pane.palette().color(pane.palette().ColorRole.Window))
    font = QFont(pane.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * scale))
    font.setBold(True)
    painter.setFont(font)
    return painter
