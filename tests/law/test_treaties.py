"""Many treaties in one law (issue 26): provisions with their texts and versions, each treaty's
own membership, one vocabulary (the renamed request value, facts that differ by treaty)."""

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


@pytest.fixture
def own_rules(tmp_path):
    return copy_rules(tmp_path)


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
    assert spans == [("1949", dt.date(1949, 8, 24), dt.date(1952, 2, 17)),
                     ("1952", dt.date(1952, 2, 18), dt.date(1962, 7, 2)),
                     ("1962", dt.date(1962, 7, 3), None)]


def test_every_collective_defence_provision_names_its_duty(law):
    for pid in COMPARED + ["nato.art4", "rio.art6"]:
        for version in law.provisions[pid].versions:
            assert version.duty is not None, (pid, version.id)


def test_a_provision_reads_the_membership_of_its_own_treaty(own_rules, tmp_path):
    add_states(own_rules, "nato", {"FI": {"events": [{"event": "joined", "date": dt.date(2023, 4, 4), "source": "test"}]}})
    law = load_law(own_rules)
    assert outcome(law, tmp_path, attack_case("FI", "2022-06-01", ["nato.art5"]), "nato.art5") is Outcome.NOT_APPLICABLE
    assert outcome(law, tmp_path, attack_case("FI", "2023-06-01", ["nato.art5"]), "nato.art5") is Outcome.TRIGGERED
    # The same case, the CST's own membership: Finland is no party to the CST.
    both = attack_case("FI", "2023-06-01", ["cst.art4", "nato.art5"])
    assert outcome(law, tmp_path, both, "cst.art4") is Outcome.NOT_APPLICABLE
    assert outcome(law, tmp_path, both, "nato.art5") is Outcome.TRIGGERED


def test_a_transition_period_counts_as_membership_where_the_treaty_says_so(own_rules, tmp_path):
    add_states(own_rules, "eu", {"GB": {"events": [
        {"event": "joined", "date": dt.date(1973, 1, 1), "source": "test"},
        {"event": "transition", "date": dt.date(2020, 2, 1), "source": "test"},
        {"event": "withdrawn", "date": dt.date(2021, 1, 1), "source": "test"}]}})
    law = load_law(own_rules)
    got = {day: outcome(law, tmp_path, attack_case("GB", day, ["eu.art42.7"]), "eu.art42.7")
           for day in ("2019-06-01", "2020-06-01", "2021-06-01")}
    assert got == {"2019-06-01": Outcome.TRIGGERED, "2020-06-01": Outcome.TRIGGERED,
                   "2021-06-01": Outcome.NOT_APPLICABLE}


def test_limited_participation_stays_party_status(own_rules, tmp_path):
    add_states(own_rules, "nato", {"FR": {"events": [
        {"event": "joined", "date": dt.date(1949, 8, 24), "source": "test"},
        {"event": "limited", "date": dt.date(1966, 7, 1), "source": "test"},
        {"event": "restored", "date": dt.date(2009, 4, 4), "source": "test"}]}})
    law = load_law(own_rules)
    assert outcome(law, tmp_path, attack_case("FR", "1980-01-01", ["nato.art5"]), "nato.art5") is Outcome.TRIGGERED


def test_a_disputed_membership_event_is_each_claimants_own_view(own_rules, tmp_path):
    add_states(own_rules, "rio", {"VE": {"events": [
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


def test_the_old_request_value_reads_as_collective(cli, tmp_path):
    facts = dict(ATTACK_FACTS, assistance_request="csto")
    path = write_case(tmp_path, attack_case("KZ", "2015-01-01", ["cst.art4"], facts))
    r = cli("evaluate", str(path), "--format", "json")
    assert r.code == 0, r.err
    assert "value 'csto' of 'assistance_request' is deprecated; read as 'collective'" in r.err
    assert json.loads(r.out)["cases"][0]["provisions"][0]["outcome"] == "triggered"


def test_a_fact_may_differ_by_treaty(own_rules, tmp_path, cli):
    """Paris, November 2015 in outline: France asked the EU Member States (Article 42(7)), not the
    Alliance; the request is a fact of each treaty, stated once per treaty."""
    add_states(own_rules, "nato", {"FR": {"events": [{"event": "joined", "date": dt.date(1949, 8, 24), "source": "test"}]}})
    add_states(own_rules, "eu", {"FR": {"events": [{"event": "joined", "date": dt.date(1958, 1, 1), "source": "test"}]}})
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


# ------------------------------------------------------------------ acceptance on the shipped membership

@pytest.mark.parametrize("state, pid, before, after", [
    ("FI", "nato.art5", "2022-06-01", "2023-06-01"),        # Finland's accession, 4 April 2023
    ("SE", "nato.art5", "2023-06-01", "2024-06-01"),        # Sweden's, 7 March 2024
])
def test_a_new_ally_is_protected_from_its_accession(law, tmp_path, state, pid, before, after):
    assert outcome(law, tmp_path, attack_case(state, before, [pid]), pid) is Outcome.NOT_APPLICABLE
    assert outcome(law, tmp_path, attack_case(state, after, [pid]), pid) is Outcome.TRIGGERED


def test_the_united_kingdom_under_article_42_7(law, tmp_path):
    """A member in 2019, bound through the transition period (the reading chosen), not in 2021."""
    got = {day: outcome(law, tmp_path, attack_case("GB", day, ["eu.art42.7"]), "eu.art42.7")
           for day in ("2019-06-01", "2020-06-01", "2021-06-01")}
    assert got == {"2019-06-01": Outcome.TRIGGERED, "2020-06-01": Outcome.TRIGGERED,
                   "2021-06-01": Outcome.NOT_APPLICABLE}
