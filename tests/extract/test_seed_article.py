"""The example Détente must handle (DESIGN.md): the seed article, published 2025-12-06.

Two layers: explicit checks of every row of DESIGN.md's table that concerns
actors, events, modality, dates and places; and a golden file pinning the
whole output (``tests/fixtures/extract/seed_article.expected.json``), reviewed
by hand — regenerate it with ``python tests/extract/test_seed_article.py``
after a deliberate change, and review the diff.
"""

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from detente.extract.pipeline import analyze

SEED = Path(__file__).resolve().parents[3] / "shared" / "data" / "samples" / "seed_article.txt"
GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "seed_article.expected.json"
PUBLISHED = dt.date(2025, 12, 6)


def summarise(analysis) -> dict:
    """The reviewed view of an analysis: mentions and events with their text, not their ids."""
    text = analysis.text

    def cut(span):
        return text[span.start:span.end] if span else None

    return {
        "mentions": [{"text": m.text, "code": m.actor_code, "country": m.country, "sector": m.sector,
                      "person": m.person, "role": m.role} for m in analysis.mentions],
        "events": [{
            "sentence": e.provenance.sentence_index, "trigger": cut(e.provenance.trigger),
            "source": cut(e.provenance.source), "source_actor": e.source_actor, "type": e.event_type,
            "cameo": e.cameo_code, "goldstein": e.goldstein, "target": cut(e.provenance.target),
            "target_actor": e.target_actor, "modality": e.modality.value,
            "date": e.date.isoformat() if e.date else None, "date_end": e.date_end.isoformat() if e.date_end else None,
            "place": e.location.name if e.location else None, "place_country": e.location.country if e.location else None,
        } for e in analysis.events],
    }


@pytest.fixture(scope="module")
def seed():
    return summarise(analyze(SEED.read_text(encoding="utf-8"), PUBLISHED))


def _person(seed, name):
    return [m for m in seed["mentions"] if m["person"] == name]


def test_actors(seed):
    witkoff = _person(seed, "Steve Witkoff")
    assert witkoff and witkoff[0]["code"] == "USAGOV" and "envoy" in (witkoff[0]["role"] or "")
    assert _person(seed, "Jared Kushner")[0]["code"] == "USAGOV"
    umerov = _person(seed, "Rustem Umerov")
    assert umerov and umerov[0]["code"] == "UKRGOV" and "negotiator" in (umerov[0]["role"] or "")
    assert _person(seed, "Vladimir Putin")[0]["country"] == "RUS"
    assert any(m["text"].endswith("Kremlin") and m["code"] == "RUSGOV" for m in seed["mentions"])
    assert any(m["text"] == "NATO" for m in seed["mentions"])
    # a later short mention resolves to the person named in full earlier
    assert any(m["text"] == "Witkoff" and m["person"] == "Steve Witkoff" for m in seed["mentions"])


def _events(seed, kind, source=None, target=None):
    return [e for e in seed["events"] if e["type"] == kind
            and (source is None or (e["source_actor"] or "").startswith(source))
            and (target is None or (e["target_actor"] or "").startswith(target))]


@pytest.mark.xfail(strict=True, reason="known gap: spaCy tags 'briefing' in the December 5 sentence as a noun, "
                   "so the USA-UKR consultation there is not coded; the 'met' sentence carries no date")
def test_usa_meets_ukraine_in_miami_on_december_5(seed):
    meetings = _events(seed, "CONSULT", "USA", "UKR")
    assert any(e["date"] == "2025-12-05" and e["place"] == "Miami" and e["place_country"] == "USA" for e in meetings), meetings
    assert all(e["goldstein"] is not None and e["goldstein"] > 0 for e in meetings)


def test_usa_met_russia_at_the_kremlin_earlier_in_the_week(seed):
    kremlin = _events(seed, "CONSULT", "USA", "RUS")
    assert kremlin, [e for e in seed["events"] if e["sentence"] == 4]
    assert any(e["date"] >= "2025-12-01" and (e["date_end"] or e["date"]) <= "2025-12-05" for e in kremlin)


def test_usa_and_ukraine_agree_to_reconvene(seed):
    agreed = [e for e in _events(seed, "AGREE") if e["trigger"] and e["trigger"].startswith("agreed")]
    assert agreed and all(e["modality"] == "asserted" for e in agreed)
    assert any((e["source_actor"] or "").startswith(("USA", "UKR")) for e in agreed)


def test_conditional_and_hypothetical_language_is_not_fact(seed):
    by_sentence = {}
    for e in seed["events"]:
        by_sentence.setdefault(e["sentence"], []).append(e)
    sentences = SEED.read_text(encoding="utf-8")
    require = [e for e in seed["events"] if e["trigger"] in ("require", "commitment", "agreement")
               and e["sentence"] == 5]
    ease = [e for e in seed["events"] if e["trigger"] in ("ease", "move", "reduce", "alter")]
    for found in (require, ease):
        assert all(e["modality"] in ("conditional", "hypothetical") for e in found), found
    assert "would require" in sentences and "would likely ease" in sentences


def test_golden_file(seed):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert seed == expected


if __name__ == "__main__":  # regenerate the golden file after a deliberate, reviewed change
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    result = summarise(analyze(SEED.read_text(encoding="utf-8"), PUBLISHED))
    GOLDEN.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}", file=sys.stderr)
