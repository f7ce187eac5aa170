"""The deciding-set algebra: which unknown facts, once known, could decide an undetermined
outcome (minimal sets, from the conclusions' expansion into terms over input facts)."""

from __future__ import annotations

from itertools import combinations
from collections.abc import Iterable, Mapping

from ..logic.compiler import CompiledVersion, FactTerms
from ..logic.ir import Atom, Term, Value
from ..backends.base import Derivation


def _alive_sets(terms: Iterable[Term], facts: Mapping[Atom, Value]) -> list[frozenset[str]]:
    return [frozenset(a.name for a in t.atoms() if a not in facts) for t in terms if not t.contradicted(facts)]


def _antichain(sets: Iterable[frozenset[str]], keep_empty: bool = False) -> list[frozenset[str]]:
    """The non-empty sets none of whose non-empty proper subsets is among them, smallest
    first, after the empty set if `keep_empty` and it is there (the empty set is dropped
    from deciding sets at the end, so it shadows nothing). A set is tested against the kept
    ones or through its own subsets, whichever is fewer, so the cost grows with the number
    of sets, not with its square."""
    distinct = set(sets)
    head: list[frozenset[str]] = [frozenset()] if keep_empty and frozenset() in distinct else []
    uniq = sorted((s for s in distinct if s), key=lambda s: (len(s), sorted(s)))
    out: list[frozenset[str]] = []
    kept: set[frozenset[str]] = set()
    for s in uniq:
        if len(out) <= 1 << len(s):
            dominated = any(o <= s for o in out)
        else:
            members = sorted(s)
            dominated = any(frozenset(c) in kept for r in range(1, len(members)) for c in combinations(members, r))
        if not dominated:
            out.append(s)
            kept.add(s)
    return head + out


def _deciding_unions(app_true: list[frozenset[str]], app_false: list[frozenset[str]],
                     decide_outcome: list[frozenset[str]], outcome_known: bool) -> list[list[str]]:
    """Deciding sets when applicability is unknown: the minimal sets among those making it
    false, those making it true joined with those deciding the outcome, and (the outcome
    being known already) those making it true."""
    alone = app_false + app_true if outcome_known else app_false     # decide on their own
    # A union with a non-minimal part is never minimal: pair only the minimal ones. Nor is
    # one with a part that holds a set deciding on its own (it is that set, or shadowed by
    # it): leave such parts out. The pairing is still a product of what is left.
    shadow = _antichain(alone)
    shadow_set = set(shadow)
    parts_a = [a for a in _antichain(app_true, keep_empty=True) if not _holds_one(a, shadow, shadow_set)]
    parts_o = [o for o in _antichain(decide_outcome, keep_empty=True) if not _holds_one(o, shadow, shadow_set)]
    return _minimal(alone + [a | o for a in parts_a for o in parts_o])


def _holds_one(x: frozenset[str], family: list[frozenset[str]], family_set: set[frozenset[str]]) -> bool:
    """Does `x` contain a (non-empty) set of `family`? Tested against the family or through
    x's own subsets, whichever is fewer."""
    if not x or not family:
        return False
    if len(family) <= 1 << len(x):
        return any(f <= x for f in family)
    members = sorted(x)
    return any(frozenset(c) in family_set for r in range(1, len(members) + 1) for c in combinations(members, r))


def _minimal(sets: Iterable[frozenset[str]]) -> list[list[str]]:
    return [sorted(s) for s in _antichain(sets)]


def _alive(terms: FactTerms, facts: Mapping[str, Value]) -> list[frozenset[str]]:
    """For each term the known facts do not contradict: the facts it tests that are unknown."""
    out = []
    for tests, names in terms:
        for name, values in tests:
            if name in facts and facts[name] not in values:
                break
        else:
            out.append(names.difference(facts))
    return out


def deciding_sets(compiled: CompiledVersion, d: Derivation) -> list[list[str]]:
    """Which unknown facts, once known, could decide an undetermined outcome?"""
    prov, terms = compiled.provision, compiled.fact_terms
    facts = d.facts
    applicable = True if prov.applicability is None else d.value(prov.applicability)
    outcome_value = d.value(prov.outcome)
    decide_outcome = _alive(terms[(prov.outcome, True)], facts) + _alive(terms[(prov.outcome, False)], facts)
    if applicable is None and prov.applicability is not None:
        app_true = _alive(terms[(prov.applicability, True)], facts)
        app_false = _alive(terms[(prov.applicability, False)], facts)
        return _deciding_unions(app_true, app_false, decide_outcome, outcome_value is not None)
    return _minimal(decide_outcome)
