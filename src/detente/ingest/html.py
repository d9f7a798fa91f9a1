"""HTML news pages (trafilatura): one page, one article or one reject.

trafilatura finds the main text, the title and the day of publication
(htmldate, without its extensive search: that takes a footer's copyright
year for a date); an ``article:published_time`` on that same day adds
the time of day, which htmldate drops.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import lxml.etree
import trafilatura
from lxml.html import HtmlElement

from .items import ReadContext, ReadItem, ReadResult, collect, decode, make_article, reject
from .normalise import is_binary, normalise_title

#: A page may carry this many bytes of markup per byte of text allowed (``ctx.max_text_bytes``).
MARKUP_FACTOR = 10
#: Main text of fewer words is a menu or a link trafilatura kept, not an article.
MIN_MAIN_TEXT_WORDS = 5

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_PUBLISHED_XPATH = (
    '//meta[@property="article:published_time" or @property="og:published_time"'
    ' or @name="article:published_time" or @itemprop="datePublished"]/@content'
    ' | //*[@itemprop="datePublished"]/@datetime'
)


def declared_charset(data: bytes) -> str | None:
    """Return the charset a page declares in its first 4 KiB (``<meta charset>``, XML declaration), if any."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii").lower()


def decode_page(data: bytes) -> str:
    """Decode a page: UTF-8, else the UTF-16 its byte-order mark shows, else its declared charset.

    Raises ``UnicodeDecodeError`` when none of these decodes it.
    """
    try:
        return decode(data)
    except UnicodeDecodeError:
        has_bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        charset = "utf-16" if has_bom else declared_charset(data)
        if charset:
            try:
                return data.decode(charset)
            except (UnicodeDecodeError, LookupError):  # LookupError: a charset Python does not know
                pass
        raise  # the UTF-8 error: it says where the bytes went wrong


def published_times(tree: HtmlElement) -> list[str]:
    """Return the page's ``article:published_time`` and schema.org ``datePublished`` values."""
    return [value.strip() for value in tree.xpath(_PUBLISHED_XPATH) if isinstance(value, str) and value.strip()]


def _on_day(timestamps: list[str], day: str | None) -> str | None:
    """Return the first timestamp whose own (local) date is ``day`` (``YYYY-MM-DD…``)."""
    return next((stamp for stamp in timestamps if day and stamp[:10] == day[:10]), None)


def _main_text(text: str, title: str) -> str:
    """Return the main text without a first line that repeats the title."""
    first, _, rest = text.partition("\n")
    return rest if title and normalise_title(first) == title else text


def iter_html(data: bytes, ctx: ReadContext, position: str, url: str | None = None) -> Iterator[ReadItem]:
    """Yield the article in one HTML page's bytes, or the reject saying why there is none.

    Title, main text and date come from ``trafilatura.bare_extraction``;
    the date falls back to ``ctx.default_published``. ``url`` is where the
    page was fetched from (else its canonical link is used).
    """
    if len(data) > MARKUP_FACTOR * ctx.max_text_bytes:
        detail = f"{len(data)} bytes of HTML > {MARKUP_FACTOR} times the text limit of {ctx.max_text_bytes}"
        yield reject(ctx, position, "oversize", detail, data[:80])
        return
    try:
        page = decode_page(data)
    except UnicodeDecodeError as exc:
        detail = f"not UTF-8 nor its declared charset: {exc.reason} at byte {exc.start}"
        yield reject(ctx, position, "undecodable_bytes", detail, data[:80])
        return
    if is_binary(page):
        yield reject(ctx, position, "binary_content", "page contains binary data", data[:80])
        return
    try:
        tree = trafilatura.load_html(page)
        document, timestamps = None, []
        if tree is not None:
            timestamps = published_times(tree)  # before trafilatura prunes the tree
            document = trafilatura.bare_extraction(
                tree, url=url, with_metadata=True, include_comments=False,
                date_extraction_params={"original_date": True, "extensive_search": False,
                                        "max_date": ctx.now.strftime("%Y-%m-%d")},
            )
    except (ValueError, TypeError, lxml.etree.LxmlError, RecursionError) as exc:
        yield reject(ctx, position, "broken_html", f"trafilatura could not parse the page: {exc}", page[:200])
        return
    words = len((document.text or "").split()) if document is not None else 0
    if words < MIN_MAIN_TEXT_WORDS:
        yield reject(ctx, position, "broken_html", f"no main text found in the page ({words} words)", page[:200])
        return
    title = normalise_title(document.title or "")
    published = _on_day(timestamps, document.date) or document.date
    yield make_article(
        ctx, position,
        title=title, body=_main_text(document.text, title), published=published,
        url=url or document.url, source=None,
    )


def read_html(data: bytes, ctx: ReadContext, position: str = "page", url: str | None = None) -> ReadResult:
    """Read one HTML page's bytes: ``(articles, rejects)``."""
    return collect(iter_html(data, ctx, position, url))
