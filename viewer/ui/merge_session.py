"""The merge in progress: decisions, hand edits and their undo history, for one comparison."""

from __future__ import annotations

import itertools
import time
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from viewer.core import (
    CanonicalText,
    Choice,
    Comparison,
    Decision,
    DifferenceKind,
    MergePolicy,
    Side,
    default_decisions,
    merge,
    merge_json,
)
from viewer.ui import canonical_edits as edits
from viewer.ui.palette import KIND_STYLES
from viewer.ui.prepared import PreparedComparison

#: Above this many changed decisions, hand edits are carried over in one step, not one per difference.
STEPWISE_LIMIT = 16

CHOICE_LABELS: dict[Choice, str] = {
    Choice.LEFT: "Take left",
    Choice.RIGHT: "Take right",
    Choice.BOTH: "Keep both",
    Choice.NEITHER: "Keep neither",
    Choice.CUSTOM: "Custom text",
}


@dataclass(frozen=True, slots=True)
class MergeState:
    """Everything undo can restore: the user's decisions, hand edits and the output format."""

    overrides: Mapping[str, Decision] = field(default_factory=dict)
    patches: edits.Patches = ()
    text_format: str = "txt"


@dataclass(frozen=True, slots=True)
class CanonicalSegment:
    """A stretch of the shown canonical text and where it came from."""

    start: int
    end: int
    side: Side | None
    difference_id: str | None
    edited: bool = False


class _StateCommand(QUndoCommand):
    """One undoable step: restores the whole state before or after it."""

    EDIT_ID = 1

    def __init__(self, session: MergeSession, before: MergeState, after: MergeState, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.before = before
        self.after = after
        self.typing: tuple[int, float] | None = None  # (caret after the edit, time) for merging

    def id(self) -> int:
        return self.EDIT_ID if self.typing is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        # Typing runs into one step, as in any editor; a pause or a jump starts a new one.
        if not isinstance(other, _StateCommand) or self.typing is None or other.typing is None:
            return False
        caret, when = self.typing
        other_when = other.typing[1]
        if other_when - when > 2.0 or abs(other.edit_position - caret) > 1:
            return False
        self.after = other.after
        self.typing = other.typing
        return True

    edit_position = 0

    def redo(self) -> None:
        self.session._restore(self.after)

    def undo(self) -> None:
        self.session._restore(self.before)


class MergeSession(QObject):
    """Decisions per difference, the canonical text they produce, and hand edits on top."""

    changed = Signal()
    #: The decisions changed (not only the text): lists and the gutter need a repaint.
    decisions_changed = Signal()

    def __init__(
        self,
        comparison: Comparison,
        policy: MergePolicy | None = None,
        text_format: str = "txt",
        parent: QObject | None = None,
        *,
        initial: CanonicalText | None = None,
        defaults: dict[str, Decision] | None = None,
    ) -> None:
        super().__init__(parent)
        self.comparison = comparison
        self.policy = policy or MergePolicy()
        # Defaults and the first merge may come ready-made from the worker (given for the default policy).
        self.defaults = (
            defaults
            if defaults is not None and policy is None
            else default_decisions(comparison, self.policy)
        )
        self.undo_stack = QUndoStack(self)
        self._cache: OrderedDict[tuple[str, frozenset[tuple[str, Decision]]], CanonicalText] = OrderedDict()
        self._state = MergeState({}, (), text_format)
        if initial is not None and initial.format == text_format and policy is None:
            self._cache[(text_format, frozenset())] = initial
        self.canonical = self._merged(self._state)
        self._index_segments()
        self.text = self.canonical.text

    @classmethod
    def for_prepared(cls, prepared: PreparedComparison, parent: QObject | None = None) -> MergeSession:
        """A session on a comparison from the worker, reusing its first merge."""
        return cls(
            prepared.comparison,
            text_format=prepared.text_format,
            parent=parent,
            initial=prepared.initial_canonical,
            defaults=prepared.initial_decisions,
        )

    # -- reading -------------------------------------------------------------------------

    @property
    def state(self) -> MergeState:
        return self._state

    @property
    def text_format(self) -> str:
        return self._state.text_format

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def has_hand_edits(self) -> bool:
        return bool(self._state.patches)

    def decision(self, difference_id: str) -> Decision:
        return self._state.overrides.get(difference_id) or self.defaults[difference_id]

    def is_user_decided(self, difference_id: str) -> bool:
        return difference_id in self._state.overrides

    def segments_between(self, start: int, end: int) -> list[CanonicalSegment]:
        """Provenance of the shown text between two positions, hand edits included."""
        patches = self._state.patches
        lo, hi = edits.to_base(patches, start), edits.to_base(patches, end)
        segments = self.canonical.segments
        out = []
        # Segments are in text order and do not overlap: bisect instead of scanning them all.
        first = max(0, bisect_right(self._segment_starts, lo) - 1)
        for seg in itertools.islice(segments, first, None):
            if seg.start > hi:
                break
            if seg.end < lo:
                continue
            a, b = edits.to_current(patches, seg.start), edits.to_current(patches, seg.end)
            if b > a:
                out.append(CanonicalSegment(a, b, seg.side, seg.difference_id))
        for a, b in edits.current_ranges(patches):
            if b >= start and a <= end:
                out.append(CanonicalSegment(a, b, None, None, edited=True))
        return out

    def segment_at(self, position: int) -> CanonicalSegment | None:
        found = [s for s in self.segments_between(position, position) if s.start <= position < s.end]
        edited = [s for s in found if s.edited]
        for candidates in (edited, found):
            if candidates:
                return candidates[0]
        return None

    def range_of(self, difference_id: str) -> tuple[int, int] | None:
        """Where a difference's chosen text stands in the shown text (None if it has none)."""
        where = self._segment_of_id.get(difference_id)
        if where is None:
            return None
        spans = [self.canonical.segments[where[0]], self.canonical.segments[where[1]]]
        patches = self._state.patches
        return edits.to_current(patches, spans[0].start), edits.to_current(patches, spans[-1].end)

    def describe(self, difference_id: str) -> str:
        d = self.comparison.by_id(difference_id)
        return f"{difference_id} ({KIND_STYLES[d.kind].label.lower()})"

    # -- changing (every change is one undoable step) --------------------------------------

    def decide(self, ids: Iterable[str], choice: Choice, label: str | None = None) -> None:
        """Set one decision for some differences, as one undo step."""
        ids = [i for i in ids if self.decision(i) != Decision(choice)]
        if not ids:
            return
        overrides = dict(self._state.overrides)
        for i in ids:
            if self.defaults[i] == Decision(choice):
                overrides.pop(i, None)
            else:
                overrides[i] = Decision(choice)
        text = label or f"{CHOICE_LABELS[choice]}: {self.describe(ids[0])}"
        self._push(self._with_overrides(overrides), text)

    def decide_kind(self, kind: DifferenceKind, choice: Choice) -> None:
        ids = [d.id for d in self.comparison.of_kind(kind)]
        self.decide(ids, choice, f"{CHOICE_LABELS[choice]}: every {KIND_STYLES[kind].label.lower()}")

    def decide_all(self, choice: Choice) -> None:
        ids = [d.id for d in self.comparison.differences]
        self.decide(ids, choice, f"{CHOICE_LABELS[choice]}: every difference")

    def reset_decisions(self) -> None:
        if self._state.overrides:
            self._push(self._with_overrides({}), "Reset every decision to the policy")

    def set_text_format(self, text_format: str) -> None:
        """Show the canonical text as plain text or Markdown; hand edits belong to one format."""
        if text_format != self._state.text_format:
            after = MergeState(self._state.overrides, (), text_format)
            self._push(after, f"Canonical text as {'Markdown' if text_format == 'md' else 'plain text'}")

    def record_edit(self, position: int, removed: int, added: str) -> None:
        """The user typed in the canonical pane: keep it as a patch (typing merges into one step)."""
        patches = edits.edit(self.canonical.text, self._state.patches, position, removed, added)
        after = MergeState(self._state.overrides, patches, self._state.text_format)
        command = _StateCommand(self, self._state, after, "Edit the canonical text")
        command.typing = (position + len(added), time.monotonic())
        command.edit_position = position + (removed if not added else 0)
        self.undo_stack.push(command)

    def mark_exported(self) -> None:
        self.undo_stack.setClean()

    # -- export ----------------------------------------------------------------------------

    def export_text(self, text_format: str) -> str:
        """The canonical text in a format: with hand edits if it is the shown format."""
        if text_format == self._state.text_format:
            return self.text
        return self._merged(MergeState(self._state.overrides, (), text_format)).text

    def export_json(self) -> dict[str, Any]:
        data = merge_json(self.comparison, self._state.overrides, self.policy, self._state.text_format)
        if self._state.patches:
            data["text"] = self.text
            data["edited_by_hand"] = True
        return data

    # -- internals -------------------------------------------------------------------------

    def _with_overrides(self, overrides: dict[str, Decision]) -> MergeState:
        """The next state for new decisions, carrying the hand edits across the change."""
        state = self._state
        patches = state.patches
        if not patches:
            return MergeState(overrides, patches, state.text_format)
        changed = sorted(
            i for i in set(state.overrides) | set(overrides) if state.overrides.get(i) != overrides.get(i)
        )
        if len(changed) > STEPWISE_LIMIT:
            # One merge instead of one per difference: edits inside the whole changed stretch go.
            new_base = self._merged(MergeState(overrides, (), state.text_format)).text
            return MergeState(
                overrides, edits.rebase(self.canonical.text, new_base, patches), state.text_format
            )
        # Step one difference at a time so each edit moves with the text around it.
        step = dict(state.overrides)
        base = self.canonical.text
        for i in changed:
            if i in overrides:
                step[i] = overrides[i]
            else:
                step.pop(i)
            new_base = self._merged(MergeState(dict(step), (), state.text_format)).text
            patches = edits.rebase(base, new_base, patches)
            base = new_base
        return MergeState(overrides, patches, state.text_format)

    def _push(self, after: MergeState, text: str) -> None:
        self.undo_stack.push(_StateCommand(self, self._state, after, text))

    def _merged(self, state: MergeState) -> CanonicalText:
        key = (state.text_format, frozenset(state.overrides.items()))
        cached = self._cache.get(key)
        if cached is None:
            cached = merge(self.comparison, state.overrides, self.policy, state.text_format)
            self._cache[key] = cached
            if len(self._cache) > 16:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return cached

    def _index_segments(self) -> None:
        segments = self.canonical.segments
        self._segment_starts = array("q", (s.start for s in segments))
        self._segment_of_id: dict[str, tuple[int, int]] = {}
        for k, s in enumerate(segments):
            if s.difference_id is not None:
                first = self._segment_of_id.get(s.difference_id, (k, k))[0]
                self._segment_of_id[s.difference_id] = (first, k)

    def _restore(self, state: MergeState) -> None:
        decisions_changed = state.overrides != self._state.overrides
        self._state = state
        canonical = self._merged(state)
        if canonical is not self.canonical:
            self.canonical = canonical
            self._index_segments()
        self.text = edits.apply_patches(self.canonical.text, state.patches)
        self.changed.emit()
        if decisions_changed:
            self.decisions_changed.emit()
