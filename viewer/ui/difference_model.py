"""The table of differences (kind, snippet, decision) and its filter by kind."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QIcon

from viewer.core import Change, Choice, Difference, DifferenceKind, Side
from viewer.core.describe import shown_words, style_change
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
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
#: The roles this model answers; a view asks for a dozen per cell on every repaint.
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        ID_ROLE,
        KIND_ROLE,
    }
)


def shorten(text: str, limit: int = 48) -> str:
    """One line of at most `limit` characters, white space collapsed."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def snippet(d: Difference, marked: Side | None = None, styles: str = "", words: str = "") -> str:
    """What a reader needs to recognise a difference in a list row. A break names the side
    with the paragraph break (`marked`), whatever markup or white space stands there; a
    formatting difference what `styles` one side has, and the `words` that have them."""
    left, right = d.left.text, d.right.text
    if d.kind is DifferenceKind.BREAK and marked is not None:
        return f"paragraph break on the {marked.value} only"
    if styles:
        return f"{styles}: {shorten(words)}"
    if not left.strip() and not right.strip():
        where = "left" if "\n\n" in left else "right" if "\n\n" in right else "one side"
        return f"paragraph break on the {where} only"
    if not right.strip():
        return f"left only: {shorten(left)}"
    if not left.strip():
        return f"right only: {shorten(right)}"
    return f"{shorten(left, 28)} → {shorten(right, 28)}"


def default_reason(change: Change, choice: Choice) -> str:
    """Why the default takes the side it takes, where a rule looked at this difference's text."""
    hole, marked = change.hole, change.marked_side
    if hole is not None and choice is Choice.of(hole.other):
        return f"the {hole.other.value} side's words fill a hole in the {hole.value} side's text"
    if change.kind is DifferenceKind.CITATION and marked is not None and choice is Choice.of(marked):
        return f"the {marked.value} side's reference as printed"
    splits = change.kind is DifferenceKind.BREAK and change.splits_sentence
    if splits and marked is not None and choice is Choice.of(marked.other):
        return "joined: the break cuts a sentence in two"
    return ""


class DifferenceTableModel(QAbstractTableModel):
    """One row per difference; the decision column follows the merge session."""

    HEADERS = ("Kind", "Difference", "Decision")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Difference] = []
        self._kinds: list[str] = []
        self._session: MergeSession | None = None
        self._row_of: dict[str, int] = {}
        # Made once and reused: a fresh icon or font per cell and repaint costs more than the paint.
        self._icons: dict[DifferenceKind, QIcon] = {}
        self._fonts: dict[bool, QFont] = {}
        self._snippets: dict[int, str] = {}

    def set_session(self, session: MergeSession | None) -> None:
        self.beginResetModel()
        if self._session is not None:
            self._session.decisions_changed.disconnect(self._on_decisions_changed)
        self._session = session
        self._snippets = {}
        self._rows = list(session.comparison.differences) if session else []
        # The members themselves: kinds are string enums, and reading .value costs a call each.
        self._kinds = [d.kind for d in self._rows]
        self._row_of = {d.id: k for k, d in enumerate(self._rows)}
        if session is not None:
            session.decisions_changed.connect(self._on_decisions_changed)
        self.endResetModel()

    def row_of(self, difference_id: str) -> int:
        return self._row_of.get(difference_id, -1)

    def difference(self, row: int) -> Difference:
        return self._rows[row]

    def kinds(self) -> list[str]:
        """The kind of every row, in row order."""
        return self._kinds

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
        if role not in _ROLES or not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> object:
        """What `data` answers for a row and column (without an index: the filter calls it directly)."""
        d = self._rows[row]
        if role == ID_ROLE:
            return d.id
        if role == KIND_ROLE:
            return d.kind.value
        if column == 0:
            return self._kind_data(d.kind, role)
        if column == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                text = self._snippets.get(row)
                if text is None:
                    text = self._snippets[row] = self._snippet(d)
                return text
            if role == Qt.ItemDataRole.ToolTipRole:
                # Escaped: a variant's text is shown as written, never as rich text.
                return (
                    f"<b>{d.id}</b><br/><b>Left:</b> {html.escape(shorten(d.left.text, 300)) or '(nothing)'}"
                    f"<br/><b>Right:</b> {html.escape(shorten(d.right.text, 300)) or '(nothing)'}"
                )
            return None
        return self._decision_data(d, role)

    def _snippet(self, d: Difference) -> str:
        if self._session is None:
            return snippet(d)
        comparison = self._session.comparison
        if d.kind is DifferenceKind.FORMATTING and (styles := style_change(comparison, d.id, short=True)):
            return snippet(d, styles=styles, words=shown_words(comparison, d.id, Side.LEFT))
        return snippet(d, comparison.change(d.id).marked_side)

    def _kind_data(self, kind: DifferenceKind, role: int) -> object:
        style = KIND_STYLES[kind]
        if role == Qt.ItemDataRole.DisplayRole:
            return style.label
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(kind)
            if icon is None:
                icon = self._icons[kind] = kind_icon(kind)
            return icon
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
            font = self._fonts.get(mine)
            if font is None:
                font = self._fonts[mine] = QFont()
                font.setBold(mine)
                font.setItalic(not mine)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            label = CHOICE_LABELS[decision.choice]
            if mine:
                return f"{label}: your decision"
            why = default_reason(session.comparison.change(d.id), decision.choice)
            return f"{label}: the default, not yet reviewed" + (f" ({why})" if why else "")
        return None


class KindFilterProxy(QAbstractProxyModel):
    """Hides the rows of the kinds the user switched off.

    The shown rows are a list computed in one pass per filter change: a sort-filter proxy
    would call back into Python once per row, which on tens of thousands of rows is slow.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hidden: set[str] = set()
        self._rows: list[int] = []
        self._place: dict[int, int] | None = None  # source row -> shown row; None: all shown
        self._columns = 0

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802
        old = self.sourceModel()
        if old is not None:
            old.modelAboutToBeReset.disconnect(self.beginResetModel)
            old.modelReset.disconnect(self._on_source_reset)
            old.dataChanged.disconnect(self._on_data_changed)
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._on_source_reset)
        model.dataChanged.connect(self._on_data_changed)
        self._on_source_reset()

    def set_hidden_kinds(self, kinds: set[DifferenceKind]) -> None:
        self.beginResetModel()
        self._hidden = {k.value for k in kinds}
        self._on_source_reset()

    def _on_source_reset(self) -> None:
        model = self.sourceModel()
        count = model.rowCount() if model is not None else 0
        self._columns = model.columnCount() if model is not None else 0
        if not self._hidden or model is None:
            self._rows, self._place = list(range(count)), None
        else:
            if isinstance(model, DifferenceTableModel):
                kinds = model.kinds()
            else:
                kinds = [str(model.index(r, 0).data(KIND_ROLE)) for r in range(count)]
            self._rows = [r for r, kind in enumerate(kinds) if kind not in self._hidden]
            self._place = {r: k for k, r in enumerate(self._rows)}
        self.endResetModel()

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]) -> None:
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, top_left.column()), self.index(last, bottom_right.column()), roles
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._columns

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._rows) or not 0 <= column < self._columns:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Straight to the table's cell: mapping an index per role and cell is what makes a
        # repaint slow (a view asks for a dozen roles per cell, most of them unused here).
        if role not in _ROLES or not index.isValid():
            return None
        model = self.sourceModel()
        row = self._rows[index.row()]
        if isinstance(model, DifferenceTableModel):
            return model.cell(row, index.column(), role)
        return model.index(row, index.column()).data(role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mapToSource(self, proxy_index: Index) -> QModelIndex:  # noqa: N802
        model = self.sourceModel()
        if model is None or not proxy_index.isValid():
            return QModelIndex()
        return model.index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:  # noqa: N802
        if not source_index.isValid():
            return QModelIndex()
        row = source_index.row() if self._place is None else self._place.get(source_index.row(), -1)
        return self.index(row, source_index.column()) if row >= 0 else QModelIndex()
