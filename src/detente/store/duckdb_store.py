"""The embedded DuckDB store: one file, one writer, one transaction per batch."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import DatabaseNotFound, SchemaTooNew, StoreError, StoreLocked
from ..records import Article
from .base import (
    KEYS,
    TABLES,
    ArticleQuery,
    BatchCounts,
    EventQuery,
    ExtractionBatch,
    IngestBatch,
    migrations,
    sql_statements,
)
from .duckdb_alerts import AlertTables
from .duckdb_feeds import FeedTables
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


class DuckDBStore(FeedTables, StorylineTables, AlertTables, IndexTables, MarketTables, KeyTables):
    """A Détente database in a DuckDB file (``:memory:`` for a throwaway one)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.url = str(path)
        if self.url != ":memory:":
            target = Path(self.url).expanduser()
            if target.is_dir():
                raise DatabaseNotFound(f"{target} is a directory, not a database file")
            if read_only and not target.exists():
                raise DatabaseNotFound(f"no database at {target}; run `detente ingest` first")
            target.parent.mkdir(parents=True, exist_ok=True)
            self.url = str(target)
        try:
            self.con = duckdb.connect(self.url, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(f"{self.url} is open in another process (DuckDB allows one writer)") from exc
            raise DatabaseNotFound(f"cannot open {self.url}: {exc}") from exc
        except duckdb.Error as exc:
            raise DatabaseNotFound(f"{self.url} is not a Détente database: {exc}") from exc
        if not read_only:
            self._migrate()
        elif self.schema_version() == 0:
            raise DatabaseNotFound(f"{self.url} holds no Détente schema")

    # -- schema ---------------------------------------------------------------

    def schema_version(self) -> int:
        """Return the schema version the database is at (0 when empty)."""
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def _migrate(self) -> None:
        known = migrations()
        current = self.schema_version()
        if known and current > known[-1].version:
            raise SchemaTooNew(f"{self.url} is at schema {current}; this Détente knows up to {known[-1].version}")
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
        )
        for migration in known:
            if migration.version <= current:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                for statement in sql_statements(migration.sql):
                    self.con.execute(statement)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.name, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
                )
                self.con.execute("COMMIT")
            except duckdb.Error as exc:
                self.con.execute("ROLLBACK")
                raise StoreError(f"migration {migration.version} ({migration.name}) failed: {exc}") from exc

    # -- writing --------------------------------------------------------------

    def known_ids(self, ids: list[str]) -> set[str]:
        """Return which of ``ids`` are stored as articles or near-duplicates."""
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM (SELECT unnest(?) AS id) WHERE id IN (SELECT id FROM articles) "
            "OR id IN (SELECT article_id FROM near_duplicates)",
            [ids],
        ).fetchall()
        return {row[0] for row in rows}

    def signatures(self) -> list[tuple[str, bytes]]:
        """Return the MinHash signature of every stored original article."""
        return self.con.execute("SELECT article_id, signature FROM article_minhash ORDER BY article_id").fetchall()

    def _insert_new(self, table: str, rows: list[dict]) -> int:
        """Insert the rows whose key is not stored yet; return how many went in."""
        if not rows:
            return 0
        columns = [c[0] for c in self.con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        frame = pd.DataFrame(rows, columns=columns)  # noqa: F841 (read by DuckDB by name)
        keys = KEYS[table]
        match = " AND ".join(f"t.{k} = frame.{k}" for k in keys)
        cols = ", ".join(columns)
        before = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        self.con.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM frame "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match})"
        )
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before

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
                    f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))"
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

    # -- Parquet --------------------------------------------------------------

    def export_parquet(self, directory: Path) -> dict[str, int]:
        """Write every table under ``directory``: ``TABLE/`` partitioned by month where dated.

        Dated tables are split as ``TABLE/month=YYYY-MM/*.parquet`` (Hive
        layout); a ``manifest.json`` records the schema version and row counts.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        counts: dict[str, int] = {}
        for table, date_column in TABLES.items():
            target = directory / table
            counts[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if date_column:
                self.con.execute(
                    f"COPY (SELECT *, coalesce(strftime({date_column}, '%Y-%m'), 'none') AS month FROM {table}) "
                    f"TO '{_quote(target)}' (FORMAT PARQUET, PARTITION_BY (month), OVERWRITE_OR_IGNORE)"
                )
            else:
                target.mkdir(exist_ok=True)
                self.con.execute(f"COPY {table} TO '{_quote(target / 'data.parquet')}' (FORMAT PARQUET)")
        manifest = {"schema_version": self.schema_version(), "tables": counts}
        (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
        return counts

    def import_parquet(self, directory: Path) -> dict[str, int]:
        """Load an export made by ``export_parquet``, skipping rows already stored."""
        directory = Path(directory)
        if not (directory / "manifest.json").exists():
            raise StoreError(f"{directory} is not a Détente export (no manifest.json)")
        added: dict[str, int] = {}
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in TABLES:
                files = list((directory / table).rglob("*.parquet"))
                if not files:
                    added[table] = 0
                    continue
                pattern = _quote(directory / table / "**" / "*.parquet")
                rows = self.con.execute(
                    f"SELECT * EXCLUDE (month) FROM read_parquet('{pattern}', hive_partitioning = true)"
                    if TABLES[table] else f"SELECT * FROM read_parquet('{pattern}')"
                ).df().to_dict("records")
                added[table] = self._insert_new(table, rows)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return added

    def close(self) -> None:
        """Close the connection (committed batches are already durable)."""
        self.con.close()


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


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
