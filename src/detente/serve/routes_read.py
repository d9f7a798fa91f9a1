"""Reading endpoints under ``/api/v1``: articles, events, index, storylines, scenarios, alerts.

Each is a thin call to the ``Detente`` handle (``detente.api``); parameters
are validated here, before any query runs (422 with a message otherwise).
Answers are JSON bytes cached per path and query (``Database.answer``): a
repeated read costs no query, no frame and no re-validation, and opens no
cursor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

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


async def _answer(request: Request, compute: Callable[[Detente], object]) -> Response:
    """The cached JSON answer to ``request``; on a miss ``compute`` runs in a thread on a handle of its own."""
    served = database(request)

    def run() -> object:
        with served.handle() as db:
            return compute(db)

    return await served.answer(request, run)


def _page(frame, limit: int, offset: int = 0) -> dict[str, Any]:
    """A list endpoint's page of ``frame``'s rows."""
    return {"count": len(frame), "limit": limit, "offset": offset, "items": records(frame)}


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
    combined_and = "combined-and"


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
async def articles(
    request: Request,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="text in title or body")] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$", description="ISO 639 code: en")] = None,
    since: Since = None, until: Until = None, limit: Limit = 20, offset: Offset = 0,
) -> Response:
    """Articles newest first, filtered by text, source, language and publication dates."""
    return await _answer(request, lambda db: _page(db.articles(q, source=source, language=language, since=since,
                                                         until=until, limit=limit, offset=offset), limit, offset))


@router.get("/events", response_model=Page[EventRow], summary="Coded events with their source sentence")
async def events(
    request: Request,
    actor: Actor = None,
    type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{2,24}$", description="PLOVER type: CONSULT, ASSAULT")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO3 of an actor or the place")] = None,
    modality: Modality | None = None,
    storyline: Annotated[str | None, Query(pattern=STORYLINE_ID, description="only events of this storyline")] = None,
    article: Annotated[str | None, Query(pattern=r"^[0-9a-f]{6,64}$", description="only events of this article")] = None,
    since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0,
) -> Response:
    """Events newest first, with character spans of trigger, source and target into ``sentence``."""
    return await _answer(request, lambda db: _page(db.events(
        actor=actor, event_type=type, country=country, modality=modality and modality.value, storyline=storyline,
        article_id=article, since=since, until=until, limit=limit, offset=offset), limit, offset))


@router.get("/index", response_model=IndexSeries, summary="A risk-index series")
async def index(
    request: Request, scope: Scope = "global", method: Method = Method.combined, freq: Freq = Freq.D,
    base_from: Annotated[dt.date | None, Query(description="first day of the base period (average = 100)")] = None,
    base_to: Annotated[dt.date | None, Query(description="last day of the base period")] = None,
) -> Response:
    """Index, threat and act components and article counts (Caldara & Iacoviello 2022 for ``classic``)."""
    base = (base_from, base_to) if base_from or base_to else None
    return await _answer(request, lambda db: {
        "scope": scope, "method": method.value, "freq": freq.value,
        "points": records(db.index(scope=scope, method=method.value, freq=freq.value, base=base))})


@router.get("/index/explain", response_model=Frames, summary="What moved the index on a day")
async def explain(
    request: Request, day: Annotated[dt.date, Query(description="the day to explain")], scope: Scope = "global",
    method: Method = Method.combined,
) -> Response:
    """Tables ``summary``, ``articles`` (GPR words) and ``events`` (counted events), largest contribution first."""
    return await _answer(request, lambda db: {
        name: records(frame) for name, frame in db.explain(day, scope=scope, method=method.value).items()})


@router.get("/storylines", response_model=Page[StorylineRow], summary="Storylines, most recently active first")
async def storylines(
    request: Request, actor: Actor = None,
    phase: Annotated[str | None, Query(pattern=r"^[a-z_]{2,32}$", description="talks, negotiations, armed_conflict")] = None,
    min_articles: Annotated[int, Query(ge=1, le=1_000_000)] = 2, limit: Limit = 20,
) -> Response:
    """Storylines with label, phase, extent and main actors."""
    return await _answer(request, lambda db: _page(db.stories(actor=actor, phase=phase, min_articles=min_articles,
                                                        limit=limit), limit))


StorylineId = Annotated[str, Path(pattern=STORYLINE_ID, description="a storyline id (see /storylines)")]


@router.get("/storylines/{storyline_id}", response_model=Frames, summary="One storyline: timeline, phases, ledger")
async def storyline(request: Request, storyline_id: StorylineId) -> Response:
    """``storyline`` (one row), ``phases``, ``timeline`` (its events), ``articles``, ``signals`` and ``ledger``."""
    return await _answer(request, lambda db: _storyline(db, storyline_id))


def _storyline(db: Detente, storyline_id: str) -> dict[str, Any]:
    found = {name: records(frame) for name, frame in db.story(storyline_id).items()}
    found["storyline"] = found["storyline"][0] if found["storyline"] else None
    found["timeline"] = found.pop("events")
    return found


@router.get("/storylines/{storyline_id}/scenarios", response_model=Frames, summary="A storyline's scenarios")
async def scenarios(request: Request, storyline_id: StorylineId) -> Response:
    """Four scenarios with probabilities, drivers and per-asset impacts from event studies (not stored)."""
    return await _answer(request, lambda db: _scenarios(db, storyline_id))


def _scenarios(db: Detente, storyline_id: str) -> dict[str, object]:
    db.story(storyline_id)  # 404 for an unknown id before any computation
    return db.scenarios(storyline_id, save=False).as_dict()


@router.get("/alerts", response_model=Page[AlertRow], summary="Fired alerts with their evidence")
async def alerts(
    request: Request, since: Since = None,
    rule: Annotated[str | None, Query(max_length=100, description="only this rule's alerts")] = None, limit: Limit = 50,
) -> Response:
    """Alerts newest first (``detente alerts --check`` evaluates the rules)."""
    return await _answer(request, lambda db: _page(db.alerts(since=since, rule=rule, limit=limit), limit))
