"""An amendment file: a variant of the law, as changes to provisions and to membership's reading."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from .shared import ID, Day, Source, Strict
from .members import MEMBERSHIP_STATUSES
from .provision import ProvisionVersion, Rule


class ReplaceRule(Strict):
    """Replace a rule by id (in every version holding it, or in `version` only)."""
    op: Literal["replace"]
    rule: str
    version: str | None = None
    with_: Rule = Field(alias="with")


class AddRule(Strict):
    op: Literal["add"]
    provision: str
    version: str | None = None
    rule: Rule


class RemoveRule(Strict):
    op: Literal["remove"]
    rule: str
    version: str | None = None


class AddVersion(Strict):
    """A new dated version of a provision (its in-force dates must not overlap the others)."""
    op: Literal["add_version"]
    provision: str
    new_version: ProvisionVersion


class ReplaceVersion(Strict):
    op: Literal["replace_version"]
    provision: str
    version: str
    with_: ProvisionVersion = Field(alias="with")


class RemoveVersion(Strict):
    op: Literal["remove_version"]
    provision: str
    version: str


class ReplaceText(Strict):
    op: Literal["replace_text"]
    provision: str
    version: str | None = None
    text: str


class CountsAsMember(Strict):
    """Change which membership statuses make a state a party (e.g. suspension as withdrawal)."""
    op: Literal["counts_as_member"]
    statuses: list[Literal[MEMBERSHIP_STATUSES]] = Field(min_length=1)  # type: ignore[valid-type]


class Participating(Strict):
    """Change which statuses take part in the Council's decisions and consultations
    (e.g. a declared freeze read as a suspension)."""
    op: Literal["participating"]
    statuses: list[Literal[MEMBERSHIP_STATUSES]] = Field(min_length=1)  # type: ignore[valid-type]


Change = Annotated[Union[ReplaceRule, AddRule, RemoveRule, AddVersion, ReplaceVersion, RemoveVersion,
                         ReplaceText, CountsAsMember, Participating], Field(discriminator="op")]


class Amendment(Strict):
    id: str = Field(pattern=ID)
    title: str
    proposer: str
    date: Day
    status: Literal["proposed", "adopted", "hypothetical"]
    summary: str
    source: Source
    affects: list[str] = Field(min_length=1)
    changes: list[Change] = Field(min_length=1)
