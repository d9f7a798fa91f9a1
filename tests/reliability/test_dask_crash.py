"""Kill -9 ``detente extract --engine dask`` — the client, its LocalCluster scheduler and every worker (the
whole process group) — at random moments while partitions are being written; run it again and import:
the database must hold exactly the rows of a clean extraction, nothing lost and nothing duplicated.

Bounded: every wait has a deadline; all traffic is on 127.0.0.1.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psutil
import pytest

import detente
from detente.extract.distributed import input_files, plan_partitions, run_dask_extract
from tests.extract.dask_sample import TABLES, build_sample

pytestmark = pytest.mark.slow

ARTICLES = 400
PARTITION_ROWS = 10
KILLS = 2


def _command(pattern: str, output: Path) -> list[str]:
    return [sys.executable, "-m", "detente", "extract", "--engine", "dask", "--scheduler", "local", "--workers", "2",
            "--partition-rows", str(PARTITION_ROWS), "--input", pattern, "--output", str(output)]


def _done(output: Path) -> int:
    return len(list((output / "_done").glob("*.json")))


def _group_alive(group: int) -> list[int]:
    """Processes of the group still running (zombies waiting to be reaped do not count)."""
    alive = []
    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == group and process.info["status"] != psutil.STATUS_ZOMBIE:
                alive.append(process.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return alive


def _rows(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = {}
        for table in TABLES:
            columns = "* EXCLUDE (extracted_at)" if table == "extractions" else "*"
            found[table] = sorted(con.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
        return found
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """``ARTICLES`` items ingested, exported as Parquet, and a copy extracted in one process (the clean run)."""
    return build_sample(tmp_path_factory.mktemp("dask-crash"), ARTICLES)


def _imported(corpus: dict[str, Path], output: Path, target: Path) -> Path:
    shutil.copy(corpus["ingested"], target)
    with detente.open(target) as db:
        db.import_(output)
    return target


def test_sigkill_during_dask_extract_then_rerun_gives_the_clean_rows(corpus, tmp_path):
    pattern = corpus["pattern"]
    partitions, failed = plan_partitions(*input_files(pattern), PARTITION_ROWS)
    assert not failed and len(partitions) >= 20
    output = tmp_path / "out"
    rng = random.Random()
    delays, partial_seen = [], 0
    for _ in range(KILLS):
        before = _done(output)
        process = subprocess.Popen(_command(pattern, output), start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 240
        while _done(output) == before and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # wait for the cluster to be up and writing
        delay = rng.uniform(0.0, 1.5)
        delays.append(round(delay, 2))
        time.sleep(delay)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:  # it finished first: nothing to kill
            pass
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(process.pid), "a worker outlived the kill"
        partial_seen += 0 < _done(output) < len(partitions)

    finished = subprocess.run(_command(pattern, output), capture_output=True, text=True, timeout=600, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert _done(output) == len(partitions)
    assert not list(output.rglob("*.tmp")), "temporary files of killed writes are cleaned up"

    assert _rows(_imported(corpus, output, tmp_path / "imported.duckdb")) == _rows(corpus["single"]), delays
    assert partial_seen >= 1, f"no kill landed mid-run (delays {delays})"


def test_a_worker_killed_mid_run_is_replaced_and_its_partition_retried(corpus, tmp_path):
    """SIGKILL one worker process while partitions are written: Dask's nanny starts another (which loads
    the model again), the scheduler gives the lost task to a live worker, and the run ends complete."""
    output = tmp_path / "out"
    first_done = threading.Event()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["summary"] = run_dask_extract(corpus["pattern"], output, workers=2, partition_rows=PARTITION_ROWS,
                                                  on_progress=lambda articles: first_done.set())
        except BaseException as exc:  # noqa: BLE001 (handed to the test thread)
            outcome["error"] = exc
        first_done.set()

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    assert first_done.wait(timeout=240), "no partition finished in time"
    me = psutil.Process()
    workers = [p for p in me.children()  # the nannies live in this process; their workers are its spawned children
               if "spawn_main" in " ".join(p.cmdline())]
    assert workers and "summary" not in outcome, "the run ended before a worker could be killed"
    workers[0].send_signal(signal.SIGKILL)
    runner.join(timeout=300)
    assert not runner.is_alive() and "error" not in outcome, outcome
    summary = outcome["summary"]
    assert summary.partitions_failed == 0 and _done(output) == summary.partitions
    assert _rows(_imported(corpus, output, tmp_path / "imported.duckdb")) == _rows(corpus["single"])
