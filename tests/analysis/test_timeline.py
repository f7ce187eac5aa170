"""Dated events: when duties arise and end, response delays, and the snapshot as one event.

Expected dates are read from the case files (the event that makes the request, the record's
response dates), never pasted from engine output.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from casus.engine.analysis.timeline import evaluate_timeline
from casus.engine.law.cases import read_case_file
from casus.engine.files.paths import shipped_cases

from conftest import DATA, write_case

TL = DATA / "timeline"


def _raw(name: str) -> dict:
    return yaml.safe_load((TL / name).read_text(encoding="utf-8"))


def _event_date(raw: dict, fact: str, value) -> dt.date:
    """The date of the (first) event in the file that states `fact` = `value`."""
    return next(e["date"] for e in raw["events"]
                if e.get("facts", {}).get(fact, {}).get("value") == value)


def _provision(data: dict, pid: str) -> dict:
    return next(p for p in data["provisions"] if p["id"] == pid)


def test_duty_arises_on_the_request_date_not_the_attack_date(law, evaluator):
    raw = _raw("request-later.yaml")
    attack, request = _event_date(raw, "armed_attack", True), _event_date(raw, "assistance_request", "collective")
    assert (request - attack).days == 2          # the file's own premise
    t = evaluate_timeline(evaluator, read_case_file(TL / "request-later.yaml", law))
    art4 = _provision(t.data, "cst.art4")
    assert [d["from"] for d in art4["duties"]] == [request.isoformat()]
    assert art4["duties"][0]["until"] is None
    # Article 2 needs no request: consultations are owed from the attack itself.
    art2 = _provision(t.data, "cst.art2")
    assert [d["from"] for d in art2["duties"]] == [attack.isoformat()]


def test_a_withdrawn_request_ends_the_duty(law, evaluator):
    raw = _raw("request-withdrawn.yaml")
    made, withdrawn = _event_date(raw, "assistance_request", "collective"), _event_date(raw, "request_withdrawn", True)
    t = evaluate_timeline(evaluator, read_case_file(TL / "request-withdrawn.yaml", law))
    art4 = _provision(t.data, "cst.art4")
    [duty] = art4["duties"]
    assert (duty["from"], duty["until"]) == (made.isoformat(), withdrawn.isoformat())
    assert duty["days"] == (withdrawn - made).days
    assert "withdraws" in duty["ended_by"]
    [div] = art4["divergence"]
    assert div["kind"] == "obligation_unmet"
    assert f"owed from {made}" in div["detail"] and f"until {withdrawn}" in div["detail"]


def test_response_delays_come_from_the_dates_in_the_file(law, evaluator):
    raw = _raw("request-later.yaml")
    request = _event_date(raw, "assistance_request", "collective")
    t = evaluate_timeline(evaluator, read_case_file(TL / "request-later.yaml", law))
    [duty] = _provision(t.data, "cst.art4")["duties"]
    recorded = raw["record"]["responses"]
    assert len(duty["responses"]) == len(recorded)
    for got, r in zip(duty["responses"], recorded):
        assert got["date"] == r["date"].isoformat()
        assert got["delay_days"] == (r["date"] - request).days
        assert got["counts"] == (r["kind"] in ("military_assistance", "deployment"))   # Article 4's record spec


def test_immediately_is_only_a_user_threshold(law, evaluator):
    case = read_case_file(TL / "request-later.yaml", law)
    raw = _raw("request-later.yaml")
    deployed = next(r["date"] for r in raw["record"]["responses"] if r["kind"] == "deployment")
    delay = (deployed - _event_date(raw, "assistance_request", "collective")).days
    plain = _provision(evaluate_timeline(evaluator, case).data, "cst.art4")
    assert plain["divergence"] == [] and all(r["late"] is None for r in plain["duties"][0]["responses"])
    strict = _provision(evaluate_timeline(evaluator, case, immediately=delay - 1).data, "cst.art4")
    assert [d["kind"] for d in strict["divergence"]] == ["obligation_met_late"]
    lenient = _provision(evaluate_timeline(evaluator, case, immediately=delay).data, "cst.art4")
    assert lenient["divergence"] == []


def test_unmet_duty_says_from_when_and_for_how_long(law, evaluator, case_from):
    raw = _raw("request-later.yaml")
    raw["record"]["responses"] = [r for r in raw["record"]["responses"] if r["kind"] != "deployment"]
    t = evaluate_timeline(evaluator, case_from(raw))
    [div] = _provision(t.data, "cst.art4")["divergence"]
    request = _event_date(raw, "assistance_request", "collective")
    last = max(e["date"] for e in raw["events"])
    assert div["detail"].endswith(f"owed from {request}; none by {last} ({(last - request).days} days)")


SNAPSHOT_ONLY = [p for p in shipped_cases() if "events" not in yaml.safe_load(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", SNAPSHOT_ONLY, ids=lambda p: p.stem)
def test_a_snapshot_is_one_step_with_the_same_outcomes(law, evaluator, path):
    case = read_case_file(path, law)
    t = evaluate_timeline(evaluator, case)
    assert len(t.steps) == 1 and t.steps[0].date == case.date
    before = {p.provision.id: p.outcome for p in evaluator.evaluate(case).provisions}
    first = {p["id"]: p["changes"][0]["outcome"] for p in t.data["provisions"]}
    assert first == before
    for pid, exp in case.expected.items():          # the case file's own reading still holds
        assert first[pid] == exp.outcome


def test_plain_evaluate_reads_the_facts_as_of_the_case_date(law, evaluator):
    # request-later.yaml states no snapshot facts: the case date's events are its facts.
    case = read_case_file(TL / "request-later.yaml", law)
    got = {p.provision.id: p.outcome for p in evaluator.evaluate(case).provisions}
    assert got == {pid: e.outcome for pid, e in case.expected.items()}


def test_cli_timeline_text_and_json(cli):
    path = str(TL / "request-withdrawn.yaml")
    r = cli("evaluate", path, "--timeline")
    assert r.code == 0, r.err
    assert "duty: from 2023-03-03 until 2023-03-06" in r.out
    assert "--immediately DAYS" in r.out
    j = cli("evaluate", path, "--timeline", "-f", "json", "--explain")
    assert j.code == 0, j.err
    data = json.loads(j.out)["timelines"][0]
    changes = _provision(data, "cst.art4")["changes"]
    assert [c["outcome"] for c in changes] == ["undetermined", "triggered", "not_triggered"]
    assert all(c["explanation"]["outcome"] == c["outcome"] for c in changes)
    assert j.out == cli("evaluate", path, "--timeline", "-f", "json", "--explain").out


@pytest.mark.parametrize("args, message", [
    (["--immediately", "3"], "--immediately needs --timeline"),
    (["--timeline", "--immediately", "-1"], "not a number of days"),
    (["--timeline", "--at", "2023-01-01"], "--at does not combine with --timeline"),
])
def test_cli_timeline_bad_options(cli, args, message):
    r = cli("evaluate", str(TL / "request-later.yaml"), *args)
    assert r.code == 2 and message in r.err and "Traceback" not in r.err


def _broken(tmp_path, change) -> str:
    raw = _raw("request-later.yaml")
    change(raw)
    return str(write_case(tmp_path, raw))


@pytest.mark.parametrize("change, message", [
    (lambda r: r["events"][1]["facts"].update(assistance_requsted={"value": True, "source": "scenario"}),
     "unknown fact 'assistance_requsted'"),
    (lambda r: r["events"][1]["facts"].update(request_withdrawn={"value": "yes", "source": "scenario"}),
     "is true or false"),
    (lambda r: r["events"][1]["facts"].update(request_withdrawn={"value": True, "source": "nowhere"}),
     "source 'nowhere' is not defined"),
    (lambda r: r["events"][1].update(sources=["nowhere"]), "source 'nowhere' is not defined"),
    (lambda r: r["events"][1].update(date=dt.date(2023, 2, 1)), "comes before the event listed above it"),
    (lambda r: r["events"][0].update(time="25:00"), "HH:MM"),
    (lambda r: r["events"][1]["facts"].update(requesting_state_member={"value": True, "source": "scenario"}),
     "derived from the membership timeline"),
])
def test_bad_events_are_one_line_with_a_position(cli, tmp_path, change, message):
    r = cli("validate", _broken(tmp_path, change))
    assert r.code == 2, r.out
    assert message in r.err and "Traceback" not in r.err
    assert ":" in r.err.split("case.yaml", 1)[1][:4]        # file:line:col


def test_markdown_report_gives_the_timeline_as_text(cli, tmp_path):
    raw = _raw("request-withdrawn.yaml")
    made, withdrawn = _event_date(raw, "assistance_request", "collective"), _event_date(raw, "request_withdrawn", True)
    out = tmp_path / "r.md"
    r = cli("report", str(TL / "request-withdrawn.yaml"), "-o", str(out))
    assert r.code == 0, r.err
    text = out.read_text(encoding="utf-8")
    assert f"`cst.art4` duty from {made} until {withdrawn} ({(withdrawn - made).days} days)" in text
    assert "<svg" not in text


@pytest.mark.parametrize("args", [
    [str(TL / "request-later.yaml"), str(TL / "request-withdrawn.yaml"), "--immediately", "2", "--explain"],
    ["--all"],
])
def test_timeline_json_validates_against_its_schema(cli, args):
    import jsonschema
    from casus.engine.api import schema
    r = cli("evaluate", *args, "--timeline", "-f", "json")
    assert r.code == 0, r.err
    jsonschema.validate(json.loads(r.out), schema("timeline"), cls=jsonschema.Draft202012Validator)


SHIPPED_WITH_EVENTS = ["armenia-2021", "armenia-2022", "kazakhstan-2022", "kyrgyzstan-2010"]


@pytest.mark.parametrize("case_id", SHIPPED_WITH_EVENTS)
def test_shipped_events_agree_with_the_snapshot(law, evaluator, case_id):
    """Events up to the case date restate what the snapshot says (never another value), so the
    plain evaluation of the case date is the snapshot's, and the case file's own reading still
    holds. Events after the case date may state what changed later (a ceasefire)."""
    from casus.engine.files.paths import cases_dir
    case = read_case_file(cases_dir() / f"{case_id}.yaml", law)
    assert len(case.events) >= 2
    for event in case.events:
        if event.date > case.date:
            continue
        for name, entry in event.facts.items():
            assert name in case.facts, f"{case_id}: event fact {name} is not in the snapshot"
            assert entry.value == case.facts[name].value
    got = {p.provision.id: p.outcome for p in evaluator.evaluate(case).provisions}
    alone = case.model_copy(update={"events": []})
    assert got == {p.provision.id: p.outcome for p in evaluator.evaluate(alone).provisions}
    for pid, exp in case.expected.items():
        assert got[pid] == exp.outcome


def test_armenia_2022_help_owed_from_the_request_until_the_ceasefire_none_given(law, evaluator):
    from casus.engine.files.paths import cases_dir
    path = cases_dir() / "armenia-2022.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    [request] = [e for e in raw["events"] if e.get("begins") == "request"]
    [(k_end, ceasefire)] = [(i, e) for i, e in enumerate(raw["events"]) if request["answers"] in e.get("ends", [])]
    assert request["facts"]["assistance_request"]["value"] == "collective"
    assert not any(r["kind"] in ("military_assistance", "deployment") for r in raw["record"]["responses"])
    art4 = _provision(evaluate_timeline(evaluator, read_case_file(path, law)).data, "cst.art4")
    [duty] = art4["duties"]
    assert raw["expected"]["cst.art4"]["outcome"] == "triggered"        # the file's reading: for everyone
    assert (duty["perspective"], duty["from"], duty["until"], duty["ended_by_event"]) == (
        None, request["date"].isoformat(), ceasefire["date"].isoformat(), k_end)
    [div] = art4["divergence"]
    days = (ceasefire["date"] - request["date"]).days
    assert div["detail"].startswith(f"military_assistance or deployment owed from {request['date']} "
                                    f"until {ceasefire['date']} ({days} days; ended: ")
    assert div["detail"].endswith("none in that time")


def test_the_guide_shows_the_shipped_events_of_armenia_2022():
    from casus.engine.files.paths import cases_dir
    docs = DATA.parent.parent / "docs"
    section = (docs / "timelines.md").read_text(encoding="utf-8")
    block = section[section.index("```yaml\n") + 8:]
    block = yaml.safe_load(block[:block.index("```")])
    shipped = yaml.safe_load((cases_dir() / "armenia-2022.yaml").read_text(encoding="utf-8"))
    assert block["events"] == shipped["events"]
    assert "(timeline-armenia-2022.png)" in section
    png = docs / "timeline-armenia-2022.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size < 200_000


def test_an_old_fact_name_in_an_event_is_read_as_the_new_one(law, evaluator, case_from):
    raw = _raw("request-later.yaml")
    request = _event_date(raw, "assistance_request", "collective")
    for event in raw["events"]:
        if "assistance_request" in event.get("facts", {}):
            event["facts"]["assistance_requested"] = {"value": True, "source": "scenario"}   # the old name
            del event["facts"]["assistance_request"]
    t = evaluate_timeline(evaluator, case_from(raw))
    assert [d["from"] for d in _provision(t.data, "cst.art4")["duties"]] == [request.isoformat()]


def test_as_of_folds_the_facts_the_steps_give(law):
    """as_of (what every evaluation of a case with events runs) folds facts without building
    the steps; at every step date and the days around them it must give what folding
    `steps(case)` up to that day gives."""
    from casus.engine.law.events import as_of, facts_through, steps
    paths = list(shipped_cases()) + sorted(TL.glob("*.yaml"))      # some state no snapshot facts
    with_events = [c for c in (read_case_file(p, law) for p in paths) if c.events]
    assert any(c.facts for c in with_events) and any(not c.facts for c in with_events)
    for case in with_events:
        timeline = steps(case)
        days = {s.date + dt.timedelta(days=k) for s in timeline for k in (-1, 0, 1)}
        for day in sorted(days):
            last = max((i for i, s in enumerate(timeline) if s.date <= day), default=-1)
            assert as_of(case, day).facts == facts_through(timeline, last), (case.id, day)


def _snapshot_step(data: dict) -> dict:
    return next(s for s in data["steps"] if s["event"] is None)


@pytest.mark.parametrize("case_id", ["armenia-2022", "armenia-2024"])
def test_an_established_fact_is_shown_as_established_with_its_sources(cli, case_id):
    """A fact independent sources establish holds for everyone (README, "Contested or
    established"): the timeline's step must say so, name those sources, and keep the parties'
    claims beside it, never present it as contested."""
    from casus.engine.files.paths import cases_dir
    raw = yaml.safe_load((cases_dir() / f"{case_id}.yaml").read_text(encoding="utf-8"))
    established = {n: f for n, f in raw["facts"].items() if "established_by" in f}
    assert established                                    # the file's own premise
    r = cli("evaluate", case_id, "--timeline", "-f", "json")
    assert r.code == 0, r.err
    step = _snapshot_step(json.loads(r.out)["timelines"][0])
    for name, f in established.items():
        want = {"value": f["value"], "established_by": f["established_by"]}
        if "claims" in f:
            want["claims"] = {p: c["value"] for p, c in sorted(f["claims"].items())}
        assert step["facts"][name] == want
        assert set(f["established_by"]) <= set(step["sources"])
    text = " ".join(cli("evaluate", case_id, "--timeline").out.split())
    for name, f in established.items():
        assert f"{name} = contested" not in text
        value = str(f["value"]).lower() if isinstance(f["value"], bool) else f["value"]
        assert f"{name} = {value} (established by {', '.join(f['established_by'])}" in text
