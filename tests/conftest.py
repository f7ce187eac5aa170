"""Shared fixtures: the shipped law, an evaluator, and an in-process CLI runner."""

from __future__ import annotations

import fcntl
import io
import json
import os
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.law.cases import read_case_file
from casus.engine.law.loader import read_rules
from casus.engine.files.paths import shipped_cases

DATA = Path(__file__).parent / "data"

# The law cache (engine/law/cache.py) of a test run is its own, never the user's (the CLI
# run in child processes inherits it).
os.environ.setdefault("CASUS_CACHE_DIR", tempfile.mkdtemp(prefix="casus-test-law-cache-"))

# The amendment of issue 24: "no assistance is owed whenever there is an armed attack". It
# contradicts the 2012 assistance rule wherever both fire (armenia-2022: Armenia asked the CSTO
# for help against an armed attack, so both rules fire): a law with a conflict.
CONFLICTING_AMENDMENT = """id: contra
title: No assistance whenever there is an armed attack
proposer: hypothetical
date: 2024-01-01
status: hypothetical
summary: Contradicts the 2012 assistance rule wherever both fire.
source: {cite: "A test"}
affects: [cst.art4]
changes:
  - op: add
    provision: cst.art4
    rule:
      id: cst.art4.never
      concludes: assistance_owed
      value: false
      when: {fact: armed_attack}
      because: No assistance is owed whenever there is an armed attack.
"""

# A minimal valid case file, for tests that break one thing in it.
SAMPLE_CASE = """id: sample
title: A sample case
date: 2022-01-05
requesting_state: KZ
territory: KZ
summary: Something happened.
sources:
  src: {cite: "A source"}
facts:
  armed_attack: {value: true, source: src}
"""


# The longest test files start first: under pytest-xdist a run ends when its last test does,
# so a long file collected last (tests/project sorts late) would run alone at the end while
# the other worker idles. Measured with --durations; a stable sort keeps each file's tests
# together and in order, and every worker sorts alike.
SLOW_FIRST = ("tests/analysis/test_check.py", "tests/project/test_mypy.py", "tests/analysis/test_fuzz_laws.py",
              "tests/explain/test_explain_report.py", "tests/project/test_packaging.py",
              "tests/logic/test_hostile_compile.py")


def pytest_collection_modifyitems(items):
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session")
def law():
    return read_rules()


@pytest.fixture(scope="session")
def evaluator(law):
    return Evaluator(law)


@pytest.fixture(scope="session")
def reference(law):
    return Evaluator(law, backend="reference")


def shipped_case_paths() -> list[Path]:
    return shipped_cases()


def case_data(case_id: str) -> dict:
    """A shipped case file as plain data, to copy and modify in a test."""
    for path in shipped_cases():
        if path.stem == case_id:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
    raise KeyError(case_id)


def write_case(tmp_path: Path, data: dict, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def case_from(law, tmp_path):
    """Load a (modified) case from plain data, through the real loader."""
    def make(data: dict, name: str = "case.yaml"):
        return read_case_file(write_case(tmp_path, data, name), law)
    return make


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> CliResult:
    """Run the `casus` console entry point in-process (exit code, stdout, stderr)."""
    from casus.cli.app import main
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["casus", *args]
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def shipped_exhaustive(tmp_path_factory) -> dict:
    """The report of `casus check --exhaustive --format json` on the shipped law, made once per
    test run: enumerating every fact space (each assignment through durable_rules and the
    reference evaluator) is the suite's costliest piece of work, and the same for every test
    that reads it. Under pytest-xdist each worker is its own session, so the first worker to
    need it runs it and writes the report beside the workers' temporary directories, under a
    lock; the others wait and read it (the xdist_group mark would do this, but pytest-xdist
    3.8 cannot rename pytest 9's node ids, so its loadgroup no longer groups)."""
    def run() -> dict:
        r = run_cli("check", "--examples", "40", "--format", "json")
        assert r.code == 0, r.out + r.err
        return json.loads(r.out)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return run()
    shared = tmp_path_factory.getbasetemp().parent          # one per run, shared by its workers
    done = shared / "shipped-exhaustive.json"
    with open(shared / "shipped-exhaustive.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            report = run()
            partial = done.with_suffix(".partial")
            partial.write_text(json.dumps(report), encoding="utf-8")
            partial.replace(done)
            return report
    return json.loads(done.read_text(encoding="utf-8"))
