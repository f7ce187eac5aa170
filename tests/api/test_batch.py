"""`casus evaluate --format json` streams many case files (over a process pool from
POOL_FROM files): the same bytes as evaluating them all at once, every problem of every file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import casus
from casus.cli.output import visible
from casus.engine.batch import POOL_FROM

ROOT = Path(__file__).resolve().parents[2]


def copies(directory: Path, count: int) -> Path:
    sources = sorted((ROOT / "cases").glob("*.yaml"))
    for i in range(count):
        src = sources[i % len(sources)]
        text = re.sub(r"^id: .*$", f"id: {src.stem}-{i:04d}", src.read_text(encoding="utf-8"), count=1, flags=re.M)
        (directory / f"{src.stem}-{i:04d}.yaml").write_text(text, encoding="utf-8")
    return directory


def test_a_pooled_batch_prints_what_evaluating_all_at_once_prints(cli, tmp_path):
    cases = copies(tmp_path, POOL_FROM + 10)
    r = cli("evaluate", "--all", "--cases", str(cases), "--format", "json")
    assert r.code == 0, r.err
    assert r.out == visible(casus.evaluate_many(cases_dir=cases).to_json_text())


def test_a_few_cases_explained_print_the_same(cli):
    ids = ["kazakhstan-2022", "armenia-2022", "georgia-2008"]
    r = cli("evaluate", *ids, "--explain", "--format", "json")
    assert r.code == 0, r.err
    assert r.out == visible(casus.evaluate_many(ids, explain=True).to_json_text())


def test_bad_files_are_reported_and_nothing_is_printed(cli, tmp_path):
    cases = copies(tmp_path, POOL_FROM + 10)
    names = sorted(cases.glob("*.yaml"))
    names[150].write_text(names[150].read_text(encoding="utf-8").replace("date:", "dated:", 1), encoding="utf-8")
    names[180].write_text("id: [unclosed\n", encoding="utf-8")
    r = cli("evaluate", "--all", "--cases", str(cases), "--format", "json")
    assert r.code == 2
    # Every problem of every file is reported (in file order), none of the results printed:
    # on stderr, and in the JSON document on stdout.
    assert names[150].name in r.err and names[180].name in r.err
    assert r.err.index(names[150].name) < r.err.index(names[180].name)
    doc = json.loads(r.out)
    assert doc["cases"] == [] and [e["file"] for e in doc["errors"]] == [str(names[150]), str(names[180])]


def with_duplicate_id(directory: Path) -> tuple[Path, list[Path], str]:
    """A pooled batch whose 201st file reuses the 4th file's case id: (directory, files, id)."""
    cases = copies(directory, POOL_FROM + 10)
    names = sorted(cases.glob("*.yaml"))
    first = re.search(r"^id: (.*)$", names[3].read_text(encoding="utf-8"), re.M).group(1)
    names[200].write_text(re.sub(r"^id: .*$", f"id: {first}", names[200].read_text(encoding="utf-8"), count=1,
                                 flags=re.M), encoding="utf-8")
    return cases, names, first


def test_a_duplicate_id_is_reported_at_the_second_file(cli, tmp_path):
    cases, names, first = with_duplicate_id(tmp_path)
    r = cli("evaluate", "--all", "--cases", str(cases), "--format", "json")
    assert r.code == 2 and json.loads(r.out)["cases"] == []
    assert f"duplicate case id '{first}'" in r.err and names[200].name in r.err
