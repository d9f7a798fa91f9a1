"""Fetching one URL over HTTP(S) within explicit limits (httpx).

Limits: http and https only (every redirect target too), at most
``MAX_REDIRECTS`` redirects, connect/read/write timeouts, a total time
limit, and a body size limit checked before (Content-Length) and while
streaming. Every failure is a ``FetchError``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError

USER_AGENT = "detente/0.1"
MAX_REDIRECTS = 5
ALLOWED_SCHEMES = ("http", "https")

# Refusing private, loopback and link-local addresses (SSRF) is not done here yet; a later issue adds it.


@dataclass(frozen=True)
class Fetched:
    """A fetched response: the URL asked for, where redirects ended, status, type and body."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    data: bytes


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


def _read_body(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """Return the (decompressed) body, stopping at ``max_bytes`` or at the deadline."""
    length = response.headers.get("content-length", "")
    if length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(f"{url}: body of {int(length)} bytes is larger than the limit of {max_bytes} bytes")
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise FetchError(f"{url}: body is larger than the limit of {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: took longer than the total time limit")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str, *, timeout_s: float = 10.0, max_bytes: int = 20_000_000, total_timeout_s: float = 60.0
) -> Fetched:
    """Return the body and headers of ``url`` after at most ``MAX_REDIRECTS`` redirects.

    ``timeout_s`` bounds connecting and each read or write (seconds);
    ``total_timeout_s`` bounds the whole exchange, so a server dripping
    bytes cannot hold it open. Raises ``FetchError`` for a scheme other
    than http(s) (also after a redirect), a non-2xx status, a body past
    ``max_bytes``, a timeout or a network error.
    """
    check_scheme(url)
    deadline = time.monotonic() + total_timeout_s
    current = url
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout_s), follow_redirects=False, headers={"User-Agent": USER_AGENT},
            event_hooks={"response": [_check_redirect]},
        ) as client:
            # redirects one by one, not httpx's follow_redirects: it would read each redirect's body unbounded
            for _hop in range(MAX_REDIRECTS + 1):
                if time.monotonic() > deadline:
                    raise FetchError(f"{current}: took longer than the total time limit of {total_timeout_s} s")
                with client.stream("GET", current) as response:
                    if response.next_request is not None:
                        current = str(response.next_request.url)
                        continue
                    if not response.is_success:
                        raise FetchError(f"{current}: HTTP {response.status_code} {response.reason_phrase}".strip())
                    data = _read_body(response, current, max_bytes, deadline)
                    return Fetched(
                        url=url, final_url=str(response.url), status=response.status_code,
                        content_type=response.headers.get("content-type"), data=data,
                    )
    except httpx.TimeoutException as exc:
        raise FetchError(f"{current}: timed out ({type(exc).__name__}, limit {timeout_s} s)") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"{current}: {type(exc).__name__}: {exc}") from exc
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
