"""`casus test` checks case files as a stream (over a process pool from POOL_FROM files):
the same report as checking them all at once, each check printed as its file is checked,
and bad files reported (every problem of each) once the others have been checked."""

from __future__ import annotations

from pathlib import Path

from casus.cli.output import to_json
from casus.engine.analysis.expectations import run_expectations
from casus.engine.api import case_paths, load_cases, load_law
from casus.engine.batch import POOL_FROM

from test_batch import copies, with_duplicate_id


def at_once(cases: Path) -> dict:
    """The report built the way `casus test` built it before it streamed: every case loaded,
    then every expectation checked."""
    law = load_law()
    checks = run_expectations(law.base, load_cases([str(p) for p in case_paths(cases)], law))
    failed = sum(not c.passed for c in checks)
    return {"law": law.info(), "passed": len(checks) - failed, "failed": failed,
            "checks": [c.as_dict() for c in checks]}


def line(check) -> str:
    return (f"{'PASS' if check.passed else 'FAIL'} {check.case} {check.provision}"
            + (f" (variant {check.variant})" if check.variant else "") + f": {check.got['outcome']}"
            + ("" if check.passed else " " + "; ".join(check.problems)))


def test_a_pooled_run_reports_what_checking_all_at_once_reports(cli, tmp_path):
    cases = copies(tmp_path, POOL_FROM + 10)
    r = cli("test", "--cases", str(cases), "--format", "json")
    assert r.code == 0, r.err
    assert r.out == to_json(at_once(cases))


def test_text_is_one_plain_line_per_check_in_file_order(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")          # wide enough for any line: none wrapped
    cases = copies(tmp_path, POOL_FROM + 10)
    report = at_once(cases)
    r = cli("test", "--cases", str(cases))
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert "\x1b" not in r.out                    # not a terminal: no colour codes
    assert lines[-1] == f"{report['passed']} passed, 0 failed"
    law = load_law()
    assert lines[1:-1] == [line(c) for c in run_expectations(law.base, load_cases(case_paths(cases), law))]


def test_bad_files_are_reported_after_the_good_ones_are_checked(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")
    cases = copies(tmp_path, POOL_FROM + 10)
    names = sorted(cases.glob("*.yaml"))
    # Two mistakes in one file (a misspelt field, an unknown fact): both are reported.
    text = names[150].read_text(encoding="utf-8").replace("date:", "dated:", 1)
    names[150].write_text(text.replace("facts:\n", "facts:\n  no_such_fact: {value: true, source: x}\n", 1),
                          encoding="utf-8")
    names[180].write_text("id: [unclosed\n", encoding="utf-8")
    r = cli("test", "--cases", str(cases))
    assert r.code == 2
    assert names[150].name in r.err and names[180].name in r.err
    assert "dated" in r.err and "no_such_fact" in r.err
    assert r.err.index(names[150].name) < r.err.index(names[180].name)
    # The good files were checked and printed, in file order; the bad ones have no line.
    law = load_law()
    good = [str(p) for i, p in enumerate(names) if i not in (150, 180)]
    assert [line for line in r.out.splitlines() if line.startswith(("PASS ", "FAIL "))] == \
        [line(c) for c in run_expectations(law.base, load_cases(good, law))]
    r = cli("test", "--cases", str(cases), "--format", "json")
    assert r.code == 2 and r.out == ""


def test_a_duplicate_id_is_reported_at_the_second_file(cli, tmp_path):
    cases, names, first = with_duplicate_id(tmp_path)
    r = cli("test", "--cases", str(cases), "--format", "json")
    assert r.code == 2 and r.out == ""
    assert f"duplicate case id '{first}'" in r.err and names[200].name in r.err and names[3].name in r.err


def test_junit_gets_every_check(cli, tmp_path):
    out = tmp_path / "junit.xml"
    r = cli("test", "--format", "json", "--junit", str(out))
    assert r.code == 0, r.err
    assert out.read_text(encoding="utf-8").count("<testcase ") == len(at_once(case_paths()[0].parent)["checks"])


def test_nothing_to_check_says_where_the_expectations_go(cli, tmp_path):
    # Under --variant only `expected_variants: {<variant>: ...}` is checked: the advice
    # must name that block, not the base reading's `expected`.
    from conftest import SAMPLE_CASE
    path = tmp_path / "sample.yaml"
    path.write_text(SAMPLE_CASE, encoding="utf-8")
    r = cli("test", str(path), "--variant", "majority-voting")
    assert r.code == 1, r.err
    assert "0 passed, 0 failed" in r.out
    assert "expected_variants" in r.out and "majority-voting" in r.out, r.out
    r = cli("test", str(path))
    assert r.code == 1 and "add an 'expected' block" in r.out and "expected_variants" not in r.out, r.out
