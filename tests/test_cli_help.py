"""`casus --help` is served from a stored copy (fast cold start); it must be what the
app renders, and every command must explain itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from casus.cli.entry import render_help
from casus.cli.help_text import HELP


def test_stored_help_is_what_the_app_renders():
    assert HELP == render_help(), (
        "cli/help_text.py is stale: regenerate it with casus.cli.entry.render_help() "
        "(see cli/entry.py)")


def test_help_fast_path_prints_the_stored_help_without_the_heavy_imports():
    code = ("import sys; sys.argv=['casus','--help']; from casus.cli.entry import main; main(); "
            "heavy=[m for m in ('typer','rich','pydantic','durable','yaml') if m in sys.modules]; "
            "sys.stderr.write(repr(heavy))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0
    assert r.stdout == HELP
    assert r.stderr == "[]"


@pytest.mark.parametrize("command", ["evaluate", "test", "compare", "check", "report", "graph", "cases",
                                     "facts", "validate", "rules"])
def test_every_command_has_help_with_an_example_or_options(cli, command):
    r = cli(command, "--help")
    assert r.code == 0
    assert "Usage: casus " + command in r.out
    assert "--format" in r.out or "--output" in r.out or "FILES" in r.out
