"""The side panel: the legend-filter and the list of differences with their decisions."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from viewer.core import DifferenceKind
from viewer.ui.difference_model import ID_ROLE, DifferenceTableModel, KindFilterProxy
from viewer.ui.kind_filter import KindFilterBar
from viewer.ui.merge_session import MergeSession
from viewer.ui.palette import KIND_STYLES


class DifferencesPanel(QWidget):
    """Lists the differences; selecting a row makes it the current difference."""

    difference_selected = Signal(str)
    hidden_kinds_changed = Signal(object)  # set[DifferenceKind]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("differences_panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        title = QLabel("<b>Kinds of difference</b> — click a kind to hide or show it")
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setWordWrap(True)
        self.filter_bar = KindFilterBar(self)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.model = DifferenceTableModel(self)
        self.proxy = KindFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("differences_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Right-click offers the window's decision actions for the row under the mouse.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.table.horizontalHeader()
        # Fixed widths from the longest labels: sizing to contents would measure every row.
        metrics = self.table.fontMetrics()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, metrics.horizontalAdvance("Hyphenation") + 30)
        header.resizeSection(2, metrics.horizontalAdvance("Decision") + 24)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 8)
        layout.addWidget(title)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        hint = QLabel("Click a row to go to it. Italic decisions are the defaults; bold ones are yours.")
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setEnabled(False)
        layout.addWidget(hint)
        self._selected: str | None = None
        self.filter_bar.hidden_kinds_changed.connect(self._on_hidden_kinds)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)

    def set_row_actions(self, actions: list[QAction]) -> None:
        self.table.addActions(actions)

    def set_session(self, session: MergeSession | None) -> None:
        self.model.set_session(session)
        # Counted from the model's kinds: the comparison's summary costs a pass over every difference.
        counts = Counter(self.model.kinds())
        if session is not None:
            # The kind column as wide as the longest kind present, not the longest there is.
            metrics = self.table.fontMetrics()
            labels = [KIND_STYLES[DifferenceKind(k)].label for k in counts] or ["Kind"]
            self.table.horizontalHeader().resizeSection(0, max(map(metrics.horizontalAdvance, labels)) + 34)
        self.filter_bar.set_counts(counts)
        self._update_summary()

    def visible_ids(self) -> list[str]:
        """Ids of the rows shown, in order."""
        return [str(self.proxy.index(r, 0).data(ID_ROLE)) for r in range(self.proxy.rowCount())]

    def select(self, difference_id: str | None) -> None:
        """Make a row current without echoing the selection back."""
        self._selected = difference_id
        selection = self.table.selectionModel()
        row = self.model.row_of(difference_id) if difference_id else -1
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        if index == selection.currentIndex():
            return
        self.table.blockSignals(True)
        selection.blockSignals(True)
        try:
            if index.isValid():
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
            else:
                selection.clear()
        finally:
            selection.blockSignals(False)
            self.table.blockSignals(False)
        self.table.viewport().update()

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._selected = str(current.data(ID_ROLE))
            self.difference_selected.emit(self._selected)

    def _on_hidden_kinds(self, hidden: set[DifferenceKind]) -> None:
        self.proxy.set_hidden_kinds(hidden)
        self.select(self._selected)  # the rows were rebuilt: show the current one again
        self._update_summary()
        self.hidden_kinds_changed.emit(hidden)

    def _update_summary(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if total == 0:
            self.summary.setText("")
        elif shown == total:
            self.summary.setText(f"{total} differences, all shown")
        else:
            self.summary.setText(f"{shown} of {total} differences shown ({total - shown} hidden)")
