"""Explanations (--explain), the HTML/Markdown report, the rule graph and `casus rules`."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from casus.engine.files.paths import shipped_cases


def _rule_nodes(tree: dict):
    for node in tree.get("rules", []) + tree.get("established", []):
        yield from _walk(node)


def _walk(node: dict):
    yield node
    for sub in node["conclusions"]:
        yield from _walk(sub)


def test_explain_names_the_rules_that_fired_in_durable_rules(cli):
    data = json.loads(cli("evaluate", "kazakhstan-2022", "--explain", "-f", "json").out)["cases"][0]
    art4 = next(p for p in data["provisions"] if p["id"] == "cst.art4")
    exp = art4["explanation"]
    assert exp["outcome"] == "contested"
    assert exp["agreed"]["would_decide"] == [["attack_origin"]]
    kz = exp["perspectives"]["KZ"]
    fired_kz = set(art4["perspectives"]["KZ"]["fired"])
    nodes = list(_rule_nodes(kz))
    assert {n["rule"] for n in nodes} == {"cst.art4.2012.assistance", "cst.art4.2012.aggression",
                                          "cst.art4.applicable", "cst.art4.attack_continues",
                                          "cst.art4.beyond_self_defence"}
    trace = {(t["rule"], t["stratum"]) for t in art4["perspectives"]["KZ"]["trace"]}
    for node in nodes:
        assert node["rule"] in fired_kz and (node["rule"], node["stratum"]) in trace
        # a conclusion the rule matched was derived by the engine in an earlier stratum
        assert all(sub["stratum"] < node["stratum"] for sub in node["conclusions"])
    assistance = next(n for n in nodes if n["rule"] == "cst.art4.2012.assistance")
    assert {sub["rule"] for sub in assistance["conclusions"]} == {"cst.art4.2012.aggression",
                                                                  "cst.art4.attack_continues"}
    # the claim behind the decisive fact, with its claimant and source
    origin = next(f for n in nodes for f in n["facts"] if f["fact"] == "attack_origin")
    assert origin["value"] == "external_non_state" and origin["claimant"] == "KZ"
    assert origin["source"] == "qazaqtv-chronology"
    # the article text and the words the rule applies
    assert "at request of this Member State" in exp["article"]["text"]
    assistance = next(n for n in nodes if n["rule"] == "cst.art4.2012.assistance")
    assert assistance["quote"] in exp["article"]["text"]


def test_explain_undetermined_names_the_deciding_facts_and_variant_changes(cli):
    data = json.loads(cli("evaluate", "belarus-azerbaijan-2022", "--explain", "-f", "json").out)["cases"][0]
    exp = data["provisions"][0]["explanation"]
    assert exp["outcome"] == "undetermined"
    assert exp["agreed"]["would_decide"] == [["directed_against_member"]]
    assert {n["rule"] for n in exp["agreed"]["established"]} == {"cst.art1.applicable", "cst.art1.took_part"}
    data = json.loads(cli("evaluate", "kazakhstan-2022", "--variant", "art4-internal-crises", "--explain",
                          "-f", "json").out)["cases"][0]
    art4 = next(p for p in data["provisions"] if p["id"] == "cst.art4")
    changed = {n["rule"] for t in art4["explanation"]["perspectives"].values() for n in _rule_nodes(t)
               if n.get("changed_by_variant")}
    # the variant's own rule, and its assistance rule (help by invitation, not Article 51 alone)
    assert changed == {"cst.art4.2012.internal_crisis", "cst.art4.2012.assistance"}


def test_explain_text_tree(cli):
    out = cli("evaluate", "kazakhstan-2022", "--explain").out
    assert "perspective KZ" in out and "perspective observers" in out
    flat = re.sub(r"\s*\n[│ ]*", " ", out)     # the tree's lines as wrapped to the terminal, joined
    assert re.search(r"assistance_owed = true <- rule cst\.art4\.2012\.assistance fired in stratum 3", flat)
    assert "claimed by observers" in out
    # An established fact is no contest: one tree, the independent account cited.
    out = cli("evaluate", "armenia-2022", "--explain").out
    assert "perspective AZ" not in out and "attack_target = own_territory" in out


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.tags, self.text = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def corpus_html(tmp_path_factory):
    from conftest import run_cli
    out = tmp_path_factory.mktemp("report") / "corpus.html"
    r = run_cli("report", "-o", str(out))
    assert r.code == 0, r.err
    return out.read_text(encoding="utf-8")


def test_html_report_has_every_case_provision_and_source(corpus_html, law):
    from casus.engine.law.cases import read_case_file
    page = _Collect()
    page.feed(corpus_html)
    text = " ".join(page.text)
    for path in shipped_cases():
        case = read_case_file(path, law)
        assert f"case-{case.id}" in page.ids
        for pid in case.provisions or law.provisions:
            assert pid in text
        for key, src in case.sources.items():
            anchor = "src-" + re.sub(r"[^A-Za-z0-9_-]", "-", f"{case.id}/{key}")
            assert anchor in page.ids, anchor
            assert src.cite in text
    # every internal link resolves; nothing is fetched from anywhere
    for href in page.hrefs:
        if href.startswith("#"):
            assert href[1:] in page.ids, href
    assert not [t for t, a in page.tags if t in ("script", "img", "link", "iframe")]
    assert "<style>" in corpus_html


def test_html_report_is_byte_identical_and_written_atomically(cli, tmp_path, corpus_html):
    out = tmp_path / "again.html"
    assert cli("report", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8") == corpus_html
    assert not list(tmp_path.glob(".*.tmp"))


def test_markdown_and_variant_reports(cli, tmp_path):
    md = tmp_path / "two.md"
    assert cli("report", "kazakhstan-2022", "armenia-2022", "-o", str(md)).code == 0
    text = md.read_text(encoding="utf-8")
    assert "| [kazakhstan-2022](#case-kazakhstan-2022) |" in text and "## Sources" in text
    assert "corriere-2022-01-05" in text
    html = tmp_path / "v.html"
    assert cli("report", "--variant", "art4-internal-crises", "-o", str(html)).code == 0
    page = html.read_text(encoding="utf-8")
    assert 'class="flip"' in page and "(changed by the variant)" in page


def test_report_refuses_an_unknown_format(cli, tmp_path):
    r = cli("report", "-o", str(tmp_path / "x.pdf"))
    assert r.code == 2 and "FILE.html, FILE.md or FILE.json" in r.err
    assert not (tmp_path / "x.pdf").exists()


def _parse_mermaid(text: str):
    lines = [l.strip() for l in text.strip().splitlines()]
    assert lines[0] == "flowchart LR"
    declared, referenced = {}, set()
    node = re.compile(r'^(n_\w+)(\(\[|\[\[|\{\{|\[)"(.*)"(\]\)|\]\]|\}\}|\])$')
    edge = re.compile(r"^(n_\w+) -->(?:\|[^|]*\|)? (n_\w+)$")
    for line in lines[1:]:
        if m := node.match(line):
            declared[m.group(1)] = m.group(3)
        elif m := edge.match(line):
            referenced.update(m.groups())
        elif line.startswith(("classDef ", "class ")):
            if line.startswith("class "):
                referenced.update(line.split()[1].split(","))
        else:
            raise AssertionError(f"not a Mermaid flowchart line: {line}")
    return declared, referenced


def test_mermaid_graph_declares_every_node_and_covers_every_rule(cli, law):
    declared, referenced = _parse_mermaid(cli("graph", "--format", "mermaid").out)
    assert referenced <= set(declared)
    labels = set(declared.values())
    for prov in law.provisions.values():
        for v in prov.versions:
            for rule in v.rules:
                assert rule.id in labels
    variant, _ = _parse_mermaid(cli("graph", "--variant", "pk-2023-no-unsc").out)
    assert "pk.art3.non_member_appeal" in set(variant.values())


def test_dot_graph(cli):
    dot = cli("graph", "--format", "dot").out
    assert dot.startswith("digraph casus {") and dot.rstrip().endswith("}")
    assert '"rule:cst.art4.2012.assistance" -> "conclusion:cst.art4:assistance_owed" [label="true"];' in dot


def test_rules_list_and_show(cli):
    r = cli("rules", "--format", "json")
    data = json.loads(r.out)
    art4 = next(p for p in data["provisions"] if p["id"] == "cst.art4")
    assert [v["id"] for v in art4["versions"]] == ["1992", "2012"]
    assert {v["id"] for v in data["variants"]} >= {"pk-2023-no-unsc", "frozen-as-suspended"}
    shown = cli("rules", "show", "cst.art4", "--at", "2022-01-01").out
    assert "at request of this Member State" in shown and "cst.art4.2012.assistance" in shown
    assert "version 1992" not in shown
    bad = cli("rules", "show", "cst.art44")
    assert bad.code == 2 and "did you mean 'cst.art4'?" in bad.err
