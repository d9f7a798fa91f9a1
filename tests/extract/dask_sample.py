"""The sample the Dask tests share: HuffPost world-politics items ingested into DuckDB, exported as
Parquet (the Dask engine's input), and a copy extracted in one process (what Dask must reproduce)."""

from __future__ import annotations

import shutil
from pathlib import Path

import detente

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "data" / "news" / "huffpost_world_politics.jsonl"
MAP = "title=headline,body=short_description,published=date"
TABLES = ("sentences", "mentions", "events", "signals", "extractions")


def build_sample(root: Path, articles: int) -> dict[str, Path | str]:
    """Under ``root``: the first ``articles`` items ingested (``ingested``), exported (``export``, files matched
    by ``pattern``), and a copy of the database extracted in one process (``single``)."""
    items = root / "items.jsonl"
    with SAMPLE.open(encoding="utf-8") as handle:
        items.write_text("".join(next(handle) for _ in range(articles)), encoding="utf-8")
    ingested = root / "ingested.duckdb"
    with detente.open(ingested) as db:
        db.ingest(items, map=MAP, source="huffpost")
        db.export(root / "export")
    single = root / "single.duckdb"
    shutil.copy(ingested, single)
    with detente.open(single) as db:
        db.extract()
    return {"root": root, "ingested": ingested, "export": root / "export", "single": single,
            "pattern": str(root / "export" / "articles" / "**" / "*.parquet")}
