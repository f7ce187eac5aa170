"""Reading one file into its model: pydantic's errors become InputErrors at the file's line
and column (through `yamlio.locate`), in words a writer of the file understands; and a
locator that raises (or collects) errors at a YAML path of one file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import models as m
from .errors import InputError, date_problem, did_you_mean
from .yamlio import Positions, locate, read_yaml

T = TypeVar("T", bound=BaseModel)


def _model_fields(model: type[BaseModel]) -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        names.append(info.alias or name)
    return names


FRIENDLY = {
    "date_from_datetime_parsing": "is not a date (expected YYYY-MM-DD)",
    "date_parsing": "is not a date (expected YYYY-MM-DD)",
    "date_type": "is not a date (expected YYYY-MM-DD)",
    "bool_parsing": "is not true or false",
    "bool_type": "is not true or false",
    "string_type": "should be text",
    "dict_type": "should be a mapping (key: value)",
    "list_type": "should be a list",
    "int_parsing": "is not a whole number",
    "string_pattern_mismatch": "does not have the expected form",
    "literal_error": "is not one of the allowed values",
    "too_short": "is too short",
    "bool_or_text": "is not true, false or text",
}


def merge_unions(errors: list[Any], data: Any) -> list[Any]:
    """pydantic reports a value that fits no member of `bool | str` twice, as not a boolean
    and as not text: one error at that place instead, saying what the field accepts."""
    out: list[Any] = []
    at: dict[tuple[Any, ...], int] = {}
    for err in errors:
        kinds = {"bool_type", "bool_parsing", "string_type"}
        key = _data_loc(data, err["loc"], True)[:-1] if err["loc"] and err["loc"][-1] in ("bool", "str") else None
        if err["type"] in kinds and key is not None:
            if key in at:
                out[at[key]] = {**out[at[key]], "type": "bool_or_text", "loc": err["loc"][:-1]}
                continue
            at[key] = len(out)
        out.append(err)
    return out


def _data_loc(data: Any, loc: tuple[Any, ...], keep_last: bool) -> tuple[Any, ...]:
    """The part of a pydantic error location that is a path in the data: pydantic adds the
    names of union members and tags (`bool`, `FactTest`), which are not keys of the file."""
    out, node = [], data
    for i, p in enumerate(loc):
        if p == "[key]":
            break
        if isinstance(node, dict) and p in node:
            out.append(p)
            node = node[p]
        elif isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            out.append(p)
            node = node[p]
        elif keep_last and i == len(loc) - 1:
            out.append(p)
    return tuple(out)


def _explain(err: dict[str, Any], model: type[BaseModel], data: Any) -> tuple[str, str | None]:
    loc = [str(p) for p in _data_loc(data, err["loc"], err["type"] == "missing")]
    if err["loc"] and err["loc"][-1] == "[key]":
        loc = loc[:-1]          # the key itself is shown as the value
    where = ".".join(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        field_name = loc[-1] if loc else "?"
        return f"unknown field '{field_name}'", _field_hint(field_name, model, err["loc"])
    if kind == "missing":
        return f"missing required field '{where}'", None
    value = err.get("input")
    shown = repr(value) if isinstance(value, (str, int, float, bool)) else None
    if kind in ("model_type", "dict_type") and shown is not None and _is_fact_entry(loc):
        # `armed_attack: true`: a fact (or a party's claim) always cites its source.
        written = "true" if value is True else "false" if value is False else str(value)
        return (f"{where}: a bare value; write {{value: {written}, source: SOURCE}}",
                "every fact and claim cites one of the case's sources by its key")
    if kind == "bool_or_text" and shown is None:
        shown = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "this value"
    if kind == "too_short" and isinstance(value, list) and not value:
        return f"{where}: is empty", f"it needs at least {err.get('ctx', {}).get('min_length', 1)}"
    if kind in FRIENDLY and shown is not None:
        hint = None
        if kind == "literal_error" and err.get("ctx", {}).get("expected"):
            # Every enumerated field: the closest allowed value first, else the list.
            allowed = re.findall(r"'([^']*)'", err["ctx"]["expected"])
            hint = did_you_mean(str(value), allowed) or f"expected {err['ctx']['expected']}"
        if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern"):
            hint = {"^[A-Z]{2}$": "a two-letter state code such as KZ",
                    m.PARTY: "a state's two-letter ISO code such as KZ, or a party declared under 'non_state_parties'",
                    m.NON_STATE_ID: "lower case letters, digits, '-' and '_', starting with a letter",
                    "^[a-z0-9][a-z0-9_.\\-]*$": "lower case letters, digits, '.', '-' and '_'",
                    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "a time of day as HH:MM, e.g. 00:05",
                    m.CLAIMANT: "claimants are written in ASCII letters, digits, '-' and '_' (such as KZ, CSTO or observers), "
                                "so that two parties cannot look alike"}.get(
                        err["ctx"]["pattern"], f"pattern {err['ctx']['pattern']}")
        said = date_problem(value) if kind.startswith("date_") and isinstance(value, str) else FRIENDLY[kind]
        return f"{where}: {shown} {said}", hint
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return (f"{where}: {msg}" if where else msg), None


def _is_fact_entry(loc: list[str]) -> bool:
    """facts.NAME, events.N.facts.NAME, or a claim under either (...claims.PARTY)."""
    if len(loc) >= 2 and loc[-2] == "claims":
        loc = loc[:-2]
    return len(loc) >= 2 and loc[-2] == "facts"


def _field_hint(field_name: str, model: type[BaseModel], loc: Any) -> str | None:
    # Search every model reachable from the top one for a close field name.
    names: set[str] = set()
    stack, seen = [model], set()
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        names.update(_model_fields(cls))
        for info in cls.model_fields.values():
            for arg in _walk_types(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    stack.append(arg)
    return did_you_mean(field_name, names)


def _walk_types(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in getattr(tp, "__args__", ()) or ():
        yield from _walk_types(arg)
    meta = getattr(tp, "__metadata__", None)
    origin = getattr(tp, "__origin__", None)
    if meta is not None and origin is not None:
        yield from _walk_types(origin)


def _kind_of(data: dict[str, Any]) -> str | None:
    """What a file that failed to validate looks like, from the fields only one kind has."""
    if "changes" in data:
        return "amendment"
    if "versions" in data:
        return "provision"
    if "facts" in data or "requesting_state" in data:
        return "case"
    return None


_WRONG_KIND = {
    ("case", "amendment"): ("this is an amendment file (a variant of the law), not a case",
                            "give it with --variant, e.g. casus evaluate kazakhstan-2022 --variant {file}"),
    ("case", "provision"): ("this is a provision file (part of the law), not a case",
                            "put it in a rules directory and give that with --rules"),
    ("amendment", "case"): ("this is a case file, not an amendment (a variant of the law)",
                            "evaluate it with: casus evaluate {file}"),
    ("amendment", "provision"): ("this is a provision file (part of the law), not an amendment",
                                 "put it in a rules directory and give that with --rules, "
                                 "or write a variant that adds it (op: add)"),
}


def wrong_kind(model: type[BaseModel], data: dict[str, Any], file: str) -> InputError | None:
    """One line for a file of another kind than the command reads (a variant given as a
    case, a case given as a variant), instead of every field the two kinds do not share."""
    expected = {m.Case: "case", m.Amendment: "amendment"}.get(model)
    found = _kind_of(data)
    said = _WRONG_KIND.get((expected, found)) if expected and found else None
    if said is None:
        return None
    message, hint = said
    return InputError(message, file=file, line=1, column=1, hint=hint.format(file=file))


def parse_file(model: type[T], path: Path | str, *, text: str | None = None) -> tuple[T, Positions]:
    data, positions = read_yaml(path, text=text)
    if not isinstance(data, dict):
        raise InputError(f"expected a YAML mapping at the top level, found {type(data).__name__}",
                         file=str(path), line=1)
    try:
        return model.model_validate(data), positions
    except ValidationError as exc:
        other = wrong_kind(model, data, str(path))
        if other is not None:
            raise other from None
        # An unknown field usually explains a "missing" one (a typo): report it first.
        errors = sorted(merge_unions(exc.errors(), data), key=lambda e: e["type"] != "extra_forbidden")
        err = errors[0]
        line, col = locate(positions, _data_loc(data, err["loc"], False))
        msg, hint = _explain(dict(err), model, data)
        raise InputError(msg, file=str(path), line=line, column=col, hint=hint) from None


class Located:
    """Raises InputErrors at a YAML path of one file; with `problems`, collects them
    instead (to report every mistake at once), and the checks go on."""

    def __init__(self, file: str, positions: Positions, problems: list[InputError] | None = None):
        self.file, self.positions, self.problems = file, positions, problems

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        line, col = locate(self.positions, path)
        error = InputError(message, file=self.file, line=line, column=col, hint=hint)
        if self.problems is None:
            raise error
        self.problems.append(error)
