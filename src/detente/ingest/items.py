"""Turning raw fields into an ``Article`` or a ``Reject``: the one gate every reader uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..records import Article, Event, Reject
from .normalise import (
    DateError,
    article_id,
    detect_language,
    is_binary,
    normalise_text,
    normalise_title,
    parse_date,
    reject_id,
)

#: Why an input was rejected; the CLI summary counts rejects by these.
REASONS = {
    "malformed_row": "a row or line that is not valid JSON/CSV or not an object",
    "undecodable_bytes": "bytes that are not valid UTF-8",
    "binary_content": "content that is binary data, not text",
    "empty_body": "no text in the body (and title)",
    "missing_date": "no publication date and no default given",
    "impossible_date": "a date that cannot be parsed or lies outside 1900 … now",
    "oversize": "text past the size limit",
    "broken_feed": "an RSS/Atom document feedparser cannot read",
    "broken_html": "an HTML page with no extractable main text",
    "bad_event_row": "a GDELT row without the 61 columns or with bad codes",
    "fetch_failed": "a URL that could not be fetched within the limits",
    "unreadable_file": "a file that could not be opened or read",
    "unsupported_format": "a file whose format Détente does not read",
}

ReadItem = Article | Event | Reject


@dataclass(frozen=True)
class ReadContext:
    """What every reader needs besides its input: names, clock, limits, defaults."""

    source: str  # the publisher name given to articles that carry none
    now: dt.datetime
    max_text_bytes: int = 2_000_000
    default_published: dt.datetime | None = None
    language: str | None = None  # force a language instead of detecting it
    origin: str = ""  # the input (path or URL) that rejects point back to; defaults to ``source``


@dataclass
class ReadResult:
    """The outcome of reading one input: the good records and the rejects."""

    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # already-coded events (GDELT)

    def __iter__(self):  # so ``articles, rejects = read_x(...)`` works
        return iter((self.articles, self.rejects))


def collect(items: Iterable[ReadItem]) -> ReadResult:
    """Split a reader's stream into articles, rejects and events."""
    result = ReadResult()
    for item in items:
        if isinstance(item, Article):
            result.articles.append(item)
        elif isinstance(item, Reject):
            result.rejects.append(item)
        else:
            result.events.append(item)
    return result


def reject(ctx: ReadContext, position: object, reason: str, detail: str, excerpt: object = "") -> Reject:
    """Return a reject of ``reason`` at ``position`` in the context's source."""
    if reason not in REASONS:
        raise ValueError(f"unknown reject reason {reason!r}")
    excerpt_text = excerpt if isinstance(excerpt, str) else repr(excerpt)
    return Reject(
        id=reject_id(ctx.origin or ctx.source, str(position), reason),
        source=ctx.origin or ctx.source,
        position=str(position),
        reason=reason,
        detail=detail[:500],
        excerpt=excerpt_text[:500],
        rejected_at=ctx.now,
    )


def make_article(
    ctx: ReadContext,
    position: object,
    *,
    title: object,
    body: object,
    published: object,
    url: object = None,
    source: object = None,
) -> ReadItem:
    """Return a normalised ``Article`` from raw fields, or a ``Reject`` saying why not.

    Checks, in order: text fields are strings, size limit, binary content,
    empty body (a title alone is kept as body-less news only if it has
    text), publication date (``ctx.default_published`` when missing).
    """
    raw_title = "" if title is None else title
    raw_body = "" if body is None else body
    if not isinstance(raw_title, str) or not isinstance(raw_body, str):
        return reject(ctx, position, "malformed_row", "title and body must be text", f"{raw_title!r} {raw_body!r}")
    size = len(raw_title.encode("utf-8", "surrogatepass")) + len(raw_body.encode("utf-8", "surrogatepass"))
    if size > ctx.max_text_bytes:
        return reject(ctx, position, "oversize", f"{size} bytes of text > limit {ctx.max_text_bytes}", raw_title)
    if is_binary(raw_body) or is_binary(raw_title):
        return reject(ctx, position, "binary_content", "text contains binary data", raw_title[:80])
    body_text = normalise_text(raw_body)
    title_text = normalise_title(raw_title)
    if not body_text and not title_text:
        return reject(ctx, position, "empty_body", "no title and no body text", raw_title)
    if not body_text:
        body_text = title_text  # a headline-only item: the headline is its text
    if published is None and ctx.default_published is not None:
        published = ctx.default_published
    try:
        published_at = parse_date(published, ctx.now)
    except DateError as exc:
        return reject(ctx, position, exc.reason, str(exc), title_text or body_text[:200])
    url_text = url.strip() if isinstance(url, str) and url.strip() else None
    return Article(
        id=article_id(url_text, title_text, body_text),
        source=str(source) if isinstance(source, str) and source.strip() else ctx.source,
        url=url_text,
        published_at=published_at,
        title=title_text,
        body=body_text,
        language=ctx.language or detect_language(f"{title_text}\n{body_text}"),
        ingested_at=ctx.now,
    )


def decoded_lines(lines: Iterable[bytes], ctx: ReadContext) -> Iterable[tuple[str, str] | Reject]:
    """Yield ``(position, text)`` for each non-blank line, or a reject for an oversize or non-UTF-8 one."""
    for number, raw in enumerate(lines, start=1):
        position = f"line {number}"
        if not raw.strip():
            continue
        if len(raw) > ctx.max_text_bytes:
            yield reject(ctx, position, "oversize", f"{len(raw)} bytes > limit {ctx.max_text_bytes}", raw[:80])
            continue
        try:
            yield position, raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield reject(ctx, position, "undecodable_bytes", f"not UTF-8: {exc.reason}", raw[:80])


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without a byte-order mark); raises UnicodeDecodeError."""
    return data.decode("utf-8-sig")

