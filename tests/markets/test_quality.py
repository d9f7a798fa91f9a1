"""The bad-print rule on small series, then on every real vendor series of the manifest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from detente.markets.derived import measure_of
from detente.markets.extra import default_manifest
from detente.markets.loading import PRESETS, read_price_table
from detente.markets.prices import clean_prices
from detente.markets.quality import bad_prints, screen_prices
from tests.markets.conftest import EXTRA, need_extra

USDRUB_BAD = {"2016-01-06": 0.7162, "2022-06-13": 110.6741, "2022-07-18": 110.6741, "2023-03-16": 5.0}


def walk(n: int = 300, seed: int = 1) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, n))), index=pd.bdate_range("2020-01-01", periods=n))


def test_an_isolated_spike_is_flagged_and_a_lasting_jump_is_not():
    prices = walk()
    spiked = prices.copy()
    spiked.iloc[150] = spiked.iloc[150] * 1.9  # jumps and comes straight back
    jumped = prices.copy()
    jumped.iloc[200:] = jumped.iloc[200:] * 1.9  # a repricing that lasts
    assert [f"{d:%Y-%m-%d}" for d in bad_prints(spiked)["date"]] == [f"{spiked.index[150]:%Y-%m-%d}"]
    assert bad_prints(jumped).empty and bad_prints(prices).empty


def test_crash_and_rebound_is_not_a_bad_print():
    prices = walk()
    prices.iloc[150:] *= 0.90  # −10 %, then +8 % the next day: SPY 2020-03-12/13
    prices.iloc[151:] *= 1.08
    assert bad_prints(prices).empty


def test_changes_of_yields_with_unchanged_quotes_do_not_explode():
    rng = np.random.default_rng(2)
    moves = np.where(rng.random(300) < 0.5, 0.0, rng.normal(0, 0.03, 300))  # half the days unchanged (O=H=L=C)
    moves[100:160] = 0.0  # a long run of repeats: the rolling MAD is 0 there
    yields = pd.Series(5 + np.cumsum(moves), index=pd.bdate_range("2020-01-01", periods=300))
    yields.iloc[161:] += 0.2  # a lasting move after the repeats: not a bad print
    assert bad_prints(yields, "change").empty
    yields.iloc[250] += 4.0  # a wrong print four points off
    assert list(bad_prints(yields, "change")["date"]) == [yields.index[250]]


def test_screen_reports_every_dropped_day():
    prices = walk()
    prices.iloc[100] = 0.0
    prices.iloc[150] *= 3
    clean = clean_prices(pd.DataFrame({"Date": [f"{d:%Y-%m-%d}" for d in prices.index],
                                       "Close": [f"{v}" for v in prices]}))
    screened = screen_prices(clean, "return")
    kinds = {r.kind: r.position for r in screened.repairs}
    assert kinds == {"zero_price": f"{prices.index[100]:%Y-%m-%d}", "bad_print": f"{prices.index[150]:%Y-%m-%d}"}
    assert len(screened.prices) == len(prices) - 2


def test_the_four_usdrub_prints_and_at_most_a_tenth_of_a_percent_elsewhere():
    need_extra()
    for asset, entry in default_manifest().items():
        path = EXTRA / str(entry["file"])
        if not entry.get("screen", True) or not path.is_file() or not path.resolve().is_relative_to(EXTRA):
            continue
        preset = PRESETS.get(str(entry.get("format", "")), {})
        clean = clean_prices(read_price_table(path, entry.get("format")), column=preset.get("column"),
                             date_format=preset.get("date_format"))
        series = pd.Series(clean.prices["value"].to_numpy(), index=pd.DatetimeIndex(clean.prices["date"]))
        found = bad_prints(series, measure_of(str(entry["unit"])))
        share = len(found) / len(series)
        print(f"bad prints {asset:16s} {len(found):2d} of {len(series):6,} days ({share:.3%}): "
              + ", ".join(f"{d:%Y-%m-%d} {v:g}" for d, v in zip(found["date"], found["value"])))
        if asset == "usdrub":
            flagged = {f"{d:%Y-%m-%d}": v for d, v in zip(found["date"], found["value"])}
            assert flagged.keys() == USDRUB_BAD.keys()
            assert all(flagged[d] == pytest.approx(v, rel=1e-4) for d, v in USDRUB_BAD.items())
        else:
            assert share <= 0.001, asset
