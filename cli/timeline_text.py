"""Text rendering of `casus evaluate --timeline` (from engine.analysis.timeline's data). Decides nothing."""

from __future__ import annotations

import io

from rich.markup import escape

from .output import print_tree, print_wrapped, styled, text_console

# Where the text of a dated line starts ("  2022-09-13 00:05  "): wrapped lines go on there.
_HANG = " " * 20



def _reason(r: dict) -> str:
    """One fact a running duty rests on, and what says so (its source, presumption or record)."""
    value = r["value"] if isinstance(r["value"], str) else str(r["value"]).lower()
    said = (f"since {r['since']}, {r['source']}" if r.get("source") else
            "presumed" if r.get("presumed") else "membership" if r.get("derived") else "")
    return escape(f"{r['fact']} = {value}" + (f" ({said})" if said else ""))

def _value(v) -> str:
    if isinstance(v, dict) and "established_by" in v:
        claims = "".join(f"; {p} claims {_value(x)}" for p, x in v.get("claims", {}).items())
        return f"{_value(v['value'])} (established by {', '.join(v['established_by'])}{claims})"
    if isinstance(v, dict) and "claims" in v:
        return "contested (" + ", ".join(f"{p}: {_value(x)}" for p, x in v["claims"].items()) + ")"
    return "true" if v is True else "false" if v is False else str(v)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _when(date: str, time: str | None) -> str:
    return date + (f" {time}" if time else "")


def _outcome(change: dict) -> str:
    text = styled(change["outcome"])
    if change["perspectives"]:
        text += " (" + ", ".join(f"{escape(p)}: {styled(o)}" for p, o in change["perspectives"].items()) + ")"
    return text


def render_timeline_text(data: dict) -> str:
    from .render import explanation_tree
    from ..engine.explain.tree import Explanation
    buf = io.StringIO()
    con = text_console(buf)
    head = f"[bold]{escape(data['case'])}[/] — {escape(data['title'])}"
    if data.get("variant"):
        head += f", variant [bold]{escape(data['variant'])}[/]"
    if data.get("perspective"):
        head += f", perspective [bold]{escape(data['perspective'])}[/]"
    con.print(head)
    steps = data["steps"]
    con.print(f"{len(steps)} step(s), {steps[0]['date']} .. {steps[-1]['date']}; the law of each step's date applies")
    for s in steps:
        what = "snapshot" if s["event"] is None else f"event {s['event']}"
        facts = ", ".join(f"{escape(k)} = {escape(_value(v))}" for k, v in s["facts"].items())
        print_wrapped(con, f"  {_when(s['date'], s['time']):<17} [dim]{what}[/] {escape(s['summary'])}"
                      f" [dim]\\[{escape(', '.join(s['sources']))}][/]" + (f"\n{facts}" if facts else ""), rest=_HANG)
    if data["responses"]:
        con.print("record:")
        for r in data["responses"]:
            print_wrapped(con, f"  {r['date'] or 'undated':<17} {escape(r['kind'])}: {escape(r['summary'])} "
                          f"[dim]\\[{escape(r['source'])}][/]", rest=_HANG)
    threshold = data.get("immediately")
    for p in data["provisions"]:
        con.print(f"\n[bold]{escape(p['id'])}[/] {escape(p['title'])}")
        for c in p["changes"]:
            verb = "is" if c["before"] is None else "becomes"
            print_wrapped(con, f"  {_when(c['date'], c['time']):<17} {verb} {_outcome(c)} "
                               f"[dim](version {c['version'] or '-'})[/]", rest=_HANG)
            if c.get("explanation"):
                print_tree(con, explanation_tree(Explanation.from_json(c["explanation"])))
        for d in p["duties"]:
            who = f" ({escape(d['perspective'])})" if d["perspective"] else ""
            span = (f"from {d['from']} until {d['until']} ({d['days']} days; ended: {escape(d['ended_by'] or '')})"
                    if d["until"] else f"from {d['from']}, not ended by the last dated entry ({data['horizon']}, {d['days']} days)")
            print_wrapped(con, f"  duty{who}: {span}", rest="    ")
            if d.get("continues_because"):
                print_wrapped(con, "    continues because: " + "; ".join(_reason(r) for r in d["continues_because"]),
                              rest="      ")
            for r in d["responses"]:
                delay = "undated" if r["delay_days"] is None else (
                    _days(r["delay_days"]) if r["delay_days"] >= 0 else f"{_days(-r['delay_days'])} before")
                mark = ("counts" if r["counts"] else f"does not count for {escape(p['id'])}")
                if r["late"]:
                    mark += f", [bold yellow]late[/] (more than {threshold} days)"
                print_wrapped(con, f"    {r['date'] or 'undated':<15} {escape(r['kind'])}: {delay} [dim]({mark})[/]",
                              rest=_HANG)
        for d in p["divergence"]:
            who = f" ({escape(d['perspective'])})" if d["perspective"] else ""
            print_wrapped(con, f"  [bold yellow]divergence{who}[/]: {escape(d['kind'])} — {escape(d['detail'])}",
                          rest="    ")
    if threshold is None:
        con.print("\n[dim]delays are reported, not judged: pass --immediately DAYS to flag late responses[/]")
    con.print()
    return buf.getvalue()


def timeline_markdown(data: dict) -> list[str]:
    """The dated steps, duties and dated divergences as Markdown lines (Markdown viewers
    drop inline SVG, so the report's timeline picture is given here as text)."""
    from .explain_walk import MarkdownEmitter
    md, code = MarkdownEmitter.plain, MarkdownEmitter().code    # strings from case files: escaped
    lines = ["**Timeline.**", ""]
    for s in data["steps"]:
        what = "snapshot" if s["event"] is None else f"event {s['event']}"
        facts = ", ".join(f"{code(k)} = {md(_value(v))}" for k, v in s["facts"].items())
        lines.append(f"- {md(_when(s['date'], s['time']))} ({md(what)}): {md(s['summary'])}" + (f" — {facts}" if facts else ""))
    for p in data["provisions"]:
        for d in p["duties"]:
            who = f" ({d['perspective']})" if d["perspective"] else ""
            span = (f"from {d['from']} until {d['until']} ({_days(d['days'])})" if d["until"]
                    else f"from {d['from']}, not ended by {data['horizon']} ({_days(d['days'])})")
            delays = "; ".join(f"{r['kind']} {r['date']}: {_days(r['delay_days'])}" for r in d["responses"]
                               if r["counts"] and r["date"] and r["delay_days"] is not None)
            lines.append(f"- {code(p['id'])} duty{md(who)} {md(span)}" + (f"; responses: {md(delays)}" if delays else ""))
        for d in p["divergence"]:
            who = f" ({d['perspective']})" if d["perspective"] else ""
            lines.append(f"- {code(p['id'])}{md(who)}: **{md(d['kind'])}** — {md(d['detail'])}")
    return lines + [""]
