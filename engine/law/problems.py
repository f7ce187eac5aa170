"""Every problem in every file at once: errors (the file is refused) and warnings.

Plain loading stops at the first mistake (one line, exit 2). Validation and batch
evaluation instead report every mistake of every file, one line each: all schema
errors of a file; then, on a copy with the broken entries set aside, every
cross-reference error (unknown facts, values, sources, provisions); and warnings for
what is legal but likely wrong (a response dated before the events, a date in the
future, an id that is not the file name). Provision and amendment files, and every file
of a rules directory whose loading failed, are checked the same way (a provision or an
amendment is checked whole: its schema errors, else every cross-reference error).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import models as m
from .budget import LawBudget
from .errors import InputError
from .loader import Law, Located, _data_loc, _explain, check_case, check_provision, merge_unions, wrong_kind
from .yamlio import Positions, locate, read_yaml

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# Lines printed before "... and N more"; JSON output lists every problem.
CAP = 50

# Sections whose entries are independent: a broken entry is set aside, the rest is checked.
_ENTRIES = ("facts", "expected", "expected_variants", "non_state_parties")
_OPTIONAL = ("record", "events", "provisions", "expected", "expected_variants", "non_state_parties",
             "requesting_state", "territory", "acting_state", "third_state", "attacker", "facts")


@dataclass
class FileReport:
    file: str
    kind: str = "case"
    id: str | None = None
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    case: m.Case | None = None
    positions: Positions = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "kind": self.kind, "valid": self.valid,
                               "errors": [problem_json(e) for e in self.errors],
                               "warnings": [problem_json(w) for w in self.warnings]}
        if self.id is not None:
            out["id"] = self.id
        return out


def problem_json(error: InputError) -> dict[str, Any]:
    out: dict[str, Any] = {"message": error.message, "text": str(error)}
    for key in ("file", "line", "column", "hint"):
        value = getattr(error, key)
        if value is not None:
            out[key] = value
    return out


def _set_aside(data: dict[str, Any], loc: tuple[Any, ...]) -> bool:
    """Remove (or neutralise) the entry an error is in; False if nothing can be set aside."""
    if not loc:
        return False
    head = loc[0]
    if head == "sources" and len(loc) >= 2 and isinstance(data.get("sources"), dict):
        # Keep the key (other entries cite it), with a valid placeholder.
        data["sources"][loc[1]] = {"cite": "?"}
        return True
    if head in _ENTRIES and len(loc) >= 2 and isinstance(data.get(head), dict):
        data[head].pop(loc[1], None)
        return True
    if head in data and (head in _OPTIONAL or head not in _required()):
        del data[head]
        return True
    return False


def difflib_close(word: str, choices: set[str]) -> str | None:
    import difflib
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _known_fields() -> set[str]:
    return {(info.alias or name) for name, info in m.Case.model_fields.items()}


def _required() -> set[str]:
    return {(info.alias or name) for name, info in m.Case.model_fields.items() if info.is_required()}


# A broken case date (2023-02-30, 10.03.2023) must not hide the file's other mistakes: the
# rest is checked as if the case were dated on this day, which no check can object to (it
# is not before the Treaty was signed), and no date warning is given for that stand-in.
_STAND_IN_DATE = dt.date(1992, 5, 15)


def parse_case_all(path: Path | str, *, text: str | None = None
                   ) -> tuple[m.Case | None, Positions, list[InputError]]:
    """Parse a case file reporting every schema error; the model of what is left when the
    broken entries are set aside (None if a required field itself is broken)."""
    case, positions, errors, _ = _parse_case_all(path, text=text)
    return case, positions, errors


def _parse_case_all(path: Path | str, *, text: str | None = None
                    ) -> tuple[m.Case | None, Positions, list[InputError], bool]:
    """parse_case_all, and whether the case's date is the stand-in for a broken one."""
    name = str(path)
    try:
        data, positions = read_yaml(path, text=text)
    except InputError as exc:
        return None, {}, [exc], False
    if not isinstance(data, dict):
        return None, positions, [InputError(f"expected a YAML mapping at the top level, found "
                                            f"{type(data).__name__}", file=name, line=1)], False
    try:
        return m.Case.model_validate(data), positions, [], False
    except ValidationError as exc:
        other = wrong_kind(m.Case, data, name)
        if other is not None:
            return None, positions, [other], False
        raw = merge_unions(list(exc.errors()), data)
    errors = schema_errors(raw, m.Case, data, positions, name)
    rest = copy.deepcopy(data)
    stood_in = any(e["loc"][:1] == ("date",) for e in raw)
    if stood_in:
        rest["date"] = _STAND_IN_DATE
    for e in raw:
        # Read a misspelt top-level field as the one it was meant to be, to check the rest.
        if e["type"] == "extra_forbidden" and len(e["loc"]) == 1:
            target = difflib_close(str(e["loc"][0]), _known_fields())
            if target is not None and target not in rest and e["loc"][0] in rest:
                rest[target] = rest.pop(e["loc"][0])
    for _ in range(3):
        try:
            return m.Case.model_validate(rest), positions, errors, stood_in
        except ValidationError as exc:
            if not all(_set_aside(rest, _data_loc(rest, e["loc"], True)) for e in exc.errors()):
                break
    return None, positions, errors, stood_in


def schema_errors(raw: list[Any], model: type[BaseModel], data: Any, positions: Positions,
                  name: str) -> list[InputError]:
    """pydantic's errors of a file, one InputError each, a misspelt field first."""
    errors: list[InputError] = []
    # A misspelt field explains the "missing" one it was meant to be, at any depth (a rule's
    # `becuase`, `because` missing): report the typo only.
    typos: dict[tuple[Any, ...], list[str]] = {}
    for e in raw:
        if e["type"] == "extra_forbidden" and e["loc"]:
            typos.setdefault(tuple(e["loc"][:-1]), []).append(str(e["loc"][-1]))
    for err in sorted(raw, key=lambda e: e["type"] != "extra_forbidden"):
        if err["type"] == "missing" and err["loc"] and any(
                difflib_close(typo, {str(err["loc"][-1])}) for typo in typos.get(tuple(err["loc"][:-1]), [])):
            continue
        line, col = locate(positions, _data_loc(data, err["loc"], False))
        msg, hint = _explain(dict(err), model, data)
        errors.append(InputError(msg, file=name, line=line, column=col, hint=hint))
    return errors


def parse_all(model: type[M], path: Path | str) -> tuple[M | None, Positions, list[InputError]]:
    """Parse a law file (provision, amendment, vocabulary, timeline) reporting every schema
    error; the model when there is none."""
    name = str(path)
    try:
        data, positions = read_yaml(path)
    except InputError as exc:
        return None, {}, [exc.located(file=name)]
    if not isinstance(data, dict):
        return None, positions, [InputError(f"expected a YAML mapping at the top level, found "
                                            f"{type(data).__name__}", file=name, line=1)]
    try:
        return model.model_validate(data), positions, []
    except ValidationError as exc:
        other = wrong_kind(model, data, name)
        if other is not None:
            return None, positions, [other]
        return None, positions, schema_errors(merge_unions(list(exc.errors()), data), model, data, positions, name)


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


def check_provision_file(path: Path | str, law: Law) -> FileReport:
    """Every error of a provision file: its schema errors, else every cross-reference error
    (facts, values, conclusions, rules, sources), else whether it compiles for the engine."""
    from .validate import compiles
    name = str(path)
    prov, positions, errors = parse_all(m.Provision, path)
    if prov is not None:
        _collecting(errors, lambda: check_provision(prov, law.vocabulary, Located(name, positions, errors)))
        if not errors:
            LawBudget().provision(prov, law.domain_of, Located(name, positions, errors).fail)
        if not errors:
            _collecting(errors, lambda: compiles(prov, law.domain_of, name))
    return FileReport(name, "provision", prov.id if prov else None, errors, positions=positions)


def check_amendment_file(path: Path | str, law: Law) -> FileReport:
    """Every error of an amendment file: its schema errors, else every change that cannot
    be applied (each one, the others applied), else whether the result compiles."""
    from .amendments import apply_amendment
    from .validate import compiles
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
    from .loader import _check_timeline, provision_paths
    if not root.is_dir():
        return
    reports: list[FileReport] = []
    vocab, _, errors = parse_all(m.Vocabulary, root / "facts.yaml")
    reports.append(FileReport(str(root / "facts.yaml"), "facts", None, errors))
    members = str(root / "members.yaml")
    timeline, tpos, errors = parse_all(m.Timeline, members)
    if timeline is not None:
        _collecting(errors, lambda: _check_timeline(timeline, Located(members, tpos, errors)))
    reports.append(FileReport(members, "members", None, errors))
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


def variant_file_problems(law: Law, files: list[str]) -> None:
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


def check_case_file(path: Path | str, law: Law, *, text: str | None = None,
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


def check_file(path: Path | str, law: Law) -> FileReport:
    """Every problem of a case, provision or amendment file."""
    name = str(path)
    try:
        data, _ = read_yaml(path)
    except InputError as exc:
        return FileReport(name, "file", None, [exc])
    if isinstance(data, dict) and "changes" in data:
        return check_amendment_file(path, law)
    if isinstance(data, dict) and "versions" in data:
        return check_provision_file(path, law)
    return check_case_file(path, law)


def problem_lines(reports: list[FileReport], cap: int = CAP) -> tuple[list[str], int]:
    """'error: ...' and 'warning: ...' lines, at most `cap`; and how many were left out."""
    lines = [f"error: {e}" for r in reports for e in r.errors] + \
            [f"warning: {w}" for r in reports for w in r.warnings]
    return lines[:cap], max(0, len(lines) - cap)


class Problems(InputError):
    """Several files with errors: every problem is a line (the CLI prints them all)."""

    def __init__(self, reports: list[FileReport]):
        self.reports = reports
        errors = [e for r in reports for e in r.errors]
        super().__init__(errors[0].message, file=errors[0].file, line=errors[0].line,
                         column=errors[0].column, hint=errors[0].hint)

    def lines(self, cap: int = CAP) -> list[str]:
        errors = [str(e) for r in self.reports for e in r.errors]
        shown = errors[:cap]
        if len(errors) > cap:
            shown.append(f"... and {len(errors) - cap} more errors (casus validate --format json lists them all)")
        return shown


def load_case_files(paths: list[Path], law: Law) -> tuple[list[m.Case], list[FileReport]]:
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
