"""``GET /api/v1/storylines/{id}/report``: the dated brief of ``detente report`` as HTML or Markdown.

The brief is built on a miss (scenarios and charts take a few seconds) and
its bytes cached per storyline, format and day (``Database.cached``, cleared
on the server's writes like every answer). Markdown carries its charts as
inline PNG data URIs, so the answer is one self-contained file.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from .access import database, reader
from .routes_read import ERRORS, StorylineId


class ReportFormat(StrEnum):
    """Formats the API serves a brief in (PDF: ``detente report --format pdf``)."""

    html = "html"
    md = "md"


MEDIA_TYPES = {ReportFormat.html: "text/html; charset=utf-8", ReportFormat.md: "text/markdown; charset=utf-8"}
router = APIRouter(prefix="/api/v1", dependencies=[Depends(reader)], responses=ERRORS)


@router.get("/storylines/{storyline_id}/report", response_class=Response,
            responses={200: {"description": "the brief", "content": {"text/html": {}, "text/markdown": {}}}},
            summary="A dated brief on one storyline (HTML or Markdown)")
def report(request: Request, storyline_id: StorylineId,
           format: Annotated[ReportFormat, Query(description="html or md")] = ReportFormat.html) -> Response:
    """What happened, index and phase, positions and ledger, scenarios and markets, with charts."""
    from ..report import build_report, collect, render

    served = database(request)
    dated = dt.datetime.now(dt.UTC).date()

    def write() -> bytes:
        with served.handle() as db:
            brief = build_report(collect(db, storyline_id), dated)
        return render(brief, format.value).document

    document = served.cached(("report", storyline_id, format.value, dated), write)
    return Response(document, media_type=MEDIA_TYPES[format])
