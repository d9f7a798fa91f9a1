"""The brief's charts, drawn with matplotlib's object API (no pyplot state, safe in a server thread).

Each function returns a ``Chart`` (SVG and PNG bytes) or ``None`` when there
is nothing to draw.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .brief import Chart

#: Modality colours (``records.Modality``): facts dark, future and conditional warm, hedged and negated light.
MODALITY_COLOURS = {"asserted": "#1f4e79", "reported": "#2e86c1", "future": "#e67e22", "conditional": "#8e44ad",
                    "hypothetical": "#95a5a6", "negated": "#7f8c8d"}
_SIZE = (7.5, 2.8)


def _chart(name: str, title: str, figure: Figure) -> Chart:
    FigureCanvasAgg(figure)
    figure.tight_layout()
    svg, png = io.BytesIO(), io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None})
    figure.savefig(png, format="png", dpi=110)
    return Chart(name, title, svg.getvalue(), png.getvalue())


def index_chart(index: pd.DataFrame) -> Chart | None:
    """The storyline's weekly risk index with its threat and act components, over its active span."""
    active = index[index["articles"] > 0]
    if active.empty:
        return None
    shown = index[index["date"] >= active["date"].iloc[0]].copy()
    shown["date"] = pd.to_datetime(shown["date"])
    # a gap of more than five weeks (no articles) breaks the lines instead of bridging it
    gaps = shown["date"].diff() > pd.Timedelta(days=35)
    breaks = shown[gaps].assign(date=lambda f: f["date"] - pd.Timedelta(days=1), index=None, threat=None, act=None)
    shown = pd.concat([shown, breaks]).sort_values("date", kind="stable").astype({"index": float, "threat": float,
                                                                                 "act": float})
    figure = Figure(figsize=_SIZE)
    axes = figure.add_subplot()
    dates = shown["date"]
    axes.plot(dates, shown["index"], color="#1f4e79", linewidth=1.4, marker=".", markersize=3, label="index")
    axes.plot(dates, shown["threat"], color="#e67e22", linewidth=0.9, alpha=0.8, label="threat")
    axes.plot(dates, shown["act"], color="#c0392b", linewidth=0.9, alpha=0.8, label="act")
    axes.set_ylabel("base average = 100")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8, ncols=3)
    axes.grid(alpha=0.3)
    return _chart("index", "Risk index of the storyline, weekly", figure)


def event_chart(events: pd.DataFrame, span: tuple[object, object] | None = None) -> Chart | None:
    """The storyline's events in time by Goldstein score (−10 conflict … +10 cooperation), coloured by modality.

    ``span`` (first, last publication) keeps the events dated within 30 days of the storyline's articles: a
    sentence recalling an event of 1930 would otherwise squeeze the chart.
    """
    dated = events.dropna(subset=["event_date", "goldstein"])
    if span is not None and not any(pd.isna(day) for day in span):
        days = pd.to_datetime(dated["event_date"])
        month = pd.Timedelta(days=30)
        dated = dated[(days >= pd.Timestamp(span[0]) - month) & (days <= pd.Timestamp(span[1]) + month)]
    if dated.empty:
        return None
    figure = Figure(figsize=_SIZE)
    axes = figure.add_subplot()
    for modality, group in dated.groupby("modality", sort=True):
        axes.scatter(pd.to_datetime(group["event_date"]), group["goldstein"], s=12, alpha=0.75,
                     color=MODALITY_COLOURS.get(modality, "#34495e"), label=modality)
    axes.axhline(0, color="#555555", linewidth=0.6)
    axes.set_ylim(-10.5, 10.5)
    axes.set_ylabel("Goldstein")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=7, ncols=6)
    axes.grid(alpha=0.3)
    return _chart("events", "Coded events by Goldstein score and modality", figure)


def scenario_chart(outlook: object | None) -> Chart | None:
    """The scenario probabilities as horizontal bars."""
    if outlook is None or not outlook.scenarios:
        return None
    names = [s.name.replace("_", " ") for s in outlook.scenarios][::-1]
    chances = [s.probability * 100 for s in outlook.scenarios][::-1]
    figure = Figure(figsize=(7.5, 2.0))
    axes = figure.add_subplot()
    bars = axes.barh(names, chances, color=["#c0392b", "#e67e22", "#2e86c1", "#1e8449"][:len(names)])
    axes.bar_label(bars, labels=[f"{c:.0f}%" for c in chances], padding=3, fontsize=8)
    axes.set_xlim(0, 100)
    axes.set_xlabel("probability, %")
    return _chart("scenarios", "Scenario probabilities", figure)
