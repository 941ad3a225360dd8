"""The user's two real variants: what the engine must find, and the clean article it must merge."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PDF_SAMPLE, WEB_SAMPLE
from viewer.core import Comparison, DifferenceKind, compare, load_variant, merge, normalize
from viewer.core.merge import MergePolicy

K = DifferenceKind


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare(load_variant(WEB_SAMPLE), load_variant(PDF_SAMPLE))


def test_kinds_on_the_samples(comparison: Comparison) -> None:
    kinds = [d.kind for d in comparison.differences]
    assert K.WORDING not in kinds
    assert kinds.count(K.BREAK) == 2
    by_kind = {d.kind: d for d in comparison.differences}
    assert by_kind[K.TITLE].left.text == "China, Russia Say To Strengthen Cooperation in Lavrov Visit"
    assert by_kind[K.BYLINE].left.text == "By [AFP](#)"
    assert by_kind[K.DATE].left.text == "April 09, 2024"
    assert by_kind[K.CAPTION].left.text.endswith("**Russian Foreign Ministry Press Service**")
    assert by_kind[K.LINK].left.text == "[Top Russia Diplomat in China for Official Visit](#)"
    assert by_kind[K.LINK].right.text == "Top Russia Diplomat in China for Official Visit"
    assert by_kind[K.FOOTER].left.text.startswith("Original url:")
    assert "themoscowtimes.com" in by_kind[K.FOOTER].left.text
    for kind in (K.TITLE, K.BYLINE, K.DATE, K.CAPTION, K.FOOTER):
        assert by_kind[kind].right.is_empty


def test_the_two_breaks(comparison: Comparison) -> None:
    breaks = comparison.of_kind(K.BREAK)
    left_text, right_text = comparison.left.text, comparison.right.text
    after = [left_text[b.left.end : b.left.end + 20] for b in breaks]
    assert after[0].startswith("told Xi")
    assert after[1].startswith("'Unlawful sanctions'")
    for b in breaks:
        assert b.left.text == "\n\n"
        assert "\n" in b.right.text
        assert right_text[b.right.end : b.right.end + 20].split()[0] == left_text[b.left.end :].split()[0]


def test_every_span_is_its_source_slice(comparison: Comparison) -> None:
    for d in comparison.differences:
        assert comparison.left.text[d.left.start : d.left.end] == d.left.text
        assert comparison.right.text[d.right.start : d.right.end] == d.right.text
        assert d.left.start <= d.left.end
        assert d.right.start <= d.right.end


def _words(text: str) -> list[str]:
    return text.split()


def test_canonical_merge_is_a_clean_article(comparison: Comparison) -> None:
    text = merge(comparison).text
    lines = text.split("\n")
    assert any("Lavrov told Xi, according to Russian news agencies" in line for line in lines)
    assert "'Unlawful sanctions'" in lines
    assert "(#)" not in text
    assert "Press Service" not in text
    assert "Original url" not in text
    assert "themoscowtimes" not in text
    assert "By AFP" not in text
    assert "April 09, 2024" not in text
    assert "[We must]" in text
    assert lines[0] == "China, Russia Say To Strengthen Cooperation in Lavrov Visit"
    # One blank line between paragraphs, no line break inside one.
    assert "\n\n\n" not in text
    assert all(line.strip() == line for line in lines)
    # Every body word of the PDF variant, in order.
    body = _words(normalize(comparison.right))
    merged = _words(text)
    it = iter(merged)
    assert all(word in it for word in body)


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_one_sided_policies_equal_normalize(comparison: Comparison, fmt: str) -> None:
    assert merge(comparison, policy=MergePolicy("left"), format=fmt).text == normalize(comparison.left, fmt)
    assert merge(comparison, policy=MergePolicy("right"), format=fmt).text == normalize(comparison.right, fmt)


def test_markdown_keeps_live_links_and_emphasis(comparison: Comparison) -> None:
    md = normalize(comparison.left, "md")
    assert "**Russian Foreign Ministry Press Service**" in md
    assert "<https://www.themoscowtimes.com/" in md
    assert "(#)" not in md
    assert re.search(r"^By AFP$", md, re.M)
