"""``detente extract --engine dask``: a real LocalCluster of 2 worker processes on 127.0.0.1, on a sample of
the HuffPost world-politics items ingested then exported as Parquet.

The outputs, imported into DuckDB, must be row for row those of the single-process extraction; a re-run
after partitions were lost redoes those only; bad input gives a clear error and loses no good partition.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster

import detente
from detente.errors import InputNotFound
from detente.extract.distributed import run_dask_extract
from tests.extract.dask_sample import TABLES, build_sample

pytestmark = pytest.mark.slow

ARTICLES = 240
WIDE = {**os.environ, "COLUMNS": "2000"}  # Rich wraps the one-line error at the terminal width


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: rows in ``left``, rows in ``right``, rows in one and not the other (extraction time aside)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
    con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
    found = {}
    for table in TABLES:
        columns = "* EXCLUDE (extracted_at)" if table == "extractions" else "*"
        one = lambda sql: con.execute(sql).fetchone()[0]
        apart = sum(one(f"SELECT count(*) FROM (SELECT {columns} FROM {a}.{table} "
                        f"EXCEPT ALL SELECT {columns} FROM {b}.{table})") for a, b in (("l", "r"), ("r", "l")))
        found[table] = (one(f"SELECT count(*) FROM l.{table}"), one(f"SELECT count(*) FROM r.{table}"), apart)
    con.close()
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, Path]:
    """A database of ``ARTICLES`` ingested items, its Parquet export, and a copy extracted in one process."""
    return build_sample(tmp_path_factory.mktemp("dask"), ARTICLES)


def _import(sample: dict[str, Path], output: Path, name: str) -> Path:
    target = sample["root"] / name
    shutil.copy(sample["ingested"], target)
    with detente.open(target) as db:
        db.import_(output)
    return target


def test_dask_matches_single_process_and_resumes(sample):
    output = sample["root"] / "dask-out"
    pattern = str(sample["export"] / "articles" / "**" / "*.parquet")
    summary = run_dask_extract(pattern, output, workers=2, partition_rows=40)
    assert summary.workers == 2 and summary.partitions_failed == 0
    assert summary.articles == _stored_articles(sample["ingested"]) > ARTICLES // 2
    assert len(summary.peak_mb_by_worker) == 2, "both workers took partitions"
    assert summary.startup_seconds > 0 and summary.seconds > 0
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["complete"] and manifest["tables"]["events"] == summary.events > 0

    differences = _differences(sample["single"], _import(sample, output, "dask.duckdb"))
    for table, (single_rows, dask_rows, apart) in differences.items():
        assert single_rows == dask_rows > 0 and apart == 0, (table, differences)

    # a run that died mid-way: two partitions without their completion record, a temporary file left over;
    # resumed on a running cluster reached by its address (as a remote scheduler is)
    done = sorted((output / "_done").glob("*.json"))
    for record in done[:2]:
        record.unlink()
    events = next((output / "events").glob("month=*"))
    (events / ".part-dead.1234.tmp").write_bytes(b"half a file")
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        again = run_dask_extract(pattern, output, scheduler=cluster.scheduler_address, partition_rows=40)
    assert (again.partitions_skipped, again.partitions_failed) == (summary.partitions - 2, 0)
    differences = _differences(sample["single"], _import(sample, output, "dask-again.duckdb"))
    assert all(apart == 0 and left == right for left, right, apart in differences.values()), differences

    nothing_to_do = run_dask_extract(pattern, output, workers=2, partition_rows=40)
    assert nothing_to_do.partitions_skipped == summary.partitions and nothing_to_do.workers == 0


def _stored_articles(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def test_no_input_is_a_clear_user_error(tmp_path):
    with pytest.raises(InputNotFound, match="no file matches"):
        run_dask_extract(str(tmp_path / "none" / "*.parquet"), tmp_path / "out")
    cli = subprocess.run([sys.executable, "-m", "detente", "extract", "--engine", "dask", "--input",
                          str(tmp_path / "none" / "*.parquet"), "--output", str(tmp_path / "out")],
                         check=False, capture_output=True, text=True, env=WIDE, timeout=120)
    assert cli.returncode == 1 and "no file matches" in cli.stderr and "Traceback" not in cli.stderr
    cli = subprocess.run([sys.executable, "-m", "detente", "extract", "--engine", "dask"],
                         check=False, capture_output=True, text=True, env=WIDE, timeout=120)
    assert cli.returncode == 1 and "--input" in cli.stderr


def test_bad_partitions_are_reported_and_good_ones_kept(sample, tmp_path):
    files = sorted((sample["export"] / "articles").glob("month=*/*.parquet"))
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    good = [shutil.copy(path, inputs / f"good-{number}.parquet") for number, path in enumerate(files[:2])]
    (inputs / "truncated.parquet").write_bytes(Path(files[2]).read_bytes()[:300])
    (inputs / "text.parquet").write_text("id,title\n1,not parquet\n")
    pq.write_table(pa.table({"headline": ["Talks resume"], "date": ["2022-01-01"]}), inputs / "columns.parquet")
    pages = bytearray(Path(files[3]).read_bytes())  # a readable footer over broken data pages
    pages[8:400] = b"\xff" * 392
    (inputs / "pages.parquet").write_bytes(bytes(pages))
    rows = pq.read_table(files[4]).slice(0, 3).to_pylist()
    rows[1]["title"] = None  # one row that is not an article: rejected, the partition goes on
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(files[4])), inputs / "nulls.parquet")
    good.append(inputs / "nulls.parquet")

    output = tmp_path / "out"
    cli = subprocess.run([sys.executable, "-m", "detente", "--json", "extract", "--engine", "dask", "--workers", "2",
                          "--input", str(inputs / "*.parquet"), "--output", str(output)],
                         check=False, capture_output=True, text=True, env=WIDE, timeout=600)
    assert cli.returncode == 1, cli.stderr
    message = " ".join(cli.stderr.split())
    assert "Traceback" not in cli.stderr
    assert "4 of 7 partitions failed" in message and "truncated.parquet" in message, message
    failed = {json.loads(p.read_text())["path"]: json.loads(p.read_text())["error"]
              for p in (output / "_failed").glob("*.json")}
    assert {Path(p).name for p in failed} == {"truncated.parquet", "text.parquet", "columns.parquet", "pages.parquet"}
    assert "no column id" in failed[str(inputs / "columns.parquet")]
    assert len(list((output / "_done").glob("*.json"))) == len(good)
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["complete"] is False
    summary = json.loads(cli.stdout)
    assert (summary["partitions_failed"], summary["rejected_rows"]) == (4, 1)
    records = [json.loads(p.read_text()) for p in (output / "_done").glob("*.json")]
    assert [r["rejected"] for r in records if r["rejected"]] == [["row 1: title: Input should be a valid string"]]

    good_ids = set(pa.concat_tables([pq.read_table(p, columns=["id"]) for p in good])["id"].to_pylist())
    good_ids.discard(rows[1]["id"])
    imported = tmp_path / "imported.duckdb"
    with detente.open(imported) as db:
        added = db.import_(output)
        assert added["extractions"] == len(good_ids)
        stored = set(db.store.con.execute("SELECT article_id FROM extractions").df()["article_id"])
    assert stored == good_ids
