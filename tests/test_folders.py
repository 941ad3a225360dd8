"""Two folders of variants: how their files pair, and `variorum diff` / `merge` over them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.generate import make_pair
from tests.conftest import PDF_SAMPLE, WEB_SAMPLE
from tests.test_cli import run
from viewer.core import CompareOptions, LoadError, compare, load_variant
from viewer.core.folders import FilePair, documents, output_names, pair_folders


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_files_pair_by_path_then_by_name_less_suffix(tmp_path: Path) -> None:
    left, right = tmp_path / "web", tmp_path / "pdf"
    for name in ("same.md", "ch1.md", "part/ch2.html", "lonely.md", "twice.md", "twice.txt", "noext"):
        write(left / name, "text")
    for name in ("same.md", "ch1.pdf", "part/ch2.txt", "other.txt", "twice.pdf", "noext"):
        write(right / name, "text")
    # Not documents, hidden, or in a hidden folder: left out.
    for name in ("photo.jpg", ".draft.md", ".git/HEAD.txt"):
        write(left / name, "x")
        write(right / name, "x")

    pairing = pair_folders(left, right)

    assert set(pairing.pairs) == {
        FilePair("same.md", "same.md"),
        FilePair("noext", "noext"),
        FilePair("ch1.md", "ch1.pdf"),
        FilePair("part/ch2.html", "part/ch2.txt"),
    }
    assert list(pairing.pairs) == sorted(pairing.pairs, key=lambda p: (p.left, p.right))
    # "twice" is two files on the left: which one the PDF renders is not for a guess.
    assert pairing.only_left == ("lonely.md", "twice.md", "twice.txt")
    assert pairing.only_right == ("other.txt", "twice.pdf")
    assert pairing.paths(FilePair("ch1.md", "ch1.pdf")) == (str(left / "ch1.md"), str(right / "ch1.pdf"))


def test_files_are_listed_in_natural_order(tmp_path: Path) -> None:
    left, right = tmp_path / "l", tmp_path / "r"
    for name in ("ch10.md", "ch2.md", "Ch1.md", "ch3.md", "appendix/a.md"):
        write(left / name, f"text of {name}")
    for name in ("ch10.txt", "ch2.txt", "Ch1.txt", "ch11.txt", "appendix/a.txt"):
        write(right / name, f"text of {name}")

    pairing = pair_folders(left, right)

    # Numbers by value, letters without regard to case, as a file manager lists them.
    assert [p.left for p in pairing.pairs] == ["appendix/a.md", "Ch1.md", "ch2.md", "ch10.md"]
    assert documents(left) == ["appendix/a.md", "Ch1.md", "ch2.md", "ch3.md", "ch10.md"]
    assert documents(right)[-2:] == ["ch10.txt", "ch11.txt"]
    out = run("diff", left, right).stdout
    places = [out.index(f" {name} ") for name in ("appendix/a", "Ch1", "ch2", "ch10")]
    assert places == sorted(places)
    assert out.index(" ch3.md\n") < out.index(" ch11.txt\n")


def test_a_folder_link_that_loops_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "a" / "doc.md", "text")
    (tmp_path / "a" / "again").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "alias.md").symlink_to(tmp_path / "a" / "doc.md")
    assert documents(tmp_path / "a") == ["alias.md", "doc.md"]


def test_a_missing_folder_or_a_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such folder"):
        documents(tmp_path / "nowhere")
    with pytest.raises(LoadError, match="not a folder"):
        documents(write(tmp_path / "file.md", "x"))


def test_output_names_take_the_format_and_never_collide() -> None:
    pairs = [FilePair("a/ch1.md", "a/ch1.pdf"), FilePair("v1.2.md", "v1.2.txt"), FilePair("x.md", "x.md")]
    assert output_names(pairs, "txt") == ["a/ch1.txt", "v1.2.txt", "x.txt"]
    # x.md and x.txt (each paired by its path) would both become x.txt.
    clash = [FilePair("x.md", "x.md"), FilePair("x.txt", "x.txt")]
    assert output_names(clash, "txt") == ["x.md.txt", "x.txt.txt"]
    # ... and a file named x.md.txt would meet the first of those.
    worse = [*clash, FilePair("x.md.txt", "x.md.txt"), FilePair("x.md-2.md", "x.md-2.md")]
    assert output_names(worse, "txt") == ["x.md.txt", "x.txt.txt", "x.md-3.txt", "x.md-2.txt"]


LEFT_NAMES = ["x", "x.md", "x.txt", "x.md.txt", "x.md-2.txt", "a/x.md", "a/x"]


@given(
    st.lists(st.sampled_from(LEFT_NAMES), unique=True), st.sampled_from([frozenset(), frozenset({"x.txt"})])
)
def test_output_names_are_all_different(lefts: list[str], reserved: frozenset[str]) -> None:
    """... and none is a reserved name (a report's index.html)."""
    names = output_names([FilePair(left, left) for left in lefts], "txt", reserved)
    assert len(set(names)) == len(names)
    assert not set(names) & reserved
    assert all(name.endswith(".txt") for name in names)


def _library(tmp_path: Path) -> tuple[Path, Path, dict[str, tuple[Path, Path]]]:
    """Two folders of real variants: generated web/PDF pairs, the samples, an identical pair.

    The first pair is the longest by far: in a pool it ends last, so its place in a report
    shows that reports keep the pairing's order."""
    left, right = tmp_path / "web", tmp_path / "pdf"
    pairs: dict[str, tuple[Path, Path]] = {}
    for seed, (name, size) in enumerate((("alpha", 150_000), ("beta", 12_000), ("sub/gamma", 16_000))):
        generated = make_pair(size, seed=seed)
        pairs[name] = (
            write(left / f"{name}.md", generated.left),
            write(right / f"{name}.txt", generated.right),
        )
    pairs["lavrov"] = (
        write(left / "lavrov.md", WEB_SAMPLE.read_bytes()),
        write(right / "lavrov.txt", PDF_SAMPLE.read_bytes()),
    )
    same = WEB_SAMPLE.read_text(encoding="utf-8")
    pairs["copy"] = (write(left / "copy.md", same), write(right / "copy.md", same.replace(" ", "  ")))
    return left, right, pairs


def _digests(*folders: Path) -> dict[str, str]:
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_diff_over_folders_reports_each_pair_as_comparing_it_alone_does(tmp_path: Path, jobs: str) -> None:
    left, right, pairs = _library(tmp_path)
    result = run("diff", "--json", "--jobs", jobs, left, right)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [(p["left"], p["right"]) for p in report["pairs"]] == [
        ("alpha.md", "alpha.txt"),
        ("beta.md", "beta.txt"),
        ("copy.md", "copy.md"),
        ("lavrov.md", "lavrov.txt"),
        ("sub/gamma.md", "sub/gamma.txt"),
    ]
    by_name = {p["left"].rsplit(".", 1)[0]: p for p in report["pairs"]}
    for name, (a, b) in pairs.items():
        alone = compare(load_variant(a), load_variant(b), CompareOptions())
        assert by_name[name]["summary"] == alone.summary
        assert by_name[name]["differences"] == len(alone.differences)
    assert by_name["copy"]["differences"] == 0
    assert by_name["alpha"]["summary"]["wording"] > 0
    assert report["only_left"] == report["only_right"] == []


def test_diff_over_folders_summary_and_exit_status(tmp_path: Path) -> None:
    left, right, _ = _library(tmp_path)
    text = run("diff", left, right)
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    assert lines[0] == f"left:  {left}"
    assert any(line.split() == ["same", "copy.md"] for line in lines)
    assert any("lavrov (.md ↔ .txt)" in line and "caption 1" in line for line in lines)
    assert lines[-1] == "5 pairs: 1 same, 4 different"
    assert "\033[" not in text.stdout

    # Only what is the same after whitespace normalization: exit 0.
    for name in ("alpha", "beta", "lavrov", "sub/gamma"):
        (left / f"{name}.md").unlink()
        (right / f"{name}.txt").unlink()
    assert run("diff", left, right).returncode == 0

    # A file on one side only is a difference; one that cannot be read is trouble (2),
    # named on stderr, and the other pairs are still reported.
    write(right / "extra.txt", "more")
    one_sided = run("diff", left, right)
    assert one_sided.returncode == 1
    assert "only right  extra.txt" in one_sided.stdout
    write(left / "broken.txt", b"\x00\x01\x02 not text")
    write(right / "broken.txt", "text")
    broken = run("diff", left, right)
    assert broken.returncode == 2
    assert "binary" in broken.stderr
    assert "broken.txt" in broken.stderr
    assert "same        copy.md" in broken.stdout
    # An extraction that finds nothing names the file with its folder, as reading errors do.
    write(left / "blank.html", "<html><body><script>x()</script></body></html>")
    write(right / "blank.html", "<html><body></body></html>")
    blank = run("diff", left, right)
    assert f"{left / 'blank.html'}: no readable text found" in blank.stderr


def test_merge_over_folders_writes_what_merging_each_pair_writes(tmp_path: Path) -> None:
    left, right, pairs = _library(tmp_path)
    before = _digests(left, right)
    out = tmp_path / "canonical"
    result = run("merge", "--jobs", "2", "--format", "md", "--kind", "caption=left", left, right, "-o", out)
    assert result.returncode == 0, result.stderr
    for name, (a, b) in pairs.items():
        target = out / f"{name}.md"
        alone = run("merge", "--format", "md", "--kind", "caption=left", a, b)
        assert target.read_text(encoding="utf-8") == alone.stdout, name
        assert str(target) in result.stdout
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(
        f"{name}.md" for name in pairs
    )
    assert _digests(left, right) == before, "the sources are never written"


def test_merge_over_folders_goes_on_past_a_bad_pair(tmp_path: Path) -> None:
    left, right, _ = _library(tmp_path)
    write(left / "broken.txt", b"\x00\x01\x02 not text")
    write(right / "broken.txt", "text")
    write(left / "lonely.md", "only here")
    out = tmp_path / "out"
    result = run("merge", left, right, "-o", out)
    assert result.returncode == 2
    assert "broken.txt" in result.stderr
    assert "lonely.md: only in the left folder" in result.stderr
    assert (out / "alpha.txt").is_file()
    assert (out / "sub" / "gamma.txt").is_file()
    assert not (out / "broken.txt").exists()
    assert not [p for p in out.rglob(".*") if p.is_file()], "no temporary file is left"


def test_merge_over_folders_refuses_what_could_touch_the_sources(tmp_path: Path) -> None:
    left, right, _ = _library(tmp_path)
    before = _digests(left, right)
    for args, message in (
        ((left, right), "give the folder to write into"),
        ((left, right, "-o", left / "merged"), "outside the compared folders"),
        ((left, right, "-o", right), "outside the compared folders"),
        ((left, right, "-o", tmp_path), "outside the compared folders"),
        ((left, right, "-o", left / "alpha.md"), "outside the compared folders"),
        ((left, right, "-o", write(tmp_path / "a-file.txt", "x")), "is not a folder"),
        ((left, right, "-o", tmp_path / "o", "--decisions", tmp_path / "d.json"), "not for folders"),
        ((left, right / "alpha.txt", "-o", tmp_path / "o"), "give two files or two folders"),
    ):
        result = run("merge", *args)
        assert result.returncode == 2, args
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
    assert _digests(left, right) == before
    assert not (tmp_path / "o").exists()


def test_diff_refuses_a_folder_against_a_file_and_a_bad_job_count(tmp_path: Path) -> None:
    left, right, _ = _library(tmp_path)
    result = run("diff", left, right / "alpha.txt")
    assert result.returncode == 2
    assert "is a folder but" in result.stderr
    result = run("diff", "--jobs", "-1", left, right)
    assert result.returncode == 2
    assert "--jobs" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_trouble(tmp_path: Path) -> None:
    left, right, _ = _library(tmp_path)
    shutil.copytree(left, tmp_path / "locked")
    (tmp_path / "locked").chmod(0)
    try:
        result = run("diff", tmp_path / "locked", right)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert result.returncode == 2
    assert "cannot read" in result.stderr
