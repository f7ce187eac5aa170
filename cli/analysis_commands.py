"""Commands that analyse the law: compare, check, report."""

from __future__ import annotations

import sys
from pathlib import Path
from enum import Enum
from typing import List, Optional

import typer

from .complete import complete_case, complete_variant
from .common import (Format, cases_option, emit, law_header, open_law, rules_option, variant_option)
from .output import check_output, console, counted, ensure_directory, to_json, write_atomic
from .progress_bars import progress_bars


class CompareFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


def compare(
    variant: Optional[str] = typer.Argument(None, metavar="[VARIANT]",
                                            help="Variant id (see `casus rules`) or variant file; stack ids with a+b "
                                                 "(not needed with --treaties).",
                                            autocompletion=complete_variant),
    against: str = typer.Option("base", "--against", metavar="BASE|ID|FILE",
                                help="What to compare with: 'base' (the law as it is), another variant id or a variant file."),
    rules: Optional[Path] = rules_option(),
    cases_dir: Optional[Path] = cases_option("Compare the cases in this directory instead of the shipped ones."),
    generated: int = typer.Option(0, "--generated", "-n", min=0, help="Also compare N generated scenarios."),
    seed: int = typer.Option(0, "--seed", help="Seed for the generated scenarios (same seed, same scenarios)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for large sweeps (default: all cores)."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Evaluate every generated scenario in the engine instead of reusing the verdict "
                                       "of one with the same relevant facts (same results, slower; for measuring)."),
    save_examples: Optional[Path] = typer.Option(None, "--save-examples", help="Write each smallest example as a case file into this directory."),
    fmt: CompareFormat = typer.Option(CompareFormat.text, "--format", "-f", help="text, json, or csv (one row per case and provision that flips)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically); FILE.json writes JSON, FILE.csv CSV."),
    treaties: Optional[str] = typer.Option(None, "--treaties", metavar="ID,ID,...",
                                           help="Compare provisions of several treaties (e.g. cst.art4,nato.art5,eu.art42.7) "
                                                "on the same generated scenarios (default 2,000), pair by pair."),
    at: Optional[str] = typer.Option(None, "--at", metavar="DATE",
                                     help="With --treaties: the date whose versions are compared (default: the first day "
                                          "on which every provision's latest version is in force)."),
) -> None:
    """Which cases and generated scenarios flip under a variant, and which rules did it;
    with --treaties, how often provisions of different treaties agree, and why they differ.

    Examples:

      casus compare pk-2023-no-unsc

      casus compare art4-internal-crises --generated 10000 --format json

      casus compare majority-voting --against pk-2023-no-unsc

      casus compare my-proposal.yaml --rules my-law/ --cases my-cases/ --format csv

      casus compare --treaties cst.art4,nato.art5,eu.art42.7,rio.art3,anzus.art4 --generated 10000
    """
    if treaties is not None:
        _compare_treaties(treaties, generated or 2000, seed, at, rules, fmt, output)
        return
    if variant is None:
        from ..engine.files.errors import InputError
        raise InputError("compare needs a VARIANT (or --treaties ID,ID,...)",
                         hint="e.g. casus compare pk-2023-no-unsc, or casus compare --treaties cst.art4,nato.art5")
    if save_examples is not None:
        ensure_directory(save_examples)     # refused before the sweep, not after
    if output is not None:
        check_output(output)
    from ..engine.api import compare as run_compare
    law = open_law(None, rules)
    with progress_bars():
        report = run_compare(variant, against=against, cases=cases_dir, generated=generated, seed=seed,
                             law=law, jobs=jobs, memo=not no_cache)
    if save_examples is not None:
        _save_examples(report.data, save_examples)
    from .render import render_compare_text
    _emit_compare(report, fmt, output, compare_csv, render_compare_text)


def _emit_compare(report, fmt: "CompareFormat", output: Optional[Path], as_csv, as_text) -> None:
    """A compare report as JSON, CSV or text, by --format or the output file's suffix."""
    suffix = output.suffix.lower() if output is not None else ""
    if fmt is CompareFormat.json or suffix == ".json":
        emit(report.to_json_text(), output)
    elif fmt is CompareFormat.csv or suffix == ".csv":
        emit(as_csv(report.data), output)
    else:
        emit(law_header(report.law) + as_text(report.data), output)


def _compare_treaties(treaties: str, generated: int, seed: int, at: Optional[str], rules: Optional[Path],
                      fmt: "CompareFormat", output: Optional[Path]) -> None:
    if output is not None:
        check_output(output)
    from ..engine.api import compare_treaties as run
    law = open_law(None, rules)
    with progress_bars():
        report = run(treaties, generated=generated, seed=seed, at=at, law=law)
    from .render import render_treaties_text
    _emit_compare(report, fmt, output, treaties_csv, render_treaties_text)


def treaties_csv(report: dict) -> str:
    """One row per pair and attributed condition, for spreadsheets."""
    import csv
    import io
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["a", "b", "scenarios", "agree", "disagree", "condition", "disagreements", "unattributed"])
    for p in report["pairs"]:
        for c in p["conditions"] or [{"condition": "", "disagreements": 0}]:
            writer.writerow([p["a"], p["b"], p["scenarios"], p["agree"], p["disagree"], c["condition"],
                             c["disagreements"], p["unattributed"]])
    return buf.getvalue()


def compare_csv(report: dict) -> str:
    """One row per (case, provision) whose outcome flips, for spreadsheets."""
    import csv
    import io
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["case", "provision", "against", "variant", "before", "after", "rules"])
    for flip in report["cases"]["flips"]:
        writer.writerow([flip.get("case", ""), flip.get("provision", ""), report["against"], report["variant"],
                         flip.get("before", ""), flip.get("after", ""),
                         " ".join(r["rule"] for r in flip.get("responsible", []))])
    return buf.getvalue()


def _save_examples(report: dict, directory: Path) -> None:
    import yaml
    ensure_directory(directory)
    for ex in report.get("generated", {}).get("examples", []):
        case = ex["case"]
        write_atomic(directory / f"{case['id']}.yaml", yaml.safe_dump(case, sort_keys=False, allow_unicode=True))


def check(
    variant: Optional[List[str]] = variant_option("Check a variant (id or file; repeat to stack): adds the locality property."),
    examples: int = typer.Option(200, "--examples", "-n", min=1, help="Hypothesis examples for determinism (and "
                                 "differential samples per version beyond --bound)."),
    exhaustive: bool = typer.Option(False, "--exhaustive", help="Enumerate every fact space, whatever its size "
                                    "(no SMT; the differential is then decided everywhere)."),
    smt: bool = typer.Option(False, "--smt", help="Decide with z3 even where a fact space is small enough to enumerate."),
    bound: int = typer.Option(100_000, "--bound", min=1, help="Largest fact space enumerated; larger ones are decided by z3."),
    seed: int = typer.Option(0, "--seed", help="Seed for the sampled properties (same seed, same examples)."),
    rules: Optional[Path] = rules_option(),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically); FILE.json writes JSON."),
    junit: Optional[Path] = typer.Option(None, "--junit", metavar="FILE",
                                         help="Also write the properties as JUnit XML (one test case each), for CI."),
) -> None:
    """Decide the rules' properties over every fact space: gaps, conflicts, and more.

    Totality (no gaps: every complete assignment of a provision version's facts is
    decided), consistency (no conclusion derived both ways), monotonicity, durable_rules
    against the reference evaluator, coverage (dead rules, unreached outcomes) and, for a
    variant, locality are decided: by enumeration where a version's fact space has at most
    --bound assignments, by the z3 SMT solver beyond. Determinism is sampled. Each row
    says how it was decided ("exhaustive 25,920", "proved (SMT)", "sampled 200").

    Exit 0 when every property holds, 1 when one fails (with a counterexample as a
    ready-to-save case file), 2 on bad input.

      casus check

      casus check --variant art4-internal-crises

      casus check --smt --format json

      casus check --rules my-law/ --variant my-proposal.yaml

      casus check --junit check.xml
    """
    from ..engine.api import check as run_check
    if junit is not None:
        check_output(junit)             # refused before the work, not after
    law = open_law(variant, rules)
    with progress_bars():
        report = run_check(law=law, examples=examples, seed=seed, exhaustive=exhaustive, smt=smt, bound=bound)
    if fmt is Format.json or (output is not None and output.suffix.lower() == ".json"):
        emit(report.to_json_text(), output)
    else:
        from .render import render_check_text
        data = dict(report.data, law=law.spec)      # the text renderer names the variant
        emit(law_header(law) + render_check_text(data), output)
    if junit is not None:
        from .junit import check_junit_xml
        write_atomic(junit, check_junit_xml(report.to_json(), law.describe()))
    if not report.passed:
        raise typer.Exit(1)


def report(
    cases: List[str] = typer.Argument(None, help="Case ids or files (default: every shipped case).",
                                      autocompletion=complete_case),
    output: Path = typer.Option(..., "--output", "-o", help="FILE.html, FILE.md or FILE.json (written atomically)."),
    variant: Optional[List[str]] = variant_option("Show before/after columns for this variant (id or file; repeat to stack)."),
    rules: Optional[Path] = rules_option(),
    cases_dir: Optional[Path] = cases_option("Report the cases of this directory (ids refer to it too)."),
    generated: int = typer.Option(0, "--generated", "-n", min=0,
                                  help="With --variant: also chart the flips in N generated scenarios."),
    seed: int = typer.Option(0, "--seed", help="Seed for --generated (same seed, same scenarios)."),
    treaties: Optional[str] = typer.Option(None, "--treaties", metavar="ID,ID,...",
                                           help="Also compare these provisions of several treaties on --generated "
                                                "scenarios (default 2,000): an agreement matrix and why they differ."),
) -> None:
    """Write a self-contained HTML or Markdown report of cases, with reasons and sources.

    A summary table (case x provision), explanation trees, record-vs-law divergences, and
    every source as a bibliography.

      casus report -o corpus.html

      casus report kazakhstan-2022 armenia-2022 -o two-cases.md

      casus report --variant art4-internal-crises -o variant.html

      casus report --rules my-law/ --cases my-cases/ --variant my-proposal.yaml -o mine.html

      casus report --variant pk-2023-no-unsc --generated 10000 -o flips.html

      casus report --treaties cst.art4,nato.art5,eu.art42.7,rio.art3,anzus.art4 -o treaties.html
    """
    from ..engine.api import case_paths, load_cases
    from ..engine.files.errors import InputError
    from ..engine.analysis.report_data import build_report
    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".json"):
        raise InputError(f"cannot tell the format from '{output.name}'", hint="name the output FILE.html, FILE.md or FILE.json")
    check_output(output)
    law = open_law(variant, rules)
    refs = list(cases) if cases else [str(p) for p in case_paths(cases_dir)]
    loaded = load_cases(refs, law, cases=cases_dir)
    if generated and not law.variants and not treaties:
        raise InputError("--generated needs --variant (it counts the scenarios the variant flips) or --treaties")
    ids = [t.strip() for t in treaties.split(",") if t.strip()] if treaties else None
    data = build_report(law.base, loaded, law.spec if law.variants else None, generated=generated, seed=seed,
                        treaties=ids)
    data["law"] = law.info()
    if suffix == ".json":
        text = to_json(data)
    else:
        from .report import render_html, render_markdown
        text = render_html(data) if suffix in (".html", ".htm") else render_markdown(data)
    write_atomic(output, text)
    console(stderr=True).print(f"wrote {output} ({counted(len(loaded), 'case')})")
