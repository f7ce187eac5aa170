"""Render the timeline picture of docs/timelines.md: a case's report, opened in headless chromium, its
timeline figure screenshotted to a PNG.

    python docs/timeline_png.py armenia-2022 docs/timeline-armenia-2022.png

Needs Debian's chromium and Playwright for Python (pip install -e '.[test]'); never runs
`playwright install`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(case: str, png: str) -> None:
    from playwright.sync_api import sync_playwright

    from casus.cli.app import app
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        app(["report", case, "-o", str(html)], standalone_mode=False)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.goto(html.as_uri())
            page.locator(f"#case-{case} figure.chart").first.screenshot(path=png)
            browser.close()
    print(f"wrote {png}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
