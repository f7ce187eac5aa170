"""Every `--help` (and `-h`) is the typer app's own: no stored copy, every command
explains itself, and asking for help loads no engine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from casus.cli.app import app
from subproc import run_casus

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_top_level_help_is_the_apps_and_lists_every_command():
    long, short = run_casus("--help"), run_casus("-h")
    assert long.code == 0 and short.code == 0, long.err + short.err
    assert long.out == short.out
    assert "Usage: casus [OPTIONS] COMMAND" in long.out
    for name in COMMANDS:
        assert f" {name} " in long.out, name


def test_no_arguments_shows_the_same_help():
    bare, helped = run_casus(), run_casus("--help")
    assert bare.code == 0
    assert bare.out.strip() == helped.out.strip()


@pytest.mark.parametrize("command", ["evaluate", "test", "compare", "check", "report", "graph", "cases",
                                     "facts", "validate", "rules"])
def test_every_command_has_help_with_an_example_or_options(cli, command):
    r = cli(command, "--help")
    assert r.code == 0
    assert "Usage: casus " + command in r.out
    assert "--format" in r.out or "--output" in r.out or "FILES" in r.out
    assert cli(command, "-h").out == r.out


def test_help_loads_no_engine_and_no_heavy_library():
    code = ("import sys, io, contextlib; sys.argv=['casus','--help']\n"
            "from casus.cli.entry import main\n"
            "try:\n"
            "    with contextlib.redirect_stdout(io.StringIO()): main()\n"
            "except SystemExit: pass\n"
            "heavy = [m for m in ('pydantic', 'durable', 'yaml', 'matplotlib', 'jsonschema', 'hypothesis',\n"
            "                     'fastapi', 'pycountry', 'casus.engine.files.models') if m in sys.modules]\n"
            "print(heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_help_prose_is_wrapped_by_the_terminal_not_by_hand(cli, monkeypatch):
    # validate's docstring was wrapped by hand at ~90 columns ("(applied to" / "the law)"):
    # at 80 columns that broke lines mid-sentence. A wide terminal now shows each paragraph
    # whole, and a narrow one wraps it at its own width.
    monkeypatch.setenv("COLUMNS", "300")
    wide = cli("validate", "--help")
    assert wide.code == 0
    assert "A case file is checked as a case; a file with `changes:` as an amendment (applied to the law);" in wide.out
    monkeypatch.setenv("COLUMNS", "60")
    narrow = cli("validate", "--help")
    assert all(len(line) <= 60 for line in narrow.out.splitlines())
    # Examples (indented paragraphs) keep their own lines.
    assert "\n casus validate my-case.yaml " in narrow.out or "\n casus validate my-case.yaml\n" in narrow.out
