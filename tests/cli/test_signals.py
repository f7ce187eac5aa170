"""Signals (issue 17): Ctrl-C, SIGTERM and SIGHUP stop casus with exit 130, 143 or 129, no
traceback, no "Process ForkPoolWorker-N:" noise and no process left behind. Real processes,
real signals: the test waits for the pool's workers to exist before signalling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from subproc import CASUS, child_env, limits

SWEEP = ["compare", "art4-internal-crises", "--generated", "2000000", "--jobs", "2"]
WAIT = 60          # seconds a process may take to appear or to stop: a liveness bound, not a speed test


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except FileNotFoundError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _start(args, env=None):
    return subprocess.Popen([*CASUS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=limits(cpu=300),
                            env={**child_env(), "CASUS_SIGNAL_GRACE": "600", **(env or {})})


def _finish(proc) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("casus did not stop after the signal")
    return proc.returncode, err.decode("utf-8", "replace")


needs_proc = pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"),
                                reason="needs Linux /proc children lists")


@needs_proc
@pytest.mark.parametrize("sig, status, to_group", [
    (signal.SIGINT, 130, True),       # Ctrl-C: the terminal signals the whole process group
    (signal.SIGTERM, 143, False),     # kill PID: the parent alone
    (signal.SIGHUP, 129, False),      # the terminal closed
])
def test_a_signal_during_a_parallel_sweep(sig, status, to_group):
    proc = _start(SWEEP)
    deadline = time.monotonic() + WAIT
    while len(_children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert len(workers) >= 2, "the sweep did not start its workers"
    time.sleep(0.5)                   # let them get to work
    (os.killpg if to_group else os.kill)(proc.pid, sig)
    code, err = _finish(proc)
    assert code == status, (code, err[-2000:])
    assert "Traceback" not in err and "ForkPoolWorker" not in err and "Error" not in err, err[-2000:]
    deadline = time.monotonic() + WAIT
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived the parent"


@pytest.mark.parametrize("delay", [1.0, 1.8, 2.6, 3.4])
def test_the_first_ctrl_c_stops_check(delay):
    # hypothesis runs a garbage-collector callback; a Ctrl-C landing in it used to be
    # "ignored" and `casus check` went on (3 runs in 9 on the old main). With the watchdog
    # held off (CASUS_SIGNAL_GRACE=600), the signal itself must stop the run.
    proc = _start(["check", "--examples", "100000"])
    time.sleep(delay)
    assert proc.poll() is None, "check finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    code, err = _finish(proc)
    assert code == 130, (code, err[-2000:])
    assert err.strip() == "", err[-2000:]


def test_the_watchdog_ends_a_process_whose_code_swallows_the_signal():
    # A library that catches BaseException (durable_rules' action dispatch does) swallows
    # the KeyboardInterrupt; the watchdog ends the process after the grace period.
    code = ("from casus.cli.signals import install; install(); import time\n"
            "ready = False\n"
            "while True:\n"
            "    try:\n"
            "        if not ready:\n"
            "            ready = True\n"
            "            print('ready', flush=True)\n"
            "        time.sleep(0.01)\n"
            "    except BaseException:\n"
            "        pass\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env={**child_env(), "CASUS_SIGNAL_GRACE": "0.2"})
    assert proc.stdout.readline() == b"ready\n"
    os.kill(proc.pid, signal.SIGTERM)
    rc, _ = _finish(proc)
    assert rc == 143


def test_a_signal_that_lands_in_a_gc_callback_is_not_lost():
    # Deterministically what happens by chance in `casus check`: the handler runs inside a
    # garbage-collector callback (as hypothesis registers one), where Python can only report
    # the exception as "ignored". The signal must still stop the process, by itself.
    code = ("import gc, os, signal, time\n"
            "from casus.cli.signals import install\n"
            "install()\n"
            "def callback(phase, info):\n"
            "    if phase == 'start' and not fired:\n"
            "        fired.append(1)\n"
            "        os.kill(os.getpid(), signal.SIGINT)\n"
            "        time.sleep(0.01)\n"      # the handler runs here, inside the callback
            "fired = []\n"
            "gc.callbacks.append(callback)\n"
            "gc.collect()\n"
            "try:\n"
            "    time.sleep(30)\n"
            "    print('not interrupted')\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=WAIT,
                          env={**child_env(), "CASUS_SIGNAL_GRACE": "600"})
    assert proc.stdout == b"interrupted\n", (proc.stdout, proc.stderr[-2000:])
    assert proc.stderr == b""
