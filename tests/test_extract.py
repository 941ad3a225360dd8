"""Tests of PDF and HTML text extraction, on PDFs drawn here with Qt and on small HTML pages."""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.core import extract as extract_module
from viewer.core.extract import Extracted, ExtractionError, extract, source_kind_for

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
HEADER = "Wrenmouth Parish Council - Annual Report 2024"
ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    [
        ["The council met eleven times during the year and agreed a new plan for the harbour."],
        ["Work on the tide mill sluice gates began in the autumn, once the spring tides had passed."],
    ],
    [
        ["The treasurer reported that water charges rose by twelve per cent and that plot rents",
         "would rise to cover them; the proposal for the restora-",
         "tion fund was carried."],
        ["Two members offered to repair the roof of the communal shed before the winter."],
    ],
    [
        ["The office of the ferry company confirmed the first summer sailing for the fifth of May."],
        ["Any other business: none. The meeting closed at nine o'clock."],
    ],
]  # fmt: skip


def draw_pdf(pages: list[list[list[str]]], header: str | None = HEADER, numbers: bool = True) -> bytes:
    """A PDF with one text line per drawn line, a running header and page numbers, made by Qt."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QFont, QPageSize, QPainter, QPdfWriter

    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    painter = QPainter(writer)
    for number, paragraphs in enumerate(pages, start=1):
        if number > 1:
            writer.newPage()
        painter.setFont(QFont("DejaVu Sans", 8))
        if header:
            painter.drawText(100, 100, header)
        painter.setFont(QFont("DejaVu Serif", 10))
        step = painter.fontMetrics().height()
        y = 400
        for lines in paragraphs:
            for line in lines:
                painter.drawText(100, y, line)
                y += step
            y += step  # a blank line's worth of space between paragraphs
        if numbers:
            painter.setFont(QFont("DejaVu Sans", 8))
            painter.drawText(writer.width() // 2, writer.height() - 100, f"Page {number} of {len(pages)}")
    painter.end()
    buffer.close()
    return bytes(array.data())


def page_texts(result: Extracted) -> list[str]:
    """Each page's text, cut at the page starts the extraction reports."""
    ends = [*result.pages[1:], len(result.text)]
    return [result.text[start:end] for start, end in zip(result.pages, ends, strict=True)]


def html_fixture(name: str) -> Extracted:
    return extract((FIXTURES / name).read_bytes(), "html", name)


def blocks_of(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


# --- recognising the kind of file -----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "kind"),
    [
        ("report.pdf", b"%PDF-1.7\n...", "pdf"),
        ("download", b"%PDF-1.4\n...", "pdf"),
        ("page.html", b"whatever", "html"),
        ("page.HTM", b"", "html"),
        ("saved", b"\xef\xbb\xbf  <!DOCTYPE html><html><body>x</body></html>", "html"),
        ("saved.txt", b"<!-- saved page -->\n<HTML lang=en><body>x</body></HTML>", "html"),
        ("notes.md", b"# Title\n\nSome <b>inline</b> HTML in Markdown.", "text"),
        ("notes.txt", b"plain words", "text"),
    ],
)
def test_source_kind_sniffs_magic_and_extension(path: str, data: bytes, kind: str) -> None:
    assert source_kind_for(path, data) == kind


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="text"):
        extract(b"words", "text", "notes.txt")


def test_module_imports_no_qt_and_loads_extractors_lazily() -> None:
    code = (
        "import sys, viewer.core.extract\n"
        "bad = [m for m in ('PySide6', 'pdfminer', 'trafilatura', 'lxml') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- PDF -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_pdf(qapp: object) -> bytes:
    return draw_pdf(PAGES)


def test_pdf_pages_end_with_form_feeds_and_keep_their_order(report_pdf: bytes) -> None:
    result = extract(report_pdf, "pdf", "report.pdf")
    assert result.source_kind == "pdf"
    assert result.detail == "PDF, 3 pages, text extracted with pdfminer.six"
    assert result.text.count("\f") == 3
    assert result.text.endswith("\n\f")
    assert len(result.pages) == 3
    assert result.pages[0] == 0
    pages = page_texts(result)
    for number, (text, paragraphs) in enumerate(zip(pages, PAGES, strict=True), start=1):
        assert text.endswith(f"Page {number} of 3\n\f")
        assert text.startswith(HEADER + "\n\n")
        lines = [line for paragraph in paragraphs for line in paragraph]
        positions = [text.find(line) for line in lines]
        assert -1 not in positions, (lines, text)
        assert positions == sorted(positions)


def test_pdf_paragraphs_are_blocks_and_line_breaks_stay(report_pdf: bytes) -> None:
    text = page_texts(extract(report_pdf, "pdf", "report.pdf"))[1]
    blocks = blocks_of(text.replace("\f", ""))
    assert blocks == [HEADER, "\n".join(PAGES[1][0]), PAGES[1][1][0], "Page 2 of 3"]
    # The hyphen at the line end stays as printed; undoing it is the engine's business.
    assert "restora-\ntion fund" in text


def test_pdf_text_has_no_tabs_ligatures_or_control_characters(report_pdf: bytes) -> None:
    text = extract(report_pdf, "pdf", "report.pdf").text
    assert "office of the ferry company confirmed the first summer" in text
    assert not re.search(r"[\t\ufb00-\ufb06\x00-\x08\x0b\x0d-\x1f]", text)


def test_pdf_line_with_bold_and_italic_runs_stays_one_line(qapp: object) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPdfWriter, QTextDocument

    document = QTextDocument()
    document.setHtml(
        "<h1>Tide tables</h1><p>High water is at <b>six</b> and low water at <i>noon</i> today.</p>"
        "<p>See the <a href='https://tides.example/'>harbour office</a> for Sunday.</p>"
    )
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    document.print_(QPdfWriter(buffer))
    buffer.close()
    text = extract(bytes(array.data()), "pdf", "tides.pdf").text
    blocks = blocks_of(text.replace("\f", ""))
    assert blocks[:3] == [
        "Tide tables",
        "High water is at six and low water at noon today.",
        "See the harbour office for Sunday.",
    ]


def test_pdf_blank_page_keeps_its_place(qapp: object) -> None:
    pages = [PAGES[0], [], PAGES[2]]
    result = extract(draw_pdf(pages, header=None, numbers=False), "pdf", "gap.pdf")
    assert result.detail.endswith("; 1 page without text")
    assert len(result.pages) == 3
    assert page_texts(result)[1] == "\f"
    assert page_texts(result)[2].startswith(PAGES[2][0][0])


def test_pdf_without_text_is_reported_as_scanned(qapp: object) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPainter, QPdfWriter

    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    painter = QPainter(writer)
    painter.drawRect(200, 200, 2000, 1500)
    painter.end()
    buffer.close()
    with pytest.raises(ExtractionError, match=r"^scan\.pdf: no text layer \(scanned\?\)$"):
        extract(bytes(array.data()), "pdf", "scan.pdf")


def encrypt(data: bytes, user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_needs_a_password(report_pdf: bytes) -> None:
    locked = encrypt(report_pdf, "secret", "owner")
    assert b"/Encrypt" in locked
    with pytest.raises(ExtractionError, match=r"^locked\.pdf: encrypted PDF \(needs a password\)$"):
        extract(locked, "pdf", "locked.pdf")


def test_pdf_encrypted_with_an_empty_password_opens(report_pdf: bytes) -> None:
    result = extract(encrypt(report_pdf, "", "owner"), "pdf", "restricted.pdf")
    assert result.text == extract(report_pdf, "pdf", "report.pdf").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n" + bytes(range(256)) * 20, "damaged or not a valid PDF"),
        (b"%PDF-1.4\nthis is not really a PDF at all\n%%EOF\n", "damaged or not a valid PDF"),
        (b"%PDF-", "damaged or not a valid PDF"),
        (b"<html><body>a web page saved as .pdf</body></html>", "not a PDF file"),
    ],
)
def test_broken_pdf_gives_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract(data, "pdf", "broken.pdf")
    assert str(info.value).startswith(f"broken.pdf: {message}")
    assert "\n" not in str(info.value)


def test_truncated_pdf_says_so(report_pdf: bytes) -> None:
    with pytest.raises(ExtractionError, match="damaged or not a valid PDF"):
        extract(report_pdf[: len(report_pdf) // 2], "pdf", "cut.pdf")


# --- HTML ----------------------------------------------------------------------------


def test_html_news_article_keeps_headings_links_and_caption() -> None:
    result = html_fixture("news_article.html")
    text = result.text
    assert result.source_kind == "html"
    assert result.pages == ()
    assert result.detail == "HTML, main content extracted with trafilatura"
    blocks = blocks_of(text)
    assert blocks[0] == "# Harbour town votes to keep its tide mill"
    assert "## A decade of argument" in blocks
    assert "## What happens next" in blocks
    assert blocks.index("## A decade of argument") < blocks.index("## What happens next")
    assert "[Wrenmouth Mills Trust](https://millstrust.example/wrenmouth)" in text
    assert "[Ledger in 2019](https://ledger.example/archive/2019/mill-survey)" in text
    assert "[trust’s appeal page](https://millstrust.example/appeal)" in text
    caption = (
        "The tide mill at Wrenmouth, photographed at low water in February. **Photo: Ilse Brandt/Ledger**"
    )
    assert caption in blocks
    assert blocks[blocks.index(caption) - 1] == (
        "![The tide mill at low water](https://ledger.example/img/tide-mill.jpg)"
    )
    assert "car park & boat store" in text
    assert "£2.3 million" in text
    assert "*spring tides*" in text


def test_html_drops_boilerplate_scripts_and_styles() -> None:
    text = html_fixture("news_article.html").text
    for gone in ("We use cookies", "Subscribe today", "Sport", "Ferry timetable", "All rights reserved",
                 "Privacy policy", "Contact us", "SCRIPT-TEXT", "STYLE-TEXT", "dataLayer", "gtag",
                 "font-family", "&amp;", "<"):  # fmt: skip
        assert gone not in text, gone


def test_html_blog_post_with_cite_credit_and_list() -> None:
    text = html_fixture("blog_post.html").text
    blocks = blocks_of(text)
    assert blocks[0] == "# Notes on repairing a cast-iron pump"
    assert "The cracked leather cup washer, next to its replacement. **Photograph by the author**" in blocks
    assert "- Four bolts, M10 by 40\n- One leather cup washer, three inch" in text
    assert "[older post on pump heads](/2021/07/pump-heads)" in text
    assert "**six-point socket**" in text
    for gone in (
        "Categories",
        "newsletter",
        "Great write-up",
        "Powered by",
        "Archive",
        "JSONLD",
        "BlogPosting",
    ):
        assert gone not in text, gone


def test_html_declared_legacy_charset_and_captions_outside_figcaption() -> None:
    text = html_fixture("magazine.html").text
    blocks = blocks_of(text)
    # The headline sits outside the article body; it is kept as the title all the same.
    assert blocks[0] == "# The quiet return of the orchard"
    assert "a café garden" in text
    assert "the council’s blessing" in text
    assert (
        "Joan Pryce collects scion wood from a tree planted around 1885. **Piet Aalders for Field & Fold**"
        in blocks
    )
    assert (
        "A whip-and-tongue graft, bound with tape until the two pieces knit. **Photograph: Piet Aalders**"
        in blocks
    )
    assert "[DNA fingerprinting](https://lab.example/dna-fingerprinting)" in text
    for gone in (
        "Enjoying this story",
        "Log in",
        "hedgerows",
        "Registered in England",
        "_paq",
        "SCRIPT-TEXT",
    ):
        assert gone not in text, gone


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # Browsers read a Latin-1 declaration as windows-1252, where 0x92 is a curly apostrophe.
        (b"<meta charset='iso-8859-1'>", b"the mill\x92s wheel turned", "the mill’s wheel turned"),
        (b"", "the café’s terrace".encode(), "the café’s terrace"),
        (b"", b"the caf\xe9 terrace", "the café terrace"),
        (b"<meta charset='no-such-codec'>", "the café’s terrace".encode(), "the café’s terrace"),
    ],
)
def test_html_encoding(head: bytes, body: bytes, expected: str) -> None:
    page = b"<html><head>%s</head><body><article><p>In May %s again.</p></article></body>" % (head, body)
    assert extract(page, "html", "page.html").text == f"In May {expected} again.\n"


def test_html_plain_text_credit_is_set_bold() -> None:
    page = (
        b"<html><body><article><h1>Harbour</h1><p>Boats came in early on the morning tide today.</p>"
        b"<figure><img src='boats.jpg' alt='Boats'><figcaption>Boats in the harbour at dawn. "
        b"Photo: Jan Vos</figcaption></figure><p>The fish market opened at six as usual.</p>"
        b"</article></body></html>"
    )
    blocks = blocks_of(extract(page, "html", "harbour.html").text)
    assert "Boats in the harbour at dawn. **Photo: Jan Vos**" in blocks


def test_malformed_html_still_reads() -> None:
    text = html_fixture("malformed.html").text
    blocks = blocks_of(text)
    assert blocks[0] == "# Minutes of the allotment committee, June"
    assert "Present: the chair, the treasurer & four members. Apologies from the secretary." in blocks
    assert "**carried *unanimously***" in text
    assert "SCRIPT-TEXT" not in text


def test_short_page_keeps_its_markup() -> None:
    text = html_fixture("short_note.html").text
    assert text == (
        "# Closed on Monday\n\n"
        "The museum is closed on Monday 6 May for the bank holiday. The [café](/cafe) stays open.\n"
    )


@pytest.mark.parametrize(
    "data",
    [
        (FIXTURES / "no_text.html").read_bytes(),
        b"",
        b"   \n ",
        b"<html><body><!-- nothing --><script>var x = 'SCRIPT-TEXT';</script></body></html>",
        b"\x00\x01<<<>>> </ \xff",
    ],
)
def test_html_without_text_is_an_error(data: bytes) -> None:
    with pytest.raises(ExtractionError, match=r"^empty\.html: no readable text found$"):
        extract(data, "html", "empty.html")


def test_html_output_is_tidy_text() -> None:
    for path in sorted(FIXTURES.glob("*.html")):
        if path.name == "no_text.html":
            continue
        text = extract(path.read_bytes(), "html", path.name).text
        assert text.endswith("\n"), path.name
        assert not text.endswith("\n\n"), path.name
        for bad in ("\r", "\f", "\n\n\n"):
            assert bad not in text, path.name
        assert all(line == line.rstrip() for line in text.split("\n")), path.name


def test_html_extraction_never_opens_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during extraction")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for name in ("news_article.html", "blog_post.html", "magazine.html", "malformed.html"):
        assert html_fixture(name).text


def test_plain_walk_takes_over_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "_trafilatura", lambda tree: "")
    result = html_fixture("news_article.html")
    assert result.detail == "HTML, main content extracted with a plain walk of the page"
    blocks = blocks_of(result.text)
    assert "# Harbour town votes to keep its tide mill" in blocks
    assert "## A decade of argument" in blocks
    assert "[Wrenmouth Mills Trust](https://millstrust.example/wrenmouth)" in result.text
    assert (
        "The tide mill at Wrenmouth, photographed at low water in February. **Photo: Ilse Brandt/Ledger**"
        in blocks
    )
    for gone in ("Subscribe today", "Privacy policy", "Ferry timetable", "SCRIPT-TEXT", "STYLE-TEXT"):
        assert gone not in result.text, gone
