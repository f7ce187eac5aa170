"""Time in the law: attacks begin and end, a request answers the attack it was made for, and
every duty in `--timeline` either ends with the event that ended it or says which facts keep it
running. Dates, ids and reasons are read from the case files, never pasted from engine output.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from casus.engine.analysis.timeline import evaluate_timeline
from casus.engine.files.errors import InputError
from casus.engine.files.paths import shipped_cases
from casus.engine.law.cases import read_case_file as load_case
from casus.engine.outcome import Outcome

from conftest import DATA, write_case

TL = DATA / "timeline"


def _raw(name: str) -> dict:
    return yaml.safe_load((TL / name).read_text(encoding="utf-8"))


def _event(raw: dict, event_id: str) -> tuple[int, dict]:
    return next((i, e) for i, e in enumerate(raw["events"]) if e.get("id") == event_id)


def _art4(data: dict) -> dict:
    return next(p for p in data["provisions"] if p["id"] == "cst.art4")


def _at(t, day: dt.date):
    """The Article 4 result of the last step dated `day` or before."""
    k = max(i for i, s in enumerate(t.steps) if s.date <= day)
    return next(pr for pr in t.results[k].provisions if pr.provision.id == "cst.art4")


def test_a_request_for_the_first_attack_does_not_trigger_article_4_for_the_second(law, evaluator):
    raw = _raw("two-attacks.yaml")
    _, request = _event(raw, "request-1")
    k_cease, ceasefire = _event(raw, "ceasefire-1")
    _, second = _event(raw, "attack-2")
    assert request["answers"] == "attack-1" and "assistance_request" not in second["facts"]   # the premise
    t = evaluate_timeline(evaluator, load_case(TL / "two-attacks.yaml", law))
    [duty] = _art4(t.data)["duties"]
    # The duty answers the first attack: from the request until the ceasefire that ended it.
    assert (duty["from"], duty["until"]) == (request["date"].isoformat(), ceasefire["date"].isoformat())
    assert duty["ended_by_event"] == k_cease
    assert "continues_because" not in duty
    # The second attack: the first request does not stand for it, so nothing triggers Article 4.
    pr = _at(t, second["date"])
    assert pr.outcome != Outcome.TRIGGERED
    assert pr.outcome == Outcome.UNDETERMINED and "assistance_request" in pr.verdict.missing


def test_a_renewed_request_answers_the_second_attack(law, evaluator, tmp_path):
    raw = _raw("two-attacks.yaml")
    _, second = _event(raw, "attack-2")
    renewed = second["date"] + dt.timedelta(days=1)
    raw["events"].append({"id": "request-2", "begins": "request", "answers": "attack-2", "date": renewed,
                          "summary": "The member asks for help against the second attack.", "sources": ["scenario"],
                          "facts": {"assistance_request": {"value": "collective", "source": "scenario"}}})
    path = tmp_path / "renewed.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    t = evaluate_timeline(evaluator, load_case(path, law))
    duties = _art4(t.data)["duties"]
    assert [d["from"] for d in duties] == [raw["events"][1]["date"].isoformat(), renewed.isoformat()]
    [reason] = [r for r in duties[1]["continues_because"] if r["fact"] == "assistance_request"]
    assert (reason["value"], reason["event"], reason["since"]) == ("collective", len(raw["events"]) - 1, renewed.isoformat())


def test_a_request_answering_an_earlier_attack_does_not_stand_for_the_current_one(law, evaluator, tmp_path):
    raw = _raw("two-attacks.yaml")
    _, second = _event(raw, "attack-2")
    raw["events"].append({"id": "late-request", "begins": "request", "answers": "attack-1",
                          "date": second["date"] + dt.timedelta(days=1), "summary": "A late request for the first attack.",
                          "sources": ["scenario"], "facts": {"assistance_request": {"value": "collective", "source": "scenario"}}})
    path = tmp_path / "late.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    t = evaluate_timeline(evaluator, load_case(path, law))
    assert t.results[-1].provisions[0].outcome == Outcome.UNDETERMINED


def test_a_ceasefire_ends_the_attack_and_its_duty_though_territory_is_held(law, evaluator):
    """casus reads an attack as over once its hostilities cease: the duty ends with the ceasefire
    (`ends: [attack]` states hostilities_ceased), though the attacker still holds territory."""
    raw = _raw("occupation.yaml")
    _, request = _event(raw, "request")
    k_cease, ceasefire = _event(raw, "ceasefire")
    assert ceasefire["facts"]["territory_held"]["value"] is True                         # the premise
    assert "hostilities_ceased" not in ceasefire["facts"]
    t = evaluate_timeline(evaluator, load_case(TL / "occupation.yaml", law))
    assert t.steps[k_cease].facts["hostilities_ceased"].value is True
    [duty] = _art4(t.data)["duties"]
    assert (duty["from"], duty["until"], duty["ended_by_event"]) == (
        request["date"].isoformat(), ceasefire["date"].isoformat(), k_cease)
    after = _at(t, ceasefire["date"])
    assert after.outcome == Outcome.NOT_TRIGGERED and "cst.art4.no_attack_to_answer" in after.verdict.derivation.fired


def test_under_the_other_reading_held_territory_keeps_the_duty_until_the_request_is_withdrawn(law):
    from casus.engine.evaluate.evaluator import Evaluator
    from casus.engine.law.amendments import with_variants
    evaluator = Evaluator(with_variants(law, "occupation-continues-attack"))
    raw = _raw("occupation.yaml")
    k_req, request = _event(raw, "request")
    k_cease, ceasefire = _event(raw, "ceasefire")
    k_wd, withdrawal = _event(raw, "withdrawal")
    t = evaluate_timeline(evaluator, load_case(TL / "occupation.yaml", law))
    [duty] = _art4(t.data)["duties"]
    assert (duty["from"], duty["until"], duty["ended_by_event"]) == (
        request["date"].isoformat(), withdrawal["date"].isoformat(), k_wd)
    # Ending a request event states request_withdrawn with the ending event's source.
    assert t.steps[-1].facts["request_withdrawn"].value is True
    # Between the ceasefire and the withdrawal, what keeps it running is the held territory.
    raw_open = dict(raw, events=raw["events"][:k_wd])
    t2 = evaluate_timeline(evaluator, load_case(_write(raw_open), law))
    [open_duty] = _art4(t2.data)["duties"]
    assert open_duty["until"] is None
    reasons = {r["fact"]: r for r in open_duty["continues_because"]}
    held = reasons["territory_held"]
    assert (held["value"], held["event"], held["since"]) == (True, k_cease, ceasefire["date"].isoformat())
    assert held["quote"] == ceasefire["facts"]["territory_held"]["quote"]
    assert "hostilities_ceased" not in reasons          # the held territory alone keeps it going
    assert reasons["assistance_request"]["event"] == k_req


def _write(raw: dict):
    import tempfile
    from pathlib import Path
    path = Path(tempfile.mkdtemp()) / f"{raw['id']}.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def test_every_reason_a_duty_continues_is_the_fact_as_the_case_states_it(law, evaluator):
    """Each `continues_because` entry is bound to its fact: the value and source the step that
    set it states (or the vocabulary's presumption, or the membership record)."""
    vocab = law.vocabulary
    seen = 0
    for path in shipped_cases():
        case = load_case(path, law)
        if not case.events:
            continue
        t = evaluate_timeline(evaluator, case)
        for prov in t.data["provisions"]:
            for duty in prov["duties"]:
                if duty["until"] is not None:
                    continue
                assert duty["continues_because"], (case.id, prov["id"])
                for r in duty["continues_because"]:
                    seen += 1
                    if r["step"] is not None:
                        entry = t.steps[r["step"]].facts[r["fact"]]
                        claimed = (entry.claims or {}).get(duty["perspective"]) if duty["perspective"] else None
                        stated = claimed.value if claimed is not None else entry.value
                        assert stated == r["value"] and r["source"] in case.sources, (case.id, r)
                    elif r["fact"] in vocab.derived:
                        assert r["derived"], (case.id, r)
                    else:
                        p = vocab.facts[r["fact"]].presumption
                        assert r["presumed"] and p is not None and p.value == r["value"], (case.id, r)
    assert seen


def test_every_duty_of_a_case_with_events_ends_or_says_why_it_continues(law, evaluator):
    for path in shipped_cases():
        case = load_case(path, law)
        if not case.events:
            continue
        for prov in evaluate_timeline(evaluator, case).data["provisions"]:
            for duty in prov["duties"]:
                assert (duty["until"] and duty["ended_by"]) or duty.get("continues_because"), (case.id, prov["id"])


@pytest.mark.parametrize("edit, message", [
    (lambda ev: ev[2].update(ends=["attack-9"]), "ends 'attack-9', which is not an attack or request event listed above"),
    (lambda ev: ev[1].update(answers="ceasefire-1"), "answers 'ceasefire-1', which is not an attack event listed above"),
    (lambda ev: ev[3].update(id="attack-1"), "id 'attack-1' is already used by an event above"),
    (lambda ev: ev[2].update(answers="attack-1"), "'answers' is for an event that begins a request"),
])
def test_event_links_are_checked(law, tmp_path, edit, message):
    raw = _raw("two-attacks.yaml")
    edit(raw["events"])
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(path, law)
    assert message in str(err.value)


# ---------------------------------------------------------------- self-defence on the merits

def _self_defence_case(tmp_path, facts: dict, attacker: str = "AF"):
    raw = {"id": "sd", "title": "Constructed: self-defence claimed", "date": "2023-03-01",
           "requesting_state": "TJ", "territory": "TJ", "attacker": attacker, "provisions": ["cst.art4"],
           "summary": "constructed", "sources": {"scenario": {"cite": "Constructed for the casus test suite"}},
           "facts": {"armed_attack": {"value": True, "source": "scenario"},
                     "attack_origin": {"value": "external_state", "source": "scenario"},
                     "attack_target": {"value": "own_territory", "source": "scenario"},
                     "threat_to_member": {"value": "security", "source": "scenario"},
                     "assistance_request": {"value": "collective", "source": "scenario"}, **facts}}
    path = tmp_path / "sd.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _art4_outcome(evaluator, law, path):
    return evaluator.evaluate(load_case(path, law)).provisions[0]


def test_a_self_defence_claim_is_answered_on_the_merits(law, evaluator, tmp_path):
    claims = {"attacker_self_defence": {"claims": {
        "AF": {"value": True, "source": "scenario", "attacker": "AF"},
        "TJ": {"value": False, "source": "scenario", "quote": "no attack by TJ"}}}}
    # Claimed and nothing said of necessity or proportionality: the claimant's account is open.
    pr = _art4_outcome(evaluator, law, _self_defence_case(tmp_path, claims))
    assert pr.perspectives["TJ"].outcome == Outcome.TRIGGERED
    assert pr.perspectives["AF"].outcome == Outcome.UNDETERMINED
    # Established as disproportionate: the claim fails on the merits, for every account.
    merits = {**claims, "self_defence_proportionate": {"value": False, "source": "scenario", "quote": "far beyond"}}
    pr = _art4_outcome(evaluator, law, _self_defence_case(tmp_path, merits))
    assert pr.outcome == Outcome.TRIGGERED and not pr.perspectives
    # Necessary and proportionate: lawful self-defence in the claimant's account.
    lawful = {**claims, "self_defence_necessary": {"value": True, "source": "scenario"},
              "self_defence_proportionate": {"value": True, "source": "scenario"}}
    pr = _art4_outcome(evaluator, law, _self_defence_case(tmp_path, lawful))
    assert pr.outcome == Outcome.CONTESTED
    assert {p: v.outcome for p, v in pr.perspectives.items()} == {"AF": Outcome.NOT_TRIGGERED, "TJ": Outcome.TRIGGERED}


def test_self_defence_is_bound_to_the_attacker(law, evaluator, tmp_path):
    lawful = {"attacker_self_defence": {"value": True, "source": "scenario", "attacker": "UZ"},
              "self_defence_necessary": {"value": True, "source": "scenario", "attacker": "UZ"},
              "self_defence_proportionate": {"value": True, "source": "scenario", "attacker": "UZ"}}
    # Established for UZ: says nothing of AF's force, so AF's is presumed not self-defence.
    pr = _art4_outcome(evaluator, law, _self_defence_case(tmp_path, lawful, attacker="AF"))
    assert pr.outcome == Outcome.TRIGGERED
    pr = _art4_outcome(evaluator, law, _self_defence_case(tmp_path, lawful, attacker="UZ"))
    assert pr.outcome == Outcome.NOT_TRIGGERED


# ---------------------------------------------------------------- art4-internal-crises has no gaps

def _gaps(law, variant: str | None) -> list[tuple[str, dict]]:
    """Every complete assignment of a version's facts (each fact known) whose outcome is still
    undetermined: a gap in the law (nothing is missing, yet nothing decides)."""
    from casus.engine.analysis.checks import Checker
    from casus.engine.evaluate.verdict import verdict
    checker = Checker(law, variant, examples=1, seed=0)
    found = []
    for cv in checker.compiled.all_versions():
        if variant is not None and cv.provision.id != "cst.art4":
            continue
        assert checker.complete_space(cv) <= checker.bound, cv.provision.id
        for facts in checker.complete_assignments(cv):
            v = verdict(cv, checker.durable.derive(cv, facts))
            if v.outcome == Outcome.UNDETERMINED:
                assert not v.missing                      # every fact is known
                found.append((f"{cv.provision.id}@{cv.version.id}", facts))
    return found


@pytest.mark.parametrize("variant", [None, "art4-internal-crises", "occupation-continues-attack"])
def test_article_4_has_no_gaps(law, variant):
    gaps = _gaps(law, variant)
    assert not gaps, gaps[:3]


def test_attacker_is_only_for_the_facts_of_an_attack(law, tmp_path):
    path = _self_defence_case(tmp_path, {"host_consent": {"value": True, "source": "scenario", "attacker": "AF"}})
    with pytest.raises(InputError) as err:
        load_case(path, law)
    assert "'host_consent' is not a fact of an attack" in str(err.value)


def test_an_event_without_a_time_keeps_its_place_among_that_days_events(law, evaluator, tmp_path):
    raw = _raw("two-attacks.yaml")
    raw["events"][0]["time"] = "06:00"                    # the attack has a time, the request
    raw["events"][1]["date"] = raw["events"][0]["date"]   # the same day has none: listed after it
    path = tmp_path / "untimed.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    t = evaluate_timeline(evaluator, load_case(path, law))
    assert [s.id for s in t.steps][:2] == ["attack-1", "request-1"]
    raw["events"][1]["time"] = "05:00"                    # a time before the attack's: out of order
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(path, law)
    assert "comes before the event listed above it" in str(err.value)
