"""Spike-conditioned excess returns: what each channel did over the market on the days a risk index jumped.

A regression of daily defence returns on every day's index change finds
little (most days' changes are noise); conditioning on the rare days the
index spikes does. The spike days are the top ``top`` fraction of the
index's day-over-day change (``on="change"``, the default: a jump) or of
its level (``on="level"``) since ``since``. Each spike day is mapped to
the first trading day on or after it and the asset's excess log return
over the market, r_asset − r_market, is summed over ``window`` trading days
around it — by default [−1, 0]: the daily GPR of Caldara and Iacoviello
(2022, AER 112(4)) counts newspaper articles *published* on day t, which
mostly report day t−1's events, so markets can move on t−1 and t.
Duplicate windows (several spike days mapping to one trading day) count
once. The statistic is the mean excess return with its t-statistic,
mean / (s / √N) — the cross-sectional test of an event study (MacKinlay
1997, eq. 20 with equal weights) — and the share of positive windows.
Yields and spreads (measure ``change``) are reported as raw changes in
their unit, not over the market. Channels are the equal-weight mean over
their assets of the window excess return.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import BadOption, NotEnoughData

COLUMNS = ["name", "kind", "channel", "versus", "n", "mean", "sd", "t", "positive", "first", "last"]


def spike_days(index: pd.Series, top: float = 0.01, on: str = "change", since: str | None = None,
               until: str | None = None) -> pd.DatetimeIndex:
    """The days in the top ``top`` fraction of the index's daily change (or level) from ``since`` to ``until``
    (both included): the fraction is of that period's days, so a sub-period has its own spikes."""
    if not 0 < top < 0.5:
        raise BadOption(f"--spikes takes a fraction between 0 and 0.5 (0.01 = top 1 %), not {top}")
    series = index.dropna().sort_index()
    series = series[~series.index.duplicated(keep="last")]
    if on == "change":
        series = series.diff().dropna()
    elif on != "level":
        raise BadOption(f"--spike-on takes change or level, not {on!r}")
    if since:
        series = series[series.index >= pd.Timestamp(since)]
    if until:
        series = series[series.index <= pd.Timestamp(until)]
    if len(series) < 1 / top:
        raise NotEnoughData(f"the index has {len(series)} days from {since or 'its start'} to {until or 'its end'}: "
                            f"too few for its top {top:.1%}")
    return pd.DatetimeIndex(series[series >= series.quantile(1 - top)].index)


def window_sums(steps: pd.Series, days: pd.DatetimeIndex, window: tuple[int, int]) -> pd.Series:
    """The sum of ``steps`` over ``window`` trading days around each day (on its first trading day on or after),
    indexed by that trading day; windows off the series' ends are left out, duplicates counted once."""
    steps = steps.dropna().sort_index()
    stamps = steps.index.values
    positions = np.unique(np.searchsorted(stamps, pd.DatetimeIndex(days).values, side="left"))
    positions = positions[(positions + window[0] >= 0) & (positions + window[1] < len(steps))]
    cumulative = np.concatenate([[0.0], np.cumsum(steps.to_numpy())])
    sums = cumulative[positions + window[1] + 1] - cumulative[positions + window[0]]
    return pd.Series(sums, index=steps.index[positions])


def _row(name: str, kind: str, channel: str, versus: str, sums: pd.Series) -> dict[str, object] | None:
    n = len(sums)
    if n < 3:
        return None
    sd = float(sums.std(ddof=1))
    mean = float(sums.mean())
    return {"name": name, "kind": kind, "channel": channel, "versus": versus, "n": n, "mean": mean, "sd": sd,
            "t": mean / (sd / np.sqrt(n)) if sd > 0 else np.nan, "positive": float((sums > 0).mean()),
            "first": sums.index[0].date(), "last": sums.index[-1].date()}


def spike_excess(steps: dict[str, pd.Series], measures: dict[str, str], market: pd.Series, market_name: str,
                 days: pd.DatetimeIndex, channels: dict[str, str], window: tuple[int, int] = (-1, 0),
                 computed: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Per asset and per channel, the mean window excess return over ``market`` on the spike ``days`` (``COLUMNS``).

    ``steps`` are each asset's log returns (or changes, per ``measures``) on
    its own calendar; excess returns are taken on the dates the asset and
    the market share. ``computed`` assets (baskets) are reported but left out
    of the channel means, which already average their members.
    """
    if window[0] > window[1]:
        raise BadOption(f"--spike-window FIRST,LAST needs FIRST ≤ LAST, not {window}")
    rows, by_channel = [], {}
    for asset, series in steps.items():
        if asset == market_name:
            continue
        if measures.get(asset, "return") == "change":
            excess, versus = series, "none (change)"
        else:
            both = pd.concat({"a": series, "m": market}, axis=1, join="inner").dropna()
            excess, versus = both["a"] - both["m"], market_name
        sums = window_sums(excess, days, window)
        found = _row(asset, "asset", channels.get(asset, "other"), versus, sums)
        if found:
            rows.append(found)
            if versus == market_name and asset not in computed:
                by_channel.setdefault(channels.get(asset, "other"), []).append(sums)
    for channel, members in by_channel.items():
        mean = pd.concat(members, axis=1, sort=True).mean(axis=1)  # equal weights over the assets with that window
        found = _row(channel, "channel", channel, market_name, mean)
        if found:
            rows.append(found)
    if not rows:
        raise NotEnoughData("no asset's returns cover three spike windows; load prices that cover the index")
    return pd.DataFrame(rows, columns=COLUMNS)
