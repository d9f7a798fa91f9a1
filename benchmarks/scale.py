"""Distributed extraction (Dask, 2 workers) against one process, on the 10,000-item HuffPost corpus.

Both arms run the same extraction (``analyze_articles``) on the same stored articles:

- ``single``: the normal path, ``detente extract`` (``extract_stored``: read a batch from DuckDB, analyse it,
  write it back), in a fresh process pinned to one core with BLAS/OpenMP at one thread — as each Dask
  worker runs (Dask sets ``OMP_NUM_THREADS=1`` and friends in its workers). Its model load is timed apart.
- ``dask``: ``detente --json extract --engine dask --workers 2`` on the corpus exported as Parquet
  (``detente export``), a ``LocalCluster`` of 2 worker processes with 1 thread each, unpinned. Start-up
  (cluster and the model loaded on every worker) is reported apart from the steady state; its output is
  imported into a copy of the database (import time reported) and compared with ``single``'s, row for
  row: sentences, mentions, events, signals and extractions must be identical.

- ``pair`` (the machine's ceiling, not Dask): two ``single`` processes at once, each pinned to its own core
  and each extracting the first half of the corpus — what two cores give two processes that share
  nothing. Skipped with ``--dask-only`` or ``--no-pair``.

Prints steady-state throughput (articles/s) of each and their ratio (target ≥ 1.7× on 2 cores), the
start-up and total wall time of each, and the peak resident memory of each Dask worker at points through
the run (after the partition that crossed 10 %, 25 %, 50 %, 75 % and 100 % of the articles): flat as the
corpus grows means memory is bounded by the partition, not the corpus.

``--articles N`` takes the first N items of the corpus; past its size the corpus is resampled: copy k of
an article gets a fresh id (md5 of its id and k) and the same text and date, so each month's
partition grows. ``--dask-only`` skips the single-process arm (for the 100,000-article memory run).

Usage: python benchmarks/scale.py [--articles 10000] [--workers 2] [--partition-rows N] [--dask-only] [--no-pair]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HUFFPOST = ROOT.parent / "shared" / "data" / "news" / "huffpost_2018_2022.jsonl"
MAP = "title=headline,body=short_description,published=date"
TABLES = ("sentences", "mentions", "events", "signals", "extractions")
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}


def build_corpus(work: Path, articles: int) -> Path:
    """A DuckDB of ``articles`` stored articles: the corpus's first items, or the corpus resampled."""
    import duckdb

    import detente

    items = work / "items.jsonl"
    read = 0
    with HUFFPOST.open(encoding="utf-8") as source, items.open("w", encoding="utf-8") as target:
        for read, line in enumerate(source, start=1):
            target.write(line)
            if read >= articles:
                break
    db = work / "corpus.duckdb"
    with detente.open(db) as handle:
        handle.ingest(items, map=MAP, source="huffpost")
    con = duckdb.connect(str(db))
    try:
        stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        if articles > read:  # past the corpus: resample it (near-duplicates are not articles, so not copied)
            copies = math.ceil(articles / stored)
            con.execute(
                "INSERT INTO articles SELECT substr(md5(id || ':' || k), 1, 20), source, url || '#' || k, "
                "published_at, title, body, language, ingested_at, batch_id "
                f"FROM articles CROSS JOIN range(1, {copies}) AS copies(k) "
                f"ORDER BY k, published_at, id LIMIT {articles - stored}")
    finally:
        con.close()
    return db


def single_arm(db: Path) -> dict:
    """(In the pinned child process.) Load the model, then extract every stored article: the normal path."""
    from detente.extract.pipeline import _loaded
    from detente.extract.stored import extract_stored
    from detente.store import open_store

    started = time.perf_counter()
    _loaded()
    startup = time.perf_counter() - started
    store = open_store(str(db))
    try:
        summary = extract_stored(store)
    finally:
        store.close()
    return {"startup_seconds": startup, "seconds": summary.seconds, "articles": summary.articles,
            "events": summary.events, "cpus": sorted(os.sched_getaffinity(0))}


def run_single(work: Path, corpus: Path) -> dict:
    """Run the single-process arm in a fresh process pinned to one core; add its total wall time."""
    db = work / "single.duckdb"
    shutil.copy(corpus, db)
    env = {**os.environ, **ONE_THREAD}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child-single", str(db)], env=env, capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["total_seconds"] = time.perf_counter() - started
    result["db"] = db
    return result


def run_pair(work: Path, articles: int) -> dict:
    """Two single-process extractions at once, pinned to two different cores, each of the first half of the
    corpus: the throughput two cores give to two processes that share nothing (the ceiling for any engine)."""
    half = work / "half"
    half.mkdir(exist_ok=True)
    corpus = build_corpus(half, max(1, articles // 2))
    env = {**os.environ, **ONE_THREAD}
    cpus = sorted(os.sched_getaffinity(0))[:2]
    children = []
    for cpu in cpus:
        db = half / f"pair-{cpu}.duckdb"
        shutil.copy(corpus, db)
        children.append(subprocess.Popen([sys.executable, __file__, "--child-single", str(db), "--child-cpu", str(cpu)],
                                         env=env, stdout=subprocess.PIPE, text=True))
    results = []
    for child in children:
        out, _ = child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"pair arm failed ({child.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    done = sum(r["articles"] for r in results)
    return {"articles": done, "seconds": max(r["seconds"] for r in results), "processes": len(results),
            "per_process": [r["articles"] / r["seconds"] for r in results]}


def run_dask(work: Path, corpus: Path, workers: int, partition_rows: int) -> dict:
    """Export the corpus as Parquet, extract it with the Dask engine (the CLI), import the output into a copy."""
    import detente

    export = work / "export"
    with detente.open(corpus, read_only=True) as handle:
        handle.export(export)
    output = work / "dask-out"
    command = [sys.executable, "-m", "detente", "--json", "extract", "--engine", "dask", "--scheduler", "local",
               "--workers", str(workers), "--partition-rows", str(partition_rows),
               "--input", str(export / "articles" / "**" / "*.parquet"), "--output", str(output)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"dask arm failed ({done.returncode}): {done.stderr[-2000:]}")
    result = json.loads(done.stdout)
    result["wall_seconds"] = time.perf_counter() - started
    db = work / "dask.duckdb"
    shutil.copy(corpus, db)
    started = time.perf_counter()
    with detente.open(db) as handle:
        handle.import_(output)
    result["import_seconds"] = time.perf_counter() - started
    result["db"] = db
    return result


def differences(left: Path, right: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: rows in each database and rows in one but not the other (extraction times aside)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
    con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
    found = {}
    for table in TABLES:
        columns = "* EXCLUDE (extracted_at)" if table == "extractions" else "*"
        count = lambda sql: con.execute(sql).fetchone()[0]
        apart = sum(count(f"SELECT count(*) FROM (SELECT {columns} FROM {a}.{table} "
                          f"EXCEPT ALL SELECT {columns} FROM {b}.{table})") for a, b in (("l", "r"), ("r", "l")))
        found[table] = (count(f"SELECT count(*) FROM l.{table}"), count(f"SELECT count(*) FROM r.{table}"), apart)
    con.close()
    return found


def memory_points(memory: list[dict], total: int) -> list[tuple[str, int, dict[str, float]]]:
    """Each worker's peak RSS (MB) after the partition that crossed 10, 25, 50, 75 and 100 % of the articles."""
    points, peaks, marks = [], {}, [0.10, 0.25, 0.50, 0.75, 1.0]
    for entry in memory:
        peaks[entry["worker"]] = max(peaks.get(entry["worker"], 0.0), entry["peak_mb"])
        while marks and entry["articles"] >= marks[0] * total:
            points.append((f"{marks.pop(0):.0%}", entry["articles"], dict(peaks)))
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-rows", type=int, help="articles per Dask task (default: about 8 per worker)")
    parser.add_argument("--dask-only", action="store_true", help="skip the single-process arm")
    parser.add_argument("--no-pair", action="store_true", help="skip the two-independent-processes ceiling")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--child-cpu", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-single", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_single:
        cpu = args.child_cpu if args.child_cpu is not None else min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})  # one core, before any work
        print(json.dumps(single_arm(args.child_single)))
        return
    partition_rows = args.partition_rows or max(25, min(2000, args.articles // (args.workers * 8)))
    work = args.keep or Path(tempfile.mkdtemp(prefix="detente-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        corpus = build_corpus(work, args.articles)
        single = None if args.dask_only else run_single(work, corpus)
        pair = None if args.dask_only or args.no_pair else run_pair(work, args.articles)
        dask = run_dask(work, corpus, args.workers, partition_rows)
        report(args, partition_rows, single, dask, pair)
        if single is not None:
            found = differences(single["db"], dask["db"])
            same = all(left == right and apart == 0 for left, right, apart in found.values())
            print("outputs identical: " + ("yes" if same else "NO") + " ("
                  + ", ".join(f"{t} {left:,}/{right:,}" + (f" ({apart:,} differ)" if apart else "")
                              for t, (left, right, apart) in found.items()) + ")")
            if not same:
                raise SystemExit(1)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def report(args: argparse.Namespace, partition_rows: int, single: dict | None, dask: dict,
           pair: dict | None = None) -> None:
    """Print the two arms' figures and the Dask workers' memory through the run."""
    print(f"scale benchmark: {dask['articles']:,} articles ({args.articles:,} asked), {os.cpu_count()} cores; "
          f"dask: {dask['workers']} workers x 1 thread, {dask['partitions']} partitions of <= {partition_rows:,}")
    print(f"{'arm':<8} {'articles':>9} {'start-up s':>10} {'steady s':>9} {'articles/s':>11} {'total s':>8}")
    if single:
        print(f"{'single':<8} {single['articles']:>9,} {single['startup_seconds']:>10.1f} {single['seconds']:>9.1f} "
              f"{single['articles'] / single['seconds']:>11.1f} {single['total_seconds']:>8.1f}"
              f"   (pinned to CPU {single['cpus']})")
    print(f"{'dask':<8} {dask['articles']:>9,} {dask['startup_seconds']:>10.1f} {dask['seconds']:>9.1f} "
          f"{dask['articles_per_second']:>11.1f} {dask['wall_seconds']:>8.1f}"
          f"   (+ {dask['import_seconds']:.1f} s detente import)")
    if pair:
        print(f"{'pair':<8} {pair['articles']:>9,} {'':>10} {pair['seconds']:>9.1f} "
              f"{pair['articles'] / pair['seconds']:>11.1f} {'':>8}   (2 independent pinned processes, "
              + " + ".join(f"{rate:.1f}" for rate in pair["per_process"]) + " articles/s: the machine's ceiling)")
    if single:
        steady = dask["articles_per_second"] / (single["articles"] / single["seconds"])
        total = single["total_seconds"] / dask["wall_seconds"]
        print(f"ratio dask / single: {steady:.2f}x steady state (target >= 1.7x on 2 cores), "
              f"{total:.2f}x end to end")
        if pair:
            ceiling = pair["articles"] / pair["seconds"] / (single["articles"] / single["seconds"])
            print(f"ceiling pair / single: {ceiling:.2f}x; dask reaches {steady / ceiling:.0%} of it")
    print("dask worker peak RSS (MB) through the run:")
    for mark, articles, peaks in memory_points(dask["memory"], dask["articles"]):
        print(f"  {mark:>5} ({articles:>7,} articles): "
              + ", ".join(f"worker {w} {mb:,.0f}" for w, mb in sorted(peaks.items())))


if __name__ == "__main__":
    main()
