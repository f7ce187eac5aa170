"""Commands about cases: evaluate, test, cases, validate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from .complete import complete_case, complete_provision
from .common import (Format, cases_option, emit, fail, law_header, open_law, parse_date,
                     rules_option, variant_option)
from .output import check_output, console, print_table, styled, to_json, visible, write_atomic
from ..engine.files.errors import InputError
from .progress_bars import progress_bars

# What a batch's output spool keeps in memory before it moves to a temporary file (about
# that many bytes of UTF-8, copied whole when it moves): 16 MB of it was a large part of a
# 10,000-file batch's peak RSS, and a file written 1 MB at a time costs nothing measurable.
SPOOL_CHARS = 1 << 20


def evaluate(
    cases: List[str] = typer.Argument(None, help="Case ids (see `casus cases`) or paths to case files.",
                                      autocompletion=complete_case),
    all_cases: bool = typer.Option(False, "--all", help="Evaluate every case (of --cases DIR, or the shipped ones)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (tables) or json (for scripts)."),
    at: Optional[str] = typer.Option(None, "--at", help="Apply the law of this date (YYYY-MM-DD) instead of the case date."),
    variant: Optional[List[str]] = variant_option(),
    perspective: Optional[str] = typer.Option(None, "--perspective", "-p", help="Evaluate one party's version of the contested facts."),
    explain: bool = typer.Option(False, "--explain", "-e", help="Show why: rule <- article text <- facts <- sources."),
    rules: Optional[Path] = rules_option(),
    cases_dir: Optional[Path] = cases_option("Case ids and --all refer to this directory of case files."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout; FILE.json writes JSON."),
    timeline: bool = typer.Option(False, "--timeline", "-t",
                                  help="Evaluate every dated event: when each outcome changed, when each duty arose, "
                                       "each response's delay in days."),
    immediately: Optional[int] = typer.Option(None, "--immediately", metavar="DAYS",
                                              help="With --timeline: flag responses later than DAYS after the duty "
                                                   "arose (the Treaty does not define 'immediately'; no default)."),
    picture: Optional[Path] = typer.Option(None, "--picture", metavar="FILE.svg|FILE.png",
                                           help="With --timeline and one case: also draw its timeline into this "
                                                "file (SVG, or PNG by matplotlib's own renderer)."),
) -> None:
    """Evaluate case files: outcome per provision, with reasons.

    Examples:

      casus evaluate kazakhstan-2022

      casus evaluate armenia-2022 --perspective AM --explain

      casus evaluate kyrgyzstan-2010 --variant art4-internal-crises --format json

      casus evaluate my-case.yaml --rules my-law/ --variant my-proposal.yaml

      casus evaluate --all -o results.json

      casus evaluate armenia-2022 --timeline --immediately 3

      casus evaluate armenia-2022 --timeline --picture armenia-2022.png
    """
    json_out = fmt is Format.json and output is None
    try:
        _evaluate(cases, all_cases, fmt, at, variant, perspective, explain, rules, cases_dir, output, timeline,
                  immediately, picture)
    except InputError as exc:
        if json_out:
            # Scripts read stdout: the errors are in the JSON document too (and on stderr, exit 2).
            sys.stdout.write(to_json(_error_document(exc, variant, rules, timeline)))
        raise


def _error_document(exc, variant, rules, timeline: bool) -> dict:
    """The JSON envelope of an evaluation that failed: no results, every problem in `errors`."""
    from ..engine.api import SCHEMA_VERSION
    from ..engine.files.problems import problem_json
    try:
        info = open_law(variant, rules).info()
    except InputError:
        # The law itself is the bad input: name the one asked for; no variant was read.
        info = {"rules": "shipped" if rules is None else str(rules), "shipped": rules is None,
                "variant": "+".join(variant) if variant else "base", "variants": []}
    reports = getattr(exc, "reports", None)
    errors = [e for r in reports for e in r.errors] if reports else [exc]
    return {"schema_version": SCHEMA_VERSION, "law": info, "timelines" if timeline else "cases": [],
            "errors": [problem_json(e) for e in errors]}


def _evaluate(cases, all_cases, fmt, at, variant, perspective, explain, rules, cases_dir, output, timeline,
              immediately, picture=None) -> None:
    from ..engine.api import evaluate_many
    if not cases and not all_cases:
        fail("name at least one case (e.g. 'casus evaluate kazakhstan-2022') or pass --all")
    if output is not None:
        check_output(output)            # refused before the work, not after
    law = open_law(variant, rules)
    if immediately is not None and not timeline:
        fail("--immediately needs --timeline (it measures delays between dated events and responses)")
    if picture is not None:
        if not timeline:
            fail("--picture needs --timeline (it draws a case's timeline)")
        if all_cases or len(cases or []) != 1:
            fail("--picture draws one case's timeline: name exactly one case")
        if picture.suffix.lower() not in (".svg", ".png"):
            fail(f"--picture {picture}: the file name must end in .svg or .png")
        check_output(picture)
    if timeline:
        from ..engine.api import case_paths, load_cases
        refs = list(cases) if not all_cases else [str(p) for p in case_paths(cases_dir)]
        _evaluate_timeline(law, load_cases(refs, law, cases=cases_dir), parse_date(at), perspective,
                           immediately, explain, fmt, output, picture)
        return
    if (fmt is Format.json or _wants_json(output)) and perspective is None:
        _evaluate_json_stream(law, cases, all_cases, cases_dir, parse_date(at), explain, output)
        return
    with progress_bars():
        results = evaluate_many(None if all_cases else cases, at=parse_date(at), perspective=perspective,
                                law=law, explain=explain, cases_dir=cases_dir)
    _warn(results.warnings)
    if fmt is Format.json or _wants_json(output):
        emit(results.to_json_text(), output)
        return
    from ..cli.render import render_case_text
    emit(law_header(law) + "".join(render_case_text(e.result, e.explanation, e.to_set) for e in results), output)


def _warn(warnings) -> None:
    from rich.markup import escape
    from ..engine.files.problems import CAP
    con = console(stderr=True)
    for w in warnings[:CAP]:
        con.print(f"[yellow]warning:[/] {escape(str(w))}", soft_wrap=True)
    if len(warnings) > CAP:
        con.print(f"[yellow]warning:[/] ... and {len(warnings) - CAP} more", soft_wrap=True)


def _evaluate_json_stream(law, cases, all_cases, cases_dir, day, explain, output) -> None:
    """JSON of many case files without holding them: each file is read, evaluated and
    written in turn (over all cores for large batches) into a spool, which becomes the
    output only once every file has passed (bad input still prints nothing but the error)."""
    import tempfile
    from ..engine.api import case_paths, find_case
    from ..engine.batch import case_texts, write_envelope
    from .output import _reason, visible
    paths = case_paths(cases_dir) if all_cases else [find_case(c, cases_dir) for c in cases]
    # In memory up to a few MB (most runs), then in a temporary file.
    with tempfile.SpooledTemporaryFile(SPOOL_CHARS, "w+", encoding="utf-8") as spool:
        try:
            with progress_bars():
                write_envelope(law, case_texts(law, paths, at=day, explain=explain), spool)
        except OSError as exc:
            raise InputError(f"cannot hold the results in a temporary file: {_reason(exc)}",
                             file=tempfile.gettempdir()) from None
        spool.seek(0)
        # What casus prints has control characters escaped (cli.output.visible), as to_json
        # does; JSON text has no raw newline inside a string, so line by line is safe.
        if output is None:
            for line in spool:
                sys.stdout.write(visible(line))
        else:
            write_atomic(output, visible(spool.read()))


def _wants_json(output: Optional[Path]) -> bool:
    return output is not None and output.suffix.lower() == ".json"


def _evaluate_timeline(law, loaded, day, perspective, immediately, explain, fmt, output, picture=None) -> None:
    from ..engine.analysis.timeline import evaluate_timeline
    if day is not None:
        fail("--at does not combine with --timeline (each event is judged by the law of its own date)")
    evaluator = law.evaluator
    timelines = [evaluate_timeline(evaluator, c, perspective=perspective, immediately=immediately) for c in loaded]
    if explain:
        from ..engine.explain.tree import changed_rules, explain_case
        changed = changed_rules(law.base, law.law) if law.variants else set()
        for t in timelines:
            trees: dict[int, list[dict]] = {}       # step -> the explanations' JSON
            for j, prov in enumerate(t.data["provisions"]):
                for change in prov["changes"]:
                    k = change["step"]
                    if k not in trees:
                        trees[k] = [x.to_json() for x in explain_case(t.results[k], law.law, changed)]
                    change["explanation"] = trees[k][j]
    data = [t.data for t in timelines]
    if picture is not None:
        from .charts import case_timeline_png, case_timeline_svg
        write_atomic(picture, case_timeline_png(data[0]) if picture.suffix.lower() == ".png"
                     else case_timeline_svg(data[0]) + "\n")
    if fmt is Format.json or _wants_json(output):
        # One shape for one case or many, as for plain evaluations.
        from ..engine.api import SCHEMA_VERSION
        emit(to_json({"schema_version": SCHEMA_VERSION, "law": law.info(), "timelines": data}), output)
        return
    from .timeline_text import render_timeline_text
    emit(law_header(law) + "".join(render_timeline_text(d) for d in data), output)


def test_cmd(
    cases: List[str] = typer.Argument(None, help="Case ids or files (default: every case of --cases DIR, or the shipped ones).",
                                      autocompletion=complete_case),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    variant: Optional[List[str]] = variant_option(
        "Only the readings the cases give for this variant (`expected_variants`): an id or a variant file."),
    rules: Optional[Path] = rules_option(),
    cases_dir: Optional[Path] = cases_option(),
    junit: Optional[Path] = typer.Option(None, "--junit", metavar="FILE",
                                         help="Also write the results as JUnit XML (for CI), atomically."),
) -> None:
    """Check cases against their `expected` blocks (outcome, perspectives, divergence).

    Checks the base reading (`expected`) and the readings under variants
    (`expected_variants`). Exit 0 when every expectation holds, 1 when one does not,
    2 on bad input.

      casus test

      casus test my-case.yaml --junit results.xml

      casus test --variant art4-internal-crises

      casus test --rules my-law/ --cases my-cases/ --variant my-proposal.yaml
    """
    from ..engine.api import case_paths, find_case
    law = open_law(variant, rules)
    paths = [find_case(c, cases_dir) for c in cases] if cases else case_paths(cases_dir)
    kept: list | None = [] if junit is not None else None      # JUnit XML needs every check at the end
    if fmt is Format.json:
        with progress_bars():
            passed, failed = _test_json(law, paths, kept)
    elif sys.stdout.isatty():
        passed, failed = _test_text(law, paths, kept)           # the lines as they come are the progress
    else:
        with progress_bars():
            passed, failed = _test_text(law, paths, kept)
    if junit is not None:
        from .junit import junit_xml
        write_atomic(junit, junit_xml(kept, law.describe()))
    if failed or not passed + failed:
        raise typer.Exit(1)


def _test_stream(law, paths, kept):
    """Each check as its file is checked (see engine.batch.case_checks); bad files are
    reported, every problem of each, once all the others have been checked."""
    from ..engine.batch import case_checks
    for _, checks in case_checks(law, paths, variant=law.spec if law.variants else None):
        if kept is not None:
            kept.extend(checks)
        yield from checks


def _test_text(law, paths, kept) -> tuple[int, int]:
    """PASS/FAIL lines as the files are checked: plain text (wrapped to the width, as rich
    would) into a pipe or a file, rich text (colours) at a terminal only, where rich's cost
    per line is not noticed."""
    import textwrap
    from rich.markup import escape
    from .output import terminal_width
    con = console() if sys.stdout.isatty() else None
    width = terminal_width()

    def say(plain: str, markup: str | None = None) -> None:
        if con is not None:
            con.print(markup if markup is not None else escape(plain))
            return
        if len(plain) > width:      # at spaces only: an id is never cut
            plain = textwrap.fill(plain, width, subsequent_indent="  ", break_long_words=False,
                                  break_on_hyphens=False)
        sys.stdout.write(visible(plain) + "\n")

    say(law_header(law).rstrip("\n"))
    passed = failed = 0
    try:
        for c in _test_stream(law, paths, kept):
            under = f" (variant {c.variant})" if c.variant else ""
            outcome = c.got.get("outcome", "-")
            problems = "" if c.passed else " " + "; ".join(c.problems)
            markup = None
            if con is not None:
                markup = (("[green]PASS[/]" if c.passed else "[bold red]FAIL[/]") + f" {escape(c.case)} "
                          f"{escape(c.provision)}" + (f" [dim]{escape(under.strip())}[/]" if under else "")
                          + f": {escape(outcome)}" + (f" [red]{escape(problems.strip())}[/]" if problems else ""))
            say(f"{'PASS' if c.passed else 'FAIL'} {c.case} {c.provision}{under}: {outcome}{problems}", markup)
            passed += c.passed
            failed += not c.passed
    finally:
        sys.stdout.flush()
    say(f"{passed} passed, {failed} failed")
    if not passed and not failed:
        # Under --variant only that variant's expectations are checked, not the base `expected`.
        advice = ("no expectations found: add an 'expected' block to the case" if not law.variants else
                  f"no expectations found under variant {law.spec}: add 'expected_variants: "
                  f"{{{law.spec}: {{<provision>: {{outcome: ..., reasoning: ...}}}}}}' to the case")
        say(advice, f"[yellow]{escape(advice)}[/]")
    return passed, failed


def _test_json(law, paths, kept) -> tuple[int, int]:
    """The JSON report, its checks written as they come into a spool (in memory up to a few
    MB, then a temporary file) that becomes the output once every file has passed: bad
    input still prints nothing but the errors."""
    import tempfile
    from ..engine.jsontext import json_text
    from ..engine.files.errors import InputError
    from .output import _reason
    passed = failed = 0
    with tempfile.SpooledTemporaryFile(SPOOL_CHARS, "w+", encoding="utf-8") as spool:
        try:
            for c in _test_stream(law, paths, kept):
                spool.write(",\n" if passed + failed else "")
                spool.write("    " + json_text(c.as_dict()).rstrip("\n").replace("\n", "\n    "))
                passed += c.passed
                failed += not c.passed
        except OSError as exc:
            raise InputError(f"cannot hold the results in a temporary file: {_reason(exc)}",
                             file=tempfile.gettempdir()) from None
        report = {"law": law.info(), "passed": passed, "failed": failed}
        if not passed + failed:
            sys.stdout.write(to_json({**report, "checks": []}))
            return passed, failed
        sentinel = "\u0000casus-checks\u0000"
        head, tail = json_text({**report, "checks": [sentinel]}).split('    "\\u0000casus-checks\\u0000"')
        spool.seek(0)
        # What casus prints has control characters escaped (cli.output.visible), as to_json
        # does; JSON text has no raw newline inside a string, so line by line is safe.
        sys.stdout.write(visible(head))
        for line in spool:
            sys.stdout.write(visible(line))
        sys.stdout.write(visible(tail))
    return passed, failed


def cases_cmd(
    action: Optional[str] = typer.Argument(None, help="'show' to print one case file and its path."),
    case: Optional[str] = typer.Argument(None, help="With 'show': a case id.", autocompletion=complete_case),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    variant: Optional[List[str]] = variant_option("Outcomes under an amendment variant (id or file; repeat to stack)."),
    rules: Optional[Path] = rules_option(),
    cases_dir: Optional[Path] = cases_option("List the cases in this directory instead of the shipped ones."),
) -> None:
    """List the cases with their dates and outcomes; `cases show ID` prints one case file.

      casus cases

      casus cases show kazakhstan-2022

      casus cases --cases my-cases/ --rules my-law/ --variant my-proposal.yaml
    """
    from ..engine.api import evaluate_many, find_case
    from ..engine.files.errors import InputError
    if action not in (None, "show"):
        raise InputError(f"unknown action '{action}'", hint="use 'casus cases' or 'casus cases show kazakhstan-2022'")
    if action == "show":
        if not case:
            raise InputError("name the case to show", hint="casus cases show kazakhstan-2022")
        path = find_case(case, cases_dir)
        from ..engine.files.yamlio import read_yaml
        read_yaml(path)                      # a missing or hostile file is one line, exit 2
        text = path.read_text(encoding="utf-8")
        if fmt is Format.json:
            sys.stdout.write(to_json({"case": path.stem, "file": str(path), "text": text}))
        else:
            sys.stdout.write(visible(f"# {path}\n{text}"))
        return
    law = open_law(variant, rules)
    results = evaluate_many(None, law=law, cases_dir=cases_dir)
    rows: list[dict[str, Any]] = [{"id": e.id, "title": e.case.title, "date": e.date.isoformat(),
                                   "file": _case_file(e.id, cases_dir), "outcomes": e.outcomes} for e in results]
    if fmt is Format.json:
        sys.stdout.write(to_json({"law": law.info(), "cases": rows}))
        return
    from rich.table import Table
    where = "shipped cases" if cases_dir is None else f"cases in {cases_dir}"
    table = Table(title=f"{len(rows)} {where}; {law.describe()}", show_lines=False)
    for col in ("case", "date", "title", "outcomes"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(row["id"], row["date"], row["title"],
                      "\n".join(f"{k}: {styled(v)}" for k, v in row["outcomes"].items()))
    print_table(console(), table)


def _case_file(case_id: str, cases_dir: Optional[Path]) -> str:
    from ..engine.api import case_paths
    for path in case_paths(cases_dir):
        if path.stem == case_id:
            return path.name
    return ""


new_app = typer.Typer(help="Write a new file to fill in.", no_args_is_help=True)


def _new_file(kind: str, file_id: str, output: Optional[Path], force: bool) -> Path:
    import re
    from ..engine.files import models as m
    from ..engine.files.errors import InputError
    if not re.match(m.ID, file_id):
        raise InputError(f"'{file_id}' is not {'an' if kind[0] in 'aeiou' else 'a'} {kind} id",
                         hint="lower case letters, digits, '.', '-' and '_'")
    path = output or Path(f"{file_id}.yaml")
    if path.exists() and not force:
        raise InputError("already exists", file=str(path), hint="pass --force to replace it, or -o another file")
    check_output(path)
    return path


@new_app.command("case")
def new_case(
    case_id: str = typer.Argument(..., metavar="ID", help="The case id (lower case, digits, '-', '_', '.'); the file is ID.yaml."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of ./ID.yaml."),
    rules: Optional[Path] = rules_option(),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write a case file to fill in: every fact of the vocabulary as a comment (type, values, provisions).

    It fails `casus validate` until filled in (the date to write first).

      casus new case my-case

      casus new case iran-2026 -o cases/iran-2026.yaml
    """
    from ..engine.api import facts as vocabulary, schema_path
    from .scaffold import case_scaffold
    path = _new_file("case", case_id, output, force)
    text = case_scaffold(case_id, vocabulary(open_law(None, rules)), str(schema_path("case")))
    write_atomic(path, text)
    console(stderr=True).print(f"wrote {path}: fill it in, then 'casus validate {path}'", soft_wrap=True)


@new_app.command("amendment")
def new_amendment(
    amendment_id: str = typer.Argument(..., metavar="ID", help="The variant id (lower case, digits, '-', '_', '.'); the file is ID.yaml."),
    provision: Optional[List[str]] = typer.Option(None, "--provision", "-p", metavar="ID",
                                                  help="A provision it changes (repeatable): its rule ids are listed in the file.",
                                                  autocompletion=complete_provision),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of ./ID.yaml."),
    rules: Optional[Path] = rules_option(),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write an amendment (variant) file to fill in: the rule ids of the provisions it changes,
    the change operations and the fact vocabulary, as comments.

    It fails `casus validate` until filled in (a date to write, at least one change).

      casus new amendment my-proposal --provision cst.art4

      casus compare my-proposal.yaml
    """
    from ..engine.api import facts as vocabulary, schema_path
    from ..engine.files.errors import InputError, did_you_mean
    from .scaffold import amendment_scaffold
    path = _new_file("amendment", amendment_id, output, force)
    handle = open_law(None, rules)
    law = handle.law
    chosen = []
    for pid in provision or []:
        if pid not in law.provisions:
            raise InputError(f"unknown provision '{pid}'", hint=did_you_mean(pid, law.provisions)
                             or "run 'casus rules' to list the provisions")
        p = law.provisions[pid]
        data = p.model_dump(mode="json", by_alias=True, exclude_none=True)
        chosen.append(data)
    text = amendment_scaffold(amendment_id, chosen, vocabulary(handle), str(schema_path("amendment")))
    write_atomic(path, text)
    console(stderr=True).print(f"wrote {path}: fill it in, then 'casus validate {path}'", soft_wrap=True)


@new_app.command("provision")
def new_provision(
    provision_id: str = typer.Argument(..., metavar="ID", help="The provision id, e.g. nato.art5 (lower case, digits, '-', '_', '.'); the file is ID.yaml."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of ./ID.yaml."),
    rules: Optional[Path] = rules_option(),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write a provision file to fill in: one dated version with its text, a conclusion, a rule
    for each answer, and the fact vocabulary as comments.

    It fails `casus validate` until filled in (dates, text and rules to write). Put it in a
    rules directory (a copy of the shipped one, or your own) and use --rules DIR.

      casus new provision my.art1 -o my-law/my/article-1.yaml
    """
    from ..engine.api import facts as vocabulary, schema_path
    from .scaffold import provision_scaffold
    path = _new_file("provision", provision_id, output, force)
    text = provision_scaffold(provision_id, vocabulary(open_law(None, rules)), str(schema_path("provision")))
    write_atomic(path, text)
    console(stderr=True).print(f"wrote {path}: fill it in, then 'casus validate {path}'", soft_wrap=True)


def validate(
    files: List[Path] = typer.Argument(..., help="Case, amendment or provision files."),
    rules: Optional[Path] = rules_option(),
    variant: Optional[List[str]] = variant_option("Variant files the cases' expected_variants may name (repeatable)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    strict: bool = typer.Option(False, "--strict", help=(
        "Also hold case files to the corpus discipline: every false fact or claim quotes its source "
        "or is a documented absence; quotes occur in the shared files they cite; no response before "
        "the events; no future dates; id = file name. Provision files: every version has its Russian "
        "text (or says why not), Russian words for every quote, and a cited source for its date. "
        "Every finding is reported, one line each.")),
) -> None:
    """Check files against the schema, the fact vocabulary, the timeline and the law.

    A case file is checked as a case; a file with `changes:` as an amendment (applied to
    the law); a file with `versions:` as a provision. Every problem in every file is
    reported, one line each (the first 50; --format json lists them all), with warnings
    for what is legal but likely wrong (a response dated before the events, a date in
    the future, an id that is not the file name). Exit 2 if any file has an error.

      casus validate my-case.yaml

      casus validate cases/*.yaml --format json

      casus validate my-proposal.yaml --rules my-law/
    """
    from ..engine.files.problems import CAP
    from ..engine.analysis.validation import check_file
    from ..engine.analysis.validation import validate_law
    law = open_law(variant, rules)
    validate_law(law.base, jobs=os.cpu_count() or 1)   # the law compiles for the engine (limits refused here)
    reports = [check_file(f, law.base) for f in files]
    if strict:
        from ..engine.law.strict import strict_file, strict_provision_file
        for r in reports:
            if r.kind == "case" and r.valid:
                r.errors.extend(strict_file(r.file, law.base))
                r.warnings = []          # strict reports these as errors
            elif r.kind == "provision" and r.valid:
                r.errors.extend(strict_provision_file(r.file))
    if fmt is Format.json:
        sys.stdout.write(to_json([r.to_json() for r in reports]))
    else:
        from rich.markup import escape
        con, err = console(), console(stderr=True)
        lines = [("error", e) for r in reports for e in r.errors] + [("warning", w) for r in reports for w in r.warnings]
        for kind, problem in lines[:CAP]:
            style = "bold red" if kind == "error" else "yellow"
            err.print(f"[{style}]{kind}:[/] {escape(str(problem))}", soft_wrap=True)
        if len(lines) > CAP:
            err.print(f"... and {len(lines) - CAP} more (--format json lists them all)", soft_wrap=True)
        for r in reports:
            if r.valid:
                con.print(f"[green]ok[/] {escape(r.file)} ({r.kind} {escape(r.id or '')})", soft_wrap=True)
    if any(not r.valid for r in reports):
        raise typer.Exit(2)
