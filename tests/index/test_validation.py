"""Comparison with the published GPR: baseline, reference series, correlations, spikes."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats as scipy_stats

from detente.index.validation import (
    NAIVE_WORDS,
    Correlation,
    best,
    compare,
    correlate,
    effective_periods,
    largest_spikes,
    naive_components,
    naive_index,
    pearson_interval,
    reference_series,
    scorecards,
)


def test_naive_baseline_has_fifteen_words_and_counts_shares():
    assert len(NAIVE_WORDS) == 15
    days = pd.Series(pd.to_datetime(["2022-02-24", "2022-02-24", "2022-03-01"]))
    texts = pd.Series(["Russia's invasion of Ukraine", "A cake recipe", "Warfare? no: war."])
    counts = naive_components(days, texts)
    assert counts["naive"].tolist() == [1.0, 1.0] and counts["articles"].tolist() == [2.0, 1.0]
    monthly = naive_index(counts, "M")
    assert monthly.tolist() == pytest.approx([100 * 0.5 / 0.75, 100 * 1 / 0.75])
    assert naive_index(naive_components(days, pd.Series(["a", "b", "c"])), "M").tolist() == [0.0, 0.0]


def test_reference_moves_print_date_back_one_day():
    daily = pd.DataFrame({"date": pd.to_datetime(["2022-03-01", "2022-03-02"]), "GPRD": [300.0, 100.0],
                          "GPRD_THREAT": [1.0, 1.0], "GPRD_ACT": [2.0, 2.0]})
    monthly = reference_series(daily, "M")
    assert monthly.loc[pd.Timestamp("2022-02-01"), "GPRD"] == 300.0  # printed on 1 March: February's news
    assert monthly.loc[pd.Timestamp("2022-03-01"), "GPRD"] == 100.0


def test_correlation_is_none_not_nan_when_undefined():
    a = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.date_range("2022-01-01", periods=4, freq="MS"))
    assert correlate(a, a * 2) == (pytest.approx(1.0), pytest.approx(1.0), 4)
    assert correlate(a * 0, a) == (None, None, 4)
    assert correlate(a.head(2), a.head(2)) == (None, None, 2)
    assert pearson_interval(a * 0, a) is None and pearson_interval(a.head(3), a.head(3)) is None


def test_pearson_interval_brackets_the_correlation():
    index = pd.date_range("2018-01-01", periods=53, freq="MS")
    a = pd.Series([float((i * 7) % 11 + i % 3) for i in range(53)], index=index)
    b = a + pd.Series([float((i * 5) % 7) for i in range(53)], index=index)
    pearson = correlate(a, b)[0]
    low, high = pearson_interval(a, b)
    assert -1.0 < low < pearson < high < 1.0


def test_autocorrelated_series_get_fewer_effective_periods_and_a_wider_interval():
    """Two smooth series (an AR(1) walk each) are worth fewer independent months than white noise."""
    import numpy as np

    rng = np.random.default_rng(7)
    index = pd.date_range("2018-01-01", periods=60, freq="MS")
    shocks = rng.normal(size=(2, 60))
    smooth = np.zeros((2, 60))
    for t in range(1, 60):
        smooth[:, t] = 0.8 * smooth[:, t - 1] + shocks[:, t]
    a, b = pd.Series(smooth[0], index=index), pd.Series(smooth[0] + smooth[1], index=index)
    noise_a, noise_b = pd.Series(shocks[0], index=index), pd.Series(shocks[0] + shocks[1], index=index)
    assert effective_periods(a, b) < 0.55 * effective_periods(noise_a, noise_b)
    assert effective_periods(noise_a, noise_b) > 0.7 * 60
    independent = scipy_stats.pearsonr(a, b).confidence_interval()
    low, high = pearson_interval(a, b)
    assert low < independent.low and high >= independent.high - 1e-9


def test_compare_and_spikes():
    index = pd.date_range("2022-01-01", periods=4, freq="MS")
    frame = pd.DataFrame({"index": [1.0, 5.0, 2.0, 1.0], "threat": [1.0, 4.0, 2.0, 1.0], "act": [1.0, 6.0, 1.0, 1.0]},
                         index=index)
    reference = pd.DataFrame({"GPRD": [90.0, 300.0, 150.0, 100.0], "GPRD_THREAT": [1.0, 3.0, 2.0, 1.5],
                              "GPRD_ACT": [1.0, 4.0, 1.5, 1.2]}, index=index)
    correlations, spikes = compare({"events": frame}, frame["index"] * 0.5, reference, "M")
    assert {c.index for c in correlations} == {"naive", "events"}
    assert best(correlations).index == "events"
    assert spikes[0].top[0] == ("2022-02", 300.0)
    assert largest_spikes(frame["index"], "W", "x", k=1).top == (("2022-02-01", 5.0),)


def _figures(index: str, total: tuple, threat: tuple, act: tuple, freq: str = "M") -> list[Correlation]:
    return [Correlation(index, part, column, freq, *pair, 53)
            for part, column, pair in (("index", "GPRD", total), ("threat", "GPRD_THREAT", threat),
                                       ("act", "GPRD_ACT", act))]


def test_scorecards_report_every_index_against_the_targets_and_the_baseline():
    correlations = (_figures("naive", (0.80, 0.54), (0.74, 0.45), (0.77, 0.56))
                    + _figures("events", (0.90, 0.75), (0.80, 0.50), (0.78, 0.60))
                    + _figures("classic", (0.90, 0.75), (0.80, 0.40), (0.78, 0.60))  # threats: Spearman below
                    + _figures("combined", (0.95, 0.65), (0.80, 0.50), (0.78, (None)))
                    + _figures("events", (0.99, 0.99), (0.99, 0.99), (0.99, 0.99), freq="W"))
    cards = {c.index: c for c in scorecards(correlations, "M")}
    assert list(cards) == ["naive", "events", "classic", "combined"]
    assert cards["naive"].threat_beats_naive is None and not cards["naive"].meets_target
    assert cards["events"].threat_beats_naive and cards["events"].act_beats_naive and cards["events"].meets_target
    assert cards["classic"].threat_beats_naive is False and not cards["classic"].meets_target
    assert cards["combined"].act_beats_naive is None and not cards["combined"].meets_target  # Spearman 0.65 too
    assert cards["events"].total == (0.90, 0.75) and cards["events"].freq == "M"
    assert best(correlations, "M").index == "combined"  # by Pearson alone, reported beside the others
    assert [c.index for c in scorecards(correlations, "W")] == ["events"]
    assert scorecards([], "M") == []
