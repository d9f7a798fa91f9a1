"""``detente keys create|revoke|list`` and ``detente serve`` as a user runs them: real processes, a real DuckDB file."""

from __future__ import annotations

import json
import re

from tests.cli.test_cli import run


def test_keys_create_list_revoke(tmp_path):
    db = tmp_path / "keys.duckdb"
    created = run("keys", "create", "feeds-bot", db=db, check_rc=0)
    key = created.stdout.strip()
    assert re.fullmatch(r"dtk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", key) and "shown only now" in created.stderr
    assert "exists" in run("keys", "create", "feeds-bot", db=db, check_rc=1).stderr
    listed = json.loads(run("--json", "keys", "list", db=db, check_rc=0).stdout)
    assert [(k["name"], k["revoked_at"]) for k in listed] == [("feeds-bot", None)] and "key" not in listed[0]

    import detente
    from detente.serve.keys import check_key

    with detente.open(db) as handle:
        assert check_key(handle.store, key) == "feeds-bot"
        assert check_key(handle.store, key[:-2] + "AA") is None
        stored = handle.store.con.execute("SELECT key_hash FROM api_keys").fetchone()[0]
    secret = key.split("_", 2)[2]
    assert len(stored) == 32 and secret.encode() not in db.read_bytes()  # only the hash is stored

    assert "revoked" in run("keys", "revoke", "feeds-bot", db=db, check_rc=0).stderr
    assert "no live key" in run("keys", "revoke", "feeds-bot", db=db, check_rc=1).stderr
    with detente.open(db, read_only=True) as handle:
        assert check_key(handle.store, key) is None
    assert "use 1–64 letters" in run("keys", "create", "two words", db=db, check_rc=1).stderr
    assert "needs --read-only" in run("serve", "--workers", "2", db=db, check_rc=1).stderr


def test_serve_answers_over_http_until_stopped(tmp_path):
    import subprocess
    import sys

    import httpx

    from tests.serve.conftest import free_port, wait_for_health

    db = tmp_path / "serve.duckdb"
    run("keys", "create", "robot", db=db, check_rc=0)  # creates the database
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "detente", "--db", str(db), "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        health = wait_for_health(port, server, 60)
        assert health is not None and health.json()["schema_version"] >= 7, server.stderr
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/events", timeout=10).json()["count"] == 0
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/api/v1" in stderr
