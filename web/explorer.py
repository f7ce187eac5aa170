"""The what-if explorer's pages, rendered on the server from plain data (no engine here).

A shipped case's scenario lives in the URL (`/explore/ID?at=...&variant=...&fact.NAME=...`),
so a link reproduces it; a pasted or uploaded case travels in the form instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ..engine.outcome import Outcome
from .scenario import case_token
from ..engine.explain.trace import conflict_text
from .html import e, link, page, shown

OUTCOME_WORDS = {
    Outcome.TRIGGERED: "yes", Outcome.NOT_TRIGGERED: "no", Outcome.UNDETERMINED: "not known yet",
    Outcome.CONTESTED: "depends on whose facts", Outcome.NOT_APPLICABLE: "does not apply",
}


# The treaty picked in the explorer travels with the fact settings under this key (no fact
# name starts with '@'): the case is then evaluated under that treaty's provisions.
TREATY_KEY = "@treaty"


def scenario_query(at: str | None, variant: str | None, settings: dict[str, str]) -> str:
    """The canonical query string of a scenario: date, variant, treaty, the parties, then facts by name."""
    items: list[tuple[str, str]] = []
    if at:
        items.append(("at", at))
    if variant:
        items.append(("variant", variant))
    if settings.get(TREATY_KEY):
        items.append(("treaty", settings[TREATY_KEY]))
    items += [(k, settings[k]) for k in sorted(settings) if k.startswith("role.")]
    items += [(f"fact.{k}", settings[k]) for k in sorted(settings) if not k.startswith("role.") and k != TREATY_KEY]
    return urlencode(items)


# ------------------------------------------------------------------ index

def index_page(cases: list[dict[str, Any]], error: str | None = None, text: str = "") -> str:
    rows = "".join(
        f"<li><a href=\"/explore/{e(c['id'])}\">{e(c['title'])}</a> "
        f"<span class=\"muted small\">{e(c['id'])} &middot; {e(c['date'])}</span></li>" for c in cases)
    problem = _problems(error) if error else ""
    body = (
        "<h1>Would the treaty apply if&hellip;?</h1>"
        "<p>Pick a case, then change its facts, the date (the law of that date applies) or the "
        "amendment variant, and see each provision's outcome and why.</p>"
        f"<div class=\"columns\"><section><h2>Shipped cases</h2><ul>{rows}</ul></section>"
        "<section><h2>Your own case</h2>" + problem +
        "<form method=\"post\" action=\"/explore\" enctype=\"multipart/form-data\">"
        "<p><label>Upload a case file (YAML or JSON): <input type=\"file\" name=\"case_file\" "
        "accept=\".yaml,.yml,.json,text/yaml,application/json\" data-auto=\"off\"></label></p>"
        "<p><label>or paste it:<br><textarea name=\"case_text\" spellcheck=\"false\" "
        f"placeholder=\"id: my-case&#10;title: ...\">{e(text)}</textarea></label></p>"
        "<p><button type=\"submit\">Explore</button> <span class=\"muted small\">"
        "See <a href=\"/facts\">/facts</a> for the vocabulary and <a href=\"/openapi.json\">"
        "/openapi.json</a> for the HTTP API.</span></p></form></section></div>")
    return page("casus explorer", body)


def _problems(message: str) -> str:
    """One line per mistake, all of them (a pasted case with three mistakes shows three)."""
    lines = [line for line in message.splitlines() if line.strip()]
    if len(lines) <= 1:
        return f"<p class=\"error\" role=\"alert\">{e(message)}</p>"
    return ("<ul class=\"error\" role=\"alert\">" + "".join(f"<li>{e(line)}</li>" for line in lines) + "</ul>")


def error_page(message: str) -> str:
    return page("casus explorer: error", f"<h1>That did not work</h1>{_problems(message)}"
                                          "<p><a href=\"/\">Back to the cases</a></p>")


# ------------------------------------------------------------------ one scenario

def explore_page(data: dict[str, Any], *, shipped: bool, at: str | None, variant: str | None,
                 settings: dict[str, str], text: str | None = None) -> str:
    case, evaluation = data["case"], data["evaluation"]
    result = evaluation["cases"][0]
    sources = data["sources"]
    parties = ", ".join(f"{role.replace('_', ' ')}: {case[role]}" for role in
                        ("requesting_state", "territory", "acting_state", "third_state", "attacker")
                        if case.get(role))
    if shipped:
        form_open = f"<form id=\"scenario\" method=\"get\" action=\"/explore/{e(case['id'])}\">"
        download = (f"<a class=\"download\" href=\"/explore/{e(case['id'])}/case.yaml?"
                    f"{e(scenario_query(at, variant, settings))}\" download>Download as case file</a>")
        reset = f"<a href=\"/explore/{e(case['id'])}\">Reset</a>"
    else:
        form_open = ("<form id=\"scenario\" method=\"post\" action=\"/explore\">"
                     f"<input type=\"hidden\" name=\"case_text\" value=\"{e(text or '')}\">")
        download = ("<button type=\"submit\" formaction=\"/explore/download\" class=\"download\">"
                    "Download as case file</button>")
        token = case_token(text or "")
        query = scenario_query(at, variant, settings)
        reset = (f"<a href=\"/what-if?case={e(token)}{'&amp;' + e(query) if query else ''}\">Link to this what-if</a>"
                 if token else "<span class=\"muted small\">(too large to share as a link: download it)</span>")
    law = _law_controls(data, result, at, variant, settings.get(TREATY_KEY))
    facts = _fact_table(data["facts"], sources, settings)
    roles = _role_table(data.get("roles") or [], data.get("non_state_parties") or [], settings)
    domains = {row["fact"]: row["values"] for row in data["facts"]}
    # A derived fact (requesting_state_member, ...) is set through the roles it is computed from.
    domains.update({name: ("role", roles_of) for name, roles_of in (data.get("derived_roles") or {}).items()})
    outcomes = "".join(_provision(p, domains) for p in result["provisions"])
    changed = f" <span class=\"muted small\">({len(settings)} set by hand)</span>" if settings else ""
    body = (
        f"<h1>{e(result.get('title') or case.get('title', case['id']))}</h1>"
        f"<p class=\"meta\"><code>{e(result['case'])}</code> &middot; law of {e(result['date'])}"
        f"{' &middot; ' + e(parties) if parties else ''}"
        f"{' &middot; variant ' + e(variant) if variant else ''}</p>"
        f"<details><summary>What happened</summary><p>{e(case.get('summary', ''))}</p>"
        f"{_record(case, sources)}</details>"
        f"{form_open}<div class=\"columns\"><section>{law}"
        f"<fieldset><legend>Parties</legend>{roles}</fieldset>"
        f"<fieldset><legend>Facts{changed}</legend>{facts}</fieldset>"
        f"<div class=\"actions\"><button type=\"submit\">Update</button>{download}{reset}</div></section>"
        f"<section aria-live=\"polite\"><h2>Outcomes</h2>{outcomes}</section></div></form>")
    return page(f"{case['id']}: casus explorer", body)


def _law_controls(data: dict[str, Any], result: dict[str, Any], at: str | None, variant: str | None,
                  treaty: str | None = None) -> str:
    options = "<option value=\"\">the law as it is</option>" + "".join(
        f"<option value=\"{e(v['id'])}\"{' selected' if v['id'] == variant else ''}>"
        f"{e(v['id'])} ({e(v['status'])}): {e(v['title'])}</option>" for v in data["variants"])
    treaties = "<option value=\"\">the case's own provisions</option>" + "".join(
        f"<option value=\"{e(t['id'])}\"{' selected' if t['id'] == treaty else ''}>"
        f"{e(t['id'])}: {e(', '.join(t['provisions']))}</option>" for t in data.get("treaties", []))
    return ("<fieldset><legend>Law</legend>"
            f"<label>The law of <input type=\"date\" name=\"at\" value=\"{e(at or result['date'])}\" "
            f"min=\"{e(data.get('first_signed', '1992-05-15'))}\"></label> "
            f"<label>treaty <select name=\"treaty\">{treaties}</select></label> "
            f"<label>variant <select name=\"variant\">{options}</select></label></fieldset>")


def _fact_table(rows: list[dict[str, Any]], sources: dict[str, Any], settings: dict[str, str]) -> str:
    out = ["<table class=\"facts\"><thead><tr><th>fact (hover for its meaning)</th><th>what the case file says</th></tr>"
           "</thead><tbody>"]
    for row in rows:
        name, entry = row["fact"], row["file"]
        setting = settings.get(name, "")
        choices = [("", f"as in the file ({_file_word(entry)})")]
        choices += [(shown(v), shown(v)) for v in row["values"]]
        choices.append(("unknown", "unknown"))
        if isinstance(entry, dict) and entry.get("claims"):
            choices += [(f"claim:{p}", f"{p}'s claim ({shown(c['value'])})") for p, c in entry["claims"].items()]
        opts = "".join(f"<option value=\"{e(v)}\"{' selected' if v == setting else ''}>{e(label)}</option>"
                       for v, label in choices)
        cls = " class=\"changed\"" if setting else ""
        out.append(
            f"<tr id=\"fact-{e(name)}\"{cls}><td><label for=\"set-{e(name)}\" title=\"{e(row['description'])}\">"
            f"<code>{e(name)}</code></label><br>"
            f"<select id=\"set-{e(name)}\" name=\"fact.{e(name)}\" data-fact=\"{e(name)}\">{opts}</select>"
            f"<div class=\"small now\" data-now=\"{e(name)}\">now: <strong>{e(_now_word(row['now'], row.get('presumed')))}</strong></div>"
            f"</td><td class=\"small\">{_file_entry(entry, sources)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _role_table(rows: list[dict[str, Any]], non_state: list[str], settings: dict[str, str]) -> str:
    """A text field per role: a state's two-letter ISO code, a non-state party the case declares,
    or `unknown` (empty: as in the file)."""
    if not rows:
        return ""
    hint = ("a state's ISO code (e.g. KZ)" + (f" or {', '.join(non_state)}" if non_state else "")
            + "; unknown to leave it out")
    out = ["<table class=\"facts\"><tbody>"]
    for row in rows:
        role = row["role"]
        setting = settings.get(f"role.{role}", "")
        cls = " class=\"changed\"" if setting else ""
        out.append(
            f"<tr id=\"role-{e(role)}\"{cls}><td><label for=\"set-role-{e(role)}\" title=\"{e(row['description'])}\">"
            f"<code>{e(role)}</code></label><br>"
            f"<input id=\"set-role-{e(role)}\" name=\"role.{e(role)}\" value=\"{e(setting)}\" size=\"12\" "
            f"maxlength=\"64\" placeholder=\"{e(row['file'] or 'unknown')}\" title=\"{e(hint)}\">"
            f"<div class=\"small now\">now: <strong>{e(row['now'] or 'unknown')}</strong></div></td>"
            f"<td class=\"small\">{e(row['file'] or 'not named in the file (unknown)')}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _file_word(entry: Any) -> str:
    if not isinstance(entry, dict):
        return "unknown"
    if entry.get("established_by"):
        # Independent sources establish it for everyone: the claims beside it do not contest it.
        return f"{shown(entry.get('value'))}, established"
    if entry.get("claims"):
        return "contested: " + ", ".join(f"{p} {shown(c['value'])}" for p, c in entry["claims"].items())
    return shown(entry.get("value"))


def _now_word(entry: Any, presumed: Any = None) -> str:
    """What the scenario reads: a fact the case is silent on that the law presumes shows as presumed."""
    if entry is None and presumed is not None:
        return f"{shown(presumed)} (presumed: the case is silent)"
    return _file_word(entry)


def _cite(source_id: Any, sources: dict[str, Any]) -> str:
    src = sources.get(source_id) if isinstance(source_id, str) else None
    if not isinstance(src, dict):
        return e(source_id)
    text = src.get("cite", source_id)
    where = f" <span class=\"muted\">({e(src['file'])})</span>" if src.get("file") else ""
    return link(src.get("url"), text) + where


def _file_entry(entry: Any, sources: dict[str, Any]) -> str:
    if not isinstance(entry, dict):
        return "<span class=\"muted\">not stated (unknown)</span>"
    claims = ""
    if entry.get("claims"):
        claims = "<ul class=\"tree\">" + "".join(
            f"<li><strong>{e(p)}</strong> says {e(shown(c.get('value')))}: {_cite(c.get('source'), sources)}"
            f"{_note(c)}</li>" for p, c in entry["claims"].items()) + "</ul>"
    if entry.get("established_by"):
        by = "; ".join(_cite(s, sources) for s in entry["established_by"])
        return f"<strong>{e(shown(entry.get('value')))}</strong>, established by {by}{_note(entry)}{claims}"
    if claims:
        return claims
    return f"<strong>{e(shown(entry.get('value')))}</strong>: {_cite(entry.get('source'), sources)}{_note(entry)}"


def _note(entry: dict[str, Any]) -> str:
    if not entry.get("note"):
        return ""
    return f"<div class=\"muted note\" title=\"{e(entry['note'])}\">{e(entry['note'])}</div>"


def _record(case: dict[str, Any], sources: dict[str, Any]) -> str:
    record = case.get("record")
    if not isinstance(record, dict):
        return ""
    items = "".join(f"<li>{e(r.get('date', ''))} <strong>{e(r.get('kind', ''))}</strong>: {e(r.get('summary', ''))} "
                    f"<span class=\"small\">({_cite(r.get('source'), sources)})</span></li>"
                    for r in record.get("responses", []))
    return f"<p><strong>What the CSTO did:</strong> {e(record.get('summary', ''))}</p><ul>{items}</ul>"


# ------------------------------------------------------------------ outcomes and explanations

def _provision(p: dict[str, Any], domains: dict[str, list[Any]]) -> str:
    outcome = p["outcome"]
    parts = [f"<article class=\"provision o-{e(outcome)}\" data-provision=\"{e(p['id'])}\" id=\"prov-{e(p['id'])}\">",
             f"<h2><code>{e(p['id'])}</code> {e(p.get('title', ''))}</h2>",
             f"<p>{e(p.get('question', ''))} <span class=\"outcome\" data-outcome=\"{e(p['id'])}\">{e(outcome)}</span>"
             f" <span class=\"muted\">({e(OUTCOME_WORDS.get(outcome, ''))})</span></p>"]
    if p.get("reasons"):
        parts.append("<ul class=\"reasons\">" + "".join(f"<li>{e(r)}</li>" for r in p["reasons"]) + "</ul>")
    if p.get("perspectives"):
        parts.append("<p>Each party's facts: " + ", ".join(
            f"<strong>{e(name)}</strong>: {e(v['outcome'])}" for name, v in p["perspectives"].items()) + "</p>")
    for conclusion, rules in (p.get("conflicting_rules") or {}).items():
        parts.append(f"<p class=\"error\">{e(conflict_text(conclusion, rules))}</p>")
    sets = p.get("deciding_sets") or []
    if outcome == Outcome.UNDETERMINED and sets:
        parts.append(_would_decide(sets, domains))
    for d in p.get("divergence") or []:
        who = f" ({e(d['perspective'])}'s facts)" if d.get("perspective") else ""
        parts.append(f"<p class=\"small\"><strong>Record vs law{who}:</strong> {e(d.get('kind', ''))}: "
                     f"{e(d.get('detail', ''))}</p>")
    explanation = p.get("explanation")
    if isinstance(explanation, dict):
        parts.append(_explanation(explanation))
    parts.append("</article>")
    return "".join(parts)


def _would_decide(sets: list[list[str]], domains: dict[str, list[Any]]) -> str:
    """The facts that would decide an undetermined outcome: each a link to its row and
    buttons that set it (they submit the scenario form with that one fact changed)."""
    items = []
    for group in sets[:8]:
        facts = []
        for f in group:
            domain = domains.get(f, [])
            if isinstance(domain, tuple) and domain and domain[0] == "role":
                # Derived from parties: its control is the role it is computed from.
                links = ", ".join(f"<a href=\"#role-{e(r)}\" data-decide=\"{e(f)}\">set <code>{e(r)}</code></a>"
                                  for r in domain[1])
                facts.append(f"<code>{e(f)}</code> ({links})")
                continue
            buttons = "".join(
                f"<button type=\"submit\" form=\"scenario\" name=\"fact.{e(f)}\" value=\"{e(v)}\" "
                f"data-decide=\"{e(f)}\">{e(v)}</button>"
                for v in map(shown, domain))
            facts.append(f"<a href=\"#fact-{e(f)}\"><code>{e(f)}</code></a> {buttons}")
        items.append("<li>" + " and ".join(facts) + "</li>")
    return ("<div class=\"decide\"><strong>What would decide it:</strong> "
            f"<ul>{''.join(items)}</ul></div>")


def _explanation(x: dict[str, Any]) -> str:
    parts = ["<details class=\"explanation\" open><summary>Why</summary>"]
    article = x.get("article")
    if isinstance(article, dict):
        to = (article.get("in_force") or {}).get("to")
        span = f"in force from {e((article.get('in_force') or {}).get('from', ''))}" + (f" to {e(to)}" if to else "")
        parts.append(f"<p class=\"small\">Article {e(article.get('article', ''))}, version {e(article.get('version', ''))}"
                     f" ({span}): {link(article.get('url'), article.get('cite', ''))}</p>"
                     f"<blockquote>{e(article.get('text', ''))}</blockquote>")
        if article.get("text_ru"):
            note = f" ({e(article['note_ru'])})" if article.get("note_ru") else ""
            parts.append(f"<p class=\"small\">Russian text: "
                         f"{link(article.get('url_ru'), article.get('cite_ru', ''))}{note}</p>"
                         f"<blockquote lang=\"ru\">{e(article['text_ru'])}</blockquote>")
        elif article.get("note_ru"):
            parts.append(f"<p class=\"small\">Russian text: none here. {e(article['note_ru'])}</p>")
        for n in article.get("translation_notes") or []:
            parts.append(f"<p class=\"small\"><strong>Translation note:</strong> <q>{e(n.get('en', ''))}</q> / "
                         f"<q lang=\"ru\">{e(n.get('ru', ''))}</q>: {e(n.get('note', ''))}</p>")
    elif x.get("note"):
        parts.append(f"<p>{e(x['note'])}</p>")
    agreed = x.get("agreed")
    if isinstance(agreed, dict):
        parts.append(_tree(agreed, "On the facts all parties agree on"))
    for name, tree in (x.get("perspectives") or {}).items():
        parts.append(_tree(tree, f"On {name}'s facts"))
    parts.append("</details>")
    return "".join(parts)


def _tree(tree: dict[str, Any], heading: str) -> str:
    parts = [f"<p class=\"small\"><strong>{e(heading)}</strong>: {e(tree.get('outcome', ''))}</p>"]
    if tree.get("rules"):
        parts.append("<ul class=\"tree\">" + "".join(_rule(n) for n in tree["rules"]) + "</ul>")
    if tree.get("established"):
        parts.append("<p class=\"small muted\">Established on the way:</p>"
                     "<ul class=\"tree\">" + "".join(_rule(n) for n in tree["established"]) + "</ul>")
    for conclusion, rules in (tree.get("conflicting_rules") or {}).items():
        parts.append(f"<p class=\"error\">{e(conflict_text(conclusion, rules))}</p>")
    return "".join(parts)


def _rule(node: dict[str, Any]) -> str:
    changed = " <strong>(changed by the variant)</strong>" if node.get("changed_by_variant") else ""
    quote = f"<blockquote>{e(node['quote'])}</blockquote>" if node.get("quote") else ""
    if node.get("quote_ru"):
        quote += f"<blockquote lang=\"ru\">{e(node['quote_ru'])}</blockquote>"
    facts = "".join(_fact(f) for f in node.get("facts", []))
    below = "".join(_rule(n) for n in node.get("conclusions", []))
    inner = f"<ul class=\"tree\">{facts}{below}</ul>" if facts or below else ""
    return (f"<li><code>{e(node.get('rule', ''))}</code>{changed}: {e(node.get('concludes', ''))} = "
            f"{e(shown(node.get('value')))}. {e(node.get('because', ''))}{quote}{inner}</li>")


def _fact(f: dict[str, Any]) -> str:
    where = ""
    if f.get("derived"):
        where = e(f["derived"])
    elif f.get("cite"):
        where = link(f.get("url"), f["cite"])
        if f.get("claimant"):
            where += f" <span class=\"muted\">(claimed by {e(f['claimant'])})</span>"
    if f.get("note"):
        where += f" <span class=\"muted\">{e(f['note'])}</span>"
    name = f"<code>{e(f.get('fact', ''))}</code>"
    if not f.get("derived"):                  # a derived fact has no row to go to: it cannot be set
        name = f"<a href=\"#fact-{e(f.get('fact', ''))}\">{name}</a>"
    return (f"<li>fact {name} = "
            f"<strong>{e(shown(f.get('value')))}</strong>{': ' + where if where else ''}</li>")
