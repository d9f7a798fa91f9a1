"""``detente demo`` ends by serving the dashboard on the demo data and printing its URL (a real process)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys

import httpx

from tests.serve.conftest import EXAMPLES, free_port, wait_for_health


def small_corpus(directory):
    """The sample corpus layout ``detente demo --data`` reads, with 40 HuffPost items to stay quick."""
    news = directory / "news"
    news.mkdir(parents=True)
    lines = (EXAMPLES / "news" / "huffpost_world_politics.jsonl").read_text(encoding="utf-8").splitlines()
    (news / "huffpost_world_politics.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "news" / "messy_sample.jsonl", news)
    shutil.copytree(EXAMPLES / "articles", directory / "articles")
    return directory


def test_demo_serves_the_dashboard_until_interrupted(tmp_path):
    port = free_port()
    data = small_corpus(tmp_path / "data")
    demo = subprocess.Popen([sys.executable, "-m", "detente", "--db", str(tmp_path / "demo.duckdb"), "demo",
                             "--data", str(data), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={"COLUMNS": "160",
                                                                                             "PATH": "/usr/bin:/bin"})
    try:
        health = wait_for_health(port, demo, 240)
        assert health is not None and health.status_code == 200, demo.stderr.read() if demo.poll() else "no answer"
        storylines = httpx.get(f"http://127.0.0.1:{port}/api/v1/storylines", params={"min_articles": 1}, timeout=10)
        assert storylines.status_code == 200 and storylines.json()["count"] >= 1  # the demo data are served
    finally:
        demo.send_signal(signal.SIGINT)
        out, err = demo.communicate(timeout=60)
    assert f"Dashboard: http://127.0.0.1:{port}/" in out and "Ingest summary" in out, out + err
    assert "Traceback" not in err
