"""Writing law: `casus new amendment` and `casus new provision` write templates that list what an
author needs (rule ids, change operations, the fact vocabulary) and fail `casus validate` until
filled in; filled in, they validate and work in the commands that read them."""

from __future__ import annotations

from conftest import CONFLICTING_AMENDMENT

import json
import re

import yaml

from casus.engine.api import load_law


def test_amendment_template_lists_rule_ids_operations_and_facts(cli, tmp_path):
    out = tmp_path / "my-prop.yaml"
    r = cli("new", "amendment", "my-prop", "--provision", "cst.art4", "-o", str(out))
    assert r.code == 0, r.err
    text = out.read_text(encoding="utf-8")
    law = load_law().law
    for version in law.provisions["cst.art4"].versions:
        for rule in version.rules:
            assert f"#     {rule.id}: {rule.concludes} = " in text, rule.id
    for op in ("replace", "add", "remove", "add_version", "replace_version", "remove_version",
               "replace_text", "counts_as_member", "participating"):
        assert f"#   {op}: " in text, op
    for name in law.vocabulary.names():
        assert re.search(rf"^#   {re.escape(name)}: ", text, re.M), name
    assert yaml.safe_load(text)["affects"] == ["cst.art4"]


def test_untouched_amendment_template_fails_validate_with_one_line_per_placeholder(cli, tmp_path):
    out = tmp_path / "my-prop.yaml"
    assert cli("new", "amendment", "my-prop", "-p", "cst.art2", "-o", str(out)).code == 0
    r = cli("validate", str(out))
    assert r.code == 2
    errors = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert any(":5:1: date:" in e for e in errors), errors
    assert any("changes" in e for e in errors), errors


def test_filled_amendment_validates_and_compares(cli, tmp_path):
    out = tmp_path / "my-prop.yaml"
    assert cli("new", "amendment", "my-prop", "-p", "cst.art2", "-o", str(out)).code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data.update(title="Consultations only for a threat to security", proposer="hypothetical",
                date="2024-01-01", summary="Drops stability from the 2012 threat rule.",
                source={"cite": "A test"},
                changes=[{"op": "replace", "rule": "cst.art2.2012.threat_to_member", "with": {
                    "id": "cst.art2.2012.threat_to_member", "concludes": "consultations_required",
                    "value": True, "when": {"all": [{"fact": "requesting_state_participating"},
                                                    {"fact": "threat_to_member", "is": "security"}]},
                    "because": "Only a threat to security requires consultations under this proposal."}}])
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    r = cli("validate", str(out))
    assert r.code == 0, r.err
    r = cli("compare", str(out), "--format", "json")
    assert r.code == 0, r.err


def test_unknown_provision_for_an_amendment_is_one_line(cli, tmp_path):
    r = cli("new", "amendment", "x", "-p", "cst.art44", "-o", str(tmp_path / "x.yaml"))
    assert r.code == 2
    assert "unknown provision 'cst.art44'" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "x.yaml").exists()


def test_provision_template_fails_validate_until_filled(cli, tmp_path):
    law_dir = tmp_path / "law"
    import shutil
    from casus.engine.files.paths import rules_dir
    shutil.copytree(rules_dir(), law_dir)
    out = law_dir / "my" / "article-1.yaml"
    out.parent.mkdir()
    assert cli("new", "provision", "my.art1", "-o", str(out)).code == 0
    r = cli("validate", str(out))
    assert r.code == 2
    assert "in_force.from" in r.err and "is not a date" in r.err
    text = out.read_text(encoding="utf-8").replace("{from: YYYY-MM-DD}", "{from: 2000-01-01}")
    out.write_text(text, encoding="utf-8")
    r = cli("validate", "--rules", str(law_dir), str(out))
    assert r.code == 2 and r.err.count("unknown fact 'TODO'") == 2, r.err
    text = (text.replace('instrument: "TODO: the treaty or agreement, with its place and date of signature"',
                         'instrument: "My Treaty (Somewhere, 1 January 2000)"')
                .replace('article: "TODO"', 'article: "1"')
                .replace('title: "TODO: a short title"', "title: Consultations")
                .replace('question: "TODO: the yes/no question this provision answers (triggered means yes)?"',
                         'question: "Must the parties consult?"')
                .replace('cite: "TODO: where the article text is quoted from (official publisher)"', 'cite: "A treaty"')
                .replace('- id: "TODO"', '- id: "2000"')
                .replace('{description: "TODO: what it means when this is true."}', '{description: "They must consult."}')
                .replace("because: TODO, one line of legal reasoning shown in explanations.", "because: An attack calls for consultations.")
                .replace("because: TODO, why the answer is no.", "because: No attack, no consultations.")
                .replace("TODO: the article text, quoted exactly from the source.",
                         "If a Party is attacked, the others shall consult.")
                .replace('"TODO: the words of the text this rule encodes"', '"a Party is attacked"')
                .replace("{fact: TODO}", "{fact: armed_attack}"))
    out.write_text(text, encoding="utf-8")
    r = cli("validate", "--rules", str(law_dir), str(out))
    assert r.code == 0, r.err
    r = cli("rules", "show", "my.art1", "--rules", str(law_dir), "--format", "json")
    assert r.code == 0, r.err




def test_check_junit_has_a_case_per_property_and_fails_the_conflict(cli, tmp_path):
    from xml.etree import ElementTree as ET
    variant = tmp_path / "contra.yaml"
    variant.write_text(CONFLICTING_AMENDMENT, encoding="utf-8")
    xml = tmp_path / "check.xml"
    r = cli("check", "--variant", str(variant), "--junit", str(xml), "--format", "json", "-n", "20")
    assert r.code == 1, r.err                      # the amendment contradicts the assistance rule
    report = json.loads(r.out)
    suite = ET.parse(xml).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report["properties"])
    failed = {c.get("name").split(" (")[0] for c in cases if c.find("failure") is not None}
    assert failed == {p["property"] for p in report["properties"] if not p["passed"]}
    assert failed
    assert suite.get("failures") == str(len(failed))
