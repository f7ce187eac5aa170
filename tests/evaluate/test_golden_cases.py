"""Every shipped case against its `expected` block: the legal reading written in the
case file (with its reasoning), not outputs pasted from the engine."""

from __future__ import annotations

import pytest

from casus.engine.law.cases import read_case_file

from conftest import shipped_case_paths


def _expectations():
    from casus.engine.law.loader import read_rules
    law = read_rules()
    for path in shipped_case_paths():
        case = read_case_file(path, law)
        for pid in sorted(case.expected):
            yield pytest.param(path, None, pid, id=f"{case.id}:{pid}")
        for vid, expected in sorted(case.expected_variants.items()):
            for pid in sorted(expected):
                yield pytest.param(path, vid, pid, id=f"{case.id}:{vid}:{pid}")


_VARIANT_EVALUATORS: dict = {}


def _evaluator_for(law, evaluator, vid):
    if vid is None:
        return evaluator
    if vid not in _VARIANT_EVALUATORS:
        from casus.engine.law.amendments import with_variants
        from casus.engine.evaluate.evaluator import Evaluator
        _VARIANT_EVALUATORS[vid] = Evaluator(with_variants(law, vid))
    return _VARIANT_EVALUATORS[vid]


@pytest.mark.parametrize("path,vid,pid", list(_expectations()))
def test_case_matches_expected(law, evaluator, path, vid, pid):
    case = read_case_file(path, law)
    exp = (case.expected if vid is None else case.expected_variants[vid])[pid]
    result = {p.provision.id: p for p in _evaluator_for(law, evaluator, vid).evaluate(case).provisions}
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
        case = read_case_file(path, law)
        assert case.expected, f"{case.id} has no expected block"
        for pid in case.provisions or []:
            assert pid in case.expected, f"{case.id} evaluates {pid} but says nothing about it"
