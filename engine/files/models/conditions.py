"""Conditions (in provision and amendment files): a small, analysable language:
  {all: [...]}, {any: [...]}, {not: C},
  {fact: x} (boolean x is true), {fact: x, is: v} (x equals v), {fact: x, in: [v, ...]},
  {conclusion: c} (conclusion c of the same provision holds).
"""

from __future__ import annotations

from typing import Annotated, Any, Self, Union

from pydantic import BaseModel, Discriminator, Field, Tag, model_validator

from .shared import Bool, Strict


class FactTest(Strict):
    fact: str
    is_: Bool | str | None = Field(default=None, alias="is")
    in_: list[str] | None = Field(default=None, alias="in", min_length=1)

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        if self.is_ is not None and self.in_ is not None:
            raise ValueError("a fact test takes either 'is' or 'in', not both")
        return self


class ConclusionTest(Strict):
    conclusion: str


class All(Strict):
    all: list["Condition"] = Field(min_length=1)


class Any_(Strict):
    any: list["Condition"] = Field(min_length=1)


class Not(Strict):
    not_: "Condition" = Field(alias="not")


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not", "fact", "conclusion"):
            if key in value:
                return key
        return None
    if isinstance(value, BaseModel):
        return {All: "all", Any_: "any", Not: "not", FactTest: "fact",
                ConclusionTest: "conclusion"}.get(type(value))
    return None


Condition = Annotated[
    Union[Annotated[All, Tag("all")], Annotated[Any_, Tag("any")], Annotated[Not, Tag("not")],
          Annotated[FactTest, Tag("fact")], Annotated[ConclusionTest, Tag("conclusion")]],
    Discriminator(_condition_kind, custom_error_type="condition",
                  custom_error_message="a condition needs one of: all, any, not, fact, conclusion"),
]
# No model_rebuild() here: the models build their validators on first use (defer_build in
# shared.Strict), when `Condition` is defined; a process that never validates a provision
# (one that reads the law from the cache, engine/law/cache.py) never builds them.
