"""The escalation signal on hand-made daily Goldstein sums: decay, trend, z-score flags, dyads."""

import datetime as dt

import pandas as pd

from detente.index.escalation import EscalationParams, counted, dyad, escalation, latest

D = dt.date(2022, 1, 1)


def daily(key, values):
    return pd.DataFrame({"key": key, "date": [D + dt.timedelta(days=i) for i in range(len(values))],
                         "goldstein": values})


def test_dyads_are_sorted_country_pairs_and_organisations_stay_whole():
    assert dyad("UKRGOV", "RUSMIL") == "RUS~UKR"
    assert dyad("IGOWSTNAT", "RUS") == "IGOWSTNAT~RUS"
    assert dyad("RUSGOV", "RUSMIL") is None and dyad(None, "RUS") is None


def test_balance_decays_with_the_half_life():
    frame = escalation(daily("A~B", [-10.0] + [0.0] * 7), EscalationParams(half_life_days=7))
    assert frame["balance"].iloc[0] == -10.0
    assert abs(frame["balance"].iloc[7] - -5.0) < 1e-3
    assert frame["trend"].iloc[7] > 0  # conflict fading: de-escalating


def test_a_day_far_beyond_its_own_history_is_flagged():
    quiet = [1.0 if i % 2 else 2.0 for i in range(60)]
    frame = escalation(daily("A~B", quiet + [-30.0]))
    assert frame["flag"].iloc[-1] == "escalation" and frame["z"].iloc[-1] < -3
    assert set(frame["flag"].iloc[:-1]) == {""}


def test_no_flag_without_enough_history_and_no_nan():
    frame = escalation(daily("A~B", [0.0, 0.0, -30.0]))
    assert frame["flag"].iloc[-1] == "" and not frame.isna().any().any()
    assert escalation(pd.DataFrame()).empty


def test_only_facts_and_threats_count():
    events = pd.DataFrame({
        "event_date": [D] * 3, "goldstein": [-10.0, -7.0, 3.0],
        "modality": ["hypothetical", "future", "negated"], "event_type": ["ASSAULT", "THREATEN", "CONSULT"]})
    assert list(counted(events)["event_type"]) == ["THREATEN"]


def test_latest_ranks_the_most_conflictual_first():
    frame = pd.concat([escalation(daily("A~B", [5.0])), escalation(daily("C~D", [-5.0]))])
    assert list(latest(frame)["key"]) == ["C~D", "A~B"]
