"""The extraction pipeline end to end: spans, the parser skip, bad input, storing results."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detente
from detente.extract.pipeline import analyze, analyze_texts

PUBLISHED = dt.date(2025, 12, 6)


def test_every_span_points_at_its_text(shared_data):
    text = (shared_data / "samples" / "seed_article.txt").read_text(encoding="utf-8")
    analysis = analyze(text, PUBLISHED)
    assert analysis.sentences and analysis.mentions and analysis.events
    for sentence in analysis.sentences:
        assert text[sentence.span.start:sentence.span.end] == sentence.text
    for mention in analysis.mentions:
        assert text[mention.span.start:mention.span.end] == mention.text
    for event in analysis.events:
        sentence = analysis.sentences[event.provenance.sentence_index]
        for span in (event.provenance.trigger, event.provenance.source, event.provenance.target):
            if span is not None:
                assert sentence.span.start <= span.start < span.end <= sentence.span.end


def test_line_breaks_split_sentences_and_titles_stand_alone():
    analysis = analyze("Russia Attacks Ukraine\n\nRussian troops attacked Kharkiv on Monday.", PUBLISHED)
    assert [s.text for s in analysis.sentences] == ["Russia Attacks Ukraine", "Russian troops attacked Kharkiv on Monday."]


def test_sentences_without_triggers_or_actors_are_not_run_through_spacy():
    analysis = analyze("The weather was mild. Cats sleep a lot.", PUBLISHED)
    assert len(analysis.sentences) == 2
    assert analysis.parsed_sentences == analysis.tagged_sentences == 0 and not analysis.events


def test_many_texts_at_once_match_one_at_a_time():
    texts = [("a", "Israeli troops attacked Gaza on Tuesday.", PUBLISHED),
             ("b", "The United States imposed sanctions on Iran.", PUBLISHED)]
    together = analyze_texts(texts)
    alone = [analyze(t, p, article_id=i) for i, t, p in texts]
    assert [[e.model_dump() for e in a.events] for a in together] == [[e.model_dump() for e in a.events] for a in alone]


def test_bad_text_gives_an_empty_result_not_an_exception():
    assert detente.analyze("").skipped_reason == "no text"
    assert detente.analyze("\x00\x01\x02binary" * 20).skipped_reason.startswith("binary")
    french = detente.analyze("Les troupes russes ont attaqué la ville de Kharkiv lundi matin, selon les autorités.")
    assert french.skipped_reason.startswith("language") and not french.events
    markup = detente.analyze("<html><body><p>Russian troops attacked Kharkiv.</p><script>x()</script></body></html>")
    assert "<p>" not in markup.text and "x()" not in markup.text
    huge = detente.analyze("the soup in the bowl was warm and " * 60_000)  # 2 MB without a full stop
    assert huge.skipped_reason is None and all(len(s.text) <= 2000 for s in huge.sentences)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_analyses_without_exceptions(text):
    analysis = detente.analyze(text, "2025-12-06")
    for event in analysis.events:
        assert event.provenance.trigger is not None


def test_extract_stores_and_resumes(tmp_path, shared_data):
    with detente.open(tmp_path / "db.duckdb") as db:
        db.ingest(shared_data / "samples" / "seed_article.txt", published="2025-12-06")
        first = db.extract()
        again = db.extract()
        events = db.events(actor="USA", event_type="CONSULT")
        stats = db.stats()
    assert first.articles == 1 and first.events > 0 and again.articles == 0
    assert stats["events"] == first.events and stats["articles_extracted"] == 1
    assert not events.empty and events.iloc[0]["sentence"]
