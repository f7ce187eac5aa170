"""From evaluation results to plain data: the JSON contract of `casus evaluate`.

Everything here is built from the firings recorded by the rules' own actions
during the evaluation (see durable_engine.fire), never reconstructed from the
rule text after the fact.
"""

from __future__ import annotations

from ..evaluate import CaseResult, ProvisionResult, Verdict


def trace_entries(result: ProvisionResult, v: Verdict) -> list[dict]:
    compiled = result.compiled
    entries = []
    for rid in sorted(v.derivation.fired):
        rule = compiled.rules[rid]
        for k in v.derivation.fired[rid] or [None]:
            entry = {"rule": rid, "concludes": rule.concludes, "value": rule.value,
                     "because": rule.because, "ruleset": v.derivation.ruleset}
            if k is not None:
                term = compiled.rule_terms[rid][k]
                entry["durable_rule"] = f"{rid}#{k}"
                entry["matched"] = {f: v.derivation.facts[f] for f in term.facts()}
                entry["supports"] = sorted(term.supports - {rid})
            entries.append(entry)
    return entries


def verdict_dict(result: ProvisionResult, v: Verdict) -> dict:
    return {
        "outcome": v.outcome,
        "reasons": v.reasons,
        "missing": v.missing,
        "deciding_sets": v.deciding,
        "fired": sorted(v.derivation.fired),
        "conflicts": v.derivation.conflicts(),
        "trace": trace_entries(result, v),
    }


def provision_dict(result: ProvisionResult) -> dict:
    p = result.provision
    out = {"id": p.id, "title": p.title, "question": p.question,
           "version": result.version.id if result.version else None,
           "outcome": result.outcome}
    if result.verdict is None:
        out.update({"reasons": [result.note] if result.note else [], "missing": [], "fired": []})
        out["divergence"] = result.divergence
        return out
    body = verdict_dict(result, result.verdict)
    if result.outcome != result.verdict.outcome:
        # Perspectives decided it: top-level reasons summarise them.
        body["reasons"] = [f"{name}: {pv.outcome}" + (f" ({'; '.join(pv.reasons)})" if pv.reasons else "")
                           for name, pv in result.perspectives.items()]
        if result.outcome != "undetermined":
            body["missing"], body["deciding_sets"] = [], []
    out.update(body)
    out["outcome"] = result.outcome   # the verdict on agreed facts may be refined by perspectives
    if result.perspectives:
        out["perspectives"] = {name: verdict_dict(result, pv) for name, pv in result.perspectives.items()}
    out["divergence"] = result.divergence
    return out


def case_dict(result: CaseResult) -> dict:
    out = {"case": result.case.id, "title": result.case.title, "date": result.date.isoformat()}
    if result.variant:
        out["variant"] = result.variant
    if result.perspective:
        out["perspective"] = result.perspective
    out["provisions"] = [provision_dict(p) for p in result.provisions]
    return out
