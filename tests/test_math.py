"""Inline math in Markdown: `$k \\times W$` reads as the rendered `k × W`, and is written back as is."""

from __future__ import annotations

import pytest

from tests.prose import paragraphs, wrap
from viewer.core import DifferenceKind, compare, merge, normalize, variant_from_text
from viewer.core.document import CODE, MATH, parse


@pytest.mark.parametrize(
    ("source", "words", "math"),
    [
        ("up to $k \\times W$ tokens", ["up", "to", "k", "×", "W", "tokens"], [0, 0, 1, 1, 1, 0]),
        ("state $h\\_i$ attends", ["state", "hi", "attends"], [0, 1, 0]),
        ("state $h_{i}^{2}$ attends", ["state", "hi2", "attends"], [0, 1, 0]),
        ("at $i \\bmod W$ of it", ["at", "i", "mod", "W", "of", "it"], [0, 1, 1, 1, 0, 0]),
        ("6.84 $\\pm$ 0.07", ["6.84", "±", "0.07"], [0, 1, 0]),
        ("the ($k$, $v$) cache", ["the", "(k,", "v)", "cache"], [0, 1, 1, 0]),
        # In any opening quotation mark too, as a link there starts in it.
        ("sagte „$x$“ und «$y$» dann", ["sagte", "„x“", "und", "«y»", "dann"], [0, 1, 0, 1, 0]),
        ("is $\\mathrm{d}x\\,$ small", ["is", "dx", "small"], [0, 1, 0]),
        ("an $\\alpha$ and $\\frac{a}{b}$", ["an", "α", "and", "\\fracab"], [0, 1, 0, 1]),
        # Prices are no math: a space after the first dollar, a digit after the second, a
        # letter before one.
        ("spend $2.6 billion and $5 more", ["spend", "$2.6", "billion", "and", "$5", "more"], [0] * 6),
        ("from $5-$10 or US$5 to A$3", ["from", "$5-$10", "or", "US$5", "to", "A$3"], [0] * 6),
        ("costs $5 but $x$ is", ["costs", "$5", "but", "x", "is"], [0, 0, 0, 1, 0]),
        ("set FOO$BAR$ now", ["set", "FOO$BAR$", "now"], [0, 0, 0]),
        # Nor is anything inside code.
        ("run `echo $x$` now", ["run", "echo", "$x$", "now"], [0, 0, 0, 0]),
    ],
)
def test_inline_math_reads_as_rendered(source: str, words: list[str], math: list[int]) -> None:
    doc = parse(f"Some text.\n\n{source}\n")
    assert list(doc.words)[2:] == words
    assert [int(bool(style & MATH)) for style in list(doc.style_of)[2:]] == math


def test_math_in_a_code_block_stays_as_written() -> None:
    doc = parse("Text.\n\n```\ny = $x$ + $z$\n```\n")
    assert list(doc.words)[1:] == ["y", "=", "$x$", "+", "$z$"]
    assert all(style & CODE and not style & MATH for style in list(doc.style_of)[1:])


@pytest.mark.parametrize(
    "source",
    [
        "up to $k \\times W$ tokens, ($k$, $v$) and $h\\_i$.",
        "**bold $x^{2}$** and **$y$** then $W=4096$, done.",
        "6.84 $\\pm$ 0.07 and $5 or $6.",
    ],
)
def test_markdown_output_writes_math_as_the_source_does(source: str) -> None:
    variant = variant_from_text(source, "a.md")
    assert normalize(variant, "md") == source


def test_math_against_the_printed_formula_is_formatting_and_merges_both_ways() -> None:
    first, second = paragraphs()[:2]
    latex = f"{first}\n\nat a distance of up to $k \\times W$ tokens, the state $h\\_i$ attends. {second}"
    words = "at a distance of up to k × W tokens, the state hi attends."
    printed = f"{wrap(first, 70)}\n\n{wrap(f'{words} {second}', 70)}"
    comparison = compare(variant_from_text(latex, "latex.md"), variant_from_text(printed, "pdf.txt"))
    assert [d.kind for d in comparison.differences] == [DifferenceKind.FORMATTING] * 2
    assert [d.left.text for d in comparison.differences] == ["k \\times W", "h\\_i"]
    # The side with the markup, as for bold or links: the math stays in Markdown, renders in text.
    assert "up to $k \\times W$ tokens, the state $h\\_i$ attends." in merge(comparison, format="md").text
    assert "up to k × W tokens, the state hi attends." in merge(comparison).text
