"""The event-based index and the stored components: rules, scopes, incremental update, explain (real DuckDB)."""

from __future__ import annotations

import datetime as dt

import pytest

from detente import api
from detente.errors import NotEnoughData
from detente.index.event_index import event_countries, event_kind, event_weight, is_geopolitical
from detente.index.risk import explain_frame, index_frame, update_index
from detente.records import Article, Event, Location, Modality, Provenance
from detente.store.base import IngestBatch


def test_rules_on_one_event():
    assert event_kind("THREATEN", "future") == "threat"
    assert event_kind("FIGHT", "asserted") == "act"
    assert event_kind("ASSAULT", "hypothetical") == "threat"  # announced violence is a threat of it
    assert event_kind("FIGHT", "negated") is None
    assert event_kind("CONSULT", "asserted") is None
    assert event_countries("RUSMIL", "UKR", "UKR") == ("RUS", "UKR")
    assert event_countries("GOV", "CVL", None) == ()
    assert is_geopolitical("RUS", "UKR", None)
    assert is_geopolitical("MIL", None, None) and is_geopolitical(None, "IGOUNO", None)
    assert not is_geopolitical("USACOP", "USACVL", "USA")  # police arresting a suspect at home
    assert event_weight(-10) == 1.0 and event_weight(None) == 0.0 and event_weight(-4.4) == pytest.approx(0.44)


def article(n: int, day: str, title: str, body: str = "Officials spoke on Thursday.") -> Article:
    when = dt.datetime.fromisoformat(day) + dt.timedelta(hours=9)
    return Article(id=f"a{n}", source="test", url=None, published_at=when, title=title, body=body, language="en",
                   ingested_at=dt.datetime(2026, 1, 1))


def event(n: int, article_id: str, kind: str, source: str | None, target: str | None, goldstein: float,
          modality: Modality = Modality.ASSERTED, place: str | None = None) -> Event:
    return Event(id=f"e{n}", source_actor=source, event_type=kind, goldstein=goldstein, target_actor=target,
                 modality=modality, location=Location(name=place, country=place) if place else None,
                 provenance=Provenance(article_id=article_id, sentence_index=0))


@pytest.fixture
def db(tmp_path):
    handle = api.open(tmp_path / "index.duckdb")
    articles = [
        article(1, "2022-02-23", "Markets calm before the weekend"),
        article(2, "2022-02-23", "Russia warns of war as troops mass near Ukraine"),
        article(3, "2022-02-24", "Russia invades Ukraine"),
        article(4, "2022-02-24", "Local bakery wins award"),
        article(5, "2022-02-25", "Police arrest a suspect downtown"),
        article(6, "2022-02-25", "Film about the war threat premieres"),
    ]
    events = [
        event(1, "a2", "THREATEN", "RUS", "UKR", -7.0, Modality.FUTURE),
        event(2, "a3", "FIGHT", "RUSMIL", "UKR", -10.0, place="UKR"),
        event(3, "a3", "ASSAULT", "RUS", "UKR", -9.0, Modality.NEGATED),    # negated: never counted
        event(4, "a5", "COERCE", "USACOP", "USACVL", -5.0, place="USA"),  # domestic: not geopolitical
    ]
    handle.store.write_batch(IngestBatch(source="test", articles=articles, events=events))
    yield handle
    handle.close()


def test_components_and_scopes(db):
    summary = update_index(db.store)
    assert summary.articles_scored == 6 and summary.days_recomputed == 3
    events = index_frame(db.store, "global", "events", "D")
    assert events["articles"].tolist() == [2, 2, 2]
    assert events["act"].iloc[1] > 0 and events["threat"].iloc[0] > 0 and events["index"].iloc[2] == 0
    classic = index_frame(db.store, "global", "classic", "D")
    assert classic["index"].tolist() == pytest.approx([300.0, 0.0, 0.0])  # the film is excluded
    russia = index_frame(db.store, "RUS", "events", "D")
    ukraine = index_frame(db.store, "ukr", "events", "D")
    assert russia["index"].tolist() == pytest.approx(ukraine["index"].tolist())
    assert russia["index"].iloc[1] == pytest.approx(events["index"].iloc[1])
    assert set(db.store.index_scopes()["scope"]) >= {"global", "RUS", "UKR"}
    assert "USA" not in set(db.store.index_scopes()["scope"])
    with pytest.raises(NotEnoughData, match="nothing stored"):
        index_frame(db.store, "FRA", "events")
    assert not index_frame(db.store, "global", "combined", "M").isna().any().any()


def test_combined_and_counts_an_article_once_at_the_larger_reading(db):
    db.store.write_batch(IngestBatch(source="test", articles=[
        article(8, "2022-02-24", "War drags on in the north", "Diplomats in many capitals are concerned."),  # AND only
        article(9, "2022-02-24", "Rebels attack the capital")]))  # N/2 (7)
    update_index(db.store)
    components = db.store.index_points("global")
    day = components.loc["2022-02-24"]
    assert day["classic"] == 1 and day["classic_and"] == 2  # a9 by N/2; a8 by AND only
    assert day["events"] == pytest.approx(1.0)  # a3: the invasion, Goldstein -10
    assert day["combined"] == pytest.approx(2.0) and day["combined_and"] == pytest.approx(3.0)
    assert day["combined_and_threat"] == pytest.approx(1.0) and day["combined_and_act"] == pytest.approx(2.0)
    assert day["classic_and_threat"] == 1 and day["combined_threat"] == 0  # a8 is a war threat, AND only
    series = index_frame(db.store, "global", "combined-and", "D")
    assert not series.isna().any().any() and series["index"].iloc[1] > series["index"].iloc[0]
    found = explain_frame(db.store, dt.date(2022, 2, 24), method="combined_and")
    assert set(found["articles"].loc[found["articles"]["contribution"] > 0, "article_id"]) == {"a8", "a9"}
    assert found["events"]["contribution"].iloc[0] > 0  # a3 matches no query: its event carries it


def test_incremental_update_recomputes_only_new_days(db):
    update_index(db.store)
    assert update_index(db.store).days_recomputed == 0
    db.store.write_batch(IngestBatch(source="test", articles=[article(7, "2022-02-26", "Rebels attack the capital")]))
    again = update_index(db.store)
    assert again.articles_scored == 1 and again.days_recomputed == 1
    full = update_index(db.store, full=True)
    assert full.days_recomputed == 4
    assert index_frame(db.store, "global", "classic", "D")["articles"].tolist() == [2, 2, 2, 1]


def test_explain_lists_the_invasion_first(db):
    update_index(db.store)
    found = explain_frame(db.store, dt.date(2022, 2, 24))
    assert found["events"]["event_type"].tolist() == ["FIGHT"]
    assert found["events"]["contribution"].iloc[0] > 0
    assert found["summary"]["articles"].iloc[0] == 2
    threat_day = explain_frame(db.store, dt.date(2022, 2, 23), method="classic")
    assert threat_day["articles"]["article_id"].tolist() == ["a2"]
    assert any("war" in w for w in threat_day["articles"]["words"].iloc[0])
    with pytest.raises(NotEnoughData):
        explain_frame(db.store, dt.date(2021, 1, 1))
