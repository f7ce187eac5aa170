"""Membership at a date, and the derived facts computed from it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from collections.abc import Mapping

from ..files import models as m
from .states import state_name

def status(timeline: m.Timeline, state: str, day: dt.date) -> str:
    """'member', 'frozen', 'suspended', 'withdrawn' or 'not_member' on `day`."""
    record = timeline.states.get(state)
    current = "not_member"
    if record is None:
        return current
    for event in record.events:
        if event.date > day:
            break
        current = _STATUS_AFTER[event.event]
    return current


_STATUS_AFTER = {"joined": "member", "restored": "member", "withdrawn": "withdrawn",
                 "suspended": "suspended", "frozen": "frozen"}


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
    if counts and not takes_part:
        what = "a party not taking part in the Council's decisions and consultations"
    else:
        what = "a member" if counts else "not a member"
    text = f"{state} ({name}) is {what} on {day}: status {st}"
    out: dict[str, Any] = {"state": state, "status": st, "member": counts, "participating": takes_part}
    if last is not None:
        text += f" since {last.date} ({last.event}{': ' + last.note if last.note else ''})"
        out["source"] = timeline.sources[last.source].cite
    out["text"] = text
    return out


def derived_facts(vocab: m.Vocabulary, timeline: m.Timeline, parties: Mapping[str, str | None],
                  day: dt.date) -> dict[str, bool]:
    """Derived facts for a case at `day`; a fact whose party is not named takes its
    `if_absent` value, or stays unknown."""
    out: dict[str, bool] = {}
    statuses: dict[str, str] = {}      # a party's status, walked once per call (several facts read it)
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
        st = statuses.get(first)
        if st is None:
            st = statuses[first] = status(timeline, first, day)
        if from_ == "member":
            out[name] = st in timeline.counts_as_member
        elif from_ == "participating":
            out[name] = st in timeline.participating
    return out
