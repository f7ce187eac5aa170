"""A case's facts as one party sees them: stated, established, claimed, presumed or derived.

What a case says becomes the facts a provision is evaluated on, here and nowhere else:
- a fact stated with a value (or established by independent sources) holds for everyone;
- a contested fact holds only in the view of a party that claims it;
- a fact the case is silent on takes the presumption the vocabulary declares for it (a rule
  of law, with its basis), else it stays unknown: unknown is never read as false;
- derived facts come from the membership timeline and the parties.
Each value carries its provenance, which explanations show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any

from ..files import models as m
from .membership import derived_facts, describe


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact's value comes from. A field is set only where it says something, and
    only set fields reach the JSON (an explanation's fact entry)."""
    source: str | None = None                       # the case's source key
    cite: str | None = None
    url: str | None = None
    file: str | None = None
    note: str | None = None
    quote: str | None = None                        # the source's own words for the fact
    claimant: str | None = None                     # a party's claim, read in that party's view
    established_by: tuple[str, ...] | None = None   # the cites of the independent sources
    presumed: bool = False                          # the case is silent: the vocabulary's presumption
    basis: str | None = None                        # of the presumption
    derived: str | None = None                      # why a derived fact has its value

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in _PROVENANCE_FIELDS:
            value = getattr(self, name)
            if value is None or value is False:
                continue
            out[name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Provenance":
        known = {k: data[k] for k in _PROVENANCE_FIELDS if k in data}
        if "established_by" in known:
            known["established_by"] = tuple(known["established_by"])
        return cls(**known)


_PROVENANCE_FIELDS = tuple(f for f in Provenance.__dataclass_fields__)


@dataclass
class CaseFacts:
    """The facts of one view of a case, and where each value comes from."""
    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)




def presumed(vocab: m.Vocabulary, case: m.Case) -> dict[str, m.Presumption]:
    """The presumptions that apply to a case: facts it does not mention at all."""
    stated = stated_facts(case)
    return {name: p for name, p in vocab_presumptions(vocab) if name not in stated}


def stated_facts(case: m.Case) -> dict[str, m.FactEntry]:
    """The case's facts with what is said about another attacker left out: an entry or claim
    naming `attacker:` speaks only of that state's force (self-defence is bound to the
    attacker), so where the case's attacker is another, it says nothing (a fact left with
    nothing is unstated, and its presumption applies)."""
    facts = case.facts
    if not any(e.attacker is not None or (e.claims and any(c.attacker is not None for c in e.claims.values()))
               for e in facts.values()):
        return facts
    who = case.attacker
    out: dict[str, m.FactEntry] = {}
    for name, entry in facts.items():
        claims = ({p: c for p, c in entry.claims.items() if c.attacker is None or c.attacker == who}
                  if entry.claims else None)
        keep_value = entry.value is not None and (entry.attacker is None or entry.attacker == who)
        if not keep_value and not claims:
            continue
        if keep_value and claims == entry.claims:
            out[name] = entry
            continue
        update: dict[str, Any] = {"claims": claims or None}
        if not keep_value:
            update.update(value=None, source=None, quote=None, note=None, established_by=None)
        out[name] = entry.model_copy(update=update)
    return out


def _claim(entry: m.FactEntry, perspective: str | None) -> m.Claim | None:
    """The claim that is `perspective`'s view of a fact: a party's view is its own claim,
    even where independent sources establish otherwise."""
    return entry.claims.get(perspective) if entry.claims and perspective is not None else None


def _source(case: m.Case, key: str, note: str | None, quote: str | None, **more: Any) -> Provenance:
    source = case.sources[key]
    return Provenance(source=key, cite=source.cite, url=source.url or None, file=source.file or None,
                      note=note or None, quote=" ".join(quote.split()) if quote else None, **more)


def case_facts(case: m.Case, vocab: m.Vocabulary, derived: dict[str, bool],
               perspective: str | None) -> CaseFacts:
    """The case's facts as `perspective` sees them (None: what all parties agree on, or what
    independent sources establish), with presumptions for what the case does not mention."""
    out = CaseFacts(dict(derived))
    for name, entry in stated_facts(case).items():
        claim = _claim(entry, perspective)
        if claim is not None:
            out.values[name] = claim.value
            out.provenance[name] = _source(case, claim.source, claim.note, claim.quote, claimant=perspective)
        elif entry.value is not None:
            out.values[name] = entry.value
            established = (None if entry.established_by is None
                           else tuple(case.sources[s].cite for s in entry.established_by))
            out.provenance[name] = _source(case, entry.source or "", entry.note, entry.quote, established_by=established)
    for name, presumption in presumed(vocab, case).items():
        out.values[name] = presumption.value
        out.provenance[name] = Provenance(presumed=True, basis=" ".join(presumption.basis.split()))
    return out


def case_values(case: m.Case, vocab: m.Vocabulary, derived: Mapping[str, bool], perspective: str | None,
                presumptions: list[tuple[str, m.Presumption]] | None = None) -> dict[str, Any]:
    """`case_facts(...).values` without the provenance (what evaluation reads, once per
    case and view: the provenance is for explanations, which ask `case_facts`).
    `presumptions`: `presumptions(vocab)`, when the caller keeps it."""
    out: dict[str, Any] = dict(derived)
    stated = stated_facts(case)
    for name, entry in stated.items():
        claim = _claim(entry, perspective)
        if claim is not None:
            out[name] = claim.value
        elif entry.value is not None:
            out[name] = entry.value
    for name, presumption in presumptions if presumptions is not None else vocab_presumptions(vocab):
        if name not in stated:
            out[name] = presumption.value
    return out


def vocab_presumptions(vocab: m.Vocabulary) -> list[tuple[str, m.Presumption]]:
    """The vocabulary's presumptions, by fact name (the order `presumed` applies them in)."""
    return [(name, d.presumption) for name, d in sorted(vocab.facts.items()) if d.presumption is not None]


def derived_provenance(vocab: m.Vocabulary, timeline: m.Timeline, parties: dict[str, str | None],
                       day: dt.date) -> dict[str, Provenance]:
    """Why each derived fact has its value (or none, when its party is not named)."""
    out: dict[str, Provenance] = {}
    for name, spec in vocab.derived.items():
        named = [parties.get(r) for r in spec.roles]
        if any(p is None for p in named):
            if spec.if_absent is not None:
                out[name] = Provenance(derived=f"no {spec.roles[0]} is named in the case")
            continue
        if spec.from_ in ("member", "participating"):
            d = describe(timeline, named[0] or "", day)
            out[name] = Provenance(derived=d["text"], cite=d.get("source"))
        else:
            out[name] = Provenance(derived=f"{spec.roles[0]} {named[0]} and {spec.roles[1]} {named[1]}")
    return out


def under_treaty(case: m.Case, pid: str) -> m.Case:
    """The case as a provision of one treaty reads it: its `treaty_facts` for that treaty (the
    first part of the provision id) replace the case's facts of the same name."""
    own = case.treaty_facts.get(pid.split(".")[0])
    return case if not own else case.model_copy(update={"facts": {**case.facts, **own}})


def case_view(case: m.Case, vocab: m.Vocabulary, timeline: m.Timeline, day: dt.date,
              perspective: str | None) -> CaseFacts:
    """Everything a provision may test, for one view of a case at `day`, with provenance."""
    parties = case.parties()
    view = case_facts(case, vocab, derived_facts(vocab, timeline, parties, day, perspective), perspective)
    view.provenance.update(derived_provenance(vocab, timeline, parties, day))
    return view
