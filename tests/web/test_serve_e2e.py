"""The explorer in a real browser: `casus serve` in its own process, driven by Playwright
in Debian's chromium (never `playwright install`, which downloads a browser).

The test skips only where there is no chromium and CASUS_REQUIRE_BROWSER is unset;
CI installs chromium and sets CASUS_REQUIRE_BROWSER=1, so there a skip is a failure.
CASUS_SCREENSHOT=FILE.png keeps the screenshot the test takes (the README's picture).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import case_data, run_cli

CHROMIUM = os.environ.get("CASUS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CASUS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and CASUS_REQUIRE_BROWSER=1 says the browser test must run")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.TemporaryFile(mode="w+")        # not a pipe: a full pipe would block the server
    proc = subprocess.Popen([sys.executable, "-c", "from casus.cli.entry import main; main()",
                             "serve", "--port", str(port), "--workers", "1"],
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):                          # up to a minute for the workers to start
            if proc.poll() is not None:
                log.seek(0)
                raise AssertionError(f"casus serve exited: {log.read()}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("casus serve did not start within a minute")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.seek(0)
        out = log.read()
        log.close()
        assert "Traceback" not in out, out


@pytest.fixture(scope="module")
def browser():
    _need(Path(CHROMIUM).exists(), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_explore_a_case_change_a_fact_reload_and_download(server, browser, tmp_path):
    case = case_data("armenia-2022")
    reading = case["expected"]["cst.art4"]
    am_claim = case["facts"]["attack_target"]["claims"]["AM"]["value"]
    # Independent sources establish Armenia's version, so its reading is the case's own.
    am_reading = (reading.get("perspectives") or {}).get("AM", reading["outcome"])
    page = browser.new_page(viewport={"width": 1100, "height": 720}, accept_downloads=True)
    outside: list[str] = []
    page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(server) else None)
    outcome = page.locator('[data-outcome="cst.art4"]')

    page.goto(f"{server}/")
    page.click('a[href="/explore/armenia-2022"]')
    page.wait_for_url(f"{server}/explore/armenia-2022")
    assert outcome.inner_text() == reading["outcome"]

    # Take Armenia's version of the disputed fact as agreed: Armenia's reading follows.
    select = page.locator('select[name="fact.attack_target"]')
    select.select_option(str(am_claim).lower())                         # submits by itself
    page.wait_for_url("**fact.attack_target=own_territory")
    assert outcome.inner_text() == am_reading
    assert page.locator('[data-now="attack_target"] strong').inner_text() == "own_territory"

    # The scenario is in the URL: a reload (or the link) shows the same state.
    url = page.url
    page.reload()
    assert page.url == url
    assert outcome.inner_text() == am_reading
    assert select.input_value() == "own_territory"

    # Unknown again: undetermined, and the fact that would decide it is a button.
    select.select_option("unknown")
    page.wait_for_url("**fact.attack_target=unknown")
    assert outcome.inner_text() == "undetermined"
    page.locator('#prov-cst\\.art4 button[data-decide="attack_target"][value="own_territory"]').click()
    page.wait_for_url("**fact.attack_target=own_territory")
    assert outcome.inner_text() == am_reading

    # The law of another date: before the 2012 amendment, the 1992 text applies.
    page.fill('input[name="at"]', "2010-06-12")
    page.locator('input[name="at"]').dispatch_event("change")
    page.wait_for_url("**at=2010-06-12**")
    assert "version 1992" in page.locator('#prov-cst\\.art4 .explanation').inner_text()

    shot = tmp_path / "explorer.png"
    page.goto(url)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("CASUS_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["CASUS_SCREENSHOT"])

    with page.expect_download() as info:
        page.click("a.download")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(str(saved))
    assert saved.name == "armenia-2022-what-if.yaml"
    assert run_cli("validate", str(saved)).code == 0
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["facts"]["attack_target"]["value"] == "own_territory"
    assert outside == []                                                 # nothing fetched from elsewhere
    page.close()
