"""A provision file: its dated versions, their rules and conclusions."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from .shared import ID, Bool, Day, Source, Strict
from .conditions import Condition


class Rule(Strict):
    id: str = Field(pattern=ID)
    concludes: str
    value: Bool
    when: Condition
    unless: list[str] = Field(default_factory=list)
    because: str = Field(min_length=1)
    quote: str | None = None    # the words of the article text this rule applies (checked against it)


class ConclusionDef(Strict):
    description: str = Field(min_length=1)


class InForce(Strict):
    from_: Day = Field(alias="from")
    to: Day | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.to is not None and self.to < self.from_:
            raise ValueError(f"'to' ({self.to}) is before 'from' ({self.from_})")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)


class ProvisionVersion(Strict):
    id: str
    in_force: InForce
    text: str = Field(min_length=1)
    text_source: str
    text_note: str | None = None
    conclusions: dict[str, ConclusionDef]
    rules: list[Rule] = Field(min_length=1)


Outcome = Literal["triggered", "not_triggered", "undetermined", "contested", "not_applicable"]
# `exercise`: joint drills held in answer to a threat (a signal, not help given or a deployment).
RESPONSE_KINDS = ("deployment", "military_assistance", "consultations", "fact_finding",
                  "statement", "humanitarian_aid", "material_support", "exercise", "none")
ResponseKind = Literal[RESPONSE_KINDS]  # type: ignore[valid-type]


class RecordSpec(Strict):
    """How the provision's answer compares with what the CSTO actually did."""
    kind: Literal["obligation", "permission"]
    acted_if: list[ResponseKind] = Field(min_length=1)


class Provision(Strict):
    id: str = Field(pattern=ID)
    instrument: str
    article: str
    title: str
    question: str
    outcome: str                      # the conclusion whose truth means `triggered`
    applicability: str | None = None  # the conclusion whose falsity means `not_applicable`
    outcomes: list[Literal["triggered", "not_triggered", "not_applicable"]]
    record: RecordSpec | None = None
    sources: dict[str, Source]
    versions: list[ProvisionVersion] = Field(min_length=1)
