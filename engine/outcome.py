"""The answers a provision can give. A str Enum, so `Outcome.TRIGGERED == "triggered"`
and JSON writes the plain word."""

from __future__ import annotations

from enum import Enum


class Outcome(str, Enum):
    TRIGGERED = "triggered"
    NOT_TRIGGERED = "not_triggered"
    UNDETERMINED = "undetermined"
    CONTESTED = "contested"
    NOT_APPLICABLE = "not_applicable"

    def __str__(self) -> str:
        return self.value

    @property
    def decided(self) -> bool:
        """An answer that more facts cannot change (monotonicity)."""
        return self in (Outcome.TRIGGERED, Outcome.NOT_TRIGGERED, Outcome.NOT_APPLICABLE)


class DivergenceKind(str, Enum):
    """How the law's answer and the CSTO's recorded conduct part ways."""
    OBLIGATION_UNMET = "obligation_unmet"
    OBLIGATION_MET_LATE = "obligation_met_late"            # only on a timeline, against a threshold
    ACTED_WITHOUT_OBLIGATION = "acted_without_obligation"
    ACTED_WITHOUT_BASIS = "acted_without_basis"

    def __str__(self) -> str:
        return self.value
