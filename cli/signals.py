"""Stopping on Ctrl-C, SIGTERM and SIGHUP: exit 130, 143 or 129, quietly, with no process left.

The signal becomes an exception (`Interrupted`, a KeyboardInterrupt) in the main thread,
so that `finally` blocks run: atomic writes remove their temporary file and a process
pool terminates its workers. Three things can stop that exception: Python itself, when the
handler happens to run inside a garbage-collector callback or a __del__ (hypothesis
registers a gc callback: the first Ctrl-C of `casus check` was "ignored" there), which is
fixed by delivering the signal again; a library that catches BaseException (durable_rules'
action dispatch does); and C code that does not return to the interpreter. A watchdog thread, woken through the signal wakeup fd (written by the C
signal handler even while the main thread is stuck in C), ends the process after a grace
period whatever the main thread is doing. Pool workers ignore SIGINT (the parent decides),
die on SIGTERM from the parent, and get SIGTERM if the parent dies (engine/analysis/workers.py).
"""

from __future__ import annotations

import os
import signal
import sys
import threading

# How long the main thread has to unwind before the watchdog ends the process. Tests set
# it high to show that the exception itself, not the watchdog, stopped the command.
GRACE_SECONDS = float(os.environ.get("CASUS_SIGNAL_GRACE", "3"))
HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """A stop signal arrived; `code` is the conventional exit status (128 + signal)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.code = 128 + signum


_received: list[int] = []


def status(default: int) -> int:
    """The exit status for an interruption: 128 + the signal that arrived (typer reports
    any KeyboardInterrupt as 130, whichever signal it was)."""
    return 128 + _received[0] if _received else default


def _raise(signum: int, frame: object) -> None:
    _received.append(signum)
    # A second signal while the first is unwinding should not start a second unwinding.
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


def _again(signum: int, frame: object) -> None:
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


def _unraisable(hook):
    def handle(unraisable) -> None:
        exc = unraisable.exc_value
        if isinstance(exc, Interrupted):
            # Raised where Python cannot propagate it: deliver it again a moment later, from
            # another thread, so that it runs in the code that was interrupted (raising it
            # here would run the handler inside this hook, just as unraisable).
            signum = exc.code - 128
            signal.signal(signum, _again)
            threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()
            return
        hook(unraisable)
    return handle


def _watchdog(read_fd: int) -> None:
    while True:
        data = os.read(read_fd, 64)
        signums = [s for s in data if s in HANDLED]
        if signums:
            break
    threading.Event().wait(GRACE_SECONDS)
    _quiet_stderr()
    os._exit(128 + signums[0])


def _quiet_stderr() -> None:
    # What the main thread might still print while it is cut off (half a traceback) is noise.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    except OSError:
        pass


def install() -> None:
    """Call once, from the main thread of the real process (not in-process test runners)."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    for sig in HANDLED:
        signal.signal(sig, _raise)
    sys.unraisablehook = _unraisable(sys.unraisablehook)
    threading.Thread(target=_watchdog, args=(read_fd,), name="casus-signal-watchdog", daemon=True).start()
