"""Event-study plots and files: the mean CAR path with its band, as PNG and SVG (matplotlib, Agg backend), plus CSVs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .event_study import StudyResult


def car_figure(result: StudyResult, title: str):
    """A matplotlib figure: per asset, the mean cumulative abnormal return by event day with a ±z·σ band."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5), dpi=110)
    for asset, path in result.paths.groupby("asset", sort=False):
        line, = axis.plot(path["tau"], path["mean_car"] * 100, marker="o", markersize=3,
                          label=f"{asset} (N={int(path['n'].iloc[0])})")
        axis.fill_between(path["tau"], (path["mean_car"] - path["band"]) * 100,
                          (path["mean_car"] + path["band"]) * 100, color=line.get_color(), alpha=0.15, linewidth=0)
    axis.axhline(0, color="grey", linewidth=0.8)
    axis.axvline(0, color="grey", linewidth=0.8, linestyle="--")
    axis.set_xlabel("trading days relative to the event (day 0 = first trading day on or after it)")
    axis.set_ylabel("mean cumulative abnormal return, %")
    axis.set_title(title, fontsize=10)
    axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


def write_study(result: StudyResult, events: pd.DataFrame, directory: Path, title: str) -> list[Path]:
    """Write ``events.csv`` (per event and window), ``summary.csv``, ``car_path.csv``, ``dropped.csv``,
    ``car.png`` and ``car.svg`` under ``directory``; return the paths written."""
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (("events", result.events), ("summary", result.summary), ("car_path", result.paths),
                        ("dropped", result.dropped), ("event_set", events.drop(columns=["evidence"], errors="ignore"))):
        target = directory / f"{name}.csv"
        frame.to_csv(target, index=False)
        written.append(target)
    figure = car_figure(result, title)
    for suffix in ("png", "svg"):
        target = directory / f"car.{suffix}"
        figure.savefig(target)
        written.append(target)
    plt.close(figure)
    return written
