"""Dated events in a case: folding them into the facts as they stand on a day (checking them
is part of checking a case: law/cases.py).

Plain data, no evaluation. A case's snapshot `facts` count as one event on the case date
(placed after the other events of that day: the facts as known at its end); each event restates the facts it names from
its date on, so the facts on a day are every step up to it, later steps winning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Mapping

from ..files import models as m


@dataclass(frozen=True)
class Step:
    """One point of a case's timeline: the snapshot (index None) or an event (its index).

    `drops`: the facts that stop holding at this step before its own facts apply (a new attack
    begins: the previous attack's facts and the requests made for it); `facts` includes what an
    event's `ends` states (hostilities_ceased, request_withdrawn) unless it states that itself."""
    date: dt.date
    time: str | None
    index: int | None
    summary: str
    sources: tuple[str, ...]
    facts: dict[str, m.FactEntry]
    id: str | None = None
    begins: str | None = None
    ends: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.date.isoformat() + (f" {self.time}" if self.time else "")


# What ending an earlier event states: an attack's hostilities ceased; a request was withdrawn.
ENDS_STATE = {"attack": "hostilities_ceased", "request": "request_withdrawn"}


def bound_facts(vocab: m.Vocabulary | None) -> dict[str, str]:
    """fact -> 'attack' | 'request', as the vocabulary binds them (none without a vocabulary)."""
    return {} if vocab is None else {n: d.bound_to for n, d in vocab.facts.items() if d.bound_to}


def _order(case: m.Case) -> list[int | None]:
    """The timeline's order: event indexes, and None for the snapshot (after the case date's
    events: the facts as they stand at the end of that day). No events: the snapshot alone."""
    events = list(range(len(case.events)))
    if not events:
        return [None]
    if not case.facts:
        return list(events)
    before = [i for i in events if case.events[i].date <= case.date]
    return before + [None] + [i for i in events if case.events[i].date > case.date]


def _bind(case: m.Case, order: list[int | None], bound: Mapping[str, str]
          ) -> list[tuple[tuple[str, ...], dict[str, m.FactEntry]]]:
    """For each step in `order`: (facts that stop holding there, facts it states).

    A request answers one attack (the event's `answers`, else the attack current when it is
    made); when a new attack begins, the facts bound to the previous attack stop holding, and
    so do requests made for another attack. Ending an attack states hostilities_ceased, ending
    a request states request_withdrawn (each with the ending event's first source)."""
    kinds: dict[str, str] = {}            # event id -> what it began
    attack: str | None = None             # the current attack (its event id, or '#index')
    answered: str | None = None           # the attack the standing request answers
    out: list[tuple[tuple[str, ...], dict[str, m.FactEntry]]] = []
    for i in order:
        event = case.events[i] if i is not None else None
        stated = dict(case.facts if event is None else event.facts)
        drops: list[str] = []
        if event is not None and event.begins == "attack":
            attack = event.id or f"#{i}"
            drops = [n for n, b in bound.items() if b == "attack"]
            if answered is not None and answered != attack:
                drops += [n for n, b in bound.items() if b == "request"]
                answered = None
        if event is not None:
            for target in event.ends:
                state = ENDS_STATE.get(kinds.get(target, ""))
                if state is None or state in stated:
                    continue
                if state == "hostilities_ceased" and target != attack:
                    continue                       # an earlier attack: the current one goes on
                stated[state] = m.FactEntry(value=True, source=event.sources[0],
                                            note=f"ended by this event: {' '.join(event.summary.split())}")
            if event.id is not None and event.begins is not None:
                kinds[event.id] = event.begins
        requests = [n for n in stated if bound.get(n) == "request"]
        if requests:
            answers = (event.answers if event is not None and event.answers else None) or attack
            if answers != attack:                  # made for another attack: not for this one
                for n in requests:
                    del stated[n]
            elif attack is not None:
                answered = attack
        out.append((tuple(sorted(drops)), stated))
    return out


def steps(case: m.Case, vocab: m.Vocabulary | None = None) -> list[Step]:
    """The case's timeline in order. A case without events is its snapshot alone."""
    order = _order(case)
    bound = _bind(case, order, bound_facts(vocab))
    out = []
    for i, (drops, stated) in zip(order, bound):
        if i is None:
            out.append(Step(case.date, None, None, "the case's snapshot facts",
                            tuple(sorted({s for f in case.facts.values() for s in _sources(f)})), stated,
                            drops=drops))
            continue
        e = case.events[i]
        out.append(Step(e.date, e.time, i, " ".join(e.summary.split()), tuple(e.sources), stated,
                        id=e.id, begins=e.begins, ends=tuple(e.ends), drops=drops))
    return out


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
        for name in step.drops:
            facts.pop(name, None)
        facts.update(step.facts)
    return facts


def case_through(case: m.Case, timeline: list[Step], upto: int) -> m.Case:
    """The case with the facts as they stand after step `upto` (and no events left to fold)."""
    return case.model_copy(update={"facts": facts_through(timeline, upto), "events": []})


def as_of(case: m.Case, day: dt.date, vocab: m.Vocabulary | None = None) -> m.Case:
    """The case with the facts as they stand at the end of `day`: the facts of `steps(case)`
    folded up to the last step dated `day` or before (every evaluation of a case with events
    does this, so without building the steps' summaries and sources)."""
    order = _order(case)
    bound = _bind(case, order, bound_facts(vocab))
    dates = [case.date if i is None else case.events[i].date for i in order]
    last = max((k for k, date in enumerate(dates) if date <= day), default=-1)
    facts: dict[str, m.FactEntry] = {}
    for drops, stated in bound[:last + 1]:
        for name in drops:
            facts.pop(name, None)
        facts.update(stated)
    return case.model_copy(update={"facts": facts, "events": []})
