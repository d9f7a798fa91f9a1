"""``detente serve --workers 2`` on PostgreSQL: several writable server processes share one database.

A real server process (the CLI) with two uvicorn workers on the session's throwaway PostgreSQL, over real
HTTP on loopback. DuckDB needs ``--read-only`` for that; PostgreSQL takes several writers, so both workers
write, and reads after a write see it whichever worker answers (PostgreSQL answers are never cached).
"""

from __future__ import annotations

import subprocess
import sys

import httpx

from tests.cli.test_cli import run
from tests.serve.conftest import free_port, wait_for_health

PLACES = ("Geneva", "Istanbul", "Riyadh", "Vienna", "Doha", "Oslo")


def test_two_writable_workers_on_postgresql_and_no_password_shown(pg_url):
    secret_url = pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@")  # trust auth ignores it
    key = run("keys", "create", "desk", db=secret_url, check_rc=0).stdout.strip()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "detente", "--db", secret_url, "serve", "--port", str(port),
                               "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        health = wait_for_health(port, server, 90)
        assert health is not None and health.status_code == 200, server.stderr and server.stderr.read()
        added = 0
        for n, place in enumerate(PLACES):  # a new connection each time: the kernel spreads them over both workers
            article = {"title": f"Envoys meet in {place}", "published": f"2025-12-{n + 1:02d}",
                       "body": f"Talks in {place}: {n + 2} delegations met on day {n + 1} of round {n * 7 + 3}.",
                       "url": f"https://example.org/talks-{place.lower()}"}
            sent = httpx.post(f"{base}/articles", headers={"X-API-Key": key}, timeout=30,
                              json={"articles": [article], "source": "wire"})
            assert sent.status_code == 201, sent.text
            added += sent.json()["articles_added"]
            listed = httpx.get(f"{base}/articles", params={"source": "wire"}, timeout=30).json()
            assert listed["count"] == added == n + 1  # every write is read back at once
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    assert "s3cret-pw" not in stderr and "postgres:***@127.0.0.1" in stderr


def test_several_workers_on_a_duckdb_file_still_need_read_only(tmp_path):
    done = run("serve", "--workers", "2", db=tmp_path / "one-writer.duckdb", check_rc=1)
    assert "needs --read-only" in done.stderr and "PostgreSQL" in done.stderr
