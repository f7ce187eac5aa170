"""A batch with bad files, stopped early over the worker pool, under load, many times: it must
end every time (exit 2, every problem listed), never hang.

Once, `casus evaluate --all --cases DIR --format json` over 1,000 files with 22 invalid ones
hung for over ten minutes on a loaded machine: both workers defunct, the parent waiting on a
futex (multiprocessing.Pool, stopped at the first bad file while its workers were writing
results through queues whose locks they shared). Each run here has a deadline: a run that
passes it is killed, with its process group, and the test fails; it does not hang.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casus.engine.analysis.workers import WorkerDied, ordered_map

ROOT = Path(__file__).resolve().parents[2]
CASUS = [sys.executable, "-c", "from casus.cli.entry import main; main()"]
RUNS = 9             # batches in all
AT_ONCE = 3          # run side by side, so that each has the other two (and the suite) as load
DEADLINE_S = 120.0   # one batch: about 2 s on a quiet machine, under 15 s at load 15


def batch_with_bad_files(directory: Path, count: int = 1000, every: int = 45) -> list[Path]:
    """`count` copies of the shipped cases (fresh ids), every `every`-th one invalid; the bad ones."""
    sources = sorted((ROOT / "cases").glob("*.yaml"))
    bad = []
    for i in range(count):
        src = sources[i % len(sources)]
        text = re.sub(r"^id: .*$", f"id: {src.stem}-{i:04d}", src.read_text(encoding="utf-8"), count=1, flags=re.M)
        path = directory / f"{src.stem}-{i:04d}.yaml"
        if i % every == 7:
            text = text.replace("date:", "dated:", 1)
            bad.append(path)
        path.write_text(text, encoding="utf-8")
    return bad


def _start(cases: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*CASUS, "evaluate", "--all", "--cases", str(cases), "--format", "json"],
                            stdout=out.open("wb"), stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_one_core)


def _one_core() -> None:
    """All the batches on one core: each process's threads wait longer for their turn, which
    widens the windows in which a pool's shutdown can race its workers."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})


def test_a_batch_stopped_by_bad_files_always_ends(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    bad = batch_with_bad_files(cases)
    assert len(bad) == 23
    started = time.monotonic()
    hung, finished = [], 0
    for round_ in range(RUNS // AT_ONCE):
        procs = [(_start(cases, tmp_path / f"out-{round_}-{k}.json"), time.monotonic()) for k in range(AT_ONCE)]
        for proc, t0 in procs:
            try:
                _, err = proc.communicate(timeout=max(1.0, DEADLINE_S - (time.monotonic() - t0)))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)      # the parent and its workers
                proc.communicate()
                hung.append(round_)
                continue
            finished += 1
            assert proc.returncode == 2, err.decode()[-2000:]
            lines = err.decode().splitlines()
            assert [line.split(":")[1].rsplit("/", 1)[-1] for line in lines] == sorted(p.name for p in bad)
    assert not hung, f"{len(hung)} of {RUNS} batches did not end within {DEADLINE_S:.0f} s"
    assert finished == RUNS
    assert time.monotonic() - started < RUNS * DEADLINE_S


# ------------------------------------------------------------------ the pool itself

def _square(x: int) -> int:
    return x * x


def _die_at(x: int) -> int:
    if x == 5:
        os._exit(3)          # as if killed: no answer, the pipe closes
    return x


def _fail_at(x: int) -> int:
    if x == 5:
        raise ValueError("five")
    return x


def _children() -> set[int]:
    """Process ids whose parent is this process (zombies included)."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                out.add(int(d.name))
    return out


pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self/stat").exists(),
                                reason="forked workers, /proc")


def test_results_come_in_order_and_every_worker_is_reaped():
    before = _children()
    assert list(ordered_map(_square, list(range(200)), 2, window=2)) == [x * x for x in range(200)]
    assert _children() == before


def test_stopping_early_reaps_every_worker():
    before = _children()
    results = ordered_map(_square, list(range(10_000)), 2)
    assert [next(results) for _ in range(3)] == [0, 1, 4]
    results.close()
    assert _children() == before


def test_a_worker_that_dies_is_an_error_not_a_hang():
    before = _children()
    with pytest.raises(WorkerDied):
        list(ordered_map(_die_at, list(range(50)), 2))
    assert _children() == before


def test_an_exception_in_a_worker_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="five"):
        list(ordered_map(_fail_at, list(range(50)), 2))
