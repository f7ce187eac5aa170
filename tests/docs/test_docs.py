"""The user guide (README.md and docs/*.md) stays short, linked and true: the README is a
guide of at most 300 lines whose every docs page is linked, links and anchors resolve, every
`>>>` example runs, and the messages the guide shows are the ones casus prints."""

from __future__ import annotations

import doctest
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
GUIDE = [README, *DOCS]


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def _blocks(path: Path) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_the_readme_is_a_short_guide_with_contents():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    contents = text[text.index("**Contents**"):]
    contents = contents[:contents.index("\n\n")]
    for heading in ("Install", "Your first case", "Commands", "What an answer means", "Writing a case",
                    "Writing an amendment", "Checking the law", "The Python API", "Serve"):
        assert f"(#{_slug(heading)})" in contents, heading
        assert f"\n## {heading}\n" in text, heading


def test_every_docs_page_is_linked_from_the_readme():
    linked = {link.split("#")[0] for link in _links(README)}
    assert DOCS
    for page in DOCS:
        assert f"docs/{page.name}" in linked, f"{page.name} is not linked from README.md"


@pytest.mark.parametrize("page", GUIDE, ids=lambda p: p.name)
def test_links_and_anchors_resolve(page):
    for link in _links(page):
        if re.match(r"[a-z]+:", link):
            continue                               # http(s), mailto: not checked offline
        target, _, anchor = link.partition("#")
        file = (page.parent / target).resolve() if target else page
        assert file.exists(), f"{page.name}: {link} names no file"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file), f"{page.name}: {link} names no heading"


def test_every_python_example_in_the_guide_runs():
    parser = doctest.DocTestParser()
    ran = 0
    for page in GUIDE:
        for i, block in enumerate(_blocks(page)):
            if ">>>" not in block:
                continue
            test = parser.get_doctest(block, {}, f"{page.name}#{i}", str(page), 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            runner.run(test)
            assert runner.failures == 0, f"{runner.failures} example(s) in {page.name} failed (see above)"
            ran += len(test.examples)
    assert ran, "the guide has no Python examples"


def test_the_error_lines_shown_are_the_ones_casus_prints(tmp_path, monkeypatch, cli):
    """docs/errors.md shows files and the lines `casus validate` prints for them: write the
    files it shows, run the command it shows, and compare every line."""
    page = ROOT / "docs" / "errors.md"
    blocks = _blocks(page)
    files = {b.split("\n", 1)[0][2:].strip(): b for b in blocks if b.startswith("# ") and b.split("\n", 1)[0].endswith(".yaml")}
    [transcript] = [b for b in blocks if b.startswith("$ casus validate")]
    command, *shown = transcript.strip().splitlines()
    args = command.split()[2:]                     # after "$ casus"
    assert set(args[1:]) == set(files)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = cli(*args)
    assert r.code == 2
    assert r.err.strip().splitlines() == shown


def test_the_timeline_divergence_shown_is_the_one_casus_prints(monkeypatch, cli):
    text = (ROOT / "docs" / "timelines.md").read_text(encoding="utf-8")
    [line] = [b.strip() for b in _blocks(ROOT / "docs" / "timelines.md") if b.startswith("divergence:")]
    assert "casus evaluate armenia-2022 --timeline" in text
    monkeypatch.setenv("COLUMNS", "300")
    r = cli("evaluate", "armenia-2022", "--timeline")
    assert r.code == 0, r.err
    assert line in [out.strip() for out in r.out.splitlines()]


def test_the_readme_test_command_runs_the_suite_on_every_core():
    first = _blocks(README)[0]
    [command] = [line for line in first.splitlines() if "pytest" in line]
    assert re.search(r"pytest -n (auto|\d+)", command)
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(req.startswith("pytest-xdist") for req in extras["test"])


def test_the_api_table_names_real_functions_and_arguments():
    """docs/api.md's table of functions: every function it names is in `casus`, with the
    arguments the table gives it."""
    import inspect

    import casus
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (`[^|]+`) \|", text, flags=re.M)
    assert rows
    seen = 0
    for cell in rows:
        for name, args in re.findall(r"`(\w+)\(([^)]*)\)`", cell):
            params = inspect.signature(getattr(casus, name)).parameters
            for arg in re.findall(r"(\w+)(?:=[^,]*)?", args):
                assert arg in params, (name, arg)
            seen += 1
    assert seen >= 10


def test_the_shipped_variants_table_is_the_shipped_variants():
    """README's table of shipped variants: every variant in rules/amendments/, with its status."""
    import casus
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Writing an amendment"):]
    section = section[:section.index("\n## ")]
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (\w+)", section, flags=re.M))
    shipped = {v["id"]: v for v in casus.variants()}
    assert set(rows) == set(shipped)
    for vid, status in rows.items():
        assert status == shipped[vid]["status"], vid


def test_the_shipped_cases_with_events_are_the_ones_named():
    import casus
    import yaml
    text = " ".join((ROOT / "docs" / "timelines.md").read_text(encoding="utf-8").split())
    named = re.search(r"Shipped cases with dated events: ([a-z0-9, -]+)\.", text)
    assert named, "docs/timelines.md no longer names the shipped cases with events"
    with_events = sorted(c.id for c in casus.cases() if yaml.safe_load(c.path.read_text(encoding="utf-8")).get("events"))
    assert named.group(1).split(", ") == with_events


@pytest.mark.parametrize("page", GUIDE, ids=lambda p: p.name)
def test_every_file_the_guide_names_exists(page):
    """A path the guide names (tests/web/test_serve_hostile.py, bench/fuzz.py, rules/members.yaml)
    is where it says, so moving a file means updating the text."""
    text = page.read_text(encoding="utf-8")
    for path in set(re.findall(r"(?<![\w/.-])((?:tests|bench|engine|cli|web|rules|cases|schemas|docs)/[\w./-]*\w\.(?:py|yaml|json|md|png))", text)):
        assert (ROOT / path).exists(), f"{page.name} names {path}, which does not exist"


def test_the_limits_table_gives_the_limits_the_code_has():
    """docs/errors.md's table of limits names, for each, the constant that holds it: the
    constant's value is a number in the row (2,000,000 for MAX_BYTES, 63 for MAX_PATHS_PER_RULESET)."""
    import importlib
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    table = text[text.index("| what | limit | where it is checked |"):]
    module_of: dict[str, str] = {}
    checked = 0
    for what, limit, where in re.findall(r"^\| (.+?) \| (.+?) \| (.+?) \|$", table, flags=re.M)[1:]:
        names = re.findall(r"`(MAX_\w+)`", where)
        place = where.split("`")[0].strip()
        if "/" in place:              # engine/files/yamlio.py; later rows say 'yamlio' or 'budget.py'
            module_of[Path(place).stem] = module_of[Path(place).name] = \
                "casus." + place.removesuffix(".py").replace("/", ".")
        module = module_of.get(Path(place).name, "")
        numbers = {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", what + " " + limit)}
        for name in names:
            value = getattr(importlib.import_module(module), name)
            assert value in numbers, f"docs/errors.md gives {sorted(numbers)} for {name}, the code has {value}"
            checked += 1
    assert checked >= 10


def _command_examples() -> list[tuple[str, list[str]]]:
    """Every `casus ...` line in the guide's shell blocks, as arguments (comments, redirections
    and pipes cut off)."""
    import shlex
    found = []
    for page in GUIDE:
        for lang, block in re.findall(r"^```([a-z]*)\n(.*?)^```", page.read_text(encoding="utf-8"), flags=re.S | re.M):
            if lang in {"yaml", "python"}:
                continue
            for line in block.splitlines():
                line = line.strip().removeprefix("$ ")
                line = line.split("&&")[-1].strip().removeprefix(".venv/bin/")
                if not line.startswith("casus "):
                    continue
                words = shlex.split(line, comments=True)[1:]
                for i, word in enumerate(words):
                    if word in {">", "|", "<"}:
                        words = words[:i]
                        break
                found.append((f"{page.name}: {line}", words))
    return found


@pytest.mark.parametrize("example", _command_examples(), ids=lambda e: e[0])
def test_every_command_example_in_the_guide_parses(example):
    """Each `casus` command line the guide shows names a real command with real options and
    arguments of the right form (parsed by the typer app, not run: running them all is the
    other tests' work)."""
    import typer

    from casus.cli.app import app
    _, args = example
    command = typer.main.get_command(app)
    ctx = command.make_context("casus", list(args))
    while True:
        # A group leaves its subcommand and what follows unparsed (click keeps the subcommand
        # in _protected_args, older versions in protected_args).
        protected = getattr(ctx, "_protected_args", None)
        rest = [*(ctx.protected_args if protected is None else protected), *ctx.args]
        if not hasattr(ctx.command, "resolve_command"):
            break
        assert rest, f"{ctx.command.name} needs a subcommand"
        name, sub, rest = ctx.command.resolve_command(ctx, rest)
        assert sub is not None, f"no command {name!r}"
        ctx = sub.make_context(name, rest, parent=ctx)
