"""What-if scenarios: a case with some facts set by hand, as plain data.

A scenario is a case (as the data of its file) and a setting per fact: `true`,
`false`, one of an enum fact's values, `unknown`, or `claim:P` (party P's claim
taken as agreed); and per role (attacker, requesting state, ...): a state's ISO code, a
non-state party the case declares, or `unknown`. Applying it gives the data of a new case file, so a scenario is
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


ROLE_PREFIX = "role."


def check_role(role: str, setting: str, roles: list[str], non_state: dict[str, Any]) -> str | None:
    """The party a role setting names (None: unknown): a state's ISO code or a declared non-state party."""
    if role not in roles:
        raise ScenarioError(f"role.{role}: no such role (roles: {', '.join(roles)})")
    if setting == "unknown":
        return None
    if len(setting) == 2 and setting.isalpha():
        return setting.upper()
    if setting in non_state:
        return setting
    declared = ", ".join(sorted(non_state)) or "none"
    raise ScenarioError(f"role.{role}: '{setting}' is neither a state's two-letter ISO code nor a non-state "
                        f"party of this case (declared: {declared})")


def apply(case: dict[str, Any], settings: dict[str, str], vocabulary: dict[str, dict[str, Any]],
          at: str | None = None, roles: list[str] | None = None) -> dict[str, Any]:
    """The data of the case file the scenario describes (the case itself when nothing is set).
    Settings named `role.ROLE` name a party (a state's code, a declared non-state party, or
    `unknown`); the others set facts."""
    out = copy.deepcopy(case)
    facts: dict[str, Any] = out.setdefault("facts", {})
    changed = False
    for key in sorted(k for k in settings if k.startswith(ROLE_PREFIX)):
        role = key[len(ROLE_PREFIX):]
        party = check_role(role, settings[key], roles or [], out.get("non_state_parties") or {})
        if out.get(role) != party:
            if party is None:
                out.pop(role, None)
            else:
                out[role] = party
            changed = True
    for name in sorted(k for k in settings if not k.startswith(ROLE_PREFIX)):
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


# A pasted case travels in a link as its text, deflated and base64url-encoded: the server keeps
# nothing of it. Links longer than this are refused (browsers and servers cut longer URLs).
LINK_LIMIT = 12_000


def case_token(text: str) -> str | None:
    """The pasted case's text as a URL-safe token, or None when its link would be too long."""
    import base64
    import zlib
    token = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")
    return token if len(token) <= LINK_LIMIT else None


def case_from_token(token: str) -> bytes:
    """The text a token carries (ScenarioError when it is not one casus made)."""
    import base64
    import binascii
    import zlib
    if len(token) > LINK_LIMIT:
        raise ScenarioError(f"case: the link's case is longer than {LINK_LIMIT} characters")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        out = zlib.decompressobj()
        text = out.decompress(packed, 2_000_000)    # a case file's own size limit
        if out.unconsumed_tail:
            raise ScenarioError("case: the link's case is larger than a case file may be")
        return text
    except (binascii.Error, ValueError, zlib.error):
        raise ScenarioError("case: not a case link made by the explorer (copy the whole link)") from None
