"""Reading endpoints under ``/api/v1``: articles, events, index, storylines, scenarios, alerts.

Each is a thin call to the ``Detente`` handle (``detente.api``); parameters
are validated here, before any query runs (422 with a message otherwise).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from .. import __version__
from ..api import Detente
from ..records import Modality
from .access import database, handle, reader
from .schemas import (
    MAX_PAGE,
    AlertRow,
    ArticleRow,
    Error,
    EventRow,
    Frames,
    Health,
    IndexSeries,
    Page,
    StorylineRow,
    records,
)

ERRORS = {status: {"model": Error, "description": why} for status, why in (
    (401, "reads need an API key here (DETENTE_API_READS)"), (404, "no such storyline"),
    (422, "a parameter is invalid; `error` says which and why"))}
router = APIRouter(prefix="/api/v1", dependencies=[Depends(reader)], responses=ERRORS)
Handle = Annotated[Detente, Depends(handle)]

STORYLINE_ID = r"^[A-Za-z0-9_-]{1,64}$"
Limit = Annotated[int, Query(ge=0, le=MAX_PAGE, description=f"rows per page, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
Since = Annotated[dt.date | None, Query(description="on or after this day (YYYY-MM-DD)")]
Until = Annotated[dt.date | None, Query(description="before this day (YYYY-MM-DD)")]
Actor = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{2,16}$", description="actor code or prefix: RUS, USAGOV")]
Scope = Annotated[str, Query(pattern=r"^(global|[A-Z]{3}|storyline:[A-Za-z0-9_-]{1,64})$",
                             description="global, an ISO3 country (RUS) or storyline:ID")]


class Method(StrEnum):
    """How the risk index is computed (see ``Detente.index``)."""

    classic = "classic"
    classic_and = "classic-and"
    events = "events"
    combined = "combined"


class Freq(StrEnum):
    """Index frequency: daily, weekly, monthly."""

    D = "D"
    W = "W"
    M = "M"


@router.get("/health", response_model=Health, summary="Is the server up, and what does it serve")
def health(request: Request, db: Handle) -> dict[str, Any]:
    """The package version, the schema version and whether the database is read-only."""
    return {"version": __version__, "schema_version": db.store.schema_version(),
            "read_only": database(request).read_only}


@router.get("/articles", response_model=Page[ArticleRow], summary="Search stored articles")
def articles(
    db: Handle,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="text in title or body")] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$", description="ISO 639 code: en")] = None,
    since: Since = None, until: Until = None, limit: Limit = 20, offset: Offset = 0,
) -> dict[str, Any]:
    """Articles newest first, filtered by text, source, language and publication dates."""
    frame = db.articles(q, source=source, language=language, since=since, until=until, limit=limit, offset=offset)
    return {"count": len(frame), "limit": limit, "offset": offset, "items": records(frame)}


@router.get("/events", response_model=Page[EventRow], summary="Coded events with their source sentence")
def events(
    db: Handle,
    actor: Actor = None,
    type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{2,24}$", description="PLOVER type: CONSULT, ASSAULT")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO3 of an actor or the place")] = None,
    modality: Modality | None = None,
    storyline: Annotated[str | None, Query(pattern=STORYLINE_ID, description="only events of this storyline")] = None,
    article: Annotated[str | None, Query(pattern=r"^[0-9a-f]{6,64}$", description="only events of this article")] = None,
    since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0,
) -> dict[str, Any]:
    """Events newest first, with character spans of trigger, source and target into ``sentence``."""
    frame = db.events(actor=actor, event_type=type, country=country, modality=modality and modality.value,
                      storyline=storyline, article_id=article, since=since, until=until, limit=limit, offset=offset)
    return {"count": len(frame), "limit": limit, "offset": offset, "items": records(frame)}


@router.get("/index", response_model=IndexSeries, summary="A risk-index series")
def index(
    request: Request, db: Handle, scope: Scope = "global", method: Method = Method.combined, freq: Freq = Freq.D,
    base_from: Annotated[dt.date | None, Query(description="first day of the base period (average = 100)")] = None,
    base_to: Annotated[dt.date | None, Query(description="last day of the base period")] = None,
) -> dict[str, Any]:
    """Index, threat and act components and article counts (Caldara & Iacoviello 2022 for ``classic``)."""
    base = (base_from, base_to) if base_from or base_to else None
    points = database(request).cached(("index", scope, method, freq, base), lambda: records(
        db.index(scope=scope, method=method.value, freq=freq.value, base=base)))
    return {"scope": scope, "method": method.value, "freq": freq.value, "points": points}


@router.get("/index/explain", response_model=Frames, summary="What moved the index on a day")
def explain(
    request: Request, db: Handle, day: Annotated[dt.date, Query(description="the day to explain")], scope: Scope = "global",
    method: Method = Method.combined,
) -> dict[str, Any]:
    """Tables ``summary``, ``articles`` (GPR words) and ``events`` (counted events), largest contribution first."""
    return database(request).cached(("explain", day, scope, method), lambda: {
        name: records(frame) for name, frame in db.explain(day, scope=scope, method=method.value).items()})


@router.get("/storylines", response_model=Page[StorylineRow], summary="Storylines, most recently active first")
def storylines(
    db: Handle, actor: Actor = None,
    phase: Annotated[str | None, Query(pattern=r"^[a-z_]{2,32}$", description="talks, negotiations, armed_conflict")] = None,
    min_articles: Annotated[int, Query(ge=1, le=1_000_000)] = 2, limit: Limit = 20,
) -> dict[str, Any]:
    """Storylines with label, phase, extent and main actors."""
    frame = db.stories(actor=actor, phase=phase, min_articles=min_articles, limit=limit)
    return {"count": len(frame), "limit": limit, "offset": 0, "items": records(frame)}


StorylineId = Annotated[str, Path(pattern=STORYLINE_ID, description="a storyline id (see /storylines)")]


@router.get("/storylines/{storyline_id}", response_model=Frames, summary="One storyline: timeline, phases, ledger")
def storyline(db: Handle, storyline_id: StorylineId) -> dict[str, Any]:
    """``storyline`` (one row), ``phases``, ``timeline`` (its events), ``articles``, ``signals`` and ``ledger``."""
    frames = db.story(storyline_id)
    found = {name: records(frame) for name, frame in frames.items()}
    found["storyline"] = found["storyline"][0] if found["storyline"] else None
    found["timeline"] = found.pop("events")
    return found


@router.get("/storylines/{storyline_id}/scenarios", response_model=Frames, summary="A storyline's scenarios")
def scenarios(request: Request, db: Handle, storyline_id: StorylineId) -> dict[str, Any]:
    """Four scenarios with probabilities, drivers and per-asset impacts from event studies (not stored)."""
    db.story(storyline_id)  # 404 for an unknown id before any computation
    return database(request).cached(("scenarios", storyline_id),
                                    lambda: db.scenarios(storyline_id, save=False).as_dict())


@router.get("/alerts", response_model=Page[AlertRow], summary="Fired alerts with their evidence")
def alerts(
    db: Handle, since: Since = None,
    rule: Annotated[str | None, Query(max_length=100, description="only this rule's alerts")] = None, limit: Limit = 50,
) -> dict[str, Any]:
    """Alerts newest first (``detente alerts --check`` evaluates the rules)."""
    frame = db.alerts(since=since, rule=rule, limit=limit)
    return {"count": len(frame), "limit": limit, "offset": 0, "items": records(frame)}
