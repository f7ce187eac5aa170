"""Rendering helpers: deterministic JSON, atomic file writes, rich text, and making every
string from an input file safe to print (no terminal control sequences)."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..engine.outcome import Outcome


# What a terminal would obey rather than show: C0 controls but newline and tab (ESC starts
# CSI/OSC sequences: screen clears, title changes, clipboard writes with OSC 52; BEL ends
# OSC; CR overwrites a line), DEL, the C1 controls (U+009B is a one-character CSI in 8-bit
# terminals) and the bidirectional overrides that reorder what is shown ("Trojan source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with every control character written as a `\\uXXXX` escape (shown, not obeyed;
    inside a JSON string the escape is also valid JSON for the same character)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_json(data: Any) -> str:
    """Byte-identical for identical data: sorted keys, fixed separators, UTF-8. JSON escapes
    C0 controls itself; C1 and bidirectional controls are escaped too, since JSON is printed."""
    from ..engine.jsontext import json_text
    return visible(json_text(data))


_NOT_REGULAR = {stat.S_IFDIR: "is a directory", stat.S_IFCHR: "is a character device",
                stat.S_IFBLK: "is a block device", stat.S_IFIFO: "is a FIFO (named pipe)",
                stat.S_IFSOCK: "is a socket"}


def check_output(path: Path | str) -> os.stat_result | None:
    """Refuse, before any work is done, an output path casus would not write (InputError).

    Only a regular file (or nothing) is replaced: renaming over a device, a FIFO or a
    symlink would replace it with a regular file (as root, `-o /dev/null` would replace
    the system's /dev/null). A symlink is written only if the user resolves it (passes the
    path it points to). Returns the existing file's stat, if any."""
    from ..engine.law.errors import InputError
    path = Path(path)
    name = str(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise InputError(f"'{directory}' is not a directory", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", file=name) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise InputError("is a symbolic link; casus replaces only regular files",
                             file=name, hint=f"to write where it points, pass {os.path.realpath(path)}")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{_NOT_REGULAR.get(stat.S_IFMT(st.st_mode), 'is not a regular file')}; "
                             "casus writes only regular files", file=name)
    if not directory.exists():
        raise InputError(f"directory '{directory}' does not exist", file=name)
    if not directory.is_dir():
        raise InputError(f"'{directory}' is not a directory", file=name)
    return st


def write_atomic(path: Path | str, text: str) -> None:
    """Write via a temp file in the same directory and rename: never half-written.
    Every failure is bad input (InputError, exit 2), never a crash."""
    from ..engine.law.errors import InputError
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    st = check_output(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        # mkstemp makes the file private (0600); give it the mode a plain write would have.
        if st is not None:
            mode = st.st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", file=str(path)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EFBIG:
        return "file too large (the file size limit of this process was reached)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{exc.strerror.lower() if exc.strerror else 'permission denied'} (is the directory writable?)"
    return (exc.strerror or str(exc)).lower()


def ensure_directory(directory: Path | str) -> Path:
    """A directory to write files into, created if missing; InputError if it cannot be."""
    from ..engine.law.errors import InputError
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError("exists and is not a directory", file=str(directory),
                         hint="name a directory to write the files into") from None
    except OSError as exc:
        raise InputError(f"cannot create the directory: {_reason(exc)}", file=str(directory)) from None
    return directory


def console(stderr: bool = False, **options: Any):
    """A rich console that shows control characters in what it prints instead of obeying them."""
    options.setdefault("width", None if sys.stdout.isatty() else 120)
    return safe_console_class()(stderr=stderr, highlight=False, soft_wrap=False, **options)


def safe_console_class():
    from rich.console import Console

    class SafeConsole(Console):
        # Every string printed (markup, table cells, tree labels) passes through render_str,
        # so input text is made visible here, once, whatever the caller forgot; rich's own
        # styling is added after, and stays.
        def render_str(self, text: str, **kwargs: Any):
            return super().render_str(visible(text), **kwargs)

    return SafeConsole


OUTCOME_STYLE: dict[str, str] = {
    Outcome.TRIGGERED: "bold green", Outcome.NOT_TRIGGERED: "bold red", Outcome.UNDETERMINED: "bold yellow",
    Outcome.CONTESTED: "bold magenta", Outcome.NOT_APPLICABLE: "dim",
}


def styled(outcome: str) -> str:
    return f"[{OUTCOME_STYLE.get(outcome, '')}]{outcome}[/]"
