"""A comparison made ready for display: Qt positions, visible-range lookups and scroll mapping.

Everything here is computed once, in the worker thread, so painting and scrolling only bisect.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from viewer.core import (
    CanonicalText,
    Comparison,
    Difference,
    DifferenceKind,
    MergePolicy,
    Side,
    default_decisions,
    merge,
)
from viewer.core.cancel import check
from viewer.ui.text_offsets import Utf16Index

if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument

#: Shared words used as scroll anchors: one in this many (a line holds about a dozen words).
ANCHOR_STEP = 4

#: Difference id -> (first, last) index of its segments in a merged text.
SegmentRanges = dict[str, tuple[int, int]]


def segment_ranges(canonical: CanonicalText) -> SegmentRanges:
    """Where each difference's segments are in a merged text (0.05 s on 5 MB: built off-thread)."""
    ids = [s.difference_id for s in canonical.segments]
    # Building a dict keeps a key's last value: from the ids forwards and backwards.
    last = dict(zip(ids, range(len(ids)), strict=True))
    first = dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True))
    return {i: (first[i], k) for i, k in last.items() if i is not None}


@dataclass(frozen=True, slots=True)
class PlacedDifference:
    """A difference with its span on one side in Qt (UTF-16) positions."""

    difference: Difference
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class KindMarkers:
    """One kind's differences on one side in position order: Qt starts, lengths and ids."""

    starts: array[int]
    lengths: array[int]
    ids: list[str]


class SideSpans:
    """The differences of one side, sorted by position, for finding those in a visible range.

    Kept as arrays (Qt starts and ends, and each one's running reach), with the differences
    in position order: a long comparison's tens of thousands are placed by a few array passes,
    and only those in view are made PlacedDifference records, as they are asked for."""

    def __init__(
        self, differences: Sequence[Difference], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
    ) -> None:
        """`starts` and `ends`: each difference's Qt span on this side, in the differences' order."""
        order = np.lexsort((ends, starts)) if len(starts) else np.zeros(0, dtype=np.intp)
        self._differences = [differences[k] for k in order.tolist()]
        self._starts = starts[order]
        self._ends = ends[order]
        # How far the spans so far reach: a running maximum, so it can be walked back from.
        self._reach = np.maximum.accumulate(self._ends) if len(order) else self._ends

    def __len__(self) -> int:
        return len(self._differences)

    def overlapping(self, start: int, end: int) -> Iterator[PlacedDifference]:
        """Differences touching [start, end], in position order (empty spans included)."""
        hi = int(np.searchsorted(self._starts, end, side="right"))
        # Back to the first span that may still reach into the range: the reach never falls.
        lo = int(np.searchsorted(self._reach[:hi], start, side="left"))
        starts, ends = self._starts[lo:hi].tolist(), self._ends[lo:hi].tolist()
        for d, s, e in zip(self._differences[lo:hi], starts, ends, strict=True):
            if e >= start:
                yield PlacedDifference(d, s, e)

    def by_kind(self) -> dict[DifferenceKind, KindMarkers]:
        """The spans grouped by kind, for the overview strip (which bisects them per pixel row)."""
        kinds = [d.kind for d in self._differences]
        grouped: dict[DifferenceKind, KindMarkers] = {}
        lengths = self._ends - self._starts
        codes = {kind: k for k, kind in enumerate(dict.fromkeys(kinds))}
        numbered = np.array([codes[kind] for kind in kinds], dtype=np.intp)
        for kind, code in codes.items():
            where = np.flatnonzero(numbered == code)
            grouped[kind] = KindMarkers(
                _as_q(self._starts[where]),
                _as_q(lengths[where]),
                [self._differences[k].id for k in where.tolist()],
            )
        return grouped


def _as_q(values: npt.NDArray[np.int64]) -> array[int]:
    out = array("q")
    out.frombytes(values.astype(np.int64).tobytes())
    return out


class OffsetMap:
    """Monotone anchor pairs between the two texts, interpolated between anchors."""

    def __init__(
        self,
        pairs: Iterable[tuple[int, int]] | tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
        left_length: int,
        right_length: int,
        *,
        ordered: bool = False,
    ) -> None:
        """`pairs`: (left, right) offset pairs, or two arrays of them. `ordered`: the pairs
        already come in order on both sides (no sort of a million pairs needed)."""
        if isinstance(pairs, tuple) and len(pairs) == 2 and isinstance(pairs[0], np.ndarray):
            left, right = (np.asarray(side, dtype=np.int64) for side in pairs)
        else:
            flat = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
            left, right = flat[:, 0], flat[:, 1]
        if not ordered or (len(left) > 1 and bool((np.diff(left) < 0).any())):
            order = np.lexsort((right, left))
            left, right = left[order], right[order]
        left, right = _monotone(left, right)
        if left[-1] <= left_length and right[-1] <= right_length:
            left, right = np.append(left, left_length), np.append(right, right_length)
        self._anchors = {Side.LEFT: _as_q(left), Side.RIGHT: _as_q(right)}

    def map(self, side: Side, offset: int) -> int:
        """The offset on the other side that corresponds to `offset` on `side`."""
        src, dst = self._anchors[side], self._anchors[side.other]
        k = bisect_right(src, offset) - 1
        if k < 0:
            return dst[0]
        if k >= len(src) - 1:
            return dst[-1]
        s0, s1, d0, d1 = src[k], src[k + 1], dst[k], dst[k + 1]
        if s1 == s0:
            return d0
        return d0 + round((offset - s0) * (d1 - d0) / (s1 - s0))


def _monotone(
    left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """From pairs sorted by left offset, after a first anchor (0, 0): those that go back on
    neither side, once each (moved passages break monotony: such an anchor is dropped).

    Walking them in turn, a pair is kept when it is at or past the last kept one on both sides
    and not the same pair. Sorted by left offset, the last kept pair is as far on the right as
    any before it (a pair is dropped only short of it), and a pair equal to it comes right
    after it: so each pair is judged at once by a running maximum and its neighbour."""
    left = np.concatenate((np.zeros(1, dtype=np.int64), left))
    right = np.concatenate((np.zeros(1, dtype=np.int64), right))
    before = np.maximum.accumulate(right)[:-1]
    keep = (right[1:] >= before) & ((left[1:] != left[:-1]) | (right[1:] != right[:-1]))
    chosen = np.concatenate(([True], keep))
    return left[chosen], right[chosen]


_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm"})


def default_format(comparison: Comparison) -> str:
    """Markdown for the canonical text when a variant carries markup worth keeping."""
    for v in (comparison.left, comparison.right):
        if v.source_kind == "html" or Path(v.path or v.name).suffix.lower() in _MARKDOWN_SUFFIXES:
            return "md"
    return "txt"


class PreparedComparison:
    """The comparison plus everything the window needs to draw it quickly."""

    def __init__(
        self,
        comparison: Comparison,
        *,
        with_canonical: bool = True,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        """`cancelled` is polled between the steps (raising Cancelled when it returns True)."""
        self.comparison = comparison
        self.text_format = default_format(comparison)
        #: Documents filled in the worker for the panes ("left", "right", "canonical"), taken once.
        self.documents: dict[str, QTextDocument] = {}
        check(cancelled)
        self.index = {}
        for side in Side:
            self.index[side] = Utf16Index(comparison.variant(side).text)
            check(cancelled)
        self.spans: dict[Side, SideSpans] = {}
        self.markers: dict[Side, dict[DifferenceKind, KindMarkers]] = {}
        differences = comparison.differences
        for side in Side:
            check(cancelled)
            spans = [d.span(side) for d in differences]
            index = self.index[side]
            starts = index.to_qt_array(np.array([span.start for span in spans], dtype=np.int64))
            ends = index.to_qt_array(np.array([span.end for span in spans], dtype=np.int64))
            del spans
            self.spans[side] = SideSpans(differences, starts, ends)
            check(cancelled)
            self.markers[side] = self.spans[side].by_kind()
        #: Reading order for navigation: ids, kinds, place of each id, and how far on the left
        #: the differences so far reach (a running maximum, so it can be bisected).
        self.order_ids = [d.id for d in differences]
        self.order_kinds = [d.kind for d in differences]
        self.order_of = {i: k for k, i in enumerate(self.order_ids)}
        self.left_reach = array("q", accumulate((d.left.start for d in differences), max))
        check(cancelled)
        anchors = _word_anchors(comparison)
        self.offset_map = OffsetMap(
            anchors if anchors is not None else _anchor_pairs(comparison),
            len(comparison.left.text),
            len(comparison.right.text),
            ordered=anchors is not None,
        )
        check(cancelled)
        # The default decisions, and the first merge unless the session is to make it in its
        # own worker (long texts, which the panes need first): off the GUI thread.
        self.initial_canonical: CanonicalText | None = None
        self.initial_decisions = default_decisions(comparison, cancelled=cancelled)
        self.initial_ranges: SegmentRanges | None = None
        if with_canonical:
            self.initial_canonical = merge(
                comparison, self.initial_decisions, MergePolicy(), self.text_format, cancelled=cancelled
            )
            self.initial_ranges = segment_ranges(self.initial_canonical)
        check(cancelled)

    def take_document(self, name: str) -> QTextDocument | None:
        """The document built for a pane, if any (a document can be shown by one pane only)."""
        return self.documents.pop(name, None)

    def qt_span(self, difference: Difference, side: Side) -> tuple[int, int]:
        span = difference.span(side)
        index = self.index[side]
        return index.to_qt(span.start), index.to_qt(span.end)

    def corresponding(self, side: Side, position: int) -> int:
        """The Qt position on the other side that corresponds to a Qt position on `side`."""
        offset = self.index[side].from_qt(position)
        return self.index[side.other].to_qt(self.offset_map.map(side, offset))


def _word_anchors(comparison: Comparison) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Every few shared words as anchors, in text order on both sides (None without documents).

    Word-level anchors keep the panes level even where the line wrapping differs. The
    alignment's opcodes run forward on both sides, so these pairs need no sorting.
    """
    ld = getattr(comparison.left, "document", None)
    rd = getattr(comparison.right, "document", None)
    opcodes = getattr(comparison, "opcodes", None)
    if ld is None or rd is None or not opcodes:
        return None
    left: list[int] = []
    right: list[int] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op != "equal" or i2 <= i1:
            continue
        # Both ends of every shared run, so interpolation never crosses a difference.
        left.extend(ld.starts[i1:i2:ANCHOR_STEP])
        right.extend(rd.starts[j1:j2:ANCHOR_STEP])
        left.append(ld.starts[i2 - 1])
        right.append(rd.starts[j2 - 1])
    return np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)


def _anchor_pairs(comparison: Comparison) -> Iterator[tuple[int, int]]:
    """Anchors from the differences and the shared stretches (for comparisons without word offsets)."""
    for d in comparison.differences:
        yield d.left.start, d.right.start
        yield d.left.end, d.right.end
    for l1, l2, r1, r2 in comparison.aligned_offsets():
        yield l1, r1
        yield l2, r2
