"""A formatting difference says what it changes: which styles one side has and the other not."""

from __future__ import annotations

import io

import pytest

from tests.prose import compared_between_paragraphs
from viewer.core import DifferenceKind
from viewer.core.describe import named_styles, style_change
from viewer.core.document import BOLD, CODE, HEADING_STYLE, ITALIC
from viewer.html_report import html_report
from viewer.report import write_summary


@pytest.mark.parametrize(
    ("style", "words"),
    [
        (0, ""),
        (BOLD, "bold"),
        (BOLD | ITALIC, "bold and italic"),
        (HEADING_STYLE | BOLD | ITALIC, "heading, bold and italic"),
        (CODE | HEADING_STYLE, "heading and code"),
    ],
)
def test_styles_in_words(style: int, words: str) -> None:
    assert named_styles(style) == words


@pytest.mark.parametrize(
    ("left", "right", "said", "short"),
    [
        ("The **vote** was at noon.", "The vote was at noon.", "bold on the left only", "bold, left only"),
        ("The vote was.", "The *vote* was.", "italic on the right only", "italic, right only"),
        (
            "The *vote* was at noon.",
            "The **vote** was at noon.",
            "italic on the left, bold on the right",
            "italic left, bold right",
        ),
        (
            "The ***vote*** was at noon.",
            "The vote was at noon.",
            "bold and italic on the left only",
            "bold and italic, left only",
        ),
        ("The **vote** was.", "The ***vote*** was.", "italic on the right only", "italic, right only"),
        ("Run `make all` now.", "Run make all now.", "code on the left only", "code, left only"),
        ("## The vote", "The vote", "heading on the left only", "heading, left only"),
        ("The $k$ vote.", "The k vote.", "math on the left only", "math, left only"),
    ],
)
def test_a_formatting_difference_names_what_one_side_has(
    left: str, right: str, said: str, short: str
) -> None:
    comparison = compared_between_paragraphs(left, right)
    [d] = comparison.differences
    assert d.kind is DifferenceKind.FORMATTING
    assert style_change(comparison, d.id) == said
    assert style_change(comparison, d.id, short=True) == short


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("The council voted at noon.", "The council agreed at noon."),  # wording
        ("The **council** voted at noon.", "The panel voted at noon."),  # wording, styled on one side
        ("The [council](https://a.org) voted.", "The council voted."),  # a link
        ("### Language Definition", "### 4.1 Language Definition"),  # formatting: a number only
    ],
)
def test_other_differences_say_nothing_more(left: str, right: str) -> None:
    comparison = compared_between_paragraphs(left, right)
    [d] = comparison.differences
    assert style_change(comparison, d.id) == ""


def test_the_summary_names_the_style_after_the_kind() -> None:
    comparison = compared_between_paragraphs("The **council voted** at noon.", "The council voted at noon.")
    out = io.StringIO()
    write_summary(comparison, out, color=False)
    assert "\nd1 formatting (bold on the left only)\n" in out.getvalue()
    # The shared report says it where the pointer rests on the kind.
    assert '<td class="kind" title="bold on the left only">' in html_report(comparison)


def test_the_report_says_nothing_more_for_other_kinds() -> None:
    page = html_report(compared_between_paragraphs("The council voted at noon.", "The panel voted at noon."))
    assert '<td class="kind">' in page
    assert 'class="kind" title=' not in page
