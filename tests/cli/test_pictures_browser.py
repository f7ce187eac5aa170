"""The pictures people read, opened in a real headless browser (Debian's chromium): no two
texts overlap (their bounding boxes), every legend entry stands for something drawn, no text
is smaller than 10 px, events are numbered as the timeline text numbers them, and
`--picture FILE.png|svg` writes the timeline picture.

Skips only where no chromium (or Playwright) exists; CI sets CASUS_REQUIRE_BROWSER=1, which
turns that skip into a failure."""

from __future__ import annotations

import json
import re

import pytest

from conftest import DATA, run_cli
from test_report_browser import _browser_or_skip

ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMELINE_CASES = ["armenia-2022", "kazakhstan-2022", "armenia-2021", "kyrgyzstan-2010",
                  str(DATA / "timeline" / "request-later.yaml"), str(DATA / "timeline" / "request-withdrawn.yaml")]
GRAPH_CASES = ["armenia-2022", "kazakhstan-2022"]

# Every <text> of the page: its string, its box, its computed font size in px.
MEASURE = """() => Array.from(document.querySelectorAll('svg text')).map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height,
          size: parseFloat(getComputedStyle(t).fontSize), gid: (t.closest('g[id]') || {}).id || ''};
}).filter(b => b.text.trim() && b.w > 0)"""


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    from conftest import DATA as _  # noqa: F401 - the fixture data must exist
    import shutil
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield b
        b.close()


def _boxes(browser, svg_path):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(svg_path.as_uri())
    boxes = page.evaluate(MEASURE)
    page.close()
    return boxes


def _overlaps(boxes, slack=0.5):
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["x"] + slack < b["x"] + b["w"] and b["x"] + slack < a["x"] + a["w"]
                    and a["y"] + slack < b["y"] + b["h"] and b["y"] + slack < a["y"] + a["h"]):
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("case", TIMELINE_CASES)
def test_timeline_picture_is_readable(browser, tmp_path, case):
    svg = tmp_path / "t.svg"
    r = run_cli("evaluate", case, "--timeline", "--picture", str(svg), "--format", "json")
    assert r.code == 0, r.err
    timeline = json.loads(r.out)["timelines"][0]
    boxes = _boxes(browser, svg)
    assert boxes
    assert not _overlaps(boxes), _overlaps(boxes)[:5]
    assert min(b["size"] for b in boxes) >= 10, sorted((b["size"], b["text"]) for b in boxes)[:3]
    texts = [b["text"] for b in boxes]
    # Steps are named as the text names them: 'event N' by the event's own number, else 'snapshot'.
    for step in timeline["steps"]:
        name = "snapshot" if step["event"] is None else f"event {step['event']}"
        assert any(t.startswith(f"{name} ({step['date']}") for t in texts), (name, texts)
    # The legend lists what is drawn, and only that.
    drawn_outcomes = set()
    for p in timeline["provisions"]:
        for n, c in enumerate(p["changes"]):
            nxt = p["changes"][n + 1]["date"] if n + 1 < len(p["changes"]) else None
            if nxt is None or nxt > c["date"]:
                drawn_outcomes.add(c["outcome"])
    outcomes = {"triggered", "not_triggered", "undetermined", "contested", "not_applicable"}
    legend = {t for t in texts if t in outcomes}
    assert legend == drawn_outcomes, (legend, drawn_outcomes)
    has = {"event": any(s["event"] is not None for s in timeline["steps"]),
           "snapshot": any(s["event"] is None for s in timeline["steps"]),
           "recorded response": any(r["date"] for r in timeline["responses"]),
           "duty, not ended": any(d["until"] is None for p in timeline["provisions"] for d in p["duties"]),
           "duty": any(d["until"] for p in timeline["provisions"] for d in p["duties"])}
    for entry, present in has.items():
        assert (entry in texts) == present, (entry, present, texts)
    # The axis is fitted to the events: nothing before the first dated entry's padding.
    assert svg.read_text(encoding="utf-8").count(":caption:") == len(timeline["steps"])


@pytest.mark.parametrize("case", GRAPH_CASES)
def test_rule_graph_is_readable(browser, tmp_path, case):
    svg = tmp_path / "g.svg"
    r = run_cli("graph", "--case", case, "--format", "svg", "-o", str(svg))
    assert r.code == 0, r.err
    boxes = _boxes(browser, svg)
    assert not _overlaps(boxes), _overlaps(boxes)[:5]
    assert min(b["size"] for b in boxes) >= 10
    graph = json.loads(run_cli("graph", "--case", case, "--format", "json").out)
    texts = {b["text"] for b in boxes}
    for node in graph["nodes"]:
        assert node["label"] in texts, node["label"]      # whole, never cut ("Authorising a peacekeepi...")


def test_png_picture_is_drawn_by_matplotlib(tmp_path):
    png = tmp_path / "t.png"
    r = run_cli("evaluate", "armenia-2022", "--timeline", "--picture", str(png))
    assert r.code == 0, r.err
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    again = tmp_path / "u.png"
    assert run_cli("evaluate", "armenia-2022", "--timeline", "--picture", str(again)).code == 0
    assert again.read_bytes() == data                      # deterministic


def test_picture_needs_a_timeline_of_one_case(tmp_path):
    r = run_cli("evaluate", "armenia-2022", "kazakhstan-2022", "--timeline", "--picture", str(tmp_path / "x.svg"))
    assert r.code == 2 and "exactly one case" in r.err
    assert not (tmp_path / "x.svg").exists()
