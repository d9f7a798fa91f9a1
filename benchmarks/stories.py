"""Storyline assignment throughput on the 10,000 HuffPost items, once extraction is done.

Set-up (not timed): ingest the items into a throwaway DuckDB file and extract
them (``--db`` reuses a database already extracted). Then, each in a fresh
process pinned to one core:

- ``update``: ``detente``'s whole storyline update — read articles, mentions,
  events and signals from the store in batches, cluster, track phases and the
  ledger, write everything back (target: ≥ 500 articles/s on one core);
- ``assign``: the clusterer alone on the same articles already in memory;
- ``memory``: the clusterer's state after each quarter of the corpus — live
  storylines and the document-frequency window stay bounded by their
  settings (``max_storylines``, ``idf_window``), not by how many articles
  were read.

Usage: python benchmarks/stories.py [--limit 10000] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HUFFPOST = ROOT.parent / "shared" / "data" / "news" / "huffpost_2018_2022.jsonl"
MAP = "title=headline,body=short_description,published=date"
MEMORY_CAPS = {"max_storylines": 100, "idf_window": 2000}


def prepare(path: Path, limit: int) -> None:
    """Ingest and extract the first ``limit`` HuffPost items into ``path`` (no storylines yet)."""
    import detente

    with tempfile.TemporaryDirectory() as scratch, detente.open(path) as db:
        sample = Path(scratch) / "huffpost.jsonl"
        with HUFFPOST.open(encoding="utf-8") as source, sample.open("w", encoding="utf-8") as target:
            for number, line in enumerate(source):
                if number >= limit:
                    break
                target.write(line)
        db.ingest(sample, map=MAP, source="huffpost")
        db.extract()
        db.store.clear_storylines()


def _inputs(store):
    from detente.index.stories import _party
    from detente.index.storylines import StoryArticle

    frames = store.storyline_inputs(1_000_000)
    mentions: dict[str, list[str]] = {}
    for row in frames["mentions"].itertuples():
        mentions.setdefault(row.article_id, []).append(row.actor)
    dyads: dict[str, list[str]] = {}
    for e in frames["events"].itertuples():
        source, target = _party(e.source_actor), _party(e.target_actor)
        if source and target and source != target:
            dyads.setdefault(e.article_id, []).append("~".join(sorted((source, target))))
    return [StoryArticle(a.id, a.published_at.to_pydatetime(), a.lead, tuple(mentions.get(a.id, ())),
                         tuple(dyads.get(a.id, ()))) for a in frames["articles"].itertuples()]


def measure(config: str, path: Path) -> dict:
    """Run one configuration in this process; return its figures."""
    import detente
    from detente.index.storylines import StorylineClusterer, StoryParams, lead_terms

    lead_terms("warm up the scikit-learn analyzer")
    with detente.open(path) as db:
        db.store.clear_storylines()
        if config == "update":
            started = time.perf_counter()
            summary = db.update_stories()
            seconds = time.perf_counter() - started
            result = {"articles": summary.articles, "assigned": summary.assigned, "seconds": seconds}
        else:
            articles = _inputs(db.store)
            # small caps in the memory run, so the corpus is large enough to show them hold
            clusterer = StorylineClusterer(StoryParams(**MEMORY_CAPS) if config == "memory" else None)
            checkpoints, started = [], time.perf_counter()
            for number, article in enumerate(articles, start=1):
                clusterer.assign(article)
                if config == "memory" and number % max(1, len(articles) // 4) == 0:
                    checkpoints.append({"read": number, "live_storylines": len(clusterer.live),
                                        "idf_window": len(clusterer._recent_terms),
                                        "terms_counted": len(clusterer._document_frequency)})
            seconds = time.perf_counter() - started
            result = {"articles": len(articles), "seconds": seconds, "checkpoints": checkpoints}
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="an extracted database to reuse, or where to build one")
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.config:
        print(json.dumps(measure(args.config, args.db)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "bench.duckdb"
        if not path.exists():
            started = time.perf_counter()
            prepare(path, args.limit)
            print(f"set-up: ingested and extracted {args.limit:,} items in {time.perf_counter() - started:.0f} s")
        results = {}
        for config in ("update", "assign", "memory"):
            command = [sys.executable, __file__, "--config", config, "--db", str(path)]
            if sys.platform.startswith("linux"):
                command = ["taskset", "-c", str(os.sched_getaffinity(0).pop()), *command]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[config] = json.loads(out.strip().splitlines()[-1])
    update, assign = results["update"], results["assign"]
    print(f"{'configuration':<12} {'articles':>9} {'seconds':>8} {'articles/s':>11} {'peak MB':>8}")
    for name, r in (("update", update), ("assign", assign)):
        print(f"{name:<12} {r['articles']:>9,} {r['seconds']:>8.2f} {r['articles'] / r['seconds']:>11,.0f} "
              f"{r['peak_rss_mb']:>8.0f}")
    rate = update["articles"] / update["seconds"]
    print(f"storyline update: {rate:,.0f} articles/s on one core = {rate / 500:.2f}x the 500 articles/s target")
    print(f"state of the clusterer as the corpus is read, with caps {MEMORY_CAPS} (defaults 2000 and 5000):")
    for point in results["memory"]["checkpoints"]:
        print(f"  after {point['read']:>6,} articles: {point['live_storylines']:>5,} live storylines, "
              f"{point['idf_window']:>5,} articles in the document-frequency window, "
              f"{point['terms_counted']:>6,} terms counted")


if __name__ == "__main__":
    main()
