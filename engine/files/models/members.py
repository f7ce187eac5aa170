"""members.yaml: the membership timeline of the treaty's states."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from .shared import STATE_CODE, Bool, Claimant, Day, Source, Strict


class EventClaim(Strict):
    """One party's view of a disputed membership event: whether it took effect."""
    holds: Bool
    source: str
    note: str | None = None


class MembershipEvent(Strict):
    # limited: a party that takes part in some bodies only (France outside NATO's integrated
    # command, 1966-2009: participation, not party status); transition: no longer a member but
    # treated as one for a transition period by an agreement (the UK in 2020).
    event: Literal["joined", "withdrawn", "suspended", "restored", "frozen", "limited", "transition"]
    date: Day                      # when it took effect in law (entry into force, not signature)
    source: str
    quote: str | None = Field(default=None, description="The words of the cited source that give the date "
                              "(or, where none gives it, what it does say; the note says why this date).")
    signed: Day | None = None      # the signature or announcement, where it differs
    note: str | None = None
    # A suspension of obligations by these parties only (ANZUS 1986: the US towards New Zealand).
    by: list[Annotated[str, Field(pattern=STATE_CODE)]] | None = Field(default=None, min_length=1)
    # Parties disagree on whether the event took effect (claimant -> its view).
    disputed: dict[Claimant, EventClaim] | None = Field(default=None, min_length=2)


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


MEMBERSHIP_STATUSES = ("member", "frozen", "suspended", "limited", "transition", "withdrawn", "not_member")


class Timeline(Strict):
    # The treaty's name, for messages (the Collective Security Treaty when not given).
    treaty: str = "Collective Security Treaty"
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
