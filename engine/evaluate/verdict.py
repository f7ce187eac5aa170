"""A provision's outcome on one fact assignment, with the firings that decided it (as Cedar
returns a decision with its determining policies) and the reasons behind them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..backends.base import Derivation, Firing
from ..logic.compiler import CompiledVersion, RuleKind
from ..logic.ir import AtomKind, conclusion
from ..outcome import Outcome
from .deciding import deciding_sets


@dataclass
class Verdict:
    """The outcome of one provision on one fact assignment."""
    outcome: Outcome
    derivation: Derivation
    compiled: CompiledVersion
    decided_by: tuple[str, bool] | None = None                # (conclusion, value) that decided it

    @cached_property
    def deciding(self) -> list[list[str]]:
        """For an undetermined outcome: the sets of unknown facts that could decide it,
        smallest first (computed when asked for)."""
        if self.outcome != Outcome.UNDETERMINED:
            return []
        return deciding_sets(self.compiled, self.derivation)

    def deciding_firings(self) -> list[Firing]:
        if self.decided_by is None:
            return []
        name, value = self.decided_by
        return self.derivation.derived_by(conclusion(name), value)

    def behind(self, firing: Firing) -> list[Firing]:
        """The firings that derived what `firing` matched (conclusions and exceptions)."""
        out: list[Firing] = []
        for atom, value in firing.matched:
            if atom.kind is not AtomKind.FACT:
                out.extend(self.derivation.derived_by(atom, value))
        return out

    @cached_property
    def reasons(self) -> list[str]:
        """The deciding rules' reasons, then those of the rules whose conclusions they
        matched, as the engine chained them (text for people; computed when asked for)."""
        if self.decided_by is None:
            return []
        rules = self.compiled.rules
        deciding = self.deciding_firings()
        seen = {f.rule for f in deciding}
        behind: list[str] = []
        todo = list(deciding)
        while todo:            # every rule reachable is listed, sorted: the walk's order does not matter
            for b in self.behind(todo.pop()):
                if b.kind is RuleKind.RULE and b.rule not in seen:
                    seen.add(b.rule)
                    behind.append(b.rule)
                    todo.append(b)
        out = [rules[r].because for r in sorted({f.rule for f in deciding})]
        for r in sorted(behind):
            rule = rules[r]
            out.append(f"{rule.concludes} = {'true' if rule.value else 'false'}: {rule.because}")
        return out

    @property
    def missing(self) -> list[str]:
        seen: list[str] = []
        for group in self.deciding:
            for f in group:
                if f not in seen:
                    seen.append(f)
        return seen


def verdict(compiled: CompiledVersion, d: Derivation) -> Verdict:
    prov = compiled.provision
    applicable = True if prov.applicability is None else d.value(prov.applicability)
    outcome_value = d.value(prov.outcome)
    if applicable is False:
        assert prov.applicability is not None
        return Verdict(Outcome.NOT_APPLICABLE, d, compiled, (prov.applicability, False))
    if applicable is True and outcome_value is not None:
        name = Outcome.TRIGGERED if outcome_value else Outcome.NOT_TRIGGERED
        return Verdict(name, d, compiled, (prov.outcome, outcome_value))
    return Verdict(Outcome.UNDETERMINED, d, compiled)
