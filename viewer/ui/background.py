"""Pure work run off the GUI thread, one request at a time, delivering only the newest result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

_pool: QThreadPool | None = None


def shared_pool() -> QThreadPool:
    """One worker thread for the work that follows the user's actions (merges, documents).

    It belongs to the application, not to a window or session: destroying a pool waits for
    its running task, and a session is replaced while its last merge may still be running.
    """
    global _pool
    if _pool is None:
        _pool = QThreadPool(QCoreApplication.instance())
        _pool.setMaxThreadCount(1)
        _pool.setExpiryTimeout(-1)
    return _pool


def dispose(objects: list[object]) -> None:
    """Drop the last references to large objects in the worker thread, one object at a time.

    Freeing the merged text of a 5 MB comparison takes about 10 ms with the interpreter lock
    held; one at a time, the GUI thread gets the lock back in between.
    """

    def drop() -> None:
        while objects:
            objects.pop()

    shared_pool().start(drop)


class _Relay(QObject):
    """Carries results from the worker thread to the GUI thread (queued signals)."""

    done = Signal(int, object)
    failed = Signal(int, object)


class _Task(QRunnable):
    """One request; skipped when a newer request came before it started."""

    def __init__(self, owner: BackgroundWork, generation: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self.owner = owner
        self.generation = generation
        self.work: Callable[[], Any] | None = work

    def run(self) -> None:
        # Let go of the work (and the comparison it holds) once run: the pool may keep the
        # runnable's wrapper alive after it finished.
        work, self.work = self.work, None
        result: Any = None
        failure: Exception | None = None
        if work is not None and self.owner.is_current(self.generation):
            try:
                result = work()
            except Exception as exc:  # delivered to the GUI thread, where it is raised
                failure = exc
        try:
            if failure is not None:
                self.owner.relay.failed.emit(self.generation, failure)
            else:
                self.owner.relay.done.emit(self.generation, result)
        except RuntimeError:
            pass  # the owner was deleted meanwhile (its session closed): nobody waits for this


class BackgroundWork(QObject):
    """Runs one kind of work in the shared worker thread; a new request makes older ones stale."""

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        #: Run requests at once in the calling thread (small inputs, tests).
        self.synchronous = synchronous
        self.relay = _Relay(self)
        self.relay.done.connect(self._on_done)
        self.relay.failed.connect(self._on_failed)
        self._generation = 0
        self._deliver: Callable[[Any], None] | None = None
        self._tasks: dict[int, _Task] = {}

    @property
    def busy(self) -> bool:
        """A request is waiting for its result."""
        return self._deliver is not None

    def is_current(self, generation: int) -> bool:
        return generation == self._generation

    def staleness(self) -> Callable[[], bool]:
        """For the next request: a check, callable from the worker, that turns true once a newer
        request or a drop has made that request's result unwanted (so its work can stop early)."""
        generation = self._generation + 1
        return lambda: self._generation != generation

    def request(self, work: Callable[[], Any], deliver: Callable[[Any], None]) -> None:
        """Run `work` in the worker thread and pass its result to `deliver` in the GUI thread."""
        self._generation += 1
        if self.synchronous:
            self._deliver = None
            deliver(work())
            return
        self._deliver = deliver
        task = _Task(self, self._generation, work)
        # The pool must not delete the runnable while Python still holds it: keep it until done.
        task.setAutoDelete(False)
        self._tasks[self._generation] = task
        shared_pool().start(task)

    def drop(self) -> None:
        """Forget the pending request: its result, when it comes, is not delivered."""
        self._generation += 1
        self._deliver = None

    def _finish(self, generation: int) -> Callable[[Any], None] | None:
        self._tasks.pop(generation, None)
        if generation != self._generation:
            return None
        deliver, self._deliver = self._deliver, None
        return deliver

    def _on_done(self, generation: int, result: Any) -> None:
        deliver = self._finish(generation)
        if deliver is not None:
            deliver(result)

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if self._finish(generation) is not None:
            raise error
