"""Reading a rules directory into the law's models (never evaluates): vocabulary, membership
timeline, provisions and amendments, with every cross-reference a schema cannot express
checked (facts, values, conclusions, rule ids, sources, dependency cycles).

Every problem becomes an InputError naming the file and, where known, the line
and column (see files/parse.py)."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..files import models as m
from ..outcome import Outcome
from ..files.errors import InputError, did_you_mean, value_hint
from ..files.parse import Located, parse_file
from ..files.paths import MEMBERS, provision_paths, rules_dir
from ..files.yamlio import Positions, locate
from .budget import LawBudget
from ..gcpause import gc_paused


# ------------------------------------------------------------------ the law

@dataclass
class LawModels:
    """A law's validated models: vocabulary, membership timeline, provisions, amendments."""
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


def _load_timeline(path: Path) -> m.Timeline:
    timeline, tpos = parse_file(m.Timeline, path)
    _check_timeline(timeline, Located(str(path), tpos))
    return timeline


@gc_paused
def read_rules(root: Path | str | None = None) -> LawModels:
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
    budget = LawBudget()
    for path in provision_paths(root):
        prov, ppos = parse_file(m.Provision, path)
        where = Located(str(path), ppos)
        if prov.id in provisions:
            where.fail(("id",), f"duplicate provision id '{prov.id}' (also in {files[prov.id]})")
        check_provision(prov, vocab, where)
        budget.provision(prov, vocab.domain, where.fail)
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
    law = LawModels(root, vocab, timeline, provisions, provision_files=files,
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
                where.fail(path, f"fact '{cond.fact}' has no value {value!r}", value_hint(value, domain))
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
            file, (line, col) = where.file, locate(where.positions, path)
            warn(f"{file}:{line}:{col}: value '{value}' of '{cond.fact}' is deprecated; read as '{olds[value].use}' "
                 f"(hint: write '{olds[value].use}' instead; {olds[value].since})")
    if cond.in_ is not None:
        cond.in_ = [vocab.current_value(cond.fact, v) for v in cond.in_]
    elif isinstance(cond.is_, str):
        cond.is_ = vocab.current_value(cond.fact, cond.is_)


_WARNED: set[str] = set()


def warn(message: str) -> None:
    """A warning on stderr (old vocabulary still accepted), once per process; loading goes on."""
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"warning: {message}", file=sys.stderr)
