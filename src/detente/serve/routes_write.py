"""Endpoints that take a body: ``POST /api/v1/analyze`` (open like reads) and ``POST /api/v1/articles`` (API key)."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from .. import api
from .access import database, handle, reader, writer
from .database import Database
from .schemas import AnalyzeIn, AnalyzeOut, ArticlesIn, Error, IngestOut

router = APIRouter(prefix="/api/v1", responses={422: {"model": Error, "description": "an invalid body or parameter"}})
_analysis_lock = threading.Lock()  # one spaCy run at a time: CPU-bound, and the pipeline is shared


def warm_up() -> None:
    """Load the extraction pipeline once (seconds), so requests do not wait for it."""
    with _analysis_lock:
        api.analyze("Warm-up: the envoy met the minister.", "2025-01-01")


def _dump(items: list) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in items]


@router.post("/analyze", response_model=AnalyzeOut, dependencies=[Depends(reader)],
             responses={413: {"model": Error, "description": "text past DETENTE_API_MAX_ANALYZE_BYTES"}},
             summary="Code one text: actors, events, signals")
def analyze(body: AnalyzeIn) -> dict[str, Any]:
    """Sentences, actor mentions, coded events and signals of one text, without storing anything."""
    with _analysis_lock:
        found = api.analyze(body.text, body.published)
    return {"text": found.text, "published": found.published, "skipped_reason": found.skipped_reason,
            "sentences": _dump(found.sentences), "mentions": _dump(found.mentions), "events": _dump(found.events),
            "signals": _dump(found.signals)}


@router.post("/articles", response_model=IngestOut, status_code=201,
             responses={401: {"model": Error, "description": "no API key, or a wrong or revoked one"},
                        413: {"model": Error, "description": "body past DETENTE_API_MAX_BODY_BYTES"},
                        503: {"model": Error, "description": "the server opened the database read-only"}},
             summary="Ingest articles (needs an API key)")
def ingest_articles(body: ArticlesIn, key_name: Annotated[str, Depends(writer)],
                    db: Annotated[api.Detente, Depends(handle)],
                    served: Annotated[Database, Depends(database)]) -> dict[str, Any]:
    """Store new articles (duplicates skipped, bad ones kept as rejects); extraction runs with ``detente extract``."""
    rows = [article.model_dump(exclude_none=True) for article in body.articles]
    with served.write_lock:
        summary = db.ingest_rows(rows, origin=f"api:{key_name}", source=body.source, dedupe=body.dedupe)
        served.changed()
    return {"key": key_name, **{k: v for k, v in summary.as_dict().items() if k in IngestOut.model_fields}}
