"""Reading a case file against the law: every cross-reference a schema cannot express
(parties, facts and their values, sources, provisions, variants, dated events), and old
fact names read as the facts they became."""

from __future__ import annotations

import sys
import datetime as dt
from pathlib import Path
from typing import Any

from ..files import models as m
from ..files.errors import did_you_mean, value_hint
from ..files.parse import Located, parse_file
from ..files.yamlio import locate
from .loader import LawModels, warn
from .states import is_state, iso_states


def read_case_file(path: Path | str, law: LawModels, *, text: str | None = None) -> m.Case:
    case, pos = parse_file(m.Case, path, text=text)
    check_case(case, law, Located(str(path), pos))
    return case


def check_case(case: m.Case, law: LawModels, where: Located) -> None:
    vocab, timeline = law.vocabulary, law.timeline
    first = law.first_signed()
    if case.date < first.treaty_signed:
        where.fail(("date",), f"case date {case.date} is before the {first.treaty} was signed "
                              f"({first.treaty_signed})")
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
            if claim.attacker is not None and definition.bound_to != "attack":
                where.fail(path + ("attacker",), f"'attacker:' names whose force a fact is about; '{name}' is not "
                                                 "a fact of an attack",
                           "use it on attacker_self_defence, self_defence_necessary or self_defence_proportionate")
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
        check_events(case, law, where)
    check_treaty_facts(case, law, where)
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
        where.fail(path, f"fact '{name}' has no value {value!r}", value_hint(value, definition.values or []))


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



class _Prefixed:
    """A Located that reports paths under one event (so event facts are checked like facts),
    or under one treaty's facts (`treaty_facts`)."""

    def __init__(self, where: Located, prefix: tuple[Any, ...]):
        self.where, self.prefix = where, prefix

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        # Raises, or (when every problem is being collected) records and returns.
        if path and path[0] == "facts":
            message = (f"events[{self.prefix[1]}]: " if self.prefix[0] == "events"
                       else f"treaty_facts.{self.prefix[1]}: ") + message
            path = tuple(path[1:]) if self.prefix[0] == "treaty_facts" else path
        self.where.fail(self.prefix + tuple(path), message, hint)


def treaties_of(law: LawModels) -> list[str]:
    """The treaties a case may name in `treaty_facts`: the first part of the provision ids."""
    return sorted({pid.split(".")[0] for pid in law.provisions})


def check_treaty_facts(case: m.Case, law: LawModels, where: Located) -> None:
    """Treaty facts are checked as the case's facts are (names, values, sources)."""
    known = treaties_of(law)
    for treaty, entries in case.treaty_facts.items():
        if treaty not in known:
            where.fail(("treaty_facts", treaty), f"unknown treaty '{treaty}'",
                       did_you_mean(treaty, known) or f"treaties: {', '.join(known)} (a provision id's first part)")
            continue
        alone = case.model_copy(update={"facts": entries, "events": [], "record": None, "treaty_facts": {},
                                        "expected": {}, "expected_variants": {}})
        check_case(alone, law, _Prefixed(where, ("treaty_facts", treaty)))  # type: ignore[arg-type]
        case.treaty_facts[treaty] = alone.facts      # old names and values, as the vocabulary maps them


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


def check_events(case: m.Case, law: LawModels, where: Located) -> None:
    """Event facts are checked exactly as snapshot facts are (names, values, sources), and
    events must be in date order and after the treaty was signed."""
    previous: tuple[dt.date, str] | None = None
    began: dict[str, str | None] = {}        # ids of the events above, and what each began
    for i, event in enumerate(case.events):
        # An event without a time is ordered by where it is listed among that day's events; one
        # with a time must not come before a timed event of the same day listed above it.
        key = (event.date, event.time or (previous[1] if previous and previous[0] == event.date else ""))
        first = law.first_signed()
        if event.date < first.treaty_signed:
            where.fail(("events", i, "date"), f"event date {event.date} is before the {first.treaty} "
                                              f"was signed ({first.treaty_signed})")
        if previous is not None and key < previous:
            where.fail(("events", i, "date"),
                       f"events[{i}] ({event.date}{' ' + event.time if event.time else ''}) comes before the "
                       f"event listed above it ({previous[0]}{' ' + previous[1] if previous[1] else ''})",
                       "list events in date order (an event's time, if given, orders events of one day)")
        previous = key
        _check_links(i, event, began, where)
        if event.id is not None:
            began[event.id] = event.begins
        for j, source in enumerate(event.sources):
            if source not in case.sources:
                where.fail(("events", i, "sources", j), f"events[{i}]: source '{source}' is not defined under 'sources'",
                           did_you_mean(source, case.sources))
        if event.facts:
            alone = case.model_copy(update={"facts": event.facts, "events": [], "record": None,
                                            "expected": {}, "expected_variants": {}})
            check_case(alone, law, _Prefixed(where, ("events", i)))  # type: ignore[arg-type]
            event.facts = alone.facts        # old fact names, as checking read them (see _map_deprecated)


def _check_links(i: int, event: m.Event, began: dict[str, str | None], where: Located) -> None:
    """An event's id is new; `answers` names an attack event above it (on a request event);
    `ends` names attack or request events above it."""
    if event.id is not None and event.id in began:
        where.fail(("events", i, "id"), f"events[{i}]: id '{event.id}' is already used by an event above",
                   "give every event its own id")
    attacks = [k for k, v in began.items() if v == "attack"]
    if event.answers is not None:
        if event.begins != "request":
            where.fail(("events", i, "answers"), f"events[{i}]: 'answers' is for an event that begins a request",
                       "add 'begins: request', or remove 'answers'")
        elif began.get(event.answers, "") != "attack":
            where.fail(("events", i, "answers"),
                       f"events[{i}]: answers '{event.answers}', which is not an attack event listed above",
                       did_you_mean(event.answers, attacks) or "name the id of an event above with 'begins: attack'")
    for j, target in enumerate(event.ends):
        if began.get(target) not in ("attack", "request"):
            ended = [k for k, v in began.items() if v in ("attack", "request")]
            where.fail(("events", i, "ends", j),
                       f"events[{i}]: ends '{target}', which is not an attack or request event listed above",
                       did_you_mean(target, ended) or "name the id of an event above with 'begins: attack' or 'begins: request'")
