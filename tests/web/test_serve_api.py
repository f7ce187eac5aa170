"""`casus serve`: the HTTP API, through FastAPI's test client (the real app, real worker
processes). The JSON is the CLI's JSON; bad input is a 4xx carrying the CLI's one line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jsonschema
import pytest
import yaml
from fastapi.testclient import TestClient

import casus
from casus.engine.files.paths import cases_dir, rules_dir
from casus.web.app import create_app
from conftest import case_data, run_cli
from bad_files import BINARY, CASE, TABLE

ARMENIA = (cases_dir() / "armenia-2022.yaml").read_bytes()


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(workers=2, timeout=120), base_url="http://localhost") as c:
        yield c


def cli_json(*args: str) -> str:
    r = run_cli(*args)
    assert r.code in (0, 1), r.err
    return r.out


def one_line_error(response, status: int, *words: str) -> str:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    message = body["error"]
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message, message
    return message


# ------------------------------------------------------------------ the documents

def test_openapi_lists_every_endpoint(client):
    doc = client.get("/openapi.json").json()
    assert {"/evaluate/{case}", "/evaluate", "/compare/{variant}", "/check", "/cases", "/facts",
            "/rules", "/rules/{provision}", "/variants"} <= set(doc["paths"])
    assert "requestBody" in doc["paths"]["/evaluate"]["post"]


@pytest.mark.parametrize("query,args", [
    ("", []),
    ("?explain=true", ["--explain"]),
    ("?perspective=AZ", ["--perspective", "AZ"]),
    ("?at=2012-01-01&variant=art4-internal-crises", ["--at", "2012-01-01", "--variant", "art4-internal-crises"]),
])
def test_evaluate_a_shipped_case_is_the_cli_document(client, query, args):
    r = client.get(f"/evaluate/armenia-2022{query}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.text == cli_json("evaluate", "armenia-2022", "--format", "json", *args)


def test_the_outcome_is_the_case_files_reading(client):
    # The expected block is the lawyer's reading written in the case file.
    expected = case_data("armenia-2022")["expected"]
    doc = client.get("/evaluate/armenia-2022").json()
    jsonschema.validate(doc, casus.schema("result"))
    got = {p["id"]: p for p in doc["cases"][0]["provisions"]}
    for pid, exp in expected.items():
        assert got[pid]["outcome"] == exp["outcome"]
        for party, outcome in (exp.get("perspectives") or {}).items():
            assert got[pid]["perspectives"][party]["outcome"] == outcome


def test_a_posted_case_file_gives_the_shipped_cases_document(client):
    shipped = client.get("/evaluate/armenia-2022?explain=true").text
    as_yaml = client.post("/evaluate?explain=true", content=ARMENIA, headers={"content-type": "application/yaml"})
    assert as_yaml.status_code == 200, as_yaml.text
    assert as_yaml.text == shipped
    as_json = client.post("/evaluate?explain=true", headers={"content-type": "application/json"},
                          content=json.dumps(yaml.safe_load(ARMENIA), default=str).encode())
    assert as_json.text == shipped


def test_the_same_request_gives_the_same_bytes(client):
    first = client.get("/evaluate/kazakhstan-2022?explain=true").content
    assert all(client.get("/evaluate/kazakhstan-2022?explain=true").content == first for _ in range(3))


def test_compare_is_the_cli_document(client):
    r = client.get("/compare/pk-2023-no-unsc")
    assert r.status_code == 200
    assert r.text == cli_json("compare", "pk-2023-no-unsc", "--format", "json")


def test_check_is_the_cli_document(client):
    r = client.get("/check?examples=20&seed=3")
    assert r.status_code == 200
    assert r.text == cli_json("check", "--examples", "20", "--seed", "3", "--format", "json")
    assert r.json()["passed"] is True


@pytest.mark.parametrize("url,args", [
    ("/cases", ["cases"]),
    ("/cases?variant=art4-internal-crises", ["cases", "--variant", "art4-internal-crises"]),
    ("/facts", ["facts"]),
    ("/rules", ["rules"]),
    ("/rules?at=2010-06-12", ["rules", "--at", "2010-06-12"]),
    ("/rules/cst.art4", ["rules", "show", "cst.art4"]),
    ("/rules/cst.art4?at=2010-06-12", ["rules", "show", "cst.art4", "--at", "2010-06-12"]),
])
def test_lists_are_the_cli_documents(client, url, args):
    r = client.get(url)
    assert r.status_code == 200
    # The server names files by their path in the rules directory, never by the server's
    # path to them (the CLI, on the user's own machine, prints the full path).
    assert r.text == cli_json(*args, "--format", "json").replace(str(rules_dir()) + "/", "")


def test_lists(client):
    ids = [c["id"] for c in client.get("/cases").json()["cases"]]
    assert ids == sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in cases_dir().glob("*.yaml"))
    variants = client.get("/variants").json()["variants"]
    assert variants == client.get("/rules").json()["variants"]
    assert "pk-2023-no-unsc" in {v["id"] for v in variants}
    rules = {r["id"]: r for r in client.get("/rules?at=2010-06-12").json()["provisions"]}
    assert [v["id"] for v in rules["cst.art4"]["versions"]] == ["1992"]     # amended only from 2012
    one = client.get("/rules/cst.art4").json()
    assert [v["id"] for v in one["versions"]] == ["1992", "2012"]


# ------------------------------------------------------------------ bad input

CASE_FILE_TABLE = {name: entry for name, entry in TABLE.items() if not entry[0].startswith("id: test.p")}

HOSTILE = {
    "too many nodes without aliases": ("a: [" + ",".join(["1"] * 200_000) + "]\n", "nodes"),
    "a long integer": (CASE.replace("summary: Something happened.", "summary: " + "9" * 5000), "body:"),
    "yes is not a boolean": (CASE.replace("value: true", "value: yes"), "true or false"),
}


@pytest.mark.parametrize("name", sorted(CASE_FILE_TABLE))
def test_bad_case_text_is_the_cli_message(client, name, caplog, capfd):
    content, message = CASE_FILE_TABLE[name]
    with caplog.at_level(logging.DEBUG):
        r = client.post("/evaluate", content=content.encode("utf-8"))
    assert one_line_error(r, 400) == f"body{message}"
    _nothing_logged_as_a_traceback(caplog, capfd)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_bad_case_bytes_are_the_cli_message(client, name, caplog, capfd):
    content, message = BINARY[name]
    with caplog.at_level(logging.DEBUG):
        r = client.post("/evaluate", content=content)
    assert one_line_error(r, 400) == f"body{message}"
    _nothing_logged_as_a_traceback(caplog, capfd)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_case_text_is_one_line(client, name, caplog, capfd):
    content, word = HOSTILE[name]
    with caplog.at_level(logging.DEBUG):
        r = client.post("/evaluate", content=content.encode("utf-8"))
    assert one_line_error(r, 400, word).startswith("body")
    _nothing_logged_as_a_traceback(caplog, capfd)


def _nothing_logged_as_a_traceback(caplog, capfd) -> None:
    assert not [rec for rec in caplog.records if rec.exc_info or rec.levelno >= logging.ERROR]
    out, err = capfd.readouterr()              # the worker processes write to the same fds
    assert "Traceback" not in out + err


def test_a_body_over_the_server_cap_is_refused_before_it_is_read(client):
    r = client.post("/evaluate", content=b"a" * 8_000_001)
    one_line_error(r, 413, "request body too large")


@pytest.mark.parametrize("url,status,words", [
    ("/evaluate/armenia-2O22", 404, ["no such case 'armenia-2O22'", "did you mean 'armenia-2022'?"]),
    ("/evaluate/..%2F..%2Fetc%2Fpasswd", 404, []),
    ("/evaluate/%2Fetc%2Fpasswd", 404, []),
    ("/evaluate/armenia-2022?at=2022-02-30", 400, ["at: '2022-02-30' is not a date"]),
    ("/evaluate/armenia-2022?at=yesterday", 400, ["is not a date"]),
    ("/evaluate/armenia-2022?variant=nope", 404, ["unknown variant 'nope'"]),
    ("/evaluate/armenia-2022?variant=/etc/passwd", 400, ["is not a variant id"]),
    ("/evaluate/armenia-2022?variant=x.yaml", 404, ["unknown variant 'x.yaml'"]),
    ("/evaluate/armenia-2022?perspective=KZ", 400, ["has no perspective 'KZ'"]),
    ("/evaluate/armenia-2022?explain=perhaps", 400, ["query parameter 'explain'"]),
    ("/evaluate/armenia-2022?at=1940-01-01", 400, ["before the Inter-American Treaty of Reciprocal Assistance was signed"]),
    ("/compare/nope", 404, ["unknown variant 'nope'"]),
    ("/compare/pk-2023-no-unsc?against=../x", 400, ["against: '../x' is not a variant id"]),
    ("/check?examples=0", 400, ["query parameter 'examples'"]),
    ("/rules/cst.art5", 404, ["unknown provision 'cst.art5'"]),
    ("/nowhere", 404, ["no such page"]),
])
def test_bad_requests_are_one_line(client, url, status, words, caplog):
    with caplog.at_level(logging.DEBUG):
        one_line_error(client.get(url), status, *words)
    assert not [rec for rec in caplog.records if rec.exc_info]


def test_a_variant_file_path_is_never_read(client, tmp_path):
    # A variant named in a request is a shipped variant id, never a file on the server.
    variant = tmp_path / "mine.yaml"
    variant.write_text((Path(cases_dir()).parent / "rules" / "amendments" / "majority-voting.yaml")
                       .read_text(encoding="utf-8").replace("id: majority-voting", "id: mine"), encoding="utf-8")
    r = client.get(f"/evaluate/armenia-2022?variant={variant}")
    one_line_error(r, 400, "is not a variant id")


def test_wrong_method(client):
    one_line_error(client.delete("/evaluate/armenia-2022"), 405)


# ------------------------------------------------------------------ the explorer

def test_explorer_index_lists_the_cases(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    for p in cases_dir().glob("*.yaml"):
        assert f'href="/explore/{p.stem}"' in r.text


def _outcome(html: str, pid: str) -> str:
    marker = f'data-outcome="{pid}">'
    start = html.index(marker) + len(marker)
    return html[start:html.index("<", start)]


def test_a_scenario_lives_in_the_url(client):
    # Armenia's own version of the disputed fact, taken as agreed, gives Armenia's reading.
    expected = case_data("armenia-2022")["expected"]["cst.art4"]
    plain = client.get("/explore/armenia-2022").text
    assert _outcome(plain, "cst.art4") == expected["outcome"]
    claim = case_data("armenia-2022")["facts"]["attack_target"]["claims"]["AM"]["value"]
    url = f"/explore/armenia-2022?fact.attack_target={str(claim).lower()}"
    r = client.get(url, follow_redirects=False)
    assert r.status_code == 200
    # Independent sources establish Armenia's version, so its reading is the case's own.
    assert _outcome(r.text, "cst.art4") == (expected.get("perspectives") or {}).get("AM", expected["outcome"])
    assert client.get(url).text == r.text                      # the link reproduces it


def test_the_explorer_shows_an_established_fact_as_established(client):
    """Independent sources establish armenia-2022's attack_target for everyone; the parties'
    claims stand beside it but do not make it contested (README, "Contested or established")."""
    fact = case_data("armenia-2022")["facts"]["attack_target"]
    assert fact["established_by"] and fact["claims"]                 # the file's own premise
    html = client.get("/explore/armenia-2022").text
    row = html[html.index('id="fact-attack_target"'):]
    row = row[:row.index("</tr>")]
    assert "contested: " not in row                              # the old label (the note may say "contested")
    assert f"as in the file ({fact['value']}, established)" in row
    assert "established by" in row and all(f"<strong>{p}</strong> says" in row for p in fact["claims"])


def test_old_fact_names_work_in_explorer_links_too(client):
    """README: old fact names keep working; a link written with one (as the README's own
    explorer link was) redirects to the scenario under the new name, with the value mapped as
    rules/facts.yaml maps it, and that page evaluates."""
    import re
    vocab = yaml.safe_load((Path(casus.__file__).parent / "rules" / "facts.yaml").read_text(encoding="utf-8"))
    dep = vocab["deprecated"]["attack_on_own_territory"]
    to = {str(p["from"]).lower(): p["to"] for p in dep["values"]}
    r = client.get("/explore/armenia-2022?fact.attack_on_own_territory=true&at=2023-01-01", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/explore/armenia-2022?at=2023-01-01&fact.{dep['use']}={to['true']}"
    assert client.get(r.headers["location"]).status_code == 200
    r = client.get("/explore/armenia-2022?fact.attack_on_own_territory=false", follow_redirects=False)
    assert r.headers["location"] == (f"/explore/armenia-2022?fact.{dep['use']}="
                                     f"{'unknown' if to['false'] is None else to['false']}")
    # Every explorer link in the user guide (README.md, docs/*.md) opens a page.
    root = Path(casus.__file__).parent
    guide = "".join(p.read_text(encoding="utf-8") for p in [root / "README.md", *sorted((root / "docs").glob("*.md"))])
    links = re.findall(r"`(/explore/[^`]+)`", guide)
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_form_redirects_to_one_url_per_scenario(client):
    r = client.get("/explore/armenia-2022?at=&variant=&fact.armed_attack=&fact.assistance_request=none"
                   "&fact.assistance_request=unknown", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/explore/armenia-2022?fact.assistance_request=unknown"


def test_download_is_a_valid_case_that_reproduces_the_scenario(client, tmp_path):
    query = "at=2023-01-01&fact.attack_target=claim:AZ&fact.assistance_request=unknown"
    page = client.get(f"/explore/armenia-2022?{query}").text
    r = client.get(f"/explore/armenia-2022/case.yaml?{query}")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="armenia-2022-what-if.yaml"'
    path = tmp_path / "scenario.yaml"
    path.write_bytes(r.content)
    assert run_cli("validate", str(path)).code == 0
    data = yaml.safe_load(r.text)
    assert "assistance_request" not in data["facts"]
    assert data["facts"]["attack_target"]["value"] == "other"      # AZ's claim
    assert str(data["date"]) == "2023-01-01" and "expected" not in data
    evaluated = json.loads(cli_json("evaluate", str(path), "--format", "json"))["cases"][0]
    for p in evaluated["provisions"]:
        assert _outcome(page, p["id"]) == p["outcome"]


def test_a_bad_setting_is_a_page_with_one_line(client):
    r = client.get("/explore/armenia-2022?fact.attack_target=claim:KZ")
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "no claim by &#x27;KZ&#x27; in this case (claims: AM, AZ)" in r.text
    r = client.get("/explore/armenia-2022?fact.armed_attack=perhaps")
    assert r.status_code == 400 and "&#x27;perhaps&#x27; is not true, false, unknown" in r.text
    r = client.get("/explore/armenia-2022?fact.requesting_state_member=false")
    assert r.status_code == 400 and "cannot be set" in r.text


HOSTILE_CASE = CASE.replace("title: A sample case", "title: \"<script>alert('t')</script>\"").replace(
    'src: {cite: "A source"}',
    'src: {cite: "<img src=x onerror=alert(1)>", url: "javascript:alert(1)"}\n'
    '  web: {cite: "a real page", url: "https://example.org/a?b=1&c=<2>"}').replace(
    "armed_attack: {value: true, source: src}",
    "armed_attack: {value: true, source: src, note: \"</td><b>bold</b>\"}\n"
    "  threat_to_member: {value: security, source: web}")


def test_a_pasted_case_is_escaped_and_links_only_http(client):
    r = client.post("/explore", data={"case_text": HOSTILE_CASE})
    assert r.status_code == 200, r.text[:2000]
    html = r.text
    for raw in ("<script>alert", "<img src=x", "<b>bold</b>", 'href="javascript:'):
        assert raw not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in html
    # The case travels in the form, so a change keeps it.
    again = client.post("/explore", data={"case_text": HOSTILE_CASE, "fact.armed_attack": "false"})
    assert again.status_code == 200 and "(1 set by hand)" in again.text


def test_an_uploaded_case_and_its_download(client, tmp_path):
    r = client.post("/explore", files={"case_file": ("armenia.yaml", ARMENIA, "application/yaml")})
    assert r.status_code == 200
    assert _outcome(r.text, "cst.art4") == case_data("armenia-2022")["expected"]["cst.art4"]["outcome"]
    d = client.post("/explore/download", data={"case_text": ARMENIA.decode(), "fact.armed_attack": "false"})
    assert d.status_code == 200
    path = tmp_path / "down.yaml"
    path.write_bytes(d.content)
    assert run_cli("validate", str(path)).code == 0


def test_a_bad_pasted_case_shows_the_loader_message(client):
    r = client.post("/explore", data={"case_text": CASE.replace("armed_attack:", "armed_atack:")})
    assert r.status_code == 400
    assert "body:10:3: unknown fact &#x27;armed_atack&#x27; (hint: did you mean &#x27;armed_attack&#x27;?)" in r.text
    assert client.post("/explore", data={"case_text": "  "}).status_code == 400


# ------------------------------------------------------------------ time limit and workers

def test_work_over_the_time_limit_is_stopped_and_its_worker_replaced(caplog):
    with TestClient(create_app(workers=1, timeout=1.0), base_url="http://localhost") as c:
        pool = c.app.state.pool
        before = pool.pids()
        # Exhaustive checking of every fact space takes far longer than a second.
        r = c.get("/check?examples=400&exhaustive=true")
        one_line_error(r, 504, "time limit (1 s)", "stopped")
        assert c.get("/evaluate/armenia-2022").status_code == 200      # waits for the replacement
        after = pool.pids()
        assert len(after) == 1 and after != before
        assert c.get("/healthz").json() == {"status": "ok", "workers": 1}


def test_nothing_served_needs_the_network(client):
    # FastAPI's /docs and /redoc pages load scripts from a CDN: they are switched off.
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    for url in ("/", "/explore/armenia-2022", "/static/explorer.css", "/static/explorer.js"):
        text = client.get(url).text
        assert "src=\"http" not in text and "href=\"//" not in text and "@import" not in text


def test_concurrent_requests_each_get_their_own_answer(client):
    # Two workers, many requests at once over different cases and laws: each answer is the
    # one the same request gets alone (no engine session is shared between requests).
    from concurrent.futures import ThreadPoolExecutor
    urls = [f"/evaluate/{case}?explain=true{extra}"
            for case in ("armenia-2022", "kazakhstan-2022", "kyrgyzstan-2010", "georgia-2008")
            for extra in ("", "&variant=art4-internal-crises", "&at=2010-06-12")]
    alone = {u: client.get(u).text for u in urls}
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda u: (u, client.get(u)), urls * 3))
    for url, r in together:
        assert r.status_code == 200 and r.text == alone[url], url


def test_the_explorer_under_a_variant_gives_the_case_files_reading(client):
    reading = case_data("kyrgyzstan-2010")["expected_variants"]["art4-internal-crises"]["cst.art4"]
    html = client.get("/explore/kyrgyzstan-2010?variant=art4-internal-crises").text
    assert _outcome(html, "cst.art4") == reading["outcome"]
    assert '<option value="art4-internal-crises" selected>' in html


def test_the_case_date_is_not_a_setting(client):
    date = case_data("armenia-2022")["date"]
    r = client.get(f"/explore/armenia-2022?at={date}&fact.armed_attack=false", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/explore/armenia-2022?fact.armed_attack=false"


def test_serve_another_rules_directory(tmp_path):
    # A law in which Kazakhstan withdrew at the start of 2021: in January 2022 Article 4
    # had no member to protect.
    import shutil
    from casus.engine.files.paths import rules_dir
    rules = tmp_path / "my-law"
    shutil.copytree(rules_dir(), rules)
    members = yaml.safe_load((rules / "members.yaml").read_text(encoding="utf-8"))
    members["states"]["KZ"].setdefault("events", []).append(
        {"event": "withdrawn", "date": "2021-01-01", "source": "treaty-notes", "note": "a test law"})
    (rules / "members.yaml").write_text(yaml.safe_dump(members, sort_keys=False), encoding="utf-8")
    with TestClient(create_app(rules=str(rules), workers=1, timeout=60), base_url="http://localhost") as c:
        doc = c.get("/evaluate/kazakhstan-2022").json()
    assert doc["law"]["rules"] == "my-law" and doc["law"]["shipped"] is False
    outcomes = {p["id"]: p["outcome"] for p in doc["cases"][0]["provisions"]}
    assert outcomes["cst.art4"] == "not_applicable"


def test_serve_refuses_a_bad_rules_directory_in_one_line(tmp_path):
    (tmp_path / "facts.yaml").write_text("parties: [\n", encoding="utf-8")
    r = run_cli("serve", "--rules", str(tmp_path), "--port", "1")
    assert r.code == 2 and r.out == ""
    # One line per problem (every file of the directory is checked): the broken facts.yaml,
    # and the members.yaml it lacks.
    lines = r.err.splitlines()
    assert lines[0].startswith(f"error: {tmp_path / 'facts.yaml'}:") and len(lines) == 2, r.err
    assert lines[1] == f"error: {tmp_path / 'members.yaml'}: file not found", r.err


def test_the_error_the_guide_shows_is_the_one_served(client):
    """docs/serve.md shows the response to a case file with a misspelt fact: it is this one."""
    import re
    guide = " ".join((Path(casus.__file__).parent / "docs" / "serve.md").read_text(encoding="utf-8").split())
    shown = re.search(r'`(\{"error": "body:[^`]*\})`', guide)
    assert shown, "docs/serve.md no longer shows an error response"
    r = client.post("/evaluate", content=CASE.replace("armed_attack:", "armed_atack:"))
    assert r.status_code == 400
    assert r.json() == json.loads(shown.group(1))


THREE_MISTAKES = (CASE.replace("date: 2022-01-05", "date: 2022-02-30").replace("armed_attack:", "armed_atack:")
                  + "  attack_origin: {value: external, source: src}\n")


def test_a_posted_case_gets_every_mistake_at_once_as_the_cli_does(client, tmp_path):
    path = tmp_path / "body"
    path.write_text(THREE_MISTAKES, encoding="utf-8")
    cli = run_cli("validate", str(path))
    assert cli.code == 2
    expected = [line[len("error: "):].replace(str(path), "body") for line in cli.err.splitlines()]
    assert len(expected) == 3
    r = client.post("/evaluate", content=THREE_MISTAKES.encode("utf-8"))
    assert r.status_code == 400
    body = r.json()
    assert body["errors"] == expected and body["error"] == expected[0]


def test_the_explorer_shows_every_mistake_of_a_pasted_case(client):
    r = client.post("/explore", data={"case_text": THREE_MISTAKES})
    assert r.status_code == 400
    import html
    page = html.unescape(r.text)
    for word in ("is not a date", "unknown fact 'armed_atack'", "has no value 'external'"):
        assert word in page, word
    assert page.count("<li>") >= 3


def test_the_explorer_edits_roles(client):
    # kazakhstan-2022's requesting state is KZ, a member in January 2022. Naming a state that
    # was never a party to the CST (FR) as the requesting state makes Article 4 not_applicable:
    # the Treaty protects its parties only (members.yaml).
    html = client.get("/explore/kazakhstan-2022").text
    assert 'name="role.requesting_state"' in html and 'name="role.attacker"' in html
    r = client.get("/explore/kazakhstan-2022?role.requesting_state=FR")
    assert r.status_code == 200, r.text[:500]
    assert _outcome(r.text, "cst.art4") == "not_applicable"
    assert "now: <strong>FR</strong>" in r.text
    bad = client.get("/explore/kazakhstan-2022?role.attacker=nobody-here")
    assert bad.status_code == 400 and "neither a state" in bad.text


def test_the_explorer_shows_a_presumed_value_as_presumed(client):
    # request_withdrawn is presumed false where a case is silent (facts.yaml); kazakhstan-2022
    # says nothing of a withdrawal.
    assert "request_withdrawn" not in case_data("kazakhstan-2022").get("facts", {})
    html = client.get("/explore/kazakhstan-2022").text
    row = html[html.index('id="fact-request_withdrawn"'):]
    row = row[:row.index("</tr>")]
    assert "false (presumed: the case is silent)" in row


def test_every_fact_that_would_decide_has_a_control(client):
    # An empty what-if: kazakhstan-2022 with its requesting state unknown. What would decide
    # Article 4 includes the derived requesting_state_member, set through the role.
    html = client.get("/explore/kazakhstan-2022?role.requesting_state=unknown").text
    start = html.index('data-provision="cst.art4"')
    card = html[start:html.index("</article>", start)]
    assert "What would decide it" in card
    import re
    for fact in set(re.findall(r'data-decide="([a-z_]+)"', card)):
        assert f'id="fact-{fact}"' in html or 'href="#role-' in card, fact
    assert 'href="#role-requesting_state"' in card


def test_a_pasted_cases_what_if_has_a_link_that_reproduces_it(client):
    import html as H
    import re
    text = (cases_dir() / "kazakhstan-2022.yaml").read_text(encoding="utf-8")
    page = client.post("/explore", data={"case_text": text, "fact.attack_origin": "internal"}).text
    link = re.search(r'<a href="(/what-if\?case=[^"]+)">Link to this what-if</a>', page)
    assert link, "no link on a pasted case's page"
    opened = client.get(H.unescape(link.group(1)))
    assert opened.status_code == 200
    # The same scenario: the observers' reading (internal unrest) taken as agreed.
    assert _outcome(opened.text, "cst.art4") == _outcome(page, "cst.art4")
    assert 'value="internal" selected' in opened.text
    bad = client.get("/what-if?case=not-a-token!")
    assert bad.status_code == 400
