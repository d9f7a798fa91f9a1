"""The server's database: one DuckDB connection per process, one cursor per request.

DuckDB lets one process write a file, and a process holding it read-write
locks everyone else out. The server therefore opens the file once, at
start-up, and gives each request its own cursor on that connection (DuckDB's
way to use one database from several threads: each cursor runs its own
queries; reads see a consistent snapshot while a write is in progress).
Writes (``POST /articles``) take ``write_lock``, so there is one writer at a
time, as DuckDB wants. Opening the file per request instead would pay the
open and a cold cache on every read, and would still lock writers out.

With ``read_only`` the file is opened read-only: several server processes
(``--workers``) and ``detente`` read commands can share it; writes answer 503.

Answers change only when the database does, so they are cached per process:
derived values that are costly to compute (``cached``: the index series,
scenarios) and the serialized JSON bytes of whole GET answers (``answer``:
keyed by path and query, sent as they are, without re-validating or
re-encoding frames; most reads then cost well under a millisecond). No other
process can write while the server holds the file, so the cache is cleared on
the server's own writes only. It holds at most ``MAX_ANSWERS`` entries and
``MAX_ANSWER_BYTES`` of JSON, least recently used dropped first.

On PostgreSQL (``--db postgresql://…``) other processes write too: each
request gets its own connection and answers are not cached.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..api import Detente
from ..settings import Settings
from ..store import open_store
from ..store.duckdb_store import DuckDBStore
from .keys import KeyCache

#: Most cached answers per server process.
MAX_ANSWERS = 512
#: Most bytes of cached JSON answers per server process.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
_ORJSON = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def _encode_other(value: object) -> object:
    """JSON for what orjson does not encode itself: pandas timestamps (ISO 8601, as pydantic writes them),
    tuples of records, anything else as text."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return str(value)


def to_json(content: object) -> bytes:
    """``content`` as JSON bytes (orjson; NaN and None are null, timestamps ISO 8601)."""
    return orjson.dumps(content, default=_encode_other, option=_ORJSON)


def _size(answer: object) -> int:
    return len(answer) if isinstance(answer, bytes) else 0


class Database:
    """The database a server process serves, with per-request handles and the key cache."""

    def __init__(self, settings: Settings, *, read_only: bool = False) -> None:
        self.settings = settings
        self.read_only = read_only
        self.root = open_store(settings.db, read_only=read_only)
        # on PostgreSQL other processes write too, so answers are not cached (and a handle is a connection)
        self.caches_answers = isinstance(self.root, DuckDBStore)
        self.write_lock = threading.Lock()
        self.keys = KeyCache()
        self._answers: OrderedDict[Hashable, object] = OrderedDict()
        self._answer_bytes = 0
        self._answers_lock = threading.Lock()

    def cached(self, key: Hashable, compute: Callable[[], object]) -> object:
        """The answer stored under ``key``, computing it on a miss (least recently used dropped past
        ``MAX_ANSWERS`` entries or ``MAX_ANSWER_BYTES``); on PostgreSQL always computed."""
        if not self.caches_answers:
            return compute()
        with self._answers_lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute()
        with self._answers_lock:
            if key not in self._answers:
                self._answers[key] = answer
                self._answer_bytes += _size(answer)
            while len(self._answers) > MAX_ANSWERS or self._answer_bytes > MAX_ANSWER_BYTES:
                self._answer_bytes -= _size(self._answers.popitem(last=False)[1])
        return answer

    async def answer(self, request: Request, compute: Callable[[], object]) -> Response:
        """The JSON answer to this GET request: bytes cached per path and query (sorted), computed on a miss.

        A hit is answered on the event loop, with no thread; on a miss ``compute`` (blocking: it queries the
        store) runs in a worker thread and returns the answer's content, encoded once with orjson. The bytes
        are sent as they are, so the route's ``response_model`` documents the answer but does not re-validate it.
        """
        key = ("answer", request.url.path, tuple(sorted(request.query_params.multi_items())))
        with self._answers_lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
        if body is None:
            body = await run_in_threadpool(self.cached, key, lambda: to_json(compute()))
        return Response(body, media_type="application/json")

    def changed(self) -> None:
        """Forget cached answers: the database was written."""
        with self._answers_lock:
            self._answers.clear()
            self._answer_bytes = 0

    @contextmanager
    def handle(self) -> Iterator[Detente]:
        """A ``Detente`` handle on a fresh cursor of the shared connection, closed afterwards."""
        store = copy.copy(self.root)  # same class and url; only the connection differs
        store.con = self.root.con.cursor()
        try:
            yield Detente(store, self.settings)
        finally:
            store.con.close()

    def close(self) -> None:
        """Close the shared connection (at server shutdown)."""
        self.root.close()
