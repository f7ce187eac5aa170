"""The rule-set fuzzer in the test suite (issue 17): a small, fixed budget of random law
directories (tests/lawgen.py), each run through the real `casus` in a child process with
limits. bench/fuzz.py runs the same for minutes; what it finds becomes a test below.

Then the attacks of issue 17 on the engine, as laws that a user could write: each either
is refused with one line (exit 2), or runs, with durable_rules agreeing with the reference
evaluator. None may crash, hang or answer wrongly without a word."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from lawgen import laws, run_law, write_law
from subproc import run_casus

BUDGET = int(os.environ.get("CASUS_FUZZ_LAWS", "4"))


@settings(max_examples=BUDGET, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
@given(laws(max_facts=24, max_rules=16))
def test_random_laws_run_or_are_refused_and_both_engines_agree(law):
    findings = run_law(law, examples=10)
    assert not findings, "\n\n".join(map(str, findings)) + "\n\nthe law:\n" + yaml.safe_dump(
        law, sort_keys=False, allow_unicode=True)


# ------------------------------------------------------------------ the attacks, as laws

def _law(facts: dict[str, dict], rules: list[dict], case_facts: dict | None = None) -> dict:
    vocab = {"parties": {r: f"the {r}" for r in ("requesting_state", "territory", "acting_state",
                                                 "third_state", "attacker")},
             "facts": facts, "derived": {}}
    provision = {"id": "fz.p", "instrument": "A treaty", "article": "1", "title": "t", "question": "q?",
                 "outcome": "owed", "outcomes": ["triggered", "not_triggered"], "sources": {"s": {"cite": "c"}},
                 "versions": [{"id": "v", "in_force": {"from": "1994-01-01"}, "text": "The text.", "text_source": "s",
                               "conclusions": {"owed": {"description": "d"}}, "rules": rules}]}
    case = {"id": "fuzz-case", "title": "t", "date": "2022-01-05", "requesting_state": "KZ", "territory": "KZ",
            "summary": "s", "sources": {"s": {"cite": "c"}},
            "facts": {k: {"value": v, "source": "s"} for k, v in (case_facts or {}).items()}}
    return {"vocabulary": vocab, "provisions": [provision], "amendments": [], "case": case}


def _rule(i: int, when: dict, value: bool = True) -> dict:
    return {"id": f"fz.r{i}", "concludes": "owed", "value": value, "when": when, "because": "b"}


def _bool(*names: str) -> dict[str, dict]:
    return {n: {"type": "boolean", "description": "d"} for n in names}


def _assert_runs_or_refused(law: dict) -> None:
    findings = run_law(law, examples=5)
    assert not findings, "\n\n".join(map(str, findings))


def _outcomes(law: dict) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="casus-fuzz-") as tmp:
        rules = write_law(law, Path(tmp))
        r = run_casus("evaluate", str(Path(tmp) / "case.yaml"), "--rules", str(rules), "-f", "json")
        assert r.code == 0, r.err
        data = json.loads(r.out)
        case = data["cases"][0] if "cases" in data else data
        return {p["id"]: p["outcome"] for p in case["provisions"]}


def _outcome(law: dict) -> str:
    return _outcomes(law)["fz.p"]


HOSTILE = ["id", "sid", "$and", "$or", "$lt", "$ex", "$nex", "ünïcödé", "факт", "事实"]


def test_facts_named_like_engine_syntax_fire():
    # `id` crashed assert_fact (SIGSEGV); `$and`... gave error 102 (exit 70); `sid` and
    # non-ASCII names never matched, so the answer was "undetermined" without a word.
    # One provision per name: owed = true exactly when the fact is true, false when false.
    law = _law(_bool(*HOSTILE), [_rule(0, {"fact": "id"})])
    template = law["provisions"][0]
    law["provisions"] = []
    for i, name in enumerate(HOSTILE):
        version = dict(template["versions"][0], rules=[
            {"id": f"fz.p{i}.yes", "concludes": "owed", "value": True, "when": {"fact": name}, "because": "b"},
            {"id": f"fz.p{i}.no", "concludes": "owed", "value": False, "when": {"not": {"fact": name}}, "because": "b"}])
        law["provisions"].append(dict(template, id=f"fz.p{i}", versions=[version]))
    for value, outcome in ((True, "triggered"), (False, "not_triggered")):
        law["case"]["facts"] = {n: {"value": value, "source": "s"} for n in HOSTILE}
        got = _outcomes(law)
        assert got == {f"fz.p{i}": outcome for i in range(len(HOSTILE))}, got


def test_a_non_ascii_enum_value_matches():
    law = _law({"origin": {"type": "enum", "values": ["внутренний", "external"], "description": "d"}},
               [_rule(0, {"fact": "origin", "is": "внутренний"}), _rule(1, {"fact": "origin", "is": "external"}, False)],
               {"origin": "внутренний"})
    assert _outcome(law) == "triggered"


@pytest.mark.parametrize("n", [256, 257])
def test_many_rules_with_the_same_condition(n):
    # 256 gave a segmentation fault at ruleset creation, 257 "error code: 108" (exit 70).
    law = _law(_bool("a"), [_rule(i, {"fact": "a"}) for i in range(n)], {"a": True})
    _assert_runs_or_refused(law)


def test_one_condition_over_512_facts():
    # create_ruleset looped at 100% CPU and ignored Ctrl-C.
    names = [f"f{i}" for i in range(512)]
    law = _law(_bool(*names), [_rule(0, {"any": [{"fact": n} for n in names]})], {"f7": True})
    _assert_runs_or_refused(law)


def test_512_single_fact_rules():
    # error 303 when the fact was asserted (exit 70)
    names = [f"f{i}" for i in range(512)]
    law = _law(_bool(*names), [_rule(i, {"fact": n}) for i, n in enumerate(names)], {n: True for n in names[:300]})
    _assert_runs_or_refused(law)


def test_a_provision_that_knows_260_facts():
    # error 302: more fields in one fact than durable_rules holds
    names = [f"f{i}" for i in range(260)]
    law = _law(_bool(*names), [_rule(0, {"all": [{"fact": n} for n in names]})], {n: True for n in names})
    _assert_runs_or_refused(law)


def test_normal_form_is_bounded_while_it_is_built(tmp_path):
    # A 517-byte rule: one `any` of 8 facts, repeated by alias 20 times inside an `all`:
    # 8**20 terms once expanded. It cost 1.3 GB and 63 s before the refusal; with a 1 GB
    # limit on the process, it must be refused (exit 2) or run, never killed.
    names = [f"f{i}" for i in range(8)]
    any8 = "{any: [" + ", ".join(f"{{fact: {n}}}" for n in names) + "]}"
    law = _law(_bool(*names), [_rule(0, {"fact": "f0"})])
    rules = write_law(law, tmp_path)
    article = rules / "fz" / "fz.p.yaml"
    text = article.read_text(encoding="utf-8")
    bomb = "    when:\n      all:\n      - &a " + any8 + "\n" + "      - *a\n" * 19
    text = text.replace("    when:\n      fact: f0\n", bomb)
    assert "*a" in text
    article.write_text(text, encoding="utf-8")
    r = run_casus("validate", str(tmp_path / "case.yaml"), "--rules", str(rules), memory=1 << 30, timeout=120)
    assert not r.timed_out and r.code in (0, 2), (r.code, r.err[-1000:])
    assert r.err.count("\n") <= 1 and "Traceback" not in r.err


# ------------------------------------------------------------------ depth (issue 28, item 5)

def test_the_generated_laws_reach_events_roles_variant_stacks_and_the_whole_century():
    seen: dict[str, set] = {"events": set(), "roles": set(), "stacks": set(), "years": set()}

    @settings(max_examples=80, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(laws(max_facts=8, max_rules=4))
    def look(law):
        case = law["case"]
        seen["events"].add(len(case.get("events", [])))
        seen["roles"].update(r for r in ("acting_state", "third_state", "attacker") if r in case)
        seen["stacks"].add(len(law.get("amendments", [])))
        seen["years"].add(int(case["date"][:4]))
        for prov in law["provisions"]:
            seen["years"].update(int(v["in_force"]["from"][:4]) for v in prov["versions"])

    look()
    assert max(seen["events"]) >= 2 and seen["roles"] == {"acting_state", "third_state", "attacker"}
    assert 2 in seen["stacks"]
    assert min(seen["years"]) < 1995 and max(seen["years"]) > 2030


def test_every_perspective_of_the_generated_case_is_compared_with_the_reference(tmp_path):
    """The generated case itself (not only hypothesis' examples of `casus check`) is evaluated by
    durable_rules and by the reference evaluator, for the agreed facts and for each claimant,
    under the base law and each variant stack."""
    from lawgen import perspective_differential
    law = _law(_bool("a", "b"), [_rule(0, {"all": [{"fact": "a"}, {"fact": "b"}]}),
                                 _rule(1, {"not": {"fact": "a"}}, value=False)])
    law["case"]["facts"]["a"] = {"claims": {"KZ": {"value": True, "source": "s"},
                                            "observers": {"value": False, "source": "s"}}}
    law["case"]["facts"]["b"] = {"value": True, "source": "s"}
    rules = write_law(law, tmp_path)
    findings, compared = perspective_differential(rules, tmp_path / "case.yaml", [])
    assert findings == []
    assert sorted(compared, key=str) == sorted([("base", None), ("base", "KZ"), ("base", "observers")], key=str)
