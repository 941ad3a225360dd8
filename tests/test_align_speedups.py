"""The array-based alignment helpers against plain reference versions written out here."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.prose import paragraphs
from viewer.core import align, compare, merge, variant_from_text
from viewer.core.align import Opcode, encode
from viewer.core.compare import CompareOptions, _token_ids
from viewer.core.document import Document
from viewer.core.fold import fold

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Ids on both sides of the surrogate gap, and the largest id one character can hold.
BIG_IDS = [0xD7FE, 0xD7FF, 0xD800, 0xD801, 0xDFFF, 0xFFFF, 0x10000, 0x10FFFF - 0x801]


# Reference versions: one character, one count, one step at a time.


def ref_encode(ids: list[int]) -> str:
    return "".join(chr(k + 1 + (0x800 if k + 1 >= 0xD800 else 0)) for k in ids)


def ref_longest_increasing(values: list[int]) -> list[int]:
    tails: list[int] = []
    tail_index: list[int] = []
    back = [-1] * len(values)
    for k, j in enumerate(values):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[pos] = j
            tail_index[pos] = k
        back[k] = tail_index[pos - 1] if pos else -1
    chain = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(k)
        k = back[k]
    return chain[::-1]


def ref_anchors(a: str, b: str) -> list[tuple[int, int, int]]:
    count_a, count_b = Counter(a), Counter(b)
    chosen = {ch for ch, n in count_a.items() if n == 1 and count_b[ch] == 1}
    if len(chosen) * 64 < min(len(a), len(b)):
        chosen = {ch for ch, n in count_a.items() if n <= align.RARE_LIMIT and count_b[ch] == n}
    where_b: dict[str, list[int]] = {}
    for j, ch in enumerate(b):
        where_b.setdefault(ch, []).append(j)
    seen: Counter[str] = Counter()
    pairs = []
    for i, ch in enumerate(a):
        if ch in chosen:
            pairs.append((i, where_b[ch][seen[ch]]))
            seen[ch] += 1
    runs: list[tuple[int, int, int]] = []
    for k in ref_longest_increasing([j for _, j in pairs]):
        i, j = pairs[k]
        if runs and runs[-1][0] + runs[-1][2] == i and runs[-1][1] + runs[-1][2] == j:
            runs[-1] = (runs[-1][0], runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((i, j, 1))
    return runs


def ref_common(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def ref_cut(
    a: str, b: str, i1: int, i2: int, j1: int, j2: int, limit: int
) -> Iterator[tuple[bool, str, str]]:
    """(True, equal text, "") and (False, a gap, b gap) in order: trim, anchor, recurse."""
    prefix = ref_common(a[i1:i2], b[j1:j2])
    if prefix:
        yield True, a[i1 : i1 + prefix], ""
    i1, j1 = i1 + prefix, j1 + prefix
    suffix = ref_common(a[i1:i2][::-1], b[j1:j2][::-1])
    i2, j2 = i2 - suffix, j2 - suffix
    if i1 < i2 or j1 < j2:
        anchors = ref_anchors(a[i1:i2], b[j1:j2]) if max(i2 - i1, j2 - j1) > limit else []
        pi, pj = i1, j1
        for ai, bj, length in anchors:
            yield from ref_cut(a, b, pi, i1 + ai, pj, j1 + bj, limit)
            yield True, a[i1 + ai : i1 + ai + length], ""
            pi, pj = i1 + ai + length, j1 + bj + length
        if anchors:
            yield from ref_cut(a, b, pi, i2, pj, j2, limit)
        else:
            yield False, a[i1:i2], b[j1:j2]
    if suffix:
        yield True, a[i2 : i2 + suffix], ""


def ref_align(a: str, b: str, limit: int) -> list[Opcode]:
    dmp = align._engine()
    diffs: list[tuple[int, str]] = []
    for equal, left, right in ref_cut(a, b, 0, len(a), 0, len(b), limit):
        if not equal:
            diffs.extend(dmp.diff_main(left, right, False))
        elif diffs and diffs[-1][0] == 0:
            diffs[-1] = (0, diffs[-1][1] + left)
        else:
            diffs.append((0, left))
    align._clean_up(dmp, diffs)  # checked on its own below
    return align._to_opcodes(diffs)


def ref_token_ids(left: list[str], right: list[str], ignore_case: bool) -> tuple[list[int], list[int], int]:
    keys: dict[str, int] = {}
    vocab: dict[str, int] = {}
    for word in [*left, *right]:
        if word not in vocab:
            vocab[word] = keys.setdefault(fold(word, ignore_case=ignore_case), len(keys))
    return [vocab[w] for w in left], [vocab[w] for w in right], len(keys)


# Token sequence pairs: unrelated, or the second an edited copy of the first.

tokens = st.one_of(st.integers(0, 12), st.integers(0, 3000), st.sampled_from(BIG_IDS))


@st.composite
def pairs(draw: st.DrawFn, max_size: int = 300) -> tuple[list[int], list[int]]:
    a = draw(st.lists(tokens, max_size=max_size))
    if draw(st.booleans()):
        return a, draw(st.lists(tokens, max_size=max_size))
    b = list(a)
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(b)))
        span = draw(st.integers(0, 20))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "move", "repeat"]))
        if kind == "delete":
            del b[at : at + span]
        elif kind == "insert":
            b[at:at] = draw(st.lists(tokens, max_size=span))
        elif kind == "replace":
            b[at : at + span] = draw(st.lists(tokens, max_size=span))
        else:
            block = b[at : at + span]
            if kind == "move":
                del b[at : at + span]
            to = draw(st.integers(0, len(b)))
            b[to:to] = block
    return a, b


def as_codes(ids: list[int]) -> np.ndarray:
    return align._codes(ref_encode(ids))


# encode


@given(ids=st.lists(tokens, max_size=200))
@SETTINGS
@example(ids=[])
@example(ids=BIG_IDS)
def test_encode_matches_one_character_per_id(ids: list[int]) -> None:
    assert encode(ids) == ref_encode(ids)
    assert encode(np.array(ids, dtype=np.int64)) == ref_encode(ids)
    assert align._codes(encode(ids)).tolist() == [ord(c) for c in ref_encode(ids)]


def test_encode_never_produces_surrogates() -> None:
    text = encode(range(0xD700, 0xD900))
    assert len(text) == 0x200
    assert not any(0xD800 <= ord(c) < 0xE000 for c in text)
    assert text.encode("utf-8").decode("utf-8") == text


def test_encode_takes_the_id_array_of_a_comparison() -> None:
    left, _, size = _token_ids(Document("", words=["b", "a", "b", "c"]), Document(""), CompareOptions())
    assert encode(left, size) == ref_encode([0, 1, 0, 2])


def test_encode_refuses_ids_outside_the_vocabulary() -> None:
    assert encode([], 0) == ""
    assert encode([0, 2], 3) == ref_encode([0, 2])
    with pytest.raises(IndexError):
        encode([0, 3], 3)
    with pytest.raises(IndexError):
        encode([-1])
    with pytest.raises(ValueError, match="too many"):
        encode([0x10FFFF - 0x800])


# _longest_increasing


@given(values=st.lists(st.integers(0, 60), max_size=120), chunk=st.integers(1, 8))
@SETTINGS
@example(values=[], chunk=1)
@example(values=[3, 1, 2], chunk=1)
@example(values=[1, 1, 2, 2], chunk=1)
def test_longest_increasing_matches_patience_sorting(values: list[int], chunk: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(align, "_CHUNK", chunk)
        found = align._longest_increasing(np.array(values, dtype=np.intp)).tolist()
    assert found == ref_longest_increasing(values)
    assert all(values[p] < values[q] for p, q in pairwise(found))
    # As long as any increasing subsequence (quadratic dynamic programming).
    best = [1] * len(values)
    for q in range(len(values)):
        for p in range(q):
            if values[p] < values[q]:
                best[q] = max(best[q], best[p] + 1)
    assert len(found) == max(best, default=0)


# _anchors and the helpers behind it


@given(pair=pairs())
@SETTINGS
@example(pair=([], []))
@example(pair=([1, 2, 3], []))
@example(pair=([], [1, 2, 3]))
@example(pair=([5] * 70 + [1], [1] + [5] * 70))
@example(pair=(BIG_IDS, BIG_IDS[::-1]))
def test_anchors_match_the_counting_reference(pair: tuple[list[int], list[int]]) -> None:
    a, b = (ref_encode(ids) for ids in pair)
    assert align._anchors(a, b) == ref_anchors(a, b)


def test_rare_tokens_anchor_when_unique_ones_are_too_few() -> None:
    # No token is unique; 5 and 6 occur twice on each side, the others 40 times.
    a = [5, 6, *(k % 5 for k in range(200)), 5, 6]
    b = [9, 5, 6, *(k % 5 for k in range(200)), 5, 6]
    anchors = align._anchors(ref_encode(a), ref_encode(b))
    assert anchors == ref_anchors(ref_encode(a), ref_encode(b)) == [(0, 1, 2), (202, 203, 2)]


def test_rare_means_at_most_rare_limit_times() -> None:
    filler = [1, 2] * 40
    a = [50] * align.RARE_LIMIT + [60] * (align.RARE_LIMIT + 1) + filler
    assert align._anchors(ref_encode(a), ref_encode(a)) == [(0, 0, align.RARE_LIMIT)]


def test_rare_tokens_join_in_below_one_unique_token_in_64() -> None:
    repeated = [t for t in range(9) for _ in range(7)]
    a, b = [100, *repeated], [*repeated, 100]
    assert len(a) == 64
    assert align._anchors(ref_encode(a), ref_encode(b)) == [(0, 63, 1)]
    a, b = [*a, 200], [*b, 200]
    anchors = align._anchors(ref_encode(a), ref_encode(b))
    assert anchors == ref_anchors(ref_encode(a), ref_encode(b))
    assert sum(length for _, _, length in anchors) > 1


def test_anchor_pairs_pair_the_nth_occurrences() -> None:
    # No token is unique, so the rare ones anchor: 4 three times, 9 and 7 twice on each side.
    left, right = align._anchor_pairs(as_codes([4, 9, 4, 9, 4, 7, 7]), as_codes([9, 4, 7, 4, 9, 7, 4]))
    assert left.tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert right.tolist() == [1, 0, 3, 4, 6, 2, 5]
    # With enough unique tokens (9 and 1 here), only they anchor: 4, twice on each side, does not.
    left, right = align._anchor_pairs(as_codes([4, 9, 4, 1]), as_codes([9, 1, 4, 4]))
    assert (left.tolist(), right.tolist()) == ([1, 3], [0, 1])


@given(pair=pairs(), forward=st.booleans(), data=st.data())
@SETTINGS
def test_matching_counts_agreeing_tokens(
    pair: tuple[list[int], list[int]], forward: bool, data: st.DataObject
) -> None:
    a, b = pair
    ranges = data.draw(
        st.lists(st.tuples(st.integers(0, len(a)), st.integers(0, len(b)), st.integers(0, 50)), max_size=8)
    )
    if forward:
        ranges = [(i, j, min(n, len(a) - i, len(b) - j)) for i, j, n in ranges]
        expected = [min(n, ref_common(ref_encode(a[i:]), ref_encode(b[j:]))) for i, j, n in ranges]
    else:
        ranges = [(i, j, min(n, i, j)) for i, j, n in ranges]
        expected = [
            min(n, ref_common(ref_encode(a[:i][::-1]), ref_encode(b[:j][::-1]))) for i, j, n in ranges
        ]
    starts_a, starts_b, limits = (np.array([r[k] for r in ranges], dtype=np.intp) for k in range(3))
    found = align._matching(as_codes(a), as_codes(b), starts_a, starts_b, limits, forward=forward)
    assert found.tolist() == expected


@given(pair=pairs())
@SETTINGS
@example(pair=([1, 5, 6, 2], [1, 5, 6, 5, 6, 2]))
@example(pair=([1, 5, 6, 2], [1, 6, 5, 6, 2]))
def test_pieces_cover_both_sides_and_cut_between_differences(pair: tuple[list[int], list[int]]) -> None:
    a, b = (ref_encode(ids) for ids in pair)
    pieces = align._pieces(align._codes(a), align._codes(b))
    if not ref_anchors(a, b):
        assert pieces == []
        return
    i = j = 0
    for k, (i1, i2, j1, j2, equal) in enumerate(pieces):
        assert (i1, j1) == (i, j)
        assert i2 > i1 or j2 > j1
        assert k == 0 or not (equal and pieces[k - 1][4]), "neighbouring equal pieces are joined"
        if equal:
            assert a[i1:i2] == b[j1:j2]
        else:
            gap_a, gap_b = a[i1:i2], b[j1:j2]
            assert not (gap_a and gap_b) or (gap_a[0] != gap_b[0] and gap_a[-1] != gap_b[-1])
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))


# align as a whole


@given(pair=pairs(), limit=st.sampled_from([0, 3, 20, align.DIRECT_LIMIT]))
@SETTINGS
@example(pair=([], []), limit=0)
@example(pair=([1, 2], [1, 2]), limit=0)
@example(pair=([1, 5, 6, 2], [1, 5, 6, 5, 6, 2]), limit=0)
@example(pair=([1, 5, 6, 2], [1, 6, 5, 6, 2]), limit=0)
@example(pair=([k % 7 for k in range(300)], [k % 7 for k in range(3, 290)]), limit=3)
def test_align_matches_the_reference(pair: tuple[list[int], list[int]], limit: int) -> None:
    a, b = (ref_encode(ids) for ids in pair)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(align, "DIRECT_LIMIT", limit)
        assert align.align(a, b) == ref_align(a, b, limit)
        # Where the C++ build diffs the gaps (above), the pure-Python library must give the same.
        mp.setattr(align, "_compiled", None)
        assert align.align(a, b) == ref_align(a, b, limit)


# The clean-up


@given(pair=pairs())
@SETTINGS
@example(pair=([1, 2, *range(10, 40), *range(50, 62), 3], [*range(50, 62), *range(100, 120)]))
def test_clean_up_keeps_long_equal_runs_and_joins_short_ones(pair: tuple[list[int], list[int]]) -> None:
    a, b = (ref_encode(ids) for ids in pair)
    dmp = align._engine()
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupMerge(diffs)
    long_runs = [text for op, text in diffs if op == 0 and len(text) >= align.KEPT_EQUAL]
    cleaned = list(diffs)
    align._clean_up(dmp, cleaned)
    # Still a diff of a into b, with no two neighbours of one kind.
    assert "".join(text for op, text in cleaned if op <= 0) == a
    assert "".join(text for op, text in cleaned if op >= 0) == b
    assert all(x[0] != y[0] for x, y in pairwise(cleaned))
    # Every long equal run is still equal text, in order.
    equal = "\x00".join(text for op, text in cleaned if op == 0)
    at = 0
    for run in long_runs:
        found = equal.find(run, at)
        assert found >= 0
        at = found + len(run)
    # With no long run, it is the semantic clean-up itself.
    semantic = list(diffs)
    dmp.diff_cleanupSemantic(semantic)
    if not long_runs:
        assert cleaned == semantic


def test_a_shared_sentence_next_to_a_long_one_sided_stretch_stays_equal() -> None:
    # A page's link list, then the editor's note both sides have, then the page's footer.
    body = "\n\n".join(paragraphs()[:3])
    note = "Editor's note: This story was updated at 5:45 p.m. to include details from the call."
    links = " ".join(f"[Another story number {k}](https://example.org/{k})" for k in range(6))
    footer = " ".join(paragraphs()[5].split()[:60])
    left = variant_from_text("\n\n".join([body, links, note, footer]), "page.md")
    right = variant_from_text("\n\n".join([body, note, "(Image credit: Example)"]), "text.txt")
    comparison = compare(left, right)
    assert not any(note in d.left.text or note in d.right.text for d in comparison.differences)
    assert note in merge(comparison).text


# _token_ids

words = st.lists(st.sampled_from(["a", "A", "b", "B", "ÉTÉ", "été", "x-y", "’", "1", "Á"]), max_size=60)


@given(left=words, right=words, ignore_case=st.booleans())
@SETTINGS
def test_token_ids_follow_first_appearance_of_folded_forms(
    left: list[str], right: list[str], ignore_case: bool
) -> None:
    found = _token_ids(Document("", words=left), Document("", words=right), CompareOptions(ignore_case))
    assert (found[0].tolist(), found[1].tolist(), found[2]) == ref_token_ids(left, right, ignore_case)


def test_token_ids_across_pieces_of_a_long_document() -> None:
    left = [f"w{k % 977}" if k % 5 else f"W{k % 1301}" for k in range(123_457)]
    right = [f"w{k % 1500}" for k in range(60_001)] + ["new"]
    for ignore_case in (False, True):
        found = _token_ids(Document("", words=left), Document("", words=right), CompareOptions(ignore_case))
        assert (found[0].tolist(), found[1].tolist(), found[2]) == ref_token_ids(left, right, ignore_case)
        assert found[0].typecode == found[1].typecode == "i"


# _gap_diff

gap_sides = st.text(alphabet="abc", max_size=3)


@given(gap_sides, gap_sides)
@SETTINGS
def test_a_gap_is_diffed_as_diff_match_patch_would(a: str, b: str) -> None:
    """Gaps begin and end with different tokens (or one side is empty)."""
    if a and b and (a[0] == b[0] or a[-1] == b[-1]):
        return
    dmp = align._engine()
    assert align._gap_diff(dmp, a, b) == dmp.diff_main(a, b, False)


needs_compiled = pytest.mark.skipif(
    align._compiled is None, reason="diff-match-patch's C++ build is not installed"
)


@needs_compiled
@given(pair=pairs(max_size=600))
@SETTINGS
@example(pair=([], [1]))
@example(pair=(BIG_IDS, BIG_IDS[::-1]))
@example(pair=([0xFFFF, 0x10000, 5], [0x10000, 0xFFFF, 6]))
def test_the_compiled_gap_diff_is_the_pure_one(pair: tuple[list[int], list[int]]) -> None:
    """The C++ build, its lengths cut back into texts, against diff_main itself: tokens past
    U+FFFF (one character each, not two) included."""
    a, b = (ref_encode(ids) for ids in pair)
    assert align._compiled_gap_diff(a, b) == align._engine().diff_main(a, b, False)


@needs_compiled
def test_the_compiled_gap_diff_is_used_for_the_gaps(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = ref_encode([1, 2, 3, 4, 5]), ref_encode([6, 2, 3, 4, 7])
    expected = align._engine().diff_main(a, b, False)
    # A pure-Python diff that fails shows the gap going elsewhere.
    monkeypatch.setattr(align._TokenDiff, "diff_main", lambda *args: pytest.fail("diffed in Python"))
    assert align._gap_diff(align._engine(), a, b) == expected
