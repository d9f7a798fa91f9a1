"""Index betas: how much an asset's return moves per point of change of a risk index.

For each asset (and each channel: the equal-weighted mean return of its
assets), period log returns are regressed on the period change of the index
by OLS, y_t = a + b·Δindex_t + e_t, with Newey–West (1987) standard
errors ("A simple, positive semi-definite, heteroskedasticity and
autocorrelation consistent covariance matrix", Econometrica 55(3)),
computed by statsmodels; the lag length is ⌊4·(T/100)^(2/9)⌋ (Newey & West
1994). Periods are weeks (default) or months: a daily news index is noisy
and a sample corpus has days without articles. Rolling betas re-estimate
over a moving window of periods.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..errors import BadOption, NotEnoughData

FREQS = {"W": "W", "M": "M"}
COLUMNS = ["name", "kind", "channel", "n", "beta", "se", "t", "p", "r2", "lags", "first", "last"]


def period_returns(returns: pd.Series, freq: str) -> pd.Series:
    """Log returns summed into periods labelled by their first day."""
    if freq not in FREQS:
        raise BadOption(f"--freq takes W or M, not {freq!r}")
    index = pd.DatetimeIndex(returns.index).to_period(FREQS[freq]).start_time
    return returns.groupby(index).sum()


def index_changes(index: pd.Series, freq: str) -> pd.Series:
    """The change of the period mean of an index from one period to the next."""
    stamps = pd.DatetimeIndex(index.index).to_period(FREQS[freq]).start_time
    return index.groupby(stamps).mean().diff().dropna()


def newey_west_lags(n: int) -> int:
    """The Newey–West (1994) rule-of-thumb lag length for ``n`` observations."""
    return math.floor(4 * (n / 100) ** (2 / 9))


def ols_beta(y: pd.Series, x: pd.Series, min_periods: int = 12) -> dict[str, float] | None:
    """OLS slope of ``y`` on ``x`` (aligned on shared dates) with Newey–West errors; ``None`` if too few periods."""
    both = pd.concat({"y": y, "x": x}, axis=1, join="inner").dropna()
    if len(both) < min_periods or both["x"].std() == 0:
        return None
    lags = newey_west_lags(len(both))
    fit = sm.OLS(both["y"].to_numpy(), sm.add_constant(both["x"].to_numpy())).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags})
    return {"n": len(both), "beta": float(fit.params[1]), "se": float(fit.bse[1]), "t": float(fit.tvalues[1]),
            "p": float(fit.pvalues[1]), "r2": float(fit.rsquared), "lags": lags,
            "first": both.index[0].date(), "last": both.index[-1].date()}


def index_betas(returns: dict[str, pd.Series], index: pd.Series, channels: dict[str, str], freq: str = "W",
                min_periods: int = 12) -> pd.DataFrame:
    """Betas of each asset and each channel on the index changes (columns ``COLUMNS``)."""
    changes = index_changes(index, freq)
    if len(changes) < min_periods:
        raise NotEnoughData(f"the index has {len(changes)} period changes at freq {freq}: at least {min_periods} "
                            "are needed for a beta")
    periods = {a: period_returns(r, freq) for a, r in returns.items()}
    rows = []
    for asset, series in periods.items():
        found = ols_beta(series, changes, min_periods)
        if found:
            rows.append({"name": asset, "kind": "asset", "channel": channels.get(asset, "other"), **found})
    by_channel: dict[str, list[pd.Series]] = {}
    for asset, series in periods.items():
        by_channel.setdefault(channels.get(asset, "other"), []).append(series)
    for channel, members in by_channel.items():
        mean = pd.concat(members, axis=1).mean(axis=1)  # equal weights over the assets with a return that period
        found = ols_beta(mean, changes, min_periods)
        if found:
            rows.append({"name": channel, "kind": "channel", "channel": channel, **found})
    if not rows:
        raise NotEnoughData(f"no asset shares {min_periods} periods with the index; load prices that cover it")
    return pd.DataFrame(rows, columns=COLUMNS)


def rolling_betas(returns: dict[str, pd.Series], index: pd.Series, freq: str = "W", window: int = 52,
                  step: int = 4) -> pd.DataFrame:
    """Betas of each asset over a window of ``window`` periods moved by ``step``: columns name, end, n, beta, se."""
    changes = index_changes(index, freq)
    rows = []
    for asset, series in returns.items():
        both = pd.concat({"y": period_returns(series, freq), "x": changes}, axis=1, join="inner").dropna()
        for end in range(window, len(both) + 1, step):
            part = both.iloc[end - window:end]
            found = ols_beta(part["y"], part["x"], min(window, 12))
            if found:
                rows.append({"name": asset, "end": part.index[-1].date(), "n": found["n"], "beta": found["beta"],
                             "se": found["se"]})
    return pd.DataFrame(rows, columns=["name", "end", "n", "beta", "se"])


def as_percent_per(points: float, frame: pd.DataFrame) -> pd.DataFrame:
    """Betas rescaled to percent return per ``points`` index points (for display)."""
    scaled = frame.copy()
    for column in ("beta", "se"):
        scaled[column] = scaled[column] * 100 * points
    return scaled.replace({np.nan: None})
