"""The PostgreSQL store on a real server: migrations, the same answers as DuckDB, concurrent writers, import.

The server is the session's throwaway PostgreSQL 15 (``conftest.postgres_server``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest

import detente
from detente.errors import DatabaseNotFound, SchemaTooNew
from detente.index.alerts import load_rules
from detente.index.monitor import check_alerts
from detente.records import Article
from detente.store import IngestBatch, open_store
from detente.store.base import KEYS, TABLES, migrations
from detente.store.pg_connection import translate
from tests.conftest import HUFFPOST, HUFFPOST_MAP
from tests.store.parity import WRITE_TIMES, assert_same_results, query_results

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
SAMPLE_ITEMS = 40
NOW = dt.datetime(2026, 1, 1)


def test_translate_rewrites_placeholders_types_and_duckdb_functions():
    assert translate("SELECT '?', x FROM t WHERE a = ? AND b LIKE '%' || $day") == (
        "SELECT '?', x FROM t WHERE a = %s AND b LIKE '%%' || %(day)s")
    assert translate("CREATE TABLE t (v DOUBLE, s BLOB)", placeholders=False) == (
        "CREATE TABLE t (v DOUBLE PRECISION, s BYTEA)")
    assert translate("x SIMILAR TO '(IGO|NGO).*'", placeholders=False) == "x ~ '^(?:(IGO|NGO).*)$'"


def test_migrations_apply_once_and_give_duckdbs_tables(pg_url):
    store = open_store(pg_url)
    assert store.schema_version() == migrations()[-1].version
    store.close()
    store = open_store(pg_url)  # reopening applies nothing twice
    assert store.con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall() == [
        (m.version,) for m in migrations()]
    reference = open_store(":memory:")
    columns = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = {} ORDER BY 1, 2"
    assert (store.con.execute(columns.format("current_schema()")).fetchall()
            == reference.con.execute(columns.format("'main'")).fetchall())
    store.close()


def test_processes_opening_a_new_database_together_migrate_it_once(pg_url):
    failures = []

    def open_it():
        try:
            open_store(pg_url).close()
        except Exception as exc:  # noqa: BLE001 (reported below)
            failures.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    store = open_store(pg_url, read_only=True)
    assert store.con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations())
    store.close()


def test_newer_schema_is_refused_and_bad_servers_are_user_errors(pg_url):
    store = open_store(pg_url)
    store.con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    store.close()
    with pytest.raises(SchemaTooNew):
        open_store(pg_url)
    with pytest.raises(DatabaseNotFound, match="cannot connect"):
        open_store("postgresql://postgres:secret@127.0.0.1:1/nothing")
    with pytest.raises(DatabaseNotFound, match="holds no Détente schema"):
        open_store(pg_url.rsplit("/", 1)[0] + "/template1", read_only=True)


def test_batches_skip_stored_rows_and_count_what_they_added(pg_url):
    store = open_store(pg_url)
    articles = [Article(id=f"a{n}", source="t", url=None, published_at=dt.datetime(2024, 1 + n, 1), title=f"T{n}",
                        body=f"body {n}", language="en", ingested_at=NOW) for n in range(3)]
    first = store.write_batch(IngestBatch(source="t", articles=articles[:2], signatures={"a0": b"\x01\x02"}))
    second = store.write_batch(IngestBatch(source="t", articles=articles))
    assert (first.articles, second.articles) == (2, 1)
    assert store.known_ids(["a0", "a2", "zz"]) == {"a0", "a2"}
    assert store.signatures() == [("a0", b"\x01\x02")]
    assert store.con.execute("SELECT sum(n_articles) FROM ingest_batches").fetchone()[0] == 3
    reader = open_store(pg_url, read_only=True)
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        reader.con.execute("DELETE FROM articles")
    reader.close()
    store.close()


# -- the same answers on both backends --------------------------------------------


def _build(target: str, sample: Path) -> None:
    """Ingest, extract, group into storylines, index, load prices and check alerts, as the demo does."""
    from detente.cli_prices import SAMPLE_PRICES

    with detente.open(target) as db:
        db.ingest([sample, EXAMPLES / "news" / "messy_sample.jsonl"], map=HUFFPOST_MAP, source="huffpost")
        db.ingest([EXAMPLES / "articles"])
        db.extract()
        db.update_stories()
        db.update_index()
        for asset, (name, unit) in SAMPLE_PRICES.items():
            db.load_prices(EXAMPLES / "markets" / name, asset=asset, unit=unit)
        check_alerts(db.store, load_rules(None))


@pytest.fixture(scope="module")
def both_backends(postgres_server, tmp_path_factory):
    """A DuckDB file and a PostgreSQL database built the same way from a small sample of the demo data."""
    directory = tmp_path_factory.mktemp("parity")
    lines = (EXAMPLES / "news" / "huffpost_world_politics.jsonl").read_text(encoding="utf-8").splitlines()
    sample = directory / "huffpost_head.jsonl"
    sample.write_text("\n".join(lines[:SAMPLE_ITEMS]) + "\n", encoding="utf-8")
    duck, pg = str(directory / "parity.duckdb"), postgres_server.create_database("parity")
    _build(duck, sample)
    _build(pg, sample)
    return duck, pg


def test_ingest_extract_stories_index_give_the_same_answers_on_both(both_backends):
    duck, pg = (open_store(url, read_only=True) for url in both_backends)
    try:
        assert pg.stats()["events"] > 50 and len(pg.storylines()) > 3
        assert_same_results(query_results(duck, exact_tables=True), query_results(pg, exact_tables=True))
    finally:
        duck.close()
        pg.close()


def test_export_and_import_move_every_table_between_backends(both_backends, postgres_server, tmp_path):
    duck_url, pg_url = both_backends
    with detente.open(pg_url, read_only=True) as pg:
        exported = pg.export(tmp_path / "from_pg")
    copy = tmp_path / "copy.duckdb"
    with detente.open(copy) as db:
        assert db.import_(tmp_path / "from_pg") == exported
    with detente.open(duck_url, read_only=True) as duck:
        duck.export(tmp_path / "from_duck")
    second = postgres_server.create_database("imported")
    with detente.open(second) as db:
        assert db.import_(tmp_path / "from_duck") == exported
        assert set(db.import_(tmp_path / "from_duck").values()) == {0}  # importing again adds nothing
    stores = [open_store(url, read_only=True) for url in (duck_url, str(copy), second)]
    answers = [query_results(store, exact_tables=True) for store in stores]
    for store in stores:
        store.close()
    assert_same_results(answers[0], answers[1])
    assert_same_results(answers[0], answers[2])


def test_cli_import_loads_an_export_into_postgresql(both_backends, postgres_server, tmp_path):
    duck_url, _ = both_backends
    with detente.open(duck_url, read_only=True) as duck:
        exported = duck.export(tmp_path / "out")
    target = postgres_server.create_database("cli_import")
    result = subprocess.run([sys.executable, "-c", "from detente.cli import main; main()", "--db", target, "--json",
                             "import", str(tmp_path / "out")], check=False, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    store = open_store(target, read_only=True)
    stored = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    store.close()
    assert stored == exported


@contextmanager
def _serving(url: str):
    """The API over ``url`` under uvicorn on a free loopback port, for the duration of the block."""
    from detente.serve.app import create_app
    from detente.settings import Settings
    from tests.serve.conftest import serving

    with serving(create_app(Settings(db=url))) as base_url, \
            httpx.Client(base_url=f"{base_url}/api/v1", timeout=60) as client:
        yield client


def test_serve_gives_the_same_answers_from_postgresql(both_backends):
    paths = ["/articles?limit=100", "/events?limit=200", "/events?actor=RUS", "/index", "/index?freq=W&scope=UKR",
             "/storylines?limit=50", "/alerts?limit=100"]
    answers = []
    for url in both_backends:
        with _serving(url) as client:
            first = client.get("/storylines?limit=1").json()["items"][0]["id"]
            found = {}
            for path in [*paths, f"/storylines/{first}"]:
                response = client.get(path)
                assert response.status_code == 200, (url, path, response.text)
                found[path] = _without_write_times(response.json())
            answers.append(found)
    assert answers[0] == answers[1]


def _without_write_times(value: object) -> object:
    """A JSON answer without the times rows were written at (they differ between two builds)."""
    if isinstance(value, dict):
        return {k: _without_write_times(v) for k, v in value.items() if k not in WRITE_TIMES}
    if isinstance(value, list):
        return [_without_write_times(v) for v in value]
    return value


# -- two writers -----------------------------------------------------------------------


def _ingest(url: str, path: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from detente.cli import main; main()", "--db", url, "ingest", str(path),
               "--map", HUFFPOST_MAP]
    return subprocess.Popen(command, env={**os.environ, "DETENTE_BATCH_SIZE": "100"}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _contents(url: str) -> dict[str, object]:
    with psycopg.connect(url) as con:
        one = lambda sql: con.execute(sql).fetchone()
        found = {table: one(f"SELECT count(*) FROM {table}")[0]
                 for table in ("articles", "near_duplicates", "rejects", "article_minhash")}
        found["batch_sums"] = one("SELECT coalesce(sum(n_articles), 0), coalesce(sum(n_near_duplicates), 0), "
                                  "coalesce(sum(n_rejects), 0) FROM ingest_batches")
        found["batches_off"] = one("SELECT count(*) FROM ingest_batches b WHERE b.n_articles != "
                                   "(SELECT count(*) FROM articles a WHERE a.batch_id = b.batch_id)")[0]
        for table in ("articles", "near_duplicates", "rejects"):
            key = KEYS[table][0]
            found[f"{table}_ids"] = {row[0] for row in con.execute(f"SELECT {key} FROM {table}")}
        found["links"] = set(con.execute("SELECT article_id, original_id FROM near_duplicates").fetchall())
    return found


def _corpus_with_reposts(path: Path, items: int) -> Path:
    """The first ``items`` HuffPost items, each 7th reposted under another link 150 items later (a near-duplicate
    in a later batch, so the two writers race on both the original and the copy)."""
    lines = HUFFPOST.read_text(encoding="utf-8").splitlines()[:items]
    reposts = {n + 150: json.loads(lines[n]) for n in range(0, items - 150, 7)}
    out = []
    for n, line in enumerate(lines):
        out.append(line)
        if n in reposts:
            out.append(json.dumps({**reposts[n], "link": reposts[n]["link"] + "?repost=1"}))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_two_concurrent_ingests_lose_nothing_and_duplicate_nothing(postgres_server, tmp_path):
    if not HUFFPOST.exists():
        pytest.skip(f"the shared corpus is missing: {HUFFPOST}")
    corpus = _corpus_with_reposts(tmp_path / "huffpost_reposts.jsonl", 2500)

    clean = postgres_server.create_database("clean")
    single = _ingest(clean, corpus)
    assert single.wait(timeout=300) == 0, single.stderr.read()
    expected = _contents(clean)
    assert expected["articles"] > 2000 and expected["near_duplicates"] > 0

    shared = postgres_server.create_database("shared")
    writers = [_ingest(shared, corpus) for _ in range(2)]
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    found = _contents(shared)
    assert found["batches_off"] == 0
    assert found["batch_sums"] == (found["articles"], found["near_duplicates"], found["rejects"])
    assert found["article_minhash"] == found["articles"]
    del found["batch_sums"], expected["batch_sums"]
    assert found == expected


@pytest.mark.slow
def test_duckdb_and_postgresql_agree_on_the_demo_data(postgres_server, tmp_path):
    """The whole demo corpus: built in DuckDB, exported, imported into PostgreSQL; the index then rebuilt on both."""
    from detente.index.event_index import index_rules

    duck_url = str(tmp_path / "demo.duckdb")
    _build(duck_url, EXAMPLES / "news" / "huffpost_world_politics.jsonl")
    with detente.open(duck_url, read_only=True) as duck:
        duck.export(tmp_path / "demo")
    pg_url = postgres_server.create_database("demo")
    with detente.open(pg_url) as pg:
        pg.import_(tmp_path / "demo")
    stores = [open_store(duck_url), open_store(pg_url)]
    written = [store.rebuild_index_points(None, index_rules()) for store in stores]
    assert written[0] == written[1] > 0
    answers = [query_results(store) for store in stores]
    for store in stores:
        store.close()
    assert len(answers[0]["articles"]) > 2000
    assert_same_results(*answers)


def test_killed_ingest_leaves_whole_batches_and_a_rerun_completes_it(postgres_server, tmp_path):
    if not HUFFPOST.exists():
        pytest.skip(f"the shared corpus is missing: {HUFFPOST}")
    corpus = _corpus_with_reposts(tmp_path / "huffpost_reposts.jsonl", 2500)
    clean = postgres_server.create_database("clean")
    assert _ingest(clean, corpus).wait(timeout=300) == 0
    expected = _contents(clean)

    crashed = postgres_server.create_database("crashed")
    writer = _ingest(crashed, corpus)
    deadline = time.monotonic() + 60
    while _stored_articles(crashed) < 300:  # some batches are in: kill it mid-run
        assert writer.poll() is None and time.monotonic() < deadline, "the ingest ended before it could be killed"
        time.sleep(0.05)
    writer.kill()
    writer.wait(timeout=30)
    partial = _contents(crashed)
    assert 0 < partial["articles"] < expected["articles"]
    assert partial["batches_off"] == 0
    assert partial["batch_sums"] == (partial["articles"], partial["near_duplicates"], partial["rejects"])
    assert _ingest(crashed, corpus).wait(timeout=300) == 0
    found = _contents(crashed)
    assert found["batch_sums"] == (found["articles"], found["near_duplicates"], found["rejects"])
    del found["batch_sums"], expected["batch_sums"]
    assert found == expected


def _stored_articles(url: str) -> int:
    with psycopg.connect(url) as con:
        exists = con.execute("SELECT to_regclass('articles') IS NOT NULL").fetchone()[0]
        return con.execute("SELECT count(*) FROM articles").fetchone()[0] if exists else 0


def test_feed_subscriptions_round_trip(pg_url):
    from detente.records import FeedSubscription

    store = open_store(pg_url)
    try:
        first = FeedSubscription(url="https://pg.example/feed", created_at=dt.datetime(2026, 1, 1), created_by="k")
        store.subscribe(first)
        store.subscribe(first.model_copy(update={"kind": "feed", "interval_s": 60}))  # replaces
        assert [(s.url, s.kind, s.interval_s) for s in store.subscriptions()] == [("https://pg.example/feed", "feed", 60)]
        assert store.unsubscribe("https://pg.example/feed") is True
        assert store.unsubscribe("https://pg.example/feed") is False and store.subscriptions() == []
    finally:
        store.close()
