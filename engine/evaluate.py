"""Evaluating a case: facts -> derivations (durable_rules) -> outcomes per provision.

The outcome logic here is shared by both backends: `durable` (the engine: the
compiled rulesets on durable_rules) and `reference` (the pure-Python evaluator),
so that differential checks compare what the backends derive, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product

from .law import models as m
from .logic.compiler import CompiledLaw, CompiledVersion
from .law.errors import InputError, did_you_mean
from .law.loader import Law
from .law.facts import case_facts
from .law.timeline import derived_facts


# ------------------------------------------------------------------ derivations

@dataclass
class Derivation:
    """What the rules derived on one fact assignment."""
    facts: dict
    fired: dict[str, list[int]]                 # rule id -> DNF terms that fired (engine) / [] (reference)
    conclusions: dict[str, set[bool]]           # conclusion -> values derived
    ruleset: str = ""

    def value(self, conclusion: str):
        vals = self.conclusions.get(conclusion, set())
        return True if vals == {True} else False if vals == {False} else None

    def conflicts(self) -> list[str]:
        return sorted(c for c, vals in self.conclusions.items() if len(vals) > 1)


def _known(compiled: CompiledVersion, facts: dict) -> dict:
    """The facts the provision version tests: a derivation records nothing else (so a
    memoised verdict never carries another case's unrelated facts)."""
    return {f: facts[f] for f in compiled.facts if f in facts}


def derive_durable(compiled: CompiledVersion, facts: dict) -> Derivation:
    from .backends.durable import fire
    facts = _known(compiled, facts)
    fired: dict[str, list[int]] = {}
    for rule, term in fire(compiled, facts):
        fired.setdefault(rule, []).append(term)
    conclusions: dict[str, set[bool]] = {}
    concludes = compiled.concludes
    for rid in fired:
        name, value = concludes[rid]
        conclusions.setdefault(name, set()).add(value)
    return Derivation(facts, fired, conclusions, compiled.name)


def derive_reference(compiled: CompiledVersion, facts: dict) -> Derivation:
    from .backends.reference import ReferenceEvaluator
    facts = _known(compiled, facts)
    ref = ReferenceEvaluator(compiled.version, facts)
    fired = {rid: [] for rid in sorted(ref.fired())}
    conclusions = {c: ref.derived(c) for c in compiled.version.conclusions}
    return Derivation(facts, fired, {c: v for c, v in conclusions.items() if v}, "reference")


BACKENDS = {"durable": derive_durable, "reference": derive_reference}


# ------------------------------------------------------------------ outcomes

@dataclass
class Verdict:
    """The outcome of one provision on one fact assignment."""
    outcome: str
    derivation: Derivation
    compiled: CompiledVersion | None = None
    decided_by: tuple[str, bool] | None = None                # (conclusion, value) that decided it

    @cached_property
    def deciding(self) -> list[list[str]]:
        """For an undetermined outcome: the sets of unknown facts that could decide it,
        smallest first (computed when asked for)."""
        if self.outcome != "undetermined":
            return []
        return deciding_sets(self.compiled, self.derivation)

    @cached_property
    def reasons(self) -> list[str]:
        """The deciding rules' reasons, then those of the fired rules their terms stand on
        (text for people; computed only when asked for)."""
        if self.decided_by is None:
            return []
        compiled, d = self.compiled, self.derivation
        conclusion, value = self.decided_by
        deciding = [rid for rid in sorted(d.fired)
                    if compiled.rules[rid].concludes == conclusion and compiled.rules[rid].value == value]
        behind = sorted({s for rid in deciding for k in d.fired[rid] or []
                         for s in compiled.rule_terms[rid][k].supports
                         if s in d.fired and compiled.rules[s].concludes != conclusion})
        return ([compiled.rules[rid].because for rid in deciding] +
                [f"{compiled.rules[s].concludes} = {str(compiled.rules[s].value).lower()}: "
                 f"{compiled.rules[s].because}" for s in behind])

    @property
    def missing(self) -> list[str]:
        seen: list[str] = []
        for group in self.deciding:
            for f in group:
                if f not in seen:
                    seen.append(f)
        return seen


def _alive_sets(terms, facts) -> list[frozenset]:
    return [frozenset(f for f in t.facts() if f not in facts) for t in terms if not t.contradicted(facts)]


def _minimal(sets) -> list[list[str]]:
    uniq = sorted(set(s for s in sets if s), key=lambda s: (len(s), sorted(s)))
    out: list[frozenset] = []
    for s in uniq:
        if not any(o <= s for o in out):
            out.append(s)
    return [sorted(s) for s in out]


def verdict(compiled: CompiledVersion, d: Derivation) -> Verdict:
    prov = compiled.provision
    applicable = True if prov.applicability is None else d.value(prov.applicability)
    outcome_value = d.value(prov.outcome)
    if applicable is False:
        return Verdict("not_applicable", d, compiled, (prov.applicability, False))
    if applicable is True and outcome_value is not None:
        name = "triggered" if outcome_value else "not_triggered"
        return Verdict(name, d, compiled, (prov.outcome, outcome_value))
    return Verdict("undetermined", d, compiled)


def deciding_sets(compiled: CompiledVersion, d: Derivation) -> list[list[str]]:
    """Which unknown facts, once known, could decide an undetermined outcome?"""
    prov, facts, terms = compiled.provision, d.facts, compiled.conclusion_terms
    applicable = True if prov.applicability is None else d.value(prov.applicability)
    outcome_value = d.value(prov.outcome)
    decide_outcome = _alive_sets(terms[(prov.outcome, True)] + terms[(prov.outcome, False)], facts)
    if applicable is None:
        app_true = _alive_sets(terms[(prov.applicability, True)], facts)
        app_false = _alive_sets(terms[(prov.applicability, False)], facts)
        sets = app_false + [a | o for a, o in product(app_true, decide_outcome)]
        if outcome_value is not None:
            sets += app_true
    else:
        sets = decide_outcome
    return _minimal(sets)


# ------------------------------------------------------------------ case evaluation

@dataclass
class ProvisionResult:
    provision: m.Provision
    version: m.ProvisionVersion | None
    outcome: str
    verdict: Verdict | None = None                       # the facts all parties agree on
    perspectives: dict[str, Verdict] = field(default_factory=dict)
    divergence: list[dict] = field(default_factory=list)
    compiled: CompiledVersion | None = None
    note: str | None = None


@dataclass
class CaseResult:
    case: m.Case
    date: dt.date
    variant: str | None
    perspective: str | None
    provisions: list[ProvisionResult]


def claimants(case: m.Case) -> list[str]:
    return sorted({p for e in case.facts.values() if e.claims for p in e.claims})


def fact_assignment(case: m.Case, derived: dict, perspective: str | None,
                    vocab: m.Vocabulary | None = None) -> dict:
    """The case's facts as one party sees them (None: only those all parties agree on or
    independent sources establish), with the vocabulary's presumptions (law/facts.py)."""
    return case_facts(case, vocab or m.Vocabulary(parties={r: r for r in m.ROLES}, facts={}, derived={}),
                      derived, perspective).values


@dataclass(frozen=True)
class Decision:
    """One provision's outcome on one fact assignment (no perspectives, no record)."""
    provision: str
    version: str | None
    outcome: str
    verdict: Verdict | None


class Evaluator:
    """Evaluates cases against one law (base or variant); compiles each version once.

    With `memo=True`, verdicts are cached by (ruleset, the known facts it tests):
    evaluation is deterministic (`casus check` tests that), so sweeps over many
    scenarios that project onto the same facts run each distinct one once."""

    def __init__(self, law: Law, backend: str = "durable", memo: bool = False):
        self.law = law
        self.compiled = CompiledLaw(law)
        self.derive = BACKENDS[backend]
        self._memo: dict | None = {} if memo else None

    def provision_verdict(self, compiled: CompiledVersion, facts: dict) -> Verdict:
        if self._memo is None:
            return verdict(compiled, self.derive(compiled, facts))
        key = (compiled.name, tuple((f, facts[f]) for f in compiled.facts if f in facts))
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = verdict(compiled, self.derive(compiled, facts))
        return found

    def decide(self, day: dt.date, facts: dict, provisions: list[str] | None = None) -> dict[str, Decision]:
        """Outcomes of the given provisions (default: all) on resolved facts at `day`."""
        out = {}
        for pid in provisions or sorted(self.law.provisions):
            version = self.law.version_at(pid, day)
            if version is None:
                out[pid] = Decision(pid, None, "not_applicable", None)
                continue
            v = self.provision_verdict(self.compiled.version(pid, version), facts)
            out[pid] = Decision(pid, version.id, v.outcome, v)
        return out

    def evaluate(self, case: m.Case, *, at: dt.date | None = None,
                 perspective: str | None = None) -> CaseResult:
        day = at or case.date
        if case.events:
            # The facts as they stand at the end of the case date (snapshot and events up to it);
            # `casus evaluate --timeline` evaluates every step (engine/analysis/timeline.py).
            from .law.events import as_of
            case = as_of(case, case.date)
        parties = claimants(case)
        if perspective is not None and perspective not in parties:
            raise InputError(f"case '{case.id}' has no perspective '{perspective}'",
                             hint=did_you_mean(perspective, parties) or
                             (f"perspectives: {', '.join(parties)}" if parties else "this case has no contested facts"))
        if day < self.law.timeline.treaty_signed:
            raise InputError(f"date {day} is before the Collective Security Treaty was signed "
                             f"({self.law.timeline.treaty_signed})")
        derived = derived_facts(self.law.vocabulary, self.law.timeline, case.parties(), day)
        vocab = self.law.vocabulary
        agreed = fact_assignment(case, derived, None, vocab)
        views = {p: fact_assignment(case, derived, p, vocab) for p in parties}
        if perspective is not None:
            agreed, views = views[perspective], {}
        results = [self._provision(pid, case, day, agreed, views)
                   for pid in (case.provisions or sorted(self.law.provisions))]
        return CaseResult(case, day, self.law.variant, perspective, results)

    def _provision(self, pid: str, case: m.Case, day: dt.date, agreed: dict,
                   views: dict[str, dict]) -> ProvisionResult:
        provision = self.law.provisions[pid]
        version = self.law.version_at(pid, day)
        if version is None:
            spans = ", ".join(f"{v.in_force.from_}..{v.in_force.to or ''}" for v in provision.versions)
            return ProvisionResult(provision, None, "not_applicable",
                                   note=f"no version of {pid} in force on {day} (in force: {spans})")
        compiled = self.compiled.version(pid, version)
        base = self.provision_verdict(compiled, agreed)
        result = ProvisionResult(provision, version, base.outcome, base, compiled=compiled)
        if base.outcome == "undetermined" and views:
            used = set(compiled.facts)
            relevant = {p: f for p, f in views.items()
                        if any(k in used and k not in agreed for k in f)}
            result.perspectives = {p: self.provision_verdict(compiled, f) for p, f in sorted(relevant.items())}
            outcomes = {v.outcome for v in result.perspectives.values()}
            decided = outcomes - {"undetermined"}
            if len(decided) >= 2:
                result.outcome = "contested"
            elif len(outcomes) == 1 and decided:
                result.outcome = decided.pop()
        result.divergence = divergence(provision, case, result)
        return result


def divergence(provision: m.Provision, case: m.Case, result: ProvisionResult) -> list[dict]:
    """Where the law's answer and the CSTO's recorded conduct part ways."""
    spec, record = provision.record, case.record
    if spec is None or record is None:
        return []
    acted = sorted({r.kind for r in record.responses if r.kind in spec.acted_if})
    views = ({p: v.outcome for p, v in result.perspectives.items()} if result.outcome == "contested"
             else {None: result.outcome})
    found = []
    for perspective, outcome in views.items():
        kind = None
        if spec.kind == "obligation" and outcome == "triggered" and not acted:
            kind, detail = "obligation_unmet", "the law says the obligation arose; the record shows no such response"
        elif outcome in ("not_triggered", "not_applicable") and acted:
            kind = "acted_without_obligation" if spec.kind == "obligation" else "acted_without_basis"
            detail = (f"the record shows {', '.join(acted)}, but the law's outcome is {outcome}")
        if kind:
            found.append({"perspective": perspective, "kind": kind, "detail": detail})
    return found
