"""The ledger on three short real-style articles ingested in sequence.

1. Russia and Ukraine agree to meet again, and Russia promises to stop
   striking power plants (two commitments, open);
2. a week later their negotiators meet (the meeting promise: met, with the
   meeting as evidence);
3. later Russian forces attack power plants (the promise to stop: broken,
   with the attack as evidence).
"""

from __future__ import annotations

import datetime as dt
import json

import detente
from tests.cli.test_cli import run
from tests.conftest import FIXTURES

ARTICLES = sorted((FIXTURES / "index" / "ledger").glob("*.txt"))


def _status(ledger, action: str) -> list[tuple[str, str | None]]:
    """Current status and evidence of the items promising ``action`` (a restatement the body supersedes left out)."""
    rows = ledger[(ledger["action"] == action) & ledger["current"] & (ledger["status"] != "superseded")]
    return sorted(zip(rows["status"], rows["evidence_id"]))


def test_commitments_move_from_open_to_met_and_broken_with_evidence(db_path):
    with detente.open(db_path) as db:
        statuses = []
        for article in ARTICLES:  # one at a time, as a live feed would bring them
            db.ingest(article)
            db.extract()
            db.update_stories()
            storyline = db.stories(actor="RUS", limit=1)["id"][0]
            ledger = db.ledger(storyline)
            statuses.append({action: [s for s, _ in _status(ledger, action)] for action in ("CONSULT", "RETREAT")})
        events = db.events(limit=100)
    assert statuses[0] == {"CONSULT": ["open"], "RETREAT": ["open"]}
    assert statuses[1] == {"CONSULT": ["met"], "RETREAT": ["open"]}
    assert statuses[2] == {"CONSULT": ["met"], "RETREAT": ["broken"]}
    (met_by,) = {e for s, e in _status(ledger, "CONSULT")}
    (broken_by,) = {e for s, e in _status(ledger, "RETREAT")}
    by_id = events.set_index("id")
    assert by_id.loc[met_by, "event_type"] == "CONSULT"
    assert by_id.loc[met_by, "event_date"].date() == dt.date(2024, 3, 12)
    assert by_id.loc[broken_by, "event_type"] in {"ASSAULT", "FIGHT"}
    assert by_id.loc[broken_by, "event_date"].date() == dt.date(2024, 3, 20)


def test_detente_ledger_shows_the_moves(db_path):
    with detente.open(db_path) as db:
        db.ingest(ARTICLES)
        db.extract()
        db.update_stories()
        storyline = db.stories(actor="RUS", limit=1)["id"][0]
    result = run("--json", "ledger", "--storyline", storyline, db=db_path, check_rc=0)
    moves = json.loads(result.stdout)
    assert {"open", "met", "broken"} <= {m["status"] for m in moves}
    result = run("ledger", "--storyline", "nope", db=db_path, check_rc=1)
    assert "no storyline" in result.stderr
