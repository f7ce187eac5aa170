"""The SMT encoding is a third evaluator: held to durable_rules and the reference evaluator
on every assignment of every provision version's fact space, in the base law and in every
shipped variant; and a wrong encoding fails here."""

from __future__ import annotations

import pytest

from casus.engine.analysis.proofs import Engines, Space
from casus.engine.evaluate.verdict import verdict
from casus.engine.law.amendments import with_variants
from casus.engine.files.paths import rules_dir
from casus.engine.logic import smt
from casus.engine.logic.compiler import CompiledLaw
from casus.engine.logic.ir import AtomKind

SHIPPED_VARIANTS = sorted(p.stem for p in (rules_dir() / "amendments").glob("*.yaml"))


BOUND = 100_000      # spaces up to this many assignments are compared whole


def _assignments(space: Space):
    """Every assignment where the space is small; else every complete one (every fact known),
    and 3,000 drawn from the whole space."""
    if space.size <= BOUND:
        yield from (known for _, _, known in space.assignments())
        return
    yield from space.complete()
    yield from space.sample(3000, seed=1)


def disagreements(law, encoding=smt.Encoding, limit: int = 3) -> tuple[int, list[str]]:
    """Every assignment of every version (complete ones and a sample where the space is
    large): outcome, conclusions derived (both ways, when in conflict) and rules fired, by
    the encoding, durable_rules and the reference."""
    checked, found = 0, []
    engines = Engines.new()
    for cv in CompiledLaw(law).all_versions():
        space = Space.of(law, cv)
        formulas = smt.Formulas(encoding(cv, smt.Facts(law.domain_of)))
        for known in _assignments(space):
            checked += 1
            e = formulas.evaluate(known)
            for programs in (engines.durable, engines.reference):
                d = programs.derive(cv, known)
                if (e.outcome, e.conclusions, e.fired) != (verdict(cv, d).outcome, d.conclusions, list(d.fired)):
                    found.append(f"{cv.name} {known}: encoding {e.outcome} {e.conclusions} {e.fired}; "
                                 f"{d.backend} {verdict(cv, d).outcome} {d.conclusions} {list(d.fired)}")
                    if len(found) >= limit:
                        return checked, found
    return checked, found


def test_the_encoding_agrees_on_every_assignment_of_the_base_law(law):
    checked, found = disagreements(law)
    assert found == []
    assert checked > 20_000


@pytest.mark.parametrize("variant", SHIPPED_VARIANTS)
def test_the_encoding_agrees_on_every_assignment_of_each_variant(law, variant):
    checked, found = disagreements(with_variants(law, variant))
    assert found == [] and checked > 20_000


class InvertedUnless(smt.Encoding):
    """A deliberately wrong encoding: `unless: [u]` read as "u applies" instead of "u does not"."""

    def test(self, t):
        if t.atom.kind is AtomKind.EXCEPTION:
            return super().test(type(t)(t.atom, frozenset({not v for v in t.values})))
        return super().test(t)


class ConflictsKeepTheirValue(smt.Encoding):
    """Wrong: a conclusion derived both ways still counts as true for the rules that read it."""

    def value_is(self, atom, value):
        return self.derived(atom, value)


class UnknownIsFalse(smt.Encoding):
    """Wrong: negative tests hold for unknown facts (negation as failure, not Kleene)."""

    def test(self, t):
        held = super().test(t)
        if t.atom.kind is AtomKind.FACT and False in t.values:
            return smt.z3.Or(held, smt.z3.Not(self.facts.known(t.atom.name)))
        return held


@pytest.mark.parametrize("wrong", [InvertedUnless, UnknownIsFalse])
def test_a_wrong_encoding_fails_on_the_shipped_law(law, wrong):
    _, found = disagreements(with_variants(law, "art4-no-help-between-members"), wrong, limit=1)
    assert found, f"{wrong.__name__} was not caught"


def test_a_wrong_conflict_reading_fails_on_a_law_with_conflicts(tmp_path):
    """The shipped law has no conflicts, so its spaces cannot tell a wrong conflict reading:
    a law with a conflict feeding a later conclusion does."""
    from casus.engine.law.loader import read_rules
    from conftest import DATA
    law = read_rules(DATA / "broken-rules")
    assert disagreements(law)[1] == []
    _, found = disagreements(law, ConflictsKeepTheirValue, limit=1)
    assert found
