"""Reference evaluator: the same YAML rules, evaluated the obvious way.

No durable_rules, no normal forms, no compilation: a direct recursive Kleene
evaluation of each rule's condition as written. It exists to be compared with
the engine (differential checking), so it is written for obviousness, not speed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..files import models as m
from ..logic.compiler import CompiledVersion, RuleKind
from ..logic.ir import Value
from .base import Derivation, Firing, known_inputs

Kleene = bool | None
T, F, U = True, False, None   # Kleene truth values; U is unknown


def k_not(a: Kleene) -> Kleene:
    return U if a is U else (not a)


def k_and(values: Iterable[Kleene]) -> Kleene:
    values = list(values)
    if any(v is F for v in values):
        return F
    return T if all(v is T for v in values) else U


def k_or(values: Iterable[Kleene]) -> Kleene:
    values = list(values)
    if any(v is T for v in values):
        return T
    return F if all(v is F for v in values) else U


class ReferenceEvaluator:
    """Evaluate one provision version's rules on one fact assignment."""

    def __init__(self, version: m.ProvisionVersion, facts: Mapping[str, Value]):
        self.rules = {r.id: r for r in version.rules}
        self.facts = facts
        self._rules: dict[str, Kleene] = {}

    def condition(self, cond: m.Condition) -> Kleene:
        if isinstance(cond, m.All):
            return k_and(self.condition(c) for c in cond.all)
        if isinstance(cond, m.Any_):
            return k_or(self.condition(c) for c in cond.any)
        if isinstance(cond, m.Not):
            return k_not(self.condition(cond.not_))
        if isinstance(cond, m.ConclusionTest):
            return self.conclusion(cond.conclusion)
        if cond.fact not in self.facts:
            return U
        value = self.facts[cond.fact]
        if cond.in_ is not None:
            return value in cond.in_
        if cond.is_ is not None:
            return value == cond.is_ and isinstance(value, bool) == isinstance(cond.is_, bool)
        return value is True

    def rule(self, rule_id: str) -> Kleene:
        """Kleene value of the rule's condition with its exceptions (`unless`)."""
        if rule_id not in self._rules:
            rule = self.rules[rule_id]
            parts = [self.condition(rule.when)] + [k_not(self.rule(u)) for u in rule.unless]
            self._rules[rule_id] = k_and(parts)
        return self._rules[rule_id]

    def derived(self, name: str) -> set[bool]:
        """Which values rules derive for a conclusion: {}, {True}, {False} or both (a conflict)."""
        return {r.value for r in self.rules.values() if r.concludes == name and self.rule(r.id) is T}

    def conclusion(self, name: str) -> Kleene:
        values = self.derived(name)
        if values == {True}:
            return T
        if values == {False}:
            return F
        return U   # not derived, or derived both ways (a conflict `check` reports)

    def fired(self) -> set[str]:
        return {rid for rid in self.rules if self.rule(rid) is T}


class ReferenceProgram:
    """A compiled version for the reference evaluator: which program rules hold. It knows
    nothing of terms or engines; its firings are sorted, not ordered by a run."""

    def __init__(self, program: CompiledVersion):
        self.compiled = program

    def run(self, facts: Mapping[str, Value]) -> Derivation:
        known = known_inputs(self.compiled, facts)
        ref = ReferenceEvaluator(self.compiled.version, known)
        out = []
        for r in self.compiled.program:
            holds = ref.rule(r.rule)
            if r.kind is RuleKind.RULE and holds is T or r.kind is RuleKind.EXCEPTION and holds is r.value:
                out.append(Firing(r.stratum, r.rule, r.kind, r.derives, r.value))
        return Derivation(known, tuple(out), "reference")


class ReferenceBackend:
    """The reference evaluator behind the backend interface."""

    name = "reference"

    def prepare(self, program: CompiledVersion) -> ReferenceProgram:
        return ReferenceProgram(program)
