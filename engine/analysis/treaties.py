"""Comparing provisions of different treaties scenario by scenario, and why they disagree.

Every provision is run on the same generated scenarios (complete: every fact the compared
provisions read is known, so each answers yes or no), with the attacked state taken to be
a party to every treaty compared (its membership facts true), at one date. For each pair
(A, B) the outcomes agree or not; each disagreement is attributed counterfactually to the
condition that makes it: giving A B's version of that one condition (and nothing else)
removes the disagreement.

A condition is a group of facts (rules/facts.yaml: a fact's `condition`, e.g. `request` for
assistance_request and request_withdrawn; a fact without one is its own condition). A
provision's version of a condition is read from the provision itself: which complete values
of the group's facts still let it trigger (the others held at values that trigger it). That
is exact when the provision is a conjunction over conditions, which is checked, scenario by
scenario, against what the engine itself decided: a scenario where the model of either side
and the engine part ways is not attributed, and counts as unattributed. A disagreement no
single condition removes is attributed to the smallest sets of conditions that do together.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .. import progress
from ..evaluate.evaluator import Evaluator
from ..files import models as m
from ..files.errors import InputError, did_you_mean
from ..law.loader import LawModels
from ..logic.ir import Value
from ..outcome import Outcome
from .scenarios import Generator

SCENARIOS = "generated scenarios"
_MISSING = object()
_EVERY = 250

# Three-valued acceptance of a condition's facts: True (the provision can trigger with them),
# False (it cannot), None (it depends on facts still unknown).
Tri = bool | None


@dataclass
class _Model:
    """One provision version read as a conjunction over conditions."""
    pid: str
    groups: dict[str, tuple[str, ...]]               # condition -> the facts of it the version reads
    accept: dict[str, dict[tuple[Value, ...], bool]]  # condition -> complete values -> can trigger

    def condition_value(self, group: str, facts: dict[str, Value]) -> Tri:
        """Accepted for every completion of the unknown facts (True), for none (False), or not decided."""
        names = self.groups.get(group)
        if names is None:
            return True                     # the provision does not read this condition
        table = self.accept[group]
        seen: set[bool] = set()
        for values, ok in table.items():
            if all(n not in facts or facts[n] == v for n, v in zip(names, values)):
                seen.add(ok)
                if len(seen) == 2:
                    return None
        return seen.pop() if seen else None


def _and(values: list[Tri]) -> Tri:
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def _outcome(value: Tri) -> Outcome:
    return Outcome.TRIGGERED if value is True else Outcome.NOT_TRIGGERED if value is False else Outcome.UNDETERMINED


def condition_of(vocab: m.Vocabulary, fact: str) -> str:
    found = vocab.facts.get(fact)
    return (found.condition if found is not None and found.condition else fact)


class TreatyComparison:
    """The provisions compared, their models, and the engine that decides them."""

    def __init__(self, law: LawModels, ids: list[str], day: dt.date | None = None):
        self.law = law
        unknown = [pid for pid in ids if pid not in law.provisions]
        if unknown:
            raise InputError(f"--treaties: unknown provision '{unknown[0]}'",
                             hint=did_you_mean(unknown[0], law.provisions) or "run 'casus rules' for the ids")
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise InputError("--treaties takes two or more different provision ids, separated by commas",
                             hint="e.g. --treaties cst.art4,nato.art5")
        self.ids = ids
        self.day = day or max(v.in_force.from_ for pid in ids for v in law.provisions[pid].versions)
        self.evaluator = Evaluator(law, memo=True)
        self.versions: dict[str, m.ProvisionVersion] = {}
        for pid in ids:
            version = law.version_at(pid, self.day)
            if version is None:
                spans = ", ".join(f"{v.in_force.from_}..{v.in_force.to or ''}" for v in law.provisions[pid].versions)
                raise InputError(f"--treaties: {pid} is not in force on {self.day} (in force: {spans})",
                                 hint="choose another date with --at")
            self.versions[pid] = version
        vocab = law.vocabulary
        # The attacked state is a party to every treaty compared (and takes part in its bodies).
        self.party = {name: True for name, spec in vocab.derived.items()
                      if spec.from_ in ("member", "participating") and spec.roles == ["requesting_state"]}
        read: set[str] = set()
        for pid in ids:
            read.update(f for f in self.evaluator.compiled.version(pid, self.versions[pid]).facts if f in vocab.facts)
        self.facts = sorted(read)
        self.models = {pid: self._model(pid) for pid in ids}
        self.conditions = sorted({g for model in self.models.values() for g in model.groups})
        self._memo: dict[tuple[str, str, tuple[Value | None, ...]], Tri] = {}

    # -------------------------------------------------------------- reading a provision's conditions

    def _decide(self, pid: str, facts: dict[str, Value]) -> Outcome:
        return self.evaluator.outcomes(self.day, {**self.party, **facts}, [pid])[0]

    def _model(self, pid: str) -> _Model:
        vocab = self.law.vocabulary
        compiled = self.evaluator.compiled.version(pid, self.versions[pid])
        read = sorted(f for f in compiled.facts if f in vocab.facts)
        groups: dict[str, list[str]] = {}
        for f in read:
            groups.setdefault(condition_of(vocab, f), []).append(f)
        domains = {f: vocab.domain(f) for f in read}
        witness = self._witness(pid, read, domains)
        accept: dict[str, dict[tuple[Value, ...], bool]] = {}
        for group, names in groups.items():
            table = {}
            for values in itertools.product(*(domains[n] for n in names)):
                trial = {**witness, **dict(zip(names, values))}
                table[values] = self._decide(pid, trial) is Outcome.TRIGGERED
            accept[group] = table
        return _Model(pid, {g: tuple(n) for g, n in groups.items()}, accept)

    def _witness(self, pid: str, read: list[str], domains: dict[str, tuple[Value, ...]]) -> dict[str, Value]:
        """A complete assignment of the facts the provision reads on which it triggers."""
        for values in itertools.product(*(domains[f] for f in read)):
            trial = dict(zip(read, values))
            if self._decide(pid, trial) is Outcome.TRIGGERED:
                return trial
        raise InputError(f"--treaties: {pid} cannot be triggered on {self.day} by any facts", hint="nothing to compare")

    # -------------------------------------------------------------- one scenario

    def readings(self, facts: dict[str, Value]) -> dict[str, dict[str, Tri]]:
        """Each provision's reading of each condition on one scenario (remembered by the values
        of the condition's facts: scenarios repeat them)."""
        out: dict[str, dict[str, Tri]] = {}
        memo = self._memo
        for pid, model in self.models.items():
            row = out[pid] = {}
            for group in self.conditions:
                names = model.groups.get(group)
                if names is None:
                    row[group] = True
                    continue
                key = (pid, group, tuple(facts.get(n) for n in names))
                found = memo.get(key, _MISSING)
                if found is _MISSING:
                    found = memo[key] = model.condition_value(group, facts)
                row[group] = found      # type: ignore[assignment]
        return out

    def modelled(self, readings: dict[str, dict[str, Tri]], pid: str, swap: dict[str, str] | None = None) -> Outcome:
        """The model's outcome for `pid`, with the conditions in `swap` read as another provision does."""
        swap = swap or {}
        return _outcome(_and([readings[swap.get(g, pid)][g] for g in self.conditions]))

    def differing(self, a: str, b: str) -> list[str]:
        """The conditions two provisions read differently."""
        ma, mb = self.models[a], self.models[b]
        return [g for g in self.conditions if ma.groups.get(g) != mb.groups.get(g) or ma.accept.get(g) != mb.accept.get(g)]

    def attribute(self, a: str, b: str, readings: dict[str, dict[str, Tri]], target: Outcome,
                  differing: list[str]) -> list[tuple[str, ...]] | None:
        """The smallest sets of conditions whose B reading, given to A, makes A's outcome B's."""
        for size in range(1, len(differing) + 1):
            found = [combo for combo in itertools.combinations(differing, size)
                     if self.modelled(readings, a, {g: b for g in combo}) == target]
            if found:
                return found
        return None


def compare_treaties(law: LawModels, ids: list[str], n: int, seed: int = 0, day: dt.date | None = None) -> dict[str, Any]:
    """Agreement per pair over `n` generated scenarios, every disagreement attributed."""
    cmp = TreatyComparison(law, ids, day)
    gen = Generator(law, seed, p_unknown=0.0, facts=cmp.facts)   # complete scenarios: every fact known
    pairs = list(itertools.combinations(ids, 2))
    agree: Counter[tuple[str, str]] = Counter()
    unattributed: Counter[tuple[str, str]] = Counter()
    by_condition: dict[tuple[str, str], Counter[tuple[tuple[str, ...], str, str]]] = {p: Counter() for p in pairs}
    first: dict[tuple[str, str, tuple[str, ...]], int] = {}
    unmodelled: Counter[str] = Counter()
    differing = {pair: cmp.differing(*pair) for pair in pairs}
    triggered: dict[tuple[str, str], list[int]] = {p: [0, 0, 0] for p in pairs}     # a, b, both
    for i in range(n):
        facts = gen.scenario(i).facts
        outcomes = dict(zip(ids, cmp.evaluator.outcomes(cmp.day, {**cmp.party, **facts}, ids)))
        readings = cmp.readings(facts)
        exact = {pid: cmp.modelled(readings, pid) == outcomes[pid] for pid in ids}
        for pid in ids:
            unmodelled[pid] += not exact[pid]
        for a, b in pairs:
            oa, ob = outcomes[a], outcomes[b]
            count = triggered[(a, b)]
            count[0] += oa is Outcome.TRIGGERED
            count[1] += ob is Outcome.TRIGGERED
            count[2] += oa is Outcome.TRIGGERED and ob is Outcome.TRIGGERED
            if oa == ob:
                agree[(a, b)] += 1
                continue
            sets = cmp.attribute(a, b, readings, ob, differing[(a, b)]) if exact[a] and exact[b] else None
            if not sets:
                unattributed[(a, b)] += 1
                continue
            for combo in sets:
                by_condition[(a, b)][(combo, oa.value, ob.value)] += 1
                first.setdefault((a, b, combo), i)
        if not (i + 1) % _EVERY:
            progress.report(SCENARIOS, i + 1, n)
    progress.report(SCENARIOS, n, n)
    out_pairs = []
    for a, b in pairs:
        conditions: dict[tuple[str, ...], dict[str, Any]] = {}
        for (combo, said_a, said_b), times in sorted(by_condition[(a, b)].items()):
            entry = conditions.setdefault(combo, {"condition": "+".join(combo), "disagreements": 0,
                                                  "outcomes": {}, "example": first[(a, b, combo)]})
            entry["disagreements"] += times
            entry["outcomes"][f"{said_a} / {said_b}"] = times
        listed = sorted(conditions.values(), key=lambda c: (-c["disagreements"], c["condition"]))
        for c in listed:
            c["reading"] = {a: _reading(cmp, a, c["condition"]), b: _reading(cmp, b, c["condition"])}
        out_pairs.append({"a": a, "b": b, "scenarios": n, "agree": agree[(a, b)], "disagree": n - agree[(a, b)],
                          "yes": {"a": triggered[(a, b)][0], "b": triggered[(a, b)][1],
                                        "both": triggered[(a, b)][2]},
                          "conditions": listed, "unattributed": unattributed[(a, b)]})
    return {"treaties": list(ids), "date": cmp.day.isoformat(), "seed": seed, "scenarios": n,
            "provisions": [_provision_entry(law, cmp, pid) for pid in ids],
            "conditions": {g: law.vocabulary.conditions.get(g, "") for g in cmp.conditions},
            "pairs": out_pairs, "unmodelled": {pid: unmodelled[pid] for pid in ids}}


def _reading(cmp: TreatyComparison, pid: str, condition: str) -> list[str]:
    """How a provision reads a condition (or each of a set): the values of its facts that let it trigger."""
    out = []
    for group in condition.split("+"):
        model = cmp.models[pid]
        names = model.groups.get(group)
        if names is None:
            out.append(f"{group}: not a condition")
            continue
        ok = [values for values, fine in model.accept[group].items() if fine]
        per_fact = []
        for j, name in enumerate(names):
            allowed = sorted({str(v[j]).lower() for v in ok})
            if len(allowed) < len(cmp.law.vocabulary.domain(name)):
                per_fact.append(f"{name} in [{', '.join(allowed)}]")
        out.append(f"{group}: " + ("; ".join(per_fact) if per_fact else "any value")
                   + ("" if _is_product(model, group) else " (not independently: see the rule)"))
    return out


def _is_product(model: _Model, group: str) -> bool:
    """Whether the accepted values of a condition are each fact's own values combined freely."""
    names = model.groups[group]
    ok = [v for v, fine in model.accept[group].items() if fine]
    per = [sorted({v[j] for v in ok}, key=str) for j in range(len(names))]
    return len(ok) == len(list(itertools.product(*per)))


def _provision_entry(law: LawModels, cmp: TreatyComparison, pid: str) -> dict[str, Any]:
    prov, version = law.provisions[pid], cmp.versions[pid]
    entry: dict[str, Any] = {"id": pid, "title": prov.title, "instrument": prov.instrument, "version": version.id}
    if version.duty is not None:
        entry["duty"] = {"strength": version.duty.strength, "quote": " ".join(version.duty.quote.split())}
    return entry
