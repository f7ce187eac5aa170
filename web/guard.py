"""What `casus serve` does about clients before any route sees them (issue 28).

- `GuardedH11`: the HTTP/1.1 protocol (uvicorn's h11 one) with a time limit on a request's
  headers (counted from the connection, or from the end of the previous response, to the
  end of the headers: a client that sends a byte a second keeps nothing alive) and a cap on
  open connections (one over the cap is closed at once).
- `Guard`: the ASGI layer. The Host header must be one of the names the server answers to
  (a page on another site that points its own name at 127.0.0.1 by DNS rebinding gets a
  400, so it cannot read results); each part of a request body must arrive within the body
  time limit (408); a client that goes away mid-body is one log line, not a traceback.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
from collections.abc import Iterable
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .limits import BODY_TIMEOUT, HEADER_TIMEOUT, LOOPBACK_NAMES, MAX_CONNECTIONS

log = logging.getLogger("casus.serve")


def host_name(value: str) -> str:
    """The name in a Host header or a --host/--allow-host value, without its port, lower case
    ('[::1]:8000' -> '::1', 'LOCALHOST' -> 'localhost')."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value          # a bare IPv6 address, or a name


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names, the address the server is bound to (when it is one address, not
    all of them) and the names given with --allow-host."""
    names = set(LOOPBACK_NAMES) | {host_name(e) for e in extra if e.strip()}
    try:
        if not ipaddress.ip_address(host_name(bound)).is_unspecified:
            names.add(host_name(bound))
    except ValueError:
        names.add(host_name(bound))      # a name to bind to names the server too
    return frozenset(names)


class BodyTooSlow(Exception):
    """A part of the request body did not arrive within the body time limit."""


def _json(status: int, message: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps({"error": message}).encode("utf-8")
    return ({"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                         (b"connection", b"close")]},
            {"type": "http.response.body", "body": body})


class Guard:
    """Host check and body time limit, around the whole application."""

    def __init__(self, app: Any, hosts: frozenset[str], body_timeout: float = BODY_TIMEOUT):
        self.app, self.hosts, self.body_timeout = app, hosts, body_timeout

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if host_name(host) not in self.hosts:
            shown = "".join(c if c.isprintable() else "?" for c in host[:80])
            for message in _json(400, f"the Host header '{shown}' is not a name this server answers to "
                                      f"({', '.join(sorted(self.hosts))}); "
                                      "hint: casus serve --allow-host NAME adds one"):
                await send(message)
            return
        more = True

        async def timed() -> Any:
            nonlocal more
            if not more:
                return await receive()          # after the body: waiting for a disconnect
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout)
            except asyncio.TimeoutError:
                raise BodyTooSlow() from None
            more = message.get("type") == "http.request" and message.get("more_body", False)
            return message

        await self.app(scope, timed, send)


class GuardedH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a header time limit and a connection cap (set by
    `configure`, as uvicorn builds protocols from a class)."""

    header_timeout = HEADER_TIMEOUT
    max_connections = MAX_CONNECTIONS

    _headers_due: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            log.warning("casus serve: more than %d connections open; one refused", self.max_connections)
            transport.close()
            return
        self._arm()

    def _arm(self) -> None:
        self._cancel()
        loop = asyncio.get_running_loop()
        self._headers_due = loop.call_later(self.header_timeout, self._headers_late)

    def _cancel(self) -> None:
        due = getattr(self, "_headers_due", None)
        if due is not None:
            due.cancel()
            self._headers_due = None

    def _headers_late(self) -> None:
        self._headers_due = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()          # nothing was asked: nothing to answer

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._cancel()                  # the headers are in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()                     # the next request's headers, on a kept-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)


def configure(header_timeout: float, max_connections: int) -> type[GuardedH11]:
    return type("GuardedH11", (GuardedH11,), {"header_timeout": header_timeout, "max_connections": max_connections})
