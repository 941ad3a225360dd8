"""Parsing a variant's text into blocks and visible word tokens with exact source spans.

Markup is removed by *masking*: block markers are overwritten with spaces and inline
markup with NUL characters in a copy of the text of the same length, so every offset
in the masked copy is an offset in the source. Words are then the runs of
non-whitespace of the masked copy; NULs inside a run are dropped from its visible text.
"""

from __future__ import annotations

import html
import operator
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, compress, pairwise, repeat
from typing import Any, NamedTuple, overload

import numpy as np
import numpy.typing as npt

from viewer.core import latex
from viewer.core.align import Cancelled
from viewer.core.cancel import check, polled
from viewer.core.model import BlockKind

HIDDEN = "\x00"
# The rest of a character reference after its visible character: part of the word's span.
TRAILING = "\x01"

BOLD = 1
ITALIC = 2
CODE = 4
IMAGE = 8
HEADING_STYLE = 16
MATH = 32

_LINE = re.compile(r"[^\n]*(?:\n|$)")
_BLANK = re.compile(r"[ \t\v\u00a0]*\n?$")
_ATX = re.compile(r"( {0,3})(#{1,6})(?=[ \t]|\n|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-{2,})[ \t]*\n?$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\n?$")
_BULLET = re.compile(r"([ \t]*)([-*+•])[ \t]+(?=\S)")
_ORDERED = re.compile(r"[ \t]*(\d{1,3})[.)][ \t]+(?=\S)")
_QUOTE = re.compile(r"( {0,3}>[ \t]?)+")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_INDENTED_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_IMAGE_LINE = re.compile(r"[ \t]*!\[[^\]\n]*\]\([^)\n]*\)[ \t]*\n?$")

#: Quotation marks and brackets that open: what may stand before a link or math in its first
#: word (`"[a quote](u)"`, `„$x$“`, `($k$,`).
_OPENING = "\"'“‘«„([{"
_OPENING_MARKS = re.compile(f"[{re.escape(_OPENING)}]+")
#: A backslash escape: the backslash and the ASCII punctuation character it makes text.
BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Within one paragraph: an unclosed backtick must not make the search run to the end of the text.
_CODE_SPAN = re.compile(r"(`+)(?!`)((?:[^\n]|\n(?![ \t]*\n))+?)(?<!`)\1(?!`)")
# Where the matches of patterns that begin with a choice can begin (see _matches_from).
_CODE_SPAN_STARTS = (re.compile("`"),)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+)>")
_LINK_TEXT = r"\[((?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]*\])*)\]"
_LINK_DEST = r"\([ \t]*(<[^>\n]*>|[^)\s]*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
IMAGE_MARKUP = re.compile("!" + _LINK_TEXT + _LINK_DEST)
_LINK = re.compile(_LINK_TEXT + _LINK_DEST)
# An HTML tag as CommonMark reads one: a name, then attributes (a name, and a value unquoted or
# in quotes), with spaces and at most one line break between them. `<year>` is a tag, `<one
# line to give the program's name>` is not (an attribute's name has no apostrophe).
_TAG_SPACE = r"(?>[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"
# A value: unquoted, or in quotes on one line (a search from each `<` goes no further).
_TAG_VALUE = r"""(?:[^\s"'=<>`]+|'[^'\n]*'|"[^"\n]*")"""
_TAG_ATTRIBUTE = rf"{_TAG_SPACE}[A-Za-z_:][A-Za-z0-9_.:-]*(?:{_TAG_SPACE}?={_TAG_SPACE}?{_TAG_VALUE})?"
_TAG_ATTRIBUTES = rf"(?:{_TAG_ATTRIBUTE})*{_TAG_SPACE}?/?>"
_HTML_TAG = re.compile(rf"<[A-Za-z][A-Za-z0-9-]*{_TAG_ATTRIBUTES}|</[A-Za-z][A-Za-z0-9-]*{_TAG_SPACE}?>")
#: The elements of HTML, for plain text: there, only these make a tag. A licence's `<year>`,
#: `<name of author>` and a manual's `<file>` are text.
_HTML_ELEMENTS = """
    a abbr acronym address area article aside audio b base bdi bdo big blockquote body br
    button canvas caption center cite code col colgroup data datalist dd del details dfn dialog
    div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header
    hgroup hr html i iframe img input ins kbd label legend li link main map mark menu meta meter
    nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s
    samp script section select small source span strike strong style sub summary sup svg table
    tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr"""
_ELEMENT_NAMES = "|".join(sorted(set(_HTML_ELEMENTS.split()), key=lambda name: (-len(name), name)))
_PLAIN_HTML_TAG = re.compile(
    rf"<(?i:{_ELEMENT_NAMES})(?![A-Za-z0-9-]){_TAG_ATTRIBUTES}|</(?i:{_ELEMENT_NAMES}){_TAG_SPACE}?>"
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1)[^\n]|\n(?![ \t]*\n))+?)(?<=\S)\1")
_STRONG_STARTS = (re.compile(r"\*(?=\*)"), re.compile("_(?=_)"))
_STRONG_STARS = re.compile(r"\*\*(?=\S)((?:(?!\*\*)[^\n]|\n(?![ \t]*\n))+?)(?<=\S)\*\*")
# The marker first, then a look back at what stands before it: the search can skip to markers.
_EMPH_STAR = re.compile(r"\*(?<![*\w]\*)(?=[^\s*])((?:[^*\n]|\n(?![ \t]*\n))+?)(?<=[^\s*])\*(?![*\w])")
_EMPH_UNDER = re.compile(r"_(?<![_\w]_)(?=[^\s_])((?:[^_\n]|\n(?![ \t]*\n))+?)(?<=[^\s_])_(?![_\w])")
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\x00\x01\"]+")
_BARE_URL_STARTS = (re.compile("https?://"), re.compile(r"www\."))
_URL_TRAIL = ".,;:!?)]}'\"*_"
_DIGITS = re.compile(r"\d+")
_FORM_FEED = re.compile("\f")
# A short line with a number in it (matched line by line).
_NUMBERED_LINE = re.compile(r"[^\d]{0,60}\d.{0,40}$")
# How a plain line starts: with nothing block markup can start with. A letter, a quote, an
# opening bracket, or a number that is not an ordered list's ("1. ", "12) ").
_PLAIN_START_PATTERN = r"(?:[^\W\d_]|[\"'“‘«(\[]|\d(?!\d{0,2}[.)][ \t]+\S))"
_PLAIN_START = re.compile(_PLAIN_START_PATTERN)
# Plain lines (no form feed in them) in paragraphs that single empty lines separate.
_PLAIN_LINE = _PLAIN_START_PATTERN + r"[^\n\f]*(?:\n|\Z)"
_PLAIN_PARAGRAPHS = re.compile(f"(?:{_PLAIN_LINE})+(?:\n(?:{_PLAIN_LINE})+)*")
#: How far one search for plain paragraphs goes (one regex call keeps the interpreter lock).
_PLAIN_REACH = 1 << 16
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t\f]*(?:[-–—][ \t]*)?(?:page[ \t]+)?\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?(?:[ \t]*[-–—])?[ \t]*$",
    re.M | re.I,
)
# A hyphen, soft hyphen or U+2010 after a letter, at a line end, and the indent after it.
# One pattern per hyphen, each starting with its hyphen and the line end: a search for a
# fixed start skips through the text many times faster than one for a choice of characters.
_HYPHEN_BREAKS = tuple(
    re.compile(f"{hyphen}\n(?<=\\w{hyphen}\n)[ \t]*(?=\\S)") for hyphen in ("-", "\u2010", "\u00ad")
)
# A word with a slash or "www." at a line end, the line break and the indent after it (a
# pattern for each, for the same reason).
_URL_BREAK_CANDIDATES = tuple(re.compile(start + r"\S*(\n[ \t]*)(?=\S)") for start in ("/", r"www\."))
# What makes such a word look like a URL.
_DOMAIN_PATH = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/")
_URL_START = re.compile(r"https?://|www\.|" + _DOMAIN_PATH.pattern)
_URL_TAIL = re.compile(r"[\w\-./?=&#%~+:]+$")
_WORD_PUNCT = ".,;:!?\"'()[]{}“”‘’"
_SPACE = re.compile(r"\s")
_ESCAPED_BASE = 0xF0000
_UNESCAPE = {_ESCAPED_BASE + c: chr(c) for c in range(0x21, 0x7F)}
#: Literal text (code) as escapes leave it: each ASCII punctuation character in the private-use
#: plane, where no markup pattern sees it, until tokenizing.
_LITERAL = {c: _ESCAPED_BASE + c for c in range(0x21, 0x7F) if not chr(c).isalnum()}

# Offsets and token indices (32 bits: a text or a token count stays below 2**31).
IntArray = npt.NDArray[np.integer[Any]]


class Block(NamedTuple):
    """A paragraph, heading, list item ... : a run of tokens separated from its neighbours.

    A named tuple: a long document has tens of thousands of them, made in one go.
    """

    kind: BlockKind
    start: int
    end: int
    first_token: int
    end_token: int
    level: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """Link markup in the source: its whole markup span and its target."""

    start: int
    end: int
    target: str

    @property
    def is_dead(self) -> bool:
        return self.target.strip() in ("", "#")


class Words(Sequence[str]):
    """Each token's word, looked up in the distinct words when asked for.

    A long document repeats its words many times: a list of one reference per token would
    take megabytes and time to build, and a comparison reads few of them. Merging reads them
    all, a slice at a time: once slices have read a quarter of the words, the list is made
    once and kept.
    """

    __slots__ = ("_ids", "_list", "_lookup", "_read", "_vocabulary")

    def __init__(self, vocabulary: list[str], ids: array[int]) -> None:
        self._vocabulary = vocabulary
        self._lookup = vocabulary.__getitem__
        self._ids = ids
        self._list: list[str] | None = None
        self._read = 0

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if type(index) is not slice:
            return self._vocabulary[self._ids[index]]
        listed = self._list
        if listed is None:
            ids = self._ids[index]
            self._read += len(ids)
            if self._read * _LIST_AFTER < len(self._ids):
                return list(map(self._lookup, ids))
            # Made twice at worst when two threads get here at once: the same list either way.
            listed = self._list = list(map(self._lookup, self._ids))
        return listed[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._list) if self._list is not None else map(self._lookup, self._ids)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Words | list | tuple):
            return len(self) == len(other) and all(map(operator.eq, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Words({list(self)!r})"


#: A document's words are listed once slices have read 1 / _LIST_AFTER of them.
_LIST_AFTER = 4


@dataclass(slots=True)
class Document:
    """A variant's text cut into blocks and tokens; tokens are parallel arrays of offsets."""

    text: str
    starts: array[int] = field(default_factory=lambda: array("i"))
    ends: array[int] = field(default_factory=lambda: array("i"))
    block_of: array[int] = field(default_factory=lambda: array("i"))
    link_of: array[int] = field(default_factory=lambda: array("i"))
    style_of: array[int] = field(default_factory=lambda: array("B"))
    words: list[str] | Words = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    emphasis: list[tuple[int, int, int]] = field(default_factory=list)
    #: The distinct words (and maybe some no word uses any more) and, per token, its index in them.
    _vocabulary: list[str] | None = None
    _word_ids: array[int] | None = None
    _block_counts: dict[str, int] | None = None
    _live_spans: list[tuple[int, int, int]] | None = None

    def live_link_spans(self) -> list[tuple[int, int, int]]:
        """Token ranges (first, end) of links with a live target, and the link's index, in
        order. A link that starts inside a token after opening quotes or brackets
        (`"[a quote](u)"`, `([see](u))`) takes it."""
        if self._live_spans is None:
            spans = []
            starts, ends, link_of = self.starts, self.ends, self.link_of
            for index, link in enumerate(self.links):
                if link.is_dead:
                    continue
                first, end = bisect_left(starts, link.start), bisect_left(starts, link.end)
                if (
                    first
                    and ends[first - 1] > link.start
                    and (first == end or link_of[first] == index)
                    and _OPENING_MARKS.fullmatch(self.text, starts[first - 1], link.start)
                ):
                    first -= 1  # the token the link starts in, after an opening quote or bracket
                elif first >= end or link_of[first] != index:
                    continue
                spans.append((first, end, index))
            self._live_spans = spans
        return self._live_spans

    def block_text_counts(self) -> dict[str, int]:
        """How often each short block's visible text occurs (for running headers)."""
        if self._block_counts is None:
            counts: dict[str, int] = {}
            for block in self.blocks:
                if block.end_token - block.first_token <= 12:
                    text = " ".join(self.words[block.first_token : block.end_token])
                    counts[text] = counts.get(text, 0) + 1
            self._block_counts = counts
        return self._block_counts

    def __len__(self) -> int:
        return len(self.starts)

    @classmethod
    def from_arrays(
        cls,
        text: str,
        arrays: dict[str, array[int]],
        vocabulary: list[str],
        blocks: list[Block],
        links: list[Link],
        emphasis: list[tuple[int, int, int]],
    ) -> Document:
        """A document from its per-token arrays (`word_ids` among them) and its vocabulary.

        The per-token words are looked up in the vocabulary when read (`Words`).
        """
        word_ids = arrays["word_ids"]
        words = Words(vocabulary, word_ids)
        doc = cls(
            text,
            arrays["starts"],
            arrays["ends"],
            arrays["block_of"],
            arrays["link_of"],
            arrays["style_of"],
            words,
            blocks,
            links,
            emphasis,
        )
        doc._vocabulary, doc._word_ids = vocabulary, word_ids
        return doc

    def vocabulary(self) -> tuple[list[str], array[int]]:
        """Distinct words and, for each token, the index of its word: words[i] == vocabulary[ids[i]]."""
        if self._vocabulary is None or self._word_ids is None:
            ids = _WordIds()
            self._word_ids = array("i", map(ids.__getitem__, self.words))
            self._vocabulary = ids.words
        return self._vocabulary, self._word_ids

    def link(self, i: int) -> Link | None:
        k = self.link_of[i]
        return self.links[k] if k >= 0 else None

    def token_span(self, first: int, end: int) -> tuple[int, int]:
        """Source range covering tokens first..end-1, including markup wrapped around them."""
        if first >= end:
            return (0, 0)
        start, stop = self.starts[first], self.ends[end - 1]
        for k in {self.link_of[first], self.link_of[end - 1]}:
            if k >= 0:
                link = self.links[k]
                start, stop = min(start, link.start), max(stop, link.end)
        return start, stop


class _WordIds(dict[str, int]):
    """Word to index in `words`; a word seen for the first time is added to them."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        self[word] = index = len(self.words)
        self.words.append(word)
        return index


def parse(text: str, cancelled: Callable[[], bool] = lambda: False, *, plain: bool = False) -> Document:
    """Cut text into blocks and visible tokens; `cancelled` is polled (raising Cancelled).

    A `plain` text (not a Markdown file) is also cut into blocks where an extraction ran two
    of them together, and at its line ends when it puts a paragraph on each line (see
    `_plain_cuts`)."""
    chars = Masker(text)
    blocks = _tables(text, _scan_blocks(text, chars, cancelled, plain=plain))
    check(cancelled)
    code = [(start, end) for kind, start, end, _ in blocks if kind is BlockKind.CODE]
    links, emphasis = _scan_inline(chars, cancelled, code, plain=plain)
    check(cancelled)
    return tokenize(text, chars, blocks, links, emphasis, cancelled, plain=plain)


#: A pipe table's delimiter row: `| --- | :-: |`, `---|---`.
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*(?=\n|$)")


def _tables(text: str, blocks: list[ScannedBlock]) -> list[ScannedBlock]:
    """The blocks, with each paragraph that is a pipe table (a row of cells, then a delimiter
    row) made a table."""
    out = []
    for block in blocks:
        kind, start, end, level = block
        second = text.find("\n", start, end) + 1 if kind is BlockKind.PARAGRAPH else 0
        if second and "|" in text[start:second]:
            delimiter = _TABLE_DELIMITER.match(text, second, end)
            if delimiter and "|" in delimiter.group():
                block = (BlockKind.TABLE, start, end, level)
        out.append(block)
    return out


def _matches_from(
    pattern: re.Pattern[str],
    text: str,
    starts: Sequence[re.Pattern[str]],
    cancelled: Callable[[], bool] = lambda: False,
    *,
    unescaped: bool = False,
    accept: Callable[[re.Match[str]], bool] | None = None,
) -> Iterator[re.Match[str]]:
    """The matches pattern.finditer(text) gives, trying only where one of `starts` matches
    (and, with `unescaped`, where no backslash escapes the first character); a match that
    `accept` refuses is passed over as if the pattern had not matched there.

    For patterns whose search cannot skip ahead to a fixed string (they begin with a choice),
    when every match begins where one of the `starts` patterns (fixed strings, quick to search
    for) matches. None of them may match an empty string.
    """
    places = sorted({m.start() for start in starts for m in start.finditer(text)})
    if unescaped:
        places = [place for place in places if not escaped_at(text, place)]
    end = 0
    for place in polled(places, cancelled):
        if place >= end and (m := pattern.match(text, place)) and (accept is None or accept(m)):
            end = m.end()
            yield m


def block_started_at(doc: Document, t: int) -> Block | None:
    """The block that token t is the first of, or None (t inside a block, or past the end)."""
    if t >= len(doc):
        return None
    block = doc.blocks[doc.block_of[t]]
    return block if block.first_token == t else None


def escaped_at(text: str, place: int) -> bool:
    """Whether the character at `place` is escaped: an odd number of backslashes before it."""
    before = place
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (place - before) % 2 == 1


class Masker:
    """A same-length copy of the text in which markup can be hidden."""

    __slots__ = ("pieces", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces: list[tuple[int, int, str]] = []

    def hide(self, start: int, end: int, fill: str = HIDDEN) -> None:
        if end > start:
            self.pieces.append((start, end, fill * (end - start)))

    def replace(self, start: int, end: int, visible: str) -> None:
        """Show `visible` instead of text[start:end] (never longer than the original)."""
        self.pieces.append((start, end, visible + TRAILING * (end - start - len(visible))))

    def result(self, cancelled: Callable[[], bool] = lambda: False) -> str:
        if not self.pieces:
            return self.text
        self.pieces.sort()
        out: list[str] = []
        pos = 0
        for start, end, fill in polled(self.pieces, cancelled, 8192):
            if start < pos:
                start = pos
                fill = fill[len(fill) - (end - start) :] if end > start else ""
            out.append(self.text[pos:start])
            out.append(fill)
            pos = max(pos, end)
        out.append(self.text[pos:])
        return "".join(out)

    def apply(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Fold the pieces into the text so later scans see the markup already hidden."""
        self.text = self.result(cancelled)
        self.pieces = []

    def settle(self, cancelled: Callable[[], bool]) -> str:
        """Apply the pieces, stop if cancelled, and give the text the next scan reads."""
        self.apply(cancelled)
        check(cancelled)
        return self.text


@dataclass(slots=True)
class OpenBlock:
    kind: BlockKind
    start: int
    end: int
    level: int = 0

    def closed(self) -> ScannedBlock:
        return (self.kind, self.start, self.end, self.level)


#: A block as the line scan closes it: kind, source start and end, a heading's level, a list
#: item's depth (1 at the outside) or where a code block's indentation counts from (columns).
ScannedBlock = tuple[BlockKind, int, int, int]


def furniture_lines(text: str, cancelled: Callable[[], bool] = lambda: False) -> set[int]:
    """Start offsets of lines that are page furniture: running headers, page numbers.

    With pages (form feeds), a running header or footer is a short line among the first or
    last three of a page whose text, numbers aside, recurs so on three pages or more and on
    at least three pages in ten; a line
    that is only a page number counts next to a form feed. Without pages, a short line with
    a number in it (`Journal — page 12`) that recurs three times or more, unless it is a
    Markdown heading (`# Chapter 3`).
    """
    if text.count("\n") < 6:
        return set()
    found: set[int] = set()
    if text.count("\f") >= 2:
        candidates: list[tuple[int, str]] = []
        feeds = [m.start() for m in _FORM_FEED.finditer(text)]
        for page, (start, end) in enumerate(zip([-1, *feeds], [*feeds, len(text)], strict=True)):
            if not page & 255 and cancelled():
                raise Cancelled
            edge = _edge_lines(text, start + 1, end)
            candidates.extend((offset, _furniture_key(line)) for offset, line in edge.items())
        counts = Counter(key for _, key in candidates)
        # Running heads stand on a good share of the pages (odd and even pages may differ).
        least = max(3, (len(feeds) + 1) * 3 // 10)
        repeated = {key for key, n in counts.items() if n >= least and _wordy(key)}
        found.update(start for start, key in candidates if key in repeated)
        found.update(_page_number_lines(text, feeds))
    else:
        numbered: dict[str, list[int]] = {}
        lines = text.split("\n")
        lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
        offsets = np.cumsum(lengths + 1) - (lengths + 1)
        # Only a line of 1 to 101 characters can hold a number and be short enough.
        short = np.flatnonzero((lengths > 0) & (lengths <= 101)).tolist()
        for number, offset in polled(zip(short, offsets[short].tolist(), strict=True), cancelled, 4096):
            line = lines[number]
            # A Markdown heading ("# Chapter 3") is the text's own structure, not a running head.
            if _NUMBERED_LINE.match(line) and not _ATX.match(line):
                numbered.setdefault(_furniture_key(line), []).append(offset)
        del lines
        for key, starts in numbered.items():
            if len(starts) >= 3 and _wordy(key):
                found.update(starts)
    return found


def _page_number_lines(text: str, feeds: list[int]) -> set[int]:
    """Start offsets of lines that are only a page number, within three characters of a form
    feed (at `feeds`) or ending the text; only the whole lines there are looked at."""
    found: set[int] = set()
    content_end = len(text.rstrip())
    for around in [*feeds, content_end]:
        window_start = text.rfind("\n", 0, max(0, around - 8)) + 1
        window_end = text.find("\n", around + 8)
        window_end = len(text) if window_end < 0 else window_end
        for m in _PAGE_NUMBER_LINE.finditer(text, window_start, window_end):
            near = text[max(0, m.start() - 3) : m.end() + 3]
            if "\f" in near or m.end() >= content_end:
                found.add(m.start())
    return found


def _edge_lines(text: str, start: int, end: int, count: int = 3) -> dict[int, str]:
    """The first and the last `count` short lines that are not blank in text[start:end], by offset."""
    edge: dict[int, str] = {}
    pos, found = start, 0
    while pos <= end and found < count:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        line = text[pos:stop]
        if len(line) <= 100 and line.strip():
            edge[pos] = line
            found += 1
        pos = stop + 1
    stop, found = end, 0
    while stop >= start and found < count:
        begin = text.rfind("\n", start, stop) + 1 or start
        line = text[begin:stop]
        if len(line) <= 100 and line.strip():
            edge[begin] = line
            found += 1
        stop = begin - 1
    return edge


def _wordy(key: str) -> bool:
    """Mostly letters: a heading or a title, not a table row of numbers."""
    return not key.startswith("|") and sum(c.isalpha() for c in key) * 2 >= len(key)


def _furniture_key(line: str) -> str:
    """A line's text with numbers blanked and spacing dropped, to recognise it page after page."""
    return "".join(_DIGITS.sub("#", line).split())


def item_depth(indents: list[int], indent: int, after_item: bool) -> int:
    """A list item's depth (1 at the outside) from its marker's indent. `indents` holds the
    marker indents of the items around the item before, if `after_item`, and is updated: an
    item is nested under the item before when indented past it, and back at an outer item's
    depth when indented as that one was."""
    if not after_item:
        indents[:] = [indent]
        return 1
    while indents and indents[-1] > indent:
        indents.pop()
    if not indents or indent >= indents[-1] + 2:
        indents.append(indent)
    return len(indents)


def indent_columns(line: str) -> int:
    """How far a line's text is indented, in columns (a tab to the next multiple of four)."""
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def _indented_code(
    text: str, content_end: int, after: int, base: int, furniture: set[int]
) -> tuple[int, int]:
    """An indented code block whose first line's text ends at `content_end` (the next line
    starting at `after`): where its last line's text ends, and where the line after it starts.
    It goes on over lines indented `base` columns or more and the blank lines between them,
    up to a page's furniture or end."""
    n = len(text)
    pos = after
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl + 1
        line = text[pos:end]
        if "\f" in line or pos in furniture:
            break
        if not _BLANK.match(line):
            if indent_columns(line) < base:
                break
            content_end, after = (end - 1 if nl >= 0 else end), end
        pos = end
    return content_end, after


def _code_may_start(text: str, pos: int, blocks: list[ScannedBlock]) -> bool:
    """Whether indented code may start at `pos`: first, after a blank line or after a heading
    (not after a page's furniture, which closes the block it stands in)."""
    if pos == 0:
        return True
    previous = text.rfind("\n", 0, pos - 1) + 1
    if _BLANK.match(text, previous, pos):
        return True
    return bool(blocks) and blocks[-1][0] is BlockKind.HEADING and blocks[-1][2] >= previous


def _scan_blocks(
    text: str, chars: Masker, cancelled: Callable[[], bool], *, plain: bool = False
) -> list[ScannedBlock]:
    """Find block boundaries line by line, hiding block markers with spaces. In Markdown (not
    `plain` text), lines indented four columns past where a block may start are code."""
    furniture = furniture_lines(text, cancelled)
    furniture_starts = sorted(furniture)
    blocks: list[ScannedBlock] = []
    current: OpenBlock | None = None
    fence: str | None = None
    # The marker indents of the list items around the line: a list item's level is its depth.
    list_indents: list[int] = []
    # Where the last list item's text starts, while a line indented as far would go on in it.
    list_text = 0
    pos = 0
    n = len(text)
    lines = 0
    next_poll = 4096
    while pos < n:
        lines += 1
        if lines >= next_poll:
            next_poll = lines + 4096
            check(cancelled)
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl + 1
        line = text[pos:end]
        content_end = end - 1 if line.endswith("\n") else end
        if fence is not None:
            assert current is not None
            if line.lstrip(" ").startswith(fence):
                chars.hide(pos, content_end, " ")
                current.end = content_end
                blocks.append(current.closed())
                current, fence = None, None
            else:
                current.end = content_end
            pos = end
            continue
        if content_end == pos:
            # An empty line ends the block (and is never furniture).
            if current is not None:
                blocks.append(current.closed())
                current = None
            pos = end
            continue
        if pos in furniture or (line[:1] == "\f" and pos + 1 in furniture):
            if current is not None:
                blocks.append(current.closed())
                current = None
            if "\f" in line:
                chars.hide(pos + line.index("\f"), pos + line.index("\f") + 1, " ")
            blocks.append((BlockKind.FURNITURE, pos, content_end, 0))
            pos = end
            continue
        if "\f" not in line and _PLAIN_START.match(line):
            # The common case: no block markup can start so (with a letter, say), so the line
            # starts a paragraph or goes on with the block before (a lazy continuation of a
            # quote or a list item). One search takes this and the following plain lines, and the
            # paragraphs after them that single empty lines separate, up to a line that is
            # not plain, the next furniture, or a line end past _PLAIN_REACH characters.
            k = bisect_right(furniture_starts, pos)
            limit = furniture_starts[k] if k < len(furniture_starts) else n
            reach = text.find("\n", pos + _PLAIN_REACH)
            if 0 <= reach < limit:
                limit = reach + 1
            m = _PLAIN_PARAGRAPHS.match(text, pos, limit)
            assert m is not None, "a plain line matches"
            region = m.group()
            parts = region.split("\n\n")
            # Where each part starts and ends; only the last part may end with the line end
            # before what follows, which is not part of the block.
            part_starts = list(accumulate([len(part) + 2 for part in parts[:-1]], initial=pos))
            part_ends = [start + len(part) for start, part in zip(part_starts, parts, strict=True)]
            if parts[-1].endswith("\n"):
                part_ends[-1] -= 1
            if current is None or len(parts) > 1:
                list_text = 0  # a paragraph at the margin ends any list
            if current is None:
                current = OpenBlock(BlockKind.PARAGRAPH, pos, part_ends[0])
            current.end = part_ends[0]
            if len(parts) > 1:
                blocks.append(current.closed())
                # The paragraphs in between are whole; the last one may go on (lazily).
                blocks.extend(zip(repeat(BlockKind.PARAGRAPH), part_starts[1:-1], part_ends[1:-1], repeat(0)))
                current = OpenBlock(BlockKind.PARAGRAPH, part_starts[-1], part_ends[-1])
            lines += region.count("\n")
            pos = m.end()
            continue
        if "\f" in line:
            # A form feed is a page boundary; the page's text goes on in a new block.
            if current is not None:
                blocks.append(current.closed())
                current = None
            chars.hide(pos + line.index("\f"), pos + line.index("\f") + 1, " ")
            if not line.replace("\f", "").strip():
                pos = end
                continue
        if _BLANK.match(line):
            if current is not None:
                blocks.append(current.closed())
                current = None
            pos = end
            continue
        if current is None and not plain:
            indent = indent_columns(line)
            if indent >= list_text + 4 and _code_may_start(text, pos, blocks):
                # Indented code (CommonMark): it cannot break into a paragraph, and in a list
                # it is indented four past the item's text.
                content_end, end = _indented_code(text, content_end, end, list_text + 4, furniture)
                blocks.append((BlockKind.CODE, pos, content_end, list_text + 4))
                pos = end
                continue
            if indent < list_text and not (_BULLET.match(line) or _ORDERED.match(line)):
                list_text = 0
        m = _FENCE.match(line)
        if m is None and list_text and list_text <= indent_columns(line) < list_text + 4:
            m = _INDENTED_FENCE.match(line)  # in a list item, indented as far as its text
        if m:
            if current is not None:
                blocks.append(current.closed())
            fence = m.group(1)  # closed by a run as long or longer
            chars.hide(pos, content_end, " ")
            # Its lines keep their indent beyond the fence's (CommonMark).
            current = OpenBlock(BlockKind.CODE, pos, content_end, indent_columns(line))
            pos = end
            continue
        m = _ATX.match(line)
        if m:
            if current is not None:
                blocks.append(current.closed())
                current = None
            chars.hide(pos, pos + m.end(), " ")
            close = _ATX_CLOSE.search(line.rstrip("\n"))
            if close:
                chars.hide(pos + close.start(), pos + close.end(), " ")
            blocks.append((BlockKind.HEADING, pos, content_end, len(m.group(2))))
            pos = end
            continue
        if (
            current is not None
            and current.kind is BlockKind.PARAGRAPH
            and _SETEXT.match(line)
            and "\n" not in text[current.start : current.end]
        ):
            chars.hide(pos, content_end, " ")
            current.kind = BlockKind.HEADING
            current.level = 1 if line.lstrip().startswith("=") else 2
            current.end = content_end
            blocks.append(current.closed())
            current = None
            pos = end
            continue
        if _RULE.match(line):
            if current is not None:
                blocks.append(current.closed())
                current = None
            chars.hide(pos, content_end, " ")
            pos = end
            continue
        m = _QUOTE.match(line)
        if m:
            chars.hide(pos, pos + m.end(), " ")
            if current is None or current.kind is not BlockKind.QUOTE:
                if current is not None:
                    blocks.append(current.closed())
                current = OpenBlock(BlockKind.QUOTE, pos, content_end)
            current.end = content_end
            pos = end
            continue
        m = _BULLET.match(line) or _ORDERED.match(line)
        if (
            m
            and m.re is _ORDERED
            and current is not None
            and current.kind is BlockKind.PARAGRAPH
            and int(m.group(1)) != 1
        ):
            # As in CommonMark, only "1." starts a list inside a paragraph: a wrapped line
            # may well begin with "10." or "2)".
            m = None
        if m:
            if current is not None:
                blocks.append(current.closed())
            if m.re is _BULLET:
                chars.hide(pos + m.start(2), pos + m.end(2), " ")
            indent = indent_columns(line)
            depth = item_depth(list_indents, indent, bool(blocks) and blocks[-1][0] is BlockKind.LIST_ITEM)
            list_text = len(line[: m.end()].expandtabs(4))
            current = OpenBlock(BlockKind.LIST_ITEM, pos, content_end, depth)
            pos = end
            continue
        if _IMAGE_LINE.match(line) and current is None:
            blocks.append((BlockKind.IMAGE, pos, content_end, 0))
            pos = end
            continue
        if current is None:
            current = OpenBlock(BlockKind.PARAGRAPH, pos, content_end)
        current.end = content_end
        pos = end
    if current is not None:
        blocks.append(current.closed())
    chars.apply(cancelled)
    return blocks


#: An apostrophe in a code span's text, and the character before it (none when it is first).
_APOSTROPHE = re.compile(r"(?<=(.))'|(?<!.)'", re.DOTALL)


def _not_quoted(m: re.Match[str]) -> bool:
    """Whether a code span's match in plain text is code, not a quotation in backticks and
    apostrophes (`so', ``so''): its text closes no quote that it did not open. An apostrophe
    first, or after a space or an opening bracket or `=`, opens one; any other is part of a
    word before a letter or digit (`don't`), and closes one before anything else."""
    content = m.group(2)
    opened = 0
    for apostrophe in _APOSTROPHE.finditer(content):
        before = apostrophe.group(1)
        after = content[apostrophe.end() : apostrophe.end() + 1]
        if before is None or before.isspace() or before in "([{=":
            opened += 1
        elif not after.isalnum():
            if not opened:
                return False
            opened -= 1
    return True


def _scan_inline(
    chars: Masker,
    cancelled: Callable[[], bool] = lambda: False,
    code: Sequence[tuple[int, int]] = (),
    *,
    plain: bool = False,
) -> tuple[list[Link], list[tuple[int, int, int]]]:
    """Hide inline markup; return links and emphasis ranges in source offsets. `code` holds
    the code blocks' ranges: their text, and code spans', is literal. In `plain` text, a quote
    in backticks and apostrophes is not code (see _not_quoted)."""
    links: list[Link] = []
    emphasis: list[tuple[int, int, int]] = []
    if code:
        # A code block is literal: no markup pattern may see its characters.
        text = chars.settle(cancelled)
        for start, end in code:
            chars.pieces.append((start, end, text[start:end].translate(_LITERAL)))
        chars.settle(cancelled)
    hide_escapes(chars, cancelled)
    text = chars.text
    if "`" in text:
        # A backslash escapes a backtick outside code, not inside it.
        # In plain text, `so' and ``so'' are quotation marks (as GNU and TeX write them).
        accept = _not_quoted if plain else None
        for m in _matches_from(_CODE_SPAN, text, _CODE_SPAN_STARTS, cancelled, unescaped=True, accept=accept):
            fence = len(m.group(1))
            chars.hide(m.start(), m.start() + fence)
            chars.hide(m.end() - fence, m.end())
            inside = (m.start() + fence, m.end() - fence)
            chars.pieces.append((*inside, text[inside[0] : inside[1]].translate(_LITERAL)))
            emphasis.append((m.start(), m.end(), CODE))
    text = chars.settle(cancelled)
    if "$" in text:
        hide_math(chars, emphasis)
        text = chars.settle(cancelled)
    if "<" in text:
        for m in polled(_AUTOLINK.finditer(text), cancelled):
            chars.hide(m.start(), m.start() + 1)
            chars.hide(m.end() - 1, m.end())
            links.append(Link(m.start(), m.end(), m.group(1)))
    if "](" in text:
        for m in polled(IMAGE_MARKUP.finditer(text), cancelled):
            chars.hide(m.start(), m.start(1))
            chars.hide(m.end(1), m.end())
            emphasis.append((m.start(), m.end(), IMAGE))
        text = chars.settle(cancelled)
        for m in polled(_LINK.finditer(text), cancelled):
            chars.hide(m.start(), m.start(1))
            chars.hide(m.end(1), m.end())
            target = m.group(2)
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1]
            links.append(Link(m.start(), m.end(), target))
    text = chars.settle(cancelled)
    if "<" in text:
        # In plain text, only HTML's own elements make a tag (see _HTML_ELEMENTS).
        for m in polled((_PLAIN_HTML_TAG if plain else _HTML_TAG).finditer(text), cancelled):
            chars.hide(m.start(), m.end())
    if "&" in text:
        for m in polled(_ENTITY.finditer(text), cancelled):
            value = html.unescape(m.group(0))
            if value != m.group(0) and len(value) <= len(m.group(0)):
                chars.replace(m.start(), m.end(), value)
    text = chars.settle(cancelled)
    hide_emphasis(chars, emphasis, MARKDOWN_EMPHASIS, cancelled)
    close_up_after_markup(chars, links, emphasis)
    add_bare_urls(chars.text, links, cancelled)
    links.sort(key=lambda link: link.start)
    emphasis.sort()
    return links, emphasis


#: A lone comma or full stop after a space: after link or emphasis markup, a converter's
#: leftover ("[Cookie Policy](url) ." where the page had "Cookie Policy.").
CLOSING_STOPS = ",."
_SPACED_CLOSING = re.compile(rf"[ \t]([{CLOSING_STOPS}])(?=\s|$)")


def close_up_after_markup(chars: Masker, links: list[Link], emphasis: list[tuple[int, int, int]]) -> None:
    """Hide the space between a link, or bold or italic text, and a lone comma or full stop
    after it, so that the stop ends the word before it, as on the page."""
    text = chars.text
    ends = {link.end for link in links}
    ends.update(end for _, end, style in emphasis if style & (BOLD | ITALIC))
    for end in ends:
        if _SPACED_CLOSING.match(text, end):
            chars.hide(end, end + 1)


def hide_math(chars: Masker, emphasis: list[tuple[int, int, int]]) -> None:
    """Show inline math as it renders (see latex.py), and add each span to `emphasis` as
    MATH. (Code is literal by now: no dollar there is seen.)"""
    text = chars.text
    for start, end in latex.spans(text):
        for a, b, shown in latex.pieces(text, start, end, _ESCAPED_BASE):
            if shown is None:
                chars.hide(a, b)
            else:
                chars.replace(a, b, shown)
        # An opening bracket or quote before it joins it in its word: `($k$,` is math too.
        while start > 0 and text[start - 1] in _OPENING:
            start -= 1
        emphasis.append((start, end, MATH))


def hide_escapes(chars: Masker, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Hide the backslash of each escape; the escaped character waits in a private-use plane
    until tokenizing, so that no later markup pattern can see it."""
    text = chars.text
    if "\\" in text:
        for m in polled(BACKSLASH_ESCAPE.finditer(text), cancelled):
            chars.hide(m.start(), m.start() + 1)
            chars.pieces.append((m.start() + 1, m.end(), chr(_ESCAPED_BASE + ord(m.group(1)))))


#: An emphasis pass: its marker, its pattern, where its matches can begin (when the pattern
#: begins with a choice, see _matches_from), the style it gives and the marker's width.
EmphasisPass = tuple[str, re.Pattern[str], tuple[re.Pattern[str], ...], int, int]

MARKDOWN_EMPHASIS: tuple[EmphasisPass, ...] = (
    ("**", _STRONG, _STRONG_STARTS, BOLD, 2),
    ("__", _STRONG, _STRONG_STARTS, BOLD, 2),
    ("*", _EMPH_STAR, (), ITALIC, 1),
    ("_", _EMPH_UNDER, (), ITALIC, 1),
)
#: Emphasis with asterisks only (reStructuredText's: underscores there make references).
STAR_EMPHASIS: tuple[EmphasisPass, ...] = (
    ("**", _STRONG_STARS, (), BOLD, 2),
    ("*", _EMPH_STAR, (), ITALIC, 1),
)


def hide_emphasis(
    chars: Masker,
    emphasis: list[tuple[int, int, int]],
    passes: Sequence[EmphasisPass],
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Hide emphasis markers around text, pass after pass (strongest first), and add each
    emphasised range to `emphasis`; the masker is applied after each pass that found some."""
    text = chars.text
    for marker, pattern, starts, flag, width in passes:
        if marker not in text:
            continue
        found = False
        # Without `starts`, the pattern begins with its marker: its own search skips ahead.
        matches = (
            _matches_from(pattern, text, starts, cancelled)
            if starts
            else polled(pattern.finditer(text), cancelled)
        )
        for m in matches:
            found = True
            chars.hide(m.start(), m.start() + width)
            chars.hide(m.end() - width, m.end())
            emphasis.append((m.start(), m.end(), flag))
        if found:
            text = chars.settle(cancelled)


def add_bare_urls(text: str, links: list[Link], cancelled: Callable[[], bool] = lambda: False) -> None:
    """Add a link for each URL written out in the (masked) text outside the links already found."""
    if "://" not in text and "www." not in text:
        return
    linked = sorted((link.start, link.end) for link in links)
    link_starts = [s for s, _ in linked]
    for m in _matches_from(_BARE_URL, text, _BARE_URL_STARTS, cancelled):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _URL_TRAIL:
            end -= 1
        k = bisect_right(link_starts, start) - 1
        if k >= 0 and linked[k][1] > start:
            continue
        url = text[start:end].replace(HIDDEN, "")
        links.append(Link(start, end, url))


def _hyphen_or_url_breaks(
    masked: str, cancelled: Callable[[], bool] = lambda: False
) -> list[tuple[int, int]]:
    """(last character before, first character after) of line breaks right after a hyphen
    or at the end of what looks like a URL, in text order."""
    found = [
        (m.start(), m.end())
        for pattern in _HYPHEN_BREAKS
        for m in polled(pattern.finditer(masked), cancelled, 4096)
    ]
    # The line ends of words with a slash or "www." in them: one search for each, which may
    # both find the same line end.
    line_ends: dict[int, tuple[int, int]] = {}
    for pattern in _URL_BREAK_CANDIDATES:
        for m in polled(pattern.finditer(masked), cancelled):
            line_ends.setdefault(m.start(1), (m.start(), m.end()))
    for line_end, (word, after) in polled(line_ends.items(), cancelled):
        while word > 0 and not masked[word - 1].isspace():
            word -= 1
        if _URL_START.search(masked, word, line_end):
            found.append((line_end - 1, after))
    found.sort()
    return found


def _join_line_breaks(
    masked: str,
    starts: IntArray,
    ends: IntArray,
    ids: IntArray,
    links: list[Link],
    distinct: _WordIds,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[IntArray, IntArray, IntArray, list[Link]]:
    """Rejoin words that a hard wrap cut in two: line-end hyphenation and broken URLs.

    `inter-` + newline + `national` becomes one word; the hyphen stays when this text writes
    the word with it elsewhere (`well-known`), or when the second part is capitalised and
    the joined word appears nowhere (`Anglo-Saxon`). A soft hyphen always joins.
    """
    breaks = _hyphen_or_url_breaks(masked, cancelled)
    if not breaks:
        return starts, ends, ids, links
    check(cancelled)
    befores = np.fromiter((b for b, _ in breaks), dtype=np.int64, count=len(breaks))
    # The word ending right before each break and the one starting right after it.
    ks = np.searchsorted(starts, befores, side="right") - 1
    n = len(ids)
    spelled = distinct.words
    joins: list[tuple[int, str]] = []
    vocabulary: set[str] | None = None
    for number, ((before, after), k) in enumerate(zip(breaks, ks.tolist(), strict=True)):
        if not number & 4095:
            check(cancelled)
        if k < 0 or k + 1 >= n or ends[k] != before + 1 or starts[k + 1] != after:
            continue
        first, second = spelled[ids[k]], spelled[ids[k + 1]]
        if first.startswith(("http://", "https://", "www.")) or _DOMAIN_PATH.match(first):
            if _URL_TAIL.match(second) and (first[-1] in "/-_.?=&#%" or second[0] in "/?#&=%._-"):
                joins.append((k, first + second))
            continue
        if first[-1] in "-\u2010" and first[-2:-1].isalpha():
            stem = first[:-1]
            if vocabulary is None:
                # Every word is among the distinct ones (which may hold a few no token uses).
                vocabulary = {w.strip(_WORD_PUNCT) for w in distinct.words}
            hyphenated = f"{stem}-{second}"
            joined = stem + second
            if hyphenated.strip(_WORD_PUNCT) in vocabulary:
                joins.append((k, hyphenated))
            elif joined.strip(_WORD_PUNCT) in vocabulary or second[:1].islower():
                joins.append((k, joined))
            else:
                joins.append((k, hyphenated))
        elif first.endswith("\u00ad"):
            joins.append((k, first[:-1] + second))
    if not joins:
        return starts, ends, ids, links
    merged = dict(joins)
    link_starts = [link.start for link in links]
    keep = np.ones(n, dtype=bool)
    for k, word in merged.items():
        ids[k] = distinct[word]
        ends[k] = ends[k + 1]
        keep[k + 1] = False
        j = bisect_right(link_starts, int(starts[k])) - 1
        if j >= 0 and links[j].end >= starts[k] and links[j].target.startswith(word[:8]):
            links[j] = Link(links[j].start, int(ends[k]), word)
    return starts[keep], ends[keep], ids[keep], links


#: Lower- and upper-case letters, as far as Latin-1 goes.
_LOWER = "a-zß-öø-ÿ"
_UPPER = "A-ZÀ-ÖØ-Þ"
#: Two blocks run together where an extraction dropped what stood between them: a sentence's
#: end and the next one's start ("the immune system.When the"), or a word and an opening
#: quote ("Andrew Vaughan“Sure"). It is matched from two characters before a stop, or one
#: before a quote (see _glue_points), and ends where the two blocks meet.
_GLUE = re.compile(rf"[{_LOWER}]{{2}}[.!?][”’]?(?=[“‘]?[{_UPPER}][{_LOWER}])|[{_LOWER}](?=“[{_UPPER}])")
#: A word with one of these in it is an address, a path or code ("www.Example.org",
#: "e.g.The"), not two blocks run together.
_NOT_PROSE = re.compile(r"[/@\\_=#<>{}|~^]|\.\w+\.")
_OPENING_QUOTE = ord("“")
#: No hard wrap makes a line longer than this: a plain text whose lines run longer puts each
#: paragraph on a line of its own (see _lines_are_paragraphs).
_UNWRAPPED = 160
_LONG_LINE = re.compile(rf"\n[^\n]{{{_UNWRAPPED + 1}}}")


def _glue_points(
    piece: str, codes: npt.NDArray[np.uint32], word_starts: IntArray, word_ends: IntArray
) -> list[int]:
    """Where two blocks run together in a piece of plain text (see _GLUE), as offsets in it;
    the piece's code points and words (see _word_bounds) are given."""
    stops = (codes == ord(".")) | (codes == ord("!")) | (codes == ord("?"))
    marks = np.flatnonzero(stops | (codes == _OPENING_QUOTE))
    # Only a mark with no space after it can be glue: few enough to look at one by one.
    marks = marks[(marks >= 1) & (marks + 2 < len(codes))]
    marks = marks[~_IS_SPACE[np.minimum(codes[marks + 1], _SPACE_LIMIT)]]
    found: list[int] = []
    for at in marks.tolist():
        m = _GLUE.match(piece, at - 1 if codes[at] == _OPENING_QUOTE else max(0, at - 2))
        if m is None:
            continue
        end = m.end()
        word = int(np.searchsorted(word_starts, end, side="right")) - 1
        if not _NOT_PROSE.search(piece, int(word_starts[word]), int(word_ends[word])):
            found.append(end)
    return found


def _covering(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether an offset lies inside one of the spans (start, end), ends excluded."""
    spans = sorted(spans)
    span_starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))

    def covered(at: int) -> bool:
        k = bisect_left(span_starts, at) - 1
        return k >= 0 and reach[k] > at

    return covered


def _inline_spans(links: list[Link], emphasis: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    return [(link.start, link.end) for link in links] + [(start, end) for start, end, _ in emphasis]


def _inside_paragraphs(
    points: list[int], blocks: list[ScannedBlock], covered: Callable[[int], bool]
) -> list[int]:
    """The points that lie inside a paragraph, outside its links and emphasis (`covered`)."""
    if not points:
        return []
    block_starts = [block[1] for block in blocks]
    kept = []
    for at in points:
        k = bisect_right(block_starts, at) - 1
        if k < 0:
            continue
        kind, start, end, _ = blocks[k]
        if kind is BlockKind.PARAGRAPH and start < at < end and not covered(at):
            kept.append(at)
    return kept


def _split_glued(
    masked: str, starts: IntArray, ends: IntArray, ids: IntArray, points: list[int], distinct: _WordIds
) -> tuple[IntArray, IntArray, IntArray, list[int]]:
    """Cut the words that run two blocks together at `points`; also give the points where a
    word was cut (a word with markup inside is left whole)."""
    if not points:
        return starts, ends, ids, []
    ks = np.searchsorted(starts, np.array(points, dtype=np.int64), side="right") - 1
    by_word: dict[int, list[int]] = {}
    for at, k in zip(points, ks.tolist(), strict=True):
        if k >= 0 and starts[k] < at < ends[k]:
            by_word.setdefault(k, []).append(at)
    cut: list[int] = []
    added: list[tuple[int, int, int, int]] = []  # (insert before, start, end, word id)
    spelled = distinct.words
    for k, inside in by_word.items():
        start, end = int(starts[k]), int(ends[k])
        if spelled[ids[k]] != masked[start:end]:
            continue
        bounds = [start, *inside, end]
        ends[k], ids[k] = inside[0], distinct[masked[start : inside[0]]]
        added.extend((k + 1, a, b, distinct[masked[a:b]]) for a, b in pairwise(bounds[1:]))
        cut.extend(inside)
    if added:
        where, new_starts, new_ends, new_ids = (list(column) for column in zip(*added, strict=True))
        starts = np.insert(starts, where, new_starts)
        ends = np.insert(ends, where, new_ends)
        ids = np.insert(ids, where, new_ids)
    return starts, ends, ids, cut


def _lines_are_paragraphs(text: str, blocks: list[ScannedBlock]) -> bool:
    """Whether a plain text puts each paragraph on a line of its own, as text taken from web
    pages often does: most line ends inside its paragraphs stand next to a line longer than
    any hard wrap makes."""
    first = text.find("\n")
    if first < 0 or (first <= _UNWRAPPED and not _LONG_LINE.search(text)):
        return False
    inner = beside_long = 0
    for kind, start, end, _ in blocks:
        if kind is BlockKind.PARAGRAPH and text.find("\n", start, end) >= 0:
            lengths = [len(line) for line in text[start:end].split("\n")]
            inner += len(lengths) - 1
            beside_long += sum(max(pair) > _UNWRAPPED for pair in pairwise(lengths))
    return beside_long * 2 > inner


def _plain_cuts(
    text: str,
    blocks: list[ScannedBlock],
    glued: list[int],
    starts: IntArray,
    ends: IntArray,
    covered: Callable[[int], bool],
) -> list[tuple[int, int]]:
    """Where a plain text's paragraphs are cut, as (end of one block, start of the next): where
    an extraction ran two blocks together (`glued`), and at every line end inside them when
    each line is a paragraph (see _lines_are_paragraphs), except inside links and emphasis
    (`covered`) and where a word goes on past the line end (hyphenated, a URL)."""
    cuts = [(at, at) for at in glued]
    if _lines_are_paragraphs(text, blocks):
        for kind, start, end, _ in blocks:
            if kind is not BlockKind.PARAGRAPH:
                continue
            line_end = text.find("\n", start, end)
            while line_end >= 0:
                if not covered(line_end):
                    cuts.append((line_end, line_end + 1))
                line_end = text.find("\n", line_end + 1, end)
        after = np.searchsorted(starts, np.array([start for _, start in cuts], dtype=np.int64), side="left")
        cuts = [
            (end, start)
            for (end, start), k in zip(cuts, after.tolist(), strict=True)
            if k == 0 or ends[k - 1] <= end
        ]
    return sorted(cuts)


def _cut_blocks(blocks: list[ScannedBlock], cuts: list[tuple[int, int]]) -> list[ScannedBlock]:
    """The blocks with each paragraph cut at the `cuts` inside it (sorted, see _plain_cuts)."""
    cut_starts = [start for _, start in cuts]
    result: list[ScannedBlock] = []
    for kind, start, end, level in blocks:
        if kind is BlockKind.PARAGRAPH:
            k = bisect_right(cut_starts, start)
            while k < len(cuts) and cuts[k][0] < end:
                before, after = cuts[k]
                if start < before:
                    result.append((kind, start, before, level))
                    start = after
                k += 1
        result.append((kind, start, end, level))
    return result


def _pieces(text: str, size: int = 1 << 16) -> Iterator[tuple[int, str]]:
    """The text in pieces of about `size` characters, cut only at whitespace."""
    base = 0
    n = len(text)
    while base < n:
        cut = min(n, base + size)
        if cut < n:
            space = _SPACE.search(text, cut)
            cut = space.start() if space else n
        yield base, text[base:cut]
        base = cut


def _space_table() -> npt.NDArray[np.bool_]:
    """For each code point up to _SPACE_LIMIT, whether it is whitespace (as str.split sees it)."""
    table = np.zeros(_SPACE_LIMIT + 1, dtype=np.bool_)
    for code in range(_SPACE_LIMIT):
        table[code] = chr(code).isspace()
    return table


# The highest whitespace code point is U+3000; everything above maps to the last entry.
_SPACE_LIMIT = 0x3001
_IS_SPACE = _space_table()


def _code_points(piece: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(piece.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _word_bounds(codes: npt.NDArray[np.uint32]) -> tuple[IntArray, IntArray, IntArray]:
    """Start and end offsets of a piece's words (runs of non-whitespace), and where markup
    hides, from the piece's code points."""
    solid = np.zeros(len(codes) + 2, dtype=np.int8)
    np.logical_not(_IS_SPACE.take(np.minimum(codes, _SPACE_LIMIT)), out=solid[1:-1].view(np.bool_))
    edges = np.diff(solid)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    # Where runs of hidden markup begin (HIDDEN and TRAILING are the two lowest code points),
    # and of escaped or literal characters (see _LITERAL), which words are read back from.
    hidden = np.zeros(len(codes) + 1, dtype=np.int8)
    flags = hidden[1:].view(np.bool_)
    np.less_equal(codes, 1, out=flags)
    flags |= (codes >= _ESCAPED_BASE + 0x21) & (codes < _ESCAPED_BASE + 0x7F)
    markup = np.flatnonzero(np.diff(hidden) == 1)
    return starts, ends, markup


def tokenize(
    text: str,
    chars: Masker,
    scanned_blocks: list[ScannedBlock],
    links: list[Link],
    emphasis: list[tuple[int, int, int]],
    cancelled: Callable[[], bool],
    *,
    plain: bool = False,
) -> Document:
    """Words of the masked text with their spans; blocks, links and styles by range, not per word.

    The masked text and the scanned blocks are used up (emptied): a long document's peak
    memory is set after they are needed, and the caller holds them. In a `plain` text, blocks
    are also cut as `_plain_cuts` says."""
    masked = chars.result(cancelled)
    chars.text, chars.pieces = "", []
    vocabulary = _WordIds()
    lookup = vocabulary.__getitem__
    start_parts: list[IntArray] = []
    end_parts: list[IntArray] = []
    id_parts: list[IntArray] = []
    touched_parts: list[IntArray] = []
    glued: list[int] = []
    count = 0
    # In pieces: one call over megabytes would hold the interpreter lock for long.
    for base, piece in _pieces(masked, 1 << 17):
        found = piece.split()
        codes = _code_points(piece)
        piece_starts, piece_ends, markup = _word_bounds(codes)
        if plain:
            glued.extend(base + at for at in _glue_points(piece, codes, piece_starts, piece_ends))
        del codes
        assert len(found) == len(piece_starts)
        if len(markup):
            touched_parts.append(np.searchsorted(piece_starts, markup, side="right") - 1 + count)
        start_parts.append((piece_starts + base).astype(np.int32))
        end_parts.append((piece_ends + base).astype(np.int32))
        id_parts.append(np.fromiter(map(lookup, found), dtype=np.int32, count=len(found)))
        count += len(found)
        check(cancelled)
    # Joined one at a time, each let go of in pieces once joined: a long document's peak
    # memory is set around here.
    starts = _joined(start_parts)
    del start_parts
    ends = _joined(end_parts)
    del end_parts
    ids = _joined(id_parts)
    del id_parts
    # Only words touched by hidden markup need a second look, and each distinct one once, in
    # the order it first appears (so that new words join the vocabulary in text order).
    touched = np.unique(np.concatenate(touched_parts)) if touched_parts else np.zeros(0, dtype=np.intp)
    if len(touched):
        distinct, first, inverse = np.unique(ids[touched], return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        count = len(distinct)
        lead = np.zeros(count, dtype=np.int32)
        trail = np.zeros(count, dtype=np.int32)
        shown = np.zeros(count, dtype=np.int32)
        empty = np.zeros(count, dtype=np.bool_)
        spelled = vocabulary.words
        for u, word_id in polled(zip(order.tolist(), distinct[order].tolist(), strict=True), cancelled):
            word = spelled[word_id]
            stripped = word.strip(HIDDEN)
            if not stripped.strip(TRAILING):
                empty[u] = True
                continue
            lead[u] = len(word) - len(word.lstrip(HIDDEN))
            trail[u] = len(word) - len(word.rstrip(HIDDEN))
            shown[u] = lookup(stripped.replace(HIDDEN, "").replace(TRAILING, "").translate(_UNESCAPE))
        starts[touched] += lead[inverse]
        ends[touched] -= trail[inverse]
        ids[touched] = shown[inverse]
        if empty.any():
            keep = np.ones(len(ids), dtype=np.bool_)
            keep[touched[empty[inverse]]] = False
            starts, ends, ids = starts[keep], ends[keep], ids[keep]
    check(cancelled)
    if "\n" in masked:
        starts, ends, ids, links = _join_line_breaks(masked, starts, ends, ids, links, vocabulary, cancelled)
    if plain:
        covered = _covering(_inline_spans(links, emphasis))
        glued = _inside_paragraphs(glued, scanned_blocks, covered)
        starts, ends, ids, glued = _split_glued(masked, starts, ends, ids, glued, vocabulary)
        cuts = _plain_cuts(text, scanned_blocks, glued, starts, ends, covered)
        if cuts:
            scanned_blocks[:] = _cut_blocks(scanned_blocks, cuts)
    del masked
    check(cancelled)
    n = len(ids)
    columns = zip(*scanned_blocks, strict=True) if scanned_blocks else ((),) * 4
    kinds, block_starts, block_ends, levels = columns
    bounds = np.array((block_starts, block_ends), dtype=np.int64).reshape(2, -1)
    block_ranges = np.searchsorted(starts, bounds.T, side="left")
    del bounds
    # A block with no visible words (an empty fence, an image without alt text) is dropped.
    kept = block_ranges[:, 1] > block_ranges[:, 0]
    firsts, block_end_tokens = block_ranges.T.tolist()
    rows = zip(kinds, block_starts, block_ends, firsts, block_end_tokens, levels, strict=True)
    # Each row is a whole Block (as Block._make would check, one call per row slower).
    blocks: list[Block] = list(map(partial(tuple.__new__, Block), compress(rows, kept.tolist())))
    del rows, columns, kinds, block_starts, block_ends, levels, firsts, block_end_tokens
    scanned_blocks.clear()
    check(cancelled)
    kept_ranges = block_ranges[kept]
    block_of = _range_owners(kept_ranges, n)
    assert (block_of >= 0).all(), "every word lies in a block"
    assert int((kept_ranges[:, 1] - kept_ranges[:, 0]).sum()) == n, "no word lies in two blocks"
    style_of = np.zeros(n, dtype=np.uint8)
    kept_kinds = np.array([b.kind for b in blocks], dtype=object)
    for kind, flag in ((BlockKind.HEADING, HEADING_STYLE), (BlockKind.CODE, CODE)):
        style_of[_covered(kept_ranges[kept_kinds == kind], n)] |= flag
    del kept_kinds
    link_of = _link_owners(starts, links, n)
    if emphasis:
        flags = np.array([flag for _, _, flag in emphasis])
        emphasis_ranges = _token_ranges(starts, emphasis)
        for flag in np.unique(flags).tolist():
            style_of[_covered(emphasis_ranges[flags == flag], n)] |= flag
    check(cancelled)
    numeric = {"starts": starts, "ends": ends, "block_of": block_of, "link_of": link_of, "word_ids": ids}
    del starts, ends, block_of, link_of, ids
    arrays = {"style_of": _as_array("B", style_of)}
    while numeric:
        # One of them at a time in both forms: a long document's peak memory is set here.
        name, values = numeric.popitem()
        arrays[name] = _as_array("i", values)
        del values
    # One string object per distinct word: a long document repeats its words many times.
    return Document.from_arrays(text, arrays, vocabulary.words, blocks, links, emphasis)


def _joined(parts: list[IntArray]) -> IntArray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def _token_ranges(starts: IntArray, spans: Sequence[tuple[int, ...]]) -> IntArray:
    """For each source span (start, end, ...), the range of tokens starting inside it, as rows."""
    if not spans:
        return np.zeros((0, 2), dtype=np.int64)
    return np.searchsorted(starts, np.array([span[:2] for span in spans], dtype=np.int64), side="left")


def _covered(ranges: IntArray, n: int) -> npt.NDArray[np.bool_]:
    """Which of n tokens lie in at least one of the (first, end) ranges."""
    depth = np.zeros(n + 1, dtype=np.int32)
    if len(ranges):
        np.add.at(depth, ranges[:, 0], 1)
        np.add.at(depth, ranges[:, 1], -1)
    return np.cumsum(depth[:n], dtype=np.int32) > 0


def _range_owners(ranges: IntArray, n: int) -> IntArray:
    """For each of n tokens, the index of the last (first, end) range holding it, or -1."""
    lengths = ranges[:, 1] - ranges[:, 0] if len(ranges) else np.zeros(0, dtype=np.int64)
    filled = lengths > 0
    if not filled.any():
        return np.full(n, -1, dtype=np.int32)
    lo, hi = ranges[filled, 0], ranges[filled, 1]
    index = np.flatnonzero(filled)
    if (lo[1:] >= hi[:-1]).all():
        # Ranges in order, none overlapping (the usual case): the owners are runs of -1 (the
        # gaps) and of each range's index, in turn; one array of n, nothing else that long.
        values = np.full(2 * len(index) + 1, -1, dtype=np.int32)
        values[1::2] = index
        counts = np.empty(len(values), dtype=np.int64)
        counts[0:-1:2] = lo - np.concatenate(([0], hi[:-1]))
        counts[1::2] = hi - lo
        counts[-1] = n - hi[-1]
        return np.repeat(values, counts)
    owners = np.full(n, -1, dtype=np.int32)
    for k, first, end in zip(index.tolist(), lo.tolist(), hi.tolist(), strict=True):
        owners[first:end] = k
    return owners


def owner_arrays(
    starts: array[int], blocks: Sequence[Block], links: Sequence[Link]
) -> tuple[array[int], array[int]]:
    """The `block_of` and `link_of` arrays that a document's token starts, blocks and links imply
    (as parsing made them): a document sent elsewhere can leave them out."""
    n = len(starts)
    ranges = np.array([block[3:5] for block in blocks], dtype=np.int64).reshape(-1, 2)
    block_of = _as_array("i", _range_owners(ranges, n))
    offsets = np.frombuffer(starts, dtype=np.intc) if n else np.zeros(0, dtype=np.intc)
    return block_of, _as_array("i", _link_owners(offsets, links, n))


def _link_owners(starts: IntArray, links: Sequence[Link], n: int) -> IntArray:
    """For each of n tokens (starting at `starts`), the index of the link holding it, or -1."""
    return _range_owners(_token_ranges(starts, [(link.start, link.end) for link in links]), n)


def _as_array(typecode: str, values: npt.NDArray[Any]) -> array[int]:
    """A compact array of the values, in the record's own array type."""
    dtype = {"i": np.intc, "B": np.uint8}[typecode]
    result = array(typecode)
    result.frombytes(np.ascontiguousarray(values, dtype=dtype).data.cast("B"))
    return result
