"""Folder batches in a pool of processes: a process that dies costs its own pair only."""

from __future__ import annotations

import os

import pytest

from viewer import batch
from viewer.core.folders import PairOutcome


def _stops_its_process(pair: str, paths: tuple[str, str], fatal: bool) -> PairOutcome:
    if fatal:
        os._exit(9)  # as the kernel's out-of-memory killer would end it
    return PairOutcome(pair, {"wording": len(pair)}, len(pair))  # type: ignore[arg-type]


@pytest.mark.parametrize("fatal", [{"ccc"}, {"g"}, {"a", "dddd"}])
def test_a_process_that_dies_costs_only_its_own_pair(fatal: set[str]) -> None:
    names = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff", "g"]
    work = [(_stops_its_process, (name, (f"{name}.md", f"{name}.txt"), name in fatal)) for name in names]
    ticks: list[tuple[int, int]] = []
    outcomes = list(batch.run(work, 2, lambda done, total: ticks.append((done, total))))
    assert [o.pair for o in outcomes] == names
    assert [o.error for o in outcomes if o.error] == [
        f"{name}.md: the process working on it stopped (killed, or out of memory)"
        for name in names
        if name in fatal
    ]
    assert all(o.differences == len(o.pair) for o in outcomes if not o.error)  # type: ignore[arg-type]
    # Each pair counted once, the last count all of them.
    assert sorted(done for done, _ in ticks) == list(range(1, len(names) + 1))
    assert max(ticks) == (len(names), len(names))
