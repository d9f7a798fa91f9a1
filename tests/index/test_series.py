"""Resampling, base-period normalisation and sparklines of the index series."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from detente.errors import BadOption, NotEnoughData
from detente.index.series import METHODS, base_mean, period_start, risk_index, sparkline
from detente.store.duckdb_index import MEASURES


def components(values: dict[str, list[float]], articles: list[float], start: str = "2022-02-21") -> pd.DataFrame:
    index = pd.date_range(start, periods=len(articles), freq="D", name="date")
    frame = pd.DataFrame(0.0, index=index, columns=["articles", *MEASURES, *(f"global_{m}" for m in MEASURES)])
    frame["articles"] = articles
    for name, column in values.items():
        frame[name] = column
        frame[f"global_{name}"] = column
    return frame


def test_index_is_share_over_base_average():
    frame = components({"classic": [1, 2, 0, 4], "classic_threat": [1, 0, 0, 2], "classic_act": [0, 2, 0, 2]},
                       [10, 10, 10, 20])
    result = risk_index(frame, "classic")
    shares = [0.1, 0.2, 0.0, 0.2]
    assert result["index"].tolist() == pytest.approx([100 * s / (sum(shares) / 4) for s in shares])
    assert result["index"].mean() == pytest.approx(100.0)
    assert result["articles"].tolist() == [10, 10, 10, 20]


def test_weekly_share_comes_from_summed_counts_and_base_period_can_be_fixed():
    frame = components({"events": [1, 1, 1, 1, 1, 1, 1, 6]}, [10, 10, 10, 10, 10, 10, 10, 10], start="2022-02-21")
    weekly = risk_index(frame, "events", "W")
    assert list(weekly.index) == [pd.Timestamp("2022-02-21"), pd.Timestamp("2022-02-28")]
    assert weekly["index"].iloc[1] / weekly["index"].iloc[0] == pytest.approx(6.0)
    daily = risk_index(frame, "events", "D", base=(dt.date(2022, 2, 21), dt.date(2022, 2, 27)))
    assert daily["index"].iloc[0] == pytest.approx(100.0) and daily["index"].iloc[-1] == pytest.approx(600.0)


def test_scope_is_scaled_by_the_global_base():
    frame = components({"events": [2, 2]}, [10, 10])
    frame["events"] = [1.0, 0.0]  # the scope's own numerator; the global one stays 2 a day
    result = risk_index(frame, "events")
    assert result["index"].tolist() == pytest.approx([50.0, 0.0])


def test_no_geopolitical_content_is_a_clear_error_not_nan():
    with pytest.raises(NotEnoughData, match="no geopolitical content"):
        risk_index(components({}, [10, 10, 5]), "combined")
    with pytest.raises(NotEnoughData, match="no dated articles"):
        risk_index(components({}, []), "combined")
    with pytest.raises(NotEnoughData):
        base_mean(pd.Series([1.0], index=pd.DatetimeIndex(["2022-01-01"])), (dt.date(2023, 1, 1), None))


def test_sub_index_without_any_event_is_zero_and_one_day_is_100():
    result = risk_index(components({"combined": [3], "combined_threat": [3]}, [10]), "combined")
    assert result["index"].tolist() == [100.0] and result["act"].tolist() == [0.0]
    assert not result.isna().any().any()


def test_bad_options():
    with pytest.raises(BadOption):
        period_start(pd.Series(pd.to_datetime(["2022-01-01"])), "Q")
    with pytest.raises(BadOption):
        risk_index(components({}, [1]), "magic")
    assert set(METHODS) <= {m for m in MEASURES}


def test_sparkline():
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 5, 5]) == "▁▁▁"
    assert sparkline([1, None, float("nan"), 3]) == "▁  █"
    assert sparkline([]) == ""
