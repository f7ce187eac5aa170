"""Building large, long-lived structures (a law, its compiled programs) without the cyclic
garbage collector: they allocate many objects and free almost none, so every collection
during the build walks a growing heap for nothing (a third of loading and compiling a law
of 1,000 provisions). Collection resumes afterwards; nesting is allowed."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_depth = 0


def gc_paused(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        global _depth
        enabled = gc.isenabled() if _depth == 0 else False
        _depth += 1
        if enabled:
            gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            _depth -= 1
            if enabled:
                gc.enable()
    return run
