"""Escalation per actor dyad and per storyline: conflict–cooperation balance, trend and a flag.

For each key (a dyad such as ``RUS~UKR``, or a storyline) and each day:

- **balance** — the Goldstein scores of the day's events (−10 most
  conflictual … +10 most cooperative; Goldstein 1992, as coded by CAMEO),
  summed, then carried forward with exponential decay of half-life
  ``half_life_days`` (default 7: a week-old clash weighs half as much as
  today's). Negative is net conflict. Only events the text holds to be
  facts count (asserted, reported), plus threats as stated (a THREATEN,
  MOBILIZE or COERCE event is itself a fact whatever it threatens);
- **trend** — the change of the balance over ``trend_days`` (default 7):
  negative means escalating;
- **z** — the day's Goldstein sum against the key's own trailing history
  (mean and standard deviation of the previous ``history_days`` days,
  default 90, of which at least ``min_history`` had events; the standard
  deviation is floored at ``min_std``, one Goldstein point, so a quiet
  history does not make every event a spike); **flag** is
  ``escalation`` when z ≤ −``z_flag`` (default 3), ``de-escalation`` when
  z ≥ +``z_flag``. This is the rolling z-score rule of early-warning
  monitors (e.g. the ICEWS/GDELT "spike" detectors), chosen over a
  change-point model because it updates in O(1) per day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FACT_MODALITIES = ("asserted", "reported")
THREAT_TYPES = ("THREATEN", "MOBILIZE", "COERCE")


@dataclass(frozen=True)
class EscalationParams:
    """Settings of the escalation signal (see the module docstring for their meaning)."""

    half_life_days: float = 7.0
    trend_days: int = 7
    history_days: int = 90
    min_history: int = 10
    min_std: float = 1.0
    z_flag: float = 3.0


def dyad(source: str | None, target: str | None) -> str | None:
    """The dyad key of two actor codes: their countries (or organisations), sorted (``RUS~UKR``)."""
    sides = []
    for code in (source, target):
        if not code or not isinstance(code, str):
            return None
        sides.append(code if code.startswith(("IGO", "NGO")) else code[:3])
    if sides[0] == sides[1]:
        return None
    return "~".join(sorted(sides))


def counted(events: pd.DataFrame) -> pd.DataFrame:
    """The events that count for escalation: facts, and threats whatever their modality."""
    keep = events["modality"].isin(FACT_MODALITIES) | events["event_type"].isin(THREAT_TYPES)
    return events[keep & events["goldstein"].notna() & events["event_date"].notna()]


def escalation(daily: pd.DataFrame, params: EscalationParams | None = None) -> pd.DataFrame:
    """Balance, trend, z and flag per key and day from ``daily`` (columns key, date, goldstein: the day's sum).

    Days without events are filled with 0 between a key's first and last day,
    so the decay and the history run on calendar days.
    """
    params = params or EscalationParams()
    columns = ["key", "date", "goldstein", "events", "balance", "trend", "z", "flag"]
    if daily.empty:
        return pd.DataFrame(columns=columns)
    keep = 0.5 ** (1.0 / params.half_life_days)
    frames = []
    for key, group in daily.groupby("key", sort=True):
        series = group.set_index(pd.to_datetime(group["date"]))["goldstein"].groupby(level=0).sum()
        counts = group.set_index(pd.to_datetime(group["date"]))["goldstein"].groupby(level=0).size()
        days = pd.date_range(series.index.min(), series.index.max(), freq="D")
        series = series.reindex(days, fill_value=0.0)
        counts = counts.reindex(days, fill_value=0)
        balance = np.empty(len(series))
        carried = 0.0
        for i, value in enumerate(series.to_numpy()):
            carried = carried * keep + value
            balance[i] = carried
        balance_series = pd.Series(balance, index=days)
        trend = balance_series - balance_series.shift(params.trend_days, fill_value=0.0)
        history = series.shift(1).rolling(params.history_days, min_periods=1)
        active = (counts.shift(1, fill_value=0) > 0).astype(float).rolling(params.history_days, min_periods=1).sum()
        mean, std = history.mean(), history.std().clip(lower=params.min_std)
        z = ((series - mean) / std).where(active >= params.min_history).fillna(0.0)
        flag = np.where(z <= -params.z_flag, "escalation", np.where(z >= params.z_flag, "de-escalation", ""))
        frames.append(pd.DataFrame({
            "key": key, "date": days.date, "goldstein": series.to_numpy(), "events": counts.to_numpy(),
            "balance": balance.round(4), "trend": trend.to_numpy().round(4), "z": z.to_numpy().round(3),
            "flag": flag,
        }))
    return pd.concat(frames, ignore_index=True)[columns]


def dyad_daily(events: pd.DataFrame) -> pd.DataFrame:
    """Daily Goldstein sums per dyad (key, date, goldstein) from event rows."""
    rows = counted(events)
    keys = [dyad(s, t) for s, t in zip(rows["source_actor"], rows["target_actor"])]
    frame = pd.DataFrame({"key": keys, "date": rows["event_date"].to_numpy(), "goldstein": rows["goldstein"].to_numpy()})
    return frame.dropna(subset=["key"])


def storyline_daily(events: pd.DataFrame) -> pd.DataFrame:
    """Daily Goldstein sums per storyline (key ``storyline:ID``) from event rows with a ``storyline_id``."""
    rows = counted(events.dropna(subset=["storyline_id"]))
    return pd.DataFrame({"key": "storyline:" + rows["storyline_id"].astype(str),
                         "date": rows["event_date"].to_numpy(), "goldstein": rows["goldstein"].to_numpy()})


def latest(frame: pd.DataFrame) -> pd.DataFrame:
    """Each key's last row, most escalated (lowest balance) first."""
    if frame.empty:
        return frame
    last = frame.sort_values("date").groupby("key", sort=False).tail(1)
    return last.sort_values(["balance", "key"]).reset_index(drop=True)
