"""API keys (mixed into both stores through ``SqlStore``): only salted hashes are stored."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from ..errors import BadOption


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class KeyTables:
    """The ``api_keys`` table; expects ``self.con``."""

    con: duckdb.DuckDBPyConnection

    def add_api_key(self, name: str, key_id: str, salt: bytes, key_hash: bytes) -> None:
        """Store a new key under ``name`` (replacing a revoked one); raise ``BadOption`` if ``name`` has a live key."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            live = self.con.execute("SELECT count(*) FROM api_keys WHERE name = ? AND revoked_at IS NULL",
                                    [name]).fetchone()[0]
            if live:
                raise BadOption(f"a key named {name!r} exists; revoke it first (`detente keys revoke {name}`)")
            self.con.execute("DELETE FROM api_keys WHERE name = ?", [name])
            self.con.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)", [name, key_id, salt, key_hash, _now()])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def api_key(self, key_id: str) -> dict[str, object] | None:
        """The stored row (name, salt, key_hash, revoked_at) of the key with this public id, or None."""
        row = self.con.execute("SELECT name, salt, key_hash, revoked_at FROM api_keys WHERE key_id = ?",
                               [key_id]).fetchone()
        if row is None:
            return None
        return {"name": row[0], "salt": bytes(row[1]), "key_hash": bytes(row[2]), "revoked_at": row[3]}

    def revoke_api_key(self, name: str) -> bool:
        """Revoke the live key named ``name``; return False if there is none."""
        found = self.con.execute("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL "
                                 "RETURNING name", [_now(), name]).fetchall()
        return bool(found)

    def api_keys(self) -> pd.DataFrame:
        """Every key (name, key_id, created_at, revoked_at), oldest first; no hashes."""
        return self.con.execute("SELECT name, key_id, created_at, revoked_at FROM api_keys ORDER BY created_at, name").df()
