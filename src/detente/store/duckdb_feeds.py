"""The state of watched feeds (``detente watch``), mixed into the store.

Portable SQL only (``?`` placeholders, no DuckDB functions), so the same
mixin serves the PostgreSQL backend.
"""

from __future__ import annotations

from ..records import FeedState

_FIELDS = tuple(FeedState.model_fields)


class FeedTables:
    """Read and replace rows of ``feed_state``; expects ``self.con`` (``execute`` with ``?`` placeholders)."""

    def feed_states(self) -> dict[str, FeedState]:
        """Return the stored state of every watched URL, by URL."""
        rows = self.con.execute(f"SELECT {', '.join(_FIELDS)} FROM feed_state ORDER BY url").fetchall()
        states = (FeedState(**dict(zip(_FIELDS, row))) for row in rows)
        return {state.url: state for state in states}

    def save_feed_state(self, state: FeedState) -> None:
        """Store ``state`` in place of the URL's previous one, in one transaction."""
        values = state.model_dump()
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM feed_state WHERE url = ?", [state.url])
            self.con.execute(
                f"INSERT INTO feed_state ({', '.join(_FIELDS)}) VALUES ({', '.join('?' for _ in _FIELDS)})",
                [values[name] for name in _FIELDS],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
