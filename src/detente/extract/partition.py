"""One partition of a distributed extraction: read articles from Parquet, extract them, write the tables.

Runs on a Dask worker (``distributed.py`` plans the partitions and maps ``extract_partition`` over
them). A partition's files are written under temporary names and renamed, and its ``_done`` record
comes last, so a partition is either complete or written again in full by the next run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

#: Columns an articles file must have (``Article``'s fields).
ARTICLE_COLUMNS = ("id", "source", "url", "published_at", "title", "body", "language", "ingested_at")

#: Tables an extraction writes, as ``write_extraction`` stores them.
OUTPUT_TABLES = ("sentences", "mentions", "events", "signals", "extractions")


@dataclass(frozen=True)
class Partition:
    """One unit of work: rows ``[start, stop)`` of one Parquet file of articles; ``key`` names its outputs."""

    path: str
    start: int
    stop: int
    key: str


@dataclass
class PartitionResult:
    """What one partition gave: counts, or the reason it could not be read; the worker's memory after it."""

    key: str
    path: str
    articles: int = 0
    sentences: int = 0
    mentions: int = 0
    events: int = 0
    signals: int = 0
    rejected: list[str] = field(default_factory=list)  # "row N: reason" for rows that are not valid articles
    error: str | None = None
    worker: str = ""
    rss_mb: float = 0.0  # resident memory of the worker process after the partition
    peak_mb: float = 0.0  # the worker process's peak resident memory so far (ru_maxrss)
    seconds: float = 0.0


def read_partition(partition: Partition) -> tuple[list, list[str]]:
    """The partition's rows as ``Article`` records, and a reason for each row that is not a valid article.

    Reads only the row groups that hold the partition's rows.
    """
    from pydantic import ValidationError

    from ..records import Article

    file = pq.ParquetFile(partition.path)
    groups, first, offset = [], None, 0
    for number in range(file.num_row_groups):
        rows = file.metadata.row_group(number).num_rows
        if offset < partition.stop and offset + rows > partition.start:
            groups.append(number)
            first = offset if first is None else first
        offset += rows
    table = file.read_row_groups(groups, columns=list(ARTICLE_COLUMNS)) if groups else None
    if table is None:
        return [], []
    table = table.slice(partition.start - first, partition.stop - partition.start)
    articles, rejected = [], []
    for number, row in enumerate(table.to_pylist(), start=partition.start):
        try:
            articles.append(Article(**row))
        except ValidationError as exc:
            first_error = exc.errors()[0]
            rejected.append(f"row {number}: {'.'.join(map(str, first_error['loc']))}: {first_error['msg']}")
    return articles, rejected


def extract_partition(partition: Partition, output: str, extractor: str, extracted_at: dt.datetime,
                      headline_case: bool = True) -> PartitionResult:
    """Extract one partition and write its tables under ``output``; return its counts.

    Runs on a Dask worker. A file that cannot be read gives a result with ``error`` set (Dask would
    only fail again on retry); anything else raises, and Dask retries it.
    """
    from .pipeline import analyze_articles

    started = time.perf_counter()
    result = PartitionResult(key=partition.key, path=partition.path)
    try:
        articles, result.rejected = read_partition(partition)
    except (OSError, pa.ArrowException) as exc:
        result.error = f"cannot read rows {partition.start}-{partition.stop}: {exc}"
        return _finish(result, started)
    analyses = analyze_articles(articles, headline_case=headline_case)
    tables = extraction_tables(articles, analyses, extractor, extracted_at)
    write_partition(Path(output), partition, tables)
    result.articles = len(articles)
    for name in ("sentences", "mentions", "events", "signals"):
        setattr(result, name, sum(len(rows) for rows in tables[name].values()))
    write_json(Path(output) / "_done" / f"{partition.key}.json",
                {**asdict(_finish(result, started)), "start": partition.start, "stop": partition.stop,
                 "extractor": extractor})
    return result


def extraction_tables(articles: list, analyses: list, extractor: str,
                      extracted_at: dt.datetime) -> dict[str, dict[str, list[dict]]]:
    """Rows of each output table by month (``YYYY-MM``), as ``write_extraction`` would store them."""
    from ..store.rows import event_rows, mention_rows, sentence_rows, signal_rows

    month_of = {a.id: a.published_at.strftime("%Y-%m") for a in articles}
    tables: dict[str, dict[str, list[dict]]] = {name: {} for name in OUTPUT_TABLES}

    def add(table: str, month: str, rows: list[dict]) -> None:
        if rows:
            tables[table].setdefault(month, []).extend(rows)

    for analysis in analyses:
        month = month_of[analysis.article_id]
        add("sentences", month, sentence_rows(analysis.sentences))
        add("mentions", month, mention_rows(analysis.mentions))
        add("signals", month, signal_rows(analysis.signals))
        for row in event_rows(analysis.events, None):
            add("events", row["event_date"].strftime("%Y-%m") if row["event_date"] else "none", [row])
        add("extractions", month, [{
            "article_id": analysis.article_id, "extractor": extractor, "extracted_at": extracted_at,
            "n_sentences": len(analysis.sentences), "n_mentions": len(analysis.mentions),
            "n_events": len(analysis.events)}])
    return tables


def write_partition(output: Path, partition: Partition, tables: dict[str, dict[str, list[dict]]]) -> None:
    """Write a partition's tables, each file under a temporary name then renamed.

    First the partition's ``_done`` record goes (a re-run with ``--redo`` that dies half-way must not leave
    it standing over half-replaced files), then whatever an interrupted earlier attempt left of it.
    """
    (output / "_done" / f"{partition.key}.json").unlink(missing_ok=True)
    stale = [*output.glob(f"*/month=*/part-{partition.key}.parquet"), *output.glob(f"*/month=*/.part-{partition.key}.*.tmp"),
             *output.glob(f"_*/.{partition.key}.json.*.tmp")]
    for path in stale:
        path.unlink(missing_ok=True)
    for table, by_month in tables.items():
        schema = table_schema(table)
        for month, rows in sorted(by_month.items()):
            target = output / table / f"month={month}" / f"part-{partition.key}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".part-{partition.key}.{uuid.uuid4().hex}.tmp")
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), temporary)
            os.replace(temporary, target)


@cache
def table_schema(table: str) -> pa.Schema:
    """The Arrow schema of a store table (from the migrations, on an in-memory DuckDB): every file of a
    table gets the same column types, even one whose column holds only nulls."""
    from ..store import DuckDBStore

    store = DuckDBStore(":memory:")
    try:
        return store.con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    finally:
        store.close()


def _finish(result: PartitionResult, started: float) -> PartitionResult:
    import resource

    import psutil

    result.seconds = time.perf_counter() - started
    result.rss_mb = psutil.Process().memory_info().rss / 2**20
    result.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    try:
        from distributed import get_worker

        result.worker = str(get_worker().name)
    except ValueError:  # not on a worker (called directly)
        result.worker = str(os.getpid())
    return result


def write_json(path: Path, value: object) -> None:
    """Write JSON atomically (temporary name, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(json.dumps(value, indent=1, default=str))
    os.replace(temporary, path)


def completed(output: Path, key: str, extractor: str) -> dict | None:
    """The ``_done`` record of a partition written in full by this extractor, or None."""
    try:
        record = json.loads((output / "_done" / f"{key}.json").read_text())
    except (OSError, ValueError):
        return None
    return record if record.get("extractor") == extractor else None
