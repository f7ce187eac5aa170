"""What a backend is: something that prepares a compiled program once (as OPA's
PrepareForEval) and then runs the prepared program on known facts, saying which rules
fired. durable_rules (backends/durable.py) is the engine; the reference evaluator
(backends/reference.py) is the independent check. Both answer in Derivations of Firings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..logic.compiler import CompiledVersion, RuleKind
from ..logic.ir import Atom, Value


@dataclass(frozen=True)
class EngineRef:
    """Where a firing happened inside the engine (engine-specific names, optional)."""
    ruleset: str
    rule: str


@dataclass(frozen=True)
class Firing:
    """One rule that fired: it derived `derives = value` from the atoms it `matched`."""
    stratum: int
    rule: str                  # casus rule id
    kind: RuleKind
    derives: Atom
    value: bool
    term: int | None = None    # which DNF term of the rule matched (None: the reference does not say)
    matched: tuple[tuple[Atom, Value], ...] = ()
    engine: EngineRef | None = field(default=None, compare=False)
    # What a layer above makes of this firing, kept with it (explain/trace.py keeps its JSON
    # entry here): a durable_rules program makes one Firing per distinct message and hands
    # it out again for the same message, so this is worked out once per message, not per run.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def key(self) -> tuple[int, str, str, bool]:
        """What two backends must agree on."""
        return (self.stratum, self.rule, self.kind.value, self.value)


@dataclass
class Derivation:
    """What a backend derived on one fact assignment: its firings, in the order they happened."""
    facts: dict[str, Value]                     # the known input facts the program tests
    firings: tuple[Firing, ...]
    backend: str = "durable"
    conclusions: dict[str, set[bool]] = field(init=False)   # conclusion -> values derived
    fired: tuple[str, ...] = field(init=False)              # casus rules that fired, sorted

    def __post_init__(self) -> None:
        self.conclusions = {}
        rules = set()
        for f in self.firings:
            if f.kind is RuleKind.RULE:
                self.conclusions.setdefault(f.derives.name, set()).add(f.value)
                rules.add(f.rule)
        self.fired = tuple(sorted(rules))

    def value(self, conclusion: str) -> bool | None:
        vals = self.conclusions.get(conclusion, set())
        return True if vals == {True} else False if vals == {False} else None

    def conflicts(self) -> list[str]:
        return sorted(c for c, vals in self.conclusions.items() if len(vals) > 1)

    def firings_of(self, rule: str, kind: RuleKind = RuleKind.RULE) -> list[Firing]:
        return [f for f in self.firings if f.rule == rule and f.kind is kind]

    def derived_by(self, atom: Atom, value: Value) -> list[Firing]:
        """The firings that derived `atom = value` (what a later stratum matched). Compared by
        kind and name, not Atom.__eq__: this runs for every reason of every verdict."""
        kind, name = atom.kind, atom.name
        return [f for f in self.firings if f.value == value and f.derives.name == name and f.derives.kind is kind]



def known_inputs(compiled: CompiledVersion, facts: Mapping[str, Value]) -> dict[str, Value]:
    """The facts the provision version tests: a derivation records nothing else (so a
    memoised verdict never carries another case's unrelated facts)."""
    return {f: facts[f] for f in compiled.facts if f in facts}


class Program(Protocol):
    """A compiled version prepared for one backend."""
    compiled: CompiledVersion

    def run(self, facts: Mapping[str, Value]) -> Derivation:
        """Run the program on the input facts (those it does not test are ignored)."""


class Backend(Protocol):
    name: str

    def prepare(self, program: CompiledVersion) -> Program:
        """Prepare `program` for this backend, once (refusing what it cannot run)."""
