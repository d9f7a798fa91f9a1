"""Series computed from loaded ones, as the exposure map defines them: baskets, spreads; measures and moves.

- A **basket** (``basket: [lmt, noc, ...]`` in ``exposures.yaml``) is the
  equal-weight mean of its members' simple returns on each day any of them
  trades (each member's return on its own calendar, so a holiday return
  spans the holiday), chained into a level of 100 on its first day — a
  daily-rebalanced equal-weight portfolio (DeMiguel, Garlappi and Uppal
  2009, RFS 22(5), for the 1/N rule). Its log returns are log(1 + mean).
- A **spread** (``spread: [pl10y, de10y]``) is the difference of two yields
  in percent on the dates both are quoted, times 100: basis points.
- The **measure** of a series follows its unit: yields and spreads (units
  ``percent``, ``bp``, ``percentage points``) move by *changes* (points),
  everything else by log returns — a spread can be negative and a 1 % yield
  going to 2 % is not a "100 % return".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import BadOption, NotEnoughData

CHANGE_UNITS = {"bp", "percent", "%", "pp", "percentage points", "basis points"}


def measure_of(unit: str) -> str:
    """``change`` for yields and spreads (units in ``CHANGE_UNITS``), else ``return``."""
    return "change" if str(unit or "").strip().lower() in CHANGE_UNITS else "return"


def period_steps(prices: pd.Series, measure: str, kind: str = "log") -> pd.Series:
    """Changes (``change``) or returns (``return``: ``kind`` log or simple) of a price series, first date left out."""
    from .prices import returns

    if measure == "change":
        return prices.dropna().sort_index().diff().iloc[1:]
    return returns(prices, kind)


def basket_level(members: dict[str, pd.Series], base: float = 100.0) -> pd.Series:
    """Level of the daily-rebalanced equal-weight basket of ``members`` (price series), ``base`` on its first day."""
    if not members:
        raise BadOption("a basket needs at least one member")
    simple = pd.concat({name: period_steps(series, "return", "simple") for name, series in members.items()},
                       axis=1, join="outer", sort=True)
    mean = simple.mean(axis=1, skipna=True).dropna()
    first = min(series.dropna().index.min() for series in members.values())
    level = base * (1 + mean).cumprod()
    return pd.concat([pd.Series([base], index=pd.DatetimeIndex([first])), level[level.index > first]])


def spread_bp(first: pd.Series, second: pd.Series) -> pd.Series:
    """``first`` − ``second`` (yields in percent) in basis points, on the dates both are quoted."""
    both = pd.concat({"a": first, "b": second}, axis=1, join="inner").dropna()
    if len(both) < 2:
        raise NotEnoughData("the two yields of a spread share fewer than two dates")
    return (both["a"] - both["b"]) * 100.0


def window_moves(levels: dict[str, pd.Series], measures: dict[str, str], start: str | pd.Timestamp,
                 end: str | pd.Timestamp) -> pd.DataFrame:
    """Close-to-close move of each series from the last close on or before ``start`` to the last on or before ``end``.

    Columns: asset, measure, start_date, start_value, end_date, end_value,
    move (log return, or change in the series' unit), simple (simple
    return; NaN for changes). A series without a close in the interval is
    left out.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    rows = []
    for asset, series in levels.items():
        series = series.dropna().sort_index()
        before, until = series[series.index <= start], series[series.index <= end]
        if before.empty or until.empty or until.index[-1] <= before.index[-1]:
            continue
        a, b = float(before.iloc[-1]), float(until.iloc[-1])
        measure = measures.get(asset, "return")
        if measure == "return" and (a <= 0 or b <= 0):
            continue
        rows.append({"asset": asset, "measure": measure, "start_date": before.index[-1].date(), "start_value": a,
                     "end_date": until.index[-1].date(), "end_value": b,
                     "move": b - a if measure == "change" else float(np.log(b / a)),
                     "simple": np.nan if measure == "change" else b / a - 1})
    return pd.DataFrame(rows, columns=["asset", "measure", "start_date", "start_value", "end_date", "end_value",
                                       "move", "simple"])
