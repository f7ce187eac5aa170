"""A compiled provision version as SMT formulas (z3): the third evaluator, and what proofs ask.

The encoding follows the engine, not the YAML (design.md, "Deciding, not sampling"):
- every input fact is one integer variable: the index of its value in its domain, or the
  domain's size for "unknown";
- every derived atom (a conclusion, or "exception u applies") has two formulas, "derived
  true" and "derived false", each the disjunction of the bodies of the program rules that
  derive it. A body is the rule's DNF: a test `atom ∈ S` on a fact holds when the fact is
  known and in S; on a derived atom, when the atom is derived with that value and not with
  the other (a value derived both ways is a conflict, which the engine does not lift into
  the next stratum: backends/durable.py, and the reference returns unknown for it).
- the outcome is read as `evaluate.verdict` reads it: not applicable when applicability is
  false; triggered or not triggered when applicability is true (or absent) and the outcome
  conclusion has a value; otherwise undetermined.

Nothing here decides anything: engine/analysis/proofs.py asks the questions (totality,
consistency, equivalence, ...). tests/test_smt.py holds the encoding to durable_rules and
the reference evaluator on every assignment of the shipped law's fact spaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import z3

from ..outcome import Outcome
from .compiler import CompiledVersion, RuleKind
from .ir import Atom, AtomKind, Term, Test, Value

# The outcomes a single fact assignment can have, by the integer the encoding gives each.
OUTCOMES: tuple[Outcome, ...] = (Outcome.NOT_APPLICABLE, Outcome.TRIGGERED, Outcome.NOT_TRIGGERED,
                                 Outcome.UNDETERMINED)
CODE = {o: i for i, o in enumerate(OUTCOMES)}

DomainOf = Callable[[str], tuple[Value, ...]]


class Facts:
    """The variables of input facts, shared by every encoding built on them (two laws
    compared over one assignment share one `Facts`)."""

    def __init__(self, domain_of: DomainOf, prefix: str = "", ctx: z3.Context | None = None):
        self.domain_of, self.prefix, self.ctx = domain_of, prefix, ctx
        self.vars: dict[str, z3.ArithRef] = {}
        self.domains: dict[str, tuple[Value, ...]] = {}

    def var(self, name: str) -> z3.ArithRef:
        found = self.vars.get(name)
        if found is None:
            self.domains[name] = tuple(self.domain_of(name))
            found = self.vars[name] = z3.Int(self.prefix + name, self.ctx)
        return found

    def unknown_code(self, name: str) -> int:
        self.var(name)
        return len(self.domains[name])

    def code(self, name: str, value: Value | None) -> int:
        """The integer standing for `value` (None: unknown). Booleans and strings never mix:
        a boolean fact's domain is (True, False), an enum's its strings."""
        self.var(name)
        if value is None:
            return len(self.domains[name])
        for i, v in enumerate(self.domains[name]):
            if v == value and isinstance(v, bool) == isinstance(value, bool):
                return i
        raise ValueError(f"{value!r} is not a value of fact '{name}'")

    def is_in(self, name: str, values: Iterable[Value]) -> z3.BoolRef:
        v = self.var(name)
        codes = sorted({self.code(name, x) for x in values})
        return z3.Or([v == c for c in codes]) if codes else z3.BoolVal(False, self.ctx)

    def known(self, name: str) -> z3.BoolRef:
        return self.var(name) != self.unknown_code(name)

    def ranges(self, names: Iterable[str] | None = None) -> z3.BoolRef:
        """Each variable holds a value of its domain or "unknown"."""
        names = list(self.vars) if names is None else list(names)
        return z3.And([z3.And(self.var(n) >= 0, self.var(n) <= self.unknown_code(n)) for n in names])

    def complete(self, names: Iterable[str]) -> z3.BoolRef:
        return z3.And([self.known(n) for n in names])

    def equals(self, assignment: Mapping[str, Value | None]) -> z3.BoolRef:
        return z3.And([self.var(n) == self.code(n, v) for n, v in assignment.items()])

    def read(self, model: z3.ModelRef, names: Iterable[str]) -> dict[str, Value | None]:
        """The assignment a model gives `names` (None: unknown)."""
        out: dict[str, Value | None] = {}
        for n in names:
            got = model.eval(self.var(n), model_completion=True).as_long()
            domain = self.domains[n]
            out[n] = domain[got] if 0 <= got < len(domain) else None
        return out

    def substitution(self, assignment: Mapping[str, Value | None], names: Iterable[str]) -> list[tuple[Any, Any]]:
        return [(self.var(n), z3.IntVal(self.code(n, assignment.get(n)), self.ctx)) for n in names]


class Encoding:
    """One compiled version over a `Facts`: derived-true/derived-false per atom, rule
    firings, conflicts and the outcome as formulas."""

    def __init__(self, cv: CompiledVersion, facts: Facts):
        self.cv, self.facts = cv, facts
        self._bodies: dict[tuple[Atom, bool], list[z3.BoolRef]] = {}
        self._fires: dict[str, list[z3.BoolRef]] = {}
        # Program rules are in stratum order: every derived atom a body tests is complete
        # (all its rules seen) before the first body that tests it.
        for r in cv.program:
            body = z3.Or([self.term(t) for t in r.terms]) if r.terms else z3.BoolVal(False, facts.ctx)
            self._bodies.setdefault((r.derives, r.value), []).append(body)
            if r.kind is RuleKind.RULE:
                self._fires.setdefault(r.rule, []).append(body)
        for f in cv.facts:
            facts.var(f)

    # ------------------------------------------------------------------ building blocks

    def derived(self, atom: Atom, value: bool) -> z3.BoolRef:
        """Some rule derives `atom = value` (its body holds)."""
        return z3.Or(self._bodies.get((atom, value), [])) if self._bodies.get((atom, value)) \
            else z3.BoolVal(False, self.facts.ctx)

    def value_is(self, atom: Atom, value: bool) -> z3.BoolRef:
        """The atom has `value`: derived so and not the other way (a conflict has no value)."""
        return z3.And(self.derived(atom, value), z3.Not(self.derived(atom, not value)))

    def test(self, t: Test) -> z3.BoolRef:
        if t.atom.kind is AtomKind.FACT:
            return self.facts.is_in(t.atom.name, t.values)
        return z3.Or([self.value_is(t.atom, bool(v)) for v in sorted(t.values, key=repr)])

    def term(self, term: Term) -> z3.BoolRef:
        return z3.And([self.test(t) for t in term.tests])

    # ------------------------------------------------------------------ what proofs ask

    def fires(self, rule: str) -> z3.BoolRef:
        """The casus rule `rule` fires (one of its DNF terms holds)."""
        return z3.Or(self._fires.get(rule, [])) if self._fires.get(rule) else z3.BoolVal(False, self.facts.ctx)

    def conflict(self, name: str) -> z3.BoolRef:
        from .ir import conclusion
        a = conclusion(name)
        return z3.And(self.derived(a, True), self.derived(a, False))

    def any_conflict(self) -> z3.BoolRef:
        return z3.Or([self.conflict(c) for c in sorted(self.cv.version.conclusions)])

    def outcome(self) -> z3.ArithRef:
        """The outcome's code (OUTCOMES) as an integer term."""
        from .ir import conclusion
        prov = self.cv.provision
        ctx = self.facts.ctx
        out_true = self.value_is(conclusion(prov.outcome), True)
        out_false = self.value_is(conclusion(prov.outcome), False)
        decided = z3.If(out_true, z3.IntVal(CODE[Outcome.TRIGGERED], ctx),
                        z3.If(out_false, z3.IntVal(CODE[Outcome.NOT_TRIGGERED], ctx),
                              z3.IntVal(CODE[Outcome.UNDETERMINED], ctx)))
        if prov.applicability is None:
            return decided
        app = conclusion(prov.applicability)
        return z3.If(self.value_is(app, False), z3.IntVal(CODE[Outcome.NOT_APPLICABLE], ctx),
                     z3.If(self.value_is(app, True), decided, z3.IntVal(CODE[Outcome.UNDETERMINED], ctx)))

    def is_outcome(self, outcome: Outcome) -> z3.BoolRef:
        return self.outcome() == CODE[outcome]

    def decided(self) -> z3.BoolRef:
        return self.outcome() != CODE[Outcome.UNDETERMINED]

    # ------------------------------------------------------------------ as an evaluator

    def evaluate(self, assignment: Mapping[str, Value | None]) -> "Evaluation":
        """The outcome, conflicts and firing rules of one assignment (facts of the version
        not in `assignment` are unknown), by substituting it into the formulas."""
        return Evaluation.of(self, assignment)


class Evaluation:
    """What the encoding says about one concrete assignment."""

    def __init__(self, outcome: Outcome, conflicts: list[str], fired: list[str], conclusions: dict[str, set[bool]]):
        self.outcome, self.conflicts, self.fired, self.conclusions = outcome, conflicts, fired, conclusions

    @classmethod
    def of(cls, enc: Encoding, assignment: Mapping[str, Value | None]) -> "Evaluation":
        return Formulas(enc).evaluate(assignment)


class Formulas:
    """An encoding's formulas (outcome, derived true/false per conclusion, firing per rule)
    read on many concrete assignments: the z3 terms, walked in topological order as a
    straight-line program (z3's own substitute-and-simplify takes milliseconds per
    assignment; this walk reads the same terms, operator by operator, in microseconds).
    It knows only the operators the encoding builds and refuses any other."""

    def __init__(self, enc: Encoding):
        from .ir import conclusion
        self.enc = enc
        names = sorted(enc.cv.version.conclusions)
        roots: list[z3.ExprRef] = [enc.outcome()]
        for c in names:
            roots += [enc.derived(conclusion(c), True), enc.derived(conclusion(c), False)]
        rules = sorted(enc.cv.rules)
        roots += [enc.fires(r) for r in rules]
        self.conclusions, self.rules = names, rules
        self.slots: dict[int, int] = {}
        self.code: list[tuple[Any, ...]] = []
        self.inputs: dict[str, int] = {}
        for r in roots:
            self._emit(r)
        self.roots = [self.slots[r.get_id()] for r in roots]

    def _emit(self, e: z3.ExprRef) -> int:
        key = e.get_id()
        if key in self.slots:
            return self.slots[key]
        kids = [self._emit(c) for c in e.children()]
        k = e.decl().kind()
        if z3.is_int_value(e):
            op: tuple[Any, ...] = ("const", e.as_long())
        elif z3.is_true(e) or z3.is_false(e):
            op = ("const", z3.is_true(e))
        elif z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            name = e.decl().name()[len(self.enc.facts.prefix):]
            op = ("input", name)
        elif k == z3.Z3_OP_AND:
            op = ("and", kids)
        elif k == z3.Z3_OP_OR:
            op = ("or", kids)
        elif k == z3.Z3_OP_NOT:
            op = ("not", kids[0])
        elif k == z3.Z3_OP_EQ:
            op = ("eq", kids[0], kids[1])
        elif k == z3.Z3_OP_DISTINCT and len(kids) == 2:
            op = ("ne", kids[0], kids[1])
        elif k == z3.Z3_OP_ITE:
            op = ("if", kids[0], kids[1], kids[2])
        else:
            raise ValueError(f"the encoding built an operator this reader does not know: {e.decl()}")
        slot = self.slots[key] = len(self.code)
        self.code.append(op)
        return slot

    def values(self, assignment: Mapping[str, Value | None]) -> list[Any]:
        facts = self.enc.facts
        v: list[Any] = [None] * len(self.code)
        for i, op in enumerate(self.code):
            kind = op[0]
            if kind == "const":
                v[i] = op[1]
            elif kind == "input":
                v[i] = facts.code(op[1], assignment.get(op[1]))
            elif kind == "and":
                v[i] = all(v[j] for j in op[1])
            elif kind == "or":
                v[i] = any(v[j] for j in op[1])
            elif kind == "not":
                v[i] = not v[op[1]]
            elif kind == "eq":
                v[i] = v[op[1]] == v[op[2]]
            elif kind == "ne":
                v[i] = v[op[1]] != v[op[2]]
            else:
                v[i] = v[op[2]] if v[op[1]] else v[op[3]]
        return v

    def evaluate(self, assignment: Mapping[str, Value | None]) -> Evaluation:
        v = self.values(assignment)
        out = [v[s] for s in self.roots]
        outcome, rest = OUTCOMES[out[0]], out[1:]
        conclusions: dict[str, set[bool]] = {}
        for i, c in enumerate(self.conclusions):
            vals = {val for val, held in ((True, rest[2 * i]), (False, rest[2 * i + 1])) if held}
            if vals:
                conclusions[c] = vals
        fired_flags = rest[2 * len(self.conclusions):]
        fired = [r for r, held in zip(self.rules, fired_flags) if held]
        return Evaluation(outcome, sorted(c for c, vals in conclusions.items() if len(vals) > 1), fired, conclusions)
