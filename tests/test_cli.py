"""The command line, run as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, PDF_SAMPLE, WEB_SAMPLE, corpus_pairs, pair_files
from viewer.report import LineIndex


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viewer", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )


def test_diff_json_on_samples() -> None:
    result = run("diff", "--json", WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"left", "right", "differences", "summary"}
    assert data["summary"]["break"] == 2
    assert "wording" not in data["summary"]
    texts = {side: (WEB_SAMPLE if side == "left" else PDF_SAMPLE).read_text() for side in ("left", "right")}
    for d in data["differences"]:
        assert set(d) == {"id", "kind", "left", "right"}
        for side in ("left", "right"):
            span = d[side]
            assert texts[side][span["start"] : span["end"]] == span["text"]


def test_diff_summary_is_readable_and_uncoloured_in_a_pipe() -> None:
    result = run("diff", WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 1
    assert "8 differences" in result.stdout
    assert "caption" in result.stdout
    assert "\033[" not in result.stdout
    coloured = run("diff", "--color", "always", WEB_SAMPLE, PDF_SAMPLE)
    assert "\033[31m" in coloured.stdout


def test_each_difference_in_the_summary_says_where_it_starts() -> None:
    """The summary's line:column of each side is where the JSON report's span starts."""
    places = re.findall(r"^  ([<>]) +(\d+):(\d+)  ", run("diff", WEB_SAMPLE, PDF_SAMPLE).stdout, re.MULTILINE)
    differences = json.loads(run("diff", "--json", WEB_SAMPLE, PDF_SAMPLE).stdout)["differences"]
    assert len(places) == 2 * len(differences)
    for (mark, line, column), (d, side) in zip(
        places, [(d, side) for d in differences for side in ("left", "right")], strict=True
    ):
        assert mark == ("<" if side == "left" else ">")
        lines = (WEB_SAMPLE if side == "left" else PDF_SAMPLE).read_text().split("\n")
        start = sum(len(text) + 1 for text in lines[: int(line) - 1]) + int(column) - 1
        assert start == d[side]["start"]


def test_line_index_agrees_with_counting_the_newlines() -> None:
    text = PDF_SAMPLE.read_text() + "\n\nend"
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        line = text.count("\n", 0, offset) + 1
        assert index.where(offset) == f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def test_identical_after_normalization_exits_zero(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("One two three\nfour five.\n\nSix seven.\n")
    b.write_text("One two   three four\n five.\n\n\n\nSix seven.")
    result = run("diff", a, b)
    assert result.returncode == 0, result.stdout
    assert "no differences" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "missing.txt", PDF_SAMPLE), "no such file"),
        (("diff", ".", PDF_SAMPLE), "is a folder but"),
        (("diff", sys.executable, PDF_SAMPLE), "binary"),
        (("merge", WEB_SAMPLE, PDF_SAMPLE, "--policy", "best"), "invalid choice"),
        (("merge", WEB_SAMPLE, PDF_SAMPLE, "--kind", "nonsense=left"), "unknown kind"),
        (("merge", WEB_SAMPLE, PDF_SAMPLE, "--kind", "caption=maybe"), "unknown rule"),
        (("normalize",), "required"),
        (("a", "b", "c"), "at most two files"),
    ],
)
def test_trouble_is_exit_2_with_one_line(args: tuple[str | Path, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_merge_writes_atomically_and_protects_sources(tmp_path: Path) -> None:
    left = tmp_path / "web.md"
    right = tmp_path / "pdf.txt"
    left.write_bytes(WEB_SAMPLE.read_bytes())
    right.write_bytes(PDF_SAMPLE.read_bytes())
    out = tmp_path / "canonical.txt"
    result = run("merge", left, right, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Lavrov told Xi, according to Russian news agencies" in out.read_text()
    for target in (left, right):
        before = target.read_bytes()
        refused = run("merge", left, right, "-o", target)
        assert refused.returncode == 2
        assert "refusing to overwrite a source" in refused.stderr
        assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canonical.txt", "pdf.txt", "web.md"]


def test_merge_formats_and_decisions(tmp_path: Path) -> None:
    md = run("merge", WEB_SAMPLE, PDF_SAMPLE, "--format", "md").stdout
    assert "(#)" not in md
    report = json.loads(run("merge", WEB_SAMPLE, PDF_SAMPLE, "--format", "json").stdout)
    assert report["text"].startswith("China, Russia Say")
    caption = next(d for d in report["differences"] if d["kind"] == "caption")
    assert caption["decision"] == {"choice": "neither"}
    assert caption["output"] == []
    # A decisions file taking the caption from the left puts it back.
    decisions = {
        "format": "variorum-decisions",
        "version": 1,
        "decisions": [
            {"id": "zz", "kind": "caption", "left": caption["left"]["text"], "right": "", "choice": "left"}
        ],
    }
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(decisions))
    text = run("merge", WEB_SAMPLE, PDF_SAMPLE, "--decisions", path).stdout
    assert "Russian Foreign Minister Sergei Lavrov and Chinese Foreign Minister Wang Yi." in text
    kept = run("merge", WEB_SAMPLE, PDF_SAMPLE, "--kind", "caption=left").stdout
    assert kept == text


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_policy_left_and_right_equal_normalize_on_samples(fmt: str) -> None:
    for policy, source in (("left", WEB_SAMPLE), ("right", PDF_SAMPLE)):
        merged = run("merge", WEB_SAMPLE, PDF_SAMPLE, "--policy", policy, "--format", fmt)
        assert merged.stdout == run("normalize", source, "--format", fmt).stdout


def test_help_and_version_do_not_import_qt() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from viewer.cli import main\n"
        "for args in (['--version'], ['--help'], ['diff', '--help']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main(args)\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert run("--version").stdout.startswith("variorum ")


def test_the_help_names_the_suffixes_the_pairing_takes() -> None:
    """The help spells them out (importing the engine for --help would slow it): the same list."""
    from viewer.cli import FOLDERS_HELP
    from viewer.core.folders import DOCUMENT_SUFFIXES

    listed = re.search(r"\(([^()]*), or no suffix\)", FOLDERS_HELP.replace("\n", " "))
    assert listed is not None
    assert tuple(listed.group(1).split()) == DOCUMENT_SUFFIXES


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus is not beside this checkout")
@pytest.mark.parametrize("folder", corpus_pairs(), ids=lambda p: p.name[:2])
def test_corpus_pairs_run_and_one_sided_merges_equal_normalize(folder: Path) -> None:
    a, b = pair_files(folder)
    diff = run("diff", "--json", a, b)
    assert diff.returncode in (0, 1), diff.stderr
    json.loads(diff.stdout)
    for policy, source in (("left", a), ("right", b)):
        merged = run("merge", a, b, "--policy", policy)
        assert merged.returncode == 0, merged.stderr
        assert merged.stdout == run("normalize", source).stdout


def test_merge_takes_the_windows_json_export_as_decisions(tmp_path: Path) -> None:
    report = json.loads(run("merge", WEB_SAMPLE, PDF_SAMPLE, "--format", "json").stdout)
    caption = next(d for d in report["differences"] if d["kind"] == "caption")
    caption["decision"] = {"choice": "left"}
    caption["decided_by"] = "user"
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(report))
    text = run("merge", WEB_SAMPLE, PDF_SAMPLE, "--decisions", exported).stdout
    assert "Wang Yi. Russian Foreign Ministry Press Service" in text
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    refused = run("merge", WEB_SAMPLE, PDF_SAMPLE, "--decisions", bad)
    assert refused.returncode == 2
    assert "not a decisions file" in refused.stderr
