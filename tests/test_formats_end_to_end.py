"""A saved web page against a PDF of the same article: the kinds a reader expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.prose import wrap
from tests.test_extract import draw_pdf
from viewer.core import DifferenceKind, compare, load_variant, merge, normalize

K = DifferenceKind
FIXTURE = Path(__file__).parent / "fixtures" / "html" / "news_article.html"


@pytest.fixture
def article_pdf(qapp, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The article's body as a printed PDF: wrapped lines, running header, page numbers."""
    page = load_variant(FIXTURE)
    paragraphs = [p for p in normalize(page).split("\n\n") if not p.startswith("The tide mill at")]
    lines = [wrap(p, 80).split("\n") for p in paragraphs]
    pages = [lines[k : k + 3] for k in range(0, len(lines), 3)]
    path = tmp_path / "article.pdf"
    path.write_bytes(draw_pdf(pages, header="The Coastal Ledger — News"))
    return path


def test_web_page_against_its_pdf(article_pdf: Path) -> None:
    web, pdf = load_variant(FIXTURE), load_variant(article_pdf)
    assert web.source_kind == "html"
    assert pdf.source_kind == "pdf"
    comparison = compare(web, pdf)
    kinds = comparison.summary
    assert "wording" not in kinds, [d for d in comparison.differences if d.kind is K.WORDING]
    assert kinds["caption"] >= 1
    captions = " ".join(d.left.text for d in comparison.of_kind(K.CAPTION))
    assert "Photo: Ilse Brandt" in captions
    links = comparison.of_kind(K.LINK)
    linked = " | ".join(d.right.text for d in links)
    assert "Wrenmouth Mills Trust" in linked
    assert "Ledger in 2019" in linked
    assert any("A decade of argument" in d.left.text for d in comparison.of_kind(K.FORMATTING))
    furniture = " ".join(d.right.text for d in comparison.of_kind(K.BOILERPLATE))
    assert "Coastal Ledger" in furniture
    assert re.search(r"Page \d of \d", furniture)
    merged = merge(comparison).text
    assert "Page 1 of" not in merged
    assert "Photo:" not in merged
    assert "Residents of Wrenmouth voted on Tuesday" in merged
