"""reStructuredText: the blocks and inline markup of a .rst file, masked as Markdown's are.

Where reStructuredText writes structure differently from Markdown, in ways a comparison
with a Markdown or plain-text rendering would otherwise report as differences:

- section titles are underlined, and maybe overlined, with any punctuation (``~~~`` too,
  which Markdown would take for a code fence); levels follow the order in which the
  styles first appear;
- explicit markup starts with two dots: directives (``.. image::``, ``.. code-block::``,
  ``.. note::``), hyperlink targets (``.. _name: url``), substitution definitions,
  footnotes and comments. What a reader sees of them stays (an image's alt text, a note's
  body), the rest is hidden;
- a paragraph ending in ``::`` introduces an indented literal block;
- links are written `` `text <url>`_ ``, or as references (`` `text`_ ``, ``name_``) to
  targets defined elsewhere; literals take two backticks; roles (``:ref:`x```) and
  substitutions (``|name|``) wrap words; tables are drawn with ``+``, ``|``, ``-`` and ``=``.

The words, blocks, links and styles then come out as the Markdown parse gives them
(`document.tokenize`), so the two kinds of file compare word for word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import accumulate, islice
from pathlib import PurePath

from viewer.core.cancel import check, polled
from viewer.core.document import (
    BOLD,
    CODE,
    IMAGE,
    ITALIC,
    STAR_EMPHASIS,
    Document,
    Link,
    Masker,
    OpenBlock,
    ScannedBlock,
    add_bare_urls,
    hide_emphasis,
    hide_escapes,
    indent_columns,
    item_depth,
    tokenize,
)
from viewer.core.model import BlockKind

__all__ = ["is_rest", "parse_rest"]

REST_SUFFIXES = (".rst", ".rest")

# A line of one punctuation character repeated: a title's underline or overline, a transition.
_ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1+[ \t]*$")
_EXPLICIT = re.compile(r"([ \t]*)\.\.(?:[ \t]+|$)")
_TARGET = re.compile(r"_(`[^`]+`|[^:`]*)?:(?:[ \t]+|$)")
_SUBSTITUTION_DEFINITION = re.compile(r"\|([^|\n]+)\|[ \t]+([\w-]+)::")
_FOOTNOTE = re.compile(r"\[([^\]\n]+)\](?:[ \t]+|$)")
_DIRECTIVE = re.compile(r"(\w[\w:+.-]*)::(?:[ \t]+|$)")
_OPTION = re.compile(r"[ \t]*:([^:\n]+):(?:[ \t]+|$)")
_BULLET = re.compile(r"([ \t]*)([-*+•‣⁃])(?:[ \t]+|$)")
_ENUMERATOR = r"(?:\d+|#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)"
_ENUMERATED = re.compile(rf"([ \t]*)(?:{_ENUMERATOR}[.)]|\({_ENUMERATOR}\))[ \t]+(?=\S)")
_LINE_BLOCK = re.compile(r"([ \t]*)\|(?:[ \t]+|$)")
_GRID_BORDER = re.compile(r"[ \t]*\+(?:[-=:]+\+)+[ \t]*$")
_SIMPLE_BORDER = re.compile(r"[ \t]*=+(?:[ \t]+=+)+[ \t]*$")
_SIMPLE_RULE = re.compile(r"[ \t]*[-=]+(?:[ \t]+[-=]+)*[ \t]*$")
_DOCTEST = re.compile(r"[ \t]*>>>")
# Lines that only reStructuredText writes: a directive, a hyperlink target. (Searched for
# after a line end: a search that starts with a fixed string skips through a long text.)
_EVIDENCE = r"\.\. (?:[\w-]+::|_[^:\n]+:)"
_EXPLICIT_EVIDENCE = re.compile("\n" + _EVIDENCE)
_EVIDENCE_FIRST = re.compile(_EVIDENCE)

# Directives whose body is code, shown as it is.
_CODE_DIRECTIVES = frozenset({"code", "code-block", "sourcecode", "parsed-literal", "math"})
# Directives that show nothing of their own text (or nothing at all) where they stand.
_HIDDEN_DIRECTIVES = frozenset(
    {
        "raw",
        "toctree",
        "contents",
        "include",
        "literalinclude",
        "meta",
        "index",
        "highlight",
        "role",
        "default-role",
        "sectnum",
        "section-numbering",
        "target-notes",
        "title",
        "class",
    }
)
_IMAGE_DIRECTIVES = frozenset({"image", "figure"})

# Inline markup (see _scan_inline).
_LITERAL = re.compile(r"``(?=\S)((?:[^\n]|\n(?![ \t]*\n))+?)(?<=\S)``(?!`)")
_INTERPRETED = re.compile(
    r"(?<![\w`])(?::(?P<before>[\w:+.-]+):)?`(?=[^\s`])(?P<body>(?:[^`\n]|\n(?![ \t]*\n))+?)(?<=[^\s\\])`"
    r"(?::(?P<after>[\w:+.-]+):|(?P<reference>__?)(?!\w))?"
)
_EMBEDDED = re.compile(r"(.*?)\s*<([^<>]+)>\Z", re.S)
_FOOTNOTE_REFERENCE = re.compile(r"(?<!\S)\[(?:#[\w.-]*|\*|\d+|[A-Za-z][\w.-]*)\]_(?!\w)")
_SUBSTITUTION = re.compile(r"\|(?=\S)([^|\n]+?)(?<=\S)\|(?:__?)?(?![\w|])")
_SIMPLE_REFERENCE = re.compile(r"(?<![\w./\\-])([A-Za-z0-9](?:[\w.+-]*[A-Za-z0-9])?)(__?)(?![\w])")

# Roles whose text a reader sees after a label.
_ROLE_LABELS = {"rfc": "RFC ", "rfc-reference": "RFC ", "pep": "PEP ", "pep-reference": "PEP "}
_ROLE_STYLES = {
    "emphasis": ITALIC,
    "title-reference": ITALIC,
    "title": ITALIC,
    "t": ITALIC,
    "strong": BOLD,
    "literal": CODE,
    "code": CODE,
    "samp": CODE,
    "file": CODE,
    "command": CODE,
    "kbd": CODE,
    "option": CODE,
}


def is_rest(name: str, text: str) -> bool:
    """Whether a file's text is reStructuredText: by its suffix, or, for a .txt file or one
    without a suffix, by three lines or more of explicit markup (directives, targets)."""
    suffix = PurePath(name).suffix.lower()
    if suffix in REST_SUFFIXES:
        return True
    if suffix not in (".txt", ""):
        return False
    found = 1 if _EVIDENCE_FIRST.match(text) else 0
    return found + len(list(islice(_EXPLICIT_EVIDENCE.finditer(text), 3 - found))) >= 3


def parse_rest(text: str, cancelled: Callable[[], bool] = lambda: False) -> Document:
    """Cut reStructuredText into blocks and visible tokens; `cancelled` is polled (raising Cancelled)."""
    chars = Masker(text)
    scan = _BlockScan(text, chars, cancelled)
    blocks = scan.run()
    chars.apply(cancelled)
    check(cancelled)
    # Nothing in a literal block is markup: inline markup is looked for around them.
    code = [(start, end) for kind, start, end, _ in blocks if kind is BlockKind.CODE]
    links, emphasis = _scan_inline(chars, scan, code, cancelled)
    check(cancelled)
    return tokenize(text, chars, blocks, links, emphasis, cancelled)


class _Literals:
    """Stretches of the masked text that inline markup must not touch (literal blocks and
    inline literals' contents): blanked while it is looked for, then put back."""

    def __init__(self, chars: Masker, ranges: list[tuple[int, int]]) -> None:
        self.chars = chars
        self.original = chars.text
        self.ranges: list[tuple[int, int]] = []
        self.add(ranges)

    def add(self, ranges: list[tuple[int, int]]) -> None:
        """Blank more stretches (the masker applied): letters for all but whitespace, so that
        words and lines stay as they are."""
        if not ranges:
            return
        self.chars.apply()
        text = self.chars.text
        self.ranges.extend(ranges)
        self.chars.text = _spliced(text, ranges, lambda start, end: _BLANKING.sub("x", text[start:end]))

    def restore(self) -> None:
        self.chars.apply()
        if self.ranges:
            original = self.original
            self.chars.text = _spliced(self.chars.text, self.ranges, lambda start, end: original[start:end])


_BLANKING = re.compile(r"\S")
# A backslash and what it escapes, left to right (an escaped backslash escapes nothing more).
_BACKSLASHED = re.compile(r"\\(.)")


def _spliced(text: str, ranges: list[tuple[int, int]], piece: Callable[[int, int], str]) -> str:
    """The text with each of the (start, end) ranges, which must not overlap, made by `piece`."""
    out: list[str] = []
    at = 0
    for start, end in sorted(ranges):
        out.append(text[at:start])
        out.append(piece(start, end))
        at = end
    out.append(text[at:])
    return "".join(out)


def _name(reference: str) -> str:
    """A reference name as reStructuredText matches them: case and spacing do not count."""
    return " ".join(reference.strip("`").split()).lower()


class _BlockScan:
    """One pass over the lines, hiding block markup with spaces, collecting what inline
    markup refers to: hyperlink targets and substitution definitions."""

    def __init__(self, text: str, chars: Masker, cancelled: Callable[[], bool]) -> None:
        self.chars = chars
        self.cancelled = cancelled
        self.lines = text.split("\n")
        self.offsets = list(accumulate((len(line) + 1 for line in self.lines[:-1]), initial=0))
        self.blocks: list[ScannedBlock] = []
        self.current: OpenBlock | None = None
        #: Title styles (character, overlined) in the order they appear: the level is the place.
        self.styles: list[tuple[str, bool]] = []
        self.targets: dict[str, str] = {}
        self.anonymous_targets: list[str] = []
        #: Substitution names, and whether what they stand for shows as text.
        self.substitutions: dict[str, bool] = {}
        self.links: list[Link] = []
        self.emphasis: list[tuple[int, int, int]] = []
        # A paragraph line ending in "::" (offset of the line, its text), while it is the last one.
        self.colons: tuple[int, str] | None = None
        # The indent that a literal block must exceed, when a paragraph ended in "::".
        self.literal_indent: int | None = None
        self.paragraph_indent = 0
        #: The marker indents of the list items around the last one (see document.item_depth).
        self.list_indents: list[int] = []

    # --- lines -------------------------------------------------------------------------

    def blank(self, i: int) -> bool:
        return not self.lines[i].strip()

    def indent(self, i: int) -> int:
        line = self.lines[i]
        return len(line) - len(line.lstrip(" \t"))

    def hide_line(self, i: int, start: int = 0, end: int | None = None) -> None:
        line = self.lines[i]
        stop = len(line) if end is None else end
        self.chars.hide(self.offsets[i] + start, self.offsets[i] + stop, " ")

    def line_end(self, i: int) -> int:
        return self.offsets[i] + len(self.lines[i])

    def extent(self, i: int, base: int | None = None) -> int:
        """The last line of the construct starting at line i: what follows indented deeper than
        `base` (by default, line i's indent), blank lines between included."""
        base = self.indent(i) if base is None else base
        last = i
        j = i + 1
        while j < len(self.lines) and (self.blank(j) or self.indent(j) > base):
            if not self.blank(j):
                last = j
            j += 1
        return last

    # --- blocks ------------------------------------------------------------------------

    def close(self) -> None:
        if self.colons is not None:
            self.hide_colons(*self.colons)
            self.colons = None
            self.literal_indent = self.paragraph_indent
        if self.current is not None:
            self.blocks.append(self.current.closed())
            self.current = None

    def hide_colons(self, offset: int, line: str) -> None:
        """A paragraph's closing "::" reads as ":" after a word, and as nothing on its own."""
        content = line.rstrip()
        end = offset + len(content)
        before = content[:-2]
        if not before.strip() or before[-1:].isspace():
            self.chars.hide(end - 2, end, " ")
        else:
            self.chars.hide(end - 1, end, " ")

    def list_depth(self, i: int) -> int:
        """The depth of a list item starting at line i (closing the block before)."""
        self.close()
        after_item = bool(self.blocks) and self.blocks[-1][0] is BlockKind.LIST_ITEM
        return item_depth(self.list_indents, self.indent(i), after_item)

    def open(self, kind: BlockKind, i: int, start_column: int, level: int = 0) -> None:
        self.close()
        self.current = OpenBlock(kind, self.offsets[i] + start_column, self.line_end(i), level)
        self.paragraph_indent = self.indent(i)
        self.note_colons(i)

    def go_on(self, i: int) -> None:
        assert self.current is not None
        self.current.end = self.line_end(i)
        self.note_colons(i)

    def note_colons(self, i: int) -> None:
        line = self.lines[i]
        self.colons = (self.offsets[i], line) if line.rstrip().endswith("::") else None

    def add(self, kind: BlockKind, first: int, last: int, start_column: int = 0) -> None:
        """A block of lines first..last, closing the one open. Code's lines keep their indent
        beyond the least of them (its level), as reST removes that."""
        self.close()
        level = 0
        if kind is BlockKind.CODE:
            # In columns, as the merged text counts them (a tab to the next multiple of four).
            lines = (self.lines[k] for k in range(first, last + 1) if not self.blank(k))
            level = min(map(indent_columns, lines), default=0)
        self.blocks.append((kind, self.offsets[first] + start_column, self.line_end(last), level))

    # --- the scan ----------------------------------------------------------------------

    def run(self) -> list[ScannedBlock]:
        i = 0
        n = len(self.lines)
        while i < n:
            if not i & 1023:
                check(self.cancelled)
            if self.blank(i):
                self.close()
                i += 1
                continue
            if self.literal_indent is not None:
                literal_indent, self.literal_indent = self.literal_indent, None
                if self.current is None and self.indent(i) > literal_indent:
                    i = self.literal(i, literal_indent)
                    continue
            i = self.element(i) if self.current is None else self.inside(i)
        self.close()
        return self.blocks

    def inside(self, i: int) -> int:
        """A line right after another of an open block: a new list item, or more of the block."""
        assert self.current is not None
        line = self.lines[i]
        if self.current.kind is BlockKind.LIST_ITEM and (_BULLET.match(line) or _ENUMERATED.match(line)):
            return self.element(i)
        if self.current.kind is BlockKind.PARAGRAPH and self.lines[i - 1].lstrip().startswith("|"):
            m = _LINE_BLOCK.match(line)
            if m:
                self.hide_line(i, len(m.group(1)), m.end())
        self.go_on(i)
        return i + 1

    def element(self, i: int) -> int:
        """The start of a body element at line i; returns the line after what it took."""
        line = self.lines[i]
        stripped = line.strip()
        n = len(self.lines)
        adornment = _ADORNMENT.match(line)
        if adornment and self.indent(i) == 0:
            title = self.title(i, adornment.group(1))
            if title:
                return title
            if len(stripped) >= 4 and (i + 1 >= n or self.blank(i + 1)):
                self.close()
                self.hide_line(i)  # a transition
                return i + 1
        if self.indent(i) == 0 and i + 1 < n and not adornment:
            underline = _ADORNMENT.match(self.lines[i + 1])
            width = len(self.lines[i + 1].rstrip())
            if underline and (width >= len(stripped) or width >= 4):
                self.close()
                self.hide_line(i + 1)
                level = self.level(underline.group(1), overlined=False)
                self.blocks.append((BlockKind.HEADING, self.offsets[i], self.line_end(i), level))
                return i + 2
        if _EXPLICIT.match(line):
            return self.explicit(i)
        if _GRID_BORDER.match(line):
            return self.grid_table(i)
        if _SIMPLE_BORDER.match(line):
            return self.simple_table(i)
        if _DOCTEST.match(line):
            last = i
            while last + 1 < n and not self.blank(last + 1):
                last += 1
            self.add(BlockKind.CODE, i, last, self.indent(i))
            return last + 1
        m = _BULLET.match(line)
        if m:
            self.hide_line(i, len(m.group(1)), m.end())
            self.open(BlockKind.LIST_ITEM, i, m.end(), self.list_depth(i))
            return i + 1
        m = _ENUMERATED.match(line)
        if m:
            if "#" in m.group(0):
                self.hide_line(i, len(m.group(1)), m.end())
            self.open(BlockKind.LIST_ITEM, i, len(m.group(1)), self.list_depth(i))
            return i + 1
        m = _LINE_BLOCK.match(line)
        if m:
            self.hide_line(i, len(m.group(1)), m.end())
            if stripped == "|":
                self.close()  # an empty line of a line block: a gap, nothing to read
                return i + 1
            self.open(BlockKind.PARAGRAPH, i, m.end())
            return i + 1
        self.open(BlockKind.PARAGRAPH, i, self.indent(i))
        return i + 1

    def level(self, character: str, *, overlined: bool) -> int:
        style = (character, overlined)
        if style not in self.styles:
            self.styles.append(style)
        return min(6, self.styles.index(style) + 1)

    def title(self, i: int, character: str) -> int:
        """An overlined title at line i: overline, title, underline. Returns the line after it, or 0."""
        n = len(self.lines)
        if i + 2 >= n or self.blank(i + 1):
            return 0
        under = _ADORNMENT.match(self.lines[i + 2])
        if not under or under.group(1) != character or _ADORNMENT.match(self.lines[i + 1]):
            return 0
        self.close()
        self.hide_line(i)
        self.hide_line(i + 2)
        start = self.indent(i + 1)
        level = self.level(character, overlined=True)
        self.blocks.append((BlockKind.HEADING, self.offsets[i + 1] + start, self.line_end(i + 1), level))
        return i + 3

    def literal(self, i: int, base: int) -> int:
        """The literal block a "::" announced: lines indented deeper than `base`, blank ones among them."""
        last = self.extent(i, base)
        self.add(BlockKind.CODE, i, last, self.indent(i))
        return last + 1

    def grid_table(self, i: int) -> int:
        """A grid table: borders hidden, cell walls hidden, each row (between borders) one block."""
        self.close()
        j = i
        first_row: int | None = None
        while j < len(self.lines) and self.lines[j].lstrip().startswith(("+", "|")):
            line = self.lines[j]
            if _GRID_BORDER.match(line):
                self.hide_line(j)
                if first_row is not None:
                    self.add(BlockKind.PARAGRAPH, first_row, j - 1)
                    first_row = None
            else:
                for wall in re.finditer(r"\|", line):
                    self.chars.hide(self.offsets[j] + wall.start(), self.offsets[j] + wall.end(), " ")
                if first_row is None:
                    first_row = j
            j += 1
        if first_row is not None:
            self.add(BlockKind.PARAGRAPH, first_row, j - 1)
        return j

    def simple_table(self, i: int) -> int:
        """A simple table: its rules hidden, each row one block, up to the rule that ends it."""
        self.close()
        self.hide_line(i)
        j = i + 1
        n = len(self.lines)
        while j < n:
            if _SIMPLE_BORDER.match(self.lines[j]):
                self.hide_line(j)
                if j + 1 >= n or self.blank(j + 1):
                    return j + 1
            elif _SIMPLE_RULE.match(self.lines[j]):
                self.hide_line(j)  # a rule under a heading that spans columns
            elif not self.blank(j):
                self.add(BlockKind.PARAGRAPH, j, j, self.indent(j))
            j += 1
        return j

    # --- explicit markup ---------------------------------------------------------------

    def explicit(self, i: int) -> int:
        """Explicit markup (".. "): a target, a substitution, a footnote, a directive or a comment."""
        self.close()
        line = self.lines[i]
        marker = _EXPLICIT.match(line)
        assert marker is not None
        at = marker.end()
        rest = line[at:]
        last = self.extent(i)
        target = _TARGET.match(rest)
        if target:
            url = "".join([rest[target.end() :], *(self.lines[k].strip() for k in range(i + 1, last + 1))])
            url = "".join(url.split())
            name = target.group(1)
            if name is None or name == "_":
                self.anonymous_targets.append(url)
            else:
                self.targets[_name(name)] = url
            self.hide_lines(i, last)
            return last + 1
        definition = _SUBSTITUTION_DEFINITION.match(rest)
        if definition:
            shows_text = definition.group(2).lower() in ("replace", "unicode")
            self.substitutions[_name(definition.group(1))] = shows_text
            self.hide_lines(i, last)
            return last + 1
        footnote = _FOOTNOTE.match(rest)
        if footnote:
            self.hide_line(i, 0, at + footnote.end())
            if at + footnote.end() < len(line.rstrip()):
                self.add(BlockKind.PARAGRAPH, i, last, at + footnote.end())
            elif last > i:
                self.add(BlockKind.PARAGRAPH, i + 1, last, self.indent(i + 1))
            return last + 1
        directive = _DIRECTIVE.match(rest)
        if not directive:
            self.hide_lines(i, last)  # a comment
            return last + 1
        return self.directive(i, last, directive.group(1).lower(), at + directive.end())

    def hide_lines(self, first: int, last: int) -> None:
        for k in range(first, last + 1):
            self.hide_line(k)

    def directive(self, i: int, last: int, name: str, argument_at: int) -> int:
        """A directive from line i to `last`, its argument starting at column `argument_at` of line i."""
        if name in _HIDDEN_DIRECTIVES or ":" in name:
            self.hide_lines(i, last)
            return last + 1
        self.hide_line(i, 0, argument_at)
        # Options: the lines right after the first that start with ":name:".
        j = i + 1
        options: list[tuple[int, str, int]] = []
        while j <= last and not self.blank(j):
            option = _OPTION.match(self.lines[j])
            if not option:
                break
            options.append((j, option.group(1).strip().lower(), option.end()))
            j += 1
        body = j
        while body <= last and self.blank(body):
            body += 1
        if name in _IMAGE_DIRECTIVES:
            self.image(i, argument_at, options)
            if name == "figure" and body <= last:
                self.paragraphs(body, last, BlockKind.IMAGE)
            return last + 1
        for k, _, _ in options:
            self.hide_line(k)
        argument = self.lines[i][argument_at:].strip()
        if name in _CODE_DIRECTIVES:
            if argument and name == "math":
                self.add(BlockKind.CODE, i, i, argument_at)
            else:
                self.hide_line(i)  # the language's name
            if body <= last:
                self.add(BlockKind.CODE, body, last, self.indent(body))
            return last + 1
        # Admonitions, topics, tables and the like: the argument (a title) reads as a
        # paragraph, the body is scanned as the text it is.
        if argument:
            self.add(BlockKind.PARAGRAPH, i, i, argument_at)
        return body

    def image(self, i: int, argument_at: int, options: list[tuple[int, str, int]]) -> None:
        """An image: its URL and options hidden, its alt text shown as an image block (a link
        when the image has a target)."""
        self.hide_line(i, argument_at)
        alt: tuple[int, int] | None = None  # the line, and the column where the text starts
        target = ""
        for k, option, value_at in options:
            if option == "alt":
                self.hide_line(k, 0, value_at)
                alt = (k, value_at)
            else:
                if option == "target":
                    target = self.lines[k][value_at:].strip()
                self.hide_line(k)
        if alt is None:
            return
        line, column = alt
        start, end = self.offsets[line] + column, self.line_end(line)
        self.add(BlockKind.IMAGE, line, line, column)
        # The alt text reads as a Markdown image's does: in the image style, linked to the target.
        self.emphasis.append((start, end, IMAGE))
        if target:
            self.links.append(Link(start, end, target))

    def paragraphs(self, first: int, last: int, kind: BlockKind) -> None:
        """Lines first..last as blocks of `kind`, one for each run that blank lines separate."""
        k = first
        while k <= last:
            if self.blank(k):
                k += 1
                continue
            end = k
            while end + 1 <= last and not self.blank(end + 1):
                end += 1
            self.add(kind, k, end, self.indent(k))
            k = end + 1


def _scan_inline(
    chars: Masker, scan: _BlockScan, code: list[tuple[int, int]], cancelled: Callable[[], bool]
) -> tuple[list[Link], list[tuple[int, int, int]]]:
    """Hide inline markup outside the `code` ranges; return links and emphasis ranges in source offsets."""
    links = list(scan.links)
    emphasis = list(scan.emphasis)
    literals = _Literals(chars, code)
    text = chars.text
    # Inline literals first: nothing inside them is markup, not even a backslash.
    if "``" in text:
        inside: list[tuple[int, int]] = []
        for m in polled(_LITERAL.finditer(text), cancelled):
            chars.hide(m.start(), m.start() + 2)
            chars.hide(m.end() - 2, m.end())
            emphasis.append((m.start(), m.end(), CODE))
            inside.append((m.start() + 2, m.end() - 2))
        literals.add(inside)
    check(cancelled)
    hide_escapes(chars, cancelled)
    if "\\" in text:
        # An escaped space is no space: it joins markup to the word it touches (*word*\ s).
        for m in polled(_BACKSLASHED.finditer(text), cancelled):
            if m.group(1) in " \t":
                chars.hide(m.start(), m.end())
    chars.apply(cancelled)
    text = chars.text
    # Anonymous references take the anonymous targets in the order both appear.
    anonymous: list[tuple[int, int]] = []
    if "`" in text:
        for m in polled(_INTERPRETED.finditer(text), cancelled):
            _interpreted(m, chars, scan.targets, links, emphasis, anonymous)
        text = chars.settle(cancelled)
    if "]_" in text:
        for m in polled(_FOOTNOTE_REFERENCE.finditer(text), cancelled):
            chars.hide(m.start(), m.end())
    if "|" in text and scan.substitutions:
        for m in polled(_SUBSTITUTION.finditer(text), cancelled):
            shows_text = scan.substitutions.get(_name(m.group(1)))
            if shows_text is None:
                continue
            if shows_text:
                chars.hide(m.start(), m.start() + 1)
                chars.hide(m.start(1) + len(m.group(1)), m.end())
            else:
                chars.hide(m.start(), m.end())
    if "_" in text and (scan.targets or scan.anonymous_targets):
        for m in polled(_SIMPLE_REFERENCE.finditer(text), cancelled):
            if m.group(2) == "__":
                anonymous.append((m.start(), m.end()))
            elif _name(m.group(1)) in scan.targets:
                links.append(Link(m.start(), m.end(), _resolve(scan.targets, _name(m.group(1)))))
            else:
                continue
            chars.hide(m.start(2), m.end())
    for (start, end), url in zip(sorted(anonymous), scan.anonymous_targets, strict=False):
        links.append(Link(start, end, url))
    chars.apply(cancelled)
    check(cancelled)
    hide_emphasis(chars, emphasis, STAR_EMPHASIS, cancelled)
    add_bare_urls(chars.text, links, cancelled)
    literals.restore()
    links.sort(key=lambda link: link.start)
    emphasis.sort()
    return links, emphasis


def _interpreted(
    m: re.Match[str],
    chars: Masker,
    targets: dict[str, str],
    links: list[Link],
    emphasis: list[tuple[int, int, int]],
    anonymous: list[tuple[int, int]],
) -> None:
    """Backquoted text: a role's, a hyperlink reference's (maybe with its URL), or plain
    interpreted text. Only the text a reader sees stays."""
    body_start, body_end = m.start("body"), m.end("body")
    shown_start, shown_end = body_start, body_end
    url: str | None = None
    embedded = _EMBEDDED.match(m.group("body"))
    if embedded:
        if embedded.group(1):
            shown_end = body_start + len(embedded.group(1))
        else:
            # `<https://example.org>`_: the address is what shows.
            shown_start, shown_end = body_start + 1, body_end - 1
        url = embedded.group(2)
    reference = m.group("reference")
    role = m.group("before") or m.group("after")
    label = _ROLE_LABELS.get(m.group("before").lower()) if m.group("before") else None
    if label:
        chars.replace(m.start(), shown_start, label)  # :rfc:`2616` reads "RFC 2616"
    else:
        chars.hide(m.start(), shown_start)
    chars.hide(shown_end, m.end())
    if reference:
        if url is not None:
            name = _name(url[:-1]) if url.endswith("_") else None
            target = _resolve(targets, name) if name else "".join(url.split())
            links.append(Link(m.start(), m.end(), target))
            if reference == "_" and embedded and embedded.group(1):
                # `Python <https://python.org>`_ also names a target: Python_ links there too.
                targets.setdefault(_name(embedded.group(1)), target)
        elif reference == "__":
            anonymous.append((m.start(), m.end()))
        else:
            links.append(Link(m.start(), m.end(), _resolve(targets, _name(m.group("body")))))
        return
    style = _ROLE_STYLES.get(role.lower(), 0) if role else ITALIC
    if style:
        emphasis.append((m.start(), m.end(), style))


def _resolve(targets: dict[str, str], name: str) -> str:
    """A reference's URL: its target's, through aliases (``.. _a: b_``); a name without an
    external target refers to a place in the document (a section title, say)."""
    seen: set[str] = set()
    while name in targets and name not in seen:
        seen.add(name)
        url = targets[name]
        if not url:
            break  # an internal target (".. _name:"): the place that follows it
        if not url.endswith("_") or "://" in url:
            return url
        name = _name(url[:-1])
    return "#" + "-".join(name.split())
