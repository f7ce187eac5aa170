#!/usr/bin/env python3
"""Load test of `casus serve`: many concurrent clients against /evaluate, on loopback only.

    python bench/load.py [--clients 200] [--seconds 20] [--workers N] [--json FILE]

Starts its own `casus serve` on 127.0.0.1 (a free port), then runs --clients clients
for --seconds seconds, each sending one request after another on its own keep-alive
connection: GET /evaluate/ID over the shipped cases, and every tenth request a POST
/evaluate with a case file in the body. Reports requests/s, latency percentiles and
errors (any status but 200, any broken connection), then stops the server. It stops by
itself: no request starts after --seconds, and whatever is still in flight is given
--grace seconds. Exit code 1 when there was any error.

The clients are a minimal asyncio HTTP/1.1 client (no library), so that on a small
machine the load generator takes as little of the CPU as it can from the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"          # loopback only: this script never sends a request anywhere else


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int | None, log) -> subprocess.Popen:
    args = [sys.executable, "-c", "from casus.cli.entry import main; main()", "serve", "--host", HOST,
            "--port", str(port)]
    if workers:
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"casus serve exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("casus serve did not start within 120 s")


def requests_to_send(port: int) -> list[bytes]:
    """The request mix, as raw HTTP/1.1 bytes."""
    with urllib.request.urlopen(f"http://{HOST}:{port}/cases", timeout=30) as r:
        ids = [c["id"] for c in json.load(r)["cases"]]
    from casus.engine.files.paths import cases_dir
    body = (cases_dir() / "kazakhstan-2022.yaml").read_bytes()
    host = f"Host: {HOST}:{port}\r\n".encode()
    gets = [b"GET /evaluate/" + i.encode() + b" HTTP/1.1\r\n" + host + b"\r\n" for i in ids]
    post = (b"POST /evaluate HTTP/1.1\r\n" + host + b"Content-Type: application/yaml\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    mix = []
    for n in range(10 * len(gets)):
        mix.append(post if n % 10 == 9 else gets[n % len(gets)])
    return mix


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    await reader.readexactly(length)
    return status


async def client(n: int, port: int, mix: list[bytes], stop_at: float, latencies: list[float],
                 errors: dict[str, int]) -> None:
    reader = writer = None
    i = n
    while time.monotonic() < stop_at:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            request = mix[i % len(mix)]
            i += 1
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status = await read_response(reader)          # type: ignore[arg-type]
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def run_load(port: int, clients: int, seconds: float, grace: float) -> dict:
    mix = requests_to_send(port)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    started = time.monotonic()
    stop_at = started + seconds
    tasks = [asyncio.create_task(client(n, port, mix, stop_at, latencies, errors)) for n in range(clients)]
    done, pending = await asyncio.wait(tasks, timeout=seconds + grace)
    for t in pending:                                     # still waiting after the grace period
        t.cancel()
    errors_total = sum(errors.values()) + len(pending)
    if pending:
        errors["unfinished after the grace period"] = len(pending)
    elapsed = time.monotonic() - started
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else float("nan")

    return {"clients": clients, "seconds": seconds, "requests": len(lat), "elapsed_s": round(elapsed, 2),
            "requests_per_s": round(len(lat) / min(elapsed, seconds + grace), 1),
            "latency_ms": {"p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99), "max": pct(1.0),
                           "mean": round(1000 * statistics.fmean(lat), 1) if lat else None},
            "errors": errors, "errors_total": errors_total}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--grace", type=float, default=15.0, help="Seconds allowed for requests in flight at the end.")
    ap.add_argument("--workers", type=int, default=None, help="casus serve --workers (default: its own).")
    ap.add_argument("--json", type=Path, default=None, help="Also write the results as JSON to this file.")
    args = ap.parse_args()
    if not (1 <= args.clients <= 1000 and 0 < args.seconds <= 300):
        ap.error("--clients 1..1000, --seconds up to 300")
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(port, args.workers, log)
        try:
            result = asyncio.run(run_load(port, args.clients, args.seconds, args.grace))
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.seek(0)
        server_log = log.read().decode("utf-8", "replace")
    if "Traceback" in server_log:
        result["errors"]["tracebacks in the server log"] = server_log.count("Traceback")
        result["errors_total"] += 1
    result["machine"] = {"cores": os.cpu_count(), "python": platform.python_version()}
    lat = result["latency_ms"]
    print(f"{result['clients']} clients, {result['seconds']:g} s against /evaluate on {HOST}: "
          f"{result['requests']} requests, {result['requests_per_s']} requests/s, "
          f"latency p50 {lat['p50']} ms, p99 {lat['p99']} ms (max {lat['max']} ms), "
          f"errors: {result['errors_total']}{' ' + json.dumps(result['errors']) if result['errors'] else ''}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 1 if result["errors_total"] else 0


if __name__ == "__main__":
    sys.exit(main())
