"""The array passes of `classify` against the in-run rules applied token by token."""

from __future__ import annotations

import importlib
import random
from array import array
from collections.abc import Sequence
from itertools import pairwise

import pytest

from tests.prose import paragraphs, wrap
from viewer.core import compare, merge, variant_from_text
from viewer.core.align import Opcode
from viewer.core.classify import Change, _inside_a_block, _only_marks, _pieces, classify
from viewer.core.document import BOLD, ITALIC, Block, Document, Link, parse
from viewer.core.furniture import splits_sentence
from viewer.core.merge import Provenance
from viewer.core.model import BlockKind, Difference, DifferenceKind, Side, Span

classify_module = importlib.import_module("viewer.core.classify")

Row = tuple[
    DifferenceKind, tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int], Side | None, bool
]


def _gap_before(doc: Document, t: int) -> tuple[int, int]:
    return (doc.ends[t - 1], doc.starts[t]) if t > 0 else (0, doc.starts[t])


def _what(left: Document, right: Document, i: int, j: int) -> tuple[object, Side | None]:
    """What differs between aligned tokens i and j (a grouping key, or None) and the marked side."""
    link_l, link_r = left.link(i), right.link(j)
    target_l = link_l.target if link_l else None
    target_r = link_r.target if link_r else None
    blocks = (left.block_of[i], right.block_of[j])
    style_l, style_r = left.style_of[i], right.style_of[j]
    if target_l != target_r:
        key = (DifferenceKind.LINK, left.link_of[i], right.link_of[j], blocks)
        return key, Side.LEFT if target_l is not None else Side.RIGHT
    if style_l != style_r:
        key = (DifferenceKind.FORMATTING, style_l, style_r, blocks)
        return key, Side.LEFT if style_l > style_r else Side.RIGHT
    if left.words[i] != right.words[j]:
        return (DifferenceKind.TYPOGRAPHY, blocks), None
    return None, None


def reference_in_run(left: Document, right: Document, opcodes: Sequence[Opcode]) -> list[Row]:
    """Breaks, links, formatting and typography inside equal runs, looking at every token pair."""
    left_opens = {b.first_token for b in left.blocks}
    right_opens = {b.first_token for b in right.blocks}
    rows: list[Row] = []
    for op, i1, i2, j1, _ in opcodes:
        if op != "equal":
            continue
        shift = j1 - i1
        found: list[Row] = []
        for p in range(i1 + 1, i2):
            q = p + shift
            if (p in left_opens) != (q in right_opens):
                found.append(
                    (
                        DifferenceKind.BREAK,
                        (p, p),
                        (q, q),
                        _gap_before(left, p),
                        _gap_before(right, q),
                        Side.LEFT if p in left_opens else Side.RIGHT,
                        splits_sentence(left.words[p - 1], left.words[p]),
                    )
                )

        current: object = None
        start = i1
        marked: Side | None = None
        for i in range(i1, i2 + 1):
            key, side = _what(left, right, i, i + shift) if i < i2 else (None, None)
            if key != current:
                if isinstance(current, tuple):
                    found.append(
                        (
                            current[0],
                            (start, i),
                            (start + shift, i + shift),
                            left.token_span(start, i),
                            right.token_span(start + shift, i + shift),
                            marked,
                            False,
                        )
                    )
                current, start, marked = key, i, side
        found.sort(key=lambda row: row[1])
        rows.extend(found)
    return rows


def in_run_rows(changes: list[Change]) -> list[Row]:
    return [
        (
            c.kind,
            c.left_tokens,
            c.right_tokens,
            (c.difference.left.start, c.difference.left.end),
            (c.difference.right.start, c.difference.right.end),
            c.marked_side,
            c.splits_sentence,
        )
        for c in changes
        if c.aligned
    ]


_QUOTES = {"'": "\u2019", '"': "\u201d"}


def _variants(seed: int, count: int = 14) -> tuple[str, str]:
    """Two Markdown renderings of the same prose that differ in links, emphasis, quotes,
    paragraph breaks, wrapping and now and then a word."""
    rng = random.Random(seed)
    pool = paragraphs()
    start = rng.randrange(len(pool) - count)
    left_blocks, right_blocks = [], []
    for paragraph in pool[start : start + count]:
        words = paragraph.split()
        if rng.random() < 0.3:
            # The same but for its first and last words: an equal run with no difference inside.
            left_blocks.append(paragraph)
            right_blocks.append(" ".join(["Changed", *words[1:-1], "changed."]))
            continue
        left: list[str] = []
        right: list[str] = []
        k = 0
        while k < len(words):
            roll = rng.random()
            piece = " ".join(words[k : k + 3])
            if roll < 0.08:
                targets = rng.choice(
                    [("#a", None), (None, "#a"), ("#a", "#a"), ("#a", "#b"), ("", None), ("", "")]
                )
                for side, target in zip((left, right), targets, strict=True):
                    side.append(piece if target is None else f"[{piece}]({target})")
                k += 3
            elif roll < 0.15:
                marks = rng.choice([("*", ""), ("", "**"), ("*", "**"), ("**", "**"), ("_", "*")])
                for side, mark in zip((left, right), marks, strict=True):
                    side.append(f"{mark}{piece}{mark}")
                k += 3
            elif roll < 0.2:
                quote = rng.choice(list(_QUOTES))
                left.append(f"{quote}{words[k]}{quote}")
                right.append(f"{_QUOTES[quote]}{words[k]}{_QUOTES[quote]}")
                k += 1
            elif roll < 0.23:
                left.append(words[k])
                right.append(rng.choice(["changed", "other words", ""]))
                k += 1
            elif roll < 0.27 and 0 < k < len(words) - 1:
                rng.choice((left, right)).append(rng.choice(["\n\n", "\n\n# "]))
                left.append(words[k])
                right.append(words[k])
                k += 1
            else:
                left.append(words[k])
                right.append(words[k])
                k += 1
        left_blocks.append(" ".join(left))
        right_blocks.append(wrap(" ".join(right), rng.randrange(30, 90)))
    return "\n\n".join(left_blocks), "\n\n".join(right_blocks)


def _ids(left: Document, right: Document) -> tuple[array[int], array[int]]:
    """One id per distinct word, shared by both sides."""
    vocabulary: dict[str, int] = {}

    def ids(doc: Document) -> array[int]:
        return array("i", (vocabulary.setdefault(w, len(vocabulary)) for w in doc.words))

    return ids(left), ids(right)


@pytest.mark.parametrize("seed", range(12))
def test_generated_variants_match_the_token_by_token_rules(seed: int) -> None:
    left_text, right_text = _variants(seed)
    comparison = compare(variant_from_text(left_text), variant_from_text(right_text))
    left, right = comparison.left.document, comparison.right.document
    expected = reference_in_run(left, right, comparison.opcodes)
    assert in_run_rows(list(comparison.changes)) == expected
    kinds = {row[0] for row in expected}
    assert kinds == {
        DifferenceKind.BREAK,
        DifferenceKind.LINK,
        DifferenceKind.FORMATTING,
        DifferenceKind.TYPOGRAPHY,
    }
    quiet = [
        op
        for op in comparison.opcodes
        if op[0] == "equal" and not [r for r in expected if op[1] <= r[1][0] < op[2]]
    ]
    assert quiet


def _document(
    words: list[str], opens: set[int], links: list[tuple[int, int, str]], styles: list[int]
) -> Document:
    """A document made token by token: paragraphs open at `opens`, links cover token ranges."""
    starts, ends, pos = array("i"), array("i"), 0
    for w in words:
        starts.append(pos)
        ends.append(pos + len(w))
        pos += len(w) + 1
    cuts = sorted({0, *opens, len(words)})
    blocks = [Block(BlockKind.PARAGRAPH, starts[a], ends[b - 1], a, b) for a, b in pairwise(cuts)]
    link_of = array("i", [-1] * len(words))
    for k, (a, b, _) in enumerate(links):
        link_of[a:b] = array("i", [k] * (b - a))
    return Document(
        " ".join(words),
        starts,
        ends,
        array("i", [k for k, b in enumerate(blocks) for _ in range(b.first_token, b.end_token)]),
        link_of,
        array("B", styles),
        words,
        blocks,
        [Link(max(0, starts[a] - 1), ends[b - 1] + 6, target) for a, b, target in links],
    )


def _random_pair(rng: random.Random, n: int) -> tuple[Document, Document, list[Opcode]]:
    """Two documents of n tokens, the second mostly a copy of the first but differing here and
    there in spelling, emphasis, links and breaks; and an alignment of equal runs (some of them
    touching) and same-length replacements."""
    words = [rng.choice(["word", "it's", "\u201cq\u201d", "a-b"]) for _ in range(n)]
    opens = {k for k in range(1, n) if rng.random() < 0.08}
    styles = [
        rng.choice([0, 0, 0, BOLD, ITALIC, BOLD | ITALIC]) if rng.random() < 0.3 else 0 for _ in range(n)
    ]
    links, k = [], 0
    while k < n:
        if rng.random() < 0.15:
            end = min(n, k + rng.randint(1, 4))
            links.append((k, end, rng.choice(["#a", "#b", "", "#a"])))
            k = end
        else:
            k += 1
    left = _document(words, opens, links, styles)

    def some(p: float) -> bool:
        return rng.random() < p

    words = [w.replace("'", "\u2019").replace("-", "\u2013") if some(0.1) else w for w in words]
    words = [w + "!" if some(0.03) else w for w in words]
    opens = {k for k in opens if some(0.8)} | {k for k in range(1, n) if some(0.02)}
    styles = [rng.choice([0, BOLD, ITALIC]) if some(0.1) else s for s in styles]
    links = [(a, b, rng.choice(["#a", "#c", ""]) if some(0.2) else t) for a, b, t in links if some(0.8)]
    linked = {k for a, b, _ in links for k in range(a, b)}
    links = sorted(links + [(k, k + 1, "#r") for k in range(n) if k not in linked and some(0.03)])
    right = _document(words, opens, links, styles)
    opcodes: list[Opcode] = []
    k = 0
    while k < n:
        end = min(n, k + rng.randint(1, 30))
        opcodes.append(("equal" if some(0.8) else "replace", k, end, k, end))
        k = end
    return left, right, opcodes


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_match_the_token_by_token_rules(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    left, right, opcodes = _random_pair(rng, rng.randint(1, 400))
    left_ids, right_ids = _ids(left, right)
    expected = reference_in_run(left, right, opcodes)
    changes = classify(left, right, opcodes, left_ids, right_ids)
    assert in_run_rows(changes) == expected
    monkeypatch.setattr(classify_module, "_BATCH", rng.randint(1, 5))
    monkeypatch.setattr(classify_module, "_CHUNK", rng.randint(1, 20))
    assert classify(left, right, opcodes, left_ids, right_ids) == changes


@pytest.mark.parametrize("seed", range(4))
def test_small_passes_give_the_same_result(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cutting the work into passes of a few opcodes and a few token pairs changes nothing."""
    left_text, right_text = _variants(100 + seed)
    comparison = compare(variant_from_text(left_text), variant_from_text(right_text))
    left, right = comparison.left.document, comparison.right.document
    left_ids, right_ids = _ids(left, right)
    whole = classify(left, right, comparison.opcodes, left_ids, right_ids)
    monkeypatch.setattr(classify_module, "_BATCH", 3)
    monkeypatch.setattr(classify_module, "_CHUNK", 5)
    assert classify(left, right, comparison.opcodes, left_ids, right_ids) == whole
    assert in_run_rows(whole) == reference_in_run(left, right, comparison.opcodes)


def test_runs_that_touch_on_one_side_are_grouped_apart() -> None:
    """Two equal runs with nothing between them on the left: a link across the seam is two differences."""
    left = parse("one [two three four five](#a) six seven")
    right = parse("one two three new four five six seven")
    opcodes: list[Opcode] = [("equal", 0, 3, 0, 3), ("insert", 3, 3, 3, 4), ("equal", 3, 7, 4, 8)]
    ids = array("i", range(8))
    changes = classify(left, right, opcodes, ids, ids)
    rows = in_run_rows(changes)
    assert rows == reference_in_run(left, right, opcodes)
    assert [(r[0], r[1]) for r in rows] == [(DifferenceKind.LINK, (1, 3)), (DifferenceKind.LINK, (3, 5))]


@pytest.mark.parametrize("marked", ["*a b c d*", "[a b c d](#x)", "a\u2019 b\u2019 c\u2019 d\u2019"])
@pytest.mark.parametrize("marked_on_left", [True, False])
def test_no_difference_straddles_a_break(marked: str, marked_on_left: bool) -> None:
    left, right = parse(marked), parse("a b\n\nc d")
    if not marked_on_left:
        left, right = right, left
    opcodes: list[Opcode] = [("equal", 0, 4, 0, 4)]
    ids = array("i", range(4))
    rows = in_run_rows(classify(left, right, opcodes, ids, ids))
    assert rows == reference_in_run(left, right, opcodes)
    assert [r[1] for r in rows] == [(0, 2), (2, 2), (2, 4)]


def test_typography_groups_across_emphasis_both_sides_share() -> None:
    left, right = parse("**a\u2019** b\u2019 *c\u2019*"), parse("**a'** b' *c'*")
    opcodes: list[Opcode] = [("equal", 0, 3, 0, 3)]
    ids = array("i", range(3))
    rows = in_run_rows(classify(left, right, opcodes, ids, ids))
    assert rows == reference_in_run(left, right, opcodes)
    assert [(r[0], r[1]) for r in rows] == [(DifferenceKind.TYPOGRAPHY, (0, 3))]


def test_links_compare_by_target_and_group_by_link() -> None:
    left = parse("a [b c](#x) [d](#x) [e](#y) f [g](#z) h")
    right = parse("a [b c d](#x) [e](#q) f [g](#z) h")
    opcodes: list[Opcode] = [("equal", 0, 8, 0, 8)]
    ids = array("i", range(8))
    rows = in_run_rows(classify(left, right, opcodes, ids, ids))
    assert rows == reference_in_run(left, right, opcodes)
    assert [(r[0], r[1], r[5]) for r in rows] == [(DifferenceKind.LINK, (4, 5), Side.LEFT)]


def test_identical_runs_have_no_differences() -> None:
    text = "\n\n".join(paragraphs()[:6])
    left, right = parse(text), parse("\n\n".join(wrap(p, 40) for p in paragraphs()[:6]))
    opcodes: list[Opcode] = [("equal", 0, len(left), 0, len(right))]
    ids = array("i", range(len(left)))
    assert classify(left, right, opcodes, ids, ids) == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [([], True), (["\u201c", "--"], True), (["\u201c", "a"], False), ([""], False), (["--x"], False)],
)
def test_only_marks(words: list[str], expected: bool) -> None:
    doc = Document("", words=words)
    assert _only_marks(doc, 0, len(words)) is expected


@pytest.mark.parametrize("seed", range(5))
def test_ranges_inside_a_block_have_no_whole_block_to_classify(seed: int) -> None:
    """The shortcut past furniture classification is taken only where it would find none."""
    rng = random.Random(seed)
    doc, _, _ = _random_pair(rng, 60)
    for a in range(len(doc) + 1):
        for b in range(a, min(len(doc), a + 20) + 1):
            if _inside_a_block(doc, a, b):
                assert _pieces(doc, a, b, 0, len(doc)) == ([(a, b, DifferenceKind.WORDING)] if a < b else [])


@pytest.mark.parametrize("seed", range(3))
def test_records_equal_the_ones_their_own_constructors_make(seed: int) -> None:
    """Changes, differences, spans and merge segments are made without __init__; they must not tell."""
    left_text, right_text = _variants(seed)
    comparison = compare(variant_from_text(left_text), variant_from_text(right_text))
    assert comparison.changes
    for change in comparison.changes:
        d = change.difference
        spans = [Span(s.start, s.end, s.text) for s in (d.left, d.right)]
        made = Change(
            Difference(d.id, d.kind, *spans),
            change.left_tokens,
            change.right_tokens,
            change.marked_side,
            change.splits_sentence,
            change.aligned,
        )
        assert (change, hash(change), repr(change)) == (made, hash(made), repr(made))
        assert d.left.text == left_text[d.left.start : d.left.end]
        assert d.right.text == right_text[d.right.start : d.right.end]
        with pytest.raises(AttributeError):
            d.left.start = 0  # type: ignore[misc]
    for fmt in ("txt", "md"):
        segments = merge(comparison, format=fmt).segments
        assert segments
        for s in segments:
            made_segment = Provenance(s.start, s.end, s.side, s.difference_id)
            assert (s, hash(s), repr(s)) == (made_segment, hash(made_segment), repr(made_segment))
