"""The shipped case corpus: sourced, valid, listed, and membership-aware."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from casus.engine.law.cases import read_case_file

from conftest import case_data, shipped_case_paths

SHARED = Path(__file__).resolve().parents[3] / "shared" / "csto"
README = Path(__file__).resolve().parents[2] / "README.md"


def test_at_least_twelve_cases_all_valid(law, cli):
    paths = shipped_case_paths()
    assert len(paths) >= 12
    r = cli("validate", *map(str, paths), "--format", "json")
    assert r.code == 0, r.err
    assert len(json.loads(r.out)) == len(paths)


def test_every_fact_and_response_is_sourced(law):
    for path in shipped_case_paths():
        case = read_case_file(path, law)
        for name, src in case.sources.items():
            assert src.url or src.file, f"{case.id}: source {name} has neither url nor file"
            if src.file and SHARED.is_dir():
                assert (SHARED / src.file).is_file(), f"{case.id}: {src.file} not in shared/csto"
        for name, entry in case.facts.items():
            cited = [c.source for c in entry.claims.values()] if entry.claims else [entry.source]
            assert all(s in case.sources for s in cited), (case.id, name)
        for response in (case.record.responses if case.record else []):
            assert response.source in case.sources


def test_cases_command_lists_every_case(cli):
    r = cli("cases", "--format", "json")
    assert r.code == 0, r.err
    rows = json.loads(r.out)["cases"]
    assert sorted(row["id"] for row in rows) == sorted(p.stem for p in shipped_case_paths())
    kz = next(row for row in rows if row["id"] == "kazakhstan-2022")
    assert kz["outcomes"]["cst.art4"] == "contested"


def test_divergence_where_law_and_record_part(cli):
    data = {c["case"]: c for c in json.loads(cli("evaluate", "--all", "-f", "json").out)["cases"]}
    art4 = lambda case: next(p for p in data[case]["provisions"] if p["id"] == "cst.art4")
    # Armenia 2022: the attack on Armenia's own territory is established by an independent
    # account (Baku's denial stays a claim, not a contest): help was owed; none came.
    am = art4("armenia-2022")
    assert am["outcome"] == "triggered"
    assert {(d["perspective"], d["kind"]) for d in am["divergence"]} == {(None, "obligation_unmet")}
    # Kazakhstan 2022: two perspectives; on the observers' (internal unrest) the CSTO
    # deployed without an Article 4 obligation.
    kz = art4("kazakhstan-2022")
    assert set(kz["perspectives"]) == {"KZ", "observers"}
    assert {(d["perspective"], d["kind"]) for d in kz["divergence"]} == {("observers", "acted_without_obligation")}


def test_one_perspective(cli):
    r = json.loads(cli("evaluate", "kazakhstan-2022", "--perspective", "observers", "-f", "json").out)["cases"][0]
    art4 = next(p for p in r["provisions"] if p["id"] == "cst.art4")
    assert r["perspective"] == "observers" and art4["outcome"] == "not_triggered"
    assert art4["divergence"][0]["kind"] == "acted_without_obligation"
    bad = cli("evaluate", "kazakhstan-2022", "--perspective", "AZ")
    assert bad.code == 2 and "no perspective 'AZ'" in bad.err


def _outcome(evaluator, case, pid):
    return next(p for p in evaluator.evaluate(case).provisions if p.provision.id == pid)


def test_membership_at_the_case_date(evaluator, case_from):
    # Georgia left on 20 April 1999: not protected in 2008, but a member in 1995.
    georgia = case_data("georgia-2008")
    assert _outcome(evaluator, case_from(georgia), "cst.art4").outcome == "not_applicable"
    georgia["date"] = "1995-01-01"
    in_1995 = _outcome(evaluator, case_from(georgia), "cst.art4")
    assert in_1995.outcome != "not_applicable"
    assert in_1995.version.id == "1992"
    # Uzbekistan joined GUUAM four days after its membership lapsed; a day before the
    # lapse, Article 1 applies and turns on whether GUUAM was directed against a member.
    guuam = case_data("uzbekistan-guuam-1999")
    assert _outcome(evaluator, case_from(guuam), "cst.art1").outcome == "not_applicable"
    guuam["date"] = "1999-04-19"
    before = _outcome(evaluator, case_from(guuam), "cst.art1")
    assert before.outcome == "undetermined"
    assert before.verdict.missing == ["directed_against_member"]


def test_the_same_date_through_the_cli(cli, tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(case_data("georgia-2008")), encoding="utf-8")
    at = lambda day: json.loads(cli("evaluate", str(path), "--at", day, "-f", "json").out)["cases"][0]
    art4 = lambda d: next(p for p in d["provisions"] if p["id"] == "cst.art4")["outcome"]
    assert art4(at("2008-08-08")) == "not_applicable"
    assert art4(at("1996-06-01")) != "not_applicable"


def test_readme_case_example_validates(tmp_path, cli):
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Writing a case\n"):]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "readme-case.yaml"
    path.write_text(example, encoding="utf-8")
    r = cli("validate", str(path))
    assert r.code == 0, r.err
    r = json.loads(cli("evaluate", str(path), "-f", "json").out)["cases"][0]
    art4 = next(p for p in r["provisions"] if p["id"] == "cst.art4")
    assert art4["outcome"] == "contested"


def test_casus_test_passes_on_the_corpus_and_fails_on_a_wrong_reading(cli, tmp_path):
    r = cli("test", "--format", "json")
    assert r.code == 0, r.out
    report = json.loads(r.out)
    assert report["failed"] == 0 and report["passed"] >= 12
    wrong = case_data("kazakhstan-2022")
    wrong["expected"]["pk.art3"]["outcome"] = "not_triggered"
    path = tmp_path / "wrong.yaml"
    path.write_text(yaml.safe_dump(wrong), encoding="utf-8")
    r = cli("test", str(path))
    assert r.code == 1
    text = " ".join(r.out.split())        # wrapped to the width of the terminal
    assert "FAIL kazakhstan-2022 pk.art3" in text and "expected not_triggered" in text


def test_a_perspective_over_several_cases_applies_where_the_party_claims(cli):
    data = json.loads(cli("evaluate", "--all", "--perspective", "AM", "-f", "json").out)
    by_case = {c["case"]: c for c in data["cases"]}
    assert by_case["armenia-2022"]["perspective"] == "AM"
    assert "perspective" not in by_case["kazakhstan-2022"]
    art4 = next(p for p in by_case["armenia-2022"]["provisions"] if p["id"] == "cst.art4")
    assert art4["outcome"] == "triggered"     # Armenia's version: an attack on its own territory
    r = cli("evaluate", "--all", "--perspective", "ZZ")
    assert r.code == 2 and "no case makes claims as 'ZZ'" in r.err


def test_casus_test_checks_the_readings_under_variants(cli, tmp_path):
    report = json.loads(cli("test", "--variant", "art4-internal-crises", "-f", "json").out)
    assert {(c["case"], c["variant"]) for c in report["checks"]} == {
        ("kyrgyzstan-2010", "art4-internal-crises"), ("kazakhstan-2022", "art4-internal-crises")}
    assert report["failed"] == 0
    wrong = case_data("kyrgyzstan-2010")
    wrong["expected_variants"] = {"art4-internal-crisis": wrong["expected_variants"]["art4-internal-crises"]}
    path = tmp_path / "wrong.yaml"
    path.write_text(yaml.safe_dump(wrong), encoding="utf-8")
    r = cli("test", str(path))
    assert r.code == 2 and "unknown variant 'art4-internal-crisis'" in r.err
