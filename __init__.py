"""casus: does this treaty article apply here?

The Python API (see README "Python API"):

    import casus
    result = casus.evaluate("kazakhstan-2022")
    result.outcomes["cst.art4"]                     # 'contested'
    casus.evaluate_many(variant="art4-internal-crises").to_json()

The repository root is the ``casus`` package: ``casus.engine`` (loading, compilation
to durable_rules, evaluation, analyses; ``casus.engine.api`` is the API re-exported
here), ``casus.cli`` (the typer app), and ``casus.rules`` / ``casus.cases`` /
``casus.schemas`` (law, case files and JSON Schemas shipped as data).

The API is imported on first use, so ``import casus`` stays light (the console
command's fast ``--help`` path imports this package too).
"""

from typing import Any

from .engine.version import __version__

_API = ("SCHEMA_VERSION", "Law", "VariantInfo", "CaseInfo", "Evaluation", "Evaluations", "Report",
        "load_law", "load_case", "load_case_text", "load_cases", "evaluate", "evaluate_many", "compare", "compare_treaties", "check",
        "facts", "rules", "variants", "cases", "schema")


def __getattr__(name: str) -> Any:
    if name in _API:
        from .engine import api
        return getattr(api, name)
    if name == "InputError":
        from .engine.files.errors import InputError
        return InputError
    raise AttributeError(f"module 'casus' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API, "InputError"])


__all__ = [*_API, "InputError", "__version__"]
