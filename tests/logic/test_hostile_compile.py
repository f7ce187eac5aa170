"""Hostile input, round three (issue 28, item 1): small files that would expand into gigabytes.

A rule's expansion (normal-form terms, durable_rules rules, the tests those rules match) is
counted before anything is expanded, against budgets per rule, per provision version and per
law. Each law below was accepted or refused only after seconds and hundreds of megabytes;
now it is refused with one line naming the rule (file:line:col) and the size, exit 2.

Each run is a child process under an address-space limit (RLIMIT_AS) and a generous wall
clock, and its own peak resident memory (wait4) must stay under 200 MB: the test fails only
if casus expands what it should have counted. No timing assertion (the machine is shared)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from casus.engine.files.paths import rules_dir
from subproc import run_measured

ADDRESS_SPACE = 600 << 20        # `casus evaluate` of the shipped law runs in 400 MB of it
WALL = 120                       # seconds: only a hang reaches it
MAX_RSS_MB = 200

HEAD = """id: {pid}
instrument: A treaty
article: "1"
title: t
question: q?
outcome: owed
outcomes: [triggered, not_triggered]
sources: {{s: {{cite: c}}}}
versions:
  - id: v
    in_force: {{from: 1994-01-01}}
    text: The text.
    text_source: s
    conclusions: {{owed: {{description: d}}}}
    rules:
"""


def wide_rule(rid: str) -> str:
    """One rule of 2,048 normal-form terms: 11 boolean facts, each true or false."""
    parts = ", ".join(f"{{any: [{{fact: b{i}}}, {{not: {{fact: b{i}}}}}]}}" for i in range(11))
    return f"      - {{id: {rid}, concludes: owed, value: true, because: b, when: {{all: [{parts}]}}}}\n"


def enum_rule(rid: str) -> str:
    """One term, but 5^7 = 78,125 durable_rules rules: 7 enum facts, each `in` 5 of its 6 values."""
    parts = ", ".join(f"{{fact: e{i}, in: [v0, v1, v2, v3, v4]}}" for i in range(7))
    return f"      - {{id: {rid}, concludes: owed, value: true, because: b, when: {{all: [{parts}]}}}}\n"


def write_law(root: Path, kind: str) -> tuple[Path, Path]:
    rules = root / "rules"
    (rules / "p").mkdir(parents=True)
    facts = {f"b{i}": {"type": "boolean", "description": "a fact"} for i in range(11)}
    facts.update({f"e{i}": {"type": "enum", "values": [f"v{j}" for j in range(6)], "description": "a fact"}
                  for i in range(7)})
    roles = ("requesting_state", "territory", "acting_state", "third_state", "attacker")
    (rules / "facts.yaml").write_text(yaml.safe_dump({"parties": {r: f"the {r}" for r in roles}, "facts": facts, "derived": {}}))
    shutil.copy(rules_dir() / "members.yaml", rules / "members.yaml")
    if kind == "12 files":
        for n in range(12):
            (rules / "p" / f"p{n}.yaml").write_text(HEAD.format(pid=f"t.p{n}") + wide_rule(f"t.p{n}.r"))
    elif kind == "60 rules":
        (rules / "p" / "p.yaml").write_text(HEAD.format(pid="t.p") + "".join(wide_rule(f"t.r{n}") for n in range(60)))
    else:
        (rules / "p" / "p.yaml").write_text(HEAD.format(pid="t.p") + enum_rule("t.enum"))
    case = root / "case.yaml"
    case.write_text(yaml.safe_dump({"id": "case", "title": "t", "date": "2000-06-01", "requesting_state": "KZ",
                                    "territory": "KZ", "summary": "s", "sources": {"s": {"cite": "c"}},
                                    "facts": {"b0": {"value": True, "source": "s"}}}))
    return rules, case


LAWS = {"12 files": r"t\.p\d+\.r", "60 rules": r"t\.r\d+", "enum": r"t\.enum"}


def test_the_laws_are_what_the_issue_says(tmp_path):
    rules, _ = write_law(tmp_path / "a", "12 files")
    assert len(list((rules / "p").iterdir())) == 12
    assert all(700 <= p.stat().st_size <= 900 for p in (rules / "p").iterdir())
    rules, _ = write_law(tmp_path / "b", "60 rules")
    assert 25_000 <= (rules / "p" / "p.yaml").stat().st_size <= 35_000


@pytest.mark.parametrize("command", ["evaluate", "validate"])
@pytest.mark.parametrize("kind", list(LAWS))
def test_an_expansion_over_budget_is_refused_before_it_is_expanded(tmp_path, kind, command):
    rules, case = write_law(tmp_path, kind)
    r = run_measured(command, str(case), "--rules", str(rules), timeout=WALL, memory=ADDRESS_SPACE)
    assert not r.timed_out
    assert r.code == 2, (r.code, r.err[-2000:])
    assert r.err.startswith("error: ") and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert re.search(rf"{re.escape(str(rules))}/p/p\d*\.yaml:\d+:\d+: ", r.err), r.err
    assert re.search(LAWS[kind], r.err), r.err
    assert re.search(r"\d[\d,]{3,}", r.err), r.err              # the size it would have
    assert r.max_rss_mb < MAX_RSS_MB, r.max_rss_mb


def test_the_count_is_never_below_what_the_compiler_builds(tmp_path_factory):
    """The budget counts from the condition's shape; the compiler's program for every rule of
    random laws (tests/lawgen.py) is never larger than the count, term by term."""
    from math import prod

    from hypothesis import HealthCheck, given, settings

    from casus.engine.law.budget import rule_size
    from casus.engine.files.errors import InputError
    from casus.engine.law.loader import read_rules
    from casus.engine.logic.compiler import CompiledLaw
    from lawgen import laws, write_law as write_random_law

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(laws(max_facts=12, max_rules=8))
    def check(law):
        root = tmp_path_factory.mktemp("law")
        try:
            loaded = read_rules(write_random_law(law, root))
            versions = CompiledLaw(loaded).all_versions()
        except InputError:
            return
        for cv in versions:
            exceptions = {u for r in cv.version.rules for u in r.unless}
            for r in cv.version.rules:
                built = [(prod(len(t.values) for t in term.tests), len(term.tests))
                         for p in cv.program if p.rule == r.id for term in p.terms]
                counted = rule_size(r, loaded.domain_of, r.id in exceptions)
                assert len(built) <= counted[0]
                assert sum(n for n, _ in built) <= counted[1]
                assert sum(n * k for n, k in built) <= counted[2]

    check()


def test_an_amendment_over_budget_is_refused_where_it_adds_the_rule(cli, tmp_path):
    """A variant's law is held to the same budgets: the refusal names the amendment's rule."""
    booleans = ["armed_attack", "attacker_self_defence", "threat_to_international_peace", "threat_or_use_of_force",
                "request_withdrawn", "host_consent", "unsc_mandate", "third_state_base", "base_predates_protocol",
                "urgent_consultations_held", "member_objection", "majority_objection"]
    parts = ", ".join(f"{{any: [{{fact: {b}}}, {{not: {{fact: {b}}}}}]}}" for b in booleans)
    path = tmp_path / "wide.yaml"
    path.write_text(f"""id: wide
title: t
proposer: p
date: 2011-12-20
status: hypothetical
summary: s
source: {{cite: c}}
affects: [cst.art7]
changes:
  - op: add
    provision: cst.art7
    rule: {{id: cst.art7.wide, concludes: consent_lacking, value: true, because: b, when: {{all: [{parts}]}}}}
""")
    for args in (("validate", str(path)), ("evaluate", "kazakhstan-2022", "--variant", str(path))):
        r = cli(*args)
        assert r.code == 2, (r.code, r.err)
        assert r.err.count("\n") == 1 and f"{path}:12:" in r.err and "cst.art7.wide" in r.err, r.err
        assert "4,096 terms" in r.err, r.err
