"""Two folders side by side: every pair of variants with its differences, to open one by one."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.batch import without_kinds
from viewer.core import DifferenceKind
from viewer.core.folders import FilePair, FolderPairing, PairOutcome, natural_key, tally
from viewer.look import KIND_ORDER
from viewer.ui.palette import KIND_STYLES

COLUMNS = ("Left", "Right", "Status", "Differences", "Kinds", "Canonical")
STATUS, COUNT, KINDS, CANONICAL = 2, 3, 4, 5
#: What a row lacking a partner is: "only left" or "only right" (see `role`).
ROLE_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_PENDING = "…"
#: How long the summary line may lag behind the outcomes arriving, in milliseconds.
SUMMARY_DELAY_MS = 100
#: A row to list: left name, right name, status, and the pair's number (-1: no partner).
_Row = tuple[str, str, str, int]
#: Rows put in the list in one turn of the event loop (2,000 take about 40 ms).
FILL_CHUNK = 2_000


#: What the canonical column's states say in full.
_CANONICAL_TIPS = {
    "merged": "Merged to {path}",
    "exported": "Exported to {path} (Merge All keeps it)",
    "changed": "Changed at {path} since Merge All wrote it (Merge All keeps it)",
}


def _sort_key(item: QTreeWidgetItem, column: int) -> tuple[str | bool, str | int]:
    """Where a row goes when the list is sorted by `column`: file names in natural order, as
    the command line lists them, counts by number (none first), other columns by text."""
    if column < STATUS:
        return natural_key(item.text(column))
    if column == COUNT:
        count = item.data(COUNT, Qt.ItemDataRole.DisplayRole)
        return (count is not None, count or 0)
    text = item.text(column)
    return (text.casefold(), text)


class FolderView(QWidget):
    """The pairs of two folders; activating a pair (double-click, Enter) asks to compare it."""

    pair_activated = Signal(str, str)
    refresh_requested = Signal()
    merge_requested = Signal()
    reports_requested = Signal()
    open_index_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folder_view")
        self.pairing: FolderPairing | None = None
        self.outcomes: dict[int, PairOutcome] = {}
        self._rows: dict[int, QTreeWidgetItem] = {}
        self._counts = {"same": 0, "different": 0, "trouble": 0}
        #: The state each listed pair shows, and the kinds not counted (see set_hidden_kinds).
        self._states: dict[int, str] = {}
        self._hidden: frozenset[DifferenceKind] = frozenset()
        #: Which show_pairing is filling the list (an older one's turns stop).
        self._filling = 0
        #: The work under way, as the summary says it ("comparing 5 of 10 pairs…").
        self._doing = ""
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(lambda: self._update_summary(self._doing))
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.roots = QLabel()
        self.roots.setTextFormat(Qt.TextFormat.PlainText)
        self.roots.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.roots.setEnabled(False)
        self.hide_same = QCheckBox("&Hide identical pairs")
        self.hide_same.setToolTip(
            "Show only the pairs that differ in a kind the comparison shows, that could not be read,"
            " or that lack a partner"
        )
        self.hide_same.toggled.connect(lambda _on: self._apply_filter())
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Read both folders again and compare every pair (F5)")
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.merge_button = QPushButton("&Merge All…")
        self.merge_button.setToolTip(
            "Write every pair's canonical text into a folder, each difference decided as the preferences say"
        )
        self.merge_button.clicked.connect(self.merge_requested)
        self.reports_button = QPushButton("Re&ports…")
        self.reports_button.setToolTip("Write every pair's differences as HTML pages, with an index to share")
        self.reports_button.clicked.connect(self.reports_requested)
        self.index_button = QPushButton("Open &Index")
        self.index_button.clicked.connect(self.open_index_requested)
        self.index_button.hide()
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setToolTip("Stop comparing (or merging) the pairs")
        self.stop_button.clicked.connect(self.stop_requested)
        self.stop_button.hide()
        self.note = ""
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("folder_pairs")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # The list sorts itself (see _sort): Qt's own sorting would order `ch10` before `ch2`,
        # and would move rows about while their outcomes come in.
        header = self.tree.header()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(lambda _column, _order: self._sort())
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The kinds take the room left; the Canonical column, a word, sits at the right edge.
        header.setSectionResizeMode(KINDS, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        header.resizeSection(STATUS, metrics.horizontalAdvance("only right") + 24)
        header.resizeSection(COUNT, metrics.horizontalAdvance("Differences") + 24)
        header.resizeSection(CANONICAL, metrics.horizontalAdvance("Canonical exported") + 8)
        self.tree.itemActivated.connect(lambda item, _column: self._activate(item))
        self.summary = QLabel()
        self.summary.setObjectName("folder_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel("Double-click a pair, or select it and press Enter, to compare it.")
        hint.setEnabled(False)

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.roots)
        top.addLayout(heading, 1)
        buttons = (
            self.hide_same,
            self.stop_button,
            self.refresh_button,
            self.index_button,
            self.reports_button,
        )
        for widget in (*buttons, self.merge_button):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(hint)
        layout.addLayout(bottom)

    # -- filling ---------------------------------------------------------------------------

    def show_pairing(self, pairing: FolderPairing, listed: Callable[[], None] | None = None) -> None:
        """List the pairs (their differences still to come) and the files without a partner.

        Thousands of rows go in over several turns of the event loop, FILL_CHUNK at a time
        (the window stays responsive); `listed` is called once the last is in."""
        self.pairing = pairing
        self.outcomes = {}
        self._rows = {}
        self._counts = dict.fromkeys(self._counts, 0)
        self._states = {}
        self._filling += 1
        left, right = Path(pairing.left_root), Path(pairing.right_root)
        self.title.setText(f"{left.name or left} ↔ {right.name or right}")
        self.roots.setText(f"{left}   ↔   {right}")
        self.tree.clear()
        header = self.tree.header()
        metrics = self.tree.fontMetrics()
        for column, names in ((0, [p.left for p in pairing.pairs]), (1, [p.right for p in pairing.pairs])):
            # The longest name by characters stands for the widest (measuring every row is slow).
            longest = max(names, key=len, default="")
            header.resizeSection(column, max(160, min(360, metrics.horizontalAdvance(longest) + 24)))
        rows: list[_Row] = [(pair.left, pair.right, _PENDING, row) for row, pair in enumerate(pairing.pairs)]
        rows += [(name, "—", "only left", -1) for name in pairing.only_left]
        rows += [("—", name, "only right", -1) for name in pairing.only_right]
        if pairing.only_left:
            # In order of the left names (the pairs are), files only on the right last: each
            # turn's rows go at the end, and the list is sorted as its header says once all are in.
            rows.sort(key=lambda r: (r[0] == "—", natural_key(r[0])))
        self.merge_button.setEnabled(False)
        self.reports_button.setEnabled(False)
        self._fill(self._filling, rows, 0, listed)

    def _fill(self, filling: int, rows: list[_Row], first: int, listed: Callable[[], None] | None) -> None:
        if filling != self._filling:
            return  # other folders (or the same again) since
        muted = self.palette().placeholderText()
        italic = QFont(self.font())
        italic.setItalic(True)
        items = []
        for left, right, status, row in rows[first : first + FILL_CHUNK]:
            item = QTreeWidgetItem([left, right, status])
            if row >= 0:
                # Only what every row needs now: the count's alignment comes with the count.
                item.setData(0, Qt.ItemDataRole.UserRole, row)
                self._rows[row] = item
            else:
                item.setData(0, ROLE_ROLE, status)
                item.setToolTip(STATUS, f"No file in the {status.split()[1]} folder pairs with this one")
                for column in range(len(COLUMNS)):
                    item.setFont(column, italic)
                    item.setForeground(column, muted)
            items.append(item)
        self.tree.addTopLevelItems(items)
        if first + FILL_CHUNK < len(rows):
            self._update_summary(f"listing {first + FILL_CHUNK:,} of {len(rows):,} files…")
            QTimer.singleShot(0, partial(self._fill, filling, rows, first + FILL_CHUNK, listed))
            return
        header = self.tree.header()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (0, Qt.SortOrder.AscendingOrder):
            self._sort()
        first_item = self.tree.topLevelItem(0)
        if first_item is not None:
            self.tree.setCurrentItem(first_item)
        pairs = bool(self.pairing and self.pairing.pairs)
        self.merge_button.setEnabled(pairs)
        self.reports_button.setEnabled(pairs)
        # No row is filtered yet: the filter hides identical pairs, and none is compared.
        self._update_summary()
        if listed is not None:
            listed()

    def set_hidden_kinds(self, kinds: Collection[DifferenceKind]) -> None:
        """Count only the kinds that the comparison shows (its legend hides typography by
        default): a pair whose differences are all of hidden kinds reads "same", as opening it
        shows none; its count and kinds say what is hidden."""
        hidden = frozenset(kinds)
        if hidden == self._hidden:
            return
        self._hidden = hidden
        for row, outcome in list(self.outcomes.items()):
            self.set_outcome(row, outcome)

    def set_outcome(self, row: int, outcome: PairOutcome) -> None:
        """Show what the comparison of pair `row` found."""
        item = self.item(row)
        if item is None:
            return
        previous = self.outcomes.get(row)
        if row in self._states:
            self._counts[self._states[row]] -= 1
        listed = without_kinds(outcome, self._hidden)
        hidden = {kind: n for kind, n in outcome.summary.items() if kind not in listed.summary}
        state, count = listed.state, listed.differences
        self._counts[state] += 1
        self._states[row] = state
        self.outcomes[row] = outcome
        item.setText(STATUS, state)
        if outcome.error:
            item.setText(KINDS, outcome.error)
            item.setData(COUNT, Qt.ItemDataRole.DisplayRole, None)
            for column in range(len(COLUMNS)):
                item.setToolTip(column, outcome.error)
            for column in (STATUS, KINDS):
                item.setForeground(column, QBrush(Qt.GlobalColor.red))
        else:
            if previous is not None:  # an earlier outcome's colours (and error's tooltips) go
                for column in (STATUS, KINDS):
                    item.setData(column, Qt.ItemDataRole.ForegroundRole, None)
                for column in range(CANONICAL):
                    item.setToolTip(column, "")
            item.setData(COUNT, Qt.ItemDataRole.DisplayRole, count)
            item.setTextAlignment(COUNT, _RIGHT)
            kinds = kinds_text(listed.summary)
            if hidden:
                # What the comparison hides is named in brackets, after what it shows.
                kinds = " ".join(filter(None, (kinds, f"({kinds_text(hidden)} hidden)")))
                tip = f"{count:,} shown; hidden in the comparison: {kinds_text(hidden, every=True)}"
                for column in (STATUS, COUNT):
                    item.setToolTip(column, tip)
            item.setText(KINDS, kinds)
            item.setToolTip(KINDS, kinds_text(outcome.summary, every=True))
            item.setData(
                STATUS, Qt.ItemDataRole.ForegroundRole, None if count else self.palette().placeholderText()
            )
        self._apply_filter(item)
        self._summary_soon()

    def set_canonical(self, row: int, state: str, path: str) -> None:
        """Say where pair `row`'s canonical text is: "merged" (by Merge All), "exported" (by you,
        from the comparison) or "changed" (since Merge All wrote it, which keeps it so)."""
        item = self.item(row)
        if item is not None:
            item.setText(CANONICAL, state)
            item.setToolTip(CANONICAL, _CANONICAL_TIPS[state].format(path=path))

    def set_progress(self, done: int, total: int, doing: str = "comparing") -> None:
        self._doing = f"{doing} {done:,} of {total:,} pairs…" if done < total else ""
        self._summary_soon()

    def set_activity(self, doing: str) -> None:
        """Say what is under way now ("reading the folders…"), until the next progress."""
        self._doing = doing
        self._update_summary(doing)

    def set_busy(self, busy: bool) -> None:
        """While the pairs are worked on: Stop instead of Refresh and Merge All."""
        self.stop_button.setVisible(busy)
        self.refresh_button.setEnabled(not busy)
        for button in (self.merge_button, self.reports_button):
            button.setEnabled(not busy and bool(self.pairing and self.pairing.pairs))
        if busy:
            self.note = ""
        elif self.tree.header().sortIndicatorSection() >= STATUS:
            self._sort()  # by what the work found
        self._doing = "starting…" if busy else ""
        self._update_summary(self._doing)

    def set_index(self, index: str) -> None:
        """Offer to open the reports' index.html ("" once there is none for these folders)."""
        self.index_button.setVisible(bool(index))
        self.index_button.setToolTip(f"Open {index} in the web browser" if index else "")

    def set_note(self, note: str) -> None:
        """A line after the counts until the next scan (what a merge wrote, that a scan stopped)."""
        self.note = note
        self._update_summary()

    # -- reading ---------------------------------------------------------------------------

    def items(self) -> list[QTreeWidgetItem]:
        """Every row, in the order shown."""
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def item(self, row: int) -> QTreeWidgetItem | None:
        """The list row of pair number `row` of the pairing (wherever sorting put it)."""
        return self._rows.get(row)

    def selected_pair(self) -> FilePair | None:
        item = self.tree.currentItem()
        if item is None or role(item) != "pair" or self.pairing is None:
            return None
        return self.pairing.pairs[int(item.data(0, Qt.ItemDataRole.UserRole))]

    def step(self, step: int) -> bool:
        """Make the next (step 1) or previous (-1) pair shown the current row and open it, in the
        list's order (sorting and the hidden identical pairs count); False at the end."""
        rows = [i for i in self.items() if role(i) == "pair" and not i.isHidden()]
        current = self.tree.currentItem()
        if not rows:
            return False
        at = rows.index(current) + step if current in rows else 0 if step > 0 else len(rows) - 1
        if not 0 <= at < len(rows):
            return False
        self.tree.setCurrentItem(rows[at])
        self._activate(rows[at])
        return True

    def _activate(self, item: QTreeWidgetItem) -> None:
        if self.pairing is None:
            return
        what = role(item)
        if what != "pair":
            self._update_summary(
                f"{item.text(0) if what == 'only left' else item.text(1)} has no partner to compare with"
            )
            return
        pair = self.pairing.pairs[int(item.data(0, Qt.ItemDataRole.UserRole))]
        self.pair_activated.emit(*self.pairing.paths(pair))

    def _sort(self) -> None:
        """Order the rows as the header's sort indicator says (the current row stays current)."""
        header = self.tree.header()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        items = self.items()
        current = self.tree.currentItem()
        ordered = sorted(
            items, key=lambda item: _sort_key(item, column), reverse=order is Qt.SortOrder.DescendingOrder
        )
        if ordered == items:
            return
        self.tree.invisibleRootItem().takeChildren()
        self.tree.addTopLevelItems(ordered)
        if current is not None:
            self.tree.setCurrentItem(current)
        self._apply_filter()

    # -- filter and summary ----------------------------------------------------------------

    def _apply_filter(self, only: QTreeWidgetItem | None = None) -> None:
        hide = self.hide_same.isChecked()
        if only is not None:
            only.setHidden(hide and only.text(STATUS) == "same")
            return
        for item in self.items():
            hidden = hide and item.text(STATUS) == "same"
            if hidden != item.isHidden():  # setHidden costs even when it changes nothing
                item.setHidden(hidden)

    def _summary_soon(self) -> None:
        """Bring the summary up to date within SUMMARY_DELAY_MS: hundreds of outcomes a second
        each setting the line (and laying out the window again) would hold the window up."""
        if not self._summary_timer.isActive():
            self._summary_timer.start()

    def _update_summary(self, doing: str = "") -> None:
        if self.pairing is None:
            self.summary.setText("")
            return
        extra = doing or self.note
        if not (self.pairing.pairs or self.pairing.only_left or self.pairing.only_right) and extra:
            # Nothing listed yet (the folders are being read): no counts of nothing.
            self.summary.setText(extra[:1].upper() + extra[1:])
            return
        text = tally(self.pairing, self._counts)
        self.summary.setText(f"{text} — {extra}" if extra else text)


def role(item: QTreeWidgetItem) -> str:
    """What a row is: "pair", "only left" or "only right"."""
    return str(item.data(0, ROLE_ROLE) or "pair")


def kinds_text(summary: dict[str, int], every: bool = False) -> str:
    """ "wording 5, link 4, break 3" in the window's order of kinds (the first four, unless every)."""
    order = {kind.value: k for k, kind in enumerate(KIND_ORDER)}
    counts = sorted(summary.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    shown = counts if every else counts[:4]
    text = ", ".join(f"{_label(kind)} {n:,}" for kind, n in shown)
    return text + (", …" if len(shown) < len(counts) else "")


def _label(kind: str) -> str:
    try:
        return KIND_STYLES[DifferenceKind(kind)].label.lower()
    except (ValueError, KeyError):
        return kind
