"""The comparison itself: two variant panes joined by the gutter, overview strips, the canonical
pane below, and the differences panel beside; it owns the current difference."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QSplitter, QVBoxLayout, QWidget

from viewer.core import DifferenceKind, Side, Variant
from viewer.core.rest import is_rest
from viewer.look import SIDE_HUES
from viewer.ui.canonical_editor import CanonicalEditor
from viewer.ui.connector import ConnectorGutter
from viewer.ui.decision_bar import DecisionBar
from viewer.ui.differences_panel import DifferencesPanel
from viewer.ui.find_bar import FindBar
from viewer.ui.merge_session import MergeSession
from viewer.ui.overview import OverviewStrip
from viewer.ui.pane_header import PaneHeader
from viewer.ui.prepared import PreparedComparison
from viewer.ui.scroll_sync import ScrollSync
from viewer.ui.text_documents import DocumentStyle, hold_deletions
from viewer.ui.variant_view import VariantView

_SOURCE_NAMES = {"pdf": "text extracted from PDF", "html": "text extracted from HTML"}


def source_description(variant: Variant) -> str:
    """What kind of file a variant came from, as a reader would say it."""
    if variant.source_kind in _SOURCE_NAMES:
        return _SOURCE_NAMES[variant.source_kind]
    suffix = Path(variant.path or variant.name).suffix.lower()
    if suffix in (".md", ".markdown"):
        return "Markdown"
    return "reStructuredText" if is_rest(variant.path or variant.name, variant.text) else "plain text"


class _Steps(QObject):
    """Runs steps one per event-loop turn, so no single turn blocks long; new steps drop the old."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next)

    def run(self, steps: list[Callable[[], None]], *, spread: bool) -> None:
        self._pending = list(steps)
        if spread:
            self._timer.start()
            return
        self._timer.stop()
        while self._pending:
            self._pending.pop(0)()

    def _next(self) -> None:
        if self._pending:
            self._pending.pop(0)()
        if self._pending:
            self._timer.start()


class ComparisonView(QWidget):
    """Everything shown for one comparison; the window only feeds it and wires actions."""

    current_changed = Signal(object)  # difference id or None
    #: The kinds shown changed: the counts of shown differences did.
    shown_changed = Signal()
    files_dropped = Signal(str, QMimeData)  # side value, what was dropped
    #: Every pane shows its text (long texts are put in over a few event-loop turns).
    loading_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparison_view")
        self.prepared: PreparedComparison | None = None
        self.session: MergeSession | None = None
        self.current_id: str | None = None
        self.hidden_kinds: set[DifferenceKind] = set()
        self._navigable_key: tuple[object, ...] = ()
        #: The shown differences: their ids, and their places in reading order (ascending).
        self._navigable: tuple[list[str], Sequence[int]] = ([], [])
        #: The panes are still being filled; scrolling to a difference waits for them.
        self.loading = False
        self._scroll_after_loading: str | None = None
        self._steps = _Steps(self)

        self.views = {side: VariantView(side, self) for side in Side}
        self.left_view, self.right_view = self.views[Side.LEFT], self.views[Side.RIGHT]
        self.headers = {side: PaneHeader(side.value.upper(), SIDE_HUES[side], self) for side in Side}
        self.gutter = ConnectorGutter(self.left_view, self.right_view, self)
        self.overviews = {side: OverviewStrip(self.views[side], self) for side in Side}
        self.scroll_sync = ScrollSync(self.left_view, self.right_view, self)

        variants = QWidget(self)
        grid = QGridLayout(variants)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(0)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.headers[Side.LEFT], 0, 0, 1, 2)
        grid.addWidget(self.headers[Side.RIGHT], 0, 3, 1, 2)
        grid.addWidget(self.overviews[Side.LEFT], 1, 0)
        grid.addWidget(self.left_view, 1, 1)
        grid.addWidget(self.gutter, 1, 2)
        grid.addWidget(self.right_view, 1, 3)
        grid.addWidget(self.overviews[Side.RIGHT], 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        canonical = QWidget(self)
        canonical_layout = QVBoxLayout(canonical)
        canonical_layout.setContentsMargins(0, 0, 0, 0)
        canonical_layout.setSpacing(2)
        self.decision_bar = DecisionBar(canonical)
        self.canonical_header = PaneHeader("CANONICAL", "#555555", canonical)
        self.canonical = CanonicalEditor(canonical)
        self.canonical.updating_changed.connect(self._show_canonical_state)
        self._show_canonical_state(False)
        canonical_layout.addWidget(self.decision_bar)
        canonical_layout.addWidget(self.canonical_header)
        canonical_layout.addWidget(self.canonical, 1)

        self.vertical = QSplitter(Qt.Orientation.Vertical, self)
        self.vertical.addWidget(variants)
        self.vertical.addWidget(canonical)
        self.canonical_area = canonical
        self.vertical.setStretchFactor(0, 3)
        self.vertical.setStretchFactor(1, 2)
        self.vertical.setChildrenCollapsible(False)
        self.panel = DifferencesPanel(self)
        self.horizontal = QSplitter(Qt.Orientation.Horizontal, self)
        self.horizontal.addWidget(self.vertical)
        self.horizontal.addWidget(self.panel)
        self.horizontal.setStretchFactor(0, 4)
        self.horizontal.setStretchFactor(1, 1)
        self.horizontal.setSizes([1000, 340])
        self.find_bar = FindBar([self.left_view, self.right_view, self.canonical], self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.horizontal, 1)
        layout.addWidget(self.find_bar)

        for view in self.views.values():
            view.difference_clicked.connect(self.set_current)
            view.files_dropped.connect(self.files_dropped)
        for strip in self.overviews.values():
            strip.difference_clicked.connect(self.set_current)
        self.gutter.difference_clicked.connect(self.set_current)
        self.canonical.difference_clicked.connect(self.set_current)
        self.panel.difference_selected.connect(self.set_current)
        self.panel.hidden_kinds_changed.connect(self._set_hidden_kinds)

    # -- content -------------------------------------------------------------------------

    def document_styles(self) -> dict[str, DocumentStyle]:
        """How each pane's document must look, for documents filled outside the GUI thread."""
        styles = {side.value: DocumentStyle.of(view) for side, view in self.views.items()}
        styles["canonical"] = DocumentStyle.of(self.canonical)
        return styles

    def show_comparison(self, prepared: PreparedComparison | None, session: MergeSession | None) -> None:
        """Show a comparison; panes with documents filled beforehand get them one per turn."""
        if self.session is not None:
            self.session.changed.disconnect(self._on_session_changed)
            self.session.decisions_changed.disconnect(self._on_session_changed)
            if self.session is not session:
                self.session.release_merges()
        self.prepared, self.session = prepared, session
        self.current_id = None
        self.loading = True
        self._scroll_after_loading = None
        with self.scroll_sync.locked():
            for side, view in self.views.items():
                view.show_variant(None)
                self._describe_side(side)
        self.gutter.decision_of = (
            (lambda i: session.decision(i).choice.value) if session else (lambda _i: None)
        )
        self.panel.set_session(None)
        self.canonical.set_session(None)  # let go of the old session now: it is deleted soon
        if session is not None:
            session.changed.connect(self._on_session_changed)
            session.decisions_changed.connect(self._on_session_changed)
        # Each pane gets its document in one turn and paints it in the next: together, on a long
        # text, the two took longer than a turn should.
        steps: list[Callable[[], None]] = []
        for side in Side:
            steps += [partial(self._show_side, side), partial(self._reveal, self.views[side])]
        steps += [self._show_canonical, partial(self._reveal, self.canonical)]
        steps += [partial(self.panel.set_session, session), self._finish_loading]
        hold_deletions(True)
        self._steps.run(steps, spread=bool(prepared and prepared.documents))

    def _show_side(self, side: Side) -> None:
        prepared = self.prepared
        self.views[side].setUpdatesEnabled(False)
        with self.scroll_sync.locked():
            self.views[side].show_variant(prepared, prepared.take_document(side.value) if prepared else None)
            self.views[side].set_hidden_kinds(self.hidden_kinds)

    @staticmethod
    def _reveal(pane: QWidget) -> None:
        pane.setUpdatesEnabled(True)

    def _show_canonical(self) -> None:
        prepared, session = self.prepared, self.session
        self.canonical.setUpdatesEnabled(False)
        document = prepared.take_document("canonical") if prepared else None
        built_for = prepared.initial_canonical.text if prepared and prepared.initial_canonical else ""
        self.canonical.set_session(session, document, built_for)

    def _finish_loading(self) -> None:
        hold_deletions(False)
        for pane in (*self.views.values(), self.canonical):
            pane.setUpdatesEnabled(True)
        self.loading = False
        self._apply_hidden_kinds()
        self._update_current()
        if self._scroll_after_loading is not None and self._scroll_after_loading == self.current_id:
            self.scroll_to(self._scroll_after_loading)
        self._scroll_after_loading = None
        if self.session is not None:
            self.session.start_merging()  # a long text's first merge waited for the panes
        self.loading_finished.emit()

    def _describe_side(self, side: Side) -> None:
        header = self.headers[side]
        if self.prepared is None:
            header.set_text("(no file)")
            return
        v = self.prepared.comparison.variant(side)
        detail = " · ".join(
            (
                source_description(v),
                v.decoded.encoding_label,
                v.decoded.newline_label,
            )
        )
        tip = "\n".join(x for x in (v.path or v.name, f"{len(v.text):,} characters", v.detail) if x)
        header.set_text(v.name, detail, tip)

    def add_side_action(self, side: Side, action: QAction) -> None:
        self.headers[side].add_action(action)

    def set_decision_actions(self, actions: list[QAction]) -> None:
        """What a right-click on a difference offers, in each pane and the decision bar."""
        for view in self.views.values():
            view.set_decision_actions(actions)
        self.canonical.set_decision_actions(actions)
        self.decision_bar.set_actions(actions)

    # -- the current difference ----------------------------------------------------------

    def navigable_ids(self) -> list[str]:
        """Differences in reading order, without the hidden kinds (kept until either changes)."""
        key = (id(self.prepared), frozenset(self.hidden_kinds))
        if key != self._navigable_key:
            p, hidden = self.prepared, self.hidden_kinds
            places: Sequence[int]
            if p is None:
                ids, places = [], []
            elif not hidden:
                ids, places = p.order_ids, range(len(p.order_ids))
            else:
                places = [k for k, kind in enumerate(p.order_kinds) if kind not in hidden]
                ids = [p.order_ids[k] for k in places]
            self._navigable = (ids, places)
            self._navigable_key = key
        return self._navigable[0]

    def _number(self, difference_id: str | None) -> int:
        """0-based place of a difference among the shown ones, -1 if hidden or none."""
        self.navigable_ids()
        place = self.prepared.order_of.get(difference_id or "") if self.prepared else None
        if place is None:
            return -1
        places = self._navigable[1]
        k = bisect_left(places, place)
        return k if k < len(places) and places[k] == place else -1

    def position(self) -> tuple[int, int]:
        """(1-based number of the current difference among the shown ones, how many are shown)."""
        return self._number(self.current_id) + 1, len(self.navigable_ids())

    def set_current(self, difference_id: str | None, scroll: bool = True) -> None:
        if difference_id == self.current_id and not scroll:
            return
        self.current_id = difference_id
        self._update_current()
        if scroll and difference_id is not None:
            self.scroll_to(difference_id)
        self.current_changed.emit(difference_id)

    def step(self, delta: int) -> bool:
        """Go to the next (+1) or previous (-1) shown difference; False at either end."""
        ids = self.navigable_ids()
        if not ids:
            return False
        k = self._number(self.current_id)
        k = k + delta if k >= 0 else self._nearest_index(ids, delta)
        if not 0 <= k < len(ids):
            return False
        self.set_current(ids[k])
        return True

    def decided(self) -> tuple[int, int]:
        """(How many of the shown differences the user has decided, how many are shown.)"""
        ids = self.navigable_ids()
        if self.session is None:
            return 0, len(ids)
        return sum(map(self.session.is_user_decided, ids)), len(ids)

    def step_unreviewed(self, delta: int) -> str | None:
        """Go to the next (+1) or previous (-1) shown difference the user has not decided,
        going round past either end. Returns how it went: "" (found), "wrapped" (found by
        going round), or None (every shown difference is decided)."""
        ids = self.navigable_ids()
        if self.session is None or not ids:
            return None
        decided = self.session.is_user_decided
        k = self._number(self.current_id)
        start = k + delta if k >= 0 else self._nearest_index(ids, delta)
        n = len(ids)
        for step in range(n):
            at = start + step * delta
            if not decided(ids[at % n]):
                self.set_current(ids[at % n])
                return "" if 0 <= at < n else "wrapped"
        return None

    def _nearest_index(self, ids: list[str], delta: int) -> int:
        """With nothing current, start from what is on screen in the left pane."""
        assert self.prepared is not None
        first = self.prepared.index[Side.LEFT].from_qt(self.left_view.visible_range()[0])
        # The first shown difference (in reading order) from the top of the pane on.
        after = bisect_left(self._navigable[1], bisect_left(self.prepared.left_reach, first))
        return after if delta > 0 else after - 1

    def scroll_to(self, difference_id: str) -> None:
        """Bring a difference into view in both panes (a third down) and in the canonical pane."""
        if self.prepared is None:
            return
        if self.loading:
            self._scroll_after_loading = difference_id
            return
        d = self.prepared.comparison.by_id(difference_id)
        with self.scroll_sync.locked():
            for side, view in self.views.items():
                start, _end = self.prepared.qt_span(d, side)
                view.scroll_position_to(start, view.viewport().height() // 3)
        if self.session is not None:
            where = self.session.range_of(difference_id)
            if where is None:
                # Nothing of it is in the canonical text: go to where it would have been.
                left = d.left.start / max(1, len(self.prepared.comparison.left.text))
                at = int(left * self.canonical.shown_length())
                where = (at, at)
            self.canonical.scroll_to_range(*where)

    def _update_current(self) -> None:
        for view in self.views.values():
            view.set_current(self.current_id)
        for strip in self.overviews.values():
            strip.set_current(self.current_id)
        self.gutter.set_current(self.current_id)
        self.panel.select(self.current_id)
        self._update_decision_bar()

    def _update_decision_bar(self) -> None:
        number, total = self.position()
        d = self.prepared.comparison.by_id(self.current_id) if self.prepared and self.current_id else None
        self.decision_bar.show_difference(self.session, d, number, total)

    def _show_canonical_state(self, updating: bool) -> None:
        if not updating:
            detail = "editable · hover to see which variant a passage came from"
        elif self.canonical.document().isEmpty():
            detail = "merging the variants…"
        else:
            detail = "updating to your decisions…"
        self.canonical_header.set_text("Merged text", detail)

    def _on_session_changed(self) -> None:
        self.gutter.update()
        self._update_decision_bar()

    # -- filtering and display options ---------------------------------------------------

    def _set_hidden_kinds(self, hidden: set[DifferenceKind]) -> None:
        self.hidden_kinds = set(hidden)
        self._apply_hidden_kinds()
        if (
            self.current_id
            and self.prepared
            and self.prepared.comparison.by_id(self.current_id).kind in hidden
        ):
            self.set_current(None, scroll=False)
        else:
            self._update_decision_bar()
        self.shown_changed.emit()

    def _apply_hidden_kinds(self) -> None:
        for view in self.views.values():
            view.set_hidden_kinds(self.hidden_kinds)
        for strip in self.overviews.values():
            strip.set_hidden_kinds(self.hidden_kinds)
        self.gutter.update()

    def set_word_wrap(self, on: bool) -> None:
        for view in self.views.values():
            view.set_word_wrap(on)
        self.canonical.setLineWrapMode(
            CanonicalEditor.LineWrapMode.WidgetWidth if on else CanonicalEditor.LineWrapMode.NoWrap
        )

    def refresh_theme(self) -> None:
        """Repaint highlights after a palette change (tints differ on dark backgrounds)."""
        for view in self.views.values():
            view.refresh_highlights()
        self.canonical.refresh_highlights(force=True)
        self.update()

    def set_canonical_visible(self, visible: bool) -> None:
        self.canonical_area.setVisible(visible)

    def set_panel_visible(self, visible: bool) -> None:
        self.panel.setVisible(visible)
