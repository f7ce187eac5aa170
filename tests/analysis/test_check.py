"""`casus check` on the shipped law and variants, and on deliberately broken fixtures
that prove each property can fail."""

from __future__ import annotations

import json
import re
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
PROPERTIES = {"consistency", "determinism", "monotonicity", "differential", "coverage"}


def _by_name(report: dict, mode: str | None = None) -> dict:
    return {p["property"]: p for p in report["properties"] if mode is None or p["mode"] == mode}


def test_shipped_law_passes_every_property(cli):
    r = cli("check", "--examples", "40", "--format", "json")
    assert r.code == 0, r.out
    report = json.loads(r.out)
    props = _by_name(report)
    assert set(props) == PROPERTIES
    for p in props.values():
        assert p["passed"] and p["examples"] >= 40, p


# Every variant shipped with the rules, read from the folder (a new one is covered unnamed).
SHIPPED_VARIANTS = sorted(p.stem for p in (rules_dir() / "amendments").glob("*.yaml"))


def test_the_variants_are_found():
    assert {"pk-2023-no-unsc", "art4-internal-crises", "frozen-as-suspended", "majority-voting",
            "art4-no-help-between-members", "suspended-as-withdrawn"} <= set(SHIPPED_VARIANTS)


@pytest.mark.parametrize("variant", SHIPPED_VARIANTS)
def test_every_shipped_variant_passes(law, variant):
    report = Checker(law, variant, examples=25, seed=1).run()
    props = _by_name(report)
    assert set(props) == PROPERTIES | {"locality"}
    assert report["passed"], [p for p in report["properties"] if not p["passed"]]


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


def test_exhaustive_enumerates_each_provision_version(shipped_exhaustive):
    report = shipped_exhaustive
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
            expected[f"{data['id']}@{v['id']}"] = n
    bound = report["exhaustive"]["bound"]
    # The collective-defence provisions read ten to twelve facts (self-defence on its merits, an
    # attack's end, the area): their three-valued spaces are past the bound, and the check says
    # so rather than sample them (their complete assignments are enumerated for coverage;
    # tests/analysis/test_time.py enumerates CST Article 4's for gaps).
    too_large = {k for k, n in expected.items() if n > bound}
    assert too_large == {"cst.art4@1992", "cst.art4@2012", "nato.art5@1949", "nato.art5@1952", "nato.art5@1962",
                         "eu.art42.7@2009", "rio.art3@1947", "anzus.art4@1951"}
    assert report["exhaustive"]["enumerated"] == {k: n for k, n in expected.items() if k not in too_large}
    assert set(report["exhaustive"]["skipped"]) == too_large
    expected = {k: n for k, n in expected.items() if k not in too_large}
    # docs/checking.md states the size of the shipped law's spaces: it must be this one.
    text = " ".join((Path(__file__).resolve().parents[2] / "docs" / "checking.md").read_text(encoding="utf-8").split())
    stated = re.search(r"The shipped law has ([\d,]+) assignments over (\d+) provision versions", text)
    assert stated, "docs/checking.md no longer says how large the shipped law's spaces are"
    assert (int(stated.group(1).replace(",", "")), int(stated.group(2))) == (sum(expected.values()), len(expected))
    for name in ("consistency", "determinism", "monotonicity", "differential"):
        ex = _by_name(report, "exhaustive")[name]
        assert ex["passed"] and ex["examples"] >= sum(expected.values()) if name != "monotonicity" else ex["passed"]


def test_exhaustive_says_when_a_space_is_too_large(law):
    report = Checker(law, examples=5, exhaustive=True, bound=100).run()
    skipped = report["exhaustive"]["skipped"]
    assert "cst.art4@2012" in skipped and "exceed the bound of 100" in skipped["cst.art4@2012"]
    assert "cst.art2@2012" in report["exhaustive"]["enumerated"]


# ------------------------------------------------------------------ broken fixtures

@pytest.fixture(scope="module")
def broken_law():
    return read_rules(BROKEN)


def test_broken_rules_fail_consistency_monotonicity_and_coverage(broken_law):
    report = Checker(broken_law, examples=150, seed=0, exhaustive=True).run()
    assert not report["passed"]
    ex, hy = _by_name(report, "exhaustive"), _by_name(report, "hypothesis")
    assert not ex["consistency"]["passed"]
    assert ex["consistency"]["rules"] == ["t.not_owed", "t.owed"]
    assert ex["consistency"]["counterexample"]["facts"] == {"a": True, "b": True, "requesting_state_member": True}
    assert not ex["monotonicity"]["passed"] and "learning b = True" in ex["monotonicity"]["detail"]
    # hypothesis shrinks to a case file holding exactly the two clashing facts
    cons = hy["consistency"]
    assert not cons["passed"]
    assert {k: v["value"] for k, v in cons["counterexample"]["facts"].items()} == {"a": True, "b": True}
    coverage = _by_name(report)["coverage"]
    assert not coverage["passed"]
    assert coverage["dead_rules"] == ["t.impossible"]
    assert coverage["unreached_outcomes"] == {"test.unreachable": ["not_triggered"]}


def test_hypothesis_alone_finds_the_monotonicity_break(broken_law):
    report = Checker(broken_law, examples=300, seed=0).run()
    mono = _by_name(report, "hypothesis")["monotonicity"]
    assert not mono["passed"] and "turns test.contradictory from triggered into" in mono["detail"]


def test_a_variant_declaring_too_little_fails_locality(broken_law):
    report = Checker(broken_law, "leaky", examples=20).run()
    loc = _by_name(report)["locality"]
    assert not loc["passed"]
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
    report = Checker(broken_law, examples=30, exhaustive=True).run()
    assert not _by_name(report, "exhaustive")["determinism"]["passed"]
    assert not _by_name(report, "hypothesis")["determinism"]["passed"]


def test_an_engine_that_drops_a_rule_fails_the_differential(broken_law, monkeypatch):
    real = durable_engine.DurableProgram.run

    def dropping(self, facts):
        d = real(self, facts)
        return Derivation(d.facts, tuple(f for f in d.firings if f.rule != "u.granted"), d.backend)
    monkeypatch.setattr(durable_engine.DurableProgram, "run", dropping)
    report = Checker(broken_law, examples=60, exhaustive=True).run()
    diff = _by_name(report, "exhaustive")["differential"]
    assert not diff["passed"] and diff["rules"] == ["u.granted"]
    hyp = _by_name(report, "hypothesis")["differential"]
    assert not hyp["passed"] and "the reference alone fired ['u.granted']" in hyp["detail"]
    assert hyp["counterexample"]["facts"]["c"]["value"] == "x"


def test_cli_prints_a_ready_to_save_counterexample_and_exits_1(cli, tmp_path):
    r = cli("check", "--rules", str(BROKEN), "--examples", "100")
    assert r.code == 1
    assert "FAILED" in r.out and "consistency counterexample" in r.out
    text = r.out.split("consistency counterexample (rules involved: t.not_owed, t.owed):\n", 1)[1]
    case = text.split("\n\n", 1)[0]
    path = tmp_path / "counterexample.yaml"
    path.write_text(case, encoding="utf-8")
    assert cli("validate", "--rules", str(BROKEN), str(path)).code == 0
