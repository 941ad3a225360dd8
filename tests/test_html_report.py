"""The HTML report of a comparison: every difference once, its text as the comparison has it,
escaped; hidden kinds left out and said to be; decisions from the window."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import PDF_SAMPLE, WEB_SAMPLE
from tests.test_cli import run
from tests.test_folders import _library
from viewer.core import Choice, Decision, DifferenceKind, compare, load_variant, variant_from_text
from viewer.html_report import html_report
from viewer.report import flat, shortened


class _Rows(HTMLParser):
    """The body rows of the report's table as lists of cell texts, and the marked texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.marks: list[str] = []
        self.legend: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        if tag == "tr" and "tbody" in self._in:
            self.rows.append([])
        elif tag == "td" and self.rows and "tbody" in self._in:
            self.rows[-1].append("")
        elif tag == "mark":
            self.marks.append("")
        elif tag == "li":
            self.legend.append("")

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "td" in self._in and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
        if "mark" in self._in:
            self.marks[-1] += data
        if "li" in self._in:
            self.legend[-1] += data


def _parsed(page: str) -> _Rows:
    parser = _Rows()
    parser.feed(page)
    return parser


def test_every_difference_is_a_row_with_its_own_text() -> None:
    comparison = compare(load_variant(WEB_SAMPLE), load_variant(PDF_SAMPLE))
    parsed = _parsed(html_report(comparison))
    assert [row[0] for row in parsed.rows] == [d.id for d in comparison.differences]
    expected_marks = [
        shortened(flat(span.text)) for d in comparison.differences for span in (d.left, d.right) if span.text
    ]
    assert parsed.marks == expected_marks
    for row, d in zip(parsed.rows, comparison.differences, strict=True):
        assert d.kind.value in row[1].lower()
        if d.left.is_empty:
            assert "(nothing)" in row[2]
    legend = {item[1:].rsplit(" ", 1)[0].lower(): int(item.rsplit(" ", 1)[1]) for item in parsed.legend}
    assert legend == comparison.summary


def test_text_from_the_files_is_escaped() -> None:
    left = variant_from_text('A <script>alert("x")</script> & <b>bold</b> here.\n', "a.txt")
    right = variant_from_text("A harmless & plain sentence here.\n", "b.txt")
    page = html_report(compare(left, right))
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;" in page
    # Shown as text: the parsed page's cells read it back as written.
    assert any("<script>" in cell for row in _parsed(page).rows for cell in row)


def test_hidden_kinds_are_left_out_and_said_to_be() -> None:
    comparison = compare(load_variant(WEB_SAMPLE), load_variant(PDF_SAMPLE))
    page = html_report(comparison, hidden={DifferenceKind.BREAK})
    ids = [row[0] for row in _parsed(page).rows]
    assert ids == [d.id for d in comparison.differences if d.kind is not DifferenceKind.BREAK]
    assert "not listed, as hidden in the window: 2 break" in page


def test_decisions_say_whose_they_are() -> None:
    comparison = compare(load_variant(WEB_SAMPLE), load_variant(PDF_SAMPLE))
    first, *rest = comparison.differences
    decisions = {first.id: (Decision(Choice.RIGHT), True)} | {
        d.id: (Decision(Choice.LEFT), False) for d in rest
    }
    rows = _parsed(html_report(comparison, decisions=decisions)).rows
    assert rows[0][-1] == "right (yours)"
    assert all(row[-1] == "left" for row in rows[1:])


def test_the_command_line_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("diff", "--html", out, WEB_SAMPLE, PDF_SAMPLE)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(_parsed(out.read_text(encoding="utf-8")).rows) == 8
    copy = tmp_path / "web.md"
    copy.write_bytes(WEB_SAMPLE.read_bytes())
    refused = run("diff", "--html", copy, copy, PDF_SAMPLE)
    assert refused.returncode == 2
    assert "refusing to overwrite a source" in refused.stderr
    assert copy.read_bytes() == WEB_SAMPLE.read_bytes()
    folders = run("diff", "--html", tmp_path / "reports", tmp_path, tmp_path)
    assert folders.returncode == 2
    assert "must lie outside the compared folders" in folders.stderr


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)


def test_two_folders_give_a_report_per_pair_and_an_index(tmp_path: Path) -> None:
    left, right, pairs = _library(tmp_path)
    (left / "lonely.md").write_text("only here", encoding="utf-8")
    # A pair named like the index keeps a page of its own.
    (left / "index.md").write_text("The site's [first](a.html) page.\n", encoding="utf-8")
    (right / "index.txt").write_text("The site's first page.\n", encoding="utf-8")
    out = tmp_path / "reports"
    result = run("diff", "--html", out, left, right)
    assert result.returncode == 1, result.stderr
    assert f"report: {out / 'index.html'}" in result.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = _parsed(index).rows
    assert [row[0] for row in rows] == [
        "alpha.md",
        "beta.md",
        "copy.md",
        "index.md",
        "lavrov.md",
        "sub/gamma.md",
        "lonely.md",
    ]
    assert rows[-1][2] == "only left"
    links = _Links()
    links.feed(index)
    pages = ["alpha.html", "beta.html", "copy.html", "index.md.html", "lavrov.html", "sub/gamma.html"]
    assert links.links == pages
    assert _parsed((out / "index.md.html").read_text(encoding="utf-8")).rows[0][1].endswith("Link")
    links.links.remove("index.md.html")
    for link, (name, (a, b)) in zip(links.links, sorted(pairs.items()), strict=True):
        differences = compare(load_variant(a), load_variant(b)).differences
        page = _parsed((out / link).read_text(encoding="utf-8"))
        assert [row[0] for row in page.rows] == [d.id for d in differences], name
