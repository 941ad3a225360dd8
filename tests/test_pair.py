"""Loading both sides at once, one in a helper process: the same variants, errors and cancel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import make_pair
from tests.conftest import PDF_SAMPLE, ROOT, WEB_SAMPLE, helper_processes
from viewer.core import Cancelled, LoadError, Variant, compare, load_variant
from viewer.core import pair as pair_module
from viewer.core.pair import PARALLEL_BYTES, load_pair

FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENT_FIELDS = ("text", "starts", "ends", "block_of", "link_of", "style_of", "words", "blocks", "links")


def assert_same_variant(got: Variant, expected: Variant) -> None:
    assert (got.name, got.path, got.source_kind, got.detail) == (
        expected.name,
        expected.path,
        expected.source_kind,
        expected.detail,
    )
    assert got.decoded == expected.decoded
    for name in DOCUMENT_FIELDS:
        assert getattr(got.document, name) == getattr(expected.document, name), name
    assert got.document.emphasis == expected.document.emphasis
    assert got.document.vocabulary() == expected.document.vocabulary()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (WEB_SAMPLE, PDF_SAMPLE),  # the helper takes the smaller file: here the left
        (PDF_SAMPLE, WEB_SAMPLE),
        (FIXTURES / "html" / "news_article.html", WEB_SAMPLE),  # extracted HTML keeps its kind and detail
    ],
)
def test_the_helper_gives_the_variants_loading_in_turn_gives(left: Path, right: Path) -> None:
    got = load_pair(left, right, helper=True)
    assert_same_variant(got[0], load_variant(left))
    assert_same_variant(got[1], load_variant(right))
    assert helper_processes() == []


def test_a_long_pair_loads_the_same_with_and_without_the_helper(tmp_path: Path) -> None:
    generated = make_pair(400_000, seed=11, moved_paragraphs=2, hyphenation=0.02)
    left, right = tmp_path / "long.md", tmp_path / "long.txt"
    left.write_text(generated.left, encoding="utf-8")
    right.write_text(generated.right, encoding="latin-1", errors="replace")
    with_helper = load_pair(left, right, helper=True)
    for got, path in zip(with_helper, (left, right), strict=True):
        assert_same_variant(got, load_variant(path))
    assert with_helper[1].decoded.encoding != "utf-8", "the right side took the legacy-encoding path"


def test_the_helper_side_reports_its_own_load_error(tmp_path: Path) -> None:
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\x00\x00" * 10)
    with pytest.raises(LoadError) as raised:
        load_pair(binary, WEB_SAMPLE, helper=True)
    with pytest.raises(LoadError) as alone:
        load_variant(binary)
    assert str(raised.value) == str(alone.value)
    assert "binary" in str(raised.value)


def test_when_both_fail_the_left_error_comes_first(tmp_path: Path) -> None:
    small, large = tmp_path / "small.bin", tmp_path / "large.bin"
    small.write_bytes(b"\x00" * 10)
    large.write_bytes(b"\x00" * 1000)
    # The smaller (left) file goes to the helper; the larger fails here first.
    with pytest.raises(LoadError, match=r"small\.bin"):
        load_pair(small, large, helper=True)
    with pytest.raises(LoadError, match=r"large\.bin"):
        load_pair(large, small, helper=True)
    assert helper_processes() == []


def test_cancel_stops_the_helper(tmp_path: Path) -> None:
    # Long enough that the helper is still parsing, or blocked writing, when the cancel comes.
    generated = make_pair(300_000, seed=4)
    left, right = tmp_path / "left.md", tmp_path / "right.txt"
    left.write_text(generated.left, encoding="utf-8")
    right.write_text(generated.right, encoding="utf-8")
    with pytest.raises(Cancelled):
        load_pair(left, right, cancelled=lambda: True, helper=True)
    assert helper_processes() == []


def test_a_helper_that_cannot_run_leaves_the_loading_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pair_module, "HELPER_MODULE", "viewer.core.no_such_module")
    got = load_pair(WEB_SAMPLE, PDF_SAMPLE, helper=True)
    assert_same_variant(got[0], load_variant(WEB_SAMPLE))
    assert_same_variant(got[1], load_variant(PDF_SAMPLE))


def test_only_long_pairs_use_the_helper_by_default(tmp_path: Path) -> None:
    small = load_pair(WEB_SAMPLE, PDF_SAMPLE)
    assert_same_variant(small[0], load_variant(WEB_SAMPLE))
    assert pair_module._worth_a_helper([PARALLEL_BYTES, PARALLEL_BYTES - 1]) is False
    assert pair_module._worth_a_helper([None, PARALLEL_BYTES]) is False
    cores = len(os.sched_getaffinity(0))
    assert pair_module._worth_a_helper([PARALLEL_BYTES, PARALLEL_BYTES]) is (cores >= 2)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the helper needs two cores")
def test_the_command_line_compares_a_long_pair_with_the_helper_as_without(tmp_path: Path) -> None:
    generated = make_pair(int(PARALLEL_BYTES * 1.1), seed=2, moved_paragraphs=2)
    left, right = tmp_path / "book.md", tmp_path / "book.txt"
    left.write_text(generated.left, encoding="utf-8")
    right.write_text(generated.right, encoding="utf-8")
    assert min(left.stat().st_size, right.stat().st_size) >= PARALLEL_BYTES
    done = subprocess.run(
        [sys.executable, "-m", "viewer", "diff", "--json", str(left), str(right)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 1, done.stderr
    expected = compare(load_variant(left), load_variant(right)).to_json()
    assert json.loads(done.stdout) == json.loads(json.dumps(expected))
