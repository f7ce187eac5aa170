"""What a case file can set to decide an undetermined outcome.

The engine's deciding sets name facts, some of them derived (`acting_state_member`),
which a case cannot set: it names the party instead. Hints for people name the case
field: `acting_state` for a derived fact whose party is not named, `facts.x` for a fact."""

from __future__ import annotations

from . import models as m


def fields_to_set(sets: list[list[str]], vocab: m.Vocabulary, case: m.Case | None = None) -> list[list[str]]:
    out: list[list[str]] = []
    for group in sets:
        fields: list[str] = []
        for fact in group:
            derived = vocab.derived.get(fact)
            if derived is None:
                names = [f"facts.{fact}"]
            else:
                unnamed = [r for r in derived.roles if case is None or case.party(r) is None]
                names = unnamed or list(derived.roles)
            fields.extend(n for n in names if n not in fields)
        if fields not in out:
            out.append(fields)
    return out
