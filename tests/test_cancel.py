"""Every long step of the engine stops soon after its caller asks: parsing, comparing, merging."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import make_pair
from viewer.core import Cancelled, compare, load_variant, merge, variant_from_text
from viewer.core.cancel import interruptible
from viewer.core.document import parse

SIZE = 400_000


@pytest.fixture(scope="module")
def pair() -> tuple[str, str]:
    generated = make_pair(SIZE, seed=5, moved_paragraphs=1, hyphenation=0.02)
    return generated.left, generated.right


def after(polls: int) -> tuple[Callable[[], bool], list[int]]:
    """A cancel flag that turns on at its `polls`-th reading; the list counts the readings."""
    seen = [0]

    def cancelled() -> bool:
        seen[0] += 1
        return seen[0] >= polls

    return cancelled, seen


def test_parsing_polls_as_it_goes(pair: tuple[str, str]) -> None:
    cancelled, seen = after(10**9)
    parse(pair[1], cancelled)
    assert seen[0] >= 3  # read several times over a long text, not only at the start
    with pytest.raises(Cancelled):
        parse(pair[1], after(3)[0])


def test_loading_passes_the_flag_on(pair: tuple[str, str], tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(pair[0], encoding="utf-8")
    with pytest.raises(Cancelled):
        load_variant(path, cancelled=after(2)[0])


def test_comparing_polls_as_it_goes(pair: tuple[str, str]) -> None:
    left, right = variant_from_text(pair[0], "left"), variant_from_text(pair[1], "right")
    cancelled, seen = after(10**9)
    compare(left, right, cancelled=cancelled)
    assert seen[0] >= 5
    with pytest.raises(Cancelled):
        compare(left, right, cancelled=after(seen[0] // 2)[0])


def test_merging_polls_as_it_goes(pair: tuple[str, str]) -> None:
    comparison = compare(variant_from_text(pair[0], "left"), variant_from_text(pair[1], "right"))
    cancelled, seen = after(10**9)
    text = merge(comparison, cancelled=cancelled)
    assert text == merge(comparison)
    assert seen[0] >= 5
    for fmt in ("txt", "md"):
        with pytest.raises(Cancelled):
            merge(comparison, format=fmt, cancelled=after(seen[0] // 2)[0])


def busy_python(seconds: float) -> int:
    """A pure-Python loop that never looks at a cancel flag, like a library's pass."""
    deadline = time.monotonic() + seconds
    turns = 0
    while time.monotonic() < deadline:
        turns += 1
    return turns


def test_a_call_that_never_polls_is_stopped_by_the_watchdog() -> None:
    flag = threading.Event()
    threading.Timer(0.05, flag.set).start()
    finished = []

    def work() -> None:
        with interruptible(flag.is_set):
            busy_python(60)
            finished.append(True)

    with pytest.raises(Cancelled):
        work()
    assert finished == [], "the loop was stopped, not waited for"


def test_nothing_is_raised_after_the_block() -> None:
    flag = threading.Event()
    with interruptible(flag.is_set, poll=0.001):
        busy_python(0.01)
    flag.set()
    busy_python(0.05)  # a stray exception would land here


def test_a_cancel_that_comes_as_the_block_ends_still_reports_cancelled() -> None:
    calls = [0]

    def cancelled() -> bool:
        calls[0] += 1
        return calls[0] > 1  # false when entering, true at the watchdog's first look

    with pytest.raises(Cancelled), interruptible(cancelled, poll=0.001):
        time.sleep(0.05)  # in C: the exception is delivered when the sleep returns
    busy_python(0.02)


def test_an_early_cancel_skips_the_block() -> None:
    ran = []
    with pytest.raises(Cancelled), interruptible(lambda: True):
        ran.append(True)
    assert ran == []
