"""casus: does this treaty article apply here?

The repository root is the ``casus`` package: ``casus.engine`` (models, loading,
compilation to durable_rules, evaluation, reference evaluator, checks, compare),
``casus.cli`` (the typer app), and ``casus.rules`` / ``casus.cases`` (law and
case files shipped as data).
"""

__version__ = "0.1.0"
