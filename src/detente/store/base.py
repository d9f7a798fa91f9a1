"""The store interface: what the other stages may ask of a database.

DuckDB (``duckdb_store.py``) is the embedded default; a PostgreSQL backend
implements the same ``Store`` protocol. Stages only ever talk to this
interface, never to a driver.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

import pandas as pd

from ..records import Article, Event, Mention, NearDuplicate, Reject, Sentence

#: Tables exported and imported as Parquet, with the column that partitions them by month.
TABLES: dict[str, str | None] = {
    "articles": "published_at",
    "near_duplicates": "published_at",
    "article_minhash": None,
    "rejects": None,
    "ingest_batches": None,
    "sentences": None,
    "mentions": None,
    "events": "event_date",
    "signals": None,
    "index_points": "point_date",
    "scenarios": None,
    "extractions": None,
}

#: Primary-key columns, used to import without duplicating rows.
KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("id",),
    "near_duplicates": ("article_id",),
    "article_minhash": ("article_id",),
    "rejects": ("id",),
    "ingest_batches": ("batch_id",),
    "sentences": ("article_id", "sentence_index"),
    "mentions": ("article_id", "span_start", "span_end"),
    "events": ("id",),
    "signals": ("id",),
    "index_points": ("point_date", "scope", "measure"),
    "scenarios": ("storyline_id", "name", "computed_at"),
    "extractions": ("article_id",),
}


@dataclass(frozen=True)
class Migration:
    """One schema version: its number, name and SQL."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Return the schema migrations shipped with the package, in version order."""
    found = []
    for entry in resources.files("detente.store.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append(Migration(int(name[:4]), name[5:-4], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def sql_statements(sql: str) -> list[str]:
    """Split a migration into statements (no semicolons inside statements)."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [stmt.strip() for stmt in "\n".join(lines).split(";") if stmt.strip()]


@dataclass
class IngestBatch:
    """What one writer transaction stores: the new records of one batch."""

    source: str
    articles: list[Article] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)  # article id -> MinHash
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles) + len(self.near_duplicates) + len(self.rejects) + len(self.events)


@dataclass(frozen=True)
class BatchCounts:
    """How many rows one batch actually added (re-ingested rows are not counted)."""

    articles: int = 0
    near_duplicates: int = 0
    rejects: int = 0
    events: int = 0


@dataclass
class ExtractionBatch:
    """What extraction found in a batch of articles; storing it replaces earlier results."""

    extractor: str
    article_ids: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True)
class EventQuery:
    """Filters for listing events."""

    actor: str | None = None  # prefix of the source or target actor code ("RUS", "USAGOV")
    event_type: str | None = None
    country: str | None = None  # ISO3: an actor's country or the place's
    modality: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    article_id: str | None = None
    origin: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class ArticleQuery:
    """Filters for listing articles."""

    search: str | None = None  # case-insensitive substring of title or body
    source: str | None = None
    language: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 20
    offset: int = 0


class Store(Protocol):
    """A Détente database."""

    url: str

    def schema_version(self) -> int:
        """Return the schema version the database is at."""
        ...

    def known_ids(self, ids: list[str]) -> set[str]:
        """Return which of ``ids`` are already stored as articles or near-duplicates."""
        ...

    def signatures(self) -> list[tuple[str, bytes]]:
        """Return the MinHash signature of every stored original article."""
        ...

    def write_batch(self, batch: IngestBatch) -> BatchCounts:
        """Store one batch in one transaction; rows already stored are skipped."""
        ...

    def articles(self, query: ArticleQuery) -> pd.DataFrame:
        """Return the articles matching ``query``, newest first."""
        ...

    def articles_to_extract(self, extractor: str, limit: int, before: dt.datetime | None = None) -> list[Article]:
        """Return up to ``limit`` articles not yet read by ``extractor``, or read before ``before``."""
        ...

    def write_extraction(self, batch: ExtractionBatch) -> None:
        """Store sentences, mentions and events of a batch of articles in one transaction, replacing old ones."""
        ...

    def events(self, query: EventQuery) -> pd.DataFrame:
        """Return events matching ``query``, newest first, with their source sentence."""
        ...

    def rejects(self, reason: str | None = None, limit: int = 100) -> pd.DataFrame:
        """Return stored rejects, optionally of one reason."""
        ...

    def stats(self) -> dict[str, object]:
        """Return counts: articles, near-duplicates, rejects by reason, events, sources, dates."""
        ...

    def export_parquet(self, directory: Path) -> dict[str, int]:
        """Write every table as Parquet under ``directory``; return rows per table."""
        ...

    def import_parquet(self, directory: Path) -> dict[str, int]:
        """Load a Parquet export, skipping rows already stored; return rows added per table."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...
