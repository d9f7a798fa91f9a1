"""REST API latency under load: a fixed request rate on /api/v1/index and /api/v1/events over loopback.

The server is ``detente serve`` in its own process (one worker, the demo
database: built with ``detente demo`` into a temporary file unless ``--db``
is given); this process is the client. Requests are sent open-loop at
``--rate`` per second for ``--seconds`` (default 200/s for 60 s, half to
each endpoint), so a slow response does not slow the load down; each
request has a 5 s timeout and the run stops by itself.

Prints p50/p90/p99/max latency per endpoint, errors and the rate achieved.
Target (issue 7): p99 < 50 ms and no errors with the demo database.

Usage: python benchmarks/api.py [--rate 200] [--seconds 60] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ENDPOINTS = {"index": "/api/v1/index?scope=global&method=combined&freq=D",
             "events": "/api/v1/events?actor=RUS&limit=50"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    """``detente serve`` on 127.0.0.1:port; returns once /api/v1/health answers (at most 60 s)."""
    server = subprocess.Popen([sys.executable, "-m", "detente", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"detente serve exited: {server.stderr.read().decode()[-500:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("detente serve did not answer within 60 s")


async def load(base: str, rate: float, seconds: float) -> dict[str, dict[str, list]]:
    """Send ``rate`` requests a second for ``seconds``, alternating endpoints; return latencies and errors."""
    results = {name: {"latency": [], "errors": []} for name in ENDPOINTS}
    names = list(ENDPOINTS)
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=5.0, limits=limits) as client:
        async def one(name: str) -> None:
            started = time.perf_counter()
            try:
                response = await client.get(ENDPOINTS[name])
                if response.status_code != 200:
                    results[name]["errors"].append(f"HTTP {response.status_code}")
                    return
            except httpx.HTTPError as exc:
                results[name]["errors"].append(type(exc).__name__)
                return
            results[name]["latency"].append(time.perf_counter() - started)

        for name in names:  # warm the caches once, as a user's first page load would
            await client.get(ENDPOINTS[name])
        tasks, start, total = [], time.perf_counter(), int(rate * seconds)
        for number in range(total):
            delay = start + number / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(names[number % len(names)])))
        await asyncio.gather(*tasks)
        results["_elapsed"] = time.perf_counter() - start
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--db", type=Path, help="a Détente database (default: build the demo one)")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds to let the server finish starting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db
        if db is None:
            db = Path(scratch) / "demo.duckdb"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "detente", "--db", str(db), "demo"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"set-up: demo database built in {time.perf_counter() - started:.0f} s")
        port = free_port()
        server = start_server(db, port)
        time.sleep(args.settle)  # the server loads spaCy in a background thread at start-up (for /analyze)
        try:
            results = asyncio.run(load(f"http://127.0.0.1:{port}", args.rate, args.seconds))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    elapsed = results.pop("_elapsed")
    sent = sum(len(r["latency"]) + len(r["errors"]) for r in results.values())
    print(f"{sent:,} requests in {elapsed:.1f} s = {sent / elapsed:.0f}/s (asked {args.rate:.0f}/s), one server worker")
    print(f"{'endpoint':<8} {'ok':>7} {'errors':>6} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    worst = 0.0
    for name, r in results.items():
        ms = np.array(r["latency"]) * 1000 if r["latency"] else np.array([np.nan])
        p50, p90, p99 = np.percentile(ms, [50, 90, 99])
        worst = max(worst, p99)
        print(f"{name:<8} {len(r['latency']):>7,} {len(r['errors']):>6} {p50:>7.1f} {p90:>7.1f} {p99:>7.1f} "
              f"{np.max(ms):>7.1f}")
        if r["errors"]:
            print(f"         errors: {sorted(set(r['errors']))}")
    print(f"worst p99 {worst:.1f} ms = {worst / 50:.2f}x the 50 ms target")


if __name__ == "__main__":
    main()
