"""Every shipped case against its `expected` block: the legal reading written in the
case file (with its reasoning), not outputs pasted from the engine."""

from __future__ import annotations

import pytest

from casus.engine.loader import load_case

from conftest import shipped_case_paths


def _expectations():
    from casus.engine.loader import load_law
    law = load_law()
    for path in shipped_case_paths():
        case = load_case(path, law)
        for pid in sorted(case.expected):
            yield pytest.param(path, pid, id=f"{case.id}:{pid}")


@pytest.mark.parametrize("path,pid", list(_expectations()))
def test_case_matches_expected(law, evaluator, path, pid):
    case = load_case(path, law)
    exp = case.expected[pid]
    result = {p.provision.id: p for p in evaluator.evaluate(case).provisions}
    assert pid in result, f"{case.id} does not evaluate {pid}"
    got = result[pid]
    assert got.outcome == exp.outcome, (
        f"{case.id} {pid}: engine says {got.outcome}, the case's analysis says {exp.outcome}: "
        f"{exp.reasoning}")
    if exp.perspectives is not None:
        assert {p: v.outcome for p, v in got.perspectives.items()} == exp.perspectives
    if exp.divergence is not None:
        assert bool(got.divergence) == exp.divergence, got.divergence


def test_every_case_has_expectations_for_what_it_evaluates(law):
    for path in shipped_case_paths():
        case = load_case(path, law)
        assert case.expected, f"{case.id} has no expected block"
        for pid in case.provisions or []:
            assert pid in case.expected, f"{case.id} evaluates {pid} but says nothing about it"
