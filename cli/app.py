"""casus: does this treaty article apply here?

Heavy modules (pydantic models, durable_rules) are imported inside commands so
that `casus --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .output import console, styled, to_json, write_atomic

app = typer.Typer(
    name="casus",
    help=(
        "Does this treaty article apply here? A rule engine for the Collective Security Treaty "
        "(CSTO) on durable_rules.\n\n"
        "Law is YAML (one file per provision, with dated versions), cases are YAML (sourced facts, "
        "contested facts as competing claims). Each provision answers a yes/no question: "
        "triggered, not_triggered, undetermined (with the facts that would decide it), contested "
        "(the parties' facts lead to different answers) or not_applicable.\n\n"
        "Start with:  casus cases   then   casus evaluate kazakhstan-2022 --explain"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

_state = {"debug": False}


class Format(str, Enum):
    text = "text"
    json = "json"


def _fail(message: str) -> None:
    from rich.markup import escape
    console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(2)


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors.")) -> None:
    _state["debug"] = debug


def _law(variant: str | None = None, rules: Path | None = None):
    from ..engine.amendments import with_variants
    from ..engine.loader import load_law
    law = load_law(rules)
    return with_variants(law, variant) if variant else law


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from ..engine.errors import InputError
        raise InputError(f"--at: '{text}' is not a date (expected YYYY-MM-DD)") from None


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


# ------------------------------------------------------------------ evaluate

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
) -> None:
    """Evaluate case files: outcome per provision, with reasons.

    Examples:

      casus evaluate kazakhstan-2022

      casus evaluate armenia-2022 --perspective AM --explain

      casus evaluate kyrgyzstan-2010 --variant art4-internal-crises --format json

      casus evaluate --all --format json
    """
    from ..engine.evaluator import Evaluator
    from ..engine.loader import find_case, load_cases, shipped_cases
    from ..engine.trace import case_dict
    if not cases and not all_cases:
        _fail("name at least one case (e.g. 'casus evaluate kazakhstan-2022') or pass --all")
    law = _law(variant, rules)
    paths = shipped_cases() if all_cases else [find_case(c) for c in cases]
    day = _parse_date(at)
    evaluator = Evaluator(law)
    loaded = load_cases(paths, law)
    if perspective is not None and len(loaded) > 1:
        # Over several cases, --perspective applies where that party makes claims; the
        # others are evaluated as usual. A party no case knows is still a mistake.
        from ..engine.evaluator import claimants
        having = {c.id for c in loaded if perspective in claimants(c)}
        if not having:
            from ..engine.errors import InputError
            raise InputError(f"no case makes claims as '{perspective}'",
                             hint="perspectives are the parties named under 'claims' in a case's facts")
        results = [evaluator.evaluate(c, at=day, perspective=perspective if c.id in having else None)
                   for c in loaded]
    else:
        results = [evaluator.evaluate(c, at=day, perspective=perspective) for c in loaded]
    explanations = None
    if explain:
        from ..engine.explain import changed_rules, explain_case
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


# ------------------------------------------------------------------ cases, facts, validate, rules

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
    from ..engine.amendments import with_variants
    from ..engine.expectations import run_expectations
    from ..engine.loader import find_case, load_cases, shipped_cases
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


@app.command()
def compare(
    variant: str = typer.Argument(..., help="Variant id (see `casus rules`); stack with a+b."),
    against: str = typer.Option("base", "--against", help="What to compare with: 'base' (the law as it is) or another variant."),
    cases_dir: Optional[Path] = typer.Option(None, "--cases", help="Compare the cases in this directory instead of the shipped ones."),
    generated: int = typer.Option(0, "--generated", "-n", min=0, help="Also compare N generated scenarios."),
    seed: int = typer.Option(0, "--seed", help="Seed for the generated scenarios (same seed, same scenarios)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for large sweeps (default: all cores)."),
    save_examples: Optional[Path] = typer.Option(None, "--save-examples", help="Write each smallest example as a case file into this directory."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Which cases and generated scenarios flip under a variant, and which rules did it.

    Examples:

      casus compare pk-2023-no-unsc

      casus compare art4-internal-crises --generated 10000 --format json

      casus compare majority-voting --against pk-2023-no-unsc
    """
    from ..engine.compare import compare as run_compare
    from ..engine.errors import InputError
    from ..engine.loader import load_cases
    law = _law()
    if cases_dir is not None:
        if not cases_dir.is_dir():
            raise InputError("not a directory", file=str(cases_dir), hint="--cases takes a directory of case files")
        paths = sorted(cases_dir.glob("*.yaml")) + sorted(cases_dir.glob("*.yml"))
    else:
        from ..engine.loader import shipped_cases
        paths = shipped_cases()
    cases = load_cases(paths, law)
    report = run_compare(law, variant, against, cases, generated=generated, seed=seed, jobs=jobs)
    if save_examples is not None:
        _save_examples(report, save_examples)
    if fmt is Format.json:
        sys.stdout.write(to_json(report))
        return
    from .render import render_compare_text
    sys.stdout.write(render_compare_text(report))


def _save_examples(report: dict, directory: Path) -> None:
    import yaml
    directory.mkdir(parents=True, exist_ok=True)
    for ex in report.get("generated", {}).get("examples", []):
        case = ex["case"]
        write_atomic(directory / f"{case['id']}.yaml", yaml.safe_dump(case, sort_keys=False, allow_unicode=True))


@app.command()
def check(
    variant: Optional[str] = typer.Option(None, "--variant", "-v", help="Check a variant (adds the locality property)."),
    examples: int = typer.Option(200, "--examples", "-n", min=1, help="Hypothesis examples per property."),
    exhaustive: bool = typer.Option(False, "--exhaustive", help="Also enumerate every provision version's fact space up to --bound."),
    bound: int = typer.Option(100_000, "--bound", min=1, help="Largest fact space --exhaustive enumerates."),
    seed: int = typer.Option(0, "--seed", help="Hypothesis seed (same seed, same examples)."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Check another rules directory (default: the shipped law)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Property-test the rules (consistency, determinism, monotonicity, differential, coverage).

    Consistency, determinism, monotonicity, durable_rules against the reference evaluator,
    coverage (dead rules, unreached outcomes) and, for a variant, locality.

    Exit 0 when every property holds, 1 when one fails (with a counterexample as a
    ready-to-save case file), 2 on bad input.

      casus check

      casus check --exhaustive --format json

      casus check --variant pk-2023-no-unsc --examples 1000
    """
    from ..engine.checks import Checker
    from ..engine.loader import load_law, shipped_cases
    law = load_law(rules)
    report = Checker(law, variant, examples=examples, seed=seed, exhaustive=exhaustive, bound=bound,
                     cases=shipped_cases() if rules is None else []).run()
    if fmt is Format.json:
        sys.stdout.write(to_json(report))
    else:
        from .render import render_check_text
        sys.stdout.write(render_check_text(report))
    if not report["passed"]:
        raise typer.Exit(1)


# ------------------------------------------------------------------ cases, facts, validate, rules


@app.command()
def report(
    cases: List[str] = typer.Argument(None, help="Case ids or files (default: every shipped case)."),
    output: Path = typer.Option(..., "--output", "-o", help="FILE.html, FILE.md or FILE.json (written atomically)."),
    variant: Optional[str] = typer.Option(None, "--variant", "-v", help="Show before/after columns for this variant."),
) -> None:
    """Write a self-contained HTML or Markdown report of cases, with reasons and sources.

    A summary table (case x provision), explanation trees, record-vs-law divergences, and
    every source as a bibliography.

      casus report -o corpus.html

      casus report kazakhstan-2022 armenia-2022 -o two-cases.md

      casus report --variant art4-internal-crises -o variant.html
    """
    from ..engine.errors import InputError
    from ..engine.loader import find_case, load_cases, shipped_cases
    from ..engine.report import build_report
    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".json"):
        raise InputError(f"cannot tell the format from '{output.name}'", hint="name the output FILE.html, FILE.md or FILE.json")
    if output.parent and not output.parent.exists():
        raise InputError("directory does not exist", file=str(output.parent))
    law = _law()
    paths = [find_case(c) for c in cases] if cases else shipped_cases()
    loaded = load_cases(paths, law)
    data = build_report(law, loaded, variant)
    if suffix == ".json":
        text = to_json(data)
    else:
        from .report import render_html, render_markdown
        text = render_html(data) if suffix in (".html", ".htm") else render_markdown(data)
    write_atomic(output, text)
    console(stderr=True).print(f"wrote {output} ({len(loaded)} cases)")


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
    from ..engine.graph import build_graph, to_dot, to_mermaid
    g = build_graph(_law(variant))
    text = {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}[fmt.value](g)
    _emit(text, output)


@app.command("cases")
def cases_cmd(
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    variant: Optional[str] = typer.Option(None, "--variant", "-v", help="Outcomes under an amendment variant."),
) -> None:
    """List the shipped cases with their dates and outcomes."""
    from ..engine.evaluator import Evaluator
    from ..engine.loader import load_case, shipped_cases
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
def facts(fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json.")) -> None:
    """The fact vocabulary: the parties and facts a case file can state.

    Also which provisions use each fact. Derived facts are computed; a case sets their
    parties instead."""
    from ..engine.compiler import CompiledLaw
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


@app.command()
def validate(
    files: List[Path] = typer.Argument(..., help="Case, amendment or provision files."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Validate against another rules directory."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Check files against the schema, the fact vocabulary, the timeline and the law.

    A case file is checked as a case; a file with `changes:` as an amendment (applied to
    the law); a file with `versions:` as a provision. Exit 2 on the first bad file."""
    from ..engine.loader import load_law, validate_file
    law = load_law(rules)
    ok = [{"file": str(f), **validate_file(f, law), "valid": True} for f in files]
    if fmt is Format.json:
        sys.stdout.write(to_json(ok))
    else:
        for item in ok:
            console().print(f"[green]ok[/] {item['file']} ({item['kind']} {item['id']})")


@app.command("rules")
def rules_cmd(
    action: Optional[str] = typer.Argument(None, help="'show' to print a provision's text and rules."),
    provision: Optional[str] = typer.Argument(None, help="Provision id, e.g. cst.art4."),
    at: Optional[str] = typer.Option(None, "--at", help="Only the version in force on this date."),
    variant: Optional[str] = typer.Option(None, "--variant", "-v"),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
) -> None:
    """List provisions, their dated versions and the shipped amendment variants; `rules show ID` prints one."""
    from ..engine.errors import InputError, did_you_mean
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


def _one_line(message: str) -> None:
    from rich.markup import escape
    console(stderr=True).print(f"[bold red]error:[/] {escape(' '.join(message.split()))}", soft_wrap=True)


def main() -> None:
    """Console entry point: bad input is one line on stderr and exit code 2; an
    internal error is one line and exit code 70 (with --debug: the traceback)."""
    try:                                    # typer < 0.25 uses click; later ones vendor it
        from click import exceptions as cx
    except ImportError:  # pragma: no cover - depends on the installed typer
        from typer._click import exceptions as cx
    from ..engine.errors import InputError
    debug = "--debug" in sys.argv[1:]
    try:
        code = app(standalone_mode=False, prog_name="casus")   # returns typer.Exit's code
    except InputError as exc:
        if debug:
            raise
        _one_line(str(exc))
        sys.exit(2)
    except cx.NoArgsIsHelpError as exc:
        # `casus` alone: show the help, not an error.
        sys.stdout.write(exc.ctx.get_help() + "\n")
        sys.exit(0)
    except cx.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "casus"
        _one_line(f"{exc.format_message().replace('Value error, ', '')} (hint: {command} --help)")
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)       # `casus ... | head`: the reader left early
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if debug:
            raise
        _one_line(f"internal error: {type(exc).__name__}: {exc} (this is a bug in casus; "
                  "rerun with --debug for the traceback)")
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
