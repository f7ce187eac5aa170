"""The `casus` console command.

Every invocation, `--help` and `-h` included, is served by the typer app: the app
module imports only typer at start, and each command imports the engine it needs,
so a cold start is typer's plus what the command itself uses.
"""

from __future__ import annotations


def main() -> None:
    from .streams import install as guard_streams
    guard_streams()
    from .signals import install
    install()
    import sys
    args = sys.argv[1:]
    if not args or "--help" in args or "-h" in args:
        # typer's help renderer, without the two rich modules casus's help never uses.
        from .light_help import import_rich_utils
        import_rich_utils()
    from .app import main as run
    run()
