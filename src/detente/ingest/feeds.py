"""RSS 2.0 and Atom feeds (feedparser): one article or reject per entry.

The entry's body is the longest of its content, summary and description,
with HTML reduced to text (paragraphs kept as blank lines); its date is
feedparser's parsed UTC time, else the raw date string so ``parse_date``
can try harder or say why it is impossible.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterator, Mapping

import feedparser

from .items import ReadContext, ReadItem, ReadResult, collect, make_article, reject
from .normalise import html_to_text, normalise_title

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _detail_text(detail: Mapping[str, object] | None, fallback: object = None) -> str:
    """Return the text of a feedparser text construct (``{"type", "value"}``), HTML stripped."""
    if not detail:
        return fallback if isinstance(fallback, str) else ""
    value = detail.get("value")
    if not isinstance(value, str):
        return ""
    return html_to_text(value) if detail.get("type") in _HTML_TYPES else value


def entry_body(entry: Mapping[str, object]) -> str:
    """Return the longest text among an entry's content blocks, summary and description."""
    details = list(entry.get("content") or [])
    for key in ("summary", "description"):
        detail = entry.get(f"{key}_detail")
        details.append(detail or {"type": "text/plain", "value": entry.get(key)})
    texts = [_detail_text(detail) for detail in details if isinstance(detail, Mapping)]
    return max(texts, key=lambda text: len(text.strip()), default="")


def entry_published(entry: dict[str, object]) -> dt.datetime | str | None:
    """Return an entry's publication time as naive UTC, else its raw date string, else None.

    feedparser's ``*_parsed`` fields are ``time.struct_time`` in UTC.
    """
    # dict.get: FeedParserDict.get maps a missing "updated*" key to "published*" with a DeprecationWarning
    for key in ("published_parsed", "updated_parsed"):
        parsed = dict.get(entry, key)
        if isinstance(parsed, time.struct_time):
            try:
                return dt.datetime(*parsed[:6])
            except (ValueError, OverflowError):
                continue
    for key in ("published", "updated", "created"):
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            return raw
    return None


def iter_feed(data: bytes, ctx: ReadContext, position: str = "feed") -> Iterator[ReadItem]:
    """Yield one article or reject per entry of an RSS/Atom document's bytes.

    A document feedparser cannot read (malformed with no entries, or not a
    feed at all) gives one ``broken_feed`` reject at ``position``; entries
    are at ``entry 1``, ``entry 2`` ... (1-based).
    """
    # A BytesIO, never bytes or str: feedparser opens strings that look like paths or URLs.
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        detail = f"not a readable RSS/Atom feed: {problem}" if problem else "not an RSS or Atom document"
        yield reject(ctx, position, "broken_feed", detail, data[:200])
        return
    feed = parsed.get("feed") or {}
    feed_title = normalise_title(_detail_text(feed.get("title_detail"), feed.get("title")))
    for number, entry in enumerate(entries, start=1):
        entry_position = f"entry {number}"
        title = _detail_text(entry.get("title_detail"), entry.get("title"))
        yield make_article(
            ctx, entry_position,
            title=title, body=entry_body(entry), published=entry_published(entry),
            url=entry.get("link"), source=feed_title or None,
        )


def read_feed(data: bytes, ctx: ReadContext) -> ReadResult:
    """Read an RSS/Atom document's bytes: ``(articles, rejects)``."""
    return collect(iter_feed(data, ctx))
