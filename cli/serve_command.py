"""The `casus serve` command: the HTTP API and the what-if explorer (see casus.web)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..web.limits import BODY_TIMEOUT, HEADER_TIMEOUT, MAX_CONNECTIONS, WORKER_MEMORY_MB


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but loopback "
                                                          "exposes the server to the network."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Serve another rules directory (default: the shipped law)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=64,
                                          help="Worker processes that evaluate (default: the cores, at most 4)."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, max=3600,
                                  help="Seconds a request may take; longer work is stopped (its worker is replaced), "
                                       "and work that could not finish in time is refused before it starts (422)."),
    allow_host: list[str] = typer.Option([], "--allow-host", metavar="NAME",
                                         help="Another name the server answers to in the Host header (repeatable); "
                                              "by default localhost, 127.0.0.1, [::1] and the --host address. "
                                              "Any other Host gets a 400 (DNS rebinding)."),
    header_timeout: float = typer.Option(HEADER_TIMEOUT, "--header-timeout", min=0.1, max=3600,
                                         help="Seconds a client has to send a request's headers; then it is cut off."),
    body_timeout: float = typer.Option(BODY_TIMEOUT, "--body-timeout", min=0.1, max=3600,
                                       help="Seconds each part of a request body may take to arrive (408)."),
    max_connections: int = typer.Option(MAX_CONNECTIONS, "--max-connections", min=1, max=100_000,
                                        help="Open connections at most; one more is closed at once."),
    worker_memory: int = typer.Option(WORKER_MEMORY_MB, "--worker-memory", metavar="MB", min=1, max=1 << 20,
                                      help="A worker grown past this many MB (each new variant stack compiles "
                                           "programs it keeps) is replaced once it has answered."),
) -> None:
    """Serve the HTTP API and the what-if explorer (read-only).

    The explorer is at http://127.0.0.1:8000/ and the API's OpenAPI document at
    /openapi.json (FastAPI's interactive documentation pages are off: they load scripts
    from the network).
    docs/serve.md lists the routes and what the server refuses.

      casus serve

      casus serve --port 8080 --rules my-rules/

      casus serve --host 192.168.1.5 --allow-host casus.lan
    """
    import logging
    import uvicorn
    from ..engine.api import load_law
    from ..web.app import create_app
    from ..web.guard import allowed_hosts, configure
    load_law(rules)              # a bad rules directory is one line and exit 2, before any worker starts
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if host not in ("127.0.0.1", "localhost", "::1"):
        from rich.markup import escape
        from .output import console
        console(stderr=True).print(f"[yellow]warning:[/] listening on {escape(host)}: anyone who can reach this "
                                   "machine can use the server (it has no authentication)")
    application = create_app(rules=str(rules.resolve()) if rules else None, workers=workers, timeout=timeout,
                             hosts=allowed_hosts(host, allow_host), body_timeout=body_timeout,
                             worker_memory=worker_memory << 20)
    uvicorn.run(application, host=host, port=port, log_level="info", access_log=False,
                timeout_graceful_shutdown=5, http=configure(header_timeout, max_connections))
