"""How far a long run has got (sweeps, exhaustive checks, batches), for whoever shows it.

The engine reports and never prints: `casus` listens with a progress bar on stderr when
that is a terminal; by default nobody listens and a report costs one comparison. Forked
workers inherit the listener but do not call it (their parent reports what they finish).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# (what, done, total): e.g. ("generated scenarios", 1200, 10000).
Listener = Callable[[str, int, int], None]

_listener: Listener | None = None
_pid = 0


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Call `listener` with the progress of what runs inside (in this process only)."""
    global _listener, _pid
    previous, previous_pid = _listener, _pid
    _listener, _pid = listener, os.getpid()
    try:
        yield
    finally:
        _listener, _pid = previous, previous_pid


def report(what: str, done: int, total: int) -> None:
    if _listener is not None and _pid == os.getpid():
        _listener(what, done, total)
