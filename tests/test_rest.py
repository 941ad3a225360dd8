"""reStructuredText files: their markup hidden as Markdown's is, so two renderings compare word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from viewer.core import DifferenceKind, compare, load_variant, normalize, variant_from_text
from viewer.core.document import BOLD, CODE, IMAGE, ITALIC, Document
from viewer.core.model import BlockKind
from viewer.core.rest import is_rest, parse_rest

CORPUS_PAIR = ROOT.parent / "shared" / "corpus" / "06-trafilatura-readme-rst-vs-md"


def words(doc: Document) -> list[str]:
    return list(doc.words)


def block_texts(doc: Document, kind: BlockKind) -> list[tuple[str, int]]:
    return [(" ".join(doc.words[b.first_token : b.end_token]), b.level) for b in doc.blocks if b.kind is kind]


def test_titles_with_any_adornment_are_headings_in_the_order_their_styles_appear() -> None:
    doc = parse_rest(
        "=======\nManual\n=======\n\nIntro text.\n\nFeatures\n~~~~~~~~\n\n"
        "Fast.\n\nDetails\n^^^^^^^\n\nMore.\n\nUsage\n~~~~~\n\nRun it.\n"
    )
    headings = block_texts(doc, BlockKind.HEADING)
    assert headings == [("Manual", 1), ("Features", 2), ("Details", 3), ("Usage", 2)]
    # "~~~" is an underline here, not a code fence: what follows is text.
    paragraphs = block_texts(doc, BlockKind.PARAGRAPH)
    assert paragraphs == [("Intro text.", 0), ("Fast.", 0), ("More.", 0), ("Run it.", 0)]
    assert not [b for b in doc.blocks if b.kind is BlockKind.CODE]


def test_a_short_underline_under_a_long_line_is_text_and_a_transition_is_hidden() -> None:
    doc = parse_rest("A long line of plain text\n--\n\nAbove.\n\n----------\n\nBelow.\n")
    assert not block_texts(doc, BlockKind.HEADING)
    assert words(doc) == ["A", "long", "line", "of", "plain", "text", "--", "Above.", "Below."]


@pytest.mark.parametrize(
    ("source", "shown", "targets"),
    [
        ("See `the docs <https://a.org/docs>`_ now.", ["See", "the", "docs", "now."], ["https://a.org/docs"]),
        ("See `<https://a.org/x>`_.", ["See", "https://a.org/x."], ["https://a.org/x"]),
        (
            "Read `the guide`_ first.\n\n.. _the guide: https://a.org/g\n",
            ["Read", "the", "guide", "first."],
            ["https://a.org/g"],
        ),
        (
            "Use pip_ or `conda <x_>`_.\n\n.. _pip: https://pip.pypa.io\n.. _x: https://conda.io\n",
            ["Use", "pip", "or", "conda."],
            ["https://pip.pypa.io", "https://conda.io"],
        ),
        (
            "An `anonymous one`__ and two__.\n\n.. __: https://a.org/1\n.. __: https://a.org/2\n",
            ["An", "anonymous", "one", "and", "two."],
            ["https://a.org/1", "https://a.org/2"],
        ),
        ("Back to `Usage`_.", ["Back", "to", "Usage."], ["#usage"]),
        (
            "Get `Python <https://python.org>`_; Python_ again.",
            ["Get", "Python;", "Python", "again."],
            ["https://python.org", "https://python.org"],
        ),
        (
            "See `the setup`_.\n\n.. _the setup:\n\nSetup\n-----\n",
            ["See", "the", "setup.", "Setup"],
            ["#the-setup"],
        ),
    ],
)
def test_links_show_their_text_and_keep_their_targets(
    source: str, shown: list[str], targets: list[str]
) -> None:
    doc = parse_rest(source)
    assert words(doc) == shown
    assert [link.target for link in doc.links] == targets
    for link in doc.links:
        linked = [doc.words[i] for i in range(len(doc)) if doc.link(i) == link]
        assert linked, f"no word is linked to {link.target}"


def test_inline_markup_styles_and_what_stays_literal() -> None:
    doc = parse_rest(
        "Call ``f(*args)`` with **care** and *tact*; see :ref:`the index <genindex>`, "
        ":strong:`loud` and `title`. A foot\\ note [#]_ and |Name| here, no markup in *x*\\ s.\n\n"
        ".. [#] The note.\n.. |Name| replace:: Variorum\n"
    )
    assert words(doc) == [
        "Call", "f(*args)", "with", "care", "and", "tact;", "see", "the", "index,",
        "loud", "and", "title.", "A", "footnote", "and", "Name", "here,", "no", "markup", "in", "xs.",
        "The", "note.",
    ]  # fmt: skip
    style = {doc.words[i]: doc.style_of[i] for i in range(len(doc))}
    assert style["f(*args)"] & CODE
    assert style["care"] & BOLD
    assert style["tact;"] & ITALIC
    assert style["loud"] & BOLD
    assert style["title."] & ITALIC
    assert not style["the"]
    assert not style["here,"]


def test_rfc_and_pep_roles_read_with_their_label() -> None:
    doc = parse_rest("See :rfc:`2616` and :pep:`8`.\n")
    assert words(doc) == ["See", "RFC", "2616", "and", "PEP", "8."]
    assert doc.text[doc.starts[1] : doc.ends[1]] == ":rf"  # the label stands where the role was


def test_nothing_inside_an_inline_literal_is_markup() -> None:
    doc = parse_rest("Type ``a\\ b`` or ``*x`` for *y*.\n")
    assert words(doc) == ["Type", "a\\", "b", "or", "*x", "for", "y."]
    assert [bool(s & CODE) for s in doc.style_of] == [False, True, True, False, True, False, False]


def test_directives_show_what_a_reader_sees() -> None:
    doc = parse_rest(
        "Intro.\n\n"
        ".. image:: https://a.org/logo.png\n   :target: https://a.org\n   :alt: The logo\n   :width: 60%\n\n"
        ".. note::\n   Take *care*.\n\n"
        ".. code-block:: python\n\n   x = *not* `markup` \\\\ 1\n   y = 2\n\n"
        ".. toctree::\n   :maxdepth: 2\n\n   install\n   usage\n\n"
        ".. a comment\n   spanning lines\n\n"
        ".. _hidden: https://a.org/target\n\n"
        ".. admonition:: Beware\n\n   Of the dog.\n\nEnd.\n"
    )
    assert words(doc) == [
        "Intro.", "The", "logo", "Take", "care.", "x", "=", "*not*", "`markup`", "\\\\", "1", "y", "=", "2",
        "Beware", "Of", "the", "dog.", "End.",
    ]  # fmt: skip
    assert block_texts(doc, BlockKind.IMAGE) == [("The logo", 0)]
    image = next(b for b in doc.blocks if b.kind is BlockKind.IMAGE)
    assert doc.text[image.start : image.end] == "The logo"  # what a difference there quotes
    # A code block's level: the columns its lines' indentation counts from.
    assert block_texts(doc, BlockKind.CODE) == [("x = *not* `markup` \\\\ 1 y = 2", 3)]
    logo = words(doc).index("The")
    assert doc.style_of[logo] & IMAGE
    link = doc.link(logo)
    assert link is not None
    assert link.target == "https://a.org"


def test_a_paragraph_ending_in_double_colons_opens_a_literal_block() -> None:
    doc = parse_rest("For example::\n\n    run --now *here*\n\nThen ::\n\n    again\n\nDone.\n")
    assert words(doc) == ["For", "example:", "run", "--now", "*here*", "Then", "again", "Done."]
    assert block_texts(doc, BlockKind.CODE) == [("run --now *here*", 4), ("again", 4)]


def test_code_keeps_its_lines_indent_beyond_the_least_of_them() -> None:
    # A tab counts to the next multiple of four columns, as the merged text counts it.
    source = (
        "Intro.\n\n.. code-block:: python\n\n      x = 1\n   y = 2\n\n"
        "For example::\n\n\tdef f():\n        return 1\n\nEnd.\n"
    )
    text = normalize(variant_from_text(source, "a.rst"), "md")
    code = "```\n   x = 1\ny = 2\n```\n\nFor example:\n\n```\ndef f():\n    return 1\n```"
    assert text == f"Intro.\n\n{code}\n\nEnd."


def test_lists_line_blocks_and_tables_keep_only_their_words() -> None:
    doc = parse_rest(
        "- one\n- two\n   - nested\n\n#. first\n#. second\n\n| a line\n| another\n\n|\n\n"
        "+-----+-----+\n| a   | b   |\n+=====+=====+\n| c   | d   |\n+-----+-----+\n\n"
        "=====  =====\nName   Value\n-------------\nx      1\n=====  =====\n"
    )
    assert words(doc) == [
        "one", "two", "nested", "first", "second", "a", "line", "another",
        "a", "b", "c", "d", "Name", "Value", "x", "1",
    ]  # fmt: skip
    assert block_texts(doc, BlockKind.LIST_ITEM) == [
        ("one", 1),
        ("two", 1),
        ("nested", 2),
        ("first", 1),
        ("second", 1),
    ]


REST_PAGE = """\
=========
 Variorum
=========

Compare *variants* of one document and merge them into **one** text.

.. image:: https://example.org/shot.png
   :alt: A screenshot

Install
-------

Run ``pip install variorum``, then read the `manual <https://example.org/manual>`_
and the FAQ_.

.. _FAQ: https://example.org/faq

Features
~~~~~~~~

- Side by side
- Merge

.. note::

   Sources are never written.
"""

MARKDOWN_PAGE = """\
# Variorum

Compare *variants* of one document and merge them into **one** text.

![A screenshot](https://example.org/shot.png)

## Install

Run `pip install variorum`, then read the [manual](https://example.org/manual) and the
[FAQ](https://example.org/faq).

### Features

- Side by side
- Merge

Sources are never written.
"""


def test_a_page_in_rest_and_in_markdown_has_no_differences() -> None:
    rest = variant_from_text(REST_PAGE, "README.rst")
    markdown = variant_from_text(MARKDOWN_PAGE, "README.md")
    assert words(rest.document) == words(markdown.document)
    comparison = compare(rest, markdown)
    assert comparison.differences == ()
    # Read as Markdown, the same file shows its markup as differences.
    assert compare(variant_from_text(REST_PAGE, "README.md"), markdown).differences


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("README.rst", "plain", True),
        ("notes.REST", "plain", True),
        ("doc.md", ".. image:: a\n.. note::\n.. _x: y\n", False),
        ("doc.txt", ".. image:: a\n.. note::\n.. _x: y\n", True),
        ("doc.txt", ".. image:: a\n.. note::\n", False),
        ("page.txt", "Some text.. and more text\n", False),
    ],
)
def test_which_files_are_read_as_rest(name: str, text: str, expected: bool) -> None:
    assert is_rest(name, text) is expected


def test_a_rest_file_loads_as_rest(tmp_path: Path) -> None:
    path = tmp_path / "page.rst"
    path.write_text(REST_PAGE, encoding="utf-8")
    assert words(load_variant(path).document) == words(parse_rest(REST_PAGE))


@pytest.mark.skipif(not CORPUS_PAIR.is_dir(), reason="the corpus is not on this machine")
def test_the_corpus_readme_in_rest_and_markdown_differs_in_words_not_markup() -> None:
    left = load_variant(next(CORPUS_PAIR.glob("a.*")))
    right = load_variant(next(CORPUS_PAIR.glob("b.*")))
    kinds = {d.kind for d in compare(left, right).differences}
    # Links, emphasis and list markers written the two ways are the same for a reader.
    assert not kinds & {DifferenceKind.LINK, DifferenceKind.FORMATTING, DifferenceKind.TYPOGRAPHY}
    assert DifferenceKind.WORDING in kinds  # the rewritten paragraphs are still there
