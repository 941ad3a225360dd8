"""Word-level alignment of two token sequences with diff-match-patch, anchored for long texts.

Each distinct token is encoded as one character (the way ``diff_linesToChars`` encodes
lines, but skipping the surrogate range), so diff-match-patch diffs words, not letters.
Long inputs are first cut at anchors, tokens that occur exactly once on each side and
whose order agrees (the longest increasing chain, as in patience diff); diff-match-patch
then runs only inside the gaps, with no timeout, so the result stays exact. Its C++ build
(fast-diff-match-patch) diffs the gaps where it is installed; the result is the same.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from diff_match_patch import diff_match_patch

from viewer.core.cancel import Cancelled, check, interruptible

try:
    # diff-match-patch's C++ build, where a wheel exists for this Python: the same diffs as
    # the pure-Python library (tests/test_align_speedups.py holds them side by side), 4-6 times
    # sooner.
    from fast_diff_match_patch import diff as _compiled_diff
except ImportError:  # pragma: no cover - depends on the install
    _compiled_diff = None

__all__ = ["Cancelled", "Opcode", "align", "encode", "slide_to_boundaries"]

Op = Literal["equal", "delete", "insert", "replace"]
Opcode = tuple[Op, int, int, int, int]

#: Gaps at most this many tokens on both sides go straight to diff-match-patch.
DIRECT_LIMIT = 300
_SURROGATES = 0xE000 - 0xD800
#: Whole-document passes that run Python-level C calls work in pieces this long, so the
#: interpreter lock is released between them and a window stays responsive.
_CHUNK = 50_000

Codes = npt.NDArray[np.uint32]
Indices = npt.NDArray[np.intp]


def encode(ids: Sequence[int], vocabulary_size: int | None = None) -> str:
    """One character per token id; ids past U+D7FF skip the surrogate block."""
    codes = np.asarray(ids, dtype=np.int64)
    if not codes.size:
        return ""
    top = int(codes.max())
    size = vocabulary_size if vocabulary_size is not None else top + 1
    if codes.min() < 0 or top >= size:
        raise IndexError("token id outside the vocabulary")
    if top >= 0x10FFFF - _SURROGATES:
        raise ValueError("too many distinct tokens to encode")
    codes = codes + 1
    codes[codes >= 0xD800] += _SURROGATES
    return codes.astype("<u4").tobytes().decode("utf-32-le")


def _codes(text: str) -> Codes:
    """The code point of every character of text."""
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


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
    # The pieces cover a in order, so all that lies between the gaps is equal.
    equal_from = 0
    # diff-match-patch takes no cancel callback, and the anchoring's array passes run long
    # on long texts: a watchdog stops them.
    with interruptible(cancelled):
        pieces = _anchored(a, b, 0, len(a), 0, len(b), cancelled)
        for n, (kind, i1, i2, j1, j2) in enumerate(pieces):
            if not n & 63 and cancelled():
                raise Cancelled
            if kind == "gap":
                _append(diffs, 0, a[equal_from:i1])
                diffs.extend(_gap_diff(dmp, a[i1:i2], b[j1:j2]))
                equal_from = i2
            if progress is not None:
                progress(i2 / total)
        _append(diffs, 0, a[equal_from:])
        check(cancelled)
        _clean_up(dmp, diffs)
    return _to_opcodes(diffs)


#: Equal runs of at least this many tokens are never folded into the edits around them by
#: the semantic clean-up: a phrase that long is text both sides share, not a coincidence
#: (an editor's note both sides end with, between a page's links and its footer).
KEPT_EQUAL = 8


def _clean_up(dmp: diff_match_patch, diffs: list[tuple[int, str]]) -> None:
    """diff-match-patch's merge and semantic clean-up, the latter between long equal runs.

    The semantic clean-up folds an equal run into the edits around it when they are longer,
    and again after each fold; over words that swallows whole shared sentences next to a
    long one-sided stretch. Run between the long equal runs, it still joins the short
    coincidences (a shared "the") and leaves the long ones be.
    """
    dmp.diff_cleanupMerge(diffs)
    cleaned: list[tuple[int, str]] = []
    start = 0
    for k in [*(k for k, (op, text) in enumerate(diffs) if op == 0 and len(text) >= KEPT_EQUAL), len(diffs)]:
        if start < k:
            between = diffs[start:k]
            dmp.diff_cleanupSemantic(between)
            for op, text in between:
                _append(cleaned, op, text)
        if k < len(diffs):
            _append(cleaned, *diffs[k])
        start = k + 1
    diffs[:] = cleaned


def _gap_diff(dmp: diff_match_patch, a: str, b: str) -> list[tuple[int, str]]:
    """What dmp.diff_main(a, b) gives for a gap, without its cost where that is plain.

    Most gaps of a long text are one word inserted, deleted or replaced. diff_main would only
    find that out after its checks and a merge pass: for texts with no common start or end,
    nothing on one side is an insertion or a deletion, and one token against another is a
    deletion then an insertion.
    """
    if not a or not b:
        return [(1, b)] if b else [(-1, a)] if a else []
    if len(a) == 1 and len(b) == 1 and a != b:
        return [(-1, a), (1, b)]
    if _compiled is not None:
        return _compiled(a, b)
    diffs: list[tuple[int, str]] = dmp.diff_main(a, b, False)
    return diffs


_OPERATIONS = {"=": 0, "-": -1, "+": 1}


def _compiled_gap_diff(a: str, b: str) -> list[tuple[int, str]]:
    """diff_main(a, b) with no line mode, by the C++ build: it gives lengths, cut here into texts."""
    diffs: list[tuple[int, str]] = []
    i = j = 0
    for op, length in _compiled_diff(a, b, timelimit=0, checklines=False, cleanup="No", counts_only=True):
        operation = _OPERATIONS[op]
        if operation == 1:
            diffs.append((1, b[j : j + length]))
            j += length
        else:
            diffs.append((operation, a[i : i + length]))
            i += length
            if operation == 0:
                j += length
    return diffs


def _counts_code_points() -> bool:
    """Whether the C++ build counts in code points (not in UTF-16 units, as where wchar_t is
    16 bits): tokens past U+FFFF must stay one character each."""
    try:
        return _compiled_gap_diff("\U00010000a", "\U00010000b") == [(0, "\U00010000"), (-1, "a"), (1, "b")]
    except Exception:  # pragma: no cover - a broken build
        return False


#: The C++ build's gap diff, or None where it is missing or counts otherwise.
_compiled: Callable[[str, str], list[tuple[int, str]]] | None = (
    _compiled_gap_diff if _compiled_diff is not None and _counts_code_points() else None
)


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
    codes: tuple[Codes, Codes] | None = None
    # (i1, i2, j1, j2, known to be equal)
    stack = [(a_lo, a_hi, b_lo, b_hi, False)]
    # Depth-first, last-in first-out: push sub-ranges in reverse so they come out in order.
    while stack:
        check(cancelled)
        i1, i2, j1, j2, equal = stack.pop()
        if equal:
            out.append(("equal", i1, i2, j1, j2))
            continue
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
            pieces: list[tuple[int, int, int, int, bool]] = []
            if i2 - i1 > DIRECT_LIMIT or j2 - j1 > DIRECT_LIMIT:
                if codes is None:
                    codes = _codes(a), _codes(b)
                pieces = _pieces(codes[0][i1:i2], codes[1][j1:j2])
            if pieces:
                if tail:
                    stack.append((*tail[1:], True))
                stack.extend(
                    (i1 + p1, i1 + p2, j1 + q1, j1 + q2, same) for p1, p2, q1, q2, same in reversed(pieces)
                )
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
    """Fixed points for the alignment of two token strings, as runs (see _anchor_runs)."""
    starts_a, starts_b, lengths = _anchor_runs(_codes(a), _codes(b))
    return list(zip(starts_a.tolist(), starts_b.tolist(), lengths.tolist(), strict=True))


def _anchor_runs(a: Codes, b: Codes) -> tuple[Indices, Indices, Indices]:
    """Fixed points for the alignment, in the longest order-preserving chain, as runs.

    Tokens unique on both sides come first (patience diff). Where they are too sparse,
    as in texts that repeat themselves, tokens seen equally often on both sides (at most
    RARE_LIMIT times) anchor too, the n-th occurrence on the left to the n-th on the right.
    Returns the left starts, right starts and lengths of runs of consecutive anchors.
    """
    left, right = _anchor_pairs(a, b)
    chain = _longest_increasing(right)
    if not len(chain):
        return chain, chain, chain
    i, j = left[chain], right[chain]
    starts = np.flatnonzero(np.append(True, (np.diff(i) != 1) | (np.diff(j) != 1)))
    return i[starts], j[starts], np.diff(np.append(starts, len(chain)))


def _pieces(a: Codes, b: Codes) -> list[tuple[int, int, int, int, bool]]:
    """a and b cut at their anchors, in order: stretches that are all equal and gaps between.

    Each piece is (a start, a end, b start, b end, all equal). A gap keeps only what lies
    between its common start and common end, which join the equal stretches around it;
    the gaps left begin and end with different tokens. No anchors, no pieces.
    """
    run_a, run_b, run_length = _anchor_runs(a, b)
    if not len(run_a):
        return []
    # Gap k lies before run k; the last gap after the last run.
    gap_a = np.append(0, run_a + run_length), np.append(run_a, len(a))
    gap_b = np.append(0, run_b + run_length), np.append(run_b, len(b))
    size_a, size_b = gap_a[1] - gap_a[0], gap_b[1] - gap_b[0]
    head = _matching(a, b, gap_a[0], gap_b[0], np.minimum(size_a, size_b), forward=True)
    tail = _matching(a, b, gap_a[1], gap_b[1], np.minimum(size_a, size_b) - head, forward=False)
    a_from, a_to = _slots(gap_a, head, tail, (run_a, run_a + run_length))
    b_from, b_to = _slots(gap_b, head, tail, (run_b, run_b + run_length))
    equal = np.tile(np.array([True, False, True, True]), len(head))
    kept = (a_to > a_from) | (b_to > b_from)
    a_from, a_to, b_from, b_to, equal = a_from[kept], a_to[kept], b_from[kept], b_to[kept], equal[kept]
    # Neighbouring equal stretches become one.
    first = np.flatnonzero(np.append(True, ~(equal[1:] & equal[:-1])))
    last = np.append(first[1:], len(equal)) - 1
    return list(
        zip(
            a_from[first].tolist(),
            a_to[last].tolist(),
            b_from[first].tolist(),
            b_to[last].tolist(),
            equal[first].tolist(),
            strict=True,
        )
    )


def _slots(
    gap: tuple[Indices, Indices], head: Indices, tail: Indices, run: tuple[Indices, Indices]
) -> tuple[Indices, Indices]:
    """Starts and ends, on one side, of each gap's common start, rest and common end, then the next run.

    There is one gap more than runs: the last one is followed by an empty run.
    """
    start, end = gap
    run_start, run_end = np.append(run[0], end[-1]), np.append(run[1], end[-1])
    starts = np.stack((start, start + head, end - tail, run_start), axis=1).ravel()
    ends = np.stack((start + head, end - tail, end, run_end), axis=1).ravel()
    return starts, ends


def _matching(a: Codes, b: Codes, a_at: Indices, b_at: Indices, limits: Indices, *, forward: bool) -> Indices:
    """For each k, how many tokens agree going forward from a_at[k] and b_at[k], at most limits[k].

    Going backward, the tokens compared are those just before a_at[k] and b_at[k].
    """
    found = limits.copy()
    total = int(limits.sum())
    if not total:
        return found
    # All ranges along one axis: place t of range k is t - offset[k] steps from its start.
    offset = np.cumsum(limits) - limits
    t = np.arange(total)
    if forward:
        in_a = t + np.repeat(a_at - offset, limits)
        in_b = in_a + np.repeat(b_at - a_at, limits)
    else:
        in_a = np.repeat(a_at - 1 + offset, limits) - t
        in_b = in_a + np.repeat(b_at - a_at, limits)
    at = np.flatnonzero(a[in_a] != b[in_b])
    del t, in_a, in_b
    if len(at):
        # The first difference in each range stops the count there.
        which = np.searchsorted(offset, at, side="right") - 1
        first = np.append(True, which[1:] != which[:-1])
        found[which[first]] = at[first] - offset[which[first]]
    return found


def _anchor_pairs(a: Codes, b: Codes) -> tuple[Indices, Indices]:
    """Positions of the anchor tokens, in left order: a[left[k]] is paired with b[right[k]]."""
    na, nb = len(a), len(b)
    if not na or not nb:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    tokens = np.concatenate((a, b)).astype(np.intp)
    if int(tokens.max()) > 2 * len(tokens):
        # Few tokens with large codes: number them densely, so the counts below stay small.
        tokens = np.unique(tokens, return_inverse=True)[1]
    tokens_a, tokens_b = tokens[:na], tokens[na:]
    width = int(tokens.max()) + 1
    count_a = np.bincount(tokens_a, minlength=width)
    count_b = np.bincount(tokens_b, minlength=width)
    chosen = (count_a == 1) & (count_b == 1)
    if np.count_nonzero(chosen) * 64 < min(na, nb):
        chosen = (count_a <= RARE_LIMIT) & (count_a == count_b)
    left = np.flatnonzero(chosen[tokens_a])
    found = np.flatnonzero(chosen[tokens_b])
    # Sorted by token, occurrences in text order: the n-th of a token in a meets its n-th in b.
    right = np.empty_like(left)
    right[np.argsort(tokens_a[left], kind="stable")] = found[np.argsort(tokens_b[found], kind="stable")]
    return left, right


def _longest_increasing(values: Indices) -> Indices:
    """Indices of a longest strictly increasing subsequence of values (patience sorting)."""
    tails: list[int] = []
    tail_index: list[int] = []
    back: list[int] = []
    for lo in range(0, len(values), _CHUNK):
        for k, j in enumerate(values[lo : lo + _CHUNK].tolist(), lo):
            if not tails or j > tails[-1]:
                back.append(tail_index[-1] if tail_index else -1)
                tails.append(j)
                tail_index.append(k)
            else:
                pos = bisect_left(tails, j)
                tails[pos] = j
                tail_index[pos] = k
                back.append(tail_index[pos - 1] if pos else -1)
    chain: list[int] = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(k)
        k = back[k]
    chain.reverse()
    return np.array(chain, dtype=np.intp)


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
