"""Progress bars on stderr for long runs (sweeps, exhaustive checks, batches): only when
stderr is a terminal, so that pipes, files and JSON on stdout never see them."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


# Seconds a run goes on before its bar is drawn (CASUS_PROGRESS_DELAY sets another).
DELAY = 0.3


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("CASUS_PROGRESS_DELAY", DELAY)))
    except ValueError:
        return DELAY


@contextmanager
def progress_bars() -> Iterator[None]:
    """Show the engine's progress reports (engine.progress) as rich progress bars on stderr,
    erased when done; nothing at all unless stderr is a terminal."""
    if not _stderr_is_terminal():
        yield
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..engine.progress import listening
    from .output import console
    bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console(stderr=True), transient=True,
                    redirect_stdout=False, redirect_stderr=False)     # stdout stays the command's
    tasks: dict[str, Any] = {}
    started, delay = time.monotonic(), _delay()

    def listener(what: str, done: int, total: int) -> None:
        # A run over before the bar would be read (one case, a small sweep) draws nothing.
        if not bars.live.is_started:
            if time.monotonic() - started < delay or done >= total:
                return
            bars.start()
        if what not in tasks:
            tasks[what] = bars.add_task(what, total=total)
        bars.update(tasks[what], completed=done, total=total)

    try:
        with listening(listener):
            yield
    finally:
        if bars.live.is_started:
            bars.stop()


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
