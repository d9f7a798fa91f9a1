"""API keys: ``dtk_<id>_<secret>``, of which only a salted scrypt hash is stored.

The public ``id`` finds the key's row; the secret is checked against
``scrypt(secret, salt)`` (RFC 7914, stdlib ``hashlib.scrypt``) in constant
time. A key is printed once, when it is created, and cannot be shown again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time

from ..errors import BadOption
from ..store import Store

PREFIX = "dtk"
#: scrypt cost: 2**14 × 8 × 128 bytes = 16 MiB and ~30 ms a check (RFC 7914's interactive setting).
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
_KEY = re.compile(rf"{PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_-]{{43}})")


def hash_secret(secret: str, salt: bytes) -> bytes:
    """The stored form of a key's secret: scrypt(secret, salt), 32 bytes."""
    return hashlib.scrypt(secret.encode(), salt=salt, maxmem=64 * 2**20, **SCRYPT)


def create_key(store: Store, name: str) -> str:
    """Create a key named ``name``, store its hash and return the key (the only time it is seen)."""
    if not _NAME.fullmatch(name):
        raise BadOption(f"key name {name!r}: use 1–64 letters, digits, '_', '.', '@' or '-'")
    key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_bytes(16)
    store.add_api_key(name, key_id, salt, hash_secret(secret, salt))
    return f"{PREFIX}_{key_id}_{secret}"


def revoke_key(store: Store, name: str) -> None:
    """Revoke the live key ``name``; raise ``BadOption`` if there is none."""
    if not store.revoke_api_key(name):
        raise BadOption(f"no live key named {name!r}; `detente keys list` shows them")


def check_key(store: Store, key: str | None) -> str | None:
    """The name of the live key ``key``, or None if it is missing, malformed, unknown, revoked or wrong."""
    found = _KEY.fullmatch(key or "")
    if not found:
        return None
    row = store.api_key(found.group(1))
    if row is None or row["revoked_at"] is not None:
        return None
    if not hmac.compare_digest(hash_secret(found.group(2), row["salt"]), row["key_hash"]):
        return None
    return str(row["name"])


class KeyCache:
    """Remembers keys checked good for ``seconds``, so scrypt runs once per key and not per request.

    Holds SHA-256 digests of keys, never the keys. A key revoked while the
    server runs is refused once its entry expires.
    """

    def __init__(self, seconds: float = 60.0) -> None:
        self.seconds = seconds
        self._good: dict[bytes, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def check(self, store: Store, key: str | None) -> str | None:
        """The key's name if it is live (see ``check_key``), else None."""
        if not key:
            return None
        digest = hashlib.sha256(key.encode()).digest()
        now = time.monotonic()
        with self._lock:
            hit = self._good.get(digest)
        if hit and now - hit[1] < self.seconds:
            return hit[0]
        name = check_key(store, key)
        with self._lock:
            if name is None:
                self._good.pop(digest, None)
            else:
                if len(self._good) > 1000:
                    self._good.clear()
                self._good[digest] = (name, now)
        return name
