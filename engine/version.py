"""casus's version, in a module of its own: `casus.__version__` names it, and the law cache
(engine/law/cache.py) keys its files by it, below every stage that would otherwise import
the top-level package for it."""

__version__ = "0.1.0"
