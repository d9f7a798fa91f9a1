"""The store: where stages meet. ``open_store`` picks the backend from the URL."""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from .base import ArticleQuery, BatchCounts, IngestBatch, Store
from .duckdb_store import DuckDBStore

__all__ = ["ArticleQuery", "BatchCounts", "DuckDBStore", "IngestBatch", "Store", "open_store"]


def open_store(url: str | Path, *, read_only: bool = False) -> Store:
    """Open (and migrate) the database at ``url``: a DuckDB file path or ``:memory:``.

    ``postgresql://`` URLs are reserved for the PostgreSQL backend.
    """
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError("the PostgreSQL backend is not available in this version; use a DuckDB file path")
    return DuckDBStore(text, read_only=read_only)
