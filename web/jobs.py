"""The jobs a `casus serve` worker process runs, on the public API (`import casus`) only.

Each job takes plain parameters and returns plain data or the text of a JSON
document (the same text the CLI prints). Bad input raises casus.InputError (or a
ScenarioError), which `run` turns into (status, one-line message).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any, Callable

import casus

from . import scenario
from .explorer import TREATY_KEY

_rules: str | None = None
_laws: "OrderedDict[str, Any]" = OrderedDict()
# The shipped cases are read-only package data: read (and checked) once per worker.
_shipped: dict[str, Any] = {}
_shipped_ids: set[str] = set()
_LAWS_KEPT = 16                   # variant stacks compiled and kept per worker


class NotFound(Exception):
    """A shipped case, provision or variant that does not exist (404)."""


def init(rules: str | None) -> None:
    """Load (and compile, by evaluating once) the law before the first request."""
    global _rules
    _rules = rules
    _laws.clear()
    _shipped.clear()
    _shipped_ids.clear()
    _shipped_ids.update(c.id for c in casus.cases())
    law = _law(None)
    for case_id in sorted(_shipped_ids)[:1]:
        casus.evaluate(_case(case_id, None, law), law=law)


def _law(variant: str | None) -> Any:
    key = variant or "base"
    found = _laws.get(key)
    if found is None:
        if key != "base":
            _check_variant(key)
        found = casus.load_law(_rules, None if key == "base" else key)
        _laws[key] = found
        while len(_laws) > _LAWS_KEPT:
            old, _ = _laws.popitem(last=False)
            _vocabularies.pop(old, None)
    _laws.move_to_end(key)
    return found


def _check_variant(spec: str) -> None:
    # A variant from a request is a shipped variant id, never a path to a file.
    known = {v["id"] for v in casus.variants(_law(None))}
    for part in spec.split("+"):
        if part not in known:
            raise NotFound(f"unknown variant '{part}'" + _hint(part, known, "variants"))


def _hint(word: str, known: set[str], what: str) -> str:
    import difflib
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    if close:
        return f" (hint: did you mean '{close[0]}'?)"
    return f" (hint: {what}: {', '.join(sorted(known)) or 'none'})"


def _case(case_id: str | None, text: str | None, law: Any) -> Any:
    """A case from a request's text, or a shipped case by id (never a path)."""
    if text is not None:
        return casus.load_case_text(text, law, name="body")
    case_id = case_id or ""
    if case_id not in _shipped_ids:
        raise NotFound(f"no such case '{case_id}'" + _hint(case_id, _shipped_ids, "cases"))
    if case_id not in _shipped:
        _shipped[case_id] = casus.load_case(case_id, _law(None))
    return _shipped[case_id]


# ------------------------------------------------------------------ the CLI's documents

def evaluate(case: str | None = None, text: str | None = None, at: str | None = None,
             variant: str | None = None, perspective: str | None = None, explain: bool = False) -> str:
    law = _law(variant)
    result = casus.evaluate(_case(case, text, law), at=at, perspective=perspective, law=law, explain=explain)
    return str(result.to_json_text())


def compare(variant: str, against: str = "base", generated: int = 0, seed: int = 0) -> str:
    _check_variant(variant)
    if against != "base":
        _check_variant(against)
    # jobs=1: a worker is killed on timeout; a pool of its own would outlive it.
    report = casus.compare(variant, against=against, generated=generated, seed=seed, law=_law(None), jobs=1)
    return str(report.to_json_text())


def check(variant: str | None = None, examples: int = 200, seed: int = 0, exhaustive: bool = False,
          smt: bool = False, bound: int = 100_000) -> str:
    report = casus.check(law=_law(variant), examples=examples, seed=seed, exhaustive=exhaustive, smt=smt, bound=bound)
    return str(report.to_json_text())


def _text(data: Any) -> str:
    """As the CLI prints JSON: sorted keys, two-space indent, UTF-8, a final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def listing(what: str, variant: str | None = None, at: str | None = None) -> str:
    """The documents of `casus facts|rules|cases --format json` (and the variants alone)."""
    law = _law(variant)
    if what == "facts":
        return _text({"law": law.info(), **casus.facts(law)})
    if what == "rules":
        return _text({"law": law.info(), "provisions": casus.rules(law, at), "variants": casus.variants(law)})
    if what == "variants":
        return _text({"law": law.info(), "variants": casus.variants(law)})
    if what == "renamed":
        # Old fact names, for explorer links written with them: {old: {use, values: {old setting: new}}}.
        def setting(v: Any) -> str:
            return "unknown" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
        return _text({"renamed": {old: {"use": d.use, "values": {setting(p.from_): setting(p.to) for p in d.values}}
                                  for old, d in sorted(law.law.vocabulary.deprecated.items())}})
    if what == "cases":
        files = {c.id: c.path.name for c in casus.cases()}
        rows = [{"id": e.id, "title": e.case.title, "date": e.date.isoformat(), "file": files.get(e.id, ""),
                 "outcomes": e.outcomes} for e in casus.evaluate_many(None, law=law)]
        return _text({"law": law.info(), "cases": rows})
    raise NotFound(f"no listing '{what}'")


def provision(pid: str, variant: str | None = None, at: str | None = None) -> str:
    """The document of `casus rules show ID --format json`."""
    import datetime as dt
    provisions = _law(variant).law.provisions
    if pid not in provisions:
        raise NotFound(f"unknown provision '{pid}'" + _hint(pid, set(provisions), "provisions"))
    p = provisions[pid]
    day = dt.date.fromisoformat(at) if at else None
    data = p.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["versions"] = [v.model_dump(mode="json", by_alias=True, exclude_none=True)
                        for v in p.versions if day is None or v.in_force.covers(day)]
    return _text(data)


# ------------------------------------------------------------------ the explorer

_vocabularies: dict[str, dict[str, Any]] = {}


def _vocabulary(variant: str | None) -> dict[str, Any]:
    key = variant or "base"
    if key not in _vocabularies:
        _vocabularies[key] = {row["fact"]: row for row in casus.facts(_law(variant))["facts"]}
    return _vocabularies[key]


def explore(case: str | None = None, text: str | None = None, settings: dict[str, str] | None = None,
            at: str | None = None, variant: str | None = None) -> dict[str, Any]:
    """Everything the explorer page shows for one scenario, as plain data."""
    settings = dict(settings or {})
    law = _law(variant)
    loaded = _case(case, text, law)
    original = loaded.model_dump(mode="python", by_alias=True, exclude_none=True)
    vocabulary = _vocabulary(variant)
    treaties = _treaties(law)
    treaty = settings.pop(TREATY_KEY, None)
    parties = casus.facts(law)["parties"]
    data = scenario.apply(original, settings, vocabulary, at, roles=list(parties))
    if treaty is not None:
        found = next((t for t in treaties if t["id"] == treaty), None)
        if found is None:
            raise scenario.ScenarioError(f"treaty: no treaty '{treaty}' (treaties: {', '.join(t['id'] for t in treaties)})")
        # The scenario under the provisions of the treaty picked (the file it downloads as says so).
        data = {**data, "provisions": list(found["provisions"])}
        data.pop("expected", None)
        settings[TREATY_KEY] = treaty
    header = [f"What-if scenario of case '{original['id']}', made in the casus explorer."]
    header += [f"fact {k} set to {v}" for k, v in sorted(settings.items()) if k != TREATY_KEY]
    if treaty is not None:
        header.append(f"evaluated under the provisions of {treaty}")
    if at:
        header.append(f"law of {at} (the date below)")
    if variant:
        header.append(f"evaluate with: casus evaluate FILE --variant {variant}")
    as_file = scenario.to_yaml(data, header)
    # The scenario is evaluated as the file it downloads as: what you see is what you get.
    result = casus.evaluate(casus.load_case_text(as_file, law, name="scenario"), at=at, law=law, explain=True)
    provisions = set(data.get("provisions") or [r["id"] for r in casus.rules(law)])
    stated = original.get("facts", {})
    rows = []
    for name, row in vocabulary.items():
        if row["derived"] or (name not in stated and not provisions & set(row["used_by"])):
            continue
        rows.append({"fact": name, "type": row["type"], "values": row["values"],
                     "description": row["description"], "file": stated.get(name),
                     "setting": settings.get(name, ""), "now": data.get("facts", {}).get(name),
                     "presumed": row.get("presumed")})
    roles = [{"role": role, "description": text, "file": original.get(role),
              "setting": settings.get(scenario.ROLE_PREFIX + role, ""), "now": data.get(role)}
             for role, text in parties.items()]
    return {"case": original, "scenario": data, "facts": rows, "roles": roles,
            "non_state_parties": sorted(data.get("non_state_parties") or {}),
            "derived_roles": {name: row["computed_from"] for name, row in vocabulary.items() if row["derived"]},
            "evaluation": result.to_json(),
            "variants": casus.variants(law), "yaml": as_file, "treaties": treaties,
            "first_signed": law.law.first_signed().treaty_signed.isoformat(),
            "sources": {**original.get("sources", {}), **data.get("sources", {})}}


def _treaties(law: Any) -> list[dict[str, Any]]:
    """The treaties of the law (a provision id's first part: cst, nato, ...) and their provisions."""
    out: dict[str, list[str]] = {}
    for r in casus.rules(law):
        out.setdefault(r["id"].split(".")[0], []).append(r["id"])
    return [{"id": k, "provisions": v} for k, v in sorted(out.items())]


# ------------------------------------------------------------------ dispatch

JOBS: dict[str, Callable[..., Any]] = {
    "evaluate": evaluate, "compare": compare, "check": check, "listing": listing,
    "provision": provision, "explore": explore,
}


def run(name: str, params: dict[str, Any]) -> tuple[str, Any]:
    """('ok', result) or ('fail', (status, one-line message)); never raises. No server path
    is in either (see `public`)."""
    try:
        return "ok", public(JOBS[name](**params))
    except NotFound as exc:
        return "fail", (404, public(str(exc)))
    except (casus.InputError, scenario.ScenarioError) as exc:
        # Every mistake of a posted case, one line each (as the CLI prints them).
        lines = exc.lines() if hasattr(exc, "lines") else [str(exc)]
        return "fail", (400, public("\n".join(" ".join(line.split()) for line in lines)))
    except Exception as exc:  # noqa: BLE001 - one line for the client; the server stays up
        return "fail", (500, public(f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
                                    "(this is a bug in casus)"))


_places_of: dict[str | None, list[tuple[str, str]]] = {}


def _places() -> list[tuple[str, str]]:
    if _rules not in _places_of:
        _places_of[_rules] = _server_paths()
    return _places_of[_rules]


def _server_paths() -> list[tuple[str, str]]:
    """Server paths and what a client sees instead: files under the rules directory by their
    path in it, the directory by its name, anything else of the installed casus by its path
    in the package."""
    import os
    from pathlib import Path
    root = Path(_rules).resolve() if _rules else Path(casus.__file__).resolve().parent / "rules"
    package = Path(casus.__file__).resolve().parent
    out: list[tuple[str, str]] = []
    for path, instead in ((root, root.name), (package, package.name)):
        for text in (str(path), os.path.realpath(path)):
            out += [(text + os.sep, ""), (text, instead)]
    # JSON writes some characters of a path as escapes: those spellings too.
    out += [(json.dumps(a, ensure_ascii=True)[1:-1], b) for a, b in out if json.dumps(a, ensure_ascii=True)[1:-1] != a]
    return sorted(set(out), key=lambda p: -len(p[0]))


def public(value: Any) -> Any:
    """`value` (text, or plain data) with every server path replaced (see `_places`)."""
    if isinstance(value, str):
        for path, instead in _places():
            if path in value:
                value = value.replace(path, instead)
        return value
    if isinstance(value, dict):
        return {public(k): public(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(public(v) for v in value)
    return value
