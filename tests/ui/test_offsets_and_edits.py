"""The pure helpers: UTF-16 positions, the scroll mapping, and hand edits as patches."""

from __future__ import annotations

import itertools
import random
from array import array

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import Side, compare, variant_from_text
from viewer.ui import canonical_edits as edits
from viewer.ui.prepared import OffsetMap, PreparedComparison
from viewer.ui.text_offsets import Utf16Index


@pytest.mark.parametrize(
    ("text", "offset", "qt"),
    [
        ("abc", 2, 2),
        ("a😀b", 1, 1),
        ("a😀b", 2, 3),
        ("a😀b", 3, 4),
        ("😀😀x", 2, 4),
        ("é中文", 3, 3),
    ],
)
def test_utf16_positions(text: str, offset: int, qt: int) -> None:
    index = Utf16Index(text)
    assert index.to_qt(offset) == qt
    assert index.from_qt(qt) == offset
    assert index.length16 == len(text.encode("utf-16-le")) // 2


def test_a_position_inside_a_surrogate_pair_rounds_down() -> None:
    assert Utf16Index("a😀b").from_qt(2) == 1


def test_offset_map_interpolates_and_ignores_anchors_that_go_back() -> None:
    m = OffsetMap([(10, 20), (15, 10), (30, 60)], 40, 80)
    assert m.map(Side.LEFT, 10) == 20
    assert m.map(Side.LEFT, 20) == 40
    assert m.map(Side.RIGHT, 60) == 30
    assert m.map(Side.LEFT, 40) == 80


def _walked_anchors(pairs: list[tuple[int, int]], left_length: int, right_length: int) -> OffsetMap:
    """The scroll map's anchors as the rule says, walking the pairs in order one by one: after
    (0, 0), each pair at or past the last kept one on both sides, and not the same, is kept."""
    left, right = [0], [0]
    for lo, ro in sorted(pairs):
        if lo >= left[-1] and ro >= right[-1] and (lo, ro) != (left[-1], right[-1]):
            left.append(lo)
            right.append(ro)
    if left[-1] <= left_length and right[-1] <= right_length:
        left.append(left_length)
        right.append(right_length)
    walked = OffsetMap([], 0, 0)
    walked._anchors = {Side.LEFT: array("q", left), Side.RIGHT: array("q", right)}
    return walked


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=30))
def test_the_scroll_map_keeps_the_anchors_walking_them_would_keep(pairs: list[tuple[int, int]]) -> None:
    expected = _walked_anchors(pairs, 35, 45)
    maps = [OffsetMap(pairs, 35, 45)]
    if pairs and all(a <= c and b <= d for (a, b), (c, d) in itertools.pairwise(pairs)):
        # In order on both sides already, as the word anchors come.
        maps.append(
            OffsetMap(
                (np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])), 35, 45, ordered=True
            )
        )
    for made in maps:
        for side in Side:
            assert [made.map(side, x) for x in range(-2, 50)] == [
                expected.map(side, x) for x in range(-2, 50)
            ]


def test_visible_differences_are_those_touching_the_range_in_qt_positions() -> None:
    """Astral characters count twice in Qt: the spans are placed in its positions."""
    rng = random.Random(5)
    words = ["cat", "dog", "😀", "bird", "🦉", "fish", "ant"]
    left = " ".join(rng.choice(words) for _ in range(400))
    right = " ".join(w if rng.random() > 0.2 else rng.choice(words) for w in left.split())
    p = PreparedComparison(compare(variant_from_text(left), variant_from_text(right)))
    for side in Side:
        placed = [(d, *p.qt_span(d, side)) for d in p.comparison.differences]
        assert len(p.spans[side]) == len(placed) > 20
        for _ in range(200):
            start = rng.randrange(0, p.index[side].length16 + 2)
            end = start + rng.randrange(0, 40)
            found = [(f.difference.id, f.start, f.end) for f in p.spans[side].overlapping(start, end)]
            touching = sorted((s, e, d.id) for d, s, e in placed if s <= end and e >= start)
            assert found == [(i, s, e) for s, e, i in touching]
        for kind, markers in p.markers[side].items():
            of_kind = sorted((s, e, d.id) for d, s, e in placed if d.kind is kind)
            assert list(markers.starts) == [s for s, _, _ in of_kind]
            assert list(markers.lengths) == [e - s for s, e, _ in of_kind]
            assert markers.ids == [i for _, _, i in of_kind]


def test_prepared_comparison_finds_visible_differences() -> None:
    c = compare(variant_from_text("one two three four five"), variant_from_text("one two 3 four five six"))
    p = PreparedComparison(c)
    found = list(p.spans[Side.LEFT].overlapping(8, 9))
    assert [f.difference.left.text for f in found] == ["three"]
    assert p.corresponding(Side.LEFT, 14) == 10  # "four" on both sides


@pytest.mark.parametrize(
    ("old", "new", "region"),
    [
        ("abcdef", "abXdef", (2, 3, 3)),
        ("aaaa", "aaaaa", (4, 4, 5)),
        ("", "x", (0, 0, 1)),
        ("same", "same", (4, 4, 4)),
    ],
)
def test_changed_region(old: str, new: str, region: tuple[int, int, int]) -> None:
    assert edits.changed_region(old, new) == region


def test_changed_region_on_long_texts() -> None:
    old = "x" * 10_000 + "middle" + "y" * 10_000
    new = "x" * 10_000 + "centre" + "y" * 10_000
    assert edits.changed_region(old, new) == (10_000, 10_005, 10_005)  # both end in "e"


def test_random_edits_always_reproduce_the_typed_text() -> None:
    rng = random.Random(7)
    for _ in range(500):
        base = "".join(rng.choice("ab ") for _ in range(rng.randint(0, 20)))
        patches: edits.Patches = ()
        current = base
        for _ in range(6):
            pos = rng.randint(0, len(current))
            removed = rng.randint(0, min(3, len(current) - pos))
            added = "".join(rng.choice("xyz") for _ in range(rng.randint(0, 3)))
            patches = edits.edit(base, patches, pos, removed, added)
            current = current[:pos] + added + current[pos + removed :]
            assert edits.apply_patches(base, patches) == current
            assert all(p.end <= q.start for p, q in itertools.pairwise(patches))


def test_rebase_keeps_edits_away_from_the_change_and_drops_those_on_it() -> None:
    base = "Title. Body text here. End."
    patches = edits.edit(base, (), len(base), 0, " Fin.")
    patches = edits.edit(base, patches, 0, 6, "Heading.")
    new_base = "Title. Body words here. End."
    kept = edits.rebase(base, new_base, patches)
    assert edits.apply_patches(new_base, kept) == "Heading. Body words here. End. Fin."
    dropped = edits.rebase(base, "Other. Body text here. End.", patches)
    assert edits.apply_patches("Other. Body text here. End.", dropped) == "Other. Body text here. End. Fin."
