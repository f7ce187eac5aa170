"""Conditions as Kleene logic over signed literals: the typed intermediate form.

An *atom* is something with a value: an input fact, a conclusion of the provision,
or "exception rule u applies" (for `unless: [u]`). A test `atom ∈ S` holds only when
the atom is *known* and its value is in S. Negation is pushed down to tests
(¬(x ∈ S) is x ∈ domain∖S), so an unknown atom makes every test on it fail: Kleene's
strong logic, and a condition that holds keeps holding when more becomes known
(monotonicity).

A condition becomes a DNF: a tuple of Terms (conjunctions of tests, one per atom).
Conclusions are atoms like facts: a rule that tests a conclusion tests its *value*,
which the engine derives in an earlier stratum. Nothing is inlined here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar, Union

from ..law.budget import MAX_RULE_TERMS

Value = Union[bool, str]
BOOL: tuple[Value, ...] = (True, False)


class AtomKind(str, Enum):
    FACT = "fact"
    CONCLUSION = "conclusion"
    EXCEPTION = "exception"      # "exception rule <name> applies"


@dataclass(frozen=True, order=True)
class Atom:
    kind: AtomKind
    name: str
    # Atoms key every dict of the compiler and the planner (a million lookups for a law of
    # 1,000 provisions): the generated __hash__ hashed the enum in Python at each lookup.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.kind.value, self.name)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type["Atom"], tuple[AtomKind, str]]:
        # Rebuilt (hash recomputed) where unpickled: another process may hash strings differently.
        return Atom, (self.kind, self.name)

    def __str__(self) -> str:
        return self.name if self.kind is AtomKind.FACT else f"{self.kind.value}:{self.name}"


# One Atom per kind and name, so that the compiler's dict and set lookups find an atom by
# identity, without __eq__. Only a speed-up (atoms still compare by value): the table is
# dropped when it grows past the bound (a process that reads many different laws).
_FACTS: dict[str, Atom] = {}
_CONCLUSIONS: dict[str, Atom] = {}
_EXCEPTIONS: dict[str, Atom] = {}
_ATOMS_MAX = 100_000


def _atom(table: dict[str, Atom], kind: AtomKind, name: str) -> Atom:
    found = table.get(name)
    if found is None:
        if len(table) >= _ATOMS_MAX:
            table.clear()
        found = table[name] = Atom(kind, name)
    return found


def fact(name: str) -> Atom:
    return _FACTS.get(name) or _atom(_FACTS, AtomKind.FACT, name)


def conclusion(name: str) -> Atom:
    return _CONCLUSIONS.get(name) or _atom(_CONCLUSIONS, AtomKind.CONCLUSION, name)


def exception(rule_id: str) -> Atom:
    return _EXCEPTIONS.get(rule_id) or _atom(_EXCEPTIONS, AtomKind.EXCEPTION, rule_id)


Domain = Callable[[Atom], tuple[Value, ...]]


# ------------------------------------------------------------------ condition nodes

@dataclass(frozen=True)
class Test:
    atom: Atom
    values: frozenset[Value]


@dataclass(frozen=True)
class AllOf:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class NotOf:
    child: "Node"


Node = Union[Test, AllOf, AnyOf, NotOf]
R = TypeVar("R")


class Visitor(Generic[R]):
    """The one way to walk a condition: override the four cases."""

    def visit(self, node: Node) -> R:
        if isinstance(node, Test):
            return self.test(node)
        if isinstance(node, AllOf):
            return self.all_of(node)
        if isinstance(node, AnyOf):
            return self.any_of(node)
        return self.not_of(node)

    def test(self, node: Test) -> R:
        raise NotImplementedError

    def all_of(self, node: AllOf) -> R:
        raise NotImplementedError

    def any_of(self, node: AnyOf) -> R:
        raise NotImplementedError

    def not_of(self, node: NotOf) -> R:
        raise NotImplementedError


class _Atoms(Visitor[frozenset[Atom]]):
    def test(self, node: Test) -> frozenset[Atom]:
        return frozenset([node.atom])

    def all_of(self, node: AllOf) -> frozenset[Atom]:
        return frozenset().union(*(self.visit(c) for c in node.children))

    def any_of(self, node: AnyOf) -> frozenset[Atom]:
        return frozenset().union(*(self.visit(c) for c in node.children))

    def not_of(self, node: NotOf) -> frozenset[Atom]:
        return self.visit(node.child)


def atoms_of(node: Node) -> frozenset[Atom]:
    return _Atoms().visit(node)


# ------------------------------------------------------------------ disjunctive normal form

@dataclass(frozen=True)
class Term:
    """A conjunction of tests, sorted by atom, at most one per atom."""
    tests: tuple[Test, ...]

    def atoms(self) -> tuple[Atom, ...]:
        return tuple(t.atom for t in self.tests)

    def contradicted(self, known: Mapping[Atom, Value]) -> bool:
        return any(t.atom in known and known[t.atom] not in t.values for t in self.tests)


class NormalFormTooLarge(ValueError):
    """A condition whose normal form would exceed the bound (refused while it is built)."""

    def __init__(self, size: int, bound: int):
        super().__init__(f"its normal form would have {size} terms (more than {bound})")
        self.size, self.bound = size, bound


MAX_TERMS = MAX_RULE_TERMS          # the bound the loader counts against before anything is built


def _dedupe(terms: Iterable[Term]) -> tuple[Term, ...]:
    return tuple(dict.fromkeys(terms))


def conjoin(a: Term, b: Term) -> Term | None:
    merged = {t.atom: t.values for t in a.tests}
    for t in b.tests:
        both = merged[t.atom] & t.values if t.atom in merged else t.values
        if not both:
            return None
        merged[t.atom] = both
    return Term(tuple(Test(k, merged[k]) for k in sorted(merged)))


class _Dnf(Visitor[tuple[Term, ...]]):
    """DNF of a condition under a polarity; the size is checked before each product is built."""

    def __init__(self, domain: Domain, positive: bool, bound: int):
        self.domain, self.positive, self.bound = domain, positive, bound

    def test(self, node: Test) -> tuple[Term, ...]:
        values = node.values if self.positive else frozenset(self.domain(node.atom)) - node.values
        return (Term((Test(node.atom, values),)),) if values else ()

    def _and(self, children: tuple[Node, ...]) -> tuple[Term, ...]:
        acc: tuple[Term, ...] = (Term(()),)
        for child in children:
            right = self.visit(child)
            if len(acc) * len(right) > self.bound:
                raise NormalFormTooLarge(len(acc) * len(right), self.bound)
            acc = _dedupe(t for a in acc for b in right if (t := conjoin(a, b)) is not None)
            if not acc:
                break
        return acc

    def _or(self, children: tuple[Node, ...]) -> tuple[Term, ...]:
        out: list[Term] = []
        for child in children:
            out.extend(self.visit(child))
            if len(out) > self.bound:
                raise NormalFormTooLarge(len(out), self.bound)
        return _dedupe(out)

    def all_of(self, node: AllOf) -> tuple[Term, ...]:
        return self._and(node.children) if self.positive else self._or(node.children)

    def any_of(self, node: AnyOf) -> tuple[Term, ...]:
        return self._or(node.children) if self.positive else self._and(node.children)

    def not_of(self, node: NotOf) -> tuple[Term, ...]:
        self.positive = not self.positive
        try:
            return self.visit(node.child)
        finally:
            self.positive = not self.positive


def dnf(node: Node, domain: Domain, *, positive: bool = True, bound: int = MAX_TERMS) -> tuple[Term, ...]:
    """The terms under which `node` is true (or, with positive=False, false)."""
    return _Dnf(domain, positive, bound).visit(node)
