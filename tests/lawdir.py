"""One-provision law directories written by tests (backends/test_limits.py,
analysis/test_validate_pool.py): a fact vocabulary, the fixture membership timeline and rules."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from conftest import DATA

DAY = dt.date(2000, 1, 1)
ROLES = {"requesting_state": "the member asking", "territory": "where it happens", "attacker": "the attacker",
         "acting_state": "the member acting", "third_state": "the state with a base"}


def write_law(root: Path, facts: dict[str, list[str] | None], rules: list[dict],
              conclusions: tuple[str, ...] = ("granted",), raw: str | None = None) -> Path:
    """A one-provision law: `facts` (None: boolean, else enum values) and `rules`."""
    (root / "provisions").mkdir(parents=True)
    shutil.copy(DATA / "broken-rules" / "members.yaml", root / "members.yaml")
    vocab = {"parties": ROLES,
             "facts": {f: ({"type": "boolean", "description": f"fact {f}"} if v is None else
                           {"type": "enum", "values": v, "description": f"fact {f}"}) for f, v in facts.items()},
             "derived": {"requesting_state_member": {"from": "member", "roles": ["requesting_state"],
                                                     "description": "the requesting state is a member"}}}
    (root / "facts.yaml").write_text(yaml.safe_dump(vocab, allow_unicode=True), encoding="utf-8")
    provision = {"id": "test.limits", "instrument": "Test fixture", "article": "1", "title": "Limits",
                 "question": "Is it granted?", "outcome": conclusions[0], "outcomes": ["triggered", "not_triggered"],
                 "sources": {"test": {"cite": "test fixture"}},
                 "versions": [{"id": "1", "in_force": {"from": dt.date(1994, 4, 20)}, "text_source": "test",
                               "text": "A test provision.",
                               "conclusions": {c: {"description": c} for c in conclusions}, "rules": rules}]}
    path = root / "provisions" / "limits.yaml"
    path.write_text(raw if raw is not None else yaml.safe_dump(provision, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def rule(rid: str, when: dict, concludes: str = "granted", value: bool = True, **extra) -> dict:
    return {"id": rid, "concludes": concludes, "value": value, "when": when, "because": f"rule {rid}", **extra}
