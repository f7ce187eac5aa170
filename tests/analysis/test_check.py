"""`casus check` on the shipped law and variants, and on deliberately broken fixtures
that prove each property can fail. Each law is decided once per session (`decided`)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import count
from pathlib import Path

import pytest
import yaml

from casus.engine.backends import durable as durable_engine
from casus.engine.backends.base import Derivation
from casus.engine.analysis.checks import Checker
from casus.engine.law.loader import read_rules
from casus.engine.files.paths import rules_dir

from conftest import DATA

BROKEN = DATA / "broken-rules"
DECIDED = {"totality", "consistency", "monotonicity", "differential", "coverage"}
PROPERTIES = DECIDED | {"determinism"}

# Every variant shipped with the rules, read from the folder (a new one is covered unnamed).
SHIPPED_VARIANTS = sorted(p.stem for p in (rules_dir() / "amendments").glob("*.yaml"))

# Gaps the proofs found in the shipped law (art4-internal-crises had two until the
# law-with-time issue closed them): a known finding the check must report (exit 1), not a pass.
KNOWN_GAPS: set[str] = set()


def _by_name(report: dict) -> dict:
    return {p["property"]: p for p in report["properties"]}


@pytest.fixture(scope="session")
def decided(law, shipped_exhaustive):
    """The check of the base law (None: conftest's `casus check --exhaustive`, the same
    decisions as the default's on the shipped law, whose spaces are all within the bound) or
    a shipped variant, run once per session."""
    @lru_cache(maxsize=None)
    def run(variant: str | None) -> dict:
        return shipped_exhaustive if variant is None else Checker(law, variant, examples=20, seed=1).run()
    return run


def test_shipped_law_passes_every_property(decided):
    report = decided(None)
    props = _by_name(report)
    assert set(props) == PROPERTIES
    for name in DECIDED - {"differential"}:
        assert props[name]["passed"] and props[name]["decided"], props[name]
        assert props[name]["how"].startswith("exhaustive "), props[name]
    # Article 4's spaces are past the bound: z3 decides them, and the differential (which
    # runs the engine) is sampled there and says so.
    assert props["differential"]["passed"] and not props["differential"]["decided"]
    assert "sampled" in props["differential"]["how"]
    assert props["determinism"] == {"property": "determinism", "how": "sampled 40", "decided": False,
                                    "examples": 40, "passed": True}
    assert report["decided"] is False


def test_the_text_never_says_all_hold_from_samples(cli):
    r = cli("check", "--examples", "10")
    assert r.code == 0, r.out
    assert "all properties hold" not in r.out
    text = " ".join(r.out.split())
    assert "every decided property holds; sampled, not proved: " in text and "determinism (sampled 10)" in text


def test_the_variants_are_found():
    assert {"pk-2023-no-unsc", "art4-internal-crises", "frozen-as-suspended", "majority-voting",
            "art4-no-help-between-members", "suspended-as-withdrawn"} <= set(SHIPPED_VARIANTS)


@pytest.mark.parametrize("variant", SHIPPED_VARIANTS)
def test_every_shipped_variant_is_decided(decided, variant):
    report = decided(variant)
    props = _by_name(report)
    assert set(props) == PROPERTIES | {"locality"}
    assert props["locality"]["how"] == "proved (SMT)" and props["locality"]["passed"]
    failing = sorted(p["property"] for p in report["properties"] if not p["passed"])
    assert failing == (["totality"] if variant in KNOWN_GAPS else []), failing


GAP_VARIANT = """
id: forgets-no-attack
title: Drops the rule that no attack means no aggression
proposer: test
date: 2024-01-01
status: hypothetical
summary: A user variant with a gap.
source: {cite: test}
affects: [cst.art4]
changes:
  - op: remove
    rule: cst.art4.no_armed_attack
"""

CONFLICT_VARIANT = """
id: no-help-when-attacked
title: No assistance is owed whenever there is an armed attack
proposer: test
date: 2024-01-01
status: hypothetical
summary: A user variant that contradicts the assistance rule wherever both fire (issue 24).
source: {cite: test}
affects: [cst.art4]
changes:
  - op: add
    provision: cst.art4
    rule:
      id: cst.art4.never_when_attacked
      concludes: assistance_owed
      value: false
      when: {fact: armed_attack}
      because: the user's proposal
"""


@pytest.mark.parametrize("text,failing,words", [
    (GAP_VARIANT, "totality", "no rule decides"),
    (CONFLICT_VARIANT, "consistency", "both true (cst.art4."),
])
def test_a_user_variant_with_a_gap_or_a_conflict_exits_1_naming_the_provision(cli, law, tmp_path, text, failing, words):
    from casus.engine.law.amendments import with_variants
    from casus.engine.evaluate.evaluator import Evaluator
    from casus.engine.law.cases import read_case_file
    variant = tmp_path / "variant.yaml"
    variant.write_text(text, encoding="utf-8")
    r = cli("check", "--variant", str(variant), "--examples", "5", "--format", "json")
    assert r.code == 1, r.out + r.err
    props = _by_name(json.loads(r.out))
    assert failing in [p for p, x in props.items() if not x["passed"]]
    prop = props[failing]
    assert prop["decided"] and "cst.art4" in prop["detail"] and words in prop["detail"], prop["detail"]
    if failing == "consistency":
        assert "cst.art4.never_when_attacked" in prop["false_by"] and prop["true_by"]
    else:
        assert "unknown" not in prop["assignment"].values()
    # The counterexample, saved, loads as it is and shows the failure in the engine.
    path = tmp_path / "counterexample.yaml"
    path.write_text(yaml.safe_dump(prop["counterexample"], sort_keys=False), encoding="utf-8")
    r = cli("validate", "--variant", str(variant), str(path))
    assert r.code == 0, r.err
    import casus
    loaded = casus.load_law(variant=str(variant))
    result = Evaluator(loaded.law).evaluate(read_case_file(path, loaded.law))
    (art4,) = [p for p in result.provisions if p.provision.id == "cst.art4"]
    if failing == "consistency":
        assert art4.verdict.derivation.conflicts() == ["assistance_owed"]
    else:
        assert art4.outcome == "undetermined"
        assert set(art4.verdict.derivation.facts) == set(art4.compiled.facts)
    text_out = cli("check", "--variant", str(variant), "--examples", "5").out
    assert f"{failing} counterexample" in text_out and "some properties fail" in text_out


def _facts_in(node) -> set[str]:
    """Fact names in a YAML condition, read straight from the provision file."""
    if isinstance(node, dict):
        found = {node["fact"]} if "fact" in node else set()
        for key in ("all", "any"):
            for child in node.get(key, []):
                found |= _facts_in(child)
        if "not" in node:
            found |= _facts_in(node["not"])
        return found
    return set()


def test_every_version_space_is_enumerated_whole(decided):
    """Each version's space is every value-or-unknown of the facts its rules name, read
    straight from the provision files; derived facts take the combinations membership can
    produce (each alone true, false or unknown on the shipped timeline)."""
    report = decided(None)
    vocab = yaml.safe_load((rules_dir() / "facts.yaml").read_text(encoding="utf-8"))
    size = lambda f: (len(vocab["facts"][f]["values"]) if f in vocab["facts"] and
                      vocab["facts"][f]["type"] == "enum" else 2) + 1
    expected = {}
    for path in sorted(rules_dir().rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "versions" not in data:
            continue
        for v in data["versions"]:
            facts = set().union(*(_facts_in(rule["when"]) for rule in v["rules"]))
            n = 1
            for f in facts:
                n *= size(f)
            if {"requesting_state_is_territory", "territory_member"} <= facts:
                # requesting_state_is_territory is known only when the territory is named, and
                # then territory_member is known too: 7 of the 9 pairs can happen.
                n = n // 9 * 7
            expected[f"{data['id']}@{v['id']}"] = n
    assert {row["version"]: row["space"] for row in report["versions"]} == expected
    assert {row["version"]: row["method"] for row in report["versions"]} == {
        k: "exhaustive" if n <= 100_000 else "smt" for k, n in expected.items()}
    small = sum(n for n in expected.values() if n <= 100_000)
    assert _by_name(report)["totality"]["how"] == (
        f"exhaustive {small:,} + proved (SMT) on {sum(n > 100_000 for n in expected.values())} of {len(expected)} versions")
    # docs/checking.md states the size of the shipped law's spaces: it must be this one.
    text = " ".join((Path(__file__).resolve().parents[2] / "docs" / "checking.md").read_text(encoding="utf-8").split())
    stated = re.search(r"The shipped law's fact spaces hold ([\d,]+) assignments over (\d+) provision versions", text)
    assert stated, "docs/checking.md no longer says how large the shipped law's spaces are"
    assert (int(stated.group(1).replace(",", "")), int(stated.group(2))) == (sum(expected.values()), len(expected))


def test_beyond_the_bound_z3_decides_and_the_differential_is_sampled(law):
    report = Checker(law, examples=5, bound=1000).run()
    props = _by_name(report)
    methods = {r["version"]: r["method"] for r in report["versions"]}
    assert methods["cst.art4@2012"] == methods["cst.art1.force@1992"] == "smt"
    assert methods["cst.art2@2012"] == "exhaustive"
    smt = sum(m == "smt" for m in methods.values())
    for name in ("totality", "consistency", "monotonicity", "coverage"):
        assert props[name]["passed"] and props[name]["decided"]
        assert f"proved (SMT) on {smt} of {len(methods)} versions" in props[name]["how"]
    diff = props["differential"]
    assert diff["passed"] and not diff["decided"] and f"sampled {5 * smt} on {smt} version(s) beyond the bound" in diff["how"]


def test_smt_alone_decides_the_shipped_law(law):
    report = Checker(law, examples=5, smt=True).run()
    props = _by_name(report)
    assert report["passed"]
    for name in ("totality", "consistency", "monotonicity", "coverage"):
        assert props[name]["how"] == "proved (SMT)" and props[name]["decided"]


# ------------------------------------------------------------------ broken fixtures

@pytest.fixture(scope="module")
def broken_law():
    return read_rules(BROKEN)


@pytest.fixture(scope="module")
def broken_report(broken_law):
    return Checker(broken_law, examples=20, seed=0).run()


def test_broken_rules_fail_totality_consistency_monotonicity_and_coverage(broken_report):
    report = broken_report
    assert not report["passed"]
    props = _by_name(report)
    cons = props["consistency"]
    assert not cons["passed"] and cons["decided"]
    assert cons["rules"] == ["t.not_owed", "t.owed"]
    assert (cons["true_by"], cons["false_by"]) == (["t.owed"], ["t.not_owed"])
    assert {k: v["value"] for k, v in cons["counterexample"]["facts"].items()} == {"a": True, "b": True}
    tot = props["totality"]
    # test.contradictory decides nothing when neither a nor b holds, and conflicts when both
    # do: the gap shown is one no conflict explains (its rule on c can never hold, so c is
    # not among the facts it reads). test.unreachable has no rule deriving `granted` false.
    assert not tot["passed"]
    assert tot["failing_versions"] == ["test.contradictory@1", "test.unreachable@1"]
    assert tot["assignment"] == {"a": False, "b": False, "requesting_state_member": True}
    assert "no rule decides 'owed'" in tot["detail"]
    assert tot["undecided_assignments"] == 2
    mono = props["monotonicity"]
    assert not mono["passed"] and "learning b = True" in mono["detail"]
    coverage = props["coverage"]
    assert not coverage["passed"]
    assert coverage["dead_rules"] == ["t.impossible"]
    assert coverage["unreached_outcomes"] == {"test.unreachable": ["not_triggered"]}


def test_z3_finds_the_same_failures(broken_law):
    report = Checker(broken_law, examples=5, smt=True).run()
    props = _by_name(report)
    assert [p["property"] for p in report["properties"] if not p["passed"]] == [
        "totality", "consistency", "monotonicity", "coverage"]
    assert props["consistency"]["rules"] == ["t.not_owed", "t.owed"]
    assert props["coverage"]["dead_rules"] == ["t.impossible"]
    assert props["coverage"]["unreached_outcomes"] == {"test.unreachable": ["not_triggered"]}
    assert "no rule decides" in props["totality"]["detail"]


def test_every_counterexample_loads_as_it_is_and_shows_the_failure(broken_report, broken_law, tmp_path):
    from casus.engine.evaluate.evaluator import Evaluator
    from casus.engine.law.cases import read_case_file
    props = _by_name(broken_report)
    for name in ("totality", "consistency", "monotonicity"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(props[name]["counterexample"], sort_keys=False), encoding="utf-8")
        case = read_case_file(path, broken_law)
        (pr,) = Evaluator(broken_law).evaluate(case).provisions
        facts = pr.verdict.derivation.facts
        assert {f: facts.get(f, "unknown") for f in props[name]["assignment"]} == props[name]["assignment"], name
        if name == "consistency":
            assert pr.verdict.derivation.conflicts() == ["owed"]
        else:
            assert pr.outcome == ("undetermined" if name == "totality" else "triggered"), name


def test_a_variant_declaring_too_little_fails_locality(broken_law):
    report = Checker(broken_law, "leaky", examples=5).run()
    loc = _by_name(report)["locality"]
    assert not loc["passed"] and loc["decided"]
    assert "test.contradictory" in loc["detail"] and "does not declare" in loc["detail"]
    assert loc["counterexample"]["requesting_state"] == "AM"


def test_a_nondeterministic_engine_fails_determinism(broken_law, monkeypatch):
    """Rules cannot make the engine nondeterministic, so break the engine: every other
    fact asserted into durable_rules matches nothing."""
    dre = durable_engine.engine_module()
    calls = count()
    real = dre.assert_fact
    monkeypatch.setattr(dre, "assert_fact",
                        lambda handle, text: (1, 0) if next(calls) % 2 else real(handle, text))
    report = Checker(broken_law, examples=30).run()
    det = _by_name(report)["determinism"]
    assert not det["passed"] and det["how"].startswith("sampled ")


def test_an_engine_that_drops_a_rule_fails_the_differential(broken_law, monkeypatch):
    real = durable_engine.DurableProgram.run

    def dropping(self, facts):
        d = real(self, facts)
        return Derivation(d.facts, tuple(f for f in d.firings if f.rule != "u.granted"), d.backend)
    monkeypatch.setattr(durable_engine.DurableProgram, "run", dropping)
    report = Checker(broken_law, examples=10).run()
    diff = _by_name(report)["differential"]
    assert not diff["passed"] and diff["decided"] and diff["rules"] == ["u.granted"]
    assert "the reference alone fired ['u.granted']" in diff["detail"]
    assert diff["counterexample"]["facts"]["c"]["value"] == "x"


def test_the_differential_compares_conflicts_too(broken_law, monkeypatch):
    """An engine that drops one side of a conflict must fail the differential (it used to
    skip every assignment with a conflict)."""
    real = durable_engine.DurableProgram.run

    def one_sided(self, facts):
        d = real(self, facts)
        return Derivation(d.facts, tuple(f for f in d.firings if not (f.rule == "t.not_owed" and facts.get("a") is True)),
                          d.backend)
    monkeypatch.setattr(durable_engine.DurableProgram, "run", one_sided)
    report = Checker(broken_law, examples=5).run()
    diff = _by_name(report)["differential"]
    assert not diff["passed"]
    assert diff["rules"] == ["t.not_owed"]
    assert diff["assignment"]["a"] is True and diff["assignment"]["b"] is True


def test_cli_prints_a_ready_to_save_counterexample_and_exits_1(cli, tmp_path):
    r = cli("check", "--rules", str(BROKEN), "--examples", "10")
    assert r.code == 1
    assert "FAILED" in r.out and "consistency counterexample" in r.out
    text = r.out.split("consistency counterexample (rules involved: t.not_owed, t.owed):\n", 1)[1]
    case = text.split("\n", 1)[1].split("\n\n", 1)[0]       # after the assignment line
    path = tmp_path / "counterexample.yaml"
    path.write_text(case, encoding="utf-8")
    assert cli("validate", "--rules", str(BROKEN), str(path)).code == 0
