"""`casus check`: properties the rules must have, decided, not assumed.

Properties (each reported with how it was decided, and a counterexample when it fails):
  totality      every complete assignment of a version's facts has a decided outcome (no gaps)
  consistency   no conclusion is derived both true and false
  monotonicity  making an unknown fact known never changes a decided outcome
  differential  the durable_rules engine and the reference evaluator fire the same rules and
                derive the same conclusions, conflicts included
  coverage      every rule fires somewhere; every provision reaches each outcome it declares
  locality      (with a variant) only the provisions it declares change
  determinism   fact order does not matter; the JSON of a result is byte-identical

The first five are decided over each provision version's whole fact space (proofs.py):
by enumeration in durable_rules where the space has at most `bound` assignments, by z3
beyond (the differential, which runs the engine, is then sampled, and says so). Locality
is proved with z3 (equivalence of each undeclared provision with the base law's).
Determinism is about the engine run twice, not about the rules: hypothesis samples it
(dates, parties, three-valued facts drawn from the vocabulary) and says so.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from collections.abc import Iterable, Iterator
from itertools import product
from typing import Any, Callable

from ..files import models as m
from ..law.amendments import BASE, with_variants
from ..logic.compiler import CompiledLaw, CompiledVersion
from ..logic.ir import Value
from ..outcome import Outcome
from ..evaluate.evaluator import Evaluator
from ..evaluate.programs import Programs, backend_named
from ..evaluate.verdict import verdict
from ..law.loader import LawModels
from ..law.states import scenario_states
from .proofs import EXHAUSTIVE_BOUND, Engines, VersionProof, case_for, equivalence, never_in_force, prove_law
from .scenarios import LAST_DAY, Scenario, as_case, boundary_dates


@dataclass
class PropertyResult:
    name: str
    how: str                      # "exhaustive 25,920", "proved (SMT)", "sampled 200", ...
    examples: int
    passed: bool
    detail: str = ""
    rules: list[str] = field(default_factory=list)
    counterexample: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict[str, Any])
    decided: bool = False         # decided over the whole space (else sampled)

    def as_dict(self) -> dict[str, Any]:
        out = {"property": self.name, "how": self.how, "decided": self.decided, "examples": self.examples,
               "passed": self.passed}
        if self.detail:
            out["detail"] = self.detail
        if self.rules:
            out["rules"] = self.rules
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        out.update(self.extra)
        return out


def _assignment(known: dict[str, Value], names: Iterable[str]) -> dict[str, Any]:
    """Every fact the version reads, with its value or "unknown"."""
    return {f: known.get(f, "unknown") for f in sorted(names)}


def _verdict_json(durable: Programs, cv: CompiledVersion, facts: dict[str, Any]) -> str:
    v = verdict(cv, durable.derive(cv, facts))
    return json.dumps({"outcome": v.outcome, "reasons": v.reasons, "deciding": v.deciding,
                       "firings": [[f.stratum, f.rule, f.kind.value, f.value, f.term,
                                    [[str(a), x] for a, x in f.matched]] for f in v.derivation.firings]},
                      sort_keys=True)


def _reordered(facts: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    items = list(facts.items())
    rnd.shuffle(items)
    return dict(items)


class Problem:
    def __init__(self, detail: str, rules: list[str] | None = None):
        self.detail, self.rules = detail, rules or []


class Checker:
    def __init__(self, base: LawModels, variant: str | None = None, *, examples: int = 200, seed: int = 0,
                 exhaustive: bool = False, smt: bool = False, bound: int = EXHAUSTIVE_BOUND):
        self.base = base
        self.variant = variant if variant and variant != BASE else None
        self.law = with_variants(base, self.variant) if self.variant else base
        self.examples, self.seed, self.exhaustive, self.smt, self.bound = examples, seed, exhaustive, smt, bound
        # No memo: determinism must be observed, not assumed.
        self.evaluator = Evaluator(self.law)
        self.durable = self.evaluator.programs
        self.reference = Programs(backend_named("reference"))
        self.compiled = CompiledLaw(self.law)
        self.proofs: list[VersionProof] = []
        self.version_rows: list[dict[str, Any]] = []

    def _versions(self, s: Scenario) -> list[CompiledVersion]:
        out = []
        for pid in sorted(self.law.provisions):
            version = self.law.version_at(pid, s.date)
            if version is not None:
                out.append(self.compiled.version(pid, version))
        return out

    def complete_space(self, cv: CompiledVersion) -> int:
        """Assignments of the version's facts with every fact known (free of membership)."""
        size = 1
        for f in cv.facts:
            size *= len(self.law.domain_of(f))
        return size

    def complete_assignments(self, cv: CompiledVersion) -> Iterator[dict[str, Value]]:
        """Every assignment of the version's facts with each fact known."""
        for combo in product(*[list(self.law.domain_of(f)) for f in cv.facts]):
            yield dict(zip(cv.facts, combo))

    def _case(self, s: Scenario, label: str) -> dict[str, Any]:
        return as_case(s, id=f"check-{label}", title=f"Counterexample to {label}",
                       cite=f"casus check{' --variant ' + self.variant if self.variant else ''} --seed {self.seed}",
                       summary=f"A smallest scenario that breaks {label}.")

    # -------------------------------------------------------------- determinism (sampled)

    def determinism(self, s: Scenario) -> Problem | None:
        facts = s.resolved(self.law)
        rnd = random.Random(repr(sorted(facts.items(), key=str)))
        for cv in self._versions(s):
            first, again = _verdict_json(self.durable, cv, facts), _verdict_json(self.durable, cv, _reordered(facts, rnd))
            if first != again:
                return Problem(f"{cv.provision.id}: a different result when the same facts come in another order")
        case = m.Case.model_validate(self._case(s, "determinism"))
        shuffled = case.model_copy(update={"facts": _reordered(case.facts, rnd)})
        from ..explain.trace import case_dict
        a = json.dumps(case_dict(self.evaluator.evaluate(case)), sort_keys=True)
        b = json.dumps(case_dict(self.evaluator.evaluate(shuffled)), sort_keys=True)
        if a != b:
            return Problem("the JSON of the same case differs between two evaluations")
        return None

    # -------------------------------------------------------------- hypothesis runner

    def _hypothesis(self, name: str, strategy: Any, check: Callable[..., Any], to_case: Callable[..., Any]) -> PropertyResult:
        from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
        tried = [0]
        failing: dict[str, Any] = {}

        @seed(self.seed)
        @settings(max_examples=self.examples, database=None, deadline=None, verbosity=Verbosity.quiet,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
                  print_blob=False, report_multiple_bugs=False)
        @given(strategy)
        def prop(example: Any) -> None:
            tried[0] += 1
            problem = check(example)
            if problem is not None:
                failing["last"] = (example, problem)
                raise AssertionError(problem.detail)

        from hypothesis.errors import Flaky
        try:
            prop()
        except AssertionError:
            example, problem = failing["last"]      # hypothesis replays the shrunk example last
            return PropertyResult(name, "hypothesis", tried[0], False, problem.detail, problem.rules,
                                  to_case(example))
        except Flaky:
            # The same example failed once and passed on replay: the evaluation itself is
            # not deterministic, whatever the property was.
            example, problem = failing["last"]
            return PropertyResult(name, "hypothesis", tried[0], False,
                                  f"not reproducible: failed once, then passed on the same example ({problem.detail})",
                                  problem.rules, to_case(example))
        return PropertyResult(name, "hypothesis", tried[0], True)

    def _scenarios(self) -> Any:
        from hypothesis import strategies as st
        law = self.law
        states = scenario_states(law.timeline)
        dates = st.one_of(st.sampled_from(boundary_dates(law)),
                          st.dates(min_value=law.timeline.treaty_signed, max_value=LAST_DAY))
        parties = st.fixed_dictionaries({}, optional={r: st.sampled_from(states) for r in m.ROLES})
        facts = st.fixed_dictionaries({}, optional={f: st.sampled_from(d.domain())
                                                    for f, d in sorted(law.vocabulary.facts.items())})
        return st.builds(lambda d, p, f: Scenario(-1, d, p, f), dates, parties, facts)

    def run(self) -> dict[str, Any]:
        report: dict[str, Any] = {"law": self.variant or BASE, "seed": self.seed}
        results = self.decide()
        results.append(self._hypothesis("determinism", self._scenarios(), self.determinism,
                                        lambda s: self._case(s, "determinism")))
        results[-1].how = f"sampled {results[-1].examples:,}"
        if self.variant:
            results.append(self.locality_proved())
        order = ["totality", "consistency", "monotonicity", "differential", "coverage", "locality", "determinism"]
        results.sort(key=lambda r: order.index(r.name))
        report["versions"] = self.version_rows
        report["properties"] = [r.as_dict() for r in results]
        report["passed"] = all(r.passed for r in results)
        report["decided"] = all(r.decided for r in results if r.name != "determinism")
        return report

    # -------------------------------------------------------------- decided properties

    def decide(self) -> list[PropertyResult]:
        """Totality, consistency, monotonicity, differential and coverage over every
        version's whole fact space (proofs.py): enumerated up to the bound, z3 beyond."""
        bound = float("inf") if self.exhaustive else self.bound
        proofs = prove_law(self.law, Engines(self.durable, self.reference), bound=bound, force_smt=self.smt,  # type: ignore[arg-type]
                           samples=self.examples, seed=self.seed, compiled=self.compiled)
        self.proofs = proofs
        enumerated = sum(p.checked for p in proofs if p.method == "exhaustive")
        smt = [p for p in proofs if p.method == "smt"]
        # No times here: the same law gives byte-identical JSON (bench/ measures times).
        self.version_rows = [{"version": p.key, "space": p.space.size, "method": p.method} for p in proofs]

        def how(extra: str = "") -> str:
            parts = []
            if enumerated:
                parts.append(f"exhaustive {enumerated:,}")
            if smt:
                parts.append("proved (SMT)" + (f" on {len(smt)} of {len(proofs)} versions" if enumerated else ""))
            return " + ".join(parts) + extra

        results = []
        for name in ("totality", "consistency", "monotonicity"):
            failing = next((p for p in proofs if name in p.findings), None)
            results.append(self._decided(name, how(), enumerated, failing))
            if failing is not None:
                results[-1].extra["failing_versions"] = [p.key for p in proofs if name in p.findings]
        # The differential runs the engine: enumerated, or sampled where z3 decided the rest.
        sampled = sum(p.differential_sampled for p in smt)
        diff_how = " + ".join(([f"exhaustive {enumerated:,}"] if enumerated else []) +
                              ([f"sampled {sampled:,} on {len(smt)} version(s) beyond the bound"] if smt else []))
        failing = next((p for p in proofs if "differential" in p.findings), None)
        diff = self._decided("differential", diff_how, enumerated + sampled, failing)
        diff.decided = not smt
        results.append(diff)
        results.append(self.coverage_decided(proofs, how()))
        return results

    def _decided(self, name: str, how: str, examples: int, failing: VersionProof | None) -> PropertyResult:
        if failing is None:
            return PropertyResult(name, how, examples, True, decided=True)
        f = failing.findings[name]
        cv = failing.space.cv
        case = case_for(self.law, failing.space, f.known, unknown=f.unknown, id=f"check-{name}",
                        title=f"Counterexample to {name}", provisions=[cv.provision.id],
                        cite=f"casus check{' --variant ' + self.variant if self.variant else ''}",
                        summary=f"{f.detail}.")
        extra = {"version": failing.key, "assignment": _assignment(f.known, cv.facts), **f.extra}
        return PropertyResult(name, how, examples, False, f.detail, f.rules, case, extra=extra, decided=True)

    def coverage_decided(self, proofs: list[VersionProof], how: str) -> PropertyResult:
        fired: dict[str, set[str]] = {}
        reached: dict[str, set[Outcome]] = {}
        for proof in proofs:
            pid = proof.space.cv.provision.id
            fired.setdefault(pid, set()).update(proof.fired)
            reached.setdefault(pid, set()).update(proof.reached)
        for pid in self.law.provisions:
            if never_in_force(self.law, pid) is not None:
                reached.setdefault(pid, set()).add(Outcome.NOT_APPLICABLE)
        dead, unreached = [], {}
        for pid, p in sorted(self.law.provisions.items()):
            rules = {r.id for v in p.versions for r in v.rules}
            dead.extend(sorted(rules - fired.get(pid, set())))
            missing = sorted(set(p.outcomes) - reached.get(pid, set()))
            if missing:
                unreached[pid] = missing
        detail = []
        if dead:
            detail.append(f"{len(dead)} rule(s) never fire: {', '.join(dead)}")
        if unreached:
            detail.append("declared outcomes never reached: " +
                          "; ".join(f"{pid}: {', '.join(o)}" for pid, o in unreached.items()))
        return PropertyResult("coverage", how, sum(p.checked for p in proofs), not detail, "; ".join(detail), dead,
                              extra={"dead_rules": dead, "unreached_outcomes": unreached,
                                     "fired": {k: sorted(v) for k, v in sorted(fired.items())}}, decided=True)

    def locality_proved(self) -> PropertyResult:
        """Every provision the variant does not declare gives the base law's outcome on every
        date, parties and facts (equivalence, proofs.py)."""
        declared: set[str] = set()
        for vid in (self.variant or "").split("+"):
            declared |= set(self.law.amendments[vid].affects)
        checked = 0
        for pid in sorted(set(self.base.provisions) | set(self.law.provisions)):
            if pid in declared:
                continue
            answer = equivalence(self.base, self.law, pid)
            checked += answer["situations"]
            if not answer["equivalent"]:
                before, after = answer["outcomes"]
                detail = (f"the variant changes {pid} ({before} -> {after}), which it does not declare in 'affects'")
                case = case_for(self.law, None, answer["facts"], date=answer["date"], parties=answer["parties"],
                                unknown=answer["unknown"], id="check-locality", title="Counterexample to locality",
                                provisions=[pid], cite=f"casus check --variant {self.variant}", summary=detail + ".")
                return PropertyResult("locality", "proved (SMT)", checked, False, detail, [], case, decided=True)
        return PropertyResult("locality", "proved (SMT)", checked, True, decided=True)

