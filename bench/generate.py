"""Deterministic pairs of document variants (web Markdown vs PDF text) with known edits."""

from __future__ import annotations

import functools
import importlib
import inspect
import random
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = [
    "GeneratedPair",
    "KnownEdit",
    "MovedParagraph",
    "make_pair",
    "prose_paragraphs",
    "rewrap",
]

#: Pure-Python standard-library modules whose docstrings supply prose. Fixed so that the
#: material does not depend on what happens to be importable; modules missing from an
#: install (removed in newer Pythons, or built without their C part) are skipped.
STDLIB_MODULES: tuple[str, ...] = (
    "abc", "argparse", "ast", "asyncio.base_events", "asyncio.events", "asyncio.futures",
    "asyncio.locks", "asyncio.protocols", "asyncio.queues", "asyncio.runners",
    "asyncio.streams", "asyncio.subprocess", "asyncio.tasks", "asyncio.transports",
    "base64", "bdb", "bisect", "bz2", "calendar", "cmd", "code", "codecs", "codeop",
    "collections", "collections.abc", "colorsys", "compileall", "concurrent.futures",
    "concurrent.futures.process", "concurrent.futures.thread", "configparser",
    "contextlib", "copy", "copyreg", "csv", "dataclasses", "datetime", "decimal",
    "difflib", "dis", "doctest", "email", "email.charset", "email.contentmanager",
    "email.encoders", "email.errors", "email.feedparser", "email.generator",
    "email.header", "email.headerregistry", "email.iterators", "email.message",
    "email.mime.base", "email.mime.multipart", "email.mime.text", "email.parser",
    "email.policy", "email.utils", "enum", "filecmp", "fileinput", "fnmatch", "fractions",
    "ftplib", "functools", "getopt", "getpass", "gettext", "glob", "graphlib", "gzip",
    "hashlib", "heapq", "hmac", "html", "html.parser", "http", "http.client",
    "http.cookiejar", "http.cookies", "http.server", "imaplib", "importlib",
    "importlib.abc", "importlib.machinery", "importlib.metadata", "importlib.resources",
    "importlib.util", "inspect", "io", "ipaddress", "json", "json.decoder", "json.encoder",
    "keyword", "linecache", "locale", "logging", "logging.config", "logging.handlers",
    "lzma", "mailbox", "mimetypes", "modulefinder", "multiprocessing.connection",
    "multiprocessing.context", "multiprocessing.managers", "multiprocessing.pool",
    "multiprocessing.process", "multiprocessing.queues", "multiprocessing.shared_memory",
    "multiprocessing.synchronize", "netrc", "ntpath", "numbers", "opcode", "operator",
    "optparse", "os", "pathlib", "pdb", "pickle", "pickletools", "pkgutil", "platform",
    "plistlib", "poplib", "posixpath", "pprint", "profile", "pstats", "py_compile",
    "pyclbr", "pydoc", "queue", "quopri", "random", "re", "reprlib", "rlcompleter",
    "runpy", "sched", "secrets", "selectors", "shelve", "shlex", "shutil", "signal",
    "smtplib", "socket", "socketserver", "sqlite3", "ssl", "stat", "statistics", "string",
    "stringprep", "struct", "subprocess", "symtable", "sysconfig", "tabnanny", "tarfile",
    "tempfile", "textwrap", "threading", "timeit", "token", "tokenize", "tomllib", "trace",
    "traceback", "tracemalloc", "types", "typing", "unittest", "unittest.case",
    "unittest.loader", "unittest.main", "unittest.mock", "unittest.result",
    "unittest.runner", "unittest.suite", "urllib.error", "urllib.parse", "urllib.request",
    "urllib.response", "urllib.robotparser", "uuid", "warnings", "wave", "weakref",
    "webbrowser", "wsgiref.handlers", "wsgiref.headers", "wsgiref.simple_server",
    "wsgiref.util", "wsgiref.validate", "xml.dom.expatbuilder", "xml.dom.minidom",
    "xml.dom.pulldom", "xml.etree.ElementTree", "xml.sax", "xml.sax.handler",
    "xml.sax.saxutils", "xml.sax.xmlreader", "xmlrpc.client", "xmlrpc.server", "zipapp",
    "zipfile", "zipimport", "zoneinfo",
)  # fmt: skip

TITLE = "Notes on the Python Language and Its Library"
HEADER = "Python Reference"

_PROSE_WORD = re.compile(r"""^[("'\u201c]?[A-Za-z][A-Za-z'\u2019-]*[.,;:!?)"'\u201d]*$""")
# Characters that are markup in Markdown (or code in docstrings): a word carrying one would
# make the web side's visible text differ from the PDF side's, which the pair must not do.
_MARKUP_TOKEN = re.compile(r"[_\[\]<>\\|~{}#&*`=()@$%^+/]|\.\w")
_SENTENCE_END = re.compile(r"""[.!?]["')\u201d]?$""")
_ALPHA = re.compile(r"^[A-Za-z]+$")
_BLANK_LINES = re.compile(r"\n[ \t\f]*\n")


@dataclass(frozen=True)
class KnownEdit:
    """One word that differs between the sides, with where it stands on each side."""

    kind: str  # "substitute" | "insert" | "delete"
    left_text: str  # the word on the left side ("" for insert)
    right_text: str  # the word on the right side ("" for delete)
    left_offset: int  # where the word starts on the left (insert: the word it precedes)
    right_offset: int  # where the word starts on the right (delete: the word that follows)


@dataclass(frozen=True)
class MovedParagraph:
    """A paragraph that stands elsewhere on the right side; the texts are exact slices."""

    left_offset: int
    left_text: str
    right_offset: int
    right_text: str


@dataclass(frozen=True)
class GeneratedPair:
    """A web rendering and a PDF rendering of one document, with the differences planted."""

    left: str
    right: str
    edits: tuple[KnownEdit, ...]
    moves: tuple[MovedParagraph, ...] = ()


@dataclass(frozen=True)
class _Section:
    title: str
    paragraphs: tuple[str, ...]


def _clean_paragraphs(text: str) -> list[str]:
    """Prose paragraphs of a documentation text, without code, tables or markup words."""
    found: list[str] = []
    for block in _BLANK_LINES.split(text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        # A block whose lines are indented unevenly is a definition list, a table or code.
        if len({len(line) - len(line.lstrip()) for line in lines}) != 1:
            continue
        if any(line.lstrip().startswith((">>>", "...", "$ ", "%")) for line in lines):
            continue
        words = " ".join(lines).split()
        if len(words) < 8 or sum(bool(_PROSE_WORD.match(w)) for w in words) < 0.7 * len(words):
            continue
        words = [w.replace("`", "").replace("*", "") for w in words]
        words = [w for w in words if w and not _MARKUP_TOKEN.search(w)]
        if len(words) < 8:
            continue
        paragraph = " ".join(words)
        if paragraph[0].isupper() and _SENTENCE_END.search(paragraph):
            found.append(paragraph)
    return found


def _clean_title(title: str) -> str:
    return " ".join(w for w in title.split() if not _MARKUP_TOKEN.search(w))


def _documented_objects(module: object, name: str) -> Iterator[object]:
    """The module, then its public classes, their methods, and its functions, by name."""
    yield module
    for attr, value in sorted(vars(module).items()):
        if attr.startswith("_") or getattr(value, "__module__", None) != name:
            continue
        if inspect.isclass(value):
            yield value
            for member_name, member in sorted(vars(value).items()):
                if member_name.startswith("_"):
                    continue
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                if inspect.isfunction(member) or isinstance(member, property):
                    yield member
        elif inspect.isfunction(value):
            yield value


@functools.cache
def _sections() -> tuple[_Section, ...]:
    """The prose material: reference topics, then module docstrings, each paragraph once."""
    from pydoc_data.topics import topics

    seen: set[str] = set()
    sections: list[_Section] = []

    def add(title: str, paragraphs: list[str]) -> None:
        fresh = [p for p in paragraphs if p not in seen]
        seen.update(fresh)
        if fresh and title:
            sections.append(_Section(title, tuple(fresh)))

    titles: set[str] = set()
    for key in sorted(topics):
        text = topics[key]
        first, _, rest = text.partition("\n")
        title = _clean_title(first)
        if title in titles:
            continue
        titles.add(title)
        add(title, _clean_paragraphs(rest))

    with warnings.catch_warnings():
        # Importing and inspecting deprecated modules warns; the prose is still prose.
        warnings.simplefilter("ignore")
        for name in STDLIB_MODULES:
            try:
                module = importlib.import_module(name)
            except Exception:
                continue
            paragraphs: list[str] = []
            for obj in _documented_objects(module, name):
                doc = getattr(obj, "__doc__", None)
                if isinstance(doc, str):
                    paragraphs.extend(_clean_paragraphs(inspect.cleandoc(doc)))
            add(f"The {name} module", paragraphs)
    return tuple(sections)


def _document() -> Iterator[tuple[bool, str]]:
    """Endless (is_heading, text) paragraphs: the material as numbered parts and sections.

    Every pass over the material is a new part with its sections shuffled and numbered
    anew, so that a long document is not one text repeated verbatim: the numbered
    headings are unique, as in a real manual, and passages recur in new neighbourhoods.
    """
    sections = _sections()
    part = 0
    while True:
        order = list(sections)
        if part:
            random.Random(f"part-{part}").shuffle(order)
        for number, section in enumerate(order, 1):
            yield True, f"{part + 1}.{number} {section.title}"
            for paragraph in section.paragraphs:
                yield False, paragraph
        part += 1


def prose_paragraphs(min_chars: int) -> list[str]:
    """Real prose paragraphs (with their section headings) totalling at least min_chars."""
    found: list[str] = []
    total = 0
    for _, text in _document():
        if total >= min_chars:
            break
        found.append(text)
        total += len(text)
    return found


def _wrap_words(
    words: list[str], width: int, split: Callable[[int, int], int] | None = None
) -> tuple[list[str], list[tuple[int, int]]]:
    """Greedy hard wrap: the lines, and per word the (line, column) where it starts.

    ``split(index, room)`` may return a cut position k to end the line with
    ``word[:k] + "-"`` when the word does not fit; 0 keeps the word whole.
    """
    lines: list[str] = []
    starts: list[tuple[int, int]] = []
    current: list[str] = []
    length = 0
    for index, word in enumerate(words):
        if current and length + 1 + len(word) > width:
            cut = split(index, width - length - 2) if split else 0
            if cut:
                starts.append((len(lines), length + 1))
                current.append(word[:cut] + "-")
                lines.append(" ".join(current))
                current, length = [word[cut:]], len(word) - cut
                continue
            lines.append(" ".join(current))
            current, length = [], 0
        starts.append((len(lines), length + 1 if current else 0))
        length += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines, starts


def rewrap(text: str, width: int) -> str:
    """Hard-wrap every blank-line separated paragraph of text at width columns."""
    paragraphs = (p.split() for p in _BLANK_LINES.split(text))
    return "\n\n".join("\n".join(_wrap_words(words, width)[0]) for words in paragraphs if words)


@dataclass
class _Paragraph:
    heading: bool
    words: list[str]
    links: list[tuple[int, int, str]]  # word range [start, end) and target
    bold: list[tuple[int, int]]
    moved: bool = False

    def marked(self) -> set[int]:
        """Indexes of the words inside link or emphasis markup."""
        spans = [(s, e) for s, e, _ in self.links] + self.bold
        return {i for s, e in spans for i in range(s, e)}


def _add_markup(paragraph: _Paragraph, rng: random.Random, links: bool, bold: bool) -> None:
    """Give a paragraph the links and emphasis a scraped web page would carry."""
    words = paragraph.words
    if links and rng.random() < 0.3:
        length = rng.randint(1, 3)
        starts = [
            i for i in range(len(words) - length + 1) if all(_ALPHA.match(w) for w in words[i : i + length])
        ]
        if starts:
            start = rng.choice(starts)
            slug = "-".join(w.lower() for w in words[start : start + length])
            target = f"https://example.org/{slug}/{rng.randrange(1000, 10000)}"
            paragraph.links.append((start, start + length, target))
    if bold and rng.random() < 0.12:
        length = rng.randint(1, 2)
        marked = paragraph.marked()
        starts = [
            i
            for i in range(len(words) - length + 1)
            if all(_ALPHA.match(words[j]) and j not in marked for j in range(i, i + length))
        ]
        if starts:
            start = rng.choice(starts)
            paragraph.bold.append((start, start + length))


def _render_left(paragraphs: list[_Paragraph]) -> tuple[str, list[list[int]], list[int]]:
    """The Markdown side, the offset of every word, and the offset of every paragraph."""
    pieces: list[str] = []
    offset = 0
    word_offsets: list[list[int]] = []
    paragraph_offsets: list[int] = []

    def put(text: str) -> None:
        nonlocal offset
        pieces.append(text)
        offset += len(text)

    for number, paragraph in enumerate(paragraphs):
        if number:
            put("\n\n")
        paragraph_offsets.append(offset)
        if paragraph.heading:
            put("# " if number == 0 else "## ")
        offsets: list[int] = []
        if not paragraph.links and not paragraph.bold:
            for word in paragraph.words:
                offsets.append(offset)
                offset += len(word) + 1
            offset -= 1
            pieces.append(" ".join(paragraph.words))
            word_offsets.append(offsets)
            continue
        opening: dict[int, str] = {}
        closing: dict[int, str] = {}
        for start, end, target in paragraph.links:
            opening[start] = opening.get(start, "") + "["
            closing[end - 1] = "](" + target + ")" + closing.get(end - 1, "")
        for start, end in paragraph.bold:
            opening[start] = opening.get(start, "") + "**"
            closing[end - 1] = "**" + closing.get(end - 1, "")
        for index, word in enumerate(paragraph.words):
            if index:
                put(" ")
            if index in opening:
                put(opening[index])
            offsets.append(offset)
            put(word)
            if index in closing:
                put(closing[index])
        word_offsets.append(offsets)
    put("\n")
    return "".join(pieces), word_offsets, paragraph_offsets


def _choose_moves(paragraphs: list[_Paragraph], count: int, rng: random.Random) -> list[int]:
    """Right-side paragraph order with count text paragraphs moved far from their place."""
    order = list(range(len(paragraphs)))
    candidates = [
        i
        for i, p in enumerate(paragraphs)
        if i and not p.heading and not p.links and not p.bold and len(p.words) >= 15
    ]
    chosen = sorted(rng.sample(candidates, min(count, len(candidates))))
    for index in chosen:
        paragraphs[index].moved = True
    order = [i for i in order if not paragraphs[i].moved]
    distance = max(3, len(paragraphs) // 4)
    for index in chosen:
        # Land after the title, far from the origin, before a paragraph that stays put.
        far = [p for p in range(1, len(order)) if abs(order[p] - index) >= distance]
        near = list(range(1, len(order) + 1))
        order.insert(rng.choice(far or near), index)
    return order


@dataclass
class _Edit:
    kind: str
    paragraph: int
    index: int  # the word replaced or deleted, or the word the insert precedes
    word: str  # the new word ("" for delete)


def _choose_edits(
    paragraphs: list[_Paragraph], rate: float, rng: random.Random, vocabulary: list[str]
) -> list[_Edit]:
    """Single-word edits of ordinary words, apart from each other and from any markup."""
    candidates: list[tuple[int, int]] = []
    total = 0
    for number, paragraph in enumerate(paragraphs):
        if paragraph.heading or paragraph.moved:
            continue
        words = paragraph.words
        total += len(words)
        marked = paragraph.marked()
        plain = [bool(_ALPHA.match(w)) and i not in marked for i, w in enumerate(words)]
        candidates.extend(
            (number, i) for i in range(1, len(words) - 1) if plain[i - 1] and plain[i] and plain[i + 1]
        )
    wanted = min(round(rate * total), len(candidates))
    taken: dict[int, list[int]] = {}
    edits: list[_Edit] = []
    for pick in rng.sample(range(len(candidates)), min(len(candidates), 3 * wanted)):
        if len(edits) >= wanted:
            break
        number, i = candidates[pick]
        # Keep edits apart so that each is one difference of one word.
        if any(abs(i - j) <= 3 for j in taken.get(number, ())):
            continue
        words = paragraphs[number].words
        before, word, after = (w.lower() for w in words[i - 1 : i + 2])
        kind = rng.choices(("substitute", "insert", "delete"), weights=(2, 1, 1))[0]
        if kind == "delete":
            # Deleting a word between two equal ones, or next to its own copy, is ambiguous.
            if before == after or word in (before, after):
                continue
            new = ""
        else:
            avoid = {before, word} if kind == "insert" else {before, word, after}
            new = rng.choice(vocabulary)
            while new in avoid:
                new = rng.choice(vocabulary)
            if kind == "substitute" and words[i][0].isupper():
                new = new.capitalize()
        taken.setdefault(number, []).append(i)
        edits.append(_Edit(kind, number, i, new))
    edits.sort(key=lambda e: (e.paragraph, e.index))
    return edits


def _hyphenator(
    words: list[str], protected: set[int], rate: float, rng: random.Random
) -> Callable[[int, int], int]:
    """A line-end hyphenation rule for _wrap_words that leaves protected words whole."""

    def split(index: int, room: int) -> int:
        word = words[index]
        if index in protected or len(word) < 8 or not _ALPHA.match(word):
            return 0
        cut = min(room, len(word) - 3)
        if cut < 3 or rng.random() >= rate:
            return 0
        return cut

    return split


@functools.cache
def _vocabulary() -> tuple[str, ...]:
    words = {
        w
        for section in _sections()
        for p in section.paragraphs
        for w in p.split()
        if 4 <= len(w) <= 10 and w.isalpha() and w.islower() and w.isascii()
    }
    return tuple(sorted(words))


def make_pair(
    size_bytes: int,
    *,
    seed: int = 0,
    edit_rate: float = 0.01,
    wrap: int = 72,
    links: bool = True,
    bold: bool = True,
    headers: bool = True,
    moved_paragraphs: int = 0,
    hyphenation: float = 0.0,
    page_lines: int = 50,
) -> GeneratedPair:
    """A web/PDF pair of about size_bytes (left side, UTF-8) with known word edits.

    The left side is Markdown: a ``#`` title, ``##`` numbered section headings, one
    paragraph per line, some links and bold words. The right side is the same text as a
    PDF extraction gives it: hard-wrapped at ``wrap`` columns, no markup, a form feed and a
    running header every ``page_lines`` lines (``headers``), a fraction ``hyphenation`` of
    line ends splitting a long word with a hyphen, ``moved_paragraphs`` paragraphs moved
    elsewhere, and about ``edit_rate`` of the words substituted, inserted or deleted.
    """
    rng_markup = random.Random(f"{seed}-markup")
    rng_moves = random.Random(f"{seed}-moves")
    rng_edits = random.Random(f"{seed}-edits")
    rng_hyphens = random.Random(f"{seed}-hyphens")

    paragraphs = [_Paragraph(True, TITLE.split(), [], [])]
    size = len(TITLE) + 3
    for heading, text in _document():
        if size >= size_bytes:
            break
        paragraph = _Paragraph(heading, text.split(), [], [])
        if not heading:
            _add_markup(paragraph, rng_markup, links, bold)
        paragraphs.append(paragraph)
        markup = sum(len(target) + 4 for _, _, target in paragraph.links)
        size += len(text.encode()) + markup + 4 * len(paragraph.bold) + (5 if heading else 2)

    order = _choose_moves(paragraphs, moved_paragraphs, rng_moves)
    left, left_offsets, left_starts = _render_left(paragraphs)
    edits = _choose_edits(paragraphs, edit_rate, rng_edits, list(_vocabulary()))

    # Right-side words of each paragraph, each with the edit whose offset it gives.
    by_paragraph: dict[int, list[tuple[int, _Edit]]] = {}
    for number, edit in enumerate(edits):
        by_paragraph.setdefault(edit.paragraph, []).append((number, edit))
    right_offsets: list[int] = [0] * len(edits)
    lines: list[str] = []
    # Per line: (edit number, column) pairs to resolve, and the moved paragraph it belongs
    # to with whether it is that paragraph's first line.
    line_marks: list[list[tuple[int, int]]] = []
    line_moved: list[tuple[int, bool] | None] = []
    for position, number in enumerate(order):
        paragraph = paragraphs[number]
        words = list(paragraph.words)
        marks: dict[int, int] = {}
        shift = 0
        for edit_number, edit in by_paragraph.get(number, ()):
            at = edit.index + shift
            if edit.kind == "substitute":
                words[at] = edit.word
                marks[at] = edit_number
            elif edit.kind == "insert":
                words.insert(at, edit.word)
                marks[at] = edit_number
                shift += 1
            else:
                del words[at]
                marks[at] = edit_number
                shift -= 1

        split = None
        if hyphenation > 0 and not paragraph.heading:
            split = _hyphenator(words, set(marks), hyphenation, rng_hyphens)
        wrapped, starts = _wrap_words(words, wrap, split)
        if position:
            lines.append("")
            line_marks.append([])
            line_moved.append(None)
        first_line = len(lines)
        lines.extend(wrapped)
        line_marks.extend([] for _ in wrapped)
        for index, edit_number in marks.items():
            row, column = starts[index]
            line_marks[first_line + row].append((edit_number, column))
        line_moved.extend((number, k == 0) if paragraph.moved else None for k in range(len(wrapped)))

    pieces: list[str] = []
    offset = 0
    since_header = 0
    page = 1
    moved_spans: dict[int, list[int]] = {}
    for line, marks_on_line, moved in zip(lines, line_marks, line_moved, strict=True):
        continuing = moved is not None and not moved[1]
        if headers and since_header >= page_lines and line and not continuing:
            page += 1
            if pieces[-1] != "\n":
                # A page break in mid-paragraph still leaves the header a block of its own.
                pieces.append("\n")
                offset += 1
            furniture = f"\f{HEADER} \u2014 page {page}\n\n"
            pieces.append(furniture)
            offset += len(furniture)
            since_header = 0
        for edit_number, column in marks_on_line:
            right_offsets[edit_number] = offset + column
        if moved is not None:
            span = moved_spans.setdefault(moved[0], [offset, offset])
            span[1] = offset + len(line)
        pieces.append(line + "\n")
        offset += len(line) + 1
        since_header += 1
    right = "".join(pieces)

    known: list[KnownEdit] = []
    for number, edit in enumerate(edits):
        original = paragraphs[edit.paragraph].words[edit.index]
        known.append(
            KnownEdit(
                kind=edit.kind,
                left_text="" if edit.kind == "insert" else original,
                right_text=edit.word,
                left_offset=left_offsets[edit.paragraph][edit.index],
                right_offset=right_offsets[number],
            )
        )
    moves = []
    for number, (start, end) in sorted(moved_spans.items()):
        left_start = left_starts[number]
        left_end = left_offsets[number][-1] + len(paragraphs[number].words[-1])
        moves.append(MovedParagraph(left_start, left[left_start:left_end], start, right[start:end]))
    moves.sort(key=lambda m: m.left_offset)
    return GeneratedPair(left, right, tuple(known), tuple(moves))
