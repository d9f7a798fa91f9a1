"""The command line as a user runs it: a real process, real exit codes, real output."""

import json
import subprocess
import sys

from tests.conftest import HUFFPOST_MAP, ROOT


def run(*args, db=None, check_rc=None):
    cmd = [sys.executable, "-m", "detente"] + (["--db", str(db)] if db else []) + [str(a) for a in args]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=300, env={"COLUMNS": "160", "PATH": "/usr/bin:/bin"})
    if check_rc is not None:
        assert done.returncode == check_rc, done.stdout + done.stderr
    return done


def test_demo_ingests_the_sample_corpus(tmp_path):
    done = run("demo", "--no-serve", db=tmp_path / "demo.duckdb", check_rc=0)
    assert "Ingest summary" in done.stdout
    for row in ("articles stored", "near-duplicates linked", "missing_date", "malformed_row"):
        assert row in done.stdout
    stats = json.loads(run("--json", "stats", db=tmp_path / "demo.duckdb", check_rc=0).stdout)
    assert stats["articles"] >= 2000 and stats["near_duplicates"] >= 3 and stats["rejects"] >= 5
    assert stats["articles_extracted"] == stats["articles"] and stats["events"] > 1000
    again = json.loads(run("--json", "demo", "--no-serve", db=tmp_path / "demo.duckdb", check_rc=0).stdout)
    assert again["run"]["articles_added"] == 0 and again["database"]["articles"] == stats["articles"]
    assert again["extraction"]["articles"] == 0  # nothing left to extract
    events = json.loads(run("--json", "events", "--actor", "USA", "--type", "CONSULT", "--since", "2025-12-01",
                            db=tmp_path / "demo.duckdb", check_rc=0).stdout)
    assert events and all(e["event_type"] == "CONSULT" for e in events)


def test_analyze_prints_actors_events_and_marked_sentences(shared_data):
    seed = shared_data / "samples" / "seed_article.txt"
    done = run("analyze", seed, "--published", "2025-12-06", check_rc=0)
    for heading in ("Actors", "Events", "Steve Witkoff", "CONSULT"):
        assert heading in done.stdout
    parsed = json.loads(run("--json", "analyze", seed, "--published", "2025-12-06", check_rc=0).stdout)
    assert {"sentences", "mentions", "events"} <= set(parsed) and parsed["events"]
    piped = subprocess.run([sys.executable, "-m", "detente", "--json", "analyze", "-"], input="Russian troops shelled Kharkiv.",
                           capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(piped.stdout)["sentences"]


def test_eval_events_prints_the_table(shared_data):
    gold = shared_data / "gold" / "plover_gsr_dev.jsonl"
    report = json.loads(run("--json", "eval", "events", "--gold", gold, check_rc=0).stdout)
    assert report["n"] == 213 and 0 < report["type_accuracy"] <= 1
    done = run("eval", "events", "--gold", gold, "--errors", check_rc=0)
    for heading in ("event-type accuracy", "macro-F1", "source-country accuracy", "Confusion", "errors"):
        assert heading in done.stdout


def test_ingest_articles_rejects_export_import(tmp_path):
    db = tmp_path / "x.duckdb"
    sample = ROOT / "examples" / "data" / "news"
    out = json.loads(run("--json", "ingest", sample / "messy_sample.jsonl", sample / "huffpost_world_politics.jsonl",
                         "--map", HUFFPOST_MAP, db=db, check_rc=0).stdout)
    assert out["run"]["articles_added"] > 2000
    listed = json.loads(run("--json", "articles", "Kremlin", "--limit", "3", db=db, check_rc=0).stdout)
    assert len(listed) == 3 and all("kremlin" in (r["title"] + r["body"]).lower() for r in listed)
    assert "missing_date" in run("rejects", "--reason", "missing_date", db=db, check_rc=0).stdout
    run("export", "--format", "parquet", tmp_path / "pq", db=db, check_rc=0)
    imported = json.loads(run("--json", "import", tmp_path / "pq", db=tmp_path / "y.duckdb", check_rc=0).stdout)
    assert imported["articles"] == out["database"]["articles"]


def test_user_errors_are_one_line_and_exit_1(tmp_path):
    db = tmp_path / "x.duckdb"
    cases = [
        (("ingest", tmp_path / "missing.jsonl"), "no such file"),
        (("ingest", tmp_path, "--format", "docx"), "unknown format"),
        (("ingest", ROOT / "examples", "--map", "colour=red"), "unknown field"),
        (("articles", "--since", "not a date"), None),
        (("stats",), None),
        (("articles", "--limit", "-3"), "--limit"),
        (("export", "--format", "xlsx", tmp_path / "o"), "only parquet"),
        (("nonsense",), "No such command"),
        (("analyze", tmp_path / "absent.txt"), "no such file"),
        (("eval", "events", "--gold", tmp_path / "absent.jsonl"), "no such gold file"),
    ]
    for args, message in cases:
        done = run(*args, db=tmp_path / "fresh.duckdb" if args == ("stats",) else db)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and "error" in done.stderr.lower(), (args, done.stderr)
        if message:
            assert message in done.stderr, (args, done.stderr)


def test_help_has_examples():
    for verb in ("ingest", "articles", "rejects", "stats", "export", "import", "demo", "analyze", "extract",
                 "events", "eval events"):
        done = run(*verb.split(), "--help", check_rc=0)
        assert "Example" in done.stdout, verb
