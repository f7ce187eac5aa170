"""Results of the API: typed wrappers around the engine's results with `.to_json()` (plain
data, ready for `json.dumps`) and `.to_json_text()` (deterministic text: the same input
gives the same bytes).

JSON of evaluations has one shape for one case or many:
    {"schema_version": SCHEMA_VERSION, "law": {...}, "cases": [case result, ...]}
`schema_version` changes only when a key changes meaning or disappears; new keys
may appear without a change (schemas/result.json allows them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .files import models as m
from .files.errors import InputError
from .handle import Law
from .gcpause import gc_paused
from .jsontext import json_text
from .outcome import Outcome

if TYPE_CHECKING:
    from .evaluate.evaluator import CaseResult
    from .explain.tree import Explanation

SCHEMA_VERSION = "1"


@dataclass
class Evaluation:
    """One case evaluated against one law."""
    result: "CaseResult"
    law: Law
    explanation: "list[Explanation] | None" = None       # one per provision, with --explain

    @property
    def case(self) -> m.Case:
        return self.result.case

    @property
    def id(self) -> str:
        return self.result.case.id

    @property
    def date(self) -> dt.date:
        return self.result.date

    @property
    def outcomes(self) -> dict[str, str]:
        """Provision id -> outcome."""
        return {p.provision.id: p.outcome.value for p in self.result.provisions}

    def provision(self, pid: str) -> dict[str, Any]:
        """One provision's result as plain data (the `provisions` entry of the JSON)."""
        for entry in self.case_json()["provisions"]:
            if entry["id"] == pid:
                found: dict[str, Any] = entry
                return found
        raise KeyError(pid)

    @property
    def to_set(self) -> dict[str, list[list[str]]]:
        """For each undetermined provision: the case fields whose values could decide it
        (`acting_state`, `facts.armed_attack`), smallest sets first."""
        from .files.fields import fields_to_set
        out = {}
        for p in self.result.provisions:
            if p.outcome == Outcome.UNDETERMINED and p.verdict is not None:
                out[p.provision.id] = fields_to_set(p.verdict.deciding, self.law.law.vocabulary, self.case)
        return out

    @gc_paused          # as Evaluator.evaluate: deciding sets, trace and reasons are made here
    def case_json(self) -> dict[str, Any]:
        """The case result alone (one entry of the envelope's `cases`)."""
        from .explain.trace import case_dict
        data: dict[str, Any] = case_dict(self.result)
        hints = self.to_set
        for entry in data["provisions"]:
            if entry["id"] in hints:
                entry["to_set"] = hints[entry["id"]]
        if self.explanation is not None:
            for entry, tree in zip(data["provisions"], self.explanation):
                entry["explanation"] = tree.to_json()
        return data

    def to_json(self) -> dict[str, Any]:
        return envelope(self.law, [self.case_json()])

    def to_json_text(self) -> str:
        return json_text(self.to_json())

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}: {v}" for k, v in self.outcomes.items())
        return f"<casus.Evaluation {self.id} on {self.date}: {shown}>"


@dataclass
class Evaluations:
    """Several cases evaluated against one law."""
    cases: list[Evaluation]
    law: Law
    warnings: list[InputError] = field(default_factory=list)   # about the case files

    def __iter__(self) -> Iterator[Evaluation]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def __getitem__(self, key: int | str) -> Evaluation:
        if isinstance(key, int):
            return self.cases[key]
        for e in self.cases:
            if e.id == key:
                return e
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        return envelope(self.law, [e.case_json() for e in self.cases])

    def to_json_text(self) -> str:
        return json_text(self.to_json())


def envelope(law: Law, cases: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "law": law.info(), "cases": cases}



@dataclass
class Report:
    """An analysis report (compare, check): plain data plus the law it ran on."""
    kind: str
    data: dict[str, Any]
    law: Law

    @property
    def passed(self) -> bool:
        return bool(self.data.get("passed", True))

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "law": self.law.info(), **self.data}

    def to_json_text(self) -> str:
        return json_text(self.to_json())
