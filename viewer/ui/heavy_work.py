"""How the interpreter is set while a worker thread does heavy work, so the window stays fluid.

Two things let a worker freeze the GUI thread although it runs elsewhere:

* The interpreter lock changes hands every 5 ms by default, and the GUI thread gives it up
  on many Qt calls (cursors, layout queries): a paint making dozens of them waits 5 ms each
  time. A 0.1 ms switch interval keeps those waits short while a worker is busy.
* A full pass of the garbage collector walks every live container object holding the lock:
  with a 5 MB comparison in memory that takes 0.1-0.2 s, whichever thread started it. The
  comparison, its merges and their records form no reference cycles (reference counting
  frees them), so automatic collection pauses while a worker builds them, and what exists
  afterwards is frozen (gc.freeze): later passes skip it.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from viewer.core.collector import collection_paused

#: Seconds between hand-overs of the interpreter lock while a worker is busy.
SWITCH_INTERVAL = 0.0001

_lock = threading.Lock()
_depth = 0
_saved_interval = 0.005


@contextmanager
def heavy_work() -> Iterator[None]:
    """Run a worker's heavy work: short lock hand-overs, no automatic collection, then freeze."""
    global _depth, _saved_interval
    with _lock:
        if _depth == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _saved_interval))
        _depth += 1
    try:
        with collection_paused():
            try:
                yield
            finally:
                # Before collection resumes: what the work made is never walked again.
                gc.freeze()
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                sys.setswitchinterval(_saved_interval)
