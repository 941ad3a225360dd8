"""Keeping corresponding text level in both panes while either one scrolls."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject

from viewer.core import Side
from viewer.ui.variant_view import VariantView


class ScrollSync(QObject):
    """Scrolls the other pane so the text at the middle of the moved pane lines up (Meld's idea)."""

    def __init__(self, left: VariantView, right: VariantView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views = {Side.LEFT: left, Side.RIGHT: right}
        self._locked = False
        self.enabled = True
        for side, view in self._views.items():
            view.verticalScrollBar().valueChanged.connect(lambda _v, s=side: self.follow(s))

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Move panes without each one dragging the other along (re-entrancy guard)."""
        was = self._locked
        self._locked = True
        try:
            yield
        finally:
            self._locked = was

    def follow(self, side: Side) -> None:
        """Bring the other pane level with `side`."""
        if self._locked or not self.enabled:
            return
        source, target = self._views[side], self._views[side.other]
        prepared = source.prepared
        if prepared is None:
            return
        bar = source.verticalScrollBar()
        # At the very ends, the ends line up: nothing else feels right when a pane hits a stop.
        with self.locked():
            if bar.value() == bar.minimum():
                target.verticalScrollBar().setValue(target.verticalScrollBar().minimum())
                return
            if bar.value() == bar.maximum():
                target.verticalScrollBar().setValue(target.verticalScrollBar().maximum())
                return
            y = source.viewport().height() // 2
            position = source.position_at(y)
            target.scroll_position_to(prepared.corresponding(side, position), y)
