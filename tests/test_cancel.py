"""Every long step of the engine stops soon after its caller asks: parsing, comparing, merging."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import make_pair
from viewer.core import Cancelled, compare, load_variant, merge, variant_from_text
from viewer.core.document import parse

SIZE = 400_000


@pytest.fixture(scope="module")
def pair() -> tuple[str, str]:
    generated = make_pair(SIZE, seed=5, moved_paragraphs=1, hyphenation=0.02)
    return generated.left, generated.right


def after(polls: int) -> tuple[Callable[[], bool], list[int]]:
    """A cancel flag that turns on at its `polls`-th reading; the list counts the readings."""
    seen = [0]

    def cancelled() -> bool:
        seen[0] += 1
        return seen[0] >= polls

    return cancelled, seen


def test_parsing_polls_as_it_goes(pair: tuple[str, str]) -> None:
    cancelled, seen = after(10**9)
    parse(pair[1], cancelled)
    assert seen[0] >= 3  # read several times over a long text, not only at the start
    with pytest.raises(Cancelled):
        parse(pair[1], after(3)[0])


def test_loading_passes_the_flag_on(pair: tuple[str, str], tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(pair[0], encoding="utf-8")
    with pytest.raises(Cancelled):
        load_variant(path, cancelled=after(2)[0])


def test_comparing_polls_as_it_goes(pair: tuple[str, str]) -> None:
    left, right = variant_from_text(pair[0], "left"), variant_from_text(pair[1], "right")
    cancelled, seen = after(10**9)
    compare(left, right, cancelled=cancelled)
    assert seen[0] >= 5
    with pytest.raises(Cancelled):
        compare(left, right, cancelled=after(seen[0] // 2)[0])


def test_merging_polls_as_it_goes(pair: tuple[str, str]) -> None:
    comparison = compare(variant_from_text(pair[0], "left"), variant_from_text(pair[1], "right"))
    cancelled, seen = after(10**9)
    text = merge(comparison, cancelled=cancelled)
    assert text == merge(comparison)
    assert seen[0] >= 5
    for fmt in ("txt", "md"):
        with pytest.raises(Cancelled):
            merge(comparison, format=fmt, cancelled=after(seen[0] // 2)[0])
