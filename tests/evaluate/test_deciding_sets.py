"""Deciding sets are the minimal unions the definition names; the faster construction
(minimal parts first, subsets looked up) must give exactly the sets the definition does."""

from __future__ import annotations

import itertools
import random

from casus.engine.evaluate import deciding as ev


def by_definition(sets):
    """Every non-empty set that contains no other non-empty set of the family, smallest first."""
    uniq = sorted(set(s for s in sets if s), key=lambda s: (len(s), sorted(s)))
    return [sorted(s) for s in uniq if not any(o < s for o in uniq)]


def test_minimal_sets_match_the_definition():
    rnd = random.Random(7)
    names = list("abcdefghijkl")
    for _ in range(3000):
        def family(n):
            return [frozenset(rnd.sample(names, rnd.randint(0, 5))) for _ in range(n)]
        apply_true, outcome, apply_false = family(rnd.randint(0, 12)), family(rnd.randint(0, 12)), family(rnd.randint(0, 6))
        expected = by_definition(apply_false + [a | o for a, o in itertools.product(apply_true, outcome)])
        pairs = itertools.product(ev._antichain(apply_true, keep_empty=True), ev._antichain(outcome, keep_empty=True))
        assert ev._minimal(apply_false + [a | o for a, o in pairs]) == expected
        assert ev._minimal(apply_true) == by_definition(apply_true)
        # What deciding_sets builds when applicability is unknown (outcome unknown / known).
        assert ev._deciding_unions(apply_true, apply_false, outcome, False) == expected
        assert ev._deciding_unions(apply_true, apply_false, outcome, True) == by_definition(
            apply_false + apply_true + [a | o for a, o in itertools.product(apply_true, outcome)])
