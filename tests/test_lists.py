"""Lists in the Markdown output: tight where the source is tight, nested as the source nests."""

from __future__ import annotations

import pytest

from tests.prose import between_paragraphs, compared_between_paragraphs, paragraphs
from viewer.core import BlockKind, Choice, Decision, compare, merge, normalize, variant_from_text


@pytest.mark.parametrize(
    "source",
    [
        # Tight and loose lists, bullets and numbers.
        "- one\n- two\n- three",
        "- one\n\n- two\n\n- three",
        "1. First\n2. Second\n10. Tenth",
        # Nested, and out again; under a number, past the number's width.
        "- one\n  - one a\n  - one b\n    - deep\n- two",
        "1. First\n   - under it\n2. Second",
        "10. Tenth\n    - under it\n11. Eleventh",
        # A list right after another, after a blank line, is not one tight list.
        "- a bullet\n- another\n\n1. A number\n2. Another",
    ],
)
def test_a_markdown_list_comes_out_as_it_went_in(source: str) -> None:
    text = between_paragraphs(source)
    assert normalize(variant_from_text(text, "a.md"), "md") == text


@pytest.mark.parametrize(
    ("source", "written"),
    [
        # Other bullets, indents of one marker or a tab, and a wrapped item.
        ("* one\n+ two\n  * two a", "- one\n- two\n  - two a"),
        ("- one\n\t- under it\n- two", "- one\n  - under it\n- two"),
        ("- one\n - still one deep\n- two", "- one\n- still one deep\n- two"),
        ("- a long item\nwrapped on\n- two", "- a long item wrapped on\n- two"),
        # An item indented deeper than one step is one step deeper.
        ("- one\n        - far in\n- two", "- one\n  - far in\n- two"),
    ],
)
def test_a_markdown_list_is_written_in_one_way(source: str, written: str) -> None:
    text = normalize(variant_from_text(between_paragraphs(source), "a.md"), "md")
    assert text == between_paragraphs(written)


def test_list_items_know_their_depth() -> None:
    doc = variant_from_text("- one\n  - one a\n    - deep\n  - one b\n- two\n\nText.", "a.md").document
    items = [(doc.words[b.end_token - 1], b.level) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [("one", 1), ("a", 2), ("deep", 3), ("b", 2), ("two", 1)]


def test_plain_text_output_keeps_a_blank_line_between_items() -> None:
    text = normalize(variant_from_text(between_paragraphs("- one\n- two\n  - two a"), "a.md"), "txt")
    assert text == between_paragraphs("one\n\ntwo\n\ntwo a")


def test_a_web_page_list_against_its_printed_lines_merges_as_a_tight_list() -> None:
    web = "The five are:\n\n  * Blue Origin, Kent, Washington\n  * Ceres Robotics, Palo Alto, California\n"
    printed = "The five are:\nBlue Origin, Kent, Washington\nCeres Robotics, Palo Alto, California\n"
    comparison = compared_between_paragraphs(web, printed, ("web.md", "pdf.txt"))
    canonical = merge(comparison, format="md")
    assert canonical.text == between_paragraphs(
        "The five are:\n\n- Blue Origin, Kent, Washington\n- Ceres Robotics, Palo Alto, California"
    )
    # Where each passage came from still points at its words.
    passages = [canonical.text[segment.start : segment.end] for segment in canonical.segments]
    assert "Ceres Robotics, Palo Alto, California" in passages
    assert passages[-1] == paragraphs()[1]


def test_an_item_whose_parent_is_left_out_is_not_written_deeper_than_the_text_before_it() -> None:
    left = between_paragraphs("- The parent item, left only\n  - The child item on both sides")
    right = between_paragraphs("- The child item on both sides")
    comparison = compare(variant_from_text(left, "a.md"), variant_from_text(right, "b.md"))
    [parent] = comparison.differences
    # Taken from the left (the preferred side) without its parent: not indented after a
    # paragraph, where four spaces would make it code.
    text = merge(comparison, {parent.id: Decision(Choice.NEITHER)}, format="md").text
    assert text == right
    assert merge(comparison, format="md").text == left


def test_a_restructuredtext_list_nests_as_its_indents_say() -> None:
    source = "Features:\n\n- Crawling:\n   - Feeds\n   - Smart crawling\n- Parallel work\n\n#. One\n#. Two\n"
    text = normalize(variant_from_text(source, "README.rst"), "md")
    assert text == "Features:\n\n- Crawling:\n  - Feeds\n  - Smart crawling\n- Parallel work\n\n- One\n- Two"
