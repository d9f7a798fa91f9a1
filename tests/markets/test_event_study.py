"""The event study against a hand computation and against statsmodels OLS (MacKinlay 1997)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from detente.errors import BadOption, NotEnoughData
from detente.markets.event_study import StudyDesign, event_study, study_series
from detente.markets.prices import event_positions, returns

DAYS = pd.bdate_range("2024-01-01", periods=60)
RNG = np.random.default_rng(3)
PRICES = pd.Series(100 * np.exp(np.cumsum(RNG.normal(0.001, 0.02, len(DAYS)))), index=DAYS)
MARKET_PRICES = pd.Series(50 * np.exp(np.cumsum(RNG.normal(0.0, 0.01, len(DAYS)))), index=DAYS)
# the second date is a Saturday: day 0 is the Monday after
EVENTS = pd.DataFrame({"id": ["a", "b"], "date": pd.to_datetime(["2024-02-14", "2024-03-09"]), "label": ["", ""]})
DESIGN = StudyDesign(windows=((0, 2), (-1, 1)), estimation=(-15, -3), min_estimation=5, bootstrap=0)


def hand_study(r: pd.Series, m: pd.Series | None, day: str, window: tuple[int, int], estimation=(-15, -3)):
    """The CAR, its variance and t of one event, computed step by step as MacKinlay (1997) sets them out."""
    dates = list(r.index)
    p0 = next(i for i, d in enumerate(dates) if d >= pd.Timestamp(day))
    est = list(range(p0 + estimation[0], p0 + estimation[1] + 1))
    L1 = len(est)
    if m is None:
        mu = sum(r.iloc[i] for i in est) / L1
        sigma2 = sum((r.iloc[i] - mu) ** 2 for i in est) / (L1 - 1)
        car = 0.0
        for k in range(window[0], window[1] + 1):
            car += r.iloc[p0 + k] - mu
        L2 = window[1] - window[0] + 1
        var = sigma2 * (L2 + L2 * L2 / L1)
        return car, var, car / var ** 0.5, dates[p0]
    mbar = sum(m.iloc[i] for i in est) / L1
    rbar = sum(r.iloc[i] for i in est) / L1
    sxx = sum((m.iloc[i] - mbar) ** 2 for i in est)
    beta = sum((m.iloc[i] - mbar) * (r.iloc[i] - rbar) for i in est) / sxx
    alpha = rbar - beta * mbar
    sigma2 = sum((r.iloc[i] - alpha - beta * m.iloc[i]) ** 2 for i in est) / (L1 - 2)
    car, msum = 0.0, 0.0
    for k in range(window[0], window[1] + 1):
        car += r.iloc[p0 + k] - alpha - beta * m.iloc[p0 + k]
        msum += m.iloc[p0 + k]
    L2 = window[1] - window[0] + 1
    var = sigma2 * (L2 + L2 * L2 / L1 + (msum - L2 * mbar) ** 2 / sxx)
    return car, var, car / var ** 0.5, dates[p0], alpha, beta, sigma2


def test_constant_mean_matches_a_hand_computation():
    r = returns(PRICES)
    result = study_series(r, EVENTS, DESIGN)
    for window in DESIGN.windows:
        label = f"[{window[0]:+d},{window[1]:+d}]"
        rows = result.events[result.events["window"] == label].set_index("id")
        cars = []
        for event_id, day in zip(EVENTS["id"], EVENTS["date"]):
            car, var, t, day0 = hand_study(r, None, str(day.date()), window)
            assert rows.loc[event_id, "car"] == pytest.approx(car, abs=1e-10)
            assert rows.loc[event_id, "sd_car"] ** 2 == pytest.approx(var, abs=1e-10)
            assert rows.loc[event_id, "t"] == pytest.approx(t, abs=1e-10)
            assert rows.loc[event_id, "day0"] == day0.date()
            cars.append((car, var))
        summary = result.summary.set_index("window").loc[label]
        mean = (cars[0][0] + cars[1][0]) / 2
        sd = ((cars[0][0] - mean) ** 2 + (cars[1][0] - mean) ** 2) ** 0.5  # n - 1 = 1
        assert summary["mean_car"] == pytest.approx(mean, abs=1e-10)
        assert summary["t_cross"] == pytest.approx(mean / (sd / 2 ** 0.5), abs=1e-10)
        assert summary["j1"] == pytest.approx(mean / ((cars[0][1] + cars[1][1]) / 4) ** 0.5, abs=1e-10)
    assert result.events["day0"].iloc[1].isoformat() == "2024-03-11"  # Saturday 9 March -> Monday 11 March


def test_market_model_matches_a_hand_computation_and_statsmodels():
    r, m = returns(PRICES), returns(MARKET_PRICES)
    design = StudyDesign(windows=((0, 2),), estimation=(-15, -3), model="market", min_estimation=5, bootstrap=0)
    result = study_series(r, EVENTS, design, market=m).events.set_index("id")
    for event_id, day in zip(EVENTS["id"], EVENTS["date"]):
        car, var, t, _day0, alpha, beta, _sigma2 = hand_study(r, m, str(day.date()), (0, 2))
        assert result.loc[event_id, "car"] == pytest.approx(car, abs=1e-10)
        assert result.loc[event_id, "sd_car"] ** 2 == pytest.approx(var, abs=1e-10)
        assert result.loc[event_id, "t"] == pytest.approx(t, abs=1e-10)
        p0 = int(event_positions(r.index, [day])[0])
        window = slice(p0 - 15, p0 - 3 + 1)
        fit = sm.OLS(r.iloc[window].to_numpy(), sm.add_constant(m.iloc[window].to_numpy())).fit()
        assert result.loc[event_id, "alpha"] == pytest.approx(fit.params[0], abs=1e-12)
        assert result.loc[event_id, "beta"] == pytest.approx(fit.params[1], abs=1e-10)
        assert result.loc[event_id, "sigma"] ** 2 == pytest.approx(fit.mse_resid, abs=1e-12)
        assert alpha == pytest.approx(fit.params[0], abs=1e-12) and beta == pytest.approx(fit.params[1], abs=1e-10)


def test_patell_and_bmp_follow_their_definitions():
    r = returns(PRICES)
    result = study_series(r, EVENTS, StudyDesign(windows=((0, 2),), estimation=(-15, -3), min_estimation=5,
                                                 bootstrap=0))
    L1, L2 = 13, 3
    scars, csars = [], []
    for day in EVENTS["date"]:
        p0 = int(event_positions(r.index, [day])[0])
        est = r.iloc[p0 - 15:p0 - 2]
        mu, sigma = est.mean(), est.std(ddof=1)
        csar = sum((r.iloc[p0 + k] - mu) / (sigma * (1 + 1 / L1) ** 0.5) for k in range(3))
        csars.append(csar)
        scars.append(csar / L2 ** 0.5)
    summary = result.summary.iloc[0]
    assert summary["patell_z"] == pytest.approx(sum(csars) / (2 * L2 * (L1 - 1) / (L1 - 3)) ** 0.5, abs=1e-10)
    assert summary["bmp_t"] == pytest.approx(np.mean(scars) / (np.std(scars, ddof=1) / 2 ** 0.5), abs=1e-10)


def test_a_short_estimation_window_is_refused_not_nan():
    r = returns(PRICES)
    with pytest.raises(NotEnoughData, match="too short"):
        study_series(r, EVENTS, StudyDesign(windows=((0, 5),), estimation=(-5, -2)))
    with pytest.raises(NotEnoughData, match="estimation window too short"):  # the series starts too late
        study_series(r, EVENTS, StudyDesign(windows=((0, 5),), estimation=(-250, -11)))
    with pytest.raises(BadOption, match="must end before"):
        study_series(r, EVENTS, StudyDesign(windows=((-5, 5),), estimation=(-40, -3), min_estimation=5))


def test_events_outside_the_series_are_reported_and_the_rest_studied():
    r = returns(PRICES)
    events = pd.concat([EVENTS, pd.DataFrame({"id": ["late", "dup"], "date": pd.to_datetime(["2030-01-01",
                                                                                              "2024-03-10"]),
                                              "label": ["", ""]})], ignore_index=True)
    result = event_study({"x": r}, events, DESIGN)
    assert set(result.dropped["id"]) == {"late", "dup"}
    assert "same day 0" in result.dropped.set_index("id").loc["dup", "reason"]
    assert np.isfinite(result.events["car"]).all() and set(result.events["id"]) == {"a", "b"}


def test_bootstrap_interval_brackets_the_mean():
    r = returns(PRICES)
    summary = study_series(r, EVENTS, StudyDesign(windows=((0, 2),), estimation=(-15, -3), min_estimation=5,
                                                  bootstrap=500)).summary.iloc[0]
    assert summary["ci_low"] <= summary["mean_car"] <= summary["ci_high"]
    one = study_series(r, EVENTS.iloc[:1], StudyDesign(windows=((0, 2),), estimation=(-15, -3), min_estimation=5,
                                                        bootstrap=500)).summary.iloc[0]
    assert one["ci_low"] < one["mean_car"] < one["ci_high"] and "residuals" in one["ci_method"]
