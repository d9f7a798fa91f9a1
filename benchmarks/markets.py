"""Benchmark the event study: 1,000 events × 20 assets × 3 windows on one core (target: under 10 s).

The 20 assets are the three daily EIA series of examples/data/markets (Brent,
WTI, Henry Hub) and 17 seeded geometric random walks of 10,000 trading days;
the 1,000 event dates are drawn (seeded) from 1998-2025. The study is the
full one: constant-mean model, estimation window [-250, -11], windows
[-1,+1], [0,+5], [0,+20], per-event CARs and t, cross-sectional, J1, Patell
and BMP tests, and a 1,000-draw bootstrap interval per asset and window.

    .venv/bin/python benchmarks/markets.py [--model market]

With ``--extra``, it times instead loading the ~35 vendor series of
../shared/data/markets/extra by the manifest (read, clean, screen for bad
prints, store; then the basket and spreads) into a scratch DuckDB file,
and skips with a message when that directory is absent.

    .venv/bin/python benchmarks/markets.py --extra
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from detente.markets.event_study import StudyDesign, event_study
from detente.markets.prices import clean_prices, returns

TARGET_SECONDS = 10.0
SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data" / "markets"


def assets(n_assets: int = 20, days: int = 10_000, seed: int = 7) -> dict[str, pd.Series]:
    """Daily log returns of the sample EIA series plus seeded random walks, up to ``n_assets``."""
    found = {}
    for name in ("brent-daily.csv", "wti-daily.csv", "henry-hub-daily.csv"):
        clean = clean_prices(pd.read_csv(SAMPLE / name, dtype=str, keep_default_na=False))
        found[name.split("-")[0]] = returns(pd.Series(clean.prices["value"].to_numpy(),
                                                      index=pd.DatetimeIndex(clean.prices["date"])))
    rng = np.random.default_rng(seed)
    calendar = pd.bdate_range("1987-01-01", periods=days)
    for i in range(n_assets - len(found)):
        found[f"synthetic_{i:02d}"] = pd.Series(rng.normal(0.0002, 0.015, days), index=calendar)
    return found


EXTRA = Path(__file__).resolve().parents[2] / "shared" / "data" / "markets" / "extra"
EXTRA_TARGET_SECONDS = 30.0


def load_extra_series() -> None:
    """Time ``load_extra`` over the extra series; print rows, repairs and the ratio to the target."""
    import tempfile

    import detente
    from detente.markets.extra import load_extra

    if not (EXTRA / "SOURCES.md").is_file():
        print(f"skipped: the extra market series are absent (expected in {EXTRA})")
        return
    with tempfile.TemporaryDirectory() as scratch, detente.open(Path(scratch) / "extra.duckdb") as db:
        started = time.perf_counter()
        done = load_extra(db.store, EXTRA)
        seconds = time.perf_counter() - started
    rows = sum(x.rows_clean for x in done.loads)
    bad = sum(1 for x in done.loads for r in x.repairs if r.kind == "bad_print")
    print(f"load-extra: {len(done.loads)} series, {rows:,} rows, {bad} bad prints dropped, "
          f"{len(done.computed)} computed series")
    print(f"time: {seconds:.2f} s; target {EXTRA_TARGET_SECONDS:.0f} s: {EXTRA_TARGET_SECONDS / seconds:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--assets", type=int, default=20)
    parser.add_argument("--model", default="constant", choices=("constant", "market"))
    parser.add_argument("--extra", action="store_true", help="time loading the extra vendor series instead")
    args = parser.parse_args()
    if args.extra:
        load_extra_series()
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    series = assets(args.assets)
    rng = np.random.default_rng(11)
    days = pd.bdate_range("1998-01-01", "2025-06-30")
    dates = np.sort(rng.choice(days, size=args.events, replace=False))
    events = pd.DataFrame({"id": [f"e{i}" for i in range(args.events)], "date": dates, "label": ""})
    design = StudyDesign(windows=((-1, 1), (0, 5), (0, 20)), model=args.model)
    market = assets(1, seed=99)["brent"] if args.model == "market" else None  # Brent as the market of the others
    started = time.perf_counter()
    result = event_study(series, events, design, market=market)
    seconds = time.perf_counter() - started
    studied = len(result.events) // len(design.windows)
    print(f"event study ({args.model} model): {args.events:,} events × {len(series)} assets × "
          f"{len(design.windows)} windows = {len(result.events):,} CARs ({studied:,} event-asset pairs, "
          f"{len(result.dropped):,} left out), {len(result.summary)} class tests with bootstrap")
    print(f"time: {seconds:.2f} s on one core; target {TARGET_SECONDS:.0f} s: "
          f"{TARGET_SECONDS / seconds:.1f}x faster than the target")


if __name__ == "__main__":
    main()
