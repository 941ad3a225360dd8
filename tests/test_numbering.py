"""Section and list item numbers on one side only are formatting, kept in the merged text."""

from __future__ import annotations

import pytest

from tests.prose import between_paragraphs, compared_between_paragraphs
from viewer.core import DifferenceKind, merge, normalize, variant_from_text


@pytest.mark.parametrize(
    ("source", "printed", "kind", "merged"),
    [
        # The printed side numbers its headings and list items: the numbers are kept, at the
        # preferred side's heading level.
        (
            "### Language Definition",
            "## 4.1 Language Definition",
            DifferenceKind.FORMATTING,
            "### 4.1 Language Definition",
        ),
        ("## Results", "## 5 Results", DifferenceKind.FORMATTING, "## 5 Results"),
        (
            "- Cross cell rule: it holds.",
            "3. Cross cell rule: it holds.",
            DifferenceKind.FORMATTING,
            "3. Cross cell rule: it holds.",
        ),
        # A number that is a word of the text, or in the middle of a heading, is wording.
        ("## Results of the run", "## Results of 2 runs", DifferenceKind.WORDING, None),
        ("The run took long.", "2 The run took long.", DifferenceKind.WORDING, None),
    ],
)
def test_a_number_before_a_heading_or_item_on_one_side_is_formatting(
    source: str, printed: str, kind: DifferenceKind, merged: str | None
) -> None:
    comparison = compared_between_paragraphs(source, printed, ("latex.md", "pdf.md"))
    assert [d.kind for d in comparison.differences] == [kind]
    if merged is not None:
        assert merge(comparison, format="md").text == between_paragraphs(merged)


def test_markdown_output_writes_a_numbered_item_with_its_number_as_marker() -> None:
    source = "Steps:\n\n1. First thing\n2. Second thing\n\n- a bullet\n- 2024 was a year"
    assert normalize(variant_from_text(source, "a.md"), "md") == source
