"""Pool workers that follow their parent process.

A forked worker inherits the parent's signal handlers (cli/signals.py turns SIGINT, SIGTERM
and SIGHUP into an exception in the main process): a worker would print its own traceback
("Process ForkPoolWorker-N:") on Ctrl-C and outlive a parent killed by SIGTERM. Workers
instead ignore Ctrl-C (the parent stops them), die quietly on SIGTERM, and are sent
SIGTERM when the parent dies (Linux PDEATHSIG), however it dies.
"""

from __future__ import annotations

import signal
import sys


def worker_init() -> None:
    """Initializer for a multiprocessing pool's workers."""
    try:
        signal.set_wakeup_fd(-1)
    except ValueError:      # pragma: no cover - not the main thread
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):   # pragma: no cover - no libc prctl
            pass
