"""Worker processes that do the engine's work for `casus serve`, with a time limit.

durable_rules runs C code that a thread cannot interrupt, so every job runs in a
worker process; a job that overruns its time limit has its worker killed and
replaced, and the request gets a 504. A worker does one job at a time, so
concurrent requests never share an engine session.

The server process never imports the engine: it hands a job name and plain
parameters to a worker and gets back plain data (or the bytes of a JSON document).

Long jobs (check, compare) run on at most all workers but one, so that ordinary requests
always find a worker within a job's time (with one worker, they share it). A worker whose
memory has grown past `memory` bytes (each new variant stack compiles programs that
durable_rules keeps for the life of the process) is replaced once it has answered.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .limits import WORKER_MEMORY_MB

log = logging.getLogger("casus.serve")

# "spawn": a fresh interpreter per worker. Forking a process that runs an event loop
# and threads (uvicorn) copies locks in whatever state they were in.
_CONTEXT = multiprocessing.get_context("spawn")

WORKER_MEMORY = WORKER_MEMORY_MB << 20


def _resident() -> int:
    """This process's resident memory in bytes (its peak where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class JobFailed(Exception):
    """A job's outcome that is not a result: bad input (4xx), a timeout (504), a crash (500)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _worker_main(conn: Connection, rules: str | None) -> None:
    # The server handles Ctrl-C and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import jobs
    try:
        jobs.init(rules)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        conn.send(("dead", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            name, params = conn.recv()
        except (EOFError, OSError):
            return
        conn.send((*jobs.run(name, params), _resident()))


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


class WorkerPool:
    """`size` worker processes; `run` hands a job to an idle one and waits at most `timeout` s."""

    def __init__(self, size: int = 2, rules: str | None = None, timeout: float = 10.0, wait: float = 30.0,
                 memory: int = WORKER_MEMORY):
        self.size = max(1, size)
        self.memory = memory
        self._long: asyncio.Semaphore | None = None        # made in the server's event loop
        self.rules = rules
        self.timeout = timeout
        # Waiting for a free worker is not work in progress: under load, or while a
        # stopped worker is replaced, a request may wait longer than the time limit.
        self.wait = max(wait, timeout)
        # Idle workers, and requests waiting for one, oldest first. A freed worker goes
        # straight to the oldest waiter (asyncio.Queue would let a newcomer take it and
        # send the waiter to the back of the line: seconds of tail latency under load).
        self._free: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._started = False
        self._all: set[_Worker] = set()
        self._respawning: set[asyncio.Task[None]] = set()      # referenced, so never collected mid-way
        self._closed = False

    # ------------------------------------------------------------ lifecycle

    def _spawn(self) -> _Worker:
        """Start one worker and wait until it has loaded the law (blocking)."""
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_worker_main, args=(child, self.rules), daemon=True,
                                   name="casus-serve-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(120):
            self._kill(worker)
            raise RuntimeError("a worker did not start within 120 s")
        try:
            status, detail = parent.recv()
        except EOFError:
            status, detail = "dead", f"worker exited with code {process.exitcode}"
        if status != "ready":
            self._kill(worker)
            raise RuntimeError(f"a worker could not load the law: {detail}")
        return worker

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(*(loop.run_in_executor(None, self._spawn) for _ in range(self.size)))
        self._started = True
        for w in started:
            self._all.add(w)
            self._release(w)

    async def close(self) -> None:
        self._closed = True
        for w in list(self._all):
            self._kill(w)
        self._all.clear()
        self._free.clear()

    @staticmethod
    def _kill(worker: _Worker) -> None:
        try:
            worker.conn.close()
        except OSError:
            pass
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background; the pool stays at full size."""
        self._kill(worker)
        self._all.discard(worker)
        if self._closed:
            return
        loop = asyncio.get_running_loop()

        async def respawn() -> None:
            try:
                fresh = await loop.run_in_executor(None, self._spawn)
            except Exception as exc:  # noqa: BLE001 - logged as one line; the pool shrinks
                log.error("casus serve: could not replace a worker: %s", exc)
                return
            if self._closed:
                self._kill(fresh)
                return
            self._all.add(fresh)
            self._release(fresh)

        task = loop.create_task(respawn())
        self._respawning.add(task)
        task.add_done_callback(self._respawning.discard)

    # ------------------------------------------------------------ jobs

    async def run(self, name: str, params: dict[str, Any], long: bool = False) -> Any:
        """The job's result; raises JobFailed for bad input, overload, timeout or a crash."""
        if not self._started:
            raise RuntimeError("the worker pool is not started")
        if not long or self.size == 1:
            return await self._run(name, params)
        if self._long is None:
            self._long = asyncio.Semaphore(self.size - 1)
        try:
            await asyncio.wait_for(self._long.acquire(), self.wait)
        except asyncio.TimeoutError:
            raise JobFailed(503, f"the server is busy: no worker was free for long work within {self.wait:g} s "
                                 "(try again)") from None
        try:
            return await self._run(name, params)
        finally:
            self._long.release()

    async def _run(self, name: str, params: dict[str, Any]) -> Any:
        loop = asyncio.get_running_loop()
        worker = await self._acquire()
        deadline = loop.time() + self.timeout
        done: asyncio.Future[Any] = loop.create_future()

        def readable() -> None:
            if done.done():
                return
            try:
                done.set_result(worker.conn.recv())
            except (EOFError, OSError) as exc:
                done.set_exception(exc)

        fd = worker.conn.fileno()
        try:
            worker.conn.send((name, params))
            loop.add_reader(fd, readable)
            try:
                reply = await asyncio.wait_for(done, max(0.0, deadline - loop.time()) + 0.001)
            finally:
                loop.remove_reader(fd)
        except asyncio.TimeoutError:
            self._replace(worker)
            raise JobFailed(504, f"the request took longer than the time limit ({self.timeout:g} s) "
                                 "and was stopped") from None
        except (EOFError, OSError, BrokenPipeError):
            code = worker.process.exitcode
            self._replace(worker)
            raise JobFailed(500, f"internal error: a worker process died (exit code {code}); "
                                 "this is a bug in casus") from None
        except BaseException:
            # Cancelled (the client went away): the job may still be running, so the
            # worker cannot be trusted to be idle.
            self._replace(worker)
            raise
        status, payload, resident = reply
        if resident > self.memory:
            log.info("casus serve: a worker grew to %d MB (the limit is %d MB); it is replaced",
                     resident >> 20, self.memory >> 20)
            self._replace(worker)
        else:
            self._release(worker)
        if status == "ok":
            return payload
        raise JobFailed(payload[0], payload[1])

    async def _acquire(self) -> _Worker:
        if self._free and not self._waiters:
            return self._free.popleft()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter, self.wait)
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())         # handed over just as this request gave up
            else:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass
            if isinstance(exc, asyncio.TimeoutError):
                raise JobFailed(503, f"the server is busy: no worker was free within {self.wait:g} s "
                                     "(try again)") from None
            raise

    def _release(self, worker: _Worker) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._free.append(worker)

    def pids(self) -> list[int]:
        """The worker processes' ids (for tests that check a stuck worker is replaced)."""
        return sorted(w.process.pid for w in self._all if w.process.pid is not None)


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
