"""Three-valued facts: an unknown fact leaves an outcome undetermined and says so;
learning it decides the outcome but never flips one that was already decided."""

from __future__ import annotations

import copy

from conftest import case_data, shipped_case_paths

DECIDED = {"triggered", "not_triggered", "not_applicable"}


def _outcomes(evaluator, case):
    return {p.provision.id: p for p in evaluator.evaluate(case).provisions}


def test_deleting_the_request_makes_peacekeeping_undetermined(case_from, evaluator):
    # Kazakhstan 2022: on a member's territory, the host's official request is what
    # authorises the operation (Peacekeeping Agreement Art. 3).
    data = case_data("kazakhstan-2022")
    del data["facts"]["operation_request"]
    result = _outcomes(evaluator, case_from(data))["pk.art3"]
    assert result.outcome == "undetermined"
    assert "operation_request" in result.verdict.missing
    # Only a request the host itself addressed to the Council is "the official request of that
    # state"; an appeal to one member (even forwarded) is not.
    for value, expected in (("collective", "triggered"), ("one_member", "not_triggered"), ("none", "not_triggered")):
        known = copy.deepcopy(data)
        known["facts"]["operation_request"] = {"value": value, "source": "armradio-2022-01-06"}
        assert _outcomes(evaluator, case_from(known))["pk.art3"].outcome == expected


def test_every_deciding_fact_of_every_case(law, evaluator, case_from):
    """For each shipped case and each agreed fact: delete it; where the outcome becomes
    undetermined the fact is named in `missing`; setting it to any value never flips an
    outcome that was decided without it."""
    from casus.engine.law.cases import read_case_file
    undetermined_seen = 0
    for path in shipped_case_paths():
        case = read_case_file(path, law)
        for name, entry in case.facts.items():
            if entry.claims is not None:
                continue
            data = case_data(case.id)
            del data["facts"][name]
            for event in data.get("events", []):          # dated events may state it too
                event.get("facts", {}).pop(name, None)
            without = _outcomes(evaluator, case_from(data))
            for value in law.domain_of(name):
                data_v = copy.deepcopy(data)
                data_v["facts"][name] = {"value": value, "source": entry.source}
                with_value = _outcomes(evaluator, case_from(data_v))
                for pid, res in without.items():
                    if res.outcome in DECIDED:
                        assert with_value[pid].outcome == res.outcome, (case.id, name, value, pid)
            for pid, res in without.items():
                if res.outcome == "undetermined" and res.verdict is not None and not res.perspectives:
                    undetermined_seen += 1
                    original = _outcomes(evaluator, case)[pid]
                    if original.outcome in DECIDED:
                        assert name in res.verdict.missing, (case.id, name, pid, res.verdict.missing)
    assert undetermined_seen > 0


# A member at every shipped case's date (the requesting states are), one never a member
# (Switzerland), and the attacker the case names.
NEVER_A_MEMBER = "CH"


def test_an_omitted_attacker_is_unknown_not_no_attacker(case_from):
    """A case that leaves out `attacker` does not know who attacked (README: leave out what is
    not known; silence is never a negative). So, as for a left-out requesting_state, the
    omission decides nothing: naming the attacker later may decide an outcome, never flip one
    that was decided without it. Checked for every shipped case that names an attacker, under
    the base law and every variant (one variant tests whether the attacker is a member)."""
    import casus
    laws = [casus.load_law()] + [casus.load_law(variant=v["id"]) for v in casus.variants()]
    tried = 0
    for path in shipped_case_paths():
        data = case_data(path.stem)
        if "attacker" not in data:
            continue
        without = copy.deepcopy(data)
        del without["attacker"]
        for law in laws:
            open_ = {p["id"]: p["outcome"] for p in casus.evaluate(without, law=law).to_json()["cases"][0]["provisions"]}
            for attacker in {data["attacker"], data["requesting_state"], NEVER_A_MEMBER}:
                named = dict(copy.deepcopy(without), attacker=attacker)
                got = {p["id"]: p["outcome"] for p in casus.evaluate(named, law=law).to_json()["cases"][0]["provisions"]}
                for pid, outcome in open_.items():
                    tried += 1
                    if outcome in DECIDED:
                        assert got[pid] == outcome, (path.stem, law, attacker, pid, outcome, got[pid])
    assert tried > 0


def test_article_1_force_with_no_attacker_named_is_undetermined_and_says_so(case_from, evaluator):
    # Kyrgyzstan-Tajikistan 2022 asks about Article 1 (force between members); without the
    # attacker the question "did the member that used force breach?" has no member to ask about.
    data = case_data("kyrgyzstan-tajikistan-2022")
    assert "cst.art1.force" in data["provisions"]
    del data["attacker"]
    result = _outcomes(evaluator, case_from(data))["cst.art1.force"]
    assert result.outcome == "undetermined"
    assert "attacker_member" in result.verdict.missing
