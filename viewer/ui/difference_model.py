"""The table of differences (kind, snippet, decision) and its filter by kind."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from viewer.core import Choice, Difference, DifferenceKind
from viewer.ui.merge_session import CHOICE_LABELS, MergeSession
from viewer.ui.palette import KIND_STYLES, kind_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

_SPACE = re.compile(r"\s+")
_SHORT_CHOICES = {
    Choice.LEFT: "left",
    Choice.RIGHT: "right",
    Choice.BOTH: "both",
    Choice.NEITHER: "neither",
    Choice.CUSTOM: "custom",
}
_CHOICE_GLYPHS = {
    Choice.LEFT: "◀",
    Choice.RIGHT: "▶",
    Choice.BOTH: "◀▶",
    Choice.NEITHER: "✕",
    Choice.CUSTOM: "✎",
}

Index = QModelIndex | QPersistentModelIndex


def shorten(text: str, limit: int = 48) -> str:
    """One line of at most `limit` characters, white space collapsed."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def snippet(d: Difference) -> str:
    """What a reader needs to recognise a difference in a list row."""
    left, right = d.left.text, d.right.text
    if not left.strip() and not right.strip():
        where = "left" if "\n\n" in left else "right" if "\n\n" in right else "one side"
        return f"paragraph break on the {where} only"
    if not right.strip():
        return f"left only: {shorten(left)}"
    if not left.strip():
        return f"right only: {shorten(right)}"
    return f"{shorten(left, 28)} → {shorten(right, 28)}"


class DifferenceTableModel(QAbstractTableModel):
    """One row per difference; the decision column follows the merge session."""

    HEADERS = ("Kind", "Difference", "Decision")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Difference] = []
        self._session: MergeSession | None = None
        self._row_of: dict[str, int] = {}

    def set_session(self, session: MergeSession | None) -> None:
        self.beginResetModel()
        if self._session is not None:
            self._session.decisions_changed.disconnect(self._on_decisions_changed)
        self._session = session
        self._rows = list(session.comparison.differences) if session else []
        self._row_of = {d.id: k for k, d in enumerate(self._rows)}
        if session is not None:
            session.decisions_changed.connect(self._on_decisions_changed)
        self.endResetModel()

    def row_of(self, difference_id: str) -> int:
        return self._row_of.get(difference_id, -1)

    def difference(self, row: int) -> Difference:
        return self._rows[row]

    def _on_decisions_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._rows) - 1, 2))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        d = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return d.id
        if role == KIND_ROLE:
            return d.kind.value
        if column == 0:
            return self._kind_data(d.kind, role)
        if column == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return snippet(d)
            if role == Qt.ItemDataRole.ToolTipRole:
                # Escaped: a variant's text is shown as written, never as rich text.
                return (
                    f"<b>{d.id}</b><br/><b>Left:</b> {html.escape(shorten(d.left.text, 300)) or '(nothing)'}"
                    f"<br/><b>Right:</b> {html.escape(shorten(d.right.text, 300)) or '(nothing)'}"
                )
            return None
        return self._decision_data(d, role)

    def _kind_data(self, kind: DifferenceKind, role: int) -> object:
        style = KIND_STYLES[kind]
        if role == Qt.ItemDataRole.DisplayRole:
            return style.label
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_icon(kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return html.escape(f"{style.label}: {kind.description}")
        return None

    def _decision_data(self, d: Difference, role: int) -> object:
        session = self._session
        if session is None:
            return None
        decision = session.decision(d.id)
        mine = session.is_user_decided(d.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{_CHOICE_GLYPHS[decision.choice]} {_SHORT_CHOICES[decision.choice]}"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(mine)
            font.setItalic(not mine)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            label = CHOICE_LABELS[decision.choice]
            return f"{label}: your decision" if mine else f"{label}: the default, not yet reviewed"
        return None


class KindFilterProxy(QSortFilterProxyModel):
    """Hides the rows of the kinds the user switched off."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hidden: set[str] = set()
        # Rows are filtered by kind only, which never changes for a row: no re-filtering on edits.
        self.setDynamicSortFilter(False)

    def set_hidden_kinds(self, kinds: set[DifferenceKind]) -> None:
        hidden = {k.value for k in kinds}
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self._hidden = hidden
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._hidden = hidden
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self._hidden:
            return True
        model = self.sourceModel()
        if isinstance(model, DifferenceTableModel):
            return model.difference(source_row).kind.value not in self._hidden
        return model.data(model.index(source_row, 0, source_parent), KIND_ROLE) not in self._hidden
