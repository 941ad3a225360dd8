"""PDF-extraction artefacts: hyphenation, broken URLs, page furniture, typography."""

from __future__ import annotations

import pytest

from tests.prose import paragraphs, wrap
from viewer.core import BlockKind, DifferenceKind, compare, merge, variant_from_text
from viewer.core.document import parse

K = DifferenceKind


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("an inter-\nnational deal", ["an", "international", "deal"]),
        ("an inter\u2010\nnational deal", ["an", "international", "deal"]),
        ("soft\u00ad\nhyphen", ["softhyphen"]),
        ("a well-\nknown fact, well-known", ["a", "well-known", "fact,", "well-known"]),
        ("the Anglo-\nSaxon era", ["the", "Anglo-Saxon", "era"]),
        ("wait--\nwhat", ["wait--", "what"]),
        ("a new-\n\nparagraph", ["a", "new-", "paragraph"]),
        ("see https://example.com/a/\nlong/path now", ["see", "https://example.com/a/long/path", "now"]),
        ("see pic.twitter.com/\nMYwRz9", ["see", "pic.twitter.com/MYwRz9"]),
    ],
)
def test_wrapped_words_are_rejoined(text: str, words: list[str]) -> None:
    doc = parse(text)
    assert doc.words == words
    for i in range(len(doc)):
        assert doc.starts[i] < doc.ends[i]


def test_broken_url_is_one_link() -> None:
    doc = parse("see https://example.com/a/\nlong/path now")
    link = doc.link(1)
    assert link is not None
    assert link.target == "https://example.com/a/long/path"


def _paged(paragraph_texts: list[str], header: str, width: int = 60, lines_per_page: int = 9) -> str:
    """Hard-wrapped text with a running header and a page number on every page, form-fed."""
    lines = "\n\n".join(wrap(p, width) for p in paragraph_texts).split("\n")
    pages = [lines[k : k + lines_per_page] for k in range(0, len(lines), lines_per_page)]
    out = []
    for n, page in enumerate(pages, start=1):
        out.append(f"{header} — page {n}\n" + "\n".join(page) + f"\n{n}\n")
    return "\f".join(out)


def test_running_headers_and_page_numbers_are_boilerplate() -> None:
    body = list(paragraphs()[:6])
    left = "\n\n".join(body)
    right = _paged(body, "Python Reference")
    comparison = compare(variant_from_text(left), variant_from_text(right))
    kinds = comparison.summary
    assert "wording" not in kinds, [d for d in comparison.differences if d.kind is K.WORDING][:3]
    assert kinds["boilerplate"] >= 4
    merged = merge(comparison).text
    assert "Python Reference" not in merged
    assert merged.split() == left.split()


def test_numbered_markdown_headings_are_headings_not_running_heads() -> None:
    """ "# Chapter 3" recurs with only its number changing, like a running head: it is a heading."""
    body = paragraphs()[:5]
    markdown = "\n\n".join(f"# Chapter {n}\n\n{text}" for n, text in enumerate(body, 1))
    plain = "\n\n".join(f"Chapter {n}\n\n{wrap(text, 70)}" for n, text in enumerate(body, 1))
    doc = parse(markdown)
    assert [b.kind for b in doc.blocks if b.end_token - b.first_token == 2] == [BlockKind.HEADING] * 5
    assert "#" not in doc.words
    comparison = compare(variant_from_text(markdown, "web"), variant_from_text(plain, "pdf"))
    assert set(comparison.summary) <= {"formatting", "break"}
    assert comparison.summary.get("formatting") == 5


def test_hyphenated_pdf_text_is_not_wording() -> None:
    body = list(paragraphs()[6:12])
    left = "\n\n".join(body)
    # Hyphenate the first long word of every line end, as a typesetter would.
    lines = []
    for para in body:
        for line in wrap(para, 50).split("\n"):
            lines.append(line)
        lines.append("")
    hyphenated = []
    carry = ""
    for line in lines:
        line = carry + line
        carry = ""
        words = line.split(" ")
        last = words[-1]
        if len(last) > 7 and last.isalpha() and last.islower():
            words[-1] = last[:4] + "-"
            carry = last[4:] + " "
        hyphenated.append(" ".join(words))
    right = "\n".join(hyphenated)
    assert "-\n" in right
    comparison = compare(variant_from_text(left), variant_from_text(right))
    assert "wording" not in comparison.summary, [d for d in comparison.differences if d.kind is K.WORDING][:3]


def test_typography_is_its_own_kind_and_export_keeps_the_chosen_side() -> None:
    left = "He said \u201cit\u2019s \ufb01ne\u201d\u2014then left.\u00a0Done."
    right = 'He said "it\'s fine"--then left. Done.'
    comparison = compare(variant_from_text(left), variant_from_text(right))
    assert set(comparison.summary) == {"typography"}
    assert merge(comparison).text == "He said \u201cit\u2019s \ufb01ne\u201d\u2014then left. Done."
    from viewer.core import MergePolicy, Side

    assert merge(comparison, policy=MergePolicy(prefer=Side.RIGHT)).text == right


_QUOTES = str.maketrans("", "", "\"'`\u2018\u2019\u201c\u201d\u2060")


def _without_quotes_and_dashes(text: str) -> str:
    return " ".join(text.replace("--", "\u2014").translate(_QUOTES).split())


def _corpus_pair(prefix: str):  # type: ignore[no-untyped-def]
    from tests.conftest import corpus_pairs, pair_files

    folder = next((p for p in corpus_pairs() if p.name.startswith(prefix)), None)
    if folder is None:
        pytest.skip("the corpus is not beside this checkout")
    from viewer.core import load_variant

    a, b = pair_files(folder)
    return compare(load_variant(a), load_variant(b))


@pytest.mark.corpus
def test_gpl_pair_has_only_its_url_edits_as_wording() -> None:
    comparison = _corpus_pair("04-")
    wording = comparison.of_kind(K.WORDING)
    assert wording
    for d in wording:
        assert "://" in d.left.text
        assert "://" in d.right.text


@pytest.mark.corpus
def test_sherlock_pair_has_spellings_but_no_quote_or_dash_wording() -> None:
    comparison = _corpus_pair("05-")
    wording = comparison.of_kind(K.WORDING)
    texts = {(d.left.text, d.right.text) for d in wording}
    assert ("to-morrow", "tomorrow") in texts
    assert ("theorize", "theorise") in texts
    for d in wording:
        # With quotes and dash spellings set aside, a real difference of words must remain.
        assert _without_quotes_and_dashes(d.left.text) != _without_quotes_and_dashes(d.right.text)
    assert len(comparison.of_kind(K.TYPOGRAPHY)) > 100


@pytest.mark.corpus
def test_readability_pair_differs_by_its_standfirst_and_its_caption_only() -> None:
    # A paragraph on each line, with the standfirst and a caption and its credit run into the
    # paragraphs after them, against the article cleaned by hand.
    comparison = _corpus_pair("03-")
    found = [(d.kind, d.left.text.split()[-1], d.right.is_empty) for d in comparison.differences]
    assert found == [(K.WORDING, "system.", True), (K.CAPTION, "Vaughan", True)]
    merged = merge(comparison).text
    assert "Courtesy" not in merged
    assert "immune system.\n\nWhen the immunologist" in merged


@pytest.mark.corpus
def test_names_a_converter_lost_are_filled_in_from_the_printed_paper() -> None:
    # The Markdown lost the paper's macros ("We compare\n\nto , and"); the PDF's text has them.
    merged = merge(_corpus_pair("08-")).text
    assert "We compare Mistral 7B to Llama, and re-run all benchmarks" in merged
    assert "efficiency. Mistral 7B outperforms the best open 13B model" in merged
    assert "\n\nMistral 7B leverages grouped-query attention (GQA) [1], and sliding" in merged
    # The Markdown's wording elsewhere, citation keys and all where the words differ too.
    assert "Code-7B[roziere2023code]" in merged


@pytest.mark.corpus
def test_a_papers_citation_keys_face_its_printed_numbers_as_citations() -> None:
    # The LaTeX source's Markdown keeps keys and labels; the PDF's, the printed numbers.
    comparison = _corpus_pair("07-")
    cited = comparison.of_kind(DifferenceKind.CITATION)
    # Keys in brackets, and section labels glued to headings (`RWRelated`).
    assert sum("[" in d.left.text for d in cited) >= 40
    assert all("[" in d.left.text or d.right.text[0].isdigit() for d in cited)
    merged = merge(comparison).text
    assert "comparable to human observers [7,8,10,14,23]. On the other hand" in merged
    assert "Finally, in section 6 we conclude our work" in merged
    assert "[TableFormer]" not in merged


@pytest.mark.corpus
def test_a_papers_inline_math_faces_the_printed_formulas_as_formatting() -> None:
    # The LaTeX source's Markdown writes `$k \times W$`; the PDF's text has `k × W`.
    comparison = _corpus_pair("08-")
    formatting = comparison.of_kind(DifferenceKind.FORMATTING)
    math = [d for d in formatting if "\\" in d.left.text or "$" in d.left.text]
    assert len(math) >= 10
    assert not [d for d in comparison.of_kind(DifferenceKind.WORDING) if d.left.text.startswith("$")]
    assert "to $k \\times W$ tokens" in merge(comparison, format="md").text
    assert "to k × W tokens" in merge(comparison).text
