"""Rendering helpers: deterministic JSON, atomic file writes, rich text."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any


def to_json(data: Any) -> str:
    """Byte-identical for identical data: sorted keys, fixed separators, UTF-8."""
    from ..engine.jsontext import json_text
    return json_text(data)


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
