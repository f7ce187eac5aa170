"""`casus graph --case ID`: the provisions the case uses, with the rules that fired for it marked."""

from __future__ import annotations

import json

from casus.engine.analysis.graph import fired_rules


def test_graph_case_marks_exactly_the_rules_that_fired(cli, law, evaluator):
    from casus.engine.api import find_case
    from casus.engine.law.cases import read_case_file
    result = evaluator.evaluate(read_case_file(find_case("armenia-2022"), law))
    fired = fired_rules(result)
    r = cli("graph", "--case", "armenia-2022", "-f", "json")
    assert r.code == 0, r.err
    g = json.loads(r.out)
    assert {n["id"] for n in g["nodes"] if n["kind"] == "provision"} == {
        f"provision:{p.provision.id}" for p in result.provisions}
    assert {n["id"][len("rule:"):] for n in g["nodes"] if n["kind"] == "rule" and n["fired"]} == fired
    # Only the versions in force on the case date: no 1992 rule of Article 4 appears in a 2022 case.
    assert not any(n["id"].startswith("rule:cst.art4.1992.") for n in g["nodes"])


def test_graph_case_as_mermaid_dot_and_svg(cli, tmp_path):
    mermaid = cli("graph", "--case", "kazakhstan-2022").out
    assert "classDef fired" in mermaid and "class " in mermaid.split("classDef fired", 1)[1]
    dot = cli("graph", "--case", "kazakhstan-2022", "-f", "dot").out
    assert 'penwidth=3' in dot
    out = tmp_path / "g.svg"
    r = cli("graph", "--case", "kazakhstan-2022", "-f", "svg", "-o", str(out))
    assert r.code == 0, r.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<svg") and ":fired" in text and "<script" not in text
    assert "classDef fired" not in cli("graph").out          # the whole law: nothing is marked


def test_graph_svg_needs_a_case(cli):
    r = cli("graph", "-f", "svg")
    assert r.code == 2 and "--case" in r.err
