"""Every command's output at 80 columns, in a pipe, without colour: no Python repr (`None`,
`{'`, `['`) and no line that ends inside an identifier continued on the next line.

The scanners are tested on text cut the way a careless renderer would cut it, so a clean
run means something."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from casus.engine.files.paths import rules_dir, shipped_cases

from conftest import run_cli
from subproc import CASUS, child_env

WIDTH = 80

# Box and tree drawing characters rich puts around cell text and tree labels.
_BOX = "│┃|├└┝┠┣╰─━ "
_TOKEN_END = re.compile(r"[\w.\-]+$")
_TOKEN_START = re.compile(r"^[\w.\-]+")
_ID = re.compile(r"^\s*(?:-\s*)?(?:id|concludes|rule|provision):\s*['\"]?([\w.\-]+)", re.M)
_KEY = re.compile(r"^\s+([a-z][\w.\-]*):", re.M)


_SNAKE_OR_DOTTED = re.compile(r"\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b")


def identifiers() -> set[str]:
    """Every identifier of the shipped law and cases: case, provision, rule, version, fact,
    fact value, conclusion, variant and source ids, the outcomes and the divergence kinds
    (those worth a line break check: with a '.', '-' or '_' inside)."""
    import json
    from casus.engine.outcome import Outcome
    ids: set[str] = {o.value for o in Outcome}
    cases = shipped_cases()
    for path in [*Path(rules_dir()).rglob("*.yaml"), *cases]:
        text = path.read_text(encoding="utf-8")
        ids.update(_ID.findall(text))
        ids.update(_KEY.findall(text))
        ids.update(_SNAKE_OR_DOTTED.findall(text))
        if path.parent.name == "amendments" or path in cases:
            ids.add(path.stem)
    for case in json.loads(run_cli("evaluate", "--all", "-f", "json").out)["cases"]:
        for p in case["provisions"]:
            ids.update(d["kind"] for d in p.get("divergence", []))
    return {i for i in ids if re.search(r"[._\-]", i.strip("._-")) and len(i) >= 5}


def cut_identifiers(text: str, ids: set[str]) -> list[str]:
    """Lines that end with a proper prefix of an identifier whose rest starts the next line
    (in the same table cell, or the next line's text): `kazakhsta` / `n-2022`, or goes on
    over several (`kazakhs` / `tan-202` / `2`)."""
    found = []
    lines = text.splitlines()
    for n, (above, below) in enumerate(zip(lines, lines[1:]), 1):
        pairs = [(above, below)]
        cells_above, cells_below = re.split(r"[│┃|]", above), re.split(r"[│┃|]", below)
        if len(cells_above) == len(cells_below) > 1:
            pairs += list(zip(cells_above, cells_below))
        for a, b in pairs:
            end, start = _TOKEN_END.search(a.rstrip()), _TOKEN_START.match(b.lstrip(_BOX))
            if not end or not start or not re.search(r"[^\W_]", start.group()):
                continue
            head, tail = end.group(), start.group()
            for ident in ids:
                rest = ident[len(head):]
                # The rest of the id starts the next line, or fills it and goes on below.
                if rest and ident.startswith(head) and (
                        tail.startswith(rest) or (rest.startswith(tail) and b.strip(_BOX) == tail)):
                    found.append(f"line {n}: {head!r} + {tail!r} (the id {ident})")
    return found


# `None` as a value (`cause: None`, a cell of its own), not the English word ("None of them.").
_REPR = [re.compile(r"(?<![\w'\"])None(?![\w'\".]| [a-z])"), re.compile(r"\{'"), re.compile(r"\['")]


def python_reprs(text: str) -> list[str]:
    return [f"line {n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
            if any(p.search(line) for p in _REPR)]


# ---------------------------------------------------------------- the scanners can fail

def test_the_cut_scanner_finds_a_folded_id():
    from rich.console import Console
    from rich.table import Table
    import io
    con = Console(file=io.StringIO(), width=40, color_system=None)
    table = Table()
    for col in ("case", "provision", "outcome", "rules"):
        table.add_column(col, overflow="fold")
    table.add_row("kazakhstan-2022", "cst.art4", "contested", "cst.art4.2012.internal_crisis")
    con.print(table)               # rich folds words too long for a column, ids included
    text = con.file.getvalue()
    found = cut_identifiers(text, {"kazakhstan-2022", "cst.art4.2012.internal_crisis"})
    assert found, text
    assert not cut_identifiers("cst.art4 is\ntriggered\nkazakhstan-2022\n", {"kazakhstan-2022", "cst.art4"})
    # A hand-wrapped line broken after a hyphen, and one in a tree.
    assert cut_identifiers("a case: kazakhstan-\n2022 was", {"kazakhstan-2022"})
    assert cut_identifiers("├── rule cst.art4.\n│   2012.aggression", {"cst.art4.2012.aggression"})


def test_the_repr_scanner_finds_reprs():
    assert python_reprs("value: None\n")
    assert python_reprs("facts {'a': 1}\n")
    assert python_reprs("['KZ', 'AM']\n")
    assert python_reprs("cause: None\n") and python_reprs("│ None │\n")
    assert not python_reprs("None of the members objected.\nNone.\n[dim] text\n")


def test_the_shipped_law_has_identifiers_to_check():
    ids = identifiers()
    assert {"kazakhstan-2022", "cst.art4.2012.aggression", "pk-2023-no-unsc", "assistance_request",
            "cst.art1.force", "external_state", "not_triggered", "acted_without_obligation"} <= ids


# ---------------------------------------------------------------- every command

def _commands(tmp: Path) -> list[tuple[str, ...]]:
    return [
        ("evaluate", "kazakhstan-2022"),
        ("evaluate", "kazakhstan-2022", "--explain"),
        ("evaluate", "armenia-2022", "--explain", "--perspective", "AM"),
        ("evaluate", "armenia-2022", "--timeline", "--explain"),
        ("evaluate", "kyrgyzstan-tajikistan-2022", "--timeline", "--immediately", "3"),
        ("evaluate", "kyrgyzstan-2010", "--variant", "art4-internal-crises", "--explain"),
        ("evaluate", "--all"),
        ("test",),
        ("test", "--variant", "art4-internal-crises"),
        # Every shipped variant: their flips differ (perspective rows, facts read differently).
        *[("compare", v.stem) for v in sorted((rules_dir() / "amendments").glob("*.yaml"))],
        ("compare", "pk-2023-no-unsc", "--generated", "40"),
        ("compare", "art4-internal-crises", "--format", "csv"),
        ("check", "--examples", "3"),
        ("report", "-o", str(tmp / "report.md")),
        ("graph",),
        ("graph", "--case", "armenia-2022", "--format", "dot"),
        ("rules",),
        ("rules", "show", "cst.art4"),
        ("rules", "show", "cst.art7", "--at", "2013-01-01"),
        ("facts",),
        ("facts", "--states"),
        ("cases",),
        ("cases", "--variant", "art4-internal-crises"),
        ("cases", "show", "kazakhstan-2022"),
        ("validate", *(str(p) for p in shipped_cases()[:4])),
        ("validate", str(Path(rules_dir()) / "cst" / "article-4.yaml"),
         str(Path(rules_dir()) / "amendments" / "pk-2023-no-unsc.yaml")),
        ("schema", "case"),
        ("new", "case", "my-case", "-o", str(tmp / "my-case.yaml")),
        ("--help",),
        *[(c, "--help") for c in ("evaluate", "test", "cases", "new", "validate", "compare", "check",
                                  "report", "facts", "rules", "graph", "schema", "serve")],
        ("new", "case", "--help"),
    ]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """(command, stdout + stderr, the text files it wrote) for every command."""
    tmp = tmp_path_factory.mktemp("terminal")
    mp = pytest.MonkeyPatch()
    mp.setenv("COLUMNS", str(WIDTH))
    mp.setenv("NO_COLOR", "1")
    try:
        runs = []
        for args in _commands(tmp):
            r = run_cli(*args)
            assert r.code in (0, 1), (args, r.err)
            written = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp.glob("*"))
                              if p.suffix in (".md", ".yaml"))
            for p in tmp.glob("*"):
                p.unlink()
            runs.append((" ".join(args), r.out + r.err, written))
        return runs
    finally:
        mp.undo()


def test_every_command_ran(outputs):
    assert len(outputs) == len(_commands(Path("."))) and all(text.strip() for _, text, _ in outputs)


def test_no_python_reprs(outputs):
    found = [f"casus {cmd}: {hit}" for cmd, text, written in outputs for hit in python_reprs(text + written)]
    assert not found, "\n".join(found[:20])


def test_no_identifier_is_cut(outputs):
    ids = identifiers()
    assert len(ids) > 100
    found = [f"casus {cmd}: {hit}" for cmd, text, written in outputs
             for hit in cut_identifiers(text, ids) + cut_identifiers(written, ids)]
    assert not found, "\n".join(found[:20])


def test_text_fits_the_width(outputs):
    """Tables and wrapped text stay within COLUMNS; only a line of one token too long for any
    width (a URL, a graph's node line) may run past the edge."""
    machine = ("graph", "compare art4-internal-crises --format csv", "schema case", "cases show", "new case my-case")
    too_wide = [f"casus {cmd}: {line!r}" for cmd, text, _ in outputs if not cmd.startswith(machine)
                for line in text.splitlines() if len(line) > WIDTH and len(line.split()) > 1
                and not line.startswith(("error:", "warning:", "ok "))]
    assert not too_wide, "\n".join(too_wide[:20])


def test_a_real_pipe_honours_columns():
    """In a child process writing into a pipe, COLUMNS decides the width (not a fixed 120)."""
    env = dict(child_env(), COLUMNS="60", NO_COLOR="1")
    out = subprocess.run([*CASUS, "evaluate", "kazakhstan-2022"], capture_output=True, text=True, env=env,
                         timeout=120, check=True).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 60 and max(len(line) for line in lines) > 40, out
    assert not cut_identifiers(out, identifiers())
    env.pop("COLUMNS")
    wide = subprocess.run([*CASUS, "evaluate", "kazakhstan-2022"], capture_output=True, text=True, env=env,
                          timeout=120, check=True, stdin=subprocess.DEVNULL).stdout
    # No terminal anywhere (stdin, stdout and stderr are not ttys): 80 columns.
    assert max(len(line) for line in wide.splitlines()) == 80, wide


def _cells(text: str) -> list[list[str]]:
    """The cells of every row of the box tables in `text`, each cell's lines joined."""
    rows, current = [], None
    for line in text.splitlines():
        if line.startswith(("┡", "├", "└", "┏", "┗")):
            if current:
                rows.append([" ".join(c.split()) for c in current])
            current = None
        elif line.startswith(("│", "┃")):
            parts = line.strip("│┃").split("│") if line.startswith("│") else line.strip("┃").split("┃")
            current = [f"{a} {b}" for a, b in zip(current, parts)] if current else parts
    return rows


def test_one_perspective_per_cell(monkeypatch):
    """A contested provision shows each party's reading in cells of its own (wide enough for
    tables, so they are not printed one cell under another)."""
    monkeypatch.setenv("COLUMNS", "200")
    # evaluate shows both parties' readings of kazakhstan-2022; compare only the readings that
    # change (KZ's reading triggers Article 4 under both laws, the observers' only under the variant).
    for args, parties in ((("evaluate", "kazakhstan-2022"), 2), (("compare", "art4-internal-crises"), 1)):
        out = run_cli(*args).out
        rows = _cells(out)
        assert rows, out
        both = [cell for row in rows for cell in row if "KZ" in cell and "observers" in cell]
        assert not both, both
        mine = [row for row in rows if any(c.strip() in ("KZ", "observers") or "read by KZ" in c or "read by observers" in c
                                           for c in row)]
        assert len(mine) == parties, out


def test_no_line_ends_in_spaces(outputs):
    """Wrapped plain text carries no padding at the end of its lines (noise in a file or a diff).
    `--help` is typer's own layout (padded panels), not casus's text."""
    found = [f"casus {cmd}: {line!r}" for cmd, text, _ in outputs if not cmd.endswith("--help")
             for line in text.splitlines() if line != line.rstrip(" \t")]
    assert not found, "\n".join(found[:20])
