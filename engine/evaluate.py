"""Evaluating a case: facts -> derivations (durable_rules) -> outcomes per provision.

The outcome logic here is shared by both backends: `durable` (the engine: the
compiled program run stratum by stratum on durable_rules) and `reference` (the
pure-Python evaluator), so that differential checks compare what the backends
derive, nothing else. Outcomes read only the conclusions the firings derived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from collections.abc import Iterable, Mapping

from .backends.base import Backend, Firing
from .gcpause import gc_paused
from .law import models as m
from .logic.compiler import CompiledLaw, CompiledVersion, RuleKind
from .logic.ir import Atom, AtomKind, Term, Value, conclusion, fact
from .outcome import DivergenceKind, Outcome
from .law.errors import InputError, did_you_mean
from .law.loader import Law
from .law.facts import case_values, vocab_presumptions
from .law.timeline import derived_facts, event_claimants, facts_for


# ------------------------------------------------------------------ derivations

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
        from .backends.durable import DurableBackend
        return DurableBackend()
    if name == "reference":
        from .backends.reference import ReferenceBackend
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


# ------------------------------------------------------------------ outcomes

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


def _alive_sets(terms: Iterable[Term], facts: Mapping[Atom, Value]) -> list[frozenset[str]]:
    return [frozenset(a.name for a in t.atoms() if a not in facts) for t in terms if not t.contradicted(facts)]


def _antichain(sets: Iterable[frozenset[str]], keep_empty: bool = False) -> list[frozenset[str]]:
    """The non-empty sets none of whose non-empty proper subsets is among them, smallest
    first, after the empty set if `keep_empty` and it is there (the empty set is dropped
    from deciding sets at the end, so it shadows nothing). A set is tested against the kept
    ones or through its own subsets, whichever is fewer, so the cost grows with the number
    of sets, not with its square."""
    distinct = set(sets)
    head: list[frozenset[str]] = [frozenset()] if keep_empty and frozenset() in distinct else []
    uniq = sorted((s for s in distinct if s), key=lambda s: (len(s), sorted(s)))
    out: list[frozenset[str]] = []
    kept: set[frozenset[str]] = set()
    for s in uniq:
        if len(out) <= 1 << len(s):
            dominated = any(o <= s for o in out)
        else:
            members = sorted(s)
            dominated = any(frozenset(c) in kept for r in range(1, len(members)) for c in combinations(members, r))
        if not dominated:
            out.append(s)
            kept.add(s)
    return head + out


def _deciding_unions(app_true: list[frozenset[str]], app_false: list[frozenset[str]],
                     decide_outcome: list[frozenset[str]], outcome_known: bool) -> list[list[str]]:
    """Deciding sets when applicability is unknown: the minimal sets among those making it
    false, those making it true joined with those deciding the outcome, and (the outcome
    being known already) those making it true."""
    alone = app_false + app_true if outcome_known else app_false     # decide on their own
    # A union with a non-minimal part is never minimal: pair only the minimal ones. Nor is
    # one with a part that holds a set deciding on its own (it is that set, or shadowed by
    # it): leave such parts out. The pairing is still a product of what is left.
    shadow = _antichain(alone)
    shadow_set = set(shadow)
    parts_a = [a for a in _antichain(app_true, keep_empty=True) if not _holds_one(a, shadow, shadow_set)]
    parts_o = [o for o in _antichain(decide_outcome, keep_empty=True) if not _holds_one(o, shadow, shadow_set)]
    return _minimal(alone + [a | o for a in parts_a for o in parts_o])


def _holds_one(x: frozenset[str], family: list[frozenset[str]], family_set: set[frozenset[str]]) -> bool:
    """Does `x` contain a (non-empty) set of `family`? Tested against the family or through
    x's own subsets, whichever is fewer."""
    if not x or not family:
        return False
    if len(family) <= 1 << len(x):
        return any(f <= x for f in family)
    members = sorted(x)
    return any(frozenset(c) in family_set for r in range(1, len(members) + 1) for c in combinations(members, r))


def _minimal(sets: Iterable[frozenset[str]]) -> list[list[str]]:
    return [sorted(s) for s in _antichain(sets)]


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


# A conclusion value's terms as (the fact tests: (name, allowed values), ..., the names they test).
_Terms = tuple[tuple[tuple[tuple[str, frozenset[Value]], ...], frozenset[str]], ...]
# id(compiled) -> (compiled, kept alive so that its id stays its own; its terms by conclusion value)
_terms_of: dict[int, tuple[CompiledVersion, dict[tuple[str, bool], _Terms]]] = {}


@gc_paused          # the first call expands the conclusions (compile-time work, many objects kept)
def _fact_terms(compiled: CompiledVersion) -> dict[tuple[str, bool], _Terms]:
    """`compiled.conclusion_terms` by fact name, made once per compiled version (deciding
    sets read it for every undetermined verdict). The terms test input facts only (the
    expansion replaces conclusions and exceptions by the facts they rest on)."""
    found = _terms_of.get(id(compiled))
    if found is None or found[0] is not compiled:
        if len(_terms_of) >= 10_000:     # laws built and dropped (a server, tests) must not pile up
            _terms_of.clear()
        terms = {key: tuple((tuple((t.atom.name, t.values) for t in term.tests if t.atom.kind is AtomKind.FACT),
                             frozenset(t.atom.name for t in term.tests))
                            for term in value)
                 for key, value in compiled.conclusion_terms.items()}
        if any(t.atom.kind is not AtomKind.FACT for value in compiled.conclusion_terms.values()
               for term in value for t in term.tests):
            raise AssertionError(f"{compiled.name}: a deciding-set term tests a conclusion or an exception")
        found = _terms_of[id(compiled)] = (compiled, terms)
    return found[1]


def _alive(terms: _Terms, facts: Mapping[str, Value]) -> list[frozenset[str]]:
    """For each term the known facts do not contradict: the facts it tests that are unknown."""
    out = []
    for tests, names in terms:
        for name, values in tests:
            if name in facts and facts[name] not in values:
                break
        else:
            out.append(names.difference(facts))
    return out


def deciding_sets(compiled: CompiledVersion, d: Derivation) -> list[list[str]]:
    """Which unknown facts, once known, could decide an undetermined outcome?"""
    prov, terms = compiled.provision, _fact_terms(compiled)
    facts = d.facts
    applicable = True if prov.applicability is None else d.value(prov.applicability)
    outcome_value = d.value(prov.outcome)
    decide_outcome = _alive(terms[(prov.outcome, True)], facts) + _alive(terms[(prov.outcome, False)], facts)
    if applicable is None and prov.applicability is not None:
        app_true = _alive(terms[(prov.applicability, True)], facts)
        app_false = _alive(terms[(prov.applicability, False)], facts)
        return _deciding_unions(app_true, app_false, decide_outcome, outcome_value is not None)
    return _minimal(decide_outcome)


# ------------------------------------------------------------------ case evaluation

@dataclass(frozen=True, slots=True)
class Divergence:
    """Where the law's answer and the CSTO's recorded conduct part ways, in one view
    (`perspective` None: the facts every party agrees on)."""
    perspective: str | None
    kind: DivergenceKind
    detail: str

    def to_json(self) -> dict[str, str | None]:
        return {"perspective": self.perspective, "kind": self.kind.value, "detail": self.detail}


@dataclass
class ProvisionResult:
    provision: m.Provision
    version: m.ProvisionVersion | None
    outcome: Outcome
    verdict: Verdict | None = None                       # the facts all parties agree on
    perspectives: dict[str, Verdict] = field(default_factory=dict)
    divergence: list[Divergence] = field(default_factory=list)
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


def fact_assignment(case: m.Case, derived: Mapping[str, bool], perspective: str | None,
                    vocab: m.Vocabulary | None = None) -> dict[str, Value]:
    """The case's facts as one party sees them (None: only those all parties agree on or
    independent sources establish), with the vocabulary's presumptions (law/facts.py)."""
    if vocab is None:
        vocab = m.Vocabulary(parties={r: r for r in m.ROLES}, facts={}, derived={})
    return case_values(case, vocab, dict(derived), perspective)


@dataclass(frozen=True)
class Decision:
    """One provision's outcome on one fact assignment (no perspectives, no record)."""
    provision: str
    version: str | None
    outcome: Outcome
    verdict: Verdict | None


class Evaluator:
    """Evaluates cases against one law (base or variant); compiles each version once.

    With `memo=True`, verdicts are cached by (ruleset, the known facts it tests):
    evaluation is deterministic (`casus check` tests that), so sweeps over many
    scenarios that project onto the same facts run each distinct one once."""

    def __init__(self, law: Law, backend: str = "durable", memo: bool = False):
        self.law = law
        self.compiled = CompiledLaw(law)
        self.backend = backend_named(backend)
        self._presumptions = vocab_presumptions(law.vocabulary)
        self._memo: dict[tuple[str, tuple[Value | None, ...]], Verdict] | None = {} if memo else None
        # Lookups and hits of the memo, so that a sweep can say how much it ran in durable_rules.
        self.memo_lookups = 0
        self.memo_hits = 0

    def provision_verdict(self, compiled: CompiledVersion, facts: Mapping[str, Value]) -> Verdict:
        if self._memo is None:
            return verdict(compiled, derive(self.backend, compiled, facts))
        # The value of each fact the version tests, None for unknown (no fact's value is None).
        key = (compiled.name, tuple(map(facts.get, compiled.facts)))
        found = self._memo.get(key)
        self.memo_lookups += 1
        if found is None:
            found = self._memo[key] = verdict(compiled, derive(self.backend, compiled, facts))
        else:
            self.memo_hits += 1
        return found

    def decide(self, day: dt.date, facts: Mapping[str, Value],
               provisions: list[str] | None = None) -> dict[str, Decision]:
        """Outcomes of the given provisions (default: all) on resolved facts at `day`."""
        out = {}
        for pid in provisions or sorted(self.law.provisions):
            version = self.law.version_at(pid, day)
            if version is None:
                out[pid] = Decision(pid, None, Outcome.NOT_APPLICABLE, None)
                continue
            v = self.provision_verdict(self.compiled.version(pid, version), facts_for(facts, pid))
            out[pid] = Decision(pid, version.id, v.outcome, v)
        return out

    def outcomes(self, day: dt.date, facts: Mapping[str, Value], provisions: list[str]) -> list[Outcome]:
        """`decide(day, facts, provisions)`'s outcomes alone, in order (what a sweep compares)."""
        version_at, compiled, verdict_of = self.law.version_at, self.compiled.version, self.provision_verdict
        out = []
        for pid in provisions:
            version = version_at(pid, day)
            out.append(Outcome.NOT_APPLICABLE if version is None
                       else verdict_of(compiled(pid, version), facts_for(facts, pid)).outcome)
        return out

    def evaluate(self, case: m.Case, *, at: dt.date | None = None,
                 perspective: str | None = None) -> CaseResult:
        day = at or case.date
        if case.events:
            # The facts as they stand at the end of the case date (snapshot and events up to it);
            # `casus evaluate --timeline` evaluates every step (engine/analysis/timeline.py).
            from .law.events import as_of
            case = as_of(case, case.date)
        law = self.law
        named = case.parties()
        # Each provision reads the membership of its own treaty: facts per timeline, once each.
        wanted = case.provisions or sorted(law.provisions)
        timelines = {id(t): t for t in (law.timeline_for(pid) for pid in wanted)}
        parties = sorted(set(claimants(case)).union(
            *(event_claimants(t, list(named.values())) for t in timelines.values())))
        if perspective is not None and perspective not in parties:
            raise InputError(f"case '{case.id}' has no perspective '{perspective}'",
                             hint=did_you_mean(perspective, parties) or
                             (f"perspectives: {', '.join(parties)}" if parties else "this case has no contested facts"))
        first = law.first_signed()
        if day < first.treaty_signed:
            raise InputError(f"date {day} is before the {first.treaty} was signed ({first.treaty_signed})")
        vocab = law.vocabulary
        presumed = self._presumptions
        facts_of: dict[int, tuple[Mapping[str, Value], Mapping[str, Mapping[str, Value]]]] = {}
        for key, timeline in timelines.items():
            derived = derived_facts(vocab, timeline, named, day)
            agreed = case_values(case, vocab, derived, None, presumed)
            views = {p: case_values(case, vocab, derived_facts(vocab, timeline, named, day, p), p, presumed)
                     for p in parties}
            if perspective is not None:
                agreed, views = views[perspective], {}
            facts_of[key] = (agreed, views)
        results = [self._provision(pid, case, day, *facts_of[id(law.timeline_for(pid))]) for pid in wanted]
        return CaseResult(case, day, self.law.variant, perspective, results)

    def _provision(self, pid: str, case: m.Case, day: dt.date, agreed: Mapping[str, Value],
                   views: Mapping[str, Mapping[str, Value]]) -> ProvisionResult:
        provision = self.law.provisions[pid]
        version = self.law.version_at(pid, day)
        if version is None:
            spans = ", ".join(f"{v.in_force.from_}..{v.in_force.to or ''}" for v in provision.versions)
            return ProvisionResult(provision, None, Outcome.NOT_APPLICABLE,
                                   note=f"no version of {pid} in force on {day} (in force: {spans})")
        compiled = self.compiled.version(pid, version)
        base = self.provision_verdict(compiled, agreed)
        result = ProvisionResult(provision, version, base.outcome, base, compiled=compiled)
        if base.outcome == Outcome.UNDETERMINED and views:
            used = set(compiled.facts)
            relevant = {p: f for p, f in views.items()
                        if any(k in used and k not in agreed for k in f)}
            result.perspectives = {p: self.provision_verdict(compiled, f) for p, f in sorted(relevant.items())}
            outcomes = {v.outcome for v in result.perspectives.values()}
            decided = outcomes - {Outcome.UNDETERMINED}
            if len(decided) >= 2:
                result.outcome = Outcome.CONTESTED
            elif len(outcomes) == 1 and decided:
                result.outcome = decided.pop()
        result.divergence = divergence(provision, case, result)
        return result


def divergence(provision: m.Provision, case: m.Case, result: ProvisionResult) -> list[Divergence]:
    """Where the law's answer and the CSTO's recorded conduct part ways."""
    spec, record = provision.record, case.record
    if spec is None or record is None:
        return []
    acted = sorted({r.kind for r in record.responses if r.kind in spec.acted_if})
    views: dict[str | None, Outcome] = ({p: v.outcome for p, v in result.perspectives.items()}
                                        if result.outcome == Outcome.CONTESTED else {None: result.outcome})
    found: list[Divergence] = []
    for perspective, outcome in views.items():
        if spec.kind == "obligation" and outcome == Outcome.TRIGGERED and not acted:
            found.append(Divergence(perspective, DivergenceKind.OBLIGATION_UNMET,
                                    "the law says the obligation arose; the record shows no such response"))
        elif outcome in (Outcome.NOT_TRIGGERED, Outcome.NOT_APPLICABLE) and acted:
            kind = (DivergenceKind.ACTED_WITHOUT_OBLIGATION if spec.kind == "obligation"
                    else DivergenceKind.ACTED_WITHOUT_BASIS)
            found.append(Divergence(perspective, kind,
                                    f"the record shows {', '.join(acted)}, but the law's outcome is {outcome.value}"))
    return found
