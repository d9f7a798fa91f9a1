"""REST API latency under load: a fixed request rate on /api/v1/index and /api/v1/events over loopback.

The server is ``detente serve`` in its own process (``--workers``, default
one; more than one opens the database ``--read-only``) on the demo database,
built with ``detente demo --no-serve`` into a temporary file unless ``--db``
is given. The load comes from ``--clients`` other processes (default 2, so
the client is not the bottleneck), each a plain asyncio HTTP/1.1 client on
keep-alive connections (httpx's pool costs more CPU than the server at this
rate and collapsed at 200/s on two shared cores): requests are sent open-loop at ``--rate`` per
second in total for ``--seconds`` (default 200/s for 60 s, alternating the
two endpoints), so a slow answer does not slow the load down. Each request
has a 5 s timeout and the run stops by itself.

Prints, per endpoint, p50/p90/p99/max latency (send to last byte) and
errors; the rate achieved; how late the clients sent (p99 lag behind the
schedule: if large, the client, not the server, was slow); the server's and
clients' CPU use; and the target of issue 7: p99 < 50 ms and no errors.
The machine may be shared: run it on a quiet one for figures to quote.

Usage: python benchmarks/api.py [--rate 200] [--seconds 60] [--clients 2] [--workers 1] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import psutil

ENDPOINTS = {"index": "/api/v1/index?scope=global&method=combined&freq=D",
             "events": "/api/v1/events?actor=RUS&limit=50"}
TARGET_P99_MS = 50.0
#: Seconds a connection is reused after its last answer: under uvicorn's keep-alive timeout (5 s), which
#: closes idle connections.
KEEP_ALIVE = 4.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int, workers: int, read_only: bool) -> subprocess.Popen:
    """``detente serve`` on 127.0.0.1:port; returns once /api/v1/health answers (at most 60 s)."""
    command = [sys.executable, "-m", "detente", "serve", "--db", str(db), "--port", str(port),
               "--workers", str(workers)] + (["--read-only"] if read_only or workers > 1 else [])
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
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


def wait_until_warm(port: int, workers: int) -> None:
    """Wait for every worker to load spaCy (a background thread at start-up that holds the GIL for seconds):
    /analyze answers once it is loaded, so wait for ``3 × workers`` quick answers in a row, each on a new
    connection (the kernel spreads them over the workers)."""
    quick, deadline = 0, time.monotonic() + 300
    while quick < 3 * workers and time.monotonic() < deadline:
        started = time.monotonic()
        httpx.post(f"http://127.0.0.1:{port}/api/v1/analyze", json={"text": "The envoy met the minister."},
                   timeout=300).raise_for_status()
        quick = quick + 1 if time.monotonic() - started < 1.0 else 0


class Connections:
    """Keep-alive HTTP/1.1 connections to the server, reused one request at a time (at most ``limit`` open).

    A plain asyncio client: httpx's pool scans every connection for every
    request, so at a few hundred requests a second the client itself becomes
    the slow part (measured: a collapse at 200/s on two shared cores).
    """

    def __init__(self, host: str, port: int, limit: int = 64) -> None:
        self.host, self.port, self.limit = host, port, limit
        self.idle: asyncio.LifoQueue = asyncio.LifoQueue()
        self.opened = 0

    async def get(self, path: str) -> int:
        """GET ``path``; return the HTTP status once the whole body is read."""
        connection = None
        while not self.idle.empty() and connection is None:
            connection, used = self.idle.get_nowait()
            if time.monotonic() - used > KEEP_ALIVE or connection[0].at_eof():  # the server may have closed it
                connection[1].close()
                self.opened, connection = self.opened - 1, None
        if connection is None and self.opened < self.limit:
            self.opened += 1
            try:
                connection = await asyncio.open_connection(self.host, self.port)
            except OSError:
                self.opened -= 1
                raise
        elif connection is None:
            connection, _ = await self.idle.get()
        reader, writer = connection
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            await reader.readexactly(int(length.group(1)) if length else 0)
        except BaseException:
            writer.close()
            self.opened -= 1
            raise
        self.idle.put_nowait((connection, time.monotonic()))
        return int(head.split(b" ", 2)[1])


async def load(base: str, rate: float, seconds: float, start: float, part: int, parts: int) -> dict:
    """Send this client's share of the schedule (requests ``part``, ``part + parts`` ... of ``rate``/s from the
    wall-clock ``start``); return latencies, send lags and errors per endpoint."""
    results = {name: {"latency": [], "lag": [], "errors": []} for name in ENDPOINTS}
    names = list(ENDPOINTS)
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    pool = Connections(host, int(port))

    async def one(name: str, due: float) -> None:
        started = time.time()
        try:
            status = await asyncio.wait_for(pool.get(ENDPOINTS[name]), timeout=5.0)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            results[name]["errors"].append(type(exc).__name__)
            return
        if status != 200:
            results[name]["errors"].append(f"HTTP {status}")
            return
        results[name]["latency"].append(time.time() - started)
        results[name]["lag"].append(started - due)

    for name in names:  # warm a connection and the caches once, as a user's first page load would
        await pool.get(ENDPOINTS[name])
    tasks = []
    for number in range(part, int(rate * seconds), parts):
        due = start + number / rate
        delay = due - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(names[number % len(names)], due)))
    await asyncio.gather(*tasks)
    return results


def client(base: str, rate: float, seconds: float, start: float, part: int, parts: int, out) -> None:
    """One client process: run its share of the load and put (results, CPU seconds) on ``out``."""
    before = psutil.Process().cpu_times()
    found = asyncio.run(load(base, rate, seconds, start, part, parts))
    after = psutil.Process().cpu_times()
    out.put((found, after.user + after.system - before.user - before.system))


def run_clients(base: str, rate: float, seconds: float, parts: int) -> tuple[dict, float, float]:
    """Run ``parts`` client processes together; return merged results, elapsed seconds and their CPU seconds."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    start = time.time() + 2.0 + 0.5 * parts  # time for the processes to start and warm up
    processes = [context.Process(target=client, args=(base, rate, seconds, start, part, parts, out))
                 for part in range(parts)]
    for process in processes:
        process.start()
    merged = {name: {"latency": [], "lag": [], "errors": []} for name in ENDPOINTS}
    cpu = 0.0
    for _ in processes:
        found, used = out.get(timeout=seconds + 120)
        cpu += used
        for name, lists in found.items():
            for key, values in lists.items():
                merged[name][key] += values
    for process in processes:
        process.join(timeout=30)
    return merged, time.time() - start, cpu


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by the server process and its workers."""
    root = psutil.Process(server.pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def report(results: dict, elapsed: float, rate: float, workers: int, parts: int, cpu: tuple[float, float]) -> None:
    """Print the latency table, the rate, the client lag, CPU use and whether the target is met."""
    sent = sum(len(r["latency"]) + len(r["errors"]) for r in results.values())
    print(f"{sent:,} requests in {elapsed:.1f} s = {sent / elapsed:.0f}/s (asked {rate:.0f}/s); "
          f"{workers} server worker(s), {parts} client process(es)")
    print(f"{'endpoint':<8} {'ok':>7} {'errors':>6} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    worst, errors, lags = 0.0, 0, []
    for name, r in results.items():
        ms = np.array(r["latency"]) * 1000 if r["latency"] else np.array([np.nan])
        p50, p90, p99 = np.percentile(ms, [50, 90, 99])
        worst, errors = max(worst, p99), errors + len(r["errors"])
        lags += r["lag"]
        print(f"{name:<8} {len(r['latency']):>7,} {len(r['errors']):>6} {p50:>7.1f} {p90:>7.1f} {p99:>7.1f} "
              f"{np.max(ms):>7.1f}")
        if r["errors"]:
            print(f"         errors: {sorted(set(r['errors']))}")
    lag = np.percentile(np.array(lags) * 1000, 99) if lags else float("nan")
    print(f"client send lag behind the schedule: p99 {lag:.1f} ms; CPU over the run: server "
          f"{cpu[0] / elapsed:.0%} of a core, clients {cpu[1] / elapsed:.0%} ({os.cpu_count()} cores, maybe shared)")
    met = worst < TARGET_P99_MS and errors == 0
    print(f"target p99 < {TARGET_P99_MS:.0f} ms and no errors: {'met' if met else 'NOT met'} "
          f"(worst p99 {worst:.1f} ms = {worst / TARGET_P99_MS:.2f}x the target, {errors} errors)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second, all clients together")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=2, help="client processes sharing the rate")
    parser.add_argument("--workers", type=int, default=1, help="server processes (above 1: --read-only)")
    parser.add_argument("--read-only", action="store_true", help="open the database read-only")
    parser.add_argument("--db", type=Path, help="a Détente database (default: build the demo one)")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait once the server is warm")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db
        if db is None:
            db = Path(scratch) / "demo.duckdb"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "detente", "--db", str(db), "demo", "--no-serve"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"set-up: demo database built in {time.perf_counter() - started:.0f} s")
        port = free_port()
        server = start_server(db, port, args.workers, args.read_only)
        wait_until_warm(port, args.workers)
        time.sleep(args.settle)
        try:
            before = server_cpu(server)
            results, elapsed, client_cpu = run_clients(f"http://127.0.0.1:{port}", args.rate, args.seconds,
                                                       max(1, args.clients))
            used = server_cpu(server) - before
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    report(results, elapsed, args.rate, args.workers, max(1, args.clients), (used, client_cpu))


if __name__ == "__main__":
    main()
