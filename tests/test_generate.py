"""Tests of the benchmark pair generator: determinism, exact edit offsets, PDF-like layout."""

import re
import sys
from pathlib import Path

import pytest

# The generator lives beside the package, not in it; the editable install maps only viewer.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import (
    HEADER,
    GeneratedPair,
    make_pair,
    prose_paragraphs,
    rewrap,
)

LINK = re.compile(r"\[([^\]]+)\]\((https://example\.org/[^)]+)\)")


def visible_words(markdown: str) -> list[str]:
    """The words a reader of the Markdown side sees, in order."""
    text = LINK.sub(r"\1", markdown).replace("**", "")
    return [w for w in text.split() if not re.fullmatch(r"#+", w)]


def pdf_words(text: str) -> list[str]:
    """The words of the PDF side without its running headers and line-end hyphens."""
    body = re.sub(rf"\f{HEADER} \u2014 page \d+\n", "", text)
    return re.sub(r"(\w)-\n(\w)", r"\1\2", body).split()


@pytest.fixture(scope="module")
def pair() -> GeneratedPair:
    return make_pair(60_000, seed=3, moved_paragraphs=3)


def test_same_seed_gives_the_same_pair() -> None:
    assert make_pair(20_000, seed=7, moved_paragraphs=1) == make_pair(20_000, seed=7, moved_paragraphs=1)


def test_other_seed_gives_other_edits() -> None:
    assert make_pair(20_000, seed=1).edits != make_pair(20_000, seed=2).edits


def test_prose_is_deterministic_and_long_enough() -> None:
    paragraphs = prose_paragraphs(2_000_000)
    assert paragraphs == prose_paragraphs(2_000_000)
    assert sum(map(len, paragraphs)) >= 2_000_000
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)
    # Later passes over the material are numbered anew, so headings never repeat.
    headings = [p for p in paragraphs if re.match(r"\d+\.\d+ ", p)]
    assert len(headings) == len(set(headings))


@pytest.mark.parametrize("size", [10_000, 100_000, 400_000])
def test_requested_size_is_roughly_met(size: int) -> None:
    assert abs(len(make_pair(size).left.encode()) - size) < 0.05 * size


def test_edit_offsets_are_exact_on_both_sides(pair: GeneratedPair) -> None:
    assert len(pair.edits) > 50
    assert {e.kind for e in pair.edits} == {"substitute", "insert", "delete"}
    for edit in pair.edits:
        assert pair.left[edit.left_offset : edit.left_offset + len(edit.left_text)] == edit.left_text
        assert pair.right[edit.right_offset : edit.right_offset + len(edit.right_text)] == edit.right_text
        if edit.kind == "insert":
            assert edit.left_text == ""
            assert pair.left[edit.left_offset - 1] == " "
        if edit.kind == "delete":
            assert edit.right_text == ""
            assert pair.right[edit.right_offset - 1] in " \n"


def test_edits_are_single_plain_words_outside_markup(pair: GeneratedPair) -> None:
    for edit in pair.edits:
        for word in (edit.left_text, edit.right_text):
            assert word == "" or word.isalpha()
        line_start = pair.left.rfind("\n", 0, edit.left_offset) + 1
        before = pair.left[line_start : edit.left_offset]
        # Inside link text or emphasis the line would have an unclosed "[" or "**".
        assert before.count("[") == before.count("]")
        assert before.count("**") % 2 == 0


def test_edit_rate_is_about_right() -> None:
    pair = make_pair(100_000, edit_rate=0.02)
    words = len(pair.left.split())
    assert 0.015 * words < len(pair.edits) < 0.025 * words


def test_edits_explain_every_word_difference() -> None:
    pair = make_pair(30_000, seed=5, links=False, bold=False, headers=False)
    expected = visible_words(pair.left)
    for edit in reversed(pair.edits):
        index = len(visible_words(pair.left[: edit.left_offset]))
        if edit.kind == "substitute":
            expected[index] = edit.right_text
        elif edit.kind == "insert":
            expected.insert(index, edit.right_text)
        else:
            del expected[index]
    assert expected == pair.right.split()


def test_right_side_is_hard_wrapped(pair: GeneratedPair) -> None:
    for line in pair.right.split("\n"):
        assert len(line) <= 72 or " " not in line.strip()


@pytest.mark.parametrize("width", [30, 60, 100])
def test_wrap_width_is_honoured(width: int) -> None:
    right = make_pair(20_000, wrap=width, hyphenation=0.3).right
    assert max(len(line) for line in right.split("\n") if " " in line) <= width
    assert re.search(r"[a-z]-\n[a-z]", right)


def test_links_and_bold_on_the_left_only(pair: GeneratedPair) -> None:
    assert len(LINK.findall(pair.left)) > 10
    assert "**" in pair.left
    assert "https://" not in pair.right
    assert "**" not in pair.right
    assert "](" not in pair.right


def test_left_is_one_paragraph_per_line(pair: GeneratedPair) -> None:
    assert pair.left.startswith("# ")
    lines = pair.left.rstrip("\n").split("\n")
    assert all(line == "" for line in lines[1::2])
    assert all(line for line in lines[0::2])


def test_page_headers_on_the_right(pair: GeneratedPair) -> None:
    headers = re.findall(rf"\n\n\f{HEADER} \u2014 page (\d+)\n\n", pair.right)
    assert len(headers) > 5
    assert [int(n) for n in headers] == list(range(2, len(headers) + 2))
    assert HEADER not in pair.left


def test_moved_paragraphs_present_on_both_sides(pair: GeneratedPair) -> None:
    assert len(pair.moves) == 3
    for move in pair.moves:
        assert pair.left[move.left_offset : move.left_offset + len(move.left_text)] == move.left_text
        assert pair.right[move.right_offset : move.right_offset + len(move.right_text)] == move.right_text
        assert move.left_text.split() == move.right_text.split()
        assert "\n" not in move.left_text
        assert "\f" not in move.right_text
    # Each lands elsewhere: its neighbourhood on the right differs from the left one.
    for move in pair.moves:
        left_before = pair.left[: move.left_offset].split()[-5:]
        right_before = pdf_words(pair.right[: move.right_offset])[-5:]
        assert left_before != right_before


def test_clean_pair_differs_only_in_layout_and_markup() -> None:
    pair = make_pair(50_000, edit_rate=0, headers=False)
    assert pair.edits == ()
    assert "\f" not in pair.right
    assert visible_words(pair.left) == pair.right.split()


def test_no_links_option() -> None:
    pair = make_pair(20_000, links=False, bold=False)
    assert "](" not in pair.left
    assert "**" not in pair.left


def test_rewrap() -> None:
    text = "one two three four five six\n\n\nseven   eight\nnine"
    assert rewrap(text, 9) == "one two\nthree\nfour five\nsix\n\nseven\neight\nnine"
    assert rewrap("a verylongwordindeed b", 5) == "a\nverylongwordindeed\nb"
