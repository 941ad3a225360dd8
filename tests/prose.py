"""Real English prose shipped with Python, for generated variants in tests."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core import Comparison

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.;:'()\-]+$")


@cache
def paragraphs() -> tuple[str, ...]:
    """Plain prose paragraphs (no markup characters) from the documentation topics."""
    from pydoc_data.topics import topics

    found = []
    for key in sorted(topics):
        for block in re.split(r"\n\s*\n", topics[key]):
            text = " ".join(block.split())
            if len(text.split()) >= 25 and _PLAIN.match(text) and "--" not in text and "- " not in text:
                found.append(text)
    return tuple(found)


def between_paragraphs(block: str) -> str:
    """A block between two prose paragraphs, as a Markdown file has it (no final line end)."""
    first, second = paragraphs()[:2]
    return f"{first}\n\n{block}\n\n{second}"


def compared_between_paragraphs(
    left: str, right: str, names: tuple[str, str] = ("a.md", "b.md")
) -> Comparison:
    """The comparison of two variants that differ in one block between the same two paragraphs
    (read as the file `names` say: Markdown, plain text ...)."""
    from viewer.core import compare, variant_from_text

    return compare(
        variant_from_text(between_paragraphs(left), names[0]),
        variant_from_text(between_paragraphs(right), names[1]),
    )


def wrap(paragraph: str, width: int, indent_continuations: bool = False) -> str:
    """Hard-wrap one paragraph the way a PDF extraction does."""
    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = (" " if indent_continuations else "") + word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)
