"""Response bodies of the endpoints the dashboard reads (``routes_views.py``): escalation ranking, countries,
a storyline's event study."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .schemas import EventRow, Row


class EscalationRow(Row):
    """A dyad's or storyline's latest escalation state (Goldstein balance, decayed; see ``index.escalation``)."""

    key: str = Field(description="a dyad (RUS~UKR) or storyline:ID")
    date: str = Field(description="the key's last day with data")
    events: int = Field(description="counted events on that day")
    goldstein: float = Field(description="the day's Goldstein sum")
    balance: float = Field(description="decayed Goldstein balance (half-life 7 days); negative is net conflict")
    trend: float = Field(description="change of the balance over 7 days; negative is escalating")
    z: float = Field(description="the day's sum against the key's trailing 90 days")
    flag: str = Field(description="escalation, de-escalation or empty")
    storyline_id: str | None = Field(default=None, description="the storyline of a storyline:ID key")
    label: str | None = Field(default=None, description="the storyline's label")
    phase: str | None = Field(default=None, description="the storyline's current phase")
    n_articles: int | None = Field(default=None, description="the storyline's articles")


class Escalation(BaseModel):
    """Keys ranked by escalation: lowest balance (most conflictual) first."""

    by: str
    days: int = Field(description="activity window: keys with events in the last `days` days of data")
    count: int
    items: list[EscalationRow]


class CountryCount(BaseModel):
    """A country (ISO3 code and name) and how many counted events name it as source or target."""

    code: str
    name: str
    events: int


class Countries(BaseModel):
    """Countries the stored events name, most events first."""

    count: int
    items: list[CountryCount]


class ExposedAsset(BaseModel):
    """An asset of the exposure map under a theme, with its expected signs and whether prices are loaded."""

    asset: str
    channel: str
    label: str
    unit: str
    escalation: int = Field(description="expected sign on escalation: +1 up, -1 down, 0 no prior")
    de_escalation: int = Field(description="expected sign on de-escalation")
    loaded: bool = Field(description="prices of this asset are stored")


class Country(BaseModel):
    """A country's view: its exposure-map theme, exposed assets and most conflictual events."""

    code: str
    name: str | None = Field(description="the country's name, if the code is an ISO3 country")
    theme: str
    exposures: list[ExposedAsset]
    top_events: list[EventRow] = Field(description="its events, lowest Goldstein (most conflictual) first")


class StudyPathPoint(Row):
    """One event day (period) of an asset's mean abnormal-return path."""

    asset: str
    tau: int = Field(description="days (or periods, for monthly series) from the event")
    mean_ar: float | None
    mean_car: float | None
    band: float | None = Field(description="half-width of the 95% band of the mean CAR (estimation variance)")
    n: int


class Study(BaseModel):
    """An event study of the storyline's exposed assets (MacKinlay 1997, constant-mean model) around its event
    days; ``message`` says why there is nothing to plot, when there is not."""

    storyline_id: str
    events: str = Field(description="the event set: conflict (ASSAULT/FIGHT at Goldstein ≤ -9) or phases")
    theme: str
    window: list[int]
    assets: list[str] = Field(description="exposed assets with stored prices")
    frequencies: dict[str, str] = Field(description="D (days) or M (months) per asset")
    message: str | None
    event_set: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    paths: list[StudyPathPoint]
