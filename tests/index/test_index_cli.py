"""``detente index`` and ``detente eval gpr`` in a real subprocess on small databases and corpora."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import HUFFPOST, HUFFPOST_MAP, SHARED

REFERENCE = SHARED / "reference" / "gpr_daily_recent.xls"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DETENTE_DEBUG": "", "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "detente", *args], check=False, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    {"headline": "Russia warns of war as troops mass near Ukraine", "short_description": "Talks stall.",
     "date": "2022-02-21"},
    {"headline": "Bakery wins award", "short_description": "The cakes were good.", "date": "2022-02-21"},
    {"headline": "Russia invades Ukraine", "short_description": "Russian troops attacked Ukraine on Thursday.",
     "date": "2022-02-24"},
    {"headline": "City council meets", "short_description": "The budget passed.", "date": "2022-03-02"},
]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("index_cli")
    corpus = write_jsonl(directory / "news.jsonl", ROWS)
    db = directory / "news.duckdb"
    assert run("--db", str(db), "ingest", str(corpus), "--map", HUFFPOST_MAP).returncode == 0
    assert run("--db", str(db), "extract").returncode == 0
    return db


def test_index_prints_table_sparkline_and_writes_csv(small_db, tmp_path):
    out = tmp_path / "series.csv"
    done = run("--db", str(small_db), "index", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "combined index, global, D" in done.stdout and any(b in done.stdout for b in "▁█")
    rows = list(csv.DictReader(out.open()))
    assert [r["date"] for r in rows] == ["2022-02-21", "2022-02-24", "2022-03-02"]
    assert all(r["index"] not in ("", "nan") for r in rows)


def test_index_json_parquet_and_explain(small_db, tmp_path):
    done = run("--db", str(small_db), "--json", "index", "--method", "classic", "--freq", "M",
               "--out", str(tmp_path / "m.parquet"))
    points = json.loads(done.stdout)["points"]
    assert [p["date"] for p in points] == ["2022-02-01", "2022-03-01"] and (tmp_path / "m.parquet").exists()
    explained = json.loads(run("--db", str(small_db), "--json", "index", "--explain", "2022-02-21",
                               "--method", "classic").stdout)
    assert explained["articles"][0]["title"].startswith("Russia warns of war")
    assert explained["articles"][0]["categories"] == [1]


def test_bad_scope_and_method_are_one_line_errors(small_db):
    for args in (["--scope", "nowhere"], ["--method", "magic"], ["--scope", "FRA"], ["--freq", "Q"]):
        done = run("--db", str(small_db), "index", *args)
        assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("rows, message", [
    ([{"headline": "War threat grows", "short_description": "Troops mass."}] * 3, "no dated article"),
    ([{"headline": f"War threat {i}", "short_description": "Troops mass.", "date": "2022-02-24"} for i in range(3)],
     "one day only"),
    ([{"headline": f"Cake recipe {i}", "short_description": "Flour and sugar.", "date": f"2022-0{m}-0{d}"}
      for i, (m, d) in enumerate([(1, 1), (2, 2), (3, 3), (4, 4)])], "no geopolitical content"),
])
def test_eval_gpr_bad_corpora_give_a_clear_message(tmp_path, rows, message):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", rows)
    done = run("eval", "gpr", "--corpus", str(corpus), "--map", HUFFPOST_MAP, "--reference", str(REFERENCE))
    assert done.returncode == 1, done.stdout + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr and "nan" not in done.stdout.lower()


@pytest.mark.slow
def test_eval_gpr_on_huffpost_keeps_its_floors():
    """Floors a little below what was measured (see README: monthly Pearson/Spearman with GPRD)."""
    done = run("--json", "eval", "gpr", "--corpus", str(HUFFPOST), "--map", HUFFPOST_MAP, "--freq", "M",
               "--reference", str(REFERENCE))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    found = {(c["index"], c["part"]): c for c in report["correlations"]}
    assert found[("combined", "index")]["pearson"] >= 0.55 and found[("combined", "index")]["spearman"] >= 0.52
    assert found[("events", "index")]["pearson"] >= 0.54 and found[("events", "index")]["spearman"] >= 0.53
    assert found[("classic_and", "index")]["pearson"] >= 0.50
    assert found[("combined_and", "index")]["pearson"] >= 0.60 and found[("combined_and", "index")]["spearman"] >= 0.54
    assert found[("combined_and", "threat")]["spearman"] >= 0.50
    assert report["best"] == "combined_and" and report["indexes_compared"] == 5
    cards = {c["index"]: c for c in report["scorecards"]}
    assert set(cards) == {"naive", "classic", "classic_and", "events", "combined", "combined_and"}
    spikes = {s["series"]: s["top"] for s in report["spikes"]}
    assert spikes["GPRD (published)"][0][0] in ("2022-02", "2022-03")
    assert spikes["combined"][0][0] in ("2022-02", "2022-03")
