"""Safe fetching and watch cycles: what the guards cost, and how hostile answers are bounded.

A local server on 127.0.0.1 (a thread of this process; allow-listed)
serves a 1 MiB page, plain and gzipped, and hostile answers: a 1 GiB gzip
bomb, a 10 GB Content-Length, a slow-loris trickling header bytes, deeply
nested HTML. Prints:

- the latency of ``fetch`` (SSRF check, pinned connection, bounded
  decoding) against a plain ``httpx.Client`` GET of the same URL on a
  new connection, and the ratio;
- per hostile answer: seconds until refused and the peak Python memory
  (tracemalloc) against the body limit;
- one watch cycle over ``--feeds`` unchanged feeds (all 304): polls/s.

Usage: python benchmarks/watch.py [--repeat 50] [--feeds 100] [--limit-mib 4]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

import detente
from detente.errors import FetchError
from detente.ingest.fetch import fetch
from detente.ingest.poll import Watcher
from detente.ingest.ssrf import AddressGuard
from detente.ingest.watch import parse_config

MiB = 1 << 20
PAGE = b"<html><body>" + b"<p>Talks resumed in Geneva today.</p>" * (MiB // 38) + b"</body></html>"
GZIPPED = gzip.compress(PAGE)
_one = zlib.compressobj(9, zlib.DEFLATED, 31)
BOMB = (_one.compress(b"\0" * MiB) + _one.flush()) * 1024
DEEP = b"<html><body>" + b"<div>" * 100_000 + b"</div>" * 100_000 + b"</body></html>"
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


class _Bench(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # the name http.server calls
        try:
            if self.path == "/page":
                self._answer(200, PAGE)
            elif self.path == "/gzip":
                self._answer(200, GZIPPED, [("Content-Encoding", "gzip")])
            elif self.path == "/bomb":
                self._answer(200, BOMB, [("Content-Encoding", "gzip")])
            elif self.path == "/deep":
                self._answer(200, DEEP)
            elif self.path == "/ten-gigabytes":
                self.send_response(200)
                self.send_header("Content-Length", str(10 * 10**9))
                self.end_headers()
                time.sleep(2)
            elif self.path == "/slow-loris":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(50):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.1)
            elif self.headers.get("If-None-Match") == '"same"':
                self._answer(304, headers=[("ETag", '"same"')])
            else:
                self._answer(200, FEED, [("ETag", '"same"')])
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def _median_seconds(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--limit-mib", type=int, default=4)
    args = parser.parse_args()
    server = _Server(("127.0.0.1", 0), _Bench)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    guard = AddressGuard.from_allow_list(["127.0.0.1/32"])
    limit = args.limit_mib * MiB

    print(f"{'fetch of a 1 MiB page':<34}{'median ms':>10}{'vs httpx':>14}")
    with httpx.Client(trust_env=False, headers={"Connection": "close"}) as client:  # a new connection each time
        for path in ("/page", "/gzip"):
            url = base + path
            bare = _median_seconds(lambda url=url: client.get(url).content, args.repeat)
            safe = _median_seconds(lambda url=url: fetch(url, guard=guard, max_bytes=limit), args.repeat)
            print(f"{path:<34}{safe * 1000:>10.1f}{safe / bare:>13.2f}x")

    print(f"\n{'hostile answer':<34}{'seconds':>10}{'peak MiB':>10}{'peak/limit':>12}  outcome")
    for path in ("/bomb", "/ten-gigabytes", "/slow-loris", "/deep"):
        tracemalloc.start()
        started = time.perf_counter()
        try:
            outcome = f"{len(fetch(base + path, guard=guard, max_bytes=limit, total_timeout_s=1.5).data)} bytes read"
        except FetchError as exc:
            outcome = str(exc).split(": ", 1)[1][:70]
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{path:<34}{seconds:>10.2f}{peak / MiB:>10.1f}{peak / limit:>11.2f}x  {outcome}")

    feeds = "\n".join(f"  - {base}/feed/{n}.xml" for n in range(args.feeds))
    config = parse_config(f"politeness_s: 0\ninterval_s: 0.001\nallow_private: ['127.0.0.1/32']\nfeeds:\n{feeds}\n")
    with tempfile.TemporaryDirectory() as tmp, detente.open(Path(tmp) / "watch.duckdb") as db:
        watcher = Watcher(config, db.settings)
        first = watcher.run_cycle(db.store)
        again = watcher.run_cycle(db.store)
    print(f"\nwatch cycle over {args.feeds} feeds: first {first.polled / first.seconds:,.0f} polls/s (200), "
          f"then {again.polled / again.seconds:,.0f} polls/s ({again.not_modified} answered 304)")
    server.shutdown()


if __name__ == "__main__":
    main()
