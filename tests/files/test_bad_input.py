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

from bad_files import BINARY, BOMB, CASE, TABLE


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
