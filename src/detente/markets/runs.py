"""The edge of the markets stage: read prices, events and storylines from the store, run the pure functions.

``run_study`` resolves an event set and studies it on stored prices;
``run_betas`` regresses stored prices on a risk index; ``run_scenarios``
reads a storyline's state, computes its scenarios with their drivers and
asset impacts, and stores them in the ``scenarios`` table.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import BadOption, NotEnoughData, NotFound
from ..records import Scenario
from ..store import Store
from .betas import index_betas, rolling_betas
from .derived import period_steps
from .event_sets import dates_from_csv, dates_given, events_from_query, reference_episodes
from .event_study import StudyDesign, StudyResult, event_study
from .exposures import exposure_map
from .extra import stored_measures
from .impacts import scenario_impacts, weighted_impacts
from .loading import asset_name, stored_prices
from .scenarios import Factor, StorylineState, drivers, factors, probabilities, scenario_model
from .spikes import spike_days, spike_excess


def event_set(store: Store | None, *, events: str | None = None, dates: str | None = None,
              dates_file: str | Path | None = None, max_goldstein: float = -9.0) -> pd.DataFrame:
    """The events named by exactly one of ``events`` (a query), ``dates`` or ``dates_file``."""
    given = [x for x in (events, dates, dates_file) if x]
    if len(given) != 1:
        raise BadOption("name the events with exactly one of --events QUERY, --dates D1,D2 or --dates-file CSV")
    if events:
        return events_from_query(store, events, max_goldstein)
    return dates_given(dates) if dates else dates_from_csv(dates_file)


def asset_returns(store: Store, assets: list[str], kind: str = "log") -> tuple[dict[str, pd.Series], dict[str, str]]:
    """Returns (log or simple) of stored assets, each on its own calendar, and their frequencies.

    Yields and spreads (a unit in percent or bp, ``derived.measure_of``) give
    their changes in that unit instead: a spread's "return" is meaningless.
    """
    prices, frequencies = stored_prices(store, assets)
    measures = stored_measures(store)
    return {a: period_steps(p, measures.get(a, "return"), kind) for a, p in prices.items()}, frequencies


def run_study(store: Store, events: pd.DataFrame, assets: list[str], design: StudyDesign,
              market: str | None = None, kind: str = "log") -> StudyResult:
    """Event study of stored assets over an event set (see ``event_study.event_study``)."""
    if not assets:
        raise BadOption("name at least one asset (--asset brent)")
    series, frequencies = asset_returns(store, assets, kind)
    market_returns = None
    if design.model == "market":
        if not market:
            raise BadOption("--model market needs --market ASSET (e.g. spx)")
        market_returns = asset_returns(store, [market], kind)[0][asset_name(market)]
    return event_study(series, events, design, frequencies, market_returns)


def index_series(store: Store, scope: str, method: str, index_csv: str | Path | None = None,
                 column: str | None = None) -> pd.Series:
    """A daily risk index: the stored one of ``scope`` and ``method``, or a CSV's (date, value) column."""
    if index_csv:
        if Path(index_csv).suffix.lower() in (".xls", ".xlsx"):  # the published daily GPR (as cli_index reads it)
            frame = pd.read_excel(index_csv, engine="calamine")
        else:
            frame = pd.read_csv(index_csv, encoding="utf-8-sig")
        date_col = next((c for c in frame.columns if c.lower() == "date"),
                        next((c for c in frame.columns if c.lower() in ("day", "month")), frame.columns[0]))
        value_col = column or next(c for c in frame.columns if c != date_col)
        if value_col not in frame.columns:
            raise BadOption(f"--index-column {value_col!r} is not in {index_csv}")
        stamps = pd.to_datetime(frame[date_col], errors="coerce", dayfirst="/" in str(frame[date_col].iloc[0]))
        return pd.Series(pd.to_numeric(frame[value_col], errors="coerce").to_numpy(), index=stamps).dropna()
    from ..index.risk import index_frame

    frame = index_frame(store, scope, method, "D")
    return pd.Series(frame["index"].to_numpy(), index=pd.DatetimeIndex(frame["date"]))


def run_betas(store: Store, assets: list[str] | None = None, *, scope: str = "global", method: str = "combined",
              freq: str = "W", window: int = 52, step: int = 4, index_csv: str | Path | None = None,
              index_column: str | None = None) -> dict[str, pd.DataFrame]:
    """Betas of stored assets (all by default) on a risk index: ``betas`` (full sample) and ``rolling``."""
    loaded = store.price_series()
    names = [asset_name(a) for a in assets] if assets else loaded["asset"].tolist()
    if not names:
        raise NotEnoughData("no prices loaded; run `detente prices load FILE --asset NAME --unit UNIT`")
    series, frequencies = asset_returns(store, names)
    order = {"D": 0, "W": 1, "M": 2}
    usable = {a: r for a, r in series.items() if order.get(frequencies[a], 0) <= order[freq.upper()]}
    if not usable:
        raise NotEnoughData(f"no asset is sampled at least as often as --freq {freq}")
    index = index_series(store, scope, method, index_csv, index_column)
    mapping = exposure_map()
    channels = {a: mapping.channel_of(a) for a in usable}
    return {"betas": index_betas(usable, index, channels, freq.upper()),
            "rolling": rolling_betas(usable, index, freq.upper(), window, step)}


def run_spikes(store: Store, assets: list[str] | None = None, *, top: float = 0.01, market: str = "spy",
               on: str = "change", since: str | None = None, until: str | None = None,
               window: tuple[int, int] = (-1, 0),
               scope: str = "global", method: str = "combined", index_csv: str | Path | None = None,
               index_column: str | None = None) -> dict[str, object]:
    """Excess returns over ``market`` of stored daily assets (all by default) on the index's spike days
    (``spikes.spike_excess``): ``spikes`` (the table), ``days`` (the spike days), ``threshold``."""
    loaded = store.price_series()
    market = asset_name(market)
    names = [asset_name(a) for a in assets] if assets else loaded["asset"].tolist()
    names = list(dict.fromkeys([*names, market]))
    steps, frequencies = asset_returns(store, names)
    daily = {a: r for a, r in steps.items() if frequencies[a] == "D"}
    if market not in daily:
        raise BadOption(f"--market {market} is not a loaded daily series")
    index = index_series(store, scope, method, index_csv, index_column)
    days = spike_days(index, top, on, since, until)
    mapping = exposure_map()
    table = spike_excess(daily, stored_measures(store), daily[market], market, days,
                         {a: mapping.channel_of(a) for a in daily}, window, frozenset(mapping.computed()))
    return {"spikes": table, "days": days, "n_days": len(days), "on": on, "top": top, "window": window,
            "since": since, "until": until}


# -- scenarios -----------------------------------------------------------------------


@dataclass
class Outlook:
    """A storyline's scenarios with the factors behind them and the measured asset impacts."""

    storyline: dict[str, object]
    theme: str
    scenarios: list[Scenario]
    factors: list[Factor]
    expected: pd.DataFrame  # probability-weighted impact per asset
    analogues: pd.DataFrame  # the event-study rows of the analogues used
    computed_at: dt.datetime

    def as_dict(self) -> dict[str, object]:
        """The outlook as plain values (for ``--json``)."""
        return {"storyline": self.storyline, "theme": self.theme, "computed_at": self.computed_at,
                "scenarios": [s.model_dump() for s in self.scenarios],
                "factors": [f.__dict__ for f in self.factors],
                "expected": self.expected.astype(object).where(self.expected.notna(), None).to_dict("records"),
                "analogues": self.analogues.astype(object).where(self.analogues.notna(), None).to_dict("records")}


def storyline_state(store: Store, storyline_id: str, model: dict) -> StorylineState:
    """What the scenario model reads of a storyline: phase, escalation, register, ledger, intensity."""
    from ..index.monitor import escalation_frame

    found = store.storyline(storyline_id)
    if found is None:
        raise NotFound(f"no storyline {storyline_id!r}; `detente stories` lists them")
    row = found["storyline"].iloc[0]
    sid = row["id"]
    phases = found["phases"]
    evidence = tuple(json.loads(phases["evidence"].iloc[-1])) if len(phases) else ()
    phase_since = row["phase_since"] if pd.notna(row["phase_since"]) else None
    phase_since = pd.Timestamp(phase_since).date() if phase_since is not None else None
    rules = model["escalation"]
    trend = balance = None
    flag, day, escalation_ids = "", None, ()
    escalation = escalation_frame(store, by="storyline")
    mine = escalation[escalation["key"] == f"storyline:{sid}"] if not escalation.empty else escalation
    if not mine.empty:
        last = mine.sort_values("date").iloc[-1]
        trend, balance, flag, day = float(last["trend"]), float(last["balance"]), str(last["flag"] or ""), last["date"]
        events = found["events"].dropna(subset=["event_date", "goldstein"])
        recent = events[pd.to_datetime(events["event_date"]) > pd.Timestamp(day) - pd.Timedelta(days=rules["events_days"])]
        escalation_ids = tuple(recent.reindex(recent["goldstein"].abs().sort_values(ascending=False).index)["id"])
    articles = found["articles"].set_index("id")["published_at"]
    signals = found["signals"]
    register = signals[(signals["kind"] == "register") & signals["value"].notna()].copy()
    if not register.empty:
        register["published_at"] = register["article_id"].map(articles)
        start = pd.Timestamp(row["last_published"]) - pd.Timedelta(days=model["register"]["window_days"])
        register = register[register["published_at"] >= start]
    ledger = found["ledger"]
    current = ledger[ledger["current"]] if not ledger.empty else ledger
    statuses = {status: tuple(group["signal_id"]) for status, group in current.groupby("status")} if len(current) else {}
    events = found["events"].dropna(subset=["goldstein"])
    conflict = events[events["goldstein"] < 0]
    if phase_since is not None:
        events = events[pd.to_datetime(events["event_date"]) >= pd.Timestamp(phase_since) - pd.Timedelta(days=21)]
    cooperation = events[events["goldstein"] > 0]
    intensity = float(cooperation["goldstein"].mean()) if len(cooperation) else None
    return StorylineState(
        storyline_id=sid, label=row["label"], actors=tuple(json.loads(row["actors"])), phase=row["phase"] or None,
        phase_since=phase_since, phase_evidence=evidence, trend=trend, balance=balance, flag=flag,
        escalation_day=day, escalation_evidence=escalation_ids,
        register=float(register["value"].mean()) if len(register) else None,
        register_evidence=tuple(register["id"]), ledger=statuses, intensity=intensity,
        conflict_intensity=float(conflict["goldstein"].abs().mean()) if len(conflict) else None)


def analogue_candidates(store: Store, model: dict) -> pd.DataFrame:
    """Reference episodes and past phase changes of stored storylines, with class, theme and intensity."""
    mapping = exposure_map()
    reference = reference_episodes().assign(origin="reference")
    phases = store.phase_starts()
    classes = model["impacts"]["phase_classes"]
    phases = phases[phases["phase"].isin(list(classes))]
    stored = pd.DataFrame({
        "id": [f"phase:{s}:{d:%Y-%m-%d}" for s, d in zip(phases["storyline_id"], phases["phase_date"])],
        "date": pd.to_datetime(phases["phase_date"]),
        "label": [f"{p}: {lab}"[:80] for p, lab in zip(phases["phase"], phases["label"])],
        "class": phases["phase"].map(classes),
        "theme": [mapping.theme_of(json.loads(a)) for a in phases["actors"]],
        "intensity": phases["intensity"].astype(float), "source": "stored storyline phase change",
        "origin": "storyline"})
    keep = ["id", "date", "label", "class", "theme", "intensity", "source", "origin"]
    return pd.concat([reference[keep], stored[keep]], ignore_index=True)


def run_scenarios(store: Store, storyline_id: str, *, save: bool = True) -> Outlook:
    """Scenarios of a storyline with probabilities, drivers and asset impacts; stored unless ``save`` is False."""
    model = scenario_model()
    state = storyline_state(store, storyline_id, model)
    found = factors(state, model)
    chances = probabilities(found)
    mapping = exposure_map()
    theme = mapping.theme_of(state.actors)
    exposures = mapping.exposures(theme)
    loaded = set(store.price_series()["asset"])
    series, frequencies = asset_returns(store, [e.asset for e in exposures if e.asset in loaded]) \
        if loaded & {e.asset for e in exposures} else ({}, {})
    present = pd.Timestamp(state.phase_since) if state.phase_since else None
    intensities = {"de_escalation": state.intensity, "escalation": state.conflict_intensity}
    impacts, analogues = scenario_impacts(series, frequencies, analogue_candidates(store, model), model, exposures,
                                          theme, intensities, present)
    scenarios = [Scenario(storyline_id=state.storyline_id, name=name, probability=chances[name],
                          drivers=drivers(found, name), asset_impacts=tuple(impacts[name]))
                 for name in model["scenarios"]]
    computed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if save:
        store.write_scenarios(scenarios, computed_at)
    storyline = {"id": state.storyline_id, "label": state.label, "actors": list(state.actors), "phase": state.phase,
                 "phase_since": state.phase_since, "intensity": state.intensity,
                 "conflict_intensity": state.conflict_intensity}
    return Outlook(storyline, theme, scenarios, found, weighted_impacts(impacts, chances), analogues, computed_at)
