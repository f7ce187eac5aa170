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

from . import models as m
from .timeline import derived_facts, describe


@dataclass
class CaseFacts:
    """The facts of one view of a case, and where each value comes from."""
    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)


def presumed(vocab: m.Vocabulary, case: m.Case) -> dict[str, m.Presumption]:
    """The presumptions that apply to a case: facts it does not mention at all."""
    return {name: d.presumption for name, d in sorted(vocab.facts.items())
            if d.presumption is not None and name not in case.facts}


def _source(case: m.Case, key: str) -> dict[str, Any]:
    source = case.sources[key]
    return {"source": key, "cite": source.cite, **({"url": source.url} if source.url else {}),
            **({"file": source.file} if source.file else {})}


def case_facts(case: m.Case, vocab: m.Vocabulary, derived: dict[str, bool],
               perspective: str | None) -> CaseFacts:
    """The case's facts as `perspective` sees them (None: what all parties agree on, or what
    independent sources establish), with presumptions for what the case does not mention."""
    out = CaseFacts(dict(derived))
    for name, entry in case.facts.items():
        claim = entry.claims.get(perspective) if entry.claims and perspective is not None else None
        if claim is not None:
            # A party's view is its own claim, even where independent sources establish otherwise.
            out.values[name] = claim.value
            out.provenance[name] = {**_source(case, claim.source), **({"note": claim.note} if claim.note else {}),
                                    "claimant": perspective}
        elif entry.value is not None:
            out.values[name] = entry.value
            prov = {**_source(case, entry.source or ""), **({"note": entry.note} if entry.note else {})}
            if entry.established_by is not None:
                prov["established_by"] = [case.sources[s].cite for s in entry.established_by]
            out.provenance[name] = prov
    for name, presumption in presumed(vocab, case).items():
        out.values[name] = presumption.value
        out.provenance[name] = {"presumed": True, "basis": " ".join(presumption.basis.split())}
    return out


def case_values(case: m.Case, vocab: m.Vocabulary, derived: Mapping[str, bool], perspective: str | None,
                presumptions: list[tuple[str, m.Presumption]] | None = None) -> dict[str, Any]:
    """`case_facts(...).values` without the provenance (what evaluation reads, once per
    case and view: the provenance is for explanations, which ask `case_facts`).
    `presumptions`: `presumptions(vocab)`, when the caller keeps it."""
    out: dict[str, Any] = dict(derived)
    for name, entry in case.facts.items():
        claims = entry.claims
        claim = claims.get(perspective) if claims and perspective is not None else None
        if claim is not None:
            out[name] = claim.value
        elif entry.value is not None:
            out[name] = entry.value
    stated = case.facts
    for name, presumption in presumptions if presumptions is not None else vocab_presumptions(vocab):
        if name not in stated:
            out[name] = presumption.value
    return out


def vocab_presumptions(vocab: m.Vocabulary) -> list[tuple[str, m.Presumption]]:
    """The vocabulary's presumptions, by fact name (the order `presumed` applies them in)."""
    return [(name, d.presumption) for name, d in sorted(vocab.facts.items()) if d.presumption is not None]


def derived_provenance(vocab: m.Vocabulary, timeline: m.Timeline, parties: dict[str, str | None],
                       day: dt.date) -> dict[str, dict[str, Any]]:
    """Why each derived fact has its value (or none, when its party is not named)."""
    out: dict[str, dict[str, Any]] = {}
    for name, spec in vocab.derived.items():
        named = [parties.get(r) for r in spec.roles]
        if any(p is None for p in named):
            if spec.if_absent is not None:
                out[name] = {"derived": f"no {spec.roles[0]} is named in the case"}
            continue
        if spec.from_ in ("member", "participating"):
            d = describe(timeline, named[0] or "", day)
            out[name] = {"derived": d["text"], **({"cite": d["source"]} if "source" in d else {})}
        else:
            out[name] = {"derived": f"{spec.roles[0]} {named[0]} and {spec.roles[1]} {named[1]}"}
    return out


def case_view(case: m.Case, vocab: m.Vocabulary, timeline: m.Timeline, day: dt.date,
              perspective: str | None) -> CaseFacts:
    """Everything a provision may test, for one view of a case at `day`, with provenance."""
    parties = case.parties()
    view = case_facts(case, vocab, derived_facts(vocab, timeline, parties, day), perspective)
    view.provenance.update(derived_provenance(vocab, timeline, parties, day))
    return view
