"""The Python API: results have one JSON shape that validates against the published schema,
and `import casus` stays light (the README's examples run in test_docs.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

import casus
from casus.engine.api import schema

def test_import_casus_is_light():
    code = ("import sys, casus; "
            "heavy=[m for m in ('typer','rich','pydantic','durable','yaml') if m in sys.modules]; print(heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def _validate(data: dict) -> None:
    jsonschema.validate(data, schema("result"), cls=jsonschema.Draft202012Validator)


def test_evaluation_json_validates_against_the_result_schema():
    _validate(casus.evaluate("kazakhstan-2022").to_json())
    _validate(casus.evaluate_many().to_json())
    _validate(casus.evaluate("armenia-2022", explain=True, variant="frozen-as-suspended").to_json())


def test_cli_json_validates_against_the_result_schema(cli):
    for args in (["kazakhstan-2022"], ["--all"], ["georgia-2008", "--perspective", "GE"],
                 ["kyrgyzstan-2010", "--variant", "art4-internal-crises", "--explain"]):
        r = cli("evaluate", *args, "-f", "json")
        if r.code == 2 and "no perspective" in r.err:
            continue
        assert r.code == 0, r.err
        _validate(json.loads(r.out))


def test_schema_rejects_a_result_missing_a_contract_key():
    data = casus.evaluate("kazakhstan-2022").to_json()
    del data["cases"][0]["provisions"][0]["missing"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(data)


def test_one_case_or_many_is_one_shape():
    one = casus.evaluate("kazakhstan-2022").to_json()
    many = casus.evaluate_many(["kazakhstan-2022", "kyrgyzstan-2010"]).to_json()
    assert set(one) == set(many) == {"schema_version", "law", "cases"}
    assert one["cases"][0] == many["cases"][0]


def test_a_case_can_be_given_as_data_a_path_or_a_loaded_case(tmp_path):
    import yaml
    from casus.engine.files.paths import cases_dir
    path = cases_dir() / "kyrgyzstan-2010.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_id = casus.evaluate("kyrgyzstan-2010").to_json()
    assert casus.evaluate(path).to_json() == by_id
    assert casus.evaluate(str(path)).to_json() == by_id
    assert casus.evaluate(data).to_json() == by_id
    assert casus.evaluate(casus.load_case("kyrgyzstan-2010")).to_json() == by_id


def test_bad_data_raises_input_error_with_the_file_message():
    with pytest.raises(casus.InputError, match="unknown fact 'armed_atack'"):
        casus.evaluate({"id": "x", "title": "t", "date": "2020-01-01", "summary": "s",
                        "sources": {"a": {"cite": "c"}},
                        "facts": {"armed_atack": {"value": True, "source": "a"}}})


def test_to_json_text_is_deterministic():
    assert casus.evaluate_many().to_json_text() == casus.evaluate_many().to_json_text()


def test_check_report_names_the_law():
    report = casus.check("pk-2023-no-unsc", examples=5)
    assert report.passed
    data = report.to_json()
    assert data["law"]["variant"] == "pk-2023-no-unsc"
    assert {p["property"] for p in data["properties"]} >= {"consistency", "locality"}


def test_version_help_and_completion(cli):
    r = cli("--version")
    assert r.code == 0 and r.out == f"casus {casus.__version__}\n"
    for command in ("evaluate", "validate", "compare", "new"):
        h = cli(command, "-h")
        assert h.code == 0 and f"Usage: casus {command}" in h.out
    assert "--install-completion" in cli("--help").out
