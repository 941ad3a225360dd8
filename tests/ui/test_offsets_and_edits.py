"""The pure helpers: UTF-16 positions, the scroll mapping, and hand edits as patches."""

from __future__ import annotations

import itertools
import random

import pytest

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
