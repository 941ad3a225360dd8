"""Word-level alignment of two token sequences with diff-match-patch, anchored for long texts.

Each distinct token is encoded as one character (the way ``diff_linesToChars`` encodes
lines, but skipping the surrogate range), so diff-match-patch diffs words, not letters.
Long inputs are first cut at anchors, tokens that occur exactly once on each side and
whose order agrees (the longest increasing chain, as in patience diff); diff-match-patch
then runs only inside the gaps, with no timeout, so the result stays exact.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Literal

from diff_match_patch import diff_match_patch

Op = Literal["equal", "delete", "insert", "replace"]
Opcode = tuple[Op, int, int, int, int]

#: Gaps at most this many tokens on both sides go straight to diff-match-patch.
DIRECT_LIMIT = 300
_SURROGATES = 0xE000 - 0xD800


class Cancelled(Exception):  # noqa: N818 - reads as what happened, like KeyboardInterrupt
    """The caller asked for the work to stop."""


def encode(ids: Sequence[int], vocabulary_size: int | None = None) -> str:
    """One character per token id; ids past U+D7FF skip the surrogate block."""
    size = vocabulary_size if vocabulary_size is not None else (max(ids) + 1 if ids else 0)
    table = [_char(k) for k in range(size)]
    return "".join(map(table.__getitem__, ids))


def _char(token_id: int) -> str:
    code = token_id + 1
    if code >= 0xD800:
        code += _SURROGATES
    return chr(code)


class _TokenDiff(diff_match_patch):  # type: ignore[misc]
    """diff-match-patch over encoded tokens.

    Its lossless cleanup slides edits towards spaces and line ends by looking at what kind
    of character stands at a boundary; on encoded tokens that would depend on which word
    happened to get which code point, so it is switched off (boundaries are handled on the
    real blocks by slide_to_boundaries instead).
    """

    def diff_cleanupSemanticLossless(self, diffs: list[tuple[int, str]]) -> None:  # noqa: N802
        return None


def _engine() -> diff_match_patch:
    dmp = _TokenDiff()
    # A timeout makes diff-match-patch give up with "everything changed": never use one.
    dmp.Diff_Timeout = 0
    return dmp


def align(
    a: str,
    b: str,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[float], None] | None = None,
) -> list[Opcode]:
    """Opcodes turning token string a into b, with semantic cleanup, in token indices."""
    dmp = _engine()
    diffs: list[tuple[int, str]] = []
    total = max(1, len(a))
    for kind, i1, i2, j1, j2 in _anchored(a, b, 0, len(a), 0, len(b), cancelled):
        if kind == "equal":
            _append(diffs, 0, a[i1:i2])
        elif kind == "gap":
            diffs.extend(dmp.diff_main(a[i1:i2], b[j1:j2], False))
        if progress is not None:
            progress(i2 / total)
    if cancelled():
        raise Cancelled
    dmp.diff_cleanupMerge(diffs)
    dmp.diff_cleanupSemantic(diffs)
    return _to_opcodes(diffs)


def _append(diffs: list[tuple[int, str]], op: int, text: str) -> None:
    if not text:
        return
    if diffs and diffs[-1][0] == op:
        diffs[-1] = (op, diffs[-1][1] + text)
    else:
        diffs.append((op, text))


def _anchored(
    a: str, b: str, a_lo: int, a_hi: int, b_lo: int, b_hi: int, cancelled: Callable[[], bool]
) -> list[tuple[str, int, int, int, int]]:
    """Cut a[a_lo:a_hi] / b[b_lo:b_hi] into equal stretches and gaps, in order."""
    out: list[tuple[str, int, int, int, int]] = []
    stack = [(a_lo, a_hi, b_lo, b_hi)]
    # Depth-first, last-in first-out: push sub-ranges in reverse so they come out in order.
    while stack:
        if cancelled():
            raise Cancelled
        i1, i2, j1, j2 = stack.pop()
        prefix = _common_prefix(a, b, i1, i2, j1, j2)
        if prefix:
            out.append(("equal", i1, i1 + prefix, j1, j1 + prefix))
            i1 += prefix
            j1 += prefix
        suffix = _common_suffix(a, b, i1, i2, j1, j2)
        tail = ("equal", i2 - suffix, i2, j2 - suffix, j2) if suffix else None
        i2 -= suffix
        j2 -= suffix
        if i1 < i2 or j1 < j2:
            anchors = _anchors(a[i1:i2], b[j1:j2]) if i2 - i1 > DIRECT_LIMIT or j2 - j1 > DIRECT_LIMIT else []
            if anchors:
                parts: list[tuple[int, int, int, int]] = []
                pi, pj = i1, j1
                for ai, bj, length in anchors:
                    parts.append((pi, i1 + ai, pj, j1 + bj))
                    parts.append((i1 + ai, i1 + ai + length, j1 + bj, j1 + bj + length))
                    pi, pj = i1 + ai + length, j1 + bj + length
                parts.append((pi, i2, pj, j2))
                if tail:
                    stack.append(tail[1:])  # an all-equal range: comes out as "equal"
                stack.extend(reversed(parts))
                continue
            out.append(("gap", i1, i2, j1, j2))
        if tail:
            out.append(tail)
    return out


def _common_prefix(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> int:
    n = min(i2 - i1, j2 - j1)
    if n == 0 or a[i1] != b[j1]:
        return 0
    lo, hi = 0, n
    # Binary search on slice equality: each comparison runs at C speed.
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[i1 : i1 + mid] == b[j1 : j1 + mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> int:
    n = min(i2 - i1, j2 - j1)
    if n == 0 or a[i2 - 1] != b[j2 - 1]:
        return 0
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[i2 - mid : i2] == b[j2 - mid : j2]:
            lo = mid
        else:
            hi = mid - 1
    return lo


#: Tokens seen at most this many times, equally often on both sides, can anchor too.
RARE_LIMIT = 8


def _anchors(a: str, b: str) -> list[tuple[int, int, int]]:
    """Fixed points for the alignment, in the longest order-preserving chain, as runs.

    Tokens unique on both sides come first (patience diff). Where they are too sparse,
    as in texts that repeat themselves, tokens seen equally often on both sides (at most
    RARE_LIMIT times) anchor too, the n-th occurrence on the left to the n-th on the right.
    Returns (left start, right start, length) of runs of consecutive anchors.
    """
    count_a = Counter(a)
    count_b = Counter(b)
    chosen = {ch for ch, n in count_a.items() if n == 1 and count_b.get(ch) == 1}
    if len(chosen) * 64 < min(len(a), len(b)):
        chosen = {ch for ch, n in count_a.items() if n <= RARE_LIMIT and count_b.get(ch) == n}
    if not chosen:
        return []
    where_b: dict[str, array[int]] = {}
    for j, ch in enumerate(b):
        if ch in chosen:
            found = where_b.get(ch)
            if found is None:
                where_b[ch] = found = array("i")
            found.append(j)
    seen: Counter[str] = Counter()
    left = array("i")
    right = array("i")
    for i, ch in enumerate(a):
        if ch in chosen:
            left.append(i)
            right.append(where_b[ch][seen[ch]])
            seen[ch] += 1
    del where_b, seen
    chain = _longest_increasing(right)
    runs: list[tuple[int, int, int]] = []
    for k in chain:
        i, j = left[k], right[k]
        if runs and runs[-1][0] + runs[-1][2] == i and runs[-1][1] + runs[-1][2] == j:
            runs[-1] = (runs[-1][0], runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((i, j, 1))
    return runs


def _longest_increasing(values: array[int]) -> array[int]:
    """Indices of a longest strictly increasing subsequence of values (patience sorting)."""
    tails: list[int] = []
    tail_index: list[int] = []
    back = array("i", [-1]) * len(values)
    for k, j in enumerate(values):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[pos] = j
            tail_index[pos] = k
        back[k] = tail_index[pos - 1] if pos else -1
    chain = array("i")
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(k)
        k = back[k]
    chain.reverse()
    return chain


def _to_opcodes(diffs: list[tuple[int, str]]) -> list[Opcode]:
    ops: list[Opcode] = []
    i = j = 0
    k = 0
    n = len(diffs)
    while k < n:
        op, text = diffs[k]
        if op == 0:
            ops.append(("equal", i, i + len(text), j, j + len(text)))
            i += len(text)
            j += len(text)
            k += 1
            continue
        deleted = inserted = 0
        while k < n and diffs[k][0] != 0:
            if diffs[k][0] < 0:
                deleted += len(diffs[k][1])
            else:
                inserted += len(diffs[k][1])
            k += 1
        kind: Op = "replace" if deleted and inserted else ("delete" if deleted else "insert")
        ops.append((kind, i, i + deleted, j, j + inserted))
        i += deleted
        j += inserted
    return ops


def slide_to_boundaries(
    opcodes: list[Opcode],
    a: Sequence[int],
    b: Sequence[int],
    a_starts: frozenset[int],
    b_starts: frozenset[int],
) -> list[Opcode]:
    """Slide each pure insertion or deletion to where it covers whole blocks, when that is equally minimal.

    A deleted paragraph that ends with the word its neighbour starts with can be reported
    one word off ("name ... called. The" instead of "The name ... called."); both are
    minimal, only the one on block boundaries reads right.
    """
    ops = list(opcodes)
    for k in range(1, len(ops) - 1):
        op, i1, i2, j1, j2 = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if op not in ("delete", "insert") or before[0] != "equal" or after[0] != "equal":
            continue
        seq, lo, hi = (a, i1, i2) if op == "delete" else (b, j1, j2)
        starts = a_starts if op == "delete" else b_starts
        other_starts = b_starts if op == "delete" else a_starts
        other_at = j1 if op == "delete" else i1
        back = 0
        limit_back = before[2] - before[1]
        while back < limit_back and seq[lo - back - 1] == seq[hi - back - 1]:
            back += 1
        ahead = 0
        limit_ahead = after[2] - after[1]
        while ahead < limit_ahead and seq[lo + ahead] == seq[hi + ahead]:
            ahead += 1
        if not back and not ahead:
            continue

        best = max(
            range(-back, ahead + 1),
            key=lambda s: (
                _boundary_score(s, lo, hi, len(seq), other_at, starts, other_starts),
                -abs(s),
            ),
        )
        if best == 0:
            continue
        # Both sides move together: the equal text before grows, the one after shrinks.
        ops[k - 1] = ("equal", before[1], before[2] + best, before[3], before[4] + best)
        ops[k] = (op, i1 + best, i2 + best, j1 + best, j2 + best)
        ops[k + 1] = ("equal", after[1] + best, after[2], after[3] + best, after[4])
    return [op for op in ops if op[0] != "equal" or op[2] > op[1]]


def _boundary_score(
    shift: int,
    lo: int,
    hi: int,
    n: int,
    other_at: int,
    starts: frozenset[int],
    other_starts: frozenset[int],
) -> int:
    """How well an insertion or deletion moved by `shift` sits on block boundaries."""
    return (
        2 * ((lo + shift) in starts)
        + 2 * ((hi + shift) in starts or hi + shift == n)
        + ((other_at + shift) in other_starts)
    )
