"""The overview's pixel rows, computed in array passes, match a walk over the markers one by one."""

from __future__ import annotations

from array import array
from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import DifferenceKind
from viewer.look import KIND_ORDER
from viewer.ui.overview import marker_rows
from viewer.ui.prepared import KindMarkers


def walked_rows(
    markers: dict[DifferenceKind, KindMarkers], scale: float
) -> list[tuple[int, int, str, DifferenceKind]]:
    """Kind by kind, marker by marker; on a shared row the kind first in KIND_ORDER wins."""
    rows: dict[int, tuple[int, str, DifferenceKind]] = {}
    for kind, m in markers.items():
        starts, lengths, k = m.starts, m.lengths, 0
        while k < len(starts):
            top = int(2 + starts[k] * scale)
            end = max(k + 1, bisect_left(starts, (top - 1) / scale, k))
            height = max(3, int(max(lengths[k:end]) * scale))
            held = rows.get(top)
            if held is None or KIND_ORDER.index(kind) < KIND_ORDER.index(held[2]):
                rows[top] = (height, m.ids[k], kind)
            k = end
    return [(top, h, i, k) for top, (h, i, k) in sorted(rows.items())]


kinds = st.sampled_from(list(DifferenceKind))
spans = st.lists(st.tuples(st.integers(0, 5_000_000), st.integers(0, 40_000)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(kinds, spans, max_size=5), st.integers(20, 1200))
def test_rows_match_the_walk(chosen: dict[DifferenceKind, list[tuple[int, int]]], height: int) -> None:
    markers = {}
    for n, (kind, pairs) in enumerate(chosen.items()):
        pairs = sorted(pairs)
        markers[kind] = KindMarkers(
            array("q", [s for s, _ in pairs]),
            array("q", [length for _, length in pairs]),
            [f"{n}-{k}" for k in range(len(pairs))],
        )
    scale = (height - 4) / 5_000_000
    assert marker_rows(markers, scale) == walked_rows(markers, scale)
