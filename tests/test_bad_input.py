"""Bad input: every mistake gets one clear line (file, line:column, what, a hint), exit
code 2, no traceback; hostile files are refused fast and in bounded memory."""

from __future__ import annotations

import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from casus.engine.files.errors import InputError
from casus.engine.files.paths import rules_dir
from casus.engine.files.yamlio import read_yaml

from conftest import SAMPLE_CASE as CASE

BOMB = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9) if p else ', '.join(['x'] * 9)}]\n"
               for p, c in zip([""] + list("abcdefgh"), "abcdefghi"))

PROVISION = """id: test.p
instrument: T
article: "1"
title: t
question: q?
outcome: owed
outcomes: [triggered, not_triggered]
sources: {s: {cite: c}}
versions:
  - id: "1"
    in_force: {from: 1994-04-20%s}
    text_source: s
    text: x
    conclusions: {owed: {description: d}}
    rules:
      - {id: r.a, concludes: owed, value: true, when: {fact: armed_attack}, because: b}
      - {id: r.%s, concludes: owed, value: false, when: {not: {fact: armed_attack}}, because: b}
"""

# name -> (file content, expected message after "error: <path>")
TABLE = {
    "not YAML": ("id: x\ntitle: [unclosed\n", ":3:1: not valid YAML: did not find expected ',' or ']'"),
    "not a mapping": ("- a\n- b\n", ":1: expected a YAML mapping at the top level, found list"),
    "empty": ("", ": empty file: expected a YAML mapping"),
    "duplicate key": ("id: x\nid: y\n", ":2:1: duplicate key 'id' (first defined on line 1)"),
    "unknown field": (CASE.replace("summary:", "sumary:"),
                      ":6:1: unknown field 'sumary' (hint: did you mean 'summary'?)"),
    "unknown fact": (CASE.replace("armed_attack:", "armed_atack:"),
                     ":10:3: unknown fact 'armed_atack' (hint: did you mean 'armed_attack'?)"),
    "unknown enum value": (CASE + "  attack_origin: {value: internl, source: src}\n",
                           ":11:19: fact 'attack_origin' has no value 'internl' (hint: did you mean 'internal'?)"),
    "wrong type": (CASE.replace("value: true", "value: yes please"),
                   ":10:18: fact 'armed_attack' is true or false, not 'yes please'"),
    "not a date": (CASE.replace("date: 2022-01-05", "date: yesterday"),
                   ":3:1: date: 'yesterday' is not a date (expected YYYY-MM-DD)"),
    "impossible date": (CASE.replace("2022-01-05", "2022-02-30"),
                        ":3:1: date: '2022-02-30' is not a date (day is out of range for month)"),
    "reversed dates": (PROVISION % (", to: 1990-01-01", "b"),
                       ":11:5: versions.0.in_force: 'to' (1990-01-01) is before 'from' (1994-04-20)"),
    # XK (Kosovo) is a user-assigned code, not in ISO 3166-1: a law that needs it adds it
    # to its membership timeline.
    "unknown state code": (CASE.replace("territory: KZ", "territory: XK"),
                           ":5:1: 'XK' is not an ISO 3166-1 state code (hint: run 'casus facts --states' for the codes)"),
    "state code in lower case": (CASE.replace("territory: KZ", "territory: kz"),
                                 ":5:1: 'kz' is neither a state code nor a declared non-state party "
                                 "(hint: state codes are upper case: did you mean 'KZ'?)"),
    "state code of the wrong form": (CASE.replace("territory: KZ", "territory: K1"),
                                     ":5:1: territory: 'K1' does not have the expected form "
                                     "(hint: a state's two-letter ISO code such as KZ, or a party declared under "
                                     "'non_state_parties')"),
    "undeclared non-state party": (CASE.replace("territory: KZ", "territory: talibn"),
                                   ":5:1: unknown non-state party 'talibn' (hint: declare it under "
                                   "'non_state_parties' (name, kind), or give a state's ISO code)"),
    "undefined source": (CASE.replace("source: src}", "source: scr}"),
                         ":10:31: source 'scr' is not defined under 'sources' (hint: did you mean 'src'?)"),
    "duplicate rule id": (PROVISION % ("", "a"), ":17:10: duplicate rule id 'r.a' in version '1'"),
    "before the treaty": (CASE.replace("2022-01-05", "1940-01-01"),
                          ":3:1: case date 1940-01-01 is before the Inter-American Treaty of Reciprocal Assistance "
                          "was signed (1947-09-02)"),
    "unknown provision": (CASE + "provisions: [cst.art5]\n",
                          ":11:14: unknown provision 'cst.art5' (hint: did you mean 'cst.art7'?)"),
    "alias bomb": (BOMB, ":6:4: YAML expands to more than 100000 nodes through aliases; refusing a possible alias bomb"),
    "recursive alias": ("a: &a [1, *a]\n", ":1:4: a YAML alias refers to itself (a recursive structure)"),
    "deep nesting": ("a: " + "[" * 500 + "]" * 500 + "\n", ":1:53: YAML nested deeper than 50 levels"),
}

BINARY = {
    "binary data": (b"id: x\x00\x01\x02", ": binary data, not a YAML text file"),
    "not UTF-8": (b"\xff\xfeid: x\n", ": not UTF-8 text (invalid byte at offset 0)"),
    "very large": (b"id: x\nsummary: " + b"a" * 2_100_000 + b"\n", ": file is too large (more than 2000000 bytes)"),
}


def _assert_one_line_error(r, expected: str):
    assert r.code == 2, (r.code, r.out, r.err)
    assert r.out == ""
    assert r.err == f"error: {expected}\n", r.err
    assert "Traceback" not in r.err


@pytest.mark.parametrize("name", sorted(TABLE))
def test_bad_file(name, cli, tmp_path):
    content, message = TABLE[name]
    path = tmp_path / "sample.yaml"          # the id of CASE: no warning about the file name
    path.write_text(content, encoding="utf-8")
    _assert_one_line_error(cli("validate", str(path)), f"{path}{message}")


@pytest.mark.parametrize("name", sorted(BINARY))
def test_bad_bytes(name, cli, tmp_path):
    content, message = BINARY[name]
    path = tmp_path / "input.yaml"
    path.write_bytes(content)
    _assert_one_line_error(cli("evaluate", str(path)), f"{path}{message}")


def test_missing_file(cli, tmp_path):
    path = tmp_path / "nope.yaml"
    _assert_one_line_error(cli("evaluate", str(path)), f"{path}: file not found")


def test_duplicate_case_ids(cli, tmp_path):
    (tmp_path / "a.yaml").write_text(CASE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(CASE, encoding="utf-8")
    _assert_one_line_error(cli("compare", "pk-2023-no-unsc", "--cases", str(tmp_path)),
                           f"{tmp_path / 'b.yaml'}:1:1: duplicate case id 'sample' (also in {tmp_path / 'a.yaml'})")


def _rules_with(tmp_path: Path, amendments: dict[str, list]) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    for name, changes in amendments.items():
        (rules / "amendments" / f"{name}.yaml").write_text(yaml.safe_dump({
            "id": name, "title": name, "proposer": "t", "date": "2024-01-01", "status": "hypothetical",
            "summary": "s", "source": {"cite": "c"}, "affects": ["pk.art3"], "changes": changes}), encoding="utf-8")
    return rules


def test_amendment_on_an_unknown_rule(cli, tmp_path):
    rules = _rules_with(tmp_path, {"x": [{"op": "remove", "rule": "pk.art3.nope"}]})
    path = rules / "amendments" / "x.yaml"
    # Amendments are validated when used (and by `casus validate`), not on every load.
    _assert_one_line_error(cli("evaluate", "kazakhstan-2022", "--rules", str(rules), "--variant", "x"),
                           f"{path}:5:3: unknown rule 'pk.art3.nope'")
    _assert_one_line_error(cli("validate", str(path), "--rules", str(rules)),
                           f"{path}:5:3: unknown rule 'pk.art3.nope'")


def test_conflicting_amendments(cli, tmp_path):
    remove = [{"op": "remove", "rule": "pk.art3.non_member_mandate"}]
    rules = _rules_with(tmp_path, {"one": remove, "two": remove})
    path = rules / "amendments" / "two.yaml"
    _assert_one_line_error(cli("evaluate", "kazakhstan-2022", "--rules", str(rules), "--variant", "one+two"),
                           f"{path}:4:3: amendment 'two' conflicts with 'one': both change rule 'pk.art3.non_member_mandate'")


@pytest.mark.parametrize("args,message", [
    (("evaluate", "kazakhstan-2022", "--format", "xml"),
     "Invalid value for '--format' / '-f': 'xml' is not one of 'text', 'json'. (hint: casus evaluate --help)"),
    (("evaluate", "kazakhstan-2022", "--at", "tomorrow"), "--at: 'tomorrow' is not a date (expected YYYY-MM-DD)"),
    # the same reason as for the same date in a file (TABLE's "impossible date")
    (("evaluate", "kazakhstan-2022", "--at", "2022-02-30"),
     "--at: '2022-02-30' is not a date (day is out of range for month)"),
    (("evaluate", "kazakhstan-2022", "--variant", "art4-internal"),
     "unknown variant 'art4-internal' (hint: did you mean 'art4-internal-crises'?)"),
    (("evaluate", "kazakhstan-2022", "--perspective", "RU"),
     "case 'kazakhstan-2022' has no perspective 'RU' (hint: perspectives: KZ, observers)"),
    (("evaluate", "kazakhstn-2022"),
     "no such case 'kazakhstn-2022' (neither a shipped case id nor a file) (hint: did you mean 'kazakhstan-2022'?)"),
    (("frobnicate",), "No such command 'frobnicate'. (hint: casus --help)"),
])
def test_bad_arguments(cli, args, message):
    _assert_one_line_error(cli(*args), message)


def test_alias_bomb_is_refused_fast_and_small(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(InputError, match="alias bomb"):
        read_yaml(path)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < 200 * 2**20, peak


def test_debug_shows_the_traceback(tmp_path):
    import subprocess, sys
    exe = shutil.which("casus") or str(Path(sys.executable).parent / "casus")
    # The internal-error line says "rerun with --debug": that works after the command too.
    for args in (["--debug", "evaluate", str(tmp_path / "nope.yaml")],
                 ["evaluate", str(tmp_path / "nope.yaml"), "--debug"]):
        r = subprocess.run([exe, *args], capture_output=True, text=True)
        assert r.returncode != 0 and "Traceback" in r.stderr and "file not found" in r.stderr, (args, r.stderr)


def test_a_failed_report_leaves_the_old_file_alone(cli, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    out.write_text("the good old report", encoding="utf-8")
    import casus.cli.report as report_module

    def broken(_):
        raise InputError("rendering failed half-way")
    monkeypatch.setattr(report_module, "render_html", broken)
    r = cli("report", "kazakhstan-2022", "-o", str(out))
    assert r.code == 2
    assert out.read_text(encoding="utf-8") == "the good old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_atomic_cleans_up_when_the_write_fails(tmp_path, monkeypatch):
    from casus.cli.output import write_atomic
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def failing_fsync(fd):
        raise OSError("disk full")
    monkeypatch.setattr("os.fsync", failing_fsync)
    with pytest.raises(InputError, match="cannot write: disk full"):   # bad input (exit 2), not a crash
        write_atomic(target, "new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
