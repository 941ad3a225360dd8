"""Benchmark of the comparison engine on generated pairs, the corpus and the window."""

from __future__ import annotations

import argparse
import bisect
import importlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Run as a script, Python puts bench/ on the path, not the project root.
    sys.path.insert(0, str(ROOT))

from bench import xserver  # noqa: E402
from bench.generate import GeneratedPair, KnownEdit, make_pair  # noqa: E402
from bench.gui_probe import CANCEL_PHASE  # noqa: E402

T = TypeVar("T")

SAMPLE_LEFT = ROOT / "samples" / "lavrov-web.md"
SAMPLE_RIGHT = ROOT / "samples" / "lavrov-pdf.txt"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

# Targets, in seconds or as factors.
TARGET_5MB_SECONDS = 1.5
TARGET_5MB_VS_WDIFF = 2.0
TARGET_1MB_SECONDS = 0.3
TARGET_MEMORY_FACTOR = 20.0
TARGET_SAMPLES_SECONDS = 0.050
TARGET_GUI_STALL_SECONDS = 0.100
TARGET_CANCEL_SECONDS = 0.100
TARGET_STARTUP_SECONDS = 2.0
# The memory target is the 5 MB pair's. Below it, fixed costs weigh more than the input: the
# allocator's noise, and from a few hundred kilobytes the helper process's own pages (the 1 MB
# pair's factor is printed all the same).
MEMORY_TARGET_MIN_BYTES = 5_000_000
GUI_TIMEOUT_SECONDS = 300

MEMORY_CHILD = """
import os, resource, sys, tempfile
sys.path.insert(0, sys.argv[1])
import viewer.core as core


def status(key):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(key + ":"))


def shared():
    with open("/proc/self/smaps_rollup") as rollup:
        lines = [line for line in rollup if line.startswith(("Shared_Clean", "Shared_Dirty"))]
    return sum(int(line.split()[1]) for line in lines)


# A helper process (viewer.core.pair) loads one side of a long pair. What it adds is its peak
# resident set less the pages it still shares with this process at its end (it shares no fewer
# before): an upper bound. It is added to this process's peak up to the helper's end, as if
# both peaked at once; the figure is that or this process's own peak, whichever is higher.
added = {"helper": 0, "here": 0}
if len(sys.argv) > 2:
    try:
        from viewer.core import pair
    except ImportError:
        pair = None
    if pair is not None and hasattr(pair, "_helper_main"):
        fd, report = tempfile.mkstemp(prefix="variorum-helper-")
        os.close(fd)
        helper_main, helper_result = pair._helper_main, pair._Helper.result

        def measured_main(path, connection):
            try:
                helper_main(path, connection)
            finally:
                with open(report, "w") as out:
                    out.write(str(status("VmHWM") - shared()))

        def measured_result(self, cancelled):
            if self.process is not None:
                self.ended.wait()
                self.process.join()
                added["here"] = status("VmHWM")
            return helper_result(self, cancelled)

        pair._helper_main, pair._Helper.result = measured_main, measured_result
        left, right = core.load_pair(sys.argv[2], sys.argv[3])
        with open(report) as written:
            added["helper"] = int(written.read() or 0)
        os.unlink(report)
    else:
        left, right = core.load_variant(sys.argv[2]), core.load_variant(sys.argv[3])
    comparison = core.compare(left, right)
# This process's own peak: on Linux, ru_maxrss also counts the parent's pages when it was
# started (the benchmark holds a large comparison of its own by then); VmHWM does not.
try:
    print(max(status("VmHWM"), added["here"] + added["helper"]))
except (OSError, StopIteration):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


class _Span(Protocol):
    start: int
    end: int
    text: str


class _Difference(Protocol):
    kind: str
    left: _Span
    right: _Span


@dataclass
class Target:
    """One performance goal with the figure measured against it."""

    name: str
    figure: str
    limit: str
    passed: bool | None  # None: not measured

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "n/a"}[self.passed]


@dataclass
class PairResult:
    """Everything measured on one generated pair."""

    label: str
    size: int
    input_bytes: int
    words: int
    edits: int
    ours: float | None = None
    merge: float | None = None
    memory: int | None = None
    wdiff: float | None = None
    git: float | None = None
    found: int = 0
    missed: tuple[KnownEdit, ...] = ()
    kinds: Counter[str] | None = None
    error: str = ""
    #: Ours over a tool's time, within each round of the two taking turns (median of rounds).
    versus: dict[str, float] = field(default_factory=dict)


def parse_size(text: str) -> int:
    """Bytes from a size such as 10k, 1m, 2.5m or 4096."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)[bB]?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 10k, 1m)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def size_label(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    if size >= 1_000:
        return f"{size / 1_000:g} KB"
    return f"{size} B"


def median_time(action: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of repeat runs of action, and the last run's result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        result = None  # let the previous result go before the next run
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result


def machine_info() -> list[str]:
    """CPU, cores, OS, Python and the reference tools' versions."""
    cpu = platform.processor() or "unknown CPU"
    try:
        info = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        info = []
    fields = dict(line.split(":", 1) for line in reversed(info) if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    if "model name" in fields:
        cpu = fields["model name"]
    if "cpu MHz" in fields:
        cpu += f", {float(fields['cpu MHz']) / 1000:.1f} GHz"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"CPU: {cpu}; cores: {os.cpu_count()} ({usable} usable)",
        f"OS: {platform.platform()}",
        f"Python: {platform.python_implementation()} {platform.python_version()}",
    ]
    for tool in ("wdiff", "git"):
        if shutil.which(tool):
            out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
            lines.append(f"{tool}: {out.splitlines()[0] if out else 'present'}")
    return lines


def install_wdiff() -> None:
    """Install wdiff with apt-get where this user may (root, or sudo without a password)."""
    if shutil.which("apt-get") is None:
        return
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        return
    print("  wdiff not found: installing it with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "wdiff"]
    if subprocess.run(install, capture_output=True, env=env).returncode != 0:
        # A fresh machine's package lists may be empty or stale.
        subprocess.run([*prefix, "apt-get", "update", "-qq"], capture_output=True, env=env)
        subprocess.run(install, capture_output=True, env=env)


def load_engine() -> tuple[Any, str]:
    """The engine module, or None and why it cannot be used."""
    try:
        core = importlib.import_module("viewer.core")
    except Exception as exc:
        return None, f"viewer.core cannot be imported ({type(exc).__name__}: {exc})"
    missing = [name for name in ("load_variant", "compare", "merge") if not hasattr(core, name)]
    if missing:
        return None, f"viewer.core has no {', '.join(missing)}"
    return core, ""


def compare_files(core: Any, left: Path, right: Path) -> Any:
    """The engine's comparison, from files on disk to differences (both loaded together, as the
    window and the command line load them, where the engine can)."""
    if hasattr(core, "load_pair"):
        return core.compare(*core.load_pair(left, right))
    return core.compare(core.load_variant(left), core.load_variant(right))


def differences_of(comparison: Any) -> tuple[_Difference, ...]:
    differences: tuple[_Difference, ...] = tuple(comparison.differences)
    return differences


def kinds_of(differences: Iterable[_Difference]) -> Counter[str]:
    return Counter(str(d.kind) for d in differences)


def format_kinds(kinds: Counter[str] | None) -> str:
    if kinds is None:
        return "-"
    if not kinds:
        return "none"
    return ", ".join(f"{kind} {count}" for kind, count in kinds.most_common())


class _SpanIndex:
    """Half-open spans sorted by start, answering "does any span overlap [lo, hi)?" fast."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_end: list[int] = []
        reach = -1
        for _, end in ordered:
            reach = max(reach, end)
            self.max_end.append(reach)

    def overlaps(self, lo: int, hi: int) -> bool:
        before = bisect.bisect_left(self.starts, hi)
        return before > 0 and self.max_end[before - 1] > lo


def recall(edits: Sequence[KnownEdit], differences: Sequence[_Difference]) -> tuple[int, list[KnownEdit]]:
    """How many known edits a wording difference covers, and the ones it misses."""
    wording = [d for d in differences if str(d.kind) == "wording"]
    left = _SpanIndex((d.left.start, d.left.end) for d in wording)
    right = _SpanIndex((d.right.start, d.right.end) for d in wording)
    missed: list[KnownEdit] = []
    for edit in edits:
        if edit.kind == "insert":
            hit = right.overlaps(edit.right_offset, edit.right_offset + len(edit.right_text))
        else:
            hit = left.overlaps(edit.left_offset, edit.left_offset + len(edit.left_text))
        if not hit:
            missed.append(edit)
    return len(edits) - len(missed), missed


def time_tool(command: list[str], repeat: int) -> float:
    """Median wall time of an external command, its output discarded."""

    def run() -> int:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        # wdiff and git diff exit 1 when the files differ; 2 and above is trouble.
        if done.returncode > 1:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.decode(errors='replace').strip()}")
        return done.returncode

    return median_time(run, repeat)[0]


def peak_rss(args: list[str]) -> int:
    """Peak resident set size in bytes of a fresh process running the memory probe."""
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(ROOT), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    value = int(done.stdout.split()[-1])
    # Linux reports kilobytes, macOS bytes.
    return value if sys.platform == "darwin" else value * 1024


def context(text: str, offset: int, width: int = 30) -> str:
    return text[max(0, offset - width) : offset + width].replace("\n", "\u21b5").replace("\f", "\u21a1")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_pair(
    core: Any, size: int, directory: Path, repeat: int, baseline: int | None, tools: dict[str, bool]
) -> tuple[PairResult, GeneratedPair, Path, Path]:
    """Generate one pair, write it out and measure everything on it."""
    progress(f"[{size_label(size)}] generating")
    pair = make_pair(
        size,
        seed=0,
        edit_rate=0.01,
        moved_paragraphs=max(1, size // 250_000),
        hyphenation=0.02,
    )
    left = directory / f"left-{size}.md"
    right = directory / f"right-{size}.txt"
    left.write_text(pair.left, encoding="utf-8")
    right.write_text(pair.right, encoding="utf-8")
    input_bytes = left.stat().st_size + right.stat().st_size
    result = PairResult(size_label(size), size, input_bytes, len(pair.left.split()), len(pair.edits))

    # Ours, wdiff and git take turns, round after round: the machine's speed drifts, and each
    # ratio is taken within a round (then the median of the rounds), not across minutes.
    commands = {
        "wdiff": ["wdiff", "-3", str(left), str(right)],
        "git": ["git", "diff", "--no-index", "--word-diff=porcelain", str(left), str(right)],
    }
    rounds: dict[str, list[float]] = {"ours": [], "wdiff": [], "git": []}
    comparison: Any = None
    for number in range(1, repeat + 1):
        progress(f"[{result.label}] comparing, wdiff and git diff, round {number} of {repeat}")
        if core is not None and not result.error:
            try:
                comparison = None  # let the previous result go before the next run
                start = time.perf_counter()
                comparison = compare_files(core, left, right)
                rounds["ours"].append(time.perf_counter() - start)
            except Exception as exc:
                result.error = f"{type(exc).__name__}: {exc}"
        for tool, command in commands.items():
            if tools[tool]:
                rounds[tool].append(time_tool(command, 1))
    result.ours = statistics.median(rounds["ours"]) if rounds["ours"] else None
    result.wdiff = statistics.median(rounds["wdiff"]) if rounds["wdiff"] else None
    result.git = statistics.median(rounds["git"]) if rounds["git"] else None
    if len(rounds["ours"]) == repeat:
        for tool in ("wdiff", "git"):
            if len(rounds[tool]) == repeat:
                result.versus[tool] = statistics.median(
                    ours / theirs for ours, theirs in zip(rounds["ours"], rounds[tool], strict=True)
                )
    if comparison is not None:
        try:
            differences = differences_of(comparison)
            result.kinds = kinds_of(differences)
            result.found, missed = recall(pair.edits, differences)
            result.missed = tuple(missed)
            progress(f"[{result.label}] merging")
            result.merge, _ = median_time(lambda: core.merge(comparison), repeat)
            del comparison, differences
            if baseline is not None:
                progress(f"[{result.label}] measuring memory")
                result.memory = max(0, peak_rss([str(left), str(right)]) - baseline)
        except Exception as exc:
            result.error = f"{type(exc).__name__}: {exc}"
    return result, pair, left, right


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def versus_cell(result: PairResult, tool: str) -> str:
    found = result.versus.get(tool)
    return "-" if found is None else f"{found:.2f}x"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    for line in (headers, ["-" * w for w in widths], *rows):
        print(
            "  ".join(
                str(cell).rjust(w) if i else str(cell).ljust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


def memory_cell(result: PairResult) -> str:
    if result.memory is None:
        return "-"
    return f"{result.memory / 1e6:.0f} MB ({result.memory / result.input_bytes:.1f}x)"


def recall_cell(result: PairResult) -> str:
    if result.kinds is None:
        return "-"
    return f"{result.found}/{result.edits} ({100 * result.found / max(1, result.edits):.1f} %)"


def report_pairs(results: list[PairResult], pairs: dict[str, GeneratedPair], repeat: int) -> None:
    print()
    print(
        f"Generated pairs (web Markdown vs hard-wrapped PDF text; median of {repeat} runs, ours, wdiff "
        "and git taking turns; each ratio is the median of the rounds' ratios):"
    )
    headers = [
        "pair",
        "words",
        "edits",
        "ours",
        "merge",
        "peak memory",
        "wdiff",
        "git",
        "ours/wdiff",
        "ours/git",
        "recall",
    ]
    rows = [
        [
            r.label,
            f"{r.words:,}",
            f"{r.edits:,}",
            seconds(r.ours),
            seconds(r.merge),
            memory_cell(r),
            seconds(r.wdiff),
            seconds(r.git),
            versus_cell(r, "wdiff"),
            versus_cell(r, "git"),
            recall_cell(r),
        ]
        for r in results
    ]
    print_table(headers, rows)
    print()
    print("ours: load_pair (one side in a helper process when both are long) + compare, from files on")
    print("disk; merge: merge(comparison).")
    print("peak memory: peak resident set (VmHWM) of a fresh process comparing the pair minus that of")
    print("one that only imports viewer.core, plus what its helper process added (its peak less the")
    print("pages it shares), as if both peaked at once; the factor is against both files' bytes together.")
    for r in results:
        print(f"{r.label}: differences by kind: {format_kinds(r.kinds)}")
        if r.error:
            print(f"{r.label}: engine error: {r.error}")
        pair = pairs[r.label]
        for edit in r.missed[:3]:
            where = (
                context(pair.right, edit.right_offset)
                if edit.kind == "insert"
                else context(pair.left, edit.left_offset)
            )
            print(f"{r.label}: missed {edit.kind} {edit.left_text!r} -> {edit.right_text!r} near {where!r}")
        if len(r.missed) > 3:
            print(f"{r.label}: ... and {len(r.missed) - 3} more missed")


def bench_samples(core: Any, repeat: int) -> float | None:
    if core is None or not (SAMPLE_LEFT.is_file() and SAMPLE_RIGHT.is_file()):
        return None
    elapsed, comparison = median_time(lambda: compare_files(core, SAMPLE_LEFT, SAMPLE_RIGHT), repeat)
    print()
    print(
        f"Samples ({SAMPLE_LEFT.name} vs {SAMPLE_RIGHT.name}): {seconds(elapsed)}; "
        f"differences by kind: {format_kinds(kinds_of(differences_of(comparison)))}"
    )
    return elapsed


def private_folders(scratch: Path) -> dict[str, str]:
    """XDG variables pointing into scratch: autosaves, preferences and the instance socket of
    a measured window stay out of the user's folders."""
    env = {}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        folder = scratch / var.lower()
        folder.mkdir(mode=0o700, exist_ok=True)
        env[var] = str(folder)
    return env


def _start_once(display: str, scratch: Path) -> float | None:
    """Start `python -m viewer` on the samples; seconds until its window shows, then Ctrl+Q."""
    env = private_folders(scratch)
    started = time.perf_counter()
    app = xserver.start_viewer(display, [str(SAMPLE_LEFT), str(SAMPLE_RIGHT)], str(scratch), env)
    try:
        window = xserver.wait_for_window(display, app, 60)
        shown = time.perf_counter() - started if window else None
        if window:
            xserver.press_ctrl_q(display, window)
        app.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    return shown


def bench_startup(repeat: int) -> float | None:
    """Median seconds from starting the app on the samples under Xvfb to its window showing."""
    if not xserver.available():
        print()
        print("Start-up: skipped (needs Xvfb and xdotool)")
        return None
    times: list[float] = []
    with (
        xserver.private_display() as display,
        tempfile.TemporaryDirectory(prefix="variorum-start-") as scratch,
    ):
        for _ in range(repeat):
            shown = _start_once(display, Path(scratch))
            if shown is not None:
                times.append(shown)
    print()
    if not times:
        print("Start-up: the window never showed")
        return None
    print(
        f"Start-up (python -m viewer on the samples under Xvfb until its window shows, "
        f"{len(times)} run(s)): median {seconds(statistics.median(times))}, worst {seconds(max(times))}"
    )
    return statistics.median(times)


def bench_corpus(core: Any, corpus: Path, repeat: int) -> None:
    if core is None or not corpus.is_dir():
        return
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    rows: list[list[str]] = []
    for folder in folders:
        lefts, rights = sorted(folder.glob("a.*")), sorted(folder.glob("b.*"))
        if not lefts or not rights:
            continue
        size = lefts[0].stat().st_size + rights[0].stat().st_size
        try:
            elapsed, comparison = median_time(partial(compare_files, core, lefts[0], rights[0]), repeat)
            kinds = format_kinds(kinds_of(differences_of(comparison)))
            rows.append([folder.name, f"{size / 1000:.0f} KB", seconds(elapsed), kinds])
        except Exception as exc:
            rows.append([folder.name, f"{size / 1000:.0f} KB", "error", f"{type(exc).__name__}: {exc}"])
    if rows:
        print()
        print(f"Corpus ({corpus}; a.* vs b.*, both files' size):")
        print_table(["pair", "size", "time", "differences by kind"], rows)


def run_probe(left: Path, right: Path, scratch: Path) -> dict[str, Any]:
    """One run of bench/gui_probe.py in a fresh offscreen process, with settings of its own."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **private_folders(scratch))
    try:
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "gui_probe.py"),
                str(left),
                str(right),
                "--timeout",
                str(GUI_TIMEOUT_SECONDS),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=GUI_TIMEOUT_SECONDS * 3,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        errors = done.stderr.strip().splitlines()
        telling = [line for line in errors if "could not" in line.lower()] or errors[-1:]
        return {"status": "no-qt", "detail": telling[0] if telling else f"exit status {done.returncode}"}
    outcome: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return outcome


def bench_gui(left: Path, right: Path, label: str, runs: int) -> tuple[float | None, float | None]:
    """Run the window on a pair offscreen `runs` times.

    Returns the longest event-loop stall and the longest wait for a cancelled comparison to
    stop (each the median of the runs, worst action).
    """
    print()
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="variorum-probe-") as scratch:
        for _ in range(runs):
            outcome = run_probe(left, right, Path(scratch))
            if outcome["status"] != "ok":
                break
            outcomes.append(outcome)
    if not outcomes:
        status = outcome["status"]
        if status == "timeout":
            print("GUI part: the window did not finish within the time limit")
        elif status == "no-window":
            print("GUI part: window not available")
        else:
            print(f"GUI part: skipped (PySide6 cannot start: {outcome.get('detail', status)})")
        return None, None
    print(
        f"GUI part ({label} pair, offscreen, 5 ms probe timer, {len(outcomes)} run(s); "
        "stall: longest gap between probe ticks, median over runs [worst run]; "
        "GUI CPU: the GUI thread's own CPU time in that gap):"
    )
    phases = [p["phase"] for p in outcomes[0]["phases"]]
    rows = []
    worst_stalls = []
    cancel_waits = []
    for k, name in enumerate(phases):
        stalls = [o["phases"][k]["stall"] for o in outcomes]
        busy = [o["phases"][k].get("busy", 0.0) for o in outcomes]
        done = [o["phases"][k].get("done") for o in outcomes]
        worst_stalls.append(statistics.median(stalls))
        finished = [d for d in done if d is not None]
        if name.startswith(CANCEL_PHASE) and finished:
            cancel_waits.append(statistics.median(finished))
        rows.append(
            [
                name,
                f"{seconds(statistics.median(stalls))} [{seconds(max(stalls))}]",
                seconds(statistics.median(busy)),
                seconds(statistics.median(finished)) if finished else "-",
            ]
        )
    print_table(["action", "stall", "GUI CPU", "done after"], rows)
    first = outcomes[0]["phases"][0]
    keys = ("ready", "painted", "loaded", "merged")
    marks = {key: [o["phases"][0].get(key) for o in outcomes] for key in keys}

    def mark(key: str) -> str:
        values = [v for v in marks[key] if v is not None]
        return seconds(statistics.median(values)) if values else "never"

    print(f"  differences: {first.get('differences', '-')}")
    print(f"  open_pair to comparison_ready:              {mark('ready')}")
    print(f"  open_pair to first differences painted:     {mark('painted')}")
    print(f"  open_pair to both variants' panes filled:   {mark('loaded')}")
    print(f"  open_pair to the merged text shown:         {mark('merged')}")
    print("  done after: until the canonical pane shows the new text (decisions, undo, typing)")
    print("  or the last difference is in view, or until a cancelled comparison's worker has stopped;")
    print("  the stall counts everything until 0.4 s after that.")
    stall = max(worst_stalls) if marks["ready"][0] is not None else None
    return stall, max(cancel_waits) if cancel_waits else None


def targets(
    results: list[PairResult],
    samples: float | None,
    startup: float | None,
    stall: float | None,
    cancel: float | None,
    gui_ran: bool,
) -> list[Target]:
    by_size = {r.size: r for r in results}
    found: list[Target] = []

    five, one = by_size.get(5_000_000), by_size.get(1_000_000)
    time5 = five.ours if five else None
    found.append(
        Target(
            "5 MB comparison",
            seconds(time5),
            f"<= {TARGET_5MB_SECONDS} s",
            None if time5 is None else time5 <= TARGET_5MB_SECONDS,
        )
    )
    versus = five.versus.get("wdiff") if five else None
    found.append(
        Target(
            "5 MB comparison vs wdiff",
            "-" if versus is None else f"{versus:.2f}x",
            f"<= {TARGET_5MB_VS_WDIFF:g}x",
            None if versus is None else versus <= TARGET_5MB_VS_WDIFF,
        )
    )
    time1 = one.ours if one else None
    found.append(
        Target(
            "1 MB comparison",
            seconds(time1),
            f"<= {TARGET_1MB_SECONDS} s",
            None if time1 is None else time1 <= TARGET_1MB_SECONDS,
        )
    )
    for r in results:
        if r.memory is not None and r.size >= MEMORY_TARGET_MIN_BYTES:
            factor = r.memory / r.input_bytes
            found.append(
                Target(
                    f"{r.label} peak memory",
                    f"{factor:.1f}x input",
                    f"<= {TARGET_MEMORY_FACTOR:g}x",
                    factor <= TARGET_MEMORY_FACTOR,
                )
            )
    for r in results:
        if r.kinds is not None:
            share = r.found / r.edits if r.edits else 1.0
            found.append(
                Target(
                    f"{r.label} recall of known edits", f"{100 * share:.2f} %", "100 %", r.found == r.edits
                )
            )
    found.append(
        Target(
            "samples comparison",
            seconds(samples),
            f"< {TARGET_SAMPLES_SECONDS * 1000:.0f} ms",
            None if samples is None else samples < TARGET_SAMPLES_SECONDS,
        )
    )
    if startup is not None:
        found.append(
            Target(
                "start-up on the samples under Xvfb (median)",
                seconds(startup),
                f"< {TARGET_STARTUP_SECONDS:g} s",
                startup < TARGET_STARTUP_SECONDS,
            )
        )
    if gui_ran:
        found.append(
            Target(
                "GUI event-loop stall (worst action, median of runs)",
                seconds(stall),
                f"< {TARGET_GUI_STALL_SECONDS * 1000:.0f} ms",
                None if stall is None else stall < TARGET_GUI_STALL_SECONDS,
            )
        )
        found.append(
            Target(
                "GUI cancel: until the worker stops (worst, median of runs)",
                seconds(cancel),
                f"<= {TARGET_CANCEL_SECONDS * 1000:.0f} ms",
                None if cancel is None else cancel <= TARGET_CANCEL_SECONDS,
            )
        )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10k,100k,1m,5m", help="pair sizes, e.g. 10k,100k,1m,5m")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--no-gui", action="store_true", help="skip the window part")
    parser.add_argument(
        "--no-install", action="store_true", help="do not install a missing wdiff with apt-get"
    )
    parser.add_argument("--gui-runs", type=int, default=3, help="runs of the window part (median)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of a.*/b.* pairs")
    args = parser.parse_args(argv)
    try:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    repeat = max(1, args.repeat)

    print("Variorum benchmark")
    if shutil.which("wdiff") is None and not args.no_install:
        install_wdiff()
    for line in machine_info():
        print(f"  {line}")
    tools = {tool: shutil.which(tool) is not None for tool in ("wdiff", "git")}
    if not tools["wdiff"]:
        print("  wdiff not found: install it with `apt-get install wdiff`; the wdiff column is skipped")
    if not tools["git"]:
        print("  git not found: the git column is skipped")
    core, why = load_engine()
    if core is None:
        print(f"  engine not available: {why}; only the reference tools are timed")

    baseline: int | None = None
    if core is not None:
        try:
            baseline = peak_rss([])
        except RuntimeError as exc:
            print(f"  memory baseline failed ({exc}); memory is not measured")

    results: list[PairResult] = []
    pairs: dict[str, GeneratedPair] = {}
    largest: tuple[Path, Path, str] | None = None
    with tempfile.TemporaryDirectory(prefix="variorum-bench-") as scratch:
        for size in sizes:
            result, pair, left, right = bench_pair(core, size, Path(scratch), repeat, baseline, tools)
            results.append(result)
            pairs[result.label] = pair
            if largest is None or size >= max(sizes):
                largest = (left, right, result.label)
        report_pairs(results, pairs, repeat)
        samples = bench_samples(core, repeat)
        startup = bench_startup(repeat) if not args.no_gui else None
        bench_corpus(core, args.corpus, repeat)
        stall: float | None = None
        cancel: float | None = None
        gui_ran = not args.no_gui and largest is not None
        if gui_ran and largest is not None:
            progress(f"[{largest[2]}] window")
            stall, cancel = bench_gui(*largest, runs=max(1, args.gui_runs))

    print()
    print("Targets:")
    found = targets(results, samples, startup, stall, cancel, gui_ran)
    print_table(
        ["target", "measured", "goal", "verdict"], [[t.name, t.figure, t.limit, t.verdict] for t in found]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
