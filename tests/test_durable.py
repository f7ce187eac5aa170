"""The rules run on durable_rules: firings come from its Rete network, not from a
Python shortcut, and the two ways of driving it agree."""

from __future__ import annotations

import random


from casus.engine.backends import durable as durable_engine
from casus.engine.logic.compiler import CompiledLaw
from casus.engine.law.loader import load_case, find_case
from casus.engine.explain.trace import case_dict


def test_trace_names_the_durable_ruleset_and_rule_that_fired(law, evaluator):
    result = evaluator.evaluate(load_case(find_case("kazakhstan-2022"), law))
    data = case_dict(result)
    pk = next(p for p in data["provisions"] if p["id"] == "pk.art3")
    assert pk["outcome"] == "triggered"
    entry = next(t for t in pk["trace"] if t["rule"] == "pk.art3.member_territory_request")
    # The ruleset is registered in durable_rules' host, and the rule is one of its rules.
    definition = durable_engine._get_host().get_ruleset(entry["ruleset"]).get_definition()
    assert entry["durable_rule"] in definition
    # request_withdrawn is not in the case: its presumption (a request stands) supplies False.
    assert entry["matched"] == {"operation_request": "csto", "request_withdrawn": False,
                                "requesting_state_is_territory": True, "territory_member": True}


def test_outcomes_depend_on_durable_rules_firing(law, evaluator, monkeypatch):
    """If durable_rules' C engine matches nothing, nothing is derived: the evaluator
    has no other way to reach a conclusion."""
    import durable_rules_engine
    case = load_case(find_case("kazakhstan-2022"), law)
    assert {p.outcome for p in evaluator.evaluate(case).provisions} != {"undetermined"}
    monkeypatch.setattr(durable_rules_engine, "assert_fact", lambda handle, text: (1, 0))
    results = evaluator.evaluate(case).provisions
    assert {p.outcome for p in results} == {"undetermined"}
    assert all(not p.verdict.derivation.fired for p in results)


def test_c_driver_and_public_api_fire_the_same_rules(law):
    rnd = random.Random(7)
    for cv in CompiledLaw(law).all_versions():
        for _ in range(150):
            facts = {f: rnd.choice(law.domain_of(f)) for f in cv.facts if rnd.random() < 0.7}
            assert durable_engine.fire(cv, facts) == durable_engine.fire(cv, facts, driver="host")
        # Each evaluation retracts its fact: the session is empty between evaluations.
        assert durable_engine.session_facts(cv) == []


def test_each_rulesets_is_registered_once_under_a_content_name(law):
    a = CompiledLaw(law).all_versions()
    b = CompiledLaw(law).all_versions()
    assert [x.name for x in a] == [y.name for y in b]
    assert len({x.name for x in a}) == len(a)
    for cv in a:
        assert durable_engine.register(cv) == cv.name


def test_no_background_dispatch_races_an_evaluation(law):
    """durable_rules' stock host dispatches actions from timer threads; ours must not,
    or a timer can take the actions an evaluation just scheduled (a race `casus check`
    found: about 1 in 3,000 evaluations fired nothing)."""
    import threading
    from casus.engine.evaluate import derive_durable, derive_reference
    rnd = random.Random(1)
    versions = CompiledLaw(law).all_versions()
    for _ in range(3000):
        cv = rnd.choice(versions)
        facts = {f: rnd.choice(law.domain_of(f)) for f in cv.facts if rnd.random() < 0.6}
        reference = derive_reference(cv, facts)
        if not reference.conflicts():
            assert set(derive_durable(cv, facts).fired) == set(reference.fired), facts
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
