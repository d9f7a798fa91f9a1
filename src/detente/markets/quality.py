"""Data quality of vendor price series: bad prints (spikes that come straight back) and zero quotes.

The bad-print rule. A day's step s_t is its log return (prices) or its
change (yields and spreads, measured in points). Each step is scored
against the trailing ``window`` steps before it with a robust z-score,
z_t = (s_t − median) / (1.4826·MAD) — the median and the median absolute
deviation are insensitive to the outliers being hunted (Hampel 1974,
JASA 69(346); Rousseeuw and Croux 1993, JASA 88(424)); the MAD is floored
at half the series-wide MAD of the non-zero steps so a run of unchanged
quotes (holiday repeats, O=H=L=C yields) does not turn every later move
into an outlier. Day t is a **bad print** when

1. |z_t| ≥ ``z`` and |z_{t+1}| ≥ ``z`` with opposite signs (a jump, then a
   jump back),
2. the jump back undoes it: |s_t + s_{t+1}| ≤ ``back``·|s_t| — the days
   before and after agree with each other to a tenth of the jump, as they
   do around an isolated wrong number, and
3. for prices, |s_t| ≥ ``min_jump`` (5 % in log terms).

A genuine repricing (the rouble on 2022-02-24, the VIX on 2024-08-05)
persists or only partly reverses, so it fails (1) or (2); so does a crash
and rebound (SPY −10 % on 2020-03-12, +8 % the next day). Bad prints are
dropped from the series and reported as ``bad_print`` repairs with the
value, its neighbours and both z-scores: the studies never see them, and
nothing is dropped silently. A price of zero or below on a price series
is a halted market or a missing quote written as 0 (Moscow and Kyiv in
2022), not a price: it is dropped as a ``zero_price`` repair and the series
has a gap there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .prices import CleanPrices, PriceRepair

MAD_TO_SIGMA = 1.4826  # the MAD of a normal distribution times this is its standard deviation
COLUMNS = ["date", "value", "before", "after", "jump", "back", "z_in", "z_out"]


def steps(prices: pd.Series, measure: str = "return") -> pd.Series:
    """Log returns (``return``; non-positive prices left out) or changes (``change``) of a price series."""
    series = prices.dropna().sort_index()
    if measure == "return":
        series = series[series > 0]
        return np.log(series).diff().iloc[1:]
    if measure == "change":
        return series.diff().iloc[1:]
    raise ValueError(f"measure is return or change, not {measure!r}")


def bad_prints(prices: pd.Series, measure: str = "return", *, window: int = 60, z: float = 10.0,
               back: float = 0.10, min_jump: float = 0.05) -> pd.DataFrame:
    """The bad prints of a price series indexed by date (columns ``COLUMNS``), by the rule of the module docstring.

    ``jump`` is the step into the day, ``back`` the step out of it (log
    returns or changes, per ``measure``); ``before``/``after`` the
    neighbouring values.
    """
    series = prices.dropna().sort_index()
    if measure == "return":
        series = series[series > 0]
    step = steps(series, measure)
    if len(step) < 3:
        return pd.DataFrame(columns=COLUMNS)
    values = step.to_numpy()
    nonzero = np.abs(values[values != 0])
    floor = 0.5 * MAD_TO_SIGMA * float(np.median(nonzero)) if len(nonzero) else 0.0
    centre = step.rolling(window, min_periods=min(20, window)).median().shift(1)
    spread = (step - centre).abs().rolling(window, min_periods=min(20, window)).median().shift(1)
    scale = np.maximum((MAD_TO_SIGMA * spread).fillna(np.inf).to_numpy(), floor)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (values - centre.fillna(0.0).to_numpy()) / scale
    score = np.where(np.isfinite(score), score, 0.0)
    jump, out = values[:-1], values[1:]
    z_in, z_out = score[:-1], score[1:]
    flagged = ((np.abs(z_in) >= z) & (np.abs(z_out) >= z) & (np.sign(jump) == -np.sign(out))
               & (np.abs(jump + out) <= back * np.abs(jump)))
    if measure == "return":
        flagged &= np.abs(jump) >= min_jump
    rows = []
    for i in np.flatnonzero(flagged):
        day = step.index[i]
        position = series.index.get_loc(day)
        rows.append({"date": day, "value": float(series.iloc[position]),
                     "before": float(series.iloc[position - 1]), "after": float(series.iloc[position + 1]),
                     "jump": float(jump[i]), "back": float(out[i]), "z_in": float(z_in[i]), "z_out": float(z_out[i])})
    return pd.DataFrame(rows, columns=COLUMNS)


def screen_prices(clean: CleanPrices, measure: str = "return", **rule: float) -> CleanPrices:
    """``clean`` without its zero quotes (prices only) and bad prints, each reported as a repair (a change
    series keeps its non-positive values, which are normal for yields and spreads, without a repair)."""
    frame = clean.prices
    # ``non_positive`` ("kept") is superseded: a zero quote is dropped below, and a negative yield is a yield
    repairs = [r for r in clean.repairs if r.kind != "non_positive"]
    if measure == "return":
        zero = frame["value"] <= 0
        for day, value in zip(frame.loc[zero, "date"], frame.loc[zero, "value"]):
            repairs.append(PriceRepair("zero_price", f"{day:%Y-%m-%d}", f"price {value:g} ≤ 0 is a halt or a missing "
                                                                        "quote, not a price: dropped (a gap)"))
        frame = frame[~zero]
    series = pd.Series(frame["value"].to_numpy(), index=pd.DatetimeIndex(frame["date"]))
    found = bad_prints(series, measure, **rule)
    unit = "log return" if measure == "return" else "change"
    for row in found.itertuples():
        repairs.append(PriceRepair(
            "bad_print", f"{row.date:%Y-%m-%d}",
            f"{row.value:g} between {row.before:g} and {row.after:g}: {unit} {row.jump:+.4g} then {row.back:+.4g} "
            f"(robust z {row.z_in:+.1f}, {row.z_out:+.1f}): dropped"))
    kept = frame[~frame["date"].isin(found["date"])].reset_index(drop=True)
    return CleanPrices(kept, clean.column, clean.date_format, clean.frequency, clean.rows_read, repairs)
