"""Ledger rules on hand-made items and events: met, broken, superseded, deadline passed."""

import datetime as dt

from detente.index.ledger import BROKEN, MET, OPEN, SUPERSEDED, Ledger, LedgerEvent, LedgerItem, judge

D = dt.date(2025, 12, 6)


def item(signal_id="g1", action="CONSULT", due=None, made_on=D, actor="USAGOV", counterpart="UKRGOV"):
    return LedgerItem(signal_id, "s1", "commitment", "a1", made_on, actor, counterpart, action, None, due)


def event(event_type, day=D + dt.timedelta(days=3), modality="asserted", source="UKRGOV", target="USA",
          article_id="a2"):
    return LedgerEvent("e1", article_id, day, event_type, modality, source, target)


def test_a_later_meeting_of_the_same_parties_meets_a_promise_to_reconvene():
    update = judge(item(), event("CONSULT"))
    assert update.status == MET and update.evidence_id == "e1"


def test_events_of_the_same_article_or_other_parties_do_not_count():
    assert judge(item(), event("CONSULT", article_id="a1")) is None
    assert judge(item(), event("CONSULT", source="RUS", target="USA")) is None
    assert judge(item(), event("CONSULT", day=D)) is None


def test_a_rejection_or_a_negated_meeting_breaks_it():
    assert judge(item(), event("REJECT")).status == BROKEN
    assert judge(item(), event("CONSULT", modality="negated")).status == BROKEN
    assert judge(item(), event("CONSULT", modality="hypothetical")) is None


def test_fighting_breaks_a_ceasefire_promise():
    ceasefire = item(action="RETREAT", actor="RUSMIL", counterpart=None)
    assert judge(ceasefire, event("ASSAULT", source="RUSMIL", target="UKR")).status == BROKEN
    assert judge(ceasefire, event("ASSAULT", source="UKRMIL", target="RUS")) is None  # not its maker's act


def test_a_promise_to_no_one_is_not_undone_by_a_rejection_of_someone():
    vow = item(action="COOPERATE", actor="RUSGOV", counterpart=None)
    assert judge(vow, event("REJECT", source="RUSGOV", target="UKR")) is None
    assert judge(vow, event("COOPERATE", source="RUSGOV", target="IRN")).status == MET
    assert judge(vow, event("COOPERATE", source="RUSGOV", target="IRN", modality="negated")).status == BROKEN


def test_a_new_promise_supersedes_the_old_and_deadlines_expire():
    ledger = Ledger()
    assert [u.status for u in ledger.add(item("g1", due=D + dt.timedelta(days=7)))] == [OPEN]
    moves = ledger.add(item("g2", made_on=D + dt.timedelta(days=1)))
    assert [u.status for u in moves] == [OPEN, SUPERSEDED] and moves[1].item.signal_id == "g1"
    ledger.add(item("g3", action="AID", due=D + dt.timedelta(days=2)))
    expired = ledger.expire("s1", D + dt.timedelta(days=5))
    assert [(u.item.signal_id, u.status, u.reason) for u in expired] == [("g3", BROKEN, "deadline passed")]
