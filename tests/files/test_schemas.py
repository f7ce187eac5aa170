"""JSON Schemas of the files: generated from the models, shipped, named by a modeline
on the first line of every shipped file, and every shipped file validates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from casus.engine.files.paths import cases_dir, package_dir, rules_dir
from casus.engine.files.schemas import FILE_MODELS, file_schema, schema_text
from casus.engine.files.yamlio import read_yaml

SCHEMAS = package_dir("schemas")
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _kind(path: Path) -> str:
    if path.parent == cases_dir():
        return "case"
    if path.parent == rules_dir() and path.stem in ("facts", "members"):
        return path.stem
    if path.name == "members.yaml":          # a treaty folder's own membership timeline
        return "members"
    if "amendments" in path.relative_to(rules_dir()).parts:
        return "amendment"
    return "provision"


SHIPPED = sorted(cases_dir().glob("*.yaml")) + sorted(rules_dir().rglob("*.yaml"))


@pytest.mark.parametrize("name", sorted(FILE_MODELS))
def test_shipped_schema_is_what_the_models_generate(name):
    shipped = (SCHEMAS / f"{name}.json").read_text(encoding="utf-8")
    assert shipped == schema_text(file_schema(name)), (
        f"schemas/{name}.json is stale: run python -m casus.engine.files.schemas")


def _as_json(path: Path):
    data, _ = read_yaml(path)
    return json.loads(json.dumps(data, default=str))      # YAML dates -> the strings a schema describes


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(p.parent.parent)))
def test_every_shipped_file_validates_and_names_its_schema(path):
    kind = _kind(path)
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    jsonschema.validate(_as_json(path), schema, cls=jsonschema.Draft202012Validator)
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = MODELINE.match(first)
    assert match, f"{path}: the first line should be '# yaml-language-server: $schema=...'"
    assert (path.parent / match.group(1)).resolve() == (SCHEMAS / f"{kind}.json").resolve()


def test_the_case_schema_rejects_what_the_loader_rejects():
    schema = json.loads((SCHEMAS / "case.json").read_text(encoding="utf-8"))
    data = _as_json(cases_dir() / "kazakhstan-2022.yaml")
    data["facts"]["armed_attack"]["valu"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    data = _as_json(cases_dir() / "kazakhstan-2022.yaml")
    data["record"]["responses"][0]["kind"] = "deploymnet"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_casus_schema_prints_each_schema(cli):
    for name in (*FILE_MODELS, "result"):
        r = cli("schema", name)
        assert r.code == 0, r.err
        assert json.loads(r.out) == json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    bad = cli("schema", "cas")
    assert bad.code == 2 and "did you mean 'case'?" in bad.err
