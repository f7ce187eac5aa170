"""casus: does this treaty article apply here? The typer app, its shared options and the entry point.

Heavy modules (pydantic models, durable_rules) are imported inside commands so
that `casus --help` starts fast.
"""

from __future__ import annotations

import os
import sys

import typer

from .common import one_line, reflow_commands

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


def main() -> None:
    """Console entry point: bad input is one line on stderr and exit code 2; an
    internal error is one line and exit code 70 (with --debug: the traceback); output
    that cannot be written, 74 or 141 (cli/streams.py)."""
    from .streams import flushed
    try:
        _run()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        raise SystemExit(flushed(code)) from None


def _run() -> None:
    try:                                    # typer >= 0.25 vendors click; older ones use click
        from typer._click import exceptions as cx   # (click may be installed anyway: uvicorn needs it)
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click import exceptions as cx  # type: ignore[no-redef]
    from ..engine.files.errors import InputError
    from .signals import status
    from .streams import OutputFailed, failed
    args = sys.argv[1:]
    options = args[:args.index("--")] if "--" in args else args
    debug = "--debug" in options
    if debug:
        # The internal-error line says "rerun with --debug": after the command as well as
        # before it (`casus compare X --debug`), so it is moved where typer declares it.
        args = ["--debug"] + [a for a in options if a != "--debug"] + args[len(options):]
    # casus uses no pydantic plugins; looking for them scans every installed package's
    # metadata (~15 ms of each cold start). A user's own setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    # Article texts are Russian as well as English: on a terminal or pipe whose encoding cannot
    # write a character, it is written as a backslash escape (in JSON, a valid \uXXXX escape)
    # rather than ending the command.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        code = app(args=args, standalone_mode=False, prog_name="casus")   # returns typer.Exit's code
    except InputError as exc:
        if debug:
            raise
        # Several files with mistakes: every mistake, one line each (capped).
        for line in (exc.lines() if hasattr(exc, "lines") else [str(exc)]):
            one_line(line)
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
        one_line(f"{exc.format_message().replace('Value error, ', '')} (hint: {command} --help)")
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt) as exc:
        # typer turns KeyboardInterrupt into exit 130; the signal that caused it decides.
        sys.exit(status(130))
    except OutputFailed as exc:
        sys.exit(failed(exc))       # a full disk, a closed stdout, a reader that left (`| head`)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if debug:
            raise
        one_line(f"internal error: {type(exc).__name__}: {exc} (this is a bug in casus; "
                  "rerun with --debug for the traceback)")
        sys.exit(70)
    code = code if isinstance(code, int) else 0
    sys.exit(status(code) if code == 130 else code)


def register(app: typer.Typer) -> None:
    """Every command, explicitly (this order is the order of `casus --help`)."""
    from . import analysis_commands, case_commands, law_commands, serve_command
    app.command()(case_commands.evaluate)
    app.command("test")(case_commands.test_cmd)
    app.command("cases")(case_commands.cases_cmd)
    app.add_typer(case_commands.new_app, name="new")
    app.command()(case_commands.validate)
    app.command()(analysis_commands.compare)
    app.command()(analysis_commands.check)
    app.command()(analysis_commands.report)
    app.command()(law_commands.facts)
    app.command("rules")(law_commands.rules_cmd)
    app.command()(law_commands.graph)
    app.command()(law_commands.schema)
    app.command()(serve_command.serve)
    reflow_commands(app)


register(app)


if __name__ == "__main__":  # pragma: no cover
    main()
