"""The legend that is also the filter: one toggle per kind present, with its colour, glyph and count."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolButton, QWidget

from viewer.core import DifferenceKind
from viewer.look import KIND_ORDER
from viewer.ui.palette import KIND_STYLES, kind_icon

COLUMNS = 2


class KindFilterBar(QWidget):
    """Checked toggles are the kinds shown in the panes, the gutter and the list."""

    hidden_kinds_changed = Signal(object)  # set[DifferenceKind]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kind_filter")
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setHorizontalSpacing(4)
        self._layout.setVerticalSpacing(2)
        self._buttons: dict[DifferenceKind, QToolButton] = {}
        self._hidden: set[DifferenceKind] = set()
        self._empty = QLabel("No differences.")
        self._empty.setTextFormat(Qt.TextFormat.PlainText)

    @property
    def hidden_kinds(self) -> set[DifferenceKind]:
        return set(self._hidden)

    def button(self, kind: DifferenceKind) -> QToolButton | None:
        return self._buttons.get(kind)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Show a toggle for each kind present; a kind hidden before stays hidden."""
        for button in self._buttons.values():
            button.deleteLater()
        self._buttons.clear()
        self._layout.removeWidget(self._empty)
        self._empty.hide()
        present = [k for k in KIND_ORDER if counts.get(k.value, 0)]
        for n, kind in enumerate(present):
            style = KIND_STYLES[kind]
            button = QToolButton(self)
            button.setObjectName(f"kind_toggle_{kind.value}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIcon(kind_icon(kind))
            button.setText(f"{style.label}  {counts[kind.value]}")
            button.setCheckable(True)
            button.setChecked(kind not in self._hidden)
            button.setAutoRaise(True)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setToolTip(
                f"{style.label}: {kind.description}.\n"
                f"{counts[kind.value]} in this comparison. Uncheck to hide them everywhere."
            )
            button.toggled.connect(lambda on, k=kind: self._on_toggled(k, on))
            self._buttons[kind] = button
            self._layout.addWidget(button, n // COLUMNS, n % COLUMNS)
        if not present:
            self._layout.addWidget(self._empty, 0, 0)
            self._empty.show()

    def set_kind_shown(self, kind: DifferenceKind, shown: bool) -> None:
        button = self._buttons.get(kind)
        if button is not None:
            button.setChecked(shown)
        else:
            self._on_toggled(kind, shown)

    def _on_toggled(self, kind: DifferenceKind, on: bool) -> None:
        if on:
            self._hidden.discard(kind)
        else:
            self._hidden.add(kind)
        self.hidden_kinds_changed.emit(set(self._hidden))
