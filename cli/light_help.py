"""typer's help renderer without the two rich modules it imports and casus's help never uses.

typer.rich_utils, which renders every `--help`, imports rich.markdown (markdown-it) and
rich.traceback (pygments) when it is imported: about a third of `casus --help`'s time. It
uses them only to render help written in Markdown (casus's is rich markup) and to print
pretty tracebacks (casus turns them off). So it is imported here with stand-ins for those
two names that import the real module the first time anything uses them: the help is the
same, drawn without loading them. The real modules stay importable as ever (the stand-ins
are not left in sys.modules).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _OnFirstUse(type):
    """A stand-in class: calling it, or reading an attribute of it, uses the real one."""
    _module: str
    _name: str

    def _real(cls) -> Any:
        return getattr(importlib.import_module(cls._module), cls._name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls._real(), name)


_DEFERRED = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))


def import_rich_utils() -> None:
    """Import typer.rich_utils with rich.markdown and rich.traceback deferred (if neither
    it nor they are imported yet)."""
    if "typer.rich_utils" in sys.modules:
        return
    stand_ins: dict[str, types.ModuleType] = {}
    for module, name in _DEFERRED:
        if module not in sys.modules:
            stub = types.ModuleType(module)
            setattr(stub, name, _OnFirstUse(name, (), {"_module": module, "_name": name}))
            stand_ins[module] = stub
    sys.modules.update(stand_ins)
    try:
        import typer.rich_utils  # noqa: F401
    finally:
        for module, stub in stand_ins.items():
            if sys.modules.get(module) is stub:
                del sys.modules[module]
