"""Where the output goes is input too: a full disk, a closed stdout, a reader that leaves.

Exit codes (README, "When input is wrong"):
  74  stdout could not be written (a full disk, a closed or broken file descriptor): one
      line on stderr saying why (EX_IOERR of sysexits.h: not a bug, not the input's fault);
  141 the reader of a pipe left early (`casus ... | head`): nothing said, as a shell
      reports a command killed by SIGPIPE (128 + 13), which is what `cat` or `grep` would be.
A failure to write stderr changes nothing: the line is lost, the exit code stays.

stdout and stderr are wrapped (`install`, in the real process): a failed write to stdout
becomes `OutputFailed`, which is not an OSError, so that no library on the way (click
turns an EPIPE into a silent exit 1) and no `except OSError` meant for files takes it for
something else; writes to a broken stderr are dropped. A closed descriptor (`>&-`) is
opened on /dev/null first, so that no file casus opens later gets number 1 or 2 and
receives the output, and stdout remembers it was closed.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

WRITE_FAILED = 74
PIPE_CLOSED = 141


class OutputFailed(Exception):
    """Writing stdout failed (errno and reason of the OSError that said so)."""

    def __init__(self, error: OSError):
        super().__init__(error.strerror or str(error))
        self.errno = error.errno
        self.reason = (error.strerror or str(error)).lower()


class _Stdout:
    """stdout, whose write errors are OutputFailed."""

    def __init__(self, stream: Any, closed: bool):
        self._stream = stream
        self._closed = closed

    def _fail(self, error: OSError) -> None:
        raise OutputFailed(error) from None

    def write(self, text: str) -> int:
        if self._closed:
            self._fail(OSError(errno.EBADF, "it is closed"))
        try:
            return int(self._stream.write(text))
        except OSError as e:
            self._fail(e)
            raise

    def flush(self) -> None:
        if self._closed:
            return
        try:
            self._stream.flush()
        except OSError as e:
            self._fail(e)

    def isatty(self) -> bool:
        return not self._closed and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Stderr:
    """stderr, on which a failed write is dropped."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            self._stream.write(text)
        except (OSError, ValueError):
            pass
        return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def install() -> None:
    """Call once, first thing, in the real process (not in in-process test runners)."""
    closed = {fd: not _is_open(fd) for fd in (0, 1, 2)}
    for fd in (0, 1, 2):
        if closed[fd]:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    stdout = sys.stdout if sys.stdout is not None else open(1, "w", encoding="utf-8", closefd=False)
    stderr = sys.stderr if sys.stderr is not None else open(2, "w", encoding="utf-8", closefd=False)
    sys.stdout = _Stdout(stdout, closed[1])
    sys.stderr = _Stderr(stderr)


def _silence_stdout() -> None:
    # What is still buffered would fail again when Python flushes stdout at exit.
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")


def failed(exc: OutputFailed) -> int:
    """The exit code for a failed write to stdout, after saying why (unless a pipe closed)."""
    _silence_stdout()
    if exc.errno == errno.EPIPE:
        return PIPE_CLOSED
    from .common import one_line
    one_line(f"cannot write to standard output: {exc.reason}")
    return WRITE_FAILED


def flushed(code: int) -> int:
    """`code`, once what stdout holds is written (or the exit code saying it could not be)."""
    try:
        sys.stdout.flush()
    except OutputFailed as exc:
        return failed(exc)
    return code
