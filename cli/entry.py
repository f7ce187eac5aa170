"""The `casus` console command.

Every invocation, `--help` and `-h` included, is served by the typer app: the app
module imports only typer at start, and each command imports the engine it needs
(see the import notes in cli/app.py), so a cold start is typer's plus the command's.
"""

from __future__ import annotations


def main() -> None:
    from .app import main as run
    run()
