"""Compile a provision version to a stratified program (once per process).

The program is backend-neutral: rules over atoms (facts, conclusions, "exception u
applies"), each condition in DNF, grouped into strata so that every atom a rule tests
is settled in an earlier stratum. A backend runs the strata in order; what one
stratum derives becomes input to the next. This is how `unless` keeps its meaning
without negation as failure: "exception u applies" is an atom of its own, derived
true from u's condition and false from its negation in an earlier stratum, and the
rule with `unless: [u]` needs it known false.

Stratum of an atom: 1 + the highest stratum of the atoms its rules test (1 for
atoms whose rules test only facts). A rule lives in the stratum of what it derives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from ..files import models as m
from ..files.errors import InputError
from ..law.loader import LawModels
from ..law.budget import check_version
from ..gcpause import gc_paused
from .ir import (BOOL, MAX_TERMS, AllOf, AnyOf, Atom, AtomKind, Node, NormalFormTooLarge, NotOf, Term, Test,
                 Value, atoms_of, conclusion, conjoin, dnf, exception, fact)

DomainOf = Callable[[str], tuple[Value, ...]]


class RuleKind(str, Enum):
    RULE = "rule"              # a casus rule: derives its conclusion
    EXCEPTION = "exception"    # decides whether an exception rule applies (for `unless`)


@dataclass(frozen=True)
class ProgramRule:
    """One rule of the program: `derives = value` when any of `terms` holds."""
    rule: str                  # the casus rule id
    kind: RuleKind
    derives: Atom
    value: bool
    terms: tuple[Term, ...]
    stratum: int


def to_node(cond: m.Condition, domain_of: "DomainOf") -> Node:
    """File model condition -> IR, resolving `is`/`in` to value sets."""
    if isinstance(cond, m.All):
        return AllOf(tuple(to_node(c, domain_of) for c in cond.all))
    if isinstance(cond, m.Any_):
        return AnyOf(tuple(to_node(c, domain_of) for c in cond.any))
    if isinstance(cond, m.Not):
        return NotOf(to_node(cond.not_, domain_of))
    if isinstance(cond, m.ConclusionTest):
        return Test(conclusion(cond.conclusion), frozenset([True]))
    domain = domain_of(cond.fact)
    values: frozenset[Value]
    if cond.in_ is not None:
        values = frozenset(cond.in_)
    elif cond.is_ is not None:
        values = frozenset([cond.is_])
    elif domain == BOOL:
        values = frozenset([True])
    else:
        raise ValueError(f"enum fact '{cond.fact}' needs 'is' or 'in'")
    return Test(fact(cond.fact), values)


def rule_node(rule: m.Rule, domain_of: DomainOf) -> Node:
    """A rule's condition with its exceptions: `when ∧ (u applies) is false, for each u`."""
    node = to_node(rule.when, domain_of)
    if rule.unless:
        node = AllOf((node,) + tuple(Test(exception(u), frozenset([False])) for u in rule.unless))
    return node


class CompileError(InputError):
    """A provision version the engine cannot run as written (a limit), refused at compile time."""


@dataclass
class CompiledVersion:
    provision: m.Provision
    version: m.ProvisionVersion
    rules: dict[str, m.Rule]
    program: tuple[ProgramRule, ...]            # in stratum order, then file order
    strata: int                                 # strata are numbered 1..strata
    facts: tuple[str, ...]                      # every input fact the program tests (sorted)
    direct_facts: dict[str, tuple[str, ...]]    # rule id -> facts in its own `when`
    nodes: dict[str, Node] = field(repr=False, default_factory=dict)   # rule id -> its condition
    domain_of: DomainOf | None = field(repr=False, default=None)
    name: str = ""                              # content-derived, unique per distinct program

    def atom_domain(self, atom: Atom) -> tuple[Value, ...]:
        assert self.domain_of is not None
        return self.domain_of(atom.name) if atom.kind is AtomKind.FACT else BOOL

    def rules_of(self, kind: RuleKind) -> list[ProgramRule]:
        return [r for r in self.program if r.kind is kind]

    def program_rule(self, rule: str, kind: RuleKind, value: bool | None = None) -> ProgramRule:
        for r in self.program:
            if r.rule == rule and r.kind is kind and (value is None or r.value == value):
                return r
        raise KeyError((rule, kind, value))

    @cached_property
    def fact_terms(self) -> dict[tuple[str, bool], FactTerms]:
        """`conclusion_terms` by fact name, made once per compiled version (deciding sets
        read it for every undetermined verdict). The terms test input facts only (the
        expansion replaces conclusions and exceptions by the facts they rest on)."""
        return _fact_terms(self)

    @cached_property
    def conclusion_terms(self) -> dict[tuple[str, bool], tuple[Term, ...]]:
        """For analysis only (which unknown facts could decide an outcome): each conclusion
        value as a DNF over input facts, conclusions expanded. The engine never runs this.
        Bounded like any normal form; `casus validate` computes it, so it is refused there."""
        try:
            return _Expander(self).all()
        except NormalFormTooLarge as e:
            raise CompileError(f"provision {self.provision.id} (version {self.version.id}): the facts that "
                               f"could decide its outcome are too many combinations to list: {e}",
                               hint="fewer alternatives per conclusion, or fewer conclusions chained") from None


# A conclusion value's terms as (the fact tests: (name, allowed values), ..., the names they test).
FactTerms = tuple[tuple[tuple[tuple[str, frozenset[Value]], ...], frozenset[str]], ...]


@gc_paused          # the first call expands the conclusions (compile-time work, many objects kept)
def _fact_terms(cv: CompiledVersion) -> dict[tuple[str, bool], FactTerms]:
    terms = {key: tuple((tuple((t.atom.name, t.values) for t in term.tests if t.atom.kind is AtomKind.FACT),
                         frozenset(t.atom.name for t in term.tests))
                        for term in value)
             for key, value in cv.conclusion_terms.items()}
    if any(t.atom.kind is not AtomKind.FACT for value in cv.conclusion_terms.values()
           for term in value for t in term.tests):
        raise AssertionError(f"{cv.name}: a deciding-set term tests a conclusion or an exception")
    return terms


class _Expander:
    """Expands atoms into the facts they rest on (for deciding sets; bounded like any DNF)."""

    def __init__(self, cv: CompiledVersion):
        self.cv = cv
        self.memo: dict[tuple[Atom, bool], tuple[Term, ...]] = {}

    def atom(self, atom: Atom, value: bool) -> tuple[Term, ...]:
        key = (atom, value)
        if key not in self.memo:
            out: list[Term] = []
            for r in self.cv.program:
                if r.derives == atom and r.value == value:
                    for t in r.terms:
                        out.extend(self.term(t))
                        if len(out) > MAX_TERMS:
                            raise NormalFormTooLarge(len(out), MAX_TERMS)
            self.memo[key] = tuple(dict.fromkeys(out))
        return self.memo[key]

    def term(self, term: Term) -> tuple[Term, ...]:
        acc: tuple[Term, ...] = (Term(()),)
        for t in term.tests:
            if t.atom.kind is AtomKind.FACT:
                right: tuple[Term, ...] = (Term((t,)),)
            else:
                right = tuple(x for v in t.values for x in self.atom(t.atom, bool(v)))
            if len(acc) * len(right) > MAX_TERMS:
                raise NormalFormTooLarge(len(acc) * len(right), MAX_TERMS)
            acc = tuple(dict.fromkeys(c for a in acc for b in right if (c := conjoin(a, b)) is not None))
        return acc

    def all(self) -> dict[tuple[str, bool], tuple[Term, ...]]:
        return {(c, v): self.atom(conclusion(c), v) for c in self.cv.version.conclusions for v in (True, False)}


def _strata(rules: dict[str, m.Rule], atoms: dict[str, frozenset[Atom]]) -> dict[Atom, int]:
    """Stratum of every derived atom (the loader has refused cycles)."""
    exceptions = {u for r in rules.values() for u in r.unless}
    needs: dict[Atom, set[Atom]] = {}
    for rid, r in rules.items():
        tested = {a for a in atoms[rid] if a.kind is not AtomKind.FACT}
        needs.setdefault(conclusion(r.concludes), set()).update(tested)
        if rid in exceptions:
            needs.setdefault(exception(rid), set()).update(tested)
    level: dict[Atom, int] = {}

    def visit(a: Atom, depth: int) -> int:
        if a not in level:
            if depth > len(needs) + 1:
                raise ValueError(f"'{a}' depends on itself")
            level[a] = 1 + max((visit(b, depth + 1) for b in needs.get(a, ())), default=0)
        return level[a]

    for a in sorted(needs):
        visit(a, 0)
    return level


@gc_paused
def compile_version(law: LawModels, provision_id: str, version: m.ProvisionVersion) -> CompiledVersion:
    try:
        return compile_program(law.provisions[provision_id], version, law.domain_of)
    except CompileError as e:
        raise e.located(file=law.provision_files.get(provision_id)) from None


def compile_program(provision: m.Provision, version: m.ProvisionVersion, domain_of: DomainOf) -> CompiledVersion:
    provision_id = provision.id
    # Counted before anything is expanded (the loader has done so for files, with positions;
    # this covers versions made by amendments or by code).
    check_version(provision_id, version, domain_of)
    rules = {r.id: r for r in version.rules}
    nodes = {rid: rule_node(r, domain_of) for rid, r in rules.items()}
    atoms = {rid: atoms_of(node) for rid, node in nodes.items()}
    level = _strata(rules, atoms)

    def domain(atom: Atom) -> tuple[Value, ...]:
        return domain_of(atom.name) if atom.kind is AtomKind.FACT else BOOL

    def terms(rid: str, positive: bool) -> tuple[Term, ...]:
        try:
            return dnf(nodes[rid], domain, positive=positive)
        except NormalFormTooLarge as e:
            raise CompileError(f"provision {provision_id} (version {version.id}), rule {rid}: "
                               f"the condition is too large to compile: {e}",
                               hint="split it into rules that conclude intermediate conclusions") from None

    program: list[ProgramRule] = []
    exceptions = sorted({u for r in rules.values() for u in r.unless})
    for u in exceptions:
        a = exception(u)
        program.append(ProgramRule(u, RuleKind.EXCEPTION, a, True, terms(u, True), level[a]))
        program.append(ProgramRule(u, RuleKind.EXCEPTION, a, False, terms(u, False), level[a]))
    for rid, r in rules.items():
        a = conclusion(r.concludes)
        program.append(ProgramRule(rid, RuleKind.RULE, a, r.value, terms(rid, True), level[a]))
    program.sort(key=lambda p: p.stratum)      # stable: file order within a stratum
    used = sorted({a.name for p in program for t in p.terms for a in t.atoms() if a.kind is AtomKind.FACT})
    # `unless` adds only exception atoms: the facts of a rule's node are those of its `when`.
    direct = {rid: tuple(sorted(a.name for a in atoms[rid] if a.kind is AtomKind.FACT)) for rid in rules}
    cv = CompiledVersion(provision, version, rules, tuple(program), max((p.stratum for p in program), default=0),
                         tuple(used), direct, nodes, domain_of)
    digest = hashlib.sha256(repr([(p.rule, p.kind.value, str(p.derives), p.value, p.stratum,
                                   [[(str(t.atom), sorted(map(repr, t.values))) for t in term.tests]
                                    for term in p.terms]) for p in program]).encode()).hexdigest()[:12]
    cv.name = f"casus.{provision_id}.{version.id}.{digest}"
    return cv


class CompiledLaw:
    """Compiled provision versions of one law (base or variant), built on demand."""

    def __init__(self, law: LawModels):
        self.law = law
        self._cache: dict[tuple[str, str], CompiledVersion] = {}

    def version(self, provision_id: str, version: m.ProvisionVersion) -> CompiledVersion:
        key = (provision_id, version.id)
        if key not in self._cache:
            self._cache[key] = compile_version(self.law, provision_id, version)
        return self._cache[key]

    @gc_paused
    def all_versions(self) -> list[CompiledVersion]:
        return [self.version(pid, v) for pid, p in sorted(self.law.provisions.items()) for v in p.versions]
