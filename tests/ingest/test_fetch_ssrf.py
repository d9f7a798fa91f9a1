"""SSRF: private, loopback and link-local addresses are refused before any connection is attempted.

Proof without mocks: a Python audit hook records every ``socket.connect``
the process makes while a test runs, and listening sockets on loopback
show that no connection reached them. The only server reached is the
test's own on 127.0.0.1, through an explicit allow-list. No test sends
traffic outside loopback: refused addresses are never connected to.
"""

import contextlib
import ipaddress
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from detente.errors import AddressRefused, BadOption, FetchError
from detente.ingest.fetch import fetch
from detente.ingest.ssrf import AddressGuard, why_forbidden

_connects: list | None = None  # the addresses connected to while a test records


def _audit(event, args):
    if event == "socket.connect" and _connects is not None:
        _connects.append(args[1])


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only while a test asks


@pytest.fixture
def connects():
    """The addresses the process connects to during the test; none may be outside loopback."""
    global _connects
    _connects = []
    try:
        yield _connects
    finally:
        seen, _connects = _connects, None
        for address in seen:
            assert ipaddress.ip_address(address[0]).is_loopback, f"a test connected outside loopback: {address}"


class _Site(BaseHTTPRequestHandler):
    """``/host`` echoes the Host header and the client address; ``/to?URL`` redirects to URL."""

    def log_message(self, format, *args):
        pass

    def do_GET(self):  # the name http.server calls
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path[4:])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = f"{self.headers.get('Host')} {self.client_address[0]}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@contextlib.contextmanager
def listening(host="127.0.0.1"):
    """A listening socket that must see no connection: yields its port, checks nothing was accepted."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as listener:
        listener.bind((host, 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener.getsockname()[1]
        with pytest.raises(BlockingIOError):  # nothing waiting to be accepted: no connection was made
            listener.accept()


LOCAL = AddressGuard.from_allow_list(["127.0.0.1/32"])


def test_the_local_server_is_reached_only_through_the_allow_list(site, connects):
    with pytest.raises(AddressRefused, match="loopback"):
        fetch(f"http://127.0.0.1:{site}/host", timeout_s=1)
    assert connects == []
    assert fetch(f"http://127.0.0.1:{site}/host", timeout_s=1, guard=LOCAL).data.startswith(b"127.0.0.1:")
    assert connects == [("127.0.0.1", site)]


@pytest.mark.parametrize("host, reason", [
    ("127.0.0.1", "loopback"), ("127.0.0.2", "loopback"), ("[::1]", "loopback"), ("0.0.0.0", "unspecified"),
    ("[::ffff:127.0.0.1]", "loopback"), ("[::ffff:7f00:1]", "loopback"),
    ("2130706433", "loopback"), ("017700000001", "loopback"), ("0x7f.1", "loopback"), ("127.1", "loopback"),
])  # the last four are 127.0.0.1 written as one decimal or octal number, in hex, or shortened
def test_loopback_addresses_are_refused_with_no_connection(host, reason, connects):
    with listening("::1" if host == "[::1]" else "127.0.0.1") as port:
        url = f"http://{host}:{port}/feed.xml"
        with pytest.raises(AddressRefused, match=reason):
            fetch(url, timeout_s=1)
    assert connects == []


@pytest.mark.parametrize("url, reason", [
    ("http://10.0.0.1/feed.xml", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),  # the cloud metadata service
    ("http://192.168.1.1/", "private"), ("http://172.16.5.4/", "private"),
    ("http://100.64.0.1/", "non-global"),  # carrier-grade NAT, RFC 6598
    ("http://224.0.0.1/", "multicast"), ("http://240.0.0.1/", "reserved"),
    ("http://[fc00::1]/", "private"), ("http://[fe80::1]/", "link-local"), ("http://[ff02::1]/", "multicast"),
    ("http://[::ffff:a9fe:a9fe]/", "link-local"),  # 169.254.169.254 mapped into IPv6
    ("http://[2002:a00:1::]/", "private"),  # 6to4 around 10.0.0.1
])
def test_private_link_local_and_reserved_addresses_are_refused_with_no_connection(url, reason, connects):
    with pytest.raises(AddressRefused, match=reason):
        fetch(url, timeout_s=1)
    assert connects == []


def test_a_host_name_resolving_to_loopback_is_refused(connects):
    with listening() as port, pytest.raises(AddressRefused, match=r"localhost \((127\.0\.0\.1|::1)\).*loopback"):
        fetch(f"http://localhost:{port}/", timeout_s=1)  # resolved from /etc/hosts, no DNS traffic
    assert connects == []


def test_a_host_name_resolving_to_a_private_address_is_refused(connects):
    guard = AddressGuard(resolver=lambda host, port: ["10.20.30.40"])
    with pytest.raises(AddressRefused, match=r"intranet\.example \(10\.20\.30\.40\): a private address"):
        fetch("http://intranet.example/feed.xml", timeout_s=1, guard=guard)
    assert connects == []


def test_one_private_answer_among_public_ones_is_refused(connects):
    guard = AddressGuard(resolver=lambda host, port: ["93.184.216.34", "10.0.0.1"])
    with pytest.raises(AddressRefused, match="10.0.0.1"):
        fetch("http://news.example/", timeout_s=1, guard=guard)
    assert connects == []


def test_dns_rebinding_is_caught_where_the_socket_is_opened(connects):
    """The first answer (checked before the request) is public; the second, at connect time, is loopback."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    calls = []

    def rebinding(host, port):
        calls.append(host)
        return next(answers)

    with listening() as port, pytest.raises(AddressRefused, match="loopback"):
        fetch(f"http://rebind.example:{port}/", timeout_s=1, guard=AddressGuard(resolver=rebinding))
    assert calls == ["rebind.example", "rebind.example"]  # refused by the second, connect-time check
    assert connects == []


def test_the_connection_goes_to_the_checked_address_with_the_original_host_header(site, connects):
    guard = AddressGuard.from_allow_list(["127.0.0.1/32"], resolver=lambda host, port: ["127.0.0.1"])
    fetched = fetch(f"http://news.example:{site}/host", timeout_s=1, guard=guard)
    assert fetched.data == f"news.example:{site} 127.0.0.1".encode()
    assert connects == [("127.0.0.1", site)]


def test_a_host_name_can_be_allow_listed(site, connects):
    guard = AddressGuard.from_allow_list("feeds.internal, 192.0.2.0/24", resolver=lambda host, port: ["127.0.0.1"])
    assert fetch(f"http://feeds.internal:{site}/host", timeout_s=1, guard=guard).status == 200
    with pytest.raises(AddressRefused):  # the allow-listed name does not allow the address under another name
        fetch(f"http://other.internal:{site}/host", timeout_s=1, guard=guard)


@pytest.mark.parametrize("target", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]/", "http://0.0.0.0/"])
def test_a_redirect_to_a_private_address_is_refused(site, target, connects):
    with pytest.raises(AddressRefused):
        fetch(f"http://127.0.0.1:{site}/to?{target}", timeout_s=1, guard=LOCAL)
    assert connects == [("127.0.0.1", site)]  # the allowed server only


def test_a_redirect_to_another_loopback_address_is_refused_with_no_connection(site, connects):
    with listening("127.0.0.2") as port, pytest.raises(AddressRefused, match=r"127\.0\.0\.2.*loopback"):
        fetch(f"http://127.0.0.1:{site}/to?http://127.0.0.2:{port}/", timeout_s=1, guard=LOCAL)
    assert connects == [("127.0.0.1", site)]


def test_a_redirect_to_a_name_resolving_to_a_private_address_is_refused(site, connects):
    names = {"127.0.0.1": ["127.0.0.1"], "evil.example": ["192.168.0.10"]}
    guard = AddressGuard.from_allow_list(["127.0.0.1/32"], resolver=lambda host, port: names[host])
    with pytest.raises(AddressRefused, match="192.168.0.10"):
        fetch(f"http://127.0.0.1:{site}/to?http://evil.example/", timeout_s=1, guard=guard)
    assert connects == [("127.0.0.1", site)]


def test_a_name_that_does_not_resolve_is_a_fetch_error(connects):
    def nowhere(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError, match="cannot resolve"):
        fetch("http://no-such-host.example/", timeout_s=1, guard=AddressGuard(resolver=nowhere))


@pytest.mark.parametrize("address, reason", [
    ("93.184.216.34", None), ("2606:4700:4700::1111", None), ("8.8.8.8", None),
    ("10.1.2.3", "private"), ("::", "unspecified"), ("::ffff:10.0.0.1", "private"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private (as 10.0.0.1)"),  # Teredo: client is ~f5ff:fffe = 10.0.0.1
])
def test_why_forbidden(address, reason):
    found = why_forbidden(ipaddress.ip_address(address))
    assert found == reason or (reason and found and found.startswith(reason.split()[0]))


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "not a host!", "http://x/"])
def test_a_bad_allow_list_entry_is_a_clear_error(entry):
    with pytest.raises(BadOption, match="allow_private"):
        AddressGuard.from_allow_list([entry])
