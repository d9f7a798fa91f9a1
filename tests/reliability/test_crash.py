"""Kill -9 an ingest at random moments: the database must hold whole batches only,
and a re-run must end with exactly the counts of a clean run."""

import os
import random
import signal
import subprocess
import sys
import time

import duckdb

from tests.conftest import HUFFPOST, HUFFPOST_MAP

KILLS = 6


def _ingest_command(db):
    code = "from detente.cli import main; main()"
    return [sys.executable, "-c", code, "--db", str(db), "ingest", str(HUFFPOST), "--map", HUFFPOST_MAP]


def _env():
    return {**os.environ, "DETENTE_BATCH_SIZE": "250"}


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]
        counts = {t: one(f"SELECT count(*) FROM {t}") for t in ("articles", "near_duplicates", "rejects", "article_minhash")}
        batch_sums = con.execute(
            "SELECT coalesce(sum(n_articles), 0), coalesce(sum(n_near_duplicates), 0), coalesce(sum(n_rejects), 0) "
            "FROM ingest_batches").fetchone()
        per_batch = con.execute(
            "SELECT count(*) FROM ingest_batches b WHERE b.n_articles != "
            "(SELECT count(*) FROM articles a WHERE a.batch_id = b.batch_id)").fetchone()[0]
    finally:
        con.close()
    return counts, batch_sums, per_batch


def test_sigkill_during_ingest_leaves_whole_batches_and_rerun_completes(tmp_path):
    clean = tmp_path / "clean.duckdb"
    subprocess.run(_ingest_command(clean), env=_env(), check=True, capture_output=True, timeout=300)
    clean_counts, _, _ = _counts(clean)

    crashed = tmp_path / "crashed.duckdb"
    rng = random.Random()
    partial_seen = 0
    delays = []
    for _ in range(KILLS):
        delay = rng.uniform(0.8, 4.0)
        delays.append(round(delay, 2))
        process = subprocess.Popen(_ingest_command(crashed), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if not crashed.exists():
            continue
        counts, (articles, near, rejects), mismatched = _counts(crashed)  # the database opens after the crash
        assert (articles, near, rejects) == (counts["articles"], counts["near_duplicates"], counts["rejects"]), delays
        assert mismatched == 0, delays
        assert counts["article_minhash"] == counts["articles"], delays
        partial_seen += 0 < counts["articles"] < clean_counts["articles"]

    subprocess.run(_ingest_command(crashed), env=_env(), check=True, capture_output=True, timeout=300)
    final_counts, _, _ = _counts(crashed)
    assert final_counts == clean_counts, delays
    assert partial_seen >= 1, f"no kill landed mid-ingest (delays {delays})"
