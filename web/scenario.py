"""What-if scenarios: a case with some facts set by hand, as plain data.

A scenario is a case (as the data of its file) and a setting per fact: `true`,
`false`, one of an enum fact's values, `unknown`, or `claim:P` (party P's claim
taken as agreed). Applying it gives the data of a new case file, so a scenario is
evaluated, and downloaded, exactly as a case file written by hand would be.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

WHATIF_SOURCE = "what-if"
WHATIF_CITE = "What-if: set by hand in the casus explorer, not taken from a source"


class ScenarioError(ValueError):
    """A setting that does not fit the fact or the case (reported as one line, 400)."""


def check_setting(fact: str, setting: str, definition: dict[str, Any] | None,
                  claims: dict[str, Any] | None) -> Any:
    """The value a setting gives a fact (None: unknown; ('claim', P) for a claim)."""
    if definition is None:
        raise ScenarioError(f"fact.{fact}: no such fact in the vocabulary")
    if definition.get("derived"):
        raise ScenarioError(f"fact.{fact}: derived from the parties and the membership timeline; "
                            "it cannot be set")
    if setting == "unknown":
        return None
    if setting.startswith("claim:"):
        party = setting[len("claim:"):]
        if not claims or party not in claims:
            parties = ", ".join(sorted(claims or ())) or "none"
            raise ScenarioError(f"fact.{fact}: no claim by '{party}' in this case (claims: {parties})")
        return ("claim", party)
    if definition.get("type") == "boolean":
        if setting in ("true", "false"):
            return setting == "true"
        raise ScenarioError(f"fact.{fact}: '{setting}' is not true, false, unknown or claim:PARTY")
    values = [str(v) for v in definition.get("values", [])]
    if setting in values:
        return setting
    raise ScenarioError(f"fact.{fact}: '{setting}' is not one of {', '.join(values)}, unknown or claim:PARTY")


def apply(case: dict[str, Any], settings: dict[str, str], vocabulary: dict[str, dict[str, Any]],
          at: str | None = None) -> dict[str, Any]:
    """The data of the case file the scenario describes (the case itself when nothing is set)."""
    out = copy.deepcopy(case)
    facts: dict[str, Any] = out.setdefault("facts", {})
    changed = False
    for name in sorted(settings):
        entry = facts.get(name)
        claims = entry.get("claims") if isinstance(entry, dict) else None
        value = check_setting(name, settings[name], vocabulary.get(name), claims)
        if value is None:
            changed |= facts.pop(name, None) is not None
            continue
        if isinstance(value, tuple):
            claim = dict(claims[value[1]])                      # type: ignore[index]
            note = f"{value[1]}'s claim, taken as agreed (what-if)"
            claim["note"] = f"{note}: {claim['note']}" if claim.get("note") else note
            facts[name] = claim
            changed = True
            continue
        if isinstance(entry, dict) and "claims" not in entry and entry.get("value") == value:
            continue                                            # already so in the file
        facts[name] = {"value": value, "source": WHATIF_SOURCE, "note": "set in the casus explorer (what-if)"}
        out.setdefault("sources", {})[WHATIF_SOURCE] = {"cite": WHATIF_CITE}
        changed = True
    if at is not None and str(out.get("date")) != at:
        out["date"] = dt.date.fromisoformat(at)
        changed = True
    if changed:
        # The expected readings are a lawyer's reading of the episode as it happened,
        # not of this scenario: a scenario file states none.
        out.pop("expected", None)
        out.pop("expected_variants", None)
        out["id"] = f"{case['id']}-what-if"[:100]
        out["title"] = f"{case.get('title', case['id'])} (what-if)"
    if not facts:
        out.pop("facts")
    return out


def to_yaml(data: dict[str, Any], header: list[str]) -> str:
    import yaml
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)      # libyaml's emitter: ~10x faster
    comments = "".join(f"# {' '.join(line.split())}\n" for line in header)
    return comments + yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
