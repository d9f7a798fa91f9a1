"""``detente watch`` as a user runs it: bad watch files are one clear line and exit 1; a cycle prints JSON."""

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


def run(tmp_path, *args):
    command = [sys.executable, "-m", "detente", "--db", str(tmp_path / "w.duckdb"), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("text, message", [
    ("feeds: [https://a.example/\n", "not valid YAML at line 2"),
    ("feeds: [https://a.example/]\nintervall_s: 3\n", "intervall_s: Extra inputs are not permitted"),
    ("feeds: [file:///etc/passwd]\n", "feeds.0.url: only http and https"),
    ("feeds: [https://a.example/]\nallow_private: [everything]\n", None),  # a host name: allowed as such
    ("feeds: [https://a.example/]\nallow_private: ['10.0.0.0/99']\n", "allow_private"),
])
def test_a_bad_watch_file_is_one_line_and_exit_1(tmp_path, text, message):
    config = tmp_path / "feeds.yaml"
    config.write_text(text)
    if message is None:
        return
    done = run(tmp_path, "watch", "--config", config, "--once")
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: feeds.yaml") or done.stderr.startswith(f"error: {config}")
    assert message in " ".join(done.stderr.split()) and "Traceback" not in done.stderr


def test_a_missing_watch_file_and_a_bad_interval_exit_1(tmp_path):
    done = run(tmp_path, "watch", "--config", tmp_path / "nope.yaml")
    assert done.returncode == 1 and "no such watch file" in done.stderr
    (tmp_path / "ok.yaml").write_text("feeds: [https://a.example/]\n")
    assert run(tmp_path, "watch", "--config", tmp_path / "ok.yaml", "--interval", "0").returncode == 1


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(FIXTURES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_one_cycle_prints_its_summary_as_json_and_logs_each_poll(tmp_path, site):
    config = tmp_path / "feeds.yaml"
    config.write_text(f"allow_private: ['127.0.0.1/32']\npoliteness_s: 0\nfeeds:\n  - {site}/huffpost_world.rss\n"
                      f"  - {{url: '{site}/seed_article.html', kind: page}}\n  - {site}/missing.xml\n")
    done = run(tmp_path, "--json", "watch", "--config", config, "--once", "--no-stages")
    assert done.returncode == 0, done.stderr
    [cycle] = json.loads(done.stdout)
    assert (cycle["polled"], cycle["changed"], cycle["failed"], cycle["articles_added"]) == (3, 2, 1, 7)
    assert "fetched: " in done.stderr and f"poll failed: {site}/missing.xml: HTTP 404" in done.stderr
    again = run(tmp_path, "--json", "watch", "--config", config, "--once", "--no-stages", "--interval", "0.01")
    [cycle] = json.loads(again.stdout)
    assert cycle["articles_added"] == 0 and cycle["not_modified"] == 2  # Last-Modified from the file server


def test_once_polls_a_subscribed_feed_without_a_watch_file(tmp_path, site):
    import datetime as dt

    import detente
    from detente.records import FeedSubscription

    done = run(tmp_path, "watch", "--once")
    assert done.returncode == 1 and "nothing to watch" in done.stderr and "Traceback" not in done.stderr
    with detente.open(tmp_path / "w.duckdb") as db:
        db.store.subscribe(FeedSubscription(url=f"{site}/huffpost_world.rss", kind="feed", source="huffpost",
                                            created_at=dt.datetime(2026, 1, 1), created_by="tests"))
    command = [sys.executable, "-m", "detente", "--db", str(tmp_path / "w.duckdb"), "--json",
               "watch", "--once", "--no-stages"]
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin", "DETENTE_FETCH_ALLOW_PRIVATE": "127.0.0.1/32"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    assert done.returncode == 0, done.stderr
    [cycle] = json.loads(done.stdout)
    assert (cycle["polled"], cycle["changed"], cycle["failed"]) == (1, 1, 0) and cycle["articles_added"] > 0
    with detente.open(tmp_path / "w.duckdb") as db:
        assert db.store.feed_states()[f"{site}/huffpost_world.rss"].articles_added == cycle["articles_added"]
