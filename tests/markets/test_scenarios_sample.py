"""Scenarios of the Russia–Ukraine storyline after the HuffPost sample and the seed article, through the CLI.

One database for the module: the sample is ingested and extracted once
(about 30 s), storylines assigned, the four sample price series loaded.
"""

from __future__ import annotations

import json

import pytest

import detente
from tests.cli.test_cli import run
from tests.conftest import HUFFPOST_MAP, ROOT, SHARED

SAMPLE = ROOT / "examples" / "data"
PRICES = {"brent": ("brent-daily.csv", "USD/bbl"), "wti": ("wti-daily.csv", "USD/bbl"),
          "henry_hub": ("henry-hub-daily.csv", "USD/MMBtu"), "gold": ("gold-monthly.csv", "USD/ozt")}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("markets") / "sample.duckdb"
    with detente.open(path) as db:
        db.ingest(SAMPLE / "news" / "huffpost_world_politics.jsonl", map=HUFFPOST_MAP, source="huffpost")
        db.ingest(SAMPLE / "articles")
        db.extract()
        db.update_stories()
        seed = db.articles(source="seed_article", limit=1)["id"][0]
        storyline = db.store.con.execute("SELECT storyline_id FROM storyline_articles WHERE article_id = ?",
                                         [seed]).fetchone()[0]
    for asset, (name, unit) in PRICES.items():
        run("prices", "load", SAMPLE / "markets" / name, "--asset", asset, "--unit", unit, db=path, check_rc=0)
    return path, storyline


def test_scenarios_of_the_russia_ukraine_storyline(sample):
    path, storyline = sample
    outlook = json.loads(run("--json", "scenarios", "--storyline", storyline, db=path, check_rc=0).stdout)
    assert {"RUS", "UKR"} <= set(outlook["storyline"]["actors"]) and outlook["theme"] == "russia_ukraine"
    scenarios = outlook["scenarios"]
    assert [s["name"] for s in scenarios] == ["durable_deal", "fragile_deal", "talks_collapse", "escalation"]
    assert sum(s["probability"] for s in scenarios) == pytest.approx(1.0, abs=1e-9)
    analogues = {a["id"] for a in outlook["analogues"]}
    for scenario in scenarios:
        assert scenario["drivers"], scenario["name"]
        impacts = {i["asset"]: i for i in scenario["asset_impacts"]}
        for asset in PRICES:
            impact = impacts[asset]
            assert impact["size"] is not None and impact["interval_low"] <= impact["size"] <= impact["interval_high"]
            assert "analogue" in impact["basis"] and any(a in impact["basis"] for a in analogues)
    factors = {f["name"] for f in outlook["factors"]}
    assert {"base rate", "phase"} <= factors
    expected = {e["asset"]: e for e in outlook["expected"]}
    assert all(expected[a]["expected"] is not None for a in PRICES)
    text = run("scenarios", "--storyline", storyline, db=path, check_rc=0).stdout
    for word in ("durable_deal", "fragile_deal", "talks_collapse", "escalation", "brent", "henry_hub", "gold",
                 "probability-weighted", "analogues of escalation", "sum of probabilities: 1.000000"):
        assert word in text
    with detente.open(path, read_only=True) as db:
        stored = db.store.scenarios(storyline)
    assert len(stored) == 4 and stored["probability"].sum() == pytest.approx(1.0)


def test_study_of_store_event_sets_writes_table_plot_and_csv(sample, tmp_path):
    path, storyline = sample
    out = tmp_path / "phases"
    found = json.loads(run("--json", "study", "--events", f"phases:{storyline}", "--asset", "brent", "--asset", "wti",
                           "--window", "-1,1", "--window", "0,5", "--out", out, db=path, check_rc=0).stdout)
    assert {s["asset"] for s in found["summary"]} == {"brent", "wti"} and len(found["summary"]) == 4
    assert (out / "car.png").stat().st_size > 1000 and (out / "car.svg").exists() and (out / "events.csv").exists()
    conflict = run("study", "--events", f"conflict:{storyline}", "--asset", "brent", "--out", tmp_path / "c",
                   db=path, check_rc=0).stdout
    assert "Patell" in conflict and "BMP" in conflict


def test_betas_on_the_published_monthly_gpr(sample):
    path, _ = sample
    found = json.loads(run("--json", "betas", "--freq", "M", "--index-csv",
                           SHARED / "reference" / "gpr_monthly_export.csv", "--index-column", "GPR",
                           db=path, check_rc=0).stdout)
    names = {b["name"] for b in found["betas"]}
    assert {"brent", "wti", "henry_hub", "gold", "energy", "safe_havens"} <= names
    assert all(b["se"] > 0 and b["lags"] >= 1 for b in found["betas"]) and found["rolling"]
