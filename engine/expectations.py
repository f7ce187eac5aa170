"""A case's `expected` block as a test: the written legal reading against the engine."""

from __future__ import annotations

from dataclasses import dataclass

from . import models as m
from .evaluator import CaseResult


@dataclass
class Check:
    case: str
    provision: str
    expected: dict
    got: dict
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"case": self.case, "provision": self.provision, "passed": self.passed,
                "expected": self.expected, "got": self.got, "problems": self.problems}


def check_expectations(case: m.Case, result: CaseResult) -> list[Check]:
    """One Check per provision the case has an expectation for."""
    by_id = {p.provision.id: p for p in result.provisions}
    checks = []
    for pid, exp in sorted(case.expected.items()):
        want = {"outcome": exp.outcome}
        if exp.perspectives is not None:
            want["perspectives"] = dict(exp.perspectives)
        if exp.divergence is not None:
            want["divergence"] = exp.divergence
        pr = by_id.get(pid)
        if pr is None:
            checks.append(Check(case.id, pid, want, {}, [f"{pid} was not evaluated (see the case's 'provisions')"]))
            continue
        got = {"outcome": pr.outcome,
               "perspectives": {p: v.outcome for p, v in pr.perspectives.items()},
               "divergence": bool(pr.divergence)}
        problems = []
        if got["outcome"] != exp.outcome:
            problems.append(f"outcome is {got['outcome']}, expected {exp.outcome}")
        if exp.perspectives is not None and got["perspectives"] != exp.perspectives:
            problems.append(f"perspectives are {got['perspectives']}, expected {dict(exp.perspectives)}")
        if exp.divergence is not None and got["divergence"] != exp.divergence:
            problems.append(f"divergence is {str(got['divergence']).lower()}, expected {str(exp.divergence).lower()}")
        checks.append(Check(case.id, pid, want, {k: got[k] for k in want}, problems))
    return checks
