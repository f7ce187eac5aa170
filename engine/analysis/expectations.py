"""A case's `expected` block as a test: the written legal reading against the engine."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass

from ..files import models as m
from ..law.amendments import with_variants
from ..evaluate.evaluator import CaseResult, Evaluator
from ..law.loader import LawModels


@dataclass
class Check:
    case: str
    provision: str
    expected: dict[str, Any]
    got: dict[str, Any]
    problems: list[str]
    variant: str | None = None

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case, "provision": self.provision, "variant": self.variant, "passed": self.passed,
                "expected": self.expected, "got": self.got, "problems": self.problems}


class Expectations:
    """Checks cases' expectations one case at a time: the base reading and each variant's
    (or, with `variant`, only that variant's), each variant's law built when first needed."""

    def __init__(self, law: LawModels, variant: str | None = None):
        self.law, self.variant = law, variant
        self._evaluators: dict[str | None, Evaluator] = {}

    def evaluator(self, vid: str | None) -> Evaluator:
        if vid not in self._evaluators:
            self._evaluators[vid] = Evaluator(with_variants(self.law, vid) if vid else self.law)
        return self._evaluators[vid]

    def checks(self, case: m.Case) -> list[Check]:
        variant = self.variant
        readings = ([(None, case.expected)] if variant is None else []) + [
            (vid, exp) for vid, exp in sorted(case.expected_variants.items()) if variant in (None, vid)]
        out: list[Check] = []
        for vid, expected in readings:
            out.extend(check_expectations(case, self.evaluator(vid).evaluate(case), expected, vid))
        return out


def run_expectations(law: LawModels, cases: list[m.Case], variant: str | None = None) -> list[Check]:
    """Every case's expectations: the base reading and each variant's (or, with `variant`,
    only that variant's)."""
    from .. import progress
    runner = Expectations(law, variant)
    checks: list[Check] = []
    for n, case in enumerate(cases, 1):
        checks.extend(runner.checks(case))
        progress.report("cases checked", n, len(cases))
    return checks


def check_expectations(case: m.Case, result: CaseResult, expected: dict[str, Any] | None = None,
                       variant: str | None = None) -> list[Check]:
    """One Check per provision with an expectation (default: the case's base reading)."""
    by_id = {p.provision.id: p for p in result.provisions}
    checks = []
    for pid, exp in sorted((case.expected if expected is None else expected).items()):
        want = {"outcome": exp.outcome}
        if exp.perspectives is not None:
            want["perspectives"] = dict(exp.perspectives)
        if exp.divergence is not None:
            want["divergence"] = exp.divergence
        pr = by_id.get(pid)
        if pr is None:
            checks.append(Check(case.id, pid, want, {}, [f"{pid} was not evaluated (see the case's 'provisions')"],
                                variant))
            continue
        got = {"outcome": pr.outcome,
               # The words, as the case file writes them (and the message shows them).
               "perspectives": {p: v.outcome.value for p, v in pr.perspectives.items()},
               "divergence": bool(pr.divergence)}
        problems = []
        if got["outcome"] != exp.outcome:
            problems.append(f"outcome is {got['outcome']}, expected {exp.outcome}")
        if exp.perspectives is not None and got["perspectives"] != exp.perspectives:
            problems.append(f"perspectives are {got['perspectives']}, expected {dict(exp.perspectives)}")
        if exp.divergence is not None and got["divergence"] != exp.divergence:
            problems.append(f"divergence is {str(got['divergence']).lower()}, expected {str(exp.divergence).lower()}")
        checks.append(Check(case.id, pid, want, {k: got[k] for k in want}, problems, variant))
    return checks
