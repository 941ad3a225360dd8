"""Turning an alignment into classified differences."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from viewer.core.align import Cancelled, Opcode
from viewer.core.cancel import check
from viewer.core.citations import MAX_WORDS as CITATION_WORDS
from viewer.core.citations import Citation, citation, glued_label
from viewer.core.document import Document, block_started_at
from viewer.core.fold import fold
from viewer.core.furniture import BlockPlace, classify_block, splits_sentence, starts_page_footer
from viewer.core.model import BlockKind, Difference, DifferenceKind, Side, Span, slot_setters

#: A passage of at least this many words deleted on one side and inserted on the other is a move.
MOVE_MIN_WORDS = 8


@dataclass(frozen=True, slots=True)
class Change:
    """A difference with the token ranges it covers on each side, as the merge needs them.

    For a break the ranges are empty and sit at the first token after the break.
    `marked_side` is the side that carries the markup, the paragraph break or the text; for
    a citation, the printed reference (see citations.citation).
    `hole` is, for wording, the side whose text has a hole that the other side's words fill
    (see _mark_holes).
    """

    difference: Difference
    left_tokens: tuple[int, int]
    right_tokens: tuple[int, int]
    marked_side: Side | None = None
    splits_sentence: bool = False
    aligned: bool = False
    hole: Side | None = None

    @property
    def kind(self) -> DifferenceKind:
        return self.difference.kind

    def tokens(self, side: Side) -> tuple[int, int]:
        return self.left_tokens if side is Side.LEFT else self.right_tokens


@dataclass(slots=True)
class _Draft:
    kind: DifferenceKind
    left: tuple[int, int]
    right: tuple[int, int]
    left_span: tuple[int, int]
    right_span: tuple[int, int]
    marked_side: Side | None = None
    splits_sentence: bool = False
    aligned: bool = False
    hole: Side | None = None


#: Tokens a..b of one side and what they are.
_Piece = tuple[int, int, DifferenceKind]


def classify(
    left: Document,
    right: Document,
    opcodes: Sequence[Opcode],
    left_ids: array[int],
    right_ids: array[int],
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Change]:
    """Classify every difference of an alignment, in document order."""
    equal = [op for op in opcodes if op[0] == "equal" and op[2] > op[1]]
    bounds = (
        (equal[0][1], equal[-1][2], equal[0][3], equal[-1][4]) if equal else (len(left), 0, len(right), 0)
    )
    targets: dict[str, int] = {}
    spellings: dict[str, int] = {}
    sides = (_Tokens.of(left, targets, spellings), _Tokens.of(right, targets, spellings))
    drafts: list[_Draft] = []
    for first in range(0, len(opcodes), _BATCH):
        check(cancelled)
        batch = opcodes[first : first + _BATCH]
        runs = [(n, i1, i2, j1) for n, (op, i1, i2, j1, _) in enumerate(batch) if op == "equal" and i2 > i1]
        numbers, in_runs = _in_runs(*sides, runs)
        k = 0
        for n, (op, i1, i2, j1, j2) in enumerate(batch):
            if op != "equal":
                drafts.extend(_unequal(left, right, i1, i2, j1, j2, bounds))
            elif k < len(numbers) and numbers[k] == n:
                end = bisect_right(numbers, n, k)
                drafts.extend(in_runs[k:end])
                k = end
    check(cancelled)
    _mark_moves(drafts, left_ids, right_ids)
    stop_ids = np.array([spellings[s] for s in _LONE_STOPS if s in spellings], dtype=np.intc)
    stops = [np.flatnonzero(np.isin(side.spelling, stop_ids)).tolist() for side in sides]
    _mark_holes(_Side(left, stops[0]), _Side(right, stops[1]), drafts)
    return _changes(left, right, drafts, cancelled)


def _changes(
    left: Document, right: Document, drafts: list[_Draft], cancelled: Callable[[], bool] = lambda: False
) -> list[Change]:
    """Number the drafts and attach the text they cover.

    Tens of thousands of records on a long document: they are made as their own __init__
    would make them, without its cost per field (model.slot_setters).
    """
    left_text, right_text = left.text, right.text
    new = object.__new__
    start, end, text = _SPAN
    number, kind, on_left, on_right = _DIFFERENCE
    difference, left_tokens, right_tokens, marked, splits, aligned, hole = _CHANGE
    changes = []
    for n, d in enumerate(drafts, start=1):
        if not n & 4095 and cancelled():
            raise Cancelled
        (a, b), (c, e) = d.left_span, d.right_span
        left_span, right_span, found, change = new(Span), new(Span), new(Difference), new(Change)
        start(left_span, a), end(left_span, b), text(left_span, left_text[a:b])
        start(right_span, c), end(right_span, e), text(right_span, right_text[c:e])
        number(found, f"d{n}"), kind(found, d.kind), on_left(found, left_span), on_right(found, right_span)
        difference(change, found), left_tokens(change, d.left), right_tokens(change, d.right)
        marked(change, d.marked_side), splits(change, d.splits_sentence), aligned(change, d.aligned)
        hole(change, d.hole)
        changes.append(change)
    return changes


_SPAN = slot_setters(Span)
_DIFFERENCE = slot_setters(Difference)
_CHANGE = slot_setters(Change)


def _gap_before(doc: Document, t: int) -> tuple[int, int]:
    return (doc.ends[t - 1], doc.starts[t]) if t > 0 else (0, doc.starts[t])


#: Opcodes handled in one pass; cancellation is polled between passes.
_BATCH = 1024
#: At most this many aligned token pairs are compared by one C-level call, so the interpreter
#: lock is released between calls and a window stays responsive.
_CHUNK = 1 << 16

_Ints = npt.NDArray[np.intc] | npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _Tokens:
    """One document's per-token arrays as numpy arrays, for passes over many tokens at once.

    `opens` is true at every block's first token. `target`, `link_start` and `link_end` are
    indexed by link number and end with the entry that index -1 (no link) reads: no target,
    and a span that widens nothing.
    """

    doc: Document
    spelling: npt.NDArray[np.intc]
    style: npt.NDArray[np.uint8]
    link: _Ints
    block: _Ints
    starts: _Ints
    ends: _Ints
    opens: npt.NDArray[np.bool_]
    target: npt.NDArray[np.int64]
    link_start: npt.NDArray[np.int64]
    link_end: npt.NDArray[np.int64]

    @staticmethod
    def of(doc: Document, targets: dict[str, int], spellings: dict[str, int]) -> _Tokens:
        """The arrays of `doc`; `targets` numbers link targets and `spellings` words exactly as
        written, both shared by the two sides."""
        vocabulary, word_ids = doc.vocabulary()
        numbered = np.array([spellings.setdefault(w, len(spellings)) for w in vocabulary], dtype=np.intc)
        spelling = numbered[np.frombuffer(word_ids, dtype=np.intc)] if len(word_ids) else numbered[:0]
        opens = np.zeros(len(doc) + 1, dtype=np.bool_)
        opens[np.fromiter((b.first_token for b in doc.blocks), dtype=np.int64, count=len(doc.blocks))] = True
        links = doc.links
        target = [targets.setdefault(link.target, len(targets)) for link in links]
        return _Tokens(
            doc,
            spelling,
            np.asarray(doc.style_of),
            np.asarray(doc.link_of),
            np.asarray(doc.block_of),
            np.asarray(doc.starts),
            np.asarray(doc.ends),
            opens,
            np.array([*target, -1], dtype=np.int64),
            np.array([*(link.start for link in links), np.iinfo(np.int64).max], dtype=np.int64),
            np.array([*(link.end for link in links), -1], dtype=np.int64),
        )

    def spans(self, first: _Ints, last: _Ints) -> tuple[list[int], list[int]]:
        """Source ranges of tokens first..last (inclusive), as `Document.token_span` gives them."""
        k1, k2 = self.link[first], self.link[last]
        start = np.minimum(self.starts[first], np.minimum(self.link_start[k1], self.link_start[k2]))
        end = np.maximum(self.ends[last], np.maximum(self.link_end[k1], self.link_end[k2]))
        return start.tolist(), end.tolist()


#: Kinds of in-run token differences by code; code -1 marks pairs that do not differ.
_TOKEN_KINDS = (DifferenceKind.LINK, DifferenceKind.FORMATTING, DifferenceKind.TYPOGRAPHY)
_NONE, _LINK, _FORMATTING, _TYPOGRAPHY = -1, 0, 1, 2


def _in_runs(
    left: _Tokens, right: _Tokens, runs: list[tuple[int, int, int, int]]
) -> tuple[list[int], list[_Draft]]:
    """Differences among words that align: breaks, links, formatting, typography.

    `runs` holds equal runs as (opcode number, i1, i2, j1). The result is the differences in
    order, with the opcode number of the run each lies in. The aligned token pairs of all runs
    are numbered along one axis, run after run, and compared there a chunk at a time.
    """
    if not runs:
        return [], []
    number, first, end, right_first = (np.array(column, dtype=np.int64) for column in zip(*runs, strict=True))
    shift = right_first - first
    offset = np.cumsum(end - first) - (end - first)
    size = int((end - first).sum())

    def pairs(t: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
        """Run index, left and right token of the pairs numbered `t`."""
        r = np.searchsorted(offset, t, side="right") - 1
        i = first[r] + (t - offset[r])
        return r, i, i + shift[r]

    opening, differing = [], []
    for t0 in range(0, size, _CHUNK):
        t = np.arange(t0, min(t0 + _CHUNK, size), dtype=np.int64)
        r, i, j = pairs(t)
        opening.append(t[(left.opens[i] != right.opens[j]) & (t != offset[r])])
        links = (left.link[i] >= 0) | (right.link[j] >= 0)
        spelled = left.spelling[i] != right.spelling[j]
        differing.append(t[(left.style[i] != right.style[j]) | links | spelled])
    t = np.concatenate(differing)
    r, i, j = pairs(t)
    numbers, found = _token_differences(left, right, number[r], i, j, left.spelling[i] != right.spelling[j])
    r, i, j = pairs(np.concatenate(opening))
    if len(r):
        # A blank line inside a code block reads as the paragraph break that the other side
        # has: no difference.
        seen = np.array(
            [
                not _blank_line_before(right.doc if here else left.doc, q if here else p)
                for p, q, here in zip(i.tolist(), j.tolist(), left.opens[i].tolist(), strict=True)
            ],
            dtype=np.bool_,
        )
        r, i, j = r[seen], i[seen], j[seen]
    if len(r):
        # Runs lie in order on the left, so ordering by left tokens keeps every difference in its run.
        breaks = _breaks(left.doc, right.doc, i.tolist(), j.tolist(), left.opens[i].tolist())
        merged = sorted(
            zip(number[r].tolist() + numbers, breaks + found, strict=True), key=lambda x: x[1].left
        )
        numbers, found = [n for n, _ in merged], [d for _, d in merged]
    return numbers, found


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _blank_line_before(doc: Document, t: int) -> bool:
    """Whether a blank line stands between token t and the one before it (in one block: code)."""
    return t > 0 and _BLANK_LINE.search(doc.text, doc.ends[t - 1], doc.starts[t]) is not None


def _breaks(left: Document, right: Document, i: list[int], j: list[int], on_left: list[bool]) -> list[_Draft]:
    """Paragraph breaks on one side only, before aligned pairs (i, j)."""
    words = left.words
    return [
        _Draft(
            DifferenceKind.BREAK,
            (p, p),
            (q, q),
            _gap_before(left, p),
            _gap_before(right, q),
            Side.LEFT if here else Side.RIGHT,
            splits_sentence(words[p - 1], words[p]),
            aligned=True,
        )
        for p, q, here in zip(i, j, on_left, strict=True)
    ]


def _token_differences(
    left: _Tokens, right: _Tokens, run: _Ints, i: _Ints, j: _Ints, typo: npt.NDArray[np.bool_]
) -> tuple[list[int], list[_Draft]]:
    """Group aligned pairs (i, j), given in order with their runs, into link, formatting and
    typography differences; return them with their runs.

    A difference is a stretch of consecutive pairs in one run with the same kind and key
    (for links the link on each side, for formatting the style on each side) and the same
    block on each side, so that no difference straddles a paragraph break.
    """
    if not len(i):
        return [], []
    ls, rs = left.style[i], right.style[j]
    lk, rk = left.link[i], right.link[j]
    lt = left.target[lk]
    link = lt != right.target[rk]
    formatting = ls != rs
    kind = np.where(link, _LINK, np.where(formatting, _FORMATTING, np.where(typo, _TYPOGRAPHY, _NONE)))
    left_key = np.where(link, lk, np.where(formatting, ls, 0))
    right_key = np.where(link, rk, np.where(formatting, rs, 0))
    new = np.ones(len(i), dtype=np.bool_)
    new[1:] = i[1:] != i[:-1] + 1
    for key in (run, kind, left_key, right_key, left.block[i], right.block[j]):
        new[1:] |= key[1:] != key[:-1]
    heads = np.flatnonzero(new)
    tails = np.append(heads[1:], len(i)) - 1
    keep = kind[heads] != _NONE
    heads, tails = heads[keep], tails[keep]
    kinds = kind[heads]
    # The marked side: 0 for none (typography), 1 for the left, 2 for the right.
    marked = np.where(kinds == _TYPOGRAPHY, 0, np.where(np.where(link, lt >= 0, ls > rs)[heads], 1, 2))
    sides = (None, Side.LEFT, Side.RIGHT)
    left_start, left_end = left.spans(i[heads], i[tails])
    right_start, right_end = right.spans(j[heads], j[tails])
    found = [
        _Draft(_TOKEN_KINDS[k], (p1, p2), (q1, q2), (a, b), (c, e), sides[m], aligned=True)
        for k, p1, p2, q1, q2, a, b, c, e, m in zip(
            kinds.tolist(),
            i[heads].tolist(),
            (i[tails] + 1).tolist(),
            j[heads].tolist(),
            (j[tails] + 1).tolist(),
            left_start,
            left_end,
            right_start,
            right_end,
            marked.tolist(),
            strict=True,
        )
    ]
    return run[heads].tolist(), found


def _unequal(
    left: Document,
    right: Document,
    i1: int,
    i2: int,
    j1: int,
    j2: int,
    bounds: tuple[int, int, int, int],
) -> list[_Draft]:
    """Differences where the words differ: furniture blocks on one side, else wording."""
    wording = DifferenceKind.WORDING
    found: list[_Draft] = []
    tail: list[_Draft] = []
    if not (_inside_a_block(left, i1, i2) and _inside_a_block(right, j1, j2)):
        left_pieces = _pieces(left, i1, i2, bounds[0], bounds[1])
        right_pieces = _pieces(right, j1, j2, bounds[2], bounds[3])
        # Where the sides share some text, what stands above its headline or below its last
        # shared words is told apart from the article.
        if bounds[1] > 0:
            left_pieces = _below_article(left, _above_headline(left, left_pieces), bounds[1])
            right_pieces = _below_article(right, _above_headline(right, right_pieces), bounds[3])
        # Furniture before the titles stands alone, then a heading on each side at the start
        # of a replacement is one heading in two renderings.
        while left_pieces and left_pieces[0][2] not in (wording, DifferenceKind.TITLE):
            a, b, kind = left_pieces.pop(0)
            found.append(_one_sided(left, right, Side.LEFT, a, b, j1, kind))
            i1 = b
        while right_pieces and right_pieces[0][2] not in (wording, DifferenceKind.TITLE):
            a, b, kind = right_pieces.pop(0)
            found.append(_one_sided(right, left, Side.RIGHT, a, b, i1, kind))
            j1 = b
        while left_pieces and right_pieces and _same_heading(left, left_pieces[0], right, right_pieces[0]):
            a, b, _ = left_pieces.pop(0)
            c, e, _ = right_pieces.pop(0)
            found.append(_Draft(DifferenceKind.TITLE, (a, b), (c, e), _span(left, a, b), _span(right, c, e)))
            i1, j1 = b, e
        # Whole furniture blocks at either end of a replacement stand as differences of their own.
        while left_pieces and left_pieces[0][2] is not wording:
            a, b, kind = left_pieces.pop(0)
            found.append(_one_sided(left, right, Side.LEFT, a, b, j1, kind))
            i1 = b
        while right_pieces and right_pieces[0][2] is not wording:
            a, b, kind = right_pieces.pop(0)
            found.append(_one_sided(right, left, Side.RIGHT, a, b, i1, kind))
            j1 = b
        while left_pieces and left_pieces[-1][2] is not wording:
            a, b, kind = left_pieces.pop()
            tail.insert(0, _one_sided(left, right, Side.LEFT, a, b, j2, kind))
            i2 = a
        while right_pieces and right_pieces[-1][2] is not wording:
            a, b, kind = right_pieces.pop()
            tail.insert(0, _one_sided(right, left, Side.RIGHT, a, b, i2, kind))
            j2 = a
        # What one side has left once the other side's blocks are all taken (all of it, where
        # only one side has text here) is one-sided: each block as what it is, wording
        # between runs of blocks.
        if left_pieces and not right_pieces:
            shown = _as_shown(left, left_pieces)
            found.extend(_one_sided(left, right, Side.LEFT, a, b, j1, kind) for a, b, kind in shown)
            return found + tail
        if right_pieces and not left_pieces:
            shown = _as_shown(right, right_pieces)
            found.extend(_one_sided(right, left, Side.RIGHT, a, b, i1, kind) for a, b, kind in shown)
            return found + tail
    rest, printed = wording, None
    if (_only_marks(left, i1, i2) and _only_marks(right, j1, j2)) or _respaced(left, i1, i2, right, j1, j2):
        rest = DifferenceKind.TYPOGRAPHY
    elif _numbers_a_block(left, i1, i2) if j1 == j2 else (i1 == i2 and _numbers_a_block(right, j1, j2)):
        rest = DifferenceKind.FORMATTING  # one side's heading or item number, the other none
    elif (cited := _cited(left, i1, i2, right, j1, j2)) is not None:
        rest, printed = DifferenceKind.CITATION, cited.printed
    if i1 < i2 and j1 < j2:
        found.append(
            _Draft(
                rest,
                (i1, i2),
                (j1, j2),
                left.token_span(i1, i2),
                right.token_span(j1, j2),
                printed,
            )
        )
    elif i1 < i2:
        found.append(_one_sided(left, right, Side.LEFT, i1, i2, j1, rest, printed))
    elif j1 < j2:
        found.append(_one_sided(right, left, Side.RIGHT, j1, j2, i1, rest, printed))
    return found + tail if tail else found


def _cited(left: Document, i1: int, i2: int, right: Document, j1: int, j2: int) -> Citation | None:
    """The citation difference these two stretches of words are, if they are one (see citations)."""
    if i2 - i1 > CITATION_WORDS or j2 - j1 > CITATION_WORDS:
        return None
    left_words, right_words = left.words[i1:i2], right.words[j1:j2]
    found = citation(left_words, right_words)
    if found is None and _starts_a_heading(left, i1) and _starts_a_heading(right, j1):
        found = glued_label(left_words, right_words)
    return found


def _starts_a_heading(doc: Document, a: int) -> bool:
    block = block_started_at(doc, a)
    return block is not None and block.kind is BlockKind.HEADING


#: A section or list item's number: `4.1`, `2.`, `3)`.
_NUMBERING = re.compile(r"\d+(?:\.\d+)*[.)]?")


def _numbers_a_block(doc: Document, a: int, b: int) -> bool:
    """Whether tokens a..b are a heading's or list item's number, before its words, on one side
    only (`## 4.1 Language Definition` against `### Language Definition`): numbering is markup."""
    if b - a != 1:
        return False
    block = doc.blocks[doc.block_of[a]]
    return (
        a == block.first_token
        and b < block.end_token
        and block.kind in (BlockKind.HEADING, BlockKind.LIST_ITEM)
        and _NUMBERING.fullmatch(doc.words[a]) is not None
    )


def _same_heading(left: Document, left_piece: _Piece, right: Document, right_piece: _Piece) -> bool:
    """Whether two pieces facing each other are one heading: both titles, or a title and whole
    blocks of the same words, case and punctuation aside ("I." and "### I")."""
    kinds = (left_piece[2], right_piece[2])
    title = DifferenceKind.TITLE
    if kinds == (title, title):
        return True
    if title not in kinds:
        return False
    (a, b, _), (c, e, _) = left_piece, right_piece
    return (
        _whole_blocks(left, a, b)
        and _whole_blocks(right, c, e)
        and _bare_words(left, a, b) == _bare_words(right, c, e)
    )


def _whole_blocks(doc: Document, a: int, b: int) -> bool:
    return doc.blocks[doc.block_of[a]].first_token == a and doc.blocks[doc.block_of[b - 1]].end_token == b


def _bare_words(doc: Document, a: int, b: int) -> list[str]:
    """The words without case and punctuation (words that are nothing else left out)."""
    bare = (_NOT_WORD.sub("", word).casefold() for word in doc.words[a:b])
    return [word for word in bare if word]


_NOT_WORD = re.compile(r"[\W_]+")


def _inside_a_block(doc: Document, a: int, b: int) -> bool:
    """Whether tokens a..b are none, or part of one block but not all of it (no whole block)."""
    if a >= b:
        return True
    block = doc.blocks[doc.block_of[a]]
    return b <= block.end_token and not (a == block.first_token and b == block.end_token)


_MARKS = frozenset("'\"`‘’‚‛“”„‟«»‹›-‐‑‒–—―…")


def _only_marks(doc: Document, first: int, end: int) -> bool:
    """Whether these words are nothing but quotes and dashes (typography, not wording)."""
    if first < end and not _MARKS.issuperset(doc.words[first]):
        return False  # the usual answer, known from the first word
    words = doc.words[first:end]
    return all(map(_MARKS.issuperset, words)) and all(words)


#: At most this many words on a side make a difference of spacing alone.
_RESPACED_WORDS = 12


def _respaced(left: Document, i1: int, i2: int, right: Document, j1: int, j2: int) -> bool:
    """Whether two stretches of words are the same characters (quotes and dashes folded)
    spaced otherwise next to punctuation only: a space before a full stop, as a converter
    leaves after a link ("Policy ." and "Policy."), or none after a colon ("for:The"). Where
    two words meet ("upstairs" and "up stairs", "countryand") it is a matter of words."""
    if i2 - i1 == j2 - j1 or not (0 < i2 - i1 <= _RESPACED_WORDS and 0 < j2 - j1 <= _RESPACED_WORDS):
        return False
    left_words = [fold(word) for word in left.words[i1:i2]]
    right_words = [fold(word) for word in right.words[j1:j2]]
    joined = "".join(left_words)
    if joined != "".join(right_words):
        return False
    left_cuts = set(accumulate(map(len, left_words[:-1])))
    right_cuts = set(accumulate(map(len, right_words[:-1])))
    return not any(joined[at - 1].isalnum() and joined[at].isalnum() for at in left_cuts ^ right_cuts)


def _pieces(doc: Document, a: int, b: int, first_equal: int, last_equal: int) -> list[_Piece]:
    """Cut a token range at block boundaries and classify the blocks it covers whole."""
    pieces: list[_Piece] = []
    block_of, blocks = doc.block_of, doc.blocks
    wording = DifferenceKind.WORDING
    pos = a
    while pos < b:
        blk = block_of[pos]
        block = blocks[blk]
        end = block.end_token
        kind = wording
        if end > b:
            end = b
        elif pos == block.first_token:
            kind = classify_block(doc, blk, BlockPlace(blk, end <= first_equal, pos >= last_equal))
        if pieces and pieces[-1][2] is kind and (kind is wording or kind in _MERGEABLE):
            pieces[-1] = (pieces[-1][0], end, kind)
        else:
            pieces.append((pos, end, kind))
        pos = end
    return pieces


_MERGEABLE = frozenset({DifferenceKind.FOOTER, DifferenceKind.CAPTION, DifferenceKind.BOILERPLATE})


def _as_shown(doc: Document, pieces: list[_Piece]) -> list[_Piece]:
    """The pieces of text only one side has, as differences: wording that is nothing but
    quotes and dashes is typography."""
    typography = DifferenceKind.TYPOGRAPHY
    return [
        (a, b, typography if kind is DifferenceKind.WORDING and _only_marks(doc, a, b) else kind)
        for a, b, kind in pieces
    ]


def _below_article(doc: Document, pieces: list[_Piece], last_equal: int) -> list[_Piece]:
    """Below the last words both sides share, from the block where a web page's footer begins
    (see starts_page_footer) on, what only this side has is that footer, as one difference."""
    for k, (a, b, kind) in enumerate(pieces):
        if b <= last_equal:
            continue
        for number in range(doc.block_of[max(a, last_equal)], doc.block_of[b - 1] + 1):
            first = doc.blocks[number].first_token
            if first >= max(a, last_equal) and starts_page_footer(doc, number):
                before = [(a, first, kind)] if a < first else []
                return [*pieces[:k], *before, (first, pieces[-1][1], DifferenceKind.FOOTER)]
    return pieces


def _above_headline(doc: Document, pieces: list[_Piece]) -> list[_Piece]:
    """Above a headline the other side lacks, the text that is not a byline, a date or such
    is the page around the article (boilerplate): site name, menus, notices, breadcrumbs."""
    title, wording, boilerplate = DifferenceKind.TITLE, DifferenceKind.WORDING, DifferenceKind.BOILERPLATE
    headline = next(
        (
            k
            for k, (a, _, kind) in enumerate(pieces)
            if kind is title and doc.blocks[doc.block_of[a]].kind is BlockKind.HEADING
        ),
        0,
    )
    if not headline:
        return pieces
    shown: list[_Piece] = []
    for k, (a, b, kind) in enumerate(pieces):
        if k < headline and kind in (wording, title):
            kind = boilerplate
        if shown and shown[-1][2] is kind and kind in _MERGEABLE:
            shown[-1] = (shown[-1][0], b, kind)
        else:
            shown.append((a, b, kind))
    return shown


def _one_sided(
    doc: Document,
    other: Document,
    side: Side,
    a: int,
    b: int,
    other_at: int,
    kind: DifferenceKind,
    marked: Side | None = None,
) -> _Draft:
    """Tokens a..b of one side, which the other side lacks at other_at; the marked side is
    the side with the text unless `marked` says otherwise."""
    span = _span(doc, a, b)
    at = other.ends[other_at - 1] if other_at > 0 else 0
    empty = (at, at)
    if side is Side.LEFT:
        return _Draft(kind, (a, b), (other_at, other_at), span, empty, marked or side)
    return _Draft(kind, (other_at, other_at), (a, b), empty, span, marked or side)


def _span(doc: Document, a: int, b: int) -> tuple[int, int]:
    """Where tokens a..b stand in the text; whole blocks with their markup."""
    first_block, last_block = doc.blocks[doc.block_of[a]], doc.blocks[doc.block_of[b - 1]]
    if a == first_block.first_token and b == last_block.end_token:
        return first_block.start, last_block.end
    return doc.token_span(a, b)


def _mark_moves(drafts: list[_Draft], left_ids: array[int], right_ids: array[int]) -> None:
    """One-sided wording on the left that reappears, word for word, one-sided on the right."""
    wording, moved = DifferenceKind.WORDING, DifferenceKind.MOVED
    waiting: dict[tuple[int, ...], list[_Draft]] = {}
    for d in drafts:
        if d.kind is wording and d.marked_side is Side.LEFT and d.left[1] - d.left[0] >= MOVE_MIN_WORDS:
            waiting.setdefault(tuple(left_ids[d.left[0] : d.left[1]]), []).append(d)
    if not waiting:
        return
    for d in drafts:
        if d.kind is wording and d.marked_side is Side.RIGHT:
            twins = waiting.get(tuple(right_ids[d.right[0] : d.right[1]]))
            if twins:
                twins.pop().kind = moved
                d.kind = moved


#: A comma or stop standing alone as a word: where a converter lost the word before it
#: ("We introduce , a 7-billion-parameter").
_LONE_STOPS = frozenset({",", ".", ";", ":"})
#: A sentence's last word (lower case: no initial, no abbreviation in capitals).
_SENTENCE_END = re.compile(r"[a-z]{3,}[.!?]")
_ABBREVIATIONS = frozenset({"etc.", "approx.", "resp.", "incl.", "viz.", "ibid."})
#: At most this many words more on the other side fill a hole: a lost name or phrase.
HOLE_FILL_WORDS = 6
#: A hole and its fill are short: at most this many tokens on either side.
HOLE_SPAN_WORDS = 20


@dataclass(frozen=True, slots=True)
class _Side:
    """One side's document and where its lone commas and stops are (tokens, in order)."""

    doc: Document
    stops: list[int]

    def lone_stops(self, a: int, b: int) -> int:
        """How many of tokens a..b are lone commas or stops."""
        return bisect_left(self.stops, b) - bisect_left(self.stops, a)


def _mark_holes(left: _Side, right: _Side, drafts: list[_Draft]) -> None:
    """Wording where one side's text has a hole and the other side, a few words longer, has
    none: the words it has more fill the hole (a converter that lost a macro's name left
    "We introduce , a" and "efficiency. outperforms" for "We introduce Mistral 7B, a" and
    "efficiency. Mistral 7B outperforms")."""
    wording = DifferenceKind.WORDING
    for d in [d for d in drafts if d.kind is wording]:
        (i1, i2), (j1, j2) = d.left, d.right
        more = (j2 - j1) - (i2 - i1)
        if abs(more) > HOLE_FILL_WORDS or max(i2 - i1, j2 - j1) > HOLE_SPAN_WORDS:
            continue
        # Words, not tokens: a lone comma where a name was lost is no word ("," for "Llama,").
        more += left.lone_stops(i1, i2) - right.lone_stops(j1, j2)
        if not more or abs(more) > HOLE_FILL_WORDS:
            continue
        if not (_one_block(left.doc, i1, i2) and _one_block(right.doc, j1, j2)):
            continue
        if more > 0 and _holed(left, i1, i2) and not _holed(right, j1, j2):
            d.hole = Side.LEFT
        elif more < 0 and _holed(right, j1, j2) and not _holed(left, i1, i2):
            d.hole = Side.RIGHT


def _one_block(doc: Document, a: int, b: int) -> bool:
    """Whether tokens a..b are none, or lie in one block (a fill stays inside a paragraph)."""
    return a >= b or doc.block_of[a] == doc.block_of[b - 1]


def _holed(side: _Side, a: int, b: int) -> bool:
    """Whether tokens a..b and the token after them (the place before it, where there are
    none) show a hole: a lone comma or stop, or a sentence that begins in lower case after a
    full stop or at a paragraph's start."""
    if side.lone_stops(a, b + 1):
        return True
    doc = side.doc
    words, block_of, blocks = doc.words, doc.block_of, doc.blocks
    for t in range(a, min(b + 1, len(words))):
        if not words[t][:1].islower():
            continue
        block = blocks[block_of[t]]
        if block.first_token == t:
            if block.kind is BlockKind.PARAGRAPH:
                return True
        elif _SENTENCE_END.fullmatch(words[t - 1]) and words[t - 1] not in _ABBREVIATIONS:
            return True
    return False
