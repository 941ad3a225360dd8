"""Properties on generated variants of real prose: noise is never wording, edits always are."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.prose import paragraphs, wrap
from viewer.core import DifferenceKind, compare, merge, normalize, variant_from_text
from viewer.core.merge import MergePolicy

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def documents(draw: st.DrawFn) -> list[str]:
    pool = paragraphs()
    start = draw(st.integers(0, len(pool) - 8))
    count = draw(st.integers(2, 7))
    return list(pool[start : start + count])


def _with_links(draw: st.DrawFn, paragraph: str) -> str:
    words = paragraph.split()
    if len(words) < 6:
        return paragraph
    a = draw(st.integers(0, len(words) - 4))
    b = a + draw(st.integers(1, 3))
    target = draw(st.sampled_from(["#", "https://example.org/a", ""]))
    words[a:b] = [f"[{' '.join(words[a:b])}]({target})"]
    return " ".join(words)


CAPTION = "Delegates arrive at the summit venue in Geneva. **Picture Desk Agency**"


@given(data=st.data(), doc=documents(), width=st.integers(25, 110), indent=st.booleans())
@SETTINGS
def test_rewrap_links_and_captions_are_never_wording(
    data: st.DataObject, doc: list[str], width: int, indent: bool
) -> None:
    left_paragraphs = [_with_links(data.draw, p) for p in doc]
    at = data.draw(st.integers(0, len(doc)))
    left_paragraphs.insert(at, CAPTION)
    left = "\n\n".join(left_paragraphs)
    right = "\n\n".join(wrap(p, width, indent) for p in doc)
    comparison = compare(variant_from_text(left), variant_from_text(right))
    kinds = {d.kind for d in comparison.differences}
    assert DifferenceKind.WORDING not in kinds, [d for d in comparison.differences if d.kind == "wording"]
    assert DifferenceKind.CAPTION in kinds


@given(data=st.data(), doc=documents(), width=st.integers(30, 100))
@SETTINGS
def test_each_word_edit_is_one_wording_difference(data: st.DataObject, doc: list[str], width: int) -> None:
    left = "\n\n".join(doc)
    words = left.split(" ")
    # Edits at least 12 words apart, each a word that appears nowhere else.
    slots = list(range(3, len(words) - 3, 12))
    chosen = sorted(data.draw(st.sets(st.sampled_from(slots), min_size=1, max_size=min(6, len(slots)))))
    edited = list(words)
    for n, k in enumerate(chosen):
        edited[k] = edited[k].replace(edited[k].strip(".,;:()\n"), f"zqx{n}vw", 1)
    right_flat = " ".join(edited)
    right = "\n\n".join(wrap(p, width) for p in right_flat.split("\n\n"))
    comparison = compare(variant_from_text(left), variant_from_text(right))
    wording = [d for d in comparison.differences if d.kind is DifferenceKind.WORDING]
    assert len(wording) == len(chosen)
    offsets = []
    pos = 0
    for k, w in enumerate(words):
        if k in chosen:
            offsets.append((pos, pos + len(w)))
        pos += len(w) + 1
    for (start, end), d in zip(offsets, wording, strict=True):
        assert d.left.start < end
        assert start < d.left.end
        assert "zqx" in d.right.text


@given(data=st.data(), doc=documents(), width=st.integers(25, 110))
@SETTINGS
def test_one_sided_merge_equals_normalize(data: st.DataObject, doc: list[str], width: int) -> None:
    left = "# A title\n\n" + "\n\n".join(_with_links(data.draw, p) for p in doc) + "\n\n" + CAPTION
    edited = [p.replace(" the ", " a ", 1) for p in doc[::-1]]
    right = "\n\n".join(wrap(p, width) for p in edited)
    comparison = compare(variant_from_text(left), variant_from_text(right))
    for fmt in ("txt", "md"):
        assert merge(comparison, policy=MergePolicy("left"), format=fmt).text == normalize(
            comparison.left, fmt
        )
        assert merge(comparison, policy=MergePolicy("right"), format=fmt).text == normalize(
            comparison.right, fmt
        )


#: Pieces of text with markup in them, for documents that Markdown and plain text may read
#: in every way: emphasis, code, links, entities, escapes, block markers, math, rules, fences.
_PIECES = (
    "word", "Word.", "the", "*", "**", "_", "`", "[", "]", "](http://x.org)", "<", ">", "&amp;",
    "&lt;", "\\", "#", "## ", "- ", "1. ", "2024.", "> ", "|", "---", "$", "$x$", "'", "“",
    "http://a.b/c", "```", "![alt](i.png)", "<b>", "<year>", "[1]", "x_y", "\n", "\n\n", " ", "    ",
    "\t",
)  # fmt: skip


@given(
    st.lists(st.sampled_from(_PIECES), max_size=40),
    st.lists(st.sampled_from(_PIECES), max_size=40),
    st.sampled_from([("a.md", "b.md"), ("a.md", "b.txt"), ("a.txt", "b.txt")]),
    st.sampled_from(["md", "txt"]),
)
@example(["---", "a"], ["---", "b"], ("a.md", "b.md"), "md")  # a rule's dashes, then a word
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_one_sided_merges_equal_normalize_whatever_the_markup(
    left: list[str], right: list[str], names: tuple[str, str], fmt: str
) -> None:
    """`merge --policy left` is `normalize LEFT` (and right), escapes and all, for any text."""
    a, b = variant_from_text(" ".join(left), names[0]), variant_from_text(" ".join(right), names[1])
    comparison = compare(a, b)
    for side, variant in (("left", a), ("right", b)):
        assert merge(comparison, policy=MergePolicy(side), format=fmt).text == normalize(variant, fmt)
