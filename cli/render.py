"""Text rendering of results (rich). Decides nothing: it shows what the engine returned."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..engine.explain.trace import conflict_rules, conflict_text
from ..engine.outcome import Outcome
from ..engine.explain.trace import triggered_duty
from .explain_walk import sets_text, value_text
from .output import counted, print_table, print_tree, print_wrapped, styled, text_console

if TYPE_CHECKING:
    from ..engine.evaluate.evaluator import Divergence
    from ..engine.explain.tree import Explanation


def _console(buffer: io.StringIO) -> Console:
    return text_console(buffer)


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
        name = f"{escape(pr.provision.id)}\n[dim]{escape(pr.provision.title)}[/]"
        version = pr.version.id if pr.version else "-"
        why: list[str] = []
        # One row per perspective (the parties' readings of contested facts), each in its own
        # cells, when they are what decides: after the provision's own row.
        views = (pr.perspectives if pr.verdict is not None and pr.perspectives
                 and (pr.outcome != pr.verdict.outcome or pr.outcome == Outcome.CONTESTED) else {})
        if pr.verdict is None:
            why.append(escape(pr.note or ""))
        elif views:
            why.append("the parties' readings of the facts differ: one row each below"
                       if len({v.outcome for v in views.values()}) > 1 else
                       "every party's reading of the facts leads here: one row each below")
        else:
            why.extend(escape(r) for r in pr.verdict.reasons)
            conflicts = conflict_rules(pr.verdict)
            why.extend(escape(conflict_text(c, rules)) for c, rules in conflicts.items())
            if pr.outcome == Outcome.UNDETERMINED and not conflicts:
                why.append(escape(f"would be decided by setting: {sets_text(to_set[pr.provision.id])}" if to_set
                                  and pr.provision.id in to_set else
                                  f"would be decided by knowing: {sets_text(pr.verdict.deciding)}"))
        why.extend(_divergence(d) for d in pr.divergence if not (views and d.perspective in views))
        duty = triggered_duty(pr)
        if duty is not None:
            why.append(escape(f"duty if triggered ({duty['strength'].replace('_', ' ')}): \"{duty['quote']}\""))
        table.add_row(name, version, styled(pr.outcome), "\n".join(why))
        for party, v in views.items():
            lines = [escape(r) for r in v.reasons]
            lines.extend(_divergence(d) for d in pr.divergence if d.perspective == party)
            table.add_row(f"{escape(pr.provision.id)}\n[dim]facts as read by {escape(party)}[/]", version,
                          styled(v.outcome), "\n".join(lines))
    print_table(con, table)
    for exp in explanation or []:
        print_tree(con, explanation_tree(exp))
    con.print()
    return buf.getvalue()


def _divergence(d: Divergence) -> str:
    who = f" ({d.perspective})" if d.perspective else ""
    return f"[bold yellow]divergence{escape(who)}[/]: {escape(d.kind.value)} — {escape(d.detail)}"


def explanation_tree(exp: Explanation) -> Tree:
    """The explanation as a rich tree: the provision's answer, then what explain_walk says."""
    from .explain_walk import TextEmitter, walk
    emit = TextEmitter()
    root = Tree(f"[bold]{escape(exp.provision)}[/] {styled(exp.outcome)} — {escape(exp.question)}")
    emit.tree(root, walk(exp, case_id=""))
    return root


def render_provision_text(p, versions, lang: str = "en") -> str:
    """A provision's versions: the article text in `lang` (`en` the English casus applies,
    `ru` the authentic Russian where it was found), the date's source, translation notes,
    and the rules (in `ru`, with the Russian words each rule's quote stands for)."""
    buf = io.StringIO()
    con = _console(buf)
    con.print(f"[bold]{escape(p.id)}[/] — {escape(p.instrument)}, Article {escape(p.article)}: {escape(p.title)}")
    con.print(f"question: {escape(p.question)}  (triggered = yes)")
    for v in versions:
        span = f"{v.in_force.from_} .. {v.in_force.to or 'today'}"
        con.print(f"\n[bold]version {escape(v.id)}[/] in force {span}")
        if v.in_force.source:
            said = f": \"{v.in_force.quote}\"" if v.in_force.quote else ""
            con.print(f"[dim]date: {escape(p.sources[v.in_force.source].cite)}{escape(said)}[/]")
        if v.in_force.note:
            con.print(f"[dim]{escape(v.in_force.note.strip())}[/]")
        if lang == "ru":
            if v.text_ru is not None:
                con.print(f"«{escape(' '.join(v.text_ru.split()))}»\n[dim]— {escape(p.sources[v.text_ru_source].cite)}[/]")
            else:
                con.print("[bold yellow]no Russian text[/]")
            if v.text_ru_note:
                con.print(f"[dim]note: {escape(v.text_ru_note.strip())}[/]")
        else:
            con.print(f"\"{escape(v.text.strip())}\"\n[dim]— {escape(p.sources[v.text_source].cite)}[/]")
            if v.text_note:
                con.print(f"[dim]note: {escape(v.text_note.strip())}[/]")
        for n in v.translation_notes:
            print_wrapped(con, f"[bold]translation note[/]: \"{escape(n.en)}\" / «{escape(n.ru)}»: {escape(n.note.strip())}",
                          rest="  ")
        for r in v.rules:
            unless = f" unless {', '.join(r.unless)}" if r.unless else ""
            print_wrapped(con, f"  [bold]{escape(r.id)}[/]: {escape(r.concludes)} = {value_text(r.value)}{escape(unless)}",
                          rest="      ")
            print_wrapped(con, f"    when {escape(condition_text(r.when))}", rest="      ")
            print_wrapped(con, f"    because {escape(r.because)}", rest="      ")
            if lang == "ru" and r.quote and r.quote in v.quotes_ru:
                print_wrapped(con, f"    applies «{escape(v.quotes_ru[r.quote])}»", rest="      ")
    return buf.getvalue()


def condition_text(cond) -> str:
    from ..engine.files import models as m
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


def print_yaml(con, data: dict) -> None:
    """A case file printed so that it can be saved and read as it is: YAML folds its own long
    lines (validly) at the console's width, and the console must not wrap them again (a line
    broken at "--seed" by the terminal width was no longer YAML)."""
    import yaml
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=max(40, con.width - 2))
    con.print(escape(text.rstrip()), soft_wrap=True, highlight=False)


def render_compare_text(report: dict) -> str:
    buf = io.StringIO()
    con = _console(buf)
    con.print(f"[bold]{escape(report['variant'])}[/] compared with [bold]{escape(report['against'])}[/]")
    if report["changes"]:
        table = Table(title="What changes", show_lines=True)
        for col in ("provision", "change"):
            table.add_column(col, overflow="fold")
        for pid, change in report["changes"].items():
            table.add_row(pid, "\n".join(f"{k}: {', '.join(v)}" for k, v in change.items()))
        print_table(con, table)
    cases = report["cases"]
    if cases["flips"]:
        table = Table(title=f"Cases that flip ({counted(len(cases['flips']), 'provision outcome')}; "
                            f"{cases['unchanged']} of {counted(cases['compared'], 'case')} unchanged)", show_lines=True)
        for col in ("case", "provision", "perspective", "before", "after", "rules responsible"):
            table.add_column(col, overflow="fold")
        agreed_used = False
        for f in cases["flips"]:
            why = _responsible_text(f["responsible"])
            if f.get("facts_changed"):
                why += "; facts read differently: " + "; ".join(
                    _fact_change_text(k, v, f.get("facts_read", {}).get(k)) for k, v in f["facts_changed"].items())
            before, after = f.get("perspectives_before", {}), f.get("perspectives_after", {})
            overall = "[dim]overall[/]" if before or after else ""
            table.add_row(f["case"], f["provision"], overall, styled(f["before"]), styled(f["after"]), escape(why))
            # Then each party's reading whose outcome changes, one row each. A side with no
            # readings decided the provision on the facts every party agrees on, so each
            # reading gives that side's overall outcome (learning facts never flips one).
            for party in sorted(set(before) | set(after)):
                b = before.get(party) or f["before"]
                a = after.get(party) or f["after"]
                if b == a:
                    continue
                agreed_used |= party not in before or party not in after
                table.add_row(f["case"], f["provision"], escape(party),
                              styled(b) + ("" if party in before else " [dim](agreed facts)[/]"),
                              styled(a) + ("" if party in after else " [dim](agreed facts)[/]"), "")
        print_table(con, table)
        if agreed_used:
            print_wrapped(con, "[dim](agreed facts): that side decided the provision on the facts every party "
                               "agrees on, so each party's reading gives the same outcome.[/]")
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
            print_table(con, table)
        for ex in gen["examples"]:
            con.print(f"\n[bold]smallest example[/]: {escape(ex['provision'])} {styled(ex['before'])} -> "
                      f"{styled(ex['after'])} ({ex['count']} scenarios); rules: "
                      f"{escape(_responsible_text(ex['responsible']))}")
            print_yaml(con, ex["case"])
    return buf.getvalue()


def _fact_change_text(fact: str, values: list, read: list | None) -> str:
    """'attacker_member: not read before, true after' rather than 'unknown -> true'."""
    sides = []
    for side, value, reads in zip(("before", "after"), values, read or [True, True]):
        sides.append(f"{'not read' if not reads else value_text(value) if value is not None else 'unknown'} {side}")
    return f"{fact}: {', '.join(sides)}"


def _responsible_text(rows: list[dict]) -> str:
    return "; ".join(f"{r['rule']} ({'fired ' + r['fired'] if r['fired'] != 'both' else 'fired on both sides'}"
                     f"{', changed by the variant' if r['changed_by_variant'] else ''})" for r in rows) or "-"


def render_check_text(report: dict) -> str:
    buf = io.StringIO()
    con = _console(buf)
    con.print(f"[bold]casus check[/] of the {'base law' if report['law'] == 'base' else 'variant ' + escape(report['law'])}"
              f" (seed {report['seed']})")
    table = Table(show_lines=True)
    for col in ("property", "decided by", "result", "detail"):
        table.add_column(col, overflow="fold")
    for p in report["properties"]:
        result = "[bold green]holds[/]" if p["passed"] else "[bold red]FAILED[/]"
        if p["passed"] and not p["decided"]:
            result = "[green]no failure found[/]"
        table.add_row(p["property"], escape(p["how"]), result, escape(p.get("detail", "")))
    print_table(con, table)
    for p in report["properties"]:
        if p["passed"] or "counterexample" not in p:
            continue
        con.print(f"\n[bold red]{escape(p['property'])}[/] counterexample"
                  + (f" (rules involved: {escape(', '.join(p['rules']))})" if p.get("rules") else "") + ":")
        if "assignment" in p:
            con.print(escape(f"{p.get('version', '')}: " + ", ".join(f"{k} = {v}" for k, v in p["assignment"].items())),
                      soft_wrap=True)
        print_yaml(con, p["counterexample"])
    sampled = [p for p in report["properties"] if not p["decided"]]
    if not report["passed"]:
        con.print("\n[bold red]some properties fail[/]")
    elif sampled:
        con.print("\nevery decided property holds; sampled, not proved: "
                  + ", ".join(f"{p['property']} ({p['how']})" for p in sampled))
    else:
        con.print("\nall properties hold, decided")
    return buf.getvalue()


def render_treaties_text(report: dict) -> str:
    """`casus compare --treaties`: the agreement matrix, then each pair's disagreements by condition."""
    buf = io.StringIO()
    con = _console(buf)
    ids = report["treaties"]
    con.print(f"[bold]{len(ids)} provisions[/] on {report['scenarios']:,} generated scenarios "
              f"(seed {report['seed']}, versions in force on {report['date']}; the attacked state a party to each)")
    duties = [f"{p['id']} ({p['version']}): {p['duty']['strength'].replace('_', ' ')}"
              for p in report["provisions"] if p.get("duty")]
    if duties:
        con.print("duty if triggered: " + "; ".join(duties), highlight=False)
    share = {(p["a"], p["b"]): p for p in report["pairs"]}
    table = Table(title="Agreement: share of all scenarios with the same outcome (and of those where either is triggered)")
    table.add_column("")
    for pid in ids:
        table.add_column(pid, justify="right")
    for a in ids:
        row = [a]
        for b in ids:
            p = share.get((a, b)) or share.get((b, a))
            row.append("—" if p is None else f"{100 * p['agree'] / max(p['scenarios'], 1):.1f}% "
                                             f"({_either_share(p)})")
        table.add_row(*row)
    print_table(con, table)
    table = Table(title="Why they disagree (giving the first the second's reading of the condition removes it)",
                  show_lines=True)
    for col in ("a", "b", "disagree", "condition", "scenarios", "a / b outcomes", "unattributed"):
        table.add_column(col, overflow="fold")
    for p in report["pairs"]:
        conds = p["conditions"] or [{"condition": "—", "disagreements": 0, "outcomes": {}}]
        for i, c in enumerate(conds):
            table.add_row(p["a"] if i == 0 else "", p["b"] if i == 0 else "", str(p["disagree"]) if i == 0 else "",
                          c["condition"], str(c["disagreements"]),
                          "; ".join(f"{k}: {v}" for k, v in c["outcomes"].items()),
                          str(p["unattributed"]) if i == 0 else "")
    print_table(con, table)
    for name, text in report["conditions"].items():
        con.print(f"[bold]{escape(name)}[/]: {escape(' '.join(text.split()))}", highlight=False)
    return buf.getvalue()


def _either_share(pair: dict) -> str:
    """Of the scenarios where either provision is triggered, the share where both are."""
    t = pair["yes"]
    either = t["a"] + t["b"] - t["both"]
    return "none triggered" if not either else f"{100 * t['both'] / either:.0f}%"
