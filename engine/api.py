"""The public Python API: `import casus; casus.evaluate("kazakhstan-2022")`.

Every entry point takes the law as a handle (`load_law(rules, variant)`) or builds
one from `rules`/`variant`, so the CLI and any other front end (the web server)
evaluate through exactly the same path. Results are typed wrappers around the
engine's results with `.to_json()` (plain data, ready for `json.dumps`) and
`.to_json_text()` (deterministic text: the same input gives the same bytes).

JSON of evaluations has one shape for one case or many:
    {"schema_version": SCHEMA_VERSION, "law": {...}, "cases": [case result, ...]}
`schema_version` changes only when a key changes meaning or disappears; new keys
may appear without a change (schemas/result.json allows them).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .law import models as m
from .outcome import Outcome
from .law.errors import InputError, date_problem, did_you_mean
from .law.loader import Law as LoadedLaw
from .law.loader import cases_dir as shipped_cases_dir
from .law.loader import package_dir, parse_file, rules_dir

if TYPE_CHECKING:
    from .evaluate import CaseResult, Evaluator
    from .explain.tree import Explanation

SCHEMA_VERSION = "1"

CaseRef = Union[str, Path, dict[str, Any], m.Case]
VariantRef = Union[str, Path]


def json_text(data: Any) -> str:
    """Byte-identical for identical data: sorted keys, fixed separators, UTF-8."""
    from .jsontext import json_text as text
    return text(data)


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

    def __init__(self, base: LoadedLaw, rules: Path | None, variants: Sequence[VariantInfo]):
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
    def law(self) -> LoadedLaw:
        from .law.amendments import with_variants
        try:
            return with_variants(self.base, [v.id for v in self.variants]) if self.variants else self.base
        except InputError:
            # A variant file with mistakes: every one of them (raises Problems), else this error.
            from .law.problems import variant_file_problems
            variant_file_problems(self.base, [v.file for v in self.variants if v.file])
            raise

    @cached_property
    def evaluator(self) -> "Evaluator":
        from .evaluate import Evaluator
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


def _register_variants(base: LoadedLaw, refs: list[str]) -> tuple[LoadedLaw, list[VariantInfo]]:
    """Read variant files into the law's amendments (a file's id may replace a shipped
    variant of the same id: the user's edit of it wins); check every id exists."""
    infos: list[VariantInfo] = []
    for ref in refs:
        if _looks_like_file(ref):
            try:
                amendment, positions = parse_file(m.Amendment, ref)
            except InputError:
                from .law.problems import variant_file_problems
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


_SHIPPED: LoadedLaw | None = None


def _load_base(rules: str | Path | None) -> LoadedLaw:
    global _SHIPPED
    from .law.loader import load_law as load
    if rules is None:
        # The shipped law is read-only data: load it once per process.
        if _SHIPPED is None:
            _SHIPPED = load(None)
        return _SHIPPED
    try:
        return load(rules)
    except InputError:
        # Loading stops at the first mistake; report every mistake of every file (raises
        # Problems), unless the mistake is between files (then it is the one reported).
        from .law.problems import law_problems
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

@dataclass(frozen=True)
class CaseInfo:
    id: str
    title: str
    date: dt.date
    path: Path

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "date": self.date.isoformat(), "file": str(self.path)}


def case_paths(cases: str | Path | None = None) -> list[Path]:
    """The case files of a directory (default: the shipped corpus), sorted."""
    directory = shipped_cases_dir() if cases is None else Path(cases)
    if not directory.is_dir():
        raise InputError("not a directory", file=str(directory), hint="--cases takes a directory of case files")
    return sorted(list(directory.glob("*.yaml")) + list(directory.glob("*.yml")))


def find_case(ref: str | Path, cases: str | Path | None = None) -> Path:
    """A case id (in `cases`, default the shipped corpus) or a path to a case file."""
    text = str(ref)
    path = Path(text)
    if isinstance(ref, Path) or path.suffix in (".yaml", ".yml") or path.exists() or "/" in text:
        return path
    directory = shipped_cases_dir() if cases is None else Path(cases)
    for suffix in (".yaml", ".yml"):
        if (directory / f"{text}{suffix}").exists():
            return directory / f"{text}{suffix}"
    known = [p.stem for p in case_paths(cases)] if directory.is_dir() else []
    where = "a shipped case id" if cases is None else f"a case id in {directory}"
    raise InputError(f"no such case '{text}' (neither {where} nor a file)",
                     hint=did_you_mean(text, known) or "run 'casus cases' to list the cases")


def load_case(case: CaseRef, law: Law | None = None, *, cases: str | Path | None = None) -> m.Case:
    """A case from a shipped id, a path, plain data (as in a case file) or a loaded case."""
    from .law.loader import load_case as load
    if isinstance(case, m.Case):
        return case
    law = law or load_law()
    if isinstance(case, dict):
        import yaml
        # Through the file loader, so plain data gets exactly a file's checks and messages.
        return load("<dict>", law.base, text=yaml.safe_dump(case, sort_keys=False, allow_unicode=True))
    return load(find_case(case, cases), law.base)


def load_case_text(text: str | bytes, law: Law | None = None, *, name: str = "<text>") -> m.Case:
    """A case from the text (or bytes) of a case file, YAML or JSON, held to a file's limits
    (size, binary data, encoding, nesting, aliases) and checks; errors name `name` as the file.
    (A front end that receives case files, such as `casus serve`, never writes them to disk.)"""
    from .law.loader import load_case as load
    from .law.yamlio import decode
    use = law or load_law()
    return load(name, use.base, text=decode(text, name) if isinstance(text, bytes) else text)


def load_cases(refs: Sequence[CaseRef], law: Law | None = None, *,
               cases: str | Path | None = None, warnings: list[InputError] | None = None) -> list[m.Case]:
    """Several cases; two with the same id are an error (results would be ambiguous).

    Every file is checked before any error is raised: the error (a `Problems`) lists every
    mistake in every file. Warnings (a date in the future, an id that is not the file
    name, ...) are appended to `warnings` if given."""
    from .law.problems import load_case_files
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


def list_cases(cases: str | Path | None = None) -> list[CaseInfo]:
    """The cases of a directory (default: the shipped corpus): id, title, date, file."""
    from .law.loader import parse_file as parse
    out = []
    for path in case_paths(cases):
        case, _ = parse(m.Case, path)
        out.append(CaseInfo(case.id, case.title, case.date, path))
    return out


# ------------------------------------------------------------------ evaluation results

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
        from .law.fields import fields_to_set
        out = {}
        for p in self.result.provisions:
            if p.outcome == Outcome.UNDETERMINED and p.verdict is not None:
                out[p.provision.id] = fields_to_set(p.verdict.deciding, self.law.law.vocabulary, self.case)
        return out

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


def _parse_day(at: str | dt.date | None) -> dt.date | None:
    if at is None or isinstance(at, dt.date):
        return at
    try:
        return dt.date.fromisoformat(at)
    except ValueError:
        raise InputError(f"--at: '{at}' {date_problem(at)}") from None


def _explain(law: Law, result: "CaseResult") -> "list[Explanation]":
    from .explain.tree import changed_rules, explain_case
    changed = changed_rules(law.base, law.law) if law.variants else set()
    # Beside the facts that would decide an outcome, the case fields that set them.
    return explain_case(result, law.law, changed, fields=True)


def evaluate(case: CaseRef, *, at: str | dt.date | None = None,
             variant: VariantRef | Sequence[VariantRef] | None = None, perspective: str | None = None,
             law: Law | None = None, rules: str | Path | None = None, explain: bool = False) -> Evaluation:
    """Evaluate one case (a shipped case id, a path, plain data or a loaded case)."""
    use = _law_for(law, variant, rules)
    loaded = load_case(case, use)
    result = use.evaluator.evaluate(loaded, at=_parse_day(at), perspective=perspective)
    return Evaluation(result, use, _explain(use, result) if explain else None)


def evaluate_many(cases: Sequence[CaseRef] | None = None, *, at: str | dt.date | None = None,
                  variant: VariantRef | Sequence[VariantRef] | None = None, perspective: str | None = None,
                  law: Law | None = None, rules: str | Path | None = None, explain: bool = False,
                  cases_dir: str | Path | None = None) -> Evaluations:
    """Evaluate several cases (default: every case of `cases_dir`, or the shipped corpus).

    Over several cases, `perspective` applies where that party makes claims; a party no
    case knows is a mistake."""
    use = _law_for(law, variant, rules)
    refs: Sequence[CaseRef] = list(cases) if cases else [str(p) for p in case_paths(cases_dir)]
    warnings: list[InputError] = []
    loaded = load_cases(refs, use, cases=cases_dir, warnings=warnings)
    day = _parse_day(at)
    views: dict[str, str | None] = {c.id: perspective for c in loaded}
    if perspective is not None and len(loaded) > 1:
        from .evaluate import claimants
        having = {c.id for c in loaded if perspective in claimants(c)}
        if not having:
            raise InputError(f"no case makes claims as '{perspective}'",
                             hint="perspectives are the parties named under 'claims' in a case's facts")
        views = {c.id: perspective if c.id in having else None for c in loaded}
    from . import progress
    out = []
    for n, c in enumerate(loaded, 1):
        result = use.evaluator.evaluate(c, at=day, perspective=views[c.id])
        out.append(Evaluation(result, use, _explain(use, result) if explain else None))
        progress.report("cases evaluated", n, len(loaded))
    return Evaluations(out, use, warnings)


# ------------------------------------------------------------------ analyses

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


def compare(variant: VariantRef | Sequence[VariantRef], *, against: VariantRef | Sequence[VariantRef] = "base",
            cases: Sequence[CaseRef] | str | Path | None = None, generated: int = 0, seed: int = 0,
            law: Law | None = None, rules: str | Path | None = None, jobs: int | None = None,
            memo: bool = True) -> Report:
    """Which cases (and `generated` scenarios) flip under `variant` against `against`.

    `cases`: a list of cases, a directory of case files, or None for the shipped corpus.
    `memo=False` evaluates every scenario in durable_rules (the results are the same; for
    measuring what the verdict memo saves)."""
    from .analysis.compare import compare as run
    use = _law_for(law, None, rules)
    after = use.with_variant(variant)
    before = use.with_variant(None if against in (None, "base") else against)
    # Both sides must see every variant file: register the union on one base law.
    base, _ = _register_variants(after.base, [v.file or v.id for v in before.variants[len(use.variants):]])
    shown = Law(base, use.rules, after.variants)
    # Cases load against the law that knows both sides' variants (their expected_variants may name them).
    if isinstance(cases, (str, Path)) or cases is None:
        loaded = load_cases([str(p) for p in case_paths(cases)], shown)
    else:
        loaded = load_cases(list(cases), shown)
    data = run(base, after.spec, before.spec, loaded, generated=generated, seed=seed, jobs=jobs,
               memo=memo)
    data["against_law"] = before.info()
    return Report("compare", data, shown)


def compare_treaties(treaties: Sequence[str] | str, *, generated: int = 2000, seed: int = 0,
                     at: str | dt.date | None = None, law: Law | None = None,
                     rules: str | Path | None = None) -> Report:
    """Provisions of several treaties (`cst.art4,nato.art5,...`) on the same `generated`
    scenarios, the attacked state a party to each: agreement per pair, and every
    disagreement attributed to the condition (or smallest set of conditions) that makes it."""
    from .analysis.treaties import compare_treaties as run
    use = _law_for(law, None, rules)
    ids = [t.strip() for t in treaties.split(",")] if isinstance(treaties, str) else list(treaties)
    data = run(use.law, [t for t in ids if t], generated, seed, _parse_day(at))
    return Report("compare", data, use)


def check(variant: VariantRef | Sequence[VariantRef] | None = None, *, law: Law | None = None,
          rules: str | Path | None = None, examples: int = 200, seed: int = 0, exhaustive: bool = False,
          bound: int = 100_000, cases: Sequence[CaseRef] | str | Path | None = None) -> Report:
    """Property-test the law (consistency, determinism, monotonicity, differential,
    coverage; locality for a variant). `cases` also count for coverage (default: the
    shipped corpus for the shipped law, none for other rules)."""
    from .analysis.checks import Checker
    use = _law_for(law, variant, rules)
    if isinstance(cases, (str, Path)):
        files = case_paths(cases)
    elif cases is None:
        files = case_paths(None) if use.shipped else []
    else:
        files = [find_case(c) for c in cases if isinstance(c, (str, Path))]
    data = Checker(use.base, use.spec if use.variants else None, examples=examples, seed=seed,
                   exhaustive=exhaustive, bound=bound, cases=files).run()
    data.pop("law", None)            # the envelope's `law` says which law, in full
    return Report("check", data, use)


# ------------------------------------------------------------------ listings

def facts(law: Law | None = None) -> dict[str, Any]:
    """The fact vocabulary: parties a case names, the facts it may state, derived facts,
    with the provisions that use each."""
    from .logic.compiler import CompiledLaw
    use = law or load_law()
    vocab = use.law.vocabulary
    used: dict[str, set[str]] = {}
    for cv in CompiledLaw(use.law).all_versions():
        for f in cv.facts:
            used.setdefault(f, set()).add(cv.provision.id)
    rows = []
    for name in vocab.names():
        d = vocab.definition(name)
        derived = vocab.derived.get(name)
        row: dict[str, Any] = {"fact": name, "type": d.type, "values": list(d.domain()),
                               "derived": derived is not None, "description": d.description,
                               "used_by": sorted(used.get(name, ()))}
        if derived is not None:
            row["computed_from"] = list(derived.roles)
            if derived.if_absent is not None:
                row["if_absent"] = derived.if_absent
        rows.append(row)
    return {"parties": dict(vocab.parties), "states": states(use), "non_state_parties": NON_STATE_PARTIES,
            "claimants": CLAIMANTS, "facts": rows}


NON_STATE_PARTIES = (
    "A party that is not a state (an armed group, a movement) is declared in the case under "
    "'non_state_parties' with an id (lower case), a name, a kind (armed_group, movement, organisation, "
    "other) and optionally a source; a role then names it by that id (e.g. attacker: taliban). It is "
    "never a member, so the membership facts of its role are false.")
CLAIMANTS = (
    "A contested fact lists each party's claim under 'claims', keyed by the claimant: a state code "
    "(KZ) or any other name of a party or group of observers (observers, CSTO). Each claimant is a "
    "perspective ('--perspective KZ').")


def states(law: Law | None = None) -> list[dict[str, Any]]:
    """Every state a case may name: its ISO 3166-1 code, its name, and whether the law's
    membership timeline knows it (the CSTO's own states)."""
    from .law.states import iso_states, state_name
    use = law or load_law()
    timeline = use.law.timeline
    return [{"code": code, "name": state_name(code, timeline), "timeline": code in timeline.states}
            for code in sorted(set(iso_states()) | set(timeline.states))]


def rules(law: Law | None = None, at: str | dt.date | None = None) -> list[dict[str, Any]]:
    """The provisions with their dated versions (only those in force on `at`, if given)."""
    use = law or load_law()
    day = _parse_day(at)
    out = []
    for p in sorted(use.law.provisions.values(), key=lambda p: p.id):
        versions = []
        for v in p.versions:
            if day is None or v.in_force.covers(day):
                entry: dict[str, Any] = {"id": v.id, "from": v.in_force.from_.isoformat()}
                if v.in_force.to is not None:
                    entry["to"] = v.in_force.to.isoformat()
                versions.append(entry)
        out.append({"id": p.id, "title": p.title, "question": p.question, "versions": versions,
                    "file": use.law.provision_files.get(p.id, "")})
    return out


def variants(law: Law | None = None) -> list[dict[str, Any]]:
    """The amendment variants the law knows (shipped with its rules, and any files in use)."""
    use = law or load_law()
    return [{"id": a.id, "title": a.title, "status": a.status, "proposer": a.proposer,
             "date": a.date.isoformat(), "affects": list(a.affects),
             "file": use.base.amendment_files.get(a.id, "")}
            for a in sorted(use.base.amendments.values(), key=lambda a: a.id)]


def cases(cases_dir: str | Path | None = None) -> list[CaseInfo]:
    """The cases of a directory (default: the shipped corpus)."""
    return list_cases(cases_dir)


# ------------------------------------------------------------------ schemas

SCHEMA_NAMES = ("case", "provision", "amendment", "facts", "members", "result", "timeline")


def schema_path(name: str) -> Path:
    if name not in SCHEMA_NAMES:
        raise InputError(f"unknown schema '{name}'", hint=did_you_mean(name, SCHEMA_NAMES)
                         or f"schemas: {', '.join(SCHEMA_NAMES)}")
    return package_dir("schemas") / f"{name}.json"


def schema(name: str) -> dict[str, Any]:
    """A published JSON Schema: 'case', 'provision', 'amendment', 'facts', 'members' (the
    files), 'result' (the JSON of `casus evaluate`) or 'timeline' (of `evaluate --timeline`)."""
    loaded: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return loaded


__all__ = ["SCHEMA_VERSION", "Law", "VariantInfo", "CaseInfo", "Evaluation", "Evaluations", "Report",
           "load_law", "load_case", "load_case_text", "load_cases", "evaluate", "evaluate_many", "compare", "compare_treaties", "check",
           "facts", "rules", "variants", "cases", "schema", "rules_dir"]
