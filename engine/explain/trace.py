"""From evaluation results to plain data: the JSON contract of `casus evaluate`.

The trace is the engine's firing record, in the order durable_rules fired: each entry
names the casus rule, the stratum it ran in and the facts, conclusions and exceptions
it matched as the engine saw them. Engine-specific names appear only under `engine`.
"""

from __future__ import annotations

from typing import Any

from ..backends.base import Firing
from ..evaluate.evaluator import CaseResult, ProvisionResult
from ..evaluate.verdict import Verdict
from ..outcome import Outcome
from ..logic.compiler import CompiledVersion, RuleKind
from ..logic.ir import AtomKind


def matched_dict(firing: Firing) -> dict[str, dict[str, Any]]:
    """What a firing matched, by kind: facts, conclusions, exceptions (`applies` values)."""
    out: dict[str, dict[str, Any]] = {}
    for atom, value in firing.matched:
        key = {AtomKind.FACT: "facts", AtomKind.CONCLUSION: "conclusions", AtomKind.EXCEPTION: "exceptions"}[atom.kind]
        out.setdefault(key, {})[atom.name] = value
    return out


def firing_dict(cv: CompiledVersion, f: Firing) -> dict[str, Any]:
    if f.engine is not None:
        # A durable_rules program makes one Firing per distinct message it reads and hands it
        # out again for the same message: so is its entry made once, and kept with it. Each
        # call gets its own dicts, as plain data a caller may change.
        rule = cv.rules[f.rule]         # its reason text may differ between laws of the same program
        cached = f.memo.get("trace")
        if cached is None or cached[0] is not rule:
            cached = f.memo["trace"] = (rule, _firing_dict(cv, f))
        out = dict(cached[1])
        for nested in _NESTED:
            if nested in out:
                out[nested] = dict(out[nested])
        return out
    return _firing_dict(cv, f)


_NESTED = ("matched", "conclusions", "exceptions", "engine")


def _firing_dict(cv: CompiledVersion, f: Firing) -> dict[str, Any]:
    rule = cv.rules[f.rule]
    entry: dict[str, Any] = {"stratum": f.stratum, "rule": f.rule}
    if f.kind is RuleKind.EXCEPTION:
        entry.update({"exception": True, "applies": f.value})
    else:
        entry.update({"concludes": rule.concludes, "value": rule.value, "because": rule.because})
    if f.term is not None:
        m = matched_dict(f)
        entry["matched"] = m.get("facts", {})
        for key in ("conclusions", "exceptions"):
            if key in m:
                entry[key] = m[key]
    if f.engine is not None:
        entry["engine"] = {"ruleset": f.engine.ruleset, "rule": f.engine.rule}
    return entry


def conflict_rules(v: Verdict) -> dict[str, dict[str, list[str]]]:
    """For each conclusion derived both ways, the rules that derived it true and false: a
    conflict said in words (which rules, which values), not only the conclusion's name."""
    out: dict[str, dict[str, list[str]]] = {}
    conflicted = set(v.derivation.conflicts())
    for f in v.derivation.firings:
        if f.kind is RuleKind.RULE and f.derives.name in conflicted:
            side = out.setdefault(f.derives.name, {"true": [], "false": []})["true" if f.value else "false"]
            if f.rule not in side:
                side.append(f.rule)
    return {c: {k: sorted(rules) for k, rules in sides.items()} for c, sides in sorted(out.items())}


def conflict_text(conclusion: str, rules: dict[str, list[str]]) -> str:
    return (f"conflict: the law derives {conclusion} both true ({', '.join(rules['true'])}) and false "
            f"({', '.join(rules['false'])}); no outcome until the rules are mended (`casus check` "
            "finds such conflicts)")


def trace_entries(result: ProvisionResult, v: Verdict) -> list[dict[str, Any]]:
    return [firing_dict(v.compiled, f) for f in v.derivation.firings]


def verdict_dict(result: ProvisionResult, v: Verdict) -> dict[str, Any]:
    return {
        "outcome": v.outcome.value,
        "reasons": v.reasons,
        "missing": v.missing,
        "deciding_sets": v.deciding,
        "fired": list(v.derivation.fired),
        "conflicts": v.derivation.conflicts(),
        "trace": trace_entries(result, v),
    } | ({"conflicting_rules": conflict_rules(v)} if v.derivation.conflicts() else {})


def triggered_duty(result: ProvisionResult) -> dict[str, str] | None:
    """What the provision obliges, beside a triggered outcome (or a contested one, where some
    party's reading triggers it): the strength of the duty is part of the answer."""
    duty = result.version.duty if result.version is not None else None
    if duty is None:
        return None
    if result.outcome is not Outcome.TRIGGERED and not (
            result.outcome is Outcome.CONTESTED
            and any(v.outcome is Outcome.TRIGGERED for v in result.perspectives.values())):
        return None
    return {"strength": duty.strength, "quote": " ".join(duty.quote.split()), "summary": " ".join(duty.summary.split())}


def provision_dict(result: ProvisionResult) -> dict[str, Any]:
    p = result.provision
    out: dict[str, Any] = {"id": p.id, "title": p.title, "question": p.question,
           "version": result.version.id if result.version else None,
           "outcome": result.outcome.value}
    if result.verdict is None:
        out.update({"reasons": [result.note] if result.note else [], "missing": [], "fired": []})
        out["divergence"] = [d.to_json() for d in result.divergence]
        return out
    body = verdict_dict(result, result.verdict)
    if result.outcome != result.verdict.outcome:
        # Perspectives decided it: top-level reasons summarise them.
        body["reasons"] = [f"{name}: {pv.outcome.value}" + (f" ({'; '.join(pv.reasons)})" if pv.reasons else "")
                           for name, pv in result.perspectives.items()]
        if result.outcome != Outcome.UNDETERMINED:
            body["missing"], body["deciding_sets"] = [], []
    out.update(body)
    out["outcome"] = result.outcome.value   # the verdict on agreed facts may be refined by perspectives
    duty = triggered_duty(result)
    if duty is not None:
        out["duty"] = duty
    if result.perspectives:
        out["perspectives"] = {name: verdict_dict(result, pv) for name, pv in result.perspectives.items()}
    out["divergence"] = [d.to_json() for d in result.divergence]
    return out


def case_dict(result: CaseResult) -> dict[str, Any]:
    out: dict[str, Any] = {"case": result.case.id, "title": result.case.title, "date": result.date.isoformat()}
    if result.variant:
        out["variant"] = result.variant
    if result.perspective:
        out["perspective"] = result.perspective
    out["provisions"] = [provision_dict(p) for p in result.provisions]
    return out
