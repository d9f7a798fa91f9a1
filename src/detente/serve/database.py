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

Derived answers that are costly and change only when the database does (the
index series, an index explanation, scenarios) are cached per process. No
other process can write while the server holds the file, so the cache is
cleared on the server's own writes only.

On PostgreSQL (``--db postgresql://…``) other processes write too: each
request gets its own connection and answers are not cached.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

from ..api import Detente
from ..settings import Settings
from ..store import open_store
from ..store.duckdb_store import DuckDBStore
from .keys import KeyCache


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
        self._answers_lock = threading.Lock()

    def cached(self, key: Hashable, compute: Callable[[], object]) -> object:
        """The answer stored under ``key``, computing it on a miss (least recently used of 256 dropped);
        on PostgreSQL always computed."""
        if not self.caches_answers:
            return compute()
        with self._answers_lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute()
        with self._answers_lock:
            self._answers[key] = answer
            while len(self._answers) > 256:
                self._answers.popitem(last=False)
        return answer

    def changed(self) -> None:
        """Forget cached answers: the database was written."""
        with self._answers_lock:
            self._answers.clear()

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
