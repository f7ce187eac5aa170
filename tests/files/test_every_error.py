"""Every problem in every file at once, one line each; warnings for likely mistakes."""

from __future__ import annotations

import json

from casus.engine.files.problems import CAP

from conftest import SAMPLE_CASE

# conftest's minimal case, with a response and an expectation for the checks that read them.
GOOD = SAMPLE_CASE + """\
  threat_to_member: {value: security, source: src}
record:
  summary: What the CSTO did.
  responses:
    - {kind: deployment, date: 2022-01-06, summary: forces sent, source: src}
expected:
  cst.art4: {outcome: contested, reasoning: "The parties' versions of the attack differ here."}
"""


def _write(tmp_path, text, name="sample.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _errors(r) -> list[str]:
    return [line for line in r.err.splitlines() if line.startswith("error:")]


def test_three_independent_mistakes_give_three_lines(cli, tmp_path):
    text = (GOOD.replace("armed_attack:", "armed_atack:")                      # unknown fact
                .replace("threat_to_member: {value: security, source: src}",
                         "threat_to_member: {value: security, source: scr}")     # undefined source
                .replace("kind: deployment", "kind: deploymnet"))              # bad response kind
    path = _write(tmp_path, text)
    r = cli("validate", str(path))
    assert r.code == 2 and r.out == ""
    errors = _errors(r)
    assert len(errors) == 3, r.err
    assert any("unknown fact 'armed_atack' (hint: did you mean 'armed_attack'?)" in e for e in errors)
    assert any("source 'scr' is not defined" in e and "did you mean 'src'?" in e for e in errors)
    assert any("'deploymnet'" in e and "did you mean 'deployment'?" in e for e in errors)
    assert all(e.startswith(f"error: {path}:") for e in errors)
    # evaluate reports the same three
    assert len(_errors(cli("evaluate", str(path)))) == 3


def test_a_bad_date_does_not_hide_the_other_mistakes(cli, tmp_path):
    # Issue 16: three independent mistakes, three lines, whatever is wrong with the date.
    for date in ("2022-02-30", "05.01.2022"):
        text = (GOOD.replace("date: 2022-01-05", f"date: {date}")
                    .replace("armed_attack:", "armed_atack:")                  # unknown fact
                    .replace("value: security", "value: securty"))             # bad enum value
        path = _write(tmp_path, text)
        r = cli("validate", str(path))
        errors = _errors(r)
        assert r.code == 2 and len(errors) == 3, r.err
        assert any(f":3:1: date: '{date}' is not a date" in e for e in errors)
        assert any("unknown fact 'armed_atack'" in e for e in errors)
        assert any("has no value 'securty'" in e and "did you mean 'security'?" in e for e in errors)
        data = json.loads(cli("validate", str(path), "-f", "json").out)
        assert len(data[0]["errors"]) == 3


def test_schema_and_reference_mistakes_are_reported_together(cli, tmp_path):
    text = (GOOD.replace("summary: Something", "sumary: Something")            # misspelt field
                .replace("armed_attack:", "armed_atack:")                      # unknown fact
                .replace("outcome: contested", "outcome: contestd"))           # bad outcome
    r = cli("validate", str(_write(tmp_path, text)))
    errors = _errors(r)
    assert r.code == 2 and len(errors) == 3, r.err
    assert any("unknown field 'sumary' (hint: did you mean 'summary'?)" in e for e in errors)
    assert any("did you mean 'contested'?" in e for e in errors)
    assert any("unknown fact 'armed_atack'" in e for e in errors)


def test_every_file_is_reported_and_json_lists_them(cli, tmp_path):
    a = _write(tmp_path, GOOD.replace("armed_attack:", "armed_atack:"), "sample.yaml")
    b = _write(tmp_path, GOOD.replace("id: sample", "id: other").replace("provisions", "x")
               .replace("cst.art4:", "cst.art44:"), "other.yaml")
    ok = _write(tmp_path, GOOD.replace("id: sample", "id: fine"), "fine.yaml")
    r = cli("validate", str(a), str(b), str(ok))
    assert r.code == 2
    assert {e.split(":", 2)[1].strip() for e in _errors(r)} == {str(a), str(b)}
    assert "did you mean 'cst.art4'?" in r.err
    assert f"ok {ok}" in r.out
    data = json.loads(cli("validate", str(a), str(b), str(ok), "-f", "json").out)
    assert [(d["file"], d["valid"], len(d["errors"])) for d in data] == [(str(a), False, 1), (str(b), False, 1),
                                                                         (str(ok), True, 0)]
    r = cli("evaluate", str(a), str(b), str(ok))
    assert r.code == 2 and r.out == "" and len(_errors(r)) == 2, r.err
    # With --format json the errors are in the document on stdout too, and no results.
    r = cli("evaluate", str(a), str(b), str(ok), "-f", "json")
    assert r.code == 2 and len(_errors(r)) == 2, r.err
    doc = json.loads(r.out)
    assert doc["cases"] == [] and [e["file"] for e in doc["errors"]] == [str(a), str(b)]
    assert [f"error: {e['text']}" for e in doc["errors"]] == _errors(r)


def test_many_mistakes_are_capped_with_a_count(cli, tmp_path):
    facts = "".join(f"  unknown_{i}: {{value: true, source: src}}\n" for i in range(CAP + 7))
    path = _write(tmp_path, GOOD.replace("facts:\n", "facts:\n" + facts))
    r = cli("validate", str(path))
    lines = r.err.splitlines()
    assert r.code == 2 and len(lines) == CAP + 1
    assert lines[-1] == "... and 7 more (--format json lists them all)"
    data = json.loads(cli("validate", str(path), "-f", "json").out)
    assert len(data[0]["errors"]) == CAP + 7


def test_warnings_for_likely_mistakes_do_not_fail(cli, tmp_path):
    text = (GOOD.replace("date: 2022-01-06", "date: 2021-12-30")               # response before the events
                .replace("date: 2022-01-05", "date: 2099-01-05"))              # case date in the future
    path = _write(tmp_path, text, "not-the-id.yaml")                           # id differs from the file name
    r = cli("validate", str(path))
    assert r.code == 0, r.err
    warnings = [line for line in r.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3, r.err
    assert any("case id 'sample' differs from the file name 'not-the-id.yaml'" in w for w in warnings)
    assert any("case date 2099-01-05 is in the future" in w for w in warnings)
    assert any("response dated 2021-12-30 is before the events of the case" in w for w in warnings)
    data = json.loads(cli("validate", str(path), "-f", "json").out)
    assert data[0]["valid"] and len(data[0]["warnings"]) == 3


def test_a_value_neither_boolean_nor_text_is_one_mistake_saying_so(cli, tmp_path):
    """A field that takes true, false or text (a fact's value) gets one line for a number or
    a list, which says so, not "is not true or false" and again "should be text"."""
    text = (GOOD.replace("armed_attack: {value: true, source: src}", "armed_attack: {value: 5, source: src}")
                .replace("threat_to_member: {value: security, source: src}", "threat_to_member: {value: [1], source: src}"))
    r = cli("validate", str(_write(tmp_path, text)))
    errors = _errors(r)
    assert r.code == 2 and len(errors) == 2, r.err
    assert any("facts.armed_attack.value: 5 is not true, false or text" in e for e in errors)
    assert any("facts.threat_to_member.value: a list is not true, false or text" in e for e in errors)
    assert "is not true or false" not in r.err and "should be text" not in r.err


def test_a_file_of_the_other_kind_is_one_line_saying_so(cli, tmp_path):
    # A variant given as a case (and a case given as a variant) used to list every field
    # the two kinds do not share, the id's 'source' "did you mean 'source'?" among them.
    from casus.engine.files.paths import rules_dir
    variant = _write(tmp_path, (rules_dir() / "amendments" / "majority-voting.yaml").read_text(), "v.yaml")
    case = _write(tmp_path, GOOD)
    for args, said in ((("evaluate", str(variant)), "this is an amendment file (a variant of the law), not a case"),
                       (("compare", str(case)), "this is a case file, not an amendment"),
                       (("evaluate", "kazakhstan-2022", "--variant", str(case)), "this is a case file, not an amendment")):
        r = cli(*args)
        errors = _errors(r)
        assert r.code == 2 and len(errors) == 1, (args, r.err)
        assert errors[0].startswith(f"error: {args[-1]}:1:1: {said}"), errors[0]
        assert "Traceback" not in r.err
    # validate reads each file as the kind it is: both are valid
    assert cli("validate", str(variant), str(case)).code == 0
