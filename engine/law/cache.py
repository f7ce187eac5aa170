"""A law read and checked once, kept in the user's cache directory for the next process.

`read_rules` parses every YAML file of a rules directory and builds and checks its models:
most of a cold `casus evaluate`'s own time for the shipped law, and seconds for a large one.
`cached_rules` does it once per content of the law and keeps the result (a pickle of the
LawModels) in the user's cache directory; a later process that finds it unpickles it
instead (no YAML read, no pydantic validation).

What a cache file is keyed by (a SHA-256 over all of these, also written inside the file
and checked on reading):
  - the bytes and paths of every file `read_rules` reads (facts.yaml, members.yaml, the
    provision files, the amendments): any edit makes a new key;
  - the rules directory's resolved path (the models name their files);
  - casus's version, and the size and modification time of casus's own engine/files and
    engine/law modules (whose code makes the models), Python's and pydantic's versions:
    a file is never trusted across versions, nor across edits of that code.

Where: $CASUS_CACHE_DIR if set, else the platform's user cache directory ($XDG_CACHE_HOME
or ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows), under casus/.
Nothing is written next to the package, so nothing of it ships in a wheel. The files are
safe to delete at any time; CASUS_NO_CACHE=1 turns the cache off. A file that cannot be
read, is not one of ours (wrong header or key), is not owned by this user or is writable by
others, or does not unpickle is ignored and written anew; a law with mistakes is never
cached (its errors are reported as they are without a cache). At most KEEP files are kept:
writing one removes the oldest beyond that.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..files.paths import provision_paths, rules_dir
from .loader import LawModels, read_rules

MAGIC = b"casus-law-cache 1\n"
KEEP = 16
_ENGINE = Path(__file__).resolve().parent.parent


def cache_dir() -> Path | None:
    """The directory cache files go in (None: the cache is off)."""
    if os.environ.get("CASUS_NO_CACHE"):
        return None
    explicit = os.environ.get("CASUS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "casus" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "casus"
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "casus"


def _law_files(root: Path) -> list[Path]:
    """Every file read_rules reads (that exists), in a fixed order."""
    files = [root / "facts.yaml", root / "members.yaml", *provision_paths(root)]
    amendments = root / "amendments"
    if amendments.is_dir():
        files += sorted(amendments.glob("*.yaml"))
    return [f for f in files if f.is_file()]


def _code_fingerprint() -> list[str]:
    from ..version import __version__
    import pydantic
    out = [__version__, sys.version, pydantic.VERSION]
    for package in ("files", "law"):
        for path in sorted((_ENGINE / package).rglob("*.py")):
            st = path.stat()
            out.append(f"{path.relative_to(_ENGINE)}:{st.st_size}:{st.st_mtime_ns}")
    return out


def law_key(root: Path) -> str:
    """The key of a rules directory's cache file (see the module's docstring)."""
    h = hashlib.sha256()
    for part in [str(root.resolve()), *_code_fingerprint()]:
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for path in _law_files(root):
        data = path.read_bytes()
        h.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def cached_rules(root: Path | str | None = None) -> LawModels:
    """read_rules(root), from the cache when it holds this law; else read and then kept."""
    where = cache_dir()
    path = Path(root) if root else rules_dir()
    if where is None or not path.is_dir():
        return read_rules(root)
    try:
        key = law_key(path)
    except OSError:
        return read_rules(root)
    file = where / f"law-{key[:32]}.pickle"
    found = _read(file, key)
    if found is not None:
        return found
    law = read_rules(root)          # raises on a law with mistakes: nothing is cached
    _write(where, file, key, law)
    return law


def _read(file: Path, key: str) -> LawModels | None:
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        # Only a file this user wrote and no one else can change (a pickle runs code).
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return None
        with os.fdopen(fd, "rb") as f:
            fd = -1
            data = f.read()
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    head = MAGIC + key.encode("ascii") + b"\n"
    if not data.startswith(head):
        return None
    try:
        law: Any = pickle.loads(data[len(head):])
    except Exception:       # corrupt, truncated, or written by code that no longer exists
        return None
    return law if isinstance(law, LawModels) else None


def _write(where: Path, file: Path, key: str, law: LawModels) -> None:
    """Write the file whole or not at all (a temporary file renamed over it); a cache that
    cannot be written is no error."""
    try:
        data = MAGIC + key.encode("ascii") + b"\n" + pickle.dumps(law, protocol=pickle.HIGHEST_PROTOCOL)
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".law-", suffix=".tmp", dir=where)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, file)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(where)
    except (OSError, pickle.PicklingError, RecursionError):
        pass


def _prune(where: Path) -> None:
    files = sorted(where.glob("law-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass
