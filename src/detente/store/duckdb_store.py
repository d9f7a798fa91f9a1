"""The embedded DuckDB store: one file, one writer, one transaction per batch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import DatabaseNotFound, SchemaTooNew, StoreError, StoreLocked
from .base import KEYS, TABLES, migrations, sql_statements
from .duckdb_feeds import FeedTables
from .sql_store import SqlStore


class DuckDBStore(FeedTables, SqlStore):
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


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
