"""Commands about cases: evaluate, test, cases, validate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .app import Format, _fail, _emit, _law, _parse_date, app
from .output import check_output, console, styled, to_json


@app.command()
def evaluate(
    cases: List[str] = typer.Argument(None, help="Shipped case ids (see `casus cases`) or paths to case files."),
    all_cases: bool = typer.Option(False, "--all", help="Evaluate every shipped case."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (tables) or json (for scripts)."),
    at: Optional[str] = typer.Option(None, "--at", help="Apply the law of this date (YYYY-MM-DD) instead of the case date."),
    variant: Optional[str] = typer.Option(None, "--variant", "-v", help="Amendment variant id (see `casus rules`); stack with a+b."),
    perspective: Optional[str] = typer.Option(None, "--perspective", "-p", help="Evaluate one party's version of the contested facts."),
    explain: bool = typer.Option(False, "--explain", "-e", help="Show why: rule <- article text <- facts <- sources."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Use another rules directory (default: the shipped law)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
    timeline: bool = typer.Option(False, "--timeline", "-t",
                                  help="Evaluate every dated event: when each outcome changed, when each duty arose, "
                                       "each response's delay in days."),
    immediately: Optional[int] = typer.Option(None, "--immediately", metavar="DAYS",
                                              help="With --timeline: flag responses later than DAYS after the duty "
                                                   "arose (the Treaty does not define 'immediately'; no default)."),
) -> None:
    """Evaluate case files: outcome per provision, with reasons.

    Examples:

      casus evaluate kazakhstan-2022

      casus evaluate armenia-2022 --perspective AM --explain

      casus evaluate kyrgyzstan-2010 --variant art4-internal-crises --format json

      casus evaluate --all --format json

      casus evaluate armenia-2022 --timeline --immediately 3
    """
    from ..engine.evaluate import Evaluator
    from ..engine.law.loader import find_case, load_cases, shipped_cases
    from ..engine.explain.trace import case_dict
    if not cases and not all_cases:
        _fail("name at least one case (e.g. 'casus evaluate kazakhstan-2022') or pass --all")
    if output is not None:
        check_output(output)            # refused before the work, not after
    law = _law(variant, rules)
    paths = shipped_cases() if all_cases else [find_case(c) for c in cases]
    day = _parse_date(at)
    evaluator = Evaluator(law)
    loaded = load_cases(paths, law)
    if immediately is not None and not timeline:
        _fail("--immediately needs --timeline (it measures delays between dated events and responses)")
    if timeline:
        _evaluate_timeline(evaluator, loaded, day, perspective, immediately, explain, variant, rules, fmt,
                           output, all_cases)
        return
    if perspective is not None and len(loaded) > 1:
        # Over several cases, --perspective applies where that party makes claims; the
        # others are evaluated as usual. A party no case knows is still a mistake.
        from ..engine.evaluate import claimants
        having = {c.id for c in loaded if perspective in claimants(c)}
        if not having:
            from ..engine.law.errors import InputError
            raise InputError(f"no case makes claims as '{perspective}'",
                             hint="perspectives are the parties named under 'claims' in a case's facts")
        results = [evaluator.evaluate(c, at=day, perspective=perspective if c.id in having else None)
                   for c in loaded]
    else:
        results = [evaluator.evaluate(c, at=day, perspective=perspective) for c in loaded]
    explanations = None
    if explain:
        from ..engine.explain.tree import changed_rules, explain_case
        changed = changed_rules(_law(None, rules), law) if variant else set()
        explanations = [explain_case(r, law, changed) for r in results]
    if fmt is Format.json:
        data = [case_dict(r) for r in results]
        for item, exp in zip(data, explanations or []):
            for pd, pe in zip(item["provisions"], exp):
                pd["explanation"] = pe
        _emit(to_json(data if len(data) != 1 or all_cases else data[0]), output)
        return
    from ..cli.render import render_case_text
    _emit("".join(render_case_text(r, explanations[i] if explanations else None)
                  for i, r in enumerate(results)), output)


def _evaluate_timeline(evaluator, loaded, day, perspective, immediately, explain, variant, rules, fmt,
                       output, all_cases) -> None:
    from ..engine.analysis.timeline import evaluate_timeline
    if day is not None:
        _fail("--at does not combine with --timeline (each event is judged by the law of its own date)")
    timelines = [evaluate_timeline(evaluator, c, perspective=perspective, immediately=immediately) for c in loaded]
    if explain:
        from ..engine.explain.tree import changed_rules, explain_case
        changed = changed_rules(_law(None, rules), evaluator.law) if variant else set()
        for t in timelines:
            trees: dict[int, list[dict]] = {}
            for j, prov in enumerate(t.data["provisions"]):
                for change in prov["changes"]:
                    k = change["step"]
                    if k not in trees:
                        trees[k] = explain_case(t.results[k], evaluator.law, changed)
                    change["explanation"] = trees[k][j]
    data = [t.data for t in timelines]
    if fmt is Format.json:
        _emit(to_json(data if len(data) != 1 or all_cases else data[0]), output)
        return
    from .timeline_text import render_timeline_text
    _emit("".join(render_timeline_text(d) for d in data), output)


@app.command("test")
def test_cmd(
    cases: List[str] = typer.Argument(None, help="Case ids or files (default: every shipped case)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    variant: Optional[str] = typer.Option(None, "--variant", "-v",
                                          help="Only the readings the cases give for this variant (`expected_variants`)."),
) -> None:
    """Check cases against their `expected` blocks (outcome, perspectives, divergence).

    Checks the base reading (`expected`) and the readings under variants
    (`expected_variants`). Exit 0 when every expectation holds, 1 when one does not,
    2 on bad input.

      casus test

      casus test my-case.yaml

      casus test --variant art4-internal-crises
    """
    from ..engine.law.amendments import with_variants
    from ..engine.analysis.expectations import run_expectations
    from ..engine.law.loader import find_case, load_cases, shipped_cases
    law = _law()
    if variant:
        with_variants(law, variant)          # an unknown variant is bad input, not "no checks"
    loaded = load_cases(shipped_cases() if not cases else [find_case(c) for c in cases], law)
    checks = run_expectations(law, loaded, variant)
    failed = [c for c in checks if not c.passed]
    if fmt is Format.json:
        sys.stdout.write(to_json({"passed": len(checks) - len(failed), "failed": len(failed),
                                  "checks": [c.as_dict() for c in checks]}))
    else:
        from rich.markup import escape
        con = console()
        for c in checks:
            mark = "[green]PASS[/]" if c.passed else "[bold red]FAIL[/]"
            under = f" [dim](variant {escape(c.variant)})[/]" if c.variant else ""
            con.print(f"{mark} {escape(c.case)} {escape(c.provision)}{under}: {escape(c.got.get('outcome', '-'))}"
                      + ("" if c.passed else " [red]" + escape("; ".join(c.problems)) + "[/]"))
        con.print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
        if not checks:
            con.print("[yellow]no expectations found: add an 'expected' block to the case[/]")
    if failed or not checks:
        raise typer.Exit(1)


@app.command("cases")
def cases_cmd(
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    variant: Optional[str] = typer.Option(None, "--variant", "-v", help="Outcomes under an amendment variant."),
) -> None:
    """List the shipped cases with their dates and outcomes."""
    from ..engine.evaluate import Evaluator
    from ..engine.law.loader import load_case, shipped_cases
    law = _law(variant)
    evaluator = Evaluator(law)
    rows = []
    for path in shipped_cases():
        case = load_case(path, law)
        result = evaluator.evaluate(case)
        rows.append({"id": case.id, "title": case.title, "date": case.date.isoformat(),
                     "file": path.name,
                     "outcomes": {p.provision.id: p.outcome for p in result.provisions}})
    if fmt is Format.json:
        sys.stdout.write(to_json(rows))
        return
    from rich.table import Table
    table = Table(title=f"{len(rows)} shipped cases", show_lines=False)
    for col in ("case", "date", "title", "outcomes"):
        table.add_column(col)
    for row in rows:
        table.add_row(row["id"], row["date"], row["title"],
                      "\n".join(f"{k}: {styled(v)}" for k, v in row["outcomes"].items()))
    console().print(table)


@app.command()
def validate(
    files: List[Path] = typer.Argument(..., help="Case, amendment or provision files."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Validate against another rules directory."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Check files against the schema, the fact vocabulary, the timeline and the law.

    A case file is checked as a case; a file with `changes:` as an amendment (applied to
    the law); a file with `versions:` as a provision. Exit 2 on the first bad file."""
    from ..engine.law.loader import load_law
    from ..engine.law.validate import validate_file
    law = load_law(rules)
    ok = [{"file": str(f), **validate_file(f, law), "valid": True} for f in files]
    if fmt is Format.json:
        sys.stdout.write(to_json(ok))
    else:
        for item in ok:
            console().print(f"[green]ok[/] {item['file']} ({item['kind']} {item['id']})")
