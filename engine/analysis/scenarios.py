"""Generated scenarios: dates, parties and three-valued facts drawn from the vocabulary.

A scenario is what a case file holds without the prose: a date, the parties,
and the facts that are known. Scenario i of seed s is always the same (its own
random stream), so a sweep can be split across processes and still be
reproducible, and any scenario can be printed as a ready-to-save case file.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..files import models as m
from ..law.loader import LawModels
from ..law.states import scenario_states
from ..law.membership import TreatyFacts, derived_facts

LAST_DAY = dt.date(2026, 12, 31)


@dataclass(frozen=True)
class Scenario:
    index: int
    date: dt.date
    parties: dict[str, str] = field(default_factory=dict)     # role -> state code (named ones only)
    facts: dict[str, Any] = field(default_factory=dict)       # case facts that are known

    def resolved(self, law: LawModels) -> TreatyFacts:
        """Case facts plus the facts derived from the parties and the timeline (each provision's
        own treaty's timeline through `facts_for`)."""
        out = dict(derived_facts(law.vocabulary, law.timeline, self.parties, self.date))
        out.update(self.facts)
        return TreatyFacts(out, law, self.parties, self.date)


def boundary_dates(law: LawModels) -> list[dt.date]:
    """Days where the law changes, and the days either side: where bugs hide."""
    days = {law.timeline.treaty_signed, law.timeline.treaty_in_force}
    for p in law.provisions.values():
        for v in p.versions:
            days.add(v.in_force.from_)
            if v.in_force.to:
                days.add(v.in_force.to)
    for state in law.timeline.states.values():
        for e in state.events:
            days.add(e.date)
    out = set()
    for d in days:
        out.update({d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)})
    return sorted(d for d in out if law.timeline.treaty_signed <= d <= LAST_DAY)


class Generator:
    """Scenario i of a seed, from its own random stream."""

    def __init__(self, law: LawModels, seed: int = 0, *, p_unknown: float = 1 / 3, p_absent: float = 0.2,
                 facts: list[str] | None = None):
        self.law, self.seed = law, seed
        self.p_unknown, self.p_absent = p_unknown, p_absent
        self.facts = sorted(facts if facts is not None else law.vocabulary.facts)
        self.domains = {f: law.vocabulary.facts[f].domain() for f in self.facts}
        self.states = scenario_states(law.timeline)
        self.boundaries = boundary_dates(law)
        self.first = law.timeline.treaty_signed
        self.span = (LAST_DAY - self.first).days
        # fact, its domain, the domain's size and the bits Random draws for it
        self._fact_domains = [(f, d, len(d), len(d).bit_length()) for f in self.facts
                              for d in [self.domains[f]]]
        self._rnd = random.Random()

    def scenario(self, index: int) -> Scenario:
        rnd = self._rnd
        rnd.seed(f"casus:{self.seed}:{index}")      # the same stream as random.Random(that string)
        random_, choice, bits = rnd.random, rnd.choice, rnd.getrandbits
        if random_() < 0.5:
            day = choice(self.boundaries)
        else:
            day = self.first + dt.timedelta(days=rnd.randrange(self.span + 1))
        p_absent, p_unknown, states = self.p_absent, self.p_unknown, self.states
        parties = {role: choice(states) for role in m.ROLES if random_() >= p_absent}
        facts = {}
        for f, domain, n, k in self._fact_domains:
            if random_() >= p_unknown:
                # rnd.choice(domain), as CPython 3.11 draws it (Random._randbelow_with_getrandbits):
                # a sweep draws ~20 of these per scenario. tests/analysis/test_compare.py holds the two equal.
                if not n:
                    choice(domain)          # raises, as it did
                r = bits(k)
                while r >= n:
                    r = bits(k)
                facts[f] = domain[r]
        return Scenario(index, day, parties, facts)

    def reference_scenario(self, index: int) -> Scenario:
        """`scenario(index)` drawn with random.Random's public methods only (tests compare the two)."""
        rnd = random.Random(f"casus:{self.seed}:{index}")
        if rnd.random() < 0.5:
            day = rnd.choice(self.boundaries)
        else:
            day = self.first + dt.timedelta(days=rnd.randrange(self.span + 1))
        parties = {role: rnd.choice(self.states) for role in m.ROLES if rnd.random() >= self.p_absent}
        facts = {f: rnd.choice(self.domains[f]) for f in self.facts if rnd.random() >= self.p_unknown}
        return Scenario(index, day, parties, facts)


def shrink(scenario: Scenario, keeps: Callable[[Scenario], bool]) -> Scenario:
    """Greedily drop facts and parties while `keeps` still holds: a smallest example."""
    current = scenario
    changed = True
    while changed:
        changed = False
        for name in sorted(current.facts):
            trial = replace(current, facts={k: v for k, v in current.facts.items() if k != name})
            if keeps(trial):
                current, changed = trial, True
        for role in sorted(current.parties):
            trial = replace(current, parties={k: v for k, v in current.parties.items() if k != role})
            if keeps(trial):
                current, changed = trial, True
    return current


def as_case(scenario: Scenario, *, id: str, title: str, cite: str, summary: str,
            provisions: list[str] | None = None) -> dict[str, Any]:
    """A ready-to-save case file (plain data) holding the scenario."""
    case: dict[str, Any] = {"id": id, "title": title, "date": scenario.date}
    for role in m.ROLES:
        if role in scenario.parties:
            case[role] = scenario.parties[role]
    if provisions:
        case["provisions"] = list(provisions)
    case["summary"] = summary
    case["sources"] = {"generated": {"cite": cite}}
    case["facts"] = {name: {"value": scenario.facts[name], "source": "generated"}
                     for name in sorted(scenario.facts)}
    return case
