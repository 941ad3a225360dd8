"""The gutter between the panes: a band joins the two sides of each visible difference.

The band of the current (or hovered) difference carries four small buttons: take left,
take right, keep both, keep neither. Only visible differences are painted.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from viewer.core import Choice, Difference, Side
from viewer.ui.palette import KIND_STYLES, is_dark
from viewer.ui.variant_view import VariantView

BUTTON = 16
#: The four decision buttons: choice, glyph, tool tip.
DECISION_BUTTONS: tuple[tuple[Choice, str, str], ...] = (
    (Choice.LEFT, "◀", "Take the left text (Alt+Left)"),
    (Choice.RIGHT, "▶", "Take the right text (Alt+Right)"),
    (Choice.BOTH, "+", "Keep both, left then right (Alt+B)"),
    (Choice.NEITHER, "✕", "Keep neither (Alt+N)"),
)
DECISION_GLYPHS: dict[str, str] = {
    Choice.LEFT: "◀",
    Choice.RIGHT: "▶",
    Choice.BOTH: "◀▶",
    Choice.NEITHER: "✕",
    Choice.CUSTOM: "✎",
}


@dataclass(slots=True)
class _Band:
    """A difference's band as painted: its outline and centre, kept for hit-testing clicks."""

    difference: Difference
    path: QPainterPath
    centre: QPointF


class ConnectorGutter(QWidget):
    """Draws the bands between two VariantViews and turns clicks into decisions."""

    difference_clicked = Signal(str)
    #: (difference id, choice value)
    decision_requested = Signal(str, str)

    def __init__(self, left: VariantView, right: VariantView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connector_gutter")
        self._views = {Side.LEFT: left, Side.RIGHT: right}
        self._current: str | None = None
        self._hover: str | None = None
        self._bands: list[_Band] = []
        self._buttons: list[tuple[QRect, str, Choice]] = []
        self.decision_of: Callable[[str], str | None] = lambda _id: None
        self.setMouseTracking(True)
        self.setMinimumWidth(56)
        for view in self._views.values():
            view.verticalScrollBar().valueChanged.connect(self.update)
            view.updateRequest.connect(lambda *_: self.update())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(64, 100)

    def set_current(self, difference_id: str | None) -> None:
        self._current = difference_id
        self.update()

    def _y(self, side: Side, y: int) -> float:
        """A viewport y of one pane in this widget's coordinates."""
        view = self._views[side]
        return float(self.mapFromGlobal(view.viewport().mapToGlobal(QPoint(0, y))).y())

    def _collect(self) -> list[_Band]:
        seen: dict[str, Difference] = {}
        for view in self._views.values():
            for p in view.visible_differences():
                seen.setdefault(p.difference.id, p.difference)
        bands = []
        w = float(self.width())
        for d in seen.values():
            ends = {}
            for side, view in self._views.items():
                prepared = view.prepared
                if prepared is None:
                    return []
                start, end = prepared.qt_span(d, side)
                top, bottom = view.span_extent(start, end)
                ends[side] = (self._y(side, top), self._y(side, max(bottom, top + 1)))
            (l1, l2), (r1, r2) = ends[Side.LEFT], ends[Side.RIGHT]
            path = QPainterPath(QPointF(0, l1))
            path.cubicTo(QPointF(w / 2, l1), QPointF(w / 2, r1), QPointF(w, r1))
            path.lineTo(QPointF(w, r2))
            path.cubicTo(QPointF(w / 2, r2), QPointF(w / 2, l2), QPointF(0, l2))
            path.closeSubpath()
            bands.append(_Band(d, path, QPointF(w / 2, (l1 + l2 + r1 + r2) / 4)))
        return bands

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(self.palette().ColorRole.Window))
        dark = is_dark(self.palette())
        self._bands = self._collect()
        self._buttons = []
        text_color = self.palette().color(self.palette().ColorRole.Text)
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        active = None
        for band in self._bands:
            d = band.difference
            style = KIND_STYLES[d.kind]
            focused = d.id in (self._current, self._hover)
            painter.setPen(QPen(style.color(), 2 if d.id == self._current else 1))
            painter.setBrush(style.fill(dark, strong=focused))
            painter.drawPath(band.path)
            if d.id == self._current or (active is None and d.id == self._hover):
                active = band
            else:
                glyph = DECISION_GLYPHS.get(self.decision_of(d.id) or "", "")
                painter.setPen(text_color)
                painter.drawText(
                    QRectF(band.centre.x() - 16, band.centre.y() - 8, 32, 16),
                    Qt.AlignmentFlag.AlignCenter,
                    glyph,
                )
        if active is not None:
            self._paint_buttons(painter, active, text_color)
        painter.end()

    def _paint_buttons(self, painter: QPainter, band: _Band, text_color: QColor) -> None:
        chosen = self.decision_of(band.difference.id)
        x0 = int(band.centre.x()) - BUTTON - 1
        y0 = max(0, min(int(band.centre.y()) - BUTTON - 1, self.height() - 2 * BUTTON - 2))
        base = self.palette().color(self.palette().ColorRole.Button)
        highlight = self.palette().color(self.palette().ColorRole.Highlight)
        for k, (choice, glyph, _tip) in enumerate(DECISION_BUTTONS):
            rect = QRect(x0 + (k % 2) * (BUTTON + 2), y0 + (k // 2) * (BUTTON + 2), BUTTON, BUTTON)
            on = chosen == choice
            painter.setPen(QPen(highlight if on else text_color, 1))
            painter.setBrush(highlight if on else base)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(
                self.palette().color(self.palette().ColorRole.HighlightedText) if on else text_color
            )
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
            self._buttons.append((rect, band.difference.id, choice))

    def _band_at(self, pos: QPointF) -> _Band | None:
        for band in self._bands:
            if band.path.contains(pos):
                return band
        # Thin bands (one-sided differences) are hard to hit: accept a few pixels around.
        for band in self._bands:
            if band.path.boundingRect().adjusted(0, -4, 0, 4).contains(pos):
                return band
        return None

    def _button_at(self, pos: QPoint) -> tuple[str, Choice] | None:
        for rect, difference_id, choice in self._buttons:
            if rect.contains(pos):
                return difference_id, choice
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        band = self._band_at(event.position())
        hover = band.difference.id if band else None
        if self._button_at(event.position().toPoint()) is not None:
            hover = self._hover
        if hover != self._hover:
            self._hover = hover
            self.update()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        self._hover = None
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        button = self._button_at(event.position().toPoint())
        if button is not None:
            self.decision_requested.emit(button[0], button[1].value)
            return
        band = self._band_at(event.position())
        if band is not None:
            self.difference_clicked.emit(band.difference.id)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            button = self._button_at(event.pos())
            band = self._band_at(QPointF(event.pos()))
            if button is not None:
                tip = next(t for c, _g, t in DECISION_BUTTONS if c == button[1])
            elif band is not None:
                d = band.difference
                tip = f"{KIND_STYLES[d.kind].label} ({d.id}): {d.kind.description}. Click to select it."
            else:
                tip = "Bands join the two sides of each difference."
            QToolTip.showText(event.globalPos(), html.escape(tip), self)
            return True
        return super().event(event)
