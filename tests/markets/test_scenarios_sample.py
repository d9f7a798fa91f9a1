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


def test_scenarios_list_every_channel_of_the_war_once_the_extra_series_are_loaded(sample):
    """Runs last: it adds the extra series (../shared/data/markets/extra) to the module's database."""
    from tests.markets.conftest import EXTRA, need_extra

    need_extra()
    path, storyline = sample
    run("prices", "load-extra", EXTRA, db=path, check_rc=0)
    outlook = json.loads(run("--json", "scenarios", "--storyline", storyline, "--no-save", db=path, check_rc=0).stdout)
    channels = {"energy": "brent", "grains": "wheat", "defence": "defence_basket", "safe_havens": "vix",
                "equities": "stoxx50", "fx": "usdrub", "sovereign_spreads": "pl_de_10y"}
    for scenario in outlook["scenarios"]:
        impacts = {i["asset"]: i for i in scenario["asset_impacts"]}
        for asset in ("brent", "ttf", "wheat", "corn", "defence_basket", "ba.l", "gold", "vix", "stoxx50", "eurusd",
                      "usdrub", "usduah", "pl_de_10y", "hu_de_10y", "ro_de_10y"):
            impact = impacts[asset]
            assert impact["direction"] in (-1, 0, 1) and impact["size"] is not None, (scenario["name"], asset)
            assert impact["interval_low"] <= impact["size"] <= impact["interval_high"], (scenario["name"], asset)
    text = run("scenarios", "--storyline", storyline, "--no-save", db=path, check_rc=0).stdout
    for channel, asset in channels.items():
        assert channel in text and asset in text, channel


def test_replay_shows_the_scenarios_of_each_day_beside_the_channels(sample):
    """After the extra series are loaded (previous test); two days of February 2022."""
    from tests.markets.conftest import need_extra

    need_extra()
    path, storyline = sample
    found = json.loads(run("--json", "replay", "--storyline", storyline, "--from", "2022-02-23", "--to", "2022-02-24",
                           db=path, check_rc=0).stdout)
    days = found["scenarios"]
    assert [d["day"][:10] for d in days] == ["2022-02-23", "2022-02-24"]
    assert days[0]["articles"] <= days[1]["articles"] and all(d["shared"] > 0 for d in days)
    for d in days:
        assert sum(d[s] for s in ("durable_deal", "fragile_deal", "talks_collapse", "escalation")) == \
            pytest.approx(1.0)
    moved = {m["asset"]: m for m in found["moves"]}
    assert moved["brent"]["move"] > 0 and moved["pl_de_10y"]["measure"] == "change"
    text = run("replay", "--storyline", storyline, "--from", "2022-02-23", "--to", "2022-02-24", db=path,
               check_rc=0).stdout
    assert "defence_basket" in text and "bp" in text and "escalation" in text
    bad = run("replay", "--storyline", storyline, "--from", "2022-03-08", "--to", "2022-02-23", db=path, check_rc=1)
    assert "--from" in bad.stdout + bad.stderr


def test_the_seed_articles_talks_raise_both_deal_scenarios_with_its_evidence_as_drivers(sample):
    path, storyline = sample
    found = json.loads(run("--json", "replay", "--storyline", storyline, "--from", "2025-12-05", "--to", "2025-12-06",
                           db=path, check_rc=0).stdout)
    before, after = found["scenarios"]
    for name in ("durable_deal", "fragile_deal"):
        print(f"seed replay {name}: {before[name]:.4f} on 2025-12-05 → {after[name]:.4f} on 2025-12-06")
        assert after[name] > before[name], name
    with detente.open(path, read_only=True) as db:
        seed = db.articles(source="seed_article", limit=1)["id"][0]
        evidence = set(db.store.con.execute("SELECT id FROM signals WHERE article_id = ? UNION "
                                            "SELECT id FROM events WHERE article_id = ?", [seed, seed]).df()["id"])
    assert evidence & (set(after["drivers"]) - set(before["drivers"]))
