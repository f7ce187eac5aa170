"""Every schema problem of a file at once, and the report of a file's problems.

Plain loading stops at the first mistake (one line, exit 2). Validation and batch
evaluation instead report every mistake of every file, one line each: here, all schema
errors of a file, and what is left of a case file when its broken entries are set aside
(so that the law's checks, engine/analysis/validation.py, can look at the rest).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import models as m
from .errors import InputError
from .parse import _data_loc, _explain, merge_unions, wrong_kind
from .yamlio import Positions, locate, read_yaml

M = TypeVar("M", bound=BaseModel)

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
