"""Progress of sweeps, exhaustive checks and batches: reported by the engine, shown as
bars on stderr only when stderr is a terminal, never on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import threading

import casus
from casus.engine import progress

from subproc import CASUS, child_env


def _collect():
    seen: list[tuple[str, int, int]] = []
    return seen, progress.listening(lambda what, done, total: seen.append((what, done, total)))


def test_a_sweep_reports_how_many_scenarios_are_done():
    seen, listening = _collect()
    with listening:
        casus.compare("art4-internal-crises", generated=600, jobs=1)
    mine = [s for s in seen if s[0] == "generated scenarios"]
    assert mine and mine[-1] == ("generated scenarios", 600, 600)
    assert [d for _, d, _ in mine] == sorted(d for _, d, _ in mine)


def test_an_exhaustive_check_reports_every_assignment():
    seen, listening = _collect()
    with listening:
        report = casus.check(examples=2, exhaustive=True, bound=300)
    enumerated = sum(report.data["exhaustive"]["enumerated"].values())
    mine = [s for s in seen if s[0] == "assignments enumerated"]
    assert enumerated and mine[-1] == ("assignments enumerated", enumerated, enumerated)


def test_a_batch_reports_each_case():
    seen, listening = _collect()
    with listening:
        results = casus.evaluate_many()
    assert [s for s in seen if s[0] == "cases evaluated"][-1] == ("cases evaluated", len(results), len(results))


def test_nobody_listening_outside():
    seen, listening = _collect()
    with listening:
        pass
    casus.compare("art4-internal-crises", generated=50, jobs=1)
    assert seen == []


def test_no_progress_in_a_pipe(cli):
    r = cli("compare", "art4-internal-crises", "--generated", "300", "--format", "json")
    assert r.code == 0 and r.err == ""
    json.loads(r.out)
    r = cli("evaluate", "--all", "--format", "json")
    assert r.code == 0 and r.err == ""


def test_bars_on_a_terminal_stderr_leave_stdout_alone():
    """stderr on a pseudo-terminal, stdout a pipe: the bar is drawn on the terminal, and
    stdout holds exactly what it holds without one."""
    args = [*CASUS, "compare", "art4-internal-crises", "--generated", "1000", "--jobs", "1", "--format", "json"]
    env = dict(child_env(), COLUMNS="100", CASUS_PROGRESS_DELAY="0")    # drawn however fast the machine
    plain = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert plain.returncode == 0 and plain.stderr == ""
    master, slave = os.openpty()
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        run = subprocess.run(args, stdout=subprocess.PIPE, stderr=slave, text=True, env=env, timeout=300,
                             stdin=subprocess.DEVNULL)
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    assert run.returncode == 0
    assert run.stdout == plain.stdout
    assert b"generated scenarios" in bytes(shown), bytes(shown)[:500]


def test_one_case_draws_no_bar():
    """A bar appears only for a run that lasts: one case is over before it would be read."""
    master, slave = os.openpty()
    try:
        run = subprocess.run([*CASUS, "evaluate", "kazakhstan-2022", "--format", "json"], stdout=subprocess.PIPE,
                             stderr=slave, env=dict(child_env(), CASUS_PROGRESS_DELAY="30"), timeout=120,
                             stdin=subprocess.DEVNULL)
        os.set_blocking(master, False)
        try:
            shown = os.read(master, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(slave)
        os.close(master)
    assert run.returncode == 0 and b"cases evaluated" not in shown
