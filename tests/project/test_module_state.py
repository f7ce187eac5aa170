"""No module of casus keeps a mutable cache at module level keyed by id(): an object's id is
reused once it is freed, so such a cache either keeps every object alive or hands one
object's entry to another. What is worked out once belongs to the object it is about (a
cached property, a Program the Evaluator owns)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "cli", "web")
CONTAINERS = {"dict", "list", "set", "defaultdict", "OrderedDict", "WeakValueDictionary", "WeakKeyDictionary"}
LOOKUPS = {"get", "setdefault", "pop", "__getitem__", "__setitem__", "__contains__"}


def _module_containers(tree: ast.Module) -> set[str]:
    """Names bound at module level to a mutable container."""
    out = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        mutable = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
            isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", None)) in CONTAINERS)
        if mutable:
            out.update(t.id for t in targets if isinstance(t, ast.Name))
    return out


def _calls_id(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "id" for n in ast.walk(node))


def id_keyed_caches(source: str) -> list[str]:
    """Module-level containers indexed by an id(...) anywhere in the module."""
    tree = ast.parse(source)
    names = _module_containers(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in names \
                and _calls_id(node.slice):
            found.append(node.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in LOOKUPS \
                and isinstance(node.func.value, ast.Name) and node.func.value.id in names \
                and any(_calls_id(a) for a in node.args):
            found.append(node.func.value.id)
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
                and _calls_id(node.left) and any(isinstance(c, ast.Name) and c.id in names for c in node.comparators):
            found.extend(c.id for c in node.comparators if isinstance(c, ast.Name) and c.id in names)
    return sorted(set(found))


def test_the_search_finds_an_id_keyed_module_cache():
    source = ("_terms_of: dict[int, tuple] = {}\n"
              "def f(x):\n"
              "    found = _terms_of.get(id(x))\n"
              "    if found is None:\n"
              "        found = _terms_of[id(x)] = (x, 1)\n"
              "    return found\n"
              "_seen = set()\n"
              "def g(x):\n"
              "    return id(x) in _seen\n"
              "def h(node):\n"
              "    size = {}\n"
              "    size[id(node)] = 1          # a local table of one walk is not a cache\n")
    assert id_keyed_caches(source) == ["_seen", "_terms_of"]


def test_no_module_level_cache_is_keyed_by_id():
    found = {str(path.relative_to(ROOT)): names
             for pkg in PACKAGES for path in sorted((ROOT / pkg).rglob("*.py"))
             if (names := id_keyed_caches(path.read_text(encoding="utf-8")))}
    assert found == {}
