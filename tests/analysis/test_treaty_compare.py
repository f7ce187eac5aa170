"""casus compare --treaties (issue 26): agreement per pair and every disagreement attributed."""

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


def test_the_readme_comparison_table_is_what_compare_says(law):
    """README's Treaties table names, per pair, the conditions compare attributes disagreements to."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
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
