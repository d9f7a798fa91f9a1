"""JSON Lines and CSV with a column mapping.

The mapping names which input field holds each article field
(``title=headline,body=short_description,published=date``). Fields not
mapped are looked up under common names (``DEFAULT_FIELDS``), so
``url`` finds ``link`` in the HuffPost file without being told.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping

from ..errors import BadOption
from ..records import Reject
from .items import ReadContext, ReadItem, ReadResult, collect, decoded_lines, make_article, reject

ARTICLE_FIELDS = ("title", "body", "published", "url", "source")

#: Field names tried, in order, when the mapping does not name one.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "body": ("body", "text", "content", "article", "description", "summary", "short_description"),
    "published": ("published", "published_at", "date", "datetime", "pubdate", "timestamp", "time"),
    "url": ("url", "link", "href", "source_url"),
    "source": ("source", "publisher", "outlet", "site"),
}


def parse_mapping(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """Parse ``title=headline,body=text`` into ``{"title": "headline", ...}``.

    Raises ``BadOption`` for unknown article fields or malformed pairs.
    """
    if spec is None:
        return {}
    pairs = spec.items() if isinstance(spec, Mapping) else (
        part.split("=", 1) if "=" in part else (part, "") for part in spec.split(",") if part.strip()
    )
    mapping: dict[str, str] = {}
    for field_name, column in pairs:
        field_name, column = field_name.strip(), column.strip()
        if field_name not in ARTICLE_FIELDS:
            raise BadOption(f"--map: unknown field {field_name!r}; use {', '.join(ARTICLE_FIELDS)}")
        if not column:
            raise BadOption(f"--map: field {field_name!r} needs a column, as in {field_name}=COLUMN")
        mapping[field_name] = column
    return mapping


def _pick(row: Mapping[str, object], field_name: str, mapping: Mapping[str, str]) -> object:
    if field_name in mapping:
        return row.get(mapping[field_name])
    lowered = {str(k).lower(): v for k, v in row.items()}
    for name in DEFAULT_FIELDS[field_name]:
        value = lowered.get(name)
        if value not in (None, ""):
            return value
    return None


def row_article(row: Mapping[str, object], ctx: ReadContext, position: str, mapping: Mapping[str, str]) -> ReadItem:
    """One input row (field mapping) as an ``Article`` or a ``Reject``."""
    return make_article(
        ctx, position,
        title=_pick(row, "title", mapping), body=_pick(row, "body", mapping),
        published=_pick(row, "published", mapping), url=_pick(row, "url", mapping),
        source=_pick(row, "source", mapping),
    )


def iter_jsonl(lines: Iterable[bytes], ctx: ReadContext, mapping: Mapping[str, str] | None = None) -> Iterator[ReadItem]:
    """Yield one article or reject per non-blank line of a JSON Lines input."""
    mapping = mapping or {}
    for decoded in decoded_lines(lines, ctx):
        if isinstance(decoded, Reject):
            yield decoded
            continue
        position, line = decoded
        try:
            row = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield reject(ctx, position, "malformed_row", f"invalid JSON: {exc}", line)
            continue
        if not isinstance(row, dict):
            yield reject(ctx, position, "malformed_row", f"a JSON {type(row).__name__}, not an object", line)
            continue
        yield row_article(row, ctx, position, mapping)


def read_jsonl(data: bytes, ctx: ReadContext, mapping: Mapping[str, str] | None = None) -> ReadResult:
    """Read JSON Lines bytes: ``(articles, rejects)``."""
    return collect(iter_jsonl(io.BytesIO(data), ctx, mapping))


def iter_csv(data: bytes, ctx: ReadContext, mapping: Mapping[str, str] | None = None, delimiter: str | None = None) -> Iterator[ReadItem]:
    """Yield one article or reject per CSV row; the first row is the header."""
    mapping = mapping or {}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # keep the good rows: decode line by line, rejecting the bad ones below
        text = data.decode("utf-8", errors="surrogateescape")
    if delimiter is None:  # the separator the header line uses most
        header_line = text.split("\n", 1)[0]
        delimiter = max(",;\t|", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield reject(ctx, "row 1", "malformed_row", f"unreadable CSV header: {exc}")
        return
    header = [name.strip() for name in header]
    number = 1
    while True:
        number += 1
        position = f"row {number}"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reject(ctx, position, "malformed_row", f"unreadable CSV row: {exc}")
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if any("\udc80" <= ch <= "\udcff" for cell in cells for ch in cell):
            yield reject(ctx, position, "undecodable_bytes", "row is not valid UTF-8",
                         ",".join(cells).encode("utf-8", "surrogateescape")[:80])
            continue
        if len(cells) != len(header):
            yield reject(ctx, position, "malformed_row", f"{len(cells)} cells for {len(header)} columns", ",".join(cells))
            continue
        yield row_article(dict(zip(header, cells)), ctx, position, mapping)


def read_csv(data: bytes, ctx: ReadContext, mapping: Mapping[str, str] | None = None) -> ReadResult:
    """Read CSV bytes with a header row: ``(articles, rejects)``."""
    return collect(iter_csv(data, ctx, mapping))
