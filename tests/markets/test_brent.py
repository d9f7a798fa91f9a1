"""The real Brent series (EIA), constant-mean model, window [0,+5]: invasion up, Istanbul talks down."""

import pandas as pd
import pytest

from detente.markets.event_study import StudyDesign, study_series
from detente.markets.loading import read_price_table
from detente.markets.prices import clean_prices, returns
from tests.conftest import SHARED

DATES = {"2022-02-24": "invasion of Ukraine", "2022-03-29": "Istanbul talks", "2014-03-18": "annexation of Crimea",
         "2025-12-05": "Miami talks (the seed article)"}


@pytest.fixture(scope="module")
def brent() -> pd.Series:
    clean = clean_prices(read_price_table(SHARED / "markets" / "brent-daily.csv"))
    return returns(pd.Series(clean.prices["value"].to_numpy(), index=pd.DatetimeIndex(clean.prices["date"])))


def test_invasion_positive_and_istanbul_negative(brent):
    assert brent.index[-1] >= pd.Timestamp("2025-12-12"), "the Brent file must cover 2025-12-05 + 5 trading days"
    events = pd.DataFrame({"id": list(DATES), "date": pd.to_datetime(list(DATES)), "label": list(DATES.values())})
    result = study_series(brent, events, StudyDesign(windows=((0, 5),)), asset="brent")
    cars = result.events.set_index("id")
    for day, row in cars.iterrows():  # reported with -s: CAR and t of each date
        print(f"brent [0,+5] {day} {DATES[day]}: CAR {row['car']:+.4f} ({row['car']:+.2%}), t {row['t']:+.2f}")
    assert cars.loc["2022-02-24", "car"] > 0
    assert cars.loc["2022-03-29", "car"] < 0
    assert result.dropped.empty
