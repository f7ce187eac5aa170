"""`casus evaluate`: the JSON contract, several cases, --at, and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


OUTCOMES = {"triggered", "not_triggered", "undetermined", "contested", "not_applicable"}


def test_json_contract(cli):
    r = cli("evaluate", "kazakhstan-2022", "--format", "json")
    assert r.code == 0, r.err
    envelope = json.loads(r.out)
    assert envelope["schema_version"] and envelope["law"]["variant"] == "base"
    [data] = envelope["cases"]             # one case: the same envelope, one entry
    assert data["case"] == "kazakhstan-2022" and data["date"] == "2022-01-05"
    for p in data["provisions"]:
        assert {"id", "outcome", "reasons", "missing", "fired"} <= set(p)
        assert p["outcome"] in OUTCOMES
        assert isinstance(p["reasons"], list) and isinstance(p["missing"], list)
    art4 = next(p for p in data["provisions"] if p["id"] == "cst.art4")
    assert art4["outcome"] == "contested"
    assert set(art4["perspectives"]) == {"KZ", "observers"}


def test_several_cases_print_a_list(cli):
    r = cli("evaluate", "kazakhstan-2022", "kyrgyzstan-2010", "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)["cases"]
    assert [d["case"] for d in data] == ["kazakhstan-2022", "kyrgyzstan-2010"]


def test_json_is_byte_identical_across_runs(cli):
    assert cli("evaluate", "--all", "-f", "json").out == cli("evaluate", "--all", "-f", "json").out


def test_at_applies_the_law_of_another_date(cli):
    # Kyrgyzstan 2010 falls under the 1992 text of Article 4; at a 2013 date the
    # amended (2012) text applies instead.
    before = json.loads(cli("evaluate", "kyrgyzstan-2010", "-f", "json").out)["cases"][0]
    after = json.loads(cli("evaluate", "kyrgyzstan-2010", "--at", "2013-01-01", "-f", "json").out)["cases"][0]
    version = lambda d: next(p["version"] for p in d["provisions"] if p["id"] == "cst.art4")
    assert (version(before), version(after)) == ("1992", "2012")
    assert after["date"] == "2013-01-01"


def test_text_output_names_each_provision(cli):
    r = cli("evaluate", "kazakhstan-2022")
    assert r.code == 0
    assert "cst.art4" in r.out and "contested" in r.out and "pk.art3" in r.out


def test_unknown_case_is_one_line_and_exit_2(cli):
    r = cli("evaluate", "no-such-case")
    assert r.code == 2
    assert r.out == ""
    assert r.err.strip().count("\n") == 0
    assert "no such case 'no-such-case'" in r.err
    assert "Traceback" not in r.err


def test_malformed_case_file_is_one_line_and_exit_2(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    r = cli("evaluate", str(bad))
    assert r.code == 2
    assert r.err.strip().count("\n") == 0
    assert str(bad) in r.err and "not valid YAML" in r.err


def test_installed_command_works_outside_the_repository(tmp_path):
    exe = shutil.which("casus") or str(Path(sys.executable).parent / "casus")
    r = subprocess.run([exe, "evaluate", "kazakhstan-2022", "--format", "json"], cwd=tmp_path,
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["cases"][0]["case"] == "kazakhstan-2022"
