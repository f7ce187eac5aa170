"""Text rendering of results (rich). Decides nothing: it shows what the engine returned."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from typing import TYPE_CHECKING

from ..engine.outcome import Outcome
from .explain_walk import sets_text, value_text
from .output import console, styled

if TYPE_CHECKING:
    from ..engine.explain.tree import Explanation


def _console(buffer: io.StringIO) -> Console:
    return console(file=buffer, width=120, force_terminal=False, color_system=None)


def render_case_text(result, explanation: list[Explanation] | None = None,
                     to_set: dict[str, list[list[str]]] | None = None) -> str:
    case = result.case
    buf = io.StringIO()
    con = _console(buf)
    head = f"[bold]{escape(case.id)}[/] — {escape(case.title)}\nlaw applied at {result.date}"
    if result.variant:
        head += f", variant [bold]{escape(result.variant)}[/]"
    if result.perspective:
        head += f", perspective [bold]{escape(result.perspective)}[/]"
    con.print(head)
    table = Table(show_lines=True)
    for col in ("provision", "version", "outcome", "why"):
        table.add_column(col, overflow="fold")
    for pr in result.provisions:
        why = []
        if pr.verdict is None:
            why.append(escape(pr.note or ""))
        elif pr.perspectives and (pr.outcome != pr.verdict.outcome or pr.outcome == Outcome.CONTESTED):
            for name, v in pr.perspectives.items():
                why.append(escape(f"{name}: {v.outcome}" + (f" — {'; '.join(v.reasons)}" if v.reasons else "")))
        else:
            why.extend(escape(r) for r in pr.verdict.reasons)
            if pr.outcome == Outcome.UNDETERMINED:
                why.append(escape(f"would be decided by setting: {sets_text(to_set[pr.provision.id])}" if to_set
                                  and pr.provision.id in to_set else
                                  f"would be decided by knowing: {sets_text(pr.verdict.deciding)}"))
        for d in pr.divergence:
            who = f" ({d.perspective})" if d.perspective else ""
            why.append(f"[bold yellow]divergence{escape(who)}[/]: {escape(d.kind.value)} — {escape(d.detail)}")
        table.add_row(f"{escape(pr.provision.id)}\n[dim]{escape(pr.provision.title)}[/]",
                      pr.version.id if pr.version else "-", styled(pr.outcome), "\n".join(why))
    con.print(table)
    for exp in explanation or []:
        con.print(explanation_tree(exp))
    con.print()
    return buf.getvalue()


def explanation_tree(exp: Explanation) -> Tree:
    """The explanation as a rich tree: the provision's answer, then what explain_walk says."""
    from .explain_walk import TextEmitter, walk
    emit = TextEmitter()
    root = Tree(f"[bold]{escape(exp.provision)}[/] {styled(exp.outcome)} — {escape(exp.question)}")
    emit.tree(root, walk(exp, case_id=""))
    return root


def render_provision_text(p, versions) -> str:
    buf = io.StringIO()
    con = _console(buf)
    con.print(f"[bold]{escape(p.id)}[/] — {escape(p.instrument)}, Article {escape(p.article)}: {escape(p.title)}")
    con.print(f"question: {escape(p.question)}  (triggered = yes)")
    for v in versions:
        span = f"{v.in_force.from_} .. {v.in_force.to or 'today'}"
        con.print(f"\n[bold]version {escape(v.id)}[/] in force {span}")
        if v.in_force.note:
            con.print(f"[dim]{escape(v.in_force.note)}[/]")
        con.print(f"\"{escape(v.text.strip())}\"\n[dim]— {escape(p.sources[v.text_source].cite)}[/]")
        if v.text_note:
            con.print(f"[dim]note: {escape(v.text_note.strip())}[/]")
        for r in v.rules:
            unless = f" unless {', '.join(r.unless)}" if r.unless else ""
            con.print(f"  [bold]{escape(r.id)}[/]: {escape(r.concludes)} = {value_text(r.value)}{escape(unless)}\n"
                      f"    when {escape(condition_text(r.when))}\n    because {escape(r.because)}")
    return buf.getvalue()


def condition_text(cond) -> str:
    from ..engine.law import models as m
    if isinstance(cond, m.All):
        return "(" + " and ".join(condition_text(c) for c in cond.all) + ")"
    if isinstance(cond, m.Any_):
        return "(" + " or ".join(condition_text(c) for c in cond.any) + ")"
    if isinstance(cond, m.Not):
        return "not " + condition_text(cond.not_)
    if isinstance(cond, m.ConclusionTest):
        return f"[{cond.conclusion}]"
    if cond.in_ is not None:
        return f"{cond.fact} in {{{', '.join(cond.in_)}}}"
    if cond.is_ is not None:
        return f"{cond.fact} = {value_text(cond.is_)}"
    return cond.fact


def render_compare_text(report: dict) -> str:
    import yaml
    buf = io.StringIO()
    con = _console(buf)
    con.print(f"[bold]{escape(report['variant'])}[/] compared with [bold]{escape(report['against'])}[/]")
    if report["changes"]:
        table = Table(title="What changes", show_lines=True)
        for col in ("provision", "change"):
            table.add_column(col, overflow="fold")
        for pid, change in report["changes"].items():
            table.add_row(pid, "\n".join(f"{k}: {', '.join(v)}" for k, v in change.items()))
        con.print(table)
    cases = report["cases"]
    if cases["flips"]:
        table = Table(title=f"Cases that flip ({len(cases['flips'])} provision outcomes; "
                            f"{cases['unchanged']} of {cases['compared']} cases unchanged)", show_lines=True)
        for col in ("case", "provision", "before", "after", "rules responsible"):
            table.add_column(col, overflow="fold")
        for f in cases["flips"]:
            before, after = styled(f["before"]), styled(f["after"])
            if "perspectives_before" in f:
                before += "\n" + escape(", ".join(f"{k}: {v}" for k, v in f["perspectives_before"].items()))
                after += "\n" + escape(", ".join(f"{k}: {v}" for k, v in f["perspectives_after"].items()))
            why = _responsible_text(f["responsible"])
            if f.get("facts_changed"):
                why += "; facts read differently: " + ", ".join(
                    f"{k} {value_text(v[0])} -> {value_text(v[1])}" for k, v in f["facts_changed"].items())
            table.add_row(f["case"], f["provision"], before, after, escape(why))
        con.print(table)
    else:
        con.print(f"No shipped case flips ({cases['compared']} compared).")
    gen = report.get("generated")
    if gen:
        con.print(f"\n[bold]{gen['scenarios']}[/] generated scenarios (seed {gen['seed']}): "
                  f"{gen['with_flips']} flip at least one provision")
        if gen["flips"]:
            table = Table(title="Flips per provision", show_lines=False)
            for col in ("provision", "before -> after", "scenarios"):
                table.add_column(col)
            for pid, kinds in gen["flips"].items():
                for kind, count in kinds.items():
                    table.add_row(pid, kind, str(count))
            con.print(table)
        for ex in gen["examples"]:
            con.print(f"\n[bold]smallest example[/]: {escape(ex['provision'])} {styled(ex['before'])} -> "
                      f"{styled(ex['after'])} ({ex['count']} scenarios); rules: "
                      f"{escape(_responsible_text(ex['responsible']))}")
            con.print(escape(yaml.safe_dump(ex["case"], sort_keys=False, allow_unicode=True).rstrip()),
                      highlight=False)
    return buf.getvalue()


def _responsible_text(rows: list[dict]) -> str:
    return "; ".join(f"{r['rule']} ({'fired ' + r['fired'] if r['fired'] != 'both' else 'fired on both sides'}"
                     f"{', changed by the variant' if r['changed_by_variant'] else ''})" for r in rows) or "-"


def render_check_text(report: dict) -> str:
    import yaml
    buf = io.StringIO()
    con = _console(buf)
    con.print(f"[bold]casus check[/] of the {'base law' if report['law'] == 'base' else 'variant ' + escape(report['law'])}"
              f" (seed {report['seed']})")
    table = Table(show_lines=True)
    for col in ("property", "mode", "examples", "result", "detail"):
        table.add_column(col, overflow="fold")
    for p in report["properties"]:
        result = "[bold green]passed[/]" if p["passed"] else "[bold red]FAILED[/]"
        table.add_row(p["property"], p["mode"], str(p["examples"]), result, escape(p.get("detail", "")))
    con.print(table)
    ex = report.get("exhaustive")
    if ex:
        con.print(f"exhaustive: {sum(ex['enumerated'].values())} assignments over "
                  f"{len(ex['enumerated'])} provision versions (bound {ex['bound']})")
        for key, n in ex["enumerated"].items():
            con.print(f"  {escape(key)}: {n}")
        for key, why in ex["skipped"].items():
            con.print(f"  [yellow]not enumerated[/] {escape(key)}: {escape(why)}")
    for p in report["properties"]:
        if p["passed"] or "counterexample" not in p:
            continue
        con.print(f"\n[bold red]{escape(p['property'])}[/] counterexample"
                  + (f" (rules involved: {escape(', '.join(p['rules']))})" if p.get("rules") else "") + ":")
        con.print(escape(yaml.safe_dump(p["counterexample"], sort_keys=False, allow_unicode=True).rstrip()))
    con.print("\nall properties hold" if report["passed"] else "\n[bold red]some properties fail[/]")
    return buf.getvalue()
