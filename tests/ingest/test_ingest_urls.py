"""Ingesting URLs end to end: a real HTTP server on 127.0.0.1 serving a feed and a page."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import detente

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(FIXTURES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feed_and_page_urls_are_fetched_detected_and_stored(site, tmp_path):
    with detente.open(tmp_path / "db.duckdb", fetch_allow_private="127.0.0.1/32") as db:  # the test server's address
        summary = db.ingest([f"{site}/huffpost_world.rss", f"{site}/seed_article.html", f"{site}/missing.html"])
        frame = db.articles(limit=100)
        rejects = db.rejects()
    assert summary.inputs == 3
    assert summary.articles_added == 7  # six dated feed entries and the page
    assert "U.S. and Ukraine Advance Talks in Miami on Peace Framework" in set(frame["title"])
    assert "fetch_failed" in set(rejects["reason"])  # the 404, kept with its URL
    assert any(src.endswith("/missing.html") for src in rejects["source"])


def test_a_loopback_url_is_refused_unless_allow_listed(site, tmp_path):
    with detente.open(tmp_path / "db.duckdb") as db:
        summary = db.ingest([f"{site}/huffpost_world.rss"])
        rejects = db.rejects()
    assert summary.articles_added == 0
    assert list(rejects["reason"]) == ["fetch_failed"] and "loopback" in rejects["detail"][0]
