"""Automatic garbage collection pauses while the engine works and comes back afterwards."""

from __future__ import annotations

import gc
import importlib
import weakref
from collections.abc import Iterator

import pytest

from tests.conftest import PDF_SAMPLE, WEB_SAMPLE
from viewer.core import compare, document, load_variant, merge
from viewer.core.collector import collection_paused

# The modules, not the functions of the same names that viewer.core exports.
comparing = importlib.import_module("viewer.core.compare")
merging = importlib.import_module("viewer.core.merge")


@pytest.fixture(autouse=True)
def collection_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_resumed_after_the_outermost() -> None:
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not resume it
    assert gc.isenabled()


def test_a_collection_switched_off_before_stays_off() -> None:
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_resumed_after_an_error() -> None:
    with pytest.raises(ValueError, match="boom"), collection_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_the_engine_runs_without_automatic_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deep inside loading, comparing and merging, collection is off; afterwards it is on."""
    seen: dict[str, bool] = {}

    def watch(module: object, name: str) -> None:
        original = getattr(module, name)

        def watched(*args: object, **kwargs: object) -> object:
            seen[name] = gc.isenabled()
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)

    watch(document, "tokenize")
    watch(comparing, "classify")
    watch(merging, "_render")
    comparison = compare(load_variant(WEB_SAMPLE), load_variant(PDF_SAMPLE))
    merge(comparison)
    assert seen == {"tokenize": False, "classify": False, "_render": False}
    assert gc.isenabled()


class _Node:
    me: object = None


def test_what_the_paused_work_made_goes_straight_to_the_oldest_generation() -> None:
    """Young collections would walk every object the work made; a full one still frees cycles."""
    with collection_paused():
        made = [[] for _ in range(50_000)]
        node = _Node()
        node.me = node  # a cycle: only the collector can free it
        gone = weakref.ref(node)
        del node
    assert gc.get_count()[0] < 1_000  # nothing for the next young collection to walk
    gc.collect(0)
    gc.collect(1)
    assert gone() is not None  # not among the young
    gc.collect()
    assert gone() is None  # nothing lost
    assert len(made) == 50_000
