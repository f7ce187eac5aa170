"""The casus engine: load -> validate -> compile -> evaluate -> explain.

Nothing in this package prints; the CLI renders what it returns.
"""
