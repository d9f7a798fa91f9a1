"""Ingestion: inputs → readers → exact and near-duplicate checks → batches in the store.

Each batch is one writer transaction, so an interrupted run leaves whole
batches only, and re-running skips what is stored (ids are stable).
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import FetchError
from ..records import Article, NearDuplicate, Reject
from ..settings import Settings
from ..store import IngestBatch, Store
from ..summary import RunSummary
from .dedupe import NearDuplicateIndex
from .items import ReadContext, ReadItem, reject
from .sources import Input, discover, sniff_format
from .tabular import iter_csv, iter_jsonl, row_article
from .text import iter_text


@dataclass(frozen=True)
class IngestOptions:
    """What the user asked of one ingest run."""

    format: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # publisher name for articles that carry none
    default_published: dt.datetime | None = None
    language: str | None = None
    dedupe: bool = True


@dataclass
class IngestSummary(RunSummary):
    """What one ingest run read and stored."""

    inputs: int = 0
    read: int = 0
    articles_added: int = 0
    already_stored: int = 0
    near_duplicates_added: int = 0
    events_added: int = 0
    rejects_added: int = 0
    rejects_by_reason: Counter = field(default_factory=Counter)  # every reject read, stored before or not
    batches: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """The summary as plain values (for ``--json``)."""
        return {**super().as_dict(), "rejects_by_reason": dict(self.rejects_by_reason)}


def read_input(item: Input, options: IngestOptions, settings: Settings, now: dt.datetime) -> Iterator[ReadItem]:
    """Yield the articles, events and rejects of one input, never raising for bad input."""
    ctx = ReadContext(
        source=options.source or _default_source(item), now=now, max_text_bytes=settings.max_text_bytes,
        default_published=options.default_published, language=options.language, origin=item.location,
    )
    fmt = item.format
    if item.url is not None:
        from .fetch import fetch
        from .ssrf import AddressGuard

        try:
            fetched = fetch(item.url, timeout_s=settings.fetch_timeout_s, max_bytes=settings.max_fetch_bytes,
                            guard=AddressGuard.from_allow_list(settings.fetch_allow_private))
        except FetchError as exc:
            yield reject(ctx, item.url, "fetch_failed", str(exc))
            return
        yield from read_document(fetched.final_url, fetched.data, options, settings, now, ctx=ctx)
        return
    if fmt is None:
        yield reject(ctx, "file", "unsupported_format", f"cannot tell the format of {item.location}; pass --format")
        return
    try:
        if item.member is not None:
            with zipfile.ZipFile(item.path) as zipped:
                data = zipped.read(item.member)
            yield from _read_bytes(fmt, data, ctx, options)
        elif fmt in ("jsonl", "gdelt"):
            with item.path.open("rb") as handle:  # streamed line by line
                yield from _read_lines(fmt, handle, ctx, options)
        else:
            size = item.path.stat().st_size
            if size > settings.max_fetch_bytes:
                yield reject(ctx, "file", "oversize", f"{size} bytes > limit {settings.max_fetch_bytes}")
                return
            yield from _read_bytes(fmt, item.path.read_bytes(), ctx, options)
    except (OSError, zipfile.BadZipFile) as exc:
        yield reject(ctx, "file", "unreadable_file", f"{type(exc).__name__}: {exc}")


def read_document(
    url: str, data: bytes, options: IngestOptions, settings: Settings, now: dt.datetime,
    ctx: ReadContext | None = None,
) -> Iterator[ReadItem]:
    """Yield the articles and rejects of a document fetched from ``url`` (a feed or an HTML page).

    The format is ``options.format``, else sniffed from the first bytes
    (HTML when unsure); rejects point back to ``url``.
    """
    ctx = ctx or ReadContext(
        source=options.source or urlsplit(url).hostname or url, now=now, max_text_bytes=settings.max_text_bytes,
        default_published=options.default_published, language=options.language, origin=url,
    )
    fmt = options.format or sniff_format(data[:4096]) or "html"
    yield from _read_bytes(fmt, data, ctx, options, url=url)


def _read_lines(fmt: str, lines: Iterable[bytes], ctx: ReadContext, options: IngestOptions) -> Iterator[ReadItem]:
    if fmt == "jsonl":
        return iter_jsonl(lines, ctx, options.mapping)
    from .gdelt import iter_gdelt

    return iter_gdelt(lines, ctx)


def _read_bytes(fmt: str, data: bytes, ctx: ReadContext, options: IngestOptions, url: str | None = None) -> Iterator[ReadItem]:
    if fmt in ("jsonl", "gdelt"):
        return _read_lines(fmt, io.BytesIO(data), ctx, options)
    if fmt == "csv":
        return iter_csv(data, ctx, options.mapping)
    if fmt == "text":
        return iter_text(data, ctx, "file")
    if fmt == "feed":
        from .feeds import iter_feed

        return iter_feed(data, ctx)
    from .html import iter_html

    return iter_html(data, ctx, "page", url=url)


def _default_source(item: Input) -> str:
    if item.url:
        return urlsplit(item.url).hostname or item.url
    name = Path(item.member or item.location).name
    return name.split(".")[0] or name


class Ingester:
    """Stores what readers yield, batch by batch, checking duplicates against the store."""

    def __init__(self, store: Store, settings: Settings, dedupe: bool = True) -> None:
        self.store = store
        self.settings = settings
        self.summary = IngestSummary()
        self.seen: set[str] = set()
        self.index: NearDuplicateIndex | None = None
        if dedupe:
            self.index = NearDuplicateIndex(
                settings.near_duplicate_threshold, settings.minhash_permutations, settings.shingle_words
            )
            for article_id, signature in store.signatures():
                self.index.add_bytes(article_id, signature)

    def write(self, source: str, items: list[ReadItem]) -> None:
        """Check one batch of read items for duplicates and store it in one transaction."""
        batch = IngestBatch(source=source)
        articles = []
        for item in items:
            if isinstance(item, Article):
                if item.id in self.seen:
                    self.summary.already_stored += 1
                else:
                    self.seen.add(item.id)
                    articles.append(item)
            elif isinstance(item, Reject):
                self.summary.rejects_by_reason[item.reason] += 1
                batch.rejects.append(item)
            else:
                batch.events.append(item)
        known = self.store.known_ids([a.id for a in articles])
        self.summary.already_stored += len(known)
        for article in articles:
            if article.id not in known:
                self._place(article, batch)
            elif self.index is not None and article.id not in self.index:
                # stored since this run began, by another writer: index it as that writer did (not stored
                # again), so that near-duplicates of it later in the input are found here too
                self._place(article, IngestBatch(source=source))
        counts = self.store.write_batch(batch)
        self.summary.read += len(items)
        self.summary.articles_added += counts.articles
        self.summary.near_duplicates_added += counts.near_duplicates
        self.summary.rejects_added += counts.rejects
        self.summary.events_added += counts.events
        self.summary.batches += 1 if len(batch) else 0

    def _place(self, article: Article, batch: IngestBatch) -> None:
        """Add ``article`` to the batch as an original or as a link to the one it repeats."""
        if self.index is None:
            batch.articles.append(article)
            return
        minhash = self.index.signature(f"{article.title}\n{article.body}")
        match = self.index.find(minhash)
        if match is None:
            self.index.add(article.id, minhash)
            batch.articles.append(article)
            batch.signatures[article.id] = self.index.to_bytes(minhash)
            return
        original_id, jaccard = match
        batch.near_duplicates.append(NearDuplicate(
            article_id=article.id, original_id=original_id, jaccard=round(jaccard, 4), source=article.source,
            url=article.url, title=article.title, published_at=article.published_at,
        ))


def ingest(
    store: Store,
    targets: Iterable[str],
    options: IngestOptions = IngestOptions(),
    settings: Settings | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Read every target (paths, directories, URLs) into ``store``; return what was stored.

    ``on_progress`` is called with the number of items read after each batch.
    Raises ``InputNotFound``/``UnknownFormat`` before storing anything if a
    target is missing; bad content inside inputs becomes stored rejects.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    inputs = [found for target in targets for found in discover(target, options.format)]
    ingester = Ingester(store, settings, dedupe=options.dedupe)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for item in inputs:
        store_input(ingester, item.location, read_input(item, options, settings, now), on_progress)
    ingester.summary.seconds = time.perf_counter() - started
    return ingester.summary


def store_input(
    ingester: Ingester, location: str, records: Iterable[ReadItem], on_progress: Callable[[int], None] | None = None,
) -> None:
    """Store what one input yields, ``settings.batch_size`` items per transaction, counting it as one input."""
    ingester.summary.inputs += 1
    pending: list[ReadItem] = []
    for record in records:
        pending.append(record)
        if len(pending) >= ingester.settings.batch_size:
            ingester.write(location, pending)
            pending = []
            if on_progress:
                on_progress(ingester.summary.read)
    if pending:
        ingester.write(location, pending)
        if on_progress:
            on_progress(ingester.summary.read)


def ingest_rows(
    store: Store,
    rows: Iterable[Mapping[str, object]],
    origin: str,
    options: IngestOptions = IngestOptions(),
    settings: Settings | None = None,
) -> IngestSummary:
    """Store articles given as field mappings (``title``, ``body``, ``published``, ``url``, ``source``).

    The same gate as the JSONL reader: each row becomes an article or a stored
    reject (position ``item N``, source ``origin``); the rows are one input.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    ctx = ReadContext(source=options.source or origin, now=now, max_text_bytes=settings.max_text_bytes,
                      default_published=options.default_published, language=options.language, origin=origin)
    ingester = Ingester(store, settings, dedupe=options.dedupe)
    ingester.summary.inputs = 1
    items = [row_article(row, ctx, f"item {number}", options.mapping) if isinstance(row, Mapping)
             else reject(ctx, f"item {number}", "malformed_row", "an item must be an object", row)
             for number, row in enumerate(rows, 1)]
    for first in range(0, len(items), settings.batch_size):
        ingester.write(origin, items[first:first + settings.batch_size])
    ingester.summary.seconds = time.perf_counter() - started
    return ingester.summary
