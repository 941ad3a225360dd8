"""`variorum diff --only` and `--hide`: the kinds of difference a script cares about, alone."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import PDF_SAMPLE, WEB_SAMPLE
from tests.test_cli import run


def _listed_ids(summary: str) -> list[tuple[str, str]]:
    return re.findall(r"^(d\d+) (\w+)$", summary, re.MULTILINE)


def _all_differences() -> list[dict[str, object]]:
    return list(json.loads(run("diff", "--json", WEB_SAMPLE, PDF_SAMPLE).stdout)["differences"])


@pytest.mark.parametrize(
    ("options", "kinds"),
    [
        (("--only", "link,break"), {"link", "break"}),
        (("--only", " Break "), {"break"}),
        (("--hide", "break,title,byline"), {"date", "caption", "link", "footer"}),
        (("--only", "link,break,caption", "--hide", "caption"), {"link", "break"}),
    ],
)
def test_the_summary_lists_the_kinds_asked_for_and_counts_the_rest(
    options: tuple[str, ...], kinds: set[str]
) -> None:
    everything = _all_differences()
    wanted = [(str(d["id"]), str(d["kind"])) for d in everything if d["kind"] in kinds]
    result = run("diff", *options, WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 1, result.stderr
    assert _listed_ids(result.stdout) == wanted
    head = result.stdout.splitlines()[2]
    assert head.startswith(f"{len(wanted)} difference")
    assert f"({len(everything) - len(wanted)} more not listed: " in head
    # Every kind left out is counted there, and none that is listed.
    for d in everything:
        assert (f" {d['kind']}" in head.split("not listed")[1]) is (d["kind"] not in kinds)


def test_nothing_of_the_kinds_asked_for_exits_zero() -> None:
    result = run("diff", "--only", "wording,typography,moved", WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 0, result.stderr
    assert "no differences of the kinds listed (8 not listed: 2 break, 1 title" in result.stdout
    assert _listed_ids(result.stdout) == []


def test_the_json_report_leaves_the_hidden_kinds_out_and_counts_them() -> None:
    everything = _all_differences()
    result = run("diff", "--json", "--hide", "break,footer", WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["differences"] == [d for d in everything if d["kind"] not in {"break", "footer"}]
    assert data["hidden"] == {"break": 2, "footer": 1}
    assert sum(data["summary"].values()) == len(data["differences"])
    # Without a filter, the report is as it always was.
    assert "hidden" not in json.loads(run("diff", "--json", WEB_SAMPLE, PDF_SAMPLE).stdout)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--only", "wordin"), "--only: unknown kind 'wordin' (kinds: wording, link,"),
        (("--hide", "link,capton"), "--hide: unknown kind 'capton'"),
        (("--only", " , "), "--only wants kinds of difference"),
    ],
)
def test_an_unknown_kind_is_refused_with_the_kinds_there_are(options: tuple[str, ...], message: str) -> None:
    result = run("diff", *options, WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_the_html_report_lists_only_the_kinds_asked_for(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run("diff", "--only", "link", "--html", page, WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 1, result.stderr
    html = page.read_text(encoding="utf-8")
    rows = re.findall(r'<td class="id">(d\d+)</td>', html)
    assert rows == [str(d["id"]) for d in _all_differences() if d["kind"] == "link"]
    assert (
        "not listed, as --only or --hide asked: 2 break, 1 title, 1 byline, 1 date, 1 caption, 1 footer"
        in html
    )


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Two folders: the samples (which differ in everything but wording) and a pair whose
    only difference is a word."""
    left, right = tmp_path / "web", tmp_path / "pdf"
    left.mkdir()
    right.mkdir()
    shutil.copy(WEB_SAMPLE, left / "lavrov.md")
    shutil.copy(PDF_SAMPLE, right / "lavrov.txt")
    (left / "note.md").write_text("The meeting was held on a Tuesday in April.\n", encoding="utf-8")
    (right / "note.md").write_text("The meeting was held\non a Monday in April.\n", encoding="utf-8")
    return left, right


def test_two_folders_count_only_the_kinds_asked_for(folders: tuple[Path, Path], tmp_path: Path) -> None:
    left, right = folders
    everything = run("diff", left, right)
    assert everything.returncode == 1
    assert re.search(r"^ +8 diff  lavrov", everything.stdout, re.MULTILINE)

    wording = run("diff", "--only", "wording", left, right)
    assert wording.returncode == 1, wording.stderr
    assert re.search(r"^  same +lavrov", wording.stdout, re.MULTILINE)
    assert re.search(r"^ +1 diff  note\.md  \(wording 1\)$", wording.stdout, re.MULTILINE)
    assert "2 pairs: 1 same, 1 different" in wording.stdout

    reports = tmp_path / "reports"
    quiet = run("diff", "--hide", "wording", "--json", "--html", reports, left, right)
    assert quiet.returncode == 1, quiet.stderr
    pairs = {p["left"]: p for p in json.loads(quiet.stdout)["pairs"]}
    assert pairs["note.md"]["differences"] == 0
    assert pairs["lavrov.md"]["differences"] == 8
    note = (reports / "note.html").read_text(encoding="utf-8")
    assert "not listed, as --only or --hide asked: 1 wording" in note
    assert not re.search(r'<td class="kind">[^\n]*Wording</td>', note)
    assert "The two variants have the same words." in note
    lavrov = (reports / "lavrov.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<td class="id">', lavrov)) == 8
    assert re.search(r'<td class="kind">[^\n]*Link</td>', lavrov)

    none = run("diff", "--only", "moved", left, right)
    assert none.returncode == 0, none.stderr
    assert "2 pairs: 2 same, 0 different" in none.stdout
