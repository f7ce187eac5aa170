"""What the command modules share: output format, the law a command reads, shared
options, error lines. The app (cli/app.py) registers the commands; nothing here
imports it, so command modules and the app do not import each other."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path

import typer

from .output import console, visible, write_atomic


class Format(str, Enum):
    text = "text"
    json = "json"


def fail(message: str) -> None:
    """Refuse a request: one line on stderr, exit 2 (as any bad input; main() prints it)."""
    from ..engine.files.errors import InputError
    raise InputError(message)


def open_law(variant: "list[str] | str | None" = None, rules: Path | None = None):
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
    from .complete import complete_variant
    return typer.Option(None, "--variant", "-v", metavar="ID|FILE", help=help, autocompletion=complete_variant)


def cases_option(help: str = "A directory of case files to use instead of the shipped cases."):
    return typer.Option(None, "--cases", metavar="DIR", help=help)


def law_header(law) -> str:
    """The line that names the law in use, above text output."""
    return f"law: {law.describe()}\n"


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from ..engine.files.errors import InputError, date_problem
        raise InputError(f"--at: '{text}' {date_problem(text)}") from None


def emit(text: str, output: Path | None) -> None:
    text = visible(text)          # strings from input files: shown, never obeyed by a terminal
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def one_line(message: str) -> None:
    from rich.markup import escape
    console(stderr=True).print(f"[bold red]error:[/] {escape(' '.join(message.split()))}", soft_wrap=True)


def reflow_help(doc: str | None) -> str | None:
    """A command's docstring as help text the terminal wraps: typer's rich help keeps the
    docstring's own line breaks, so a paragraph wrapped by hand at 90 columns broke mid-sentence
    at 80. Prose paragraphs become one line each; indented paragraphs (examples) stay as written."""
    if not doc:
        return doc
    import inspect
    out = []
    for para in inspect.cleandoc(doc).split("\n\n"):
        lines = para.split("\n")
        if any(line.startswith((" ", "\b")) for line in lines):
            out.append(para)
        else:
            out.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(out)


def reflow_commands(app: typer.Typer) -> None:
    """reflow_help on every command's docstring, sub-apps included."""
    for command in app.registered_commands:
        if command.callback is not None:
            command.callback.__doc__ = reflow_help(command.callback.__doc__)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            reflow_commands(group.typer_instance)
