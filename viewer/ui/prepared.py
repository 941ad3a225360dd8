"""A comparison made ready for display: Qt positions, visible-range lookups and scroll mapping.

Everything here is computed once, in the worker thread, so painting and scrolling only bisect.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from viewer.core import (
    CanonicalText,
    Comparison,
    Decision,
    Difference,
    MergePolicy,
    Side,
    default_decisions,
    merge,
)
from viewer.ui.text_offsets import Utf16Index


@dataclass(frozen=True, slots=True)
class PlacedDifference:
    """A difference with its span on one side in Qt (UTF-16) positions."""

    difference: Difference
    start: int
    end: int


class SideSpans:
    """The differences of one side, sorted by position, for finding those in a visible range."""

    def __init__(self, placed: Iterable[PlacedDifference]) -> None:
        self.items = sorted(placed, key=lambda p: (p.start, p.end))
        self._starts = array("q", (p.start for p in self.items))
        running = -1
        self._reach = array("q")
        for p in self.items:
            running = max(running, p.end)
            self._reach.append(running)

    def overlapping(self, start: int, end: int) -> Iterator[PlacedDifference]:
        """Differences touching [start, end], in position order (empty spans included)."""
        hi = bisect_right(self._starts, end)
        lo = hi
        # Walk back while some earlier span may still reach into the range.
        while lo > 0 and self._reach[lo - 1] >= start:
            lo -= 1
        for p in self.items[lo:hi]:
            if p.end >= start:
                yield p


class OffsetMap:
    """Monotone anchor pairs between the two texts, interpolated between anchors."""

    def __init__(self, pairs: Iterable[tuple[int, int]], left_length: int, right_length: int) -> None:
        left = array("q", [0])
        right = array("q", [0])
        for lo, ro in sorted(pairs):
            # Moved passages break monotony; an anchor that goes back on either side is dropped.
            if lo >= left[-1] and ro >= right[-1] and (lo, ro) != (left[-1], right[-1]):
                left.append(lo)
                right.append(ro)
        if left[-1] <= left_length and right[-1] <= right_length:
            left.append(left_length)
            right.append(right_length)
        self._anchors = {Side.LEFT: left, Side.RIGHT: right}

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


_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm"})


def default_format(comparison: Comparison) -> str:
    """Markdown for the canonical text when a variant carries markup worth keeping."""
    for v in (comparison.left, comparison.right):
        if v.source_kind == "html" or Path(v.path or v.name).suffix.lower() in _MARKDOWN_SUFFIXES:
            return "md"
    return "txt"


class PreparedComparison:
    """The comparison plus everything the window needs to draw it quickly."""

    def __init__(self, comparison: Comparison, *, with_canonical: bool = True) -> None:
        self.comparison = comparison
        self.text_format = default_format(comparison)
        # The first merge is as slow as the comparison on long texts: do it here, off the GUI thread.
        self.initial_canonical: CanonicalText | None = None
        self.initial_decisions: dict[str, Decision] | None = None
        if with_canonical:
            self.initial_decisions = default_decisions(comparison)
            self.initial_canonical = merge(
                comparison, self.initial_decisions, MergePolicy(), self.text_format
            )
        self.index = {
            Side.LEFT: Utf16Index(comparison.left.text),
            Side.RIGHT: Utf16Index(comparison.right.text),
        }
        self.spans = {side: SideSpans(self._placed(side)) for side in Side}
        self.offset_map = OffsetMap(
            _anchor_pairs(comparison), len(comparison.left.text), len(comparison.right.text)
        )

    def _placed(self, side: Side) -> Iterator[PlacedDifference]:
        index = self.index[side]
        for d in self.comparison.differences:
            span = d.span(side)
            yield PlacedDifference(d, index.to_qt(span.start), index.to_qt(span.end))

    def qt_span(self, difference: Difference, side: Side) -> tuple[int, int]:
        span = difference.span(side)
        index = self.index[side]
        return index.to_qt(span.start), index.to_qt(span.end)

    def corresponding(self, side: Side, position: int) -> int:
        """The Qt position on the other side that corresponds to a Qt position on `side`."""
        offset = self.index[side].from_qt(position)
        return self.index[side.other].to_qt(self.offset_map.map(side, offset))


def _anchor_pairs(comparison: Comparison) -> Iterator[tuple[int, int]]:
    """Anchors from the differences and from every word the two sides share."""
    for d in comparison.differences:
        yield d.left.start, d.right.start
        yield d.left.end, d.right.end
    ld = getattr(comparison.left, "document", None)
    rd = getattr(comparison.right, "document", None)
    opcodes = getattr(comparison, "opcodes", None)
    if ld is not None and rd is not None and opcodes:
        # Word-level anchors keep the panes level even when the line wrapping differs.
        for op, i1, i2, j1, j2 in opcodes:
            if op != "equal":
                continue
            for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                yield ld.starts[i], rd.starts[j]
        return
    for l1, l2, r1, r2 in comparison.aligned_offsets():
        yield l1, r1
        yield l2, r2
