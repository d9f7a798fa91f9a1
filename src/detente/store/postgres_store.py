"""The PostgreSQL store: a database several processes and analysts share (PostgreSQL 15, psycopg 3).

It runs the same queries as the DuckDB store (``SqlStore``) through a
connection adapter (``pg_connection.PgConnection``) and the same migration
files, with DuckDB's type names rewritten (``DOUBLE`` → ``DOUBLE PRECISION``,
``BLOB`` → ``BYTEA``). What differs is how rows go in and how writers meet:

- new rows are streamed with ``COPY`` into a session temporary table and
  moved with ``INSERT … ON CONFLICT (key) DO NOTHING``, so two processes
  writing the same article store it once, and the count of rows actually
  inserted (what ``ingest_batches`` records) stays exact: a row another
  transaction is inserting waits for it to commit, then counts as stored;
- rows are inserted in key order, so two batches lock keys in the same order;
  a deadlock or serialization failure anyway rolls the batch back and retries it;
- migrations run under an advisory lock, so processes starting together
  migrate once.

Identical ordering with DuckDB needs a database created with the ``C``
collation (``createdb --locale=C.UTF-8`` or ``--lc-collate=C``): DuckDB
compares strings byte by byte.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import psycopg

from ..errors import DatabaseNotFound, SchemaTooNew, StoreError
from . import public_url
from .base import KEYS, TABLES, BatchCounts, IngestBatch, migrations, sql_statements
from .dialect import POSTGRESQL
from .duckdb_feeds import FeedTables
from .pg_connection import PgConnection
from .sql_store import SqlStore

_MIGRATION_LOCK = 0x646574656E7465  # "detente": one advisory lock id for schema changes
_RETRIES = 3
_CHUNK = 10_000


class PostgresStore(FeedTables, SqlStore):
    """A Détente database on a PostgreSQL server, from a ``postgresql://`` URL."""

    dialect = POSTGRESQL

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = public_url(url)
        self._columns: dict[str, list[str]] = {}
        try:
            self.con = PgConnection(url, read_only=read_only)
        except psycopg.Error as exc:
            raise DatabaseNotFound(f"cannot connect to {self.url}: {str(exc).strip()}") from exc
        try:
            if not read_only:
                self._migrate()
            elif self.schema_version() == 0:
                raise DatabaseNotFound(f"{self.url} holds no Détente schema")
        except BaseException:
            self.con.close()
            raise

    # -- schema ---------------------------------------------------------------

    def schema_version(self) -> int:
        """Return the schema version the database is at (0 when empty)."""
        exists = self.con.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def _migrate(self) -> None:
        """Apply the migrations not applied yet, in one transaction, under the migration lock."""
        known = migrations()
        self.con.execute("BEGIN")
        try:
            self.con.execute("SELECT pg_advisory_xact_lock(?)", [_MIGRATION_LOCK])
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                             "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
            current = self.schema_version()
            if known and current > known[-1].version:
                raise SchemaTooNew(f"{self.url} is at schema {current}; this Détente knows up to {known[-1].version}")
            for migration in known:
                if migration.version <= current:
                    continue
                try:
                    for statement in sql_statements(migration.sql):
                        self.con.execute(statement)
                except psycopg.Error as exc:
                    raise StoreError(f"migration {migration.version} ({migration.name}) failed: {exc}") from exc
                self.con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                 [migration.version, migration.name, dt.datetime.now(dt.UTC).replace(tzinfo=None)])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    # -- writing --------------------------------------------------------------

    def _table_columns(self, table: str) -> list[str]:
        if table not in self._columns:
            self._columns[table] = [row[0] for row in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = current_schema() ORDER BY ordinal_position", [table]).fetchall()]
        return self._columns[table]

    def _insert_new(self, table: str, rows: list[dict]) -> int:
        """Insert the rows whose key is not stored yet (COPY, then INSERT … ON CONFLICT DO NOTHING)."""
        if not rows:
            return 0
        columns = self._table_columns(table)
        keys = KEYS[table]
        rows = sorted(rows, key=lambda row: tuple(str(row.get(k)) for k in keys))
        staging = f"staged_{table}"
        self.con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table})")
        self.con.execute(f"TRUNCATE {staging}")
        self.con.copy_rows(staging, columns, ([row.get(c) for c in columns] for row in rows))
        cols = ", ".join(columns)
        with self.con.raw.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {staging} "
                           f"ON CONFLICT ({', '.join(keys)}) DO NOTHING")
            return cursor.rowcount

    def write_batch(self, batch: IngestBatch) -> BatchCounts:
        """Store one batch in one transaction; rows already stored (by anyone) are skipped.

        A deadlock or serialization failure with another writer rolls the
        batch back; it is then tried again (up to three times).
        """
        for attempt in range(_RETRIES):
            try:
                return super().write_batch(batch)
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    # -- Parquet --------------------------------------------------------------

    def export_parquet(self, directory: Path) -> dict[str, int]:
        """Write every table as the DuckDB store does (same layout and column types).

        The tables pass through an in-memory DuckDB with the same schema, which
        writes the Parquet files; that copy is held in memory while exporting.
        """
        import pyarrow as pa

        from .duckdb_store import DuckDBStore

        mirror = DuckDBStore(":memory:")
        try:
            for table in TABLES:
                schema = mirror.con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
                result = self.con.execute(f"SELECT {', '.join(schema.names)} FROM {table}")
                while rows := result.fetchmany(_CHUNK):
                    chunk = pa.Table.from_pylist([dict(zip(schema.names, row)) for row in rows], schema=schema)
                    mirror.con.register("chunk", chunk)
                    mirror.con.execute(f"INSERT INTO {table} SELECT * FROM chunk")
                    mirror.con.unregister("chunk")
            counts = mirror.export_parquet(directory)
        finally:
            mirror.close()
        return counts

    def import_parquet(self, directory: Path) -> dict[str, int]:
        """Load an export made by either store in one transaction, skipping rows already stored."""
        import duckdb

        directory = Path(directory)
        if not (directory / "manifest.json").exists():
            raise StoreError(f"{directory} is not a Détente export (no manifest.json)")
        reader = duckdb.connect()
        added: dict[str, int] = {}
        self.con.execute("BEGIN")
        try:
            for table in TABLES:
                added[table] = 0
                if not list((directory / table).rglob("*.parquet")):
                    continue
                pattern = str(directory / table / "**" / "*.parquet").replace("'", "''")
                result = reader.execute(
                    f"SELECT * EXCLUDE (month) FROM read_parquet('{pattern}', hive_partitioning = true)"
                    if TABLES[table] else f"SELECT * FROM read_parquet('{pattern}')")
                names = [column[0] for column in result.description]
                while rows := result.fetchmany(_CHUNK):
                    added[table] += self._insert_new(table, [dict(zip(names, row)) for row in rows])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        finally:
            reader.close()
        return added

    def close(self) -> None:
        """Close the connection (committed batches are already durable)."""
        self.con.close()

