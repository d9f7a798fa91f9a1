"""The store: where stages meet. ``open_store`` picks the backend from the URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .base import ArticleQuery, BatchCounts, IngestBatch, Store
from .duckdb_store import DuckDBStore

__all__ = ["ArticleQuery", "BatchCounts", "DuckDBStore", "IngestBatch", "Store", "is_postgres", "open_store", "public_url"]


def open_store(url: str | Path, *, read_only: bool = False) -> Store:
    """Open (and migrate) the database at ``url``: a DuckDB file path, ``:memory:``, or a
    ``postgresql://user@host:port/dbname`` URL (any libpq URL or its ``postgres://`` form)."""
    text = str(url)
    if is_postgres(text):
        from .postgres_store import PostgresStore  # psycopg is loaded only for PostgreSQL

        return PostgresStore(text, read_only=read_only)
    return DuckDBStore(text, read_only=read_only)


def is_postgres(url: str | Path) -> bool:
    """Whether ``url`` names a PostgreSQL database (``postgresql://`` or ``postgres://``), not a DuckDB file."""
    return str(url).startswith(("postgresql://", "postgres://"))


def public_url(url: str) -> str:
    """``url`` without its password (what ``stats`` and messages show)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
