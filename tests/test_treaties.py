"""Many treaties in one law (issue 26): a treaty folder's own membership, one vocabulary
(the renamed request value), duties, and the cross-treaty comparison."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from casus.engine.analysis.treaties import TreatyComparison, compare_treaties
from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.files.paths import rules_dir
from casus.engine.law.cases import read_case_file as load_case
from casus.engine.law.loader import read_rules as load_law
from casus.engine.outcome import Outcome

from conftest import write_case

TREATY_IDS = ["nato.art4", "nato.art5", "eu.art42.7", "rio.art3", "rio.art6", "anzus.art4"]
COMPARED = ["cst.art4", "nato.art5", "eu.art42.7", "rio.art3", "anzus.art4"]

# An armed attack by a state on the state's own territory in every treaty's area, asked for
# collectively and not withdrawn: every collective-defence provision is triggered on it.
ATTACK_FACTS = {
    "armed_attack": True, "attack_origin": "external_state", "attack_target": "own_territory",
    "attacker_self_defence": False, "threat_to_member": "security",
    "attack_in_north_atlantic_area": True, "attack_in_american_region": True,
    "attack_in_pacific_area": True, "attack_on_metropolitan_territory": True,
    "assistance_request": "collective", "request_withdrawn": False,
}


def attack_case(state: str, day: str, provisions: list[str], facts: dict | None = None, **more) -> dict:
    return {"id": "constructed", "title": "Constructed armed attack", "date": dt.date.fromisoformat(day),
            "requesting_state": state, "territory": state, "summary": "A constructed case.",
            "provisions": provisions, "sources": {"constructed": {"cite": "constructed for a test"}},
            "facts": {k: {"value": v, "source": "constructed"} for k, v in (facts or ATTACK_FACTS).items()},
            **more}


def outcome(law, tmp_path: Path, data: dict, pid: str, perspective: str | None = None) -> Outcome:
    case = load_case(write_case(tmp_path, data), law)
    result = Evaluator(law).evaluate(case, perspective=perspective)
    return next(p.outcome for p in result.provisions if p.provision.id == pid)


@pytest.mark.parametrize("pid", TREATY_IDS)
def test_rules_show_gives_the_text_and_the_versions(cli, law, pid):
    r = cli("rules", "show", pid, "--format", "json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    versions = law.provisions[pid].versions
    assert [v["id"] for v in shown["versions"]] == [v.id for v in versions]
    for v, model in zip(shown["versions"], versions):
        assert " ".join(model.text.split())[:60] in json.dumps(v, ensure_ascii=False)


def test_nato_article_5_versions_follow_article_6(law):
    spans = [(v.id, v.in_force.from_, v.in_force.to) for v in law.provisions["nato.art5"].versions]
    assert spans == [("1949", dt.date(1949, 8, 24), dt.date(1952, 2, 14)),
                     ("1952", dt.date(1952, 2, 15), dt.date(1962, 7, 2)),
                     ("1962", dt.date(1962, 7, 3), None)]


def test_every_collective_defence_provision_names_its_duty(law):
    for pid in COMPARED + ["nato.art4", "rio.art6"]:
        for version in law.provisions[pid].versions:
            assert version.duty is not None, (pid, version.id)


# ------------------------------------------------------------------ membership per treaty

@pytest.fixture
def own_rules(tmp_path):
    """A copy of the shipped rules whose treaty timelines a test may change."""
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    return root


def _add_states(root: Path, treaty: str, states: dict) -> None:
    path = root / treaty / "members.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"] = {**(data.get("sources") or {}), "test": {"cite": "constructed for a test"}}
    data["states"] = {**(data.get("states") or {}), **states}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_a_provision_reads_the_membership_of_its_own_treaty(own_rules, tmp_path):
    _add_states(own_rules, "nato", {"FI": {"events": [{"event": "joined", "date": dt.date(2023, 4, 4), "source": "test"}]}})
    law = load_law(own_rules)
    assert outcome(law, tmp_path, attack_case("FI", "2022-06-01", ["nato.art5"]), "nato.art5") is Outcome.NOT_APPLICABLE
    assert outcome(law, tmp_path, attack_case("FI", "2023-06-01", ["nato.art5"]), "nato.art5") is Outcome.TRIGGERED
    # The same case, the CST's own membership: Finland is no party to the CST.
    both = attack_case("FI", "2023-06-01", ["cst.art4", "nato.art5"])
    assert outcome(law, tmp_path, both, "cst.art4") is Outcome.NOT_APPLICABLE
    assert outcome(law, tmp_path, both, "nato.art5") is Outcome.TRIGGERED


def test_a_transition_period_counts_as_membership_where_the_treaty_says_so(own_rules, tmp_path):
    _add_states(own_rules, "eu", {"GB": {"events": [
        {"event": "joined", "date": dt.date(1973, 1, 1), "source": "test"},
        {"event": "transition", "date": dt.date(2020, 2, 1), "source": "test"},
        {"event": "withdrawn", "date": dt.date(2021, 1, 1), "source": "test"}]}})
    law = load_law(own_rules)
    got = {day: outcome(law, tmp_path, attack_case("GB", day, ["eu.art42.7"]), "eu.art42.7")
           for day in ("2019-06-01", "2020-06-01", "2021-06-01")}
    assert got == {"2019-06-01": Outcome.TRIGGERED, "2020-06-01": Outcome.TRIGGERED,
                   "2021-06-01": Outcome.NOT_APPLICABLE}


def test_limited_participation_stays_party_status(own_rules, tmp_path):
    _add_states(own_rules, "nato", {"FR": {"events": [
        {"event": "joined", "date": dt.date(1949, 8, 24), "source": "test"},
        {"event": "limited", "date": dt.date(1966, 7, 1), "source": "test"},
        {"event": "restored", "date": dt.date(2009, 4, 4), "source": "test"}]}})
    law = load_law(own_rules)
    assert outcome(law, tmp_path, attack_case("FR", "1980-01-01", ["nato.art5"]), "nato.art5") is Outcome.TRIGGERED


def test_a_disputed_membership_event_is_each_claimants_own_view(own_rules, tmp_path):
    _add_states(own_rules, "rio", {"VE": {"events": [
        {"event": "joined", "date": dt.date(1948, 12, 3), "source": "test"},
        {"event": "withdrawn", "date": dt.date(2013, 5, 14), "source": "test"},
        {"event": "restored", "date": dt.date(2019, 9, 3), "source": "test",
         "disputed": {"VE": {"holds": True, "source": "test"}, "MX": {"holds": False, "source": "test"}}}]}})
    law = load_law(own_rules)
    data = attack_case("VE", "2020-01-01", ["rio.art3"])
    assert outcome(law, tmp_path, data, "rio.art3") is Outcome.CONTESTED
    assert outcome(law, tmp_path, data, "rio.art3", "VE") is Outcome.TRIGGERED
    assert outcome(law, tmp_path, data, "rio.art3", "MX") is Outcome.NOT_APPLICABLE


def test_a_case_may_be_dated_before_the_cst(law, tmp_path):
    """The Falklands (1982): the date check is against the law's earliest treaty (Rio, 1947)."""
    case = load_case(write_case(tmp_path, attack_case("GB", "1982-04-02", ["nato.art5"])), law)
    assert case.date == dt.date(1982, 4, 2)


# ------------------------------------------------------------------ one vocabulary

def test_the_old_request_value_reads_as_collective(cli, tmp_path):
    facts = dict(ATTACK_FACTS, assistance_request="csto")
    path = write_case(tmp_path, attack_case("KZ", "2015-01-01", ["cst.art4"], facts))
    r = cli("evaluate", str(path), "--format", "json")
    assert r.code == 0, r.err
    assert "value 'csto' of 'assistance_request' is deprecated; read as 'collective'" in r.err
    assert json.loads(r.out)["cases"][0]["provisions"][0]["outcome"] == "triggered"


# ------------------------------------------------------------------ comparison

def test_compare_treaties_attributes_every_disagreement(law):
    report = compare_treaties(law, COMPARED, 600, seed=3)
    assert len(report["pairs"]) == 10
    for pair in report["pairs"]:
        assert pair["agree"] + pair["disagree"] == pair["scenarios"] == 600
        assert pair["unattributed"] == 0, pair
        assert sum(c["disagreements"] for c in pair["conditions"]) >= pair["disagree"]
    assert all(v == 0 for v in report["unmodelled"].values())


def test_the_area_makes_nato_and_the_eu_differ_on_forces_abroad(law):
    """An attack on a state's forces in the North Atlantic: NATO Article 6 covers forces in its
    area, Article 42(7) only attacks 'on its territory'. Giving NATO the EU's reading of the area
    condition removes the disagreement; its reading of the request does not."""
    cmp = TreatyComparison(law, ["nato.art5", "eu.art42.7"])
    facts = dict(ATTACK_FACTS, attack_target="own_forces_abroad")
    got = cmp.evaluator.outcomes(cmp.day, {**cmp.party, **facts}, ["nato.art5", "eu.art42.7"])
    assert got == [Outcome.TRIGGERED, Outcome.NOT_TRIGGERED]
    readings = cmp.readings(facts)
    assert cmp.modelled(readings, "nato.art5", {"area": "eu.art42.7"}) is Outcome.NOT_TRIGGERED
    assert cmp.modelled(readings, "nato.art5", {"request": "eu.art42.7"}) is Outcome.TRIGGERED
    assert cmp.attribute("nato.art5", "eu.art42.7", readings, Outcome.NOT_TRIGGERED,
                         cmp.differing("nato.art5", "eu.art42.7")) == [("area",)]


def test_compare_treaties_json_shape(cli):
    r = cli("compare", "--treaties", "cst.art4,nato.art5", "--generated", "50", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    (pair,) = data["pairs"]
    assert {"a", "b", "scenarios", "agree", "disagree", "conditions", "unattributed"} <= set(pair)
    assert (pair["a"], pair["b"], pair["scenarios"]) == ("cst.art4", "nato.art5", 50)


def test_compare_needs_a_variant_or_treaties(cli):
    r = cli("compare")
    assert r.code == 2 and "compare needs a VARIANT (or --treaties" in r.err
    r = cli("compare", "--treaties", "cst.art4,nato.art55")
    assert r.code == 2 and "unknown provision 'nato.art55'" in r.err
    r = cli("compare", "--treaties", "cst.art4,eu.art42.7", "--at", "2005-01-01")
    assert r.code == 2 and "eu.art42.7 is not in force on 2005-01-01" in r.err


# ------------------------------------------------------------------ every command across treaties

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
    with TestClient(create_app(workers=1, timeout=120)) as client:
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


def test_a_fact_may_differ_by_treaty(own_rules, tmp_path, cli):
    """Paris, November 2015 in outline: France asked the EU Member States (Article 42(7)), not the
    Alliance; the request is a fact of each treaty, stated once per treaty."""
    _add_states(own_rules, "nato", {"FR": {"events": [{"event": "joined", "date": dt.date(1949, 8, 24), "source": "test"}]}})
    _add_states(own_rules, "eu", {"FR": {"events": [{"event": "joined", "date": dt.date(1958, 1, 1), "source": "test"}]}})
    law = load_law(own_rules)
    data = attack_case("FR", "2015-11-20", ["nato.art5", "eu.art42.7"], dict(ATTACK_FACTS, attack_origin="external_non_state"),
                       treaty_facts={"nato": {"assistance_request": {"value": "none", "source": "constructed"}}})
    assert outcome(law, tmp_path, data, "eu.art42.7") is Outcome.TRIGGERED
    assert outcome(law, tmp_path, data, "nato.art5") is Outcome.NOT_TRIGGERED
    path = write_case(tmp_path, {**data, "treaty_facts": {"natoo": {}}}, "bad.yaml")
    r = cli("validate", str(path), "--rules", str(own_rules))
    assert r.code == 2 and "unknown treaty 'natoo' (hint: did you mean 'nato'?)" in r.err
    path = write_case(tmp_path, {**data, "treaty_facts": {"nato": {"assistance_request": {"value": "nato", "source": "constructed"}}}},
                      "bad2.yaml")
    r = cli("validate", str(path), "--rules", str(own_rules))
    assert r.code == 2 and "treaty_facts.nato: fact 'assistance_request' has no value 'nato'" in r.err, r.err


def test_the_readme_comparison_table_is_what_compare_says(law):
    """README's Treaties table names, per pair, the conditions compare attributes disagreements to."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Treaties"):]
    section = section[:section.index("\n## ", 1)]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    heads = [c.strip().strip("`") for c in lines[0].strip("|").split("|")][1:]
    shown: dict[tuple[str, str], set[str]] = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        a = cells[0].strip("`")
        for b, cell in zip(heads, cells[1:]):
            if cell:
                extra = re.search(r"\(`(.+?)`-`(.+?)`: (.+)\)", cell)
                if extra:
                    shown[(extra.group(1), extra.group(2))] = set(extra.group(3).split(", "))
                    cell = cell[:extra.start()].strip()
                shown[(a, b)] = set(cell.split(", "))
    report = compare_treaties(law, COMPARED, 3000)
    said = {(p["a"], p["b"]): {c["condition"] for c in p["conditions"] if "+" not in c["condition"]}
            for p in report["pairs"]}
    assert shown == said
