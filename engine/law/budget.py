"""What a rule will cost the engine, counted before anything is expanded.

A condition becomes a normal form (terms: conjunctions of tests), and each term becomes
durable_rules rules, one per combination of the values its tests allow; each such rule
matches its tests on one fact. A few hundred bytes can ask for millions of them: an `all`
of eleven `any`s of two is 2,048 terms, seven facts `in` five of six values each is one
term but 5^7 = 78,125 durable rules. Expanding first and refusing after costs seconds
and gigabytes, so the size is counted here from the condition's shape: `all` multiplies,
`any` adds, `not` swaps a test's values for the rest of its domain. The count is an upper
bound (two tests of one fact in one term are counted as if they did not narrow each
other), exact for conditions that test each fact once on each path.

Budgets, per rule, per provision version and per law (every version of every provision):

  - normal-form terms of one rule: MAX_RULE_TERMS (the bound the compiler also keeps
    while it builds a normal form);
  - durable_rules rules of one rule: MAX_RULE_PATHS;
  - tests matched by the durable_rules rules of one version: MAX_VERSION_TESTS, and of
    the whole law: MAX_LAW_TESTS. durable_rules' memory follows this count (its alpha
    network has a node per test of each rule; about 3 KB each when measured).

The shipped law needs 88 terms and 260 tests; the 1,000-provision law of bench/run.py
about 104,000 tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..files import models as m
from ..files.errors import InputError

MAX_RULE_TERMS = 2048
MAX_RULE_PATHS = 4096
MAX_VERSION_TESTS = 65_536
MAX_LAW_TESTS = 200_000

# Counts saturate here: a condition can describe numbers with thousands of digits.
_CAP = 10**15

DomainOf = Callable[[str], tuple[Any, ...]]
Fail = Callable[[tuple[Any, ...], str, "str | None"], None]
# (terms, paths, tests): normal-form terms; durable_rules rules (one per combination of the
# values a term's tests allow); the tests those durable rules match, all together.
Size = tuple[int, int, int]

NOTHING: Size = (0, 0, 0)
ALWAYS: Size = (1, 1, 0)        # the empty conjunction: the unit of `all`
_ONE: Size = (1, 1, 1)
_TRUE = {True}


def _cap(x: int) -> int:
    return x if x < _CAP else _CAP


def _or(a: Size, b: Size) -> Size:
    return _cap(a[0] + b[0]), _cap(a[1] + b[1]), _cap(a[2] + b[2])


def _and(a: Size, b: Size) -> Size:
    # every path of a joined to every path of b: their tests add up
    return _cap(a[0] * b[0]), _cap(a[1] * b[1]), _cap(a[2] * b[1] + b[2] * a[1])


def condition_size(cond: Any, domain_of: DomainOf, positive: bool = True) -> Size:
    """The size of `cond` (or of its negation) once expanded, without expanding it."""
    if isinstance(cond, m.FactTest):
        values: set[Any]
        if cond.in_ is not None:
            values = set(cond.in_)
        elif cond.is_ is not None:
            values = {cond.is_}
        else:
            values = _TRUE
        try:
            domain = domain_of(cond.fact)
        except KeyError:                  # an unknown fact, reported elsewhere
            domain = (True, False)
        n = 0
        for v in domain:
            if (v in values) == positive:
                n += 1
        return (1, n, n) if n else NOTHING
    if isinstance(cond, m.ConclusionTest):
        return _ONE                       # true, or (negated) false
    if isinstance(cond, m.Not):
        return condition_size(cond.not_, domain_of, not positive)
    conjunction = isinstance(cond, m.All) == positive
    out = ALWAYS if conjunction else NOTHING
    for child in (cond.all if isinstance(cond, m.All) else cond.any):
        size = condition_size(child, domain_of, positive)
        out = _and(out, size) if conjunction else _or(out, size)
    return out


def rule_size(rule: m.Rule, domain_of: DomainOf, exception: bool) -> Size:
    """A rule as the compiler runs it: its `when`, one test more per `unless`; a rule that is
    an exception to another is also compiled negated (to know it does not apply)."""
    k = len(rule.unless)
    size = condition_size(rule.when, domain_of)
    if k:
        size = _and(size, (1, 1, k))
    if exception:
        # compiled twice more: as "applies" (the same) and as "does not apply", which is
        # `not when`, or one of its own exceptions applies
        size = _or(_or(size, size), _or(condition_size(rule.when, domain_of, positive=False), (k, k, k)))
    return size


def _n(x: int) -> str:
    return f"{x:,}" if x < _CAP else f"more than {_CAP:,}"


class LawBudget:
    """Counts a law's versions as they are read; refuses the rule that passes a budget."""

    def __init__(self, limit: int = MAX_LAW_TESTS):
        self.tests = 0
        self.limit = limit

    def version(self, provision_id: str, vi: int, version: m.ProvisionVersion, domain_of: DomainOf,
                fail: Fail) -> bool:
        """Count one version; False (after `fail`) if a budget is passed."""
        exceptions = {u for r in version.rules for u in r.unless}
        where = f"provision {provision_id} (version {version.id}), rule"
        tests = 0
        for ri, rule in enumerate(version.rules):
            path = ("versions", vi, "rules", ri)
            size = rule_size(rule, domain_of, rule.id in exceptions)
            hint = "split it into rules that conclude intermediate conclusions"
            terms, paths, size_tests = size
            if terms > MAX_RULE_TERMS:
                fail(path, f"{where} {rule.id}: the condition is too large to compile: its normal form would "
                           f"have {_n(terms)} terms (more than {MAX_RULE_TERMS:,})", hint)
                return False
            if paths > MAX_RULE_PATHS:
                fail(path, f"{where} {rule.id}: the condition is too large to compile: it would be "
                           f"{_n(paths)} durable_rules rules, one per combination of the values it allows "
                           f"(more than {MAX_RULE_PATHS:,})", "fewer values per `in`, or an intermediate conclusion")
                return False
            tests += size_tests
            if tests > MAX_VERSION_TESTS:
                fail(path, f"{where} {rule.id}: the version's conditions, up to this rule, would be durable_rules "
                           f"rules matching {_n(tests)} tests (more than {MAX_VERSION_TESTS:,} per version)",
                     "fewer or smaller conditions; split alternatives into intermediate conclusions")
                return False
            if self.tests + tests > self.limit:
                fail(path, f"{where} {rule.id}: the law's conditions, up to this rule, would be durable_rules "
                           f"rules matching {_n(self.tests + tests)} tests (more than {self.limit:,} per law)",
                     "a smaller law: fewer provisions, versions or alternatives")
                return False
        self.tests += tests
        return True

    def provision(self, prov: m.Provision, domain_of: DomainOf, fail: Fail) -> bool:
        return all(self.version(prov.id, vi, v, domain_of, fail) for vi, v in enumerate(prov.versions))


def check_version(provision_id: str, version: m.ProvisionVersion, domain_of: DomainOf,
                  file: str | None = None) -> None:
    """Per rule and per version budgets of one version (where no position is known: the
    compiler's own check, for versions that did not come from a file, or from an amendment)."""
    def fail(path: tuple[Any, ...], message: str, hint: str | None) -> None:
        raise InputError(message, file=file, hint=hint)
    LawBudget(limit=_CAP).version(provision_id, 0, version, domain_of, fail)
