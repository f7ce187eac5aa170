"""The `casus` console command.

`casus` and `casus --help` print the top-level help straight from HELP, without
importing typer, rich, pydantic or durable_rules: that is most of a cold start
(~0.4 s against ~0.06 s for `python -c pass`). HELP is what the typer app renders
at 80 columns; a test fails if they drift apart. After changing the app, regenerate:

    python -c "from casus.cli.entry import render_help; print(render_help(), end='')" > /tmp/h
and paste it into help_text.py (or run tests/test_cli_help.py, which says what differs).
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in ([], ["--help"], ["-h"]):
        from .help_text import HELP
        sys.stdout.write(HELP)
        return
    from .signals import install
    install()
    from .app import main as run
    run()


def render_help() -> str:
    """The top-level help as the typer app renders it (80 columns, no colour)."""
    import os
    from typer.testing import CliRunner
    from .app import app
    old = {k: os.environ.get(k) for k in ("COLUMNS", "TERM", "NO_COLOR")}
    os.environ.update(COLUMNS="80", TERM="dumb", NO_COLOR="1")
    try:
        return CliRunner().invoke(app, ["--help"], prog_name="casus", terminal_width=80).stdout
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
