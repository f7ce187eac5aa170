"""The `casus serve` command: the HTTP API and the what-if explorer (see casus.web)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer



def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but loopback "
                                                          "exposes the server to the network."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Serve another rules directory (default: the shipped law)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=64,
                                          help="Worker processes that evaluate (default: the cores, at most 4)."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, max=3600,
                                  help="Seconds a request may take; longer work is stopped (its worker is replaced)."),
) -> None:
    """Serve the HTTP API and the what-if explorer (read-only).

    The explorer is at http://127.0.0.1:8000/, the API's OpenAPI document at /openapi.json
    and its docs at /docs.

      casus serve

      casus serve --port 8080 --rules my-rules/
    """
    import logging
    import uvicorn
    from ..engine.api import load_law
    from ..web.app import create_app
    load_law(rules)              # a bad rules directory is one line and exit 2, before any worker starts
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if host not in ("127.0.0.1", "localhost", "::1"):
        from rich.markup import escape
        from .output import console
        console(stderr=True).print(f"[yellow]warning:[/] listening on {escape(host)}: anyone who can reach this "
                                   "machine can use the server (it has no authentication)")
    application = create_app(rules=str(rules.resolve()) if rules else None, workers=workers, timeout=timeout)
    uvicorn.run(application, host=host, port=port, log_level="info", access_log=False,
                timeout_graceful_shutdown=5)
