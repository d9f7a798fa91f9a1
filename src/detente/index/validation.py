"""Validation of the risk indexes against the published GPR (Caldara and Iacoviello 2022).

Pure functions on pandas Series: the naive keyword baseline, the reference
series at a frequency, Pearson and Spearman correlations over the periods
both sides cover, and the largest spikes. Reading the corpus and the
reference file is the CLI's job (``detente eval gpr``).

Choices, each from the method rather than from any one corpus:

- The daily GPRD is dated by print date and so mostly reflects the previous
  day's news (reference/gpr_search_query.md); it is moved back one day
  before comparing it with news dated by publication.
- A week or a month of the reference is the mean of its daily values (the
  paper's monthly index is a share of monthly counts; with a near-constant
  number of articles a day the two agree).
- Each Pearson figure comes with its 95% interval: Fisher's z with the
  effective number of periods of two autocorrelated series (Pyper and
  Peterman 1998, "Comparison of methods to account for autocorrelation in
  correlation analyses of fish data", Can. J. Fish. Aquat. Sci. 55(9),
  eq. 1: 1/N* = 1/N + (2/N) Σ_j ρ_xx(j) ρ_yy(j) over lags j ≤ N/5). Risk
  indexes move in episodes, so months are not independent and the interval
  is wider than the textbook one, which assumes they are.
- The naive baseline is the share of articles whose title or body contains
  one of fifteen words (``NAIVE_WORDS``): the most common words of war,
  military force, terrorism and sanctions, chosen once as written in the
  issue, not fitted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from scipy import stats

from .series import period_start

#: The naive baseline's fifteen words: war, military force, terrorism, sanctions.
NAIVE_WORDS = ("war", "wars", "military", "troops", "army", "missile", "missiles", "bomb", "bombing", "attack",
               "invasion", "terror", "terrorism", "terrorist", "sanctions")
NAIVE_PATTERN = re.compile(r"\b(?:" + "|".join(NAIVE_WORDS) + r")\b", re.IGNORECASE)
REFERENCE_COLUMNS = {"index": "GPRD", "threat": "GPRD_THREAT", "act": "GPRD_ACT"}
PRINT_LAG_DAYS = 1
MIN_PERIODS = 3
#: The validation targets for the best index, monthly, against GPRD: (Pearson, Spearman) (README, "Figures").
TARGET_PEARSON, TARGET_SPEARMAN = 0.85, 0.70


@dataclass(frozen=True)
class Correlation:
    """How one index follows one reference series at one frequency (``None`` where undefined)."""

    index: str
    part: str  # index, threat or act
    reference: str
    freq: str
    pearson: float | None
    spearman: float | None
    periods: int
    pearson_interval: tuple[float, float] | None = None  # 95%, Fisher's z on the effective periods
    effective_periods: float | None = None  # independent periods the two series are worth (``effective_periods``)


@dataclass(frozen=True)
class Scorecard:
    """One index at one frequency: its total against GPRD, its threats against GPRD_THREAT, its acts against
    GPRD_ACT (Pearson, Spearman; ``None`` where undefined), and whether each sub-index beats the naive
    baseline on the same reference (higher Pearson *and* higher Spearman; ``None`` for the baseline itself
    or when a figure is missing)."""

    index: str
    freq: str
    total: tuple[float | None, float | None]
    threat: tuple[float | None, float | None]
    act: tuple[float | None, float | None]
    threat_beats_naive: bool | None
    act_beats_naive: bool | None
    meets_target: bool


@dataclass(frozen=True)
class Spikes:
    """The largest periods of one series: (first day of the period, value), largest first."""

    series: str
    freq: str
    top: tuple[tuple[str, float], ...]


def naive_components(published: pd.Series, texts: pd.Series) -> pd.DataFrame:
    """Daily counts for the naive baseline: ``articles`` and ``naive`` (articles matching ``NAIVE_PATTERN``)."""
    frame = pd.DataFrame({"date": pd.to_datetime(published).dt.normalize(),
                          "naive": texts.fillna("").str.contains(NAIVE_PATTERN).astype(float), "articles": 1.0})
    return frame.groupby("date")[["naive", "articles"]].sum()


def naive_index(components: pd.DataFrame, freq: str) -> pd.Series:
    """The naive baseline at ``freq``: share of matching articles, scaled to its own average of 100.

    All zeros (no article matched) stay zeros, never NaN.
    """
    periods = components.groupby(period_start(components.index, freq)).sum()
    periods = periods[periods["articles"] > 0]
    share = periods["naive"] / periods["articles"]
    mean = share.mean()
    return share * (100.0 / mean) if mean > 0 else share * 0.0


def reference_series(daily: pd.DataFrame, freq: str, lag_days: int = PRINT_LAG_DAYS) -> pd.DataFrame:
    """The published daily GPR (columns ``date``, GPRD, GPRD_THREAT, GPRD_ACT) at ``freq``, print lag removed."""
    frame = daily.dropna(subset=["date"]).copy()
    frame["date"] = pd.to_datetime(frame["date"]) - pd.Timedelta(days=lag_days)
    columns = [c for c in REFERENCE_COLUMNS.values() if c in frame.columns]
    grouped = frame.groupby(period_start(frame["date"], freq))[columns].mean()
    grouped.index.name = "date"
    return grouped


def _overlap(index: pd.Series, reference: pd.Series) -> pd.DataFrame:
    """The periods both series cover, as columns ``a`` and ``b``."""
    return pd.concat([index.rename("a"), reference.rename("b")], axis=1, join="inner").dropna()


def _defined(both: pd.DataFrame) -> bool:
    """Enough periods (``MIN_PERIODS``) and neither side constant: a correlation means something."""
    return len(both) >= MIN_PERIODS and both["a"].nunique() >= 2 and both["b"].nunique() >= 2


def correlate(index: pd.Series, reference: pd.Series) -> tuple[float | None, float | None, int]:
    """Pearson and Spearman correlation over the periods both series cover, and how many periods.

    ``None`` when fewer than ``MIN_PERIODS`` periods overlap or a side is constant.
    """
    both = _overlap(index, reference)
    if not _defined(both):
        return None, None, len(both)
    pearson = float(stats.pearsonr(both["a"], both["b"])[0])
    spearman = float(stats.spearmanr(both["a"], both["b"])[0])
    return (None if math.isnan(pearson) else pearson), (None if math.isnan(spearman) else spearman), len(both)


def pearson_interval(index: pd.Series, reference: pd.Series, level: float = 0.95) -> tuple[float, float] | None:
    """The ``level`` confidence interval of the Pearson correlation, None where it is undefined.

    Fisher's z on the effective number of periods (``effective_periods``), so autocorrelated series get the
    wider interval they need.
    """
    both = _overlap(index, reference)
    if not _defined(both) or len(both) < 4:  # Fisher's z needs n > 3
        return None
    r = float(stats.pearsonr(both["a"], both["b"])[0])
    if math.isnan(r):
        return None
    if abs(r) >= 1.0:
        return r, r
    half = stats.norm.ppf(0.5 + level / 2) / math.sqrt(effective_periods(both["a"], both["b"]) - 3)
    z = math.atanh(r)
    return math.tanh(z - half), math.tanh(z + half)


def effective_periods(a: pd.Series, b: pd.Series) -> float:
    """The effective number of independent periods of two aligned series (Pyper and Peterman 1998, eq. 1).

    1/N* = 1/N + (2/N) Σ_{j=1}^{N/5} ρ_a(j) ρ_b(j), with the autocorrelations ρ estimated as in their paper
    (N/(N-j) times the lag-j sum of cross-products over the sum of squares). Kept between 4 (the fewest
    Fisher's z takes) and N.
    """
    x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    n = len(x)
    lags = range(1, max(1, n // 5) + 1)
    total = sum(_autocorrelation(x, j) * _autocorrelation(y, j) for j in lags)
    inverse = 1.0 / n + 2.0 / n * total
    return float(min(n, max(4.0, 1.0 / inverse))) if inverse > 0 else float(n)


def _autocorrelation(values, lag: int) -> float:
    deviations = values - values.mean()
    squares = float((deviations * deviations).sum())
    if squares == 0 or lag >= len(values):
        return 0.0
    n = len(values)
    return n / (n - lag) * float((deviations[:-lag] * deviations[lag:]).sum()) / squares


def largest_spikes(series: pd.Series, freq: str, name: str, k: int = 3) -> Spikes:
    """The ``k`` largest periods of ``series`` (labelled by their first day)."""
    top = series.dropna().sort_values(ascending=False, kind="stable").head(k)
    label = "%Y-%m" if freq == "M" else "%Y-%m-%d"
    return Spikes(series=name, freq=freq, top=tuple((stamp.strftime(label), round(float(v), 1))
                                                     for stamp, v in top.items()))


def compare(indexes: dict[str, pd.DataFrame], naive: pd.Series, reference: pd.DataFrame,
            freq: str) -> tuple[list[Correlation], list[Spikes]]:
    """Correlations of each index part (and of the naive baseline) with its reference column, and spikes.

    ``indexes`` maps an index name to a frame indexed by period start with
    columns ``index``, ``threat``, ``act``. The naive baseline (one series) is
    compared with all three reference columns. Spikes are taken over the
    periods the corpus covers, on both sides.
    """
    correlations, spikes = [], []
    for part, column in REFERENCE_COLUMNS.items():
        if column not in reference:
            continue
        for name, series in [("naive", naive)] + [(name, frame[part]) for name, frame in indexes.items()]:
            p, s, n = correlate(series, reference[column])
            both = _overlap(series, reference[column])
            effective = round(effective_periods(both["a"], both["b"]), 1) if _defined(both) else None
            correlations.append(Correlation(name, part, column, freq, p, s, n,
                                            pearson_interval(series, reference[column]), effective))
    covered = reference[(reference.index >= naive.index.min()) & (reference.index <= naive.index.max())]
    spikes.append(largest_spikes(covered["GPRD"], freq, "GPRD (published)"))
    spikes.append(largest_spikes(naive, freq, "naive"))
    for name, frame in indexes.items():
        spikes.append(largest_spikes(frame["index"], freq, name))
    return correlations, spikes


def best(correlations: list[Correlation], freq: str = "M") -> Correlation | None:
    """The index (not the baseline) whose total follows GPRD best at ``freq`` (by Pearson).

    The choice is made after seeing every index on the same corpus, so the
    best figure is an optimistic estimate of how the chosen index does on
    another corpus; report it beside all the others (``scorecards``).
    """
    found = [c for c in correlations if c.freq == freq and c.part == "index" and c.index != "naive"
             and c.pearson is not None]
    return max(found, key=lambda c: c.pearson) if found else None


def _beats(figures: tuple[float | None, float | None], naive: tuple[float | None, float | None]) -> bool | None:
    """Whether ``figures`` are higher than ``naive`` on both Pearson and Spearman (``None`` if one is missing)."""
    if None in figures or None in naive:
        return None
    return figures[0] > naive[0] and figures[1] > naive[1]


def scorecards(correlations: list[Correlation], freq: str = "M") -> list[Scorecard]:
    """Every index (the naive baseline first) at ``freq`` against the validation targets, in the order compared.

    ``meets_target``: total Pearson >= ``TARGET_PEARSON`` and Spearman >=
    ``TARGET_SPEARMAN`` with GPRD and both sub-indexes beat the baseline.
    """
    figures: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    for c in correlations:
        if c.freq == freq:
            figures.setdefault(c.index, {})[c.part] = (c.pearson, c.spearman)
    missing = (None, None)
    naive = figures.get("naive", {})
    cards = []
    for name in sorted(figures, key=lambda n: n != "naive"):
        parts = figures[name]
        total, threat, act = (parts.get(p, missing) for p in ("index", "threat", "act"))
        threat_beats = None if name == "naive" else _beats(threat, naive.get("threat", missing))
        act_beats = None if name == "naive" else _beats(act, naive.get("act", missing))
        meets = (name != "naive" and None not in total and total[0] >= TARGET_PEARSON
                 and total[1] >= TARGET_SPEARMAN and bool(threat_beats) and bool(act_beats))
        cards.append(Scorecard(name, freq, total, threat, act, threat_beats, act_beats, meets))
    return cards
