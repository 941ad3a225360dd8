"""Merging two variants into one canonical text from a decision per difference."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from viewer.core.align import Cancelled
from viewer.core.cancel import polled
from viewer.core.collector import collection_paused
from viewer.core.document import (
    BACKSLASH_ESCAPE,
    BOLD,
    CLOSING_STOPS,
    CODE,
    IMAGE,
    IMAGE_MARKUP,
    ITALIC,
    MATH,
    Document,
    Link,
    block_started_at,
    escaped_at,
)
from viewer.core.furniture import splits_sentence
from viewer.core.model import BlockKind, DifferenceKind, Side, slot_setters

if TYPE_CHECKING:
    from viewer.core.classify import Change
    from viewer.core.compare import Comparison, Variant

FORMATS = ("txt", "md")


class Choice(StrEnum):
    """What the canonical text takes for one difference."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NEITHER = "neither"
    CUSTOM = "custom"

    @classmethod
    def of(cls, side: Side) -> Choice:
        return cls.LEFT if side is Side.LEFT else cls.RIGHT


@dataclass(frozen=True, slots=True)
class Decision:
    """A choice for one difference; `text` is the replacement for a custom choice."""

    choice: Choice
    text: str = ""

    def to_json(self) -> dict[str, str]:
        return (
            {"choice": self.choice.value, "text": self.text} if self.text else {"choice": self.choice.value}
        )


#: The canonical policy's per-kind defaults; "auto" means a rule described in the README.
CANONICAL_DEFAULTS: dict[DifferenceKind, str] = {
    DifferenceKind.WORDING: "auto",
    DifferenceKind.MOVED: "prefer",
    DifferenceKind.TYPOGRAPHY: "prefer",
    DifferenceKind.LINK: "marked",
    DifferenceKind.CITATION: "auto",
    DifferenceKind.FORMATTING: "marked",
    DifferenceKind.TITLE: "marked",
    DifferenceKind.BREAK: "auto",
    DifferenceKind.CAPTION: "neither",
    DifferenceKind.BYLINE: "neither",
    DifferenceKind.DATE: "neither",
    DifferenceKind.FOOTER: "neither",
    DifferenceKind.BOILERPLATE: "neither",
}

KIND_RULES = ("prefer", "marked", "auto", "left", "right", "both", "neither")


@dataclass(frozen=True, slots=True)
class MergePolicy:
    """How differences are decided when the user has not decided them.

    `canonical` applies a rule per kind (CANONICAL_DEFAULTS, overridable through
    `kind_choices`); `left` and `right` take every difference from that side.
    """

    name: str = "canonical"
    prefer: Side = Side.LEFT
    kind_choices: Mapping[DifferenceKind, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.name not in ("canonical", "left", "right"):
            raise ValueError(f"unknown policy {self.name!r}: use canonical, left or right")
        for kind, rule in self.kind_choices.items():
            if rule not in KIND_RULES:
                raise ValueError(f"unknown rule {rule!r} for {kind}: use one of {', '.join(KIND_RULES)}")

    @property
    def preferred(self) -> Side:
        """The side equal text and wording come from."""
        return {"left": Side.LEFT, "right": Side.RIGHT}.get(self.name, self.prefer)

    def rule(self, kind: DifferenceKind) -> str:
        if self.name != "canonical":
            return self.name
        return self.kind_choices.get(kind, CANONICAL_DEFAULTS[kind])

    def decide(self, change: Change) -> Decision:
        """This policy's decision for one difference."""
        rule = self.rule(change.kind)
        if rule in ("left", "right", "both", "neither"):
            return Decision(Choice(rule))
        if rule == "prefer":
            return Decision(Choice.of(self.preferred))
        marked = change.marked_side
        if rule == "marked":
            return Decision(Choice.of(marked or self.preferred))
        # auto: a break that cuts a sentence is joined, any other break is kept.
        if change.kind is DifferenceKind.BREAK and marked is not None:
            return Decision(Choice.of(marked.other if change.splits_sentence else marked))
        # A citation as printed, where the other side has the source's keys (or nothing).
        if change.kind is DifferenceKind.CITATION:
            return Decision(Choice.of(marked or self.preferred))
        # Wording from the preferred side, unless its text has a hole the other side fills.
        preferred = self.preferred
        return Decision(Choice.of(preferred.other if change.hole is preferred else preferred))


def default_decisions(
    comparison: Comparison,
    policy: MergePolicy | None = None,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> dict[str, Decision]:
    """The policy's decision for every difference, by id (`cancelled` is polled, raising Cancelled)."""
    policy = policy or MergePolicy()
    return {c.difference.id: policy.decide(c) for c in polled(comparison.changes, cancelled)}


@dataclass(frozen=True, slots=True)
class Provenance:
    """A stretch of the canonical text and where it came from (side None: both sides agree, or custom)."""

    start: int
    end: int
    side: Side | None
    difference_id: str | None


@dataclass(frozen=True, slots=True)
class CanonicalText:
    """The merged text in one format, with the provenance of every stretch."""

    text: str
    format: str
    segments: tuple[Provenance, ...]


# What the builder collects: runs of tokens from one side, or custom words.
@dataclass(slots=True)
class _Run:
    side: Side | None
    first: int
    end: int
    difference_id: str | None
    custom: list[str] | None = None


@dataclass(slots=True)
class _Paragraph:
    kind: BlockKind
    level: int
    runs: list[_Run]
    #: A list item that its source lists on the line after the item before (a tight list).
    tight: bool = False


class _Builder:
    """Collects runs into paragraphs, starting a new paragraph where a break is wanted."""

    def __init__(self, left: Document, right: Document) -> None:
        self.docs = {Side.LEFT: left, Side.RIGHT: right}
        self.paragraphs: list[_Paragraph] = []
        #: How each side's Markdown words are given their images (most documents have none).
        self.images = {side: _with_images if _has_images(doc) else _as_is for side, doc in self.docs.items()}

    def add(
        self, side: Side, first: int, end: int, difference_id: str | None, brk: bool | None = None
    ) -> None:
        """Add tokens first..end-1 of one side; `brk` forces or suppresses a break before them."""
        doc = self.docs[side]
        pos = first
        while pos < end:
            number = doc.block_of[pos]
            block = doc.blocks[number]
            stop = min(end, block.end_token)
            wanted = pos == block.first_token if (pos != first or brk is None) else brk
            if wanted or not self.paragraphs:
                tight = (
                    pos == block.first_token
                    and block.kind is BlockKind.LIST_ITEM
                    and _item_after_item(doc, number)
                )
                self.paragraphs.append(_Paragraph(block.kind, block.level, [], tight))
            elif pos == block.first_token and block.kind is BlockKind.HEADING is self.paragraphs[-1].kind:
                # A heading begun by the other side's words (its number): this side's level.
                self.paragraphs[-1].level = block.level
            runs = self.paragraphs[-1].runs
            last = runs[-1] if runs else None
            if (
                last is not None
                and last.custom is None
                and last.side is side
                and last.end == pos
                and last.difference_id == difference_id
            ):
                last.end = stop
            else:
                runs.append(_Run(side, pos, stop, difference_id))
            pos = stop

    def add_custom(self, text: str, difference_id: str, brk: bool) -> None:
        for n, para in enumerate(p for p in text.split("\n\n") if p.strip()):
            if brk or n > 0 or not self.paragraphs:
                self.paragraphs.append(_Paragraph(BlockKind.PARAGRAPH, 0, []))
            self.paragraphs[-1].runs.append(_Run(None, 0, 0, difference_id, para.split()))


@collection_paused()
def merge(
    comparison: Comparison,
    decisions: Mapping[str, Decision] | None = None,
    policy: MergePolicy | None = None,
    format: str = "txt",  # noqa: A002 - the word users type
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> CanonicalText:
    """Build the canonical text: each difference as decided, equal text from the preferred side.

    `cancelled` is polled during the work (raising align.Cancelled when it returns True).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}: use txt or md")
    policy = policy or MergePolicy()
    decisions = decisions or {}
    left, right = comparison.left.document, comparison.right.document
    prefer = policy.preferred
    builder = _Builder(left, right)

    def decided(change: Change) -> Decision:
        return decisions.get(change.difference.id) or policy.decide(change)

    in_run = [c for c in comparison.changes if c.aligned]
    unequal = [c for c in comparison.changes if not c.aligned]
    r = u = 0
    # Whether the equal text after a difference starts a paragraph, where that difference's
    # last words came from the other side: as that side has it (None: as the preferred side has).
    carried: bool | None = None
    for n, (op, i1, i2, j1, j2) in enumerate(comparison.opcodes):
        if not n & 1023 and cancelled():
            raise Cancelled
        if op != "equal":
            carried = None
            while u < len(unequal) and _within(unequal[u], i1, i2, j1, j2):
                change = unequal[u]
                carried = _add_unequal(builder, change, decided(change), prefer, (i2, j2))
                u += 1
            continue
        shift = j1 - i1
        pos = i1
        pending, carried = carried, None
        while r < len(in_run) and in_run[r].left_tokens[0] < i2:
            change = in_run[r]
            r += 1
            p = change.left_tokens[0]
            if p > pos:
                _add_equal(builder, prefer, pos, p, shift, pending)
                pending = None
            decision = decided(change)
            if change.kind is DifferenceKind.BREAK:
                pending = _break_wanted(change, decision, left, right)
                pos = p
                continue
            a, b = change.left_tokens
            if decision.choice is Choice.CUSTOM:
                builder.add_custom(decision.text, change.difference.id, bool(pending))
            elif _token_side(decision, prefer) is Side.LEFT:
                builder.add(Side.LEFT, a, b, change.difference.id, pending)
            else:
                builder.add(Side.RIGHT, a + shift, b + shift, change.difference.id, pending)
            pending = None
            pos = b
        if pos < i2:
            _add_equal(builder, prefer, pos, i2, shift, pending)
    return _render(builder, format, cancelled)


def _within(change: Change, i1: int, i2: int, j1: int, j2: int) -> bool:
    a, b = change.left_tokens
    c, d = change.right_tokens
    return i1 <= a and b <= i2 and j1 <= c and d <= j2


def _add_equal(builder: _Builder, prefer: Side, a: int, b: int, shift: int, brk: bool | None) -> None:
    if prefer is Side.LEFT:
        builder.add(Side.LEFT, a, b, None, brk=brk)
    else:
        builder.add(Side.RIGHT, a + shift, b + shift, None, brk=brk)


def _token_side(decision: Decision, prefer: Side) -> Side:
    if decision.choice is Choice.LEFT:
        return Side.LEFT
    if decision.choice is Choice.RIGHT:
        return Side.RIGHT
    return prefer


def _break_wanted(change: Change, decision: Decision, left: Document, right: Document) -> bool:
    p, q = change.left_tokens[0], change.right_tokens[0]
    has_left, has_right = _starts_block(left, p), _starts_block(right, q)
    if decision.choice is Choice.LEFT:
        return has_left
    if decision.choice is Choice.RIGHT:
        return has_right
    return decision.choice is Choice.BOTH or (decision.choice is Choice.CUSTOM and "\n\n" in decision.text)


def _add_unequal(
    builder: _Builder, change: Change, decision: Decision, prefer: Side, ends: tuple[int, int]
) -> bool | None:
    """Add a difference's text as decided, and say whether the equal text after it starts a
    paragraph (None: as the preferred side has it). Words from the other side that end the
    opcode (whose ends, left and right, are `ends`) end as that side's paragraph does; words
    that fill a hole in the preferred side go into the hole's paragraph."""
    did = change.difference.id
    sides: list[Side]
    if decision.choice is Choice.LEFT:
        sides = [Side.LEFT]
    elif decision.choice is Choice.RIGHT:
        sides = [Side.RIGHT]
    elif decision.choice is Choice.BOTH:
        sides = [Side.LEFT, Side.RIGHT]
    elif decision.choice is Choice.CUSTOM:
        text_side = change.marked_side or prefer
        first = change.tokens(text_side)[0]
        doc = builder.docs[text_side]
        brk = _starts_block(doc, first)
        builder.add_custom(decision.text, did, brk)
        return None
    else:
        sides = []
    if change.hole is prefer and sides == [prefer.other]:
        # Words that fill a hole in the preferred side go where the hole is, in its paragraph.
        doc = builder.docs[prefer]
        a, b = change.tokens(prefer)
        # At its paragraph's start, unless that paragraph break cuts a sentence (the break rule).
        starts = _starts_block(doc, a) and not (a > 0 and splits_sentence(doc.words[a - 1], doc.words[a]))
        c, e = change.tokens(sides[0])
        builder.add(sides[0], c, e, did, starts)
        return None if b == ends[prefer is Side.RIGHT] and a < b else False
    for side in sides:
        a, b = change.tokens(side)
        if a < b:
            builder.add(side, a, b, did)
    if not sides or sides[-1] is prefer:
        return None
    side = sides[-1]
    a, b = change.tokens(side)
    doc = builder.docs[side]
    if a == b or b != ends[side is Side.RIGHT] or b >= len(doc):
        return None
    return _starts_block(doc, b)


def _starts_block(doc: Document, t: int) -> bool:
    """Whether token t is the first of its block (a paragraph starts there)."""
    return block_started_at(doc, t) is not None


def _item_after_item(doc: Document, number: int) -> bool:
    """Whether list item `number` comes on the line after a list item (no blank line between)."""
    if number == 0:
        return False
    before, start = doc.blocks[number - 1], doc.blocks[number].start
    return before.kind is BlockKind.LIST_ITEM and doc.text.count("\n", before.end, start) < 2


def _render(builder: _Builder, fmt: str, cancelled: Callable[[], bool] = lambda: False) -> CanonicalText:
    out: list[str] = []
    segments: list[Provenance] = []
    pos = 0
    # Tens of thousands of segments on a long text: made as their own __init__ would make
    # them, without its cost per field (model.slot_setters).
    new = object.__new__
    set_start, set_end, set_side, set_id = _PROVENANCE
    # In Markdown, the marker widths of the list items that the next item may nest in.
    items: list[int] = []
    for n, para in enumerate(builder.paragraphs):
        if not n & 1023 and cancelled():
            raise Cancelled
        item = fmt == "md" and para.kind is BlockKind.LIST_ITEM
        if n:
            # A tight list stays tight: its items on lines of their own, no blank line between.
            gap = "\n" if item and para.tight and items else "\n\n"
            out.append(gap)
            pos += len(gap)
        lines = para.kind in _LINE_BLOCKS
        texts = _run_texts(builder, para.runs, fmt, lines)
        # In Markdown, a code block in the list item before it: indented as the item's text.
        prefix = fence = lead = nested = ""
        if fmt == "md":
            at = 0 if texts[0] else next((n for n, t in enumerate(texts) if t), -1)
            lead = texts[at] if at >= 0 else ""
            prefix = _block_prefix(para, lead)
            if para.kind is BlockKind.CODE:
                fence = _fence(texts)
                if items and para.level >= 2:  # indented as far as the item's text at least
                    nested = " " * sum(items)
                    texts = [text.replace("\n", "\n" + nested) for text in texts]
                prefix = f"{nested}{fence}\n{nested}"
            if lead[:1] in _BLOCK_STARTS or (at >= 0 and para.kind is BlockKind.HEADING):
                _guard_edges(para, texts, at, bool(prefix))
        if item:
            # Indented past the markers of the items it nests in: no deeper than one inside
            # the item before, whatever its source's depth.
            del items[max(1, para.level) - 1 :]
            number = _ITEM_NUMBER.match(lead)
            indent = " " * sum(items)
            items.append(len(prefix) if not number else number.end() + 1)
            prefix = indent + prefix
        else:
            items = []
        out.append(prefix)
        pos += len(prefix)
        first = True
        for run, text in zip(para.runs, texts, strict=True):
            if not text:
                continue
            if not first:
                gap = _gap(builder.docs[run.side], run.first) if lines and run.side is not None else " "
                if nested:
                    gap = gap.replace("\n", "\n" + nested)
                out.append(gap)
                pos += len(gap)
            first = False
            out.append(text)
            segment = new(Provenance)
            set_start(segment, pos), set_end(segment, pos + len(text)), set_id(segment, run.difference_id)
            set_side(segment, run.side if run.difference_id is not None else None)
            segments.append(segment)
            pos += len(text)
        if fence:
            out.append(f"\n{nested}{fence}")
            pos += 1 + len(nested) + len(fence)
    return CanonicalText("".join(out), fmt, tuple(segments))


#: Blocks whose text starts a line of its own or follows a quote's marker.
_TEXT_FIRST = frozenset(
    {BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.IMAGE, BlockKind.FURNITURE, BlockKind.RULE}
)
#: Blocks whose lines are kept in the merged text, as their source has them.
_LINE_BLOCKS = frozenset({BlockKind.CODE, BlockKind.TABLE})


def _gap(doc: Document, k: int) -> str:
    """What goes before token k in a block whose lines are kept: a space, or the line breaks
    before it in its source and its indent (see _indent)."""
    if k == 0:
        return " "
    text, start = doc.text, doc.starts[k]
    breaks = text.count("\n", doc.ends[k - 1], start)
    if not breaks:
        return " "
    return "\n" * breaks + _indent(doc, k)


def _indent(doc: Document, k: int) -> str:
    """The indent kept before token k, which starts a line of a block whose lines are kept:
    in code, beyond the columns its indentation counts from (the block's level: past a fence's
    indent, or four past a list item's text); in a table, beyond its first line's."""
    text, start = doc.text, doc.starts[k]
    lead = text[text.rfind("\n", 0, start) + 1 : start]
    if not lead.isspace():
        return ""
    block = doc.blocks[doc.block_of[k]]
    if block.kind is not BlockKind.CODE:
        first = doc.starts[block.first_token]
        return lead[first - (text.rfind("\n", 0, first) + 1) :]
    column = 0
    for n, char in enumerate(lead):
        if column >= block.level:
            return lead[n:]
        column += 4 - column % 4 if char == "\t" else 1
    return ""


def _joined(doc: Document, first: int, words: list[str], lines: bool) -> str:
    """Words of tokens first.. joined by spaces, or, where lines are kept, as the source breaks
    them (a code block's first line with its indent too)."""
    if not lines:
        return " ".join(words)
    parts = [words[0]] if words else []
    block = doc.blocks[doc.block_of[first]]
    if parts and block.kind is BlockKind.CODE and first == block.first_token:
        parts.insert(0, _indent(doc, first))
    for k in range(1, len(words)):
        parts += [_gap(doc, first + k), words[k]]
    return "".join(parts)


_PROVENANCE = slot_setters(Provenance)


def _run_texts(builder: _Builder, runs: list[_Run], fmt: str, lines: bool = False) -> list[str]:
    """Each run's text; in Markdown, touching runs of one side share their link and emphasis
    markup. Where `lines` are kept (code, tables), words are broken into lines as in their
    source; code is written as it is, without markup."""
    texts: list[str] = []
    k = 0
    while k < len(runs):
        run = runs[k]
        if run.custom is not None or run.side is None:
            texts.append(" ".join(run.custom or []))
            k += 1
            continue
        doc = builder.docs[run.side]
        code = lines and doc.blocks[doc.block_of[run.first]].kind is BlockKind.CODE
        if fmt != "md" or code:
            texts.append(_joined(doc, run.first, doc.words[run.first : run.end], lines))
            k += 1
            continue
        last = k
        while (
            last + 1 < len(runs)
            and runs[last + 1].custom is None
            and runs[last + 1].side is run.side
            and runs[last + 1].first == runs[last].end
        ):
            last += 1
        words = _markdown_words(doc, run.first, runs[last].end, builder.images[run.side])
        if lines:
            words = _cell_safe(doc, run.first, words)
        for r in runs[k : last + 1]:
            texts.append(_joined(doc, r.first, words[r.first - run.first : r.end - run.first], lines))
        k = last + 1
    return texts


#: An ordered list item's number, as its first word.
_ITEM_NUMBER = re.compile(r"\d{1,9}[.)](?=\s|$)")


def _cell_safe(doc: Document, first: int, words: list[str]) -> list[str]:
    """Table words (tokens first..) as Markdown: a `|` that the source wrote as an entity or
    an escape (`3c&#124;TEDs`) escaped, so that it does not end the cell."""
    text, starts, ends = doc.text, doc.starts, doc.ends
    return [
        word.replace("|", "\\|")
        if "|" in word and not _RAW_PIPE.search(text, starts[first + n], ends[first + n])
        else word
        for n, word in enumerate(words)
    ]


#: A pipe as a table writes a cell's wall: not escaped.
_RAW_PIPE = re.compile(r"(?<!\\)\|")


def _block_prefix(para: _Paragraph, text: str) -> str:
    """The Markdown before a block whose text begins with `text`."""
    if para.kind is BlockKind.HEADING:
        return "#" * max(1, para.level) + " "
    if para.kind is BlockKind.LIST_ITEM:
        # A numbered item's number is its marker (`1. First`, not `- 1. First`).
        return "" if _ITEM_NUMBER.match(text) else "- "
    if para.kind is BlockKind.QUOTE:
        return "> "
    return ""


def _fence(texts: list[str]) -> str:
    """A code block's fence: three backticks, or more than the longest run of them in its code."""
    longest = max((len(run) for text in texts for run in _BACKTICKS.findall(text)), default=0)
    return "`" * max(3, longest + 1)


_BACKTICKS = re.compile(r"`+")


def _markdown_words(doc: Document, first: int, end: int, images: _Images) -> list[str]:
    """Each token as Markdown, markup attached: live links kept, dead ones reduced to text, and
    images as `images` writes them (_with_images, or _as_is for a document with none)."""
    out: list[str] = []
    lone_stops: list[int] = []
    spans = doc.live_link_spans()
    k = bisect_right(spans, (first, end)) - 1
    i = first
    while i < end:
        # The next live link that reaches past i, if any, splits plain text from link text.
        while k + 1 < len(spans) and spans[k + 1][0] <= i:
            k += 1
        if k >= 0 and spans[k][0] <= i < spans[k][1]:
            j = min(end, spans[k][1])
            words = images(doc, i, _styled_words(doc, i, j, in_link=True))
            link = doc.links[spans[k][2]]
            if j - i == 1 and doc.words[i] == link.target:
                words = [f"<{link.target}>"]
            else:
                words[0] = _open_link(doc, i, words[0], link)
                words[-1] = _close_link(doc, j - 1, words[-1], link)
            if j < end and doc.words[j] in _LONE_STOPS and not _STYLE_BITS[doc.style_of[j]]:
                # A stop apart after a link (a bare URL's, which is no markup to close up
                # with): escaped, as Markdown would join it to the link (see
                # document.close_up_after_markup).
                lone_stops.append(j - first)
        else:
            j = min(end, spans[k + 1][0]) if k + 1 < len(spans) else end
            words = images(doc, i, _styled_words(doc, i, j))
        out.extend(words)
        i = j
    for at in lone_stops:
        out[at] = "\\" + out[at]
    return out


#: A comma or full stop that is a word of its own (see _markdown_words).
_LONE_STOPS = frozenset(CLOSING_STOPS)
_IMAGE_BITS = bytes(b & IMAGE for b in range(256))
_IMAGE_BYTE = bytes([IMAGE])
#: A bracket in an image's alt text: the image is written as its alt text alone.
_BRACKET = re.compile(r"[\[\]]")


def _has_images(doc: Document) -> bool:
    return bool(doc.style_of.tobytes().translate(_IMAGE_BITS).strip(b"\x00"))


def _as_is(_doc: Document, _first: int, words: list[str]) -> list[str]:
    return words


_Images = Callable[[Document, int, list[str]], list[str]]


def _with_images(doc: Document, first: int, words: list[str]) -> list[str]:
    """The words of tokens first.. with each image whose alt text they all hold written as its
    source writes it (`![alt](src)`); an image that a difference cuts stays alt text."""
    end = first + len(words)
    flags = doc.style_of[first:end].tobytes().translate(_IMAGE_BITS)
    starts = doc.starts
    k = first + flags.find(_IMAGE_BYTE)
    while k >= first:
        for start, stop, flag in _emphasis_near(doc, doc.ends[k]):
            if not flag & IMAGE or not start <= starts[k] < stop:
                continue
            last = bisect_left(starts, stop) - 1
            markup = IMAGE_MARKUP.match(doc.text, start, stop)
            whole = bisect_left(starts, start) == k and last < end
            if whole and markup and not _BRACKET.search(" ".join(words[k - first : last - first + 1])):
                words[k - first] = "![" + words[k - first]
                words[last - first] = _close_markup(
                    doc, stop, last, words[last - first], doc.text[markup.end(1) : stop]
                )
                k = last
            break
        k = first + flags.find(_IMAGE_BYTE, k + 1 - first)  # first - 1: none left
    return words


def _open_link(doc: Document, first: int, word: str, link: Link) -> str:
    """The link's first word with the link opened before it, or after what comes before the
    link in it (`"[a quote`, `([see`)."""
    head = doc.text[doc.starts[first] : link.start] if doc.starts[first] < link.start else ""
    if head and word.startswith(head) and len(word) > len(head):
        return f"{head}[{word[len(head) :]}"
    return "[" + word


def _close_link(doc: Document, last: int, word: str, link: Link) -> str:
    """The link's last word with the link closed after it, or before the stop that ends it
    (a stop after the link: see document.close_up_after_markup)."""
    return _close_markup(doc, link.end, last, word, f"]({link.target})")


def _close_markup(doc: Document, end: int, last: int, word: str, closer: str) -> str:
    """Token `last`'s word with `closer` where the markup that ends at source offset `end`
    ends in it: before what the token has after it (a stop), or after the word."""
    return _close_before(_source_tail(doc.text, end, doc.ends[last]), word, closer)


def _close_before(tail: str, word: str, closer: str) -> str:
    """The word with `closer` before the `tail` it ends with (a stop, letters after markup
    that ends inside it), or after it where it does not end so."""
    cut = _tail_start(word, tail)
    return f"{word[:cut]}{closer}{word[cut:]}" if cut > 0 else word + closer


def _ends_with(word: str, tail: str) -> bool:
    """Whether the word ends with `tail` and has more before it."""
    return _tail_start(word, tail) > 0


def _source_tail(text: str, start: int, end: int) -> str:
    """The source's characters from `start` to `end` as a word shows them: no white space,
    no backslash that escapes the character after it."""
    return BACKSLASH_ESCAPE.sub(r"\1", "".join(text[start:end].split()))


def _tail_start(word: str, tail: str) -> int:
    """Where the word ends with `tail`, as written in Markdown (a character of it perhaps
    escaped, see _escaped); -1 where it does not."""
    if not tail or "\\" not in word:
        return len(word) - len(tail) if tail and word.endswith(tail) else -1
    at = len(word)
    for character in reversed(tail):
        if at == 0 or word[at - 1] != character:
            return -1
        at -= 1
        if escaped_at(word, at):
            at -= 1  # the backslash that escapes it goes with it
    return at


_STYLE_BITS = bytes(b & (BOLD | ITALIC | CODE | MATH) for b in range(256))


#: Characters of a word of text that Markdown would read as markup: backslashes, backticks
#: and stars anywhere; an underscore but between letters or digits; `<` before what opens a tag
#: or an autolink; `&` before what ends an entity; a `$` that could close math (not first, no
#: digit after).
_MARKUP_CHARACTERS = r"[\\`*]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=#?\w+;)|(?<=.)\$(?!\d)"
#: Those and, in text, a `]` before `(` (a link: the output defines no references), so that
#: bracketed text (`[1,15]`, `[We must]`) stays as it is; in a link's text, any bracket.
_TO_ESCAPE = {
    False: (re.compile(r"[\\`*_\]<&$]"), re.compile(_MARKUP_CHARACTERS + r"|\](?=\()")),
    True: (re.compile(r"[\\`*_\[\]<&$]"), re.compile(_MARKUP_CHARACTERS + r"|[\[\]]")),
}


def _escaped(word: str, in_link: bool = False) -> str:
    """A word of text as Markdown that reads back as the same text (in a link's text: `in_link`)."""
    special, markup = _TO_ESCAPE[in_link]
    return markup.sub(r"\\\g<0>", word) if special.search(word) else word


def _plain_words(doc: Document, first: int, end: int, in_link: bool) -> list[str]:
    """Tokens first..end-1, with no style, as Markdown. Most have nothing to escape: one search
    of their source finds whether any may have (a character to escape in a word stands in its
    source, or an entity or escape that gives it, whose `&` or `\\` is there)."""
    words = doc.words[first:end]
    if not words or not _TO_ESCAPE[in_link][0].search(doc.text, doc.starts[first], doc.ends[end - 1]):
        return words
    return [_escaped(word, in_link) for word in words]


#: What begins a block that Markdown would read as a block's markup: a heading's, a quote's, a
#: bullet's, a rule's or a fence's marks, a reference's definition (`[1]: …`), or an ordered
#: item's number (`2024. A year`).
_BLOCK_MARKUP = re.compile(
    r"[#>]|[-+=](?=[ \t]|$)|([-_=])(?:[ \t]*\1){2,}[ \t]*$|~~~|\[[^\]]*\]:|\d{1,9}(?=[.)](?:[ \t]|$))"
)


#: What Markdown reads as a heading's closing sequence at the end of its text.
_HEADING_CLOSE = re.compile(r"(?:^|(?<=[ \t]))#+[ \t]*$")
#: Dashes alone, which a bullet's `- ` before them would make a rule.
_DASHES = re.compile(r"-(?:[ \t]*-)+[ \t]*$")
#: The characters that block markup can begin with (see _BLOCK_MARKUP).
_BLOCK_STARTS = frozenset("#>-+=_~[0123456789")


def _guard_edges(para: _Paragraph, texts: list[str], at: int, marked: bool) -> None:
    """Escape what Markdown would read as block markup in a block's text (`texts`, the first
    non-empty at `at`; `marked`: written after a marker): the opening of a paragraph's, a
    quote's or a bullet's text, and the closing hashes of a heading's. Custom text is the
    user's own Markdown, written as typed."""
    bullet = para.kind is BlockKind.LIST_ITEM and marked
    text_first = para.kind in _TEXT_FIRST or bullet
    if text_first and texts[at][:1] in _BLOCK_STARTS and para.runs[at].side is not None:
        texts[at] = _safe_start(texts[at], " ".join(filter(None, texts[at:])), bullet)
    if para.kind is BlockKind.HEADING:
        last = max(n for n, text in enumerate(texts) if text)
        if para.runs[last].side is not None:
            texts[last] = _HEADING_CLOSE.sub(r"\\\g<0>", texts[last], count=1)


def _safe_start(text: str, whole: str, bullet: bool = False) -> str:
    """The first run's `text` of a block whose text is `whole`, with what would read as block
    markup at the block's start escaped (after a bullet's `- `, two dashes make a rule too)."""
    m = _BLOCK_MARKUP.match(whole)
    if m is None:
        return "\\" + text if bullet and _DASHES.match(whole) else text
    if m.group()[:1].isdigit():
        return f"{text[: m.end()]}\\{text[m.end() :]}"
    return "\\" + text


def _styled_words(doc: Document, first: int, end: int, in_link: bool = False) -> list[str]:
    """Tokens first..end-1 as Markdown: emphasis, code and math marked as the source marks them,
    text escaped where Markdown would read it as markup (brackets too `in_link`)."""
    styles = doc.style_of[first:end].tobytes().translate(_STYLE_BITS)
    if not styles.strip(b"\x00"):
        return _plain_words(doc, first, end, in_link)
    special = _TO_ESCAPE[in_link][0].search
    words: list[str] = []
    current = 0
    for word, style in zip(doc.words[first:end], styles, strict=True):
        if style & MATH:
            # Math as written: its markup is its meaning (`$k \times W$`, `$h\_i$`).
            word = _as_written(doc, first + len(words))
            style &= ~MATH
        elif not style & CODE and special(word):
            word = _escaped(word, in_link)
        if style != current:
            if words:
                words[-1] = _closed(doc, first + len(words) - 1, words[-1], _close_style(current))
            word = _open_style(style) + word
            current = style
        words.append(word)
    if words:
        words[-1] = _closed(doc, end - 1, words[-1], _close_style(current))
    return words


def _emphasis_near(doc: Document, end: int) -> list[tuple[int, int, int]]:
    """The emphasis spans (math, code, images too) that may reach into a word ending at `end`.
    Such a span starts before the word's end, and few others (code, italics inside bold)
    start between the two: the last few by start are looked at."""
    k = bisect_left(doc.emphasis, (end,))
    return doc.emphasis[max(0, k - 8) : k]


def _as_written(doc: Document, k: int) -> str:
    """Token k, which has math in it, as the source writes it: from the token or the math,
    whichever starts first, to whichever ends last, within the characters between spaces
    (`$k$,` and `($k$,`; `$k` and `W$` of `$k \times W$`; `**$x$**` keeps the `**` out)."""
    text = doc.text
    start, end = doc.starts[k], doc.ends[k]
    run_start, run_end = start, end
    while run_start > 0 and not text[run_start - 1].isspace():
        run_start -= 1
    while run_end < len(text) and not text[run_end].isspace():
        run_end += 1
    for math_start, math_end, flag in _emphasis_near(doc, run_end):
        if flag & MATH and math_start < run_end and math_end > run_start:
            start, end = min(start, math_start), max(end, math_end)
    return text[max(run_start, start) : min(run_end, end)]


def _closed(doc: Document, last: int, word: str, closer: str) -> str:
    """The word with bold or italic text closed after it, or where the emphasis ends inside it:
    before the stop that ends it (see document.close_up_after_markup), or the letters after it."""
    start, stop = doc.starts[last], doc.ends[last]
    inside = [e for _, e, flag in _emphasis_near(doc, stop) if flag & (BOLD | ITALIC) and start < e < stop]
    if inside and closer.strip("`"):
        text = doc.text
        tail = _source_tail(text, max(inside), stop)
        if not _ends_with(word, tail) and text[stop - 2].isspace():
            # Other markup (a link's) between the emphasis and the stop closed up after both.
            tail = text[stop - 1]
        return _close_before(tail, word, closer)
    return word + closer


def _open_style(style: int) -> str:
    return ("**" if style & BOLD else "") + ("*" if style & ITALIC else "") + ("`" if style & CODE else "")


def _close_style(style: int) -> str:
    return ("`" if style & CODE else "") + ("*" if style & ITALIC else "") + ("**" if style & BOLD else "")


def normalize(variant: Variant, format: str = "txt") -> str:  # noqa: A002
    """One variant's text reflowed: a paragraph per block, one blank line between blocks."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}: use txt or md")
    doc = variant.document
    builder = _Builder(doc, doc)
    builder.add(Side.LEFT, 0, len(doc), None)
    return _render(builder, format).text
