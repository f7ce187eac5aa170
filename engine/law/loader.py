"""Loading law and cases from YAML into validated models (never evaluates).

Every problem becomes an InputError naming the file and, where known, the line
and column; pydantic errors keep their YAML position through `yamlio.locate`.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import models as m
from ..outcome import Outcome
from .errors import InputError, date_problem, did_you_mean
from .yamlio import Positions, locate, read_yaml
from ..gcpause import gc_paused

T = TypeVar("T", bound=BaseModel)


def package_dir(name: str) -> Path:
    """A data directory shipped inside the installed `casus` package."""
    return Path(str(resources.files("casus").joinpath(name)))


def rules_dir() -> Path:
    return package_dir("rules")


def cases_dir() -> Path:
    return package_dir("cases")


# ------------------------------------------------------------------ generic

def _model_fields(model: type[BaseModel]) -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        names.append(info.alias or name)
    return names


FRIENDLY = {
    "date_from_datetime_parsing": "is not a date (expected YYYY-MM-DD)",
    "date_parsing": "is not a date (expected YYYY-MM-DD)",
    "date_type": "is not a date (expected YYYY-MM-DD)",
    "bool_parsing": "is not true or false",
    "bool_type": "is not true or false",
    "string_type": "should be text",
    "dict_type": "should be a mapping (key: value)",
    "list_type": "should be a list",
    "int_parsing": "is not a whole number",
    "string_pattern_mismatch": "does not have the expected form",
    "literal_error": "is not one of the allowed values",
    "too_short": "is too short",
    "bool_or_text": "is not true, false or text",
}


def merge_unions(errors: list[Any], data: Any) -> list[Any]:
    """pydantic reports a value that fits no member of `bool | str` twice, as not a boolean
    and as not text: one error at that place instead, saying what the field accepts."""
    out: list[Any] = []
    at: dict[tuple[Any, ...], int] = {}
    for err in errors:
        kinds = {"bool_type", "bool_parsing", "string_type"}
        key = _data_loc(data, err["loc"], True)[:-1] if err["loc"] and err["loc"][-1] in ("bool", "str") else None
        if err["type"] in kinds and key is not None:
            if key in at:
                out[at[key]] = {**out[at[key]], "type": "bool_or_text", "loc": err["loc"][:-1]}
                continue
            at[key] = len(out)
        out.append(err)
    return out


def _data_loc(data: Any, loc: tuple[Any, ...], keep_last: bool) -> tuple[Any, ...]:
    """The part of a pydantic error location that is a path in the data: pydantic adds the
    names of union members and tags (`bool`, `FactTest`), which are not keys of the file."""
    out, node = [], data
    for i, p in enumerate(loc):
        if p == "[key]":
            break
        if isinstance(node, dict) and p in node:
            out.append(p)
            node = node[p]
        elif isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            out.append(p)
            node = node[p]
        elif keep_last and i == len(loc) - 1:
            out.append(p)
    return tuple(out)


def _explain(err: dict[str, Any], model: type[BaseModel], data: Any) -> tuple[str, str | None]:
    loc = [str(p) for p in _data_loc(data, err["loc"], err["type"] == "missing")]
    if err["loc"] and err["loc"][-1] == "[key]":
        loc = loc[:-1]          # the key itself is shown as the value
    where = ".".join(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        field_name = loc[-1] if loc else "?"
        return f"unknown field '{field_name}'", _field_hint(field_name, model, err["loc"])
    if kind == "missing":
        return f"missing required field '{where}'", None
    value = err.get("input")
    shown = repr(value) if isinstance(value, (str, int, float, bool)) else None
    if kind == "bool_or_text" and shown is None:
        shown = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "this value"
    if kind in FRIENDLY and shown is not None:
        hint = None
        if kind == "literal_error" and err.get("ctx", {}).get("expected"):
            # Every enumerated field: the closest allowed value first, else the list.
            allowed = re.findall(r"'([^']*)'", err["ctx"]["expected"])
            hint = did_you_mean(str(value), allowed) or f"expected {err['ctx']['expected']}"
        if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern"):
            hint = {"^[A-Z]{2}$": "a two-letter state code such as KZ",
                    m.PARTY: "a state's two-letter ISO code such as KZ, or a party declared under 'non_state_parties'",
                    m.NON_STATE_ID: "lower case letters, digits, '-' and '_', starting with a letter",
                    "^[a-z0-9][a-z0-9_.\\-]*$": "lower case letters, digits, '.', '-' and '_'",
                    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "a time of day as HH:MM, e.g. 00:05",
                    m.CLAIMANT: "claimants are written in ASCII letters, digits, '-' and '_' (such as KZ, CSTO or observers), "
                                "so that two parties cannot look alike"}.get(
                        err["ctx"]["pattern"], f"pattern {err['ctx']['pattern']}")
        said = date_problem(value) if kind.startswith("date_") and isinstance(value, str) else FRIENDLY[kind]
        return f"{where}: {shown} {said}", hint
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return (f"{where}: {msg}" if where else msg), None


def _field_hint(field_name: str, model: type[BaseModel], loc: Any) -> str | None:
    # Search every model reachable from the top one for a close field name.
    names: set[str] = set()
    stack, seen = [model], set()
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        names.update(_model_fields(cls))
        for info in cls.model_fields.values():
            for arg in _walk_types(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    stack.append(arg)
    return did_you_mean(field_name, names)


def _walk_types(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in getattr(tp, "__args__", ()) or ():
        yield from _walk_types(arg)
    meta = getattr(tp, "__metadata__", None)
    origin = getattr(tp, "__origin__", None)
    if meta is not None and origin is not None:
        yield from _walk_types(origin)


def _kind_of(data: dict[str, Any]) -> str | None:
    """What a file that failed to validate looks like, from the fields only one kind has."""
    if "changes" in data:
        return "amendment"
    if "versions" in data:
        return "provision"
    if "facts" in data or "requesting_state" in data:
        return "case"
    return None


_WRONG_KIND = {
    ("case", "amendment"): ("this is an amendment file (a variant of the law), not a case",
                            "give it with --variant, e.g. casus evaluate kazakhstan-2022 --variant {file}"),
    ("case", "provision"): ("this is a provision file (part of the law), not a case",
                            "put it in a rules directory and give that with --rules"),
    ("amendment", "case"): ("this is a case file, not an amendment (a variant of the law)",
                            "evaluate it with: casus evaluate {file}"),
    ("amendment", "provision"): ("this is a provision file (part of the law), not an amendment",
                                 "put it in a rules directory and give that with --rules, "
                                 "or write a variant that adds it (op: add)"),
}


def wrong_kind(model: type[BaseModel], data: dict[str, Any], file: str) -> InputError | None:
    """One line for a file of another kind than the command reads (a variant given as a
    case, a case given as a variant), instead of every field the two kinds do not share."""
    expected = {m.Case: "case", m.Amendment: "amendment"}.get(model)
    found = _kind_of(data)
    said = _WRONG_KIND.get((expected, found)) if expected and found else None
    if said is None:
        return None
    message, hint = said
    return InputError(message, file=file, line=1, column=1, hint=hint.format(file=file))


def parse_file(model: type[T], path: Path | str, *, text: str | None = None) -> tuple[T, Positions]:
    data, positions = read_yaml(path, text=text)
    if not isinstance(data, dict):
        raise InputError(f"expected a YAML mapping at the top level, found {type(data).__name__}",
                         file=str(path), line=1)
    try:
        return model.model_validate(data), positions
    except ValidationError as exc:
        other = wrong_kind(model, data, str(path))
        if other is not None:
            raise other from None
        # An unknown field usually explains a "missing" one (a typo): report it first.
        errors = sorted(merge_unions(exc.errors(), data), key=lambda e: e["type"] != "extra_forbidden")
        err = errors[0]
        line, col = locate(positions, _data_loc(data, err["loc"], False))
        msg, hint = _explain(dict(err), model, data)
        raise InputError(msg, file=str(path), line=line, column=col, hint=hint) from None


class Located:
    """Raises InputErrors at a YAML path of one file; with `problems`, collects them
    instead (to report every mistake at once), and the checks go on."""

    def __init__(self, file: str, positions: Positions, problems: list[InputError] | None = None):
        self.file, self.positions, self.problems = file, positions, problems

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        line, col = locate(self.positions, path)
        error = InputError(message, file=self.file, line=line, column=col, hint=hint)
        if self.problems is None:
            raise error
        self.problems.append(error)


# ------------------------------------------------------------------ the law

@dataclass
class Law:
    """Validated law: vocabulary, membership timeline, provisions, amendments."""
    root: Path
    vocabulary: m.Vocabulary
    timeline: m.Timeline
    provisions: dict[str, m.Provision]
    amendments: dict[str, m.Amendment] = field(default_factory=dict)
    provision_files: dict[str, str] = field(default_factory=dict)
    amendment_files: dict[str, str] = field(default_factory=dict)
    # Amendments are parsed when the law loads and applied (so validated) when used.
    amendment_positions: dict[str, Positions] = field(default_factory=dict)
    variant: str | None = None                    # amendment applied, if any
    # Treaties with their own membership timeline: a folder's members.yaml governs the
    # provisions in that folder; the others use `timeline` (rules/members.yaml).
    treaty_timelines: dict[str, m.Timeline] = field(default_factory=dict)
    provision_treaty: dict[str, str] = field(default_factory=dict)      # provision id -> its folder

    def timeline_for(self, provision_id: str) -> m.Timeline:
        """The membership timeline of the treaty a provision belongs to."""
        found = self.treaty_timelines.get(self.provision_treaty.get(provision_id, ""))
        return self.timeline if found is None else found

    def timelines(self) -> list[m.Timeline]:
        """Every membership timeline of the law, the default one first."""
        return [self.timeline] + [self.treaty_timelines[k] for k in sorted(self.treaty_timelines)]

    def first_signed(self) -> m.Timeline:
        """The timeline of the earliest treaty the law holds (cases may not be dated before it)."""
        return min(self.timelines(), key=lambda t: t.treaty_signed)

    def domain_of(self, fact: str) -> tuple[Any, ...]:
        return self.vocabulary.domain(fact)

    def version_at(self, provision_id: str, day: dt.date) -> m.ProvisionVersion | None:
        for version in self.provisions[provision_id].versions:
            if version.in_force.covers(day):
                return version
        return None


def provision_paths(root: Path) -> list[Path]:
    """The provision files of a rules directory: YAML files in its subfolders but amendments/."""
    return sorted(p for p in root.rglob("*.yaml")
                  if p.parent != root and "amendments" not in p.relative_to(root).parts
                  and p.name != MEMBERS)


MEMBERS = "members.yaml"     # a membership timeline: at the root (the default) or in a treaty's folder


def _load_timeline(path: Path) -> m.Timeline:
    timeline, tpos = parse_file(m.Timeline, path)
    _check_timeline(timeline, Located(str(path), tpos))
    return timeline


@gc_paused
def load_law(root: Path | str | None = None) -> Law:
    root = Path(root) if root else rules_dir()
    if not root.is_dir():
        raise InputError("rules directory not found", file=str(root))
    vocab, vpos = parse_file(m.Vocabulary, root / "facts.yaml")
    timeline = _load_timeline(root / MEMBERS)
    treaty_timelines = {str(p.parent.relative_to(root)): _load_timeline(p)
                        for p in sorted(root.glob(f"*/{MEMBERS}")) if p.parent.name != "amendments"}
    provision_treaty: dict[str, str] = {}
    provisions: dict[str, m.Provision] = {}
    files: dict[str, str] = {}
    rule_owner: dict[str, str] = {}
    for path in provision_paths(root):
        prov, ppos = parse_file(m.Provision, path)
        where = Located(str(path), ppos)
        if prov.id in provisions:
            where.fail(("id",), f"duplicate provision id '{prov.id}' (also in {files[prov.id]})")
        check_provision(prov, vocab, where)
        for version in prov.versions:
            for rule in version.rules:
                owner = rule_owner.setdefault(rule.id, prov.id)
                if owner != prov.id:
                    where.fail(("id",), f"rule id '{rule.id}' is used by provisions '{owner}' and '{prov.id}'")
        provisions[prov.id] = prov
        files[prov.id] = str(path)
        folder = str(path.parent.relative_to(root))
        if folder in treaty_timelines:
            provision_treaty[prov.id] = folder
    if not provisions:
        raise InputError("no provision files found", file=str(root))
    law = Law(root, vocab, timeline, provisions, provision_files=files,
              treaty_timelines=treaty_timelines, provision_treaty=provision_treaty)
    amend_dir = root / "amendments"
    if amend_dir.is_dir():
        for path in sorted(amend_dir.glob("*.yaml")):
            amendment, apos = parse_file(m.Amendment, path)
            if amendment.id in law.amendments:
                Located(str(path), apos).fail(("id",), f"duplicate amendment id '{amendment.id}'")
            law.amendments[amendment.id] = amendment
            law.amendment_files[amendment.id] = str(path)
            law.amendment_positions[amendment.id] = apos
    return law


def _check_timeline(timeline: m.Timeline, where: Located) -> None:
    if timeline.treaty_in_force < timeline.treaty_signed:
        where.fail(("treaty_in_force",), "the treaty cannot enter into force before it was signed")
    for code, state in timeline.states.items():
        for i, event in enumerate(state.events):
            if event.source not in timeline.sources:
                where.fail(("states", code, "events", i, "source"),
                           f"source '{event.source}' is not defined under 'sources'",
                           did_you_mean(event.source, timeline.sources))
            for party, claim in (event.disputed or {}).items():
                if claim.source not in timeline.sources:
                    where.fail(("states", code, "events", i, "disputed", party, "source"),
                               f"source '{claim.source}' is not defined under 'sources'",
                               did_you_mean(claim.source, timeline.sources))


def check_provision(prov: m.Provision, vocab: m.Vocabulary, where: Located) -> None:
    """Cross-references inside one provision file (facts, conclusions, rule ids, sources)."""
    known_facts = vocab.names()
    spans = sorted((v.in_force.from_, v.in_force.to, vi) for vi, v in enumerate(prov.versions))
    for (_, to, _), (start, _, vi) in zip(spans, spans[1:]):
        if to is None or to >= start:
            where.fail(("versions", vi, "in_force"),
                       f"version '{prov.versions[vi].id}' overlaps an earlier version (in force from {start}, "
                       f"the earlier one {'has no end' if to is None else f'until {to}'})")
    seen_versions: set[str] = set()
    for vi, version in enumerate(prov.versions):
        if version.id in seen_versions:
            where.fail(("versions", vi, "id"), f"duplicate version id '{version.id}'")
        seen_versions.add(version.id)
        vpath = ("versions", vi)
        for key in ("text_source", "text_ru_source"):
            name = getattr(version, key)
            if name is not None and name not in prov.sources:
                where.fail(vpath + (key,), f"source '{name}' is not defined under 'sources'",
                           did_you_mean(name, prov.sources))
        if version.in_force.source is not None and version.in_force.source not in prov.sources:
            where.fail(vpath + ("in_force", "source"), f"source '{version.in_force.source}' is not defined under 'sources'",
                       did_you_mean(version.in_force.source, prov.sources))
        _check_translation(version, vpath, where)
        for key, label in (("outcome", prov.outcome), ("applicability", prov.applicability)):
            if label is not None and label not in version.conclusions:
                where.fail((key,), f"{key} conclusion '{label}' is not declared in version '{version.id}'",
                           did_you_mean(label, version.conclusions))
        seen: dict[str, int] = {}
        text = " ".join(version.text.split())      # what quotes are looked up in
        if version.duty is not None and " ".join(version.duty.quote.split()) not in text:
            where.fail(vpath + ("duty", "quote"), f"the duty of version '{version.id}' quotes words that are not in its text",
                       "quote the article text exactly (whitespace may differ)")
        for ri, rule in enumerate(version.rules):
            rpath = vpath + ("rules", ri)
            if rule.id in seen:
                where.fail(rpath + ("id",), f"duplicate rule id '{rule.id}' in version '{version.id}'")
            seen[rule.id] = ri
            if rule.quote is not None and " ".join(rule.quote.split()) not in text:
                where.fail(rpath + ("quote",), f"rule '{rule.id}' quotes words that are not in the text of version "
                                               f"'{version.id}'", "quote the article text exactly (whitespace may differ)")
            if rule.concludes not in version.conclusions:
                where.fail(rpath + ("concludes",), f"unknown conclusion '{rule.concludes}'",
                           did_you_mean(rule.concludes, version.conclusions))
            _check_condition(rule.when, rpath + ("when",), vocab, known_facts, version, where)
        for ri, rule in enumerate(version.rules):
            for u in rule.unless:
                if u not in seen:
                    where.fail(("versions", vi, "rules", ri, "unless"), f"unknown rule '{u}' in 'unless'",
                               did_you_mean(u, seen))
        for oi, o in enumerate(prov.outcomes):
            if o == Outcome.NOT_APPLICABLE.value and prov.applicability is None:
                where.fail(("outcomes", oi), "'not_applicable' needs an 'applicability' conclusion")
        cycle = dependency_cycle(version)
        if cycle:
            where.fail(vpath, f"version '{version.id}': conclusion '{cycle}' depends on itself")


def _occurs(words: str, text: str | None) -> bool:
    """`words` occur in `text`, whitespace aside (how every quote of an article text is checked)."""
    return text is not None and " ".join(words.split()) in " ".join(text.split())


def _check_translation(version: m.ProvisionVersion, vpath: tuple[Any, ...], where: Located) -> None:
    """Each translation note quotes both texts: its English words occur in `text`, its
    Russian words in `text_ru` (so a note cannot drift from either text)."""
    for en, ru in version.quotes_ru.items():
        if not _occurs(en, version.text):
            where.fail(vpath + ("quotes_ru", en), f"'quotes_ru' of version '{version.id}' names English words that are "
                                                  f"not in its text: '{en}'", "use the English quote of a rule, exactly")
        if not _occurs(ru, version.text_ru):
            where.fail(vpath + ("quotes_ru", en), f"'quotes_ru' of version '{version.id}' quotes Russian words that are "
                                                  f"not in its 'text_ru': '{ru}'", "quote the Russian text exactly (whitespace may differ)")
    for ni, note in enumerate(version.translation_notes):
        npath = vpath + ("translation_notes", ni)
        if not _occurs(note.en, version.text):
            where.fail(npath + ("en",), f"translation note {ni + 1} of version '{version.id}' quotes English words "
                                        "that are not in its text", "quote the English text exactly (whitespace may differ)")
        if not _occurs(note.ru, version.text_ru):
            where.fail(npath + ("ru",), f"translation note {ni + 1} of version '{version.id}' quotes Russian words "
                                        "that are not in its 'text_ru'", "quote the Russian text exactly (whitespace may differ)")


def conclusions_tested(cond: m.Condition) -> set[str]:
    """The conclusions a condition tests (directly, at any depth)."""
    if isinstance(cond, m.All):
        return set().union(*(conclusions_tested(c) for c in cond.all))
    if isinstance(cond, m.Any_):
        return set().union(*(conclusions_tested(c) for c in cond.any))
    if isinstance(cond, m.Not):
        return conclusions_tested(cond.not_)
    if isinstance(cond, m.ConclusionTest):
        return {cond.conclusion}
    return set()


def dependency_cycle(version: m.ProvisionVersion) -> str | None:
    """A conclusion that depends on itself (through conditions or `unless`), if any."""
    rules = {r.id: r for r in version.rules}

    def rule_needs(rid: str, seen: frozenset[Any] = frozenset()) -> set[str]:
        # An exception (`unless: [rule]`) depends on that rule's condition, not on what it concludes.
        r = rules[rid]
        out = conclusions_tested(r.when)
        for u in r.unless:
            if u in rules and u not in seen:
                out |= rule_needs(u, seen | {rid})
        return out

    needs: dict[str, set[str]] = {}
    for r in version.rules:
        needs.setdefault(r.concludes, set()).update(rule_needs(r.id))
    state: dict[str, int] = {}          # 1 visiting, 2 done

    def visit(c: str) -> str | None:
        if state.get(c) == 1:
            return c
        if state.get(c) == 2:
            return None
        state[c] = 1
        for d in sorted(needs.get(c, ())):
            found = visit(d)
            if found:
                return found
        state[c] = 2
        return None

    for c in sorted(needs):
        found = visit(c)
        if found:
            return found
    return None


def vocab_domain(vocab: m.Vocabulary) -> Callable[[str], tuple[Any, ...]]:
    return vocab.domain


def _check_condition(cond: m.Condition, path: tuple[Any, ...], vocab: m.Vocabulary, known_facts: list[str],
                     version: m.ProvisionVersion, where: Located) -> None:
    if isinstance(cond, m.All):
        for i, c in enumerate(cond.all):
            _check_condition(c, path + ("all", i), vocab, known_facts, version, where)
    elif isinstance(cond, m.Any_):
        for i, c in enumerate(cond.any):
            _check_condition(c, path + ("any", i), vocab, known_facts, version, where)
    elif isinstance(cond, m.Not):
        _check_condition(cond.not_, path + ("not",), vocab, known_facts, version, where)
    elif isinstance(cond, m.ConclusionTest):
        if cond.conclusion not in version.conclusions:
            where.fail(path + ("conclusion",), f"unknown conclusion '{cond.conclusion}'",
                       did_you_mean(cond.conclusion, version.conclusions))
    elif isinstance(cond, m.FactTest):
        definition = vocab.facts.get(cond.fact)        # None for a derived fact (a boolean)
        if definition is None and cond.fact not in vocab.derived:
            where.fail(path + ("fact",), f"unknown fact '{cond.fact}'", did_you_mean(cond.fact, known_facts))
            return                  # (when collecting every mistake: nothing more to check here)
        domain = definition.domain() if definition is not None else (True, False)
        boolean = definition is None or definition.type == "boolean"
        _current_values(cond, vocab, path, where)
        tested = cond.in_ if cond.in_ is not None else ([cond.is_] if cond.is_ is not None else [])
        for value in tested:
            if value not in domain or isinstance(value, bool) != boolean:
                where.fail(path, f"fact '{cond.fact}' has no value {value!r}",
                           did_you_mean(str(value), map(str, domain)) or f"values: {', '.join(map(str, domain))}")
        if not boolean and not tested:
            where.fail(path, f"enum fact '{cond.fact}' needs 'is' or 'in'", f"values: {', '.join(map(str, domain))}")


def _current_values(cond: m.FactTest, vocab: m.Vocabulary, path: tuple[Any, ...], where: Located) -> None:
    """A rule testing an old value of a fact (a variant written before a rename) tests the new one."""
    olds = vocab.deprecated_values.get(cond.fact)
    if not olds:
        return
    tested = cond.in_ if cond.in_ is not None else ([cond.is_] if isinstance(cond.is_, str) else [])
    for value in tested:
        if value in olds:
            file, line, col = _position(where, path)
            warn(f"{file}:{line}:{col}: value '{value}' of '{cond.fact}' is deprecated; read as '{olds[value].use}' "
                 f"(hint: write '{olds[value].use}' instead; {olds[value].since})")
    if cond.in_ is not None:
        cond.in_ = [vocab.current_value(cond.fact, v) for v in cond.in_]
    elif isinstance(cond.is_, str):
        cond.is_ = vocab.current_value(cond.fact, cond.is_)


# ------------------------------------------------------------------ cases

def find_case(ref: str) -> Path:
    """A case id (shipped) or a path to a case file."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in ref:
        return path
    shipped = cases_dir() / f"{ref}.yaml"
    if shipped.exists():
        return shipped
    known = [p.stem for p in cases_dir().glob("*.yaml")]
    raise InputError(f"no such case '{ref}' (neither a shipped case id nor a file)",
                     hint=did_you_mean(ref, known) or "run 'casus cases' to list the shipped cases")


def shipped_cases() -> list[Path]:
    return sorted(cases_dir().glob("*.yaml"))


def load_case(path: Path | str, law: Law, *, text: str | None = None) -> m.Case:
    case, pos = parse_file(m.Case, path, text=text)
    check_case(case, law, Located(str(path), pos))
    return case


def check_case(case: m.Case, law: Law, where: Located) -> None:
    vocab, timeline = law.vocabulary, law.timeline
    first = law.first_signed()
    if case.date < first.treaty_signed:
        where.fail(("date",), f"case date {case.date} is before the {first.treaty} was signed "
                              f"({first.treaty_signed})")
    from .states import is_state, iso_states
    for role in m.ROLES:
        code = case.party(role)
        if code is None or is_state(code, timeline) or code in case.non_state_parties:
            continue
        if code.isupper():
            where.fail((role,), f"'{code}' is not an ISO 3166-1 state code",
                       did_you_mean(code, set(iso_states()) | set(timeline.states)) or
                       "run 'casus facts --states' for the codes")
        elif is_state(code.upper(), timeline):
            where.fail((role,), f"'{code}' is neither a state code nor a declared non-state party",
                       f"state codes are upper case: did you mean '{code.upper()}'?")
        else:
            where.fail((role,), f"unknown non-state party '{code}'",
                       did_you_mean(code, case.non_state_parties) or
                       "declare it under 'non_state_parties' (name, kind), or give a state's ISO code")
    for pi, pid in enumerate(case.provisions or []):
        if pid not in law.provisions:
            where.fail(("provisions", pi), f"unknown provision '{pid}'", did_you_mean(pid, law.provisions))
    _map_deprecated(case, vocab, where)
    _map_deprecated_values(case, vocab, where)
    for name, entry in case.facts.items():
        if name in vocab.derived:
            where.fail(("facts", name), f"'{name}' is derived from the membership timeline; it cannot be set in a case",
                       f"set the parties ({', '.join(vocab.derived[name].roles)}) instead")
            continue
        if name not in vocab.facts:
            where.fail(("facts", name), f"unknown fact '{name}'",
                       did_you_mean(name, vocab.facts) or "run 'casus facts' for the vocabulary")
            continue
        definition = vocab.facts[name]
        stated = ([(None, entry)] if entry.value is not None else []) + list((entry.claims or {}).items())
        for party, claim in stated:
            path = ("facts", name) + (("claims", party) if party else ())
            _check_value(where, path + ("value",), name, definition, claim.value)
            if claim.source not in case.sources:
                where.fail(path + ("source",), f"source '{claim.source}' is not defined under 'sources'",
                           did_you_mean(claim.source or "", case.sources))
        for i, key in enumerate(entry.established_by or []):
            if key not in case.sources:
                where.fail(("facts", name, "established_by", i), f"source '{key}' is not defined under 'sources'",
                           did_you_mean(key, case.sources))
    for pid, nsp in case.non_state_parties.items():
        if nsp.source is not None and nsp.source not in case.sources:
            where.fail(("non_state_parties", pid, "source"), f"source '{nsp.source}' is not defined under 'sources'",
                       did_you_mean(nsp.source, case.sources))
    if case.record:
        for i, resp in enumerate(case.record.responses):
            if resp.source not in case.sources:
                where.fail(("record", "responses", i, "source"),
                           f"source '{resp.source}' is not defined under 'sources'",
                           did_you_mean(resp.source, case.sources))
    if case.events:
        from .events import check_events
        check_events(case, law, where, check_case)
    for pid in case.expected:
        if pid not in law.provisions:
            where.fail(("expected", pid), f"unknown provision '{pid}'", did_you_mean(pid, law.provisions))
    for vid, expectations in case.expected_variants.items():
        if vid not in law.amendments:
            where.fail(("expected_variants", vid), f"unknown variant '{vid}'",
                       did_you_mean(vid, law.amendments) or f"shipped variants: {', '.join(sorted(law.amendments))}")
        for pid in expectations:
            if pid not in law.provisions:
                where.fail(("expected_variants", vid, pid), f"unknown provision '{pid}'",
                           did_you_mean(pid, law.provisions))


def _check_value(where: Located, path: tuple[Any, ...], name: str, definition: m.FactDef, value: Any) -> None:
    if definition.type == "boolean" and not isinstance(value, bool):
        where.fail(path, f"fact '{name}' is true or false, not {value!r}")
    elif definition.type == "enum" and (isinstance(value, bool) or value not in (definition.values or [])):
        where.fail(path, f"fact '{name}' has no value {value!r}",
                   did_you_mean(str(value), definition.values or []) or f"values: {', '.join(definition.values or [])}")


_WARNED: set[str] = set()


def warn(message: str) -> None:
    """A warning on stderr (old vocabulary still accepted), once per process; loading goes on."""
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"warning: {message}", file=sys.stderr)


def _position(where: Any, path: tuple[Any, ...]) -> tuple[str, int | None, int | None]:
    """File, line and column of `path`, also through a locator that prefixes paths (event facts)."""
    prefix: tuple[Any, ...] = ()
    while not isinstance(where, Located) and hasattr(where, "where"):
        prefix = tuple(getattr(where, "prefix", ())) + prefix
        where = where.where
    if not isinstance(where, Located):
        return "?", None, None
    return (where.file, *locate(where.positions, prefix + path))


def _map_deprecated(case: m.Case, vocab: m.Vocabulary, where: Located) -> None:
    """Old fact names are read as the facts they became (values mapped), with a warning."""
    renamed: dict[str, m.FactEntry] = {}
    for name, entry in case.facts.items():
        dep = vocab.deprecated.get(name)
        if dep is None:
            renamed[name] = entry
            continue
        if dep.use in case.facts:
            where.fail(("facts", name), f"fact '{name}' is the old name of '{dep.use}', which the case also states",
                       f"keep only '{dep.use}'")
        was_boolean = bool(dep.values) and all(isinstance(p.from_, bool) for p in dep.values)
        stated = ([("value", entry.value)] if entry.value is not None else []) + \
            [(("claims", p, "value"), c.value) for p, c in (entry.claims or {}).items()]
        for key, value in stated:
            if was_boolean and not isinstance(value, bool):
                where.fail(("facts", name) + (key if isinstance(key, tuple) else (key,)),
                           f"fact '{name}' is true or false, not {value!r}",
                           f"or write '{dep.use}' (values: {', '.join(map(str, vocab.facts[dep.use].domain()))})")
        file, line, col = _position(where, ("facts", name))
        mapping = ", ".join(f"{str(p.from_).lower()} -> {'unknown' if p.to is None else p.to}" for p in dep.values)
        unknown = [v for _, v in stated if dep.mapped(v) is None]
        why = f"; {' '.join(dep.note.split())}" if unknown and dep.note else ""
        warn(f"{file}:{line}:{col}: fact '{name}' is deprecated; read as '{dep.use}'"
             + (f" ({mapping}{why})" if mapping else "") + f" (hint: write '{dep.use}' instead; {dep.since})")
        if unknown and entry.value is None:
            # A party's claim read as unknown leaves that party's view unknown; the others'
            # claims alone would read as every party agreeing, so the fact is left unknown.
            continue
        new_value = dep.mapped(entry.value) if entry.value is not None else None
        if entry.value is not None and new_value is None:
            continue                      # read as unknown: as if the case were silent on it
        update: dict[str, Any] = {"value": new_value}
        if entry.claims:
            # Under an established value a claim read as unknown just drops out (the value holds).
            update["claims"] = {p: c.model_copy(update={"value": v}) for p, c in entry.claims.items()
                                if (v := dep.mapped(c.value)) is not None} or None
        renamed[dep.use] = entry.model_copy(update=update)
    if list(renamed) != list(case.facts):
        case.facts = renamed


def _map_deprecated_values(case: m.Case, vocab: m.Vocabulary, where: Located) -> None:
    """Old values of current facts (e.g. assistance_request: csto) are read as the new ones, with a warning."""
    for name, entry in list(case.facts.items()):
        olds = vocab.deprecated_values.get(name)
        if not olds:
            continue
        stated = ([entry.value] if entry.value is not None else []) + [c.value for c in (entry.claims or {}).values()]
        found = sorted({v for v in stated if isinstance(v, str) and v in olds})
        if not found:
            continue
        file, line, col = _position(where, ("facts", name))
        for value in found:
            warn(f"{file}:{line}:{col}: value '{value}' of '{name}' is deprecated; read as '{olds[value].use}' "
                 f"(hint: write '{olds[value].use}' instead; {olds[value].since})")
        update: dict[str, Any] = {}
        if entry.value is not None:
            update["value"] = vocab.current_value(name, entry.value)
        if entry.claims:
            update["claims"] = {p: c.model_copy(update={"value": vocab.current_value(name, c.value)})
                                for p, c in entry.claims.items()}
        case.facts[name] = entry.model_copy(update=update)


def load_cases(paths: list[Path], law: Law) -> list[m.Case]:
    """Several case files; two with the same id are an error (results would be ambiguous)."""
    cases: list[m.Case] = []
    seen: dict[str, Path] = {}
    for path in paths:
        case, pos = parse_file(m.Case, path)
        where = Located(str(path), pos)
        if case.id in seen:
            where.fail(("id",), f"duplicate case id '{case.id}' (also in {seen[case.id]})")
        check_case(case, law, where)
        seen[case.id] = path
        cases.append(case)
    return cases
