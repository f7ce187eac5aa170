"""The HTML report in a real headless browser (Debian's chromium, driven by Playwright), and its
pictures parsed as SVG: one mark per event, one bar per provision and kind of flip, one grid cell
per case and provision.

Skips only where no chromium (or Playwright) exists; CI sets CASUS_REQUIRE_BROWSER=1, which
turns that skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import DATA

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
SVG = "{http://www.w3.org/2000/svg}"
TL = DATA / "timeline"
CASES = [str(TL / "request-later.yaml"), str(TL / "request-withdrawn.yaml"), "kazakhstan-2022", "armenia-2022"]
VARIANT, GENERATED = "art4-internal-crises", 1000   # seeded draws; enough reach an internal crisis (Article 4 reads ten or eleven facts)


def _browser_or_skip():
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason, sync_playwright = "Playwright for Python is not installed (pip install -e '.[test]')", None
    if reason is None and CHROMIUM is None:
        reason = "no chromium here (Debian: apt-get install chromium)"
    if reason:
        if os.environ.get("CASUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CASUS_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from conftest import run_cli
    out = tmp_path_factory.mktemp("report")
    html, data = out / "report.html", out / "report.json"
    args = [*CASES, "--variant", VARIANT, "--generated", str(GENERATED)]
    for target in (html, data):
        r = run_cli("report", *args, "-o", str(target))
        assert r.code == 0, r.err
    import json
    return html, json.loads(data.read_text(encoding="utf-8"))


def _svgs(html_text: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", html_text, flags=re.S)]


def _ids(svg: ET.Element) -> list[str]:
    return [g.get("id") for g in svg.iter() if g.get("id")]


def _steps_in_file(path) -> int:
    raw = yaml.safe_load(open(path, encoding="utf-8"))
    return len(raw.get("events", [])) + (1 if raw.get("facts") or not raw.get("events") else 0)


def test_report_opens_in_chromium_without_errors(report, tmp_path):
    sync_playwright = _browser_or_skip()
    html, _ = report
    args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # folded graphs
            svgs = page.locator("svg")
            count = svgs.count()
            assert count == len(_svgs(html.read_text(encoding="utf-8")))
            for i in range(count):
                box = svgs.nth(i).bounding_box()
                assert box is not None and box["width"] > 0 and box["height"] > 0, f"svg {i} not rendered"
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert shot.stat().st_size > 10_000


def test_report_is_self_contained_and_deterministic(report, tmp_path):
    from conftest import run_cli
    html, _ = report
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert not re.search(r'\s(src|xlink:href|href)="(https?:)?//', text.split('<h2 id="sources">')[0])
    again = tmp_path / "again.html"
    assert run_cli("report", *CASES, "--variant", VARIANT, "--generated", str(GENERATED), "-o", str(again)).code == 0
    assert again.read_bytes() == html.read_bytes()


def test_every_event_has_one_mark_and_every_duty_one_bar(report):
    html, data = report
    svgs = _svgs(html.read_text(encoding="utf-8"))
    ids = [i for s in svgs for i in _ids(s)]
    for path in (TL / "request-later.yaml", TL / "request-withdrawn.yaml"):
        case = yaml.safe_load(open(path, encoding="utf-8"))["id"]
        marks = [i for i in ids if i.startswith(f"{case}:event:")]
        assert len(marks) == _steps_in_file(path)
    row = next(r for r in data["cases"] if r["case"] == "test-request-withdrawn")
    duties = [d for p in row["timeline"]["provisions"] for d in p["duties"]]
    assert len([i for i in ids if i.startswith("test-request-withdrawn:duty:")]) == len(duties) == 1
    responses = yaml.safe_load(open(TL / "request-later.yaml", encoding="utf-8"))["record"]["responses"]
    assert len([i for i in ids if i.startswith("test-request-later:response:")]) == len(responses)


def test_one_bar_per_provision_and_kind_of_flip(report):
    html, data = report
    flips = data["generated"]["flips"]
    assert flips, "the variant flips some generated scenarios"
    expected = {f"flip:{pid}:{kind}" for pid, kinds in flips.items() for kind in kinds}
    ids = [i for s in _svgs(html.read_text(encoding="utf-8")) for i in _ids(s)]
    assert sorted(i for i in ids if i.startswith("flip:")) == sorted(expected)


def test_grid_has_one_cell_per_case_and_provision(report):
    html, data = report
    ids = [i for s in _svgs(html.read_text(encoding="utf-8")) for i in _ids(s)]
    expected = {f"grid:{r['case']}:{p['id']}" for r in data["cases"] for p in r["provisions"]}
    assert {i for i in ids if i.startswith("grid:") and not i.endswith(":before")} == expected
    assert len([i for i in ids if i.endswith(":before")]) == len(expected)      # the variant: before | after


def test_rule_graph_highlights_what_fired(report):
    html, data = report
    row = next(r for r in data["cases"] if r["case"] == "kazakhstan-2022")
    fired = {rid for p in row["provisions"] for rid in _fired_in(p["explanation"])}
    ids = [i for s in _svgs(html.read_text(encoding="utf-8")) for i in _ids(s)]
    lit = {i.split(":node:rule:")[1].removesuffix(":fired") for i in ids
           if i.startswith("kazakhstan-2022:node:rule:") and i.endswith(":fired")}
    assert fired and fired <= lit


def _fired_in(exp: dict):
    for tree in [exp.get("agreed", {}), *exp.get("perspectives", {}).values()]:
        stack = list(tree.get("rules", [])) + list(tree.get("established", []))
        while stack:
            node = stack.pop()
            yield node["rule"]
            stack.extend(node["conclusions"])


def test_evaluate_does_not_import_matplotlib():
    code = ("import sys\nfrom casus.cli.app import main\n"
            "for argv in (['evaluate', 'armenia-2022'], ['evaluate', 'armenia-2022', '--timeline']):\n"
            "    sys.argv = ['casus', *argv]\n"
            "    try:\n        main()\n    except SystemExit:\n        pass\n"
            "print('matplotlib' in sys.modules, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stderr.strip().splitlines()[-1] == "False", r.stderr
