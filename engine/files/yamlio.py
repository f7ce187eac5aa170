"""Reading YAML written by hand: safe, bounded, and with positions kept.

Every mapping key and sequence item remembers its line and column so that a
validation error found later (by pydantic, or by the loader) can still name the
line it came from. Hostile input is refused before it can cost memory: only
regular files are read, and no more bytes than the cap; nodes are counted while
the document is composed, aliases are capped (no "billion laughs"), nesting is
capped, numbers are capped in length before Python converts them.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from collections.abc import Callable
from typing import Any

import yaml

from .errors import InputError

MAX_BYTES = 2_000_000          # a case file is a few KB; the law is tens of KB
MAX_ALIASES = 100              # anchors are legitimate, expansion bombs are not
MAX_DEPTH = 50
MAX_NODES = 100_000            # nodes, counted while composing and again once aliases are expanded
MAX_NUMBER_DIGITS = 100        # no field is a number; Python refuses to convert 4,301+ digits anyway

Path_ = tuple[Any, ...]
Positions = dict[Path_, tuple[int, int]]


_Base: Any
try:   # libyaml scans and parses ~7x faster; composing stays in Python for the checks below
    from yaml._yaml import CParser as _Parser

    class _CBase(yaml.composer.Composer, _Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
    _Base = _CBase
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]  # a base chosen at import: libyaml or PyYAML
    """A safe loader that refuses duplicate keys, alias floods and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0
        self._nodes = 0

    def _mark(self) -> tuple[int, int]:
        mark = self.peek_event().start_mark
        return mark.line + 1, mark.column + 1

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Counted as composed, so that a large alias-free document is refused after
        # MAX_NODES nodes of work, not after all of it.
        self._nodes += 1
        if self._nodes > MAX_NODES:
            line, column = self._mark()
            raise InputError(f"YAML document has more than {MAX_NODES} nodes (keys, values and list items); "
                             "no law or case file needs that many", line=line, column=column)
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                line, column = self._mark()
                raise InputError(f"too many YAML aliases (more than {MAX_ALIASES}); refusing a possible alias bomb",
                                 line=line, column=column)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            line, column = self._mark()
            raise InputError(f"YAML nested deeper than {MAX_DEPTH} levels", line=line, column=column)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# What YAML refuses to read (yaml.reader.Reader.NON_PRINTABLE), found before the reader
# does so that the message can name the line and column.
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def _timestamp(loader: Any, node: Any) -> Any:
    """YAML dates; an impossible one (2022-02-30) stays text, so that the field it is in
    reports it like any other bad date, and the file's other mistakes are still found."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _number(kind: str) -> Callable[[Any, Any], Any]:
    base = getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{kind}")

    def construct(loader: Any, node: Any) -> Any:
        if len(node.value) > MAX_NUMBER_DIGITS:
            raise InputError(f"a number of {len(node.value)} characters (more than {MAX_NUMBER_DIGITS}); "
                             "no field takes such a number",
                             line=node.start_mark.line + 1, column=node.start_mark.column + 1,
                             hint="quote it if it is meant as text")
        return base(loader, node)
    return construct


for _kind in ("int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_kind}", _number(_kind))


def _true_false_only() -> None:
    """Booleans are written true or false (YAML 1.2): `yes`, `no`, `on`, `off` stay text, so
    that a value meant as text is never silently read as a boolean (and `on:` stays a key)."""
    import re
    resolvers = {}
    for first, entries in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        kept = [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:bool"]
        if first in "tTfF":
            kept.insert(0, ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))
        resolvers[first] = kept
    _Loader.yaml_implicit_resolvers = resolvers


_true_false_only()


def _check_expansion(root: yaml.Node) -> None:
    """Refuse documents that expand to more than MAX_NODES nodes, or into themselves.

    A few aliases of aliases ("billion laughs") are tiny on disk but exponential once
    walked; sizes are computed once per distinct node, so this check is linear."""
    size: dict[int, int] = {}
    active: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            children = (node.value if isinstance(node, yaml.SequenceNode) else
                        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
            total = 1 + sum(size[id(c)] for c in children)
            if total > MAX_NODES:
                raise InputError(f"YAML expands to more than {MAX_NODES} nodes through aliases; "
                                 "refusing a possible alias bomb",
                                 line=node.start_mark.line + 1, column=node.start_mark.column + 1)
            size[key] = total
            continue
        if key in size:
            continue
        if key in active:
            raise InputError("a YAML alias refers to itself (a recursive structure)",
                             line=node.start_mark.line + 1, column=node.start_mark.column + 1)
        active.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((c, False) for c in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((c, False) for pair in node.value for c in pair)


def _check_duplicates(node: yaml.Node) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key in seen:
                    raise InputError(f"duplicate key '{key}' (first defined on line {seen[key]})",
                                     line=key_node.start_mark.line + 1,
                                     column=key_node.start_mark.column + 1)
                seen[key] = key_node.start_mark.line + 1
            _check_duplicates(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item)


def _positions(node: yaml.Node, path: Path_, out: Positions, constructed: Any) -> None:
    """Record where each key/item of the constructed data was written."""
    out.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode) and isinstance(constructed, dict):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            # Keys are constructed by YAML rules (e.g. `2022-01-05` becomes a date);
            # look the constructed key up by its text so both spellings resolve.
            match = next((k for k in constructed if str(k) == str(key)), key)
            out[path + (match,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if match in constructed:
                _positions(value_node, path + (match,), out, constructed[match])
    elif isinstance(node, yaml.SequenceNode) and isinstance(constructed, list):
        for i, item in enumerate(node.value):
            if i < len(constructed):
                _positions(item, path + (i,), out, constructed[i])


_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket"}


def _read_capped(name: str) -> bytes:
    """The bytes of a regular file, refusing anything else and anything over MAX_BYTES.

    The file is opened before it is checked (so what is checked is what is read), without
    blocking (a FIFO with no writer would block the open), and read up to one byte past
    the cap (stat() sizes lie for /dev/zero, /proc files and files that grow)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError("file not found", file=name) from None
    except PermissionError:
        raise InputError("permission denied", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a YAML file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror}", file=name) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise InputError(f"is {kind}, not a YAML file", file=name, hint="casus reads only regular files")
        chunks, size = [], 0
        while size <= MAX_BYTES:
            try:
                chunk = os.read(fd, min(1 << 16, MAX_BYTES + 1 - size))
            except BlockingIOError:   # pragma: no cover - regular files never block
                continue
            except OSError as exc:
                if exc.errno == errno.EISDIR:
                    raise InputError("is a directory, not a YAML file", file=name) from None
                raise InputError(f"cannot read: {exc.strerror}", file=name) from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise InputError(f"file is too large (more than {MAX_BYTES} bytes)", file=name)
        return b"".join(chunks)
    finally:
        os.close(fd)


def decode(raw: bytes, name: str) -> str:
    """The text of a file's bytes (or a request body's): refused when too large, binary or not UTF-8."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"file is too large (more than {MAX_BYTES} bytes)", file=name)
    if b"\x00" in raw:
        raise InputError("binary data, not a YAML text file", file=name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (invalid byte at offset {exc.start})", file=name) from None


def read_yaml(path: Path | str, *, text: str | None = None) -> tuple[Any, Positions]:
    """Parse one YAML document; return (data, positions). Raises InputError only."""
    name = str(path)
    if text is None:
        text = decode(_read_capped(name), name)
    elif len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(f"text is too large (the limit is {MAX_BYTES} bytes)", file=name)
    bad = _UNPRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise InputError(f"not valid YAML: control character U+{ord(bad.group()):04X} is not allowed",
                         file=name, line=line, column=column)
    fast = _read_fast(text)
    if fast is not None:
        return fast, LazyPositions(text, fast)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("empty file: expected a YAML mapping", file=name)
        if loader._aliases:
            # Without aliases the document is a tree: its size is the node count that
            # composing has already bounded, and nothing in it can refer to itself.
            _check_expansion(node)
        _check_duplicates(node)
        data = loader.construct_document(node)
    except InputError as exc:
        raise exc.located(file=name) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"not valid YAML: {problem}", file=name,
                         line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {' '.join(str(exc).split())}", file=name) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", file=name) from None
    finally:
        loader.dispose()
    return data, LazyPositions(text, data)


class LazyPositions(dict):  # type: ignore[type-arg]
    """Positions of a document read without error, worked out when first asked for: a
    file that validates never needs them (only error messages do), and building them was
    a tenth of reading a case. Keeps the text, not the YAML nodes, until then."""

    __slots__ = ("_text", "_data")

    def __init__(self, text: str, data: Any):
        super().__init__()
        self._text: str | None = text
        self._data = data

    def _fill(self) -> None:
        if self._text is not None:
            text, self._text = self._text, None
            loader = _Loader(text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
            _positions(node, (), self, self._data)
            self._data = None

    def __getitem__(self, key: Path_) -> tuple[int, int]:
        self._fill()
        found: tuple[int, int] = super().__getitem__(key)
        return found

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, LazyPositions):
            other._fill()
        return super().__eq__(other)

    __hash__ = None

    def __repr__(self) -> str:
        self._fill()
        return super().__repr__()

    def get(self, key: Path_, default: Any = None) -> Any:
        self._fill()
        return super().get(key, default)

    def keys(self):  # type: ignore[no-untyped-def]
        self._fill()
        return super().keys()

    def items(self):  # type: ignore[no-untyped-def]
        self._fill()
        return super().items()

    def values(self):  # type: ignore[no-untyped-def]
        self._fill()
        return super().values()

    def copy(self) -> dict[Path_, tuple[int, int]]:
        self._fill()
        return dict(super().items())

    def __reduce__(self):  # type: ignore[no-untyped-def]
        self._fill()
        return (dict, (dict(super().items()),))


# The happy path: libyaml composes the document (the careful loader above composes it in
# Python, counting as it goes, which was most of the time of reading a case). Taken only
# where the counting checks cannot be reached: a small text (so few nodes), few `*` (so few
# aliases), a libyaml that caps nesting itself (0.2.5 and later refuse more than 1,000
# levels, so its recursion is bounded); expansion through aliases, depth and duplicate keys
# are checked on the composed nodes while the data is built from them (`_tree`).
# Anything else, or any failure at all, goes to the careful path, which reports it.
FAST_MAX_BYTES = 64_000

try:
    from yaml._yaml import CParser as _CParser
    from yaml._yaml import get_version as _libyaml_version

    class _FastLoader(_CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        yaml_constructors = _Loader.yaml_constructors
        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

        def __init__(self, stream: str):
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FAST = tuple(_libyaml_version()) >= (0, 2, 5)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FAST = False


class _Refuse(Exception):
    """The happy path declines a document (the careful path will say what is wrong)."""


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _tree(loader: Any, root: yaml.Node, aliased: bool) -> Any:
    """The data of a document, checked and built in one walk: depth, node count once aliases
    are expanded (keys included), aliases inside themselves and duplicate keys, as the careful
    path checks them; scalars by the loader's own constructors; an aliased collection is built
    once and shared, as PyYAML does. PyYAML's generic construction (generators, merge keys,
    a second walk for the checks) was the larger half of reading a file. Declines (_Refuse)
    on anything unusual: explicit collection tags, merge keys, non-scalar keys, a tag no
    constructor knows."""
    constructors = loader.yaml_constructors
    scalar, seq, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
    built: dict[int, tuple[Any, int, int]] = {}      # aliased: node -> (data, nodes, height)
    active: set[int] = set()
    count = deepest = 0

    def build(node: yaml.Node, depth: int) -> Any:
        nonlocal count, deepest
        cls = node.__class__
        if cls is scalar:
            count += 1
            if depth > deepest:
                deepest = depth
            tag = node.tag
            return node.value if tag == _STR else constructors[tag](loader, node)
        key = id(node)
        if aliased:
            found = built.get(key)
            if found is not None:
                data, size, height = found
                count += size
                deepest = max(deepest, depth + height - 1)
                if deepest > MAX_DEPTH or count > MAX_NODES:
                    raise _Refuse
                return data
            if key in active:
                raise _Refuse
            active.add(key)
        if depth > MAX_DEPTH:
            raise _Refuse
        before, outer = count, deepest
        count += 1
        deepest = depth
        if cls is seq and node.tag == _SEQ:
            data = [build(child, depth + 1) for child in node.value]
        elif cls is mapping and node.tag == _MAP:
            data = {}
            texts: set[str] = set()
            for key_node, value_node in node.value:
                if key_node.__class__ is not scalar or key_node.value in texts:
                    raise _Refuse
                texts.add(key_node.value)
                count += 1
                tag = key_node.tag
                data[key_node.value if tag == _STR else constructors[tag](loader, key_node)] = \
                    build(value_node, depth + 1)
        else:
            raise _Refuse
        if count > MAX_NODES:
            raise _Refuse
        if aliased:
            active.discard(key)
            built[key] = (data, count - before, deepest - depth + 1)
        deepest = max(outer, deepest)
        return data

    try:
        return build(root, 1)
    except KeyError:           # a tag without a constructor (the merge key `<<` among them)
        raise _Refuse from None


def _read_fast(text: str) -> Any:
    """The document's data if the happy path applies and finds nothing wrong, else None."""
    if not _FAST or len(text) > FAST_MAX_BYTES or text.count("*") > MAX_ALIASES:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        data = _tree(loader, node, "*" in text)
    except Exception:   # noqa: BLE001 - the careful path reads it again and says what is wrong
        return None
    finally:
        loader.dispose()
    return data if isinstance(data, dict) else None


def locate(positions: Positions, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Line/column of the deepest known prefix of a pydantic error location."""
    loc = tuple(loc)
    while loc:
        if loc in positions:
            return positions[loc]
        loc = loc[:-1]
    return positions.get((), (None, None))
