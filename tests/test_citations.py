"""Citations and cross-references: a LaTeX source's keys against the numbers a PDF printed."""

from __future__ import annotations

import pytest

from tests.prose import between_paragraphs, compared_between_paragraphs, paragraphs, wrap
from viewer.core import DifferenceKind, MergePolicy, Side, compare, merge, variant_from_text
from viewer.core.citations import citation
from viewer.core.compare import Comparison

CITATION, WORDING, LINK = DifferenceKind.CITATION, DifferenceKind.WORDING, DifferenceKind.LINK


def _compare(source: str, printed: str) -> tuple[Comparison, str, str]:
    """The two stretches between the same prose, the printed one hard-wrapped as a PDF's text."""
    first, second = paragraphs()[:2]
    left = f"{first}\n\n{source} {second}"
    right = f"{wrap(first, 68)}\n\n{wrap(f'{printed} {second}', 68)}"
    return compare(variant_from_text(left, "latex.md"), variant_from_text(right, "print.txt")), first, second


@pytest.mark.parametrize(
    ("source", "printed", "kind", "kept"),
    [
        # Keys glued to the word before them, against the printed numbers: the numbers stay.
        ("as human observers[li2019tablebank,DocLayNet].", "as human observers [7,8].", CITATION, Side.RIGHT),
        ("attention (SWA)[child2019,beltagy2020].", "attention (SWA) [6, 3].", CITATION, Side.RIGHT),
        ("In section[PS] we review it.", "In section 3 we review it.", CITATION, Side.RIGHT),
        ("As Figure[fig:chunking]shows, it works.", "As Figure 3 shows, it works.", CITATION, Side.RIGHT),
        ("as in [OTSLvHTML_show], we see.", "as in 1, we see.", CITATION, Side.RIGHT),
        ("For $W=4096$, Flash[dao2022] helps.", "For W = 4096, Flash [11] helps.", CITATION, Side.RIGHT),
        # A key the printed side lacks goes; a printed reference one side lacks stays.
        ("as TableFormer[TableFormer] does.", "as TableFormer does.", CITATION, Side.RIGHT),
        ("as noted [12] before.", "as noted before.", CITATION, Side.LEFT),
        # Two printed numbers, or two keys: the preferred side's.
        ("as noted [3] before.", "as noted [4] before.", CITATION, None),
        # Not citations: more bare numbers than keys, other words, bracketed words, a link.
        ("Table[tab:x] lists the results.", "Table 1 lists 12 results.", WORDING, None),
        ("Table[tab:x] lists the results.", "Table 1 12 lists the results.", WORDING, None),
        ("the results[3] show 5 cats.", "the results [4] show 7 cats.", WORDING, None),
        ("as Code-7B[roziere2023code] does.", "as Code-Llama 7B [20] does.", WORDING, None),
        ("we saw [the cat] run off.", "we saw run off.", WORDING, None),
        ("see [the docs](https://d.org) now.", "see the docs now.", LINK, Side.LEFT),
    ],
)
def test_a_citation_is_its_own_kind_and_merges_as_printed(
    source: str, printed: str, kind: DifferenceKind, kept: Side | None
) -> None:
    comparison, first, second = _compare(source, printed)
    (difference,) = comparison.differences
    assert difference.kind is kind
    if kind is not CITATION:
        return
    merged = merge(comparison, format="md").text
    expected = printed if kept is Side.RIGHT else source
    assert merged == "\n\n".join([first, f"{expected} {second}"])
    # Asked to, the preferred side's reference (the source's key) stays.
    keys = merge(comparison, policy=MergePolicy(kind_choices={CITATION: "prefer"}), format="md").text
    assert keys == "\n\n".join([first, f"{source} {second}"])


def test_a_citation_in_one_replacement_among_other_words_leaves_it_wording() -> None:
    comparison, _first, _second = _compare(
        "we explored[chi2019,deng2019] many ways.",
        "we explored [3,4] many ways. Fig. 1. A caption moved here.",
    )
    assert [d.kind for d in comparison.differences] == [WORDING]


def test_the_right_side_preferred_keeps_its_printed_numbers_over_keys_on_the_left() -> None:
    comparison, first, second = _compare("as observers[key2019].", "as observers [7].")
    right_first = merge(comparison, policy=MergePolicy(prefer=Side.RIGHT)).text
    assert right_first == "\n\n".join([first, f"as observers [7]. {second}"])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # Link markup and a task list's box, wherever they are read as text, are no references.
        ("see [the docs](https://d.org) now", "see the docs now"),
        ("see [docs][ref] now", "see docs now"),
        ("see [12]() now", "see now"),
        ("- [x] done", "- done"),
        ("![logo] here", "here"),
    ],
)
def test_bracketed_markup_is_no_reference(left: str, right: str) -> None:
    assert citation(left.split(), right.split()) is None
    assert citation(["as", "seen", "[4]", "here"], ["as", "seen", "here"]) is not None


@pytest.mark.parametrize(
    ("source", "printed", "kind"),
    [
        # A converter glued the section's label to its title; the PDF printed its number.
        ("## RWRelated Work", "## 2 Related Work", CITATION),
        ("## PSProblem Statement", "## 3 Problem Statement", CITATION),
        # Not in a heading, or not the title's word after the label: wording.
        ("The MyParser works well.", "The 2 Parser works well.", WORDING),
        ("## RWRelated Work", "## 2 Similar Work", WORDING),
        ("## 3dRendering Work", "## 2 Rendering Work", WORDING),
    ],
)
def test_a_label_glued_to_a_heading_faces_its_printed_number(
    source: str, printed: str, kind: DifferenceKind
) -> None:
    comparison = compared_between_paragraphs(source, printed, ("latex.md", "pdf.md"))
    assert [d.kind for d in comparison.differences] == [kind]
    if kind is CITATION:
        assert merge(comparison, format="md").text == between_paragraphs(printed)
