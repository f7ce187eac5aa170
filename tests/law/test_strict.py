"""`casus validate --strict`: the shipped corpus passes it, and each rule catches the file
that breaks it (tests/data/strict/), with one line per finding."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from casus.engine.law.strict import quote_occurs, shared_dir

from conftest import DATA, shipped_case_paths

STRICT = DATA / "strict"
LINE = re.compile(r"^error: (?P<file>[^:]+\.yaml):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$")


@pytest.fixture
def test_shared(monkeypatch):
    monkeypatch.setenv("CASUS_SHARED", str(STRICT / "shared"))


def _findings(err: str) -> list[re.Match]:
    lines = [line for line in err.splitlines() if line.strip()]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return matches  # type: ignore[return-value]


def test_the_shipped_corpus_passes_strict(cli):
    r = cli("validate", "--strict", *map(str, shipped_case_paths()))
    assert r.code == 0, r.err


def test_the_corpus_quotes_are_checked_against_the_shared_files(cli, tmp_path):
    # Not vacuous: with the shared folder present, a shipped quote altered by one word fails.
    if shared_dir() is None:
        pytest.skip("the shared research folder is not beside this checkout")
    path = next(p for p in shipped_case_paths() if p.stem == "tajikistan-afghanistan-2021")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["sources"][data["facts"]["armed_attack"]["source"]]["file"] == "cases.md"
    data["facts"]["armed_attack"]["quote"] = "No attack on Kazakhstan occurred"
    bad = tmp_path / path.name
    bad.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    r = cli("validate", "--strict", str(bad))
    assert r.code == 2
    [finding] = _findings(r.err)
    assert "fact 'armed_attack' quotes words that are not in its source cases.md" in finding["msg"]


def test_a_file_that_keeps_every_rule_passes(cli, test_shared):
    r = cli("validate", "--strict", str(STRICT / "ok.yaml"))
    assert r.code == 0, r.err


@pytest.mark.parametrize("name,where,message", [
    # Negative enum values ('none', 'other') count as negatives, as `false` does.
    ("false-without-quote", ("facts", "assistance_request", "value"),
     "fact 'assistance_request' is 'none' (a negative) with no quote from its source and no 'absent: true'"),
    ("false-claim-without-quote", ("facts", "attack_target", "claims", "TJ", "value"),
     "claim of TJ on 'attack_target' is 'other' (a negative) with no quote from its source and no 'absent: true'"),
    ("event-false-without-quote", ("events", 0, "facts", "operation_request", "value"),
     "fact 'operation_request' is 'none' (a negative) with no quote from its source and no 'absent: true'"),
    ("quote-not-in-source", ("facts", "assistance_request", "quote"),
     "fact 'assistance_request' quotes words that are not in its source seeds/s.txt"),
    ("absent-without-search", ("facts", "unsc_mandate", "absent"),
     "fact 'unsc_mandate' is marked absent, but its source 'registry' documents no search"),
    ("response-before-events", ("record", "responses", 0, "date"),
     "response dated 2021-04-20, before the events of the case start (2021-05-01)"),
    ("future-date", ("date",), "case date 2999-01-01 is in the future"),
    ("id-mismatch", ("id",), "case id 'some-other-id' does not match the file name 'id-mismatch.yaml'"),
    ("missing-shared-file", ("sources", "seed", "file"), "source 'seed' cites 'seeds/missing.txt', which is not in"),
    # One article establishes nothing: two independent sources, or a fact-finding body's finding.
    ("established-by-one", ("facts", "armed_attack", "established_by"),
     "fact 'armed_attack' is established by one source, which is not a fact-finding body's finding"),
])
def test_each_rule_fails_its_file_with_one_located_line(cli, test_shared, name, where, message):
    path = STRICT / f"{name}.yaml"
    r = cli("validate", "--strict", str(path))
    assert r.code == 2
    [finding] = _findings(r.err)
    assert finding["file"] == str(path)
    assert message in finding["msg"]
    assert int(finding["line"]) == _line_of(path, where)
    # Without --strict the same file is a valid case: these are corpus rules, not schema.
    assert cli("validate", str(path)).code == 0


def test_every_finding_is_reported(cli, test_shared):
    r = cli("validate", "--strict", str(STRICT / "several.yaml"), str(STRICT / "future-date.yaml"))
    assert r.code == 2
    found = [(Path(f["file"]).name, f["msg"].split(" (hint")[0]) for f in _findings(r.err)]
    assert [name for name, _ in found] == ["several.yaml"] * 3 + ["future-date.yaml"]
    assert any("with no quote from its source" in msg for _, msg in found)
    assert any("documents no search" in msg for _, msg in found)
    assert any("before the events" in msg for _, msg in found)


def test_a_shared_folder_named_but_missing_is_one_line(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("CASUS_SHARED", str(tmp_path / "nowhere"))
    r = cli("validate", "--strict", str(STRICT / "ok.yaml"))
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1 and "CASUS_SHARED" in r.err


def test_without_a_shared_folder_quotes_go_unchecked_but_the_rest_holds(cli, monkeypatch, tmp_path):
    # A checkout without the research folder cannot check quotes, and says nothing about them.
    alone = tmp_path / "quote-not-in-source.yaml"
    shutil.copy(STRICT / "quote-not-in-source.yaml", alone)
    monkeypatch.setattr("casus.engine.law.strict.shared_dir", lambda: None)
    assert cli("validate", "--strict", str(alone)).code == 0
    other = tmp_path / "false-without-quote.yaml"
    shutil.copy(STRICT / "false-without-quote.yaml", other)
    assert cli("validate", "--strict", str(other)).code == 2


def test_quotes_match_across_whitespace_quote_marks_and_ellipses():
    text = "The commission found that \u201cno request was made\u201d by the\ngovernment before May."
    assert quote_occurs('found that "no request was made" by the government', text)
    assert quote_occurs("found that 'no request ... by the government", text.replace("\u201c", "\u2018"))
    assert quote_occurs("The commission ... before May.", text)
    assert not quote_occurs("before May ... The commission", text)      # order matters
    assert not quote_occurs("a request was made", text)


def _line_of(path: Path, where: tuple) -> int:
    from casus.engine.files.yamlio import locate, read_yaml
    _, positions = read_yaml(path)
    line, _ = locate(positions, where)
    assert line is not None
    return line


def test_one_fact_finding_body_establishes_a_fact(cli, test_shared, tmp_path):
    raw = yaml.safe_load((STRICT / "established-by-one.yaml").read_text(encoding="utf-8"))
    raw["sources"]["seed"]["finding"] = True
    path = tmp_path / "established-by-one.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    r = cli("validate", "--strict", str(path))
    assert r.code == 0, r.err
