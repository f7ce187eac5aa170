"""Commands that analyse the law: compare, check, report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .app import Format, _law, app
from .output import check_output, console, ensure_directory, to_json, write_atomic


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
    from ..engine.analysis.compare import compare as run_compare
    from ..engine.law.errors import InputError
    from ..engine.law.loader import load_cases
    if save_examples is not None:
        ensure_directory(save_examples)     # refused before the sweep, not after
    law = _law()
    if cases_dir is not None:
        if not cases_dir.is_dir():
            raise InputError("not a directory", file=str(cases_dir), hint="--cases takes a directory of case files")
        paths = sorted(cases_dir.glob("*.yaml")) + sorted(cases_dir.glob("*.yml"))
    else:
        from ..engine.law.loader import shipped_cases
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
    ensure_directory(directory)
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
    from ..engine.analysis.checks import Checker
    from ..engine.law.loader import load_law, shipped_cases
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
    from ..engine.law.errors import InputError
    from ..engine.law.loader import find_case, load_cases, shipped_cases
    from ..engine.explain.report import build_report
    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".json"):
        raise InputError(f"cannot tell the format from '{output.name}'", hint="name the output FILE.html, FILE.md or FILE.json")
    check_output(output)
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
