"""Price files: both forms, every repair reported, what cannot be repaired refused; loading is idempotent."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import AmbiguousDates, PriceFileError
from detente.markets.loading import load_prices, read_price_table
from detente.markets.prices import align, clean_prices, event_positions, returns
from detente.store import open_store
from tests.conftest import SHARED


def table(text: str) -> pd.DataFrame:
    from io import StringIO

    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def kinds(clean) -> dict[str, int]:
    return clean.repair_counts()


def test_a_messy_file_becomes_a_clean_series_with_its_repairs():
    clean = clean_prices(table(
        'Date,Price\n2022-01-05,10\n2022-01-03,9.5\n2022-01-04,abc\n2022-01-04,9.8\n2022-01-05,10\n'
        '2022-01-06,"1,234.5"\nnot a date,3\n2022-02-01,11\n2022-02-02,\n2022-02-03,-1\n'))
    assert kinds(clean) == {"unsorted": 1, "non_numeric": 2, "duplicate": 1, "bad_date": 1, "gap": 1,
                            "non_positive": 1}
    assert clean.prices["date"].is_monotonic_increasing and clean.prices["date"].is_unique
    assert clean.prices.set_index("date").loc["2022-01-06", "value"] == 1234.5
    where = {(r.kind, r.position) for r in clean.repairs}
    assert {("non_numeric", "line 4"), ("non_numeric", "line 10"), ("bad_date", "line 8")} <= where


def test_conflicting_duplicates_keep_the_last_and_say_so():
    clean = clean_prices(table("Date,Price\n2022-01-03,1\n2022-01-04,2\n2022-01-04,3\n"))
    assert kinds(clean) == {"duplicate_conflict": 1}
    assert clean.prices["value"].tolist() == [1.0, 3.0]


def test_yahoo_form_takes_adj_close_and_other_date_formats_are_read():
    yahoo = clean_prices(table("Date,Open,High,Low,Close,Adj Close,Volume\n"
                               "2024-01-02,1,1,1,10,9,100\n2024-01-03,1,1,1,11,10,100\n"))
    assert yahoo.column == "Adj Close" and yahoo.prices["value"].tolist() == [9.0, 10.0]
    vendor = clean_prices(table('Date,Price,Open,High,Low,Vol.,Change %\n6/13/25,38.155,37.5,38.4,37.1,4.25K,5.47%\n'
                                '6/12/25,36.177,36.1,36.5,35.7,8.20K,0.74%\n6/11/25,35.9,1,1,1,1K,1%\n'))
    assert vendor.date_format == "%m/%d/%y" and kinds(vendor) == {"date_format": 1, "unsorted": 1}
    assert str(vendor.prices["date"].iloc[0].date()) == "2025-06-11"
    monthly = clean_prices(table("Date,Price\n2020-01,1\n2020-02,2\n2020-03,3\n"))
    assert monthly.frequency == "M"


def test_what_cannot_be_repaired_is_refused_clearly():
    with pytest.raises(PriceFileError, match="at least two"):
        clean_prices(table("Date,Price\n2022-01-03,1\n"))
    with pytest.raises(PriceFileError, match="at least two"):
        clean_prices(table("Date,Price\n2022-01-03,x\n2022-01-04,y\n"))
    with pytest.raises(AmbiguousDates, match="--date-format"):
        clean_prices(table("Date,Price\n03/04/2022,1\n04/05/2022,2\n"))
    assert clean_prices(table("Date,Price\n03/04/2022,1\n04/05/2022,2\n"), date_format="%d/%m/%Y").frequency == "M"
    with pytest.raises(PriceFileError, match="no price column"):
        clean_prices(table("Date,Open\n2022-01-03,1\n2022-01-04,2\n"))
    with pytest.raises(PriceFileError, match="no date could be read"):
        clean_prices(table("Date,Price\nfoo,1\nbar,2\n"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), min_size=1, max_size=12))
def test_any_cells_give_a_series_or_a_clear_error(rows):
    raw = pd.DataFrame(rows, columns=["Date", "Price"])
    try:
        clean = clean_prices(raw)
    except PriceFileError:
        return
    assert len(clean.prices) >= 2 and clean.prices["date"].is_monotonic_increasing
    assert np.isfinite(clean.prices["value"]).all()


def test_returns_alignment_and_event_days():
    prices = pd.Series([100.0, 110.0, -5.0, 121.0], index=pd.bdate_range("2024-01-01", periods=4))
    log = returns(prices)
    assert list(log.index.day) == [2, 4] and log.iloc[1] == pytest.approx(np.log(121 / 110))
    assert returns(prices, "simple").iloc[0] == pytest.approx(0.1)
    wide = align({"a": prices, "b": prices.iloc[1:]})
    assert len(wide) == 3 and len(align({"a": prices, "b": prices.iloc[1:]}, "outer")) == 4
    calendar = pd.bdate_range("2024-01-01", periods=10)
    assert event_positions(calendar, ["2024-01-06", "2024-01-02"]).tolist() == [5, 1]  # Saturday -> Monday
    months = pd.date_range("2024-01-01", periods=4, freq="MS")
    assert event_positions(months, ["2024-02-24"], "M").tolist() == [1]


def test_loading_is_idempotent_and_keeps_repairs(tmp_path):
    source = tmp_path / "gas.csv"
    source.write_text("Date,Price\n2024-01-02,2.5\n2024-01-03,\n2024-01-04,2.7\n2024-01-05,2.6\n")
    store = open_store(tmp_path / "db.duckdb")
    first = load_prices(store, source, "Henry-Hub", "USD/MMBtu")
    again = load_prices(store, source, "henry_hub", "USD/MMBtu")
    assert (first.asset, first.added, first.already_stored) == ("henry_hub", 3, 0)
    assert (again.added, again.already_stored, again.conflicts) == (0, 3, 0)
    assert len(store.price_repairs("henry_hub")) == 1 and len(store.prices(["henry_hub"])) == 3
    source.write_text("Date,Price\n2024-01-02,9\n2024-01-08,3\n")
    changed = load_prices(store, source, "henry_hub", "USD/MMBtu")
    assert (changed.added, changed.conflicts) == (1, 1)  # a new date added; a different value kept as stored
    assert store.price_series().set_index("asset").loc["henry_hub", "rows"] == 4
    parquet = tmp_path / "gas.parquet"
    pd.DataFrame({"Date": pd.bdate_range("2024-02-01", periods=3), "Close": [1.0, 2.0, 3.0]}).to_parquet(parquet)
    assert load_prices(store, parquet, "gas2", "USD").added == 3
    store.close()


def test_the_shared_series_load_without_code_changes():
    for name, column in (("brent-daily.csv", "Price"), ("extra/PL10Y.csv", "Close"), ("extra/LDO.MI.csv", "Adj Close"),
                         ("extra/raw/ttf_investing_export_2019_2025.csv", "Price")):
        clean = clean_prices(read_price_table(SHARED / "markets" / name))
        assert clean.column == column and len(clean.prices) > 1000
