"""Feed subscriptions under ``/api/v1/feeds``: list them (a read), subscribe and unsubscribe (API key).

``detente watch`` polls the subscribed URLs besides those of its watch
file. A URL is checked here for its form only (http or https, a host, at
most ``MAX_FEED_URL`` characters); whether its address may be fetched
(private, loopback and link-local addresses are refused) is checked when it
is polled, since the name may resolve differently then.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from .. import api
from ..records import FeedState, FeedSubscription
from .access import database, handle, reader, writer
from .database import Database
from .schemas import MAX_FEED_URL, Error, FeedIn, FeedList, FeedOut

router = APIRouter(prefix="/api/v1",
                   responses={422: {"model": Error, "description": "an invalid body or parameter"}})
_WRITE_ERRORS = {401: {"model": Error, "description": "no API key, or a wrong or revoked one"},
                 503: {"model": Error, "description": "the server opened the database read-only"}}
_STATE_FIELDS = ("polls", "failures", "articles_added", "last_status", "last_error", "last_polled_at",
                 "next_poll_at")


def feed_out(subscription: FeedSubscription, state: FeedState | None) -> dict[str, Any]:
    """One subscription as ``FeedOut``: its fields and, once polled, its URL's ``feed_state``."""
    polled = {name: getattr(state, name) for name in _STATE_FIELDS} if state is not None else {}
    return {**subscription.model_dump(), **polled}


@router.get("/feeds", response_model=FeedList, dependencies=[Depends(reader)],
            responses={401: {"model": Error, "description": "reads need an API key here (DETENTE_API_READS)"}},
            summary="Subscribed feeds and pages, with their polling state")
def list_feeds(db: Annotated[api.Detente, Depends(handle)]) -> dict[str, Any]:
    """Every subscription, in URL order, with its polls, failures in a row, last error and next poll."""
    states = db.store.feed_states()
    items = [feed_out(subscription, states.get(subscription.url)) for subscription in db.store.subscriptions()]
    return {"count": len(items), "items": items}


@router.post("/feeds", response_model=FeedOut, status_code=201, responses=_WRITE_ERRORS,
             summary="Subscribe to a feed or page (needs an API key)")
def subscribe(body: FeedIn, key_name: Annotated[str, Depends(writer)],
              db: Annotated[api.Detente, Depends(handle)],
              served: Annotated[Database, Depends(database)]) -> dict[str, Any]:
    """Store the subscription (replacing an earlier one of the same URL); ``detente watch`` polls it."""
    subscription = FeedSubscription(
        url=body.url, source=body.source, kind=body.kind, interval_s=body.interval_s,
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0), created_by=key_name)
    with served.write_lock:
        db.store.subscribe(subscription)
        served.changed()
        state = db.store.feed_states().get(subscription.url)
    return feed_out(subscription, state)


@router.delete("/feeds", status_code=204, response_class=Response,
               responses={**_WRITE_ERRORS, 404: {"model": Error, "description": "no subscription to this URL"}},
               summary="Unsubscribe from a feed or page (needs an API key)")
def unsubscribe(url: Annotated[str, Query(min_length=1, max_length=MAX_FEED_URL, description="the subscribed URL")],
                key_name: Annotated[str, Depends(writer)], db: Annotated[api.Detente, Depends(handle)],
                served: Annotated[Database, Depends(database)]) -> Response:
    """Remove the subscription of ``url`` (its polling state stays, as for a URL dropped from a watch file)."""
    with served.write_lock:
        found = db.store.unsubscribe(url.strip())
        served.changed()
    if not found:
        raise HTTPException(404, f"no subscription to {url!r}")
    return Response(status_code=204)
