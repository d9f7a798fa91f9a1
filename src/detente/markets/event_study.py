"""Event studies: abnormal returns, cumulative abnormal returns and their tests, vectorised over events.

The method is MacKinlay's (1997), "Event Studies in Economics and Finance",
Journal of Economic Literature 35(1): 13–39. For each event, day 0 is the
first trading day on or after the event date (the month holding it for a
monthly series); the normal return is estimated on an estimation window
``[e1, e2]`` of ``L1`` trading days before the event, and

- the **constant-mean** model takes it as the window's mean return μ̂
  (abnormal return AR_t = R_t − μ̂, σ̂² = Σ(R − μ̂)² / (L1 − 1));
- the **market** model regresses the asset on a market return by OLS,
  R_t = α + β R_mt + ε_t (AR_t = R_t − α̂ − β̂ R_mt, σ̂² = SSR / (L1 − 2)).

The CAR of an event window ``[τ1, τ2]`` (L2 days) is the sum of its ARs;
its variance includes the estimation error of the normal model
(MacKinlay eq. 17): σ̂²·(L2 + L2²/L1) for the constant mean, plus
σ̂²·(S_m − L2·m̄)²/S_xx for the market model (S_m: the market's summed
return over the window, m̄ and S_xx: its estimation-window mean and sum of
squared deviations). Across the N events of a class:

- ``t_cross``: the cross-sectional t of the mean CAR (its standard error
  from the dispersion of the CARs across events; Brown & Warner 1985);
- ``j1``: the mean CAR over √(Σσ̂²_i)/N (MacKinlay eq. 21–22, the
  estimation-based test; with one event it is that event's t);
- ``patell_z``: Patell (1976), "Corporate forecasts of earnings per share
  and stock price behavior", J. Accounting Research 14(2): each AR is
  standardised by its forecast-error standard deviation, the standardised
  CARs scaled by √(L2·(L1−d)/(L1−d−2)) (d = 1 or 2 parameters) are summed
  over events and divided by √N;
- ``bmp_t``: Boehmer, Musumeci & Poulsen (1991), "Event-study methodology
  under conditions of event-induced variance", J. Financial Economics 30:
  the cross-sectional t of the standardised CARs, robust to a variance that
  rises on event days;
- a bootstrap interval of the mean CAR (percentile; events resampled with
  replacement, Efron & Tibshirani 1993). A class of one event has no
  cross-section to resample: its interval adds to the CAR the spread of
  sums of L2 estimation-window residuals drawn with replacement.

Returns are in the units they are given (log returns: a CAR of 0.05 is
about +5 %). Everything here is pure: arrays and frames in, frames out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import BadOption, NotEnoughData
from .prices import event_positions

MODELS = ("constant", "market")


@dataclass(frozen=True)
class StudyDesign:
    """Windows (in trading days relative to day 0, inclusive), model and test settings of an event study."""

    windows: tuple[tuple[int, int], ...] = ((-1, 1), (0, 5), (0, 20))
    estimation: tuple[int, int] = (-250, -11)
    model: str = "constant"
    min_estimation: int = 30
    bootstrap: int = 1000
    confidence: float = 0.95
    seed: int = 0

    def check(self) -> None:
        """Raise ``BadOption`` / ``NotEnoughData`` for a design that cannot give an answer."""
        if self.model not in MODELS:
            raise BadOption(f"--model takes {' or '.join(MODELS)}, not {self.model!r}")
        if not self.windows:
            raise BadOption("give at least one event window (--window 0,5)")
        for t1, t2 in self.windows:
            if t2 < t1:
                raise BadOption(f"event window {t1},{t2}: the end comes before the start")
        e1, e2 = self.estimation
        if e2 < e1:
            raise BadOption(f"estimation window {e1},{e2}: the end comes before the start")
        first = min(t1 for t1, _ in self.windows)
        if e2 >= first:
            raise BadOption(f"the estimation window must end before the event window starts "
                            f"(estimation ends at {e2}, an event window starts at {first})")
        length = e2 - e1 + 1
        needed = max(self.min_estimation, 5 if self.model == "market" else 4)
        if length < needed:
            raise NotEnoughData(f"an estimation window of {length} returns is too short to estimate normal returns: "
                                f"at least {needed} are needed (e.g. --estimation -250,-11)")
        if not 0 < self.confidence < 1:
            raise BadOption("the confidence level is between 0 and 1")


@dataclass
class StudyResult:
    """An event study's results: per event and window, per class (asset × window), the mean CAR path, drops."""

    events: pd.DataFrame
    summary: pd.DataFrame
    paths: pd.DataFrame
    dropped: pd.DataFrame


def _positions(returns: pd.Series, events: pd.DataFrame, frequency: str, design: StudyDesign,
               market: pd.Series | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray,
                                                  pd.DatetimeIndex, list[tuple[int, str]]]:
    """Day-0 positions of the events usable for this series, with the reasons the others are not."""
    if market is not None:
        both = pd.concat({"asset": returns, "market": market}, axis=1, join="inner").dropna()
        returns, market_values = both["asset"], both["market"].to_numpy(dtype=float)
    else:
        market_values = None
    calendar = returns.index
    values = returns.to_numpy(dtype=float)
    positions = event_positions(calendar, events["date"].to_numpy(), frequency)
    lo = min(t1 for t1, _ in design.windows)
    hi = max(t2 for _, t2 in design.windows)
    e1 = design.estimation[0]
    dropped = []
    usable = np.ones(len(events), dtype=bool)
    first = calendar[0].date() if len(calendar) else None
    last = calendar[-1].date() if len(calendar) else None
    for i, p in enumerate(positions):
        if p < 0 or p >= len(values):
            reason = f"outside the series ({first} … {last})"
        elif p + hi >= len(values):
            reason = f"event window ends after the series' last date ({last})"
        elif p + min(e1, lo) < 0:
            reason = (f"estimation window too short: {p} returns before day 0, "
                      f"{-min(e1, lo)} needed ({design.estimation[0]},{design.estimation[1]})")
        else:
            continue
        usable[i] = False
        dropped.append((i, reason))
    # two events on the same day 0 would count one market move twice: the first is kept
    seen: dict[int, int] = {}
    for i in np.flatnonzero(usable):
        if positions[i] in seen:
            usable[i] = False
            dropped.append((i, f"same day 0 as event {events['id'].iloc[seen[positions[i]]]}"))
        else:
            seen[positions[i]] = i
    return positions, usable, market_values, values, calendar, dropped


def study_series(returns: pd.Series, events: pd.DataFrame, design: StudyDesign, frequency: str = "D",
                 market: pd.Series | None = None, asset: str = "asset") -> StudyResult:
    """Event study of one return series (indexed by date) for events (columns id, date, label).

    ``market`` (returns indexed by date) is required by the market model; the
    two series are aligned on the dates both have. Returns per-event CARs and
    t-statistics, the class summary per window, the mean CAR path over the
    widest window and the events left out with the reason.
    """
    design.check()
    if design.model == "market" and market is None:
        raise BadOption("the market model needs a market series (--market ASSET)")
    if len(returns) < 2:
        raise NotEnoughData(f"{asset}: fewer than two returns")
    positions, usable, m_all, r_all, calendar, dropped = _positions(
        returns, events, frequency, design, market if design.model == "market" else None)
    drops = pd.DataFrame([{"asset": asset, "id": events["id"].iloc[i], "date": events["date"].iloc[i], "reason": r}
                          for i, r in dropped], columns=["asset", "id", "date", "reason"])
    idx = np.flatnonzero(usable)
    if not len(idx):
        reasons = "; ".join(sorted(set(drops["reason"]))) or "no events"
        raise NotEnoughData(f"{asset}: no event can be studied ({reasons})")
    lo = min(t1 for t1, _ in design.windows)
    hi = max(t2 for _, t2 in design.windows)
    e1, e2 = design.estimation
    length = e2 - e1 + 1
    p0 = positions[idx]
    est = p0[:, None] + np.arange(e1, e2 + 1)
    evt = p0[:, None] + np.arange(lo, hi + 1)
    r_est, r_evt = r_all[est], r_all[evt]
    if design.model == "constant":
        mean = r_est.mean(axis=1)
        resid = r_est - mean[:, None]
        params = 1
        sigma2 = (resid ** 2).sum(axis=1) / (length - params)
        ar = r_evt - mean[:, None]
        alpha, beta = mean, np.zeros(len(idx))
        correction = np.full_like(r_evt, 1.0 + 1.0 / length)
        m_evt = m_mean = sxx = None
    else:
        m_est, m_evt = m_all[est], m_all[evt]
        m_mean = m_est.mean(axis=1)
        dm = m_est - m_mean[:, None]
        sxx = (dm ** 2).sum(axis=1)
        flat = sxx <= 0
        sxx = np.where(flat, np.nan, sxx)  # a market that never moved gives no beta
        beta = (dm * (r_est - r_est.mean(axis=1)[:, None])).sum(axis=1) / sxx
        alpha = r_est.mean(axis=1) - beta * m_mean
        resid = r_est - alpha[:, None] - beta[:, None] * m_est
        params = 2
        sigma2 = (resid ** 2).sum(axis=1) / (length - params)
        ar = r_evt - alpha[:, None] - beta[:, None] * m_evt
        correction = 1.0 + 1.0 / length + (m_evt - m_mean[:, None]) ** 2 / sxx[:, None]
    degenerate = ~(np.isfinite(sigma2) & (sigma2 > 0))
    if degenerate.any():  # a flat market or a perfect fit leaves no noise to test against: say so, drop them
        reason = ("no residual variance in the estimation window (the market never moved, or it is the asset itself)"
                  if design.model == "market" else "prices constant over the estimation window")
        keep = np.ones(len(events), dtype=bool)
        keep[idx[degenerate]] = False
        rest = study_series(returns, events[keep].reset_index(drop=True), design, frequency, market, asset) \
            if keep[idx].any() else None
        extra = pd.DataFrame({"asset": asset, "id": events["id"].to_numpy()[idx[degenerate]],
                              "date": events["date"].to_numpy()[idx[degenerate]], "reason": reason})
        if rest is None:
            raise NotEnoughData(f"{asset}: no event can be studied ({reason})")
        rest.dropped = pd.concat([rest.dropped, extra], ignore_index=True)
        return rest
    sar = ar / np.sqrt(sigma2[:, None] * correction)
    rng = np.random.default_rng(design.seed)
    tail = (1 - design.confidence) / 2
    rows, summary = [], []
    ids, dates = events["id"].to_numpy()[idx], events["date"].to_numpy()[idx]
    labels = events["label"].to_numpy()[idx] if "label" in events else np.full(len(idx), "")
    day0 = np.asarray(calendar[p0].date)
    for t1, t2 in design.windows:
        a, b = t1 - lo, t2 - lo + 1
        span = t2 - t1 + 1
        car = ar[:, a:b].sum(axis=1)
        extra = span ** 2 / length
        if design.model == "market":
            extra = extra + (m_evt[:, a:b].sum(axis=1) - span * m_mean) ** 2 / sxx
        var_car = sigma2 * (span + extra)
        t_event = car / np.sqrt(var_car)
        csar = sar[:, a:b].sum(axis=1)
        scar = csar / np.sqrt(span)
        n = len(car)
        dof_var = (length - params) / (length - params - 2)
        patell = csar.sum() / np.sqrt(n * span * dof_var)
        mean_car = car.mean()
        sd_car = car.std(ddof=1) if n > 1 else np.nan
        t_cross = mean_car / (sd_car / np.sqrt(n)) if n > 1 and sd_car > 0 else np.nan
        sd_scar = scar.std(ddof=1) if n > 1 else np.nan
        bmp = scar.mean() / (sd_scar / np.sqrt(n)) if n > 1 and sd_scar > 0 else np.nan
        j1 = mean_car / np.sqrt(var_car.sum() / n ** 2)
        if n > 1 and design.bootstrap:
            draws = car[rng.integers(0, n, size=(design.bootstrap, n))].mean(axis=1)
            low, high = np.quantile(draws, [tail, 1 - tail])
            method = f"bootstrap of events ({design.bootstrap})"
        elif design.bootstrap:
            noise = resid[0][rng.integers(0, length, size=(design.bootstrap, span))].sum(axis=1)
            q_low, q_high = np.quantile(noise, [tail, 1 - tail])
            low, high = car[0] - q_high, car[0] - q_low
            method = f"bootstrap of estimation residuals ({design.bootstrap})"
        else:
            z = stats.norm.ppf(1 - tail)
            low, high = mean_car - z * np.sqrt(var_car.sum()) / n, mean_car + z * np.sqrt(var_car.sum()) / n
            method = "normal (J1 variance)"
        window = f"[{t1:+d},{t2:+d}]"
        rows.append(pd.DataFrame({
            "asset": asset, "window": window, "id": ids, "date": dates, "label": labels, "day0": day0,
            "car": car, "sd_car": np.sqrt(var_car), "t": t_event, "scar": scar, "alpha": alpha, "beta": beta,
            "sigma": np.sqrt(sigma2), "estimation_n": length}))
        summary.append({
            "asset": asset, "window": window, "model": design.model, "n": n, "mean_car": mean_car,
            "median_car": float(np.median(car)), "positive": float((car > 0).mean()), "sd_car": sd_car,
            "t_cross": t_cross, "p_cross": 2 * stats.t.sf(abs(t_cross), n - 1) if n > 1 and not np.isnan(t_cross) else np.nan,
            "j1": j1, "p_j1": 2 * stats.norm.sf(abs(j1)), "patell_z": patell, "p_patell": 2 * stats.norm.sf(abs(patell)),
            "bmp_t": bmp, "p_bmp": 2 * stats.t.sf(abs(bmp), n - 1) if n > 1 and not np.isnan(bmp) else np.nan,
            "ci_low": low, "ci_high": high, "confidence": design.confidence, "ci_method": method})
    cumulative = np.cumsum(ar, axis=1)
    n = len(idx)
    band = stats.norm.ppf(1 - tail) * np.sqrt(np.outer(sigma2, np.arange(1, hi - lo + 2)).sum(axis=0)) / n
    paths = pd.DataFrame({"asset": asset, "tau": np.arange(lo, hi + 1), "mean_ar": ar.mean(axis=0),
                          "mean_car": cumulative.mean(axis=0), "band": band, "n": n})
    return StudyResult(pd.concat(rows, ignore_index=True), pd.DataFrame(summary), paths, drops)


def event_study(returns: dict[str, pd.Series], events: pd.DataFrame, design: StudyDesign,
                frequencies: dict[str, str] | None = None, market: pd.Series | None = None) -> StudyResult:
    """Event study of several assets (returns indexed by date, one series each) over the same events.

    An asset where no event can be studied is reported in ``dropped``; if no
    asset has any, ``NotEnoughData`` says why.
    """
    design.check()
    if events.empty:
        raise NotEnoughData("no events to study")
    parts, failures = [], []
    for asset, series in returns.items():
        try:
            parts.append(study_series(series, events, design, (frequencies or {}).get(asset, "D"), market, asset))
        except NotEnoughData as exc:
            failures.append(str(exc))
    if not parts:
        raise NotEnoughData("; ".join(failures))
    dropped = pd.concat([p.dropped for p in parts if not p.dropped.empty]
                        or [pd.DataFrame(columns=["asset", "id", "date", "reason"])], ignore_index=True)
    return StudyResult(
        events=pd.concat([p.events for p in parts], ignore_index=True),
        summary=pd.concat([p.summary for p in parts], ignore_index=True),
        paths=pd.concat([p.paths for p in parts], ignore_index=True),
        dropped=dropped)
