"""Validation: every problem of every file of a law or of cases at once, and whether the
whole law compiles for the engine within its limits.

Errors (the file is refused) and warnings: all schema errors of a file (files/problems.py);
then, on a copy with the broken entries set aside, every cross-reference error (unknown
facts, values, sources, provisions); and warnings for what is legal but likely wrong (a
response dated before the events, a date in the future, an id that is not the file name).
Provision and amendment files, and every file of a rules directory whose loading failed,
are checked the same way (a provision or an amendment is checked whole: its schema errors,
else every cross-reference error, else whether it compiles). It sits above the compiler and
the durable_rules plan that it uses to check a law's limits.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..files import models as m
from ..files.errors import InputError
from ..files.parse import Located
from ..files.paths import MEMBERS, provision_paths
from ..files.problems import FileReport, Problems, _parse_case_all, parse_all
from ..files.yamlio import Positions, locate, read_yaml
from ..gcpause import gc_paused
from ..law.amendments import apply_amendment, with_variants
from ..law.budget import LawBudget
from ..law.cases import check_case
from ..law.loader import LawModels, _check_timeline, check_provision
from ..logic.compiler import CompileError, DomainOf, compile_program

T = TypeVar("T")



def compiles(provision: m.Provision, domain_of: DomainOf, file: str | None = None) -> None:
    """Compile every version of a provision for the engine, or refuse it (CompileError):
    a provision that validates can be run without reaching a durable_rules limit."""
    from ..backends.durable import plan
    for version in provision.versions:
        try:
            program = compile_program(provision, version, domain_of)
            plan(program)
            program.conclusion_terms     # noqa: B018  (the analysis form is bounded too)
        except CompileError as e:
            raise e.located(file=file) from None


# Below this many provision versions, forking workers costs more than it saves.
POOL_FROM = 200

_law: list[LawModels] = []        # the law a forked worker validates (inherited, never pickled)


@gc_paused
def validate_law(law: LawModels, jobs: int = 1) -> None:
    """Compile the whole law, and every shipped variant of it (without the cyclic collector:
    each collection would walk the whole law and every program compiled so far). With
    `jobs` > 1, a large law's provisions are compiled by that many forked processes; the
    error raised is the same (that of the first provision, in id order, that fails)."""
    versions = sum(len(p.versions) for p in law.provisions.values())
    if jobs > 1 and versions >= POOL_FROM and hasattr(os, "fork"):
        import multiprocessing as mp

        from .workers import worker_init
        _law[:] = [law]
        try:
            with mp.get_context("fork").Pool(jobs, initializer=worker_init) as pool:
                parts = pool.map_async(_validate_part, [(k, jobs) for k in range(jobs)])
                try:           # the variants here meanwhile; the base law's error comes first
                    _validate_variants(law)
                    variant_error = None
                except InputError as e:
                    variant_error = e
                failures = [f for f in parts.get() if f]
        finally:
            _law.clear()
        if failures:
            _, kind, fields = min(failures)
            message, file, line, column, hint = fields
            raise kind(message, file=file, line=line, column=column, hint=hint)
        if variant_error is not None:
            raise variant_error
        return
    for pid in sorted(law.provisions):
        compiles(law.provisions[pid], law.domain_of, law.provision_files.get(pid))
    _validate_variants(law)


def _validate_variants(law: LawModels) -> None:
    for vid in sorted(law.amendments):
        variant = with_variants(law, vid)
        for pid in sorted(variant.provisions):
            if variant.provisions[pid] is not law.provisions.get(pid):
                compiles(variant.provisions[pid], variant.domain_of, law.amendment_files.get(vid))


def _validate_part(part: tuple[int, int]) -> tuple[int, type[InputError], tuple[Any, ...]] | None:
    """In a worker: every `jobs`-th provision from the `k`-th, in id order; the first that
    fails, as (its index, the error's class, the error's fields)."""
    k, jobs = part
    law = _law[0]
    pids = sorted(law.provisions)
    for i in range(k, len(pids), jobs):
        try:
            compiles(law.provisions[pids[i]], law.domain_of, law.provision_files.get(pids[i]))
        except InputError as e:
            return i, type(e), (e.message, e.file, e.line, e.column, e.hint)
    return None


def _collecting(errors: list[InputError], check: Callable[[], T]) -> T | None:
    """Run a check that collects into `errors` (or raises one InputError). Once a mistake is
    reported, a later check may trip over it (a KeyError on a name already reported
    unknown): that is the same mistake, not a new one."""
    try:
        return check()
    except InputError as exc:
        errors.append(exc)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        if not errors:
            raise
    return None


def check_provision_file(path: Path | str, law: LawModels) -> FileReport:
    """Every error of a provision file: its schema errors, else every cross-reference error
    (facts, values, conclusions, rules, sources), else whether it compiles for the engine."""
    name = str(path)
    prov, positions, errors = parse_all(m.Provision, path)
    if prov is not None:
        _collecting(errors, lambda: check_provision(prov, law.vocabulary, Located(name, positions, errors)))
        if not errors:
            LawBudget().provision(prov, law.domain_of, Located(name, positions, errors).fail)
        if not errors:
            _collecting(errors, lambda: compiles(prov, law.domain_of, name))
    return FileReport(name, "provision", prov.id if prov else None, errors, positions=positions)


def check_members_file(path: Path | str) -> FileReport:
    """Every error of a membership timeline (rules/members.yaml, or a treaty folder's own)."""
    name = str(path)
    timeline, positions, errors = parse_all(m.Timeline, path)
    if timeline is not None:
        _collecting(errors, lambda: _check_timeline(timeline, Located(name, positions, errors)))
    return FileReport(name, "members", timeline.treaty if timeline is not None else None, errors, positions=positions)


def check_amendment_file(path: Path | str, law: LawModels) -> FileReport:
    """Every error of an amendment file: its schema errors, else every change that cannot
    be applied (each one, the others applied), else whether the result compiles."""
    name = str(path)
    amendment, positions, errors = parse_all(m.Amendment, path)
    if amendment is not None:
        variant = _collecting(errors, lambda: apply_amendment(law, amendment, positions=positions, file=name,
                                                              problems=errors))
        if variant is not None and not errors:
            for pid in sorted(variant.provisions):
                _collecting(errors, lambda: compiles(variant.provisions[pid], variant.domain_of, name))
    return FileReport(name, "amendment", amendment.id if amendment else None, errors, positions=positions)


def law_problems(root: Path) -> None:
    """Every problem of every file of a rules directory, raised as Problems; returns when no
    file has one by itself (the caller's error, between files, then stands)."""
    if not root.is_dir():
        return
    reports: list[FileReport] = []
    vocab, _, errors = parse_all(m.Vocabulary, root / "facts.yaml")
    reports.append(FileReport(str(root / "facts.yaml"), "facts", None, errors))
    for members_path in [root / MEMBERS, *sorted(root.glob(f"*/{MEMBERS}"))]:
        reports.append(check_members_file(members_path))
    files: dict[str, str] = {}
    owners: dict[str, str] = {}
    for path in provision_paths(root):
        prov, ppos, errors = parse_all(m.Provision, path)
        if prov is not None:
            where = Located(str(path), ppos, errors)
            if prov.id in files:
                where.fail(("id",), f"duplicate provision id '{prov.id}' (also in {files[prov.id]})")
            if vocab is not None:
                _collecting(errors, lambda: check_provision(prov, vocab, where))
            for version in prov.versions:
                for rule in version.rules:
                    owner = owners.setdefault(rule.id, prov.id)
                    if owner != prov.id:
                        where.fail(("id",), f"rule id '{rule.id}' is used by provisions '{owner}' and '{prov.id}'")
            files.setdefault(prov.id, str(path))
        reports.append(FileReport(str(path), "provision", prov.id if prov else None, errors))
    seen: dict[str, str] = {}
    amendments = root / "amendments"
    for path in sorted(amendments.glob("*.yaml")) if amendments.is_dir() else []:
        amendment, apos, errors = parse_all(m.Amendment, path)
        if amendment is not None:
            if amendment.id in seen:
                Located(str(path), apos, errors).fail(("id",), f"duplicate amendment id '{amendment.id}'")
            seen.setdefault(amendment.id, str(path))
        reports.append(FileReport(str(path), "amendment", amendment.id if amendment else None, errors))
    if any(r.errors for r in reports):
        raise Problems([r for r in reports if r.errors])


def variant_file_problems(law: LawModels, files: list[str]) -> None:
    """Every mistake of the variant files given on the command line, raised as Problems
    (each checked on its own against `law`); returns when none has one by itself."""
    reports = [check_amendment_file(f, law) for f in files]
    if any(r.errors for r in reports):
        raise Problems([r for r in reports if r.errors])


def case_warnings(case: m.Case, file: str, positions: Positions, today: dt.date | None = None,
                  *, is_file: bool = True) -> list[InputError]:
    today = today or dt.date.today()
    out: list[InputError] = []

    def warn(path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        line, col = locate(positions, path)
        out.append(InputError(message, file=file, line=line, column=col, hint=hint))

    if is_file and case.id != Path(file).stem:
        warn(("id",), f"case id '{case.id}' differs from the file name '{Path(file).name}'",
             f"rename the file to {case.id}.yaml or set id: {Path(file).stem}")
    if case.date > today:
        warn(("date",), f"case date {case.date} is in the future (today is {today})")
    start = min([case.date, *(e.date for e in case.events)])
    for i, event in enumerate(case.events):
        if event.date > today:
            warn(("events", i, "date"), f"event dated {event.date} is in the future (today is {today})")
    for i, response in enumerate(case.record.responses if case.record else []):
        if response.date is None:
            continue
        if response.date < start:
            warn(("record", "responses", i, "date"),
                 f"response dated {response.date} is before the events of the case ({start})",
                 "date the response correctly, or date the case from when the events began")
        elif response.date > today:
            warn(("record", "responses", i, "date"), f"response dated {response.date} is in the future "
                                                     f"(today is {today})")
    return out


def check_case_file(path: Path | str, law: LawModels, *, text: str | None = None,
                    today: dt.date | None = None) -> FileReport:
    """Every error and warning of one case file."""
    name = str(path)
    case, positions, errors, stood_in = _parse_case_all(path, text=text)
    report = FileReport(name, "case", case.id if case else None, errors, positions=positions)
    if case is not None:
        check_case(case, law, Located(name, positions, errors))
        if not stood_in:
            report.warnings = case_warnings(case, name, positions, today, is_file=text is None)
        if not errors:
            report.case = case
    return report


def check_file(path: Path | str, law: LawModels) -> FileReport:
    """Every problem of a case, provision or amendment file, and every template placeholder
    still in it (`casus new` writes them: a template nobody filled in is no case and no law)."""
    name = str(path)
    try:
        data, positions = read_yaml(path)
    except InputError as exc:
        return FileReport(name, "file", None, [exc])
    if isinstance(data, dict) and "changes" in data:
        report = check_amendment_file(path, law)
    elif isinstance(data, dict) and "versions" in data:
        report = check_provision_file(path, law)
    elif isinstance(data, dict) and "treaty_signed" in data:
        report = check_members_file(path)
    else:
        report = check_case_file(path, law)
    report.errors.extend(placeholders(data, positions, name))
    return report


def placeholders(data: Any, positions: Positions, name: str) -> list[InputError]:
    """Texts that are still a template's "TODO" (exactly, or "TODO: ..."), one line each."""
    found: list[InputError] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + (i,))
        elif isinstance(node, str) and (node.strip() == "TODO" or node.lstrip().startswith("TODO:")):
            line, column = locate(positions, path)
            found.append(InputError(f"{'.'.join(map(str, path))}: still the template's placeholder",
                                    file=name, line=line, column=column,
                                    hint="write it; the template's comments say what goes here"))
    walk(data, ())
    return found


def load_case_files(paths: list[Path], law: LawModels) -> tuple[list[m.Case], list[FileReport]]:
    """Load several case files, checking all of them: raises Problems listing every error of
    every file; two files with one id is an error too. Returns the cases and the reports
    (whose warnings the caller may show)."""
    reports = [check_case_file(p, law) for p in paths]
    seen: dict[str, str] = {}
    for r in reports:
        if r.case is not None:
            if r.case.id in seen:
                line, col = locate(r.positions, ("id",))
                r.errors.append(InputError(f"duplicate case id '{r.case.id}' (also in {seen[r.case.id]})",
                                           file=r.file, line=line, column=col))
                r.case = None
            else:
                seen[r.case.id] = r.file
    if any(r.errors for r in reports):
        raise Problems(reports)
    return [r.case for r in reports if r.case is not None], reports
