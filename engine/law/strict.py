"""`casus validate --strict`: the corpus discipline that a schema cannot express.

A case file can be valid and still say more than its sources do. Strict validation
checks what can be checked mechanically:

- every `false` fact or claim carries a `quote` (the words of its cited source that
  state the negative) or is marked `absent: true`, citing a source whose `search`
  says which record was searched (silence is not a negative);
- a quote that cites a file under the shared research folder occurs in that file
  (whitespace and typographic quotes normalised; "..." may stand for omitted words);
- no recorded response is dated before the events start or after today;
- the case date is not in the future, and the id is the file name.

A provision file is held to the same discipline for its article texts and dates:

- where Russian is an authentic language of the instrument (`authentic`, the CST's by
  default), every version carries the authentic Russian text (`text_ru`, from a cited
  source) or says in `text_ru_note` why it has none;
- where it has the Russian, every quote of its rules has its Russian words in `quotes_ru`
  (checked against `text_ru` when the file is read, as the English quotes are against `text`);
- every version's in-force date cites the source that gives it, with the quote.

Every finding is reported (not just the first), each as one `file:line:col` line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from ..files import models as m
from ..files.errors import InputError
from .loader import LawModels
from ..files.parse import Located, parse_file
from .cases import check_case
from ..files.yamlio import Positions, locate

SHARED_ENV = "CASUS_SHARED"

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "`": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                         "\u2033": '"', "\u00ab": '"', "\u00bb": '"'})
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def shared_dir() -> Path | None:
    """The shared research folder (seeds and notes) that case sources cite by file, if present.

    $CASUS_SHARED wins; otherwise `shared/csto` beside the repository (or beside one of
    its parent directories, so that a git worktree finds the same folder)."""
    env = os.environ.get(SHARED_ENV)
    if env:
        path = Path(env)
        if not path.is_dir():
            raise InputError(f"${SHARED_ENV} names '{env}', which is not a directory",
                             hint=f"unset {SHARED_ENV} to skip checking quotes against shared files")
        return path
    root = Path(__file__).resolve().parents[2]
    for base in (root.parent, *root.parent.parents):
        candidate = base / "shared" / "csto"
        if candidate.is_dir():
            return candidate
    return None


def normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def quote_occurs(quote: str, text: str) -> bool:
    """The quoted words occur in `text`, in order; an ellipsis stands for omitted words."""
    haystack = normalise(text)
    at = 0
    for piece in _ELLIPSIS.split(normalise(quote)):
        piece = piece.strip().strip('"').strip()
        if not piece:
            continue
        found = haystack.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


class _Findings:
    def __init__(self, file: str, positions: Positions):
        self.file, self.positions = file, positions
        self.items: list[InputError] = []

    def add(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        line, col = locate(self.positions, path)
        self.items.append(InputError(message, file=self.file, line=line, column=col, hint=hint))


def _events_start(case: m.Case) -> dt.date:
    # A case dated after its events began (e.g. when a position was stated) may list
    # responses from the start of the events; its dated `events`, where it has them, say when.
    return min([case.date, *(event.date for event in case.events)])


class _SharedFiles:
    def __init__(self, root: Path | None):
        self.root = root
        self.cache: dict[str, str] = {}

    def text(self, name: str) -> str | None:
        """The file's text; None when there is no shared folder to check against."""
        if self.root is None:
            return None
        if name not in self.cache:
            path = self.root / name
            self.cache[name] = path.read_text(encoding="utf-8") if path.is_file() else ""
        return self.cache[name]

    def exists(self, name: str) -> bool:
        return self.root is None or (self.root / name).is_file()


def check_strict(case: m.Case, file: str, positions: Positions, *, today: dt.date | None = None,
                 shared: Path | None = None, vocab: m.Vocabulary | None = None) -> list[InputError]:
    today = today or dt.date.today()
    out = _Findings(file, positions)
    files = _SharedFiles(shared)

    stem = Path(file).stem
    if case.id != stem:
        out.add(("id",), f"case id '{case.id}' does not match the file name '{Path(file).name}'",
                 f"rename the file to {case.id}.yaml or set id: {stem}")
    if case.date > today:
        out.add(("date",), f"case date {case.date} is in the future (today is {today})")

    for key, src in case.sources.items():
        if src.file and not files.exists(src.file):
            out.add(("sources", key, "file"), f"source '{key}' cites '{src.file}', which is not in {shared}")
        elif src.file and src.quote and not _quoted(files, src.file, src.quote):
            out.add(("sources", key, "quote"), f"source '{key}' quotes words that are not in {src.file}",
                    "quote the file exactly (whitespace and quote marks may differ; '...' for omitted words)")

    fact_sets: list[tuple[tuple[Any, ...], dict[str, m.FactEntry]]] = [((), case.facts)]
    for i, event in enumerate(case.events):
        fact_sets.append((("events", i), event.facts))
        if event.date > today:
            out.add(("events", i, "date"), f"event dated {event.date}, in the future (today is {today})")
    for prefix, facts in fact_sets:
        for name, entry in facts.items():
            by = entry.established_by or []
            if by and len(set(by)) < 2 and not any(case.sources[k].finding for k in by if k in case.sources):
                out.add(prefix + ("facts", name, "established_by"),
                        f"fact '{name}' is established by one source, which is not a fact-finding body's finding",
                        "an established fact needs two independent sources that each say the value, or the "
                        "finding of a body whose task was to establish the facts (mark that source "
                        "'finding: true'); else give it as a value with its source, or as a claim")
            stated: list[tuple[tuple[Any, ...], str, m.FactEntry | m.Claim]]
            if entry.claims:
                stated = [(prefix + ("facts", name, "claims", party), f"claim of {party} on '{name}'", claim)
                          for party, claim in entry.claims.items()]
            else:
                stated = [(prefix + ("facts", name), f"fact '{name}'", entry)]
            definition = vocab.facts.get(name) if vocab is not None else None
            negative = definition.negative if definition is not None else []
            for path, label, item in stated:
                _check_statement(out, files, case, path, label, item, negative)

    start = _events_start(case)
    for i, response in enumerate(case.record.responses if case.record else []):
        if response.date is None:
            continue
        path = ("record", "responses", i, "date")
        if response.date < start:
            out.add(path, f"response dated {response.date}, before the events of the case start ({start})",
                    "date the response correctly, or date the case (or its events) from when they began")
        elif response.date > today:
            out.add(path, f"response dated {response.date}, in the future (today is {today})")
    return out.items


def _quoted(files: _SharedFiles, name: str, quote: str) -> bool:
    text = files.text(name)
    return text is None or quote_occurs(quote, text)


def _check_statement(out: _Findings, files: _SharedFiles, case: m.Case, path: tuple[Any, ...],
                     label: str, item: m.FactEntry | m.Claim, negative: list[str] | None = None) -> None:
    source = case.sources.get(item.source or "")
    # A negative is `false`, or an enum value the vocabulary marks as stating an absence ('none').
    is_negative = item.value is False or (isinstance(item.value, str) and item.value in (negative or []))
    if is_negative and not item.quote and not item.absent:
        shown = "false" if item.value is False else f"'{item.value}' (a negative)"
        out.add(path + ("value",), f"{label} is {shown} with no quote from its source and no 'absent: true'",
                "quote the words that state it, or mark 'absent: true' with a source that documents "
                "the search; else leave it unknown")
    if item.absent and source is not None and not source.search:
        out.add(path + ("absent",), f"{label} is marked absent, but its source '{item.source}' documents no search",
                f"give source '{item.source}' a 'search:' saying which record was searched and what was found")
    if item.quote and source is not None and source.file and files.exists(source.file) \
            and not _quoted(files, source.file, item.quote):
        out.add(path + ("quote",), f"{label} quotes words that are not in its source {source.file}",
                "quote the file exactly (whitespace and quote marks may differ; '...' for omitted words)")


def strict_file(path: Path | str, law: LawModels, *, today: dt.date | None = None) -> list[InputError]:
    """Strict findings for one case file (schema errors still raise, as in plain validation)."""
    case, positions = parse_file(m.Case, path)
    check_case(case, law, Located(str(path), positions))
    return check_strict(case, str(path), positions, today=today, shared=shared_dir(), vocab=law.vocabulary)


def check_strict_provision(prov: m.Provision, file: str, positions: Positions) -> list[InputError]:
    """Strict findings for one provision: the Russian text and the dates' sources."""
    out = _Findings(file, positions)
    for vi, version in enumerate(prov.versions):
        vpath: tuple[Any, ...] = ("versions", vi)
        if "ru" in prov.authentic and version.text_ru is None and not version.text_ru_note:
            out.add(vpath + ("text",), f"version '{version.id}' has no Russian text and no 'text_ru_note' saying why",
                    "add 'text_ru' with its 'text_ru_source' (the authentic text, from a cited source), or a "
                    "'text_ru_note' saying what was searched and not found")
        if version.text_ru is not None:
            for ri, rule in enumerate(version.rules):
                if rule.quote and rule.quote not in version.quotes_ru:
                    out.add(vpath + ("rules", ri, "quote"),
                            f"rule '{rule.id}' quotes the English text, but 'quotes_ru' of version '{version.id}' "
                            "gives no Russian words for it",
                            f"add under 'quotes_ru' the line  \"{rule.quote}\": \"<the same words in text_ru>\"")
        if version.in_force.source is None or not version.in_force.quote:
            out.add(vpath + ("in_force",), f"version '{version.id}': its in-force date cites no source with a quote",
                    "add 'source' (a key under 'sources') and 'quote' (its words that give the date) under "
                    "'in_force'; where no source gives it, cite what was found and say why this date in 'note'")
    return out.items


def strict_provision_file(path: Path | str) -> list[InputError]:
    """Strict findings for one provision file (schema errors still raise, as in plain validation)."""
    prov, positions = parse_file(m.Provision, path)
    return check_strict_provision(prov, str(path), positions)
