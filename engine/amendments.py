"""Amendment variants: overlays on the law, as operations on rules by id.

An overlay never edits the base law in place: it returns a new Law whose
provisions are copies with the operations applied, re-validated as a whole.
"""

from __future__ import annotations

import copy
from dataclasses import replace as dc_replace

from . import models as m
from .errors import InputError, did_you_mean
from .loader import Law, Located, check_provision
from .yamlio import Positions


def _rule_ids(law: Law) -> dict[str, str]:
    return {r.id: p.id for p in law.provisions.values() for v in p.versions for r in v.rules}


def apply_amendment(law: Law, amendment: m.Amendment, *, positions: Positions | None = None,
                    file: str | None = None, touched: dict[str, str] | None = None) -> Law:
    """The law with `amendment` applied. `touched` (rule id -> amendment id) detects
    conflicts when several amendments are stacked."""
    where = Located(file or law.amendment_files.get(amendment.id, amendment.id), positions or {})
    provisions = {pid: copy.deepcopy(p) for pid, p in law.provisions.items()}
    touched = {} if touched is None else touched
    owners = _rule_ids(law)
    for pi, pid in enumerate(amendment.affects):
        if pid not in provisions:
            where.fail(("affects", pi), f"unknown provision '{pid}'", did_you_mean(pid, provisions))
    for ci, change in enumerate(amendment.changes):
        path = ("changes", ci)
        target = getattr(change, "rule", None)
        rule_id = target if isinstance(target, str) else (target.id if target is not None else None)
        if isinstance(change, (m.ReplaceRule, m.RemoveRule)):
            if rule_id not in owners:
                where.fail(path + ("rule",), f"{change.op}: unknown rule '{rule_id}'", did_you_mean(rule_id, owners))
            provision = provisions[owners[rule_id]]
        else:
            if change.provision not in provisions:
                where.fail(path + ("provision",), f"{change.op}: unknown provision '{change.provision}'",
                           did_you_mean(change.provision, provisions))
            provision = provisions[change.provision]
        if provision.id not in amendment.affects:
            where.fail(path, f"{change.op} changes provision '{provision.id}', which 'affects' does not declare")
        if rule_id is not None:
            if rule_id in touched and touched[rule_id] != amendment.id:
                where.fail(path, f"amendment '{amendment.id}' conflicts with '{touched[rule_id]}': "
                                 f"both change rule '{rule_id}'")
            touched[rule_id] = amendment.id
        versions = provision.versions
        if getattr(change, "version", None) is not None:
            versions = [v for v in versions if v.id == change.version]
            if not versions:
                where.fail(path + ("version",), f"provision '{provision.id}' has no version '{change.version}'",
                           did_you_mean(change.version, [v.id for v in provision.versions]))
        if isinstance(change, m.ReplaceRule):
            for v in versions:
                v.rules = [change.with_.model_copy(deep=True) if r.id == rule_id else r for r in v.rules]
        elif isinstance(change, m.RemoveRule):
            for v in versions:
                v.rules = [r for r in v.rules if r.id != rule_id]
                if not v.rules:
                    where.fail(path, f"removing '{rule_id}' leaves version '{v.id}' of '{provision.id}' without rules")
        elif isinstance(change, m.AddRule):
            if rule_id in owners:
                where.fail(path + ("rule", "id"), f"add: rule '{rule_id}' already exists (use 'replace')")
            for v in versions:
                v.rules = v.rules + [change.rule.model_copy(deep=True)]
        elif isinstance(change, m.ReplaceText):
            for v in versions:
                v.text = change.text
    for pid in amendment.affects:
        try:
            check_provision(provisions[pid], law.vocabulary, Located(where.file, {}))
        except InputError as exc:
            raise InputError(f"after applying amendment '{amendment.id}', {exc.message}",
                             file=where.file, hint=exc.hint) from None
    name = amendment.id if law.variant is None else f"{law.variant}+{amendment.id}"
    return dc_replace(law, provisions=provisions, variant=name)


def with_variants(law: Law, variant_ids: list[str]) -> Law:
    """Stack one or more amendments (`a+b`) onto the base law."""
    touched: dict[str, str] = {}
    for vid in variant_ids:
        if vid not in law.amendments:
            raise InputError(f"unknown variant '{vid}'", hint=did_you_mean(vid, law.amendments)
                             or f"shipped variants: {', '.join(sorted(law.amendments)) or 'none'}")
        law = apply_amendment(law, law.amendments[vid], touched=touched)
    return law


def parse_variant(spec: str | None) -> list[str]:
    return [s for s in (spec or "").split("+") if s]
