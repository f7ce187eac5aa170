"""A conflict (a conclusion derived both true and false) is said in words where it occurs:
which rules derived which value, in text, JSON, --explain, the report and the explorer."""

from __future__ import annotations

from conftest import CONFLICTING_AMENDMENT

import json

import jsonschema
import pytest

import casus

# conftest's CONFLICTING_AMENDMENT: both the 2012 assistance rule and its contradiction fire in
# armenia-2022.
WORDS = ("the law derives assistance_owed both true", "cst.art4.2012.assistance", "cst.art4.never")


@pytest.fixture
def contra(tmp_path):
    path = tmp_path / "contra.yaml"
    path.write_text(CONFLICTING_AMENDMENT, encoding="utf-8")
    return str(path)


def test_text_names_the_rules_in_conflict_not_a_deciding_set(cli, monkeypatch, contra):
    monkeypatch.setenv("COLUMNS", "300")
    r = cli("evaluate", "armenia-2022", "--variant", contra)
    assert r.code == 0, r.err
    row = next(line for line in r.out.splitlines() if line.startswith("│ cst.art4"))
    assert "undetermined" in row and all(w in row for w in WORDS), row
    assert "no rule can decide it" not in r.out


def test_json_lists_which_rules_derived_which_value(cli, contra):
    r = cli("evaluate", "armenia-2022", "--variant", contra, "--format", "json")
    data = json.loads(r.out)
    jsonschema.validate(data, casus.schema("result"))
    art4 = next(p for p in data["cases"][0]["provisions"] if p["id"] == "cst.art4")
    assert art4["conflicting_rules"] == {"assistance_owed": {"true": ["cst.art4.2012.assistance"],
                                                             "false": ["cst.art4.never"]}}
    art2 = next(p for p in data["cases"][0]["provisions"] if p["id"] == "cst.art2")
    assert "conflicting_rules" not in art2


def test_explanation_report_and_explorer_say_it(cli, monkeypatch, tmp_path, contra):
    monkeypatch.setenv("COLUMNS", "300")
    explained = cli("evaluate", "armenia-2022", "--variant", contra, "--explain").out
    assert all(w in explained for w in WORDS)
    report = tmp_path / "r.md"
    assert cli("report", "armenia-2022", "--variant", contra, "-o", str(report)).code == 0
    text = " ".join(report.read_text(encoding="utf-8").replace("`", "").replace("*", "").split())
    assert all(w in text for w in WORDS), text[:2000]
    from casus.web.explorer import _provision as provision_html  # the explorer's card of one provision
    data = json.loads(cli("evaluate", "armenia-2022", "--variant", contra, "--format", "json", "--explain").out)
    art4 = next(p for p in data["cases"][0]["provisions"] if p["id"] == "cst.art4")
    html = provision_html(art4, {})
    assert all(w in html for w in WORDS)
