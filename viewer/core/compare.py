"""Comparing two variants: load, parse, align, classify."""

from __future__ import annotations

import os
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from viewer.core import extract
from viewer.core.align import Opcode, align, encode, slide_to_boundaries
from viewer.core.cancel import check
from viewer.core.classify import Change, classify
from viewer.core.collector import collection_paused
from viewer.core.document import Document, parse
from viewer.core.fold import fold
from viewer.core.loading import DecodedText, LoadError, decode, read_bytes
from viewer.core.model import Difference, DifferenceKind, Side
from viewer.core.rest import is_rest, parse_rest


@dataclass(frozen=True, slots=True)
class Variant:
    """One rendering of the document: its decoded text, how it was stored, its structure."""

    name: str
    path: str | None
    decoded: DecodedText
    document: Document
    source_kind: str = "text"
    detail: str = ""

    @property
    def text(self) -> str:
        return self.decoded.text


@collection_paused()
def variant_from_text(text: str, name: str = "text", *, source_kind: str = "text") -> Variant:
    """A variant made from a string already in memory."""
    decoded = DecodedText(text.replace("\r\n", "\n").replace("\r", "\n"), "utf-8", False, "\n")
    return Variant(name, None, decoded, _parse(name, decoded.text), source_kind)


@collection_paused()
def load_variant(path: str | os.PathLike[str], *, cancelled: Callable[[], bool] = lambda: False) -> Variant:
    """Read, decode and parse a file; raises LoadError with a one-line message.

    `cancelled` is polled while parsing (raising Cancelled when it returns True).
    """
    p = Path(path)
    data = read_bytes(p)
    kind = extract.source_kind_for(str(p), data)
    if kind != "text":
        try:
            extracted = extract.extract(data, kind, str(p))
        except extract.ExtractionError as exc:
            raise LoadError(str(exc)) from None
        del data
        decoded = DecodedText(extracted.text, "utf-8", False, "\n")
        return Variant(p.name, str(p), decoded, parse(decoded.text, cancelled), kind, extracted.detail)
    decoded = decode(data, str(p))
    # The file's bytes are not needed while parsing, the longest part of loading.
    del data
    return Variant(p.name, str(p), decoded, _parse(p.name, decoded.text, cancelled), "text")


#: Files read as Markdown; other text is plain (read as Markdown too, as it has next to no
#: markup to find, but its blocks are also told apart as `parse` says for plain text).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


def _parse(name: str, text: str, cancelled: Callable[[], bool] = lambda: False) -> Document:
    """A text file's document, read as reStructuredText, Markdown or plain text."""
    if is_rest(name, text):
        return parse_rest(text, cancelled)
    return parse(text, cancelled, plain=not name.lower().endswith(MARKDOWN_SUFFIXES))


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """What counts as the same word when aligning."""

    ignore_case: bool = False


@dataclass(frozen=True, slots=True)
class Comparison:
    """The result of comparing two variants."""

    left: Variant
    right: Variant
    differences: tuple[Difference, ...]
    changes: tuple[Change, ...]
    opcodes: tuple[Opcode, ...]
    options: CompareOptions = field(default_factory=CompareOptions)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _summary: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {c.difference.id: k for k, c in enumerate(self.changes)}
        object.__setattr__(self, "_index", index)
        counts = Counter(d.kind for d in self.differences)
        object.__setattr__(self, "_summary", {str(kind): n for kind, n in counts.items()})

    def variant(self, side: Side) -> Variant:
        return self.left if side is Side.LEFT else self.right

    @property
    def summary(self) -> dict[str, int]:
        """How many differences of each kind (in order of first appearance)."""
        return dict(self._summary)

    def by_id(self, difference_id: str) -> Difference:
        return self.change(difference_id).difference

    def change(self, difference_id: str) -> Change:
        return self.changes[self._index[difference_id]]

    def of_kind(self, kind: DifferenceKind) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.kind is kind)

    def aligned_offsets(self) -> list[tuple[int, int, int, int]]:
        """Source ranges (left start, left end, right start, right end) of equal stretches."""
        ld, rd = self.left.document, self.right.document
        out = []
        for op, i1, i2, j1, j2 in self.opcodes:
            if op == "equal" and i2 > i1:
                out.append((ld.starts[i1], ld.ends[i2 - 1], rd.starts[j1], rd.ends[j2 - 1]))
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "left": variant_json(self.left),
            "right": variant_json(self.right),
            "differences": [d.to_json() for d in self.differences],
            "summary": self.summary,
        }


def variant_json(v: Variant) -> dict[str, object]:
    """What the JSON reports say about one variant."""
    return {
        "name": v.name,
        "path": v.path,
        "encoding": v.decoded.encoding_label,
        "newline": v.decoded.newline_label,
        "source_kind": v.source_kind,
        "characters": len(v.text),
        "words": len(v.document),
        "blocks": len(v.document.blocks),
    }


def _token_ids(
    left: Document,
    right: Document,
    options: CompareOptions,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[array[int], array[int], int]:
    """Map every word on both sides to an id shared by words with the same folded form.

    Ids follow first appearance, so the same pair always gets the same ids. Each side's
    distinct words are folded once, in the order they first appear, then its tokens are
    mapped through them as an array.
    """
    keys: dict[str, int] = {}
    sides: list[array[int]] = []
    for doc in (left, right):
        check(cancelled)
        vocabulary, word_ids = doc.vocabulary()
        ids = np.frombuffer(word_ids, dtype=np.intc) if len(word_ids) else np.zeros(0, dtype=np.intc)
        in_order = _in_order_of_appearance(ids, len(vocabulary), cancelled)
        mapping = np.zeros(len(vocabulary), dtype=np.intc)
        for lo in range(0, len(in_order), _FOLD_CHUNK):
            check(cancelled)
            some = in_order[lo : lo + _FOLD_CHUNK]
            mapping[some] = [
                keys.setdefault(fold(vocabulary[k], ignore_case=options.ignore_case), len(keys)) for k in some
            ]
        sides.append(array("i", mapping[ids].tobytes()))
    return sides[0], sides[1], len(keys)


#: Tokens looked at by one array call (longer calls keep other threads from running).
_CHUNK = 50_000
#: Distinct words folded between two looks at the cancel flag.
_FOLD_CHUNK = 8_192


def _in_order_of_appearance(
    ids: npt.NDArray[np.intc], size: int, cancelled: Callable[[], bool] = lambda: False
) -> list[int]:
    """The distinct values of ids (all below size) in the order they first appear."""
    n = len(ids)
    first = np.full(size, n, dtype=np.int64)
    # Each value's first place: the least place it stands at, in a few unbuffered passes.
    for lo in range(0, n, 4 * _CHUNK):
        check(cancelled)
        np.minimum.at(first, ids[lo : lo + 4 * _CHUNK], np.arange(lo, min(n, lo + 4 * _CHUNK)))
    present = np.flatnonzero(first < n)
    found: list[int] = present[np.argsort(first[present], kind="stable")].tolist()
    return found


@collection_paused()
def compare(
    left: Variant,
    right: Variant,
    options: CompareOptions | None = None,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[float], None] | None = None,
) -> Comparison:
    """Align two variants word by word and classify every difference.

    `cancelled` is polled during the work (raising Cancelled when it returns True), also
    from a watchdog thread while diff-match-patch runs; `progress` receives a fraction from 0 to 1.
    """
    options = options or CompareOptions()
    ld, rd = left.document, right.document
    left_ids, right_ids, size = _token_ids(ld, rd, options, cancelled)
    if progress:
        progress(0.05)

    def scaled(fraction: float) -> None:
        if progress:
            progress(0.05 + 0.85 * fraction)

    encoded = []
    for ids in (left_ids, right_ids):
        check(cancelled)
        encoded.append(encode(ids, size))
    opcodes = align(*encoded, cancelled=cancelled, progress=scaled)
    opcodes = slide_to_boundaries(
        opcodes,
        left_ids,
        right_ids,
        frozenset(b.first_token for b in ld.blocks),
        frozenset(b.first_token for b in rd.blocks),
    )
    changes = classify(ld, rd, opcodes, left_ids, right_ids, cancelled)
    if progress:
        progress(1.0)
    return Comparison(
        left,
        right,
        tuple(c.difference for c in changes),
        tuple(changes),
        tuple(opcodes),
        options,
    )
