"""A case as it unfolds: the law in force at each step applied to the facts as they stand then.

For each provision: the steps where its outcome changed; for each obligation, the duties
(from the step it arose to the step it ended, or still open) and each recorded response
with its delay in days; divergences with dates. The Treaty does not define "immediately",
so delays are reported, and flagged as late only against a threshold the caller gives.

Returns plain data (the CLI renders it as text or JSON, the report draws it); prints nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..evaluate.evaluator import CaseResult, Evaluator, ProvisionResult
from ..evaluate.verdict import Verdict
from ..files import models as m
from ..law.events import Step, case_through, steps
from ..law.facts import case_view
from ..logic.ir import AtomKind
from ..outcome import DivergenceKind, Outcome

View = str | None            # None: the facts every party agrees on; else a perspective


@dataclass
class CaseTimeline:
    case: m.Case
    steps: list[Step]
    results: list[CaseResult]                 # one per step
    data: dict[str, Any] = field(default_factory=dict)  # the JSON contract of `evaluate --timeline`


def _fact_json(entry: m.FactEntry) -> Any:
    """A step's fact: its value; {claims} when contested; {value, established_by, claims}
    when independent sources establish it beside the parties' claims (it holds for everyone,
    so it must not read as contested)."""
    if not entry.claims:
        return entry.value
    claims = {p: c.value for p, c in sorted(entry.claims.items())}
    if entry.established_by:
        return {"value": entry.value, "established_by": list(entry.established_by), "claims": claims}
    return {"claims": claims}


def _step_dict(k: int, step: Step) -> dict[str, Any]:
    facts = {name: _fact_json(entry) for name, entry in sorted(step.facts.items())}
    return {"step": k, "event": step.index, "id": step.id, "begins": step.begins, "ends": list(step.ends),
            "date": step.date.isoformat(), "time": step.time,
            "summary": step.summary, "sources": list(step.sources), "facts": facts}


def _view_outcome(pr: ProvisionResult, view: View) -> Outcome:
    """The outcome a view sees: perspectives only differ from the agreed facts where contested."""
    if view is not None and pr.outcome == Outcome.CONTESTED and view in pr.perspectives:
        return pr.perspectives[view].outcome
    return pr.outcome


def _views(prs: list[ProvisionResult]) -> list[View]:
    contested = sorted({p for pr in prs if pr.outcome == Outcome.CONTESTED for p in pr.perspectives})
    return [None, *contested]


def _intervals(outcomes: list[Outcome], want: Outcome = Outcome.TRIGGERED) -> list[tuple[int, int | None]]:
    """(first step, step it ended or None) for each run of `want`."""
    runs: list[tuple[int, int | None]] = []
    start: int | None = None
    for k, o in enumerate(outcomes):
        if o == want and start is None:
            start = k
        elif o != want and start is not None:
            runs.append((start, k))
            start = None
    if start is not None:
        runs.append((start, None))
    return runs


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def _response_entry(i: int, r: m.Response, start: dt.date, counts: bool, immediately: int | None) -> dict[str, Any]:
    delay = _days(start, r.date) if r.date else None
    late = (delay > immediately) if (counts and delay is not None and immediately is not None and delay >= 0) else None
    return {"response": i, "kind": r.kind, "date": r.date.isoformat() if r.date else None,
            "summary": " ".join(r.summary.split()), "source": r.source, "decided_by": r.decided_by,
            "delay_days": delay, "counts": counts, "late": late}


def _owed(spec: m.RecordSpec) -> str:
    return " or ".join(spec.acted_if)


def _chain_facts(verdict: Verdict) -> list[tuple[str, Any]]:
    """The input facts the verdict's deciding rules rest on, through the conclusions they
    matched (as the engine chained them), each once, sorted by name."""
    found: dict[str, Any] = {}
    todo = list(verdict.deciding_firings())
    seen: set[tuple[str, str, bool]] = set()
    while todo:
        firing = todo.pop()
        key = (firing.rule, firing.derives.name, firing.value)
        if key in seen:
            continue
        seen.add(key)
        for atom, value in firing.matched:
            if atom.kind is AtomKind.FACT:
                found.setdefault(atom.name, value)
        todo.extend(verdict.behind(firing))
    return sorted(found.items())


def continues_because(evaluator: Evaluator, case: m.Case, timeline: list[Step], pr: ProvisionResult,
                      view: View) -> list[dict[str, Any]]:
    """Why a duty still runs at the last step: each fact its deciding rules rest on there, with
    the step that set it (an event, or the snapshot) and what says so (a source and its quote, a
    presumption and its basis, or the membership record)."""
    verdict = pr.perspectives.get(view) if view is not None and view in pr.perspectives else pr.verdict
    if verdict is None:
        return []
    last = len(timeline) - 1
    final = case_through(case, timeline, last)
    law = evaluator.law
    view_facts = case_view(final, law.vocabulary, law.timeline, timeline[last].date, view)
    out = []
    for name, value in _chain_facts(verdict):
        since: Step | None = None
        for k in range(last, -1, -1):
            if name in timeline[k].facts:
                since = timeline[k]
                break
            if name in timeline[k].drops:
                break
        entry: dict[str, Any] = {"fact": name, "value": value,
                                 "since": since.date.isoformat() if since else None,
                                 "step": timeline.index(since) if since else None,
                                 "event": since.index if since else None}
        prov = view_facts.provenance.get(name)
        if prov is not None:
            entry.update(prov.to_json())
        out.append(entry)
    return out


def _duty(spec: m.RecordSpec, view: View, run: tuple[int, int | None], timeline: list[Step],
          record: m.Record | None, horizon: dt.date, immediately: int | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    start_k, end_k = run
    start = timeline[start_k]
    end = timeline[end_k] if end_k is not None else None
    until = end.date if end else horizon
    responses: list[dict[str, Any]] = []
    duty: dict[str, Any] = {"perspective": view, "from": start.date.isoformat(), "from_time": start.time, "from_step": start_k,
            "until": end.date.isoformat() if end else None, "until_step": end_k,
            "ended_by": end.summary if end else None, "ended_by_event": end.index if end else None,
            "days": _days(start.date, until), "responses": responses}
    divergences: list[dict[str, Any]] = []
    meeting = []
    for i, r in enumerate(record.responses if record else []):
        counts = r.kind in spec.acted_if
        entry = _response_entry(i, r, start.date, counts, immediately)
        responses.append(entry)
        in_span = r.date is None or (start.date <= r.date and (end is None or r.date <= end.date))
        if counts and in_span:
            meeting.append(entry)
    owed = f"{_owed(spec)} owed from {start.date}"
    if not meeting:
        if end is None:
            detail = f"{owed}; none by {until} ({duty['days']} days)"
        else:
            detail = f"{owed} until {until} ({duty['days']} days; ended: {end.summary}); none in that time"
        divergences.append({"perspective": view, "kind": DivergenceKind.OBLIGATION_UNMET.value, "detail": detail,
                            "from": start.date.isoformat(), "until": until.isoformat(), "days": duty["days"]})
    elif immediately is not None:
        dated = [e for e in meeting if e["delay_days"] is not None]
        first = min(dated, key=lambda e: e["delay_days"]) if dated else None
        if first is not None and first["late"]:
            divergences.append({
                "perspective": view, "kind": DivergenceKind.OBLIGATION_MET_LATE.value,
                "detail": (f"{owed}; first {first['kind']} on {first['date']}, after {first['delay_days']} days "
                           f"(more than the {immediately} days given as 'immediately')"),
                "from": start.date.isoformat(), "until": first["date"], "days": first["delay_days"]})
    return duty, divergences


def _acted_without(spec: m.RecordSpec, view: View, outcomes: list[Outcome], timeline: list[Step],
                   record: m.Record) -> list[dict[str, Any]]:
    """Responses the provision counts, made while (in this view) the law gave no obligation or basis."""
    found = []
    for r in record.responses:
        if r.kind not in spec.acted_if or r.date is None:
            continue
        k = max((j for j, s in enumerate(timeline) if s.date <= r.date), default=None)
        if k is None or outcomes[k] not in (Outcome.NOT_TRIGGERED, Outcome.NOT_APPLICABLE):
            continue
        since = k
        while since > 0 and outcomes[since - 1] == outcomes[k]:
            since -= 1
        kind = (DivergenceKind.ACTED_WITHOUT_OBLIGATION if spec.kind == "obligation"
                else DivergenceKind.ACTED_WITHOUT_BASIS)
        found.append({"perspective": view, "kind": kind.value,
                      "detail": f"{r.kind} on {r.date} while the law's outcome was {outcomes[k]} "
                                f"(since {timeline[since].date})",
                      "from": timeline[since].date.isoformat(), "until": r.date.isoformat(), "days": None})
    return found


def evaluate_timeline(evaluator: Evaluator, case: m.Case, *, perspective: str | None = None,
                      immediately: int | None = None) -> CaseTimeline:
    """Evaluate every step of the case with the law of its date (`immediately`: days, or None)."""
    if immediately is not None and immediately < 0:
        from ..files.errors import InputError
        raise InputError(f"--immediately: {immediately} is not a number of days (0 or more)")
    timeline = steps(case, evaluator.law.vocabulary)
    results = [evaluator.evaluate(case_through(case, timeline, k), at=s.date, perspective=perspective)
               for k, s in enumerate(timeline)]
    record = case.record
    dated = [r.date for r in (record.responses if record else []) if r.date]
    horizon = max([timeline[-1].date, *dated])
    provisions = []
    for j, first in enumerate(results[0].provisions):
        prov = first.provision
        spec = prov.record
        series = [res.provisions[j] for res in results]
        changes = []
        for k, pr in enumerate(series):
            persp = {p: v.outcome for p, v in sorted(pr.perspectives.items())} if pr.outcome == Outcome.CONTESTED else {}
            prev = series[k - 1] if k else None
            prev_persp = ({p: v.outcome for p, v in sorted(prev.perspectives.items())}
                          if prev is not None and prev.outcome == Outcome.CONTESTED else {})
            if prev is None or (pr.outcome, persp) != (prev.outcome, prev_persp):
                changes.append({"step": k, "date": timeline[k].date.isoformat(), "time": timeline[k].time,
                                "before": prev.outcome.value if prev else None, "outcome": pr.outcome.value,
                                "perspectives": {p: o.value for p, o in persp.items()}, "version": pr.version.id if pr.version else None})
        duties: list[dict[str, Any]] = []
        divergences: list[dict[str, Any]] = []
        seen_runs: set[tuple[int, int | None]] = set()
        for view in _views(series):
            outcomes = [_view_outcome(pr, view) for pr in series]
            if spec is None:
                continue
            if spec.kind == "obligation":
                for run in _intervals(outcomes):
                    if run in seen_runs:              # a perspective that agrees adds nothing
                        continue
                    seen_runs.add(run)
                    duty, div = _duty(spec, view, run, timeline, record, horizon, immediately)
                    if run[1] is None:
                        duty["continues_because"] = continues_because(evaluator, case, timeline, series[-1], view)
                    duties.append(duty)
                    divergences.extend(div)
            if record is not None:
                for d in _acted_without(spec, view, outcomes, timeline, record):
                    if not any((d["kind"], d["detail"]) == (e["kind"], e["detail"]) for e in divergences):
                        divergences.append(d)
        provisions.append({"id": prov.id, "title": prov.title,
                           "kind": spec.kind if spec else None, "acted_if": list(spec.acted_if) if spec else [],
                           "changes": changes, "duties": duties, "divergence": divergences})
    data = {"case": case.id, "title": case.title, "variant": evaluator.law.variant, "perspective": perspective,
            "immediately": immediately, "horizon": horizon.isoformat(),
            "steps": [_step_dict(k, s) for k, s in enumerate(timeline)],
            "responses": [{"response": i, "kind": r.kind, "date": r.date.isoformat() if r.date else None,
                           "summary": " ".join(r.summary.split()), "source": r.source, "decided_by": r.decided_by}
                          for i, r in enumerate(record.responses if record else [])],
            "provisions": provisions}
    return CaseTimeline(case, timeline, results, data)
