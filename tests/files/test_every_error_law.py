"""Every problem at once in provision and amendment files too (`casus validate`, a --rules
directory, a --variant file): one line each, and every one in --format json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from casus.engine.files.paths import rules_dir

ARTICLE_2 = Path(rules_dir()) / "cst" / "article-2.yaml"
MAJORITY = Path(rules_dir()) / "amendments" / "majority-voting.yaml"


def _errors(r) -> list[str]:
    return [line for line in r.err.splitlines() if line.startswith("error:")]


def _provision_with_three_mistakes() -> str:
    text = ARTICLE_2.read_text(encoding="utf-8")
    text = text.replace("text_source: official-1992", "text_source: oficial-1992", 1)         # undefined source
    text = text.replace("- {fact: threat_to_member, is: security}",
                        "- {fact: threat_to_membr, is: security}", 1)                         # unknown fact
    text = text.replace("concludes: consultations_required\n        value: false",
                        "concludes: consultations_requird\n        value: false", 1)           # unknown conclusion
    return text


def test_a_provision_file_with_three_mistakes_gives_three_lines(cli, tmp_path):
    path = tmp_path / "article-2.yaml"
    path.write_text(_provision_with_three_mistakes(), encoding="utf-8")
    r = cli("validate", str(path))
    errors = _errors(r)
    assert r.code == 2 and len(errors) == 3, r.err
    assert all(e.startswith(f"error: {path}:") for e in errors)
    assert any("'oficial-1992'" in e and "did you mean 'official-1992'?" in e for e in errors)
    assert any("threat_to_membr" in e and "did you mean 'threat_to_member'?" in e for e in errors)
    assert any("consultations_requird" in e and "did you mean 'consultations_required'?" in e for e in errors)
    [report] = json.loads(cli("validate", str(path), "-f", "json").out)
    assert report["kind"] == "provision" and not report["valid"] and len(report["errors"]) == 3


def test_schema_mistakes_of_a_provision_are_reported_together(cli, tmp_path):
    text = ARTICLE_2.read_text(encoding="utf-8")
    text = text.replace("outcomes: [triggered, not_triggered]", "outcomes: [triggered, not_trigered]")
    text = text.replace("        because: A threat to international peace", "        becuase: A threat to international peace", 1)
    path = tmp_path / "article-2.yaml"
    path.write_text(text, encoding="utf-8")
    r = cli("validate", str(path))
    errors = _errors(r)
    assert r.code == 2 and len(errors) == 2, r.err
    assert any("'not_trigered'" in e and "did you mean 'not_triggered'?" in e for e in errors)
    assert any("becuase" in e and "did you mean 'because'?" in e for e in errors)


def _amendment_with_three_mistakes() -> str:
    text = MAJORITY.read_text(encoding="utf-8")
    text = text.replace("affects: [cst.art7]", "affects: [cst.art7, cst.art77]")                # unknown provision
    text = text.replace("rule: cst.art7.2011.objection_or_no_consultation",
                        "rule: cst.art7.2011.objection_or_no_consultaton")                   # unknown rule
    text = text.replace("          - {fact: urgent_consultations_held}\n          - {not: {fact: majority_objection}}",
                        "          - {fact: urgent_consultations_hld}\n          - {not: {fact: majority_objection}}")
    assert "urgent_consultations_hld" in text                                                 # unknown fact
    return text


def test_an_amendment_file_with_three_mistakes_gives_three_lines(cli, tmp_path):
    path = tmp_path / "majority-voting.yaml"
    path.write_text(_amendment_with_three_mistakes(), encoding="utf-8")
    r = cli("validate", str(path))
    errors = _errors(r)
    assert r.code == 2 and len(errors) == 3, r.err
    assert any("unknown provision 'cst.art77'" in e and "did you mean 'cst.art7'?" in e for e in errors)
    assert any("unknown rule 'cst.art7.2011.objection_or_no_consultaton'" in e and "did you mean" in e for e in errors)
    assert any("urgent_consultations_hld" in e and "did you mean 'urgent_consultations_held'?" in e for e in errors)
    # A mistake in a rule the amendment brings in is placed where the amendment writes it.
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "urgent_consultations_hld" in text)
    assert any(e.startswith(f"error: {path}:{line}:") and "urgent_consultations_hld" in e for e in errors), errors
    [report] = json.loads(cli("validate", str(path), "-f", "json").out)
    assert report["kind"] == "amendment" and len(report["errors"]) == 3
    # The same file as a --variant: the same three lines.
    r = cli("evaluate", "kyrgyzstan-manas-2013", "--variant", str(path))
    assert r.code == 2 and sorted(_errors(r)) == sorted(errors), r.err


def test_a_rules_directory_reports_every_bad_file(cli, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / "cst" / "article-2.yaml").write_text(_provision_with_three_mistakes(), encoding="utf-8")
    article_7 = rules / "cst" / "article-7.yaml"
    article_7.write_text(article_7.read_text(encoding="utf-8").replace("id: cst.art7\n", "idd: cst.art7\n", 1),
                         encoding="utf-8")
    for command in (("evaluate", "kazakhstan-2022"), ("rules",), ("validate", str(rules / "cst" / "article-4.yaml"))):
        r = cli(*command, "--rules", str(rules))
        errors = _errors(r)
        assert r.code == 2 and len(errors) == 4, (command, r.err)
        assert sum(str(rules / "cst" / "article-2.yaml") in e for e in errors) == 3
        assert any(str(article_7) in e and "did you mean 'id'?" in e for e in errors)
    doc = json.loads(cli("evaluate", "kazakhstan-2022", "--rules", str(rules), "-f", "json").out)
    assert len(doc["errors"]) == 4 and doc["cases"] == []
