"""The parser's whole-document array passes against plain one-at-a-time references."""

from __future__ import annotations

import importlib
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import document
from viewer.core.document import parse

# The module, not the function of the same name that viewer.core exports.
comparing = importlib.import_module("viewer.core.compare")

# Every kind of whitespace str.split knows, markup placeholders and characters past the BMP.
ALPHABET = (
    "ab\u00e9\u4e2d\U0001f600 \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0"
    "\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\u200b\x00\x01"
)


@given(st.text(alphabet=ALPHABET, max_size=300))
def test_word_bounds_are_the_runs_of_non_whitespace(text: str) -> None:
    starts, ends, markup = document._word_bounds(document._code_points(text))
    expected = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == expected
    assert len(text.split()) == len(expected)
    hidden = [c in "\x00\x01" for c in text]
    assert markup.tolist() == [i for i, h in enumerate(hidden) if h and (i == 0 or not hidden[i - 1])]


ranges = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted), max_size=12)


@given(ranges)
def test_covered_marks_every_token_of_every_range(spans: list[list[int]]) -> None:
    n = 40
    array = np.array(spans, dtype=np.int64).reshape(-1, 2)
    expected = [any(lo <= i < hi for lo, hi in spans) for i in range(n)]
    assert document._covered(array, n).tolist() == expected


@given(ranges)
def test_range_owners_is_the_last_range_holding_each_token(spans: list[list[int]]) -> None:
    n = 40
    array = np.array(spans, dtype=np.int64).reshape(-1, 2)
    expected = [-1] * n
    for k, (lo, hi) in enumerate(spans):
        expected[lo:hi] = [k] * (hi - lo)
    assert document._range_owners(array, n).tolist() == expected


@given(ranges.map(lambda spans: sorted({(lo, hi) for lo, hi in spans if hi > lo})))
def test_range_owners_of_ranges_in_order(spans: list[tuple[int, int]]) -> None:
    """Ordered ranges that do not overlap take the filling-at-once path."""
    kept: list[tuple[int, int]] = []
    for lo, hi in spans:
        if not kept or lo >= kept[-1][1]:
            kept.append((lo, hi))
    n = 40
    expected = [-1] * n
    for k, (lo, hi) in enumerate(kept):
        expected[lo:hi] = [k] * (hi - lo)
    assert document._range_owners(np.array(kept, dtype=np.int64).reshape(-1, 2), n).tolist() == expected


def test_a_long_text_is_cut_into_pieces_without_losing_a_word() -> None:
    """Words on both sides of every piece boundary keep their exact spans."""
    words = [f"w{k}\u00e9" for k in range(60_000)]
    text = "".join(w + ("\u3000" if k % 7 == 0 else " \n"[k % 2]) for k, w in enumerate(words))
    doc = parse(text)
    assert doc.words == words
    assert all(text[s:e] == w for s, e, w in zip(doc.starts, doc.ends, doc.words, strict=True))


def test_links_and_styles_land_on_their_words() -> None:
    text = "# Title here\n\nSome **bold [link](https://x.org) words** and *it* end.\n"
    doc = parse(text)
    assert doc.words == ["Title", "here", "Some", "bold", "link", "words", "and", "it", "end."]
    assert [doc.style_of[i] & document.HEADING_STYLE for i in range(2)] == [16, 16]
    assert [bool(doc.style_of[i] & document.BOLD) for i in range(2, 9)] == [0, 1, 1, 1, 0, 0, 0]
    assert [bool(doc.style_of[i] & document.ITALIC) for i in range(2, 9)] == [0, 0, 0, 0, 0, 1, 0]
    assert list(doc.link_of) == [-1, -1, -1, -1, 0, -1, -1, -1, -1]
    assert list(doc.block_of) == [0, 0, 1, 1, 1, 1, 1, 1, 1]


def test_each_token_points_at_its_word_in_the_vocabulary() -> None:
    """Also after markup was stripped, entities replaced, empty tokens dropped and hyphenation joined."""
    text = (
        "A [linked](https://x.org) word, **bold** and &amp; an inter-\nnational ![](img.png) end\n\n"
        "a well-\nknown [well-known](#) thing, <https://example.org/a-\nb> and inter-\nnational.\n"
    )
    doc = parse(text)
    vocabulary, ids = doc.vocabulary()
    assert [vocabulary[i] for i in ids] == doc.words
    assert "international" in doc.words
    assert "&" in doc.words
    # Built from the words alone, it says the same.
    fresh = document.Document(text, words=list(doc.words))
    again, again_ids = fresh.vocabulary()
    assert [again[i] for i in again_ids] == doc.words
    assert len(set(again)) == len(again)


@given(
    st.lists(st.sampled_from(["a", "b", "été", "*c*", "[d](x)", "\n\n", "e-\nf"]), max_size=30),
    st.integers(-40, 40),
    st.slices(40),
)
def test_words_read_like_the_list_of_each_tokens_word(pieces: list[str], index: int, cut: slice) -> None:
    text = " ".join(pieces)
    for listed_after in (10**9, 1):  # the list made at the first slice, or slices read one by one
        old, document._LIST_AFTER = document._LIST_AFTER, listed_after
        try:
            doc = parse(text)
            vocabulary, ids = doc.vocabulary()
            listed = [vocabulary[i] for i in ids]
            words = doc.words
            assert isinstance(words, document.Words)
            assert len(words) == len(listed)
            assert words[cut] == listed[cut]
            assert words[cut] == listed[cut]
            assert list(words) == listed
            assert words == listed
            assert listed == words
            if -len(listed) <= index < len(listed):
                assert words[index] == listed[index]
            assert words != [*listed, "more"]
            assert (words == listed[::-1]) == (listed == listed[::-1])
        finally:
            document._LIST_AFTER = old


@given(st.lists(st.integers(0, 30), max_size=200), st.integers(1, 50))
def test_distinct_ids_come_in_order_of_first_appearance(values: list[int], chunk: int) -> None:
    ids = np.array(values, dtype=np.intc)
    old, comparing._CHUNK = comparing._CHUNK, chunk  # pieces of any size give the same answer
    try:
        found = comparing._in_order_of_appearance(ids, 31)
    finally:
        comparing._CHUNK = old
    assert found == list(dict.fromkeys(values))


LINES = ["Alpha beta.", "gamma delta", "", "", "- item one", "> quoted", "# Head", "1. first", "2) second"]
LINES += ["===", "---", "Étude ici", "\u00b2 note", "  indented", "```", "Page 3", "\f"]


PLAIN_STARTS = ['"Quoted" line', "'single' one", "(aside)", "[link](x) text", "1905 was", "12. item", "3) x"]
PLAIN_STARTS += ["\u00abguillemet\u00bb", "\u201cdouble\u201d", "1234. no list", "7.5 percent"]
PLAIN_STARTS += ["> quote", "* star"]


@given(st.lists(st.sampled_from(LINES + PLAIN_STARTS), max_size=40))
def test_the_quick_path_for_plain_lines_finds_what_the_line_by_line_scan_finds(lines: list[str]) -> None:
    """Plain lines (no block markup can start as they do) are taken many at a time."""
    text = "\n".join(lines)
    found = parse(text)
    old, document._PLAIN_START = document._PLAIN_START, re.compile("(?!)")
    try:
        expected = parse(text)
    finally:
        document._PLAIN_START = old
    assert found.blocks == expected.blocks
    assert list(found.starts) == list(expected.starts)


@given(st.lists(st.sampled_from(LINES), max_size=40), st.integers(1, 60))
def test_blocks_do_not_depend_on_how_far_one_search_reaches(lines: list[str], reach: int) -> None:
    """Plain paragraphs are found many at a time; a search cut short anywhere finds the same blocks."""
    text = "\n".join(lines)
    expected = parse(text).blocks
    old, document._PLAIN_REACH = document._PLAIN_REACH, reach
    try:
        found = parse(text).blocks
    finally:
        document._PLAIN_REACH = old
    assert found == expected


def _reference_breaks(masked: str) -> list[tuple[int, int]]:
    """Line breaks after a hyphen or a URL, found by one pattern for all hyphens and one for URLs."""
    found = [m.span() for m in re.finditer("[-\u2010\u00ad](?<=\\w.)\n[ \t]*(?=\\S)", masked)]
    for m in re.finditer(r"(?:/|www\.)\S*(\n[ \t]*)(?=\S)", masked):
        word = m.start()
        while word > 0 and not masked[word - 1].isspace():
            word -= 1
        if document._URL_START.search(masked, word, m.start(1)):
            found.append((m.start(1) - 1, m.end()))
    return sorted(found)


BREAK_PIECES = ["a", "-", "\u2010", "\u00ad", "\n", " ", "\t", "é", "1", "\f", "/", "www.", "http://"]
BREAK_PIECES += ["x.org/"]


@given(st.lists(st.sampled_from(BREAK_PIECES), max_size=40))
def test_hyphen_and_url_breaks_are_found_as_one_search_for_each_would(pieces: list[str]) -> None:
    masked = "".join(pieces)
    assert document._hyphen_or_url_breaks(masked) == _reference_breaks(masked)


INLINE_PIECES = ["a", " ", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "http://", "https://", "www."]
INLINE_PIECES += ["x.org", "<", '"', "\x00", "é"]


@given(st.lists(st.sampled_from(INLINE_PIECES), max_size=40))
def test_searches_tried_only_where_a_match_can_begin_find_what_finditer_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    for pattern, starts in (
        (document._CODE_SPAN, document._CODE_SPAN_STARTS),
        (document._STRONG, document._STRONG_STARTS),
        (document._BARE_URL, document._BARE_URL_STARTS),
    ):
        found = [(m.span(), m.groups()) for m in document._matches_from(pattern, text, starts)]
        assert found == [(m.span(), m.groups()) for m in pattern.finditer(text)]


PAGE_PIECES = ["\f", "\n", "\n\n", " ", "\t", "12", "7", "Page 3", "- 4 -", "3 of 9", "text", "Word 5 here"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PAGE_PIECES), max_size=30))
def test_page_numbers_are_the_lines_a_search_of_the_whole_text_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    content_end = len(text.rstrip())
    expected = {
        m.start()
        for m in document._PAGE_NUMBER_LINE.finditer(text)
        if "\f" in text[max(0, m.start() - 3) : m.end() + 3] or m.end() >= content_end
    }
    feeds = [k for k, c in enumerate(text) if c == "\f"]
    assert document._page_number_lines(text, feeds) == expected
