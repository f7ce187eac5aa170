"""members.yaml: the membership timeline of the treaty's states."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from .shared import STATE_CODE, Day, Source, Strict


class MembershipEvent(Strict):
    event: Literal["joined", "withdrawn", "suspended", "restored", "frozen"]
    date: Day                      # when it took effect in law (entry into force, not signature)
    source: str
    quote: str | None = Field(default=None, description="The words of the cited source that give the date "
                              "(or, where none gives it, what it does say; the note says why this date).")
    signed: Day | None = None      # the signature or announcement, where it differs
    note: str | None = None


class StateRecord(Strict):
    # Optional: names come from ISO 3166-1 (pycountry); a name here overrides it with the
    # short form the sources use (e.g. Russia for the Russian Federation).
    name: str | None = None
    events: list[MembershipEvent] = Field(default_factory=list)

    @field_validator("events")
    @classmethod
    def _ordered(cls, events: list[MembershipEvent]) -> list[MembershipEvent]:
        dates = [e.date for e in events]
        if dates != sorted(dates):
            raise ValueError("membership events must be in date order")
        return events


MEMBERSHIP_STATUSES = ("member", "frozen", "suspended", "withdrawn", "not_member")


class Timeline(Strict):
    treaty_signed: Day
    treaty_in_force: Day
    # Which statuses make a state a party to the Treaty (the derived `*_member` facts). Leaving
    # the Treaty takes an Article 11 notice (or the end of its term); a suspension of
    # participation or a declared freeze does not end it. A variant may say otherwise.
    counts_as_member: list[Literal[MEMBERSHIP_STATUSES]] = ["member", "frozen", "suspended"]  # type: ignore[valid-type]
    # Which statuses take part in the Council's decisions and consultations (the derived
    # `*_participating` facts): a suspended party does not.
    participating: list[Literal[MEMBERSHIP_STATUSES]] = ["member", "frozen"]  # type: ignore[valid-type]
    sources: dict[str, Source]
    states: dict[Annotated[str, Field(pattern=STATE_CODE)], StateRecord]
