"""`casus --help` imports typer's help renderer without rich.markdown and rich.traceback
(cli/light_help.py): the help is the same as with them, and they still work when used."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HELP = "import sys; sys.argv = ['casus'] + sys.argv[1:]; {pre}from casus.cli.entry import main; main()"


def _help(*args: str, pre: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-c", HELP.format(pre=pre), *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("args", [("--help",), ("evaluate", "--help"), ("compare", "-h"), ()])
def test_the_help_is_the_same_as_with_the_modules_it_leaves_out(args):
    light = _help(*args)
    # With the two modules imported first, typer.rich_utils is imported as it always was.
    full = _help(*args, pre="import rich.markdown, rich.traceback; ")
    assert (light.returncode, light.stdout, light.stderr) == (full.returncode, full.stdout, full.stderr)
    assert "Usage" in light.stdout + light.stderr


def test_the_help_does_not_import_them():
    code = ("import sys; sys.argv = ['casus', '--help']\n"
            "from casus.cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('rich.markdown' in sys.modules, 'rich.traceback' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stderr.strip().splitlines()[-1] == "False False"


def test_the_stand_ins_use_the_real_classes():
    code = ("from casus.cli.light_help import import_rich_utils\n"
            "import_rich_utils()\n"
            "import typer.rich_utils as u, rich.markdown, rich.traceback\n"
            "assert isinstance(u.Markdown('*x*'), rich.markdown.Markdown)\n"
            "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n"
            "    tb = u.Traceback.from_exception(type(e), e, e.__traceback__)\n"
            "assert isinstance(tb, rich.traceback.Traceback)\n"
            "print('ok')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "ok", r.stderr
