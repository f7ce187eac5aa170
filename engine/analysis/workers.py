"""Pool workers that follow their parent process.

A forked worker inherits the parent's signal handlers (cli/signals.py turns SIGINT, SIGTERM
and SIGHUP into an exception in the main process): a worker would print its own traceback
("Process ForkPoolWorker-N:") on Ctrl-C and outlive a parent killed by SIGTERM. Workers
instead ignore Ctrl-C (the parent stops them), die quietly on SIGTERM, and are sent
SIGTERM when the parent dies (Linux PDEATHSIG), however it dies.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")


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


# ------------------------------------------------------------------ an ordered map over forked workers

class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, out of memory)."""


def ordered_map(fn: Callable[[T], R], items: Sequence[T], jobs: int, *,
                window: int = 4) -> Generator[R, None, None]:
    """`fn(item)` for each item, in order, computed by `jobs` forked workers (which inherit
    the parent's state: nothing but the items and results is pickled).

    Each worker has a pipe of its own: no lock or queue is shared between processes, so a
    worker that dies, or a parent that stops reading, cannot leave another process waiting on
    a lock it will never get (multiprocessing.Pool shares its queues' locks between all
    workers; stopping it early while workers were writing large results could hang the parent
    for ever). Closing the generator (or an exception in `fn`, re-raised here) closes the
    pipes, and every worker is gone, reaped, when it returns: a worker sees its pipe close and
    exits, or is killed after a grace period. At most `window` results per worker are held
    ahead of the one the caller waits for, so memory stays flat however many items there are.
    """
    import multiprocessing as mp
    from multiprocessing.connection import Connection, wait

    ctx = mp.get_context("fork")
    workers: list[tuple[Any, Connection]] = []
    try:
        for _ in range(jobs):
            mine, theirs = ctx.Pipe(duplex=True)
            others = [conn for _, conn in workers] + [mine]
            proc = ctx.Process(target=_serve, args=(fn, theirs, others), daemon=True)
            proc.start()
            theirs.close()
            workers.append((proc, mine))
        busy: dict[Connection, int] = {conn: 0 for _, conn in workers}
        done: dict[int, R] = {}
        sent = received = 0
        limit = window * jobs

        def feed(conn: Connection) -> None:
            nonlocal sent
            while busy[conn] < 2 and sent < len(items) and sent < received + limit:
                conn.send((sent, items[sent]))
                busy[conn] += 1
                sent += 1

        for _, conn in workers:
            feed(conn)
        while received < len(items):
            while received in done:
                yield done.pop(received)
                received += 1
                for conn in busy:
                    feed(conn)
            if received == len(items):
                break
            for ready in wait([c for c, n in busy.items() if n]):
                conn = cast(Connection, ready)
                try:
                    index, ok, payload = conn.recv()
                except (EOFError, OSError):
                    proc = next(p for p, c in workers if c is conn)
                    proc.join(1)
                    raise WorkerDied(f"a worker process stopped (exit code {proc.exitcode})") from None
                if not ok:
                    raise payload
                busy[conn] -= 1
                done[index] = payload
                feed(conn)
    finally:
        _stop(workers)


def _serve(fn: Callable[[Any], Any], conn: Any, others: list[Any]) -> None:
    """A worker: answer (index, item) with (index, ok, result or exception) until the pipe closes."""
    try:
        for other in others:        # the parent's ends of every pipe: EOF must mean the parent closed it
            other.close()
        worker_init()
        while True:
            try:
                index, item = conn.recv()
            except (EOFError, OSError):
                break
            try:
                answer = (index, True, fn(item))
            except Exception as exc:        # a bug in fn: the parent raises it
                answer = (index, False, exc)
            try:
                conn.send(answer)
            except (BrokenPipeError, ConnectionResetError, OSError):
                break
            except Exception as exc:        # an answer that does not pickle
                conn.send((index, False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        # Straight out: no exit handlers, no flushing of buffers inherited from the parent.
        os._exit(0)


def _stop(workers: list[tuple[Any, Any]], grace: float = 2.0) -> None:
    """Close every pipe (each worker then exits), and reap every worker; kill what lingers."""
    import time
    for _, conn in workers:
        conn.close()
    deadline = time.monotonic() + grace
    for proc, _ in workers:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.exitcode is None:
            proc.kill()
            proc.join()
