"""Shell completion of ids: cases, variants and provisions (`casus --install-completion`).

Completion runs the program on every TAB, so these read file names and the `id:` line of the
provision files only: no law is loaded, no model built. A --rules DIR or --cases DIR already on
the command line is honoured."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ID_LINE = re.compile(r"^id:\s*['\"]?([^'\"\s#]+)", re.M)


def _dir(ctx: Any, option: str, shipped: str) -> Path:
    given = (getattr(ctx, "params", None) or {}).get(option)
    if given:
        return Path(given)
    from ..engine.files.paths import package_dir
    return package_dir(shipped)


def _yaml_files(incomplete: str) -> list[str]:
    """Case or variant files in the directory the user is typing in."""
    folder = Path(incomplete).parent if "/" in incomplete else Path(".")
    try:
        return sorted(str(p) if "/" in incomplete else p.name for p in folder.glob("*.yaml")
                      if str(p if "/" in incomplete else p.name).startswith(incomplete))
    except OSError:
        return []


def complete_case(ctx: Any, incomplete: str) -> list[str]:
    cases = _dir(ctx, "cases_dir", "cases")
    ids = sorted(p.stem for p in cases.glob("*.yaml") if p.stem.startswith(incomplete))
    return ids + _yaml_files(incomplete)


def complete_variant(ctx: Any, incomplete: str) -> list[str]:
    rules = _dir(ctx, "rules", "rules")
    ids = sorted(p.stem for p in (rules / "amendments").glob("*.yaml") if p.stem.startswith(incomplete))
    return ids + _yaml_files(incomplete)


def complete_provision(ctx: Any, incomplete: str) -> list[str]:
    rules = _dir(ctx, "rules", "rules")
    found = set()
    for path in rules.rglob("*.yaml"):
        if path.parent.name == "amendments" or path.name in ("facts.yaml", "members.yaml"):
            continue        # variants, the vocabulary and membership timelines are no provisions
        try:
            match = ID_LINE.search(path.read_text(encoding="utf-8", errors="replace")[:4096])
        except OSError:
            continue
        if match and match.group(1).startswith(incomplete):
            found.add(match.group(1))
    return sorted(found)
