"""The part of a merge session that merges long texts in the worker thread.

Merging a 5 MB comparison takes a second or more. A decision is recorded at once (the
list, the gutter and the decision bar follow it) and the merged text follows when the
worker is done; a newer request makes an older one stale, and undo to a text merged
before shows at once. A decision that must carry hand edits over needs the merged texts
first: it waits for them, and decisions made meanwhile wait behind it, in order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.core import CanonicalText, Comparison, Decision, merge
from viewer.ui.background import BackgroundWork, dispose
from viewer.ui.heavy_work import heavy_work
from viewer.ui.prepared import SegmentRanges, segment_ranges

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from viewer.ui.merge_session import MergeState

#: Comparisons longer than this (characters, both sides) merge in a worker thread.
BACKGROUND_MERGE_CHARS = 200_000
#: Merged texts a session keeps (the session's own cache keeps as many).
CACHE_SIZE = 16

Key = tuple[object, ...]


def merges_in_background(comparison: Comparison) -> bool:
    """Whether a session on this comparison merges in the worker thread (the first merge too)."""
    return len(comparison.left.text) + len(comparison.right.text) >= BACKGROUND_MERGE_CHARS


class BackgroundMerging:
    """Mixin of MergeSession: merges in the worker thread; `updating` while one is pending."""

    # Provided by MergeSession.
    comparison: Comparison
    updating: bool
    updating_changed: SignalInstance
    _state: MergeState
    _cache: OrderedDict[Key, CanonicalText]
    _ranges: dict[int, tuple[CanonicalText, SegmentRanges]]

    if TYPE_CHECKING:

        @staticmethod
        def _key(state: MergeState) -> Key: ...
        def _merged(self, state: MergeState) -> CanonicalText: ...
        def _show_merged(self, canonical: CanonicalText, ranges: SegmentRanges | None = None) -> None: ...
        def _with_overrides(self, overrides: dict[str, Decision]) -> MergeState: ...
        def _carry_states(self, overrides: Mapping[str, Decision]) -> list[MergeState]: ...
        def _push(self, after: MergeState, text: str) -> None: ...

    def _start_background(self, owner: QObject) -> None:
        """Set up the workers; short texts merge at once, in the calling thread."""
        small = not merges_in_background(self.comparison)
        self.updating = False
        #: The first merge waits for start_merging (while the window shows the comparison, a
        #: merge in the worker thread would slow it down).
        self._waiting = False
        self._background = BackgroundWork(owner, synchronous=small)
        # Decisions that must carry hand edits over wait for their merges here, in order.
        self._carrying = BackgroundWork(owner, synchronous=small)
        self._queued: list[Callable[[], None]] = []

    def release_merges(self) -> None:
        """Let the merged texts kept for undo go, freed in the worker (the session is closing);
        a merge still running stops early."""
        self._background.drop()
        kept: list[object] = [*self._cache.values(), *self._ranges.values()]
        self._cache.clear()
        self._ranges = {}
        dispose(kept)

    def start_merging(self) -> None:
        """Start the first merge, if it waits (see _waiting)."""
        if self._waiting:
            self._show_state(self._state)

    def settle(self) -> None:
        """Finish a merge still running in the background (or waiting) here and now."""
        if self._background.busy or self._waiting:
            self._waiting = False
            self._background.drop()
            self._show_merged(self._merged(self._state))

    def _show_state(self, state: MergeState) -> None:
        """Show the text of the state just restored: from the cache, or merged in the worker."""
        self._waiting = False
        if not self._background.synchronous and self._key(state) not in self._cache:
            self._merge_later(state)
        else:
            self._background.drop()
            self._show_merged(self._merged(state))

    def _set_updating(self) -> None:
        updating = self._background.busy or self._carrying.busy or self._waiting
        if updating != self.updating:
            self.updating = updating
            self.updating_changed.emit(updating)

    def _remember(self, key: Key, canonical: CanonicalText) -> None:
        self._cache[key] = canonical
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _queue(self, change: Callable[[], None]) -> bool:
        """Keep a change for later while a decision waits for its merges (True: it was kept)."""
        if not self._carrying.busy:
            return False
        self._queued.append(change)
        return True

    def _push_carrying(self, overrides: dict[str, Decision], text: str) -> None:
        """Push new decisions; on a long text with hand edits, merge what carrying them needs first."""
        if self._state.patches and not self._carrying.synchronous:
            missing = [s for s in self._carry_states(overrides) if self._key(s) not in self._cache]
            if missing:
                self._merge_first(missing, lambda: self._push_carrying(overrides, text))
                return
        self._push(self._with_overrides(overrides), text)

    def _merge_first(self, states: list[MergeState], then: Callable[[], None]) -> None:
        """Merge these states in the worker, keep them, then run `then` and the changes kept meanwhile."""
        comparison, key = self.comparison, self._key

        def merged() -> list[tuple[Key, CanonicalText]]:
            with heavy_work():
                return [(key(s), merge(comparison, s.overrides, s.policy, s.text_format)) for s in states]

        def arrived(results: list[tuple[Key, CanonicalText]]) -> None:
            for found, canonical in results:
                self._remember(found, canonical)
            then()
            self._set_updating()
            while self._queued and not self._carrying.busy:
                self._queued.pop(0)()

        self._carrying.request(merged, arrived)
        self._set_updating()

    def _merge_later(self, state: MergeState) -> None:
        """Merge in the worker thread; until then the shown text is the one before."""
        comparison, key = self.comparison, self._key(state)
        # A merge that a newer one replaced stops early instead of keeping the worker busy.
        stale = self._background.staleness()

        def merged() -> tuple[CanonicalText, SegmentRanges]:
            with heavy_work():
                overrides, policy, text_format = state.overrides, state.policy, state.text_format
                canonical = merge(comparison, overrides, policy, text_format, cancelled=stale)
                return canonical, segment_ranges(canonical)

        def arrived(result: tuple[CanonicalText, SegmentRanges]) -> None:
            canonical, ranges = result
            self._remember(key, canonical)
            if key == self._key(self._state):
                self._show_merged(canonical, ranges)

        self._background.request(merged, arrived)
        self._set_updating()
