"""The treaty data of issue 26 (texts, membership timelines, cases): the acceptance points that
rest on the data, checked through the CLI a user runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import shipped_case_paths, write_case

RULES = Path(__file__).resolve().parents[2] / "rules"


def _outcome(cli, path: Path, provision: str, at: str | None = None) -> str:
    args = ["evaluate", str(path), "-f", "json"] + (["--at", at] if at else [])
    r = cli(*args)
    assert r.code == 0, r.err
    case = json.loads(r.out)["cases"][0]
    return next(p["outcome"] for p in case["provisions"] if p["id"] == provision)


def _bare_case(tmp_path: Path, state: str, provision: str, date: str) -> Path:
    # Only the parties and the date: membership alone decides applicability.
    return write_case(tmp_path, {"id": f"bare-{state.lower()}", "title": f"{state} under {provision}",
                                 "date": date, "requesting_state": state, "territory": state,
                                 "provisions": [provision], "summary": "Membership only.",
                                 "sources": {}, "facts": {}}, name=f"bare-{state.lower()}.yaml")


@pytest.mark.parametrize("state, before, after", [
    ("FI", "2022-06-01", "2023-06-01"),     # Finland: a party from 4 April 2023
    ("SE", "2023-06-01", "2024-06-01"),     # Sweden: a party from 7 March 2024
])
def test_nato_accessions_decide_applicability(cli, tmp_path, state, before, after):
    path = _bare_case(tmp_path, state, "nato.art5", before)
    assert _outcome(cli, path, "nato.art5") == "not_applicable"
    assert _outcome(cli, path, "nato.art5", at=after) != "not_applicable"


def test_uk_under_article_42_7_before_and_after_the_transition(cli, tmp_path):
    path = _bare_case(tmp_path, "GB", "eu.art42.7", "2019-06-01")
    assert _outcome(cli, path, "eu.art42.7") != "not_applicable"
    assert _outcome(cli, path, "eu.art42.7", at="2021-06-01") == "not_applicable"


def test_every_treaty_has_at_least_two_shipped_cases():
    counts: dict[str, int] = {}
    for path in shipped_case_paths():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for treaty in {p.split(".")[0] for p in data.get("provisions", [])}:
            counts[treaty] = counts.get(treaty, 0) + 1
    for treaty in ("nato", "eu", "rio", "anzus"):
        assert counts.get(treaty, 0) >= 2, (treaty, counts)


@pytest.mark.parametrize("folder", ["nato", "eu", "rio", "anzus"])
def test_every_membership_event_cites_a_source_of_its_file(folder):
    data = yaml.safe_load((RULES / folder / "members.yaml").read_text(encoding="utf-8"))
    assert data["sources"], folder
    for code, record in data["states"].items():
        assert record["events"], (folder, code)
        for event in record["events"]:
            assert event["source"] in data["sources"], (folder, code, event)
            for claim in (event.get("contested") or {}).values():
                assert claim["source"] in data["sources"], (folder, code, claim)


def test_provision_texts_are_no_longer_placeholders():
    for folder in ("nato", "eu", "rio", "anzus"):
        for path in sorted((RULES / folder).glob("article-*.yaml")):
            text = path.read_text(encoding="utf-8")
            assert "PLACEHOLDER" not in text, path.name
