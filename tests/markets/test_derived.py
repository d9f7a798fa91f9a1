"""Baskets, spreads, measures and moves on hand-computed series."""

import math

import numpy as np
import pandas as pd
import pytest

from detente.errors import BadOption, NotEnoughData
from detente.markets.derived import basket_level, measure_of, spread_bp, window_moves
from detente.markets.exposures import exposure_map, parse_exposure_map
from detente.markets.spikes import spike_days, window_sums


def days(*text):
    return pd.DatetimeIndex(list(text))


def test_basket_is_the_equal_weight_mean_of_member_returns_on_their_own_calendars():
    a = pd.Series([100.0, 110.0, 121.0], index=days("2022-01-03", "2022-01-04", "2022-01-05"))
    b = pd.Series([50.0, 45.0], index=days("2022-01-03", "2022-01-05"))  # no quote on the 4th
    level = basket_level({"a": a, "b": b})
    assert level.loc["2022-01-03"] == 100.0
    assert level.loc["2022-01-04"] == pytest.approx(110.0)  # only a trades: +10 %
    assert level.loc["2022-01-05"] == pytest.approx(110.0 * (1 + (0.10 - 0.10) / 2))  # a +10 %, b −10 % over 2 days


def test_spread_in_basis_points_and_measured_by_changes():
    pl = pd.Series([4.0, 4.5, 4.6], index=days("2022-01-03", "2022-01-04", "2022-01-05"))
    de = pd.Series([0.1, -0.1], index=days("2022-01-03", "2022-01-05"))
    spread = spread_bp(pl, de)
    assert list(spread.index) == list(days("2022-01-03", "2022-01-05")) and list(spread) == pytest.approx([390, 470])
    assert measure_of("bp") == measure_of("percent") == "change" and measure_of("USD/bbl") == "return"
    moves = window_moves({"s": spread, "p": pl}, {"s": "change", "p": "return"}, "2022-01-03", "2022-01-06")
    row = moves.set_index("asset")
    assert row.loc["s", "move"] == pytest.approx(80) and math.isnan(row.loc["s", "simple"])
    assert row.loc["p", "move"] == pytest.approx(math.log(4.6 / 4.0))


def test_exposure_map_defines_the_computed_assets_and_every_channel_of_the_war():
    mapping = exposure_map()
    computed = mapping.computed()
    assert computed["defence_basket"] == ("basket", ["lmt", "noc", "rtx", "gd", "ba.l", "ho.pa", "ldo.mi", "rhm.de",
                                                     "ita", "xar", "ppa"])
    assert computed["hu_de_10y"] == ("spread", ["hu10y", "de10y"])
    exposed = {e.asset for e in mapping.exposures("russia_ukraine")}
    assert exposed >= {"brent", "ttf", "wheat", "corn", "defence_basket", "gold", "vix", "stoxx50", "eurusd",
                       "usdrub", "usduah", "pl_de_10y", "hu_de_10y", "ro_de_10y"}
    assert {"war_in_europe", "middle_east", "us_china"} <= set(mapping.themes)
    assert mapping.theme_of(["CHN", "USA"]) == "us_china"
    with pytest.raises(BadOption, match="exactly two"):
        parse_exposure_map("channels: {x: y}\nassets: {s: {channel: x, spread: [a]}}\nthemes: {default: {}}\n")


def test_spike_days_and_windows():
    rng = np.random.default_rng(3)
    index = pd.Series(100 + rng.normal(0, 1, 200).cumsum(), index=pd.date_range("2020-01-01", periods=200))
    index.iloc[50:] += 100  # one jump, lasting
    found = spike_days(index, 0.01)
    assert index.index[50] in found and len(found) == 2  # the top 1 % of 199 changes
    early = spike_days(index, 0.05, until="2020-02-29")  # a sub-period ranks its own days: the jump is its top
    assert index.index[50] in early and len(early) == 3 and max(early) <= pd.Timestamp("2020-02-29")
    with pytest.raises(NotEnoughData, match="to 2020-01-10"):
        spike_days(index, 0.05, until="2020-01-10")
    steps = pd.Series(1.0, index=pd.bdate_range("2020-01-01", periods=10))
    sums = window_sums(steps, days("2020-01-04", "2020-01-06", "2020-01-01"), (-1, 0))  # a Saturday → Monday
    assert list(sums.index) == list(days("2020-01-06")) and list(sums) == [2.0]  # the 1st has no day −1
