"""Loading the two sides of a long comparison at the same time, one of them in a helper process.

Parsing is pure Python and holds the interpreter lock, so a second thread would not help;
a second process does, on a machine with two cores or more. The helper
(`python -m viewer.core.load_helper PATH`) loads one file and writes the variant back as a
stream of small pickled frames: the text in pieces, the token arrays as bytes, the
vocabulary, blocks and links in pieces. No single step of reading them back holds the
interpreter lock for long, which matters in the window, whose worker thread shares the
lock with the event loop.

If the helper cannot be started, or stops without a result, its side is loaded here
instead: the helper only ever saves time. A file that cannot be used gives the same
LoadError either way, and when both fail the left one's is raised, as when loading in turn.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from viewer.core.align import Cancelled
from viewer.core.compare import Variant, load_variant
from viewer.core.document import Block, Document, Link
from viewer.core.loading import DecodedText, LoadError
from viewer.core.model import BlockKind

#: Below this size (of the smaller file) starting a process costs more than it saves.
PARALLEL_BYTES = 1_500_000
#: The module the helper process runs.
HELPER_MODULE = "viewer.core.load_helper"
_TEXT_PIECE = 1 << 20
_LIST_PIECE = 1 << 14
_POLL_SECONDS = 0.02


def load_pair(
    left: str | os.PathLike[str],
    right: str | os.PathLike[str],
    *,
    cancelled: Callable[[], bool] = lambda: False,
    helper: bool | None = None,
) -> tuple[Variant, Variant]:
    """Load both files; with `helper` (by default: when both are long and there are two
    cores) the smaller one is loaded by a helper process while the larger is loaded here.

    `cancelled` is polled throughout (raising Cancelled); the helper is stopped then.
    """
    paths = (Path(left), Path(right))
    sizes = [_size(p) for p in paths]
    if helper is None:
        helper = _worth_a_helper(sizes)
    if not helper or None in sizes:
        # A file that cannot even be looked at gets its message from the ordinary path.
        return load_variant(left, cancelled=cancelled), load_variant(right, cancelled=cancelled)
    # The smaller file goes away: the helper's start-up then overlaps the larger parse here.
    away = 0 if (sizes[0] or 0) < (sizes[1] or 0) else 1
    with _Helper(paths[away]) as helper_process:
        try:
            here = load_variant(paths[1 - away], cancelled=cancelled)
        except LoadError:
            if away == 0:
                # The left file's own error comes first, as when loading in turn.
                helper_process.result(cancelled)
            raise
        there = helper_process.result(cancelled)
    return (there, here) if away == 0 else (here, there)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size if path.is_file() else None
    except OSError:
        return None


def _worth_a_helper(sizes: list[int | None]) -> bool:
    if any(size is None or size < PARALLEL_BYTES for size in sizes):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2 and bool(sys.executable)


class _Helper:
    """One helper process loading one file; `result` gives its variant or loads it here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _Helper:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", HELPER_MODULE, str(self.path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            self.process = None
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def result(self, cancelled: Callable[[], bool]) -> Variant:
        """The helper's variant; raises its LoadError, or Cancelled; loads here if it failed."""
        process = self.process
        if process is not None and process.stdout is not None:
            try:
                return self._read(process.stdout, cancelled)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError, KeyError, TypeError):
                pass  # the helper died or wrote something else: load the file here
            finally:
                self.stop()
        return load_variant(self.path, cancelled=cancelled)

    def _read(self, stream: IO[bytes], cancelled: Callable[[], bool]) -> Variant:
        while not select.select([stream], [], [], _POLL_SECONDS)[0]:
            if cancelled():
                raise Cancelled
        return read_variant(stream, cancelled)


def write_variant(variant: Variant, stream: IO[bytes]) -> None:
    """Write a variant as the frames `read_variant` reads."""
    for frame in _frames(variant):
        pickle.dump(frame, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def write_error(message: str, stream: IO[bytes]) -> None:
    pickle.dump(("error", message), stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _frames(variant: Variant) -> Iterator[tuple[Any, ...]]:
    doc = variant.document
    decoded = variant.decoded
    yield (
        "variant",
        variant.name,
        variant.path,
        decoded.encoding,
        decoded.bom,
        decoded.newline,
        variant.source_kind,
        variant.detail,
    )
    text = variant.text
    for first in range(0, len(text), _TEXT_PIECE):
        yield ("text", text[first : first + _TEXT_PIECE])
    arrays, vocabulary = doc.parts()
    for name, values in arrays.items():
        yield ("array", name, values.typecode, values.tobytes())
    yield from _pieces("vocabulary", vocabulary)
    yield from _pieces("blocks", [(str(b.kind), *b[1:]) for b in doc.blocks])
    yield from _pieces("links", [(link.start, link.end, link.target) for link in doc.links])
    yield from _pieces("emphasis", doc.emphasis)
    yield ("end",)


def _pieces(name: str, values: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    for first in range(0, len(values), _LIST_PIECE):
        yield (name, values[first : first + _LIST_PIECE])


def read_variant(stream: IO[bytes], cancelled: Callable[[], bool] = lambda: False) -> Variant:
    """Read the frames of one variant (raising its LoadError if the helper wrote one)."""
    header = pickle.load(stream)
    if header[0] == "error":
        raise LoadError(str(header[1]))
    if header[0] != "variant":
        raise ValueError(f"unexpected frame {header[0]!r}")
    _, name, path, encoding, bom, newline, source_kind, detail = header
    text: list[str] = []
    arrays: dict[str, array[int]] = {}
    lists: dict[str, list[Any]] = {"vocabulary": [], "blocks": [], "links": [], "emphasis": []}
    kinds = {str(kind): kind for kind in BlockKind}
    while True:
        if cancelled():
            raise Cancelled
        frame = pickle.load(stream)
        what = frame[0]
        if what == "end":
            break
        if what == "text":
            text.append(frame[1])
        elif what == "array":
            values = array(frame[2])
            values.frombytes(frame[3])
            arrays[frame[1]] = values
        elif what == "blocks":
            lists["blocks"].extend(Block(kinds[row[0]], *row[1:]) for row in frame[1])
        elif what == "links":
            lists["links"].extend(Link(*row) for row in frame[1])
        else:
            lists[what].extend(frame[1])
    whole = "".join(text)
    document = Document.restore(
        whole, arrays, lists["vocabulary"], lists["blocks"], lists["links"], lists["emphasis"]
    )
    decoded = DecodedText(whole, encoding, bom, newline)
    return Variant(name, path, decoded, document, source_kind, detail)
