"""Plain-text and Markdown articles: one file, one article.

Layout: the first non-empty line is the title (a leading ``#`` is
dropped); header lines ``Published:``, ``Date:``, ``Source:``, ``URL:``
may follow it; the rest is the body. YAML front matter (``---`` … ``---``
with ``title``, ``published``/``date``, ``source``, ``url``) works too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from .items import ReadContext, ReadItem, ReadResult, collect, decode, make_article, reject

_HEADER = re.compile(r"^(published|date|source|url|link)\s*:\s*(.+)$", re.IGNORECASE)
_KEYS = {"published": "published", "date": "published", "source": "source", "url": "url", "link": "url"}


def parse_text_document(text: str) -> dict[str, str | None]:
    """Split a text/Markdown document into title, body and header fields."""
    fields: dict[str, str | None] = {"title": None, "published": None, "source": None, "url": None}
    text = text.lstrip("\ufeff")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            try:
                meta = yaml.safe_load(text[4:end])
            except yaml.YAMLError:
                meta = None
            if isinstance(meta, dict):
                for key, value in meta.items():
                    name = "title" if str(key).lower() == "title" else _KEYS.get(str(key).lower())
                    if name and value is not None:
                        fields[name] = str(value)
                text = text[end + 4 :].lstrip("\n")
    lines = text.split("\n")
    position = 0
    if fields["title"] is None:
        while position < len(lines) and not lines[position].strip():
            position += 1
        if position < len(lines):
            fields["title"] = lines[position].strip().lstrip("#").strip()
            position += 1
    while position < len(lines):
        match = _HEADER.match(lines[position].strip())
        if not match:
            break
        fields[_KEYS[match.group(1).lower()]] = match.group(2).strip()
        position += 1
    fields["body"] = "\n".join(lines[position:])
    return fields


def iter_text(data: bytes, ctx: ReadContext, position: str) -> Iterator[ReadItem]:
    """Yield the article in one text/Markdown file's bytes, or its reject."""
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        yield reject(ctx, position, "undecodable_bytes", f"not UTF-8: {exc.reason} at byte {exc.start}", data[:80])
        return
    fields = parse_text_document(text)
    yield make_article(
        ctx, position, title=fields["title"], body=fields["body"], published=fields["published"],
        url=fields["url"], source=fields["source"],
    )


def read_text(data: bytes, ctx: ReadContext, position: str = "1") -> ReadResult:
    """Read one text/Markdown file's bytes: ``(articles, rejects)``."""
    return collect(iter_text(data, ctx, position))
