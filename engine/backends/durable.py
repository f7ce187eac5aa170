"""The engine: compiled programs run on durable_rules (the only module that imports it).

Plan (pure Python, done at compile time so that `casus validate` refuses what cannot run):
each stratum of a program becomes one or more flat durable_rules rulesets ("chunks").
Every DNF term of every program rule becomes single-pattern durable rules, one per
combination of the values its tests allow (so no `$or`: a durable rule is one path of
durable_rules' alpha network, and a chunk's path count bounds the work one fact can
cause). Identical tests are one durable rule that stands for every term that has them.
Fields are short aliases (f0, f1, ...) and values small integers (their index in the
atom's domain): no name can be mistaken for `id`, `sid` or an operator, and nothing
non-ASCII reaches the engine.

Prepare (DurableBackend.prepare, once per compiled version, as OPA's PrepareForEval): the
plan, and its rulesets found in durable_rules' host or registered there (see `host`).

Run (DurableProgram.run, once per fact assignment): each stratum's rules are matched in
durable_rules. The driver asserts one fact per chunk holding the known atoms the chunk
tests, takes the agenda durable_rules built (its messages, in its order: each names the
durable rule and holds the fact it matched, what an action would receive), retracts the
fact, then asserts what the stratum derived (a value derived both ways is a conflict and
is not lifted) as fields of the next stratum's facts, where they are matched. A firing's
`matched` is read from its message (the values durable_rules matched), not from the plan.
The session of each ruleset is empty between evaluations. We never call `delete_state`: in 2.0.28 it reads
uninitialised memory and can abort the process (bench/durable_delete_state.py).

Limits, from durable_rules 2.0.28's C source (src/rules/*.h, *.c):
- MAX_STACK_SIZE 64 (events.c, handleAlpha: error 303): the alpha walk keeps pending
  nodes on a 64-deep stack. Pending nodes root disjoint subtrees, each ending at least
  one rule's path, so a ruleset of at most 63 paths cannot overflow it.
- MAX_OBJECT_PROPERTIES 255 (json.h, error 302): fields of one fact, with `sid` and
  the `id` durable_rules adds. At most 250 of ours.
- BETA_LIST_LENGTH 256 (rules.h, error 108): rules ending at the same test (identical
  conditions); we deduplicate them, and a chunk has at most 63 anyway.
- NEXT_BUCKET_LENGTH 512 (rules.h): children of one alpha node; linear probing with
  no free slot loops forever in create_ruleset. At most 63 here.
- MAX_ACTIONS 4096 (rete.c): rules per ruleset. At most 63 here.
A single term that needs more than a chunk can hold (more than 250 tests) is refused.

Drivers: "c" walks durable_rules' C agenda directly (assert -> start_action_for_state
-> complete_and_start_action): fast, and relies on the shape of internals that
`check_internals` verifies (a test runs it). "api" goes through durable_rules' public
Python API with actions that record their own firing; tests check both agree.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import product
from types import ModuleType
from typing import Any

import orjson

from ..logic.compiler import CompileError, CompiledVersion, ProgramRule
from ..logic.ir import Atom, AtomKind, Term, Value
from .base import Derivation, EngineRef, Firing, known_inputs
from ..gcpause import gc_paused

DURABLE_RULES_VERSION = "2.0.28"

# Thresholds read from the C source (see the module docstring); ours stay below them.
MAX_STACK_SIZE = 64
MAX_OBJECT_PROPERTIES = 255
MAX_PATHS_PER_RULESET = MAX_STACK_SIZE - 1
MAX_FIELDS_PER_FACT = MAX_OBJECT_PROPERTIES - 5      # sid, id and room for what the engine adds

# Return codes of durable_rules_engine (src/rules/rules.h)
RULES_OK, ERR_EVENT_NOT_HANDLED, ERR_EVENT_OBSERVED, ERR_EVENT_DEFERRED = 0, 1, 2, 3


class DurableError(RuntimeError):
    """durable_rules answered in a way our rulesets should never cause."""


# ------------------------------------------------------------------ loading durable_rules

_dre: ModuleType | None = None


def engine_module() -> ModuleType:
    """durable_rules' C module, after checking it is the version this driver was written for."""
    global _dre
    if _dre is None:
        from importlib.metadata import PackageNotFoundError, version
        try:
            found = version("durable_rules")
        except PackageNotFoundError:
            found = "not installed"
        check_version(found)
        module = importlib.import_module("durable_rules_engine")
        check_internals(module)
        _dre = module
    return _dre


def check_version(found: str) -> None:
    if found != DURABLE_RULES_VERSION:
        raise DurableError(f"casus needs durable_rules=={DURABLE_RULES_VERSION} (found {found}); "
                           f"its driver uses durable_rules internals of that version "
                           f"(pip install 'durable_rules=={DURABLE_RULES_VERSION}')")


_INTERNALS = ("create_ruleset", "assert_fact", "retract_fact", "start_action_for_state",
              "complete_and_start_action", "get_facts")


_selftests = 0


def check_internals(module: ModuleType) -> None:
    """The private parts of durable_rules the C driver uses, and the shape of what they
    return, checked once on a two-rule ruleset: fail loudly if they changed."""
    missing = [n for n in _INTERNALS if not callable(getattr(module, n, None))]
    if missing:
        raise DurableError(f"durable_rules_engine lacks {', '.join(missing)}: the C driver needs updating")
    spec = {"r0": {"all": [{"m": {"$and": [{"f0": 1}]}}]}, "r1": {"all": [{"m": {"$and": [{"f1": 0}]}}]}}
    global _selftests
    _selftests += 1
    sid = f"s{_selftests}"
    handle = module.create_ruleset(f"casus.selftest.{sid}", json.dumps(spec))
    text = json.dumps({"f0": 1, "f1": 0, "sid": sid})
    try:
        code, state = module.assert_fact(handle, text)[:2]
        started = module.start_action_for_state(handle, state)
        messages = [started[1]] if started else []
        while messages and (nxt := module.complete_and_start_action(handle, state)):
            messages.append(nxt)
        done = module.retract_fact(handle, text)
        names = [next(iter(json.loads(m))) for m in messages]
        seen = [json.loads(m)[n]["m"] for m, n in zip(messages, names)]
        left = json.loads(module.get_facts(handle, sid))
    except Exception as e:  # noqa: BLE001  (any failure here means the shape changed)
        raise DurableError(f"durable_rules_engine no longer behaves as the C driver expects: {e}") from e
    if (code not in (RULES_OK, ERR_EVENT_DEFERRED) or names != ["r0", "r1"] or done[0] != RULES_OK
            or any(x.get("f0") != 1 or x.get("f1") != 0 for x in seen) or left != []):
        raise DurableError(f"durable_rules_engine no longer behaves as the C driver expects "
                           f"(assert {code}, agenda {names}, retract {done}, left {left})")


# ------------------------------------------------------------------ plan (pure, compile time)

@dataclass(frozen=True)
class Act:
    """What a durable rule's firing means: program rule `rule` (its term `term`) matched."""
    program_index: int
    rule: ProgramRule
    term: int
    atoms: tuple[int, ...]          # plan atom indexes the term tests
    derives: int                    # plan atom index of what it derives


@dataclass(frozen=True)
class Chunk:
    """One durable_rules ruleset: part of one stratum."""
    name: str
    stratum: int
    fields: tuple[tuple[Atom, str], ...]                 # atom -> field alias, in alias order
    alias_of: Mapping[Atom, str]
    spec: Mapping[str, Any]                              # durable rule name -> JSON condition
    stands_for: Mapping[str, tuple[tuple[int, int], ...]]   # durable rule -> (program index, term index)
    inputs: tuple[tuple[int, str, Mapping[Value, int]], ...] = ()   # (atom index, alias, value codes)
    acts: Mapping[str, tuple[Act, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    program: CompiledVersion
    strata: tuple[tuple[Chunk, ...], ...]
    atoms: tuple[Atom, ...]                              # every atom the program tests or derives
    index: Mapping[Atom, int]
    codes: Mapping[Atom, Mapping[Value, int]]            # value encoding per atom
    values: Mapping[Atom, tuple[Value, ...]]             # and back
    facts: tuple[tuple[str, int], ...]                   # input fact name -> atom index


def _paths(term: Term) -> list[tuple[tuple[Atom, Value], ...]]:
    """The single-valued conjunctions a term stands for."""
    options = [[(t.atom, v) for v in sorted(t.values, key=repr)] for t in term.tests]
    return [tuple(p) for p in product(*options)]


@gc_paused
def plan(cv: CompiledVersion) -> Plan:
    """Split the program into chunks that cannot reach durable_rules' limits, or refuse."""
    atoms = sorted({t.atom for r in cv.program for term in r.terms for t in term.tests} |
                   {r.derives for r in cv.program})
    index = {a: i for i, a in enumerate(atoms)}
    values = {a: cv.atom_domain(a) for a in atoms}
    codes = {a: {v: i for i, v in enumerate(vs)} for a, vs in values.items()}
    where = f"provision {cv.provision.id} (version {cv.version.id})"
    strata: list[tuple[Chunk, ...]] = []
    for s in range(1, cv.strata + 1):
        # distinct paths of this stratum -> the (program rule, term) pairs they stand for
        paths: dict[tuple[tuple[Atom, Value], ...], list[tuple[int, int]]] = {}
        for i, r in enumerate(cv.program):
            if r.stratum != s:
                continue
            for k, term in enumerate(r.terms):
                if not term.tests:
                    raise CompileError(f"{where}, rule {r.rule}: a condition that is always true")
                if len(term.tests) > MAX_FIELDS_PER_FACT:
                    raise CompileError(f"{where}, rule {r.rule}: one term tests {len(term.tests)} facts and "
                                       f"conclusions; durable_rules matches at most {MAX_FIELDS_PER_FACT} "
                                       f"fields of one fact (MAX_OBJECT_PROPERTIES {MAX_OBJECT_PROPERTIES})",
                                       hint="split the condition through an intermediate conclusion")
                for p in _paths(term):
                    paths.setdefault(p, []).append((i, k))
        groups: list[list[tuple[tuple[Atom, Value], ...]]] = []
        fields: set[Atom] = set()
        for p in paths:       # insertion order: program order, then term order
            new = {a for a, _ in p} - fields
            if not groups or len(groups[-1]) >= MAX_PATHS_PER_RULESET or len(fields) + len(new) > MAX_FIELDS_PER_FACT:
                groups.append([])
                fields = set()
            groups[-1].append(p)
            fields |= {a for a, _ in p}
        chunks = []
        for j, group in enumerate(groups):
            chunk_atoms = sorted({a for p in group for a, _ in p})
            alias = {a: f"f{n}" for n, a in enumerate(chunk_atoms)}
            spec = {f"r{n}": {"all": [{"m": {"$and": [{alias[a]: codes[a][v]} for a, v in p]}}]}
                    for n, p in enumerate(group)}
            digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:8]
            stands_for = {f"r{n}": tuple(paths[p]) for n, p in enumerate(group)}
            acts = {name: tuple(Act(i, cv.program[i], k, tuple(index[t.atom] for t in cv.program[i].terms[k].tests),
                                    index[cv.program[i].derives]) for i, k in pairs)
                    for name, pairs in stands_for.items()}
            name = f"{cv.name}.s{s}c{j}.{digest}"
            chunks.append(Chunk(name, s, tuple((a, alias[a]) for a in chunk_atoms),
                                alias, spec, stands_for,
                                tuple((index[a], alias[a], codes[a]) for a in chunk_atoms), acts))
        strata.append(tuple(chunks))
    facts = tuple((a.name, index[a]) for a in atoms if a.kind is AtomKind.FACT)
    return Plan(cv, tuple(strata), tuple(atoms), index, codes, values, facts)


# ------------------------------------------------------------------ durable_rules' host

_host: Any = None


def host() -> Any:
    """durable_rules' Python host, without its timer threads: the stock host dispatches
    actions from timers every ~0.2 s, which can take the actions an evaluation just
    scheduled (seen as ~1 in 3,000 evaluations firing nothing).

    One per process, because what it stands for is process-wide: durable_rules keeps every
    ruleset it created until the process ends and refuses to register a name twice
    (jruizgit/rules#121, #262). The host's directory of rulesets is that registry. A
    Program looks its rulesets up there by their names (derived from their content) and
    registers only those the process lacks, so a second Program of the same version (another
    Evaluator, a law loaded again) reuses what an earlier one registered. casus keeps no
    registry or cache of its own beside durable_rules'."""
    global _host
    if _host is None:
        engine_module()
        from durable.engine import Host

        class QuietHost(Host):   # type: ignore[misc]
            def _run(self) -> None:
                pass

            def ruleset(self, name: str, spec: dict[str, Any]) -> Any:
                """The ruleset this process registered under `name`, registered from `spec`
                if there is none."""
                found = self._ruleset_directory.get(name)
                if found is None:
                    self.register_rulesets({name: spec})
                    found = self._ruleset_directory[name]
                return found

        made = QuietHost()
        if not isinstance(getattr(made, "_ruleset_directory", None), dict):
            raise DurableError("durable_rules' Host no longer keeps a directory of rulesets: the driver needs updating")
        _host = made
    return _host


def _never(c: Any) -> None:
    """The action of a rule the C driver runs: it takes durable_rules' agenda itself, so
    durable_rules never calls this."""


_fired: list[tuple[str, str]] = []      # (rule, message) recorded by the api driver's actions


def _recorder(rule: str) -> Callable[[Any], None]:
    # durable_rules swallows an action's exception into the session state (and slows every
    # later call): an action here must not raise.
    def run(c: Any) -> None:
        _fired.append((rule, json.dumps({rule: {"m": dict(c.m.items())}})))
    return run


class _Session:
    """A ruleset in durable_rules' host, and the session one program runs it in (empty
    between evaluations)."""

    def __init__(self, name: str, spec: Mapping[str, Any], driver: str):
        self.name = name if driver == "c" else name + ".api"
        self.generation = 0
        self.sid = "s0"
        action = _never if driver == "c" else None
        rules = {rule: {"all": list(body["all"]), "run": action or _recorder(rule)} for rule, body in spec.items()}
        self.handle: int = host().ruleset(self.name, rules)._handle

    def abandon(self) -> None:
        """Continue in a fresh session (the old one is left, never deleted: see above)."""
        self.generation += 1
        self.sid = f"s{self.generation}"


def _fire_c(rs: _Session, text: str) -> list[str]:
    """Assert, walk the agenda, retract: the agenda's messages, in durable_rules' order."""
    dre = _dre or engine_module()
    handle = rs.handle
    result = dre.assert_fact(handle, text)
    code, state = result[0], result[1]
    if code == ERR_EVENT_NOT_HANDLED:          # nothing matched: durable_rules keeps no copy
        return []
    if code == ERR_EVENT_OBSERVED:
        raise _Observed()
    if code not in (RULES_OK, ERR_EVENT_DEFERRED):     # DEFERRED: actions are queued for us
        raise DurableError(f"durable_rules assert_fact returned code {code} in {rs.name}")
    messages = []
    started = dre.start_action_for_state(handle, state)
    message = started[1] if started else None
    while message:
        messages.append(message)
        message = dre.complete_and_start_action(handle, state)
    done = dre.retract_fact(handle, text)
    if done[0] != RULES_OK:
        raise DurableError(f"durable_rules retract_fact returned code {done[0]} in {rs.name}")
    return messages


def _fire_api(rs: _Session, text: str) -> list[str]:
    from durable.engine import MessageNotHandledException, MessageObservedException
    h = host()
    fact = json.loads(text)
    _fired.clear()
    try:
        h.assert_fact(rs.name, fact)
    except MessageNotHandledException:
        return []
    except MessageObservedException:
        raise _Observed() from None
    h.retract_fact(rs.name, fact)
    return [message for _, message in _fired]


class _Observed(Exception):
    """durable_rules says it has seen this fact, though every evaluation retracts its own
    (jruizgit/rules#376: fact identity rests on a hash): retry in a fresh session."""


_DRIVERS: dict[str, Callable[[_Session, str], list[str]]] = {"c": _fire_c, "api": _fire_api}

# Distinct messages whose meaning one chunk of a program keeps (a message is the durable
# rule and the whole fact it matched: sweeps over many facts must not pile them up).
MEANINGS_KEPT = 4096


class _Part:
    """One chunk of a program: its session, and what each message durable_rules handed out
    for it means."""

    def __init__(self, chunk: Chunk, plan: Plan, driver: str):
        self.chunk = chunk
        self.session = _Session(chunk.name, chunk.spec, driver)
        self.values = plan.values
        self.meanings: dict[str, tuple[tuple[Firing, int, bool], ...]] = {}

    def meaning(self, message: str) -> tuple[tuple[Firing, int, bool], ...]:
        """What a message durable_rules handed out means: a firing of each program rule its
        durable rule stands for, matching the values of the fact in the message, which is
        what an action receives (not what the plan meant the rule to match), with the
        atom it derives and the value. Kept per distinct message."""
        (rule, body), = orjson.loads(message).items()
        seen = body["m"]
        chunk, values = self.chunk, self.values
        alias_of = chunk.alias_of
        out = []
        for act in chunk.acts[rule]:
            r = act.rule
            matched = tuple((t.atom, values[t.atom][seen[alias_of[t.atom]]]) for t in r.terms[act.term].tests)
            out.append((Firing(r.stratum, r.rule, r.kind, r.derives, r.value, act.term, matched,
                               EngineRef(chunk.name, rule)), act.derives, r.value))
        if len(self.meanings) >= MEANINGS_KEPT:
            self.meanings.clear()
        found = self.meanings[message] = tuple(out)
        return found


class DurableProgram:
    """A compiled version prepared for durable_rules (OPA's PrepareForEval): its plan, and
    its rulesets in durable_rules' host. `run` evaluates one fact assignment."""

    def __init__(self, p: Plan, driver: str = "c"):
        self.compiled = p.program
        self.plan = p
        self.driver = driver
        self._fire = _DRIVERS[driver]
        self._strata = tuple(tuple(_Part(chunk, p, driver) for chunk in chunks) for chunks in p.strata)

    def run(self, facts: Mapping[str, Value]) -> Derivation:
        """Each stratum's rules are matched in durable_rules; what a stratum derived (a value
        derived both ways is a conflict and is not lifted) becomes fields of the next
        stratum's facts, matched there. The firings are what durable_rules fired."""
        known_facts = known_inputs(self.compiled, facts)
        known: dict[int, Value] = {i: known_facts[name] for name, i in self.plan.facts if name in known_facts}
        firings: list[Firing] = []
        for parts in self._strata:
            derived: dict[int, set[bool]] = {}
            for part in parts:
                fact: dict[str, int | str] = {alias: codes[known[i]] for i, alias, codes in part.chunk.inputs
                                              if i in known}
                if not fact:
                    continue        # every durable rule tests at least one field: none can match
                meanings = part.meanings
                for message in self._run_chunk(part.session, fact):
                    meaning = meanings.get(message) or part.meaning(message)
                    for firing, derives, value in meaning:
                        found = derived.get(derives)
                        if found is None:
                            derived[derives] = {value}
                        else:
                            found.add(value)
                        firings.append(firing)
            for i, vals in derived.items():
                if len(vals) == 1:      # derived both ways: a conflict, not lifted
                    known[i] = next(iter(vals))
        return Derivation(known_facts, tuple(firings), "durable")

    def _run_chunk(self, rs: _Session, fact: dict[str, int | str]) -> list[str]:
        for attempt in (0, 1):
            fact["sid"] = rs.sid
            text: str = orjson.dumps(fact).decode("utf-8")      # as _fact_text, one call fewer
            try:
                return self._fire(rs, text)
            except _Observed:
                rs.abandon()
                if attempt:
                    raise DurableError(f"durable_rules reports a fact as already asserted in {rs.name}")
            except BaseException:
                rs.abandon()
                raise
        return []

    def rulesets(self) -> dict[int, Chunk]:
        """This program's rulesets, by durable_rules handle."""
        return {part.session.handle: part.chunk for parts in self._strata for part in parts}

    def session_facts(self) -> list[Any]:
        """What the sessions of this program's rulesets hold (empty between evaluations)."""
        out: list[Any] = []
        for parts in self._strata:
            for part in parts:
                rs = part.session
                out.extend(json.loads(engine_module().get_facts(rs.handle, rs.sid)) if self.driver == "c"
                           else host().get_facts(rs.name, rs.sid))
        return out


class DurableBackend:
    """Runs compiled programs on durable_rules, one stratum after another."""

    name = "durable"

    def __init__(self, driver: str = "c"):
        self.driver = driver

    def prepare(self, program: CompiledVersion) -> DurableProgram:
        return DurableProgram(plan(program), self.driver)


def _fact_text(fact: Mapping[str, Any]) -> str:
    # One fact per ruleset per evaluation: the standard library's encoder was ~5% of a case.
    text: str = orjson.dumps(fact).decode("utf-8")
    return text


class HandWritten:
    """A ruleset written by hand in durable_rules' JSON syntax, run on the same C driver as
    casus' own (benchmarks compare the two). `fire` asserts, returns the agenda, retracts."""

    def __init__(self, name: str, spec: Mapping[str, Any]):
        self._rs = _Session(name, spec, "c")

    def fire(self, fact: Mapping[str, Any]) -> list[str]:
        return _fire_c(self._rs, _fact_text(dict(fact, sid=self._rs.sid)))


def registered() -> dict[str, int]:
    """Every ruleset registered in this process's durable_rules host, by name (its handle)."""
    return {name: rs._handle for name, rs in host()._ruleset_directory.items()}
