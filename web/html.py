"""HTML building blocks for the explorer: escaping, safe links, the page frame.

Everything that comes from a case file (titles, notes, citations, URLs) is
untrusted: text is HTML-escaped, and only http(s) URLs become links.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit


def e(value: object) -> str:
    """Text for HTML (element content and quoted attribute values)."""
    return html.escape(str(value), quote=True)


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never a javascript:, data: or file: link)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def link(url: object, text: object) -> str:
    """An outgoing link for a safe URL; the text alone otherwise."""
    safe = safe_url(url)
    if safe is None:
        return e(text)
    return f'<a href="{e(safe)}" rel="noopener noreferrer nofollow" target="_blank">{e(text)}</a>'


def shown(value: object) -> str:
    """A fact value as the files write it."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "unknown"
    return str(value)


CSS = """
:root { --fg:#1d1d1f; --muted:#5f6368; --line:#d9dce1; --bg:#fff; --panel:#f6f7f9; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; }
header.top { background:#233044; color:#fff; padding:.6rem 1.2rem; }
header.top a { color:#fff; text-decoration:none; font-weight:600; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h1 { font-size: 1.3rem; margin: .3rem 0; } h2 { font-size: 1.15rem; margin: .2rem 0; }
.meta, .muted { color: var(--muted); } .small { font-size: .88rem; }
.columns { display: grid; grid-template-columns: minmax(0,1.05fr) minmax(0,1fr); gap: 1.2rem; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
fieldset { border:1px solid var(--line); border-radius:6px; padding:.6rem .8rem; margin:0 0 .8rem; min-width:0; }
select { max-width: 100%; }
select[name=variant] { width: 17rem; }
table.facts th:first-child { width: 41%; }
fieldset label { display: inline-block; margin: 0 .8rem .3rem 0; max-width: 100%; }
.note { display:-webkit-box; -webkit-line-clamp:2; -webkit-box-orient:vertical; overflow:hidden; }
legend { font-weight:600; padding: 0 .3rem; }
table.facts { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.facts td { overflow-wrap: anywhere; }
table.facts td, table.facts th { border-top: 1px solid var(--line); padding: .35rem .4rem; vertical-align: top;
       text-align: left; }
table.facts tr:target { background: #fff4c2; }
tr.changed { background: #eef6ff; }
select, input, button, textarea { font: inherit; }
textarea { width: 100%; min-height: 14rem; font-family: ui-monospace, monospace; font-size: .85rem; }
.provision { border:1px solid var(--line); border-left-width: 6px; border-radius:6px; padding:.6rem .8rem;
       margin-bottom:.9rem; background: var(--panel); }
.outcome { display:inline-block; font-weight:700; padding:.05rem .45rem; border-radius:4px; background:#e8eaed; }
.o-triggered { border-left-color:#1e8e3e; } .o-triggered .outcome { background:#d5f0dc; color:#0d652d; }
.o-not_triggered { border-left-color:#c5221f; } .o-not_triggered .outcome { background:#fad2cf; color:#a50e0e; }
.o-undetermined { border-left-color:#e8a600; } .o-undetermined .outcome { background:#feefc3; color:#7a5200; }
.o-contested { border-left-color:#9334e6; } .o-contested .outcome { background:#ecdcfc; color:#5d1a9c; }
.o-not_applicable { border-left-color:#9aa0a6; }
.decide button { margin: 0 .15rem .2rem 0; }
ul.tree { padding-left: 1.1rem; margin: .3rem 0; } ul.tree li { margin: .2rem 0; }
blockquote { margin:.3rem 0; padding:.3rem .6rem; border-left:3px solid var(--line); color:#333; background:#fff; }
code { font-size: .88em; }
.error { border:1px solid #c5221f; background:#fce8e6; padding:.5rem .8rem; border-radius:6px; }
.actions { display:flex; gap:.6rem; flex-wrap: wrap; align-items:center; }
"""

# Submits the scenario form as soon as a fact, the date or the variant changes; without
# JavaScript the "Update" button does the same.
JS = """
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.form && el.form.id === "scenario" && el.dataset.auto !== "off") { el.form.submit(); }
});
"""

# No external anything: scripts and styles come from this server, forms post only to it.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def page(title: str, body: str) -> str:
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title>"
            "<link rel=\"stylesheet\" href=\"/static/explorer.css\">"
            "<script src=\"/static/explorer.js\" defer></script></head><body>"
            "<header class=\"top\"><a href=\"/\">casus</a> &middot; what-if explorer for the "
            "Collective Security Treaty</header>"
            f"<main>{body}</main></body></html>\n")
