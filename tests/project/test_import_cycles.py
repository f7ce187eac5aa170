"""No import cycles in casus, and imports run one way, down the stages: data flows from
the files up to the front ends, and the modules say so. Imports inside functions count too
(they hide a cycle, they do not remove it), and so do imports under `if TYPE_CHECKING:`
(they do not run, but a module that names another's types depends on it all the same)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "cli", "web")


def _modules() -> dict[str, Path]:
    out = {"casus": ROOT / "__init__.py"}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(("casus",) + parts)] = path
    return out


def _imports(tree: ast.AST):
    """Every import statement: at module level, in a function, under `if TYPE_CHECKING:`."""
    return (node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)))


def _edges(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # `from pkg import sub` imports the submodule; `from mod import name` the module.
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in modules else mod for a in node.names]
        for t in targets:
            while t and t not in modules and "." in t:
                t = t.rsplit(".", 1)[0]
            if t in modules and t != name:
                out.add(t)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _edges(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_walker_sees_imports_inside_functions_and_finds_a_cycle():
    graph = import_graph()
    assert "casus.engine.backends.durable" in graph["casus.engine.evaluate.programs"]    # imported inside a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_casus_has_no_import_cycles():
    assert cycles(import_graph()) == []


# The stages, top to bottom: a module imports only from its own stage or one below it.
# Within a stage any import is allowed (the cycle test above keeps it acyclic). `casus`
# (the package's lazy facade over engine/api) sits with the front ends. engine/api.py is the
# facade over the modules that hold the law handle, the results and the catalogue
# (engine/handle.py, engine/results.py, engine/catalogue.py), and engine/batch.py runs the
# API over many files for the front ends: together they are the API stage. The leaf helpers
# (outcome, jsontext, gcpause, progress, version) import nothing of casus and sit below every stage.
STAGES = (
    ("casus", "casus.cli", "casus.web"),
    ("casus.engine.api", "casus.engine.batch", "casus.engine.handle", "casus.engine.results",
     "casus.engine.catalogue"),
    ("casus.engine.analysis",),
    ("casus.engine.explain",),
    ("casus.engine.evaluate",),
    ("casus.engine.backends",),
    ("casus.engine.logic",),
    ("casus.engine.law",),
    ("casus.engine.files",),
    ("casus.engine.outcome", "casus.engine.jsontext", "casus.engine.gcpause", "casus.engine.progress",
     "casus.engine.version"),
)


def stage_of(module: str) -> int | None:
    """The stage of a module (0 the top); None for a package's empty `__init__` (engine)."""
    best: tuple[int, int] | None = None
    for i, prefixes in enumerate(STAGES):
        for p in prefixes:
            inside = module == p or (p != "casus" and module.startswith(p + "."))
            if inside and (best is None or len(p) > best[1]):
                best = (i, len(p))
    return best[0] if best else None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    out = []
    for name, targets in sorted(graph.items()):
        here = stage_of(name)
        for t in sorted(targets):
            there = stage_of(t)
            if here is not None and there is not None and there < here:
                out.append(f"{name} -> {t}")
    return out


def test_type_checking_imports_count():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n")
    assert [n.module for n in _imports(tree) if isinstance(n, ast.ImportFrom)] == ["typing", "b"]


def test_every_module_has_a_stage():
    assert [m for m in import_graph() if stage_of(m) is None] == ["casus.engine"]


def test_imports_run_down_the_stages():
    assert upward_imports(import_graph()) == []
    assert upward_imports({"casus.engine.law.x": {"casus.engine.logic.y"}}) == [
        "casus.engine.law.x -> casus.engine.logic.y"]


def test_exactly_one_class_named_law():
    found = [f"{name}:{node.lineno}" for name, path in _modules().items()
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.ClassDef) and node.name == "Law"]
    assert len(found) == 1, found
