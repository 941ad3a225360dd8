"""The Markdown output reads back as the text it came from: what the source wrote as text
(escaped, or as an entity) is not turned into markup, and bracketed text stays readable."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.prose import between_paragraphs, compared_between_paragraphs
from viewer.core import Choice, Decision, merge, normalize, variant_from_text


def _markdown(source: str) -> str:
    return normalize(variant_from_text(between_paragraphs(source), "a.md"), "md")


@pytest.mark.parametrize(
    "source",
    [
        # Escaped markup characters stay escaped, so that they stay text.
        r"Stars \*not emphasis\* here.",
        r"Underscores \_around\_ and snake_case.",
        r"A path C:\\tmp and a \`tick\`.",
        r"A lone \* between words.",
        # What would start a block: escaped at a block's start only.
        r"\# not a heading, # here",
        r"2024\. That was the year.",
        r"\- a dash, not a bullet",
        r"\> not a quote",
        r"\---",
        r"- \# an item",
        r"> \# a quote",
        r"## Sharp \#",
        "## C# and F#",
        # Markup and readable text are written as they were.
        "Cited [1,15] as [We must] say.",
        "A [link](https://a.org/x_y) and [a\\]b](https://u.org).",
        "Code `a*b_c <d>` and **bold_x** and *it*.",
        "Math $k \\times W$ stays math.",
        "1. A numbered item",
        # A stop after a link or emphasis, escaped, stays after it.
        r"A [link](https://u.org)\* star.",
        r"And **bold**\_ too.",
        "````\n```\nx = 1\n````",
        # A link opened after a quotation mark or a bracket in its first word.
        'Officials said "[quoted link](https://b.org)" and “[curly](https://c.org)”.',
        'A ([bracketed link](https://a.org)) and "[one](https://a.org)" word.',
    ],
)
def test_markdown_that_reads_as_it_should_is_written_as_it_was(source: str) -> None:
    assert _markdown(source) == between_paragraphs(source)


@pytest.mark.parametrize(
    ("source", "written"),
    [
        # Text as entities or escapes that need none: escaped where Markdown would read markup.
        (
            "An &lt;b&gt; tag and a &lt;<https://fsf.org/>&gt; link.",
            r"An \<b> tag and a \<https://fsf.org/> link.",
        ),
        ("AT&T and &amp;copy; and a &amp; b.", r"AT&T and \&copy; and a & b."),
        (r"Brackets \[not a link\](x).", r"Brackets [not a link\](x)."),
        (r"Literal \$x\$ and prices $2.6, $5-$10, US$5.", r"Literal $x\$ and prices $2.6, $5-$10, US$5."),
        (r"\[1\]: not a definition", r"\[1]: not a definition"),
        # A bare link's stop, and a code block's fence longer than the backticks in its code.
        ("See https://a.org/c] now.", r"See [https://a.org/c](https://a.org/c)\] now."),
        ("~~~\n```\nx = 1\n~~~", "````\n```\nx = 1\n````"),
        # A stop apart after a bare URL, which Markdown would join to the link written for it.
        ("At https://a.org/x , https://b.org/y . Then", r"At <https://a.org/x> \, <https://b.org/y> \. Then"),
        ("At https://a.org/x **,** then", "At <https://a.org/x> **,** then"),
        ("## At https://a.org/x , then", r"## At <https://a.org/x> \, then"),
        # Dashes alone in a bullet's text: after its `- ` they would be a rule.
        (r"- \-\-", r"- \--"),
        (r"- \- \-", r"- \- -"),
        (r"- \-\- x", r"- -- x"),
    ],
)
def test_text_is_escaped_where_markdown_would_read_markup(source: str, written: str) -> None:
    assert _markdown(source) == between_paragraphs(written)
    # And reads back as the same words.
    source_words = variant_from_text(between_paragraphs(source), "a.md").document.words
    assert variant_from_text(_markdown(source), "b.md").document.words == source_words


def test_the_text_output_is_not_escaped() -> None:
    text = normalize(variant_from_text(between_paragraphs(r"Stars \*a\* and &lt;b&gt; \# x"), "a.md"), "txt")
    assert text == between_paragraphs("Stars *a* and <b> # x")


def test_a_merged_paragraph_from_the_printed_side_is_escaped_too() -> None:
    web = "The fee rose 5 * 3 times [see note](https://a.org) in <2024>."
    printed = "The fee rose 5 * 3 times see note in <2024>."
    comparison = compared_between_paragraphs(web, printed, ("web.md", "p.txt"))
    assert merge(comparison, format="md").text == between_paragraphs(
        r"The fee rose 5 \* 3 times [see note](https://a.org) in <2024>."
    )


#: Characters a word of the generated paragraphs is made of: markup characters, and a few
#: letters and digits to make words of them.
_ALPHABET = "ab1_*`[]()<>&;#$\\-+.=!~:"


def _as_source(word: str) -> str:
    """A word written so that Markdown reads it as text: every ASCII punctuation escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", word)


@given(
    st.lists(st.text(_ALPHABET, min_size=1, max_size=6), min_size=1, max_size=8),
    st.sampled_from(["", "- ", "> ", "## ", "1. "]),
)
@example(["--"], "- ")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_reads_back_as_the_same_words(words: list[str], block: str) -> None:
    """A paragraph, item, quote or heading of any words made of markup characters, written
    as text in the source, is written so that it reads back as the same words."""
    markdown = block + " ".join(map(_as_source, words))
    source = variant_from_text(between_paragraphs(markdown), "a.md").document
    written = _markdown(markdown)
    again = variant_from_text(written, "b.md").document
    assert list(again.words) == list(source.words), written
    assert list(again.style_of) == list(source.style_of), written
    assert [b.kind for b in again.blocks] == [b.kind for b in source.blocks], written


@pytest.mark.parametrize(
    ("source", "written"),
    [
        # An image keeps its markup: alone, in a link (a badge), with a title, a stop after it,
        # or emphasis in its alt text.
        ('![A photo](p.jpg "The mill")', None),
        ("[![Badge](b.svg)](https://x.org) text", None),
        ("See ![icon](i.png). Done", None),
        ("Two ![**bold** alt](y.png) here", None),
        # Brackets in its alt text: written as its alt text, which reads back as the same words.
        (r"An ![a \[b\]](x.png) odd", "An a [b] odd"),
    ],
)
def test_images_are_written_as_the_source_writes_them(source: str, written: str | None) -> None:
    assert _markdown(source) == between_paragraphs(written or source)
    words = variant_from_text(between_paragraphs(source), "a.md").document.words
    assert variant_from_text(_markdown(source), "b.md").document.words == words


def test_an_image_that_a_decision_cuts_is_written_as_its_words() -> None:
    comparison = compared_between_paragraphs(
        "![A photo of a mill at low water](m.jpg)", "A photo of the mill at low water", ("a.md", "b.txt")
    )
    assert [d.kind.value for d in comparison.differences] == ["formatting", "wording", "formatting"]
    # Taken whole from the side that has it, by default: the image.
    assert "\n\n![A photo of a mill at low water](m.jpg)\n\n" in merge(comparison, format="md").text
    # A word of the other side inside it: the words, no image markup around them.
    wording = comparison.differences[1].id
    text = merge(comparison, {wording: Decision(Choice.RIGHT)}, format="md").text
    assert "\n\nA photo of the mill at low water\n\n" in text
