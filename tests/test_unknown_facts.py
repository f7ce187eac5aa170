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
    for value, expected in (("csto", "triggered"), ("one_member", "not_triggered"), ("none", "not_triggered")):
        known = copy.deepcopy(data)
        known["facts"]["operation_request"] = {"value": value, "source": "armradio-2022-01-06"}
        assert _outcomes(evaluator, case_from(known))["pk.art3"].outcome == expected


def test_every_deciding_fact_of_every_case(law, evaluator, case_from):
    """For each shipped case and each agreed fact: delete it; where the outcome becomes
    undetermined the fact is named in `missing`; setting it to any value never flips an
    outcome that was decided without it."""
    from casus.engine.law.loader import load_case
    undetermined_seen = 0
    for path in shipped_case_paths():
        case = load_case(path, law)
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
