"""Parsing a variant's text into blocks and visible word tokens with exact source spans.

Markup is removed by *masking*: block markers are overwritten with spaces and inline
markup with NUL characters in a copy of the text of the same length, so every offset
in the masked copy is an offset in the source. Words are then the runs of
non-whitespace of the masked copy; NULs inside a run are dropped from its visible text.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from viewer.core.align import Cancelled
from viewer.core.model import BlockKind

HIDDEN = "\x00"
# The rest of a character reference after its visible character: part of the word's span.
TRAILING = "\x01"

BOLD = 1
ITALIC = 2
CODE = 4
IMAGE = 8
HEADING_STYLE = 16

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
_IMAGE_LINE = re.compile(r"[ \t]*!\[[^\]\n]*\]\([^)\n]*\)[ \t]*\n?$")

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+)>")
_LINK_TEXT = r"\[((?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]*\])*)\]"
_LINK_DEST = r"\([ \t]*(<[^>\n]*>|[^)\s]*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
_IMAGE = re.compile("!" + _LINK_TEXT + _LINK_DEST)
_LINK = re.compile(_LINK_TEXT + _LINK_DEST)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1)[^\n]|\n(?![ \t]*\n))+?)(?<=\S)\1")
_EMPH_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])((?:[^*\n]|\n(?![ \t]*\n))+?)(?<=[^\s*])\*(?![*\w])")
_EMPH_UNDER = re.compile(r"(?<![_\w])_(?=[^\s_])((?:[^_\n]|\n(?![ \t]*\n))+?)(?<=[^\s_])_(?![_\w])")
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\x00\x01\"]+")
_URL_TRAIL = ".,;:!?)]}'\"*_"
_DIGITS = re.compile(r"\d+")
_NUMBERED_LINE = re.compile(r"^[^\n\d]{0,60}\d[^\n]{0,40}$", re.M)
# A line break not followed by a plain line (a letter first, no form feed in it).
_NOT_PLAIN = re.compile(r"\n(?![^\W\d_][^\n\f]*(?:\n|$))")
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t\f]*(?:[-–—][ \t]*)?(?:page[ \t]+)?\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?(?:[ \t]*[-–—])?[ \t]*$",
    re.M | re.I,
)
_HYPHEN_BREAK = re.compile("(?<=\\w)[-\u2010\u00ad]\n[ \t]*(?=\\S)")
# The last character of a URL-like word at a line end, the line break and the indent after it.
_URL_BREAK = re.compile(r"(?:https?://|www\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/)\S*(\n[ \t]*)(?=\S)")
_DOMAIN_PATH = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/")
_URL_TAIL = re.compile(r"[\w\-./?=&#%~+:]+$")
_WORD_PUNCT = ".,;:!?\"'()[]{}“”‘’"
_SPACE = re.compile(r"\s")
_SPACE_SPLIT = re.compile(r"(\s+)")
_MARKUP_RUN = re.compile("[\x00\x01]+")
_ESCAPED_BASE = 0xF0000
_UNESCAPE = {_ESCAPED_BASE + c: chr(c) for c in range(0x21, 0x7F)}


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading, list item ... : a run of tokens separated from its neighbours."""

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


@dataclass(slots=True)
class Document:
    """A variant's text cut into blocks and tokens; tokens are parallel arrays of offsets."""

    text: str
    starts: array[int] = field(default_factory=lambda: array("i"))
    ends: array[int] = field(default_factory=lambda: array("i"))
    block_of: array[int] = field(default_factory=lambda: array("i"))
    link_of: array[int] = field(default_factory=lambda: array("i"))
    style_of: array[int] = field(default_factory=lambda: array("B"))
    words: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    emphasis: list[tuple[int, int, int]] = field(default_factory=list)
    _block_counts: dict[str, int] | None = None
    _live_spans: list[tuple[int, int]] | None = None

    def live_link_spans(self) -> list[tuple[int, int]]:
        """Token ranges (first, end) of links with a live target, in order."""
        if self._live_spans is None:
            spans = []
            starts = self.starts
            for link in self.links:
                if not link.is_dead:
                    first, end = bisect_left(starts, link.start), bisect_left(starts, link.end)
                    if first < end and self.link_of[first] >= 0 and self.links[self.link_of[first]] is link:
                        spans.append((first, end))
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


def parse(text: str, cancelled: Callable[[], bool] = lambda: False) -> Document:
    """Cut text into blocks and visible tokens; `cancelled` is polled (raising Cancelled)."""
    chars = _Masker(text)
    blocks = _scan_blocks(text, chars, cancelled)
    if cancelled():
        raise Cancelled
    links, emphasis = _scan_inline(chars)
    if cancelled():
        raise Cancelled
    return _tokenize(text, chars.result(), blocks, links, emphasis, cancelled)


class _Masker:
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

    def result(self) -> str:
        if not self.pieces:
            return self.text
        self.pieces.sort()
        out: list[str] = []
        pos = 0
        for start, end, fill in self.pieces:
            if start < pos:
                start = pos
                fill = fill[len(fill) - (end - start) :] if end > start else ""
            out.append(self.text[pos:start])
            out.append(fill)
            pos = max(pos, end)
        out.append(self.text[pos:])
        return "".join(out)

    def apply(self) -> None:
        """Fold the pieces into the text so later scans see the markup already hidden."""
        self.text = self.result()
        self.pieces = []


@dataclass(slots=True)
class _OpenBlock:
    kind: BlockKind
    start: int
    end: int
    level: int = 0


def furniture_lines(text: str) -> set[int]:
    """Start offsets of lines that are page furniture: running headers, page numbers.

    With pages (form feeds), a running header or footer is a short line among the first or
    last three of a page whose text, numbers aside, recurs so on three pages or more and on
    at least three pages in ten; a line
    that is only a page number counts next to a form feed. Without pages, a short line with
    a number in it (`Journal — page 12`) that recurs three times or more.
    """
    if text.count("\n") < 6:
        return set()
    found: set[int] = set()
    if text.count("\f") >= 2:
        candidates: list[tuple[int, str]] = []
        base = 0
        for page in text.split("\f"):
            offset = base
            lines = []
            for line in page.split("\n"):
                if line.strip() and len(line) <= 100:
                    lines.append((offset, line))
                offset += len(line) + 1
            for start, line in {*lines[:3], *lines[-3:]}:
                candidates.append((start, _furniture_key(line)))
            base += len(page) + 1
        counts = Counter(key for _, key in candidates)
        # Running heads stand on a good share of the pages (odd and even pages may differ).
        least = max(3, (text.count("\f") + 1) * 3 // 10)
        repeated = {key for key, n in counts.items() if n >= least and _wordy(key)}
        found.update(start for start, key in candidates if key in repeated)
        for m in _PAGE_NUMBER_LINE.finditer(text):
            near = text[max(0, m.start() - 3) : m.end() + 3]
            if "\f" in near or not text[m.end() :].strip():
                found.add(m.start())
    else:
        numbered: dict[str, list[int]] = {}
        for m in _NUMBERED_LINE.finditer(text):
            numbered.setdefault(_furniture_key(m.group()), []).append(m.start())
        for key, starts in numbered.items():
            if len(starts) >= 3 and _wordy(key):
                found.update(starts)
    return found


def _wordy(key: str) -> bool:
    """Mostly letters: a heading or a title, not a table row of numbers."""
    return not key.startswith("|") and sum(c.isalpha() for c in key) * 2 >= len(key)


def _furniture_key(line: str) -> str:
    """A line's text with numbers blanked and spacing dropped, to recognise it page after page."""
    return "".join(_DIGITS.sub("#", line).split())


def _scan_blocks(text: str, chars: _Masker, cancelled: Callable[[], bool]) -> list[_OpenBlock]:
    """Find block boundaries line by line, hiding block markers with spaces."""
    furniture = furniture_lines(text)
    furniture_starts = sorted(furniture)
    blocks: list[_OpenBlock] = []
    current: _OpenBlock | None = None
    fence: str | None = None
    pos = 0
    n = len(text)
    lines = 0
    while pos < n:
        lines += 1
        if not lines & 4095 and cancelled():
            raise Cancelled
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl + 1
        line = text[pos:end]
        content_end = end - 1 if line.endswith("\n") else end
        if fence is not None:
            assert current is not None
            if line.lstrip(" ").startswith(fence):
                chars.hide(pos, content_end, " ")
                current.end = content_end
                blocks.append(current)
                current, fence = None, None
            else:
                current.end = content_end
            pos = end
            continue
        if pos in furniture or (line[:1] == "\f" and pos + 1 in furniture):
            if current is not None:
                blocks.append(current)
                current = None
            if "\f" in line:
                chars.hide(pos + line.index("\f"), pos + line.index("\f") + 1, " ")
            blocks.append(_OpenBlock(BlockKind.FURNITURE, pos, content_end))
            pos = end
            continue
        first = line[:1]
        if (
            first.isalpha()
            and current is not None
            and current.kind is BlockKind.PARAGRAPH
            and "\f" not in line
        ):
            # The common case, a paragraph's next line: no block markup can start with a letter.
            # Skip the following plain lines in one search, up to the next line that is not
            # plain or is furniture.
            stop = _NOT_PLAIN.search(text, content_end)
            last = stop.start() if stop else n
            k = bisect_right(furniture_starts, pos)
            if k < len(furniture_starts) and furniture_starts[k] <= last:
                last = furniture_starts[k] - 1
            current.end = max(content_end, last)
            pos = max(end, last + 1)
            continue
        if "\f" in line:
            # A form feed is a page boundary; the page's text goes on in a new block.
            if current is not None:
                blocks.append(current)
                current = None
            chars.hide(pos + line.index("\f"), pos + line.index("\f") + 1, " ")
            if not line.replace("\f", "").strip():
                pos = end
                continue
        if _BLANK.match(line):
            if current is not None:
                blocks.append(current)
                current = None
            pos = end
            continue
        m = _FENCE.match(line)
        if m:
            if current is not None:
                blocks.append(current)
            fence = m.group(1)[0] * 3
            chars.hide(pos, content_end, " ")
            current = _OpenBlock(BlockKind.CODE, pos, content_end)
            pos = end
            continue
        m = _ATX.match(line)
        if m:
            if current is not None:
                blocks.append(current)
                current = None
            chars.hide(pos, pos + m.end(), " ")
            close = _ATX_CLOSE.search(line.rstrip("\n"))
            if close:
                chars.hide(pos + close.start(), pos + close.end(), " ")
            blocks.append(_OpenBlock(BlockKind.HEADING, pos, content_end, len(m.group(2))))
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
            blocks.append(current)
            current = None
            pos = end
            continue
        if _RULE.match(line):
            if current is not None:
                blocks.append(current)
                current = None
            chars.hide(pos, content_end, " ")
            pos = end
            continue
        m = _QUOTE.match(line)
        if m:
            chars.hide(pos, pos + m.end(), " ")
            if current is None or current.kind is not BlockKind.QUOTE:
                if current is not None:
                    blocks.append(current)
                current = _OpenBlock(BlockKind.QUOTE, pos, content_end)
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
                blocks.append(current)
            if m.re is _BULLET:
                chars.hide(pos + m.start(2), pos + m.end(2), " ")
            current = _OpenBlock(BlockKind.LIST_ITEM, pos, content_end)
            pos = end
            continue
        if _IMAGE_LINE.match(line) and current is None:
            blocks.append(_OpenBlock(BlockKind.IMAGE, pos, content_end))
            pos = end
            continue
        if current is None:
            current = _OpenBlock(BlockKind.PARAGRAPH, pos, content_end)
        current.end = content_end
        pos = end
    if current is not None:
        blocks.append(current)
    chars.apply()
    return blocks


def _scan_inline(chars: _Masker) -> tuple[list[Link], list[tuple[int, int, int]]]:
    """Hide inline markup; return links and emphasis ranges in source offsets."""
    text = chars.text
    links: list[Link] = []
    emphasis: list[tuple[int, int, int]] = []
    if "\\" in text:
        for m in _ESCAPE.finditer(text):
            # The escaped character stands in a private-use plane until tokenizing, so that
            # no later markup pattern can see it.
            chars.hide(m.start(), m.start() + 1)
            chars.pieces.append((m.start() + 1, m.end(), chr(_ESCAPED_BASE + ord(m.group(1)))))
    if "`" in text:
        for m in _CODE_SPAN.finditer(text):
            fence = len(m.group(1))
            chars.hide(m.start(), m.start() + fence)
            chars.hide(m.end() - fence, m.end())
            emphasis.append((m.start(), m.end(), CODE))
    chars.apply()
    text = chars.text
    if "<" in text:
        for m in _AUTOLINK.finditer(text):
            chars.hide(m.start(), m.start() + 1)
            chars.hide(m.end() - 1, m.end())
            links.append(Link(m.start(), m.end(), m.group(1)))
    if "](" in text:
        for m in _IMAGE.finditer(text):
            chars.hide(m.start(), m.start(1))
            chars.hide(m.end(1), m.end())
            emphasis.append((m.start(), m.end(), IMAGE))
        chars.apply()
        text = chars.text
        for m in _LINK.finditer(text):
            chars.hide(m.start(), m.start(1))
            chars.hide(m.end(1), m.end())
            target = m.group(2)
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1]
            links.append(Link(m.start(), m.end(), target))
    chars.apply()
    text = chars.text
    if "<" in text:
        for m in _HTML_TAG.finditer(text):
            chars.hide(m.start(), m.end())
    if "&" in text:
        for m in _ENTITY.finditer(text):
            value = html.unescape(m.group(0))
            if value != m.group(0) and len(value) <= len(m.group(0)):
                chars.replace(m.start(), m.end(), value)
    chars.apply()
    text = chars.text
    for pattern, flag, width, marker in (
        (_STRONG, BOLD, 2, "**"),
        (_STRONG, BOLD, 2, "__"),
        (_EMPH_STAR, ITALIC, 1, "*"),
        (_EMPH_UNDER, ITALIC, 1, "_"),
    ):
        if marker not in text:
            continue
        found = False
        for m in pattern.finditer(text):
            found = True
            chars.hide(m.start(), m.start() + width)
            chars.hide(m.end() - width, m.end())
            emphasis.append((m.start(), m.end(), flag))
        if found:
            chars.apply()
            text = chars.text
    if "://" in text or "www." in text:
        linked = sorted((link.start, link.end) for link in links)
        link_starts = [s for s, _ in linked]
        for m in _BARE_URL.finditer(text):
            start, end = m.start(), m.end()
            while end > start and text[end - 1] in _URL_TRAIL:
                end -= 1
            k = bisect_right(link_starts, start) - 1
            if k >= 0 and linked[k][1] > start:
                continue
            url = text[start:end].replace(HIDDEN, "")
            links.append(Link(start, end, url))
    links.sort(key=lambda link: link.start)
    emphasis.sort()
    return links, emphasis


def _hyphen_or_url_breaks(masked: str) -> list[tuple[int, int]]:
    """(last character before, first character after) of line breaks right after a hyphen
    or at the end of what looks like a URL, in text order."""
    found = [(m.start(), m.end()) for m in _HYPHEN_BREAK.finditer(masked)]
    if "/" in masked:
        found.extend((m.start(1) - 1, m.end()) for m in _URL_BREAK.finditer(masked))
        found.sort()
    return found


def _join_line_breaks(
    masked: str, starts: array[int], ends: array[int], words: list[str], links: list[Link]
) -> tuple[array[int], array[int], list[str], list[Link]]:
    """Rejoin words that a hard wrap cut in two: line-end hyphenation and broken URLs.

    `inter-` + newline + `national` becomes one word; the hyphen stays when this text writes
    the word with it elsewhere (`well-known`), or when the second part is capitalised and
    the joined word appears nowhere (`Anglo-Saxon`). A soft hyphen always joins.
    """
    joins: list[tuple[int, str]] = []
    vocabulary: set[str] | None = None
    for before, after in _hyphen_or_url_breaks(masked):
        k = bisect_right(starts, before) - 1
        if k < 0 or k + 1 >= len(words) or ends[k] != before + 1 or starts[k + 1] != after:
            continue
        first, second = words[k], words[k + 1]
        if first.startswith(("http://", "https://", "www.")) or _DOMAIN_PATH.match(first):
            if _URL_TAIL.match(second) and (first[-1] in "/-_.?=&#%" or second[0] in "/?#&=%._-"):
                joins.append((k, first + second))
            continue
        if first[-1] in "-\u2010" and first[-2:-1].isalpha():
            stem = first[:-1]
            if vocabulary is None:
                vocabulary = {w.strip(_WORD_PUNCT) for w in set(words)}
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
        return starts, ends, words, links
    merged = dict(joins)
    gone = {k + 1 for k in merged}
    link_starts = [link.start for link in links]
    for k, word in merged.items():
        words[k] = word
        ends[k] = ends[k + 1]
        j = bisect_right(link_starts, starts[k]) - 1
        if j >= 0 and links[j].end >= starts[k] and links[j].target.startswith(words[k][:8]):
            links[j] = Link(links[j].start, ends[k], word)
    keep = [k for k in range(len(words)) if k not in gone]
    return (
        array("i", [starts[k] for k in keep]),
        array("i", [ends[k] for k in keep]),
        [words[k] for k in keep],
        links,
    )


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


def _tokenize(
    text: str,
    masked: str,
    open_blocks: list[_OpenBlock],
    links: list[Link],
    emphasis: list[tuple[int, int, int]],
    cancelled: Callable[[], bool],
) -> Document:
    """Words of the masked text with their spans; blocks, links and styles by range, not per word."""
    # Splitting on whitespace and summing lengths finds every word's span at C speed.
    unique: dict[str, str] = {}
    words: list[str] = []
    starts = array("i")
    ends = array("i")
    # In pieces: one regex call over megabytes would hold the interpreter lock for long.
    for base, piece in _pieces(masked):
        parts = _SPACE_SPLIT.split(piece)
        offsets = array("q", accumulate(map(len, parts), initial=base))
        found = parts[0::2]
        piece_starts = array("i", offsets[0:-1:2])
        piece_ends = array("i", offsets[1::2])
        del parts, offsets
        if found and not found[-1]:
            found.pop()
            piece_starts.pop()
            piece_ends.pop()
        if found and not found[0]:
            del found[0], piece_starts[0], piece_ends[0]
        # One string object per distinct word: a long document repeats its words many times.
        words.extend(map(unique.setdefault, found, found))
        starts.extend(piece_starts)
        ends.extend(piece_ends)
        if cancelled():
            raise Cancelled
    dropped = False
    # Only words touched by hidden markup need a second look: find them from the markup.
    touched = sorted({bisect_right(starts, m.start()) - 1 for m in _MARKUP_RUN.finditer(masked)})
    for k in touched:
        if k < 0:
            continue
        word = words[k]
        if HIDDEN not in word and TRAILING not in word:
            continue
        stripped = word.strip(HIDDEN)
        if not stripped.strip(TRAILING):
            words[k] = ""
            dropped = True
            continue
        starts[k] += len(word) - len(word.lstrip(HIDDEN))
        ends[k] -= len(word) - len(word.rstrip(HIDDEN))
        words[k] = stripped.replace(HIDDEN, "").replace(TRAILING, "").translate(_UNESCAPE)
    if dropped:
        kept = [k for k, w in enumerate(words) if w]
        starts = array("i", [starts[k] for k in kept])
        ends = array("i", [ends[k] for k in kept])
        words = [words[k] for k in kept]
    if "\n" in masked:
        starts, ends, words, links = _join_line_breaks(masked, starts, ends, words, links)
    n = len(words)
    doc = Document(text, starts, ends)
    doc.words = words
    doc.block_of = array("i", bytes(4 * n))
    doc.link_of = array("i", [-1]) * n
    doc.style_of = array("B", bytes(n))
    covered = 0
    for ob in open_blocks:
        lo, hi = bisect_left(starts, ob.start), bisect_left(starts, ob.end)
        if hi <= lo:
            # A block with no visible words (an empty fence, an image without alt text) is dropped.
            continue
        b = len(doc.blocks)
        doc.block_of[lo:hi] = array("i", [b]) * (hi - lo)
        if ob.kind is BlockKind.HEADING or ob.kind is BlockKind.CODE:
            flag = HEADING_STYLE if ob.kind is BlockKind.HEADING else CODE
            for i in range(lo, hi):
                doc.style_of[i] |= flag
        doc.blocks.append(Block(ob.kind, ob.start, ob.end, lo, hi, ob.level))
        covered += hi - lo
    assert covered == n, "every word lies in a block"
    for k, link in enumerate(links):
        lo, hi = bisect_left(starts, link.start), bisect_left(starts, link.end)
        doc.link_of[lo:hi] = array("i", [k]) * (hi - lo)
    for start, end, flag in emphasis:
        for i in range(bisect_left(starts, start), bisect_left(starts, end)):
            doc.style_of[i] |= flag
    doc.links = links
    doc.emphasis = emphasis
    return doc
