"""Hostile input, round two (issue 17): reads and writes. Every item is one line on stderr,
exit 2, nothing lost and nothing replaced; none may crash (70), hang or read forever.

Tests that could hang or exhaust memory on a broken casus run it as a child process with
limits (tests/subproc.py)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from casus.engine.files.paths import rules_dir
from subproc import run_casus

from conftest import SAMPLE_CASE as CASE

CONTESTED = CASE.replace("facts:\n", """facts:
  attack_origin:
    claims:
      %s: {value: internal, source: src}
      %s: {value: external_state, source: src}
""")

IS_ROOT = os.geteuid() == 0


def one_line(r, *words: str) -> str:
    """The run refused its input: exit 2, one line on stderr, no traceback."""
    assert not r.timed_out, "casus did not finish"
    assert r.code == 2, (r.code, r.out[-500:], r.err[-2000:])
    assert r.err.startswith("error: ") and r.err.count("\n") == 1, r.err
    assert "Traceback" not in r.err
    for word in words:
        assert word in r.err, r.err
    return r.err


# ------------------------------------------------------------------ reads

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_not_read(device):
    # stat() says 0 bytes; reading would go on until memory runs out.
    one_line(run_casus("evaluate", device, memory=1 << 30, timeout=60), device, "character device")


def test_a_fifo_is_not_read_and_does_not_block(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)       # no writer: opening it for reading would block for ever
    one_line(run_casus("evaluate", str(fifo), timeout=60), "FIFO")


def test_stdin_is_not_read(tmp_path):
    import subprocess
    # a pipe that nobody writes to or closes: reading it would block for ever
    r = run_casus("evaluate", "/dev/stdin", stdin=subprocess.PIPE, timeout=60)
    one_line(r, "/dev/stdin", "not a YAML file")


def _law_copy(tmp_path: Path) -> Path:
    law = tmp_path / "rules"
    shutil.copytree(rules_dir(), law)
    return law


def test_a_symlink_to_a_device_inside_a_rules_directory(tmp_path):
    law = _law_copy(tmp_path)
    (law / "cst" / "article-9.yaml").symlink_to("/dev/zero")
    one_line(run_casus("evaluate", "kazakhstan-2022", "--rules", str(law), memory=1 << 30, timeout=60),
             "article-9.yaml", "character device")


def test_a_symlink_to_a_device_inside_a_cases_directory(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "a.yaml").write_text(CASE, encoding="utf-8")
    (cases / "b.yaml").symlink_to("/dev/zero")
    one_line(run_casus("compare", "pk-2023-no-unsc", "--cases", str(cases), memory=1 << 30, timeout=60),
             "b.yaml", "character device")


def test_a_symlink_to_a_regular_file_is_read(cli, tmp_path):
    (tmp_path / "real.yaml").write_text(CASE, encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    assert cli("evaluate", str(tmp_path / "link.yaml")).code == 0


def test_an_alias_free_file_of_a_million_nodes_is_refused_for_its_nodes(tmp_path):
    # Under 2 MB, no alias: 900,000 list items.
    path = tmp_path / "big.yaml"
    path.write_text("id: x\nsummary: [" + ",".join(["1"] * 900_000) + "]\n")
    assert path.stat().st_size < 2_000_000
    err = one_line(run_casus("validate", str(path), memory=1 << 30, timeout=120), "more than 100000 nodes")
    assert "alias" not in err.replace(str(path), "")          # an honest message: there is no alias in the file


@pytest.mark.parametrize("digits", [4301, 10_000])
def test_a_long_integer_is_bad_input(cli, tmp_path, digits):
    path = tmp_path / "case.yaml"
    path.write_text(CASE.replace("summary: Something happened.", "summary: " + "7" * digits))
    r = cli("evaluate", str(path))
    assert r.code == 2 and "Traceback" not in r.err and r.err.count("\n") == 1, r.err
    assert ":6:10:" in r.err and "number" in r.err


def test_a_number_is_not_a_date(cli, tmp_path):
    # 1641340800 seconds after 1970 is 2022-01-05: pydantic would quietly read it so.
    path = tmp_path / "case.yaml"
    path.write_text(CASE.replace("date: 2022-01-05", "date: 1641340800"))
    r = cli("evaluate", str(path))
    assert r.code == 2 and r.out == "", (r.code, r.out)
    assert "date: 1641340800 is a number, not a date" in r.err


@pytest.mark.parametrize("written", ["1", "1.0", "0", "yes", "on"])
def test_only_true_and_false_are_booleans(cli, tmp_path, written):
    # armed_attack is a boolean fact; `1` or `yes` is not how the file says true.
    path = tmp_path / "case.yaml"
    path.write_text(CASE.replace("value: true", f"value: {written}"))
    r = cli("evaluate", str(path))
    assert r.code == 2 and r.out == "", (r.code, r.out)
    assert ":10:" in r.err and "Traceback" not in r.err


def test_a_rule_value_of_1_is_not_true(cli, tmp_path):
    law = _law_copy(tmp_path)
    article = law / "cst" / "article-4.yaml"
    text = article.read_text()
    assert "value: true" in text
    article.write_text(text.replace("value: true", "value: 1", 1))
    r = cli("evaluate", "kazakhstan-2022", "--rules", str(law))
    assert r.code == 2 and "is not true or false" in r.err, r.err


def test_claimants_that_look_alike_are_refused(cli, tmp_path):
    # Latin KZ and Cyrillic КZ (U+041A): two perspectives printed the same.
    path = tmp_path / "case.yaml"
    path.write_text(CONTESTED % ("KZ", "\u041aZ"))
    r = cli("evaluate", str(path))
    assert r.code == 2 and r.out == "", (r.code, r.out)
    assert "\u041aZ" in r.err and "cannot look alike" in r.err
    path.write_text(CONTESTED % ("KZ", "observers"))
    assert cli("evaluate", str(path)).code == 0


# ------------------------------------------------------------------ writes

def test_output_a_directory(cli, tmp_path):
    (tmp_path / "d").mkdir()
    r = cli("evaluate", "kazakhstan-2022", "-o", str(tmp_path / "d"))
    assert r.code == 2 and "is a directory" in r.err, r.err


@pytest.mark.parametrize("command", [("evaluate", "kazakhstan-2022"), ("graph",), ("report",)])
@pytest.mark.parametrize("parent", ["missing", "a file"])
def test_output_parent_missing_or_not_a_directory(cli, tmp_path, command, parent):
    if parent == "a file":
        (tmp_path / "f").write_text("keep me")
    where = tmp_path / ("nope" if parent == "missing" else "f") / "out.md"
    r = cli(*command, "-o", str(where))
    assert r.code == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err, (r.code, r.err)
    assert ("does not exist" if parent == "missing" else "is not a directory") in r.err
    if parent == "a file":
        assert (tmp_path / "f").read_text() == "keep me"


def test_output_a_symlink_is_not_replaced(cli, tmp_path):
    target = tmp_path / "target.json"
    target.write_text("before")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    r = cli("evaluate", "kazakhstan-2022", "-f", "json", "-o", str(link))
    assert r.code == 2 and "symbolic link" in r.err and str(target) in r.err, r.err
    assert link.is_symlink() and target.read_text() == "before"
    # resolved on purpose: the user names the file itself
    assert cli("evaluate", "kazakhstan-2022", "-f", "json", "-o", str(target)).code == 0
    assert target.read_text().startswith("{")


def test_output_a_fifo_is_not_replaced(cli, tmp_path):
    fifo = tmp_path / "out.txt"
    os.mkfifo(fifo)
    r = cli("graph", "-o", str(fifo))
    assert r.code == 2 and "FIFO" in r.err, r.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_output_a_device_is_not_replaced(cli, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))     # a private /dev/null
    r = cli("graph", "-o", str(null))
    assert r.code == 2 and "character device" in r.err, r.err
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_output_in_a_read_only_directory(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    r = run_casus("graph", "-o", str(ro / "g.mmd"), as_user=True)
    one_line(r, "cannot write", "permission denied")
    assert list(ro.iterdir()) == []         # no temporary file left behind


def test_output_beyond_the_file_size_limit(tmp_path):
    out = tmp_path / "out.json"
    r = run_casus("evaluate", "--all", "-f", "json", "-o", str(out), fsize=1000)
    one_line(r, "file too large")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_save_examples_at_a_file(cli, tmp_path):
    (tmp_path / "f").write_text("keep me")
    r = cli("compare", "art4-internal-crises", "--generated", "50", "--save-examples", str(tmp_path / "f"))
    assert r.code == 2 and "not a directory" in r.err, (r.code, r.err)
    assert (tmp_path / "f").read_text() == "keep me"


def test_an_unreadable_case_file(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(CASE)
    os.chmod(case, 0)
    one_line(run_casus("evaluate", str(case), as_user=True), "permission denied")
