"""Code is literal, and code blocks and pipe tables keep their lines in the merged text."""

from __future__ import annotations

import pytest

from tests.prose import paragraphs
from viewer.core import BlockKind, Choice, Decision, compare, merge, normalize, variant_from_text
from viewer.core.document import CODE, parse


@pytest.mark.parametrize(
    ("source", "words"),
    [
        # Markup inside code is text: emphasis, links, entities, escapes, math, bare URLs.
        ("Use `a*b*c` and `[t](u)` ok.", ["Use", "a*b*c", "and", "[t](u)", "ok."]),
        ("Run `x_y_z` with `&amp;` and `$q$`.", ["Run", "x_y_z", "with", "&amp;", "and", "$q$."]),
        ("```\nx = *a* + [b](c) &amp; \\* $q$\n```", ["x", "=", "*a*", "+", "[b](c)", "&amp;", "\\*", "$q$"]),
        ("```\nsee https://x.org/a_b_ now\n```", ["see", "https://x.org/a_b_", "now"]),
    ],
)
def test_code_is_literal(source: str, words: list[str]) -> None:
    doc = parse(f"Text.\n\n{source}\n\nAnd *real* [l](m).\n")
    assert list(doc.words) == ["Text.", *words, "And", "real", "l."]
    assert [link.target for link in doc.links] == ["m"]
    code = [k for k, style in enumerate(doc.style_of) if style & CODE]
    assert all(1 <= k <= len(words) for k in code)
    assert code


@pytest.mark.parametrize(
    ("source", "table"),
    [
        ("| a | b |\n|---|:-:|\n| 1 | 2 |", True),
        ("a | b\n---|---\n1 | 2", True),
        ("| a |\n| - |", True),
        # A delimiter row without a pipe under a row with one is a heading's underline; words
        # with a pipe but no delimiter row are a paragraph.
        ("a | b\n---", False),
        ("a b\nc | d\ne | f", False),
        ("a b\n|---|---|", False),
    ],
)
def test_a_pipe_table_is_told_by_its_delimiter_row(source: str, table: bool) -> None:
    doc = parse(f"Text.\n\n{source}\n\nAfter.\n")
    assert (BlockKind.TABLE in [b.kind for b in doc.blocks]) is table


SOURCE = """Text here.

```
def f(x):
    if x:

        return *x*
```

| a | **b** |
|---|---|
| 1 | [2](https://t.org) |
| 3 | 4 |

After."""


def test_code_blocks_and_tables_keep_their_lines_in_both_formats() -> None:
    variant = variant_from_text(SOURCE, "a.md")
    assert normalize(variant, "md") == SOURCE
    code = "def f(x):\n    if x:\n\n        return *x*"
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |"
    assert normalize(variant) == f"Text here.\n\n{code}\n\n{table}\n\nAfter."


def test_a_difference_inside_a_code_block_keeps_its_lines() -> None:
    first = paragraphs()[0]
    old = f"{first}\n\n```\nfor item in items:\n    total += item.price\nprint(total)\n```\n"
    new = old.replace("item.price", "item.cost * 2")
    pair = compare(variant_from_text(old, "old.md"), variant_from_text(new, "new.md"))
    (difference,) = pair.differences
    assert (difference.left.text, difference.right.text) == ("item.price", "item.cost * 2")
    right_first = merge(pair, {difference.id: Decision(Choice.RIGHT)}, format="md").text
    expected = "```\nfor item in items:\n    total += item.cost * 2\nprint(total)\n```"
    assert right_first == f"{first}\n\n{expected}"


def test_a_difference_inside_a_list_items_code_keeps_the_items_indent() -> None:
    old = "- a\n\n      x = 1\n      y = 2\n      z = 3\n\n- b\n"
    pair = compare(variant_from_text(old, "old.md"), variant_from_text(old.replace("2", "5"), "new.md"))
    (difference,) = pair.differences
    text = merge(pair, {difference.id: Decision(Choice.RIGHT)}, format="md").text
    assert text == "- a\n\n  ```\n  x = 1\n  y = 5\n  z = 3\n  ```\n\n- b"


def test_a_pipe_written_as_an_entity_or_escape_stays_inside_its_cell() -> None:
    source = "| a | b |\n|---|---|\n| 3c&#124;TEDs | x\\|y |\n| c|d | e |"
    variant = variant_from_text(f"Text.\n\n{source}\n", "a.md")
    assert normalize(variant, "md") == "Text.\n\n| a | b |\n|---|---|\n| 3c\\|TEDs | x\\|y |\n| c|d | e |"
    assert normalize(variant).endswith("| 3c|TEDs | x|y |\n| c|d | e |")


def _blocks(source: str, plain: bool = False) -> list[tuple[str, list[str]]]:
    doc = parse(source, plain=plain)
    return [(b.kind.name, list(doc.words[b.first_token : b.end_token])) for b in doc.blocks]


@pytest.mark.parametrize(
    ("source", "blocks"),
    [
        # After a blank line or a heading, lines indented four columns (or a tab) are code,
        # blank lines between them too; markup in them is text.
        (
            "Intro.\n\n    <year> *a* [t](u)\n    x\n\n\tagain\n\nAfter.",
            [
                ("PARAGRAPH", ["Intro."]),
                ("CODE", ["<year>", "*a*", "[t](u)", "x", "again"]),
                ("PARAGRAPH", ["After."]),
            ],
        ),
        ("# Title\n    code\n", [("HEADING", ["Title"]), ("CODE", ["code"])]),
        # A line indented less ends it, blank line or not.
        ("    code\n  After.", [("CODE", ["code"]), ("PARAGRAPH", ["After."])]),
        ("Title\n=====\n    code\n", [("HEADING", ["Title"]), ("CODE", ["code"])]),
        # Not inside a paragraph: an indented line goes on with it.
        ("Intro\n    goes on *here*", [("PARAGRAPH", ["Intro", "goes", "on", "here"])]),
        # In a list, four past the item's text: less goes on in the item, or nests an item.
        (
            "- item\n\n    more\n\n  - sub\n\n      still\n\n        code\n",
            [
                ("LIST_ITEM", ["item"]),
                ("PARAGRAPH", ["more"]),
                ("LIST_ITEM", ["sub"]),
                ("PARAGRAPH", ["still"]),
                ("CODE", ["code"]),
            ],
        ),
        ("1. item\n\n    more\n", [("LIST_ITEM", ["1.", "item"]), ("PARAGRAPH", ["more"])]),
        # A paragraph at the margin ends the list: four columns are code again.
        (
            "- item\n\nOut.\n\n    code\n",
            [("LIST_ITEM", ["item"]), ("PARAGRAPH", ["Out."]), ("CODE", ["code"])],
        ),
        (
            "- item\n\n> Out.\n\n    code\n",
            [("LIST_ITEM", ["item"]), ("QUOTE", ["Out."]), ("CODE", ["code"])],
        ),
    ],
)
def test_indented_lines_are_code_in_markdown(source: str, blocks: list[tuple[str, list[str]]]) -> None:
    assert _blocks(source) == blocks


def test_indented_lines_are_text_in_plain_text() -> None:
    # Plain text indents quotations, examples and first lines: no code there.
    assert _blocks("Intro.\n\n    <year> *a*\n\nAfter.", plain=True) == [
        ("PARAGRAPH", ["Intro."]),
        ("PARAGRAPH", ["<year>", "a"]),
        ("PARAGRAPH", ["After."]),
    ]


def test_a_page_header_does_not_start_indented_code() -> None:
    # A line repeated page after page is the page's furniture; the indented line after it goes
    # on with the list item the header cut, as a page break would not start code either.
    page = '1.  [<source\n    type="image/webp"\n  >Headline](u)\n\n'
    doc = parse(page * 4)
    assert BlockKind.FURNITURE in {b.kind for b in doc.blocks}
    assert BlockKind.CODE not in {b.kind for b in doc.blocks}


NOTICE = """How to apply it:

    <program>  Copyright (C) <year>  <name of author>
    This program comes with ABSOLUTELY NO WARRANTY.

    This is free software.

Contact us."""


def test_an_indented_notice_keeps_its_words_lines_and_code() -> None:
    variant = variant_from_text(NOTICE, "a.md")
    code = "<program> Copyright (C) <year> <name of author>\nThis program comes with ABSOLUTELY NO WARRANTY."
    assert normalize(variant) == f"How to apply it:\n\n{code}\n\nThis is free software.\n\nContact us."
    fenced = f"```\n{code}\n\nThis is free software.\n```"
    assert normalize(variant, "md") == f"How to apply it:\n\n{fenced}\n\nContact us."
    # Against the same notice as plain text, indented: the same words, one formatting
    # difference per paragraph of the code, and no paragraph break inside the code counted.
    pair = compare(variant, variant_from_text(NOTICE, "b.txt"))
    assert [(d.kind.value, " ".join(d.left.text.split())) for d in pair.differences] == [
        ("formatting", code.replace("\n", " ")),
        ("formatting", "This is free software."),
    ]


@pytest.mark.parametrize(
    ("source", "code", "item"),
    [
        # Indented code: four columns are the block's, the rest the code's, first line too.
        ("        deeper first\n    second\n      third", "    deeper first\nsecond\n  third", ""),
        ("\tone tab\n\t\ttwo tabs", "one tab\n\ttwo tabs", ""),
        # Fenced code: the fence's indent is the block's.
        ("```\n  x = 1\n    y = 2\n```", "  x = 1\n    y = 2", ""),
        ("  ```\n    x = 1\n  y = 2\n  ```", "  x = 1\ny = 2", ""),
        # In a list item, the item's text indent too; written inside the item.
        ("- item\n\n          deeper\n      code", "    deeper\ncode", "  "),
        ("1. Step\n\n   ```\n     x\n   y\n   ```", "  x\ny", "   "),
        ("- a\n  - b\n\n    ```\n    x\n    ```", "x", "    "),
        # A fence at the margin after an item is not in it.
        ("- item\n\n```\nx\n```", "x", ""),
    ],
)
def test_a_code_blocks_lines_keep_their_indent_beyond_the_blocks_own(
    source: str, code: str, item: str
) -> None:
    variant = variant_from_text(f"Intro.\n\n{source}\n\nAfter.\n", "a.md")
    text = normalize(variant)
    assert text.startswith("Intro.\n\n")
    assert text.endswith(f"{code}\n\nAfter.")
    fenced = "\n".join(item + line for line in f"```\n{code}\n```".split("\n"))
    markdown = normalize(variant, "md")
    assert f"\n\n{fenced}\n\nAfter." in markdown
    # The Markdown reads back as the same code.
    assert normalize(variant_from_text(markdown, "b.md"), "md") == markdown
    # A merge of the block against a re-wrapped copy keeps it so.
    head = source.split("\n\n")[0] + "\n\n" if item else ""  # the list items, on both sides
    other = variant_from_text(f"Intro.\n\n{head}{' '.join(code.split())}\n\nAfter.\n", "b.txt")
    assert fenced in merge(compare(variant, other), format="md").text
