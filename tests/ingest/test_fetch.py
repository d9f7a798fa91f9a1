"""Fetching over HTTP against a real server on 127.0.0.1: redirects, schemes, statuses, sizes, timeouts."""

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from detente.errors import FetchError
from detente.ingest.fetch import MAX_REDIRECTS, USER_AGENT, Fetched
from detente.ingest.fetch import fetch as guarded_fetch
from detente.ingest.ssrf import AddressGuard

#: The test server is on loopback, which fetching refuses unless allow-listed.
LOCAL = AddressGuard.from_allow_list(["127.0.0.1/32"])


def fetch(url, **limits):
    """``fetch`` with the test server's address allow-listed."""
    return guarded_fetch(url, guard=LOCAL, **limits)

FEED = (Path(__file__).parent.parent / "fixtures" / "ingest" / "huffpost_world.rss").read_bytes()


class _NewsSite(BaseHTTPRequestHandler):
    """Routes: /feed.xml, /hop/N (N redirects to go), /to/SCHEME, /status/N, /big, /slow, /drip, /ua."""

    def log_message(self, format, *args):  # keep test output clean
        pass

    def _send(self, status, body=b"", headers=(), content_length=True):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if content_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # the name http.server calls
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as timeout tests want
            self._route(self.path)

    def _route(self, path):
        if path == "/feed.xml":
            self._send(200, FEED, [("Content-Type", "application/rss+xml; charset=utf-8")])
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._send(302, headers=[("Location", f"/hop/{left - 1}" if left > 1 else "/feed.xml")])
        elif path.startswith("/to/"):
            target = {"file": "file:///etc/passwd", "ftp": "ftp://127.0.0.1/feed.xml", "data": "data:,hello"}
            self._send(301, headers=[("Location", target[path[4:]])])
        elif path.startswith("/status/"):
            self._send(int(path[8:]), b"nothing here", [("Content-Type", "text/plain")])
        elif path == "/big":  # 5000 bytes, with Content-Length
            self._send(200, b"x" * 5000)
        elif path == "/big-undeclared":  # 5000 bytes, length only known when the connection closes
            self._send(200, b"x" * 5000, content_length=False)
        elif path == "/big-declared":  # a Content-Length past any limit, the body never sent
            self._send(200, headers=[("Content-Length", str(10**9))], content_length=False)
        elif path == "/slow":  # headers at once, the body after a pause longer than the read timeout
            self._send(200, headers=[("Content-Length", "2")], content_length=False)
            self.wfile.flush()
            time.sleep(1.0)
            self.wfile.write(b"ok")
        elif path == "/drip":  # a byte every 50 ms for one second: no read waits long, the whole does
            self._send(200, headers=[("Content-Length", "20")], content_length=False)
            for _ in range(20):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/ua":
            self._send(200, self.headers.get("User-Agent", "").encode())
        else:
            self._send(404)


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NewsSite)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_feed_is_fetched_whole(site):
    result = fetch(f"{site}/feed.xml", timeout_s=1)
    assert isinstance(result, Fetched)
    assert result.status == 200 and result.data == FEED
    assert result.url == result.final_url == f"{site}/feed.xml"
    assert result.content_type == "application/rss+xml; charset=utf-8"


def test_user_agent_is_sent(site):
    assert fetch(f"{site}/ua", timeout_s=1).data.decode() == USER_AGENT


def test_redirect_chain_is_followed_and_final_url_kept(site):
    result = fetch(f"{site}/hop/{MAX_REDIRECTS}", timeout_s=1)  # the most redirects allowed
    assert result.url == f"{site}/hop/{MAX_REDIRECTS}"
    assert result.final_url == f"{site}/feed.xml" and result.data == FEED


def test_too_many_redirects_fail(site):
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{site}/hop/{MAX_REDIRECTS + 1}", timeout_s=1)


@pytest.mark.parametrize("scheme", ["file", "ftp", "data"])
def test_redirect_to_another_scheme_is_refused(site, scheme):
    with pytest.raises(FetchError, match="only http and https"):
        fetch(f"{site}/to/{scheme}", timeout_s=1)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "example.org/feed",
                                 "http:///no-host", ""])
def test_non_http_urls_are_refused_before_any_request(url):
    with pytest.raises(FetchError):
        fetch(url, timeout_s=1)


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_status_fails(site, status):
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        fetch(f"{site}/status/{status}", timeout_s=1)


def test_unknown_path_is_404(site):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{site}/no-such-feed.xml", timeout_s=1)


@pytest.mark.parametrize("path", ["/big", "/big-undeclared", "/big-declared"])
def test_body_past_the_limit_fails(site, path):
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than the limit of 1000 bytes"):
        fetch(f"{site}{path}", timeout_s=1, max_bytes=1000)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("path", ["/big", "/big-undeclared"])
def test_body_at_the_limit_is_kept(site, path):
    assert len(fetch(f"{site}{path}", timeout_s=1, max_bytes=5000).data) == 5000


def test_slow_server_hits_the_read_timeout(site):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{site}/slow", timeout_s=0.2)
    assert time.monotonic() - started < 0.9


def test_dripping_server_hits_the_total_time_limit(site):
    started = time.monotonic()
    with pytest.raises(FetchError, match="total time limit"):
        fetch(f"{site}/drip", timeout_s=0.5, total_timeout_s=0.3)
    assert time.monotonic() - started < 0.9


def test_closed_port_is_a_fetch_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="ConnectError"):
        fetch(f"http://127.0.0.1:{port}/feed.xml", timeout_s=0.5)
