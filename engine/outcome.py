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
