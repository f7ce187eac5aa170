"""Every command across treaties (issue 26): the duty beside a triggered outcome, the report's
agreement matrix, the explorer's treaty picker."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from casus.engine.analysis.treaties import TreatyComparison, compare_treaties
from casus.engine.law.cases import read_case_file as load_case
from casus.engine.law.loader import read_rules as load_law
from casus.engine.outcome import Outcome

from conftest import write_case
from treaty_cases import ATTACK_FACTS, COMPARED, TREATY_IDS, add_states, attack_case, copy_rules, outcome


def test_the_duty_is_shown_beside_a_triggered_outcome(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")            # one line per cell line
    path = write_case(tmp_path, attack_case("KZ", "2015-01-01", ["cst.art4", "nato.art5"]))
    r = cli("evaluate", str(path), "--format", "json")
    got = {p["id"]: p for p in json.loads(r.out)["cases"][0]["provisions"]}
    assert got["cst.art4"]["outcome"] == "triggered"
    assert got["cst.art4"]["duty"]["strength"] == "assist_including_military"
    assert "duty" not in got["nato.art5"]          # KZ is no NATO party: not applicable, no duty shown
    text = cli("evaluate", str(path)).out
    assert "duty if triggered (assist including military)" in " ".join(text.split())


def test_the_explorer_lets_a_user_pick_the_treaty():
    from fastapi.testclient import TestClient
    from casus.web.app import create_app
    with TestClient(create_app(workers=1, timeout=120), base_url="http://localhost") as client:
        page = client.get("/explore/kazakhstan-2022?treaty=nato")
        assert page.status_code == 200, page.text[:300]
        assert 'data-provision="nato.art5"' in page.text and 'data-provision="cst.art4"' not in page.text
        assert '<option value="nato" selected>' in page.text
        bad = client.get("/explore/kazakhstan-2022?treaty=nosuch")
        assert bad.status_code == 400 and "no treaty &#x27;nosuch&#x27;" in bad.text


def test_report_draws_the_agreement_matrix(cli, tmp_path):
    out = tmp_path / "r.html"
    r = cli("report", "kazakhstan-2022", "--treaties", "cst.art4,nato.art5,eu.art42.7", "--generated", "100",
            "-o", str(out))
    assert r.code == 0, r.err
    html = out.read_text(encoding="utf-8")
    assert 'id="agreement:cst.art4:nato.art5"' in html and "Treaties compared" in html
