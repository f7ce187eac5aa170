"""A case evaluated against one law: the facts as every party agrees on them and as each
claimant sees them (perspectives), each provision's outcome (contested when perspectives
decide differently), and where the law's answer and the recorded conduct part ways."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Mapping

from ..files import models as m
from ..gcpause import gc_paused
from ..files.errors import InputError, did_you_mean
from ..law.facts import case_values, under_treaty, vocab_presumptions
from ..law.loader import LawModels
from ..law.membership import derived_facts, event_claimants, facts_for
from ..logic.compiler import CompiledLaw, CompiledVersion
from ..logic.ir import Value
from ..outcome import DivergenceKind, Outcome
from .programs import Programs, backend_named
from .verdict import Verdict, verdict


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
    entries = list(case.facts.values()) + [e for own in case.treaty_facts.values() for e in own.values()]
    return sorted({p for e in entries if e.claims for p in e.claims})


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

    def __init__(self, law: LawModels, backend: str = "durable", memo: bool = False):
        self.law = law
        self.compiled = CompiledLaw(law)
        self.backend = backend_named(backend)
        self.programs = Programs(self.backend)         # prepared once per version, then run
        self._presumptions = vocab_presumptions(law.vocabulary)
        self._memo: dict[tuple[str, tuple[Value | None, ...]], Verdict] | None = {} if memo else None
        # Lookups and hits of the memo, so that a sweep can say how much it ran in durable_rules.
        self.memo_lookups = 0
        self.memo_hits = 0

    def provision_verdict(self, compiled: CompiledVersion, facts: Mapping[str, Value]) -> Verdict:
        if self._memo is None:
            return verdict(compiled, self.programs.derive(compiled, facts))
        # The value of each fact the version tests, None for unknown (no fact's value is None).
        key = (compiled.name, tuple(map(facts.get, compiled.facts)))
        found = self._memo.get(key)
        self.memo_lookups += 1
        if found is None:
            found = self._memo[key] = verdict(compiled, self.programs.derive(compiled, facts))
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

    # Without the cyclic collector: a case allocates many objects and leaves no garbage
    # cycles worth collecting, and each collection walks the whole law and every program
    # compiled so far (half of a first evaluation of a case listing 1,000 provisions).
    @gc_paused
    def evaluate(self, case: m.Case, *, at: dt.date | None = None,
                 perspective: str | None = None) -> CaseResult:
        day = at or case.date
        if case.events:
            # The facts as they stand at the end of the case date (snapshot and events up to it);
            # `casus evaluate --timeline` evaluates every step (engine/analysis/timeline.py).
            from ..law.events import as_of
            case = as_of(case, case.date, self.law.vocabulary)
        law = self.law
        named = case.parties()
        # Each provision reads the membership of its own treaty, and its treaty's own facts
        # (`treaty_facts`): the facts of each such group, once each.
        wanted = case.provisions or sorted(law.provisions)

        def group(pid: str) -> tuple[int, str | None]:
            treaty = pid.split(".")[0]
            return id(law.timeline_for(pid)), (treaty if treaty in case.treaty_facts else None)

        timelines = {id(t): t for t in (law.timeline_for(pid) for pid in wanted)}
        groups = {group(pid): (law.timeline_for(pid), under_treaty(case, pid)) for pid in wanted}
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
        facts_of: dict[tuple[int, str | None], tuple[Mapping[str, Value], Mapping[str, Mapping[str, Value]]]] = {}
        for key, (timeline, read) in groups.items():
            derived = derived_facts(vocab, timeline, named, day)
            agreed = case_values(read, vocab, derived, None, presumed)
            views = {p: case_values(read, vocab, derived_facts(vocab, timeline, named, day, p), p, presumed)
                     for p in parties}
            if perspective is not None:
                agreed, views = views[perspective], {}
            facts_of[key] = (agreed, views)
        results = [self._provision(pid, under_treaty(case, pid), day, *facts_of[group(pid)]) for pid in wanted]
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
