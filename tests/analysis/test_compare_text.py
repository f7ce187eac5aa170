"""What `casus compare` prints in text: only real changes, every outcome a word (no bare '-'),
facts read differently in words, and example cases that can be saved and read as they are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from casus.engine.api import variants

VARIANTS = [v["id"] for v in variants()]
OUTCOMES = ("triggered", "not_triggered", "undetermined", "contested", "not_applicable")


def _stacked_rows(text: str) -> list[dict[str, str]]:
    """At 80 columns the flip table prints row by row ('- case' then 'key: value' lines)."""
    rows, row, key = [], None, None
    for line in text.splitlines():
        if line.startswith("- "):
            row = {"case": line[2:].strip()}
            rows.append(row)
        elif row is not None and re.match(r"^  [a-z ]+: ", line):
            key, value = line[2:].split(": ", 1)
            row[key] = value
        elif row is not None and line.startswith("    ") and key:
            row[key] += " " + line.strip()
        else:
            row, key = None, None
    return rows


@pytest.mark.parametrize("variant", VARIANTS)
def test_compare_lists_only_real_changes_and_no_bare_dash(cli, monkeypatch, variant):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("compare", variant)
    assert r.code == 0, r.err
    flips = json.loads(cli("compare", variant, "--format", "json").out)["cases"]["flips"]
    rows = [row for row in _stacked_rows(r.out) if "before" in row]
    assert len(rows) >= len(flips)
    for row in rows:
        before, after = row["before"].split(" (")[0], row["after"].split(" (")[0]
        assert before in OUTCOMES and after in OUTCOMES, row
        assert before != after, f"listed as a change but unchanged: {row}"
    if "(agreed facts)" in r.out:
        assert "(agreed facts): that side decided the provision on the facts every party agrees on" in \
            " ".join(r.out.split())


def test_a_fact_one_side_does_not_read_is_said_so_not_called_unknown(cli, monkeypatch):
    # Under art4-no-help-between-members Article 4 reads attacker_member; the base law's
    # Article 4 does not, so in kyrgyzstan-tajikistan-2022 the base law did not read it.
    # (Wide enough that the responsible rules, self-defence's among them, fit one line.)
    monkeypatch.setenv("COLUMNS", "400")
    data = json.loads(cli("compare", "art4-no-help-between-members", "--format", "json").out)
    flip = next(f for f in data["cases"]["flips"] if f["case"] == "kyrgyzstan-tajikistan-2022")
    assert flip["facts_read"]["attacker_member"] == [False, True]
    text = cli("compare", "art4-no-help-between-members").out
    assert "attacker_member: not read before, true after" in text
    assert "attacker_member unknown -> true" not in text


@pytest.mark.parametrize("columns", ["60", "80", "200"])
def test_printed_example_cases_parse_and_validate_as_they_are(cli, monkeypatch, tmp_path, columns):
    monkeypatch.setenv("COLUMNS", columns)
    # 1,000 seeded scenarios: Article 4 reads ten or eleven facts, so fewer draws reach a flip.
    r = cli("compare", "art4-internal-crises", "--generated", "1000", "--seed", "0")
    assert r.code == 0, r.err
    blocks = re.findall(r"^(id: generated-.*?)(?=\n\n|\Z)", r.out, flags=re.S | re.M)
    assert blocks, r.out
    for i, block in enumerate(blocks):
        data = yaml.safe_load(block)
        assert data["id"].startswith("generated-")
        path = Path(tmp_path) / f"{data['id']}.yaml"
        path.write_text(block + "\n", encoding="utf-8")
        v = cli("validate", str(path))
        assert v.code == 0, v.err


@pytest.mark.parametrize("variant", VARIANTS)
def test_report_says_a_variants_standing_once(cli, tmp_path, variant):
    out = tmp_path / "r.md"
    assert cli("report", "kazakhstan-2022", "--variant", variant, "-o", str(out)).code == 0
    line = next(l for l in out.read_text(encoding="utf-8").splitlines() if l.startswith("**Variant"))
    info = next(v for v in variants() if v["id"] == variant)
    assert line.count(info["status"]) == 1, line
    assert info["date"] in line and info["proposer"] in line
