"""Progress bars on stderr for long runs (sweeps, exhaustive checks, batches): only when
stderr is a terminal, so that pipes, files and JSON on stdout never see them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


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

    def listener(what: str, done: int, total: int) -> None:
        if what not in tasks:
            tasks[what] = bars.add_task(what, total=total)
        bars.update(tasks[what], completed=done, total=total)

    with bars, listening(listener):
        yield


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
