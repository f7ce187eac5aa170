"""A provision file: its dated versions, their rules and conclusions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

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
    # The source that gives the date (a key under `sources`) and its words that say it. Where
    # no source gives the entry into force, the note says what was found and why this date.
    source: str | None = Field(default=None, description="The source (a key under 'sources') that gives the date.")
    quote: str | None = Field(default=None, description="The words of that source that say it.")

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.to is not None and self.to < self.from_:
            raise ValueError(f"'to' ({self.to}) is before 'from' ({self.from_})")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)


DUTY_STRENGTHS = ("consult", "meet", "act_as_deemed_necessary", "act_per_constitutional_processes",
                  "assist_by_measures_of_own_choosing", "assist_by_all_means", "assist_including_military")


class Duty(Strict):
    """What a triggered provision obliges the other parties to do (shown beside the outcome)."""
    strength: Literal[DUTY_STRENGTHS]  # type: ignore[valid-type]
    quote: str = Field(min_length=1)    # the words of the version's text that state it (checked)
    summary: str = Field(min_length=1)


class TranslationNote(Strict):
    """Where the English departs from the authentic Russian in a way that can matter: the
    words of each text (each checked against its text) and what the difference is."""
    en: str = Field(min_length=1, description="Words of the English text (checked against 'text').")
    ru: str = Field(min_length=1, description="Words of the Russian text (checked against 'text_ru').")
    note: str = Field(min_length=1, description="How the English departs from the Russian, and why it can matter.")


class ProvisionVersion(Strict):
    id: str
    in_force: InForce
    text: str = Field(min_length=1)
    text_source: str
    text_note: str | None = None        # whose English it is (an official or a casus translation)
    duty: Duty | None = Field(default=None, description="What a triggered provision obliges: its strength, "
                              "the words of the text that state it (checked), a one-line summary.")
    # The authentic Russian text of the same passage, from a cited source; where it was not
    # found, no `text_ru` and a `text_ru_note` saying so (never a translation back into Russian).
    text_ru: str | None = Field(default=None, description="The authentic Russian text of the same passage, "
                                "from a cited source (never a translation back into Russian).")
    text_ru_source: str | None = Field(default=None, description="The source (a key under 'sources') of 'text_ru'.")
    text_ru_note: str | None = Field(default=None, description="What the Russian text is, or why there is none.")
    # For each English quote of the rules, the same words in `text_ru` (both checked against
    # their texts; kept here, not in the rules, so that one Russian quote serves every rule
    # that quotes the same English words).
    quotes_ru: dict[str, str] = Field(default_factory=dict, description=(
        "For each English quote of the rules, the same words in 'text_ru' (each checked against its text)."))
    translation_notes: list[TranslationNote] = Field(default_factory=list)
    conclusions: dict[str, ConclusionDef]
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _russian(self) -> Self:
        if (self.text_ru is None) != (self.text_ru_source is None):
            raise ValueError("'text_ru' and 'text_ru_source' go together: the Russian text and the source it is from")
        if self.text_ru is not None and not self.text_ru.strip():
            raise ValueError("'text_ru' is empty: leave it out and say why in 'text_ru_note'")
        if self.translation_notes and self.text_ru is None:
            raise ValueError("'translation_notes' compare the English with 'text_ru', which this version lacks")
        if self.quotes_ru and self.text_ru is None:
            raise ValueError("'quotes_ru' quote 'text_ru', which this version lacks")
        return self


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
    # The languages whose texts are authentic (ISO 639-1). Strict validation asks for the
    # authentic Russian (`text_ru`) only where Russian is one of them (the CST's instruments: the
    # default); the English `text` is then a translation, elsewhere an authentic text itself.
    authentic: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=lambda: ["ru"], min_length=1,
        description="The languages whose texts are authentic (ISO 639-1); default: Russian (the CST's).")
    sources: dict[str, Source]
    versions: list[ProvisionVersion] = Field(min_length=1)
