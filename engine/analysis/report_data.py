"""The data of a shareable report: cases x provisions, explanations, divergences, sources.

Plain data only (the renderers in casus.cli.report turn it into HTML or Markdown).
Nothing here depends on the clock, so the same input gives the same report.
"""

from __future__ import annotations

from typing import Any

from ..files import models as m
from ..law.amendments import with_variants
from ..evaluate.evaluator import Evaluator
from ..explain.tree import changed_rules, explain_case
from ..law.loader import LawModels
from ..explain.trace import case_dict


def _bibliography(law: LawModels, cases: list[m.Case]) -> list[dict[str, Any]]:
    """Every source the report can cite, keyed as the explanations refer to them."""
    entries: dict[str, dict[str, Any]] = {}

    def add(key: str, src: m.Source, where: str) -> None:
        entries.setdefault(key, {"key": key, "cite": src.cite, "url": src.url, "file": src.file, "in": where})

    for case in cases:
        for key, src in case.sources.items():
            add(f"{case.id}/{key}", src, case.id)
    for pid, prov in sorted(law.provisions.items()):
        for key, src in prov.sources.items():
            add(f"{pid}/{key}", src, pid)
    for key, src in law.timeline.sources.items():
        add(f"members/{key}", src, "membership timeline")
    for aid, amendment in sorted(law.amendments.items()):
        add(f"variant/{aid}", amendment.source, f"variant {aid}")
    return sorted(entries.values(), key=lambda e: e["key"])


def build_report(law: LawModels, cases: list[m.Case], variant: str | None = None,
                 generated: int = 0, seed: int = 0, treaties: list[str] | None = None) -> dict[str, Any]:
    """`generated`: with a variant, also sweep that many generated scenarios (flips per kind);
    `treaties`: compare these provisions of several treaties on `generated` scenarios (default 2,000)."""
    from .graph import build_graph, fired_rules
    from .timeline import evaluate_timeline
    base_eval = Evaluator(law)
    variant_law = with_variants(law, variant) if variant else None
    variant_eval = Evaluator(variant_law) if variant_law else None
    changed = changed_rules(law, variant_law) if variant_law else set()
    provisions: list[str] = []
    rows = []
    for case in cases:
        base = base_eval.evaluate(case)
        shown = variant_eval.evaluate(case) if variant_eval else base
        shown_law = variant_law or law
        explanations = explain_case(shown, shown_law, changed)
        data = case_dict(shown)
        row: dict[str, Any] = {"case": case.id, "title": case.title, "date": shown.date.isoformat(), "summary": " ".join(case.summary.split()),
               "parties": {r: c for r, c in case.parties().items() if c},
               "record": case.record.model_dump(mode="json") if case.record else None,
               "provisions": []}
        row["timeline"] = evaluate_timeline(variant_eval or base_eval, case).data
        row["graph"] = build_graph(shown_law, [p.provision.id for p in shown.provisions], fired_rules(shown),
                                   shown.date)
        for pr_base, pd, exp in zip(base.provisions, data["provisions"], explanations):
            pid = pd["id"]
            if pid not in provisions:
                provisions.append(pid)
            entry = {"id": pid, "title": pd["title"], "outcome": pd["outcome"], "explanation": exp.to_json(),
                     "divergence": pd["divergence"],
                     "expected": case.expected[pid].model_dump(mode="json") if pid in case.expected else None}
            if variant_eval:
                entry["before"] = pr_base.outcome.value
            if "duty" in pd:
                entry["duty"] = pd["duty"]
            row["provisions"].append(entry)
        rows.append(row)
    order = sorted(law.provisions)
    provisions.sort(key=order.index)
    divergences = [{"case": r["case"], "provision": p["id"], **d}
                   for r in rows for p in r["provisions"] for d in p["divergence"]]
    swept = None
    if variant and generated:
        from .compare import compare
        swept = compare(law, variant, None, [], generated=generated, seed=seed)
    compared = None
    if treaties:
        from .treaties import compare_treaties
        compared = compare_treaties(law, treaties, generated or 2000, seed)
    return {
        "generated": ({**swept["generated"], "against": swept["against"]} if swept else None),
        "treaties": compared,
        "title": "casus report" + (f": variant {variant}" if variant else ""),
        "variant": variant,
        "variant_info": (law.amendments[variant].model_dump(mode="json", by_alias=True)
                         if variant and variant in law.amendments else None),
        "provisions": [{"id": pid, "title": law.provisions[pid].title, "question": law.provisions[pid].question}
                       for pid in provisions],
        "cases": rows,
        "divergences": divergences,
        "sources": _bibliography(variant_law or law, cases),
    }
