"""Polling watched URLs: conditional GET, storing what is new, remembering each URL's state.

One cycle reads the stored state of every URL, polls the ones due
(``watch.due_urls``), keeping requests to a host ``politeness_s`` apart,
stores each document's articles and rejects through the ingest pipeline
(``pipeline.store_input``: whole batches, ids stable, so a poll cut short
by a crash is redone without duplicates) and only then replaces the URL's
state. The database is open during a cycle only, so other processes can
read it between cycles.

Every poll writes one log line on the ``detente.watch`` logger: what came
back and what was stored, or why it failed and when it is tried again.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from ..errors import FetchError, StoreLocked
from ..records import Article, FeedState, Reject
from ..settings import Settings
from ..store import Store
from ..summary import RunSummary
from .fetch import fetch
from .items import ReadContext, ReadItem, reject
from .pipeline import Ingester, IngestOptions, read_document, store_input
from .ssrf import AddressGuard
from .watch import (
    FORMAT_OF_KIND,
    HostPacer,
    WatchConfig,
    WatchedUrl,
    after_failure,
    after_success,
    conditional_headers,
    due_urls,
    next_wake,
    with_subscriptions,
)

log = logging.getLogger("detente.watch")

#: Rejects at these positions say the whole document is unreadable (feeds.iter_feed, html.iter_html).
_DOCUMENT_POSITIONS = ("feed", "page")


def utc_now() -> dt.datetime:
    """The current time as naive UTC, as the store keeps times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class CycleSummary(RunSummary):
    """What one watch cycle polled and stored."""

    polled: int = 0
    changed: int = 0
    not_modified: int = 0
    failed: int = 0
    articles_added: int = 0
    rejects_added: int = 0
    failures: Counter = field(default_factory=Counter)  # URL -> failures in a row, for the URLs that failed
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """The summary as plain values (for ``--json``)."""
        return {**super().as_dict(), "failures": dict(self.failures)}


class _Tally:
    """Counts the articles and document-level rejects a reader yields while passing them on."""

    def __init__(self) -> None:
        self.articles = 0
        self.unreadable: Reject | None = None

    def watch(self, records: Iterable[ReadItem]) -> Iterator[ReadItem]:
        """Yield ``records`` unchanged, counting them on the way."""
        for record in records:
            if isinstance(record, Article):
                self.articles += 1
            elif isinstance(record, Reject) and record.position in _DOCUMENT_POSITIONS:
                self.unreadable = record
            yield record


class Watcher:
    """Polls the URLs of a watch file and the store's subscriptions into a store; keeps the per-host pacing
    across cycles.

    ``config`` is the watch file (None: subscriptions only, with the default
    limits and ``interval_s``); ``self.config`` is what the current cycle
    polls, the file plus the subscriptions read when the cycle started.
    Private addresses are reachable if listed under the file's
    ``allow_private`` or in ``settings.fetch_allow_private``.
    """

    def __init__(self, config: WatchConfig | None, settings: Settings | None = None, *,
                 interval_s: float | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.file_config = self.config = config
        self.interval_s = interval_s
        self.settings = settings or Settings()
        allowed = (*(config.allow_private if config else ()), *self.settings.fetch_allow_private.split(","))
        self.guard = AddressGuard.from_allow_list(allowed)
        self.pacer = HostPacer(config.politeness_s if config else WatchConfig.model_fields["politeness_s"].default)
        self.sleep = sleep

    def run_cycle(self, store: Store) -> CycleSummary:
        """Poll every URL due now into ``store``; return what was polled and stored."""
        started = time.perf_counter()
        summary = CycleSummary()
        self.config = with_subscriptions(self.file_config, store.subscriptions(), self.interval_s)
        if self.config is None:  # no watch file, and every subscription was removed
            return summary
        states = store.feed_states()
        ingester: Ingester | None = None
        for feed in due_urls(self.config, states, utc_now()):
            if ingester is None:  # loads every stored MinHash signature: once per cycle, when needed
                ingester = Ingester(store, self.settings)
            state = self.poll(feed, states.get(feed.url), ingester, summary)
            store.save_feed_state(state)  # after the articles: a crash before it means a harmless re-poll
        summary.seconds = time.perf_counter() - started
        return summary

    def poll(self, feed: WatchedUrl, state: FeedState | None, ingester: Ingester,
             summary: CycleSummary) -> FeedState:
        """Fetch one URL (conditionally), store its articles and rejects; return its new state."""
        wait = self.pacer.wait_s(feed.host, time.monotonic())
        if wait > 0:
            self.sleep(wait)
        interval = self.config.interval_of(feed)
        now = utc_now()
        summary.polled += 1
        try:
            fetched = fetch(
                feed.url, timeout_s=self.config.timeout_s, max_bytes=self.config.max_bytes_of(feed),
                total_timeout_s=self.config.total_timeout_s, guard=self.guard, headers=conditional_headers(state),
            )
        except FetchError as exc:  # a stored reject too, as `detente ingest URL` keeps one (one per URL and reason)
            ctx = ReadContext(source=feed.source or feed.host, now=now, origin=feed.url)
            ingester.write(feed.url, [reject(ctx, feed.url, "fetch_failed", str(exc))])
            return self._failed(feed, state, now, interval, str(exc), summary)
        finally:  # the gap runs from the end of one exchange to the start of the next
            self.pacer.record(feed.host, time.monotonic())
        if fetched.not_modified:
            summary.not_modified += 1
            log.info("not modified: %s (HTTP 304)", feed.url)
            return after_success(state, feed.url, now, interval, status=304, etag=fetched.etag,
                                 last_modified=fetched.last_modified, articles_added=0)
        options = IngestOptions(format=FORMAT_OF_KIND[feed.kind], source=feed.source)
        tally = _Tally()
        before = ingester.summary.articles_added, ingester.summary.rejects_added
        store_input(ingester, feed.url, tally.watch(
            read_document(fetched.final_url, fetched.data, options, self.settings, now)))
        added = ingester.summary.articles_added - before[0]
        summary.articles_added += added
        summary.rejects_added += ingester.summary.rejects_added - before[1]
        if tally.articles == 0 and tally.unreadable is not None:  # stored as a reject, and a failed poll
            detail = f"{feed.url}: {tally.unreadable.reason}: {tally.unreadable.detail} ({len(fetched.data)} bytes)"
            return self._failed(feed, state, now, interval, detail, summary, status=fetched.status)
        summary.changed += 1
        log.info("fetched: %s (HTTP %d, %d bytes): %d items, %d new articles", feed.url, fetched.status,
                 len(fetched.data), tally.articles, added)
        return after_success(state, feed.url, now, interval, status=fetched.status, etag=fetched.etag,
                             last_modified=fetched.last_modified, articles_added=added)

    def _failed(self, feed: WatchedUrl, state: FeedState | None, now: dt.datetime, interval: float, error: str,
                summary: CycleSummary, status: int | None = None) -> FeedState:
        new = after_failure(state, feed.url, now, interval, self.config.backoff_max_s, error=error, status=status)
        summary.failed += 1
        summary.failures[feed.url] = new.failures
        wait = (new.next_poll_at - now).total_seconds()
        shown = f"{wait:.0f}" if wait >= 10 else f"{wait:.2g}"
        log.warning("poll failed: %s (failure %d in a row, next try in %s s)", error, new.failures, shown)
        return new


def watch(
    open_store: Callable[[], AbstractContextManager],
    config: WatchConfig | None,
    settings: Settings | None = None,
    *,
    interval_s: float | None = None,
    max_cycles: int | None = None,
    on_cycle: Callable[[object, CycleSummary, bool], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[CycleSummary]:
    """Poll ``config``'s URLs and the store's subscriptions cycle after cycle; return the cycles' summaries.

    ``open_store()`` opens the database for one cycle (a context manager
    giving a handle whose ``.store`` is a ``Store``); ``on_cycle(handle,
    summary, first)`` runs before it closes — the CLI extracts, updates the
    index and checks alerts there. Between cycles it sleeps until the next
    URL is due. Stops after ``max_cycles`` (None: never). Running without
    end, a database locked by another writer skips the cycle (retried
    ``interval_s`` later); with ``max_cycles``, ``StoreLocked`` is raised.
    ``config`` None polls the subscriptions only (``interval_s``: their
    default interval); see ``Watcher``.
    """
    watcher = Watcher(config, settings, interval_s=interval_s, sleep=sleep)
    # how long to wait when nothing can be polled: the file's interval, else the default one
    idle_s = config.interval_s if config else interval_s or WatchConfig.model_fields["interval_s"].default
    summaries: list[CycleSummary] = []
    while max_cycles is None or len(summaries) < max_cycles:
        try:
            opened = open_store()
        except StoreLocked as exc:  # another writer holds the file for now: try again later, not die
            if max_cycles is not None:
                raise
            log.warning("database busy, cycle skipped (next try in %.0f s): %s", idle_s, exc)
            sleep(idle_s)
            continue
        with opened as handle:
            summary = watcher.run_cycle(handle.store)
            log.info("cycle %d: %d polled, %d changed, %d not modified, %d failed, %d new articles",
                     len(summaries) + 1, summary.polled, summary.changed, summary.not_modified, summary.failed,
                     summary.articles_added)
            if on_cycle is not None:
                on_cycle(handle, summary, not summaries)
            current = watcher.config
            wait = next_wake(current, handle.store.feed_states(), utc_now()) if current else idle_s
        summaries.append(summary)
        if max_cycles is None or len(summaries) < max_cycles:
            sleep(max(wait, 0.05))
    return summaries
