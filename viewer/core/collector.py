"""Automatic garbage collection paused while the engine builds its records.

Loading, comparing and merging a long pair make hundreds of thousands of container objects
(blocks, links, opcodes, differences). Each time enough of them pile up, the collector
walks every live container, and the passes grow with the heap: about a fifth of a 5 MB
comparison went to them. The engine's records form no reference cycles, so reference
counting frees them anyway; collection resumes when the outermost paused call returns.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause automatic collection for the block (or decorated call); nesting and threads are fine."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                # What the paused work made is mostly long-lived (a comparison lives while it
                # is shown): straight into the oldest generation, as a few young collections
                # would put it after walking every one of those objects (60-70 ms a 5 MB
                # comparison, in whichever thread allocated next). Cyclic garbage among them
                # waits for the next full collection; none is lost.
                gc.freeze()
                gc.unfreeze()
                gc.enable()
