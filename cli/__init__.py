"""The `casus` command line (typer). Thin: parse arguments, call the engine, render."""
