"""`casus check`: properties the rules must have, tested, not assumed.

Properties (each reported with the examples tried, and a counterexample when it fails):
  consistency   no conclusion is derived both true and false
  determinism   fact order does not matter; the JSON of a result is byte-identical
  monotonicity  making an unknown fact known never changes a decided outcome
  differential  the durable_rules engine and the reference evaluator agree
  coverage      every rule fires somewhere; every provision reaches each outcome it declares
  locality      (with a variant) only the provisions it declares change

Two modes. Hypothesis draws scenarios (date, parties, three-valued facts) from the
vocabulary and shrinks a failure to a smallest case file. Exhaustive enumerates
every assignment of each provision version's own facts (derived facts included, as
free three-valued inputs) where that space is at most `bound`; it says so when not.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from itertools import product
from collections.abc import Iterator
from typing import Any, Callable

from .. import progress
from ..files import models as m
from ..law.amendments import BASE, with_variants
from ..logic.compiler import CompiledLaw, CompiledVersion
from ..logic.ir import Value
from ..outcome import Outcome
from ..evaluate.evaluator import Decision, Evaluator
from ..backends.base import Derivation
from ..evaluate.programs import Programs, backend_named
from ..evaluate.verdict import verdict
from ..law.loader import LawModels
from ..law.states import scenario_states
from ..law.membership import facts_for
from .scenarios import LAST_DAY, Generator, Scenario, as_case, boundary_dates

EXHAUSTIVE_BOUND = 100_000


@dataclass
class Problem:
    detail: str
    rules: list[str] = field(default_factory=list)
    facts: dict[str, Any] | None = None       # fact-level counterexample (exhaustive mode)


@dataclass
class PropertyResult:
    name: str
    mode: str
    examples: int
    passed: bool
    detail: str = ""
    rules: list[str] = field(default_factory=list)
    counterexample: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict[str, Any])

    def as_dict(self) -> dict[str, Any]:
        out = {"property": self.name, "mode": self.mode, "examples": self.examples, "passed": self.passed}
        if self.detail:
            out["detail"] = self.detail
        if self.rules:
            out["rules"] = self.rules
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        out.update(self.extra)
        return out


# ------------------------------------------------------------------ helpers shared by both modes

def _conflict_problem(cv: CompiledVersion, d: Derivation) -> Problem | None:
    conflicts = d.conflicts()
    if not conflicts:
        return None
    rules = sorted(r for r in d.fired if cv.rules[r].concludes in conflicts)
    return Problem(f"{cv.provision.id} (version {cv.version.id}) derives "
                   + ", ".join(f"'{c}'" for c in conflicts) + " both true and false", rules, dict(d.facts))


def _differential_problem(durable: Programs, reference: Programs, cv: CompiledVersion,
                          facts: dict[str, Any]) -> Problem | None:
    d, r = durable.derive(cv, facts), reference.derive(cv, facts)
    if d.conflicts() or r.conflicts():
        return None      # consistency reports these; the backends need not agree on nonsense
    differences = []
    fd, fr = {f.key() for f in d.firings}, {f.key() for f in r.firings}
    if fd != fr:
        only_d, only_r = sorted(fd - fr), sorted(fr - fd)
        differences.append(f"durable_rules alone fired {[_name(k) for k in only_d]}" if only_d else "")
        differences.append(f"the reference alone fired {[_name(k) for k in only_r]}" if only_r else "")
    vd, vr = verdict(cv, d).outcome, verdict(cv, r).outcome
    if vd != vr:
        differences.append(f"outcome {vd} (durable_rules) vs {vr} (reference)")
    differences = [x for x in differences if x]
    if not differences:
        return None
    return Problem(f"{cv.provision.id} (version {cv.version.id}): " + "; ".join(differences),
                   sorted({k[1] for k in fd ^ fr}), dict(facts))


def _name(key: tuple[int, str, str, bool]) -> str:
    stratum, rule, kind, value = key
    return rule if kind == "rule" else f"{rule} applies={str(value).lower()}"


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


# ------------------------------------------------------------------ the checker

class Checker:
    def __init__(self, base: LawModels, variant: str | None = None, *, examples: int = 200, seed: int = 0,
                 exhaustive: bool = False, bound: int = EXHAUSTIVE_BOUND, cases: list[Any] | None = None):
        self.base = base
        self.cases = cases or []       # case files whose evaluations also count for coverage
        self.variant = variant if variant and variant != BASE else None
        self.law = with_variants(base, self.variant) if self.variant else base
        self.examples, self.seed, self.exhaustive, self.bound = examples, seed, exhaustive, bound
        # No memo: determinism must be observed, not assumed.
        self.evaluator = Evaluator(self.law)
        self.durable = self.evaluator.programs
        self.reference = Programs(backend_named("reference"))
        self.compiled = CompiledLaw(self.law)
        self.fired: dict[str, set[str]] = {}        # provision -> rules seen firing
        self.reached: dict[str, set[Outcome]] = {}      # provision -> outcomes seen

    # -------------------------------------------------------------- scenario-level helpers

    def _versions(self, s: Scenario) -> list[CompiledVersion]:
        out = []
        for pid in sorted(self.law.provisions):
            version = self.law.version_at(pid, s.date)
            if version is not None:
                out.append(self.compiled.version(pid, version))
        return out

    def _record(self, decisions: dict[str, Decision]) -> None:
        for pid, d in decisions.items():
            self.reached.setdefault(pid, set()).add(d.outcome)
            if d.verdict is not None:
                self.fired.setdefault(pid, set()).update(d.verdict.derivation.fired)

    def _case(self, s: Scenario, label: str, law: str | None = None) -> dict[str, Any]:
        return as_case(s, id=f"check-{label}", title=f"Counterexample to {label}",
                       cite=f"casus check{' --variant ' + self.variant if self.variant else ''} --seed {self.seed}",
                       summary=f"A smallest scenario that breaks {label}"
                               + (f" ({law})" if law else "") + ".")

    # -------------------------------------------------------------- scenario-level properties

    def consistency(self, s: Scenario) -> Problem | None:
        facts = s.resolved(self.law)
        for cv in self._versions(s):
            problem = _conflict_problem(cv, self.durable.derive(cv, facts_for(facts, cv.provision.id)))
            if problem:
                return problem
        return None

    def differential(self, s: Scenario) -> Problem | None:
        facts = s.resolved(self.law)
        for cv in self._versions(s):
            problem = _differential_problem(self.durable, self.reference, cv, dict(facts_for(facts, cv.provision.id)))
            if problem:
                return problem
        return None

    def determinism(self, s: Scenario) -> Problem | None:
        facts = s.resolved(self.law)
        rnd = random.Random(repr(sorted(facts.items(), key=str)))
        for cv in self._versions(s):
            own = dict(facts_for(facts, cv.provision.id))
            first, again = _verdict_json(self.durable, cv, own), _verdict_json(self.durable, cv, _reordered(own, rnd))
            if first != again:
                return Problem(f"{cv.provision.id}: a different result when the same facts come in another order")
        case = m.Case.model_validate(self._case(s, "determinism"))
        shuffled = case.model_copy(update={"facts": _reordered(case.facts, rnd)})
        from ..explain.trace import case_dict
        a = json.dumps(case_dict(self.evaluator.evaluate(case)), sort_keys=True)
        b = json.dumps(case_dict(self.evaluator.evaluate(shuffled)), sort_keys=True)
        if a != b:
            return Problem("the JSON of the same case differs between two evaluations")
        self._record(self.evaluator.decide(s.date, facts))
        return None

    def monotonicity(self, s: Scenario, learn: tuple[str, str, Any]) -> Problem | None:
        kind, name, value = learn
        before = self.evaluator.decide(s.date, s.resolved(self.law))
        if kind == "fact":
            after_s = Scenario(s.index, s.date, s.parties, {**s.facts, name: value})
        else:
            after_s = Scenario(s.index, s.date, {**s.parties, name: value}, s.facts)
        after = self.evaluator.decide(s.date, after_s.resolved(self.law))
        for pid, b in before.items():
            if b.outcome.decided and after[pid].outcome != b.outcome:
                now = after[pid].verdict
                fired = set(now.derivation.fired) if now else set()
                was = set(b.verdict.derivation.fired) if b.verdict else set()
                return Problem(f"learning {name} = {value!r} turns {pid} from {b.outcome} into {after[pid].outcome}",
                               sorted(fired ^ was))
        return None

    def locality(self, s: Scenario, base_eval: Evaluator, declared: set[str]) -> Problem | None:
        a = base_eval.decide(s.date, s.resolved(self.base))
        b = self.evaluator.decide(s.date, s.resolved(self.law))
        changed = sorted(pid for pid in a if a[pid].outcome != b[pid].outcome and pid not in declared)
        if changed:
            pid = changed[0]
            return Problem(f"the variant changes {pid} ({a[pid].outcome} -> {b[pid].outcome}), "
                           f"which it does not declare in 'affects'")
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
                if isinstance(example, tuple) and example[1] is not None:   # monotonicity: what was learnt
                    problem.detail += f" (the counterexample is the case before; then {example[1][1]} = {example[1][2]!r})"
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

    def _strategies(self) -> tuple[Any, Any]:
        from hypothesis import strategies as st
        law = self.law
        states = scenario_states(law.timeline)
        dates = st.one_of(st.sampled_from(boundary_dates(law)),
                          st.dates(min_value=law.timeline.treaty_signed, max_value=LAST_DAY))
        parties = st.fixed_dictionaries({}, optional={r: st.sampled_from(states) for r in m.ROLES})
        facts = st.fixed_dictionaries({}, optional={f: st.sampled_from(d.domain())
                                                    for f, d in sorted(law.vocabulary.facts.items())})
        scenarios = st.builds(lambda d, p, f: Scenario(-1, d, p, f), dates, parties, facts)

        # A party whose absence a vocabulary declares a fact (`if_absent`) is not an unknown:
        # naming it later is a different case, not more knowledge. The shipped vocabulary
        # declares none (an omitted attacker is unknown), so every role is learnt here.
        settled = {r for d in law.vocabulary.derived.values() if d.if_absent is not None for r in d.roles}

        @st.composite
        def learning(draw: Any) -> tuple[Scenario, tuple[str, str, Any] | None]:
            s = draw(scenarios)
            options = ([("fact", f) for f in sorted(law.vocabulary.facts) if f not in s.facts] +
                       [("party", r) for r in m.ROLES if r not in s.parties and r not in settled])
            if not options:
                return s, None
            kind, name = draw(st.sampled_from(options))
            value = draw(st.sampled_from(law.vocabulary.facts[name].domain() if kind == "fact" else states))
            return s, (kind, name, value)

        return scenarios, learning()

    def run_hypothesis(self) -> list[PropertyResult]:
        scenarios, learning = self._strategies()
        case = self._case
        results = [
            self._hypothesis("consistency", scenarios, self.consistency, lambda s: case(s, "consistency")),
            self._hypothesis("determinism", scenarios, self.determinism, lambda s: case(s, "determinism")),
            self._hypothesis("monotonicity", learning,
                             lambda x: None if x[1] is None else self.monotonicity(*x),
                             lambda x: case(x[0], "monotonicity")),
            self._hypothesis("differential", scenarios, self.differential, lambda s: case(s, "differential")),
        ]
        if self.variant:
            base_eval = Evaluator(self.base)
            declared = set()
            for vid in self.variant.split("+"):
                declared |= set(self.law.amendments[vid].affects)
            results.append(self._locality(scenarios, base_eval, declared))
        return results

    def _locality(self, scenarios: Any, base_eval: Evaluator, declared: set[str]) -> PropertyResult:
        """First every state in every role on every boundary date with no other facts (where a
        membership change shows at once), then hypothesis scenarios."""
        swept = 0
        for day in boundary_dates(self.law):
            for state in scenario_states(self.law.timeline):
                for role in m.ROLES:
                    s = Scenario(-1, day, {role: state}, {})
                    swept += 1
                    problem = self.locality(s, base_eval, declared)
                    if problem:
                        return PropertyResult("locality", "sweep", swept, False, problem.detail, problem.rules,
                                              self._case(s, "locality"))
        result = self._hypothesis("locality", scenarios, lambda s: self.locality(s, base_eval, declared),
                                  lambda s: self._case(s, "locality"))
        result.mode, result.examples = "sweep+hypothesis", result.examples + swept
        return result

    # -------------------------------------------------------------- exhaustive mode

    def assignments(self, cv: CompiledVersion) -> Iterator[tuple[tuple[Value | None, ...], dict[str, Value]]]:
        """Every assignment of the version's facts (each value or unknown): (combo, known facts)."""
        domains = [list(self.law.domain_of(f)) + [None] for f in cv.facts]
        for combo in product(*domains):
            yield combo, {f: v for f, v in zip(cv.facts, combo) if v is not None}

    def _record_derivation(self, cv: CompiledVersion, d: Derivation) -> Outcome:
        outcome = verdict(cv, d).outcome
        self.reached.setdefault(cv.provision.id, set()).add(outcome)
        self.fired.setdefault(cv.provision.id, set()).update(d.fired)
        return outcome

    def space(self, cv: CompiledVersion) -> int:
        size = 1
        for f in cv.facts:
            size *= len(self.law.domain_of(f)) + 1
        return size

    def run_exhaustive(self) -> tuple[list[PropertyResult], dict[str, Any]]:
        failures: dict[str, Problem] = {}
        counts = {"consistency": 0, "determinism": 0, "monotonicity": 0, "differential": 0}
        enumerated, skipped = {}, {}
        rnd = random.Random(self.seed)
        total = sum(size for size in map(self.space, self.compiled.all_versions()) if size <= self.bound)
        done = 0
        for cv in self.compiled.all_versions():
            key = f"{cv.provision.id}@{cv.version.id}"
            size = self.space(cv)
            if size > self.bound:
                skipped[key] = f"{size} assignments of {len(cv.facts)} facts exceed the bound of {self.bound}"
                continue
            domains = [list(self.law.domain_of(f)) + [None] for f in cv.facts]
            outcome: dict[tuple[Any, ...], Outcome] = {}
            for combo, facts in self.assignments(cv):
                done += 1
                if not done % 500:
                    progress.report("assignments enumerated", done, total)
                d = self.durable.derive(cv, facts)
                outcome[combo] = self._record_derivation(cv, d)
                counts["consistency"] += 1
                if "consistency" not in failures:
                    p = _conflict_problem(cv, d)
                    if p:
                        failures["consistency"] = p
                counts["differential"] += 1
                if "differential" not in failures:
                    p = _differential_problem(self.durable, self.reference, cv, facts)
                    if p:
                        failures["differential"] = p
                counts["determinism"] += 1
                if "determinism" not in failures and _verdict_json(self.durable, cv, facts) != _verdict_json(self.durable, cv, _reordered(facts, rnd)):
                    failures["determinism"] = Problem(f"{key}: a different result for the same facts in another order",
                                                      facts=facts)
            enumerated[key] = len(outcome)
            progress.report("assignments enumerated", done, total)
            # Monotonicity by lookup: every refinement of an assignment is in the table.
            for combo, before in outcome.items():
                if not before.decided:
                    continue
                for i, value in enumerate(combo):
                    if value is not None:
                        continue
                    for known in domains[i][:-1]:
                        counts["monotonicity"] += 1
                        refined = combo[:i] + (known,) + combo[i + 1:]
                        if outcome[refined] != before and "monotonicity" not in failures:
                            facts = {f: v for f, v in zip(cv.facts, combo) if v is not None}
                            failures["monotonicity"] = Problem(
                                f"{key}: learning {cv.facts[i]} = {known!r} turns {before} into {outcome[refined]}",
                                facts=facts)
        results = []
        for name in ("consistency", "determinism", "monotonicity", "differential"):
            p = failures.get(name)
            # Exhaustive counterexamples are fact-level: derived facts appear as inputs.
            results.append(PropertyResult(name, "exhaustive", counts[name], p is None,
                                          p.detail if p else "", p.rules if p else [],
                                          {"facts": p.facts} if p and p.facts is not None else None))
        return results, {"enumerated": enumerated, "skipped": skipped, "bound": self.bound}

    # -------------------------------------------------------------- coverage

    def _enumerate_for_coverage(self, only_large: bool = False) -> int:
        """Every assignment of each version's facts (spaces up to the bound): which rules
        fire and which outcomes are reached, decided, not sampled. `only_large`: only the
        versions whose three-valued space is past the bound (--exhaustive enumerated the rest)."""
        n = 0
        for cv in self.compiled.all_versions():
            if self.space(cv) <= self.bound:
                if only_large:
                    continue
                for _, facts in self.assignments(cv):
                    self._record_derivation(cv, self.durable.derive(cv, facts))
                    n += 1
            elif self.complete_space(cv) <= self.bound:
                # Too many facts for every three-valued assignment: every complete one still
                # decides reachability (a rule that fires on some facts fires on each completion
                # of them, learning a fact never retracts a firing: monotonicity, checked above).
                for facts in self.complete_assignments(cv):
                    self._record_derivation(cv, self.durable.derive(cv, facts))
                    n += 1
        return n

    def complete_space(self, cv: CompiledVersion) -> int:
        size = 1
        for f in cv.facts:
            size *= len(self.law.domain_of(f))
        return size

    def complete_assignments(self, cv: CompiledVersion) -> Iterator[dict[str, Value]]:
        """Every assignment of the version's facts with each fact known."""
        for combo in product(*[list(self.law.domain_of(f)) for f in cv.facts]):
            yield dict(zip(cv.facts, combo))

    def coverage(self, mode: str, tried: int) -> PropertyResult:
        # Coverage does not hang on what hypothesis happened to draw: small fact spaces are
        # enumerated, and a fixed sweep of generated scenarios and the given cases count too.
        if not self.exhaustive:
            tried += self._enumerate_for_coverage()
            mode = "enumeration+" + mode
        else:
            tried += self._enumerate_for_coverage(only_large=True)
        gen = Generator(self.law, self.seed)
        for i in range(max(self.examples, 500)):
            s = gen.scenario(i)
            self._record(self.evaluator.decide(s.date, s.resolved(self.law)))
        from ..law.cases import read_case_file
        for path in self.cases:
            case = read_case_file(path, self.law)
            for pr in self.evaluator.evaluate(case).provisions:
                self.reached.setdefault(pr.provision.id, set()).add(pr.outcome)
                for v in ([pr.verdict] if pr.verdict else []) + list(pr.perspectives.values()):
                    self.reached[pr.provision.id].add(v.outcome)
                    self.fired.setdefault(pr.provision.id, set()).update(v.derivation.fired)
        dead, unreached = [], {}
        for pid, p in sorted(self.law.provisions.items()):
            rules = {r.id for v in p.versions for r in v.rules}
            dead.extend(sorted(rules - self.fired.get(pid, set())))
            missing = sorted(set(p.outcomes) - self.reached.get(pid, set()))
            if missing:
                unreached[pid] = missing
        detail = []
        if dead:
            detail.append(f"{len(dead)} rule(s) never fired: {', '.join(dead)}")
        if unreached:
            detail.append("declared outcomes never reached: " +
                          "; ".join(f"{pid}: {', '.join(o)}" for pid, o in unreached.items()))
        return PropertyResult("coverage", mode, tried, not detail, "; ".join(detail), dead,
                              extra={"dead_rules": dead, "unreached_outcomes": unreached,
                                     "fired": {k: sorted(v) for k, v in sorted(self.fired.items())}})

    # -------------------------------------------------------------- all of it

    def run(self) -> dict[str, Any]:
        results: list[PropertyResult] = []
        report: dict[str, Any] = {"law": self.variant or BASE, "seed": self.seed}
        if self.exhaustive:
            ex, info = self.run_exhaustive()
            results.extend(ex)
            report["exhaustive"] = info
        results.extend(self.run_hypothesis())
        tried = sum(r.examples for r in results)
        results.append(self.coverage("exhaustive+hypothesis" if self.exhaustive else "hypothesis", tried))
        report["properties"] = [r.as_dict() for r in results]
        report["passed"] = all(r.passed for r in results)
        return report
