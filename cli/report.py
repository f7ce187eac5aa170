"""Rendering a report (from casus.engine.analysis.report_data) as self-contained HTML or Markdown.

The HTML has inline CSS, no scripts and no external assets: it opens offline and
prints well. Renderers decide nothing; they lay out what the engine returned.

Every string from an input file goes through the medium's escaper (`H.plain`, `M.plain`,
`M.code`): no raw HTML in either output, no Markdown syntax forged from a title or a
source key, and links only to http(s) and relative URLs (explain_walk.safe_url).
Explanations are laid out by explain_walk, the one walker of explanation trees.
"""

from __future__ import annotations

from ..engine.explain.tree import Explanation
from .explain_walk import HtmlEmitter, MarkdownEmitter, badge_html, source_anchor, walk

H = HtmlEmitter()
M = MarkdownEmitter()
h = H.plain

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



def variant_standing(info: dict) -> str:
    """'hypothetical (the "false externalisation" debate), 2022-01-10', not 'hypothetical,
    hypothetical (...)': a hypothetical variant's proposer already says so."""
    status, proposer = info["status"], info["proposer"]
    if proposer.lower().startswith(status):
        who = proposer
    elif status == "proposed":
        who = f"proposed by {proposer}"
    else:
        who = f"{status}, proposed by {proposer}"
    return f"{who}, {info['date']}"

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
        out.append(f"<p><b>Variant {h(info['id'])}</b> ({h(variant_standing(info))}): "
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
                out.append(f'<td class="{flip.strip()}">{badge_html(c["before"])} &rarr; {badge_html(c["outcome"])}</td>')
            else:
                out.append(f"<td>{badge_html(c['outcome'])}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    from . import charts
    out.append(charts.grid_html(report) + charts.flips_html(report) + charts.treaties_html(report))
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
                anchor = source_anchor(f"{row['case']}/{r['source']}")
                out.append(f"<li>{h(r.get('date') or '')} <b>{h(r['kind'])}</b>"
                           + (f" ({h(r['decided_by'])})" if r.get("decided_by") else "")
                           + f": {h(r['summary'])} <span class=\"src\">[<a href=\"#{anchor}\">{h(r['source'])}</a>]</span></li>")
            out.append("</ul>")
        out.append(charts.case_figures_html(row))
        for p in row["provisions"]:
            head = (f"{badge_html(p['before'])} &rarr; {badge_html(p['outcome'])}" if variant
                    else badge_html(p["outcome"]))
            if p.get("duty"):
                head += (f' <span class="meta">duty: {h(p["duty"]["strength"].replace("_", " "))} '
                         f'(&ldquo;{h(p["duty"]["quote"])}&rdquo;)</span>')
            out.append(f'<details open><summary><code>{h(p["id"])}</code> {h(p["title"])}: {head}</summary>')
            out.append(H.tree(walk(Explanation.from_json(p["explanation"]), row["case"])))
            if p.get("expected"):
                out.append(f'<p class="meta">The case file\'s own reading: {badge_html(p["expected"]["outcome"])} — '
                           f'{h(" ".join(p["expected"]["reasoning"].split()))}</p>')
            out.append("</details>")
        out.append("</section>")
    out.append('<h2 id="sources">Sources</h2><ol class="src">')
    for s in report["sources"]:
        link = f" {H.link(s['url'])}" if s.get("url") else ""
        file = f' <span class="meta">(shared/csto/{h(s["file"])})</span>' if s.get("file") else ""
        out.append(f'<li id="{source_anchor(s["key"])}"><code>{h(s["key"])}</code>: {h(s["cite"])}{link}{file}</li>')
    out.append("</ol><p class=\"meta\">Generated by casus from the rules and case files; every fact cites its source.</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


# ------------------------------------------------------------------ Markdown

def render_markdown(report: dict) -> str:
    md, code = M.plain, M.code
    variant = report.get("variant")
    out = [f"# {md(report['title'])}", ""]
    info = report.get("variant_info")
    if info:
        out += [f"**Variant {md(info['id'])}** ({md(variant_standing(info))}): "
                f"{md(info['title'])}.", ""]
    out += ["## Summary", "", "| case | date | " + " | ".join(md(p["id"]) for p in report["provisions"]) + " |",
            "|---|---|" + "---|" * len(report["provisions"])]
    for row in report["cases"]:
        cells = {p["id"]: p for p in row["provisions"]}
        vals = []
        for p in report["provisions"]:
            c = cells.get(p["id"])
            vals.append("" if c is None else md(f"{c['before']} → {c['outcome']}" if variant else c["outcome"]))
        out.append(f"| [{md(row['case'])}](#case-{row['case']}) | {md(row['date'])} | " + " | ".join(vals) + " |")
    if report.get("treaties"):
        out += treaties_markdown(report["treaties"])
    out += ["", "## Where the law and the record part ways", ""]
    for d in report["divergences"] or []:
        out.append(f"- **{md(d['case'])}** {code(d['provision'])} ({md(d['perspective'] or 'agreed facts')}): "
                   f"**{md(d['kind'])}**: {md(d['detail'])}")
    if not report["divergences"]:
        out.append("None.")
    out += ["", "## Cases", ""]
    for row in report["cases"]:
        # case ids are lower-case letters, digits, '.', '-' and '_' (models.ID): safe as an anchor
        out += [f'<a id="case-{row["case"]}"></a>', f"### {md(row['title'])}", "",
                f"{code(row['case'])}, law applied at {md(row['date'])}. {md(row['summary'])}", ""]
        if row["record"]:
            out.append(f"**Record.** {md(row['record']['summary'])}")
            out.append("")
        if row.get("timeline"):
            from .timeline_text import timeline_markdown
            out += timeline_markdown(row["timeline"])
        for p in row["provisions"]:
            head = f"{p['before']} → {p['outcome']}" if variant else p["outcome"]
            out += [f"#### {code(p['id'])} {md(p['title'])}: **{md(head)}**", ""]
            if p.get("duty"):
                out += [f"Duty: {md(p['duty']['strength'].replace('_', ' '))} (\"{md(p['duty']['quote'])}\")", ""]
            out += M.tree(walk(Explanation.from_json(p["explanation"]), row["case"]))
            out.append("")
    out += ["## Sources", ""]
    for s in report["sources"]:
        link = f" {M.link(s['url'])}" if s.get("url") else ""
        file = f" (shared/csto/{md(s['file'])})" if s.get("file") else ""
        out.append(f'- <a id="{source_anchor(s["key"])}"></a>{code(s["key"])}: {md(s["cite"])}{link}{file}')
    return "\n".join(out) + "\n"


def treaties_markdown(tr: dict) -> list[str]:
    """The agreement matrix as a table (Markdown has no pictures of its own), then why pairs differ."""
    md, code = M.plain, M.code
    ids = tr["treaties"]
    pairs = {(p["a"], p["b"]): p for p in tr["pairs"]}
    out = ["", "## Treaties compared", "",
           f"Share of {tr['scenarios']:,} generated scenarios (seed {tr['seed']}, versions in force on {tr['date']}) "
           "with the same outcome, the attacked state a party to both:", "",
           "| | " + " | ".join(code(i) for i in ids) + " |", "|---|" + "---|" * len(ids)]
    for a in ids:
        cells = []
        for b in ids:
            p = pairs.get((a, b)) or pairs.get((b, a))
            cells.append("—" if p is None else f"{100 * p['agree'] / max(p['scenarios'], 1):.1f}%")
        out.append(f"| {code(a)} | " + " | ".join(cells) + " |")
    out += ["", "| a | b | disagree | why (condition: scenarios) | unattributed |", "|---|---|---|---|---|"]
    for p in tr["pairs"]:
        why = "; ".join(f"{c['condition']}: {c['disagreements']}" for c in p["conditions"]) or "—"
        out.append(f"| {code(p['a'])} | {code(p['b'])} | {p['disagree']} | {md(why)} | {p['unattributed']} |")
    return out
