"""The overview strip beside a pane: every difference of the whole text at a glance; click to jump."""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QToolTip, QWidget

from viewer.core import DifferenceKind
from viewer.look import KIND_ORDER
from viewer.ui.palette import KIND_STYLES
from viewer.ui.prepared import KindMarkers
from viewer.ui.variant_view import VariantView

STRIP_WIDTH = 14


def marker_rows(
    markers: Mapping[DifferenceKind, KindMarkers], scale: float
) -> list[tuple[int, int, str, DifferenceKind]]:
    """(top, height, difference id, kind) of each pixel row that shows a marker, top down.

    A marker stands at row int(2 + start * scale). On one row, the kind first in KIND_ORDER
    shows; its height covers the longest of its markers there (3 pixels at least), and the
    row leads to the first of them.
    """
    kinds = [kind for kind, m in markers.items() if len(m.starts)]
    if not kinds:
        return []
    starts = np.concatenate([np.frombuffer(markers[k].starts, dtype=np.int64) for k in kinds])
    lengths = np.concatenate([np.frombuffer(markers[k].lengths, dtype=np.int64) for k in kinds])
    ranks = np.concatenate([np.full(len(markers[k].starts), KIND_ORDER.index(k)) for k in kinds])
    tops = (2 + starts * scale).astype(np.int64)
    # By row, then kind, then place: the first of each row is its winner's first marker.
    order = np.lexsort((starts, ranks, tops))
    top, rank, length = tops[order], ranks[order], lengths[order]
    group = np.ones(len(order), dtype=np.bool_)
    group[1:] = (top[1:] != top[:-1]) | (rank[1:] != rank[:-1])
    firsts = np.flatnonzero(group)
    longest = np.maximum.reduceat(length, firsts)
    leads = np.ones(len(firsts), dtype=np.bool_)
    leads[1:] = top[firsts[1:]] != top[firsts[:-1]]
    winners = firsts[leads]
    heights = np.maximum(3, (longest[leads] * scale).astype(np.int64))
    by_rank = {KIND_ORDER.index(k): k for k in kinds}
    # Where each kind's markers begin along the joined arrays: only the winners' ids are read.
    counts = np.array([len(markers[k].starts) for k in kinds])
    first_of = dict(zip(kinds, (np.cumsum(counts) - counts).tolist(), strict=True))
    rows = []
    for w, height in zip(winners.tolist(), heights.tolist(), strict=True):
        kind = by_rank[int(rank[w])]
        rows.append((int(top[w]), height, markers[kind].ids[int(order[w]) - first_of[kind]], kind))
    return rows


class OverviewStrip(QWidget):
    """A thin map of one side: positions are fractions of the text, like the scroll bar's."""

    difference_clicked = Signal(str)

    def __init__(self, view: VariantView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{view.side.value}_overview")
        self._view = view
        self._hidden: set[DifferenceKind] = set()
        self._current: str | None = None
        self._rows_key: tuple[object, ...] = ()
        self._rows_cache: list[tuple[int, int, str, DifferenceKind]] = []
        self._layer = QPixmap()
        self._layer_key: tuple[object, ...] = ()
        self.setFixedWidth(STRIP_WIDTH)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        view.verticalScrollBar().valueChanged.connect(self.update)
        view.verticalScrollBar().rangeChanged.connect(self.update)
        self.setToolTip("Where the differences are in the whole text. Click to go there.")

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(STRIP_WIDTH, 100)

    def set_hidden_kinds(self, kinds: set[DifferenceKind]) -> None:
        self._hidden = set(kinds)
        self.update()

    def set_current(self, difference_id: str | None) -> None:
        self._current = difference_id
        self.update()

    def _length(self) -> int:
        prepared = self._view.prepared
        return max(1, prepared.index[self._view.side].length16) if prepared else 1

    def _y(self, position: int) -> float:
        return 2 + (self.height() - 4) * position / self._length()

    def _rows(self) -> list[tuple[int, int, str, DifferenceKind]]:
        """Marker runs (top, height, first difference id, kind), one per pixel row at most.

        Where kinds share a row, the one first in KIND_ORDER shows (wording before links).

        Tens of thousands of differences fall on a few hundred pixel rows: computed once per
        size and filter (in a few array passes: the strip's height changes whenever a banner
        shows or the window is resized), then every repaint only draws these.
        """
        prepared = self._view.prepared
        key = (id(prepared), self.height(), frozenset(self._hidden))
        if key == self._rows_key:
            return self._rows_cache
        rows: list[tuple[int, int, str, DifferenceKind]] = []
        if prepared is not None and self.height() > 4:
            shown = {k: m for k, m in prepared.markers[self._view.side].items() if k not in self._hidden}
            rows = marker_rows(shown, (self.height() - 4) / self._length())
        self._rows_cache = rows
        self._rows_key = key
        return self._rows_cache

    def _markers(self) -> QPixmap:
        """The markers drawn once into a transparent layer: a repaint is then one call, not hundreds
        (each Qt call waits for the interpreter lock while a worker thread is busy)."""
        rows = self._rows()
        ratio = self.devicePixelRatioF()
        key = (self._rows_key, self.width(), ratio)
        if key != self._layer_key:
            layer = QPixmap(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
            layer.setDevicePixelRatio(ratio)
            layer.fill(Qt.GlobalColor.transparent)
            painter = QPainter(layer)
            for top, height, _id, kind in rows:
                painter.fillRect(QRectF(2, top, self.width() - 4, height), KIND_STYLES[kind].color())
            painter.end()
            self._layer, self._layer_key = layer, key
        return self._layer

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(pal.ColorRole.AlternateBase))
        prepared = self._view.prepared
        if prepared is not None:
            first, last = self._view.visible_range()
            shade = QColor(pal.color(pal.ColorRole.Text))
            shade.setAlpha(40)
            painter.fillRect(
                QRectF(0, self._y(first), self.width(), self._y(last) - self._y(first) + 1), shade
            )
        painter.drawPixmap(0, 0, self._markers())
        if prepared is not None and self._current is not None:
            d = prepared.comparison.by_id(self._current)
            start, end = prepared.qt_span(d, self._view.side)
            y = self._y(start)
            rect = QRectF(2, y, self.width() - 4, max(3.0, self._y(end) - y))
            painter.fillRect(rect, KIND_STYLES[d.kind].color())
            painter.setPen(QPen(pal.color(pal.ColorRole.Text), 2))
            painter.drawRect(rect.adjusted(-1, -1, 1, 1))
        painter.end()

    def _hit(self, y: float) -> str | None:
        """The difference whose marker is at (or within 4 pixels of) height y."""
        best, best_distance = None, 4.0
        for top, height, difference_id, _kind in self._rows():
            bottom = top + height
            distance = 0.0 if top <= y <= bottom else min(abs(top - y), abs(bottom - y))
            if distance <= best_distance:
                best, best_distance = difference_id, distance
        return best

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        y = event.position().y()
        hit = self._hit(y)
        if hit is not None:
            self.difference_clicked.emit(hit)
            return
        fraction = min(1.0, max(0.0, (y - 2) / max(1, self.height() - 4)))
        view = self._view
        view.scroll_position_to(int(fraction * self._length()), view.viewport().height() // 2)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self._hit(event.pos().y())
            prepared = self._view.prepared
            if hit is not None and prepared is not None:
                d = prepared.comparison.by_id(hit)
                QToolTip.showText(
                    event.globalPos(),
                    html.escape(
                        f"{KIND_STYLES[d.kind].label} ({d.id}): {d.kind.description}. Click to go there."
                    ),
                    self,
                )
                return True
        return super().event(event)
