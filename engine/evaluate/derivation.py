"""What a backend derived on one fact assignment: its firings, in the order they happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping

from ..backends.base import Backend, Firing
from ..logic.compiler import CompiledVersion, RuleKind
from ..logic.ir import Atom, Value


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


def _known(compiled: CompiledVersion, facts: Mapping[str, Value]) -> dict[str, Value]:
    """The facts the provision version tests: a derivation records nothing else (so a
    memoised verdict never carries another case's unrelated facts)."""
    return {f: facts[f] for f in compiled.facts if f in facts}


def derive(backend: Backend, compiled: CompiledVersion, facts: Mapping[str, Value]) -> Derivation:
    known = _known(compiled, facts)
    return Derivation(known, tuple(backend.run(compiled, known)), backend.name)


def backend_named(name: str) -> Backend:
    if name == "durable":
        from ..backends.durable import DurableBackend
        return DurableBackend()
    if name == "reference":
        from ..backends.reference import ReferenceBackend
        return ReferenceBackend()
    raise ValueError(f"unknown backend '{name}'")


_DURABLE: Backend | None = None
_REFERENCE: Backend | None = None


def derive_durable(compiled: CompiledVersion, facts: Mapping[str, Value]) -> Derivation:
    global _DURABLE
    if _DURABLE is None:
        _DURABLE = backend_named("durable")
    return derive(_DURABLE, compiled, facts)


def derive_reference(compiled: CompiledVersion, facts: Mapping[str, Value]) -> Derivation:
    global _REFERENCE
    if _REFERENCE is None:
        _REFERENCE = backend_named("reference")
    return derive(_REFERENCE, compiled, facts)
