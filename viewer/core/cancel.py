"""Stopping the engine's work: the Cancelled exception, and cancelling long library calls.

The engine's own passes poll a `cancelled` callable. diff-match-patch's diff and clean-up
passes take no callback, and on a long pair one pass runs for a tenth of a second or more.
While such a call runs inside `interruptible`, a watchdog thread polls `cancelled` and,
once it turns true, raises Cancelled in the calling thread (CPython delivers it at that
thread's next bytecode). Nothing is raised after the region: leaving it withdraws an
exception not yet delivered, and raises Cancelled itself instead.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

#: How often the watchdog polls, in seconds.
POLL_SECONDS = 0.01

_T = TypeVar("_T")


class Cancelled(Exception):  # noqa: N818 - reads as what happened, like KeyboardInterrupt
    """The caller asked for the work to stop."""


def check(cancelled: Callable[[], bool]) -> None:
    """Raise Cancelled if `cancelled()` says so."""
    if cancelled():
        raise Cancelled


def polled(items: Iterable[_T], cancelled: Callable[[], bool], every: int = 1024) -> Iterator[_T]:
    """The items, with `cancelled` polled every so many of them (raising Cancelled)."""
    for k, item in enumerate(items):
        if not k % every and cancelled():
            raise Cancelled
        yield item


@contextmanager
def interruptible(cancelled: Callable[[], bool], poll: float = POLL_SECONDS) -> Iterator[None]:
    """Run the block; raise Cancelled in it within about `poll` seconds of `cancelled()` turning true."""
    check(cancelled)
    target = threading.get_ident()
    lock = threading.Lock()
    inside = True
    raised = False
    done = threading.Event()

    def watch() -> None:
        nonlocal raised
        while not done.wait(poll):
            if cancelled():
                with lock:
                    if inside:
                        raised = True
                        _raise_in(target, Cancelled)
                return

    watcher = threading.Thread(target=watch, name="cancel-watchdog", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with lock:
            inside = False
            if raised:
                _raise_in(target, None)  # withdraw it, if not delivered yet
        done.set()
        watcher.join()
    if raised:
        # Delivered too late to stop the block, or withdrawn: the work is to stop either way.
        raise Cancelled


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    """Have `exception` raised in `thread` at its next bytecode (None: withdraw a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exception) if exception is not None else None
    )
