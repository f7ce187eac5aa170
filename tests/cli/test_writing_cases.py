"""Writing cases: `casus new case` scaffolds, `casus cases show`, and hints that name
the case field to set."""

from __future__ import annotations

import json
import re

import yaml

import casus


def test_new_case_scaffold_lists_every_fact_and_fails_validate_until_dated(cli, tmp_path):
    path = tmp_path / "my-case.yaml"
    r = cli("new", "case", "my-case", "-o", str(path))
    assert r.code == 0, r.err
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    vocab = casus.facts()
    for f in vocab["facts"]:
        used = ", ".join(f["used_by"]) or "no provision"
        if f["derived"]:
            assert f"#   {f['fact']}: from {', '.join(f['computed_from'])}; used by {used}" in text
        else:
            kind = " | ".join("true" if v is True else "false" if v is False else v for v in f["values"])
            assert f"  # {f['fact']}: {{value: " in text
            assert f"{f['type']}: {kind}; used by {used}" in text
    for role in vocab["parties"]:
        assert f"# {role}: XX" in text
    # Untouched, the template is no case: validate says what to write, at its line.
    untouched = cli("validate", str(path))
    assert untouched.code == 2 and ":4:1: date: 'YYYY-MM-DD' is not a date" in untouched.err, untouched.err
    # Dated, it still names each placeholder left, one line each.
    text = text.replace("date: YYYY-MM-DD", "date: 2022-01-05")
    path.write_text(text, encoding="utf-8")
    dated = cli("validate", str(path))
    assert dated.code == 2
    assert all("still the template's placeholder" in line for line in dated.err.splitlines()), dated.err
    assert sorted(line.split(": ")[2] for line in dated.err.splitlines()) == \
        ["sources.todo.cite", "summary", "title"], dated.err
    text = (text.replace('title: "TODO: a short title"', "title: My case")
                .replace("  TODO: what happened, in a few sentences.", "  Something happened.")
                .replace('cite: "TODO: author, title, date"', 'cite: "A source"'))
    path.write_text(text, encoding="utf-8")
    assert cli("validate", str(path)).code == 0, cli("validate", str(path)).err
    # Uncommenting a fact's line gives a valid entry.
    filled = re.sub(r"^  # (armed_attack: .*)$", r"  \1", text, flags=re.M)
    filled = re.sub(r"^  # (attack_origin: .*)$", r"  \1", filled, flags=re.M)
    path.write_text(filled, encoding="utf-8")
    assert cli("validate", str(path)).code == 0
    facts = yaml.safe_load(filled)["facts"]
    assert set(facts) == {"armed_attack", "attack_origin"}


def test_new_case_does_not_replace_a_file(cli, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("keep me\n", encoding="utf-8")
    r = cli("new", "case", "x", "-o", str(path))
    assert r.code == 2 and "already exists" in r.err and r.err.count("\n") == 1
    assert path.read_text(encoding="utf-8") == "keep me\n"
    assert cli("new", "case", "Not An Id", "-o", str(tmp_path / "y.yaml")).code == 2


def test_cases_show_prints_the_file_and_its_path(cli):
    from casus.engine.files.paths import cases_dir
    path = cases_dir() / "kazakhstan-2022.yaml"
    r = cli("cases", "show", "kazakhstan-2022")
    assert r.code == 0, r.err
    assert r.out == f"# {path}\n" + path.read_text(encoding="utf-8")
    data = json.loads(cli("cases", "show", "kazakhstan-2022", "-f", "json").out)
    assert data["file"] == str(path)
    bad = cli("cases", "show", "kazakstan-2022")
    assert bad.code == 2 and "did you mean 'kazakhstan-2022'?" in bad.err


def test_an_undetermined_hint_names_the_party_field_not_the_derived_fact(cli, tmp_path):
    # Article 1 binds members: with no acting state named, whether it binds is unknown,
    # and the file cannot set `acting_state_member` (derived): it sets `acting_state`.
    from casus.engine.files.paths import cases_dir
    data = yaml.safe_load((cases_dir() / "belarus-azerbaijan-2022.yaml").read_text(encoding="utf-8"))
    data.pop("acting_state")
    data.pop("expected", None)
    data.pop("expected_variants", None)
    path = tmp_path / "no-actor.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = casus.evaluate(path)
    assert result.outcomes["cst.art1"] == "undetermined"
    assert "acting_state_member" in result.provision("cst.art1")["missing"]
    assert ["acting_state"] in result.provision("cst.art1")["to_set"]
    r = cli("evaluate", str(path), "--explain")
    assert r.code == 0, r.err
    hints = [line for line in r.out.splitlines() if "decided by setting" in line]
    assert hints and not any("acting_state_member" in h for h in hints)
    assert "acting_state" in r.out.split("decided by setting", 1)[1]
