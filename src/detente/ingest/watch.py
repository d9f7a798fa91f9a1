"""Watching feeds: the configuration and the schedule, without any I/O.

A watch file (YAML) lists RSS/Atom feeds and HTML pages with the limits of
fetching them. This module parses it and decides *when* to poll each URL:

- a URL never polled is due at once; after a good poll it is due again
  ``interval_s`` later;
- after ``n`` failed polls in a row it waits ``interval_s × 2ⁿ``, at most
  ``backoff_max_s`` (capped exponential back-off, M. Brooker, "Exponential
  Backoff and Jitter", AWS Architecture Blog 2015; no jitter: one
  process polls each host);
- a request to a host starts at least ``politeness_s`` after the previous
  one to that host ended.

The I/O — fetching, storing, sleeping — is in ``poll.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import BadOption, FetchError
from ..records import FeedState, FeedSubscription
from .fetch import check_scheme
from .ssrf import AddressGuard

#: What a URL holds: an RSS/Atom feed, an HTML page, or "auto" (told from the first bytes).
Kind = Literal["auto", "feed", "page"]
FORMAT_OF_KIND: dict[str, str | None] = {"auto": None, "feed": "feed", "page": "html"}
#: The longest interval or back-off a watch file may ask for (seconds).
YEAR_S = 366 * 86400.0


class WatchedUrl(BaseModel):
    """One URL of a watch file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    kind: Kind = "auto"
    source: str | None = Field(default=None, description="publisher name for items that carry none")
    interval_s: float | None = Field(default=None, gt=0, le=YEAR_S,
                                     description="seconds between polls; default: the file's")

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        try:
            check_scheme(url.strip())
        except FetchError as exc:
            raise ValueError(str(exc)) from exc
        return url.strip()

    @property
    def host(self) -> str:
        """The URL's host name, lower case (politeness is per host)."""
        return (urlsplit(self.url).hostname or "").lower()


class WatchConfig(BaseModel):
    """A watch file: what to poll, how often, and within which limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feeds: tuple[WatchedUrl, ...] = Field(min_length=1)
    interval_s: float = Field(default=900.0, gt=0, le=YEAR_S, description="seconds between two polls of a URL")
    politeness_s: float = Field(default=2.0, ge=0, le=3600, description="least seconds between requests to a host")
    backoff_max_s: float = Field(default=6 * 3600.0, gt=0, le=YEAR_S, description="longest wait after failures")
    timeout_s: float = Field(default=10.0, gt=0, le=600, description="connect and per-read timeout")
    total_timeout_s: float = Field(default=60.0, gt=0, le=3600, description="whole exchange, redirects included")
    max_bytes: int = Field(default=20_000_000, gt=0, description="largest body, after decompression")
    # HTML extraction time and memory grow with the page: trafilatura took 24 s and 583 MB on a 7.4 MB page,
    # while an article page is rarely past 2 MB
    max_page_bytes: int = Field(default=5_000_000, gt=0, description="largest body of a URL of kind page")
    allow_private: tuple[str, ...] = Field(
        default=(), description="hosts or networks reachable although private, loopback or link-local")

    @model_validator(mode="after")
    def _distinct_urls(self) -> WatchConfig:
        seen: set[str] = set()
        for feed in self.feeds:
            if feed.url in seen:
                raise ValueError(f"{feed.url} is listed twice")
            seen.add(feed.url)
        AddressGuard.from_allow_list(self.allow_private)  # a bad entry fails here, with the file
        return self

    def interval_of(self, feed: WatchedUrl) -> float:
        """Seconds between two polls of ``feed`` (its own interval, else the file's)."""
        return feed.interval_s or self.interval_s

    def max_bytes_of(self, feed: WatchedUrl) -> int:
        """The largest body accepted from ``feed``: ``max_page_bytes`` for a page, else ``max_bytes``."""
        return min(self.max_page_bytes, self.max_bytes) if feed.kind == "page" else self.max_bytes


def parse_config(text: str, origin: str = "watch file", interval_s: float | None = None) -> WatchConfig:
    """Parse a watch file's YAML text into a ``WatchConfig``; ``interval_s`` overrides the file's default.

    Raises ``BadOption`` with the file name and the key at fault for YAML
    that does not parse, unknown keys, bad values or URLs that are not
    http(s).
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise BadOption(f"{origin}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from exc
    if not isinstance(raw, Mapping):
        raise BadOption(f"{origin}: expected a mapping with a 'feeds' list, got {type(raw).__name__}")
    raw = dict(raw)
    if isinstance(raw.get("feeds"), list):  # a bare URL is a feed of kind "auto"
        raw["feeds"] = [{"url": item} if isinstance(item, str) else item for item in raw["feeds"]]
    if interval_s is not None:
        raw["interval_s"] = interval_s
    try:
        return WatchConfig.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        if len(errors) > 1:  # a bad item also makes the list "too short": say only what is wrong
            errors = [error for error in errors if error["type"] != "too_short"] or errors
        problems = "; ".join(f"{'.'.join(str(part) for part in error['loc']) or 'file'}: "
                             f"{error['msg'].removeprefix('Value error, ')}" for error in errors)
        raise BadOption(f"{origin}: {problems}") from exc
    except BadOption as exc:
        raise BadOption(f"{origin}: {exc}") from exc


def with_subscriptions(config: WatchConfig | None, subscriptions: Iterable[FeedSubscription],
                       interval_s: float | None = None) -> WatchConfig | None:
    """``config``'s URLs followed by the subscribed ones it does not list (the watch file wins on a URL).

    Without a watch file (``config`` None) the subscriptions are polled with
    the default limits, every ``interval_s`` seconds unless they set their
    own; None when there is nothing to poll at all.
    """
    listed = {feed.url for feed in config.feeds} if config is not None else set()
    extra = tuple(WatchedUrl(url=sub.url, kind=sub.kind, source=sub.source, interval_s=sub.interval_s)
                  for sub in subscriptions if sub.url not in listed)
    if config is None:
        return WatchConfig(feeds=extra, **({"interval_s": interval_s} if interval_s else {})) if extra else None
    return config.model_copy(update={"feeds": config.feeds + extra}) if extra else config


def backoff_s(failures: int, interval_s: float, cap_s: float) -> float:
    """Seconds to wait after ``failures`` failed polls in a row: ``interval_s × 2^failures``, at most ``cap_s``
    (but never less than ``interval_s``)."""
    if failures <= 0:
        return interval_s
    return max(interval_s, min(cap_s, interval_s * 2.0 ** min(failures, 64)))  # never sooner than a healthy URL


def next_poll(config: WatchConfig, feed: WatchedUrl, state: FeedState | None) -> dt.datetime | None:
    """When ``feed`` is next due under ``config``: its last poll plus the interval or the back-off; None: now.

    Worked out from the file as it is now, so a changed ``interval_s``
    (or ``--interval``) takes effect at once, not after the next poll.
    """
    if state is None or state.last_polled_at is None:
        return None
    wait = backoff_s(state.failures, config.interval_of(feed), config.backoff_max_s)
    return state.last_polled_at + dt.timedelta(seconds=wait)


def due_urls(config: WatchConfig, states: Mapping[str, FeedState], now: dt.datetime) -> list[WatchedUrl]:
    """The URLs to poll at ``now``, never polled first, then longest overdue first, then in file order."""
    due_at = {feed.url: next_poll(config, feed, states.get(feed.url)) for feed in config.feeds}
    due = [feed for feed in config.feeds if due_at[feed.url] is None or due_at[feed.url] <= now]
    return sorted(due, key=lambda feed: due_at[feed.url] or dt.datetime.min)  # stable: file order among equals


def next_wake(config: WatchConfig, states: Mapping[str, FeedState], now: dt.datetime) -> float:
    """Seconds from ``now`` until the next URL is due (0 if one is due already)."""
    times = [next_poll(config, feed, states.get(feed.url)) for feed in config.feeds]
    return max(0.0, min((when - now).total_seconds() if when else 0.0 for when in times))


def after_success(state: FeedState | None, url: str, now: dt.datetime, interval_s: float, *, status: int,
                  etag: str | None, last_modified: str | None, articles_added: int) -> FeedState:
    """The state after a good poll (2xx or 304): validators kept, failures reset, next poll one interval on.

    A 304 keeps the validators already stored when it carries none.
    """
    state = state or FeedState(url=url)
    return state.model_copy(update={
        "etag": etag or (state.etag if status == 304 else None),
        "last_modified": last_modified or (state.last_modified if status == 304 else None),
        "last_status": status, "last_error": None, "failures": 0, "polls": state.polls + 1,
        "articles_added": state.articles_added + articles_added, "last_polled_at": now, "last_success_at": now,
        "next_poll_at": now + dt.timedelta(seconds=interval_s),
    })


def after_failure(state: FeedState | None, url: str, now: dt.datetime, interval_s: float, cap_s: float, *,
                  error: str, status: int | None = None) -> FeedState:
    """The state after a failed poll: one more failure, the error kept, next poll after the back-off.

    The validators are kept: the next good answer may still be a 304.
    """
    state = state or FeedState(url=url)
    failures = state.failures + 1
    return state.model_copy(update={
        "last_status": status, "last_error": error[:500], "failures": failures, "polls": state.polls + 1,
        "last_polled_at": now, "next_poll_at": now + dt.timedelta(seconds=backoff_s(failures, interval_s, cap_s)),
    })


def conditional_headers(state: FeedState | None) -> dict[str, str]:
    """The ``If-None-Match`` / ``If-Modified-Since`` headers for a conditional GET (RFC 9110 §13.1)."""
    if state is None:
        return {}
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


class HostPacer:
    """Keeps ``min_gap_s`` between two requests to one host (``record`` when one ends); times are
    ``time.monotonic()`` seconds, given by the caller."""

    def __init__(self, min_gap_s: float) -> None:
        self.min_gap_s = min_gap_s
        self.last_request: dict[str, float] = {}

    def wait_s(self, host: str, now: float) -> float:
        """Seconds to wait at ``now`` before the next request to ``host``."""
        last = self.last_request.get(host)
        return 0.0 if last is None else max(0.0, last + self.min_gap_s - now)

    def record(self, host: str, now: float) -> None:
        """Note a request to ``host`` at ``now``."""
        self.last_request[host] = now
