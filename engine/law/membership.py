"""Membership at a date, and the derived facts computed from it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from collections.abc import Mapping

from ..files import models as m
from .states import state_name

def status(timeline: m.Timeline, state: str, day: dt.date, perspective: str | None = None) -> str | None:
    """'member', 'frozen', 'suspended', 'limited', 'transition', 'withdrawn' or 'not_member' on
    `day`; None (unknown) after an event whose effect the parties dispute, unless `perspective`
    is one of them (then its own view: the event took effect or it did not)."""
    record = timeline.states.get(state)
    current: str | None = "not_member"
    if record is None:
        return current
    for event in record.events:
        if event.date > day:
            break
        if event.disputed:
            claim = event.disputed.get(perspective) if perspective is not None else None
            if claim is None:
                current = None
                continue
            if not claim.holds:
                continue
        current = _STATUS_AFTER[event.event]
    return current


_STATUS_AFTER = {"joined": "member", "restored": "member", "withdrawn": "withdrawn",
                 "suspended": "suspended", "frozen": "frozen", "limited": "limited",
                 "transition": "transition"}


def event_claimants(timeline: m.Timeline, states: list[str | None]) -> list[str]:
    """The parties that dispute a membership event of these states (each is a perspective)."""
    out: set[str] = set()
    for state in states:
        record = timeline.states.get(state) if state else None
        for event in (record.events if record else []):
            out.update(event.disputed or {})
    return sorted(out)


def describe(timeline: m.Timeline, state: str, day: dt.date) -> dict[str, Any]:
    """Why a state has its status on `day`: the last membership event and its source."""
    record = timeline.states.get(state)
    name = state_name(state, timeline)
    last = None
    for event in (record.events if record else []):
        if event.date > day:
            break
        last = event
    st = status(timeline, state, day)
    counts = st in timeline.counts_as_member
    takes_part = st in timeline.participating
    if st is None:
        what = "of disputed membership"
    elif counts and not takes_part:
        what = "a party not taking part in the Council's decisions and consultations"
    else:
        what = "a member" if counts else "not a member"
    treaty = "" if timeline.treaty == m.Timeline.model_fields["treaty"].default else f" of the {timeline.treaty}"
    text = f"{state} ({name}) is {what}{treaty} on {day}: status {st or 'unknown'}"
    out: dict[str, Any] = {"state": state, "status": st, "member": counts, "participating": takes_part}
    if last is not None:
        by = f" (by {', '.join(last.by)} only)" if last.by else ""
        text += f" since {last.date} ({last.event}{by}{': ' + last.note if last.note else ''})"
        out["source"] = timeline.sources[last.source].cite
    out["text"] = text
    return out


def derived_facts(vocab: m.Vocabulary, timeline: m.Timeline, parties: Mapping[str, str | None],
                  day: dt.date, perspective: str | None = None) -> dict[str, bool]:
    """Derived facts for a case at `day`; a fact whose party is not named takes its
    `if_absent` value, or stays unknown (as does one whose membership the parties dispute,
    except in a disputing party's own `perspective`)."""
    out: dict[str, bool] = {}
    statuses: dict[str, str | None] = {}      # a party's status, walked once per call (several facts read it)
    for name, roles, from_, if_absent in vocab.derived_specs:
        found = [parties.get(role) for role in roles]
        if None in found:
            if if_absent is not None:
                out[name] = if_absent
            continue
        first = found[0]
        assert first is not None
        if from_ == "same_state":
            out[name] = first == found[1]
            continue
        if first in statuses:
            st = statuses[first]
        else:
            st = statuses[first] = status(timeline, first, day, perspective)
        if st is None:
            continue
        if from_ == "member":
            out[name] = st in timeline.counts_as_member
        elif from_ == "participating":
            out[name] = st in timeline.participating
    return out


class TreatyFacts(dict[str, Any]):
    """A scenario's facts with the derived facts of the law's default timeline (a plain mapping,
    as every caller reads it), and those of each other treaty's timeline on demand: a provision
    reads the membership of its own treaty (`for_provision`)."""

    def __init__(self, facts: Mapping[str, Any], law: Any, parties: Mapping[str, str | None], day: dt.date):
        super().__init__(facts)
        self._law, self._parties, self._day = law, parties, day
        self._by_timeline: dict[int, dict[str, Any]] = {}

    def for_provision(self, pid: str) -> Mapping[str, Any]:
        law = self._law
        timeline = law.timeline_for(pid)
        if timeline is law.timeline:
            return self
        found = self._by_timeline.get(id(timeline))
        if found is None:
            default = derived_facts(law.vocabulary, law.timeline, self._parties, self._day)
            found = {k: v for k, v in self.items() if k not in default}
            found.update(derived_facts(law.vocabulary, timeline, self._parties, self._day))
            self._by_timeline[id(timeline)] = found
        return found


def facts_for(facts: Mapping[str, Any], pid: str) -> Mapping[str, Any]:
    """The facts provision `pid` reads: its own treaty's derived facts where `facts` holds them."""
    pick = getattr(facts, "for_provision", None)
    return facts if pick is None else pick(pid)
