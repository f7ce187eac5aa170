"""What a law and a corpus hold, as plain data: the fact vocabulary, the states a case may
name, the provisions and their versions, the variants, the cases of a directory, and the
published JSON Schemas."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import models as m
from .files.errors import InputError, did_you_mean
from .files.paths import package_dir
from .handle import Law, _parse_day, case_paths, load_law


@dataclass(frozen=True)
class CaseInfo:
    id: str
    title: str
    date: dt.date
    path: Path

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "date": self.date.isoformat(), "file": str(self.path)}




def facts(law: Law | None = None) -> dict[str, Any]:
    """The fact vocabulary: parties a case names, the facts it may state, derived facts,
    with the provisions that use each."""
    from .logic.compiler import CompiledLaw
    use = law or load_law()
    vocab = use.law.vocabulary
    used: dict[str, set[str]] = {}
    for cv in CompiledLaw(use.law).all_versions():
        for f in cv.facts:
            used.setdefault(f, set()).add(cv.provision.id)
    rows = []
    for name in vocab.names():
        d = vocab.definition(name)
        derived = vocab.derived.get(name)
        row: dict[str, Any] = {"fact": name, "type": d.type, "values": list(d.domain()),
                               "derived": derived is not None, "description": d.description,
                               "used_by": sorted(used.get(name, ()))}
        if derived is not None:
            row["computed_from"] = list(derived.roles)
            if derived.if_absent is not None:
                row["if_absent"] = derived.if_absent
        if d.presumption is not None:
            row["presumed"] = d.presumption.value       # what a case silent on it is read as
        rows.append(row)
    return {"parties": dict(vocab.parties), "states": states(use), "non_state_parties": NON_STATE_PARTIES,
            "claimants": CLAIMANTS, "facts": rows}


NON_STATE_PARTIES = (
    "A party that is not a state (an armed group, a movement) is declared in the case under "
    "'non_state_parties' with an id (lower case), a name, a kind (armed_group, movement, organisation, "
    "other) and optionally a source; a role then names it by that id (e.g. attacker: taliban). It is "
    "never a member, so the membership facts of its role are false.")
CLAIMANTS = (
    "A contested fact lists each party's claim under 'claims', keyed by the claimant: a state code "
    "(KZ) or any other name of a party or group of observers (observers, CSTO). Each claimant is a "
    "perspective ('--perspective KZ').")


def states(law: Law | None = None) -> list[dict[str, Any]]:
    """Every state a case may name: its ISO 3166-1 code, its name, and whether the law's
    membership timeline knows it (the CSTO's own states)."""
    from .law.states import iso_states, state_name
    use = law or load_law()
    timeline = use.law.timeline
    return [{"code": code, "name": state_name(code, timeline), "timeline": code in timeline.states}
            for code in sorted(set(iso_states()) | set(timeline.states))]


def rules(law: Law | None = None, at: str | dt.date | None = None) -> list[dict[str, Any]]:
    """The provisions with their dated versions (only those in force on `at`, if given)."""
    use = law or load_law()
    day = _parse_day(at)
    out = []
    for p in sorted(use.law.provisions.values(), key=lambda p: p.id):
        versions = []
        for v in p.versions:
            if day is None or v.in_force.covers(day):
                entry: dict[str, Any] = {"id": v.id, "from": v.in_force.from_.isoformat()}
                if v.in_force.to is not None:
                    entry["to"] = v.in_force.to.isoformat()
                versions.append(entry)
        out.append({"id": p.id, "title": p.title, "question": p.question, "versions": versions,
                    "file": use.law.provision_files.get(p.id, "")})
    return out


def variants(law: Law | None = None) -> list[dict[str, Any]]:
    """The amendment variants the law knows (shipped with its rules, and any files in use)."""
    use = law or load_law()
    return [{"id": a.id, "title": a.title, "status": a.status, "proposer": a.proposer,
             "date": a.date.isoformat(), "affects": list(a.affects),
             "file": use.base.amendment_files.get(a.id, "")}
            for a in sorted(use.base.amendments.values(), key=lambda a: a.id)]


def cases(cases_dir: str | Path | None = None) -> list[CaseInfo]:
    """The cases of a directory (default: the shipped corpus): id, title, date, file."""
    from .files.parse import parse_file
    out = []
    for path in case_paths(cases_dir):
        case, _ = parse_file(m.Case, path)
        out.append(CaseInfo(case.id, case.title, case.date, path))
    return out


# ------------------------------------------------------------------ schemas

SCHEMA_NAMES = ("case", "provision", "amendment", "facts", "members", "result", "timeline")


def schema_path(name: str) -> Path:
    if name not in SCHEMA_NAMES:
        raise InputError(f"unknown schema '{name}'", hint=did_you_mean(name, SCHEMA_NAMES)
                         or f"schemas: {', '.join(SCHEMA_NAMES)}")
    return package_dir("schemas") / f"{name}.json"


def schema(name: str) -> dict[str, Any]:
    """A published JSON Schema: 'case', 'provision', 'amendment', 'facts', 'members' (the
    files), 'result' (the JSON of `casus evaluate`) or 'timeline' (of `evaluate --timeline`)."""
    loaded: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return loaded
