"""Loading both sides at once, one in a helper process: the same variants as loading in turn,
the same errors, and nothing left running after a cancel or a helper's death."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import make_pair
from viewer.core import Cancelled, LoadError, Side, Variant, compare, load_pair, load_variant
from viewer.core import pair as pair_module

# The module, not the function the package exports under the same name.
compare_module = importlib.import_module("viewer.core.compare")
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_PAIR = (SAMPLES / "lavrov-web.md", SAMPLES / "lavrov-pdf.txt")


@pytest.fixture(scope="module")
def long_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("pair")
    generated = make_pair(400_000, seed=11, moved_paragraphs=1, hyphenation=0.02)
    left, right = folder / "left.md", folder / "right.txt"
    left.write_text(generated.left, encoding="utf-8")
    right.write_text(generated.right, encoding="utf-8")
    return left, right


@pytest.fixture
def parses_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process ids of the parses run in this process (a helper's are not seen here)."""
    seen: list[int] = []
    real = compare_module.parse

    def parse(text: str, cancelled: Callable[[], bool] = lambda: False, **options):  # type: ignore[no-untyped-def]
        seen.append(os.getpid())
        return real(text, cancelled, **options)

    monkeypatch.setattr(compare_module, "parse", parse)
    return seen


def assert_same_variant(got: Variant, expected: Variant) -> None:
    assert (got.name, got.path, got.source_kind, got.detail) == (
        expected.name,
        expected.path,
        expected.source_kind,
        expected.detail,
    )
    assert got.decoded == expected.decoded
    a, b = got.document, expected.document
    for name in ("starts", "ends", "block_of", "link_of", "style_of"):
        assert getattr(a, name) == getattr(b, name), name
    assert a.blocks == b.blocks
    assert all(type(block.kind) is type(other.kind) for block, other in zip(a.blocks, b.blocks, strict=True))
    assert a.links == b.links
    assert a.emphasis == b.emphasis
    assert list(a.words) == list(b.words)


def test_the_sample_pair_with_a_helper_is_the_pair_loaded_in_turn(parses_here: list[int]) -> None:
    left, right = load_pair(*SAMPLE_PAIR, helper=True)
    assert parses_here == [os.getpid()]  # the other side was parsed elsewhere
    assert_same_variant(left, load_variant(SAMPLE_PAIR[0]))
    assert_same_variant(right, load_variant(SAMPLE_PAIR[1]))


def test_a_long_pair_with_a_helper_compares_as_the_pair_loaded_in_turn(
    long_pair: tuple[Path, Path], parses_here: list[int]
) -> None:
    left, right = load_pair(*long_pair, helper=True)
    assert len(parses_here) == 1
    expected = (load_variant(long_pair[0]), load_variant(long_pair[1]))
    assert_same_variant(left, expected[0])
    assert_same_variant(right, expected[1])
    assert compare(left, right).to_json() == compare(*expected).to_json()


def test_short_files_are_loaded_here_in_turn(parses_here: list[int]) -> None:
    assert max(path.stat().st_size for path in SAMPLE_PAIR) < pair_module.FORKED_PARALLEL_BYTES
    load_pair(*SAMPLE_PAIR)
    assert len(parses_here) == 2


def test_from_another_thread_a_pair_under_the_fork_server_s_size_is_loaded_in_turn(
    long_pair: tuple[Path, Path], parses_here: list[int]
) -> None:
    """The window's worker: a helper would need the fork server, worth it only for long files."""
    assert max(path.stat().st_size for path in long_pair) < pair_module.PARALLEL_BYTES
    worker = threading.Thread(target=lambda: load_pair(*long_pair))
    worker.start()
    worker.join()
    assert len(parses_here) == 2


def test_each_side_is_reported_once_loaded(long_pair: tuple[Path, Path]) -> None:
    reported: list[Side] = []
    load_pair(*long_pair, helper=True, loaded=reported.append)
    assert sorted(reported) == sorted([Side.LEFT, Side.RIGHT])


def message(path: Path) -> str:
    with pytest.raises(LoadError) as caught:
        load_variant(path)
    return str(caught.value)


@pytest.mark.parametrize("broken", ["left", "right", "both"])
def test_a_file_that_cannot_be_loaded_gives_the_error_loading_in_turn_gives(
    broken: str, tmp_path: Path, long_pair: tuple[Path, Path]
) -> None:
    missing = tmp_path / "missing.txt"
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4000)
    left = missing if broken in ("left", "both") else long_pair[0]
    right = binary if broken in ("right", "both") else long_pair[1]
    expected = message(left) if broken != "right" else message(right)
    with pytest.raises(LoadError) as caught:
        load_pair(left, right, helper=True)
    assert str(caught.value) == expected
    assert not multiprocessing.active_children()


def test_a_helper_that_dies_is_replaced_by_loading_here(
    long_pair: tuple[Path, Path], parses_here: list[int]
) -> None:
    killed: list[int] = []

    def kill_the_helper() -> bool:
        # Polled from the first moments of loading here: the helper (a 400 KB parse) is
        # still at work.
        if not killed:
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)
        return False

    left, right = load_pair(*long_pair, helper=True, cancelled=kill_the_helper)
    assert killed
    assert len(parses_here) == 2  # both sides ended up parsed here
    assert_same_variant(left, load_variant(long_pair[0]))
    assert_same_variant(right, load_variant(long_pair[1]))


def test_cancelling_stops_the_helper(long_pair: tuple[Path, Path]) -> None:
    flag = threading.Event()
    with pytest.raises(Cancelled):
        load_pair(*long_pair, helper=True, cancelled=flag.is_set, loaded=lambda side: flag.set())
    assert not multiprocessing.active_children()


def test_from_another_thread_the_helper_comes_from_the_fork_server(
    long_pair: tuple[Path, Path], parses_here: list[int]
) -> None:
    """A process running other threads is not forked (a lock held elsewhere would be copied
    held): the fork server makes the helper."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    results: list[tuple[Variant, Variant]] = []
    worker = threading.Thread(target=lambda: results.append(load_pair(*long_pair, helper=True)))
    worker.start()
    worker.join()
    assert len(parses_here) == 1
    assert_same_variant(results[0][0], load_variant(long_pair[0]))
    assert_same_variant(results[0][1], load_variant(long_pair[1]))


def test_cancelling_from_another_thread_leaves_no_helper_behind(long_pair: tuple[Path, Path]) -> None:
    """With the fork server, the helper is started by the reading thread: a Cancel does not
    wait for a start under way, and the thread stops the helper it started."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    flag = threading.Event()
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            load_pair(*long_pair, helper=True, cancelled=flag.is_set, loaded=lambda side: flag.set())
        except BaseException as exc:  # the test looks at what it was
            outcome.append(exc)

    worker = threading.Thread(target=load)
    worker.start()
    worker.join()
    assert len(outcome) == 1
    assert isinstance(outcome[0], Cancelled)
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not multiprocessing.active_children()


FORKING_SCRIPT = """
import importlib, json, os, sys
sys.path.insert(0, sys.argv[1])
from viewer.core import compare, load_pair, load_variant, pair
module = importlib.import_module("viewer.core.compare")
seen = []
real_parse = module.parse
def parse(text, cancelled=lambda: False, **options):
    seen.append(os.getpid())
    return real_parse(text, cancelled, **options)
module.parse = parse
method = pair.start_context().get_start_method()
left, right = load_pair(sys.argv[2], sys.argv[3])  # by default, as the command line loads
here = len(seen)
expected = compare(load_variant(sys.argv[2]), load_variant(sys.argv[3])).to_json()
print(json.dumps({"method": method, "here": here, "same": compare(left, right).to_json() == expected}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking here is for Linux")
def test_a_process_with_one_thread_forks_the_helper_itself(long_pair: tuple[Path, Path]) -> None:
    """As the command line runs: no toolkit, no other thread, so the helper is forked from the
    process itself (the test process may have loaded Qt: hence a fresh one), and a pair of a
    few hundred kilobytes is worth one."""
    assert min(path.stat().st_size for path in long_pair) >= pair_module.FORKED_PARALLEL_BYTES
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", FORKING_SCRIPT, str(root), *map(str, long_pair)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == {"method": "fork", "here": 1, "same": True}
