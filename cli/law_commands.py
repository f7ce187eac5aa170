"""Commands about the law: facts, rules, graph."""

from __future__ import annotations

import sys
from pathlib import Path
from enum import Enum
from typing import Optional

import typer

from .app import Format, _emit, _law, _parse_date, app
from .output import check_output, console, to_json


@app.command()
def facts(fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json.")) -> None:
    """The fact vocabulary: the parties and facts a case file can state.

    Also which provisions use each fact. Derived facts are computed; a case sets their
    parties instead."""
    from ..engine.logic.compiler import CompiledLaw
    law = _law()
    vocab = law.vocabulary
    used: dict[str, set[str]] = {}
    for cv in CompiledLaw(law).all_versions():
        for f in cv.facts:
            used.setdefault(f, set()).add(cv.provision.id)
    rows = []
    for name in vocab.names():
        d = vocab.definition(name)
        derived = vocab.derived.get(name)
        rows.append({"fact": name, "type": d.type,
                     "values": list(d.domain()),
                     "derived": derived is not None, "description": d.description,
                     "computed_from": derived.roles if derived else None,
                     "if_absent": derived.if_absent if derived else None,
                     "used_by": sorted(used.get(name, ()))})
    if fmt is Format.json:
        sys.stdout.write(to_json({"parties": dict(vocab.parties), "facts": rows}))
        return
    from rich.table import Table
    con = console()
    parties = Table(title="Parties a case names (state codes from rules/members.yaml)", show_lines=False)
    parties.add_column("field")
    parties.add_column("names", overflow="fold")
    for role, text in vocab.parties.items():
        parties.add_row(role, text)
    con.print(parties)
    for derived, title in ((False, "Facts a case states (leave a fact out when it is unknown)"),
                           (True, "Derived facts (computed from the parties and the membership timeline)")):
        table = Table(title=title, show_lines=True)
        for col in ("fact", "values" if not derived else "computed from", "used by", "description"):
            table.add_column(col, overflow="fold")
        for r in rows:
            if r["derived"] != derived:
                continue
            shown = (" | ".join(_text_value(v) for v in r["values"]) if not derived
                     else ", ".join(r["computed_from"]) +
                     (f" (none named: {_text_value(r['if_absent'])})" if r["if_absent"] is not None else ""))
            table.add_row(r["fact"], shown, "\n".join(r["used_by"]), r["description"])
        con.print(table)


def _text_value(v) -> str:
    return "true" if v is True else "false" if v is False else str(v)


@app.command("rules")
def rules_cmd(
    action: Optional[str] = typer.Argument(None, help="'show' to print a provision's text and rules."),
    provision: Optional[str] = typer.Argument(None, help="Provision id, e.g. cst.art4."),
    at: Optional[str] = typer.Option(None, "--at", help="Only the version in force on this date."),
    variant: Optional[str] = typer.Option(None, "--variant", "-v"),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
) -> None:
    """List provisions, their dated versions and the shipped amendment variants; `rules show ID` prints one."""
    from ..engine.law.errors import InputError, did_you_mean
    law = _law(variant)
    day = _parse_date(at)
    if action not in (None, "show"):
        raise InputError(f"unknown action '{action}'", hint="use 'casus rules' or 'casus rules show cst.art4'")
    if action == "show":
        if provision not in law.provisions:
            raise InputError(f"unknown provision '{provision}'", hint=did_you_mean(provision or "", law.provisions))
        p = law.provisions[provision]
        versions = [v for v in p.versions if day is None or v.in_force.covers(day)]
        data = p.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["versions"] = [v.model_dump(mode="json", by_alias=True, exclude_none=True) for v in versions]
        if fmt is Format.json:
            sys.stdout.write(to_json(data))
            return
        from .render import render_provision_text
        sys.stdout.write(render_provision_text(p, versions))
        return
    rows = [{"id": p.id, "title": p.title, "question": p.question,
             "versions": [{"id": v.id, "from": str(v.in_force.from_), "to": str(v.in_force.to) if v.in_force.to else None}
                          for v in p.versions if day is None or v.in_force.covers(day)]}
            for p in sorted(law.provisions.values(), key=lambda p: p.id)]
    amendments = [{"id": a.id, "title": a.title, "status": a.status, "proposer": a.proposer,
                   "date": str(a.date), "affects": a.affects} for a in sorted(law.amendments.values(), key=lambda a: a.id)]
    if fmt is Format.json:
        sys.stdout.write(to_json({"provisions": rows, "variants": amendments}))
        return
    from rich.table import Table
    table = Table(title="Provisions" + (f" in force on {day}" if day else ""))
    for col in ("id", "title", "versions in force", "question"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["title"], "\n".join(f"{v['id']}: {v['from']} .. {v['to'] or ''}" for v in r["versions"]),
                      r["question"])
    console().print(table)
    if amendments:
        vt = Table(title="Amendment variants (use --variant ID)")
        for col in ("id", "status", "title", "affects"):
            vt.add_column(col, overflow="fold")
        for a in amendments:
            vt.add_row(a["id"], a["status"], a["title"], ", ".join(a["affects"]))
        console().print(vt)


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"
    json = "json"


@app.command()
def graph(
    fmt: GraphFormat = typer.Option(GraphFormat.mermaid, "--format", "-f", help="mermaid, dot or json."),
    variant: Optional[str] = typer.Option(None, "--variant", "-v", help="The graph of a variant's rules."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
) -> None:
    """The rule dependency graph: facts -> rules -> conclusions -> provisions.

      casus graph > rules.mmd

      casus graph --format dot | dot -Tsvg > rules.svg
    """
    from ..engine.analysis.graph import build_graph, to_dot, to_mermaid
    if output is not None:
        check_output(output)
    g = build_graph(_law(variant))
    text = {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}[fmt.value](g)
    _emit(text, output)
