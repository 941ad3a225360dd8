"""The merge in progress: decisions, hand edits and their undo history, for one comparison."""

from __future__ import annotations

import itertools
import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter
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
from viewer.ui.merge_background import BackgroundMerging
from viewer.ui.palette import KIND_STYLES
from viewer.ui.prepared import PreparedComparison, SegmentRanges, segment_ranges

#: Above this many changed decisions, hand edits are carried over in one step, not one per difference.
STEPWISE_LIMIT = 16
_segment_start = attrgetter("start")

CHOICE_LABELS: dict[Choice, str] = {
    Choice.LEFT: "Take left",
    Choice.RIGHT: "Take right",
    Choice.BOTH: "Keep both",
    Choice.NEITHER: "Keep neither",
    Choice.CUSTOM: "Custom text",
}


@dataclass(frozen=True, slots=True)
class MergeState:
    """Everything undo can restore: the user's decisions, hand edits, output format and policy."""

    overrides: Mapping[str, Decision] = field(default_factory=dict)
    patches: edits.Patches = ()
    text_format: str = "txt"
    policy: MergePolicy = field(default_factory=MergePolicy)


def policy_key(policy: MergePolicy) -> tuple[object, ...]:
    """A hashable stand-in for a policy (its per-kind rules are a dict)."""
    return policy.name, policy.prefer, tuple(sorted((k.value, r) for k, r in policy.kind_choices.items()))


@dataclass(frozen=True, slots=True)
class CanonicalSegment:
    """A stretch of the shown canonical text and where it came from."""

    start: int
    end: int
    side: Side | None
    difference_id: str | None
    edited: bool = False


def _patches_fit(base: str, patches: edits.Patches) -> bool:
    """Whether patches are in order, apart, and inside the text (saved ones may not be)."""
    end = 0
    for p in patches:
        if not end <= p.start <= p.end <= len(base):
            return False
        end = p.end
    return True


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


class MergeSession(QObject, BackgroundMerging):
    """Decisions per difference, the canonical text they produce, and hand edits on top."""

    changed = Signal()
    #: The decisions changed (not only the text): lists and the gutter need a repaint.
    decisions_changed = Signal()
    #: True while the text of the current decisions is being merged in the background.
    updating_changed = Signal(bool)

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
        policy = policy or MergePolicy()
        # Defaults and the first merge may come ready-made from the worker (given for the default policy).
        ready_made = policy == MergePolicy()
        self.defaults = (
            defaults if defaults is not None and ready_made else default_decisions(comparison, policy)
        )
        self.undo_stack = QUndoStack(self)
        self._cache: OrderedDict[tuple[object, ...], CanonicalText] = OrderedDict()
        self._state = MergeState({}, (), text_format, policy)
        if initial is not None and initial.format == text_format and ready_made:
            self._cache[self._key(self._state)] = initial
        self._ranges: dict[int, tuple[CanonicalText, SegmentRanges]] = {}
        self._start_background(self)
        if self._background.synchronous or self._key(self._state) in self._cache:
            self.canonical = self._merged(self._state)
            self._index_segments()
            self.text = self.canonical.text
        else:
            # A long text's first merge runs in the worker thread too, from start_merging (the
            # window calls it once the panes show the comparison): until it is done, the session
            # is `updating` and shows nothing (asked for its text, it merges it at once).
            self.canonical = CanonicalText("", text_format, ())
            self.text = ""
            self._waiting = True
            self._set_updating()

    @classmethod
    def for_prepared(
        cls, prepared: PreparedComparison, parent: QObject | None = None, policy: MergePolicy | None = None
    ) -> MergeSession:
        """A session on a comparison from the worker, reusing its first merge."""
        session = cls(
            prepared.comparison,
            policy,
            text_format=prepared.text_format,
            parent=parent,
            initial=prepared.initial_canonical,
            defaults=prepared.initial_decisions,
        )
        if prepared.initial_ranges is not None and session.canonical is prepared.initial_canonical:
            session._index_segments(prepared.initial_ranges)
        return session

    # -- reading -------------------------------------------------------------------------

    @property
    def state(self) -> MergeState:
        return self._state

    @property
    def text_format(self) -> str:
        return self._state.text_format

    @property
    def policy(self) -> MergePolicy:
        return self._state.policy

    @property
    def text(self) -> str:
        """The canonical text with hand edits (while a merge runs, finishing it first)."""
        self.settle()
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = value

    @property
    def shown_text(self) -> str:
        """The text to show now, without waiting for a merge under way: the one before it
        (empty while the first merge runs)."""
        return self._text

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
        first = max(0, bisect_right(segments, lo, key=_segment_start) - 1)
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
        where = self._segment_ranges().get(difference_id)
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
        ids = list(ids)
        if self._queue(lambda: self.decide(ids, choice, label)):
            return
        # Taking what the default takes is a decision too: the difference is reviewed.
        ids = [i for i in ids if self._state.overrides.get(i) != Decision(choice)]
        if not ids:
            return
        overrides = dict(self._state.overrides)
        for i in ids:
            overrides[i] = Decision(choice)
        text = label or f"{CHOICE_LABELS[choice]}: {self.describe(ids[0])}"
        self._push_carrying(overrides, text)

    def decide_kind(self, kind: DifferenceKind, choice: Choice) -> None:
        ids = [d.id for d in self.comparison.of_kind(kind)]
        self.decide(ids, choice, f"{CHOICE_LABELS[choice]}: every {KIND_STYLES[kind].label.lower()}")

    def decide_all(self, choice: Choice) -> None:
        ids = [d.id for d in self.comparison.differences]
        self.decide(ids, choice, f"{CHOICE_LABELS[choice]}: every difference")

    def reset_decisions(self) -> None:
        if self._queue(self.reset_decisions):
            return
        if self._state.overrides:
            self._push_carrying({}, "Reset every decision to the policy")

    def set_text_format(self, text_format: str) -> None:
        """Show the canonical text as plain text or Markdown; hand edits belong to one format."""
        if text_format != self._state.text_format:
            after = replace(self._state, patches=(), text_format=text_format)
            self._push(after, f"Canonical text as {'Markdown' if text_format == 'md' else 'plain text'}")

    def record_edit(self, position: int, removed: int, added: str) -> None:
        """The user typed in the canonical pane: keep it as a patch (typing merges into one step)."""
        self.settle()
        patches = edits.edit(self.canonical.text, self._state.patches, position, removed, added)
        after = replace(self._state, patches=patches)
        command = _StateCommand(self, self._state, after, "Edit the canonical text")
        command.typing = (position + len(added), time.monotonic())
        command.edit_position = position + (removed if not added else 0)
        self.undo_stack.push(command)

    def set_policy(self, policy: MergePolicy, label: str = "Change the default decisions") -> None:
        """Decide the differences the user left alone by another policy, as one undo step."""
        if policy_key(policy) != policy_key(self.policy):
            self.settle()  # hand edits are carried over from the text now shown
            self.replace_state(
                self._state.overrides,
                self._state.patches,
                policy=policy,
                label=label,
                patches_base=self.canonical.text,
            )

    def replace_state(
        self,
        overrides: Mapping[str, Decision],
        patches: edits.Patches = (),
        text_format: str | None = None,
        policy: MergePolicy | None = None,
        *,
        label: str,
        patches_base: str | None = None,
    ) -> int:
        """Set decisions, hand edits, format and policy as one undo step; returns the patches dropped."""
        # Patches sit on the new state's merged text, or on `patches_base` and are carried over.
        known = {i: d for i, d in overrides.items() if i in self.defaults}
        after = MergeState(known, (), text_format or self._state.text_format, policy or self.policy)
        base = self._merged(after).text
        fitting = patches if patches_base is None else edits.rebase(patches_base, base, patches)
        if not _patches_fit(base, fitting):
            fitting = ()
        after = replace(after, patches=fitting)
        if after != self._state:
            self._push(after, label)
        return len(patches) - len(fitting)

    def mark_exported(self) -> None:
        self.undo_stack.setClean()

    # -- export ----------------------------------------------------------------------------

    def export_text(self, text_format: str) -> str:
        """The canonical text in a format: with hand edits if it is the shown format."""
        if text_format == self._state.text_format:
            return self.text
        return self._merged(replace(self._state, patches=(), text_format=text_format)).text

    def export_json(self) -> dict[str, Any]:
        data = merge_json(self.comparison, self._state.overrides, self.policy, self._state.text_format)
        if self._state.patches:
            data["text"] = self.text
            data["edited_by_hand"] = True
        return data

    # -- internals -------------------------------------------------------------------------

    def _with_overrides(self, overrides: dict[str, Decision]) -> MergeState:
        """The next state for new decisions, carrying the hand edits across the change."""
        if self._state.patches:
            self.settle()  # hand edits are carried over from the text now shown
        state = self._state
        patches = state.patches
        if not patches:
            return replace(state, overrides=overrides)
        changed = sorted(
            i for i in set(state.overrides) | set(overrides) if state.overrides.get(i) != overrides.get(i)
        )
        if len(changed) > STEPWISE_LIMIT:
            # One merge instead of one per difference: edits inside the whole changed stretch go.
            new_base = self._merged(replace(state, overrides=overrides, patches=())).text
            return replace(
                state, overrides=overrides, patches=edits.rebase(self.canonical.text, new_base, patches)
            )
        # Step one difference at a time so each edit moves with the text around it.
        step = dict(state.overrides)
        base = self.canonical.text
        for i in changed:
            if i in overrides:
                step[i] = overrides[i]
            else:
                step.pop(i)
            new_base = self._merged(replace(state, overrides=dict(step), patches=())).text
            patches = edits.rebase(base, new_base, patches)
            base = new_base
        return replace(state, overrides=overrides, patches=patches)

    def _carry_states(self, overrides: Mapping[str, Decision]) -> list[MergeState]:
        """The states whose merged texts _with_overrides reads (kept in step with it)."""
        state = self._state
        changed = sorted(
            i for i in set(state.overrides) | set(overrides) if state.overrides.get(i) != overrides.get(i)
        )
        if len(changed) > STEPWISE_LIMIT:
            return [replace(state, overrides=overrides, patches=())]
        step = dict(state.overrides)
        states = []
        for i in changed:
            if i in overrides:
                step[i] = overrides[i]
            else:
                step.pop(i)
            states.append(replace(state, overrides=dict(step), patches=()))
        return states

    def _push(self, after: MergeState, text: str) -> None:
        self.undo_stack.push(_StateCommand(self, self._state, after, text))

    @staticmethod
    def _key(state: MergeState) -> tuple[object, ...]:
        return state.text_format, frozenset(state.overrides.items()), policy_key(state.policy)

    def _merged(self, state: MergeState) -> CanonicalText:
        key = self._key(state)
        cached = self._cache.get(key)
        if cached is None:
            cached = merge(self.comparison, state.overrides, state.policy, state.text_format)
            self._cache[key] = cached
            if len(self._cache) > 16:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return cached

    def _index_segments(self, ranges: SegmentRanges | None = None) -> None:
        """Keep the segment ranges known for the merged texts still in use (taking new ones)."""
        if ranges is not None:
            self._ranges[id(self.canonical)] = (self.canonical, ranges)
        live = {id(c) for c in self._cache.values()} | {id(self.canonical)}
        self._ranges = {k: v for k, v in self._ranges.items() if k in live}

    def _segment_ranges(self) -> SegmentRanges:
        """Where each difference's segments are in the shown merged text (computed once per text)."""
        found = self._ranges.get(id(self.canonical))
        if found is None:
            found = self._ranges[id(self.canonical)] = (self.canonical, segment_ranges(self.canonical))
        return found[1]

    def _restore(self, state: MergeState) -> None:
        decisions_changed = state.overrides != self._state.overrides
        if policy_key(state.policy) != policy_key(self._state.policy):
            self.defaults = default_decisions(self.comparison, state.policy)
            decisions_changed = True
        self._state = state
        self._show_state(state)
        if decisions_changed:
            self.decisions_changed.emit()

    def _show_merged(self, canonical: CanonicalText, ranges: SegmentRanges | None = None) -> None:
        if canonical is not self.canonical:
            self.canonical = canonical
            self._index_segments(ranges)
        self.text = edits.apply_patches(self.canonical.text, self._state.patches)
        self.changed.emit()
        self._set_updating()
