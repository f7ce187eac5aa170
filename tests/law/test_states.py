"""States by ISO 3166-1 code (names from pycountry), non-state parties and claimants."""

from __future__ import annotations

import json

import yaml

IRAN_CASE = """\
id: iran-hypothetical
title: A hypothetical armed attack by Iran on Armenia
date: 2023-06-01
requesting_state: AM
territory: AM
attacker: IR
provisions: [cst.art4]
summary: >-
  A constructed case: Iranian forces strike Armenian territory and Armenia asks the CSTO for help.
sources:
  constructed: {cite: "a constructed test case"}
facts:
  armed_attack: {value: true, source: constructed}
  attack_origin: {value: external_state, source: constructed}
  attack_target: {value: own_territory, source: constructed}
  threat_to_member: {value: security, source: constructed}
  assistance_request: {value: collective, source: constructed}
expected:
  cst.art4:
    outcome: triggered
    reasoning: >-
      Under the 2012 text an armed attack by a state outside the CSTO on a member's own territory
      that threatens its security is aggression, and Armenia (a party in 2023) asked for help,
      so the other members owe it assistance.
"""

ARMED_GROUP_CASE = """\
id: armed-group-hypothetical
title: A hypothetical incursion by an armed group into Tajikistan
date: 2021-09-01
requesting_state: TJ
territory: TJ
attacker: border-group
non_state_parties:
  border-group: {name: "an armed group based across the border", kind: armed_group, source: constructed}
provisions: [cst.art4]
summary: >-
  A constructed case: an armed group crosses into Tajikistan; Tajikistan asks for help.
sources:
  constructed: {cite: "a constructed test case"}
facts:
  armed_attack: {value: true, source: constructed}
  attack_target: {value: own_territory, source: constructed}
  threat_to_member: {value: security, source: constructed}
  assistance_request: {value: collective, source: constructed}
  attack_origin:
    claims:
      TJ: {value: external_non_state, source: constructed}
      observers: {value: internal, source: constructed}
"""


def test_a_state_outside_the_old_hand_list_validates_and_evaluates(cli, tmp_path):
    path = tmp_path / "iran-hypothetical.yaml"
    path.write_text(IRAN_CASE, encoding="utf-8")
    assert cli("validate", str(path)).code == 0
    r = cli("test", str(path))
    assert r.code == 0, r.out + r.err
    assert cli("evaluate", str(path)).code == 0


def test_a_state_is_named_from_iso_3166(law):
    import datetime as dt
    from casus.engine.law.membership import describe
    assert describe(law.timeline, "IR", dt.date(2023, 6, 1))["text"].startswith("IR (Iran) is not a member")


def test_a_non_state_party_is_declared_and_is_never_a_member(cli, tmp_path):
    path = tmp_path / "armed-group-hypothetical.yaml"
    path.write_text(ARMED_GROUP_CASE, encoding="utf-8")
    assert cli("validate", str(path)).code == 0
    r = cli("evaluate", str(path), "-f", "json")
    assert r.code == 0, r.err
    [case] = json.loads(r.out)["cases"]
    assert case["provisions"][0]["outcome"] in {"contested", "triggered", "not_triggered", "undetermined"}
    undeclared = yaml.safe_load(ARMED_GROUP_CASE)
    del undeclared["non_state_parties"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(undeclared), encoding="utf-8")
    r = cli("validate", str(bad))
    assert r.code == 2 and "unknown non-state party 'border-group'" in r.err


def test_facts_lists_every_iso_state_non_state_parties_and_claimants(cli):
    data = json.loads(cli("facts", "-f", "json").out)
    states = {s["code"]: s for s in data["states"]}
    assert len(states) >= 249
    assert states["IR"] == {"code": "IR", "name": "Iran", "timeline": False}
    assert states["KZ"]["timeline"] and states["KZ"]["name"] == "Kazakhstan"
    assert "non_state_parties" in data["non_state_parties"] and "claims" in data["claimants"]
    text = cli("facts", "--states").out
    assert "IR" in text and "Iran" in text


def test_members_yaml_holds_only_the_csto_timeline(law):
    # Every state in the timeline has membership events; names of others come from ISO 3166-1.
    assert all(record.events for record in law.timeline.states.values())
