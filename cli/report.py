"""Rendering a report (from casus.engine.explain.report) as self-contained HTML or Markdown.

The HTML has inline CSS, no scripts and no external assets: it opens offline and
prints well. Renderers decide nothing; they lay out what the engine returned.
"""

from __future__ import annotations

from html import escape as h

CSS = """
body{font:15px/1.5 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d2430;max-width:1100px;margin:2em auto;padding:0 1em}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #dfe3ea;padding-bottom:.2em;margin-top:2em}
h3{margin-bottom:.3em}table{border-collapse:collapse;width:100%;margin:1em 0}
th,td{border:1px solid #dfe3ea;padding:.35em .6em;text-align:left;vertical-align:top}td:nth-child(2){white-space:nowrap}th{background:#f3f5f9}
.o{display:inline-block;padding:0 .5em;border-radius:.8em;font-size:.85em;font-weight:600;white-space:nowrap}
.triggered{background:#dff3e4;color:#1a6b32}.not_triggered{background:#fbe3e1;color:#962d22}
.undetermined{background:#fff3cd;color:#7a5b00}.contested{background:#efe1fb;color:#6a2b96}
.not_applicable{background:#eceff3;color:#59606b}.flip{outline:2px solid #6a2b96}
blockquote{margin:.5em 0;padding:.4em .8em;border-left:4px solid #c9d1de;background:#f8f9fb;color:#333}
ul.tree{list-style:none;padding-left:1.2em;border-left:1px dotted #c9d1de;margin:.2em 0}
ul.tree li{margin:.25em 0}.rule{font-weight:600}.because{font-style:italic;color:#39414d}
.fact{color:#2a3d5c}.meta{color:#6b7380;font-size:.85em}.changed{color:#6a2b96;font-weight:600}
.div{background:#fff8e6;border:1px solid #f0d48a;padding:.3em .6em;border-radius:4px;margin:.3em 0}
.src{font-size:.9em}details>summary{cursor:pointer;font-weight:600}code{font-size:.9em}
figure.chart{margin:1em 0;overflow-x:auto}figure.chart svg{max-width:100%;height:auto}figcaption{color:#6b7380;font-size:.85em}
"""


def _badge(outcome: str | None) -> str:
    return f'<span class="o {h(outcome or "")}">{h(outcome or "-")}</span>'


def _src_id(key: str) -> str:
    return "src-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in key)


def _value(v) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def _fact_html(case_id: str, f: dict) -> str:
    text = f'<span class="fact">fact <code>{h(f["fact"])}</code> = <b>{h(_value(f["value"]))}</b></span>'
    if "derived" in f:
        text += f' <span class="meta">derived: {h(f["derived"])}' + (f' ({h(f["cite"])})' if f.get("cite") else "") + "</span>"
        return text
    if f.get("presumed"):
        return text + f' <span class="meta">presumed (the case is silent): {h(f.get("basis", ""))}</span>'
    if f.get("claimant"):
        text += f' <span class="meta">claimed by <b>{h(f["claimant"])}</b></span>'
    if f.get("note"):
        text += f' — {h(f["note"])}'
    if f.get("source"):
        key = f"{case_id}/{f['source']}"
        text += f' <span class="src">[<a href="#{_src_id(key)}">{h(f["source"])}</a>]</span>'
    return text


def _rule_html(case_id: str, rule: dict) -> str:
    changed = ' <span class="changed">(changed by the variant)</span>' if rule.get("changed_by_variant") else ""
    fired = f'fired in stratum {rule["stratum"]}' if "stratum" in rule else ""
    out = [f'<li><span class="rule"><code>{h(rule["concludes"])}</code> = {h(_value(rule["value"]))} '
           f'&larr; rule <code>{h(rule["rule"])}</code></span>{changed} <span class="meta">{fired}</span>'
           f'<div class="because">{h(rule["because"])}</div>']
    if rule.get("quote"):
        out.append(f'<div>applies: <q>{h(rule["quote"])}</q></div>')
    children = [f"<li>{_fact_html(case_id, f)}</li>" for f in rule["facts"]]
    children += [_rule_html(case_id, sub) for sub in rule["conclusions"]]
    if children:
        out.append('<ul class="tree">' + "".join(children) + "</ul>")
    out.append("</li>")
    return "".join(out)


def _sets(sets: list) -> str:
    return " or ".join("{" + ", ".join(s) + "}" for s in sets[:4]) or "no fact"


def _tree_html(case_id: str, tree: dict) -> str:
    items = [_rule_html(case_id, r) for r in tree["rules"]]
    if tree.get("established"):
        items.append("<li>established so far:<ul class=\"tree\">"
                     + "".join(_rule_html(case_id, r) for r in tree["established"]) + "</ul></li>")
    if tree["outcome"] == "undetermined":
        items.append(f"<li>would be decided by knowing: <code>{h(_sets(tree.get('would_decide', [])))}</code></li>")
    if tree.get("conflicts"):
        items.append(f"<li><b>conflict</b>: derived both true and false: {h(', '.join(tree['conflicts']))}</li>")
    return '<ul class="tree">' + "".join(items) + "</ul>"


def _explanation_html(case_id: str, exp: dict) -> str:
    if "note" in exp:
        return f"<p>{h(exp.get('note') or '')}</p>"
    art = exp["article"]
    out = [f'<blockquote>{h(art["instrument"])}, Art. {h(art["article"])}, version {h(art["version"])} '
           f'(in force {h(art["in_force"]["from"])} .. {h(art["in_force"]["to"] or "today")}): '
           f'<q>{h(art["text"])}</q><br><span class="meta">— {h(art["cite"])}</span></blockquote>']
    persp = exp.get("perspectives", {})
    if persp and exp["agreed"]["outcome"] == "undetermined":
        out.append(f"<p>On the facts every party agrees on: {_badge('undetermined')}, decided by "
                   f"<code>{h(_sets(exp['agreed'].get('would_decide', [])))}</code>.</p>")
        for name, sub in persp.items():
            out.append(f"<p>Perspective <b>{h(name)}</b>: {_badge(sub['outcome'])}</p>{_tree_html(case_id, sub)}")
    else:
        out.append(_tree_html(case_id, exp["agreed"]))
    return "".join(out)


def render_html(report: dict) -> str:
    variant = report.get("variant")
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{h(report['title'])}</title><style>{CSS}</style></head><body>",
           f"<h1>{h(report['title'])}</h1>",
           f'<p class="meta">{len(report["cases"])} cases, {len(report["provisions"])} provisions. '
           "Outcomes: triggered (the provision's question is answered yes), not_triggered, undetermined, "
           "contested, not_applicable.</p>"]
    info = report.get("variant_info")
    if info:
        out.append(f"<p><b>Variant {h(info['id'])}</b> ({h(info['status'])}, {h(info['proposer'])}, {h(info['date'])}): "
                   f"{h(info['title'])}. {h(' '.join(info['summary'].split()))}</p>")
    out.append("<h2 id=\"summary\">Summary</h2><table><thead><tr><th>case</th><th>date</th>")
    for p in report["provisions"]:
        out.append(f'<th title="{h(p["question"])}">{h(p["id"])}<br><span class="meta">{h(p["title"])}</span></th>')
    out.append("</tr></thead><tbody>")
    for row in report["cases"]:
        cells = {p["id"]: p for p in row["provisions"]}
        out.append(f'<tr><td><a href="#case-{h(row["case"])}">{h(row["case"])}</a></td><td>{h(row["date"])}</td>')
        for p in report["provisions"]:
            c = cells.get(p["id"])
            if c is None:
                out.append("<td></td>")
            elif variant:
                flip = " flip" if c["before"] != c["outcome"] else ""
                out.append(f'<td class="{flip.strip()}">{_badge(c["before"])} &rarr; {_badge(c["outcome"])}</td>')
            else:
                out.append(f"<td>{_badge(c['outcome'])}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    from . import charts
    out.append(charts.grid_html(report) + charts.flips_html(report))
    out.append('<h2 id="divergences">Where the law and the record part ways</h2>')
    if report["divergences"]:
        out.append("<table><thead><tr><th>case</th><th>provision</th><th>perspective</th><th>finding</th></tr></thead><tbody>")
        for d in report["divergences"]:
            out.append(f'<tr><td><a href="#case-{h(d["case"])}">{h(d["case"])}</a></td><td>{h(d["provision"])}</td>'
                       f'<td>{h(d["perspective"] or "agreed facts")}</td><td><b>{h(d["kind"])}</b>: {h(d["detail"])}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append("<p>None.</p>")
    out.append('<h2 id="cases">Cases</h2>')
    for row in report["cases"]:
        parties = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in row["parties"].items())
        out.append(f'<section id="case-{h(row["case"])}"><h3>{h(row["title"])}</h3>'
                   f'<p class="meta"><code>{h(row["case"])}</code> · law applied at {h(row["date"])}'
                   + (f" · {h(parties)}" if parties else "") + f"</p><p>{h(row['summary'])}</p>")
        if row["record"]:
            rec = row["record"]
            out.append(f"<p><b>Record.</b> {h(' '.join(rec['summary'].split()))}</p><ul>")
            for r in rec["responses"]:
                key = f"{row['case']}/{r['source']}"
                out.append(f"<li>{h(r.get('date') or '')} <b>{h(r['kind'])}</b>"
                           + (f" ({h(r['decided_by'])})" if r.get("decided_by") else "")
                           + f": {h(r['summary'])} <span class=\"src\">[<a href=\"#{_src_id(key)}\">{h(r['source'])}</a>]</span></li>")
            out.append("</ul>")
        out.append(charts.case_figures_html(row))
        for p in row["provisions"]:
            head = (f"{_badge(p['before'])} &rarr; {_badge(p['outcome'])}" if variant else _badge(p["outcome"]))
            out.append(f'<details open><summary><code>{h(p["id"])}</code> {h(p["title"])}: {head}</summary>')
            out.append(_explanation_html(row["case"], p["explanation"]))
            for d in p["divergence"]:
                out.append(f'<div class="div">divergence{(" (" + h(d["perspective"]) + ")") if d["perspective"] else ""}: '
                           f'<b>{h(d["kind"])}</b> — {h(d["detail"])}</div>')
            if p.get("expected"):
                out.append(f'<p class="meta">The case file\'s own reading: {_badge(p["expected"]["outcome"])} — '
                           f'{h(" ".join(p["expected"]["reasoning"].split()))}</p>')
            out.append("</details>")
        out.append("</section>")
    out.append('<h2 id="sources">Sources</h2><ol class="src">')
    for s in report["sources"]:
        link = f' <a href="{h(s["url"])}">{h(s["url"])}</a>' if s.get("url") else ""
        file = f' <span class="meta">(shared/csto/{h(s["file"])})</span>' if s.get("file") else ""
        out.append(f'<li id="{_src_id(s["key"])}"><code>{h(s["key"])}</code>: {h(s["cite"])}{link}{file}</li>')
    out.append("</ol><p class=\"meta\">Generated by casus from the rules and case files; every fact cites its source.</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


# ------------------------------------------------------------------ Markdown

def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rule_md(case_id: str, rule: dict, depth: int) -> list[str]:
    pad = "  " * depth
    changed = " **(changed by the variant)**" if rule.get("changed_by_variant") else ""
    fired = f" (fired in stratum {rule['stratum']})" if "stratum" in rule else ""
    lines = [f"{pad}- `{rule['concludes']}` = {_value(rule['value'])} ← rule `{rule['rule']}`{changed}{fired}: "
             f"*{_md(rule['because'])}*" + (f" Applies: “{_md(rule['quote'])}”." if rule.get("quote") else "")]
    for f in rule["facts"]:
        if "derived" in f:
            lines.append(f"{pad}  - fact `{f['fact']}` = {_value(f['value'])}: derived: {_md(f['derived'])}")
        elif f.get("presumed"):
            lines.append(f"{pad}  - fact `{f['fact']}` = {_value(f['value'])}: presumed (the case is silent): "
                         f"{_md(f.get('basis', ''))}")
        else:
            claim = f" (claimed by {f['claimant']})" if f.get("claimant") else ""
            note = f" — {_md(f['note'])}" if f.get("note") else ""
            lines.append(f"{pad}  - fact `{f['fact']}` = {_value(f['value'])}{claim}{note} "
                         f"[{f.get('source', '?')}](#{_src_id(case_id + '/' + f.get('source', ''))})")
    for sub in rule["conclusions"]:
        lines.extend(_rule_md(case_id, sub, depth + 1))
    return lines


def _tree_md(case_id: str, tree: dict) -> list[str]:
    lines = []
    for r in tree["rules"]:
        lines.extend(_rule_md(case_id, r, 0))
    if tree.get("established"):
        lines.append("- established so far:")
        for r in tree["established"]:
            lines.extend(_rule_md(case_id, r, 1))
    if tree["outcome"] == "undetermined":
        lines.append(f"- would be decided by knowing: `{_sets(tree.get('would_decide', []))}`")
    return lines


def render_markdown(report: dict) -> str:
    variant = report.get("variant")
    out = [f"# {report['title']}", ""]
    info = report.get("variant_info")
    if info:
        out += [f"**Variant {info['id']}** ({info['status']}, {info['proposer']}, {info['date']}): {info['title']}.", ""]
    out += ["## Summary", "", "| case | date | " + " | ".join(p["id"] for p in report["provisions"]) + " |",
            "|---|---|" + "---|" * len(report["provisions"])]
    for row in report["cases"]:
        cells = {p["id"]: p for p in row["provisions"]}
        vals = []
        for p in report["provisions"]:
            c = cells.get(p["id"])
            vals.append("" if c is None else (f"{c['before']} → {c['outcome']}" if variant else c["outcome"]))
        out.append(f"| [{row['case']}](#case-{row['case']}) | {row['date']} | " + " | ".join(vals) + " |")
    out += ["", "## Where the law and the record part ways", ""]
    for d in report["divergences"] or []:
        out.append(f"- **{d['case']}** `{d['provision']}` ({d['perspective'] or 'agreed facts'}): "
                   f"**{d['kind']}**: {_md(d['detail'])}")
    if not report["divergences"]:
        out.append("None.")
    out += ["", "## Cases", ""]
    for row in report["cases"]:
        out += [f'<a id="case-{row["case"]}"></a>', f"### {row['title']}", "",
                f"`{row['case']}`, law applied at {row['date']}. {_md(row['summary'])}", ""]
        if row["record"]:
            out.append(f"**Record.** {_md(row['record']['summary'])}")
            out.append("")
        if row.get("timeline"):
            from .timeline_text import timeline_markdown
            out += timeline_markdown(row["timeline"])
        for p in row["provisions"]:
            exp = p["explanation"]
            head = f"{p['before']} → {p['outcome']}" if variant else p["outcome"]
            out += [f"#### `{p['id']}` {p['title']}: **{head}**", ""]
            if "note" in exp:
                out += [_md(exp.get("note") or ""), ""]
                continue
            art = exp["article"]
            out += [f"> {art['instrument']}, Art. {art['article']}, version {art['version']}: “{_md(art['text'])}” "
                    f"— {_md(art['cite'])}", ""]
            persp = exp.get("perspectives", {})
            if persp and exp["agreed"]["outcome"] == "undetermined":
                out.append(f"On the agreed facts: undetermined, decided by `{_sets(exp['agreed'].get('would_decide', []))}`.")
                for name, sub in persp.items():
                    out += ["", f"Perspective **{name}**: **{sub['outcome']}**", ""] + _tree_md(row["case"], sub)
            else:
                out += _tree_md(row["case"], exp["agreed"])
            for d in p["divergence"]:
                out += ["", f"*Divergence{(' (' + d['perspective'] + ')') if d['perspective'] else ''}: "
                            f"{d['kind']} — {_md(d['detail'])}*"]
            out.append("")
    out += ["## Sources", ""]
    for s in report["sources"]:
        link = f" <{s['url']}>" if s.get("url") else ""
        file = f" (shared/csto/{s['file']})" if s.get("file") else ""
        out.append(f'- <a id="{_src_id(s["key"])}"></a>`{s["key"]}`: {_md(s["cite"])}{link}{file}')
    return "\n".join(out) + "\n"
