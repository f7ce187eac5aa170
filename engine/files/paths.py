"""Where the shipped files are, and which files of a rules directory hold what."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_dir(name: str) -> Path:
    """A data directory shipped inside the installed `casus` package."""
    return Path(str(resources.files("casus").joinpath(name)))


def rules_dir() -> Path:
    return package_dir("rules")


def cases_dir() -> Path:
    return package_dir("cases")



MEMBERS = "members.yaml"     # a membership timeline: at the root (the default) or in a treaty's folder


def provision_paths(root: Path) -> list[Path]:
    """The provision files of a rules directory: YAML files in its subfolders but amendments/
    (and a treaty folder's own membership timeline)."""
    return sorted(p for p in root.rglob("*.yaml")
                  if p.parent != root and "amendments" not in p.relative_to(root).parts
                  and p.name != MEMBERS)



def shipped_cases() -> list[Path]:
    return sorted(cases_dir().glob("*.yaml"))
