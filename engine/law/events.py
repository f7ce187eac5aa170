"""Dated events in a case: folding them into the facts as they stand on a day (checking them
is part of checking a case: law/cases.py).

Plain data, no evaluation. A case's snapshot `facts` count as one event on the case date
(placed after the other events of that day: the facts as known at its end); each event restates the facts it names from
its date on, so the facts on a day are every step up to it, later steps winning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..files import models as m


@dataclass(frozen=True)
class Step:
    """One point of a case's timeline: the snapshot (index None) or an event (its index)."""
    date: dt.date
    time: str | None
    index: int | None
    summary: str
    sources: tuple[str, ...]
    facts: dict[str, m.FactEntry]

    @property
    def label(self) -> str:
        return self.date.isoformat() + (f" {self.time}" if self.time else "")


def steps(case: m.Case) -> list[Step]:
    """The case's timeline in order. A case without events is its snapshot alone."""
    events = [Step(e.date, e.time, i, " ".join(e.summary.split()), tuple(e.sources), dict(e.facts))
              for i, e in enumerate(case.events)]
    snapshot = Step(case.date, None, None, "the case's snapshot facts",
                    tuple(sorted({s for f in case.facts.values() for s in _sources(f)})), dict(case.facts))
    if not events:
        return [snapshot]
    if not case.facts:
        return events
    # The snapshot is the facts as they stand at the end of the case date: after that day's events.
    before = [s for s in events if s.date <= case.date]
    return before + [snapshot] + [s for s in events if s.date > case.date]


def _sources(entry: m.FactEntry) -> list[str]:
    # An established fact's own sources count as much as the claims beside it.
    out = [entry.source] if entry.source else []
    out += entry.established_by or []
    out += [c.source for c in (entry.claims or {}).values()]
    return out


def facts_through(timeline: list[Step], upto: int) -> dict[str, m.FactEntry]:
    """The facts as they stand after step `upto` (inclusive)."""
    facts: dict[str, m.FactEntry] = {}
    for step in timeline[:upto + 1]:
        facts.update(step.facts)
    return facts


def case_through(case: m.Case, timeline: list[Step], upto: int) -> m.Case:
    """The case with the facts as they stand after step `upto` (and no events left to fold)."""
    return case.model_copy(update={"facts": facts_through(timeline, upto), "events": []})


def as_of(case: m.Case, day: dt.date) -> m.Case:
    """The case with the facts as they stand at the end of `day`: the facts of `steps(case)`
    folded up to the last step dated `day` or before (every evaluation of a case with events
    does this, so without building the steps' summaries and sources)."""
    events = [(e.date, e.facts) for e in case.events]
    snapshot = (case.date, case.facts)
    if not events:
        timeline = [snapshot]
    elif not case.facts:
        timeline = events
    else:
        timeline = ([x for x in events if x[0] <= case.date] + [snapshot] +
                    [x for x in events if x[0] > case.date])
    last = max((i for i, (date, _) in enumerate(timeline) if date <= day), default=-1)
    facts: dict[str, m.FactEntry] = {}
    for _, step_facts in timeline[:last + 1]:
        facts.update(step_facts)
    return case.model_copy(update={"facts": facts, "events": []})
