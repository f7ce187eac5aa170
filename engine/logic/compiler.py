"""Compile a provision version to a durable_rules ruleset (once per process).

Each DNF term of each rule becomes one durable rule named `<rule id>#<n>`,
whose condition is a single-fact pattern: `$and` of equality tests (`$or` for
a set of values). A case evaluation asserts one fact holding every *known*
fact the provision uses; unknown facts are simply absent, so no test on them
can match (Kleene). The action of each durable rule records its own firing:
that record is the trace (durable_rules cannot say which rule produced what).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ..law import models as m
from .ir import Normaliser, Term, effective_nodes, facts_of
from ..law.loader import Law


@dataclass
class CompiledVersion:
    provision: m.Provision
    version: m.ProvisionVersion
    rules: dict[str, m.Rule]
    rule_terms: dict[str, list[Term]]                      # rule id -> its DNF terms
    conclusion_terms: dict[tuple[str, bool], list[Term]]   # (conclusion, value) -> terms
    facts: tuple[str, ...]                                 # every fact any term tests
    direct_facts: dict[str, tuple[str, ...]]               # rule id -> facts in its own `when`
    name: str = ""                                         # durable_rules ruleset name
    concludes: dict[str, tuple[str, bool]] = field(default_factory=dict)   # rule id -> (conclusion, value)
    durable_rules: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (rule, term)

    def durable_spec(self) -> dict:
        """The ruleset in durable_rules' JSON condition syntax."""
        spec = {}
        for rid, terms in self.rule_terms.items():
            for k, term in enumerate(terms):
                tests = []
                for fact, values in term.literals:
                    alts = [{fact: v} for v in sorted(values, key=repr)]
                    tests.append(alts[0] if len(alts) == 1 else {"$or": alts})
                spec[f"{rid}#{k}"] = {"all": [{"m": {"$and": tests}}]}
        return spec


def compile_version(law: Law, provision_id: str, version: m.ProvisionVersion) -> CompiledVersion:
    provision = law.provisions[provision_id]
    rules = {r.id: r for r in version.rules}
    nodes = effective_nodes(rules, law.domain_of)
    norm = Normaliser(law.domain_of, rules, nodes)
    rule_terms = {rid: norm.rule_terms(rid) for rid in rules}
    conclusion_terms = {(c, v): norm.conclusion(c, v) for c in version.conclusions for v in (True, False)}
    used = sorted({f for terms in rule_terms.values() for t in terms for f in t.facts()})
    compiled = CompiledVersion(provision, version, rules, rule_terms, conclusion_terms, tuple(used),
                               {rid: tuple(sorted(facts_of(nodes[rid]))) for rid in rules})
    spec = compiled.durable_spec()
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=repr).encode()).hexdigest()[:12]
    compiled.name = f"casus.{provision_id}.{version.id}.{digest}"
    compiled.durable_rules = {name: (name.rsplit("#", 1)[0], int(name.rsplit("#", 1)[1])) for name in spec}
    compiled.concludes = {rid: (r.concludes, r.value) for rid, r in rules.items()}
    return compiled


class CompiledLaw:
    """Compiled provision versions of one law (base or variant), built on demand."""

    def __init__(self, law: Law):
        self.law = law
        self._cache: dict[tuple[str, str], CompiledVersion] = {}

    def version(self, provision_id: str, version: m.ProvisionVersion) -> CompiledVersion:
        key = (provision_id, version.id)
        if key not in self._cache:
            self._cache[key] = compile_version(self.law, provision_id, version)
        return self._cache[key]

    def all_versions(self) -> list[CompiledVersion]:
        return [self.version(pid, v) for pid, p in sorted(self.law.provisions.items()) for v in p.versions]
