"""Running `casus` as a real process, with limits: for what only a process shows (signals,
file descriptors, rlimits, another user's permissions, a crash that would take pytest down)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass

CASUS = [sys.executable, "-c", "from casus.cli.entry import main; main()"]
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


@dataclass
class Run:
    code: int          # negative: killed by that signal
    out: str
    err: str
    timed_out: bool = False


def drop_root_file_powers() -> None:
    """Root reads and writes whatever it likes; without these two capabilities it obeys file
    permissions like any user (dropped from the bounding set, they are gone after exec)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def limits(memory: int | None = 2 << 30, cpu: int | None = 120, fsize: int | None = None,
           as_user: bool = False):
    """A preexec_fn that caps the child's address space, CPU seconds and file size (and, with
    as_user, takes away root's power over file permissions)."""
    def apply() -> None:
        if as_user and os.geteuid() == 0:
            drop_root_file_powers()
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if cpu:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def run_casus(*args: str, timeout: float = 120, memory: int | None = 2 << 30, fsize: int | None = None,
              as_user: bool = False, stdin=subprocess.DEVNULL, cwd: str | None = None) -> Run:
    """`casus ARGS` in a child process; a timeout kills it and says so (never hangs a test)."""
    proc = subprocess.Popen([*CASUS, *args], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=limits(memory, fsize=fsize, as_user=as_user), cwd=cwd, env=child_env(),
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), True)


def run_python(script: str, *args: str, timeout: float = 120, memory: int | None = 2 << 30) -> Run:
    """A Python script (the engine imported directly) in a child process with the same limits."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=limits(memory), env=child_env(),
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), True)


def child_env() -> dict[str, str]:
    """The environment for a child (the venv's python finds the editable casus by itself)."""
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    return env


@dataclass
class Measured(Run):
    max_rss_mb: float = 0.0


def run_measured(*args: str, timeout: float = 120, memory: int | None = 2 << 30) -> Measured:
    """`casus ARGS` in a child process, with its own peak resident memory (wait4's rusage is
    that child's alone, unlike RUSAGE_CHILDREN, which keeps the largest child of the test run)."""
    import tempfile
    import time
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*CASUS, *args], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                preexec_fn=limits(memory), env=child_env(), start_new_session=True)
        deadline = time.monotonic() + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, 9)
                pid, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        timed_out, usage.ru_maxrss / 1024)
