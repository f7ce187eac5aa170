"""Explanation trees: outcome <- rule (its reason, the words it applies) <- the facts it
matched (each with its value, claimant and source) <- conclusions it rests on.

Built from the firings the engine recorded for this evaluation (see
backends/durable.py), never reconstructed from the rule text after the fact: a rule
appears only if it fired, and its children are the firings that derived the
conclusions it matched (in an earlier stratum).

The tree is typed (frozen dataclasses below); `to_json()` gives the plain data of the
JSON contract (`explanation` in `casus evaluate --explain --format json`) and
`from_json()` reads it back, so that a renderer of a JSON document (a report, a
timeline) walks the same typed tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from ..backends.base import EngineRef, Firing
from ..files import models as m
from ..logic.compiler import RuleKind
from ..logic.ir import AtomKind, Value
from ..outcome import DivergenceKind, Outcome
from ..evaluate.evaluator import CaseResult, Divergence, ProvisionResult
from ..evaluate.verdict import Verdict
from ..law.amendments import rule_changes
from ..law.loader import LawModels
from ..law.facts import Provenance, case_view, under_treaty
from .trace import conflict_rules
from ..files.fields import fields_to_set


# ------------------------------------------------------------------ the tree

@dataclass(frozen=True, slots=True)
class FactNode:
    """A fact a rule matched: its value in this view, and where the value comes from."""
    fact: str
    value: Value
    provenance: Provenance = Provenance()

    def to_json(self) -> dict[str, Any]:
        return {"fact": self.fact, "value": self.value, **self.provenance.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FactNode:
        return cls(data["fact"], data["value"], Provenance.from_json(dict(data)))


@dataclass(frozen=True, slots=True)
class ExceptionNode:
    """An `unless` exception a rule checked, and whether it applied."""
    rule: str
    applies: Value

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "applies": self.applies}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExceptionNode:
        return cls(data["rule"], data["applies"])


@dataclass(frozen=True, slots=True)
class RuleNode:
    """A rule that fired: what it concluded and why, from which facts, resting on which
    conclusions (the rules that derived them) and exceptions."""
    rule: str
    concludes: str
    value: bool
    because: str
    stratum: int
    quote: str | None = None
    quote_ru: str | None = None          # the same words in the Russian text, where it has them
    changed_by_variant: bool = False
    engine: EngineRef | None = None
    facts: tuple[FactNode, ...] = ()
    conclusions: tuple[RuleNode, ...] = ()
    exceptions: tuple[ExceptionNode, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "concludes": self.concludes, "value": self.value,
                               "because": self.because, "stratum": self.stratum}
        if self.quote:
            out["quote"] = self.quote
        if self.quote_ru:
            out["quote_ru"] = self.quote_ru
        if self.changed_by_variant:
            out["changed_by_variant"] = True
        if self.engine is not None:
            out["engine"] = {"ruleset": self.engine.ruleset, "rule": self.engine.rule}
        out["facts"] = [f.to_json() for f in self.facts]
        out["conclusions"] = [c.to_json() for c in self.conclusions]
        if self.exceptions:
            out["exceptions"] = [e.to_json() for e in self.exceptions]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuleNode:
        engine = data.get("engine")
        return cls(data["rule"], data["concludes"], data["value"], data["because"], data["stratum"],
                   quote=data.get("quote"), quote_ru=data.get("quote_ru"),
                   changed_by_variant=bool(data.get("changed_by_variant")),
                   engine=EngineRef(engine["ruleset"], engine["rule"]) if engine is not None else None,
                   facts=tuple(FactNode.from_json(f) for f in data["facts"]),
                   conclusions=tuple(RuleNode.from_json(c) for c in data["conclusions"]),
                   exceptions=tuple(ExceptionNode.from_json(e) for e in data.get("exceptions", ())))


@dataclass(frozen=True, slots=True)
class VerdictTree:
    """Why one view of the facts gives its outcome: the deciding rules; for an outcome no
    rule decided, what was established on the way and which facts would decide it."""
    outcome: Outcome
    rules: tuple[RuleNode, ...] = ()
    established: tuple[RuleNode, ...] = ()
    would_decide: tuple[tuple[str, ...], ...] = ()         # shown for an undetermined outcome
    to_set: tuple[tuple[str, ...], ...] | None = None        # the case fields that set those facts
    conflicts: tuple[str, ...] = ()
    # For each conflicted conclusion: (conclusion, rules deriving it true, rules deriving it false).
    conflict_rules: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"outcome": self.outcome.value, "rules": [r.to_json() for r in self.rules]}
        if self.established:
            out["established"] = [r.to_json() for r in self.established]
        if self.outcome == Outcome.UNDETERMINED:
            out["would_decide"] = [list(s) for s in self.would_decide]
            if self.to_set is not None:
                out["to_set"] = [list(s) for s in self.to_set]
        if self.conflicts:
            out["conflicts"] = list(self.conflicts)
        if self.conflict_rules:
            out["conflicting_rules"] = {c: {"true": list(t), "false": list(f)} for c, t, f in self.conflict_rules}
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VerdictTree:
        to_set = data.get("to_set")
        return cls(Outcome(data["outcome"]), tuple(RuleNode.from_json(r) for r in data["rules"]),
                   tuple(RuleNode.from_json(r) for r in data.get("established", ())),
                   tuple(tuple(s) for s in data.get("would_decide", ())),
                   None if to_set is None else tuple(tuple(s) for s in to_set),
                   tuple(data.get("conflicts", ())),
                   tuple((c, tuple(r["true"]), tuple(r["false"]))
                         for c, r in data.get("conflicting_rules", {}).items()))


@dataclass(frozen=True, slots=True)
class Article:
    """The article text in force: the words the rules apply."""
    instrument: str
    article: str
    version: str
    in_force_from: dt.date
    in_force_to: dt.date | None
    text: str
    cite: str
    url: str | None = None
    note: str | None = None
    # The authentic Russian text beside the English (where it was found), its source, what it
    # is, and the translation notes: each {"en": words, "ru": words, "note": the difference}.
    text_ru: str | None = None
    cite_ru: str | None = None
    url_ru: str | None = None
    note_ru: str | None = None
    translation_notes: tuple[Mapping[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"instrument": self.instrument, "article": self.article, "version": self.version,
                               "in_force": {"from": self.in_force_from.isoformat(),
                                            "to": self.in_force_to.isoformat() if self.in_force_to else None},
                               "text": self.text, "cite": self.cite}
        for key in ("url", "note", "text_ru", "cite_ru", "url_ru", "note_ru"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.translation_notes:
            out["translation_notes"] = [dict(n) for n in self.translation_notes]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Article:
        to = data["in_force"]["to"]
        return cls(data["instrument"], data["article"], data["version"],
                   dt.date.fromisoformat(data["in_force"]["from"]), dt.date.fromisoformat(to) if to else None,
                   data["text"], data["cite"], data.get("url"), data.get("note"),
                   data.get("text_ru"), data.get("cite_ru"), data.get("url_ru"), data.get("note_ru"),
                   tuple(data.get("translation_notes", ())))


@dataclass(frozen=True, slots=True)
class Explanation:
    """One provision's explanation. Without a version in force there is only the `note`
    (`article` and `agreed` are None)."""
    provision: str
    title: str
    question: str
    outcome: Outcome
    note: str | None = None
    article: Article | None = None
    agreed: VerdictTree | None = None                  # on the facts every party agrees on
    perspectives: Mapping[str, VerdictTree] = field(default_factory=dict)
    divergence: tuple[Divergence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"provision": self.provision, "title": self.title, "question": self.question,
                               "outcome": self.outcome.value}
        if self.article is None or self.agreed is None:
            out["note"] = self.note
            return out
        out["article"] = self.article.to_json()
        out["agreed"] = self.agreed.to_json()
        if self.perspectives:
            out["perspectives"] = {p: t.to_json() for p, t in self.perspectives.items()}
        if self.divergence:
            out["divergence"] = [d.to_json() for d in self.divergence]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Explanation:
        head = (data["provision"], data["title"], data["question"], Outcome(data["outcome"]))
        if "article" not in data:
            return cls(*head, note=data.get("note"))
        return cls(*head, article=Article.from_json(data["article"]),
                   agreed=VerdictTree.from_json(data["agreed"]),
                   perspectives={p: VerdictTree.from_json(t) for p, t in data.get("perspectives", {}).items()},
                   divergence=tuple(Divergence(d["perspective"], DivergenceKind(d["kind"]), d["detail"])
                                    for d in data.get("divergence", ())))


# ------------------------------------------------------------------ building it

def _fact_provenance(case: m.Case, law: LawModels, day: dt.date, perspective: str | None,
                     pid: str) -> dict[str, Provenance]:
    return case_view(under_treaty(case, pid), law.vocabulary, law.timeline_for(pid), day, perspective).provenance


def _rule_node(v: Verdict, firing: Firing, provenance: Mapping[str, Provenance], changed: AbstractSet[str],
               seen: frozenset[str]) -> RuleNode:
    """A fired rule, the facts it matched, and the rules whose conclusions it matched."""
    cv = v.compiled
    rule = cv.rules[firing.rule]
    facts = v.derivation.facts
    if firing.term is not None:
        used = [a.name for a, _ in firing.matched if a.kind is AtomKind.FACT]
    else:       # the reference evaluator does not say which term held: the rule's own facts
        used = [f for f in cv.direct_facts[firing.rule] if f in facts]
    conclusions: list[RuleNode] = []
    exceptions: list[ExceptionNode] = []
    for atom, value in firing.matched:
        if atom.kind is AtomKind.EXCEPTION:
            exceptions.append(ExceptionNode(atom.name, value))
        elif atom.kind is AtomKind.CONCLUSION:
            for sub in v.derivation.derived_by(atom, value):
                if sub.kind is RuleKind.RULE and sub.rule not in seen:
                    conclusions.append(_rule_node(v, sub, provenance, changed, seen | {firing.rule}))
    return RuleNode(firing.rule, rule.concludes, rule.value, rule.because, firing.stratum,
                    quote=rule.quote, quote_ru=cv.version.quotes_ru.get(rule.quote) if rule.quote else None,
                    changed_by_variant=firing.rule in changed, engine=firing.engine,
                    facts=tuple(FactNode(f, facts[f], provenance.get(f, Provenance())) for f in used),
                    conclusions=tuple(conclusions), exceptions=tuple(exceptions))


def _first_firings(v: Verdict, rules: list[str]) -> list[Firing]:
    """One firing per rule (its first, in engine order)."""
    out: dict[str, Firing] = {}
    for f in v.derivation.firings:
        if f.kind is RuleKind.RULE and f.rule in rules and f.rule not in out:
            out[f.rule] = f
    return [out[r] for r in rules]


def _verdict_tree(pr: ProvisionResult, v: Verdict, provenance: Mapping[str, Provenance],
                  changed: AbstractSet[str], fields_of: m.Case | None, law: LawModels) -> VerdictTree:
    cv, prov = v.compiled, pr.provision
    fired = v.derivation.fired
    want: dict[str, bool] = {}
    if v.outcome in (Outcome.TRIGGERED, Outcome.NOT_TRIGGERED):
        want = {prov.outcome: v.outcome == Outcome.TRIGGERED}
        if prov.applicability:
            want[prov.applicability] = True
    elif v.outcome == Outcome.NOT_APPLICABLE and prov.applicability:
        want = {prov.applicability: False}
    deciding = [rid for rid in fired if cv.rules[rid].concludes in want
                and cv.rules[rid].value == want[cv.rules[rid].concludes]]
    # Undetermined: what was established on the way (conclusions some rule did reach).
    partial = [] if deciding else list(fired)
    would_decide: list[list[str]] = v.deciding if v.outcome == Outcome.UNDETERMINED else []
    to_set = None
    if fields_of is not None and v.outcome == Outcome.UNDETERMINED:
        to_set = tuple(tuple(s) for s in fields_to_set(would_decide, law.vocabulary, fields_of))
    return VerdictTree(v.outcome,
                       tuple(_rule_node(v, f, provenance, changed, frozenset()) for f in _first_firings(v, deciding)),
                       tuple(_rule_node(v, f, provenance, changed, frozenset()) for f in _first_firings(v, partial)),
                       tuple(tuple(s) for s in would_decide), to_set, tuple(v.derivation.conflicts()),
                       tuple((c, tuple(r["true"]), tuple(r["false"])) for c, r in conflict_rules(v).items()))


def version_article(prov: m.Provision, v: m.ProvisionVersion) -> Article:
    """The article text of one version, with its Russian beside it where there is one."""
    source = prov.sources[v.text_source]
    ru = prov.sources[v.text_ru_source] if v.text_ru_source else None
    return Article(prov.instrument, prov.article, v.id, v.in_force.from_, v.in_force.to,
                   " ".join(v.text.split()), source.cite, source.url or None, v.text_note or None,
                   " ".join(v.text_ru.split()) if v.text_ru else None, ru.cite if ru else None,
                   (ru.url or None) if ru else None, " ".join(v.text_ru_note.split()) if v.text_ru_note else None,
                   tuple({"en": n.en, "ru": n.ru, "note": " ".join(n.note.split())} for n in v.translation_notes))


def explain_provision(pr: ProvisionResult, case: m.Case, law: LawModels, day: dt.date,
                      changed: AbstractSet[str] = frozenset(), perspective: str | None = None,
                      fields: bool = False) -> Explanation:
    """`perspective`: whose claims the main verdict used (set when evaluated with --perspective).
    `fields`: beside the facts that would decide an outcome, the case fields that set them."""
    prov = pr.provision
    head = (prov.id, prov.title, prov.question, pr.outcome)
    if pr.version is None or pr.verdict is None:
        return Explanation(*head, note=pr.note)
    v = pr.version
    article = version_article(prov, v)
    fields_of = case if fields else None
    agreed = _verdict_tree(pr, pr.verdict, _fact_provenance(case, law, day, perspective, prov.id), changed, fields_of, law)
    perspectives = {p: _verdict_tree(pr, pv, _fact_provenance(case, law, day, p, prov.id), changed, fields_of, law)
                    for p, pv in pr.perspectives.items()}
    return Explanation(*head, article=article, agreed=agreed, perspectives=perspectives,
                       divergence=tuple(pr.divergence))


def explain_case(result: CaseResult, law: LawModels, changed: AbstractSet[str] = frozenset(),
                 fields: bool = False) -> list[Explanation]:
    return [explain_provision(pr, result.case, law, result.date, changed, result.perspective, fields)
            for pr in result.provisions]


def changed_rules(base: LawModels, variant: LawModels) -> set[str]:
    """Rule ids a variant added, removed or changed (to highlight them)."""
    return {rid for c in rule_changes(base, variant).values()
            for key in ("added", "removed", "changed") for rid in c.get(key, [])}
