"""Loading the two sides of a long comparison at the same time, one of them in a helper process.

Parsing is pure Python and holds the interpreter lock, so a second thread would not help; a
second process does, on a machine with two cores or more. The helper is forked, so it
starts in milliseconds with the engine already imported: from this process when that is
safe (see `_alone`), else from a fork server, started the first time one is needed, which
then serves the process's later pairs (the window's). It loads one file and sends the
variant back in frames: the text, the token arrays as bytes, the vocabulary, the blocks as
columns, the links. None of them takes long to read back, which matters in the window, whose
worker thread shares the interpreter lock with the event loop.

The helper only ever saves time: if it cannot start, or stops without a result, its side is
loaded here. A file that cannot be used gives the same LoadError either way, and when both
fail the left one's is raised, as when loading in turn.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from viewer.core.cancel import check
from viewer.core.collector import collection_paused
from viewer.core.compare import Variant, load_variant
from viewer.core.document import Block, Document, Link, owner_arrays
from viewer.core.loading import DecodedText, LoadError
from viewer.core.model import BlockKind, Side

#: Below this size (of the smaller file) a helper from the fork server costs more than it
#: saves: the server's first start takes tenths of a second, and the server stays (a window's).
PARALLEL_BYTES = 2_000_000
#: The same for a helper forked from here, which starts in a millisecond (the command line's).
FORKED_PARALLEL_BYTES = 200_000
#: How often the cancel flag is looked at while the helper works, in seconds.
_POLL_SECONDS = 0.02
#: Items of a list sent in one frame (each frame is read back in a few milliseconds).
_LIST_PIECE = 1 << 14
_KINDS = list(BlockKind)
_KIND_NUMBER = {kind: number for number, kind in enumerate(_KINDS)}
#: The frame that closes a variant's (all others are pickled tuples).
_LAST_FRAME = b"end"


def load_pair(
    left: str | os.PathLike[str],
    right: str | os.PathLike[str],
    *,
    cancelled: Callable[[], bool] = lambda: False,
    loaded: Callable[[Side], None] | None = None,
    helper: bool | None = None,
) -> tuple[Variant, Variant]:
    """Load both files: with `helper` (by default: when both are long enough, see
    PARALLEL_BYTES, and there are two cores), the smaller one in a helper process while the
    larger is loaded here.

    `cancelled` is polled throughout (raising Cancelled, and stopping the helper); `loaded`
    is told of each side once it is ready.
    """
    paths = (Path(left), Path(right))
    sizes = [_size(p) for p in paths]
    if helper is None:
        helper = _worth_a_helper(sizes)
    context = start_context() if helper else None
    if context is None:
        return _in_turn(paths, cancelled, loaded)
    # The smaller file goes away: the helper's start and its frames overlap the longer parse here.
    away = Side.LEFT if sizes[0] < sizes[1] else Side.RIGHT
    here = Side.RIGHT if away is Side.LEFT else Side.LEFT
    with _Helper(context, paths[_index(away)]) as helper_process:
        try:
            variant_here = load_variant(paths[_index(here)], cancelled=cancelled)
        except LoadError:
            if away is Side.LEFT:
                # The left file's own error comes first, as when loading in turn.
                helper_process.result(cancelled)
            raise
        if loaded:
            loaded(here)
        variant_away = helper_process.result(cancelled)
        if loaded:
            loaded(away)
    return (variant_away, variant_here) if away is Side.LEFT else (variant_here, variant_away)


def _index(side: Side) -> int:
    return 0 if side is Side.LEFT else 1


def _in_turn(
    paths: tuple[Path, Path], cancelled: Callable[[], bool], loaded: Callable[[Side], None] | None
) -> tuple[Variant, Variant]:
    variants = []
    for side, path in zip((Side.LEFT, Side.RIGHT), paths, strict=True):
        variants.append(load_variant(path, cancelled=cancelled))
        if loaded:
            loaded(side)
    return variants[0], variants[1]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def _worth_a_helper(sizes: list[int]) -> bool:
    if min(sizes) < (FORKED_PARALLEL_BYTES if _alone() else PARALLEL_BYTES):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2


_server_lock = threading.Lock()
_server_context: BaseContext | None = None


def _server() -> BaseContext | None:
    """The fork server's context (its helpers import nothing more: the engine is preloaded)."""
    global _server_context
    with _server_lock:
        if _server_context is None and "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["viewer.core.pair"])
            _server_context = context
        return _server_context


def start_context() -> BaseContext | None:
    """How to start a helper process: forked from here when that is safe (see `_alone`), else
    from the fork server; None where neither can be had."""
    if _alone():
        return multiprocessing.get_context("fork")
    return _server()


def _alone() -> bool:
    """Whether this process can be forked safely: on Linux, from the main thread, with no other
    Python thread and no toolkit loaded, whose threads could hold a lock the copy would need.
    (The numerical library's own threads prepare for a fork.)"""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
        and "PySide6.QtCore" not in sys.modules
    )


class _Helper:
    """One helper process loading one file; `result` gives its variant or loads it here.

    A thread here reads the helper's frames as they come: the helper can send everything
    while this process is still parsing its own side (a pipe holds only 64 KB), and reading
    costs this process little (the thread waits outside the interpreter lock). From the fork
    server, the thread also starts the helper: the server's first start takes a few tenths
    of a second, which this process spends parsing instead."""

    def __init__(self, context: BaseContext, path: Path) -> None:
        self.context = context
        self.path = path
        self.lock = threading.Lock()
        self.stopped = False
        self.process: Any = None
        self.frames: list[bytes] = []
        self.ended = threading.Event()
        self.reader: threading.Thread | None = None

    def __enter__(self) -> _Helper:
        try:
            receiver, sender = self.context.Pipe(duplex=False)
        except OSError:
            return self  # no helper: result() loads the file here
        if self.context.get_start_method() == "fork":
            # Forked here, before a second thread exists (see _alone).
            if not self._start(sender):
                receiver.close()
                return self
            work = partial(self._read, receiver)
        else:
            work = partial(self._start_then_read, sender, receiver)
        self.reader = threading.Thread(target=work, name="variorum-frames", daemon=True)
        self.reader.start()
        return self

    def _start(self, sender: Connection) -> bool:
        try:
            process = self.context.Process(  # type: ignore[attr-defined]
                target=_helper_main, args=(str(self.path), sender), name="variorum-load", daemon=True
            )
            process.start()
        except Exception:  # whatever kept it from starting, the file is loaded here instead
            return False
        finally:
            sender.close()
        with self.lock:
            if not self.stopped:
                self.process = process
                return True
        process.kill()  # stopped while it started
        process.join()
        return False

    def _start_then_read(self, sender: Connection, receiver: Connection) -> None:
        if self._start(sender):
            self._read(receiver)
        else:
            receiver.close()
            self.ended.set()

    def _read(self, receiver: Connection) -> None:
        try:
            while not self.stopped:
                frame = receiver.recv_bytes()
                self.frames.append(frame)
                if frame == _LAST_FRAME:
                    break
        except (EOFError, OSError):
            pass  # the helper stopped (or was stopped): what came is all there is
        finally:
            receiver.close()
            self.ended.set()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the helper. A reader still starting it is not waited for: it stops what it
        starts, and the fork server's first start would hold up a Cancel."""
        with self.lock:
            self.stopped = True
            process, self.process = self.process, None
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join()
            if self.reader is not None:
                self.reader.join()  # the pipe has closed: it is done at once
        self.reader = None
        self.frames = []

    def result(self, cancelled: Callable[[], bool]) -> Variant:
        """The helper's variant; raises its LoadError, or Cancelled; loads here if it failed."""
        if self.reader is not None:
            try:
                while not self.ended.wait(_POLL_SECONDS):
                    check(cancelled)
                frames, self.frames = self.frames, []
                return _receive(frames, cancelled)
            except (pickle.UnpicklingError, EOFError, ValueError, KeyError, TypeError, IndexError):
                pass  # the helper died, sent something else, or never started: load the file here
            finally:
                self.stop()
        return load_variant(self.path, cancelled=cancelled)


def _helper_main(path: str, connection: Connection) -> None:
    """The helper process: load one file and send it back (or its LoadError)."""
    try:
        try:
            variant = load_variant(path)
        except LoadError as exc:
            connection.send(("error", str(exc)))
            return
        except BaseException:  # anything else: the caller loads the file itself
            connection.send(("failed",))
            return
        for frame in _frames(variant):
            connection.send(frame)
        connection.send_bytes(_LAST_FRAME)
    except OSError:
        pass  # the caller stopped listening: it was cancelled, or is gone
    finally:
        connection.close()


def _frames(variant: Variant) -> Iterator[tuple[Any, ...]]:
    """A variant as frames for `_receive`."""
    doc = variant.document
    decoded = variant.decoded
    yield ("variant", variant.name, variant.path, decoded.encoding, decoded.bom, decoded.newline)
    yield ("source", variant.source_kind, variant.detail, decoded.text)
    vocabulary, word_ids = doc.vocabulary()
    # block_of and link_of follow from the blocks and links (owner_arrays).
    arrays = {"starts": doc.starts, "ends": doc.ends, "style_of": doc.style_of, "word_ids": word_ids}
    for name, values in arrays.items():
        yield ("array", name, values.typecode, values.tobytes())
    for first in range(0, len(vocabulary), _LIST_PIECE):
        yield ("vocabulary", vocabulary[first : first + _LIST_PIECE])
    for first in range(0, len(doc.blocks), _LIST_PIECE):
        some = doc.blocks[first : first + _LIST_PIECE]
        columns = [list(column) for column in zip(*some, strict=True)]
        columns[0] = [_KIND_NUMBER[kind] for kind in columns[0]]
        yield ("blocks", columns)
    for first in range(0, len(doc.links), _LIST_PIECE):
        some_links = doc.links[first : first + _LIST_PIECE]
        yield ("links", [(link.start, link.end, link.target) for link in some_links])
    yield ("emphasis", doc.emphasis)


@collection_paused()
def _receive(frames: list[bytes], cancelled: Callable[[], bool]) -> Variant:
    """Read one variant from its frames (raising its LoadError if the helper sent one)."""
    if not frames or frames[-1] != _LAST_FRAME:
        first: tuple[Any, ...] = pickle.loads(frames[0]) if frames else ("lost",)
        if first[0] == "error":
            raise LoadError(str(first[1]))
        raise ValueError("the helper stopped before the end")
    frames.pop()
    frames.reverse()  # taken from the end, each let go of once read
    header = pickle.loads(frames.pop())
    if header[0] == "error":
        raise LoadError(str(header[1]))
    if header[0] != "variant":
        raise ValueError(f"unexpected frame {header[0]!r}")
    _, name, path, encoding, bom, newline = header
    _, source_kind, detail, text = pickle.loads(frames.pop())
    arrays: dict[str, array[int]] = {}
    vocabulary: list[str] = []
    blocks: list[Block] = []
    links: list[Link] = []
    emphasis: list[tuple[int, int, int]] = []
    make_block = partial(tuple.__new__, Block)
    while frames:
        check(cancelled)
        frame = pickle.loads(frames.pop())
        what = frame[0]
        if what == "array":
            values = array(frame[2])
            values.frombytes(frame[3])
            arrays[frame[1]] = values
        elif what == "vocabulary":
            vocabulary.extend(frame[1])
        elif what == "blocks":
            kinds, *rest = frame[1]
            blocks.extend(map(make_block, zip(map(_KINDS.__getitem__, kinds), *rest, strict=True)))
        elif what == "links":
            links.extend(Link(*row) for row in frame[1])
        elif what == "emphasis":
            emphasis = frame[1]
        else:
            raise ValueError(f"unexpected frame {what!r}")
    arrays["block_of"], arrays["link_of"] = owner_arrays(arrays["starts"], blocks, links)
    document = Document.from_arrays(text, arrays, vocabulary, blocks, links, emphasis)
    return Variant(name, path, DecodedText(text, encoding, bom, newline), document, source_kind, detail)


__all__ = ["FORKED_PARALLEL_BYTES", "PARALLEL_BYTES", "load_pair"]
