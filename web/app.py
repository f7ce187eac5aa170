"""`casus serve`: the HTTP API (the CLI's JSON documents) and the what-if explorer.

The server process parses requests, checks them and renders pages; every piece of
engine work (loading cases, evaluating, analyses) runs in a worker process (see
pool.py) through the public API. Bad input is a 4xx response carrying one line,
`{"error": "file:line:col: message (hint: ...)"}`, exactly the CLI's message.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
import re
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from . import explorer, scenario
from .guard import BodyTooSlow, Guard, allowed_hosts
from .limits import BODY_TIMEOUT
from .html import CSP, CSS, JS
from .pool import WORKER_MEMORY, JobFailed, WorkerPool, default_workers
from ..engine.files.errors import date_problem

log = logging.getLogger("casus.serve")

# The loader holds a case to 2,000,000 bytes (as for files); this cap only keeps a
# huge body out of memory, with room for a form's encoding of such a case.
MAX_BODY = 8_000_000
VARIANT = r"^[a-z0-9][a-z0-9_.\-]{0,99}(\+[a-z0-9][a-z0-9_.\-]{0,99}){0,7}$"
FACT_KEY = re.compile(r"^fact\.([a-z][a-z0-9_]{0,63})$")
ROLE_KEY = re.compile(r"^role\.[a-z][a-z_]{0,40}$")
ROLE_SETTING = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")
SETTING = re.compile(r"^(unknown|true|false|[A-Za-z0-9_.\-]{1,64}|claim:[A-Za-z0-9_.\-]{1,64})$")

YAML_BODY = {"requestBody": {"required": True, "description": "A case file: YAML (or JSON, which is YAML).",
                             "content": {"application/yaml": {"schema": {"type": "string"}},
                                         "application/json": {"schema": {"type": "object"}}}}}
ERROR = {"description": "Bad input: one line, as the CLI prints it",
         "content": {"application/json": {"example": {"error": "body:10:3: unknown fact 'armed_atack' "
                                                               "(hint: did you mean 'armed_attack'?)"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {400: ERROR, 404: ERROR, 504: ERROR}
LONG_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 422: ERROR}

# The fastest each kind of work has been measured to go, on one core of a quiet machine
# (docs/performance.md), with room to spare: work that would need longer than the time
# limit even at this pace is refused before it starts (422) instead of holding a worker
# for the whole limit and failing then. Work within it can still overrun (a 504).
EXAMPLES_PER_SECOND = 500              # `check`: hypothesis examples (measured ~100-150/s per core)
SCENARIOS_PER_SECOND = 60_000          # `compare --generated`: scenarios (measured ~45,000/s per core)
ASSIGNMENTS_PER_SECOND = 1_000_000     # `check --exhaustive`: fact assignments, up to `bound`


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def one_line(text: str) -> str:
    return " ".join(str(text).split())


# ------------------------------------------------------------------ the body limit

class _TooLarge(StarletteHTTPException):
    pass


class BodyLimit:
    """Refuses request bodies over `limit` bytes, by Content-Length or as they stream in."""

    def __init__(self, app: Any, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await JSONResponse({"error": self._message()}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge(413, self._message())
            return message

        await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"request body too large (the limit is {self.limit} bytes)"


# ------------------------------------------------------------------ the app

def create_app(rules: str | None = None, workers: int | None = None, timeout: float = 10.0,
               hosts: frozenset[str] | None = None, body_timeout: float = BODY_TIMEOUT,
               worker_memory: int = WORKER_MEMORY) -> FastAPI:
    """The application; `hosts` are the names it answers to (default: the loopback names)."""
    pool = WorkerPool(workers or default_workers(), rules=rules, timeout=timeout, memory=worker_memory)
    meta: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        try:
            cases = json.loads(await pool.run("listing", {"what": "cases"}))["cases"]
            meta["cases"] = cases
            meta["case_ids"] = {c["id"] for c in cases}
            meta["dates"] = {c["id"]: c["date"] for c in cases}
            meta["renamed"] = json.loads(await pool.run("listing", {"what": "renamed"}))["renamed"]
            yield
        finally:
            await pool.close()

    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN, and nothing this
    # server serves may need the network. The OpenAPI document itself is at /openapi.json.
    app = FastAPI(title="casus", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  summary="Does this treaty article apply here? The casus engine over HTTP.",
                  description="The same JSON documents as the `casus` command (`--format json`), "
                              "and a what-if explorer at `/`. Bad input is a 4xx response "
                              "`{\"error\": \"one line\"}`.")
    app.state.pool = pool
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    app.add_middleware(Guard, hosts=hosts or allowed_hosts("127.0.0.1"), body_timeout=body_timeout)

    # -------------------------------------------------------------- errors as one line

    def _is_page(request: Request) -> bool:
        return request.url.path == "/" or request.url.path.startswith("/explore")

    def _error(request: Request, status: int, message: str) -> Response:
        if _is_page(request):
            return HTMLResponse(explorer.error_page(message), status_code=status, headers=_page_headers())
        lines = [one_line(line) for line in str(message).splitlines() if line.strip()] or [one_line(message)]
        body: dict[str, Any] = {"error": lines[0]}
        if len(lines) > 1:
            body["errors"] = lines          # every mistake of a posted case, one line each
        return JSONResponse(body, status_code=status)

    @app.exception_handler(JobFailed)
    async def _job_failed(request: Request, exc: JobFailed) -> Response:
        if exc.status >= 500:
            log.error("casus serve: %s %s: %s", request.method, request.url.path, exc.message)
        return _error(request, exc.status, exc.message)

    @app.exception_handler(BadRequest)
    async def _bad_request(request: Request, exc: BadRequest) -> Response:
        return _error(request, exc.status, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        err = exc.errors()[0]
        where = [str(p) for p in err.get("loc", ())]
        kind = {"query": "query parameter", "path": "path parameter", "body": "body"}.get(where[0], where[0]) \
            if where else "request"
        name = f" '{'.'.join(where[1:])}'" if len(where) > 1 else ""
        return _error(request, 400, f"{kind}{name}: {err.get('msg', 'is not valid')}")

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect) -> Response:
        # Nobody is left to answer: one line, not a traceback (and not a bug).
        client = request.client
        log.info("casus serve: %s %s: the client went away before sending its whole body%s", request.method,
                 request.url.path, f" ({client.host}:{client.port})" if client else "")
        return Response(status_code=400)

    @app.exception_handler(BodyTooSlow)
    async def _slow(request: Request, exc: BodyTooSlow) -> Response:
        return JSONResponse({"error": f"the request body did not arrive within {body_timeout:g} s"},
                            status_code=408, headers={"Connection": "close"})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page '{request.url.path}' (hint: /openapi.json lists the API, / is the explorer)"
        return _error(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        log.error("casus serve: %s %s: internal error: %s: %s", request.method, request.url.path,
                  type(exc).__name__, one_line(str(exc)))
        return _error(request, 500, f"internal error: {type(exc).__name__} (this is a bug in casus)")

    # -------------------------------------------------------------- helpers

    def _day(at: str | None) -> str | None:
        if not at:
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", at):
            try:
                return dt.date.fromisoformat(at).isoformat()
            except ValueError:
                pass
        raise BadRequest(f"at: '{at[:40]}' {date_problem(at)}")

    def _variant(variant: str | None, name: str = "variant") -> str | None:
        if not variant:
            return None
        if not re.fullmatch(VARIANT, variant):
            raise BadRequest(f"{name}: '{variant[:80]}' is not a variant id (hint: GET /variants lists them; "
                             "stack two with a+b)")
        return variant

    def _shipped(case_id: str) -> str:
        if case_id not in meta["case_ids"]:
            close = difflib.get_close_matches(case_id, sorted(meta["case_ids"]), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "GET /cases lists them"
            raise BadRequest(f"no such case '{case_id}' (hint: {hint})", 404)
        return case_id

    def _json(text: str) -> Response:
        return Response(text, media_type="application/json")

    async def _run(name: str, long: bool = False, **params: Any) -> Any:
        return await pool.run(name, params, long=long)

    def _affordable(what: str, seconds: float, hint: str) -> None:
        if seconds > timeout:
            raise BadRequest(f"{what} cannot finish within this server's time limit ({timeout:g} s): at the fastest "
                             f"pace measured it would take {seconds:,.0f} s (hint: {hint}, or run the casus command "
                             "itself, which has no time limit)", 422)

    At = Query(None, description="Apply the law of this date (YYYY-MM-DD) instead of the case date.",
               max_length=40)
    Variant = Query(None, description="Amendment variant id (GET /variants); stack with a+b.", max_length=400)
    Perspective = Query(None, description="Evaluate one party's version of the contested facts.", max_length=64)
    Explain = Query(False, description="Add the explanation tree (rule <- article text <- facts <- sources).")

    # -------------------------------------------------------------- the API

    @app.get("/evaluate/{case}", tags=["cases"], responses=ERRORS,
             summary="Evaluate a shipped case (as `casus evaluate CASE --format json`)")
    async def evaluate_shipped(case: str = Path(..., max_length=100, description="A shipped case id (GET /cases)."),
                               at: str | None = At, variant: str | None = Variant,
                               perspective: str | None = Perspective, explain: bool = Explain) -> Response:
        return _json(await _run("evaluate", case=_shipped(case), at=_day(at), variant=_variant(variant),
                                perspective=perspective, explain=explain))

    @app.post("/evaluate", tags=["cases"], responses=ERRORS, openapi_extra=YAML_BODY,
              summary="Evaluate the case file in the body (YAML or JSON)")
    async def evaluate_posted(request: Request, at: str | None = At, variant: str | None = Variant,
                              perspective: str | None = Perspective, explain: bool = Explain) -> Response:
        body = await request.body()
        return _json(await _run("evaluate", text=body, at=_day(at), variant=_variant(variant),
                                perspective=perspective, explain=explain))

    @app.get("/compare/{variant}", tags=["analysis"], responses=LONG_ERRORS,
             summary="Which shipped cases (and generated scenarios) flip under a variant")
    async def compare(variant: str = Path(..., max_length=400),
                      against: str = Query("base", max_length=400),
                      generated: int = Query(0, ge=0, le=1_000_000, description="Also compare N generated scenarios."),
                      seed: int = Query(0, ge=0, le=2**32)) -> Response:
        _affordable(f"generated={generated}", generated / SCENARIOS_PER_SECOND,
                    f"at most {int(timeout * SCENARIOS_PER_SECOND):,} generated scenarios")
        return _json(await _run("compare", long=True, variant=_variant(variant), against=_variant(against, "against"),
                                generated=generated, seed=seed))

    @app.get("/check", tags=["analysis"], responses=LONG_ERRORS, summary="Decide the rules' properties (as `casus check`)")
    async def check(variant: str | None = Variant, examples: int = Query(200, ge=1, le=100_000),
                    seed: int = Query(0, ge=0, le=2**32), exhaustive: bool = False, smt: bool = False,
                    bound: int = Query(100_000, ge=1, le=10_000_000)) -> Response:
        _affordable(f"examples={examples}", examples / EXAMPLES_PER_SECOND,
                    f"at most {int(timeout * EXAMPLES_PER_SECOND):,} examples")
        # A check enumerates every fact space up to `bound` (z3 decides larger ones).
        _affordable(f"{'exhaustive with ' if exhaustive else ''}bound={bound}",
                    bound / ASSIGNMENTS_PER_SECOND + examples / EXAMPLES_PER_SECOND, "a smaller bound")
        return _json(await _run("check", long=True, variant=_variant(variant), examples=examples, seed=seed, exhaustive=exhaustive,
                                smt=smt, bound=bound))

    @app.get("/cases", tags=["lists"], responses=ERRORS,
             summary="The shipped cases and their outcomes (as `casus cases --format json`)")
    async def cases(variant: str | None = Variant) -> Response:
        return _json(await _run("listing", what="cases", variant=_variant(variant)))

    @app.get("/facts", tags=["lists"], responses=ERRORS, summary="The fact vocabulary (as `casus facts --format json`)")
    async def facts(variant: str | None = Variant) -> Response:
        return _json(await _run("listing", what="facts", variant=_variant(variant)))

    @app.get("/rules", tags=["lists"], responses=ERRORS,  # type: ignore[no-redef]  # the route's name: its operationId
             summary="The provisions, their dated versions and the variants (as `casus rules --format json`)")
    async def rules(at: str | None = At, variant: str | None = Variant) -> Response:
        return _json(await _run("listing", what="rules", at=_day(at), variant=_variant(variant)))

    @app.get("/rules/{provision}", tags=["lists"], responses=ERRORS,
             summary="One provision's text and rules (as `casus rules show ID --format json`)")
    async def provision(provision: str = Path(..., max_length=100), at: str | None = At,
                        variant: str | None = Variant) -> Response:
        return _json(await _run("provision", pid=provision, at=_day(at), variant=_variant(variant)))

    @app.get("/variants", tags=["lists"], summary="The amendment variants (the `variants` of `casus rules`)")
    async def variants() -> Response:
        return _json(await _run("listing", what="variants"))

    @app.get("/healthz", tags=["server"], summary="Is the server up")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "workers": len(pool.pids())}

    # -------------------------------------------------------------- the explorer

    def _page_headers() -> dict[str, str]:
        return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer"}

    def _scenario(pairs: list[tuple[str, str]]) -> tuple[str | None, str | None, dict[str, str]]:
        """(at, variant, fact settings) from query or form pairs; the last of a repeated key wins,
        empty values mean "as in the file", other keys are ignored. The treaty picked (`treaty`)
        travels among the settings under explorer.TREATY_KEY (it is not a fact)."""
        at = variant = None
        settings: dict[str, str] = {}
        for key, value in pairs:
            if key == "at":
                at = _day(value)
            elif key == "variant":
                variant = _variant(value)
            elif key == "treaty":
                if not value:
                    settings.pop(explorer.TREATY_KEY, None)
                elif not re.fullmatch(r"[a-z][a-z0-9_-]{0,30}", value):
                    raise BadRequest(f"treaty: '{value[:40]}' is not a treaty (such as nato or cst)")
                else:
                    settings[explorer.TREATY_KEY] = value
            elif ROLE_KEY.match(key):
                if value == "":
                    settings.pop(key, None)
                elif not ROLE_SETTING.match(value):
                    raise BadRequest(f"{key}: '{value[:80]}' is not a state's ISO code, a party id or unknown")
                else:
                    settings[key] = value
            else:
                match = FACT_KEY.match(key)
                if match is None:
                    continue
                name = match.group(1)
                renamed = meta.get("renamed", {}).get(name)
                if renamed is not None:
                    # An old fact name keeps working here as in case files: read as the new
                    # one, its value mapped (the redirect then shows the new name).
                    name = renamed["use"]
                    value = renamed["values"].get(value, value) if value else value
                if value == "":
                    settings.pop(name, None)
                elif not SETTING.match(value):
                    raise BadRequest(f"{key}: '{value[:80]}' is not true, false, unknown, a value or claim:PARTY")
                else:
                    settings[name] = value
        return at, variant, settings

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        return HTMLResponse(explorer.index_page(meta["cases"]), headers=_page_headers())

    @app.get("/explore/{case}", include_in_schema=False)
    async def explore(request: Request, case: str = Path(..., max_length=100)) -> Response:
        at, variant, settings = _scenario(list(request.query_params.multi_items()))
        if at == meta["dates"].get(case):
            at = None                                   # the case's own date is the default
        canonical = explorer.scenario_query(at, variant, settings)
        if canonical != request.url.query:
            # One scenario, one URL: a link to it reproduces it.
            return RedirectResponse(f"/explore/{_shipped(case)}" + (f"?{canonical}" if canonical else ""),
                                    status_code=303)
        data = await _run("explore", case=_shipped(case), settings=settings, at=at, variant=variant)
        return HTMLResponse(explorer.explore_page(data, shipped=True, at=at, variant=variant, settings=settings),
                            headers=_page_headers())

    @app.get("/explore/{case}/case.yaml", include_in_schema=False)
    async def download(request: Request, case: str = Path(..., max_length=100)) -> Response:
        at, variant, settings = _scenario(list(request.query_params.multi_items()))
        data = await _run("explore", case=_shipped(case), settings=settings, at=at, variant=variant)
        return _yaml_file(data)

    async def _posted(request: Request) -> tuple[bytes, list[tuple[str, str]]]:
        form = await request.form(max_files=1, max_fields=500, max_part_size=MAX_BODY)
        pairs: list[tuple[str, str]] = []
        text = b""
        for key, value in form.multi_items():
            if isinstance(value, str):
                if key == "case_text":
                    text = text or value.encode("utf-8")
                else:
                    pairs.append((key, value))
            elif key == "case_file":
                uploaded = await value.read()
                if uploaded:
                    text = uploaded
        if not text.strip():
            raise BadRequest("no case given: paste a case file or choose one to upload")
        return text, pairs

    @app.post("/explore", include_in_schema=False)
    async def explore_posted(request: Request) -> Response:
        text, pairs = await _posted(request)
        try:
            at, variant, settings = _scenario(pairs)
            data = await _run("explore", text=text, settings=settings, at=at, variant=variant)
        except (BadRequest, JobFailed) as exc:
            if exc.status >= 500:
                raise
            shown = text.decode("utf-8", "replace")[:200_000]
            return HTMLResponse(explorer.index_page(meta["cases"], error=exc.message, text=shown),
                                status_code=exc.status, headers=_page_headers())
        return HTMLResponse(explorer.explore_page(data, shipped=False, at=at, variant=variant, settings=settings,
                                                  text=text.decode("utf-8")), headers=_page_headers())

    @app.get("/what-if", include_in_schema=False)
    async def explore_linked(request: Request) -> Response:
        """A pasted case's what-if from its link: the case travels in the URL (`case=`), the
        server keeps nothing, so the link reproduces the page for whoever opens it."""
        pairs = list(request.query_params.multi_items())
        token = next((v for k, v in pairs if k == "case"), "")
        if not token:
            raise BadRequest("case: missing (open a link made by the explorer's 'Link to this what-if')")
        try:
            text = scenario.case_from_token(token)
        except scenario.ScenarioError as exc:
            raise BadRequest(str(exc)) from None
        at, variant, settings = _scenario([(k, v) for k, v in pairs if k != "case"])
        data = await _run("explore", text=text, settings=settings, at=at, variant=variant)
        return HTMLResponse(explorer.explore_page(data, shipped=False, at=at, variant=variant, settings=settings,
                                                  text=text.decode("utf-8")), headers=_page_headers())

    @app.post("/explore/download", include_in_schema=False)
    async def download_posted(request: Request) -> Response:
        text, pairs = await _posted(request)
        at, variant, settings = _scenario(pairs)
        return _yaml_file(await _run("explore", text=text, settings=settings, at=at, variant=variant))

    def _yaml_file(data: dict[str, Any]) -> Response:
        name = re.sub(r"[^a-z0-9_.\-]", "-", str(data["scenario"]["id"]))
        return Response(data["yaml"], media_type="application/yaml",
                        headers={"Content-Disposition": f"attachment; filename=\"{name}.yaml\"",
                                 "X-Content-Type-Options": "nosniff"})

    @app.get("/static/explorer.css", include_in_schema=False)
    async def css() -> Response:
        return Response(CSS, media_type="text/css")

    @app.get("/static/explorer.js", include_in_schema=False)
    async def js() -> Response:
        return Response(JS, media_type="text/javascript")

    return app
