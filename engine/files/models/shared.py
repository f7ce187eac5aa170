"""What every file kind shares: the strict base model, sources, dates, booleans, id patterns and the
party roles."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool


STATE_CODE = r"^[A-Z]{2}$"
NON_STATE_ID = r"^[a-z][a-z0-9_-]*$"
PARTY = r"^([A-Z]{2}|[a-z][a-z0-9_-]*)$"        # a state code or a declared non-state party
ID = r"^[a-z0-9][a-z0-9_.\-]*$"
# Parties that claim facts (KZ, CSTO): ASCII only, so that two claimants cannot look alike
# (Latin KZ and Cyrillic КZ would be two perspectives printed the same).
CLAIMANT = r"^[A-Za-z][A-Za-z0-9_-]*$"


def _not_a_number(value: Any) -> Any:
    # pydantic reads a number as seconds since 1970: `date: 1641340800` would be 2022-01-05.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"{value!r} is a number, not a date (write YYYY-MM-DD)")
    return value


# A date written as a date (YAML reads YYYY-MM-DD as one), never a number.
Day = Annotated[dt.date, BeforeValidator(_not_a_number)]
# true or false as written; pydantic's default would read 1, 1.0, 0 and "yes" as booleans.
Bool = StrictBool
Claimant = Annotated[str, Field(pattern=CLAIMANT)]



class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)





class Source(Strict):
    cite: str = Field(min_length=1)
    url: str | None = None
    file: str | None = None          # a file under ../shared/csto/ (seed articles, notes)
    quote: str | None = None
    # For a source cited for an absence (`absent: true`): which record was searched, for what,
    # and what was (not) found. Silence in a source that never looked proves nothing.
    search: str | None = None
    # The report of a body whose task was to establish the facts (a commission of inquiry, UN or
    # OSCE monitors): one such source can establish a fact; otherwise it takes two independent ones.
    finding: bool | None = None




ROLES = ("requesting_state", "territory", "acting_state", "third_state", "attacker")
