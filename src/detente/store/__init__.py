"""The store: where stages meet. ``open_store`` picks the backend from the URL."""

from __future__ import annotations

from pathlib import Path

from .base import ArticleQuery, BatchCounts, IngestBatch, Store
from .duckdb_store import DuckDBStore

__all__ = ["ArticleQuery", "BatchCounts", "DuckDBStore", "IngestBatch", "Store", "open_store"]


def open_store(url: str | Path, *, read_only: bool = False) -> Store:
    """Open (and migrate) the database at ``url``: a DuckDB file path, ``:memory:``, or a
    ``postgresql://user@host:port/dbname`` URL (any libpq URL or its ``postgres://`` form)."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres_store import PostgresStore  # psycopg is loaded only for PostgreSQL

        return PostgresStore(text, read_only=read_only)
    return DuckDBStore(text, read_only=read_only)
