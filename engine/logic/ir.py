"""Conditions as Kleene logic over signed literals, normalised for a forward chainer.

A literal is `fact ∈ S` for a non-empty proper or full subset S of the fact's
domain; it holds only when the fact is *known* and its value is in S. Negation
is pushed down to literals (¬(x ∈ S) is x ∈ domain∖S), so an unknown fact makes
every literal on it fail, which is exactly Kleene's strong logic: a condition
derived true stays true when more facts become known (monotonicity).

A condition becomes a DNF: a list of Terms (conjunctions of literals). Each
term of each rule becomes one durable_rules rule, so a firing names the exact
conjunction that matched. Conclusions used inside conditions are inlined as the
disjunction of the rules that derive them; a term remembers which rules it
stands for (its `supports`), so the trace can show the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..law import models as m

# Internal condition AST (plain tuples, cheap to build and compare):
#   ("fact", name, frozenset(values))   ("concl", name)
#   ("all", (c, ...))   ("any", (c, ...))   ("not", c)   ("rule", rule_id)
Node = tuple


@dataclass(frozen=True)
class Term:
    literals: tuple[tuple[str, frozenset], ...]      # sorted by fact name, one per fact
    supports: frozenset[str] = field(default_factory=frozenset)

    def facts(self) -> tuple[str, ...]:
        return tuple(f for f, _ in self.literals)

    def holds(self, facts: dict) -> bool:
        return all(f in facts and facts[f] in vals for f, vals in self.literals)

    def contradicted(self, facts: dict) -> bool:
        return any(f in facts and facts[f] not in vals for f, vals in self.literals)


def to_node(cond, domain_of: Callable[[str], tuple]) -> Node:
    """Pydantic condition -> internal AST, resolving `is`/`in` to value sets."""
    if isinstance(cond, m.All):
        return ("all", tuple(to_node(c, domain_of) for c in cond.all))
    if isinstance(cond, m.Any_):
        return ("any", tuple(to_node(c, domain_of) for c in cond.any))
    if isinstance(cond, m.Not):
        return ("not", to_node(cond.not_, domain_of))
    if isinstance(cond, m.ConclusionTest):
        return ("concl", cond.conclusion)
    if isinstance(cond, m.FactTest):
        domain = domain_of(cond.fact)
        if cond.in_ is not None:
            values = frozenset(cond.in_)
        elif cond.is_ is not None:
            values = frozenset([cond.is_])
        elif domain == (True, False):
            values = frozenset([True])
        else:
            raise ValueError(f"enum fact '{cond.fact}' needs 'is' or 'in'")
        return ("fact", cond.fact, values)
    raise TypeError(f"not a condition: {cond!r}")


def _product(left: list[Term], right: list[Term]) -> list[Term]:
    out = []
    for a in left:
        for b in right:
            merged = dict(a.literals)
            ok = True
            for f, vals in b.literals:
                both = merged[f] & vals if f in merged else vals
                if not both:
                    ok = False
                    break
                merged[f] = both
            if ok:
                out.append(Term(tuple(sorted(merged.items(), key=lambda kv: kv[0])),
                                a.supports | b.supports))
    return out


def _dedupe(terms: Iterable[Term]) -> list[Term]:
    seen, out = set(), []
    for t in terms:
        key = (t.literals, t.supports)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


TRUE_TERMS = [Term(())]


class Normaliser:
    """DNF of conditions within one provision version; conclusions and rules inlined."""

    def __init__(self, domain_of: Callable[[str], tuple], rules: dict[str, "m.Rule"],
                 nodes: dict[str, Node]):
        self.domain_of = domain_of
        self.rules = rules          # rule id -> Rule
        self.nodes = nodes          # rule id -> effective condition node
        self._memo: dict[tuple[str, bool], list[Term]] = {}
        self._active: set[tuple[str, bool]] = set()

    def conclusion(self, name: str, value: bool) -> list[Term]:
        """Terms under which some rule derives `name = value`."""
        key = (name, value)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            raise ValueError(f"conclusion '{name}' depends on itself")
        self._active.add(key)
        try:
            terms = []
            for rid, rule in self.rules.items():
                if rule.concludes == name and rule.value == value:
                    terms.extend(self.rule_terms(rid))
            self._memo[key] = _dedupe(terms)
        finally:
            self._active.discard(key)
        return self._memo[key]

    def rule_terms(self, rule_id: str) -> list[Term]:
        terms = self.dnf(self.nodes[rule_id], True)
        return _dedupe(Term(t.literals, t.supports | {rule_id}) for t in terms)

    def dnf(self, node: Node, positive: bool) -> list[Term]:
        kind = node[0]
        if kind == "fact":
            _, name, values = node
            if not positive:
                values = frozenset(self.domain_of(name)) - values
            return [Term(((name, values),))] if values else []
        if kind == "concl":
            return self.conclusion(node[1], positive)
        if kind == "rule":
            return self.dnf(self.nodes[node[1]], positive)
        if kind == "not":
            return self.dnf(node[1], not positive)
        children = node[1]
        conjunctive = (kind == "all") == positive
        if conjunctive:
            acc = TRUE_TERMS
            for child in children:
                acc = _product(acc, self.dnf(child, positive))
                if not acc:
                    break
            return _dedupe(acc)
        return _dedupe(t for child in children for t in self.dnf(child, positive))


def effective_nodes(rules: dict[str, "m.Rule"], domain_of) -> dict[str, Node]:
    """Each rule's condition with its `unless` exceptions folded in (`when ∧ ¬unless...`)."""
    nodes = {}
    for rid, rule in rules.items():
        node = to_node(rule.when, domain_of)
        if rule.unless:
            node = ("all", (node,) + tuple(("not", ("rule", u)) for u in rule.unless))
        nodes[rid] = node
    return nodes


def facts_of(node: Node) -> set[str]:
    """The facts a condition tests directly (not through conclusions or exceptions)."""
    kind = node[0]
    if kind == "fact":
        return {node[1]}
    if kind in ("concl", "rule"):
        return set()
    if kind == "not":
        return facts_of(node[1])
    return set().union(*(facts_of(c) for c in node[1]))

