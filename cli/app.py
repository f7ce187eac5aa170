"""casus: does this treaty article apply here? The typer app, its shared options and the entry point.

Heavy modules (pydantic models, durable_rules) are imported inside commands so
that `casus --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import Enum
from pathlib import Path

import typer

from .output import console, visible, write_atomic

app = typer.Typer(
    name="casus",
    help=(
        "Does this treaty article apply here? A rule engine for the Collective Security Treaty "
        "(CSTO) on durable_rules.\n\n"
        "Law is YAML (one file per provision, with dated versions), cases are YAML (sourced facts, "
        "contested facts as competing claims). Each provision answers a yes/no question: "
        "triggered, not_triggered, undetermined (with the facts that would decide it), contested "
        "(the parties' facts lead to different answers) or not_applicable.\n\n"
        "Start with:  casus cases   then   casus evaluate kazakhstan-2022 --explain"
    ),
    no_args_is_help=True,
    add_completion=True,              # --install-completion / --show-completion for bash, zsh, fish
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    # -h as well as --help, on every command (the context settings are inherited).
    context_settings={"help_option_names": ["-h", "--help"]},
)

class Format(str, Enum):
    text = "text"
    json = "json"


def _fail(message: str) -> None:
    from rich.markup import escape
    console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(2)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__
        sys.stdout.write(f"casus {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
          version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Declares --debug; main() reads it from argv, since errors are handled outside the app."""


def _law(variant: "list[str] | str | None" = None, rules: Path | None = None):
    """The law a command reads: a rules directory (default: shipped) with variants
    (ids, 'a+b' or variant files) stacked on it; an `engine.api.Law`."""
    from ..engine.api import load_law
    return load_law(rules, variant or None)


# Options shared by every command that reads law or cases (one wording everywhere).
def rules_option():
    return typer.Option(None, "--rules", metavar="DIR",
                        help="A whole law of your own: a directory with facts.yaml, members.yaml, provision "
                             "files and amendments/ (default: the shipped law).")


def variant_option(help: str = "Amendment variant: a variant id (see `casus rules`) or a variant file; "
                               "repeat (or join ids with +) to stack."):
    return typer.Option(None, "--variant", "-v", metavar="ID|FILE", help=help)


def cases_option(help: str = "A directory of case files to use instead of the shipped cases."):
    return typer.Option(None, "--cases", metavar="DIR", help=help)


def law_header(law) -> str:
    """The line that names the law in use, above text output."""
    return f"law: {law.describe()}\n"


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from ..engine.law.errors import InputError
        raise InputError(f"--at: '{text}' is not a date (expected YYYY-MM-DD)") from None


def _emit(text: str, output: Path | None) -> None:
    text = visible(text)          # strings from input files: shown, never obeyed by a terminal
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def _one_line(message: str) -> None:
    from rich.markup import escape
    console(stderr=True).print(f"[bold red]error:[/] {escape(' '.join(message.split()))}", soft_wrap=True)


def main() -> None:
    """Console entry point: bad input is one line on stderr and exit code 2; an
    internal error is one line and exit code 70 (with --debug: the traceback)."""
    try:                                    # typer >= 0.25 vendors click; older ones use click
        from typer._click import exceptions as cx   # (click may be installed anyway: uvicorn needs it)
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click import exceptions as cx
    from ..engine.law.errors import InputError
    from .signals import status
    debug = "--debug" in sys.argv[1:]
    # casus uses no pydantic plugins; looking for them scans every installed package's
    # metadata (~15 ms of each cold start). A user's own setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    try:
        code = app(standalone_mode=False, prog_name="casus")   # returns typer.Exit's code
    except InputError as exc:
        if debug:
            raise
        # Several files with mistakes: every mistake, one line each (capped).
        for line in (exc.lines() if hasattr(exc, "lines") else [str(exc)]):
            _one_line(line)
        sys.exit(2)
    except cx.NoArgsIsHelpError as exc:
        # `casus` alone: show the help, not an error.
        # The error's message is the help, rendered when it was raised: typer's rich
        # formatter has printed it then already (and the message is empty).
        text = exc.format_message()
        if text:
            sys.stdout.write(text + "\n")
        sys.exit(0)
    except cx.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "casus"
        _one_line(f"{exc.format_message().replace('Value error, ', '')} (hint: {command} --help)")
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt) as exc:
        # typer turns KeyboardInterrupt into exit 130; the signal that caused it decides.
        sys.exit(status(130))
    except BrokenPipeError:
        sys.exit(0)       # `casus ... | head`: the reader left early
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if debug:
            raise
        _one_line(f"internal error: {type(exc).__name__}: {exc} (this is a bug in casus; "
                  "rerun with --debug for the traceback)")
        sys.exit(70)
    code = code if isinstance(code, int) else 0
    sys.exit(status(code) if code == 130 else code)


# The commands register themselves on `app` (order = order in `casus --help`).
from . import case_commands, analysis_commands, law_commands, serve_command  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    main()
