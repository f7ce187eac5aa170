"""Hostile input, round two (issue 17): what casus prints and writes. A string from an input
file reaches a terminal only with its control sequences shown, not obeyed; it reaches an
HTML or Markdown report only as text (no raw HTML, no forged heading, table or link, no
javascript:/data: link)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

ESC_TITLE = "Clipboard \\e]52;c;ZWNobyBwd25lZA==\\a and clear \\e[2J\\e[H, 8-bit CSI \\x9b31m, \\u202eevil"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")

CASE = """id: hostile
title: "%(title)s"
date: 2022-01-05
requesting_state: KZ
territory: KZ
summary: "%(summary)s"
sources:
  "%(key)s": {cite: "%(cite)s", url: "%(url)s"}
  fine: {cite: "A fine source", url: "https://example.org/fine"}
facts:
  armed_attack: {value: true, source: "%(key)s", note: "%(note)s"}
  attack_origin:
    claims:
      KZ: {value: external_state, source: fine, note: "%(note)s"}
      observers: {value: internal, source: fine}
"""


def write(tmp_path, **fields):
    values = {"title": "A case", "summary": "Something happened.", "key": "src", "cite": "A source",
              "url": "https://example.org/a", "note": "a note", **fields}
    path = tmp_path / "hostile.yaml"
    path.write_text(CASE % values, encoding="utf-8")
    return path


# ------------------------------------------------------------------ terminal

@pytest.mark.parametrize("args", [(), ("--explain",), ("--explain", "-f", "json"), ("--timeline",)])
def test_control_sequences_from_a_case_are_shown_not_obeyed(cli, tmp_path, args):
    path = write(tmp_path, title=ESC_TITLE, note="note \\e]0;new title\\a", summary="\\e[31mred")
    r = cli("evaluate", str(path), *args)
    assert r.code == 0, r.err
    for raw in RAW:
        assert raw not in r.out, (raw, r.out[:400])
    if "json" in args:      # still the same strings, once parsed
        data = json.loads(r.out)
        assert data["cases"][0]["title"] == "Clipboard \x1b]52;c;ZWNobyBwd25lZA==\x07 and clear \x1b[2J\x1b[H, " \
                                            "8-bit CSI \x9b31m, \u202eevil"
    else:
        assert "\\u001b]52;c;ZWNobyBwd25lZA==\\u0007" in r.out


def test_control_sequences_in_the_one_line_error(cli, tmp_path):
    path = write(tmp_path).read_text().replace("armed_attack:", '"armed\\e[2J\\e]52;c;eA==\\a":')
    (tmp_path / "bad.yaml").write_text(path)
    r = cli("evaluate", str(tmp_path / "bad.yaml"))
    assert r.code == 2 and r.err.count("\n") == 1
    for raw in RAW:
        assert raw not in r.err
    assert "\\u001b[2J" in r.err


def test_control_sequences_in_written_files(cli, tmp_path):
    path = write(tmp_path, title=ESC_TITLE)
    for name in ("r.md", "r.json", "r.html"):
        assert cli("report", str(path), "-o", str(tmp_path / name)).code == 0
        text = (tmp_path / name).read_text(encoding="utf-8")
        for raw in RAW:
            assert raw not in text, (name, raw)


# ------------------------------------------------------------------ HTML links

class Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[str] = []
        self._in_heading = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        if self._in_heading:
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag.startswith("h") and tag[1:].isdigit():
            self._in_heading = False

    def handle_data(self, data):
        if self._in_heading:
            self.headings[-1] += data

    def hrefs(self) -> list[str]:
        return [a.get("href") or "" for t, a in self.tags if t == "a" and "href" in a]


BAD_URLS = ["javascript:alert(document.domain)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
            "java\\tscript:alert(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)", "//evil.example/x"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_report_links_only_http_and_relative(cli, tmp_path, url):
    path = write(tmp_path, url=url)
    for name in ("r.html", "r.md"):
        out = tmp_path / name
        assert cli("report", str(path), "-o", str(out)).code == 0
        text = out.read_text(encoding="utf-8")
        html_text = text if name.endswith(".html") else _markdown_to_html(text)
        hrefs = Tags(html_text).hrefs()
        assert "https://example.org/fine" in hrefs              # the good link stays live
        for href in hrefs:
            seen = re.sub(r"[\s\x00-\x1f]", "", href)       # as a browser reads it: java<TAB>script: is javascript:
            assert seen.startswith(("https://", "http://", "#")) or not re.match(r"^([a-z][a-z0-9+.-]*:|//)", seen, re.I), href


def test_relative_links_stay_links(cli, tmp_path):
    path = write(tmp_path, url="notes/source-a.pdf")
    out = tmp_path / "r.html"
    assert cli("report", str(path), "-o", str(out)).code == 0
    assert "notes/source-a.pdf" in Tags(out.read_text(encoding="utf-8")).hrefs()


# ------------------------------------------------------------------ Markdown

def _markdown_to_html(text: str) -> str:
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)><iframe src=https://evil.example></iframe>"
TRACKER = "![t](https://track.example/pixel.gif)"


def test_markdown_report_carries_no_live_html(cli, tmp_path):
    path = write(tmp_path, title="Title\\n# Forged heading\\n\\n| forged | table |\\n|---|---|\\n| a | b |",
                 summary=SCRIPT + " " + TRACKER + " <b onmouseover=alert(3)>x</b> &lt;script&gt;",
                 key="k](javascript:alert(4))[x", cite="[click](javascript:alert(5))")
    out = tmp_path / "r.md"
    r = cli("report", str(path), "-o", str(out))
    assert r.code == 0, r.err
    rendered = _markdown_to_html(out.read_text(encoding="utf-8"))
    page = Tags(rendered)
    allowed = {"a", "code", "strong", "em", "p", "ul", "li", "h1", "h2", "h3", "h4", "table", "thead",
               "tbody", "tr", "th", "td", "blockquote"}
    assert {t for t, _ in page.tags} <= allowed, {t for t, _ in page.tags} - allowed
    for tag, attrs in page.tags:
        assert set(attrs) <= {"id", "href", "style"}, (tag, attrs)     # no onerror, onmouseover, src
    # Links go only to our own anchors or http(s): a slug may contain the word "javascript"
    # (an anchor made from a hostile source key), a scheme may not.
    assert all(h.startswith(("#", "http://", "https://")) for h in page.hrefs()), page.hrefs()
    assert not any("Forged heading" == h.strip() for h in page.headings)
    assert [t for t, _ in page.tags].count("table") == 1                   # only the summary
    # shown as text, all of it
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "&amp;lt;script&amp;gt;" in rendered
    assert "# Forged heading" in rendered


def test_markdown_report_headings_are_ours(cli, tmp_path):
    path = write(tmp_path, title="## Not mine")
    out = tmp_path / "r.md"
    assert cli("report", str(path), "-o", str(out)).code == 0
    page = Tags(_markdown_to_html(out.read_text(encoding="utf-8")))
    assert "## Not mine" in page.headings


def test_html_report_carries_no_live_html(cli, tmp_path):
    path = write(tmp_path, title=SCRIPT, summary=SCRIPT, note=SCRIPT, cite=SCRIPT, key="<b>k</b>")
    out = tmp_path / "r.html"
    assert cli("report", str(path), "-o", str(out)).code == 0
    page = Tags(out.read_text(encoding="utf-8"))
    assert not {t for t, _ in page.tags} & {"script", "img", "iframe"}
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
