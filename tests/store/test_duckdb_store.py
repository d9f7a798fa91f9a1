"""The DuckDB store: migrations, batches, queries, Parquet round trip, bad databases."""

import datetime as dt
import multiprocessing

import duckdb
import pytest

import detente
from detente.errors import DatabaseNotFound, SchemaTooNew, StoreLocked
from detente.records import Article, Reject
from detente.store import IngestBatch, open_store
from detente.store.base import TABLES, migrations

NOW = dt.datetime(2026, 1, 1)


def _article(n: int) -> Article:
    return Article(id=f"a{n}", source="t", url=None, published_at=dt.datetime(2024, 1 + n % 12, 1), title=f"T{n}",
                   body=f"body {n}", language="en", ingested_at=NOW)


def test_migrations_apply_once_and_record_versions(db_path):
    store = open_store(db_path)
    assert store.schema_version() == migrations()[-1].version
    store.close()
    store = open_store(db_path)  # reopening applies nothing twice
    versions = store.con.execute("SELECT version FROM schema_migrations").fetchall()
    assert versions == [(m.version,) for m in migrations()]
    store.close()


def test_newer_schema_is_refused(db_path):
    store = open_store(db_path)
    store.con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    store.close()
    with pytest.raises(SchemaTooNew):
        open_store(db_path)


def test_batches_skip_stored_rows_and_count_what_went_in(db_path):
    store = open_store(db_path)
    reject = Reject(id="r1", source="s", position="line 1", reason="malformed_row", detail="d", rejected_at=NOW)
    first = store.write_batch(IngestBatch(source="s", articles=[_article(1), _article(2)], rejects=[reject]))
    second = store.write_batch(IngestBatch(source="s", articles=[_article(2), _article(3)], rejects=[reject]))
    assert (first.articles, first.rejects, second.articles, second.rejects) == (2, 1, 1, 0)
    assert store.known_ids(["a1", "a3", "zz"]) == {"a1", "a3"}
    assert store.stats()["batches"] == 2
    store.close()


def test_failed_batch_leaves_nothing(db_path):
    store = open_store(db_path)
    bad = IngestBatch(source="s", articles=[_article(1)], signatures={"a1": None})  # NOT NULL violation
    with pytest.raises(duckdb.ConstraintException):
        store.write_batch(bad)
    assert store.stats()["articles"] == 0 and store.stats()["batches"] == 0
    store.close()


def test_parquet_round_trip_of_every_table(tmp_path, db_path):
    store = open_store(db_path)
    store.write_batch(IngestBatch(source="s", articles=[_article(n) for n in range(30)],
                                  signatures={f"a{n}": b"\x00" * 8 for n in range(30)}))
    counts = store.export_parquet(tmp_path / "out")
    store.close()
    assert set(counts) == set(TABLES) and counts["articles"] == 30
    assert len(list((tmp_path / "out" / "articles").glob("month=2024-*"))) == 12  # partitioned by month
    other = open_store(tmp_path / "copy.duckdb")
    assert other.import_parquet(tmp_path / "out")["articles"] == 30
    assert other.import_parquet(tmp_path / "out")["articles"] == 0  # idempotent
    other.close()
    original = detente.open(db_path, read_only=True).articles(limit=100).sort_values("id").reset_index(drop=True)
    copied = detente.open(tmp_path / "copy.duckdb", read_only=True).articles(limit=100).sort_values("id").reset_index(drop=True)
    assert original.equals(copied)


def test_not_a_database_and_missing_database(tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    with pytest.raises(DatabaseNotFound):
        open_store(junk)
    with pytest.raises(DatabaseNotFound, match="no database"):
        open_store(tmp_path / "absent.duckdb", read_only=True)
    with pytest.raises(DatabaseNotFound, match="directory"):
        open_store(tmp_path)


def _hold(path, ready, done):
    store = open_store(path)
    ready.set()
    done.wait(10)
    store.close()


def test_second_writer_gets_a_clear_error(db_path):
    open_store(db_path).close()
    ready, done = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold, args=(db_path, ready, done))
    holder.start()
    try:
        assert ready.wait(20)
        with pytest.raises(StoreLocked, match="another process"):
            open_store(db_path)
    finally:
        done.set()
        holder.join(10)
