"""Which network addresses Détente may fetch from: the SSRF guard, and a connection that keeps to it.

A URL from a feed list or a redirect must not make Détente reach the
machine it runs on, its local network or a cloud metadata service
(server-side request forgery). Every host is resolved first and every
address it resolves to is checked: private, loopback, link-local,
multicast, reserved, unspecified and other non-global ranges are refused
(IPv4, IPv6, and IPv4 embedded in IPv6: mapped, 6to4, Teredo), unless an
explicit allow-list names the host or a network containing the address.

The check runs again where the socket is opened (``GuardedBackend``, an
httpcore network backend), and the socket connects to the very address
that was checked, so a DNS answer that changes between check and connect
(DNS rebinding) cannot slip through; TLS still verifies the certificate
against the URL's host name, and the Host header is the URL's. The same
backend enforces the fetch's total deadline on every read and write, so a
server trickling bytes — headers included — cannot hold a fetch open.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import httpcore
import httpx

from ..errors import AddressRefused, BadOption, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: ``resolver(host, port) -> addresses``: the default asks the system (``socket.getaddrinfo``).
Resolver = Callable[[str, int], Sequence[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Return the IP addresses ``host`` resolves to, in the system's order (``socket.getaddrinfo``)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address carries (mapped ``::ffff:a.b.c.d``, 6to4, Teredo), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address
    if address in ipaddress.IPv6Network("::/96") and int(address) > 1:  # deprecated ::a.b.c.d (not :: or ::1)
        return ipaddress.IPv4Address(int(address))
    return None


def why_forbidden(address: IPAddress) -> str | None:
    """Return why fetching from ``address`` is refused by default (``"loopback"``, ``"private"`` …), or None.

    An IPv6 address carrying an IPv4 one is judged by the IPv4 one first, then by itself.
    """
    inner = embedded_ipv4(address)
    inner_reason = why_forbidden(inner) if inner is not None else None
    if inner_reason is not None:
        return f"{inner_reason} (as {inner})"
    checks = (
        ("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
        ("link-local", address.is_link_local), ("multicast", address.is_multicast),
        ("reserved", address.is_reserved), ("private", address.is_private),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
        ("non-global", not address.is_global),  # shared address space 100.64/10, documentation ranges …
    )
    return next((name for name, hit in checks if hit), None)


@dataclass(frozen=True)
class AddressGuard:
    """The addresses fetching may reach: every global address, plus the allow-listed hosts and networks.

    ``allowed_networks`` and ``allowed_hosts`` come from the configuration
    (``allow_private`` in a watch file, ``DETENTE_FETCH_ALLOW_PRIVATE``);
    ``resolver`` turns a host into addresses (tests inject one).
    """

    allowed_networks: tuple[IPNetwork, ...] = ()
    allowed_hosts: frozenset[str] = frozenset()
    resolver: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def from_allow_list(cls, entries: Iterable[str] | str = (), resolver: Resolver = system_resolver) -> AddressGuard:
        """Build a guard from entries that are networks (``127.0.0.1/32``, ``10.0.0.0/8``, ``::1``) or host names.

        A comma-separated string is split. Raises ``BadOption`` for an entry
        that is neither a network nor a plausible host name.
        """
        if isinstance(entries, str):
            entries = entries.split(",")
        networks, hosts = [], set()
        for raw in entries:
            entry = str(raw).strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            name = entry.lower().rstrip(".")
            if "/" in name or not all(part and len(part) < 64 and part.replace("-", "").isalnum()
                                      for part in name.split(".")):
                raise BadOption(f"allow_private: {entry!r} is neither a network (10.0.0.0/8) nor a host name")
            hosts.add(name)
        return cls(tuple(networks), frozenset(hosts), resolver)

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """Return why ``address`` (resolved from ``host``) may not be reached, or None if it may."""
        reason = why_forbidden(address)
        if reason is None or host.lower().rstrip(".") in self.allowed_hosts:
            return None
        if any(address.version == network.version and address in network for network in self.allowed_networks):
            return None
        return reason

    def resolve(self, host: str, port: int, timeout_s: float | None = None) -> str:
        """Return the address to connect to for ``host``: the first it resolves to, all of them checked.

        Raises ``AddressRefused`` if any address is forbidden (a host with one
        private address among public ones is refused: the order of DNS
        answers is the attacker's), ``FetchError`` if the host does not
        resolve within ``timeout_s`` seconds.
        """
        bare = host.strip("[]")
        addresses = [bare] if _is_ip(bare) else _resolve_within(self.resolver, bare, port, timeout_s)
        if not addresses:
            raise FetchError(f"{host} resolves to no address")
        for text in addresses:
            try:
                address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
            except ValueError as exc:
                raise FetchError(f"{host} resolves to {text!r}, not an IP address") from exc
            reason = self.refusal(bare, address)
            if reason is not None:
                shown = host if text == bare else f"{host} ({address})"
                article = "an" if reason[0] in "aeiou" else "a"
                raise AddressRefused(
                    f"refused to connect to {shown}: {article} {reason} address; "
                    "list it under allow_private (DETENTE_FETCH_ALLOW_PRIVATE) to allow it")
        return addresses[0]

    def check_url(self, url: httpx.URL, timeout_s: float | None = None) -> str:
        """Resolve and check the host of ``url`` before any request is sent; return the address."""
        port = url.port or (443 if url.scheme == "https" else 80)
        return self.resolve(url.host, port, timeout_s)


#: No private address allowed: what ``fetch`` uses unless told otherwise.
DEFAULT_GUARD = AddressGuard()


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _resolve_within(resolver: Resolver, host: str, port: int, timeout_s: float | None) -> list[str]:
    """Resolve in a daemon thread so a hanging resolver cannot outlast the fetch's time limit."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["addresses"] = list(resolver(host, port))
        except (OSError, UnicodeError) as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise FetchError(f"{host}: name resolution took longer than {timeout_s:.1f} s")
    if "error" in outcome:
        raise FetchError(f"{host}: cannot resolve the host name ({outcome['error']})")
    return outcome["addresses"]  # type: ignore[return-value]


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the fetch's deadline (``time.monotonic``)."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _timeout(self, timeout: float | None, error: type[Exception]) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise error("the total time limit is over")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, self._timeout(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, connecting only to addresses the guard allows, by the deadline."""

    def __init__(self, guard: AddressGuard, deadline: float) -> None:
        self.guard = guard
        self.deadline = deadline
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        """Resolve and check ``host``, then open a TCP stream to the checked address, bounded by the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ConnectTimeout("the total time limit is over")
        limit = remaining if timeout is None else min(timeout, remaining)
        address = self.guard.resolve(host, port, limit)  # raises AddressRefused before any socket exists
        stream = self._backend.connect_tcp(address, port, min(limit, max(self.deadline - time.monotonic(), 0.001)),
                                           local_address, socket_options)
        return _DeadlineStream(stream, self.deadline)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        """Refuse: a URL never names a Unix socket, so nothing should ask for one."""
        raise AddressRefused("Unix sockets are never fetched from")

    def sleep(self, seconds: float) -> None:
        """Sleep (httpcore's retries call it; fetch asks for none)."""
        time.sleep(seconds)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS context of every fetch (certifi's CAs, hostnames verified): loading the CAs takes ~35 ms, once."""
    return httpx.create_ssl_context(trust_env=False)


def guarded_transport(guard: AddressGuard, deadline: float) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through ``GuardedBackend`` (no proxies, TLS verified)."""
    transport = httpx.HTTPTransport(verify=_tls_context(), trust_env=False)
    # httpx has no public hook for the network backend: the pool is rebuilt around it, same TLS context
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_tls_context(), max_connections=4, network_backend=GuardedBackend(guard, deadline),
    )
    return transport
