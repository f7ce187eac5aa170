"""Pictures for the report, drawn with matplotlib's SVG backend from plain report data.

Each function returns one inline `<svg>` element (no scripts, no external assets). Output is
deterministic: the SVG hash salt is fixed per figure (so ids differ between the figures of one
page but never between runs) and no date is written into the metadata. matplotlib is imported
here only, inside the functions: `casus evaluate` never loads it.

Marks carry ids (matplotlib's `gid`) that say what they stand for, so a reader (or a test) can
tell an event from a duty: `<prefix>:event:<step>`, `<prefix>:duty:<provision>:<n>`,
`<prefix>:response:<n>`, `<prefix>:outcome:<provision>:<n>`, `grid:<case>:<provision>`,
`flip:<provision>:<before -> after>`, `<prefix>:node:<node id>[:fired]`.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from ..engine.outcome import Outcome

COLOURS: dict[str | None, str] = {
    Outcome.TRIGGERED: "#2e9e53", Outcome.NOT_TRIGGERED: "#c0392b", Outcome.UNDETERMINED: "#e0b000",
    Outcome.CONTESTED: "#8e44ad", Outcome.NOT_APPLICABLE: "#9aa3ad", None: "#ffffff"}
KIND_COLOURS = {"fact": "#e8f0fe", "rule": "#ffffff", "conclusion": "#fff3cd", "provision": "#dff3e4"}
FIRED = "#c0392b"


def _figure(salt: str, width: float, height: float):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=72)
    # Read back when saving: the ids of one figure's clip paths.
    fig.casus_salt = f"casus:{salt}"  # type: ignore[attr-defined]
    return fig


def _style():
    """matplotlib settings for every picture, scoped (the process-wide rcParams stay as they were)."""
    import matplotlib
    return matplotlib.rc_context({"svg.fonttype": "none", "font.size": 8, "font.family": "DejaVu Sans"})


def _svg(fig, title: str) -> str:
    import matplotlib
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": fig.casus_salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Title": title}, bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg"):].strip()          # drop the XML prolog: the SVG is inline


def _drawn(draw):
    """Run a drawing function under the pictures' style."""
    import functools

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with _style():
            return draw(*args, **kwargs)
    return wrapper


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ------------------------------------------------------------------ a case's timeline

# Every text of a picture is at least this size (points; 1 pt = 1 px at the figures' 72 dpi).
TEXT_PT = 10


def step_names(steps: list[dict]) -> list[str]:
    """Each step as the timeline text names it: 'event N' (N: the event's own number) or 'snapshot'."""
    return ["snapshot" if s["event"] is None else f"event {s['event']}" for s in steps]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _place(items: list[tuple[float, float]], gap: float = 6.0) -> list[int]:
    """Levels for labels spanning [left, right] (points) so that no two on one level overlap:
    each label takes the lowest level whose last label ends before it starts."""
    ends: list[float] = []
    levels = [0] * len(items)
    for i in sorted(range(len(items)), key=lambda k: items[k][0]):
        left, right = items[i]
        for level, end in enumerate(ends):
            if end + gap <= left:
                ends[level] = right
                levels[i] = level
                break
        else:
            ends.append(right)
            levels[i] = len(ends) - 1
    return levels


def _text_width(text: str, size: float = TEXT_PT) -> float:
    """A generous width of `text` in points (DejaVu Sans averages about 0.6 em a character)."""
    return 0.62 * size * len(text) + 2


@_drawn
def case_timeline_figure(timeline: dict, prefix: str | None = None):
    """Events (one mark per step, named as the text names them, with a caption each), each
    provision's outcome over time, duties from when to when, and the recorded responses, on
    one date axis fitted to the events; the legend lists exactly what is drawn."""
    from matplotlib import dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    prefix = prefix or timeline["case"]
    steps, responses = timeline["steps"], timeline["responses"]
    dated = [r for r in responses if r["date"]]
    duties = [(p, n, d) for p in timeline["provisions"] for n, d in enumerate(p["duties"])]
    dates = ([_d(s["date"]) for s in steps] + [_d(r["date"]) for r in dated]
             + [_d(d["until"]) for _, _, d in duties if d.get("until")])
    start, end = min(dates), max(dates)
    pad = max(dt.timedelta(days=1), (end - start) / 25)
    axis_end = end + pad                     # an open duty runs to the axis' end (hatched)
    rows: list[tuple[str, Any]] = [("events", None)]
    for p in timeline["provisions"]:
        rows.append((f"{p['id']} outcome", ("outcome", p)))
        for n, duty in enumerate(p["duties"]):
            who = f" ({duty['perspective']})" if duty["perspective"] else ""
            rows.append((f"{p['id']} duty{who}", ("duty", p, n, duty)))
    if dated:
        rows.append(("record", None))
    names = step_names(steps)
    captions = [f"{name} ({s['date']}{' ' + s['time'] if s.get('time') else ''}): "
                f"{_short(s['summary'], 86)}" for name, s in zip(names, steps)]
    width = 9.5
    fig = _figure(f"timeline:{prefix}", width, 1.2 + 0.42 * len(rows))
    ax = fig.add_subplot()
    y = {label: len(rows) - 1 - i for i, (label, _) in enumerate(rows)}
    drawn: dict[str, Any] = {}               # legend label -> handle, for what is on the picture
    for label, spec in rows:
        if spec is None:
            continue
        if spec[0] == "outcome":
            p = spec[1]
            changes = p["changes"]
            for n, c in enumerate(changes):
                a = _d(c["date"])
                b = _d(changes[n + 1]["date"]) if n + 1 < len(changes) else axis_end
                if b <= a:
                    continue                 # replaced the same day: no span to draw or to name
                bars = ax.barh(y[label], (b - a).days, left=a, height=0.55,
                               color=COLOURS.get(c["outcome"], "#ccc"), edgecolor="white")
                bars.patches[0].set_gid(f"{prefix}:outcome:{p['id']}:{n}")
                drawn.setdefault(c["outcome"], Patch(color=COLOURS.get(c["outcome"], "#ccc"), label=c["outcome"]))
        else:
            _, p, n, duty = spec
            a = _d(duty["from"])
            b = _d(duty["until"]) if duty["until"] else axis_end
            open_ = duty["until"] is None
            bars = ax.barh(y[label], max((b - a).days, 1), left=a, height=0.55, color="#ffffff",
                           edgecolor="#1d2430", hatch="///" if open_ else "")
            bars.patches[0].set_gid(f"{prefix}:duty:{p['id']}:{n}")
            key = "duty, not ended" if open_ else "duty"
            drawn.setdefault(key, Patch(facecolor="#ffffff", edgecolor="#1d2430", hatch="///" if open_ else "",
                                        label=key))
            for r in duty["responses"]:
                if r["counts"] and r["date"]:
                    colour = "#c07a00" if r["late"] else "#1d2430"
                    ax.plot([_d(r["date"])], [y[label]], marker="|", markersize=14, color=colour, mew=2)
                    key = "late response" if r["late"] else "response that counts"
                    drawn.setdefault(key, Line2D([], [], marker="|", markersize=12, color=colour, mew=2,
                                                 linestyle="none", label=key))
    for s in steps:
        snapshot = s["event"] is None
        line, = ax.plot([_d(s["date"])], [y["events"]], marker="D", markersize=7,
                        color="#ffffff" if snapshot else "#2a3d5c", markeredgecolor="#2a3d5c", linestyle="none")
        line.set_gid(f"{prefix}:event:{s['step']}")
        key = "snapshot" if snapshot else "event"
        drawn.setdefault(key, Line2D([], [], marker="D", markersize=7, color="#ffffff" if snapshot else "#2a3d5c",
                                     markeredgecolor="#2a3d5c", linestyle="none", label=key))
    for r in dated:
        line, = ax.plot([_d(r["date"])], [y["record"]], marker="o", markersize=6, color="#6a2b96", linestyle="none")
        line.set_gid(f"{prefix}:response:{r['response']}")
        drawn.setdefault("recorded response", Line2D([], [], marker="o", markersize=6, color="#6a2b96",
                                                     linestyle="none", label="recorded response"))
    ax.set_xlim(start - pad, axis_end)
    ax.set_ylim(-0.8, len(rows) - 0.2)
    # Labels: the steps' names above the events row, the responses' kinds below the record row,
    # each lifted to a level of its own where it would overlap another. Positions in points
    # along the axis, from the axis' width in the figure (the subplot's default 0.775 of it).
    axis_pt = width * 72 * 0.775
    lo, hi = mdates.date2num(start - pad), mdates.date2num(axis_end)

    def x_pt(day: dt.date) -> float:
        return (mdates.date2num(day) - lo) / (hi - lo) * axis_pt

    same_day: dict[str, list[str]] = {}
    for name, s in zip(names, steps):
        same_day.setdefault(s["date"], []).append(name.replace("event ", ""))
    groups = [(day, ", ".join(ns)) for day, ns in same_day.items()]
    step_levels = _place([(x_pt(_d(day)) - _text_width(t) / 2, x_pt(_d(day)) + _text_width(t) / 2)
                          for day, t in groups])
    for (day, text), level in zip(groups, step_levels):
        ax.annotate(text, (_d(day), y["events"]), xytext=(0, 9 + 14 * level), textcoords="offset points",
                    ha="center", va="bottom", fontsize=TEXT_PT, gid=f"{prefix}:label:step:{day}")
    below = 0
    if dated:
        kinds = [r["kind"].replace("_", " ") for r in dated]
        levels = _place([(x_pt(_d(r["date"])) - 3, x_pt(_d(r["date"])) + _text_width(k)) for r, k in zip(dated, kinds)])
        for r, k, level in zip(dated, kinds, levels):
            ax.annotate(k, (_d(r["date"]), y["record"]), xytext=(3, -9 - 14 * level), textcoords="offset points",
                        ha="left", va="top", fontsize=TEXT_PT, color="#6a2b96")
        below = 1 + max(levels)
    ax.set_ylim(-0.5 - 0.45 * below, len(rows) - 0.5)
    ax.set_yticks([y[label] for label, _ in rows], [label for label, _ in rows], fontsize=TEXT_PT)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=TEXT_PT)
    ax.xaxis.get_offset_text().set_fontsize(TEXT_PT)
    ax.grid(axis="x", color="#dfe3ea", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    order = [k for k in ("event", "snapshot") if k in drawn] + \
        [o for o in COLOURS if isinstance(o, str) and o in drawn] + \
        [k for k in ("duty", "duty, not ended", "response that counts", "late response", "recorded response") if k in drawn]
    ax.legend(handles=[drawn[k] for k in order], loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False,
              fontsize=TEXT_PT)
    ax.set_title(f"{timeline['case']}: events, outcomes, duties and responses", fontsize=TEXT_PT + 1, loc="left",
                 pad=12 + 14 * (1 + max(step_levels, default=0)))
    # One caption a line under the date axis, in the order and with the names of the text.
    for i, caption in enumerate(captions):
        ax.annotate(caption, (0, 0), xycoords="axes fraction", xytext=(-60, -40 - 15 * i),
                    textcoords="offset points", ha="left", va="top", fontsize=TEXT_PT,
                    gid=f"{prefix}:caption:{i}")
    return fig


def case_timeline_svg(timeline: dict, prefix: str | None = None) -> str:
    prefix = prefix or timeline["case"]
    with _style():
        return _svg(case_timeline_figure(timeline, prefix), f"{timeline['case']} timeline")


def case_timeline_png(timeline: dict) -> bytes:
    """The same picture as a PNG, by matplotlib's own raster renderer (Agg)."""
    import matplotlib
    with _style():
        fig = case_timeline_figure(timeline)
        buf = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": fig.casus_salt}):
            fig.savefig(buf, format="png", dpi=144, bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()


# ------------------------------------------------------------------ the corpus grid

@_drawn
def outcome_grid_svg(report: dict) -> str:
    """Case x provision, coloured by outcome; under a variant each cell is before | after."""
    from matplotlib.patches import Patch, Rectangle
    provisions = [p["id"] for p in report["provisions"]]
    cases = report["cases"]
    variant = report.get("variant")
    fig = _figure("grid", 1.8 + 1.1 * len(provisions), 0.9 + 0.26 * len(cases))
    ax = fig.add_subplot()
    for i, row in enumerate(cases):
        cells = {p["id"]: p for p in row["provisions"]}
        for j, pid in enumerate(provisions):
            c = cells.get(pid)
            yy = len(cases) - 1 - i
            if c is None:
                continue
            if variant:
                left = Rectangle((j, yy), 0.5, 1, facecolor=COLOURS.get(c["before"]), edgecolor="white")
                right = Rectangle((j + 0.5, yy), 0.5, 1, facecolor=COLOURS.get(c["outcome"]), edgecolor="white")
                ax.add_patch(left)
                ax.add_patch(right)
                left.set_gid(f"grid:{row['case']}:{pid}:before")
                right.set_gid(f"grid:{row['case']}:{pid}")
                if c["before"] != c["outcome"]:
                    ax.add_patch(Rectangle((j + 0.03, yy + 0.05), 0.94, 0.9, fill=False, edgecolor="#1d2430", lw=1.5))
            else:
                cell = Rectangle((j, yy), 1, 1, facecolor=COLOURS.get(c["outcome"]), edgecolor="white")
                ax.add_patch(cell)
                cell.set_gid(f"grid:{row['case']}:{pid}")
    ax.set_xlim(0, len(provisions))
    ax.set_ylim(0, len(cases))
    ax.set_xticks([j + 0.5 for j in range(len(provisions))], provisions)
    ax.xaxis.tick_top()
    ax.set_yticks([len(cases) - 1 - i + 0.5 for i in range(len(cases))], [r["case"] for r in cases])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    shown = sorted({p[k] for r in cases for p in r["provisions"] for k in ("outcome", "before") if p.get(k)})
    ax.legend(handles=[Patch(color=COLOURS[o], label=o) for o in shown], loc="upper left",
              bbox_to_anchor=(1.02, 1), frameon=False, fontsize=7)
    title = f"outcomes: before | after under {variant} (framed: flipped)" if variant else "outcomes"
    ax.set_title(title, fontsize=9, loc="left", pad=18)
    return _svg(fig, "outcome grid")


# ------------------------------------------------------------------ generated flips

@_drawn
def flips_svg(generated: dict, variant: str, against: str) -> str:
    """One bar per provision and kind of flip (before -> after), with its count."""
    bars = [(pid, kind, n) for pid, kinds in sorted(generated["flips"].items()) for kind, n in sorted(kinds.items())]
    fig = _figure("flips", 7.5, 0.9 + 0.3 * max(len(bars), 1))
    ax = fig.add_subplot()
    for i, (pid, kind, n) in enumerate(bars):
        after = kind.split(" -> ")[-1]
        drawn = ax.barh(len(bars) - 1 - i, n, color=COLOURS.get(after, "#999"), height=0.6)
        drawn.patches[0].set_gid(f"flip:{pid}:{kind}")
        ax.annotate(f"{n:,}", (n, len(bars) - 1 - i), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)
    ax.set_yticks([len(bars) - 1 - i for i in range(len(bars))], [f"{p}: {k}" for p, k, _ in bars])
    if not bars:
        ax.text(0.5, 0.5, "no flips", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(f"scenarios (of {generated['scenarios']:,}, seed {generated['seed']})")
    ax.set_title(f"flips under {variant} against {against}, by provision and kind (bar colour: outcome after)",
                 fontsize=9, loc="left")
    return _svg(fig, "flips")


# ------------------------------------------------------------------ the rule graph

def _layers(graph: dict) -> dict[str, int]:
    """Longest path from the facts, so every edge points right."""
    into: dict[str, list[str]] = {n["id"]: [] for n in graph["nodes"]}
    for e in graph["edges"]:
        if e["to"] in into and e["from"] in into:
            into[e["to"]].append(e["from"])
    layer: dict[str, int] = {}

    def depth(nid: str, seen: frozenset = frozenset()) -> int:
        if nid not in layer:
            parents = [p for p in into[nid] if p not in seen]
            layer[nid] = 1 + max((depth(p, seen | {nid}) for p in parents), default=-1)
        return layer[nid]

    for n in graph["nodes"]:
        depth(n["id"])
    return layer


@_drawn
def rule_graph_svg(graph: dict, prefix: str) -> str:
    """Facts -> rules -> conclusions -> provisions, left to right by stratum (longest path from
    the facts); fired rules (and what they concluded) outlined in red. Every label whole, at
    TEXT_PT: the columns are as wide as their longest label, the figure as wide as the columns."""
    from matplotlib.collections import LineCollection
    layer = _layers(graph)
    columns: dict[int, list[dict]] = {}
    for n in graph["nodes"]:
        columns.setdefault(layer[n["id"]], []).append(n)
    row_pt, gap_pt, margin = 24.0, 36.0, 8.0
    widths = {x: max(_text_width(n["label"]) + 12 for n in nodes) for x, nodes in columns.items()}
    lefts: dict[int, float] = {}
    at = margin
    for x in sorted(columns):
        lefts[x] = at
        at += widths[x] + gap_pt
    total_w = at - gap_pt + margin
    tallest = max(len(c) for c in columns.values())
    total_h = row_pt * tallest + 2 * margin
    pos: dict[str, tuple[float, float]] = {}
    for x, nodes in sorted(columns.items()):
        if x > 0:   # order by where the inputs sit, to keep edges short
            ins = {n["id"]: [pos[e["from"]][1] for e in graph["edges"] if e["to"] == n["id"] and e["from"] in pos]
                   for n in nodes}
            nodes.sort(key=lambda n: (-(sum(ins[n["id"]]) / len(ins[n["id"]])) if ins[n["id"]] else 0, n["id"]))
        off = (tallest - len(nodes)) / 2
        for i, n in enumerate(nodes):
            pos[n["id"]] = (lefts[x] + widths[x] / 2, -(margin + row_pt * (i + off + 0.5)))
    title_pt = 24.0
    # One data unit is one point: the axes fill the figure, whose size is the drawing's in inches.
    fig = _figure(f"graph:{prefix}", total_w / 72, (total_h + title_pt) / 72)
    ax = fig.add_axes((0, 0, 1, total_h / (total_h + title_pt)))
    hot = {n["id"] for n in graph["nodes"] if n.get("fired")}
    plain = [(pos[e["from"]], pos[e["to"]]) for e in graph["edges"]
             if e["from"] in pos and e["to"] in pos and not (e["from"] in hot and e["to"] in hot)]
    lit = [(pos[e["from"]], pos[e["to"]]) for e in graph["edges"]
           if e["from"] in pos and e["to"] in pos and e["from"] in hot and e["to"] in hot]
    edges = LineCollection(plain, colors="#c9d1de", linewidths=0.6)
    edges.set_gid(f"{prefix}:edges")
    ax.add_collection(edges)
    fired_edges = LineCollection(lit, colors=FIRED, linewidths=1.2)
    fired_edges.set_gid(f"{prefix}:edges:fired")
    ax.add_collection(fired_edges)
    for n in graph["nodes"]:
        xx, yy = pos[n["id"]]
        on = n["id"] in hot
        t = ax.text(xx, yy, n["label"], ha="center", va="center", fontsize=TEXT_PT,
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": KIND_COLOURS[n["kind"]],
                          "edgecolor": FIRED if on else "#8a93a0", "linewidth": 1.6 if on else 0.5})
        t.set_gid(f"{prefix}:node:{n['id']}" + (":fired" if on else ""))
    ax.set_xlim(0, total_w)
    ax.set_ylim(-total_h, 0)
    ax.axis("off")
    fig.text(margin / total_w, 1 - 6 / (total_h + title_pt), f"{prefix}: rule graph (red: fired for this case)",
             fontsize=TEXT_PT + 1, ha="left", va="top")
    return _svg(fig, f"{prefix} rule graph")


# ------------------------------------------------------------------ HTML wrappers for the report

def _figure_html(svg: str, caption: str) -> str:
    from html import escape
    return f'<figure class="chart">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


def grid_html(report: dict) -> str:
    return _figure_html(outcome_grid_svg(report), "Outcome of each provision for each case"
                        + (f" (left: the law as it is; right: under {report['variant']})." if report.get("variant") else "."))


def flips_html(report: dict) -> str:
    gen = report.get("generated")
    if not gen:
        return ""
    return ('<h2 id="flips">Generated scenarios that flip</h2>'
            + _figure_html(flips_svg(gen, report["variant"], gen["against"]),
                           f"{gen['with_flips']:,} of {gen['scenarios']:,} generated scenarios (seed {gen['seed']}) "
                           f"change an outcome; one bar per provision and kind of change."))


def _duty_lines(timeline: dict) -> list[str]:
    from html import escape
    lines = []
    for p in timeline["provisions"]:
        for d in p["duties"]:
            who = f" ({d['perspective']})" if d["perspective"] else ""
            span = (f"from {d['from']} until {d['until']} ({d['days']} days; ended: {d['ended_by']})" if d["until"]
                    else f"from {d['from']}, not ended by {timeline['horizon']} ({d['days']} days)")
            delays = "; ".join(f"{r['kind']} {r['date']}: {r['delay_days']} days" + (" (late)" if r["late"] else "")
                               for r in d["responses"] if r["counts"] and r["date"])
            lines.append(f"<li><code>{escape(p['id'])}</code> duty{escape(who)} {escape(span)}"
                         + (f"; responses: {escape(delays)}" if delays else "; no response that counts") + "</li>")
        for d in p["divergence"]:
            who = f" ({d['perspective']})" if d["perspective"] else ""
            lines.append(f'<li class="div"><code>{escape(p["id"])}</code>{escape(who)}: <b>{escape(d["kind"])}</b> — '
                         f"{escape(d['detail'])}</li>")
    return lines


def case_figures_html(row: dict) -> str:
    """The case's timeline (with its duties and delays as text) and its rule graph."""
    out = []
    tl = row.get("timeline")
    if tl:
        out.append(_figure_html(case_timeline_svg(tl, row["case"]),
                                f"{len(tl['steps'])} dated step(s), each judged by the law of its date; hatched: a duty "
                                "not ended by the last dated entry; ticks: responses that count."))
        lines = _duty_lines(tl)
        if lines:
            out.append('<ul class="duties">' + "".join(lines) + "</ul>")
    if row.get("graph"):
        out.append("<details><summary>Rule graph</summary>"
                   + _figure_html(rule_graph_svg(row["graph"], row["case"]),
                                  "Facts, rules, conclusions and provisions in force on the case date; red: fired for this case.")
                   + "</details>")
    return "".join(out)


# ------------------------------------------------------------------ treaties compared

@_drawn
def agreement_matrix_svg(treaties: dict) -> str:
    """Provision x provision: the share of scenarios where both answer alike (cell text), shaded by
    the share of those where either is triggered in which both are (1: they trigger together)."""
    ids = treaties["treaties"]
    pairs = {(p["a"], p["b"]): p for p in treaties["pairs"]}
    fig = _figure("agreement", 1.6 + 1.0 * len(ids), 0.8 + 0.55 * len(ids))
    ax = fig.add_subplot()
    from matplotlib import colormaps
    cmap = colormaps["Greens"]
    n = len(ids)
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            y = n - 1 - i
            if a == b:
                ax.text(j + 0.5, y + 0.5, "—", ha="center", va="center")
                continue
            p = pairs[(a, b)] if (a, b) in pairs else pairs[(b, a)]
            t = p["yes"]
            either = t["a"] + t["b"] - t["both"]
            together = t["both"] / either if either else 1.0
            from matplotlib.patches import Rectangle
            cell = Rectangle((j, y), 1, 1, facecolor=cmap(0.15 + 0.75 * together), edgecolor="white")
            ax.add_patch(cell)
            cell.set_gid(f"agreement:{a}:{b}")
            ax.text(j + 0.5, y + 0.62, f"{100 * p['agree'] / max(p['scenarios'], 1):.1f}%", ha="center", va="center")
            ax.text(j + 0.5, y + 0.3, f"{100 * together:.0f}% together", ha="center", va="center", fontsize=6)
    ax.set_xlim(0, n)
    ax.set_ylim(0, n)
    ax.set_xticks([j + 0.5 for j in range(n)], ids)
    ax.xaxis.tick_top()
    ax.set_yticks([n - 1 - i + 0.5 for i in range(n)], ids)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(f"agreement over {treaties['scenarios']:,} generated scenarios (seed {treaties['seed']}, "
                 f"{treaties['date']}); shade: triggered together when either is", fontsize=9, loc="left", pad=18)
    return _svg(fig, "agreement matrix")


def treaties_html(report: dict) -> str:
    from html import escape
    tr = report.get("treaties")
    if not tr:
        return ""
    rows = []
    for p in tr["pairs"]:
        why = "; ".join(f"{c['condition']} {c['disagreements']}" for c in p["conditions"]) or "—"
        rows.append(f"<tr><td><code>{escape(p['a'])}</code></td><td><code>{escape(p['b'])}</code></td>"
                    f"<td>{p['agree']:,}</td><td>{p['disagree']:,}</td><td>{escape(why)}</td><td>{p['unattributed']}</td></tr>")
    return ('<h2 id="treaties">Treaties compared</h2>'
            + _figure_html(agreement_matrix_svg(tr),
                           "Share of generated scenarios on which two provisions give the same outcome, the attacked "
                           "state a party to both; shade: of the scenarios where either is triggered, the share where both are.")
            + "<table><tr><th>a</th><th>b</th><th>agree</th><th>disagree</th><th>why (condition: scenarios)</th>"
              "<th>unattributed</th></tr>" + "".join(rows) + "</table>")
