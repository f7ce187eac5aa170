"""Shared by the treaty tests (issue 26): a constructed armed attack and a copy of the shipped
rules whose treaty membership a test may change."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.files.paths import rules_dir
from casus.engine.law.cases import read_case_file as load_case
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
    "assistance_request": "collective", "request_withdrawn": False, "hostilities_ceased": False,
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


def copy_rules(tmp_path: Path) -> Path:
    """A copy of the shipped rules whose treaty timelines a test may change."""
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    return root


def add_states(root: Path, treaty: str, states: dict) -> None:
    path = root / treaty / "members.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"] = {**(data.get("sources") or {}), "test": {"cite": "constructed for a test"}}
    data["states"] = {**(data.get("states") or {}), **states}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
