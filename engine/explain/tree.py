"""Explanation trees: outcome <- rule (its reason, the words it applies) <- the facts it
matched (each with its value, claimant and source) <- conclusions it rests on.

Built from the firings the engine recorded for this evaluation (see
backends/durable.py), never reconstructed from the rule text after the fact: a rule
appears only if it fired, and its children are the firings that derived the
conclusions it matched (in an earlier stratum).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from typing import Any

from ..backends.base import Firing
from ..law import models as m
from ..logic.compiler import RuleKind
from ..logic.ir import AtomKind
from ..outcome import Outcome
from ..evaluate import CaseResult, ProvisionResult, Verdict
from ..law.amendments import rule_changes
from ..law.loader import Law
from ..law.facts import case_view


def _fact_provenance(case: m.Case, law: Law, day: dt.date, perspective: str | None) -> dict[str, dict[str, Any]]:
    return case_view(case, law.vocabulary, law.timeline, day, perspective).provenance


def _rule_node(v: Verdict, firing: Firing, provenance: dict[str, dict[str, Any]], changed: AbstractSet[str],
               seen: frozenset[str]) -> dict[str, Any]:
    """A fired rule, the facts it matched, and the rules whose conclusions it matched."""
    cv = v.compiled
    rule = cv.rules[firing.rule]
    node: dict[str, Any] = {"rule": firing.rule, "concludes": rule.concludes, "value": rule.value,
                            "because": rule.because, "stratum": firing.stratum}
    if rule.quote:
        node["quote"] = rule.quote
    if firing.rule in changed:
        node["changed_by_variant"] = True
    if firing.engine is not None:
        node["engine"] = {"ruleset": firing.engine.ruleset, "rule": firing.engine.rule}
    facts = v.derivation.facts
    if firing.term is not None:
        used = [a.name for a, _ in firing.matched if a.kind is AtomKind.FACT]
    else:       # the reference evaluator does not say which term held: the rule's own facts
        used = [f for f in cv.direct_facts[firing.rule] if f in facts]
    node["facts"] = [{"fact": f, "value": facts[f], **provenance.get(f, {})} for f in used]
    node["conclusions"] = []
    exceptions = []
    for atom, value in firing.matched:
        if atom.kind is AtomKind.EXCEPTION:
            exceptions.append({"rule": atom.name, "applies": value})
        elif atom.kind is AtomKind.CONCLUSION:
            for sub in v.derivation.derived_by(atom, value):
                if sub.kind is RuleKind.RULE and sub.rule not in seen:
                    node["conclusions"].append(_rule_node(v, sub, provenance, changed, seen | {firing.rule}))
    if exceptions:
        node["exceptions"] = exceptions
    return node


def _first_firings(v: Verdict, rules: list[str]) -> list[Firing]:
    """One firing per rule (its first, in engine order)."""
    out: dict[str, Firing] = {}
    for f in v.derivation.firings:
        if f.kind is RuleKind.RULE and f.rule in rules and f.rule not in out:
            out[f.rule] = f
    return [out[r] for r in rules]


def _verdict_tree(pr: ProvisionResult, v: Verdict, provenance: dict[str, dict[str, Any]],
                  changed: AbstractSet[str]) -> dict[str, Any]:
    cv, prov = v.compiled, pr.provision
    fired = v.derivation.fired
    want: dict[str, bool] = {}
    if v.outcome in (Outcome.TRIGGERED, Outcome.NOT_TRIGGERED):
        want = {prov.outcome: v.outcome == Outcome.TRIGGERED}
        if prov.applicability:
            want[prov.applicability] = True
    elif v.outcome == Outcome.NOT_APPLICABLE and prov.applicability:
        want = {prov.applicability: False}
    deciding = [rid for rid in fired if cv.rules[rid].concludes in want
                and cv.rules[rid].value == want[cv.rules[rid].concludes]]
    # Undetermined: what was established on the way (conclusions some rule did reach).
    partial = [] if deciding else list(fired)
    tree: dict[str, Any] = {"outcome": v.outcome.value,
                            "rules": [_rule_node(v, f, provenance, changed, frozenset())
                                      for f in _first_firings(v, deciding)]}
    if partial:
        tree["established"] = [_rule_node(v, f, provenance, changed, frozenset()) for f in _first_firings(v, partial)]
    if v.outcome == Outcome.UNDETERMINED:
        tree["would_decide"] = v.deciding
    conflicts = v.derivation.conflicts()
    if conflicts:
        tree["conflicts"] = conflicts
    return tree


def explain_provision(pr: ProvisionResult, case: m.Case, law: Law, day: dt.date,
                      changed: AbstractSet[str] = frozenset(), perspective: str | None = None) -> dict[str, Any]:
    """`perspective`: whose claims the main verdict used (set when evaluated with --perspective)."""
    prov = pr.provision
    out: dict[str, Any] = {"provision": prov.id, "title": prov.title, "question": prov.question,
                           "outcome": pr.outcome.value}
    if pr.version is None or pr.verdict is None:
        out["note"] = pr.note
        return out
    v = pr.version
    source = prov.sources[v.text_source]
    out["article"] = {"instrument": prov.instrument, "article": prov.article, "version": v.id,
                      "in_force": {"from": v.in_force.from_.isoformat(),
                                   "to": v.in_force.to.isoformat() if v.in_force.to else None},
                      "text": " ".join(v.text.split()), "cite": source.cite,
                      **({"url": source.url} if source.url else {}), **({"note": v.text_note} if v.text_note else {})}
    out["agreed"] = _verdict_tree(pr, pr.verdict, _fact_provenance(case, law, day, perspective), changed)
    if pr.perspectives:
        out["perspectives"] = {p: _verdict_tree(pr, pv, _fact_provenance(case, law, day, p), changed)
                               for p, pv in pr.perspectives.items()}
    if pr.divergence:
        out["divergence"] = [d.to_json() for d in pr.divergence]
    return out


def explain_case(result: CaseResult, law: Law, changed: AbstractSet[str] = frozenset()) -> list[dict[str, Any]]:
    return [explain_provision(pr, result.case, law, result.date, changed, result.perspective)
            for pr in result.provisions]


def changed_rules(base: Law, variant: Law) -> set[str]:
    """Rule ids a variant added, removed or changed (to highlight them)."""
    return {rid for c in rule_changes(base, variant).values()
            for key in ("added", "removed", "changed") for rid in c.get(key, [])}
