"""The extra vendor series loaded by the manifest: repairs, halts, the investing.com export, February 2022, spikes.

Read from ../shared/data/markets/extra (skipped with a message when absent).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import detente
from detente.markets.extra import run_moves
from detente.markets.loading import load_prices
from detente.markets.runs import run_spikes
from tests.cli.test_cli import run
from tests.conftest import SHARED
from tests.markets.conftest import EXTRA, need_extra

GPRD = SHARED / "reference" / "gpr_daily_recent.xls"
#: The signs of 2022-02-23 → 2022-03-08, close to close (the invasion and the first two weeks of war).
FEB_2022 = {"brent": 1, "wheat": 1, "defence_basket": 1, "ba.l": 1, "pl_de_10y": 1, "hu_de_10y": 1,
            "stoxx50": -1, "eurusd": -1}


def test_every_series_loads_screened_with_baskets_and_spreads(extra_db):
    path, done = extra_db
    loaded = {x.asset: x for x in done.loads}
    assert len(loaded) >= 30 and not done.skipped
    usdrub = [r for r in loaded["usdrub"].repairs if r.kind == "bad_print"]
    assert [r.position for r in usdrub] == ["2016-01-06", "2022-06-13", "2022-07-18", "2023-03-16"]
    computed = {c["asset"]: c for c in done.computed}
    assert set(computed) == {"defence_basket", "pl_de_10y", "hu_de_10y", "ro_de_10y"}
    assert computed["defence_basket"]["missing"] == [] and computed["pl_de_10y"]["unit"] == "bp"
    with detente.open(path, read_only=True) as db:
        stored = db.prices(["usdrub", "imoex", "ux", "pl_de_10y", "pl10y", "de10y"])
        repairs = db.price_repairs("usdrub")
    rub = stored[stored["asset"] == "usdrub"].set_index("date")["value"]
    assert rub.min() > 20 and rub.max() < 140  # the 0.716, 5.0 and 110.67 prints are not stored
    assert set(repairs[repairs["kind"] == "bad_print"]["position"]) == {"2016-01-06", "2022-06-13", "2022-07-18",
                                                                        "2023-03-16"}
    by = {a: g.set_index(pd.to_datetime(g["date"]))["value"] for a, g in stored.groupby("asset")}
    spread = by["pl_de_10y"].loc["2022-02-23"]
    assert spread == pytest.approx((by["pl10y"].loc["2022-02-23"] - by["de10y"].loc["2022-02-23"]) * 100)


def test_trading_halts_are_gaps_not_zeros(extra_db):
    _, done = extra_db
    loaded = {x.asset: x for x in done.loads}
    for asset, start, end in (("imoex", "2022-02-25", "2022-03-24"), ("ux", "2022-02-23", "2022-08-10")):
        gaps = [r.position for r in loaded[asset].repairs if r.kind == "gap"]
        assert f"{start} … {end}" in gaps, (asset, gaps)
        assert not [r for r in loaded[asset].repairs if r.kind == "zero_price"]


def test_the_investing_export_loads_through_the_same_loader(tmp_path):
    need_extra()
    with detente.open(tmp_path / "ttf.duckdb") as db:
        load = load_prices(db.store, EXTRA / "raw" / "ttf_investing_export_2019_2025.csv", "ttf", "EUR/MWh",
                           format="investing", screen=True)
        prices = db.prices(["ttf"]).set_index("date")["value"]
    assert load.column == "Price" and load.date_format == "%m/%d/%y"
    assert {r.kind for r in load.repairs} >= {"unsorted", "date_format"} and load.first == "2019-01-02"
    assert load.last == "2025-06-13" and prices.iloc[-1] == pytest.approx(38.155)


def test_february_2022_signs_close_to_close(extra_db):
    path, _ = extra_db
    with detente.open(path, read_only=True) as db:
        moves = run_moves(db.store, "2022-02-23", "2022-03-08").set_index("asset")
    for asset, row in moves.iterrows():  # reported with -s for the README table
        shown = f"{row['move']:+.1f} {row['unit']}" if row["measure"] == "change" else \
            f"{row['move']:+.4f} log ({row['simple']:+.2%})"
        print(f"Feb 2022 {row['channel']:17s} {asset:15s} {row['start_date']} {row['start_value']:.6g} → "
              f"{row['end_date']} {row['end_value']:.6g}: {shown}")
    for asset, sign in FEB_2022.items():
        assert moves.loc[asset, "start_date"] == pd.Timestamp("2022-02-23").date(), asset
        assert moves.loc[asset, "end_date"] == pd.Timestamp("2022-03-08").date(), asset
        assert moves.loc[asset, "move"] * sign > 0, (asset, moves.loc[asset, "move"])


def test_lmt_over_spy_on_the_published_gprd_spikes(extra_db):
    path, _ = extra_db
    with detente.open(path, read_only=True) as db:
        found = run_spikes(db.store, ["lmt", "defence_basket", "ba.l", "brent", "stoxx50"], top=0.01, market="spy",
                           since="2007-01-01", index_csv=GPRD, index_column="GPRD")
        level = run_spikes(db.store, ["lmt"], top=0.01, market="spy", on="level", since="2007-01-01",
                           index_csv=GPRD, index_column="GPRD")
    table = found["spikes"].set_index("name")
    for name, row in table.iterrows():
        print(f"GPRD top 1% by change since 2007, window [-1,0]: {name} over SPY {row['mean']:+.4f} "
              f"t {row['t']:+.2f} N {row['n']}")
    lmt_level = level["spikes"].set_index("name").loc["lmt"]
    print(f"GPRD top 1% by level since 2007: lmt over SPY {lmt_level['mean']:+.4f} t {lmt_level['t']:+.2f} "
          f"N {lmt_level['n']}")
    assert found["n_days"] >= 50
    assert table.loc["lmt", "mean"] > 0 and table.loc["lmt", "t"] > 2


def test_lmt_over_spy_replicates_before_2007_with_the_definition_fixed(extra_db):
    """The spike definition (top 1 % by daily change, window [-1,0] for GPRD's print-date lag) was settled on
    2007 on; 1993-02 (SPY's first month) to 2006 was not looked at then: a held-out period, with its own top 1 %."""
    path, _ = extra_db
    with detente.open(path, read_only=True) as db:
        found = run_spikes(db.store, ["lmt"], top=0.01, market="spy", since="1993-02-01", until="2006-12-31",
                           index_csv=GPRD, index_column="GPRD")
    lmt = found["spikes"].set_index("name").loc["lmt"]
    print(f"GPRD top 1% by change 1993-02..2006, window [-1,0]: lmt over SPY {lmt['mean']:+.4f} t {lmt['t']:+.2f} "
          f"N {lmt['n']} positive {lmt['positive']:.0%}")
    assert found["n_days"] >= 40 and all(pd.Timestamp("1993-02-01") <= d <= pd.Timestamp("2006-12-31")
                                         for d in found["days"])
    assert lmt["mean"] > 0 and lmt["t"] > 1.6  # measured: +1.33 %, t 1.88 (one-sided p about 0.03), N 49


def test_cli_load_extra_moves_and_spikes(tmp_path):
    need_extra()
    db = tmp_path / "cli.duckdb"
    loaded = json.loads(run("--json", "prices", "load-extra", EXTRA, "--only", "pl10y", "--only", "de10y",
                            "--only", "usdrub", db=db, check_rc=0).stdout)
    assert {x["asset"] for x in loaded["loads"]} == {"pl10y", "de10y", "usdrub"}
    assert [c["asset"] for c in loaded["computed"]] == ["pl_de_10y"]
    assert {s["asset"] for s in loaded["skipped"]} >= {"defence_basket", "hu_de_10y"}
    text = run("prices", "moves", "--from", "2022-02-23", "--to", "2022-03-08", db=db, check_rc=0).stdout
    assert "pl_de_10y" in text and "bp" in text
    moves = json.loads(run("--json", "prices", "moves", "--from", "2022-02-23", "--to", "2022-03-08",
                           db=db, check_rc=0).stdout)
    assert {m["asset"]: m["measure"] for m in moves}["pl_de_10y"] == "change"
    ttf = json.loads(run("--json", "prices", "load", EXTRA / "raw" / "ttf_investing_export_2019_2025.csv", "--asset",
                         "ttf", "--unit", "EUR/MWh", "--format", "investing", "--screen", db=db, check_rc=0).stdout)
    assert ttf["column"] == "Price" and ttf["rows_clean"] == 1623 and ttf["last"] == "2025-06-13"
    bad = run("betas", "--spikes", "0.01", "--market", "nothing", "--index-csv", GPRD, "--index-column", "GPRD",
              db=db, check_rc=1)
    assert "nothing" in bad.stdout + bad.stderr
    held_out = json.loads(run("--json", "betas", "--spikes", "0.01", "--since", "2010-01-01", "--until", "2015-12-31",
                              "--market", "usdrub", "--index-csv", GPRD, "--index-column", "GPRD", db=db,
                              check_rc=0).stdout)
    assert held_out["until"] == "2015-12-31" and "2010-01-01" <= min(held_out["days"]) <= max(held_out["days"]) \
        <= "2015-12-31"
