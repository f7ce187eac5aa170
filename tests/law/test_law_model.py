"""The law model's consent rules, each decided by a small case file in tests/data/law whose
`expected` block carries the legal reasoning (and its opposite, where the rule does not
decide it); presumptions, independent findings and old fact names."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.explain.tree import explain_case
from casus.engine.law.amendments import with_variants
from casus.engine.law.cases import read_case_file
from conftest import DATA, case_data

LAW_CASES = DATA / "law"


def _expectations():
    for path in sorted(LAW_CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for pid in sorted(data["expected"]):
            yield pytest.param(path, None, pid, id=f"{path.stem}:{pid}")
        for vid, expected in sorted(data.get("expected_variants", {}).items()):
            for pid in sorted(expected):
                yield pytest.param(path, vid, pid, id=f"{path.stem}:{vid}:{pid}")


@pytest.mark.parametrize("path,vid,pid", list(_expectations()))
def test_each_rule_decides_its_case(law, evaluator, path, vid, pid):
    case = read_case_file(path, law)
    exp = (case.expected if vid is None else case.expected_variants[vid])[pid]
    ev = evaluator if vid is None else Evaluator(with_variants(law, vid))
    got = {p.provision.id: p for p in ev.evaluate(case).provisions}[pid]
    assert got.outcome == exp.outcome, f"{case.id} {pid}: {got.outcome}, expected {exp.outcome}: {exp.reasoning}"
    if exp.perspectives is not None:
        assert {p: v.outcome for p, v in got.perspectives.items()} == exp.perspectives


# Pairs: the same scenario but for the one fact the rule turns on, read differently.
PAIRS = [
    ("request-1992-none", "request-1992-csto", "cst.art4"),        # request under the 1992 text
    ("request-one-member", "request-standing", "cst.art4"),        # addressee
    ("request-one-member", "request-standing", "pk.art3"),
    ("request-withdrawn", "request-standing", "cst.art4"),         # withdrawal
    ("self-defence-established", "self-defence-silent", "cst.art4"),
    ("attribution-trained-abroad", "attribution-sent-bands", "cst.art4"),
    ("art1-force-self-defence", "art1-force-between-members", "cst.art1.force"),
]


@pytest.mark.parametrize("a,b,pid", PAIRS)
def test_the_rule_is_what_decides(law, evaluator, a, b, pid):
    ca, cb = (read_case_file(LAW_CASES / f"{n}.yaml", law) for n in (a, b))
    oa = {p.provision.id: p.outcome for p in evaluator.evaluate(ca).provisions}[pid]
    ob = {p.provision.id: p.outcome for p in evaluator.evaluate(cb).provisions}[pid]
    assert (oa, ob) == ("not_triggered", "triggered")
    # The two files differ only in the facts the rule reads.
    differ = {k for k in set(ca.facts) | set(cb.facts)
              if (ca.facts.get(k) and ca.facts[k].value) != (cb.facts.get(k) and cb.facts[k].value)}
    assert differ <= {"assistance_request", "operation_request", "request_withdrawn", "attacker_self_defence",
                      "self_defence_necessary", "self_defence_proportionate",
                      "attack_origin", "threat_to_member", "attack_target"}, differ


def test_host_consent_decides_under_pk_2023(law):
    ev = Evaluator(with_variants(law, "pk-2023-no-unsc"))
    outcomes = {name: {p.provision.id: p.outcome for p in
                       ev.evaluate(read_case_file(LAW_CASES / f"{name}.yaml", law)).provisions}["pk.art3"]
                for name in ("host-consent-true", "host-consent-false")}
    assert outcomes == {"host-consent-true": "triggered", "host-consent-false": "not_triggered"}


def _facts_shown(nodes):
    """Every fact node of an explanation, through the conclusions each rule rests on."""
    for node in nodes:
        yield from node.facts
        yield from _facts_shown(node.conclusions)


def test_a_presumption_fills_only_silence_and_is_shown_as_presumed(law, evaluator):
    silent = read_case_file(LAW_CASES / "self-defence-silent.yaml", law)
    result = evaluator.evaluate(silent)
    tree = explain_case(result, law)[0]
    shown = {f.fact: f for f in _facts_shown(tree.agreed.rules)}
    assert shown["attacker_self_defence"].value is False and shown["attacker_self_defence"].provenance.presumed
    assert "Oil Platforms" in shown["attacker_self_defence"].provenance.basis
    assert shown["request_withdrawn"].provenance.presumed
    # A case that states claims is not silent: no presumption, each party's version is read.
    claimed = read_case_file(LAW_CASES / "self-defence-claimed.yaml", law)
    assert evaluator.evaluate(claimed).provisions[0].outcome == "contested"


def test_an_established_fact_keeps_the_party_view_visible(law, evaluator):
    case = read_case_file(LAW_CASES / "self-defence-established.yaml", law)
    assert evaluator.evaluate(case).provisions[0].outcome == "not_triggered"
    # KG's own view, with its claim, is still there to evaluate.
    assert evaluator.evaluate(case, perspective="KG").provisions[0].outcome == "triggered"
    tree = explain_case(evaluator.evaluate(case), law)[0]
    facts = {f.fact: f for f in _facts_shown(tree.agreed.rules)}
    assert facts["attacker_self_defence"].provenance.established_by == (
        "Posited independent commission of inquiry (test scenario)",)
    # ... and the JSON of the explanation says the same in plain data.
    def walk(nodes):
        for n in nodes:
            yield from n["facts"]
            yield from walk(n["conclusions"])
    entry = next(f for f in walk(tree.to_json()["agreed"]["rules"]) if f["fact"] == "attacker_self_defence")
    assert entry["established_by"] == ["Posited independent commission of inquiry (test scenario)"]


def test_old_fact_names_still_work_with_a_warning(cli, tmp_path):
    new = yaml.safe_load((LAW_CASES / "request-standing.yaml").read_text(encoding="utf-8"))
    old = json.loads(json.dumps(new, default=str))
    facts = old["facts"]
    facts["assistance_requested"] = dict(facts.pop("assistance_request"), value=True)
    facts["official_request"] = dict(facts.pop("operation_request"), value=True)
    facts["attack_on_own_territory"] = dict(facts.pop("attack_target"), value=True)
    facts["threatens_security"] = dict(facts.pop("threat_to_member"), value=True)
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(old, sort_keys=False), encoding="utf-8")
    r = cli("test", str(path))
    assert r.code == 0, r.out + r.err
    warnings = [line for line in r.err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 4
    assert any("fact 'assistance_requested' is deprecated; read as 'assistance_request' (true -> collective" in w
               for w in warnings)
    # The old boolean type still holds for the old name.
    facts["assistance_requested"]["value"] = "collective"
    path.write_text(yaml.safe_dump(old, sort_keys=False), encoding="utf-8")
    r = cli("validate", str(path))
    assert r.code == 2 and "fact 'assistance_requested' is true or false, not 'collective'" in r.err


def test_old_attack_on_own_territory_false_stays_unknown_between_its_readings(cli, tmp_path):
    """'Not on the member's own territory' is either another state's territory (`other`) or the
    member's forces abroad (`own_forces_abroad`, which Article 4 covers: UNGA Res. 3314, art.
    3(d)). The old false cannot say which, so it is read as unknown, never as `other`; the
    warning says why, and naming the new fact decides it."""
    data = json.loads(json.dumps(case_data("armenia-2022"), default=str))
    data.pop("events")
    data.pop("expected")
    target = data["facts"].pop("attack_target")
    data["facts"]["attack_on_own_territory"] = {"value": False, "source": target["claims"]["AZ"]["source"]}
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    r = cli("evaluate", str(path), "-f", "json")
    assert r.code == 0, r.err
    art4 = next(p for p in json.loads(r.out)["cases"][0]["provisions"] if p["id"] == "cst.art4")
    assert art4["outcome"] == "undetermined"
    assert any("attack_target" in m for m in art4["missing"])
    [warning] = [w for w in r.err.splitlines() if "attack_on_own_territory" in w]
    assert "false -> unknown" in warning and "own_forces_abroad" in warning and "other" in warning
    # Each reading the old false allows, stated with the new name, decides Article 4 its own way.
    outcomes = set()
    for value in ("other", "own_forces_abroad"):
        del data["facts"]["attack_on_own_territory"]
        data["facts"]["attack_target"] = {"value": value, "source": target["claims"]["AZ"]["source"]}
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        r = cli("evaluate", str(path), "-f", "json")
        outcomes.add(next(p["outcome"] for p in json.loads(r.out)["cases"][0]["provisions"] if p["id"] == "cst.art4"))
        data["facts"]["attack_on_own_territory"] = data["facts"].pop("attack_target")
    assert outcomes == {"triggered", "not_triggered"}
    # A party's old false is that party's reading unknown: the other party's claim alone must
    # not read as every party's.
    data["facts"]["attack_on_own_territory"] = {"claims": {
        p: {"value": c["value"] == "own_territory", "source": c["source"]} for p, c in target["claims"].items()}}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    r = cli("evaluate", str(path), "-f", "json")
    assert next(p["outcome"] for p in json.loads(r.out)["cases"][0]["provisions"] if p["id"] == "cst.art4") == "undetermined"


def test_presumed_and_established_show_in_the_text_explanation(cli):
    r = cli("evaluate", str(LAW_CASES / "self-defence-silent.yaml"), "--explain")
    assert r.code == 0 and "attacker_self_defence = false (presumed: the case is silent)" in " ".join(
        r.out.replace("│", " ").split())
    r = cli("evaluate", str(LAW_CASES / "self-defence-established.yaml"), "--explain")
    assert r.code == 0 and "(established by Posited independent commission" in " ".join(r.out.split())


def test_membership_runs_from_the_treatys_entry_into_force_not_signature(law, cli):
    """rules/members.yaml's own rule: an event takes effect when it took effect in law (entry
    into force, not signature). The CST entered into force on 20 April 1994 (the 1999 and 2010
    Protocols' preambles, shared/csto/treaty.md §5), so no state is a party before then: the six
    signatories of 15 May 1992 and the three states that acceded in 1993 became parties that day.
    The signature or accession stays on record as information."""
    from casus.engine.law.membership import describe, status
    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "rules" / "members.yaml").read_text(encoding="utf-8"))
    in_force = raw["treaty_in_force"]
    for code, record in raw["states"].items():
        first = record["events"][0]
        if first["event"] != "joined":
            continue
        assert first["date"] >= in_force, (code, first["date"])
        assert first.get("signed") is not None and first["signed"] < in_force, code   # kept as information
        day_before = in_force - dt.timedelta(days=1)
        assert status(law.timeline, code, day_before) not in law.timeline.counts_as_member, code
    said = describe(law.timeline, "AM", dt.date(2022, 9, 13))["text"]
    assert f"since {in_force}" in said and "1992" in said


def _fact_entries(node, name):
    if isinstance(node, dict):
        if node.get("fact") == name and "value" in node:
            yield node
        for v in node.values():
            yield from _fact_entries(v, name)
    elif isinstance(node, list):
        for v in node:
            yield from _fact_entries(v, name)


def test_explanations_give_a_facts_quote_where_the_case_has_one(cli):
    """A fact's `quote` is the source's own words for it (what a `note` such as armenia-2022's
    "Khamidov likewise: ..." refers back to); --explain shows it in text and JSON."""
    facts = case_data("armenia-2022")["facts"]
    quoted = {n: f for n, f in facts.items() if f.get("quote") and "claims" not in f}
    assert "assistance_request" in quoted                         # the file's own premise
    data = json.loads(cli("evaluate", "armenia-2022", "--explain", "-f", "json").out)
    import re
    out = cli("evaluate", "armenia-2022", "--explain").out
    text = " ".join(re.sub("[│├└─]", " ", out).split())             # the tree's gutter, wrapped lines joined
    shown = 0
    for name, f in quoted.items():
        entries = [e for e in _fact_entries(data, name) if not e.get("claimant")]
        if not entries:
            continue                                                 # not tested by the rules that ran
        shown += 1
        assert all(e["quote"] == f["quote"] for e in entries), name
        assert " ".join(f["quote"].split()) in text, name
    assert shown
    # A party's claim carries its own quote.
    claim = facts["attack_target"]["claims"]["AZ"]
    data = json.loads(cli("evaluate", "armenia-2022", "--explain", "--perspective", "AZ", "-f", "json").out)
    assert any(e.get("quote") == claim["quote"] for e in _fact_entries(data, "attack_target") if e.get("claimant") == "AZ")
