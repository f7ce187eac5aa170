"""The one error type users see: a bad input, reported as a single line."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any


class InputError(Exception):
    """Bad user input. Rendered as `file:line:col: message (hint: ...)`, exit code 2."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint

    def located(self, file: str | None = None, line: int | None = None,
                column: int | None = None) -> "InputError":
        """Fill in a location the raiser did not know (never overwrite a known one)."""
        self.file = self.file or file
        if self.line is None:
            self.line, self.column = line, column
        return self

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split("\n"))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known spelling, if any is close."""
    close = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def value_hint(word: Any, values: Iterable[Any]) -> str:
    """The hint for a value a fact does not have: the values it has, the likeliest first.
    Closeness alone misleads ('external' is closest to 'internal', while 'external_state' and
    'external_non_state' are what was meant), so values the word begins are named before it."""
    allowed = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
    text = str(word)
    close = [v for v in allowed if text and v.startswith(text)] or \
        difflib.get_close_matches(text, sorted(set(allowed)), n=1, cutoff=0.6)
    listing = f"values: {', '.join(allowed)}"
    return f"did you mean {' or '.join(repr(c) for c in close)}? {listing}" if close else listing


def date_problem(text: str) -> str:
    """Why `text` is not a date, in the same words wherever a date is read (a file, --at, the
    explorer): a wrongly written date and an impossible one (2022-02-30) differ in the reason."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            dt.date.fromisoformat(text)
        except ValueError as exc:
            return f"is not a date ({exc})"
    return "is not a date (expected YYYY-MM-DD)"
