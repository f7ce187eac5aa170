"""What a backend is: something that runs a compiled program on known facts and says
which rules fired. durable_rules (backends/durable.py) is the engine; the reference
evaluator (backends/reference.py) is the independent check. Both answer in Firings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..logic.compiler import CompiledVersion, RuleKind
from ..logic.ir import Atom, Value


@dataclass(frozen=True)
class EngineRef:
    """Where a firing happened inside the engine (engine-specific names, optional)."""
    ruleset: str
    rule: str


@dataclass(frozen=True)
class Firing:
    """One rule that fired: it derived `derives = value` from the atoms it `matched`."""
    stratum: int
    rule: str                  # casus rule id
    kind: RuleKind
    derives: Atom
    value: bool
    term: int | None = None    # which DNF term of the rule matched (None: the reference does not say)
    matched: tuple[tuple[Atom, Value], ...] = ()
    engine: EngineRef | None = field(default=None, compare=False)

    def key(self) -> tuple[int, str, str, bool]:
        """What two backends must agree on."""
        return (self.stratum, self.rule, self.kind.value, self.value)


class Backend(Protocol):
    name: str

    def prepare(self, program: CompiledVersion) -> None:
        """Compile `program` for this backend (refusing what it cannot run)."""

    def run(self, program: CompiledVersion, facts: Mapping[str, Value]) -> list[Firing]:
        """Run the program on the known input facts; the firings, in the order they happened."""
