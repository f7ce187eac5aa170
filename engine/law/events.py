"""Dated events in a case: checking them and folding them into the facts as they stand on a day.

Plain data, no evaluation. A case's snapshot `facts` count as one event on the case date
(placed after the other events of that day: the facts as known at its end); each event restates the facts it names from
its date on, so the facts on a day are every step up to it, later steps winning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from . import models as m
from .errors import did_you_mean

if TYPE_CHECKING:                                  # loader imports this module lazily
    from .loader import Law, Located


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


class _Prefixed:
    """A Located that reports paths under one event (so event facts are checked like facts)."""

    def __init__(self, where: Located, prefix: tuple[Any, ...]):
        self.where, self.prefix = where, prefix

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        # Raises, or (when every problem is being collected) records and returns.
        if path and path[0] == "facts":
            message = f"events[{self.prefix[1]}]: {message}"
        self.where.fail(self.prefix + tuple(path), message, hint)


def check_events(case: m.Case, law: Law, where: Located,
                 check_case: Callable[[m.Case, Law, Located], None]) -> None:
    """Event facts are checked exactly as snapshot facts are (names, values, sources), and
    events must be in date order and after the treaty was signed. The loader passes its
    `check_case` (this module does not import the loader: no import cycle)."""
    previous: tuple[dt.date, str] | None = None
    began: dict[str, str | None] = {}        # ids of the events above, and what each began
    for i, event in enumerate(case.events):
        # An event without a time is ordered by where it is listed among that day's events; one
        # with a time must not come before a timed event of the same day listed above it.
        key = (event.date, event.time or (previous[1] if previous and previous[0] == event.date else ""))
        if event.date < law.timeline.treaty_signed:
            where.fail(("events", i, "date"), f"event date {event.date} is before the Collective Security "
                                              f"Treaty was signed ({law.timeline.treaty_signed})")
        if previous is not None and key < previous:
            where.fail(("events", i, "date"),
                       f"events[{i}] ({event.date}{' ' + event.time if event.time else ''}) comes before the "
                       f"event listed above it ({previous[0]}{' ' + previous[1] if previous[1] else ''})",
                       "list events in date order (an event's time, if given, orders events of one day)")
        previous = key
        _check_links(case, i, event, began, where)
        if event.id is not None:
            began[event.id] = event.begins
        for j, source in enumerate(event.sources):
            if source not in case.sources:
                where.fail(("events", i, "sources", j), f"events[{i}]: source '{source}' is not defined under 'sources'",
                           did_you_mean(source, case.sources))
        if event.facts:
            alone = case.model_copy(update={"facts": event.facts, "events": [], "record": None,
                                            "expected": {}, "expected_variants": {}})
            check_case(alone, law, _Prefixed(where, ("events", i)))  # type: ignore[arg-type]
            event.facts = alone.facts        # old fact names, as checking read them (see _map_deprecated)


def _check_links(case: m.Case, i: int, event: m.Event, began: dict[str, str | None], where: Located) -> None:
    """An event's id is new; `answers` names an attack event above it (on a request event);
    `ends` names attack or request events above it."""
    if event.id is not None and event.id in began:
        where.fail(("events", i, "id"), f"events[{i}]: id '{event.id}' is already used by an event above",
                   "give every event its own id")
    attacks = [k for k, v in began.items() if v == "attack"]
    if event.answers is not None:
        if event.begins != "request":
            where.fail(("events", i, "answers"), f"events[{i}]: 'answers' is for an event that begins a request",
                       "add 'begins: request', or remove 'answers'")
        elif began.get(event.answers, "") != "attack":
            where.fail(("events", i, "answers"),
                       f"events[{i}]: answers '{event.answers}', which is not an attack event listed above",
                       did_you_mean(event.answers, attacks) or "name the id of an event above with 'begins: attack'")
    for j, target in enumerate(event.ends):
        if began.get(target) not in ("attack", "request"):
            ended = [k for k, v in began.items() if v in ("attack", "request")]
            where.fail(("events", i, "ends", j),
                       f"events[{i}]: ends '{target}', which is not an attack or request event listed above",
                       did_you_mean(target, ended) or "name the id of an event above with 'begins: attack' or 'begins: request'")
