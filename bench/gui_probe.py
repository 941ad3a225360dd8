"""The window part of the benchmark: open a pair offscreen and time how long each action blocks.

A 5 ms timer runs throughout; the longest gap between two of its ticks during an action is
how long the event loop was blocked (the stall). Run by bench/run.py in a fresh process, or
alone: `python bench/gui_probe.py LEFT RIGHT` prints one `RESULT {json}` line.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: After an action is done, keep probing this long: work it scheduled for later counts too.
SETTLE_MS = 400
PROBE_INTERVAL_MS = 5
SCROLL_JUMPS = 24
PAGE_STEPS = 20
KEYS_TYPED = 5
#: Cancel a new comparison when this share of the time that swapping the sides took has gone
#: by: while it loads, compares, and fills the panes.
CANCEL_SHARES = (0.2, 0.5, 0.8)
CANCEL_PHASE = "cancel a comparison"


def report(**fields: Any) -> None:
    print("RESULT " + json.dumps(fields), flush=True)


class StallWitness:
    """With --explain: what each thread was doing during long stalls, and collector pauses.

    A watcher thread looks at every thread's stack whenever the probe has not ticked for a
    while; the garbage collector reports its own pauses through gc.callbacks.
    """

    def __init__(self, probe: Probe, threshold: float = 0.05) -> None:
        self.probe = probe
        self.threshold = threshold
        self.gui_thread = threading.get_ident()
        self.seen: list[str] = []
        self._gc_start = 0.0
        gc.callbacks.append(self._on_gc)
        threading.Thread(target=self._watch, daemon=True).start()

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        elif time.perf_counter() - self._gc_start > self.threshold / 2:
            where = "GUI" if threading.get_ident() == self.gui_thread else "worker"
            took = (time.perf_counter() - self._gc_start) * 1000
            self.seen.append(f"gc generation {info['generation']} in the {where} thread: {took:.0f} ms")

    def _watch(self) -> None:
        while True:
            time.sleep(self.threshold / 5)
            last = self.probe.last
            stalled = time.perf_counter() - last
            if stalled <= self.threshold:
                continue
            # Each look is taken when this thread gets the interpreter lock back: a thread
            # that held it through a long call shows the line that made that call.
            for ident, frame in sys._current_frames().items():
                if ident == threading.get_ident():
                    continue
                stack = traceback.format_stack(frame, limit=4)
                lines = [
                    line.strip().splitlines()[0].replace('File "', "").replace(str(ROOT), "")
                    for line in stack
                ]
                who = "GUI" if ident == self.gui_thread else "worker"
                self.seen.append(
                    f"{self.probe.current} +{stalled * 1000:.0f} ms [{who}] " + " <- ".join(reversed(lines))
                )


class Probe:
    """The stall probe, waiting helpers and the list of measured phases."""

    def __init__(self, app: Any, timeout: float) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.app = app
        self.timeout = timeout
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.worst = 0.0
        self.busiest = 0.0
        self.phases: list[dict[str, Any]] = []
        self.current = "start-up"
        self.timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.worst = max(self.worst, now - self.last)
        self.busiest = max(self.busiest, cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu

    def wait(self, condition: Callable[[], bool], limit: float | None = None) -> float | None:
        """Run the event loop until condition() holds; seconds it took, None on time-out."""
        from PySide6.QtCore import QEventLoop, QTimer

        start = time.perf_counter()
        if condition():
            return 0.0
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(10)
        outcome: list[float | None] = [None]

        def check() -> None:
            if condition():
                outcome[0] = time.perf_counter() - start
                loop.quit()
            elif time.perf_counter() - start > (limit or self.timeout):
                loop.quit()

        poll.timeout.connect(check)
        poll.start()
        loop.exec()
        poll.stop()
        return outcome[0]

    def settle(self, ms: int = SETTLE_MS) -> None:
        end = time.perf_counter() + ms / 1000
        self.wait(lambda: time.perf_counter() >= end)

    def phase(
        self,
        name: str,
        action: Callable[[], object],
        done: Callable[[], bool] = lambda: True,
        settle_ms: int = SETTLE_MS,
        **extra: Any,
    ) -> dict[str, Any]:
        """Measure one action: its longest stall, and the time until `done` holds."""
        self.current = name
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.worst = self.busiest = 0.0
        action()
        reached = self.wait(done)
        self.settle(settle_ms)
        self._tick()
        row = {"phase": name, "stall": self.worst, "busy": self.busiest, "done": reached, **extra}
        self.phases.append(row)
        return row


def run(left: str, right: str, scratch: str, timeout: float, explain: bool = False) -> None:
    try:
        from PySide6.QtCore import QSettings, Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication
    except Exception as exc:
        report(status="no-qt", detail=f"{type(exc).__name__}: {exc}")
        return
    app = QApplication([])
    try:
        from viewer.core import Choice, DifferenceKind, Side
        from viewer.ui.main_window import MainWindow
    except ImportError as exc:
        report(status="no-window", detail=str(exc))
        return
    settings = QSettings(str(Path(scratch) / "probe.ini"), QSettings.Format.IniFormat)
    try:
        from viewer.ui.autosave import INTERVAL_KEY

        # The autosave runs when its own phase says so, not in whichever phase its timer hits.
        settings.setValue(INTERVAL_KEY, 3_600_000)
    except ImportError:
        pass
    window = MainWindow(settings)
    window.resize(1400, 900)
    window.show()
    probe = Probe(app, timeout)
    witness = StallWitness(probe) if explain else None
    probe.settle(300)
    view = window.view
    left_view = view.left_view
    marks: dict[str, float] = {}
    opened_at = [0.0]

    def mark(name: str) -> Callable[..., None]:
        def record(*_args: object) -> None:
            marks.setdefault(name, time.perf_counter() - opened_at[0])

        return record

    window.comparison_ready.connect(mark("ready"))
    painted_signal = getattr(left_view, "differences_painted", None)
    if painted_signal is not None:
        painted_signal.connect(mark("painted"))
    loaded_signal = getattr(view, "loading_finished", None)
    if loaded_signal is not None:
        loaded_signal.connect(mark("loaded"))

    def first_paint_seen() -> bool:
        if painted_signal is None and "ready" in marks and left_view.extraSelections():
            # A window without the signal: the first check after highlights exist stands in for it.
            marks.setdefault("painted", time.perf_counter() - opened_at[0])
        return "painted" in marks and ("loaded" in marks or loaded_signal is None) and merged_seen()

    def merged_seen() -> bool:
        """Whether the canonical pane shows the merged text (a long text's is merged after the
        panes are filled); the first check that sees it marks the time."""
        s = window.session
        if s is None or getattr(s, "updating", False) or getattr(view.canonical, "updating", False):
            return False
        marks.setdefault("merged", time.perf_counter() - opened_at[0])
        return True

    def open_pair() -> None:
        opened_at[0] = time.perf_counter()
        window.open_pair(left, right)

    row = probe.phase("open the pair", open_pair, first_paint_seen, settle_ms=1000)
    row.update({key: marks.get(key) for key in ("ready", "painted", "loaded", "merged")}, done=None)
    session = window.session
    if session is None or window.comparison is None:
        report(status="failed", detail=window.last_error or "no comparison", phases=probe.phases)
        return
    row["differences"] = len(window.comparison.differences)
    editor = view.canonical

    def canonical_current() -> bool:
        s = window.session
        if s is None or getattr(s, "updating", False):
            return False
        shows = getattr(editor, "shows", None)
        return bool(shows(s.text)) if shows is not None else editor.plain_text() == s.text

    bar = left_view.verticalScrollBar()

    def scroll_across() -> None:
        for k in range(SCROLL_JUMPS + 1):
            bar.setValue(bar.maximum() * k // SCROLL_JUMPS)
            probe.settle(40)

    def page_down() -> None:
        bar.setValue(bar.maximum() // 3)
        for _ in range(PAGE_STEPS):
            bar.triggerAction(bar.SliderAction.SliderPageStepAdd)
            probe.settle(16)

    probe.phase("scroll across the document", scroll_across)
    probe.phase(f"page down {PAGE_STEPS} times", page_down)
    ids = view.navigable_ids()
    last = window.comparison.by_id(ids[-1])
    last_start = window.prepared.qt_span(last, Side.LEFT)[0] if window.prepared else 0

    def last_in_view() -> bool:
        first, end = left_view.visible_range()
        return first <= last_start <= end

    window.commands["first"].trigger()
    probe.settle()
    probe.phase("jump to the last difference", window.commands["last"].trigger, last_in_view)
    probe.phase("previous difference", window.commands["previous"].trigger)
    target = view.current_id or ids[-1]
    choice = session.decision(target).choice
    action = "take_right" if choice is Choice.LEFT else "take_left"
    probe.phase("one decision", window.commands[action].trigger, canonical_current)
    probe.phase("undo", window.commands["undo"].trigger, canonical_current)
    kinds = window.comparison.summary
    kind = DifferenceKind(max(kinds, key=lambda k: kinds[k]))
    toggle = view.panel.filter_bar.button(kind)
    if toggle is not None:
        probe.phase(f"hide a kind ({kind.value}, {kinds[kind.value]})", toggle.click)
        probe.phase(f"show it again ({kind.value})", toggle.click)
    span = session.range_of(target) or (len(session.text) // 2, len(session.text) // 2)
    cursor = editor.textCursor()
    cursor.setPosition(min(span[0], editor.document().characterCount() - 1))
    editor.setTextCursor(cursor)
    editor.setFocus()

    def type_keys() -> None:
        for _ in range(KEYS_TYPED):
            QTest.keyClick(editor, Qt.Key.Key_X)
            probe.settle(120)

    probe.phase(f"type {KEYS_TYPED} characters in the canonical pane", type_keys, canonical_current)
    autosave = getattr(window, "autosave", None)
    if autosave is not None:
        probe.phase("autosave of the unsaved work (a few seconds after each change)", autosave.flush)
    if window.session is not None:
        window.session.mark_exported()
    replaced = window.comparison
    marks.clear()

    def swapped() -> bool:
        return window.comparison is not replaced and ("loaded" in marks or loaded_signal is None)

    swap_sides = window.commands["swap"].trigger
    swap = probe.phase("swap sides (a new comparison replaces this one)", swap_sides, swapped)
    if window.session is not None:
        window.session.mark_exported()
    runner = window.runner
    took = swap.get("done") or row.get("ready") or 1.0  # what a comparison like the ones below takes
    for share in CANCEL_SHARES:

        def start_then_cancel(delay: float = share * took) -> None:
            window.commands["swap"].trigger()
            probe.settle(int(delay * 1000))
            window.commands["cancel"].trigger()

        # "done": from the click until the worker has stopped (a job polls its cancel flag).
        name = f"{CANCEL_PHASE} {share:.0%} into it ({share * took:.1f} s)"
        probe.phase(name, start_then_cancel, lambda: not runner.working)
    window.runner.shutdown()
    report(status="ok", phases=probe.phases, explained=witness.seen if witness else [])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("left")
    parser.add_argument("right")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for any one step")
    parser.add_argument("--explain", action="store_true", help="say what each thread did in long stalls")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="variorum-probe-") as scratch:
        run(args.left, args.right, scratch, args.timeout, args.explain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
