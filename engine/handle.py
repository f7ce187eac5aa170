"""The law in use and the cases read against it: `casus.Law` (a rules directory with variants
stacked on it), and finding and loading cases by id, path, text or plain data.

Every entry point of the API takes the law as this handle (`load_law(rules, variant)`) or
builds one from `rules`/`variant`, so the CLI and any other front end (the web server)
evaluate through exactly the same path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .files import models as m
from .files.errors import InputError, date_problem, did_you_mean
from .files.parse import parse_file
from .files.paths import cases_dir
from .law.loader import LawModels

if TYPE_CHECKING:
    from .evaluate.evaluator import Evaluator

CaseRef = Union[str, Path, dict[str, Any], m.Case]
VariantRef = Union[str, Path]


# ------------------------------------------------------------------ the law in use

@dataclass(frozen=True)
class VariantInfo:
    """An amendment variant in use: shipped with the rules, or read from a user's file."""
    id: str
    file: str | None            # set for a variant read from a file named on the command line
    status: str
    title: str

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status, "title": self.title}
        if self.file is not None:
            out["file"] = self.file
        return out


class Law:
    """A law to evaluate against: a rules directory and the variants stacked on it.

    `base` is the law without the variants (with any user variant files registered
    as amendments, so analyses can name them by id); `law` is the law with them applied.
    """

    def __init__(self, base: LawModels, rules: Path | None, variants: Sequence[VariantInfo]):
        self.base = base
        self.rules = rules                    # None: the shipped law
        self.variants = tuple(variants)

    @property
    def shipped(self) -> bool:
        return self.rules is None

    @property
    def spec(self) -> str:
        """The variants as the analyses name them: 'a+b', or 'base'."""
        return "+".join(v.id for v in self.variants) or "base"

    @cached_property
    def law(self) -> LawModels:
        from .law.amendments import with_variants
        try:
            return with_variants(self.base, [v.id for v in self.variants]) if self.variants else self.base
        except InputError:
            # A variant file with mistakes: every one of them (raises Problems), else this error.
            from .analysis.validation import variant_file_problems
            variant_file_problems(self.base, [v.file for v in self.variants if v.file])
            raise

    @cached_property
    def evaluator(self) -> "Evaluator":
        from .evaluate.evaluator import Evaluator
        return Evaluator(self.law)

    def with_variant(self, variant: VariantRef | Sequence[VariantRef] | None) -> "Law":
        """This law with more variants stacked on top."""
        refs = _variant_refs(variant)
        if not refs:
            return self
        base, infos = _register_variants(self.base, refs)
        return Law(base, self.rules, self.variants + tuple(infos))

    def info(self) -> dict[str, Any]:
        """What the JSON envelope says about the law in use."""
        return {"rules": "shipped" if self.rules is None else str(self.rules),
                "shipped": self.rules is None,
                "variant": self.spec,
                "variants": [v.to_json() for v in self.variants]}

    def describe(self) -> str:
        """One line for text headers: 'shipped law' / 'rules my-rules/' + variants."""
        text = "shipped law" if self.rules is None else f"rules {self.rules}"
        for v in self.variants:
            text += f" + variant {v.id}" + (f" ({v.file})" if v.file else "")
        return text

    def __repr__(self) -> str:
        return f"<casus.Law {self.describe()}>"


def _variant_refs(variant: VariantRef | Sequence[VariantRef] | None) -> list[str]:
    if variant is None:
        return []
    items: Iterable[VariantRef] = [variant] if isinstance(variant, (str, Path)) else variant
    out: list[str] = []
    for item in items:
        if isinstance(item, Path) or _looks_like_file(str(item)):
            out.append(str(item))
        else:
            out.extend(s for s in str(item).split("+") if s and s != "base")
    return out


def _looks_like_file(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or "/" in ref or Path(ref).is_file()


def _register_variants(base: LawModels, refs: list[str]) -> tuple[LawModels, list[VariantInfo]]:
    """Read variant files into the law's amendments (a file's id may replace a shipped
    variant of the same id: the user's edit of it wins); check every id exists."""
    infos: list[VariantInfo] = []
    for ref in refs:
        if _looks_like_file(ref):
            try:
                amendment, positions = parse_file(m.Amendment, ref)
            except InputError:
                from .analysis.validation import variant_file_problems
                variant_file_problems(base, [ref])       # every mistake of the file (raises Problems)
                raise
            base = dc_replace(base, amendments={**base.amendments, amendment.id: amendment},
                              amendment_files={**base.amendment_files, amendment.id: ref},
                              amendment_positions={**base.amendment_positions, amendment.id: positions})
            infos.append(VariantInfo(amendment.id, ref, amendment.status, amendment.title))
        else:
            if ref not in base.amendments:
                raise InputError(f"unknown variant '{ref}'", hint=did_you_mean(ref, base.amendments)
                                 or f"variants: {', '.join(sorted(base.amendments)) or 'none'}; "
                                    "or give the path of a variant file")
            a = base.amendments[ref]
            infos.append(VariantInfo(a.id, None, a.status, a.title))
    seen: set[str] = set()
    for info in infos:
        if info.id in seen:
            raise InputError(f"variant '{info.id}' is named twice")
        seen.add(info.id)
    return base, infos


_SHIPPED: LawModels | None = None


def _load_base(rules: str | Path | None) -> LawModels:
    global _SHIPPED
    # Read once per content of the law: later processes unpickle it from the user's cache.
    from .law.cache import cached_rules
    if rules is None:
        # The shipped law is read-only data: load it once per process.
        if _SHIPPED is None:
            _SHIPPED = cached_rules(None)
        return _SHIPPED
    try:
        return cached_rules(rules)
    except InputError:
        # Loading stops at the first mistake; report every mistake of every file (raises
        # Problems), unless the mistake is between files (then it is the one reported).
        from .analysis.validation import law_problems
        law_problems(Path(rules))
        raise


def load_law(rules: str | Path | None = None,
             variant: VariantRef | Sequence[VariantRef] | None = None) -> Law:
    """The law in a rules directory (default: the shipped law) with variants stacked on it.

    `variant` is a variant id, a path to a variant file, 'a+b', or a list of these."""
    base = _load_base(rules)
    law = Law(base, None if rules is None else Path(rules), ())
    return law.with_variant(variant)


def _law_for(law: Law | None, variant: VariantRef | Sequence[VariantRef] | None,
             rules: str | Path | None = None) -> Law:
    if law is None:
        return load_law(rules, variant)
    return law.with_variant(variant)


# ------------------------------------------------------------------ cases

def case_paths(cases: str | Path | None = None) -> list[Path]:
    """The case files of a directory (default: the shipped corpus), sorted."""
    directory = cases_dir() if cases is None else Path(cases)
    if not directory.is_dir():
        raise InputError("not a directory", file=str(directory), hint="--cases takes a directory of case files")
    return sorted(list(directory.glob("*.yaml")) + list(directory.glob("*.yml")))


def find_case(ref: str | Path, cases: str | Path | None = None) -> Path:
    """A case id (in `cases`, default the shipped corpus) or a path to a case file."""
    text = str(ref)
    path = Path(text)
    if isinstance(ref, Path) or path.suffix in (".yaml", ".yml") or path.exists() or "/" in text:
        return path
    directory = cases_dir() if cases is None else Path(cases)
    for suffix in (".yaml", ".yml"):
        if (directory / f"{text}{suffix}").exists():
            return directory / f"{text}{suffix}"
    known = [p.stem for p in case_paths(cases)] if directory.is_dir() else []
    where = "a shipped case id" if cases is None else f"a case id in {directory}"
    raise InputError(f"no such case '{text}' (neither {where} nor a file)",
                     hint=did_you_mean(text, known) or "run 'casus cases' to list the cases")


def load_case(case: CaseRef, law: Law | None = None, *, cases: str | Path | None = None) -> m.Case:
    """A case from a shipped id, a path, plain data (as in a case file) or a loaded case."""
    from .law.cases import read_case_file
    if isinstance(case, m.Case):
        return case
    law = law or load_law()
    if isinstance(case, dict):
        import yaml
        # Through the file loader, so plain data gets exactly a file's checks and messages.
        return read_case_file("<dict>", law.base, text=yaml.safe_dump(case, sort_keys=False, allow_unicode=True))
    return read_case_file(find_case(case, cases), law.base)


def load_case_text(text: str | bytes, law: Law | None = None, *, name: str = "<text>") -> m.Case:
    """A case from the text (or bytes) of a case file, YAML or JSON, held to a file's limits
    (size, binary data, encoding, nesting, aliases) and checks; errors name `name` as the file.
    (A front end that receives case files, such as `casus serve`, never writes them to disk.)
    Every mistake is reported at once, as for a file: the error's `lines()`, one line each."""
    from .analysis.validation import check_case_file
    from .files.problems import Problems
    from .files.yamlio import decode
    use = law or load_law()
    report = check_case_file(name, use.base, text=decode(text, name) if isinstance(text, bytes) else text)
    if report.errors or report.case is None:
        raise Problems([report])        # every mistake, one line each (`lines()`), as for a file
    return report.case


def load_cases(refs: Sequence[CaseRef], law: Law | None = None, *,
               cases: str | Path | None = None, warnings: list[InputError] | None = None) -> list[m.Case]:
    """Several cases; two with the same id are an error (results would be ambiguous).

    Every file is checked before any error is raised: the error (a `Problems`) lists every
    mistake in every file. Warnings (a date in the future, an id that is not the file
    name, ...) are appended to `warnings` if given."""
    from .analysis.validation import load_case_files
    law = law or load_law()
    out: list[m.Case] = []
    files = [find_case(r, cases) for r in refs if isinstance(r, (str, Path))]
    loaded, reports = load_case_files(files, law.base) if files else ([], [])
    if warnings is not None:
        warnings.extend(w for r in reports for w in r.warnings)
    by_file = iter(loaded)
    seen: set[str] = set()
    for ref in refs:
        case = next(by_file) if isinstance(ref, (str, Path)) else load_case(ref, law)
        if case.id in seen:
            raise InputError(f"duplicate case id '{case.id}'")
        seen.add(case.id)
        out.append(case)
    return out


def _parse_day(at: str | dt.date | None) -> dt.date | None:
    if at is None or isinstance(at, dt.date):
        return at
    try:
        return dt.date.fromisoformat(at)
    except ValueError:
        raise InputError(f"--at: '{at}' {date_problem(at)}") from None
