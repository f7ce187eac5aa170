"""A case file: parties, sourced facts (or competing claims), dated events, the record and the
expected outcomes."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, model_validator

from .shared import ID, NON_STATE_ID, PARTY, ROLES, Bool, Claimant, Day, Source, Strict
from .provision import Outcome, ResponseKind


class Claim(Strict):
    value: Bool | str
    source: str
    note: str | None = None
    # The words of the cited source that state the value (required by --strict for `false`).
    quote: str | None = None
    # `false` because a documented search of the record found nothing (the source says where).
    absent: bool | None = None
    # Whose force the claim is about (self-defence is bound to the attacker): read only in an
    # account whose attacker is this party.
    attacker: str | None = Field(default=None, pattern=PARTY)

    @model_validator(mode="after")
    def _absent_is_negative(self) -> Self:
        if self.absent and self.value is not False:
            raise ValueError("'absent: true' marks a negative found by searching the record; the value must be false")
        return self


class FactEntry(Strict):
    value: Bool | str | None = None
    source: str | None = None
    note: str | None = None
    quote: str | None = None     # as on Claim
    absent: bool | None = None   # as on Claim
    attacker: str | None = Field(default=None, pattern=PARTY)   # as on Claim
    claims: dict[Claimant, Claim] | None = None
    # Sources independent of the parties (a commission of inquiry, a UN body, monitors,
    # several independent reports) that establish `value`: parties' claims stay visible as
    # perspectives, but a party's denial no longer makes the fact contested.
    established_by: list[str] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.established_by is not None:
            if self.value is None:
                raise ValueError("an established fact needs the 'value' its sources establish")
            if self.source is None:
                self.source = self.established_by[0]
            return self
        if self.claims is not None:
            if (self.value is not None or self.source is not None or self.quote is not None
                    or self.absent is not None):
                raise ValueError("a contested fact has 'claims' only, not 'value'/'source'/'quote'/'absent' "
                                 "(or name the independent sources that establish it in 'established_by')")
            if len(self.claims) < 2:
                raise ValueError("a contested fact needs claims from at least two parties")
        else:
            if self.value is None:
                raise ValueError("a fact needs a 'value' (or 'claims' when contested)")
            if not self.source:
                raise ValueError("a fact needs a 'source'")
            if self.absent and self.value is not False:
                raise ValueError("'absent: true' marks a negative found by searching the record; the value must be false")
        return self


class Response(Strict):
    kind: ResponseKind
    date: Day | None = None
    decided_by: str | None = None
    summary: str
    source: str


class Record(Strict):
    summary: str
    responses: list[Response] = Field(min_length=1)


class Event(Strict):
    """Something that happened on a date: the facts (or claims) that became known or changed then.

    A fact an event states holds from that date until a later event states it otherwise;
    the case's snapshot `facts` count as one event on the case date. An event may begin an
    attack or a request (`begins`), answer an attack (`answers`, for a request) and end what
    earlier events began (`ends`): see engine/law/events.py."""
    id: str | None = Field(default=None, pattern=ID)
    begins: Literal["attack", "request"] | None = None
    answers: str | None = None         # a request event: the id of the attack event it answers
    ends: list[str] = Field(default_factory=list)   # ids of the events whose attack or request it ends
    date: Day
    time: str | None = Field(default=None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")   # HH:MM, local
    summary: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    facts: dict[str, FactEntry] = Field(default_factory=dict)


class Expectation(Strict):
    outcome: Outcome
    reasoning: str = Field(min_length=20)
    perspectives: dict[Claimant, Outcome] | None = None
    divergence: Bool | None = None


def _none_is_empty(value: Any) -> Any:
    return {} if value is None else value


class NonStateParty(Strict):
    """A party that is not a state (an armed group, a movement): never a member, so the
    membership facts of its role are false, not unknown."""
    name: str = Field(min_length=1)
    kind: Literal["armed_group", "movement", "organisation", "other"]
    source: str | None = None
    note: str | None = None


class Case(Strict):
    id: str = Field(pattern=ID)
    title: str
    date: Day
    # A state's ISO 3166-1 code, or the id of a party declared under `non_state_parties`.
    requesting_state: str | None = Field(default=None, pattern=PARTY)
    territory: str | None = Field(default=None, pattern=PARTY)
    acting_state: str | None = Field(default=None, pattern=PARTY)
    third_state: str | None = Field(default=None, pattern=PARTY)
    attacker: str | None = Field(default=None, pattern=PARTY)
    non_state_parties: dict[Annotated[str, Field(pattern=NON_STATE_ID)], NonStateParty] = Field(default_factory=dict)
    summary: str
    provisions: list[str] | None = None
    sources: dict[str, Source]
    # `facts:` with every entry commented out (as `casus new case` writes it) is no facts.
    facts: Annotated[dict[str, FactEntry],
                     BeforeValidator(_none_is_empty, json_schema_input_type=dict[str, FactEntry] | None)] = \
        Field(default_factory=dict)
    # Facts that differ by treaty, keyed by the treaty (a provision id's first part: nato, eu,
    # cst): for that treaty's provisions they replace the case's `facts` of the same name. For
    # what only a treaty's own organs or parties can say, such as to whom a request went
    # (France asked the EU Member States in 2015, not NATO).
    treaty_facts: dict[Annotated[str, Field(pattern=NON_STATE_ID)], dict[str, FactEntry]] = Field(default_factory=dict)
    events: list[Event] = Field(default_factory=list)      # dated changes, in date order
    record: Record | None = None
    expected: dict[str, Expectation] = Field(default_factory=dict)
    # The legal reading under amendment variants, where it differs or is worth stating.
    expected_variants: dict[str, dict[str, Expectation]] = Field(default_factory=dict)

    def party(self, role: str) -> str | None:
        value: str | None = getattr(self, role)
        return value

    def parties(self) -> dict[str, str | None]:
        return {role: getattr(self, role) for role in ROLES}
