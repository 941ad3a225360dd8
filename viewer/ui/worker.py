"""Loading and comparing two variants off the GUI thread, with progress, cancel and stale-result dropping."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QTextDocument

from viewer.core.align import Cancelled
from viewer.core.compare import CompareOptions, Variant, compare, load_variant
from viewer.core.loading import LoadError
from viewer.core.model import Side
from viewer.core.pair import load_pair
from viewer.ui.heavy_work import heavy_work
from viewer.ui.merge_background import merges_in_background
from viewer.ui.prepared import PreparedComparison
from viewer.ui.text_documents import (
    PREBUILT_CHARS,
    DocumentStyle,
    fill_document,
    new_document,
    retire,
    to_gui_thread,
)


@dataclass(frozen=True, slots=True)
class ComparisonRequest:
    """What to compare: for each side a variant already loaded, or a path to load."""

    left: Variant | str
    right: Variant | str
    options: CompareOptions = field(default_factory=CompareOptions)

    def label(self) -> str:
        names = [v if isinstance(v, str) else v.name for v in (self.left, self.right)]
        return " and ".join(n.rsplit("/", 1)[-1] for n in names)


class _Relay(QObject):
    """Carries a job's results from the pool thread to the GUI thread (queued signals)."""

    progressed = Signal(int, float)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)
    #: Documents a job made and no pane will show, for the GUI thread to delete. An `object`
    #: signal: its queued event holds the Python list, so the worker's references are never
    #: the last (a `list` signal would carry bare C++ pointers).
    retired = Signal(object)


class _Stages:
    """A job's progress as one fraction over its stages, each weighted by its usual share of
    the time (measured on a 5 MB pair): loading the files, comparing, preparing what the
    window draws, filling the panes' documents. Stages a job skips (variants loaded already)
    weigh nothing."""

    LOADING, COMPARING, PREPARING, FILLING = 0.37, 0.24, 0.06, 0.33

    def __init__(self, request: ComparisonRequest, report: Callable[[float], None]) -> None:
        self._report = report
        sizes = {Side.LEFT: _file_size(request.left), Side.RIGHT: _file_size(request.right)}
        loading = self.LOADING if any(sizes.values()) else 0.0
        total = loading + self.COMPARING + self.PREPARING + self.FILLING
        read = sum(sizes.values()) or 1
        self._load_share = {side: loading * size / read / total for side, size in sizes.items()}
        self._compare_from = loading / total
        self._compare_share = self.COMPARING / total
        self._fill_from = (loading + self.COMPARING + self.PREPARING) / total
        self._fill_share = self.FILLING / total
        self._at = 0.0

    def _move(self, fraction: float) -> None:
        self._at = max(self._at, min(1.0, fraction))
        self._report(self._at)

    def loaded(self, side: Side) -> None:
        self._move(self._at + self._load_share[side])

    def comparing(self, fraction: float) -> None:
        self._move(self._compare_from + self._compare_share * fraction)

    def prepared(self) -> None:
        self._move(self._fill_from)

    def filling(self, fraction: float) -> None:
        self._move(self._fill_from + self._fill_share * fraction)


def _file_size(source: Variant | str) -> int:
    """Bytes to read for a side still to load (0 for a variant in memory or a file not there)."""
    if not isinstance(source, str):
        return 0
    try:
        return os.path.getsize(source)
    except OSError:
        return 0


class _ComparisonJob(QRunnable):
    """One load-and-compare run; polls its cancel flag through the engine's callback."""

    def __init__(
        self,
        generation: int,
        request: ComparisonRequest,
        relay: _Relay,
        styles: dict[str, DocumentStyle] | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.request: ComparisonRequest | None = request
        self.relay = relay
        self.styles = styles or {}
        self.cancel_flag = threading.Event()
        self._last_progress = -1.0

    def _progress(self, fraction: float) -> None:
        # Throttle: every queued signal costs the GUI thread an event.
        if fraction - self._last_progress >= 0.01 or fraction >= 1.0:
            self._last_progress = fraction
            self.relay.progressed.emit(self.generation, fraction)

    def _variants(self, request: ComparisonRequest, stages: _Stages) -> tuple[Variant, Variant]:
        """Both sides: files still to load are loaded together (see load_pair)."""
        cancelled = self.cancel_flag.is_set
        if isinstance(request.left, str) and isinstance(request.right, str):
            return load_pair(request.left, request.right, cancelled=cancelled, loaded=stages.loaded)
        variants = []
        for side, source in ((Side.LEFT, request.left), (Side.RIGHT, request.right)):
            variants.append(load_variant(source, cancelled=cancelled) if isinstance(source, str) else source)
            stages.loaded(side)
        return variants[0], variants[1]

    def _build_documents(
        self, texts: dict[str, str], into: dict[str, QTextDocument], progress: Callable[[float], None]
    ) -> None:
        """Fill the panes' documents here: in the GUI thread long texts would freeze the window.

        Each goes into `into` before it is filled, so that a cancelled job can hand over the
        ones it made, finished or not (see _retire)."""
        long = {name: text for name, text in texts.items() if len(text) >= PREBUILT_CHARS}
        total, done = sum(map(len, long.values())), 0
        for name, text in long.items():
            style = self.styles.get(name)
            if style is not None:
                into[name] = doc = new_document(style)
                fill_document(doc, text, self.cancel_flag.is_set)
            done += len(text)
            progress(done / total)

    def _retire(self, documents: dict[str, QTextDocument]) -> None:
        """Have the GUI thread delete a cancelled job's documents, one per event-loop turn: here
        each deletion (up to 50 ms for a long text) would hold the interpreter lock."""
        for doc in documents.values():
            to_gui_thread(doc)
        if documents:
            self.relay.retired.emit(list(documents.values()))
        documents.clear()

    def run(self) -> None:
        # Let go of the request (variants can be large) once run: the pool may keep the
        # runnable's wrapper alive after it finished.
        request, self.request = self.request, None
        if request is not None:
            with heavy_work():
                self._run(request)

    def _run(self, request: ComparisonRequest) -> None:
        prepared: PreparedComparison | None = None
        stages = _Stages(request, self._progress)
        try:
            left, right = self._variants(request, stages)
            if self.cancel_flag.is_set():
                raise Cancelled()
            comparison = compare(
                left, right, request.options, cancelled=self.cancel_flag.is_set, progress=stages.comparing
            )
            # A long text's first merge is left to its session, which makes it in the background
            # once the panes show the comparison (see MergeSession).
            short = not merges_in_background(comparison)
            prepared = PreparedComparison(comparison, with_canonical=short, cancelled=self.cancel_flag.is_set)
            stages.prepared()
            texts = {"left": left.text, "right": right.text}
            if prepared.initial_canonical is not None:
                texts["canonical"] = prepared.initial_canonical.text
            self._build_documents(texts, prepared.documents, stages.filling)
        except Cancelled:
            if prepared is not None:
                self._retire(prepared.documents)
            self.relay.cancelled.emit(self.generation)
        except LoadError as exc:
            self.relay.failed.emit(self.generation, str(exc))
        except Exception as exc:  # a bug in the engine must not take the window down
            self.relay.failed.emit(self.generation, f"The comparison failed: {type(exc).__name__}: {exc}")
        else:
            self.relay.finished.emit(self.generation, prepared)


class ComparisonRunner(QObject):
    """Runs one comparison at a time; a newer request cancels the older and its result is dropped."""

    started = Signal(str)
    progressed = Signal(float)
    finished = Signal(object)  # PreparedComparison
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        #: Run jobs in the calling thread (for tests and scripts that need a result at once).
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._on_progress)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)
        # A method of this object (in the GUI thread), not the bare function: a queued call.
        self._relay.retired.connect(self._on_retired)
        self._generation = 0
        self._jobs: dict[int, _ComparisonJob] = {}
        #: The panes' document styles, read when a comparison starts (long texts are filled off-thread).
        self.document_styles: Callable[[], dict[str, DocumentStyle]] | None = None

    @property
    def busy(self) -> bool:
        return self._generation in self._jobs

    @property
    def working(self) -> bool:
        """A job still runs in the pool: a cancelled one runs on until it next polls its flag."""
        return bool(self._jobs)

    def start(self, request: ComparisonRequest) -> int:
        """Start a comparison, cancelling any running one; returns its generation number."""
        self._stop_jobs()
        self._generation += 1
        styles = self.document_styles() if self.document_styles is not None else None
        job = _ComparisonJob(self._generation, request, self._relay, styles)
        job.setAutoDelete(False)
        self._jobs[self._generation] = job
        self.started.emit(request.label())
        if self.synchronous:
            job.run()
        else:
            self._pool.start(job)
        return self._generation

    def cancel(self) -> None:
        """Stop the running comparison at the user's request; a late result is ignored."""
        if not self.busy:
            return
        self._stop_jobs()
        self._generation += 1
        self.cancelled.emit()

    def shutdown(self) -> None:
        """Cancel and wait for the pool: no thread may outlive the window."""
        self._stop_jobs()
        self._generation += 1
        self._pool.waitForDone()

    def _stop_jobs(self) -> None:
        for job in self._jobs.values():
            job.cancel_flag.set()

    def _done(self, generation: int) -> bool:
        """Forget a finished job; True when it is the current request (else its result is stale)."""
        self._jobs.pop(generation, None)
        return generation == self._generation

    def _on_progress(self, generation: int, fraction: float) -> None:
        if generation == self._generation:
            self.progressed.emit(fraction)

    def _on_finished(self, generation: int, prepared: PreparedComparison) -> None:
        if self._done(generation):
            self.finished.emit(prepared)
        else:
            # Overtaken by a newer request: its documents go one at a time, not all at once here.
            retire(prepared.documents.values())
            prepared.documents.clear()

    def _on_failed(self, generation: int, message: str) -> None:
        if self._done(generation):
            self.failed.emit(message)

    def _on_retired(self, documents: list[QTextDocument]) -> None:
        retire(documents)

    def _on_cancelled(self, generation: int) -> None:
        if self._done(generation):
            self.cancelled.emit()
