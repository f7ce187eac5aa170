"""facts.yaml: the vocabulary of facts a case may state, and the facts derived from membership."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from .shared import ROLES, Bool, Strict


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
    # The fact belongs to one attack (or one request): it stops holding when a case's events
    # begin a new attack (engine/law/events.py), as a request answers the attack it was made for.
    bound_to: Literal["attack", "request"] | None = None

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

    @cached_property
    def derived_specs(self) -> list[tuple[str, tuple[str, ...], str, bool | None]]:
        """The derived facts as plain tuples (name, roles, from, if_absent): read for every
        case and every generated scenario, so made once per vocabulary (pydantic leaves a
        cached property out of dumps and of equality)."""
        return [(name, tuple(spec.roles), spec.from_, spec.if_absent) for name, spec in self.derived.items()]

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
