"""What both backends share: the store's queries in SQL that DuckDB and PostgreSQL both run.

``SqlStore`` holds every query of the ``Store`` protocol; a backend
subclass brings the connection (``self.con``, DuckDB's or an adapter with
the same surface, ``?`` placeholders), the migrations, ``_insert_new`` (add
rows whose key is not stored yet, return how many went in) and Parquet
export and import.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd

from ..records import Article
from .base import ArticleQuery, BatchCounts, EventQuery, ExtractionBatch, IngestBatch
from .dialect import DUCKDB, Dialect
from .duckdb_alerts import AlertTables
from .duckdb_index import IndexTables
from .duckdb_keys import KeyTables
from .duckdb_markets import MarketTables
from .duckdb_stories import StorylineTables
from .rows import (
    article_rows,
    event_rows,
    mention_rows,
    near_duplicate_rows,
    reject_rows,
    sentence_rows,
    signal_rows,
    signature_rows,
)

_ARTICLE_FIELDS = "id, source, url, published_at, title, body, language, ingested_at"


class SqlStore(StorylineTables, AlertTables, IndexTables, MarketTables, KeyTables):
    """The queries of a Détente database, over a backend's connection."""

    url: str
    dialect: Dialect = DUCKDB

    def _insert_new(self, table: str, rows: list[dict]) -> int:
        """Insert the rows whose key is not stored yet; return how many went in (the backend's)."""
        raise NotImplementedError

    # -- schema ---------------------------------------------------------------

    def schema_version(self) -> int:
        """Return the schema version the database is at (0 when empty)."""
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    # -- writing --------------------------------------------------------------

    def known_ids(self, ids: list[str]) -> set[str]:
        """Return which of ``ids`` are stored as articles or near-duplicates."""
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM (SELECT unnest(?::VARCHAR[]) AS id) AS given WHERE id IN (SELECT id FROM articles) "
            "OR id IN (SELECT article_id FROM near_duplicates)",
            [ids],
        ).fetchall()
        return {row[0] for row in rows}

    def signatures(self) -> list[tuple[str, bytes]]:
        """Return the MinHash signature of every stored original article."""
        return self.con.execute("SELECT article_id, signature FROM article_minhash ORDER BY article_id").fetchall()

    def write_batch(self, batch: IngestBatch) -> BatchCounts:
        """Store one batch in one transaction; rows already stored are skipped.

        The batch's row in ``ingest_batches`` is written in the same
        transaction, so after a crash the database holds whole batches only.
        """
        if not len(batch):
            return BatchCounts()
        batch_id = uuid.uuid4().hex
        self.con.execute("BEGIN TRANSACTION")
        try:
            counts = BatchCounts(
                articles=self._insert_new("articles", article_rows(batch.articles, batch_id)),
                near_duplicates=self._insert_new("near_duplicates", near_duplicate_rows(batch.near_duplicates, batch_id)),
                rejects=self._insert_new("rejects", reject_rows(batch.rejects, batch_id)),
                events=self._insert_new("events", event_rows(batch.events, batch_id)),
            )
            self._insert_new("article_minhash", signature_rows(batch.signatures))
            if counts != BatchCounts():
                self.con.execute(
                    "INSERT INTO ingest_batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [batch_id, batch.source, dt.datetime.now(dt.UTC).replace(tzinfo=None), counts.articles,
                     counts.near_duplicates, counts.rejects, counts.events],
                )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return counts

    # -- extraction -----------------------------------------------------------

    def articles_to_extract(self, extractor: str, limit: int, before: dt.datetime | None = None) -> list[Article]:
        """Return up to ``limit`` articles not yet read by ``extractor``, or read before ``before``."""
        rows = self.con.execute(
            f"SELECT {', '.join('a.' + f.strip() for f in _ARTICLE_FIELDS.split(','))} FROM articles a "
            "LEFT JOIN extractions x ON x.article_id = a.id "
            "WHERE x.article_id IS NULL OR x.extractor != ? OR x.extracted_at < coalesce(?, TIMESTAMP '0001-01-01') "
            "ORDER BY a.published_at, a.id LIMIT ?",
            [extractor, before, limit],
        ).fetchall()
        names = [f.strip() for f in _ARTICLE_FIELDS.split(",")]
        return [Article(**dict(zip(names, row))) for row in rows]

    def write_extraction(self, batch: ExtractionBatch) -> None:
        """Store sentences, mentions and events of a batch of articles in one transaction, replacing old ones."""
        if not batch.article_ids:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        counts = {a: [0, 0, 0] for a in batch.article_ids}
        for position, records in enumerate((batch.sentences, batch.mentions, batch.events)):
            for record in records:
                key = record.provenance.article_id if position == 2 else record.article_id
                counts[key][position] += 1
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in ("sentences", "mentions", "events", "signals", "extractions"):
                self.con.execute(
                    f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"
                    + (" AND origin = 'detente'" if table == "events" else ""),
                    [batch.article_ids],
                )
            self._insert_new("sentences", sentence_rows(batch.sentences))
            self._insert_new("mentions", mention_rows(batch.mentions))
            self._insert_new("events", event_rows(batch.events, None))
            self._insert_new("signals", signal_rows(batch.signals))
            self._insert_new("extractions", [
                {"article_id": a, "extractor": batch.extractor, "extracted_at": now, "n_sentences": c[0],
                 "n_mentions": c[1], "n_events": c[2]} for a, c in counts.items()
            ])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def events(self, query: EventQuery) -> pd.DataFrame:
        """Return events matching ``query``, newest first, with their source sentence."""
        actor = query.actor and query.actor.upper() + "%"
        country = query.country and query.country.upper()
        where, params = _filters(
            ("(e.source_actor LIKE ? OR e.target_actor LIKE ?)", actor and [actor, actor]),
            ("(e.source_actor LIKE ? OR e.target_actor LIKE ? OR e.place_country = ?)",
             country and [country + "%", country + "%", country]),
            ("e.event_type = ?", query.event_type and query.event_type.upper()),
            ("e.modality = ?", query.modality), ("e.article_id = ?", query.article_id),
            ("e.origin = ?", query.origin), ("e.event_date >= ?", query.since), ("e.event_date < ?", query.until),
            ("e.article_id IN (SELECT article_id FROM storyline_articles WHERE storyline_id = ?)", query.storyline_id),
        )
        params += [query.limit, query.offset]
        return self.con.execute(
            "SELECT e.id, e.event_date, e.event_date_end, e.source_actor, e.event_type, e.mode, e.cameo_code, "
            "e.goldstein, e.target_actor, e.modality, e.place, e.place_country, e.lat, e.lon, e.confidence, "
            "e.origin, e.article_id, e.sentence_index, e.trigger_start, e.trigger_end, e.source_start, "
            "e.source_end, e.target_start, e.target_end, e.url, s.text AS sentence, s.span_start AS sentence_start "
            "FROM events e LEFT JOIN sentences s ON s.article_id = e.article_id AND s.sentence_index = e.sentence_index "
            f"WHERE {' AND '.join(where)} ORDER BY e.event_date DESC NULLS LAST, e.article_id, e.sentence_index, e.trigger_start, e.id "
            "LIMIT ? OFFSET ?",
            params,
        ).df()

    # -- reading --------------------------------------------------------------

    def articles(self, query: ArticleQuery) -> pd.DataFrame:
        """Return the articles matching ``query``, newest first."""
        search = query.search and f"%{query.search}%"
        where, params = _filters(
            ("(title ILIKE ? OR body ILIKE ?)", search and [search, search]),
            ("source = ?", query.source), ("language = ?", query.language),
            ("published_at >= ?", query.since), ("published_at < ?", query.until),
        )
        params += [query.limit, query.offset]
        return self.con.execute(
            "SELECT id, published_at, source, language, title, url, body FROM articles "
            f"WHERE {' AND '.join(where)} ORDER BY published_at DESC, id LIMIT ? OFFSET ?",
            params,
        ).df()

    def rejects(self, reason: str | None = None, limit: int = 100) -> pd.DataFrame:
        """Return stored rejects, optionally of one reason, newest first."""
        clause, params = ("WHERE reason = ?", [reason]) if reason else ("", [])
        return self.con.execute(
            f"SELECT source, position, reason, detail, excerpt, rejected_at FROM rejects {clause} "
            "ORDER BY rejected_at DESC, source, position LIMIT ?",
            [*params, limit],
        ).df()

    def stats(self) -> dict[str, object]:
        """Return counts: articles, near-duplicates, rejects by reason, events, sources, date range."""
        one = lambda sql: self.con.execute(sql).fetchone()
        first, last = one("SELECT min(published_at), max(published_at) FROM articles")
        return {
            "database": self.url,
            "schema_version": self.schema_version(),
            "articles": one("SELECT count(*) FROM articles")[0],
            "near_duplicates": one("SELECT count(*) FROM near_duplicates")[0],
            "rejects": one("SELECT count(*) FROM rejects")[0],
            "events": one("SELECT count(*) FROM events")[0],
            "mentions": one("SELECT count(*) FROM mentions")[0],
            "signals": one("SELECT count(*) FROM signals")[0],
            "articles_extracted": one("SELECT count(*) FROM extractions")[0],
            "batches": one("SELECT count(*) FROM ingest_batches")[0],
            "first_published": first,
            "last_published": last,
            "events_by_origin": dict(
                self.con.execute("SELECT origin, count(*) FROM events GROUP BY origin ORDER BY 2 DESC").fetchall()
            ),
            "rejects_by_reason": dict(
                self.con.execute("SELECT reason, count(*) FROM rejects GROUP BY reason ORDER BY 2 DESC").fetchall()
            ),
            "articles_by_source": dict(
                self.con.execute("SELECT source, count(*) FROM articles GROUP BY source ORDER BY 2 DESC LIMIT 20").fetchall()
            ),
            "articles_by_language": dict(
                self.con.execute(
                    "SELECT coalesce(language, '?'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC LIMIT 10"
                ).fetchall()
            ),
        }


def _filters(*conditions: tuple[str, object]) -> tuple[list[str], list[object]]:
    """SQL conditions and their parameters, for the filters that have a value.

    Each condition is ``(sql, value)``; a list value fills several ``?``.
    """
    where, params = ["TRUE"], []
    for sql, value in conditions:
        if value is None or value == "":
            continue
        where.append(sql)
        params.extend(value if isinstance(value, list) else [value])
    return where, params
