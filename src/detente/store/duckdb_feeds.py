"""The state of watched feeds (``detente watch``), mixed into the store.

Portable SQL only (``?`` placeholders, no DuckDB functions), so the same
mixin serves the PostgreSQL backend.
"""

from __future__ import annotations

from ..records import FeedState, FeedSubscription

_FIELDS = tuple(FeedState.model_fields)
_SUBSCRIPTION_FIELDS = tuple(FeedSubscription.model_fields)


class FeedTables:
    """Read and replace rows of ``feed_state`` and ``feed_subscriptions``; expects ``self.con`` (``execute`` with ``?`` placeholders)."""

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

    def subscriptions(self) -> list[FeedSubscription]:
        """Return every subscribed feed or page URL, in URL order."""
        rows = self.con.execute(
            f"SELECT {', '.join(_SUBSCRIPTION_FIELDS)} FROM feed_subscriptions ORDER BY url").fetchall()
        return [FeedSubscription(**dict(zip(_SUBSCRIPTION_FIELDS, row))) for row in rows]

    def subscribe(self, subscription: FeedSubscription) -> None:
        """Store ``subscription``, replacing any earlier one of the same URL, in one transaction."""
        values = subscription.model_dump()
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM feed_subscriptions WHERE url = ?", [subscription.url])
            self.con.execute(
                f"INSERT INTO feed_subscriptions ({', '.join(_SUBSCRIPTION_FIELDS)}) "
                f"VALUES ({', '.join('?' for _ in _SUBSCRIPTION_FIELDS)})",
                [values[name] for name in _SUBSCRIPTION_FIELDS],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def unsubscribe(self, url: str) -> bool:
        """Remove the subscription of ``url``; return whether there was one. Its ``feed_state`` row stays."""
        found = self.con.execute("SELECT COUNT(*) FROM feed_subscriptions WHERE url = ?", [url]).fetchone()[0]
        if found:
            self.con.execute("DELETE FROM feed_subscriptions WHERE url = ?", [url])
        return bool(found)
