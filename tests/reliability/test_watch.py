"""``detente watch`` as a process, against a local newsroom on 127.0.0.1 (allow-listed) serving real headlines.

- kill -9 at random moments, then resume: the database ends with exactly
  the counts of a clean run (nothing lost, nothing duplicated);
- hostile answers — garbage, a slow-loris, a 10 GB Content-Length, a gzip
  bomb, HTML bombs (deep, and wide behind gzip) — each end in bounded time
  and memory with one clear log line, and the good feed beside them is read.

The server is a thread of the test process, stops with the test, and its
slowest handlers give up by themselves after a few seconds.
"""

import contextlib
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zlib
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import duckdb
import pytest

from tests.conftest import HUFFPOST

FEEDS, PER_FEED = 6, 40
LATENCY_S = 0.15  # per answer, so a poll cycle lasts long enough for kills to land in it
KILLS = 4
MiB = 1 << 20
#: Runs the CLI and reports the process's peak resident memory (KiB) on standard error at exit.
WRAPPER = ("import atexit, resource, sys; atexit.register(lambda: print("
           "f'maxrss_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)); "
           "from detente.cli import main; main()")
TABLES = ("articles", "near_duplicates", "rejects", "article_minhash", "extractions", "sentences", "mentions",
          "events", "signals", "storyline_articles", "feed_state")


def _rss(rows, number):
    """An RSS 2.0 document of HuffPost rows (headline, short description, link, date)."""
    items = []
    for row in rows:
        published = format_datetime(dt.datetime.fromisoformat(row["date"]).replace(hour=12, tzinfo=dt.UTC))
        items.append(f"<item><title>{escape(row['headline'])}</title><link>{escape(row['link'])}</link>"
                     f"<description>{escape(row['short_description'])}</description>"
                     f"<pubDate>{published}</pubDate></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Desk {number}</title>'
            f"<link>https://desk{number}.example/</link>{''.join(items)}</channel></rss>").encode()


def _news_rows():
    rows = []
    with HUFFPOST.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("headline") and row.get("short_description") and len(rows) < FEEDS * PER_FEED:
                rows.append(row)
    return rows


ROWS = _news_rows()
DOCUMENTS = {f"/feed/{n}.xml": _rss(ROWS[n * PER_FEED:(n + 1) * PER_FEED], n) for n in range(FEEDS)}


def _gzip_zeros(mebibytes):
    member = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    one = member.compress(b"\0" * MiB) + member.flush()
    return one * mebibytes  # gzip members one after another: ~1 KB each, 1 MiB each once inflated


def _gzip_wide_html(mebibytes):
    body = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"<p>Talks resumed in Geneva today.</p>" * (MiB // 38)
    return body.compress(b"<html><body>") + b"".join(body.compress(chunk) for _ in range(mebibytes)) + body.flush()


HOSTILE = {
    "/garbage": random.Random(8).randbytes(50_000),
    "/bomb": _gzip_zeros(1024),  # 1 GiB of zeros in ~1 MB of gzip
    "/wide-bomb": _gzip_wide_html(512),  # 512 MiB of paragraphs behind gzip
    "/deep": b"<html><body>" + b"<div>" * 150_000 + b"deep" + b"</div>" * 150_000 + b"</body></html>",  # 1.6 MB
}


class _Newsroom(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):  # the name http.server calls
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            self._route()

    def _answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self):
        self.server.paths.append(self.path)
        if self.path in DOCUMENTS:
            time.sleep(LATENCY_S)
            etag = f'"{self.path}"'
            if self.headers.get("If-None-Match") == etag:
                self._answer(304, headers=[("ETag", etag)])
            else:
                self._answer(200, DOCUMENTS[self.path], [("ETag", etag), ("Content-Type", "application/rss+xml")])
        elif self.path == "/garbage":
            self._answer(200, HOSTILE["/garbage"], [("Content-Type", "application/rss+xml")])
        elif self.path in ("/bomb", "/wide-bomb"):
            self._answer(200, HOSTILE[self.path], [("Content-Encoding", "gzip"), ("Content-Type", "text/html")])
        elif self.path == "/deep":
            self._answer(200, HOSTILE["/deep"], [("Content-Type", "text/html")])
        elif self.path == "/ten-gigabytes":  # declares 10 GB, then trickles for 5 s at most
            self.send_response(200)
            self.send_header("Content-Length", str(10 * 10**9))
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"x" * 4096)
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/slow-loris":  # the status line, then a header byte every 100 ms, 8 s at most
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(80):
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._answer(404, b"no such feed")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients hanging up is what these tests do
        pass


@pytest.fixture(scope="module")
def newsroom():
    server = _Server(("127.0.0.1", 0), _Newsroom)
    server.paths = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _write_config(path, server, paths, **limits):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings = {"interval_s": 3600, "politeness_s": 0.05, "timeout_s": 2, "total_timeout_s": 5,
                "allow_private": ["127.0.0.1/32"], **limits, "feeds": [f"{base}{p}" for p in paths]}
    path.write_text(json.dumps(settings))  # JSON is YAML
    return path


def _watch(db, config, *args):
    return [sys.executable, "-c", WRAPPER, "--db", str(db), "watch", "--config", str(config), "--once", *args]


def _env():
    return {**os.environ, "DETENTE_BATCH_SIZE": "10"}  # several transactions per feed: kills land between them


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
        whole = con.execute("SELECT count(*) FROM ingest_batches b WHERE b.n_articles != "
                            "(SELECT count(*) FROM articles a WHERE a.batch_id = b.batch_id)").fetchone()[0]
    finally:
        con.close()
    return counts, whole


@pytest.mark.slow
def test_kill_9_during_watch_then_resume_loses_and_duplicates_nothing(newsroom, tmp_path):
    config = _write_config(tmp_path / "feeds.yaml", newsroom, list(DOCUMENTS))
    clean = tmp_path / "clean.duckdb"
    started = time.monotonic()
    subprocess.run(_watch(clean, config), env=_env(), check=True, capture_output=True, timeout=600)
    clean_seconds = time.monotonic() - started
    clean_counts, _ = _counts(clean)
    assert clean_counts["articles"] >= FEEDS * PER_FEED * 0.9 and clean_counts["feed_state"] == FEEDS
    assert clean_counts["extractions"] == clean_counts["articles"] and clean_counts["events"] > 0

    crashed = tmp_path / "crashed.duckdb"
    rng = random.Random()
    delays, partial = [], 0
    for kill in range(KILLS):
        served = len(newsroom.paths)
        process = subprocess.Popen(_watch(crashed, config), env=_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        started = time.monotonic()
        if kill == 0:  # the first kill lands while feeds are being polled: after 1 to 5 answers, plus 0-0.3 s
            answers = rng.randint(1, FEEDS - 1)
            while len(newsroom.paths) < served + answers and time.monotonic() - started < 120:
                time.sleep(0.01)
            time.sleep(rng.uniform(LATENCY_S, LATENCY_S + 0.3))
        else:  # the others anywhere in the run: polling, extraction, storylines, index, alerts
            time.sleep(rng.uniform(1.0, max(2.0, 0.8 * clean_seconds)))
        delays.append(round(time.monotonic() - started, 2))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if crashed.exists():
            counts, broken_batches = _counts(crashed)  # opens after the crash, whole batches only
            assert broken_batches == 0, delays
            partial += counts != clean_counts

    done = subprocess.run(_watch(crashed, config), check=False, env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    final, _ = _counts(crashed)
    assert final == clean_counts, (delays, final, clean_counts)
    assert partial >= 1, f"no kill landed before the end of a run (delays {delays})"


def _peak_kib(stderr):
    return int(stderr.rsplit("maxrss_kib=", 1)[1].split()[0])


def test_hostile_feeds_end_in_bounded_time_and_memory_with_a_clear_log_line(newsroom, tmp_path):
    limits = {"max_bytes": 2 * MiB, "total_timeout_s": 1.5}
    started = time.monotonic()
    baseline = subprocess.run(
        _watch(tmp_path / "baseline.duckdb", _write_config(tmp_path / "good.yaml", newsroom, ["/feed/0.xml"], **limits),
               "--no-stages"), check=False, capture_output=True, text=True, timeout=120)
    assert baseline.returncode == 0, baseline.stderr
    baseline_seconds = time.monotonic() - started
    hostile = ["/garbage", "/slow-loris", "/ten-gigabytes", "/bomb", "/wide-bomb", "/deep", "/feed/1.xml"]
    config = _write_config(tmp_path / "hostile.yaml", newsroom, hostile, **limits)
    started = time.monotonic()
    done = subprocess.run(_watch(tmp_path / "hostile.duckdb", config, "--no-stages"), check=False,
                          capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    log = {path: next((line for line in done.stderr.splitlines() if f"{path}:" in line or f"{path} " in line), "")
           for path in hostile}
    assert "poll failed" in log["/garbage"] and "undecodable_bytes" in log["/garbage"]
    assert "took longer than the total time limit of 1.5 s" in log["/slow-loris"]
    assert f"body of 10000000000 bytes is larger than the limit of {2 * MiB} bytes (not read)" in log["/ten-gigabytes"]
    for bomb in ("/bomb", "/wide-bomb"):
        assert f"larger than the limit of {2 * MiB} bytes once decompressed" in log[bomb], log[bomb]
    assert "poll failed" in log["/deep"] and "broken_html" in log["/deep"]
    assert "fetched" in log["/feed/1.xml"] and f"{PER_FEED} new articles" in log["/feed/1.xml"]
    assert seconds < baseline_seconds + 10, f"{seconds:.1f} s against {baseline_seconds:.1f} s for one good feed"
    grown = (_peak_kib(done.stderr) - _peak_kib(baseline.stderr)) / 1024
    assert grown < 100, f"peak memory grew by {grown:.0f} MiB over a run reading one good feed"
    con = duckdb.connect(str(tmp_path / "hostile.duckdb"), read_only=True)
    failures = dict(con.execute("SELECT url, failures FROM feed_state").fetchall())
    con.close()
    assert sorted(url.rsplit(":", 1)[1].split("/", 1)[1] for url, n in failures.items() if n == 1) == sorted(
        path[1:] for path in hostile if path != "/feed/1.xml")

