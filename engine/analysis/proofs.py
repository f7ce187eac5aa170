"""Deciding the law's properties over whole fact spaces: enumeration where small, z3 where not.

A provision version reads a finite set of facts. Its *fact space* is every assignment a
case can give them: each case fact one of its values or unknown, and the derived facts
(membership) as the membership timeline can make them on a date the version is in force,
each party named or not (`situations`). Every assignment of that space is realised by a
case file: the situation's witness date and parties, and the facts stated (a presumed fact
left unknown is written as two parties' competing claims, the only way a case leaves it so).

Properties decided per version:
  totality      every complete assignment (every fact the version reads known) has a
                decided outcome: no gaps
  consistency   no assignment derives a conclusion both true and false
  monotonicity  refining an assignment never changes a decided outcome
  coverage      every rule fires on some assignment; every declared outcome is reached
  differential  durable_rules and the reference evaluator fire the same rules and derive
                the same conclusions (conflicts included) on every assignment: this runs the
                engine, so it is decided by enumeration only, and sampled beyond the bound
Equivalence of two laws for a provision: on every date, parties and facts, the same outcome
(`equivalence`); locality is equivalence of every provision a variant does not declare.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import z3

from .. import progress
from ..backends.base import Derivation
from ..evaluate.programs import Programs, backend_named
from ..evaluate.verdict import verdict
from ..law.loader import LawModels
from ..law.states import scenario_states
from ..law.membership import derived_facts
from ..logic.compiler import CompiledLaw, CompiledVersion
from ..logic.ir import Value
from ..logic.smt import CODE, OUTCOMES, Encoding, Facts
from ..outcome import Outcome
from .scenarios import LAST_DAY, Scenario, as_case, boundary_dates

EXHAUSTIVE_BOUND = 100_000
Assignment = dict[str, Value]          # known facts only (absent: unknown)


# ------------------------------------------------------------------ situations: what membership allows

@dataclass(frozen=True)
class Situation:
    """One assignment of a version's derived facts that dates and parties can produce,
    with a date and parties that produce it (the earliest date, the first states)."""
    derived: tuple[tuple[str, bool], ...]          # known derived facts, sorted
    date: dt.date
    parties: tuple[tuple[str, str], ...]

    def facts(self) -> Assignment:
        return dict(self.derived)


def _derived_names(law: LawModels, names: tuple[str, ...] | list[str]) -> list[str]:
    return [f for f in names if f in law.vocabulary.derived]


def _roles(law: LawModels, derived: list[str]) -> list[str]:
    return sorted({r for f in derived for r in law.vocabulary.derived[f].roles})


def _components(laws: list[LawModels], derived: list[str], roles: list[str]) -> list[list[str]]:
    """Roles linked by a derived fact that reads several of them (same_state) are chosen
    together; other roles independently (a date fixed, their facts do not interact)."""
    parent = {r: r for r in roles}

    def find(r: str) -> str:
        while parent[r] != r:
            r = parent[r]
        return r

    for law in laws:
        for f in derived:
            spec = law.vocabulary.derived.get(f)
            if spec is not None and len(spec.roles) > 1:
                first = find(spec.roles[0])
                for other in spec.roles[1:]:
                    parent[find(other)] = first
    groups: dict[str, list[str]] = {}
    for r in roles:
        groups.setdefault(find(r), []).append(r)
    return [sorted(g) for _, g in sorted(groups.items())]


def _dates(laws: list[LawModels], pid: str | None = None) -> list[dt.date]:
    """One date in every stretch where nothing changes (each change day is in the list): the
    law's boundary dates, and those of the provision's own treaty (versions, membership events),
    which may lie before the CST's."""
    days: set[dt.date] = set()
    for law in laws:
        days.update(boundary_dates(law))
        if pid is not None and pid in law.provisions:
            for v in law.provisions[pid].versions:
                days.add(v.in_force.from_)
                if v.in_force.to:
                    days.update({v.in_force.to, v.in_force.to + dt.timedelta(days=1)})
            for record in _timeline(law, pid).states.values():
                days.update(e.date for e in record.events)
    return sorted(days)


def _timeline(law: LawModels, pid: str | None) -> Any:
    """The membership timeline a provision reads (its own treaty's)."""
    return law.timeline_for(pid) if pid is not None else law.timeline


def joint_situations(laws: list[LawModels], derived: list[list[str]],
                     versions: list[Any] | None = None,
                     pid: str | None = None) -> dict[tuple[Any, ...], tuple[dt.date, dict[str, str]]]:
    """Every distinct combination (per law: the derived facts it reads, as its membership
    makes them) that one date and one choice of parties produce, with its first witness.
    `versions`, when given, is a function per law (date -> key part), e.g. the version in force."""
    roles = sorted(set().union(*(_roles(law, d) for law, d in zip(laws, derived))))
    timelines = [_timeline(law, pid) for law in laws]
    states = sorted(set().union(*(scenario_states(t) for t in timelines)))
    components = _components(laws, sorted(set().union(*derived)), roles)
    out: dict[tuple[Any, ...], tuple[dt.date, dict[str, str]]] = {}
    for day in _dates(laws, pid):
        head = tuple(v(day) for v in versions) if versions else ()
        per_component: list[list[tuple[dict[str, str], tuple[Any, ...]]]] = []
        for comp in components:
            seen: dict[tuple[Any, ...], dict[str, str]] = {}
            for choice in product([None, *states], repeat=len(comp)):
                parties = {r: s for r, s in zip(comp, choice) if s is not None}
                key = tuple(tuple(sorted((f, v) for f, v in derived_facts(law.vocabulary, timeline, parties, day).items()
                                         if f in names and set(law.vocabulary.derived[f].roles) <= set(comp)))
                            for law, timeline, names in zip(laws, timelines, derived))
                seen.setdefault(key, parties)
            per_component.append([(p, k) for k, p in seen.items()])
        for combo in product(*per_component):
            parties = {}
            parts: list[list[tuple[str, bool]]] = [[] for _ in laws]
            for p, k in combo:
                parties.update(p)
                for i, part in enumerate(k):
                    parts[i].extend(part)
            key = head + tuple(tuple(sorted(p)) for p in parts)
            out.setdefault(key, (day, parties))
    return out


def situations(law: LawModels, cv: CompiledVersion) -> list[Situation]:
    """The derived-fact assignments of `cv`'s fact space (on dates `cv` is in force)."""
    names = _derived_names(law, cv.facts)
    start, end = cv.version.in_force.from_, cv.version.in_force.to or LAST_DAY
    found = joint_situations([law], [names], [lambda d: start <= d <= end], pid=cv.provision.id)
    out = [Situation(key[1], day, tuple(sorted(parties.items())))
           for key, (day, parties) in found.items() if key[0]]
    return sorted(out, key=lambda s: (s.derived, s.date))


# ------------------------------------------------------------------ the fact space of a version

@dataclass
class Space:
    """A version's fact space: situations x every value-or-unknown of its case facts."""
    law: LawModels
    cv: CompiledVersion
    situations: list[Situation]
    plain: list[str]                                   # case facts (not derived)
    domains: dict[str, tuple[Value, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, law: LawModels, cv: CompiledVersion) -> "Space":
        derived = set(_derived_names(law, cv.facts))
        plain = [f for f in cv.facts if f not in derived]
        return cls(law, cv, situations(law, cv), plain, {f: tuple(law.domain_of(f)) for f in plain})

    @property
    def size(self) -> int:
        n = len(self.situations)
        for f in self.plain:
            n *= len(self.domains[f]) + 1
        return n

    def assignments(self) -> Iterator[tuple[int, tuple[Value | None, ...], Assignment]]:
        """(situation index, plain values with None for unknown, the known facts)."""
        choices = [list(self.domains[f]) + [None] for f in self.plain]
        for i, sit in enumerate(self.situations):
            base = sit.facts()
            for combo in product(*choices):
                known = dict(base)
                known.update({f: v for f, v in zip(self.plain, combo) if v is not None})
                yield i, combo, known

    def complete(self) -> Iterator[Assignment]:
        """Every assignment with every fact known."""
        derived = _derived_names(self.law, self.cv.facts)
        choices = [list(self.domains[f]) for f in self.plain]
        for sit in self.situations:
            if len(sit.derived) == len(derived):
                for combo in product(*choices):
                    known = sit.facts()
                    known.update(zip(self.plain, combo))
                    yield known

    def sample(self, n: int, seed: int) -> Iterator[Assignment]:
        rnd = random.Random(f"casus-proofs:{seed}:{self.cv.name}")
        for _ in range(n):
            sit = rnd.choice(self.situations)
            known = sit.facts()
            for f in self.plain:
                v = rnd.choice(list(self.domains[f]) + [None])
                if v is not None:
                    known[f] = v
            yield known

    def situation_of(self, known: Mapping[str, Value]) -> Situation:
        derived = {f: v for f, v in known.items() if f not in self.domains}
        key = tuple(sorted(derived.items()))
        for s in self.situations:
            if s.derived == key:
                return s
        raise KeyError(key)

    # -------------------------------------------------------------- SMT

    def facts(self, prefix: str = "") -> Facts:
        return Facts(self.law.domain_of, prefix)

    def constraint(self, facts: Facts) -> z3.BoolRef:
        """`facts` is an assignment of this space."""
        derived = _derived_names(self.law, self.cv.facts)
        options = []
        for s in self.situations:
            known = s.facts()
            options.append(z3.And([facts.var(f) == facts.code(f, known.get(f)) for f in derived]))
        return z3.And(facts.ranges(self.plain), z3.Or(options) if options else z3.BoolVal(False))

    def read(self, facts: Facts, model: z3.ModelRef) -> Assignment:
        got = facts.read(model, self.cv.facts)
        return {f: v for f, v in got.items() if v is not None}


# ------------------------------------------------------------------ case files from assignments

def case_for(law: LawModels, space: Space | None, known: Mapping[str, Value], *, date: dt.date | None = None,
             parties: Mapping[str, str] | None = None, id: str, title: str, cite: str, summary: str,
             provisions: list[str] | None = None, unknown: list[str] | None = None) -> dict[str, Any]:
    """A case file (plain data, loads as it is) realising an assignment: the situation's date
    and parties, the known case facts stated, and each presumed fact the assignment leaves
    unknown written as two parties' competing claims (a presumption fills a fact a case is
    silent on, so silence cannot leave it unknown)."""
    vocab = law.vocabulary
    if space is not None and date is None:
        sit = space.situation_of(known)
        date, parties = sit.date, dict(sit.parties)
    assert date is not None
    plain = {f: v for f, v in known.items() if f not in vocab.derived}
    presumed_unknown = sorted(f for f in unknown or [] if f in vocab.facts and vocab.facts[f].presumption is not None
                              and f not in plain)
    case = as_case(Scenario(-1, date, dict(parties or {}), plain), id=id, title=title, cite=cite, summary=summary,
                   provisions=provisions)
    for f in presumed_unknown:
        domain = vocab.facts[f].domain()
        case["facts"][f] = {"claims": {"claimant-a": {"value": domain[0], "source": "generated"},
                                       "claimant-b": {"value": domain[1], "source": "generated"}}}
    case["facts"] = dict(sorted(case["facts"].items()))
    return case


# ------------------------------------------------------------------ per-version proofs

@dataclass
class Engines:
    """The engine (durable_rules) and the reference evaluator, each with its prepared programs."""
    durable: Programs
    reference: Programs

    @classmethod
    def new(cls) -> "Engines":
        return cls(Programs(backend_named("durable")), Programs(backend_named("reference")))

@dataclass
class Finding:
    """A property failing on one version, with the assignment that shows it."""
    detail: str
    known: Assignment
    rules: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)       # facts the assignment leaves unknown
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class VersionProof:
    space: Space
    method: str                              # "exhaustive" or "smt"
    checked: int                             # assignments enumerated (exhaustive), else 0
    findings: dict[str, Finding] = field(default_factory=dict)
    fired: set[str] = field(default_factory=set)
    reached: set[Outcome] = field(default_factory=set)
    differential_sampled: int = 0
    seconds: float = 0.0

    @property
    def key(self) -> str:
        cv = self.space.cv
        return f"{cv.provision.id}@{cv.version.id}"


def _undecided_detail(cv: CompiledVersion, d: Derivation) -> str:
    prov = cv.provision
    names = [prov.outcome] + ([prov.applicability] if prov.applicability else [])
    underived = [c for c in names if d.value(c) is None]
    conflicts = [c for c in underived if c in d.conflicts()]
    why = ("no rule decides " + " or ".join(f"'{c}'" for c in underived if c not in conflicts)
           if len(conflicts) < len(underived) else
           " and ".join(f"'{c}'" for c in conflicts) + " is derived both ways (a conflict)")
    return f"{cv.provision.id} (version {cv.version.id}) is undetermined with every fact it reads known: {why}"


def _gap(cv: CompiledVersion, d: Derivation, known: Assignment) -> Finding:
    return Finding(_undecided_detail(cv, d), dict(known), sorted(d.fired), extra={"conflict": bool(d.conflicts())})


def _conflict_finding(cv: CompiledVersion, d: Derivation) -> Finding | None:
    conflicts = d.conflicts()
    if not conflicts:
        return None
    c = conflicts[0]
    rules = sorted({f.rule for f in d.firings if f.derives.name == c and f.kind.value == "rule"})
    t = sorted(f.rule for f in d.firings if f.derives.name == c and f.value is True and f.kind.value == "rule")
    f_ = sorted(f.rule for f in d.firings if f.derives.name == c and f.value is False and f.kind.value == "rule")
    return Finding(f"{cv.provision.id} (version {cv.version.id}) derives '{c}' both true ({', '.join(t)}) "
                   f"and false ({', '.join(f_)})", dict(d.facts), rules,
                   extra={"conclusion": c, "true_by": t, "false_by": f_})


def _differential_finding(engines: Engines, cv: CompiledVersion, known: Assignment, d: Derivation) -> Finding | None:
    r = engines.reference.derive(cv, known)
    fd, fr = {f.key() for f in d.firings}, {f.key() for f in r.firings}
    diffs = []
    if fd != fr:
        only_d, only_r = sorted(fd - fr), sorted(fr - fd)
        if only_d:
            diffs.append(f"durable_rules alone fired {[_firing(k) for k in only_d]}")
        if only_r:
            diffs.append(f"the reference alone fired {[_firing(k) for k in only_r]}")
    if d.conclusions != r.conclusions:
        diffs.append(f"conclusions {_plain(d.conclusions)} (durable_rules) vs {_plain(r.conclusions)} (reference)")
    vd, vr = verdict(cv, d).outcome, verdict(cv, r).outcome
    if vd != vr:
        diffs.append(f"outcome {vd} (durable_rules) vs {vr} (reference)")
    if not diffs:
        return None
    return Finding(f"{cv.provision.id} (version {cv.version.id}): " + "; ".join(diffs), dict(known),
                   sorted({k[1] for k in fd ^ fr}))


def _plain(conclusions: dict[str, set[bool]]) -> dict[str, list[bool]]:
    return {c: sorted(v) for c, v in sorted(conclusions.items())}


def _firing(key: tuple[int, str, str, bool]) -> str:
    _, rule, kind, value = key
    return rule if kind == "rule" else f"{rule} applies={str(value).lower()}"


def prove_exhaustive(space: Space, engines: Engines, *, differential: bool = True, label: str = "assignments enumerated",
                     done: list[int] | None = None, total: int = 0) -> VersionProof:
    """Every assignment of the space, run in durable_rules (and the reference)."""
    cv = space.cv
    started = time.perf_counter()
    proof = VersionProof(space, "exhaustive", 0)
    found = proof.findings
    table: dict[tuple[int, tuple[Value | None, ...]], Outcome] = {}
    counter = done if done is not None else [0]
    derived_names = _derived_names(space.law, cv.facts)
    complete_sits = {i for i, s in enumerate(space.situations) if len(s.derived) == len(derived_names)}
    gaps = 0
    for i, combo, known in space.assignments():
        d = engines.durable.derive(cv, known)
        v = verdict(cv, d)
        table[(i, combo)] = v.outcome
        proof.reached.add(v.outcome)
        proof.fired.update(d.fired)
        if "consistency" not in found:
            f = _conflict_finding(cv, d)
            if f:
                found["consistency"] = f
        if v.outcome == Outcome.UNDETERMINED and None not in combo and i in complete_sits:
            # A gap: shown by an assignment no rule decides, rather than one a conflict leaves open.
            gaps += 1
            if "totality" not in found or (found["totality"].extra["conflict"] and not d.conflicts()):
                found["totality"] = _gap(cv, d, known)
        if differential and "differential" not in found:
            f = _differential_finding(engines, cv, known, d)
            if f:
                found["differential"] = f
        counter[0] += 1
        if not counter[0] % 2000:
            progress.report(label, counter[0], total or counter[0])
    proof.checked = len(table)
    if "totality" in found:
        found["totality"].extra["undecided_assignments"] = gaps
    # Monotonicity by lookup: every one-fact refinement of an assignment is in the table
    # (refining a case fact; a derived fact is refined by naming a party, a situation of its own).
    domains = [list(space.domains[f]) for f in space.plain]
    sit_index = {s.derived: i for i, s in enumerate(space.situations)}
    for (i, combo), before in table.items():
        if "monotonicity" in found:
            break
        if not before.decided:
            continue
        refinements: list[tuple[int, tuple[Value | None, ...], str, Value]] = []
        for j, value in enumerate(combo):
            if value is None:
                refinements += [(i, combo[:j] + (x,) + combo[j + 1:], space.plain[j], x) for x in domains[j]]
        sit = space.situations[i]
        have = dict(sit.derived)
        for name in _derived_names(space.law, cv.facts):
            if name in have:
                continue
            for b in (True, False):
                k = sit_index.get(tuple(sorted({**have, name: b}.items())))
                if k is not None:
                    refinements.append((k, combo, name, b))
        for k, refined, name, x in refinements:
            after = table[(k, refined)]
            if after != before:
                known = dict(sit.facts())
                known.update({f: v for f, v in zip(space.plain, combo) if v is not None})
                found["monotonicity"] = Finding(
                    f"{cv.provision.id} (version {cv.version.id}): learning {name} = {x!r} turns {before} into {after}",
                    known, unknown=[f for f in cv.facts if f not in known], extra={"learn": {name: x}})
                break
    proof.seconds = time.perf_counter() - started
    return proof


def _solve(solver: z3.Solver) -> z3.ModelRef | None:
    got = solver.check()
    if got == z3.sat:
        return solver.model()
    if got == z3.unsat:
        return None
    raise RuntimeError(f"z3 answered {got}: {solver.reason_unknown()}")


def prove_smt(space: Space, engines: Engines, *, samples: int = 200, seed: int = 0) -> VersionProof:
    """Every property z3 can decide; the differential (which runs the engine) sampled."""
    cv = space.cv
    started = time.perf_counter()
    proof = VersionProof(space, "smt", 0)
    facts = space.facts()
    enc = Encoding(cv, facts)
    in_space = space.constraint(facts)
    known_all = facts.complete(cv.facts)

    s = z3.Solver()
    s.add(in_space, known_all, enc.outcome() == CODE[Outcome.UNDETERMINED])
    model = _solve_with(s, z3.Not(enc.any_conflict()))      # a gap no conflict explains, first
    if model is None:
        model = _solve(s)
    if model is not None:
        known = space.read(facts, model)
        proof.findings["totality"] = _gap(cv, engines.durable.derive(cv, known), known)
    s = z3.Solver()
    s.add(in_space, enc.any_conflict())
    model = _solve(s)
    if model is not None:
        known = space.read(facts, model)
        finding = _conflict_finding(cv, engines.durable.derive(cv, known))
        proof.findings["consistency"] = finding or Finding(
            f"{cv.provision.id} (version {cv.version.id}): the encoding derives a conflict durable_rules does not "
            f"(an encoding error)", known)
    # Monotonicity: a refinement B of A (each fact of A known keeps its value) with A decided
    # and B's outcome another.
    after = space.facts("after.")
    enc_b = Encoding(cv, after)
    refines = z3.And([z3.Or(facts.var(f) == facts.unknown_code(f), after.var(f) == facts.var(f)) for f in cv.facts])
    s = z3.Solver()
    s.add(in_space, space.constraint(after), refines, enc.decided(), enc.outcome() != enc_b.outcome())
    model = _solve(s)
    if model is not None:
        known = space.read(facts, model)
        learnt = {f: v for f, v in space.read(after, model).items() if f not in known}
        proof.findings["monotonicity"] = Finding(
            f"{cv.provision.id} (version {cv.version.id}): learning {learnt} turns "
            f"{OUTCOMES[model.eval(enc.outcome()).as_long()]} into {OUTCOMES[model.eval(enc_b.outcome()).as_long()]}",
            known, unknown=[f for f in cv.facts if f not in known], extra={"learn": learnt})
    # Coverage: which rules can fire, which outcomes can be reached.
    s = z3.Solver()
    s.add(in_space)
    for rid in sorted(cv.rules):
        if _solve_with(s, enc.fires(rid)) is not None:
            proof.fired.add(rid)
    for o in OUTCOMES:
        if _solve_with(s, enc.outcome() == CODE[o]) is not None:
            proof.reached.add(o)
    for known in space.sample(samples, seed):
        proof.differential_sampled += 1
        if "differential" not in proof.findings:
            f = _differential_finding(engines, cv, known, engines.durable.derive(cv, known))
            if f:
                proof.findings["differential"] = f
    proof.seconds = time.perf_counter() - started
    return proof


def _solve_with(s: z3.Solver, extra: z3.BoolRef) -> z3.ModelRef | None:
    s.push()
    s.add(extra)
    try:
        return _solve(s)
    finally:
        s.pop()


def prove_version(law: LawModels, cv: CompiledVersion, engines: Engines, *, bound: int = EXHAUSTIVE_BOUND, force_smt: bool = False,
                  samples: int = 200, seed: int = 0, done: list[int] | None = None, total: int = 0) -> VersionProof:
    space = Space.of(law, cv)
    if space.size <= bound and not force_smt:
        return prove_exhaustive(space, engines, done=done, total=total)
    return prove_smt(space, engines, samples=samples, seed=seed)


def prove_law(law: LawModels, engines: Engines, *, bound: int = EXHAUSTIVE_BOUND, force_smt: bool = False, samples: int = 200,
              seed: int = 0, compiled: CompiledLaw | None = None) -> list[VersionProof]:
    compiled = compiled or CompiledLaw(law)
    versions = compiled.all_versions()
    spaces = [Space.of(law, cv) for cv in versions]
    total = sum(sp.size for sp in spaces if sp.size <= bound and not force_smt)
    done = [0]
    out = []
    for space in spaces:
        if space.size <= bound and not force_smt:
            out.append(prove_exhaustive(space, engines, done=done, total=total))
        else:
            out.append(prove_smt(space, engines, samples=samples, seed=seed))
    if total:
        progress.report("assignments enumerated", total, total)
    return out


def never_in_force(law: LawModels, pid: str) -> dt.date | None:
    """A date (after the Treaty's signature) when no version of `pid` is in force, if any:
    the provision is not applicable then, whatever the facts."""
    for day in _dates([law]):
        if law.version_at(pid, day) is None:
            return day
    return None


# ------------------------------------------------------------------ equivalence of two laws

class _Constant:
    """The outcome of a provision with no version in force: not applicable, whatever the facts."""

    def outcome(self) -> z3.ArithRef:
        return z3.IntVal(CODE[Outcome.NOT_APPLICABLE])


def equivalence(a: LawModels, b: LawModels, pid: str, *, implies: bool = False, minimal: bool = True) -> dict[str, Any]:
    """Does `pid` give the same outcome under `a` and `b` on every date, parties and facts?
    With `implies`: is every assignment triggered under `a` triggered under `b`?
    The answer holds a smallest counterexample (fewest facts stated) when it is no."""
    started = time.perf_counter()
    ca, cb = CompiledLaw(a), CompiledLaw(b)

    def version(law: LawModels, compiled: CompiledLaw, day: dt.date) -> CompiledVersion | None:
        if pid not in law.provisions:
            return None
        v = law.version_at(pid, day)
        return None if v is None else compiled.version(pid, v)

    def reads(law: LawModels) -> list[str]:
        if pid not in law.provisions:
            return []
        names: set[str] = set()
        for v in law.provisions[pid].versions:
            names.update(_derived_names(law, (ca if law is a else cb).version(pid, v).facts))
        return sorted(names)

    da, db = reads(a), reads(b)
    found = joint_situations([a, b], [da, db], [
        lambda d: (v.version.id if (v := version(a, ca, d)) else None),
        lambda d: (v.version.id if (v := version(b, cb, d)) else None)], pid=pid)
    checked = 0
    for key, (day, parties) in sorted(found.items(), key=lambda kv: (kv[1][0], sorted(kv[1][1].items()))):
        va, vb = version(a, ca, day), version(b, cb, day)
        if va is None and vb is None:
            continue
        if va is not None and vb is not None and va.name == vb.name and key[2] == key[3]:
            continue                     # the same program on the same derived facts: the same outcome
        checked += 1
        known_a, known_b = dict(key[2]), dict(key[3])
        fa = Facts(a.domain_of, "", None)
        fa_fixed = _FixedFacts(fa, known_a, da)
        fb_fixed = _FixedFacts(fa, known_b, db)
        ea = Encoding(va, fa_fixed) if va is not None else _Constant()
        eb = Encoding(vb, fb_fixed) if vb is not None else _Constant()
        plain = sorted({f for v in (va, vb) if v is not None for f in v.facts} - set(da) - set(db))
        for f in plain:
            fa.var(f)
        if implies:
            differ = z3.And(ea.outcome() == CODE[Outcome.TRIGGERED], eb.outcome() != CODE[Outcome.TRIGGERED])
        else:
            differ = ea.outcome() != eb.outcome()
        s = z3.Solver()
        s.add(fa.ranges(plain), differ)
        model = _solve(s)
        if model is None:
            continue
        if minimal:
            model = _smallest(a, fa, plain, differ) or model
        got = fa.read(model, plain)
        known = {f: v for f, v in got.items() if v is not None}
        unknown = [f for f, v in got.items() if v is None]
        before = OUTCOMES[model.eval(ea.outcome(), model_completion=True).as_long()]
        after = OUTCOMES[model.eval(eb.outcome(), model_completion=True).as_long()]
        return {"equivalent": False, "provision": pid, "date": day, "parties": dict(sorted(parties.items())),
                "facts": known, "unknown": unknown, "outcomes": [before, after],
                "situations": checked, "seconds": time.perf_counter() - started}
    return {"equivalent": True, "provision": pid, "situations": checked, "seconds": time.perf_counter() - started}


class _FixedFacts(Facts):
    """A `Facts` whose derived facts are constants (one situation), sharing the case facts'
    variables with the other law's."""

    def __init__(self, shared: Facts, fixed: Mapping[str, bool], derived: list[str]):
        super().__init__(shared.domain_of, shared.prefix, shared.ctx)
        self.shared, self.fixed, self.derived_names = shared, dict(fixed), set(derived)
        self.vars, self.domains = shared.vars, shared.domains

    def var(self, name: str) -> z3.ArithRef:
        if name in self.derived_names:
            self.domains.setdefault(name, tuple(self.domain_of(name)))
            return z3.IntVal(self.code(name, self.fixed.get(name)))
        return self.shared.var(name)

    def code(self, name: str, value: Value | None) -> int:
        if name in self.derived_names:
            domain = self.domains.setdefault(name, tuple(self.domain_of(name)))
            if value is None:
                return len(domain)
            return next(i for i, v in enumerate(domain) if v == value and isinstance(v, bool) == isinstance(value, bool))
        return self.shared.code(name, value)


def _smallest(law: LawModels, facts: Facts, plain: list[str], differ: z3.BoolRef) -> z3.ModelRef | None:
    """A model stating as few facts as a case file needs: an omitted fact is unknown, an
    omitted presumed fact has its presumed value, and a presumed fact left unknown costs
    two claims."""
    opt = z3.Optimize()
    opt.add(facts.ranges(plain), differ)
    vocab = law.vocabulary.facts
    for f in plain:
        spec = vocab.get(f)
        if spec is not None and spec.presumption is not None:
            opt.add_soft(facts.var(f) == facts.code(f, spec.presumption.value), 1)
            opt.add_soft(facts.known(f), 3)
        else:
            opt.add_soft(facts.var(f) == facts.unknown_code(f), 1)
    if opt.check() == z3.sat:
        return opt.model()
    return None
