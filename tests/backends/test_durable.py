"""The rules run on durable_rules: conclusions are derived by durable_rules rules and
reach, as facts in durable_rules, the rules that use them; outcomes come from nothing
else; the two ways of driving durable_rules agree; the driver's assumptions hold."""

from __future__ import annotations

import json
import random
import types

import pytest

from casus.engine.backends import durable as durable_engine
from casus.engine.backends.reference import ReferenceBackend
from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.api import find_case
from casus.engine.law.cases import read_case_file
from casus.engine.files.paths import shipped_cases
from casus.engine.logic.compiler import CompiledLaw, RuleKind
from casus.engine.logic.ir import conclusion, exception

CALLS = ("assert_fact", "retract_fact", "start_action_for_state", "complete_and_start_action")


@pytest.fixture
def recorded(monkeypatch):
    """Every call casus makes into durable_rules' engine, with what it returned."""
    dre = durable_engine.engine_module()
    log: list[tuple[str, int, object, object]] = []
    for name in CALLS:
        real = getattr(dre, name)

        def wrapper(handle, arg, _real=real, _name=name):
            result = _real(handle, arg)
            log.append((_name, handle, arg, result))
            return result
        monkeypatch.setattr(dre, name, wrapper)
    return log


def _messages(log, handle):
    """The agenda durable_rules handed out for one ruleset: (durable rule, fact it matched)."""
    out = []
    for name, h, _, result in log:
        if h != handle or not result:
            continue
        if name == "start_action_for_state":
            result = result[1]
        if name in ("start_action_for_state", "complete_and_start_action"):
            (rule, body), = json.loads(result).items()
            out.append((rule, body["m"]))
    return out


def test_armenia_conclusions_chain_through_durable_rules(law, recorded):
    """Evaluating armenia-2022 (Armenia's version): durable_rules derives `aggression` and
    "the between-members exception does not apply" in one ruleset; the driver asserts both
    as fields of the next stratum's fact; there durable_rules matches them and fires the
    assistance rule, whose durable condition tests exactly those fields."""
    # The between-members exception is the CSTO's policy, not the text: it lives in a variant.
    from casus.engine.law.amendments import with_variants
    case = read_case_file(find_case("armenia-2022"), law)
    evaluator = Evaluator(with_variants(law, "art4-no-help-between-members"))
    result = evaluator.evaluate(case, perspective="AM")
    art4 = next(p for p in result.provisions if p.provision.id == "cst.art4")
    assert art4.outcome == "triggered"
    rulesets = evaluator.programs.of(art4.compiled).rulesets()
    program = art4.compiled.program

    def fired(handle):
        chunk = rulesets[handle]
        return [(program[i], k, seen) for rule, seen in _messages(recorded, handle)
                for i, k in chunk.stands_for[rule]]

    asserted = [(h, json.loads(text)) for name, h, text, _ in recorded if name == "assert_fact" and h in rulesets
                and rulesets[h].name.startswith(art4.compiled.name)]
    strata = [rulesets[h].stratum for h, _ in asserted]
    assert strata == sorted(strata) and len(set(strata)) >= 2
    # durable_rules fires the aggression rule and the exception's "does not apply" rule.
    derived = {}
    for h, _ in asserted:
        for rule, _, _ in fired(h):
            derived.setdefault(rulesets[h].stratum, set()).add((rule.rule, rule.kind, rule.value))
    # (aggression itself rests on lawful_self_defence, derived a stratum below it)
    at = {what: stratum for stratum, found in derived.items() for what in found}
    s_aggression = at[("cst.art4.2012.aggression", RuleKind.RULE, True)]
    s_between = at[("cst.art4.between_members", RuleKind.EXCEPTION, False)]
    assert at[("cst.art4.beyond_self_defence", RuleKind.RULE, False)] < s_aggression
    # The next stratum: the fact asserted carries them (as encoded fields), and the assistance rule fires on it.
    top = max(s_aggression, s_between) + 1
    h2, fact2 = next((h, f) for h, f in asserted if rulesets[h].stratum == top)
    chunk = rulesets[h2]
    aggression, between = chunk.alias_of[conclusion("aggression")], chunk.alias_of[exception("cst.art4.between_members")]
    assert fact2[aggression] == 0 and fact2[between] == 1          # codes of True and False in (True, False)
    assistance = [(rule, k, seen) for rule, k, seen in fired(h2) if rule.rule == "cst.art4.2012.assistance"]
    assert assistance, "durable_rules did not fire the assistance rule"
    rule, k, seen = assistance[0]
    assert seen[aggression] == 0 and seen[between] == 1
    durable_rule = next(r for r, stands in chunk.stands_for.items() if any(program[i] is rule for i, _ in stands))
    tests = chunk.spec[durable_rule]["all"][0]["m"]["$and"]
    assert {aggression: 0} in tests and {between: 1} in tests
    # The driver retracted every fact durable_rules kept (it keeps none that matched nothing).
    kept = [(h, text) for name, h, text, result in recorded if name == "assert_fact" and result[0] in (0, 3)]
    assert kept and kept == [(h, text) for name, h, text, _ in recorded if name == "retract_fact"]


def test_when_durable_rules_fires_nothing_every_outcome_is_undetermined(law, monkeypatch):
    """If durable_rules matches nothing, nothing is derived: the evaluator has no other
    way to reach a conclusion."""
    evaluator = Evaluator(law)
    cases = [read_case_file(p, law) for p in shipped_cases()]
    before = {p.outcome for c in cases for p in evaluator.evaluate(c).provisions}
    assert before - {"undetermined", "not_applicable"}
    dre = durable_engine.engine_module()
    monkeypatch.setattr(dre, "assert_fact", lambda handle, text: (1, 0))
    for case in cases:
        for p in evaluator.evaluate(case).provisions:
            if p.verdict is not None:       # no version in force: not_applicable without rules
                assert p.outcome == "undetermined", (case.id, p.provision.id)
                assert not p.verdict.derivation.firings


def test_c_driver_public_api_and_reference_fire_the_same_rules(law):
    rnd = random.Random(7)
    c, api, ref = durable_engine.DurableBackend("c"), durable_engine.DurableBackend("api"), ReferenceBackend()
    for cv in CompiledLaw(law).all_versions():
        pc, pa, pr = c.prepare(cv), api.prepare(cv), ref.prepare(cv)
        for _ in range(60):
            facts = {f: rnd.choice(law.domain_of(f)) for f in cv.facts if rnd.random() < 0.7}
            a, b = pc.run(facts).firings, pa.run(facts).firings
            assert a == b      # the same firings, in the same order, matching the same values
            assert {f.key() for f in a} == {f.key() for f in pr.run(facts).firings}, facts
        # Each evaluation retracts its facts: the sessions are empty between evaluations.
        assert pc.session_facts() == []
        assert pa.session_facts() == []


def test_rulesets_have_content_names_and_register_once(law):
    a = CompiledLaw(law).all_versions()
    b = CompiledLaw(law).all_versions()
    assert [x.name for x in a] == [y.name for y in b]
    assert len({x.name for x in a}) == len(a)
    names = [ch.name for cv in a for chunks in durable_engine.plan(cv).strata for ch in chunks]
    assert len(names) == len(set(names))
    evaluator = Evaluator(law)
    for path in shipped_cases()[:3]:
        evaluator.evaluate(read_case_file(path, law))
    count = len(durable_engine.registered())
    for path in shipped_cases()[:3]:
        evaluator.evaluate(read_case_file(path, law))
    assert len(durable_engine.registered()) == count
    # Another evaluator prepares its own programs, and finds their rulesets in durable_rules'
    # host under the same names: it registers nothing (durable_rules could not take them again).
    again = Evaluator(law)
    for path in shipped_cases()[:3]:
        again.evaluate(read_case_file(path, law))
    assert len(durable_engine.registered()) == count


def test_prepare_then_run_keeps_nothing_at_module_level(law):
    """The programs are the evaluator's: a module of casus holds no plan or ruleset."""
    evaluator = Evaluator(law)
    for path in shipped_cases()[:2]:
        evaluator.evaluate(read_case_file(path, law))
    assert not hasattr(durable_engine, "_plans") and not hasattr(durable_engine, "_rulesets")
    cv = next(iter(CompiledLaw(law).all_versions()))
    program = evaluator.programs.of(cv)
    assert evaluator.programs.of(cv) is program               # prepared once per version
    assert program.run({}).firings == ()                      # nothing known: nothing matched


def test_matched_is_what_durable_rules_matched(law, monkeypatch):
    """A firing's `matched` is read from the message durable_rules handed out for it (the
    fact an action receives), not from what the plan meant the rule to match: when the
    messages say other values, so does the trace."""
    rnd = random.Random(3)
    cv = max(CompiledLaw(law).all_versions(), key=lambda v: len(v.facts))
    program = durable_engine.DurableBackend("c").prepare(cv)
    facts, plain = {}, ()
    while not plain:
        facts = {f: rnd.choice(law.domain_of(f)) for f in cv.facts}
        plain = program.run(facts).firings
    values = program.plan.values
    for f in plain:                 # as matched: the values of the facts given
        for atom, value in f.matched:
            if atom.kind.value == "fact":
                assert value == facts[atom.name]
    dre = durable_engine.engine_module()

    def flipped(message):
        """The message with every field's code changed (0 <-> 1), as if durable_rules had
        matched another fact."""
        (rule, body), = json.loads(message).items()
        seen = {k: (v if k == "sid" else 1 - v if v in (0, 1) else v) for k, v in body["m"].items()}
        return json.dumps({rule: {"m": seen}}, separators=(",", ":"))

    start, step = dre.start_action_for_state, dre.complete_and_start_action
    monkeypatch.setattr(dre, "start_action_for_state",
                        lambda h, s: (lambda r: r and (r[0], flipped(r[1]), *r[2:]))(start(h, s)))
    monkeypatch.setattr(dre, "complete_and_start_action", lambda h, s: (lambda m: m and flipped(m))(step(h, s)))
    altered = program.run(facts).firings
    first = [f for f in altered if f.stratum == 1]
    assert [f.rule for f in first] == [f.rule for f in plain if f.stratum == 1]
    chunks = {ch.name: ch for chunks in program.plan.strata for ch in chunks}
    for before, after in zip([f for f in plain if f.stratum == 1], first):
        alias_of = chunks[after.engine.ruleset].alias_of
        assert after.matched != before.matched
        for (atom, was), (same, now) in zip(before.matched, after.matched):
            code = values[atom].index(was)
            assert same == atom and now == values[atom][1 - code if code in (0, 1) else code], alias_of[atom]


def test_no_background_dispatch_races_an_evaluation(law):
    """durable_rules' stock host dispatches actions from timer threads; ours must not,
    or a timer can take the actions an evaluation just scheduled (a race `casus check`
    found: about 1 in 3,000 evaluations fired nothing)."""
    import threading
    rnd = random.Random(1)
    versions = CompiledLaw(law).all_versions()
    api, ref = durable_engine.DurableBackend("api"), ReferenceBackend()
    programs = {cv.name: (api.prepare(cv), ref.prepare(cv)) for cv in versions}
    for _ in range(1000):
        cv = rnd.choice(versions)
        facts = {f: rnd.choice(law.domain_of(f)) for f in cv.facts if rnd.random() < 0.6}
        pa, pr = programs[cv.name]
        assert {f.key() for f in pa.run(facts).firings} == {f.key() for f in pr.run(facts).firings}
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_the_pinned_durable_rules_version_is_checked():
    durable_engine.check_version(durable_engine.DURABLE_RULES_VERSION)
    with pytest.raises(durable_engine.DurableError, match="durable_rules==2.0.28"):
        durable_engine.check_version("2.0.29")


def test_the_internals_the_c_driver_reads_have_the_expected_shape():
    """Runs the driver's own check on the installed durable_rules (it fails when the C
    module's functions or the messages they return change shape)..."""
    durable_engine.check_internals(durable_engine.engine_module())
    # ...and the check itself fails on a module that lacks what the driver calls, or that
    # hands out the agenda in another shape.
    with pytest.raises(durable_engine.DurableError, match="lacks"):
        durable_engine.check_internals(types.ModuleType("durable_rules_engine"))
    real = durable_engine.engine_module()
    changed = types.ModuleType("durable_rules_engine")
    for name in dir(real):
        setattr(changed, name, getattr(real, name))
    changed.start_action_for_state = lambda handle, state: ("{}", '{"r0": {"fact": {}}}')
    changed.complete_and_start_action = lambda handle, state: None
    with pytest.raises(durable_engine.DurableError, match="no longer behaves"):
        durable_engine.check_internals(changed)
