"""The seed article's signals (DESIGN.md, "The example it must handle"), published 2025-12-06.

Explicit checks of the rows for diplomatic language, positions and
conditions / commitments, and a golden file pinning every signal row
(``tests/fixtures/extract/seed_article.signals.json``), reviewed by hand —
regenerate it with ``python tests/extract/signals/test_seed_signals.py``
after a deliberate change, and review the diff.
"""

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from detente.extract.pipeline import analyze

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT.parent / "shared" / "data" / "samples" / "seed_article.txt"
GOLDEN = ROOT / "tests" / "fixtures" / "extract" / "seed_article.signals.json"
PUBLISHED = dt.date(2025, 12, 6)


def summarise(analysis) -> list[dict]:
    """The reviewed view of the signals: every field but the ids, with the words their spans point at."""
    text = analysis.text

    def cut(span):
        return text[span.start:span.end] if span else None

    return [{
        "kind": s.kind.value, "sentence": s.provenance.sentence_index, "actor": s.actor,
        "counterpart": s.counterpart, "label": s.label, "issue": s.issue, "stance": s.stance, "value": s.value,
        "due": s.due.isoformat() if s.due else None, "status": s.status,
        "trigger": cut(s.provenance.trigger) if s.provenance.sentence_index is not None else None,
        "source": cut(s.provenance.source),
    } for s in analysis.signals]


@pytest.fixture(scope="module")
def seed():
    analysis = analyze(SEED.read_text(encoding="utf-8"), PUBLISHED)
    for s in analysis.signals:  # spans are kept and point at the quoted words
        if s.provenance.sentence_index is not None:
            assert analysis.text[s.provenance.trigger.start:s.provenance.trigger.end] == s.text
    return analysis


def _rows(seed, kind):
    return [s for s in seed.signals if s.kind == kind]


def test_constructive_and_friendly_is_the_kremlins_engagement(seed):
    (reading,) = [s for s in _rows(seed, "register") if s.text == "constructive and friendly"]
    assert (reading.actor, reading.label, reading.value) == ("RUSGOV", "engagement", 0.5)
    assert seed.text[reading.provenance.source.start:reading.provenance.source.end] == "The Kremlin"


def test_productive_but_not_formal_negotiations_is_usa_and_ukraine_engagement_without_commitment(seed):
    readings = [s for s in _rows(seed, "register") if s.text == "productive but not formal negotiations"]
    assert {r.actor for r in readings} == {"USAGOV", "UKRGOV"}
    assert {r.label for r in readings} == {"engagement"}


def test_positions(seed):
    rows = {(s.actor, s.issue, s.stance) for s in _rows(seed, "position")}
    assert ("UKR", "territory", "demand") in rows
    assert {("WST", "security guarantees", "insist"), ("WST", "sanctions", "insist")} <= rows
    assert {("RUS", "security guarantees", "demand"), ("RUS", "territory", "demand")} <= rows
    russian = [s for s in _rows(seed, "position") if s.actor == "RUS"]
    assert all(s.text == "Russian demands for security assurances and recognition of outcomes on the ground"
               for s in russian)


def test_conditions_on_russian_de_escalation_and_durable_guarantees(seed):
    conditions = _rows(seed, "condition")
    hinge = {(s.actor, s.issue, s.label) for s in conditions if s.text.startswith("hinge on")}
    assert hinge == {("RUSGOV", "de-escalation", "RETREAT"), ("RUSGOV", "security guarantees", "AGREE")}
    require = {(s.actor, s.issue) for s in conditions if s.text.startswith("require")}
    assert require == {("RUS", "de-escalation"), ("RUS", "security guarantees")}
    assert all(s.stance == "required" for s in conditions)


def test_agreed_to_reconvene_is_an_open_usa_ukraine_consultation(seed):
    (promise,) = _rows(seed, "commitment")
    assert (promise.actor, promise.counterpart, promise.label) == ("USAGOV", "UKRGOV", "CONSULT")
    assert promise.status == "open" and promise.due is None
    assert promise.text == "agreed to reconvene after briefing their respective leaders"
    assert seed.text[promise.provenance.source.start:promise.provenance.source.end] == "U.S. and Ukrainian officials"


def test_article_tone(seed):
    (article,) = [s for s in _rows(seed, "tone") if s.provenance.sentence_index is None]
    assert -1 <= article.value <= 1 and article.label in {"positive", "neutral", "negative"}


def test_golden_file(seed):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert summarise(seed) == expected


if __name__ == "__main__":  # regenerate the golden file after a deliberate, reviewed change
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    result = summarise(analyze(SEED.read_text(encoding="utf-8"), PUBLISHED))
    GOLDEN.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}", file=sys.stderr)
