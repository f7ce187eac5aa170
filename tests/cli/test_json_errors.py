"""`casus evaluate --format json` with bad input: the errors are in the JSON document on
stdout as well as on stderr (exit 2), and the document validates against the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from casus.engine.api import schema

from conftest import SAMPLE_CASE


def _valid(doc: dict, name: str = "result") -> None:
    jsonschema.validate(doc, schema(name), cls=jsonschema.Draft202012Validator)


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def test_bad_case_files_are_listed_in_the_document(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE_CASE.replace("armed_attack:", "armed_atack:").replace("territory: KZ", "territory: kz"),
                   encoding="utf-8")
    r = cli("evaluate", str(bad), "kazakhstan-2022", "--format", "json")
    assert r.code == 2
    doc = json.loads(r.out)
    _valid(doc)
    assert doc["cases"] == [] and doc["law"]["variant"] == "base"
    assert len(doc["errors"]) == 2 and {e["file"] for e in doc["errors"]} == {str(bad)}
    assert any("armed_atack" in e["message"] and e["hint"] == "did you mean 'armed_attack'?" for e in doc["errors"])
    assert [f"error: {e['text']}" for e in doc["errors"]] == _error_lines(r.err)


def test_an_unknown_case_and_a_bad_date_are_in_the_document(cli):
    for args in (("no-such-case",), ("kazakhstan-2022", "--at", "2022-13-01"), ()):
        r = cli("evaluate", *args, "--format", "json")
        assert r.code == 2, args
        doc = json.loads(r.out)
        _valid(doc)
        assert doc["cases"] == [] and len(doc["errors"]) == 1
        assert _error_lines(r.err) == [f"error: {doc['errors'][0]['text']}"]


def test_a_bad_law_names_the_law_asked_for(cli, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    r = cli("evaluate", "kazakhstan-2022", "--rules", str(rules), "--format", "json")
    assert r.code == 2
    doc = json.loads(r.out)
    _valid(doc)
    assert doc["law"] == {"rules": str(rules), "shipped": False, "variant": "base", "variants": []}
    assert doc["errors"] and doc["cases"] == []
    r = cli("evaluate", "kazakhstan-2022", "--variant", "no-such-variant", "--format", "json")
    doc = json.loads(r.out)
    _valid(doc)
    assert r.code == 2 and doc["law"]["variant"] == "no-such-variant" and "unknown variant" in doc["errors"][0]["message"]


def test_a_timeline_has_its_errors_too(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE_CASE.replace("date: 2022-01-05", "date: someday"), encoding="utf-8")
    r = cli("evaluate", str(bad), "--timeline", "--format", "json")
    assert r.code == 2
    doc = json.loads(r.out)
    _valid(doc, "timeline")
    assert doc["timelines"] == [] and doc["errors"][0]["file"] == str(bad)


def test_text_output_and_files_get_no_document(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    assert cli("evaluate", str(bad)).out == ""
    out = tmp_path / "out.json"
    r = cli("evaluate", str(bad), "-o", str(out))
    assert r.code == 2 and r.out == "" and not out.exists()
