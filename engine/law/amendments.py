"""Amendment variants: overlays on the law, as operations on rules, versions and membership.

An overlay never edits the base law in place: it returns a new Law whose
provisions are copies with the operations applied, re-validated as a whole.
Each operation names what it touches; two stacked amendments touching the same
rule, version or the membership statuses conflict, and that is an error.
"""

from __future__ import annotations

from typing import Any

import copy
import functools
from dataclasses import replace as dc_replace

from ..files import models as m
from ..files.errors import InputError, did_you_mean
from .loader import LawModels, check_provision
from ..files.parse import Located
from ..files.yamlio import Positions, locate
from .budget import LawBudget

BASE = "base"


def _rule_owners(provisions: dict[str, m.Provision]) -> dict[str, str]:
    return {r.id: p.id for p in provisions.values() for v in p.versions for r in v.rules}


class _Overlay:
    """Applies one amendment's changes to copies of the law's parts."""

    def __init__(self, law: LawModels, amendment: m.Amendment, where: Located, touched: dict[tuple[str, ...], str]):
        self.law, self.amendment, self.where, self.touched = law, amendment, where, touched
        # Only what the amendment may change is copied (`provision()` refuses any other):
        # copying every provision made a 1,000-provision law take seconds per amendment.
        self.provisions = dict(law.provisions)
        for pid in amendment.affects:
            if pid in self.provisions:
                self.provisions[pid] = copy.deepcopy(self.provisions[pid])
        self.timeline = law.timeline

    @functools.cached_property
    def owners(self) -> dict[str, str]:
        # Only changes that name a rule need it: a walk over every rule of the law.
        return _rule_owners(self.law.provisions)

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        self.where.fail(path, message, hint)

    def touch(self, path: tuple[Any, ...], key: tuple[str, ...], label: str) -> None:
        other = self.touched.get(key)
        if other is not None and other != self.amendment.id:
            self.fail(path, f"amendment '{self.amendment.id}' conflicts with '{other}': both change {label}")
        self.touched[key] = self.amendment.id

    def provision(self, path: tuple[Any, ...], pid: str) -> m.Provision:
        if pid not in self.provisions:
            self.fail(path + ("provision",), f"unknown provision '{pid}'", did_you_mean(pid, self.provisions))
        if pid not in self.amendment.affects:
            self.fail(path, f"this change touches provision '{pid}', which 'affects' does not declare",
                      f"add {pid} to 'affects'")
        return self.provisions[pid]

    def versions(self, path: tuple[Any, ...], provision: m.Provision, vid: str | None) -> list[m.ProvisionVersion]:
        if vid is None:
            return provision.versions
        found = [v for v in provision.versions if v.id == vid]
        if not found:
            self.fail(path + ("version",), f"provision '{provision.id}' has no version '{vid}'",
                      did_you_mean(vid, [v.id for v in provision.versions]))
        return found

    def rule_target(self, path: tuple[Any, ...], rule_id: str, vid: str | None) -> tuple[m.Provision, list[m.ProvisionVersion]]:
        self.touch(path, ("rule", rule_id), f"rule '{rule_id}'")   # first: it may be gone already
        if rule_id not in self.owners:
            self.fail(path + ("rule",), f"unknown rule '{rule_id}'", did_you_mean(rule_id, self.owners))
        provision = self.provision(path, self.owners[rule_id])
        versions = [v for v in self.versions(path, provision, vid) if any(r.id == rule_id for r in v.rules)]
        if not versions:
            self.fail(path + ("version",), f"rule '{rule_id}' is not in version '{vid}' of '{provision.id}'")
        return provision, versions

    def apply(self, ci: int, change: m.Change) -> None:
        path = ("changes", ci)
        if isinstance(change, m.ReplaceRule):
            _, versions = self.rule_target(path, change.rule, change.version)
            if change.with_.id != change.rule and change.with_.id in self.owners:
                self.fail(path + ("with", "id"), f"replacement rule id '{change.with_.id}' is already in use")
            for v in versions:
                v.rules = [change.with_.model_copy(deep=True) if r.id == change.rule else r for r in v.rules]
        elif isinstance(change, m.RemoveRule):
            provision, versions = self.rule_target(path, change.rule, change.version)
            for v in versions:
                v.rules = [r for r in v.rules if r.id != change.rule]
                if not v.rules:
                    self.fail(path, f"removing '{change.rule}' leaves version '{v.id}' of '{provision.id}' without rules")
        elif isinstance(change, m.AddRule):
            provision = self.provision(path, change.provision)
            versions = self.versions(path, provision, change.version)
            if change.rule.id in self.owners:
                self.fail(path + ("rule", "id"), f"rule '{change.rule.id}' already exists (use op: replace)")
            self.touch(path, ("rule", change.rule.id), f"rule '{change.rule.id}'")
            for v in versions:
                v.rules = v.rules + [change.rule.model_copy(deep=True)]
        elif isinstance(change, m.ReplaceText):
            provision = self.provision(path, change.provision)
            for v in self.versions(path, provision, change.version):
                self.touch(path, ("text", provision.id, v.id), f"the text of {provision.id} version {v.id}")
                v.text = change.text
                if v.text_ru is not None:
                    # The authentic Russian is of the text replaced, not of the variant's wording.
                    v.text_ru = v.text_ru_source = None
                    v.quotes_ru, v.translation_notes = {}, []
                    v.text_ru_note = "The variant replaces the English text; no Russian text is given for its wording."
        elif isinstance(change, m.AddVersion):
            provision = self.provision(path, change.provision)
            new = change.new_version
            if any(v.id == new.id for v in provision.versions):
                self.fail(path + ("new_version", "id"), f"provision '{provision.id}' already has a version '{new.id}'")
            self.touch(path, ("version", provision.id, new.id), f"version {new.id} of {provision.id}")
            provision.versions = sorted(provision.versions + [new.model_copy(deep=True)],
                                        key=lambda v: v.in_force.from_)
        elif isinstance(change, m.ReplaceVersion):
            provision = self.provision(path, change.provision)
            self.versions(path, provision, change.version)
            self.touch(path, ("version", provision.id, change.version), f"version {change.version} of {provision.id}")
            provision.versions = [change.with_.model_copy(deep=True) if v.id == change.version else v
                                  for v in provision.versions]
        elif isinstance(change, m.RemoveVersion):
            provision = self.provision(path, change.provision)
            self.versions(path, provision, change.version)
            self.touch(path, ("version", provision.id, change.version), f"version {change.version} of {provision.id}")
            provision.versions = [v for v in provision.versions if v.id != change.version]
            if not provision.versions:
                self.fail(path, f"removing version '{change.version}' leaves '{provision.id}' without versions")
        elif isinstance(change, m.CountsAsMember):
            self.touch(path, ("membership",), "which statuses count as membership")
            self.timeline = self.timeline.model_copy(update={"counts_as_member": list(change.statuses)})
        elif isinstance(change, m.Participating):
            self.touch(path, ("participation",), "which statuses take part in the Council's work")
            self.timeline = self.timeline.model_copy(update={"participating": list(change.statuses)})


def _introduced(amendment: m.Amendment) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """Where in the amendment file each rule and version it brings in is written:
    ("rule", id) or ("version", id) -> its YAML path."""
    out: dict[tuple[str, ...], tuple[Any, ...]] = {}
    for ci, change in enumerate(amendment.changes):
        if isinstance(change, m.AddRule):
            out[("rule", change.rule.id)] = ("changes", ci, "rule")
        elif isinstance(change, m.ReplaceRule):
            out[("rule", change.with_.id)] = ("changes", ci, "with")
        elif isinstance(change, m.AddVersion):
            out[("version", change.new_version.id)] = ("changes", ci, "new_version")
        elif isinstance(change, m.ReplaceVersion):
            out[("version", change.with_.id)] = ("changes", ci, "with")
    return out


class _InAmendment(Located):
    """Checks a provision as amended, placing each mistake in the amendment file where the
    rule or version it is in was written (a mistake in what the amendment left as it was
    has no place there, and gets the file alone)."""

    def __init__(self, file: str, positions: Positions, problems: list[InputError] | None,
                 provision: m.Provision, introduced: dict[tuple[str, ...], tuple[Any, ...]]):
        super().__init__(file, positions, problems)
        self.provision, self.introduced = provision, introduced

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        place: tuple[Any, ...] | None = None
        if len(path) >= 2 and path[0] == "versions" and isinstance(path[1], int):
            version = self.provision.versions[path[1]]
            if len(path) >= 4 and path[2] == "rules" and isinstance(path[3], int):
                rule = self.introduced.get(("rule", version.rules[path[3]].id))
                if rule is not None:
                    place = rule + path[4:]
            if place is None and ("version", version.id) in self.introduced:
                place = self.introduced[("version", version.id)] + path[2:]
        line, col = locate(self.positions, place) if place is not None else (None, None)
        error = InputError(message, file=self.file, line=line, column=col, hint=hint)
        if self.problems is None:
            raise error
        self.problems.append(error)


def apply_amendment(law: LawModels, amendment: m.Amendment, *, positions: Positions | None = None,
                    file: str | None = None, touched: dict[tuple[str, ...], str] | None = None,
                    problems: list[InputError] | None = None) -> LawModels:
    """The law with `amendment` applied. `touched` (what -> amendment id) detects
    conflicts when several amendments are stacked. With `problems`, every mistake is
    collected there instead of raising the first (a change that fails is left out and the
    next one applied); the law returned is then not to be used if any were found."""
    if positions is None:
        positions = law.amendment_positions.get(amendment.id)
    where = Located(file or law.amendment_files.get(amendment.id, amendment.id), positions or {}, problems)
    for pi, pid in enumerate(amendment.affects):
        if pid not in law.provisions:
            where.fail(("affects", pi), f"unknown provision '{pid}'", did_you_mean(pid, law.provisions))
    overlay = _Overlay(law, amendment, Located(where.file, where.positions), {} if touched is None else touched)
    for ci, change in enumerate(amendment.changes):
        try:
            overlay.apply(ci, change)
        except InputError as exc:
            if problems is None:
                raise
            problems.append(exc)
    # The amended law is held to the law's budget: what the amendment left as it was first
    # (it fitted before), then what it changed, so that a refusal names the amendment's rule.
    budget = LawBudget()
    for pid in sorted(set(overlay.provisions) - set(amendment.affects)):
        budget.provision(overlay.provisions[pid], law.domain_of, Located(where.file, {}).fail)
    for pid in amendment.affects:
        if pid not in overlay.provisions:
            continue                       # reported above
        found: list[InputError] = []
        try:
            located = _InAmendment(where.file, where.positions, None if problems is None else found,
                                   overlay.provisions[pid], _introduced(amendment))
            check_provision(overlay.provisions[pid], law.vocabulary, located)
            if not found:
                budget.provision(overlay.provisions[pid], law.domain_of, located.fail)
        except InputError as exc:
            found.append(exc)
        for mistake in found:
            error = InputError(f"after applying amendment '{amendment.id}', {mistake.message}", file=where.file,
                               line=mistake.line, column=mistake.column, hint=mistake.hint)
            if problems is None:
                raise error from None
            problems.append(error)
    name = amendment.id if law.variant is None else f"{law.variant}+{amendment.id}"
    return dc_replace(law, provisions=overlay.provisions, timeline=overlay.timeline, variant=name)


def parse_variant(spec: str | None) -> list[str]:
    """'a+b' -> ['a', 'b']; 'base' or nothing -> []."""
    return [s for s in (spec or "").split("+") if s and s != BASE]


def check_amendments(law: LawModels) -> None:
    """Apply every amendment of the law on its own: a bad amendment file is an InputError."""
    for aid in sorted(law.amendments):
        apply_amendment(law, law.amendments[aid], positions=law.amendment_positions.get(aid))


def with_variants(law: LawModels, variant: str | list[str] | None) -> LawModels:
    """Stack one or more amendments (`a+b`) onto the base law."""
    ids = parse_variant(variant) if isinstance(variant, str) or variant is None else variant
    touched: dict[tuple[str, ...], str] = {}
    for vid in ids:
        if vid not in law.amendments:
            raise InputError(f"unknown variant '{vid}'", hint=did_you_mean(vid, law.amendments)
                             or f"shipped variants: {', '.join(sorted(law.amendments)) or 'none'}")
        law = apply_amendment(law, law.amendments[vid], touched=touched)
    return law


# ------------------------------------------------------------------ what a variant changes

def _rules_by_id(provision: m.Provision) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for v in provision.versions:
        for r in v.rules:
            out.setdefault(r.id, []).append((v.id, r.model_dump(mode="json", by_alias=True)))
    return out


def rule_changes(a: LawModels, b: LawModels) -> dict[str, dict[str, list[str]]]:
    """Per provision: rules added, removed or changed from `a` to `b`, and other changes."""
    out: dict[str, dict[str, list[str]]] = {}
    for pid in sorted(set(a.provisions) | set(b.provisions)):
        ra, rb = _rules_by_id(a.provisions[pid]), _rules_by_id(b.provisions[pid])
        entry = {"added": sorted(set(rb) - set(ra)), "removed": sorted(set(ra) - set(rb)),
                 "changed": sorted(r for r in set(ra) & set(rb) if ra[r] != rb[r])}
        va = {v.id: v for v in a.provisions[pid].versions}
        vb = {v.id: v for v in b.provisions[pid].versions}
        entry["versions"] = ([f"added {v}" for v in sorted(set(vb) - set(va))] +
                             [f"removed {v}" for v in sorted(set(va) - set(vb))] +
                             [f"in force dates of {v}" for v in sorted(set(va) & set(vb))
                              if va[v].in_force != vb[v].in_force])
        entry["text"] = [f"version {v}" for v in sorted(set(va) & set(vb)) if va[v].text != vb[v].text]
        membership = []
        if a.timeline.counts_as_member != b.timeline.counts_as_member:
            membership.append(f"counts as party: {', '.join(a.timeline.counts_as_member)} -> "
                              f"{', '.join(b.timeline.counts_as_member)}")
        if a.timeline.participating != b.timeline.participating:
            membership.append(f"takes part in the Council's work: {', '.join(a.timeline.participating)} -> "
                              f"{', '.join(b.timeline.participating)}")
        if membership:
            entry["membership"] = membership
        if any(entry.values()):
            out[pid] = {k: v for k, v in entry.items() if v}
    return out
