"""durable_rules' hard limits (read from its C source, see engine/backends/durable.py) are
never reached: rule sets that would reach one are split, deduplicated or encoded so they
cannot, and what cannot be split is refused when the law is compiled (exit 2, one line
naming the provision, the rule and the limit). Each test builds a rule set that would
reach one limit."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest

from casus.engine.backends import durable as durable_engine
from casus.engine.backends.reference import ReferenceBackend
from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.law.loader import read_rules
from casus.engine.files.errors import InputError
from casus.engine.logic.compiler import CompiledLaw, CompileError

from lawdir import DAY, rule, write_law


def program(root: Path):
    law = read_rules(root)
    cv = CompiledLaw(law).all_versions()[0]
    return law, cv, durable_engine.plan(cv)


def agrees_with_reference(cv, facts) -> list:
    firings = durable_engine.DurableBackend().prepare(cv).run(facts).firings
    assert {f.key() for f in firings} == {f.key() for f in ReferenceBackend().prepare(cv).run(facts).firings}
    return firings


def test_the_stack_limit_is_real_and_rules_matching_at_once_are_split(tmp_path):
    """MAX_STACK_SIZE 64: a 65th rule matching one fact makes durable_rules fail (303).
    casus puts at most 63 paths in a ruleset, so 600 rules that all match run in chunks,
    which also keeps far below the 512 first tests that make create_ruleset loop forever."""
    spec = {f"r{i}": {"all": [{"m": {"$and": [{f"f{i}": 1}]}}]} for i in range(65)}
    with pytest.raises(Exception, match="303"):
        durable_engine.HandWritten("casus.test.stack65", spec).fire({f"f{i}": 1 for i in range(65)})

    n = 600
    write_law(tmp_path, {f"f{i}": None for i in range(n)}, [rule(f"t.r{i}", {"fact": f"f{i}"}) for i in range(n)])
    law, cv, plan = program(tmp_path)
    (chunks,) = plan.strata
    assert len(chunks) >= n // durable_engine.MAX_PATHS_PER_RULESET
    assert all(len(ch.spec) <= durable_engine.MAX_PATHS_PER_RULESET for ch in chunks)
    firings = agrees_with_reference(cv, {f"f{i}": True for i in range(n)})
    assert {f.rule for f in firings} == {f"t.r{i}" for i in range(n)}
    decision = Evaluator(law).decide(DAY, {f"f{i}": True for i in range(n)})["test.limits"]
    assert decision.outcome == "triggered"


def test_identical_conditions_are_one_durable_rule(tmp_path):
    """BETA_LIST_LENGTH 256: 257 rules with the same condition fail at creation (108).
    Identical tests are one durable rule standing for every casus rule that has them."""
    n = 300
    write_law(tmp_path, {"a": None}, [rule(f"t.same{i}", {"fact": "a"}) for i in range(n)])
    _, cv, plan = program(tmp_path)
    (chunks,) = plan.strata
    assert [len(ch.spec) for ch in chunks] == [1]
    firings = agrees_with_reference(cv, {"a": True})
    assert len(firings) == n and len({f.rule for f in firings}) == n


def test_fields_per_fact_are_bounded_and_a_wider_term_is_refused(tmp_path, cli):
    """MAX_OBJECT_PROPERTIES 255 (302): chunks hold at most 250 fields; a single condition
    testing more facts than that cannot be split and is refused at compile time."""
    wide, width = 20, 20
    facts = {f"g{i}_{j}": None for i in range(wide) for j in range(width)}
    rules = [rule(f"t.wide{i}", {"all": [{"fact": f"g{i}_{j}"} for j in range(width)]}) for i in range(wide)]
    write_law(tmp_path / "ok", facts, rules)
    _, cv, plan = program(tmp_path / "ok")
    (chunks,) = plan.strata
    assert len(chunks) >= 2 and all(len(ch.fields) <= durable_engine.MAX_FIELDS_PER_FACT for ch in chunks)
    firings = agrees_with_reference(cv, dict.fromkeys(facts, True))
    assert {f.rule for f in firings} == {f"t.wide{i}" for i in range(wide)}

    n = durable_engine.MAX_FIELDS_PER_FACT + 1
    path = write_law(tmp_path / "refused", {f"h{i}": None for i in range(n)},
                     [rule("t.too_wide", {"all": [{"fact": f"h{i}"} for i in range(n)]})])
    with pytest.raises(CompileError, match="t.too_wide"):
        program(tmp_path / "refused")
    r = cli("validate", "--rules", str(tmp_path / "refused"), str(path))
    assert r.code == 2
    line = r.err.strip()
    assert "\n" not in line and "test.limits" in line and "t.too_wide" in line and "MAX_OBJECT_PROPERTIES" in line


def test_names_and_values_the_engine_could_mistake(tmp_path):
    """`id` (segfault), `sid` (overwritten), `$and`/`$or`/`$lt`/`$ex`/`$nex` (102) and
    non-ASCII names and values reach durable_rules as short aliases and integer codes."""
    names = ["id", "sid", "$and", "$or", "$lt", "$ex", "$nex", "фактор"]
    facts: dict[str, list[str] | None] = dict.fromkeys(names)
    facts["région"] = ["été", "$or", "id"]
    rules = [rule("t.pair", {"all": [{"fact": "id"}, {"fact": "sid"}, {"fact": "région", "is": "été"}]}),
             rule("t.ops", {"any": [{"fact": "$and"}, {"all": [{"fact": "$or"}, {"not": {"fact": "$lt"}}]}]}),
             rule("t.more", {"all": [{"fact": "$ex"}, {"fact": "$nex"}, {"fact": "фактор"},
                                     {"fact": "région", "in": ["$or", "id"]}]}),
             rule("t.no", {"not": {"fact": "id"}}, value=False)]
    write_law(tmp_path, facts, rules)
    law, cv, plan = program(tmp_path)
    for chunks in plan.strata:
        for ch in chunks:
            assert all(alias.isascii() and alias.startswith("f") for _, alias in ch.fields)
    domains = [list(law.domain_of(f)) + [None] for f in ["id", "sid", "région", "$and", "$or", "$lt"]]
    fired = set()
    for combo in product(*domains):
        known = {f: v for f, v in zip(["id", "sid", "région", "$and", "$or", "$lt"], combo) if v is not None}
        known.update({"$ex": True, "$nex": True, "фактор": True})
        fired |= {f.rule for f in agrees_with_reference(cv, known)}
    assert fired == {"t.pair", "t.ops", "t.more", "t.no"}


def test_a_normal_form_too_large_is_refused_before_it_is_built(tmp_path, cli):
    """An `any` of 12 facts repeated 9 times in an `all` (by YAML alias) would expand to
    12^9 terms; it is counted, and refused, when the law is read (engine/law/budget.py)."""
    facts = {f"x{i}": None for i in range(12)}
    anchor = "{any: [" + ", ".join(f"{{fact: x{i}}}" for i in range(12)) + "]}"
    raw = f"""id: test.limits
instrument: Test fixture
article: "1"
title: Limits
question: Is it granted?
outcome: granted
outcomes: [triggered, not_triggered]
sources:
  test: {{cite: test fixture}}
versions:
  - id: "1"
    in_force: {{from: 1994-04-20}}
    text_source: test
    text: A test provision.
    conclusions:
      granted: {{description: granted}}
    rules:
      - id: t.huge
        concludes: granted
        value: true
        because: huge
        when:
          all:
            - &a {anchor}
{chr(10).join("            - *a" for _ in range(8))}
"""
    path = write_law(tmp_path, facts, [], raw=raw)
    with pytest.raises(InputError, match="normal form would have 5,159,780,352 terms"):
        program(tmp_path)
    r = cli("validate", "--rules", str(tmp_path), str(path))
    assert r.code == 2 and "t.huge" in r.err and "\n" not in r.err.strip()
