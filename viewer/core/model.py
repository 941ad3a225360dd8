"""Immutable records shared by the engine and everything built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Side(StrEnum):
    """One of the two variants being compared."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class DifferenceKind(StrEnum):
    """What a difference is, as a reader would name it."""

    WORDING = "wording"
    LINK = "link"
    CITATION = "citation"
    CAPTION = "caption"
    BREAK = "break"
    TITLE = "title"
    BYLINE = "byline"
    DATE = "date"
    FOOTER = "footer"
    BOILERPLATE = "boilerplate"
    FORMATTING = "formatting"
    TYPOGRAPHY = "typography"
    MOVED = "moved"

    @property
    def description(self) -> str:
        return KIND_DESCRIPTIONS[self]


KIND_DESCRIPTIONS: dict[DifferenceKind, str] = {
    DifferenceKind.WORDING: "the visible words differ",
    DifferenceKind.LINK: "same words, link markup or target differs",
    DifferenceKind.CITATION: "same words, citation key on one side, printed number on the other",
    DifferenceKind.CAPTION: "photo caption or credit on one side only",
    DifferenceKind.BREAK: "same words, paragraph break on one side only",
    DifferenceKind.TITLE: "document title on one side only, or a different one on each side",
    DifferenceKind.BYLINE: "author line on one side only",
    DifferenceKind.DATE: "dateline on one side only",
    DifferenceKind.FOOTER: "footer (source URL, copyright) on one side only",
    DifferenceKind.BOILERPLATE: "page furniture (headers, page numbers, site text)",
    DifferenceKind.FORMATTING: "emphasis, heading or math markup only",
    DifferenceKind.TYPOGRAPHY: "quotes, dashes, spaces or ligatures only",
    DifferenceKind.MOVED: "a passage that stands elsewhere on the other side",
}


class BlockKind(StrEnum):
    """The structural role of a block of text."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    IMAGE = "image"
    CODE = "code"
    TABLE = "table"
    RULE = "rule"
    FURNITURE = "furniture"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of a variant's decoded text, with the text it covers.

    An empty span (``start == end``) marks where the other side's text would go.
    """

    start: int
    end: int
    text: str

    @property
    def is_empty(self) -> bool:
        return self.start == self.end

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Difference:
    """One thing that differs between the variants, located on both sides."""

    id: str
    kind: DifferenceKind
    left: Span
    right: Span

    def span(self, side: Side) -> Span:
        return self.left if side is Side.LEFT else self.right

    @property
    def one_sided(self) -> Side | None:
        """The side that has text when the other has none, else None."""
        if self.left.is_empty and not self.right.is_empty:
            return Side.RIGHT
        if self.right.is_empty and not self.left.is_empty:
            return Side.LEFT
        return None

    @property
    def fingerprint(self) -> tuple[str, str, str]:
        """What identifies this difference by content, independent of its id and offsets."""
        return (self.kind.value, self.left.text, self.right.text)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "left": self.left.to_json(),
            "right": self.right.to_json(),
        }


def slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of a frozen slots dataclass's fields, in order, for making many at once.

    A frozen dataclass's own __init__ goes through object.__setattr__ for every field, the
    documented way past its frozen __setattr__; setting the slots directly does the same
    several times faster. Use it on an instance fresh from object.__new__, setting every field.
    """
    return tuple(getattr(cls, f.name).__set__ for f in fields(cls))
