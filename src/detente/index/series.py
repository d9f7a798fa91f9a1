"""Daily index components → an index series: resampling, base-period normalisation, sparklines.

The stored components are additive (per day: the number of articles, the
number of GPR articles, the sum of event weights), so a week or a month is
the sum of its days and the share is computed once per period, as Caldara
and Iacoviello (AER 2022) compute their monthly index from monthly counts.
The index is the share divided by its average over a base period, times 100
(the published series use 1985-2019; a corpus shorter than that uses its own
span, which is the default here). Country and storyline scopes are divided
by the *global* base average, so that they read on the global scale (a
country at 50 carries half of the global base level of risk).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ..errors import BadOption, NotEnoughData

FREQUENCIES = {"D": "D", "W": "W", "M": "M"}
METHODS = ("classic", "classic_and", "events", "combined", "combined_and")
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def period_start(days: pd.Series | pd.Index, freq: str) -> pd.DatetimeIndex:
    """The first day of the day's period: the day itself (D), its Monday (W) or the 1st of its month (M)."""
    if freq not in FREQUENCIES:
        raise BadOption(f"--freq takes D, W or M, not {freq!r}")
    stamps = pd.DatetimeIndex(pd.to_datetime(days))
    if freq == "D":
        return stamps.normalize()
    return stamps.to_period(FREQUENCIES[freq]).start_time


def resample_sum(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Sum daily components (indexed by day) into periods, labelled by the period's first day."""
    if frame.empty:
        return frame
    summed = frame.groupby(period_start(frame.index, freq)).sum()
    summed.index.name = "date"
    return summed


def base_mean(share: pd.Series, base: tuple[dt.date | None, dt.date | None] | None = None) -> float:
    """The average of ``share`` over the base period (``None`` ends: the series' own span).

    Raises ``NotEnoughData`` when the base period holds no value or only zeros
    (nothing geopolitical in it): an index cannot be scaled to it.
    """
    start, end = base or (None, None)
    selected = share
    if start is not None:
        selected = selected[selected.index >= pd.Timestamp(start)]
    if end is not None:
        selected = selected[selected.index <= pd.Timestamp(end)]
    if selected.empty:
        raise NotEnoughData("the base period holds no day with articles; choose a base period inside the data")
    mean = float(selected.mean())
    if not mean > 0:
        raise NotEnoughData("no geopolitical content in the base period: no article matched, no threat or act "
                            "was coded, so the index has nothing to be scaled to")
    return mean


def risk_index(components: pd.DataFrame, method: str, freq: str = "D",
               base: tuple[dt.date | None, dt.date | None] | None = None) -> pd.DataFrame:
    """The ``method`` index (total, threats, acts) of one scope at ``freq``, scaled to a base average of 100.

    ``components`` is indexed by day with the scope's numerators (``METHOD``,
    ``METHOD_threat``, ``METHOD_act``), the global numerators of the same
    measures prefixed ``global_`` and the global article count ``articles``.
    Each sub-index is scaled by its own global base average, as the paper
    scales GPRT and GPRA. Periods without articles are left out, never NaN.
    Returns columns ``index``, ``threat``, ``act``, ``articles``.
    """
    if method not in METHODS:
        raise BadOption(f"--method takes {', '.join(METHODS)}, not {method!r}")
    if components.empty or not (components["articles"] > 0).any():
        raise NotEnoughData("no dated articles to build an index from; ingest a dated corpus first")
    periods = resample_sum(components, freq)
    periods = periods[periods["articles"] > 0]
    result = pd.DataFrame(index=periods.index)
    for column, measure in (("index", method), ("threat", f"{method}_threat"), ("act", f"{method}_act")):
        share = periods[measure] / periods["articles"]
        reference = periods[f"global_{measure}"] / periods["articles"]
        try:
            scale = base_mean(reference, base)
        except NotEnoughData:
            if column == "index":
                raise
            scale = None  # no threats (or acts) at all: the sub-index stays at 0
        result[column] = 100.0 * share / scale if scale else 0.0
    result["articles"] = periods["articles"].astype(int)
    return result


def sparkline(values: list[float] | pd.Series) -> str:
    """A line of unicode blocks (▁ … █), one a value, scaled from the minimum to the maximum.

    Missing values are blanks; a constant series is a flat line of ▁.
    """
    numbers = [None if v is None or math.isnan(v) else float(v) for v in values]
    present = [v for v in numbers if v is not None]
    if not present:
        return " " * len(numbers)
    low, high = min(present), max(present)
    span = high - low
    top = len(SPARK_BLOCKS) - 1
    return "".join(" " if v is None else SPARK_BLOCKS[0 if span == 0 else round((v - low) / span * top)]
                   for v in numbers)
