"""Turning an alignment into classified differences."""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from viewer.core.align import Cancelled, Opcode
from viewer.core.document import Document
from viewer.core.furniture import BlockPlace, classify_block, splits_sentence
from viewer.core.model import Difference, DifferenceKind, Side, Span

#: A passage of at least this many words deleted on one side and inserted on the other is a move.
MOVE_MIN_WORDS = 8


@dataclass(frozen=True, slots=True)
class Change:
    """A difference with the token ranges it covers on each side, as the merge needs them.

    For a break the ranges are empty and sit at the first token after the break.
    `marked_side` is the side that carries the markup, the paragraph break or the text.
    """

    difference: Difference
    left_tokens: tuple[int, int]
    right_tokens: tuple[int, int]
    marked_side: Side | None = None
    splits_sentence: bool = False
    aligned: bool = False

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
    left_starts = [b.first_token for b in left.blocks]
    right_starts = [b.first_token for b in right.blocks]
    drafts: list[_Draft] = []
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if not n & 1023 and cancelled():
            raise Cancelled
        if op == "equal":
            drafts.extend(_in_run(left, right, i1, i2, j1, j2, left_starts, right_starts))
        else:
            drafts.extend(_unequal(left, right, i1, i2, j1, j2, bounds))
    _mark_moves(drafts, left_ids, right_ids)
    changes = []
    for n, d in enumerate(drafts, start=1):
        difference = Difference(
            f"d{n}",
            d.kind,
            Span(d.left_span[0], d.left_span[1], left.text[d.left_span[0] : d.left_span[1]]),
            Span(d.right_span[0], d.right_span[1], right.text[d.right_span[0] : d.right_span[1]]),
        )
        changes.append(Change(difference, d.left, d.right, d.marked_side, d.splits_sentence, d.aligned))
    return changes


def _gap_before(doc: Document, t: int) -> tuple[int, int]:
    return (doc.ends[t - 1], doc.starts[t]) if t > 0 else (0, doc.starts[t])


def _in_run(
    left: Document,
    right: Document,
    i1: int,
    i2: int,
    j1: int,
    j2: int,
    left_starts: list[int],
    right_starts: list[int],
) -> list[_Draft]:
    """Differences among words that align: breaks, links, formatting, typography."""
    found: list[_Draft] = []
    shift = j1 - i1
    left_breaks = left_starts[bisect_right(left_starts, i1) : bisect_left(left_starts, i2)]
    right_breaks = right_starts[bisect_right(right_starts, j1) : bisect_left(right_starts, j2)]
    right_set = set(right_breaks)
    left_set = set(left_breaks)
    positions = {p for p in left_breaks if p + shift not in right_set}
    positions.update(q - shift for q in right_breaks if q - shift not in left_set)
    for p in sorted(positions):
        q = p + shift
        broken = Side.LEFT if p in left_set else Side.RIGHT
        found.append(
            _Draft(
                DifferenceKind.BREAK,
                (p, p),
                (q, q),
                _gap_before(left, p),
                _gap_before(right, q),
                broken,
                splits_sentence(left.words[p - 1], left.words[p]),
                aligned=True,
            )
        )
    found.extend(_token_differences(left, right, i1, i2, shift))
    found.sort(key=lambda d: (d.left[0], d.left[1]))
    return found


def _token_differences(left: Document, right: Document, i1: int, i2: int, shift: int) -> list[_Draft]:
    found: list[_Draft] = []
    current: tuple[DifferenceKind, object] | None = None
    start = i1
    marked: Side | None = None

    def close(end: int) -> None:
        if current is None:
            return
        found.append(
            _Draft(
                current[0],
                (start, end),
                (start + shift, end + shift),
                left.token_span(start, end),
                right.token_span(start + shift, end + shift),
                marked,
                aligned=True,
            )
        )

    previous = -2
    for i in _candidates(left, right, i1, i2, shift):
        if i != previous + 1:
            close(previous + 1)
            current = None
        previous = i
        j = i + shift
        link_l, link_r = left.link(i), right.link(j)
        target_l = link_l.target if link_l else None
        target_r = link_r.target if link_r else None
        what: tuple[DifferenceKind, object] | None
        side: Side | None = None
        # Keyed by both blocks too, so that no difference straddles a paragraph break.
        blocks = (left.block_of[i], right.block_of[j])
        if target_l != target_r:
            what = (DifferenceKind.LINK, (left.link_of[i], right.link_of[j], blocks))
            side = Side.LEFT if target_l is not None else Side.RIGHT
        elif left.style_of[i] != right.style_of[j]:
            what = (DifferenceKind.FORMATTING, (left.style_of[i], right.style_of[j], blocks))
            side = Side.LEFT if left.style_of[i] > right.style_of[j] else Side.RIGHT
        elif left.words[i] != right.words[j]:
            what = (DifferenceKind.TYPOGRAPHY, blocks)
        else:
            what = None
        if what != current:
            close(i)
            current, start, marked = what, i, side
    close(previous + 1)
    return found


def _candidates(left: Document, right: Document, i1: int, i2: int, shift: int) -> list[int]:
    """Left indices in an equal run where link, style or spelling may differ; the rest are equal."""
    found: set[int] = set()
    lw, rw = left.words[i1:i2], right.words[i1 + shift : i2 + shift]
    if lw != rw:
        found.update(i1 + k for k, (x, y) in enumerate(zip(lw, rw, strict=True)) if x != y)
    ls, rs = left.style_of[i1:i2], right.style_of[i1 + shift : i2 + shift]
    if ls != rs:
        found.update(i1 + k for k, (x, y) in enumerate(zip(ls, rs, strict=True)) if x != y)
    for doc, lo, hi, back in ((left, i1, i2, 0), (right, i1 + shift, i2 + shift, shift)):
        links = doc.link_of[lo:hi]
        if doc.links and links.count(-1) != len(links):
            found.update(lo - back + k for k, v in enumerate(links) if v >= 0)
    return sorted(found)


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
    left_pieces = _pieces(left, i1, i2, bounds[0], bounds[1])
    right_pieces = _pieces(right, j1, j2, bounds[2], bounds[3])
    found: list[_Draft] = []
    tail: list[_Draft] = []
    # Whole furniture blocks at either end of a replacement stand as differences of their own.
    while left_pieces and left_pieces[0][2] is not DifferenceKind.WORDING:
        a, b, kind = left_pieces.pop(0)
        found.append(_one_sided(left, right, Side.LEFT, a, b, j1, kind))
        i1 = b
    while right_pieces and right_pieces[0][2] is not DifferenceKind.WORDING:
        a, b, kind = right_pieces.pop(0)
        found.append(_one_sided(right, left, Side.RIGHT, a, b, i1, kind))
        j1 = b
    while left_pieces and left_pieces[-1][2] is not DifferenceKind.WORDING:
        a, b, kind = left_pieces.pop()
        tail.insert(0, _one_sided(left, right, Side.LEFT, a, b, j2, kind))
        i2 = a
    while right_pieces and right_pieces[-1][2] is not DifferenceKind.WORDING:
        a, b, kind = right_pieces.pop()
        tail.insert(0, _one_sided(right, left, Side.RIGHT, a, b, i2, kind))
        j2 = a
    rest = DifferenceKind.WORDING
    if _only_marks(left, i1, i2) and _only_marks(right, j1, j2):
        rest = DifferenceKind.TYPOGRAPHY
    if i1 < i2 and j1 < j2:
        found.append(
            _Draft(
                rest,
                (i1, i2),
                (j1, j2),
                left.token_span(i1, i2),
                right.token_span(j1, j2),
            )
        )
    elif i1 < i2:
        found.append(_one_sided(left, right, Side.LEFT, i1, i2, j1, rest))
    elif j1 < j2:
        found.append(_one_sided(right, left, Side.RIGHT, j1, j2, i1, rest))
    return found + tail


_MARKS = frozenset("'\"`‘’‚‛“”„‟«»‹›-‐‑‒–—―…")


def _only_marks(doc: Document, first: int, end: int) -> bool:
    """Whether these words are nothing but quotes and dashes (typography, not wording)."""
    return all(not _MARKS.isdisjoint(w) and set(w) <= _MARKS for w in doc.words[first:end])


def _pieces(
    doc: Document, a: int, b: int, first_equal: int, last_equal: int
) -> list[tuple[int, int, DifferenceKind]]:
    """Cut a token range at block boundaries and classify the blocks it covers whole."""
    pieces: list[tuple[int, int, DifferenceKind]] = []
    pos = a
    while pos < b:
        blk = doc.block_of[pos]
        block = doc.blocks[blk]
        end = min(b, block.end_token)
        kind = DifferenceKind.WORDING
        if pos == block.first_token and end == block.end_token:
            place = BlockPlace(blk, end <= first_equal, pos >= last_equal)
            kind = classify_block(doc, blk, place)
        if pieces and pieces[-1][2] is kind and (kind is DifferenceKind.WORDING or kind in _MERGEABLE):
            pieces[-1] = (pieces[-1][0], end, kind)
        else:
            pieces.append((pos, end, kind))
        pos = end
    return pieces


_MERGEABLE = frozenset({DifferenceKind.FOOTER, DifferenceKind.CAPTION, DifferenceKind.BOILERPLATE})


def _one_sided(
    doc: Document,
    other: Document,
    side: Side,
    a: int,
    b: int,
    other_at: int,
    kind: DifferenceKind,
) -> _Draft:
    first_block, last_block = doc.blocks[doc.block_of[a]], doc.blocks[doc.block_of[b - 1]]
    if a == first_block.first_token and b == last_block.end_token:
        span = (first_block.start, last_block.end)
    else:
        span = doc.token_span(a, b)
    at = other.ends[other_at - 1] if other_at > 0 else 0
    empty = (at, at)
    if side is Side.LEFT:
        return _Draft(kind, (a, b), (other_at, other_at), span, empty, side)
    return _Draft(kind, (other_at, other_at), (a, b), empty, span, side)


def _mark_moves(drafts: list[_Draft], left_ids: array[int], right_ids: array[int]) -> None:
    """One-sided wording on the left that reappears, word for word, one-sided on the right."""
    waiting: dict[tuple[int, ...], list[_Draft]] = {}
    for d in drafts:
        if (
            d.kind is DifferenceKind.WORDING
            and d.marked_side is Side.LEFT
            and d.left[1] - d.left[0] >= MOVE_MIN_WORDS
        ):
            waiting.setdefault(tuple(left_ids[d.left[0] : d.left[1]]), []).append(d)
    if not waiting:
        return
    for d in drafts:
        if d.kind is DifferenceKind.WORDING and d.marked_side is Side.RIGHT:
            twins = waiting.get(tuple(right_ids[d.right[0] : d.right[1]]))
            if twins:
                twins.pop().kind = DifferenceKind.MOVED
                d.kind = DifferenceKind.MOVED
