"""Hostile answers against a real server on 127.0.0.1: compression bombs, huge declared lengths, slow-loris,
plus content decoding and conditional GET. Each is bounded in time and in memory (tracemalloc)."""

import contextlib
import gzip
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from detente.errors import FetchError
from detente.ingest.fetch import fetch as guarded_fetch
from detente.ingest.ssrf import AddressGuard

LOCAL = AddressGuard.from_allow_list(["127.0.0.1/32"])
PAGE = b"<html><body><p>" + b"Talks resumed in Geneva on Tuesday. " * 200 + b"</p></body></html>"
MiB = 1 << 20


def fetch(url, **limits):
    return guarded_fetch(url, guard=LOCAL, **limits)


def _gzip_member(size):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(b"\0" * size) + compressor.flush()


#: 256 MiB of zeros in one gzip member (~250 KB) and 2 GiB in 2048 members (~2 MB)
ONE_MEMBER_BOMB = _gzip_member(256 * MiB)
MANY_MEMBER_BOMB = _gzip_member(MiB) * 2048


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _send(self, body, headers=()):
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # the name http.server calls
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()

    def _route(self):
        if self.path == "/gzip":
            self._send(gzip.compress(PAGE), [("Content-Encoding", "gzip")])
        elif self.path == "/gzip-members":
            self._send(gzip.compress(PAGE[:100]) + gzip.compress(PAGE[100:]), [("Content-Encoding", "gzip")])
        elif self.path == "/deflate":
            self._send(zlib.compress(PAGE), [("Content-Encoding", "deflate")])
        elif self.path == "/raw-deflate":
            compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            self._send(compressor.compress(PAGE) + compressor.flush(), [("Content-Encoding", "deflate")])
        elif self.path == "/bomb":
            self._send(ONE_MEMBER_BOMB, [("Content-Encoding", "gzip"), ("Content-Type", "text/html")])
        elif self.path == "/bomb-members":
            self._send(MANY_MEMBER_BOMB, [("Content-Encoding", "gzip"), ("Content-Type", "text/html")])
        elif self.path == "/not-gzip":
            self._send(b"this is not gzip at all", [("Content-Encoding", "gzip")])
        elif self.path == "/brotli":
            self._send(b"\x1b\x00\x00", [("Content-Encoding", "br")])
        elif self.path == "/ten-gigabytes":  # declares 10 GB, sends a trickle: must be refused before reading
            self.send_response(200)
            self.send_header("Content-Length", str(10 * 10**9))
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"x" * 1024)
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/slow-headers":  # slow-loris: one header byte every 50 ms, for 10 s at most
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(200):
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.05)
        elif self.path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
                return
            self._send(PAGE, [("ETag", '"v1"'), ("Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT")])
        else:
            self._send(b"no", [])


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client hanging up on a bomb is the point
        pass


@pytest.fixture(scope="module")
def site():
    server = _QuietServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.mark.parametrize("path", ["/gzip", "/gzip-members", "/deflate", "/raw-deflate"])
def test_compressed_bodies_are_decoded(site, path):
    assert fetch(f"{site}{path}", timeout_s=2).data == PAGE


@pytest.mark.parametrize("path", ["/not-gzip", "/brotli"])
def test_undecodable_or_unasked_encodings_fail(site, path):
    with pytest.raises(FetchError, match="not valid gzip|not supported"):
        fetch(f"{site}{path}", timeout_s=2)


@pytest.mark.parametrize("path", ["/bomb", "/bomb-members"])
def test_a_compression_bomb_stops_at_the_decompressed_limit_in_bounded_memory(site, path):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match=f"larger than the limit of {4 * MiB} bytes once decompressed"):
            fetch(f"{site}{path}", timeout_s=2, max_bytes=4 * MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 3
    assert peak < 4 * 4 * MiB, f"peak {peak / MiB:.1f} MiB for a 4 MiB limit"  # not the 256 MiB or 2 GiB inside


def test_a_ten_gigabyte_content_length_is_refused_before_reading(site):
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"body of 10000000000 bytes is larger than the limit .* \(not read\)"):
        fetch(f"{site}/ten-gigabytes", timeout_s=2, max_bytes=20 * MiB)
    assert time.monotonic() - started < 0.5  # the server's trickle takes 2 s


def test_slow_loris_headers_are_cut_by_the_total_deadline(site):
    started = time.monotonic()
    with pytest.raises(FetchError, match="total time limit of 0.5 s"):
        fetch(f"{site}/slow-headers", timeout_s=1, total_timeout_s=0.5)  # no single read waits 1 s
    assert time.monotonic() - started < 0.9


def test_conditional_get_gives_304_with_no_body(site):
    first = fetch(f"{site}/etag", timeout_s=2)
    assert first.status == 200 and not first.not_modified
    assert first.etag == '"v1"' and first.last_modified == "Tue, 24 Nov 2026 10:00:00 GMT"
    again = fetch(f"{site}/etag", timeout_s=2, headers={"If-None-Match": first.etag})
    assert again.not_modified and again.data == b"" and again.etag == '"v1"'
