"""Explanation trees: outcome <- rule (its reason, the words it applies) <- the facts it
matched (each with its value, claimant and source) <- conclusions it rests on.

Built from the firings durable_rules recorded for this evaluation (see
durable_engine.fire), never reconstructed from the rule text after the fact:
a rule appears only if it fired, with the durable_rules rule and ruleset that fired it.
"""

from __future__ import annotations

from ..law import models as m
from ..logic.compiler import CompiledVersion
from ..evaluate import CaseResult, ProvisionResult, Verdict
from ..law.amendments import rule_changes
from ..law.loader import Law
from ..law.facts import case_view


def _fact_provenance(case: m.Case, law: Law, day, perspective: str | None) -> dict[str, dict]:
    return case_view(case, law.vocabulary, law.timeline, day, perspective).provenance


def _rule_node(cv: CompiledVersion, v: Verdict, rid: str, provenance: dict, changed: set[str],
               seen: frozenset) -> dict:
    rule = cv.rules[rid]
    terms = v.derivation.fired.get(rid) or []
    term = cv.rule_terms[rid][terms[0]] if terms else None
    node = {"rule": rid, "concludes": rule.concludes, "value": rule.value, "because": rule.because}
    if rule.quote:
        node["quote"] = rule.quote
    if term is not None:
        node["durable_rule"] = f"{rid}#{terms[0]}"
    node["ruleset"] = v.derivation.ruleset
    if rid in changed:
        node["changed_by_variant"] = True
    used = term.facts() if term is not None else cv.direct_facts[rid]
    node["facts"] = [{"fact": f, "value": v.derivation.facts[f], **provenance.get(f, {})}
                     for f in used if f in v.derivation.facts and f in cv.direct_facts[rid]]
    node["conclusions"] = []
    if term is not None:
        for sup in sorted(term.supports - {rid}):
            if sup in v.derivation.fired and sup not in seen and cv.rules[sup].concludes != rule.concludes:
                node["conclusions"].append(_rule_node(cv, v, sup, provenance, changed, seen | {rid}))
    return node


def _verdict_tree(pr: ProvisionResult, v: Verdict, provenance: dict, changed: set[str]) -> dict:
    cv, prov = pr.compiled, pr.provision
    fired = v.derivation.fired
    if v.outcome in ("triggered", "not_triggered"):
        want = {prov.outcome: v.outcome == "triggered"}
        if prov.applicability:
            want[prov.applicability] = True
    elif v.outcome == "not_applicable":
        want = {prov.applicability: False}
    else:
        want = {}
    deciding = [rid for rid in sorted(fired) if cv.rules[rid].concludes in want
                and cv.rules[rid].value == want[cv.rules[rid].concludes]]
    # Undetermined: what was established on the way (conclusions some rule did reach).
    partial = [] if deciding else sorted(fired)
    tree = {"outcome": v.outcome,
            "rules": [_rule_node(cv, v, rid, provenance, changed, frozenset()) for rid in deciding]}
    if partial:
        tree["established"] = [_rule_node(cv, v, rid, provenance, changed, frozenset()) for rid in partial]
    if v.outcome == "undetermined":
        tree["would_decide"] = v.deciding
    conflicts = v.derivation.conflicts()
    if conflicts:
        tree["conflicts"] = conflicts
    return tree


def explain_provision(pr: ProvisionResult, case: m.Case, law: Law, day, changed: set[str] = frozenset(),
                      perspective: str | None = None) -> dict:
    """`perspective`: whose claims the main verdict used (set when evaluated with --perspective)."""
    prov = pr.provision
    out = {"provision": prov.id, "title": prov.title, "question": prov.question, "outcome": pr.outcome}
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
        out["divergence"] = pr.divergence
    return out


def explain_case(result: CaseResult, law: Law, changed: set[str] = frozenset()) -> list[dict]:
    return [explain_provision(pr, result.case, law, result.date, changed, result.perspective)
            for pr in result.provisions]


def changed_rules(base: Law, variant: Law) -> set[str]:
    """Rule ids a variant added, removed or changed (to highlight them)."""
    return {rid for c in rule_changes(base, variant).values()
            for key in ("added", "removed", "changed") for rid in c.get(key, [])}
