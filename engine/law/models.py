"""File models (pydantic v2, extra fields forbidden): what each YAML file may say.

Conditions are a small, analysable language:
  {all: [...]}, {any: [...]}, {not: C},
  {fact: x} (boolean x is true), {fact: x, is: v} (x equals v), {fact: x, in: [v, ...]},
  {conclusion: c} (conclusion c of the same provision holds).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StrictBool, Tag,
                      field_validator, model_validator)

STATE_CODE = r"^[A-Z]{2}$"
NON_STATE_ID = r"^[a-z][a-z0-9_-]*$"
PARTY = r"^([A-Z]{2}|[a-z][a-z0-9_-]*)$"        # a state code or a declared non-state party
ID = r"^[a-z0-9][a-z0-9_.\-]*$"
# Parties that claim facts (KZ, CSTO): ASCII only, so that two claimants cannot look alike
# (Latin KZ and Cyrillic КZ would be two perspectives printed the same).
CLAIMANT = r"^[A-Za-z][A-Za-z0-9_-]*$"


def _not_a_number(value: Any) -> Any:
    # pydantic reads a number as seconds since 1970: `date: 1641340800` would be 2022-01-05.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"{value!r} is a number, not a date (write YYYY-MM-DD)")
    return value


# A date written as a date (YAML reads YYYY-MM-DD as one), never a number.
Day = Annotated[dt.date, BeforeValidator(_not_a_number)]
# true or false as written; pydantic's default would read 1, 1.0, 0 and "yes" as booleans.
Bool = StrictBool
Claimant = Annotated[str, Field(pattern=CLAIMANT)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------- sources

class Source(Strict):
    cite: str = Field(min_length=1)
    url: str | None = None
    file: str | None = None          # a file under ../shared/csto/ (seed articles, notes)
    quote: str | None = None
    # For a source cited for an absence (`absent: true`): which record was searched, for what,
    # and what was (not) found. Silence in a source that never looked proves nothing.
    search: str | None = None


# ---------------------------------------------------------------- conditions

class FactTest(Strict):
    fact: str
    is_: Bool | str | None = Field(default=None, alias="is")
    in_: list[str] | None = Field(default=None, alias="in", min_length=1)

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        if self.is_ is not None and self.in_ is not None:
            raise ValueError("a fact test takes either 'is' or 'in', not both")
        return self


class ConclusionTest(Strict):
    conclusion: str


class All(Strict):
    all: list["Condition"] = Field(min_length=1)


class Any_(Strict):
    any: list["Condition"] = Field(min_length=1)


class Not(Strict):
    not_: "Condition" = Field(alias="not")


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not", "fact", "conclusion"):
            if key in value:
                return key
        return None
    if isinstance(value, BaseModel):
        return {All: "all", Any_: "any", Not: "not", FactTest: "fact",
                ConclusionTest: "conclusion"}.get(type(value))
    return None


Condition = Annotated[
    Union[Annotated[All, Tag("all")], Annotated[Any_, Tag("any")], Annotated[Not, Tag("not")],
          Annotated[FactTest, Tag("fact")], Annotated[ConclusionTest, Tag("conclusion")]],
    Discriminator(_condition_kind, custom_error_type="condition",
                  custom_error_message="a condition needs one of: all, any, not, fact, conclusion"),
]
All.model_rebuild()
Any_.model_rebuild()
Not.model_rebuild()


# ---------------------------------------------------------------- fact vocabulary

class Presumption(Strict):
    """A rule of law that supplies a fact a case is silent on (never an unknown read as false).

    A case that states the fact, or parties' claims of it, is not silent: the presumption
    then gives way."""
    value: bool | str
    basis: str = Field(min_length=20)          # the legal basis, with its source


class FactDef(Strict):
    type: Literal["boolean", "enum"]
    values: list[str] | None = None
    description: str = Field(min_length=1)
    example: str | None = None
    presumption: Presumption | None = None
    # Enum values that state an absence (e.g. 'none'): like `false`, never to be written from
    # silence (`casus validate --strict` asks for a quote or a documented search).
    negative: list[str] = Field(default_factory=list)
    # The condition of a provision this fact belongs to (request, attacker, area, ...): a
    # cross-treaty comparison gives one treaty another's reading of a whole condition at once.
    # Without it, the fact is a condition of its own.
    condition: str | None = Field(default=None, pattern=r"^[a-z][a-z_]*$")

    @model_validator(mode="after")
    def _values(self) -> Self:
        if self.type == "enum" and not self.values:
            raise ValueError("an enum fact needs 'values'")
        if self.type == "boolean" and self.values:
            raise ValueError("a boolean fact takes no 'values'")
        if self.values and len(set(self.values)) != len(self.values):
            raise ValueError("enum values must be distinct")
        if any(v not in (self.values or []) for v in self.negative):
            raise ValueError("negative: every value must be one of the fact's values")
        if self.presumption is not None and self.presumption.value not in self.domain():
            raise ValueError(f"presumption: {self.presumption.value!r} is not a value of this fact")
        return self

    def domain(self) -> tuple[Any, ...]:
        return (True, False) if self.type == "boolean" else tuple(self.values or ())


ROLES = ("requesting_state", "territory", "acting_state", "third_state", "attacker")


class DerivedFactDef(Strict):
    """A boolean computed from the membership timeline and the case's parties."""
    # member: a party to the Treaty; participating: takes part in the Council's decisions and
    # consultations (a party whose participation is suspended does not)
    from_: Literal["member", "participating", "same_state"] = Field(alias="from")
    roles: list[Literal[ROLES]] = Field(min_length=1, max_length=2)  # type: ignore[valid-type]
    description: str = Field(min_length=1)
    # Value when the case names no such party. Default: unknown. `false` is for roles whose
    # absence is itself a fact (no attacking state named: no member attacked).
    if_absent: Bool | None = None

    @model_validator(mode="after")
    def _arity(self) -> Self:
        want = 2 if self.from_ == "same_state" else 1
        if len(self.roles) != want:
            raise ValueError(f"'{self.from_}' takes {want} role(s)")
        return self


class ValueMap(Strict):
    from_: bool | str = Field(alias="from")
    # null: the old value cannot say which new value holds, so the fact is read as unknown
    # (never a guess: silence, or an ambiguous word, is not one of the readings).
    to: bool | str | None


class DeprecatedFact(Strict):
    """An old fact name still accepted in case files, read as `use` (values mapped by `values`;
    unmapped values pass unchanged), with a warning on stderr."""
    use: str
    since: str                                  # when and why it was renamed or refined
    values: list[ValueMap] = Field(default_factory=list)
    note: str | None = None                     # what the mapping cannot know

    def mapped(self, value: bool | str) -> bool | str | None:
        """The new value; None when the old one is read as unknown."""
        for pair in self.values:
            if pair.from_ == value and isinstance(pair.from_, bool) == isinstance(value, bool):
                return pair.to
        return value


class DeprecatedValue(Strict):
    """An old value of a current fact, still accepted in case files (read as `use`, with a warning)."""
    use: str
    since: str


class Vocabulary(Strict):
    parties: dict[Literal[ROLES], str]  # type: ignore[valid-type]  # role -> what it names
    facts: dict[str, FactDef]
    derived: dict[str, DerivedFactDef]
    deprecated: dict[str, DeprecatedFact] = Field(default_factory=dict)
    # fact -> old value -> the value it became
    deprecated_values: dict[str, dict[str, DeprecatedValue]] = Field(default_factory=dict)
    # The conditions facts are grouped into (a fact's `condition`), each with what it means.
    conditions: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _disjoint(self) -> Self:
        missing = [r for r in ROLES if r not in self.parties]
        if missing:
            raise ValueError(f"parties: describe every role (missing: {', '.join(missing)})")
        both = set(self.facts) & set(self.derived)
        if both:
            raise ValueError(f"facts defined twice (as case and derived facts): {sorted(both)}")
        for old, dep in self.deprecated.items():
            if old in self.facts or old in self.derived:
                raise ValueError(f"deprecated fact '{old}' is also a current fact")
            if dep.use not in self.facts:
                raise ValueError(f"deprecated fact '{old}' maps to unknown fact '{dep.use}'")
            domain = self.facts[dep.use].domain()
            for pair in dep.values:
                if pair.to is None:
                    continue
                if pair.to not in domain or isinstance(pair.to, bool) != isinstance(domain[0], bool):
                    raise ValueError(f"deprecated fact '{old}' maps to {pair.to!r}, not a value of '{dep.use}'")
        for name, fact in self.facts.items():
            if fact.condition is not None and fact.condition not in self.conditions:
                raise ValueError(f"fact '{name}': condition '{fact.condition}' is not described under 'conditions'")
        for name, olds in self.deprecated_values.items():
            if name not in self.facts or self.facts[name].type != "enum":
                raise ValueError(f"deprecated_values: '{name}' is not an enum fact")
            for old, new in olds.items():
                if old in (self.facts[name].values or []):
                    raise ValueError(f"deprecated_values: '{old}' is still a value of '{name}'")
                if new.use not in (self.facts[name].values or []):
                    raise ValueError(f"deprecated_values: '{old}' maps to '{new.use}', not a value of '{name}'")
        return self

    def current_value(self, name: str, value: Any) -> Any:
        """A value under its current name (an old value of an enum fact read as the new one)."""
        found = self.deprecated_values.get(name, {}).get(value) if isinstance(value, str) else None
        return value if found is None else found.use

    def definition(self, name: str) -> FactDef:
        if name in self.facts:
            return self.facts[name]
        if name in self.derived:
            return FactDef(type="boolean", description=self.derived[name].description)
        raise KeyError(name)

    def names(self) -> list[str]:
        return sorted(set(self.facts) | set(self.derived))

    def domain(self, name: str) -> tuple[Any, ...]:
        """The values of a fact (derived facts are booleans); `definition(name).domain()`
        without building a definition for a derived fact at each of the compiler's calls."""
        found = self.facts.get(name)
        if found is not None:
            return found.domain()
        if name in self.derived:
            return (True, False)
        raise KeyError(name)


# ---------------------------------------------------------------- membership timeline

class EventClaim(Strict):
    """One party's view of a contested membership event: whether it took effect."""
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


# ---------------------------------------------------------------- provisions

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
    sources: dict[str, Source]
    versions: list[ProvisionVersion] = Field(min_length=1)


# ---------------------------------------------------------------- cases

class Claim(Strict):
    value: Bool | str
    source: str
    note: str | None = None
    # The words of the cited source that state the value (required by --strict for `false`).
    quote: str | None = None
    # `false` because a documented search of the record found nothing (the source says where).
    absent: bool | None = None

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
    the case's snapshot `facts` count as one event on the case date."""
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


# ---------------------------------------------------------------- amendments

class ReplaceRule(Strict):
    """Replace a rule by id (in every version holding it, or in `version` only)."""
    op: Literal["replace"]
    rule: str
    version: str | None = None
    with_: Rule = Field(alias="with")


class AddRule(Strict):
    op: Literal["add"]
    provision: str
    version: str | None = None
    rule: Rule


class RemoveRule(Strict):
    op: Literal["remove"]
    rule: str
    version: str | None = None


class AddVersion(Strict):
    """A new dated version of a provision (its in-force dates must not overlap the others)."""
    op: Literal["add_version"]
    provision: str
    new_version: ProvisionVersion


class ReplaceVersion(Strict):
    op: Literal["replace_version"]
    provision: str
    version: str
    with_: ProvisionVersion = Field(alias="with")


class RemoveVersion(Strict):
    op: Literal["remove_version"]
    provision: str
    version: str


class ReplaceText(Strict):
    op: Literal["replace_text"]
    provision: str
    version: str | None = None
    text: str


class CountsAsMember(Strict):
    """Change which membership statuses make a state a party (e.g. suspension as withdrawal)."""
    op: Literal["counts_as_member"]
    statuses: list[Literal[MEMBERSHIP_STATUSES]] = Field(min_length=1)  # type: ignore[valid-type]


class Participating(Strict):
    """Change which statuses take part in the Council's decisions and consultations
    (e.g. a declared freeze read as a suspension)."""
    op: Literal["participating"]
    statuses: list[Literal[MEMBERSHIP_STATUSES]] = Field(min_length=1)  # type: ignore[valid-type]


Change = Annotated[Union[ReplaceRule, AddRule, RemoveRule, AddVersion, ReplaceVersion, RemoveVersion,
                         ReplaceText, CountsAsMember, Participating], Field(discriminator="op")]


class Amendment(Strict):
    id: str = Field(pattern=ID)
    title: str
    proposer: str
    date: Day
    status: Literal["proposed", "adopted", "hypothetical"]
    summary: str
    source: Source
    affects: list[str] = Field(min_length=1)
    changes: list[Change] = Field(min_length=1)
