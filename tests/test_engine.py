"""Engine pieces without a display: parsing, alignment on long texts, decisions, purity."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import PDF_SAMPLE, ROOT, WEB_SAMPLE
from tests.prose import paragraphs, wrap
from viewer.core import (
    Cancelled,
    Choice,
    Decision,
    DifferenceKind,
    MergePolicy,
    Side,
    compare,
    decisions_to_json,
    load_variant,
    match_decisions,
    merge,
    normalize,
    variant_from_text,
)
from viewer.core.document import BOLD, ITALIC, parse


@pytest.mark.parametrize(
    ("source", "words", "links"),
    [
        ("[Top story](#) here", ["Top", "story", "here"], ["#", "#", None]),
        ('"[We must] oppose"', ['"[We', "must]", 'oppose"'], [None, None, None]),
        ("see <https://a.org/x> now", ["see", "https://a.org/x", "now"], [None, "https://a.org/x", None]),
        ("see https://a.org/x.", ["see", "https://a.org/x."], [None, "https://a.org/x"]),
        ("**bold**, _it_ and *em*", ["bold,", "it", "and", "em"], [None] * 4),
        ("AT&amp;T &lt;b&gt;", ["AT&T", "<b>"], [None, None]),
        ("<b>tag</b> text", ["tag", "text"], [None, None]),
        ("![A photo](x.jpg)", ["A", "photo"], [None, None]),
        ("snake_case_name", ["snake_case_name"], [None]),
        ("an \\*escaped\\* star", ["an", "*escaped*", "star"], [None] * 3),
        # A converter's space between markup and the stop after it is no space.
        ("our [Cookie Policy](u) . In", ["our", "Cookie", "Policy.", "In"], [None, "u", "u", None]),
        ("choose **I Accept** , then", ["choose", "I", "Accept,", "then"], [None] * 4),
        ("see https://a.b . Then", ["see", "https://a.b", ".", "Then"], [None, "https://a.b", None, None]),
        ("from . import x", ["from", ".", "import", "x"], [None] * 4),
    ],
)
def test_inline_markup_table(source: str, words: list[str], links: list[str | None]) -> None:
    doc = parse(source)
    assert doc.words == words
    assert [doc.link(i).target if doc.link(i) else None for i in range(len(doc))] == links
    for i in range(len(doc)):
        assert doc.starts[i] < doc.ends[i]


def test_emphasis_styles_and_blocks() -> None:
    doc = parse("# Head\n\nText with **bold** and *em*.\n\n- item one\n- item two\n\n> quoted\n> more")
    assert [b.kind.value for b in doc.blocks] == ["heading", "paragraph", "list_item", "list_item", "quote"]
    styles = {doc.words[i]: doc.style_of[i] for i in range(len(doc))}
    assert styles["bold"] & BOLD
    assert styles["em."] & ITALIC
    assert doc.words[-2:] == ["quoted", "more"]


def test_spans_survive_non_bmp_text() -> None:
    text = "Emoji 😀 here.\n\nNext [link 🎉](#) end."
    doc = parse(text)
    for i in range(len(doc)):
        assert text[doc.starts[i] : doc.ends[i]].replace("[", "").replace("](#)", "") == doc.words[i]


def test_long_text_is_aligned_exactly_not_given_up() -> None:
    """diff-match-patch's default 1 s timeout turns long texts into 'everything changed'."""
    pool = paragraphs()
    body = [pool[k % len(pool)] + f" Part {k}." for k in range(1700)]
    left = "\n\n".join(body)
    edited = list(body)
    for k in range(5, 1700, 50):
        edited[k] = edited[k].replace(" the ", " THE-EDIT ", 1)
    right = "\n\n".join(wrap(p, 70) for p in edited)
    assert len(left) > 400_000
    comparison = compare(variant_from_text(left), variant_from_text(right))
    wording = comparison.of_kind(DifferenceKind.WORDING)
    assert len(wording) == sum(1 for k in range(5, 1700, 50) if " the " in body[k])
    assert all("THE-EDIT" in d.right.text and len(d.right.text) < 40 for d in wording)


def test_moved_paragraph_does_not_swamp_the_rest() -> None:
    pool = paragraphs()[:12]
    left = "\n\n".join(pool)
    moved = [*pool[:2], *pool[3:10], pool[2], *pool[10:]]
    comparison = compare(variant_from_text(left), variant_from_text("\n\n".join(moved)))
    kinds = [d.kind for d in comparison.differences]
    assert kinds.count(DifferenceKind.MOVED) == 2
    assert DifferenceKind.WORDING not in kinds
    assert "\n\n".join(pool) == merge(comparison).text  # no duplicate, no loss


def test_cancel_stops_parsing_a_long_text() -> None:
    from viewer.core.document import parse

    text = "\n\n".join(paragraphs()) * 40
    polls = 0

    def cancelled() -> bool:
        nonlocal polls
        polls += 1
        return polls > 3

    with pytest.raises(Cancelled):
        parse(text, cancelled)
    assert polls == 4


def test_cancel_stops_the_comparison() -> None:
    text = "\n\n".join(paragraphs()) * 3
    with pytest.raises(Cancelled):
        compare(variant_from_text(text), variant_from_text(text[::-1]), cancelled=lambda: True)


@pytest.fixture(scope="module")
def samples():  # type: ignore[no-untyped-def]
    return compare(load_variant(WEB_SAMPLE), load_variant(PDF_SAMPLE))


def test_every_choice_changes_the_text(samples) -> None:  # type: ignore[no-untyped-def]
    caption = samples.of_kind(DifferenceKind.CAPTION)[0]
    base = merge(samples).text
    assert "Press Service" not in base
    left = merge(samples, {caption.id: Decision(Choice.LEFT)}).text
    assert "Wang Yi. Russian Foreign Ministry Press Service" in left
    assert merge(samples, {caption.id: Decision(Choice.BOTH)}).text == left  # nothing on the right
    custom = merge(samples, {caption.id: Decision(Choice.CUSTOM, "A custom caption.")}).text
    assert "A custom caption." in custom.split("\n\n")
    brk = samples.of_kind(DifferenceKind.BREAK)[0]
    split = merge(samples, {brk.id: Decision(Choice.LEFT)}).text
    assert "Lavrov\n\ntold Xi" in split
    joined = merge(samples, {brk.id: Decision(Choice.NEITHER)}).text
    assert "Lavrov told Xi" in joined


def test_policy_overrides_per_kind_and_prefer(samples) -> None:  # type: ignore[no-untyped-def]
    keep = merge(samples, policy=MergePolicy(kind_choices={DifferenceKind.FOOTER: "left"})).text
    assert keep.endswith(
        "Original url:\n\nhttps://www.themoscowtimes.com/2024/04/09/"
        "china-russia-say-to-strengthen-cooperation-in-lavrov-visit-a84778"
    )
    pair = compare(variant_from_text("The “cat” sat down."), variant_from_text('The "dog" sat\ndown.'))
    assert merge(pair).text == "The “cat” sat down."
    assert merge(pair, policy=MergePolicy(prefer=Side.RIGHT)).text == 'The "dog" sat down.'


def test_decisions_round_trip_by_content(samples) -> None:  # type: ignore[no-untyped-def]
    caption = samples.of_kind(DifferenceKind.CAPTION)[0]
    saved = decisions_to_json(samples, {caption.id: Decision(Choice.LEFT)})
    # The same pair with an extra paragraph on top: ids shift, content still matches.
    edited = variant_from_text("A new first paragraph.\n\n" + samples.left.text)
    again = compare(edited, samples.right)
    matched = match_decisions(again, saved)
    assert list(matched.decisions.values()) == [Decision(Choice.LEFT)]
    assert again.by_id(next(iter(matched.decisions))).kind is DifferenceKind.CAPTION
    gone = compare(variant_from_text(samples.right.text), samples.right)
    assert len(match_decisions(gone, saved).dropped) == 1


def test_core_never_imports_qt() -> None:
    for path in (ROOT / "viewer" / "core").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in {"PySide6", "PyQt6", "shiboken6"} for n in names), path


def test_sources_are_never_written(tmp_path: Path) -> None:
    from viewer.core import LoadError, write_atomic

    src = tmp_path / "a.txt"
    src.write_text("original")
    with pytest.raises(LoadError, match="refusing"):
        write_atomic(src, "new", protect=[src])
    link = tmp_path / "link.txt"
    link.symlink_to(src)
    with pytest.raises(LoadError, match="refusing"):
        write_atomic(link, "new", protect=[src])
    assert src.read_text() == "original"


def test_a_heading_on_each_side_is_one_title_difference() -> None:
    body = "\n\n".join(paragraphs()[:3])
    plain = variant_from_text("ADVENTURE I. A SCANDAL IN BOHEMIA\n\nI.\n\n" + wrap(body, 64), "a.txt")
    marked = variant_from_text("## A Scandal in Bohemia\n\n### I\n\n" + body, "b.md")
    comparison = compare(plain, marked)
    titles = comparison.of_kind(DifferenceKind.TITLE)
    pairs = [(d.left.text, d.right.text) for d in titles]
    assert pairs == [("ADVENTURE I. A SCANDAL IN BOHEMIA", "## A Scandal in Bohemia"), ("I.", "### I")]
    assert DifferenceKind.WORDING not in {d.kind for d in comparison.differences}
    # One title and one chapter heading, from the preferred side, as a reader wants them.
    assert merge(comparison).text == "ADVENTURE I. A SCANDAL IN BOHEMIA\n\nI.\n\n" + body
    right = MergePolicy(prefer=Side.RIGHT)
    assert merge(comparison, policy=right, format="md").text == "## A Scandal in Bohemia\n\n### I\n\n" + body
    both = {d.id: Decision(Choice.BOTH) for d in titles}
    assert merge(comparison, both).text.startswith(
        "ADVENTURE I. A SCANDAL IN BOHEMIA\n\nA Scandal in Bohemia\n\nI.\n\nI\n\n"
    )


def test_headings_of_other_words_stay_apart() -> None:
    body = "\n\n".join(paragraphs()[:3])

    def differences(left: str, right: str) -> list[tuple[DifferenceKind, str, str]]:
        found = compare(variant_from_text(left + body, "a.txt"), variant_from_text(right + body, "b.md"))
        return [(d.kind, d.left.text, d.right.text) for d in found.differences]

    # A chapter number against another.
    assert differences("I.\n\n", "### II\n\n") == [
        (DifferenceKind.TITLE, "", "### II"),
        (DifferenceKind.WORDING, "I.", ""),
    ]
    # Opening sentences that differ in case and punctuation only are wording, not headings.
    assert differences("It was late, and dark.\n\n", "IT WAS LATE AND DARK.\n\n") == [
        (DifferenceKind.WORDING, "It was late, and dark.", "IT WAS LATE AND DARK.")
    ]
    # A title against a paragraph that is no heading: both stay, the title kept from its
    # side and the paragraph's words from the preferred one.
    opening = "A long opening paragraph that no reader would take for a title, ending in a period."
    assert differences("The Title\n\n", opening + "\n\n") == [
        (DifferenceKind.TITLE, "The Title", ""),
        (DifferenceKind.WORDING, "", opening),
    ]
    comparison = compare(
        variant_from_text("The Title\n\n" + body, "a.txt"), variant_from_text(opening + "\n\n" + body, "b.md")
    )
    right = MergePolicy(prefer=Side.RIGHT)
    assert merge(comparison, policy=right).text == "The Title\n\n" + opening + "\n\n" + body


def test_a_page_around_the_article_is_boilerplate_and_gallery_captions_are_captions() -> None:
    body = paragraphs()[:4]
    page = "\n\n".join(
        [
            "Skip to main content",
            "Example Site Logo",
            "Search",
            "  * News\n  * Science\n  * Videos",
            "Example is supported by its readers. When you buy through links on our site, we may earn"
            " a commission. Learn more",
            "  1. Home\n  2. News",
            "# " + "A Headline the Text Lacks",
            "By Ada Writer, Bo Editor",
            body[0],
            body[1],
            "Image 1 of 2",
            "The first picture of the gallery, with a sentence about it.",
            "(Image credit: Example Agency)",
            "Image 2 of 2",
            "The second picture, shown at an angle.",
            "(Image credit: Another Agency)",
            body[2],
            body[3],
        ]
    )
    text = "\n\n".join(wrap(p, 70) for p in body)
    comparison = compare(variant_from_text(page, "page.md"), variant_from_text(text, "text.txt"))
    kinds = [d.kind for d in comparison.differences]
    assert kinds == [
        DifferenceKind.BOILERPLATE,
        DifferenceKind.TITLE,
        DifferenceKind.BYLINE,
        DifferenceKind.BOILERPLATE,
        DifferenceKind.CAPTION,
        DifferenceKind.BOILERPLATE,
        DifferenceKind.CAPTION,
    ]
    assert comparison.differences[0].left.text.startswith("Skip to main content")
    assert comparison.differences[0].left.text.endswith("2. News")
    # The headline and the article, nothing of the page around them.
    assert merge(comparison).text == "\n\n".join(["A Headline the Text Lacks", *body])


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("© Example Media, Inc. 11 West Street, New York.", DifferenceKind.FOOTER),
        ("(c) 2019 Example Media", DifferenceKind.FOOTER),
        ("Copyright 2019 Example Media", DifferenceKind.FOOTER),
        ("Original url: https://example.org/story", DifferenceKind.FOOTER),
        ("Advertisement", DifferenceKind.BOILERPLATE),
        ("Photo 3 of 7", DifferenceKind.BOILERPLATE),
        ("(cat) owners will want to read on, as the rest of this sentence says.", DifferenceKind.WORDING),
    ],
)
def test_what_a_closing_line_one_side_has_is(line: str, kind: DifferenceKind) -> None:
    body = "\n\n".join(paragraphs()[:2])
    page = variant_from_text(body + "\n\n" + line, "page.md")
    comparison = compare(page, variant_from_text(body, "text.txt"))
    assert [(d.kind, d.left.text) for d in comparison.differences] == [(kind, line)]


def test_the_page_around_a_headline_does_not_stand_in_for_the_other_sides_title() -> None:
    body = paragraphs()[:3]
    page = "\n\n".join(
        ["Skip to main content", "Site Name", "  * News\n  * Science", "# A Headline", "By Ada Writer", *body]
    )
    pdf = "\n\n".join(["A HEADLINE, AS PRINTED", *(wrap(p, 70) for p in body)])
    comparison = compare(variant_from_text(page, "page.md"), variant_from_text(pdf, "print.txt"))
    found = [(d.kind, d.left.text, d.right.text) for d in comparison.differences]
    assert found == [
        (DifferenceKind.BOILERPLATE, "Skip to main content\n\nSite Name\n\n  * News\n  * Science", ""),
        (DifferenceKind.TITLE, "# A Headline", "A HEADLINE, AS PRINTED"),
        (DifferenceKind.BYLINE, "By Ada Writer", ""),
    ]
    assert merge(comparison).text == "\n\n".join(["A Headline", *body])
    assert merge(comparison, policy=MergePolicy(prefer=Side.RIGHT)).text == "\n\n".join(
        ["A HEADLINE, AS PRINTED", *body]
    )
    # Without a headline, a site's control line is still no title.
    page = "\n\n".join(["Skip to main content", *body])
    comparison = compare(variant_from_text(page, "page.md"), variant_from_text(pdf, "print.txt"))
    assert [(d.kind, d.left.text, d.right.text) for d in comparison.differences] == [
        (DifferenceKind.BOILERPLATE, "Skip to main content", ""),
        (DifferenceKind.TITLE, "", "A HEADLINE, AS PRINTED"),
    ]


def test_below_the_article_a_page_footer_is_one_difference_and_references_stay() -> None:
    body = "\n\n".join(paragraphs()[:3])
    note = "Editor's note: This story was updated at noon to include details from the call."
    page = "\n\n".join(
        [
            body,
            note,
            "Email the writer at writer@example.org or follow her on social media.",
            "Read our magazine for the latest news from everywhere.",
            "(Image credit: Example Magazine)",
            "Join our forums to talk about the news.",
            "__Sign Up for e-mail newsletters",
            "Get the latest news and updates on everything, every morning.",
            "More from Example...",
            "  * [Terms and conditions](https://example.org/terms)\n  * [Privacy policy](https://example.org/privacy)",
            "© Example Media, Inc.",
        ]
    )
    text = "\n\n".join([body, note, "(Image credit: Example)"])
    comparison = compare(variant_from_text(page, "page.md"), variant_from_text(text, "text.txt"))
    # Between the other side's last caption and the footer, each block is what it is.
    assert [d.kind for d in comparison.differences] == [
        DifferenceKind.CAPTION,
        DifferenceKind.WORDING,
        DifferenceKind.CAPTION,
        DifferenceKind.WORDING,
        DifferenceKind.FOOTER,
    ]
    footer = comparison.differences[-1].left.text
    assert footer.startswith("__Sign Up")
    assert footer.endswith("© Example Media, Inc.")
    assert merge(comparison).text == "\n\n".join(
        [
            body,
            note,
            "Email the writer at writer@example.org or follow her on social media.",
            "Join our forums to talk about the news.",
        ]
    )
    # A paper's references one side only has are kept, page numbers between them aside.
    references = [
        f"[{k}] A. Author. A title of a paper number {k}. In Proceedings, 20{k:02d}." for k in range(1, 7)
    ]
    paper = "\n\n".join([body, "References", *references[:3], "12", *references[3:]])
    comparison = compare(variant_from_text(paper, "paper.md"), variant_from_text(body, "paper.txt"))
    assert merge(comparison).text == "\n\n".join([body, "References", *references])


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (
            "**Related:** **A Story About Something Else Entirely, With a Long Title**",
            DifferenceKind.BOILERPLATE,
        ),
        ("See also: the other article we wrote about this last year", DifferenceKind.BOILERPLATE),
        ("__ Shares", DifferenceKind.BOILERPLATE),
        (
            "  * [Another story](https://example.org/a)\n  * [A third one](https://example.org/b)",
            DifferenceKind.BOILERPLATE,
        ),
        ("  * An item of a list, [with a link](https://example.org/a) in it", DifferenceKind.WORDING),
        ("Related work has shown the same effect in three other studies.", DifferenceKind.WORDING),
    ],
)
def test_what_a_line_between_paragraphs_one_side_has_is(line: str, kind: DifferenceKind) -> None:
    first, second = paragraphs()[:2]
    page = variant_from_text("\n\n".join([first, line, second]), "page.md")
    comparison = compare(page, variant_from_text(first + "\n\n" + second, "text.txt"))
    assert {(d.kind, d.left.text) for d in comparison.differences} == {(kind, line)}


def test_a_standfirst_between_a_headline_and_a_section_heading_is_kept() -> None:
    body = paragraphs()[:3]
    standfirst = "A standfirst sentence that sums the story up in a few words."
    opening = "An opening paragraph only the page has, before the text both sides share."
    page = "\n\n".join(["# A Headline", standfirst, "## First section", opening, *body])
    pdf = "\n\n".join(["Photo: Example Agency", *(wrap(p, 70) for p in body)])
    comparison = compare(variant_from_text(page, "page.md"), variant_from_text(pdf, "print.txt"))
    assert merge(comparison).text == "\n\n".join(["A Headline", standfirst, "First section", opening, *body])
    # Two documents that share no word have no page around an article to leave out.
    mine = "\n\n".join([body[0], "# A Heading", *body[1:], "Related: another story", "The end of it all."])
    other = "Some text of another document entirely."
    comparison = compare(variant_from_text(mine, "a.md"), variant_from_text(other, "b.txt"))
    assert merge(comparison).text.startswith(body[0])
    assert merge(comparison).text.endswith("The end of it all.")


@pytest.mark.parametrize(
    ("web", "pdf", "kind"),
    [
        ("Left-looking cell rule : the left", "Left-looking cell rule: the left", DifferenceKind.TYPOGRAPHY),
        ("each table cell ( td ) gets", "each table cell (td) gets", DifferenceKind.TYPOGRAPHY),
        ("refuses 100%of the questions", "refuses 100% of the questions", DifferenceKind.TYPOGRAPHY),
        # Where two words meet, the spacing is a matter of words: editions spell so.
        ("then ran up stairs and", "then ran upstairs and", DifferenceKind.WORDING),
        ("throughout the countryand more", "throughout the country and more", DifferenceKind.WORDING),
    ],
)
def test_spacing_next_to_punctuation_is_typography(web: str, pdf: str, kind: DifferenceKind) -> None:
    first, second = paragraphs()[:2]
    page = variant_from_text(f"{first} {web} {second}", "web.md")
    comparison = compare(page, variant_from_text(f"{first} {pdf} {second}", "pdf.txt"))
    assert [d.kind for d in comparison.differences] == [kind]


def test_markdown_output_closes_a_link_before_the_stop_that_follows_it() -> None:
    page = variant_from_text("Read our [Cookie Policy](https://c.org) . And [this](https://t.org).", "a.md")
    assert normalize(page, "md") == "Read our [Cookie Policy](https://c.org). And [this](https://t.org)."
    assert normalize(page) == "Read our Cookie Policy. And this."


@pytest.mark.parametrize(
    ("source", "markdown"),
    [
        ("By choosing **I Accept** , you consent.", "By choosing **I Accept**, you consent."),
        ("Read *this one* . Done.", "Read *this one*. Done."),
        ("Both ***at once*** . Done.", "Both ***at once***. Done."),
        ("See [**the terms**](https://t.org) . Done.", "See [**the terms**](https://t.org). Done."),
        # Emphasis that ends inside a word closes there.
        ("A **foo**bar word.", "A **foo**bar word."),
        # A stop inside the emphasis stays inside; code and a stop not closed up are left alone.
        ("Say **yes.** Then go.", "Say **yes.** Then go."),
        ("Run `make` . Then go.", "Run `make` . Then go."),
        ("A **word** ,then more.", "A **word** ,then more."),
    ],
)
def test_markdown_output_closes_emphasis_before_the_stop_that_follows_it(source: str, markdown: str) -> None:
    assert normalize(variant_from_text(source, "a.md"), "md") == markdown


@pytest.mark.parametrize(
    ("converted", "printed", "merged"),
    [
        # A converter that lost a name left a lone comma, or a sentence begun in lower case.
        ("We introduce , a small model.", "We introduce Mistral 7B, a small model.", 1),
        ("It is quick. outperforms the rest.", "It is quick. Mistral 7B outperforms the rest.", 1),
        ("outperforms the rest by far.", "Mistral 7B outperforms the rest by far.", 1),
        ("We compare to , and more.", "We compare Mistral 7B to Llama, and more.", 1),
        ("Compared to , it adds more.", "Compared to Llama, it adds more.", 1),
        # No hole: wording from the preferred side, as always.
        ("The quick fox ran off.", "The quick brown fox ran off.", 0),
        ("Pens, ink, etc. and paper too.", "Pens, ink, etc. Bob and paper too.", 0),
        ("We introduce , a model.", "We introduce a long list of eight brand new words, a model.", 0),
        # Both sides with holes: nothing to fill it with.
        ("We introduce , a small model.", "We introduce Mistral , a small model.", 0),
    ],
)
def test_wording_fills_a_hole_in_the_preferred_side(converted: str, printed: str, merged: int) -> None:
    first, second = paragraphs()[:2]
    pair = compare(
        variant_from_text(f"{first}\n\n{converted}\n\n{second}", "latex.md"),
        variant_from_text(f"{first}\n\n{printed}\n\n{second}", "print.txt"),
    )
    assert merge(pair).text == "\n\n".join([first, (converted, printed)[merged], second])
    # The preferred side alone, when asked; and a hole on the other side is no reason to leave it.
    strict = MergePolicy(kind_choices={DifferenceKind.WORDING: "prefer"})
    assert merge(pair, policy=strict).text == "\n\n".join([first, converted, second])
    assert merge(pair, policy=MergePolicy(prefer=Side.RIGHT)).text == "\n\n".join([first, printed, second])


def test_a_fill_that_crosses_a_paragraph_break_is_not_taken() -> None:
    first, second = paragraphs()[:2]
    converted = "It is quick .\n\nleverages attention."
    printed = "It is quick Mistral 7B.\n\nMistral 7B leverages attention."
    pair = compare(
        variant_from_text(f"{first}\n\n{converted}\n\n{second}", "latex.md"),
        variant_from_text(f"{first}\n\n{printed}\n\n{second}", "p.txt"),
    )
    assert "It is quick ." in merge(pair).text


@pytest.mark.parametrize(
    ("converted", "printed", "merged"),
    [
        # The fill joins the paragraph its hole is in, where the other side runs paragraphs on.
        (
            "It beats the rest.\n\nleverages attention well.",
            "It beats the rest. Mistral 7B leverages attention well.",
            "It beats the rest.\n\nMistral 7B leverages attention well.",
        ),
        # A paragraph break before the hole that cuts a sentence goes, as the break rule says.
        ("We compare\n\nto , and re-run all.", "We compare Mistral 7B to Llama, and re-run all.", None),
    ],
)
def test_a_fill_stands_in_the_paragraph_of_its_hole(converted: str, printed: str, merged: str | None) -> None:
    first, second = paragraphs()[:2]
    pair = compare(
        variant_from_text(f"{first}\n\n{converted}\n\n{second}", "latex.md"),
        variant_from_text(f"{first}\n\n{printed}\n\n{second}", "print.txt"),
    )
    assert merge(pair).text == "\n\n".join([first, merged or printed, second])


def test_words_taken_from_the_other_side_end_as_its_paragraph_does() -> None:
    first, second = paragraphs()[:2]
    pair = compare(
        variant_from_text(f"{first}\n\nStands on the mat.\n\n{second}", "a.md"),
        variant_from_text(f"{first}\n\nThe cat sits.\n\nStands on the mat.\n\n{second}", "b.md"),
    )
    (change,) = pair.changes
    taken = merge(pair, {change.difference.id: Decision(Choice.RIGHT)}).text
    assert taken == "\n\n".join([first, "The cat sits.", "Stands on the mat.", second])
    pair = compare(
        variant_from_text(f"{first}\n\nStands on the mat.\n\n{second}", "a.md"),
        variant_from_text(f"{first}\n\nThe cat Stands on the mat.\n\n{second}", "b.md"),
    )
    (change,) = pair.changes
    taken = merge(pair, {change.difference.id: Decision(Choice.RIGHT)}).text
    assert taken == "\n\n".join([first, "The cat Stands on the mat.", second])
