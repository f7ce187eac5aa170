"""Explanations are typed trees; their JSON is `to_json()`, and `from_json()` reads it back
to the same tree (what the report and the timeline text walk)."""

from __future__ import annotations

import pytest

import casus
from casus.engine.explain.tree import Explanation, RuleNode, VerdictTree
from casus.engine.outcome import Outcome


def _rules(tree: VerdictTree):
    todo: list[RuleNode] = [*tree.rules, *tree.established]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(node.conclusions)


@pytest.fixture(scope="module")
def explained():
    out = list(casus.evaluate_many(explain=True))
    out += list(casus.evaluate_many(explain=True, variant="art4-internal-crises"))
    out.append(casus.evaluate("kazakhstan-2022", perspective="KZ", explain=True))
    return out


def test_every_explanation_reads_back_from_its_json(explained):
    trees = [x for e in explained for x in e.explanation]
    assert trees and all(isinstance(x, Explanation) for x in trees)
    for x in trees:
        assert Explanation.from_json(x.to_json()) == x, x.provision


def test_the_json_of_a_case_carries_each_tree_as_to_json(explained):
    for e in explained:
        for entry, x in zip(e.case_json()["provisions"], e.explanation):
            assert entry["explanation"] == x.to_json()


def test_the_trees_say_what_the_results_say(explained):
    kinds = set()
    for e in explained:
        for pr, x in zip(e.result.provisions, e.explanation):
            assert (x.provision, x.outcome) == (pr.provision.id, pr.outcome)
            if x.agreed is None:
                assert x.article is None and x.note == pr.note
                continue
            kinds.add(x.outcome)
            assert x.agreed.outcome == pr.verdict.outcome
            assert set(x.perspectives) == set(pr.perspectives)
            assert x.divergence == tuple(pr.divergence)
            # Only rules that fired appear, each with the facts it matched at their values.
            for node in _rules(x.agreed):
                assert node.rule in pr.verdict.derivation.fired
                for f in node.facts:
                    assert pr.verdict.derivation.facts[f.fact] == f.value
            # Undetermined: the facts that would decide it, and the case fields that set them.
            if x.agreed.outcome == Outcome.UNDETERMINED:
                assert [list(s) for s in x.agreed.would_decide] == pr.verdict.deciding
                assert x.agreed.to_set is not None
            else:
                assert "would_decide" not in x.agreed.to_json()
    assert {Outcome.TRIGGERED, Outcome.NOT_TRIGGERED, Outcome.UNDETERMINED, Outcome.CONTESTED} <= kinds
