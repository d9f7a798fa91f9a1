"""Storing extraction results: replace on re-run, resume, query events with their sentence."""

import datetime as dt

from detente.records import Article, Event, Mention, Modality, Provenance, Sentence, Span
from detente.store import IngestBatch, open_store
from detente.store.base import EventQuery, ExtractionBatch

NOW = dt.datetime(2026, 1, 1)


def _article(n):
    return Article(id=f"a{n}", source="t", published_at=dt.datetime(2025, 12, 6), title=f"T{n}",
                   body="Russia attacked Ukraine.", ingested_at=NOW)


def _results(article_id, event_type="ASSAULT"):
    sentence = Sentence(article_id=article_id, index=0, span=Span(start=4, end=28), text="Russia attacked Ukraine.")
    mention = Mention(article_id=article_id, sentence_index=0, span=Span(start=4, end=10), text="Russia",
                      actor_code="RUS", country="RUS")
    event = Event(id=f"e-{article_id}", source_actor="RUS", event_type=event_type, cameo_code="190", goldstein=-10.0,
                  target_actor="UKR", date=dt.date(2025, 12, 5), modality=Modality.ASSERTED,
                  provenance=Provenance(article_id=article_id, sentence_index=0, trigger=Span(start=11, end=19),
                                        source=Span(start=4, end=10), target=Span(start=20, end=27)))
    return ExtractionBatch(extractor="v1", article_ids=[article_id], sentences=[sentence], mentions=[mention],
                           events=[event])


def test_extraction_is_stored_replaced_and_resumed(db_path):
    store = open_store(db_path)
    store.write_batch(IngestBatch(source="s", articles=[_article(1), _article(2)]))
    assert [a.id for a in store.articles_to_extract("v1", 10)] == ["a1", "a2"]
    store.write_extraction(_results("a1"))
    assert [a.id for a in store.articles_to_extract("v1", 10)] == ["a2"]  # resumes where it stopped
    assert [a.id for a in store.articles_to_extract("v2", 10)] == ["a1", "a2"]  # a new extractor reads all
    store.write_extraction(_results("a1", "FIGHT"))  # re-extraction replaces, never duplicates
    frame = store.events(EventQuery(actor="RUS"))
    assert list(frame["event_type"]) == ["FIGHT"]
    row = frame.iloc[0]
    assert row["sentence"][row["trigger_start"] - row["sentence_start"]:row["trigger_end"] - row["sentence_start"]] == "attacked"
    assert store.stats()["mentions"] == 1 and store.stats()["articles_extracted"] == 1
    assert store.events(EventQuery(country="UKR", event_type="fight", since=dt.date(2025, 12, 1))).shape[0] == 1
    assert store.events(EventQuery(modality="hypothetical")).empty
    store.close()
