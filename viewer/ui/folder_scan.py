"""Comparing every pair of two folders in a pool of processes, off the window's thread.

The window only receives each pair's small outcome (counts by kind, or an error) as it comes:
the comparisons themselves run in other processes, so a folder of long documents never holds
the window's interpreter lock. The processes come from the fork server (a process with Qt
loaded must not fork itself) and are stopped when the scan is cancelled.

A process that dies (killed, out of memory) breaks its pool and strands every pair the pool
had not done. Once they are all back, the first of them is compared alone, in a process of
its own (its trouble if that one dies too), and the others in a new pool, as `variorum diff`
does with two folders.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from PySide6.QtCore import QObject, Signal

from viewer.batch import default_jobs, pool_context, report_tasks
from viewer.core import CompareOptions, MergePolicy
from viewer.core.folders import FilePair, FolderPairing, PairOutcome, Task, outcome_of, tasks
from viewer.core.written import WrittenStore

#: How much lower the workers' scheduling priority is than the window's (see os.nice).
BACKGROUND_NICENESS = 5


class FolderScan(QObject):
    """Compares the pairs of a FolderPairing; `outcome(row, PairOutcome)` for each, in any order."""

    outcome = Signal(int, object)
    progressed = Signal(int, int)
    finished = Signal()
    # From the pool's thread to this object's: (scan number, row, outcome).
    _arrived = Signal(int, int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pools: list[ProcessPoolExecutor] = []
        self._pairs: tuple[FilePair, ...] = ()
        self._work: list[Task] = []
        self._workers = 1
        # Rows a broken pool left undone, and rows compared alone after one.
        self._stranded: set[int] = set()
        self._alone: set[int] = set()
        self._scan = 0
        self._running = False
        self.done = 0
        self.total = 0
        self._arrived.connect(self._on_arrived)

    @property
    def busy(self) -> bool:
        return self._running

    def start(
        self,
        pairing: FolderPairing,
        options: CompareOptions,
        merge_into: tuple[MergePolicy, str, str] | None = None,
        jobs: int = 0,
        *,
        report_into: str = "",
        written: str | None = None,
    ) -> None:
        """Compare every pair (stopping a scan under way first); with `merge_into` (policy,
        format, folder), also write each pair's canonical text into that folder (keeping the
        user's own files with `written`: see merge_files); with `report_into`, each pair's HTML
        report into that folder."""
        self.cancel()
        self._pairs = pairing.pairs
        self.done, self.total = 0, len(pairing.pairs)
        if not self.total:
            self.finished.emit()
            return
        self._running = True
        self._stranded, self._alone = set(), set()
        workers = self._workers = min(jobs or default_jobs(), self.total)
        # Starting the processes (the fork server too, the first time) takes a few tenths of a
        # second: in a thread, not in the window's.
        threading.Thread(
            target=self._launch,
            args=(self._scan, pairing, options, merge_into, report_into, written, workers),
            name="folder-scan",
            daemon=True,
        ).start()

    def _launch(
        self,
        scan: int,
        pairing: FolderPairing,
        options: CompareOptions,
        merge_into: tuple[MergePolicy, str, str] | None,
        report_into: str,
        written: str | None,
        workers: int,
    ) -> None:
        if written:
            # The records of files deleted or moved since: Merge All looks after no file there.
            WrittenStore(written).prune()
        work = (
            report_tasks(pairing, options, report_into)
            if report_into
            else tasks(pairing, options, merge_into, written)
        )
        self._work = work
        self._submit(scan, work, range(len(work)), workers)

    def _submit(self, scan: int, work: list[Task], rows: range | list[int], workers: int) -> None:
        """Compare these rows of the work in a new pool of `workers` processes (in a thread of
        its own: processes take tenths of a second to start)."""
        pool = ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=_in_the_background)
        with self._lock:
            current = scan == self._scan
            if current:
                self._pools.append(pool)
        if not current:
            _stop(pool)
            return
        for n, row in enumerate(rows):
            try:
                future = pool.submit(outcome_of, *work[row])
            except Exception as exc:  # shut down by a Stop meanwhile, or a process could not start
                if scan == self._scan:
                    for rest in rows[n:]:
                        self._arrived.emit(scan, rest, exc)
                return
            future.add_done_callback(partial(self._deliver, scan, row))

    def _deliver(self, scan: int, row: int, future: Future[PairOutcome]) -> None:
        # In the pool's own thread: only hand over (a queued signal), and nothing for a scan
        # stopped since (its window may be gone).
        if future.cancelled() or scan != self._scan:
            return
        error = future.exception()
        self._arrived.emit(scan, row, error if error is not None else future.result())

    def _on_arrived(self, scan: int, row: int, result: object) -> None:
        if scan != self._scan or not self._running:
            return  # from a scan cancelled since
        if isinstance(result, BrokenProcessPool) and row not in self._alone:
            # A process of its pool died: compared again once the pool has given back all it
            # had not done (see the module's note).
            self._stranded.add(row)
            if len(self._stranded) == self.total - self.done - len(self._alone):
                self._rescue(scan)
            return
        self._alone.discard(row)
        self.done += 1
        if isinstance(result, BrokenProcessPool):
            stopped = "the process comparing it stopped (killed, or out of memory)"
            result = PairOutcome(self._pairs[row], {}, error=stopped)
        elif isinstance(result, BaseException):
            result = PairOutcome(self._pairs[row], {}, error=f"the comparison stopped ({result})")
        self.outcome.emit(row, result)
        self.progressed.emit(self.done, self.total)
        if self.done == self.total:
            self._stop_pool()
            self.finished.emit()

    def _rescue(self, scan: int) -> None:
        """The first stranded row alone, the others in a new pool (each started in a thread)."""
        first, *rest = sorted(self._stranded)
        self._stranded.clear()
        self._alone.add(first)
        for rows, workers in (([first], 1), (rest, min(self._workers, len(rest)))):
            if rows:
                args = (scan, self._work, rows, workers)
                threading.Thread(target=self._submit, args=args, name="folder-scan", daemon=True).start()

    def cancel(self) -> None:
        """Stop: comparisons not started are dropped, the processes comparing are ended."""
        self._scan += 1
        self._stop_pool()

    def _stop_pool(self) -> None:
        self._running = False
        with self._lock:
            pools, self._pools = self._pools, []
            # A launch under way sees the new scan number and stops its own pool.
            self._scan += 1
        for pool in pools:
            _stop(pool)


def _in_the_background() -> None:
    """In each worker process: a lower scheduling priority, so that the window (with as many
    workers as cores) is given a core as soon as it has something to do."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(BACKGROUND_NICENESS)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Drop the work not started and end the processes at once (not after their pairs)."""
    # The executor names its processes only privately (Python 3.14 adds kill_workers).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
