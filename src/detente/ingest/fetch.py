"""Fetching one URL over HTTP(S) within explicit limits (httpx).

Limits: http and https only (every redirect target too), at most
``MAX_REDIRECTS`` redirects, connect/read/write timeouts, a total time
limit enforced on every socket read (a server trickling bytes is cut),
a body size limit checked before reading (Content-Length) and while
streaming — after decompression, so a gzip bomb stops at the limit —
and no private, loopback or link-local address unless allow-listed
(``ssrf.AddressGuard``, checked before each request and again at connect
time). Every failure is a ``FetchError`` (``AddressRefused`` for SSRF).

Conditional GET: pass ``If-None-Match`` / ``If-Modified-Since`` in
``headers``; a 304 answer comes back as a ``Fetched`` with
``not_modified`` true and no body.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import AddressRefused, FetchError
from .ssrf import DEFAULT_GUARD, AddressGuard, guarded_transport

USER_AGENT = "detente/0.1"
MAX_REDIRECTS = 5
ALLOWED_SCHEMES = ("http", "https")
#: Content-Encodings decoded here, with a bound on the output; anything else is refused.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Fetched:
    """A fetched response: the URL asked for, where redirects ended, status, type, body and validators."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    data: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET: nothing new since the validators sent."""
        return self.status == 304


def check_scheme(url: str) -> None:
    """Raise ``FetchError`` unless ``url`` is an absolute http or https URL with a host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {url!r} ({exc})") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError(f"only http and https URLs can be fetched, not {parts.scheme or 'no scheme'!r}: {url!r}")
    if not host:
        raise FetchError(f"URL has no host: {url!r}")


def _check_redirect(response: httpx.Response) -> None:
    """Response hook: refuse a redirect to a scheme other than http(s), before httpx parses its target."""
    if response.has_redirect_location:
        check_scheme(urljoin(str(response.url), response.headers["location"]))


class _Inflater:
    """Decodes a Content-Encoding chunk by chunk, never producing more than asked for (zlib ``max_length``)."""

    def __init__(self, encoding: str, url: str) -> None:
        self.encoding = encoding
        self.url = url
        self._decoder: zlib._Decompress | None = None
        self._started = False

    def _new_decoder(self, first: bytes) -> zlib._Decompress:
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped, but servers send raw deflate too (as browsers accept)
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def decode(self, data: bytes, room: int) -> Iterator[bytes]:
        """Yield the decoded bytes of ``data``; stop once more than ``room`` bytes came out."""
        if self.encoding == "identity":
            yield data
            return
        produced = 0
        try:
            while data and produced <= room:
                if self._decoder is None:
                    self._decoder = self._new_decoder(data)
                out = self._decoder.decompress(data, room + 1 - produced)
                produced += len(out)
                if out:
                    yield out
                if self._decoder.eof:  # end of a gzip member; another may follow (RFC 1952 allows several)
                    data, self._decoder = self._decoder.unused_data, None
                    if not data.startswith(b"\x1f\x8b"):
                        break  # padding or trailing bytes after the last member: ignored, as gzip(1) does
                elif self._decoder.unconsumed_tail and out:
                    data = self._decoder.unconsumed_tail
                else:
                    break
        except zlib.error as exc:
            raise FetchError(f"{self.url}: body is not valid {self.encoding} ({exc})") from exc


def _content_length(response: httpx.Response) -> int | None:
    length = response.headers.get("content-length", "").strip()
    return int(length) if length.isdigit() else None


def _read_body(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """Return the decoded body, stopping at ``max_bytes`` (after decoding) or at the deadline."""
    length = _content_length(response)
    if length is not None and length > max_bytes:
        raise FetchError(f"{url}: body of {length} bytes is larger than the limit of {max_bytes} bytes (not read)")
    encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url}: Content-Encoding {encoding!r} is not supported (only {ACCEPT_ENCODING})")
    inflater = _Inflater("gzip" if encoding == "x-gzip" else encoding, url)
    chunks: list[bytes] = []
    raw_received = received = 0
    for raw in response.iter_raw():
        raw_received += len(raw)
        if raw_received > max_bytes:
            raise FetchError(f"{url}: body is larger than the limit of {max_bytes} bytes")
        for chunk in inflater.decode(raw, max_bytes - received):
            received += len(chunk)
            if received > max_bytes:
                raise FetchError(f"{url}: body is larger than the limit of {max_bytes} bytes once decompressed "
                                 f"({encoding}, {raw_received} bytes received)")
            chunks.append(chunk)
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: took longer than the total time limit")
    return b"".join(chunks)


def fetch(
    url: str, *, timeout_s: float = 10.0, max_bytes: int = 20_000_000, total_timeout_s: float = 60.0,
    guard: AddressGuard = DEFAULT_GUARD, headers: Mapping[str, str] | None = None,
) -> Fetched:
    """Return the body and headers of ``url`` after at most ``MAX_REDIRECTS`` redirects.

    ``timeout_s`` bounds connecting and each read or write (seconds);
    ``total_timeout_s`` bounds the whole exchange, so a server dripping
    bytes cannot hold it open. ``guard`` says which addresses may be
    reached (default: none that is private, loopback or link-local);
    ``headers`` are sent with every request (conditional GET validators).
    Raises ``AddressRefused`` for a forbidden address (before connecting)
    and ``FetchError`` for a scheme other than http(s) (also after a
    redirect), a status other than 2xx or 304, a body past ``max_bytes``,
    a timeout or a network error.
    """
    check_scheme(url)
    deadline = time.monotonic() + total_timeout_s
    current = url
    request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout_s), follow_redirects=False, headers=request_headers, trust_env=False,
            transport=guarded_transport(guard, deadline), event_hooks={"response": [_check_redirect]},
        ) as client:
            # redirects one by one, not httpx's follow_redirects: it would read each redirect's body unbounded
            for _hop in range(MAX_REDIRECTS + 1):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FetchError(f"{current}: took longer than the total time limit of {total_timeout_s} s")
                guard.check_url(httpx.URL(current), min(timeout_s, remaining))  # each hop, before its request
                with client.stream("GET", current) as response:
                    if response.next_request is not None:
                        current = str(response.next_request.url)
                        continue
                    if not (response.is_success or response.status_code == 304):
                        raise FetchError(f"{current}: HTTP {response.status_code} {response.reason_phrase}".strip())
                    data = b"" if response.status_code == 304 else _read_body(response, current, max_bytes, deadline)
                    return Fetched(
                        url=url, final_url=str(response.url), status=response.status_code,
                        content_type=response.headers.get("content-type"), data=data,
                        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
                    )
    except AddressRefused as exc:  # from the check before a request or the one at connect time
        raise AddressRefused(f"{current}: {exc}") from exc
    except httpx.TimeoutException as exc:
        if time.monotonic() >= deadline - 0.01:
            raise FetchError(f"{current}: took longer than the total time limit of {total_timeout_s} s") from exc
        raise FetchError(f"{current}: timed out ({type(exc).__name__}, limit {timeout_s} s)") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"{current}: {type(exc).__name__}: {exc}") from exc
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
