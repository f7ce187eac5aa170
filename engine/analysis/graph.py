"""The rule dependency graph: facts -> rules -> conclusions -> provisions.

Nodes and edges as plain data; `to_mermaid` and `to_dot` print them. One rule node
per rule id (a rule shared by several dated versions is one node); conclusions are
per provision; edges from a fact or conclusion into a rule are labelled `not` when
the rule tests it negated, and rule -> conclusion edges with the value concluded.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..files import models as m
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..law.loader import LawModels

if TYPE_CHECKING:
    from ..evaluate.evaluator import CaseResult


def _tests(cond: m.Condition, negated: bool = False) -> Iterator[tuple[str, str, bool]]:
    """(kind, name, negated) for every fact and conclusion a condition tests."""
    if isinstance(cond, m.All):
        for c in cond.all:
            yield from _tests(c, negated)
    elif isinstance(cond, m.Any_):
        for c in cond.any:
            yield from _tests(c, negated)
    elif isinstance(cond, m.Not):
        yield from _tests(cond.not_, not negated)
    elif isinstance(cond, m.FactTest):
        yield ("fact", cond.fact, negated)
    elif isinstance(cond, m.ConclusionTest):
        yield ("conclusion", cond.conclusion, negated)


def fired_rules(result: CaseResult) -> set[str]:
    """The rules that fired for a case (on the agreed facts or in any perspective)."""
    return {rid for pr in result.provisions
            for v in ([pr.verdict] if pr.verdict else []) + list(pr.perspectives.values())
            for rid in v.derivation.fired}


def build_graph(law: LawModels, provisions: list[str] | None = None, fired: set[str] | None = None,
                day: dt.date | None = None) -> dict[str, Any]:
    """The graph of the given provisions (default: all), of the versions in force on `day`
    (default: every version). With `fired` (rule ids), those rules, the conclusions they
    reached and the provisions those answer are marked `fired`."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: set[tuple[str, str, str]] = set()

    def node(nid: str, kind: str, label: str) -> str:
        nodes.setdefault(nid, {"id": nid, "kind": kind, "label": label})
        return nid

    for pid, prov in sorted(law.provisions.items()):
        if provisions is not None and pid not in provisions:
            continue
        p = node(f"provision:{pid}", "provision", f"{pid}: {prov.title}")
        for version in prov.versions:
            if day is not None and not version.in_force.covers(day):
                continue
            for concl in version.conclusions:
                c = node(f"conclusion:{pid}:{concl}", "conclusion", f"{concl} ({pid})")
                if concl == prov.outcome:
                    edges.add((c, p, "outcome"))
                elif concl == prov.applicability:
                    edges.add((c, p, "applicability"))
            for rule in version.rules:
                r = node(f"rule:{rule.id}", "rule", rule.id)
                edges.add((r, f"conclusion:{pid}:{rule.concludes}", str(rule.value).lower()))
                for kind, name, negated in _tests(rule.when):
                    src = (node(f"fact:{name}", "fact", name) if kind == "fact"
                           else f"conclusion:{pid}:{name}")
                    edges.add((src, r, "not" if negated else ""))
                for exc in rule.unless:
                    edges.add((f"rule:{exc}", r, "unless"))
    if fired is not None:
        hot = {f"rule:{rid}" for rid in fired if f"rule:{rid}" in nodes}
        hot |= {b for a, b, _ in edges if a in hot and nodes[b]["kind"] == "conclusion"}
        hot |= {b for a, b, _ in edges if a in hot and nodes[b]["kind"] == "provision"}
        for nid, n in nodes.items():
            n["fired"] = nid in hot
    return {"nodes": sorted(nodes.values(), key=lambda n: n["id"]),
            "edges": [{"from": a, "to": b, "label": label} for a, b, label in sorted(edges)]}


def _safe(nid: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in nid)


SHAPES = {"fact": ('(["', '"])'), "rule": ('["', '"]'), "conclusion": ('{{"', '"}}'), "provision": ('[["', '"]]')}


def to_mermaid(graph: dict[str, Any]) -> str:
    lines = ["flowchart LR"]
    for n in graph["nodes"]:
        left, right = SHAPES[n["kind"]]
        lines.append(f"  {_safe(n['id'])}{left}{n['label'].replace(chr(34), '#quot;')}{right}")
    for e in graph["edges"]:
        arrow = f" -->|{e['label']}| " if e["label"] else " --> "
        lines.append(f"  {_safe(e['from'])}{arrow}{_safe(e['to'])}")
    for kind, style in (("fact", "fill:#e8f0fe"), ("rule", "fill:#fff"), ("conclusion", "fill:#fff3cd"),
                        ("provision", "fill:#dff3e4")):
        ids = ",".join(_safe(n["id"]) for n in graph["nodes"] if n["kind"] == kind)
        if ids:
            lines.append(f"  classDef {kind} {style}")
            lines.append(f"  class {ids} {kind}")
    hot = ",".join(_safe(n["id"]) for n in graph["nodes"] if n.get("fired"))
    if hot:
        lines.append("  classDef fired stroke:#c0392b,stroke-width:3px")
        lines.append(f"  class {hot} fired")
    return "\n".join(lines) + "\n"


DOT_SHAPES = {"fact": "ellipse", "rule": "box", "conclusion": "diamond", "provision": "doubleoctagon"}


def to_dot(graph: dict[str, Any]) -> str:
    lines = ["digraph casus {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for n in graph["nodes"]:
        label = n["label"].replace("\\", "\\\\").replace('"', '\\"')
        hot = ', color="#c0392b", penwidth=3' if n.get("fired") else ""
        lines.append(f'  "{n["id"]}" [label="{label}", shape={DOT_SHAPES[n["kind"]]}{hot}];')
    for e in graph["edges"]:
        label = f' [label="{e["label"]}"]' if e["label"] else ""
        lines.append(f'  "{e["from"]}" -> "{e["to"]}"{label};')
    lines.append("}")
    return "\n".join(lines) + "\n"
