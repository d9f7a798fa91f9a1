"""Who may call what: reads open to loopback clients by default, writes only with an API key."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import HTTPException, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from ..api import Detente
from .database import Database

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False,
    description="An API key from `detente keys create NAME`; needed to write, and to read when "
                "DETENTE_API_READS=key (or from another machine with the default `localhost`).",
)
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def database(request: Request) -> Database:
    """The app's ``Database``."""
    return request.app.state.database


def handle(request: Request) -> Iterator[Detente]:
    """A per-request ``Detente`` handle (a cursor of the shared connection)."""
    with database(request).handle() as db:
        yield db


def _key_name(request: Request, key: str | None) -> str:
    if not key:
        raise HTTPException(401, "this needs an API key in the X-API-Key header (`detente keys create NAME`)",
                            headers={"WWW-Authenticate": "X-API-Key"})
    served = database(request)
    with served.handle() as db:
        name = served.keys.check(db.store, key)
    if name is None:
        raise HTTPException(401, "the API key is unknown, revoked or wrong", headers={"WWW-Authenticate": "X-API-Key"})
    return name


async def reader(request: Request, key: str | None = Security(api_key_header)) -> None:
    """Allow a read: always (``open``), from loopback clients (``localhost``), or with a key (``key``).

    Async, so that a read answered from the cache never waits for a worker thread (under load, a thread hop per
    request queues behind the GIL); only the key check, which may query the store, runs in a thread.
    """
    mode = database(request).settings.api_reads
    if mode == "open":
        return
    if mode == "localhost" and request.client is not None and request.client.host in _LOOPBACK:
        return
    await run_in_threadpool(_key_name, request, key)


def writer(request: Request, key: str | None = Security(api_key_header)) -> str:
    """Allow a write only with a live API key; return the key's name. 503 on a read-only server."""
    name = _key_name(request, key)
    if database(request).read_only:
        raise HTTPException(503, "this server opened the database read-only (--read-only); it cannot write")
    return name
