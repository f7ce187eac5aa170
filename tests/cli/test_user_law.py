"""Bring your own law: every command that reads law takes `--rules DIR` and
`--variant FILE`, and its results depend on them.

The user law here is the shipped law with two edits a researcher might make: Kazakhstan
withdraws at the start of 2021 (so Article 4 cannot protect it in January 2022) and
Article 7 is left out. The variant file, outside the package, is a proposal with its own
id and rule ids that extends Article 4 to internal armed crises.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from casus.engine.files.paths import cases_dir, rules_dir

KZ_CASE_REASONING = ("In this law Kazakhstan withdrew on 1 January 2021, so in January 2022 it was no "
                     "member that Article 4 could protect, and Article 2 had no member to consult for.")
KG_VARIANT_REASONING = ("Under the proposal an armed attack on a member's own territory that threatens "
                        "its security counts as aggression whoever carries it out; both accounts of "
                        "Osh 2010 describe such violence, and here Kyrgyzstan asked the CSTO, so help was owed.")


@pytest.fixture
def user(tmp_path):
    rules = tmp_path / "my-law"
    shutil.copytree(rules_dir(), rules)
    members = yaml.safe_load((rules / "members.yaml").read_text(encoding="utf-8"))
    members["states"]["KZ"].setdefault("events", []).append(
        {"event": "withdrawn", "date": "2021-01-01", "source": "treaty-notes", "note": "a test law"})
    (rules / "members.yaml").write_text(yaml.safe_dump(members, sort_keys=False), encoding="utf-8")
    (rules / "cst" / "article-7.yaml").unlink()
    for path in (rules / "amendments").glob("*.yaml"):
        if "cst.art7" in yaml.safe_load(path.read_text(encoding="utf-8"))["affects"]:
            path.unlink()

    shipped = yaml.safe_load((rules_dir() / "amendments" / "art4-internal-crises.yaml").read_text(encoding="utf-8"))
    proposal = dict(shipped, id="my-proposal", title="My proposal: internal crises are covered")
    for change in proposal["changes"]:
        if change["op"] == "add":
            change["rule"]["id"] = "my." + change["rule"]["id"].split(".")[-2] + "_crisis"
    variant = tmp_path / "proposals" / "my-proposal.yaml"
    variant.parent.mkdir()
    variant.write_text(yaml.safe_dump(proposal, sort_keys=False), encoding="utf-8")

    cases = tmp_path / "my-cases"
    cases.mkdir()
    kz = yaml.safe_load((cases_dir() / "kazakhstan-2022.yaml").read_text(encoding="utf-8"))
    kz.pop("expected_variants", None)
    kz["expected"] = {"cst.art4": {"outcome": "not_applicable", "reasoning": KZ_CASE_REASONING}}
    (cases / "kz.yaml").write_text(yaml.safe_dump(kz, sort_keys=False), encoding="utf-8")
    kg = yaml.safe_load((cases_dir() / "kyrgyzstan-2010.yaml").read_text(encoding="utf-8"))
    # The researcher reads Otunbayeva's appeal as made to Medvedev as CSTO chair (the shipped
    # case, on its sources, leaves the capacity unknown): the proposal, like Article 4, needs it.
    kg["facts"]["assistance_request"] = {"value": "collective", "source": "hindu-2010-06-13"}
    kg["expected_variants"] = {"my-proposal": {"cst.art4": {"outcome": "triggered", "reasoning": KG_VARIANT_REASONING}}}
    (cases / "kg.yaml").write_text(yaml.safe_dump(kg, sort_keys=False), encoding="utf-8")
    return rules, variant, cases


def _law_named(data: dict, rules: Path, variant: Path) -> None:
    assert data["law"]["rules"] == str(rules) and data["law"]["shipped"] is False
    assert data["law"]["variants"] == [{"id": "my-proposal", "file": str(variant), "status": "hypothetical",
                                        "title": "My proposal: internal crises are covered"}]


def test_evaluate(cli, user):
    rules, variant, cases = user
    r = cli("evaluate", "--all", "--cases", str(cases), "--rules", str(rules), "--variant", str(variant), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    _law_named(data, rules, variant)
    art4 = {c["case"]: next(p for p in c["provisions"] if p["id"] == "cst.art4") for c in data["cases"]}
    assert art4["kazakhstan-2022"]["outcome"] == "not_applicable"          # the rules' withdrawal
    assert art4["kyrgyzstan-2010"]["outcome"] == "triggered"               # the variant's rule
    assert "my.1992_crisis" in art4["kyrgyzstan-2010"]["perspectives"]["KG"]["fired"] or \
        "my.1992_crisis" in art4["kyrgyzstan-2010"]["fired"]
    text = cli("evaluate", "kz", "--cases", str(cases), "--rules", str(rules), "--variant", str(variant))
    assert text.code == 0, text.err
    assert f"rules {rules}" in text.out and "variant my-proposal" in text.out


def test_test(cli, user):
    rules, variant, cases = user
    r = cli("test", "--cases", str(cases), "--rules", str(rules), "--variant", str(variant), "-f", "json")
    assert r.code == 0, r.out + r.err
    report = json.loads(r.out)
    assert [(c["case"], c["variant"]) for c in report["checks"]] == [("kyrgyzstan-2010", "my-proposal")]
    # The Kazakhstan reading holds under the user's rules, not under the shipped ones.
    mine = cli("test", str(cases / "kz.yaml"), "--rules", str(rules))
    assert mine.code == 0, mine.out + mine.err
    shipped = cli("test", str(cases / "kz.yaml"))
    assert shipped.code == 1 and "FAIL kazakhstan-2022 cst.art4" in shipped.out


def test_compare(cli, user):
    rules, variant, cases = user
    r = cli("compare", str(variant), "--rules", str(rules), "--cases", str(cases), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    _law_named(data, rules, variant)
    flips = {(f["case"], f["provision"]): (f["before"], f["after"]) for f in data["cases"]["flips"]}
    assert flips == {("kyrgyzstan-2010", "cst.art4"): ("not_triggered", "triggered")}
    rows = list(csv.DictReader(io.StringIO(
        cli("compare", str(variant), "--rules", str(rules), "--cases", str(cases), "-f", "csv").out)))
    assert [(r["case"], r["provision"], r["before"], r["after"]) for r in rows] == \
        [("kyrgyzstan-2010", "cst.art4", "not_triggered", "triggered")]
    assert "my.1992_crisis" in rows[0]["rules"]


def test_check(cli, user):
    rules, variant, _ = user
    r = cli("check", "--rules", str(rules), "--variant", str(variant), "--examples", "5", "-f", "json")
    data = json.loads(r.out)
    # The proposal is a copy of art4-internal-crises, whose gaps the proofs find (issue 24,
    # item 7): totality fails, and nothing else, until the law issue closes them.
    failing = [p["property"] for p in data["properties"] if not p["passed"]]
    assert failing in ([], ["totality"]) and r.code == (1 if failing else 0), r.out + r.err
    _law_named(data, rules, variant)
    coverage = next(p for p in data["properties"] if p["property"] == "coverage")
    fired = {rid for rids in coverage.get("fired", {}).values() for rid in rids}
    assert "my.1992_crisis" in fired or "my.2012_crisis" in fired
    assert not any(rid.startswith("cst.art7") for rid in fired)
    assert any(p["property"] == "locality" for p in data["properties"])


def test_report(cli, user, tmp_path):
    rules, variant, cases = user
    out = tmp_path / "r.json"
    r = cli("report", "--rules", str(rules), "--variant", str(variant), "--cases", str(cases), "-o", str(out))
    assert r.code == 0, r.err
    data = json.loads(out.read_text(encoding="utf-8"))
    _law_named(data, rules, variant)
    kg = next(c for c in data["cases"] if c["case"] == "kyrgyzstan-2010")
    art4 = next(p for p in kg["provisions"] if p["id"] == "cst.art4")
    assert (art4["before"], art4["outcome"]) == ("not_triggered", "triggered")


def test_graph(cli, user):
    rules, variant, _ = user
    r = cli("graph", "--rules", str(rules), "--variant", str(variant), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    _law_named(data, rules, variant)
    ids = {n["id"] for n in data["nodes"]}
    assert any("my.1992_crisis" in i for i in ids)
    assert not any("cst.art7" in i for i in ids)


def test_rules(cli, user):
    rules, variant, _ = user
    data = json.loads(cli("rules", "--rules", str(rules), "--variant", str(variant), "-f", "json").out)
    _law_named(data, rules, variant)
    assert "cst.art7" not in [p["id"] for p in data["provisions"]]
    assert {"id": "my-proposal", "file": str(variant)}.items() <= next(
        v for v in data["variants"] if v["id"] == "my-proposal").items()
    shown = cli("rules", "show", "cst.art4", "--rules", str(rules), "--variant", str(variant))
    assert shown.code == 0 and "my.1992_crisis" in shown.out


def test_facts(cli, user):
    rules, variant, _ = user
    data = json.loads(cli("facts", "--rules", str(rules), "--variant", str(variant), "-f", "json").out)
    _law_named(data, rules, variant)
    used = {f["fact"]: f["used_by"] for f in data["facts"]}
    assert used["member_objection"] == []                   # only Article 7 used it
    shipped = {f["fact"]: f["used_by"] for f in json.loads(cli("facts", "-f", "json").out)["facts"]}
    assert shipped["member_objection"] == ["cst.art7"]


def test_cases(cli, user):
    rules, variant, cases = user
    data = json.loads(cli("cases", "--cases", str(cases), "--rules", str(rules), "--variant", str(variant),
                          "-f", "json").out)
    _law_named(data, rules, variant)
    outcomes = {c["id"]: c["outcomes"]["cst.art4"] for c in data["cases"]}
    assert outcomes == {"kazakhstan-2022": "not_applicable", "kyrgyzstan-2010": "triggered"}


def test_variants_stack_from_ids_and_files(cli, user):
    rules, variant, cases = user
    r = cli("evaluate", "kg", "--cases", str(cases), "--variant", str(variant), "--variant", "pk-2023-no-unsc",
            "-f", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["law"]["variant"] == "my-proposal+pk-2023-no-unsc"
