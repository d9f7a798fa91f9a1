"""Extraction throughput against raw spaCy, on the 10,000 HuffPost items (headline + description).

Each configuration runs in a fresh process (peak RSS is its own), after the
model is loaded and warmed up:

- ``raw``: ``nlp.pipe`` over every item with the stock en_core_web_sm pipeline, as the model package
  ships it (``load_stock``; none of Détente's components or resources) — the baseline;
- ``raw-fast``: ``nlp.pipe`` with the pipeline Détente loads (``load_nlp``: the stock one with the
  faster, output-identical attribute ruler and lemmatizer of ``detente.extract.fast_components``) —
  how much of ``full``'s ratio those two components account for, apart from the extraction itself;
- ``full``: Détente's whole extraction (sentences, actors, events, modality, dates,
  places) with the parser skipped on sentences that have no trigger;
- ``no-skip``: the same extraction parsing every sentence — what the skip saves.

Prints items/s and tokens/s for each, the ratio of each to ``raw`` (target:
``full`` ≥ 1.0×, stretch 1.3×), CPU seconds and peak memory per process
(target < 1.5 GB).

On a shared machine one timing is noisy: ``--repeat N`` runs ``raw`` and
``full`` N times each, alternately, and keeps the fastest run of each (as
``timeit`` does); CPU seconds (user + system, worker processes included)
move less with other load than wall-clock seconds.

Usage: python benchmarks/extract.py [--processes 1] [--limit 10000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HUFFPOST = ROOT.parent / "shared" / "data" / "news" / "huffpost_2018_2022.jsonl"


def load_items(limit: int) -> list[tuple[str, str, object]]:
    """(id, text, published) for the first ``limit`` HuffPost items."""
    import datetime as dt

    items = []
    with HUFFPOST.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= limit:
                break
            row = json.loads(line)
            text = f"{row['headline']}\n\n{row['short_description']}".strip()
            items.append((str(number), text, dt.date.fromisoformat(row["date"])))
    return items


def measure(config: str, processes: int, limit: int) -> dict:
    """Run one configuration in this process; return its figures."""
    from detente.extract.nlp import load_nlp, load_stock
    from detente.extract.pipeline import analyze_texts

    items = load_items(limit)
    if config == "raw":  # the stock pipeline alone: none of Détente's components or resources loaded
        nlp = load_stock()
        list(nlp.pipe(text for _, text, _ in items[:20]))  # warm up
    else:
        nlp = load_nlp()
        analyze_texts(items[:20])  # warm up: model, resources, matchers
    tokens = sum(len(nlp.make_doc(text)) for _, text, _ in items)
    cpu_started = _cpu_seconds()
    started = time.perf_counter()
    extra = {}
    if config in ("raw", "raw-fast"):
        for _doc in nlp.pipe((text for _, text, _ in items), n_process=processes, batch_size=256):
            pass
    else:
        analyses = analyze_texts(items, n_process=processes, skip_parser=config == "full")
        extra = {
            "sentences": sum(len(a.sentences) for a in analyses),
            "parsed": sum(a.parsed_sentences for a in analyses),
            "tagged": sum(a.tagged_sentences for a in analyses),
            "events": sum(len(a.events) for a in analyses),
        }
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"config": config, "items": len(items), "tokens": tokens, "seconds": seconds, "cpu": cpu,
            "peak_mb": peak / 1024, **extra}


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children (spaCy's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of raw and full each; the fastest counts")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.processes, args.limit)))
        return
    rows: dict[str, dict] = {}
    runs: dict[str, list[float]] = {}
    for config in ["raw", "full"] * max(args.repeat, 1) + ["raw-fast", "no-skip"]:
        done = subprocess.run([sys.executable, __file__, "--child", config, "--processes", str(args.processes),
                               "--limit", str(args.limit)], capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        runs.setdefault(config, []).append(row["seconds"])
        if config not in rows or row["seconds"] < rows[config]["seconds"]:
            rows[config] = row
    raw, raw_cpu = rows["raw"]["items"] / rows["raw"]["seconds"], rows["raw"]["cpu"]
    print(f"extraction benchmark: {args.limit:,} HuffPost items, {args.processes} process(es), "
          f"fastest of {max(args.repeat, 1)} run(s) of raw and full")
    print(f"{'configuration':<10} {'seconds':>8} {'items/s':>9} {'tokens/s':>9} {'vs raw':>7} {'CPU s':>7} "
          f"{'CPU vs raw':>10} {'peak MB':>8}")
    for name in ("raw", "raw-fast", "full", "no-skip"):
        r = rows[name]
        rate = r["items"] / r["seconds"]
        print(f"{name:<10} {r['seconds']:>8.1f} {rate:>9,.0f} {r['tokens'] / r['seconds']:>9,.0f} "
              f"{rate / raw:>6.2f}x {r['cpu']:>7.1f} {raw_cpu / r['cpu']:>9.2f}x {r['peak_mb']:>8.0f}")
    if args.repeat > 1:
        print("all runs (s): " + "; ".join(f"{name} " + ", ".join(f"{s:.1f}" for s in times)
                                          for name, times in runs.items()))
    full = rows["full"]
    print(f"parser skip: {full['parsed']:,} of {full['sentences']:,} sentences parsed, {full['tagged']:,} through "
          f"the entity recogniser only, {full['sentences'] - full['parsed'] - full['tagged']:,} skipped; "
          f"{full['events']:,} events; saves {rows['no-skip']['seconds'] - full['seconds']:.1f} s "
          f"({1 - full['seconds'] / rows['no-skip']['seconds']:.0%}) against parsing every sentence")


if __name__ == "__main__":
    main()
