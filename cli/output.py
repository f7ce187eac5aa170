"""Rendering helpers: deterministic JSON, atomic file writes, rich text."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def to_json(data: Any) -> str:
    """Byte-identical for identical data: sorted keys, fixed separators, UTF-8."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def write_atomic(path: Path | str, text: str) -> None:
    """Write via a temp file in the same directory and rename: never half-written."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain write would have.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def console(stderr: bool = False):
    from rich.console import Console
    return Console(stderr=stderr, highlight=False, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 120)


OUTCOME_STYLE = {
    "triggered": "bold green", "not_triggered": "bold red", "undetermined": "bold yellow",
    "contested": "bold magenta", "not_applicable": "dim",
}


def styled(outcome: str) -> str:
    return f"[{OUTCOME_STYLE.get(outcome, '')}]{outcome}[/]"
