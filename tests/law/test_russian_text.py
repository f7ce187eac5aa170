"""The authentic Russian text beside the English: every note and quote is held to both texts,
`validate --strict` holds a provision file to them, and the Russian survives every output."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from casus.engine.law.amendments import with_variants
from casus.engine.files.paths import package_dir

from subproc import CASUS

PROVISION_FILES = sorted(package_dir("rules").glob("*/*.yaml"))
PROVISIONS = [p for p in PROVISION_FILES if p.parent.name != "amendments"]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _versions(law):
    """The versions of the provisions whose authentic texts include the Russian (the CST's)."""
    for prov in law.provisions.values():
        if "ru" not in prov.authentic:
            continue
        for v in prov.versions:
            yield prov, v


def test_every_translation_note_quotes_both_texts(law):
    notes = [(prov.id, v.id, n) for prov, v in _versions(law) for n in v.translation_notes]
    assert notes, "the shipped law has translation notes"
    for pid, vid, n in notes:
        assert _flat(n.en) in _flat(v_text(law, pid, vid, "text")), (pid, vid, n.en)
        assert _flat(n.ru) in _flat(v_text(law, pid, vid, "text_ru")), (pid, vid, n.ru)
        assert re.search("[А-Яа-я]", n.ru) and not re.search("[А-Яа-я]", n.en), (pid, vid)


def v_text(law, pid: str, vid: str, key: str) -> str:
    return next(getattr(v, key) for v in law.provisions[pid].versions if v.id == vid)


def test_every_quote_has_its_russian_words_in_the_russian_text(law):
    checked = 0
    for prov, v in _versions(law):
        if v.text_ru is None:
            assert v.text_ru_note, f"{prov.id} {v.id}: no Russian text and no note saying why"
            continue
        for en, ru in v.quotes_ru.items():
            assert _flat(en) in _flat(v.text) and _flat(ru) in _flat(v.text_ru), (prov.id, v.id, en)
        for rule in v.rules:
            if rule.quote:
                assert rule.quote in v.quotes_ru, (prov.id, v.id, rule.id)
                checked += 1
    assert checked >= 15


def test_the_cst_articles_carry_russian_where_it_was_found(law):
    # The articles whose Russian was found and cited (the rest say why in text_ru_note).
    found = {(p.id, v.id) for p, v in _versions(law) if v.text_ru}
    assert {("cst.art1", "1992"), ("cst.art1.force", "1992"), ("cst.art2", "2012"), ("cst.art4", "1992"),
            ("cst.art7", "1992"), ("cst.art7", "2011"), ("pk.art3", "2007")} <= found
    art4 = law.provisions["cst.art4"]
    assert "подвергнется агрессии" in art4.versions[0].text_ru


def test_every_in_force_date_cites_a_source_with_its_quote(law):
    for prov, v in _versions(law):
        assert v.in_force.source in prov.sources and v.in_force.quote, (prov.id, v.id)


def _provision(tmp_path: Path, name: str, edit) -> Path:
    """A copy of a shipped provision file, changed by `edit` (on its plain data)."""
    src = package_dir("rules") / "cst" / name
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, message, count", [
    (lambda d: d["versions"][0]["quotes_ru"].update({"as well as in actions": "а также в бездействии"}),
     "quotes Russian words that are not in its 'text_ru': 'а также в бездействии'", 1),
    # A Russian text that lost its words: each of the three Russian quotes and the translation
    # note's Russian words is one error.
    (lambda d: d["versions"][0].update(text_ru="Государства - участники не будут вступать в союзы."),
     "Russian words that are not in its 'text_ru'", 4),
    (lambda d: d["versions"][0].update(translation_notes=[{"en": "military alliances", "ru": "военные блоки",
                                                           "note": "a note"}]),
     "translation note 1 of version '1992' quotes Russian words", 1),
    (lambda d: d["versions"][0].update(translation_notes=[{"en": "military blocs", "ru": "военные союзы",
                                                           "note": "a note"}]),
     "translation note 1 of version '1992' quotes English words", 1),
    (lambda d: d["versions"][0].update(text_ru_source="nowhere"), "source 'nowhere' is not defined", 1),
    (lambda d: d["versions"][0]["in_force"].update(source="nowhere"), "source 'nowhere' is not defined", 1),
])
def test_a_russian_quote_or_note_off_its_text_is_a_located_error(cli, tmp_path, edit, message, count):
    path = _provision(tmp_path, "article-1.yaml", edit)
    r = cli("validate", str(path))
    assert r.code == 2
    lines = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert len(lines) == count and all(message in line for line in lines), r.err
    assert re.match(rf"error: {re.escape(str(path))}:\d+:\d+: ", lines[0]), lines[0]


def test_the_shipped_provisions_pass_strict(cli):
    r = cli("validate", "--strict", *map(str, PROVISIONS))
    assert r.code == 0, r.err


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["versions"][0]["quotes_ru"].pop("as well as in actions"),
     "rule 'cst.art1.took_part' quotes the English text, but 'quotes_ru' of version '1992' gives no Russian"),
    (lambda d: [d["versions"][0].pop(k) for k in ("text_ru", "text_ru_source", "quotes_ru", "translation_notes")],
     "version '1992' has no Russian text and no 'text_ru_note' saying why"),
    (lambda d: d["versions"][0]["in_force"].pop("source"), "its in-force date cites no source with a quote"),
])
def test_strict_holds_a_provision_to_its_russian_text_and_dated_sources(cli, tmp_path, edit, message):
    path = _provision(tmp_path, "article-1.yaml", edit)
    assert cli("validate", str(path)).code == 0            # legal: only strict asks for these
    r = cli("validate", "--strict", str(path))
    assert r.code == 2 and message in r.err, r.err


def test_rules_show_lang_ru_prints_the_russian_of_every_version(cli, law):
    r = cli("rules", "show", "cst.art4", "--lang", "ru")
    assert r.code == 0, r.err
    out = _flat(r.out)
    assert _flat(law.provisions["cst.art4"].versions[0].text_ru) in out
    assert "version 2012" in out and "no Russian text" in out        # and says why for the one not found
    assert _flat(law.provisions["cst.art4"].versions[1].text_ru_note) in out
    assert "applies «подвергнется агрессии" in out                    # each quote's Russian words
    english = _flat(cli("rules", "show", "cst.art4").out)
    assert "Если одно из государств" not in english and "If one of the States Parties" in english


def test_rules_show_json_carries_both_languages(cli):
    r = cli("rules", "show", "pk.art3", "--format", "json")
    v = json.loads(r.out)["versions"][0]
    assert v["text"].startswith("In accordance with Article 3")
    assert v["text_ru"].startswith("В соответствии со ст. 3")
    assert v["translation_notes"][0]["ru"] == "официального обращения этого государства"
    assert v["in_force"]["source"] == "uzdaily-2008"


def test_a_variant_that_replaces_the_english_drops_the_russian(law):
    variant = with_variants(law, "pk-2023-no-unsc")
    v = variant.provisions["pk.art3"].versions[0]
    assert "proposed addition" in v.text
    assert v.text_ru is None and not v.translation_notes and not v.quotes_ru and v.text_ru_note
    assert law.provisions["pk.art3"].versions[0].text_ru is not None      # the base law keeps it


def test_the_report_and_the_explanation_show_the_russian(cli, tmp_path):
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    assert cli("report", "kyrgyzstan-2010", "-o", str(html)).code == 0
    assert cli("report", "kyrgyzstan-2010", "-o", str(md)).code == 0
    for path in (html, md):
        text = path.read_text(encoding="utf-8")
        assert "Если одно из государств - участников подвергнется агрессии" in text, path
        assert "официального обращения этого государства" in text, path
        assert "translation note" in text.lower(), path
    assert '<q lang="ru">Если одно из государств' in html.read_text(encoding="utf-8")   # its language marked
    out = cli("evaluate", "kyrgyzstan-2010", "--explain", "--format", "json").out
    article = next(p["explanation"]["article"] for p in json.loads(out)["cases"][0]["provisions"]
                   if p["id"] == "pk.art3")
    assert article["text_ru"].startswith("В соответствии") and article["translation_notes"]


def test_russian_survives_a_terminal_that_cannot_write_it():
    # A pipe in ASCII: the JSON stays valid (\\uXXXX escapes) and the text output does not fail.
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    run = [*CASUS, "rules", "show", "cst.art1"]
    js = subprocess.run(run + ["--format", "json"], capture_output=True, env=env, check=True)
    assert json.loads(js.stdout.decode("ascii"))["versions"][0]["text_ru"].startswith("Государства")
    text = subprocess.run(run + ["--lang", "ru"], capture_output=True, env=env, check=True)
    assert b"\\u0413" in text.stdout                          # Г, escaped rather than lost


def test_the_explorer_shows_the_russian_beside_the_english():
    from fastapi.testclient import TestClient

    from casus.web.app import create_app
    with TestClient(create_app(workers=1, timeout=120), base_url="http://localhost") as client:
        html = client.get("/explore/kyrgyzstan-2010").text
        # a rule's quote: Article 3 decides Kazakhstan's case (Kyrgyzstan's request is unknown)
        kz = client.get("/explore/kazakhstan-2022").text
    assert '<blockquote lang="ru">Если одно из государств - участников подвергнется агрессии' in html
    assert '<q lang="ru">официального обращения этого государства</q>' in html      # the translation note
    assert "Russian text: none here." in html                       # Article 2 (1992): says why
    assert '<blockquote lang="ru">на основании соответствующего официального обращения' in kz  # a rule's quote


def test_each_rule_quote_in_an_explanation_has_its_russian_words(cli):
    out = json.loads(cli("evaluate", "kyrgyzstan-2010", "--explain", "--format", "json").out)
    nodes = []

    def walk(node):
        nodes.append(node)
        for sub in node.get("conclusions", ()):
            walk(sub)
    for p in out["cases"][0]["provisions"]:
        for node in (p["explanation"].get("agreed") or {}).get("rules", ()):
            walk(node)
    quoted = [n for n in nodes if n.get("quote")]
    assert quoted and all(n["quote_ru"] for n in quoted if n["rule"].startswith(("pk.art3", "cst.art4.1992")))
