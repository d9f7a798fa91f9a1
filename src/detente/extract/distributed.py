"""Distributed extraction with Dask: ``detente extract``'s own extraction, mapped over Parquet partitions.

Input: Parquet files of the ``articles`` table as ``detente export`` writes them
(``EXPORT/articles/month=YYYY-MM/data_0.parquet``) with the columns ``id``, ``source``, ``url``,
``published_at`` (timestamp, naive UTC), ``title``, ``body``, ``language`` and ``ingested_at``;
other columns (``batch_id``) are ignored. Each file is cut into partitions of at most
``partition_rows`` articles.

A Dask worker loads the spaCy pipeline once (``LoadPipeline`` worker plugin; the pipeline module
caches it for the life of the process), runs ``analyze_articles`` — the function the single-process
path calls — on each partition, and writes what it found in the layout of ``detente export``, so
``detente import`` loads it into any store::

    OUTPUT/manifest.json                                   written at the end of a run
    OUTPUT/events/month=YYYY-MM/part-KEY.parquet           month of the event date ("none": undated)
    OUTPUT/{sentences,mentions,signals,extractions}/month=YYYY-MM/part-KEY.parquet  article's month
    OUTPUT/_done/KEY.json                                  a partition written in full, with its counts
    OUTPUT/_failed/KEY.json                                a partition that could not be read, and why

Each file goes to a temporary name and is renamed; the ``_done`` record comes last. A partition
without one is written again in full by the next run, over the same file names: a run killed at
any moment and run again loses nothing and duplicates nothing. Distribution, retries after a
worker dies and back-pressure are Dask's; there is no queue or worker code here.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import WorkerPlugin

from ..errors import BadOption, InputNotFound, UserError
from ..summary import RunSummary
from .partition import (
    ARTICLE_COLUMNS,
    OUTPUT_TABLES,
    Partition,
    PartitionResult,
    completed,
    extract_partition,
    write_json,
)

#: Default partition size (articles): small enough to spread a month over workers, large enough for spaCy batches.
PARTITION_ROWS = 2000


class PartitionError(UserError):
    """Some input partitions could not be read; the others were extracted."""


class SchedulerUnreachable(UserError):
    """The Dask scheduler at the address given could not be reached."""


@dataclass
class DaskExtractSummary(RunSummary):
    """What one distributed extraction read and wrote; times in seconds, memory in MB."""

    partitions: int = 0
    partitions_skipped: int = 0  # complete from an earlier run
    partitions_failed: int = 0
    articles: int = 0
    rejected_rows: int = 0
    sentences: int = 0
    mentions: int = 0
    events: int = 0
    signals: int = 0
    workers: int = 0
    startup_seconds: float = 0.0  # cluster start (or connection) and model load on every worker
    seconds: float = 0.0  # extraction, from the first task to the last result
    total_seconds: float = 0.0  # wall time of the whole run, shutdown included
    articles_per_second: float = 0.0  # steady state: articles / seconds
    peak_mb_by_worker: dict[str, float] = field(default_factory=dict)
    memory: list[dict[str, object]] = field(default_factory=list)  # {articles, worker, rss_mb, peak_mb} per partition
    failed: list[dict[str, str]] = field(default_factory=list)  # {path, reason}, also in OUTPUT/_failed/


# -- planning (client side) ----------------------------------------------------


def _glob_root(pattern: str) -> Path:
    """The directory part of ``pattern`` before its first wildcard: partition keys are relative to it."""
    static = []
    for part in Path(pattern).parts:
        if any(c in part for c in "*?["):
            break
        static.append(part)
    root = Path(*static) if static else Path(".")
    return root if root.is_dir() else root.parent


def input_files(pattern: str) -> tuple[list[Path], Path]:
    """The Parquet files ``pattern`` (a glob, ``**`` allowed, or a directory) names, and the root of their keys.

    Raises ``InputNotFound`` when nothing matches.
    """
    if Path(pattern).is_dir():
        pattern = str(Path(pattern) / "**" / "*.parquet")
    files = sorted(Path(p) for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
    if not files:
        raise InputNotFound(f"--input {pattern}: no file matches (make one with `detente export DIR`, "
                            "then --input 'DIR/articles/**/*.parquet')")
    return files, _glob_root(pattern)


def plan_partitions(files: list[Path], root: Path, partition_rows: int) -> tuple[list[Partition], list[PartitionResult]]:
    """Cut each file into partitions of at most ``partition_rows`` rows (reading footers only).

    Files whose footer cannot be read or that lack an article column come back as failed results.
    """
    partitions, failed = [], []
    for path in files:
        relative = os.path.relpath(path.resolve(), root.resolve())
        try:
            schema = pq.read_schema(path)
            rows = pq.ParquetFile(path).metadata.num_rows
        except (OSError, pa.ArrowException) as exc:
            failed.append(PartitionResult(key=_key(relative, 0, 0), path=str(path.resolve()), error=f"not Parquet: {exc}"))
            continue
        if missing := [c for c in ARTICLE_COLUMNS if c not in schema.names]:
            failed.append(PartitionResult(key=_key(relative, 0, 0), path=str(path.resolve()),
                                          error=f"not an articles table: no column {', '.join(missing)}"))
            continue
        for start in range(0, rows, partition_rows):
            stop = min(rows, start + partition_rows)
            partitions.append(Partition(str(path.resolve()), start, stop, _key(relative, start, stop)))
    return partitions, failed


def _key(relative: str, start: int, stop: int) -> str:
    """A partition's stable name: BLAKE2b of its file (relative to the glob root) and row range."""
    return hashlib.blake2b(f"{relative}:{start}:{stop}".encode(), digest_size=8).hexdigest()


# -- the run (client side) -----------------------------------------------------


class LoadPipeline(WorkerPlugin):
    """Dask worker plugin: load the spaCy pipeline and the dictionaries when a worker starts (once per
    process, also on a worker that replaces a dead one), so tasks never pay for it."""

    name = "detente-load-pipeline"

    async def setup(self, worker) -> None:
        import asyncio

        from .pipeline import _loaded

        await asyncio.get_running_loop().run_in_executor(None, _loaded)

    def teardown(self, worker) -> None:
        """Nothing to release: the pipeline goes with the process."""


@contextmanager
def dask_client(scheduler: str, workers: int | None = None) -> Iterator[object]:
    """A Dask client: on a new ``LocalCluster`` for ``local`` (``workers`` processes, default one per core,
    one thread each, on 127.0.0.1, no dashboard), else connected to the scheduler at that address."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler == "local":
        # Dask's statistical profiler samples every worker thread's stack each 10 ms while holding the GIL;
        # with one CPU-bound thread per worker that cost about 6 % of its extraction throughput (131 → 139
        # articles/s). Dask also starts workers with MALLOC_TRIM_THRESHOLD_=65536, so glibc hands freed memory
        # back to the kernel at once and spaCy's many short-lived arrays page-fault it back in: unset, as in a
        # plain process, a worker extracts as fast as one (1.69x → 1.80x on 2 workers), and its peak memory
        # stays flat (benchmarks/scale.py).
        with dask.config.set({"distributed.worker.profile.enabled": False,
                              "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None, scheduler_port=0)
        with cluster, Client(cluster) as client:
            yield client
        return
    if workers is not None:
        raise BadOption("--workers sizes a local cluster; a remote scheduler has its own workers")
    try:
        client = Client(scheduler, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        yield client


def run_dask_extract(
    pattern: str, output: str | Path, *, scheduler: str = "local", workers: int | None = None,
    partition_rows: int = PARTITION_ROWS, redo: bool = False, retries: int = 2,
    on_progress: Callable[[int], None] | None = None, headline_case: bool = True,
) -> DaskExtractSummary:
    """Extract every partition of the articles in ``pattern`` not yet complete in ``output``; return the summary.

    Bad partitions (unreadable files, missing columns) are recorded in ``output/_failed/`` and in the
    summary's ``failed``; the good ones are extracted all the same (the caller decides how to report it).
    """
    from .stored import extractor_id

    if partition_rows < 1:
        raise BadOption("--partition-rows must be 1 or more")
    began = time.perf_counter()
    extractor = extractor_id(headline_case)
    files, root = input_files(pattern)
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    for stale in (output / "_failed").glob("*.json"):  # failures are found again: a fixed file is not one
        stale.unlink()
    partitions, failed = plan_partitions(files, root, partition_rows)
    summary = DaskExtractSummary(partitions=len(partitions) + len(failed))
    todo = []
    for partition in partitions:
        done = None if redo else completed(output, partition.key, extractor)
        if done is None:
            todo.append(partition)
        else:
            summary.partitions_skipped += 1
    extracted_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if todo:
        with dask_client(scheduler, workers) as client:
            client.register_plugin(LoadPipeline())  # waits for the model to load on every worker
            summary.workers = len(client.scheduler_info(n_workers=-1)["workers"])
            summary.startup_seconds = time.perf_counter() - began
            steady = time.perf_counter()
            failed += _run(client, todo, output.resolve(), extractor, extracted_at, retries, summary, on_progress,
                           headline_case)
            summary.seconds = time.perf_counter() - steady
    for result in failed:
        write_json(output / "_failed" / f"{result.key}.json", asdict(result))
    summary.partitions_failed = len(failed)
    summary.failed = [{"path": r.path, "reason": r.error or ""} for r in failed]
    summary.articles_per_second = summary.articles / summary.seconds if summary.seconds else 0.0
    write_manifest(output, extractor, complete=not failed)
    summary.total_seconds = time.perf_counter() - began
    return summary


def _run(client, todo: list[Partition], output: Path, extractor: str, extracted_at: dt.datetime, retries: int,
         summary: DaskExtractSummary, on_progress: Callable[[int], None] | None,
         headline_case: bool = True) -> list[PartitionResult]:
    """Map ``extract_partition`` over the partitions on the cluster; add results to ``summary``, return failures."""
    from distributed import as_completed

    run = uuid.uuid4().hex[:8]
    futures = client.map(extract_partition, todo, output=str(output), extractor=extractor,
                         extracted_at=extracted_at, headline_case=headline_case,
                         key=[f"detente-extract-{p.key}-{run}" for p in todo],
                         retries=retries)
    by_key = {future.key: partition for future, partition in zip(futures, todo)}
    failed = []
    for future in as_completed(futures):
        partition = by_key[future.key]
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 (raised on a worker, after Dask's retries: report it, go on)
            result = PartitionResult(key=partition.key, path=partition.path,
                                     error=f"rows {partition.start}-{partition.stop}: {type(exc).__name__}: {exc}")
        future.release()
        if result.error:
            failed.append(result)
            continue
        summary.articles += result.articles
        summary.rejected_rows += len(result.rejected)
        for name in ("sentences", "mentions", "events", "signals"):
            setattr(summary, name, getattr(summary, name) + getattr(result, name))
        summary.peak_mb_by_worker[result.worker] = max(summary.peak_mb_by_worker.get(result.worker, 0.0),
                                                       round(result.peak_mb, 1))
        summary.memory.append({"articles": summary.articles, "worker": result.worker,
                               "rss_mb": round(result.rss_mb, 1), "peak_mb": round(result.peak_mb, 1)})
        if on_progress:
            on_progress(summary.articles)
    return failed


def write_manifest(output: Path, extractor: str, *, complete: bool) -> dict:
    """Write ``output/manifest.json`` (what ``detente import`` requires) with the rows of every complete partition."""
    from ..store.base import migrations

    counts = dict.fromkeys(OUTPUT_TABLES, 0)
    partitions = 0
    for record_path in sorted((output / "_done").glob("*.json")):
        record = completed(output, record_path.stem, extractor)
        if record is None:
            continue
        partitions += 1
        for table in ("sentences", "mentions", "events", "signals"):
            counts[table] += record[table]
        counts["extractions"] += record["articles"]
    manifest = {"schema_version": migrations()[-1].version, "tables": counts, "engine": "dask",
                "extractor": extractor, "partitions": partitions, "complete": complete}
    write_json(output / "manifest.json", manifest)
    for stale in output.glob(".manifest.json.*.tmp"):  # left by a run killed while writing it
        stale.unlink(missing_ok=True)
    return manifest


def failure_message(summary: DaskExtractSummary, output: Path) -> str:
    """One line naming the partitions that failed (details in ``output/_failed/``)."""
    shown = "; ".join(f"{f['path']}: {f['reason']}" for f in summary.failed[:3])
    more = f" (and {len(summary.failed) - 3} more)" if len(summary.failed) > 3 else ""
    return (f"{summary.partitions_failed} of {summary.partitions} partitions failed, the others are written "
            f"(see {output / '_failed'}): {shown}{more}")

