"""`variorum diff` and `variorum merge` over two folders: every pair of variants in one run.

The pairs are worked on by a pool of processes (one pair each at a time) and reported in
the pairing's order, each once it and those before it are done. A pair that cannot be read
is reported and the rest go on; the exit status tells.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import PurePosixPath
from typing import Any, TextIO

from viewer.core import CompareOptions, DifferenceKind, LoadError, MergePolicy, write_atomic
from viewer.core.folders import (
    FilePair,
    FolderPairing,
    PairOutcome,
    Task,
    outcome_of,
    output_names,
    tally,
    tasks,
    write_pair,
)
from viewer.core.pair import start_context
from viewer.html_report import folder_index, html_report
from viewer.report import HIDDEN_BY_OPTIONS, split_summary

_RED = "\033[31m"
_GREEN = "\033[32m"
_YELLOW = "\033[33m"
_RESET = "\033[0m"


def default_jobs() -> int:
    """One process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(
    work: Sequence[Task],
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[PairOutcome]:
    """Each task's outcome, in the order of `work`; with jobs > 1, in a pool of processes.

    A process of the pool that dies (killed, out of memory) breaks the pool and every pair
    it had not finished. The first of those is then worked on alone, in a process of its own
    (its trouble if that one dies too), and the pairs after it in a new pool, but for those
    already done."""
    total = len(work)
    if jobs <= 1 or total <= 1:
        for done, (function, args) in enumerate(work, 1):
            yield outcome_of(function, args)
            if progress:
                progress(done, total)
        return
    done = 0

    def count() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    def finished(future: Future[PairOutcome]) -> None:
        if not future.cancelled() and future.exception() is None:
            count()

    ready: dict[int, PairOutcome] = {}
    first = 0
    while first < total:
        todo = [k for k in range(first, total) if k not in ready]
        if not todo:
            yield from (ready[k] for k in range(first, total))
            return
        broken = None
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=pool_context()) as pool:
            futures = {k: pool.submit(outcome_of, *work[k]) for k in todo}
            for future in futures.values():
                future.add_done_callback(finished)
            try:
                for k in range(first, total):
                    if k in ready:
                        yield ready.pop(k)
                        continue
                    try:
                        outcome = futures[k].result()
                    except BrokenProcessPool:
                        broken = k
                        break
                    yield outcome
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        if broken is None:
            return
        for k, future in futures.items():
            if k > broken and future.done() and not future.cancelled() and future.exception() is None:
                ready[k] = future.result()
        outcome = _alone(work[broken])
        count()
        yield outcome
        first = broken + 1


def _alone(task: Task) -> PairOutcome:
    """A task's outcome from a process of its own; its trouble if that process dies too."""
    function, args = task
    with ProcessPoolExecutor(max_workers=1, mp_context=pool_context()) as pool:
        try:
            return pool.submit(outcome_of, function, args).result()
        except BrokenProcessPool:
            return PairOutcome(
                args[0],
                {},
                error=f"{args[1][0]}: the process working on it stopped (killed, or out of memory)",
            )


def pool_context() -> multiprocessing.context.BaseContext:
    """How to start the processes of a pool: as a helper starts (forked when that is safe,
    else from the fork server), or spawned where neither can be had."""
    return start_context() or multiprocessing.get_context("spawn")


def diff_folders(
    pairing: FolderPairing,
    options: CompareOptions,
    jobs: int,
    out: TextIO,
    err: TextIO,
    *,
    as_json: bool,
    color: bool,
    report_dir: str = "",
    hidden: frozenset[DifferenceKind] = frozenset(),
) -> int:
    """Compare every pair; print a line each (or one JSON object). With `report_dir`, also
    write each pair's HTML report there (under the left file's path, .html) and an index.html
    over them. `hidden` kinds of difference are left out everywhere, as if they were none.
    Exit status: 0 all the same, 1 something differs or is on one side only, 2 a pair could
    not be compared."""
    work = report_tasks(pairing, options, report_dir, hidden) if report_dir else tasks(pairing, options)
    outcomes: list[PairOutcome] = []
    if not as_json:
        out.write(f"left:  {pairing.left_root}\nright: {pairing.right_root}\n")
    for outcome in run(work, jobs, _progress(err, out, streaming=not as_json)):
        outcome = without_kinds(outcome, hidden)
        outcomes.append(outcome)
        if not as_json:
            out.write(_line(outcome, color) + "\n")
            out.flush()
        if outcome.error:
            err.write(f"variorum diff: {outcome.error}\n")
    if as_json:
        json.dump(_json(pairing, outcomes), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        for label, names in (("only left ", pairing.only_left), ("only right", pairing.only_right)):
            for name in names:
                out.write(f"  {_paint(label, _YELLOW, color)}  {name}\n")
        out.write(tally(pairing, Counter(o.state for o in outcomes)) + "\n")
    if report_dir:
        _write_index(pairing, outcomes, report_dir, out if not as_json else err, err)
    if any(o.error for o in outcomes):
        return 2
    return 1 if pairing.only_left or pairing.only_right or any(o.differences for o in outcomes) else 0


def without_kinds(outcome: PairOutcome, hidden: Collection[DifferenceKind]) -> PairOutcome:
    """A pair's outcome with the `hidden` kinds of difference not counted (its state, count and
    summary by the kinds listed)."""
    if not hidden or outcome.error:
        return outcome
    summary, _ = split_summary(outcome.summary, hidden)
    return dataclasses.replace(outcome, summary=summary, differences=sum(summary.values()))


def report_tasks(
    pairing: FolderPairing,
    options: CompareOptions,
    report_dir: str,
    hidden: frozenset[DifferenceKind] = frozenset(),
) -> list[Task]:
    """Each pair's work when reporting: compare it and write its page (`hidden` kinds left
    out) to `report_dir`/<the left file's path>.html."""
    # A pair whose left file is index.* at the top keeps its full name: the index is index.html.
    pages = output_names(pairing.pairs, "html", reserved=frozenset({"index.html"}))
    return [
        (report_files, (pair, pairing.paths(pair), options, os.path.join(report_dir, page), hidden))
        for pair, page in zip(pairing.pairs, pages, strict=True)
    ]


def write_index(pairing: FolderPairing, outcomes: Sequence[PairOutcome], report_dir: str) -> str:
    """Write `report_dir`/index.html over the pairs' pages; its path. Raises LoadError."""
    index = os.path.join(report_dir, "index.html")
    links = {o.pair: os.path.relpath(o.output, report_dir) for o in outcomes if o.output}
    try:
        os.makedirs(report_dir, exist_ok=True)
    except OSError as exc:
        raise LoadError(f"{report_dir}: cannot make the folder ({exc.strerror or exc})") from None
    write_atomic(index, folder_index(pairing, outcomes, links))
    return index


def report_files(
    pair: FilePair,
    paths: tuple[str, str],
    options: CompareOptions,
    output: str,
    hidden: frozenset[DifferenceKind] = frozenset(),
) -> PairOutcome:
    """Compare one pair and write its HTML report to `output` (its folder made when missing)."""
    page = partial(html_report, hidden=hidden, hidden_why=HIDDEN_BY_OPTIONS)
    return write_pair(pair, paths, options, output, page)


def _write_index(
    pairing: FolderPairing, outcomes: list[PairOutcome], report_dir: str, out: TextIO, err: TextIO
) -> None:
    try:
        index = write_index(pairing, outcomes, report_dir)
    except LoadError as exc:
        err.write(f"variorum diff: cannot write the index ({exc})\n")
        return
    out.write(f"report: {index}\n")


def merge_folders(
    pairing: FolderPairing,
    options: CompareOptions,
    policy: MergePolicy,
    fmt: str,
    output: str,
    jobs: int,
    out: TextIO,
    err: TextIO,
) -> int:
    """Merge every pair into `output`/<the left file's path, with the format's suffix>; print
    what was written. Exit status 2 if a pair could not be merged (the others are written)."""
    work = tasks(pairing, options, (policy, fmt, output))
    failed = 0
    for outcome in run(work, jobs, _progress(err, out, streaming=True)):
        if outcome.error:
            failed += 1
            err.write(f"variorum merge: {outcome.error}\n")
        else:
            out.write(f"{outcome.output}  ({_pair_name(outcome.pair)}, {_counted(outcome.differences)})\n")
            out.flush()
    for side, names_left_out in (("left", pairing.only_left), ("right", pairing.only_right)):
        for name in names_left_out:
            err.write(f"variorum merge: {name}: only in the {side} folder, not merged\n")
    return 2 if failed else 0


def _progress(err: TextIO, out: TextIO, streaming: bool) -> Callable[[int, int], None] | None:
    """A counter on the terminal's last line while pairs are worked on, unless the report's
    own lines (`streaming`, one a pair) go to that terminal and show how far it is."""
    if not err.isatty() or (streaming and out.isatty()):
        return None

    def show(done: int, total: int) -> None:
        err.write(f"\r{done} of {total} pairs" + ("\r\033[K" if done == total else ""))
        err.flush()

    return show


def _pair_name(pair: FilePair) -> str:
    """`ch1.md`, `ch1 (.md ↔ .pdf)`, or both paths where the names differ more."""
    if pair.left == pair.right:
        return pair.left
    left, right = PurePosixPath(pair.left), PurePosixPath(pair.right)
    if left.with_suffix("") == right.with_suffix(""):
        return f"{left.with_suffix('')} ({left.suffix} ↔ {right.suffix})"
    return f"{pair.left} ↔ {pair.right}"


def _counted(n: int) -> str:
    return "the same" if n == 0 else f"{n} difference{'s' if n != 1 else ''}"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def _line(outcome: PairOutcome, color: bool) -> str:
    name = _pair_name(outcome.pair)
    if outcome.error:
        return f"  {_paint('trouble   ', _RED, color)}  {name}"
    if not outcome.differences:
        return f"  {_paint('same      ', _GREEN, color)}  {name}"
    counts = sorted(outcome.summary.items(), key=lambda kv: (-kv[1], kv[0]))
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts)
    return f"  {_paint(f'{outcome.differences:>5} diff', _RED, color)}  {name}  ({kinds})"


def _json(pairing: FolderPairing, outcomes: list[PairOutcome]) -> dict[str, Any]:
    return {
        "left": pairing.left_root,
        "right": pairing.right_root,
        "pairs": [
            {"left": o.pair.left, "right": o.pair.right}
            | ({"error": o.error} if o.error else {"differences": o.differences, "summary": o.summary})
            for o in outcomes
        ],
        "only_left": list(pairing.only_left),
        "only_right": list(pairing.only_right),
    }
