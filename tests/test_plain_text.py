"""Plain text taken from web pages: a paragraph on each line, and blocks run together."""

from __future__ import annotations

import io

import pytest

from tests.prose import paragraphs, wrap
from viewer.core import BlockKind, DifferenceKind, compare, merge, normalize, variant_from_text
from viewer.core.document import CODE, Document, parse
from viewer.html_report import html_report
from viewer.report import write_summary


def _long_paragraphs(count: int) -> list[str]:
    """Paragraphs longer than any hard-wrapped line."""
    return [p for p in paragraphs() if len(p) > 200][:count]


def _block_texts(doc: Document) -> list[str]:
    return [" ".join(doc.words[b.first_token : b.end_token]) for b in doc.blocks]


def _spans_are_the_words(doc: Document) -> None:
    for i in range(len(doc)):
        assert doc.text[doc.starts[i] : doc.ends[i]] == doc.words[i]


def test_a_text_with_a_paragraph_on_each_line_has_a_block_for_each_line() -> None:
    prose = _long_paragraphs(5)
    lines = [*prose[:2], "A Short Section Heading", prose[2], "A short paragraph.", *prose[3:]]
    text = "\n".join(lines)

    doc = parse(text, plain=True)
    assert _block_texts(doc) == [" ".join(line.split()) for line in lines]
    assert all(b.kind is BlockKind.PARAGRAPH for b in doc.blocks)
    # A Markdown file's lines are one paragraph, as a Markdown reader joins them.
    assert len(parse(text).blocks) == 1

    # So the same text with blank lines between its paragraphs is no different at all.
    spaced = variant_from_text("\n\n".join(lines), "spaced.txt")
    assert compare(variant_from_text(text, "lines.txt"), spaced).differences == ()
    assert normalize(variant_from_text(text, "lines.txt")) == normalize(spaced)


def test_a_hard_wrapped_text_keeps_its_paragraphs_whole() -> None:
    prose = paragraphs()[:4]
    url = "https://example.org/" + "a-long-path/" * 16
    assert len(url) > 160
    text = "\n\n".join([*(wrap(p, 72) for p in prose[:3]), f"{url}\n{wrap(prose[3], 72)}"])
    doc = parse(text, plain=True)
    assert _block_texts(doc) == _block_texts(parse(text))
    assert len(doc.blocks) == 4


def test_a_word_hyphenated_at_a_line_end_stays_whole_in_a_text_of_long_lines() -> None:
    first, second = _long_paragraphs(2)
    text = f"{first} an inter-\nnational deal was signed.\n{second}"
    doc = parse(text, plain=True)
    assert "international" in list(doc.words)
    assert _block_texts(doc) == [" ".join(f"{first} an international deal was signed.".split()), second]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("for the immune system.When the cells", ["for", "the", "immune", "system.", "When", "the", "cells"]),
        ("as he said.”Then she left", ["as", "he", "said.”", "Then", "she", "left"]),
        ("of the infection.“Sure enough", ["of", "the", "infection.", "“Sure", "enough"]),
        ("Andrew Vaughan“Sure enough", ["Andrew", "Vaughan", "“Sure", "enough"]),
        ("was it true?Yes it was", ["was", "it", "true?", "Yes", "it", "was"]),
        ("Élan vital été.Ça va", ["Élan", "vital", "été.", "Ça", "va"]),
    ],
)
def test_blocks_run_together_are_told_apart(text: str, words: list[str]) -> None:
    doc = parse(text, plain=True)
    assert doc.words == words
    _spans_are_the_words(doc)
    assert len(doc.blocks) == 2
    # In Markdown, which has its own markup for blocks, the words stay as written.
    assert len(parse(text)) == len(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "for example, e.g.The cells",
        "visit www.Example.org today",
        "see https://example.org/Docs.Html now",
        "write to jane.doe@Example.org now",
        "the U.S.Army base",
        "in version 2.The next",
        "call `obj.Method` here",
        "read [the system.When page](https://example.org) here",
        "a single word.A",
        "open report.Final.pdf now",
        "open docs/intro.Guide now",
        "the my_var.Value field",
        # Markup inside the word: it is left whole rather than cut through its markup.
        "the **sys**tem.When the",
    ],
)
def test_what_is_not_blocks_run_together(text: str) -> None:
    doc = parse(text, plain=True)
    assert list(doc.words) == list(parse(text).words)
    assert len(doc.blocks) == 1


def test_a_caption_run_into_a_paragraph_is_a_caption_and_left_out() -> None:
    first, second, third = _long_paragraphs(3)
    caption = "In a photograph taken at dawn, the harbour lies still under the fog."
    web = "\n".join(
        [
            f"A standfirst that tells what the article is about.{first}",
            f"{caption}Courtesy of Jane Doe“Sure enough,” {second}",
            third,
        ]
    )
    clean = "\n\n".join([first, f"“Sure enough,” {second}", third])
    comparison = compare(variant_from_text(web, "web.txt"), variant_from_text(clean, "clean.txt"))
    found = [(d.kind, d.left.text) for d in comparison.differences]
    assert found == [
        (DifferenceKind.WORDING, "A standfirst that tells what the article is about."),
        (DifferenceKind.CAPTION, f"{caption}Courtesy of Jane Doe"),
    ]
    # The caption is left out; the standfirst (wording, from the left by default) is its own paragraph.
    standfirst = "A standfirst that tells what the article is about."
    assert merge(comparison).text == "\n\n".join([standfirst, normalize_text(clean)])


def normalize_text(text: str) -> str:
    return normalize(variant_from_text(text, "text.txt"))


def test_reports_name_a_paragraph_break_by_the_blocks_not_by_the_white_space() -> None:
    first, second = _long_paragraphs(2)
    # The left side's paragraph break is a line end in a text with a paragraph on each line,
    # then nothing where two blocks ran together; the right side has a space each time.
    cases = [
        (f"{first}\n{second}", f"{first} {second}", "\n"),
        ("The first sentence.The second one.", "The first sentence. The second one.", ""),
    ]
    for broken, joined, white_space in cases:
        comparison = compare(variant_from_text(broken, "broken.txt"), variant_from_text(joined, "joined.md"))
        (d,) = comparison.differences
        assert (d.kind, d.left.text, d.right.text) == (DifferenceKind.BREAK, white_space, " ")
        out = io.StringIO()
        write_summary(comparison, out, color=False)
        left, right = (line for line in out.getvalue().splitlines() if line.startswith(("  <", "  >")))
        assert "[¶ paragraph break]" in left
        assert "[· space]" in right
        page = html_report(comparison)
        assert '<mark class="k-break">¶ paragraph break</mark>' in page
        assert '<mark class="k-break">· space</mark>' in page


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Quotation marks as GNU and TeX write them in plain text: not code, even over lines.
        ("type `show w'.\n  This is free\n  type `show c' for details.", []),
        ("``quoted'' and ``more''", []),
        ("`it's fine' he said `ok'", []),
        ("`echo 'hi' there' he typed, then `ls'", []),
        # Code: apostrophes inside words, or quotes that the code opens itself.
        ("run `x = 'a'` now", ["x", "=", "'a'"]),
        ("say `don't` now", ["don't"]),
        ("real `code` here", ["code"]),
        ("a `quote' then `real code` here", ["real", "code"]),
    ],
)
def test_backtick_quotes_in_plain_text_are_not_code(text: str, code: list[str]) -> None:
    doc = parse(text, plain=True)
    assert [w for w, style in zip(doc.words, doc.style_of, strict=True) if style & CODE] == code
    # Markdown keeps CommonMark's reading: backticks there make code.
    assert any(style & CODE for style in parse(text).style_of)


@pytest.mark.parametrize(
    ("text", "plain", "markdown"),
    [
        # A licence's placeholders: text in plain text; in Markdown, tags (hidden, as a page
        # hides them) where CommonMark reads a tag.
        ("Copyright (C) <year> <name of author>", "Copyright (C) <year> <name of author>", "Copyright (C)"),
        ("usage: <program> <file>", "usage: <program> <file>", "usage:"),
        # Not a tag anywhere: an attribute's name has no apostrophe or full stop.
        (
            "<one line to give the program's name and what it does.>",
            "<one line to give the program's name and what it does.>",
            "<one line to give the program's name and what it does.>",
        ),
        # HTML's own elements are tags in both, with attributes, over lines, and closing.
        ('a <b class="x">bold</b> <BR/> <img\n  alt="" src=p.png> end', "a bold end", "a bold end"),
        ("<span id=z epub:type='t'>x</span >", "x", "x"),
        # A quoted value with no closing quote on its line makes no tag.
        ('<a title="open\nclose"> word', '<a title="open close"> word', '<a title="open close"> word'),
    ],
)
def test_html_tags_in_plain_text_are_html_elements_only(text: str, plain: str, markdown: str) -> None:
    assert " ".join(parse(text, plain=True).words) == plain
    assert " ".join(parse(text).words) == markdown
