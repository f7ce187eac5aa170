"""Where the shipped files are, and which files of a rules directory hold what."""

from __future__ import annotations

import os
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
    (and a treaty folder's own membership timeline, MEMBERS).

    A linked folder is read where it leads when that is inside the rules directory, each
    folder once however many links lead to it (so a link back up cannot loop). A link to a
    folder outside is refused: a law is one directory, the one `casus validate` checked,
    that `casus serve` names files in, and that a copy (cp -r, tar, git keep the link, not
    the files) carries with it; a folder from elsewhere is none of these."""
    from .errors import InputError
    top = os.path.realpath(root)
    seen: set[str] = set()
    found: list[Path] = []

    def walk(folder: Path, real: str, parts: tuple[str, ...]) -> None:
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise InputError(f"cannot read the folder: {(exc.strerror or str(exc)).lower()}", file=str(folder)) from None
        for entry in entries:
            path = folder / entry.name
            if entry.is_dir():                    # follows a link
                if entry.name == "amendments":
                    continue
                target = os.path.realpath(path)
                if entry.is_symlink() and target != top and not target.startswith(top.rstrip(os.sep) + os.sep):
                    raise InputError(f"is a link to a folder outside the rules directory ({target}); a law is "
                                     "read from one directory", file=str(path),
                                     hint="copy the folder into the rules directory instead of linking it")
                walk(path, target, parts + (entry.name,))
            elif parts and entry.name.endswith(".yaml") and entry.name != MEMBERS:
                found.append(path)

    walk(Path(root), top, ())
    return sorted(found)


def shipped_cases() -> list[Path]:
    return sorted(cases_dir().glob("*.yaml"))
