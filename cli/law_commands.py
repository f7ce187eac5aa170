"""Commands about the law: facts, rules, graph."""

from __future__ import annotations

import sys
from pathlib import Path
from enum import Enum
from typing import List, Optional

import typer

from .complete import complete_provision
from .common import (Format, emit, fail, law_header, open_law, parse_date, rules_option, variant_option)
from .output import check_output, console, print_table, to_json, visible


def facts(
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    variant: Optional[List[str]] = variant_option(),
    rules: Optional[Path] = rules_option(),
    all_states: bool = typer.Option(False, "--states", help="List every ISO 3166-1 state code with its name."),
) -> None:
    """The fact vocabulary: the parties and facts a case file can state.

    Also which provisions use each fact, the states a case may name (any ISO 3166-1 code;
    --states lists them), non-state parties and claimants. Derived facts are computed; a
    case sets their parties instead.

      casus facts

      casus facts --states

      casus facts --rules my-law/ --format json
    """
    from ..engine.api import facts as vocabulary
    law = open_law(variant, rules)
    data = vocabulary(law)
    rows = data["facts"]
    if fmt is Format.json:
        sys.stdout.write(to_json({"law": law.info(), **data}))
        return
    from rich.markup import escape
    from rich.table import Table
    con = console()
    con.print(escape(law_header(law).rstrip("\n")))
    if all_states:
        table = Table(title=f"{len(data['states'])} states (ISO 3166-1; * in the membership timeline)")
        for col in ("code", "name"):
            table.add_column(col, overflow="fold")
        for st in data["states"]:
            table.add_row(st["code"] + (" *" if st["timeline"] else ""), st["name"])
        print_table(con, table)
        return
    parties = Table(title="Parties a case names", show_lines=True)
    parties.add_column("field", no_wrap=True)
    parties.add_column("names", overflow="fold")
    for role, text in data["parties"].items():
        parties.add_row(role, escape(text))
    members = ", ".join(f"{s['code']} ({s['name']})" for s in data["states"] if s["timeline"])
    parties.add_row("states", escape(f"any ISO 3166-1 code ('casus facts --states' lists all {len(data['states'])}); "
                                     f"the membership timeline knows {members}"))
    parties.add_row("non_state_parties", escape(data["non_state_parties"]))
    parties.add_row("claims", escape(data["claimants"]))
    print_table(con, parties)
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
                     (f" (none named: {_text_value(r['if_absent'])})" if "if_absent" in r else ""))
            table.add_row(r["fact"], shown, "\n".join(r["used_by"]), r["description"])
        print_table(con, table)


def _text_value(v) -> str:
    return "true" if v is True else "false" if v is False else str(v)


class Language(str, Enum):
    en = "en"
    ru = "ru"


def rules_cmd(
    action: Optional[str] = typer.Argument(None, help="'show' to print a provision's text and rules."),
    provision: Optional[str] = typer.Argument(None, help="Provision id, e.g. cst.art4.", autocompletion=complete_provision),
    at: Optional[str] = typer.Option(None, "--at", help="Only the version in force on this date."),
    variant: Optional[List[str]] = variant_option(),
    rules: Optional[Path] = rules_option(),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    lang: Language = typer.Option(Language.en, "--lang", help=(
        "With 'show': the article text in English (en, what the rules quote) or in the authentic "
        "Russian (ru, where it was found). JSON carries both.")),
) -> None:
    """List provisions, their dated versions and the amendment variants; `rules show ID` prints one.

      casus rules

      casus rules show cst.art4 --at 2010-06-12

      casus rules show cst.art4 --lang ru

      casus rules --rules my-law/ --variant my-proposal.yaml
    """
    from ..engine.files.errors import InputError, did_you_mean
    handle = open_law(variant, rules)
    law = handle.law
    day = parse_date(at)
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
        sys.stdout.write(visible(render_provision_text(p, versions, lang.value)))
        return
    from ..engine.api import rules as provisions, variants
    rows = provisions(handle, day)
    amendments = variants(handle)
    if fmt is Format.json:
        sys.stdout.write(to_json({"law": handle.info(), "provisions": rows, "variants": amendments}))
        return
    from rich.table import Table
    table = Table(title=f"Provisions of the {handle.describe()}" + (f" in force on {day}" if day else ""))
    for col in ("id", "title", "versions in force", "question"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["title"], "\n".join(f"{v['id']}: {v['from']} .. {v.get('to', '')}" for v in r["versions"]),
                      r["question"])
    print_table(console(), table)
    if amendments:
        vt = Table(title="Amendment variants (use --variant ID)")
        for col in ("id", "status", "title", "affects"):
            vt.add_column(col, overflow="fold")
        for a in amendments:
            vt.add_row(a["id"], a["status"], a["title"], ", ".join(a["affects"]))
        print_table(console(), vt)


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"
    json = "json"
    svg = "svg"


def graph(
    fmt: GraphFormat = typer.Option(GraphFormat.mermaid, "--format", "-f", help="mermaid, dot, json, or svg (a drawing; needs --case)."),
    variant: Optional[List[str]] = variant_option("The graph of a variant's rules (id or file; repeat to stack)."),
    rules: Optional[Path] = rules_option(),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically); FILE.json writes JSON."),
    case: Optional[str] = typer.Option(None, "--case", "-c",
                                       help="Only the provisions this case uses, with the rules that fired for it highlighted."),
) -> None:
    """The rule dependency graph: facts -> rules -> conclusions -> provisions.

      casus graph > rules.mmd

      casus graph --format dot | dot -Tsvg > rules.svg

      casus graph --rules my-law/ --variant my-proposal.yaml -o graph.json

      casus graph --case armenia-2022 --format svg -o armenia-rules.svg
    """
    from ..engine.analysis.graph import build_graph, fired_rules, to_dot, to_mermaid
    if output is not None:
        check_output(output)
    law = open_law(variant, rules)
    if output is not None and output.suffix.lower() == ".json":
        fmt = GraphFormat.json
    if case is None:
        if fmt is GraphFormat.svg:
            fail("--format svg draws one case's graph: add --case ID")
        g = build_graph(law.law)
    else:
        from ..engine.api import load_case
        loaded = load_case(case, law)
        result = law.evaluator.evaluate(loaded)
        g = build_graph(law.law, [p.provision.id for p in result.provisions], fired_rules(result), result.date)
    if fmt is GraphFormat.json:
        text = to_json({"law": law.info(), **g})
    elif fmt is GraphFormat.svg:
        from .charts import rule_graph_svg
        text = rule_graph_svg(g, loaded.id) + "\n"
    else:
        text = {"mermaid": to_mermaid, "dot": to_dot}[fmt.value](g)
    emit(text, output)


def schema(
    name: str = typer.Argument(..., metavar="case|provision|amendment|facts|members|result",
                               help="Which schema: a kind of file, or 'result' (the JSON of `casus evaluate`)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
) -> None:
    """Print a JSON Schema: for editors (case, provision, amendment files) or for scripts (result).

    Point your editor at it with a first line in the YAML file (the shipped files have one):

      # yaml-language-server: $schema=case.schema.json

    Examples:

      casus schema case -o case.schema.json

      casus schema result
    """
    from ..engine.api import schema as published
    if output is not None:
        check_output(output)
    emit(to_json(published(name)), output)
