"""A real Détente API on 127.0.0.1: uvicorn in a thread over a small real DuckDB built once per session.

The database holds the seed article and the first HuffPost items of the
sample corpus, extracted, grouped into storylines, indexed and checked for
alerts, plus one API key.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
HUFFPOST_ITEMS = 150


@dataclass(frozen=True)
class Served:
    """A running server: where it listens, its database, an API key and a storyline to ask about."""

    base_url: str
    db_path: Path
    key: str
    storyline_id: str
    app: object


def build_database(path: Path) -> tuple[str, str]:
    """Build the test database at ``path``; return (an API key, the seed article's storyline id)."""
    import detente
    from detente.index.alerts import load_rules
    from detente.index.monitor import check_alerts
    from detente.serve.keys import create_key

    lines = (EXAMPLES / "news" / "huffpost_world_politics.jsonl").read_text(encoding="utf-8").splitlines()
    sample = path.parent / "huffpost_head.jsonl"
    sample.write_text("\n".join(lines[:HUFFPOST_ITEMS]) + "\n", encoding="utf-8")
    with detente.open(path) as db:
        db.ingest([sample], map="title=headline,body=short_description,published=date", source="huffpost")
        db.ingest([EXAMPLES / "articles"])
        db.extract()
        db.update_stories()
        db.update_index()
        check_alerts(db.store, load_rules(None))
        seed = db.articles(source="seed_article", limit=1)["id"][0]
        storyline = db.store.con.execute("SELECT storyline_id FROM storyline_articles WHERE article_id = ?",
                                         [seed]).fetchone()[0]
        return create_key(db.store, "tests"), storyline


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_health(port: int, process, seconds: float) -> httpx.Response | None:
    """Poll ``/api/v1/health`` on the loopback ``port`` until it answers, ``process`` (a ``Popen``) ends or
    ``seconds`` pass; the answer, or None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    return None


@contextmanager
def serving(app) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread on a free loopback port; yield its base URL, stop it afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory):
    """Start the app under uvicorn on a free loopback port; stop it when the session ends."""
    from detente.serve.app import create_app
    from detente.settings import Settings

    db_path = tmp_path_factory.mktemp("serve") / "api.duckdb"
    key, storyline = build_database(db_path)
    app = create_app(Settings(db=str(db_path), api_max_body_bytes=1_000_000, api_max_analyze_bytes=20_000))
    with serving(app) as base_url:
        yield Served(base_url, db_path, key, storyline, app)


@pytest.fixture
def client(served: Served):
    """An httpx client on the running server (60 s timeout: the first analysis loads spaCy)."""
    with httpx.Client(base_url=served.base_url, timeout=60) as session:
        yield session
