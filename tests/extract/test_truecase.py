"""Headline case: title-cased sentences are read in sentence case; names and every offset are kept."""

from __future__ import annotations

import detente
from detente.extract.truecase import is_common, is_title_cased, sentence_case

HEADLINE = "Rebels Seized Aid Workers In Bunia Convoy, Officials Say"


def _words(text: str) -> list[str]:
    return text.replace(",", "").split()


def test_title_case_is_told_from_running_text():
    assert is_title_cased(_words(HEADLINE))
    assert is_title_cased(_words("Forces Target Airports in Western Provinces"))  # lower-case function words
    assert not is_title_cased(_words("President Maria Lopez and President Jacob Zuma met in Pretoria on Monday"))
    assert not is_title_cased(_words("Rebels Seized Goma"))  # too few words to tell


def test_common_words_and_their_inflections():
    assert all(is_common(w) for w in ("seized", "workers", "says", "convoy", "in", "shelling", "planned"))
    assert not any(is_common(w) for w in ("bunia", "zelenskyy", "mariupol"))


def test_sentence_case_keeps_the_first_word_names_acronyms_and_calendar_words():
    words = ["Rebels", "Seized", "Aid", "Workers", "In", "Bunia", "Convoy", "On", "Monday", "NATO", "Says", "Kenya"]
    cased = sentence_case(words, protected=lambda i: words[i] == "Kenya")
    assert cased == ["Rebels", "seized", "aid", "workers", "in", "Bunia", "convoy", "on", "Monday", "NATO", "says",
                     "Kenya"]


def test_a_title_cased_headline_gets_its_event_and_keeps_its_own_text():
    text = "Ukraine Says Russian Forces Seized Relief Workers In Convoy"
    analysis = detente.analyze(text, published="2022-03-21", headline_case=True)
    plain = detente.analyze(text, published="2022-03-21", headline_case=False)  # titles read as written
    assert not plain.events or (plain.events[0].source_actor or "")[:3] != "RUS"  # title case hides the clause
    assert [(e.event_type, e.source_actor[:3]) for e in analysis.events][:1] == [("COERCE", "RUS")]
    for mention in analysis.mentions:  # the words as the article writes them, at their own offsets
        assert mention.text == text[mention.span.start:mention.span.end]
    assert "Russian Forces" in [m.text for m in analysis.mentions]
    assert [s.text for s in analysis.sentences] == [text]


def test_extraction_reads_headlines_in_sentence_case_unless_the_setting_is_off(tmp_path):
    import json

    feed = tmp_path / "titles.jsonl"
    feed.write_text(json.dumps({"title": "Ukraine Says Russian Forces Seized Relief Workers In Convoy",
                                "body": "The convoy was stopped near the front line.", "published": "2022-03-21",
                                "url": "https://example.org/convoy"}) + "\n")
    found = {}
    for name, options in (("default", {}), ("off", {"headline_case": False})):
        with detente.open(tmp_path / f"{name}.duckdb", **options) as db:
            db.ingest(feed, source="wire")
            db.extract()
            events = db.events()
            extractor = db.store.con.execute("SELECT DISTINCT extractor FROM extractions").fetchone()[0]
        found[name] = extractor, {(e, (s or "")[:3]) for e, s in zip(events["event_type"], events["source_actor"])}
    assert found["default"][0].endswith("+headline-case") and not found["off"][0].endswith("+headline-case")
    assert ("COERCE", "RUS") in found["default"][1] and ("COERCE", "RUS") not in found["off"][1]


def test_a_dictionary_name_that_is_mostly_a_common_word_is_lower_cased_in_a_headline():
    """ "Reunion" (Réunion) and "Male" (Malé) in a title-cased headline are the English words."""
    analysis = detente.analyze("Cast Members Plan Emotional Reunion At Awards Show Tonight", headline_case=True)
    assert "REU" not in {m.country for m in analysis.mentions}
