"""Conditions (whose act is required) and commitments (who promised what, by when)."""

import datetime as dt

WEDNESDAY = dt.date(2024, 11, 20)


def test_condition_predicate(read):
    (found,) = read("Any lifting of sanctions would depend on Iran's full compliance with nuclear inspections.",
                    kind="condition")
    assert (found.actor, found.issue, found.label, found.stance) == ("IRN", "nuclear", "AGREE", "required")


def test_unless_is_a_condition_on_the_clause_subject(read):
    (found,) = read("Unless Russia withdraws its troops, the European Union will impose new sanctions.",
                    kind="condition")
    assert (found.actor, found.label, found.stance) == ("RUS", "RETREAT", "if_not")


def test_a_conditional_agreement_is_a_condition_not_a_commitment(read):
    assert read("If Moscow agrees to a ceasefire, talks could resume.", kind="commitment") == []
    (found,) = read("If Moscow agrees to a ceasefire, talks could resume.", kind="condition")
    assert (found.actor, found.issue, found.label, found.stance) == ("RUSGOV", "ceasefire", "RETREAT", "if")


def test_joint_commitment_with_a_deadline(read):
    (found,) = read("Israel and Hamas agreed to release prisoners by Friday.", WEDNESDAY, kind="commitment")
    assert (found.actor, found.counterpart, found.label, found.issue) == ("ISR", "PSEREB", "RETREAT", "prisoners")
    assert (found.due, found.status) == (dt.date(2024, 11, 22), "open")


def test_pledge_within_a_period(read):
    (found,) = read("Russia pledged to withdraw its forces within 30 days.", WEDNESDAY, kind="commitment")
    assert (found.actor, found.label, found.due) == ("RUS", "RETREAT", dt.date(2024, 12, 20))


def test_statement_of_intent_by_the_speaker(read):
    (found,) = read("Germany said it would provide air defence systems to Ukraine.", kind="commitment")
    assert (found.actor, found.counterpart, found.label, found.issue) == ("DEU", "UKR", "AID", "military aid")


def test_promise_to_a_party(read):
    (found,) = read("Washington has promised Kyiv a new package of military aid.", kind="commitment")
    assert (found.actor, found.counterpart, found.label) == ("USAGOV", "UKRGOV", "AID")


def test_negated_or_hypothetical_promises_are_none(read):
    assert read("Ukraine will not release the prisoners.", kind="commitment") == []
    assert read("Turkey could agree to host the talks.", kind="commitment") == []
    assert read("Russia will attack the port.", kind="commitment") == []


def test_a_promise_to_build_weapons_is_an_arms_buildup_not_cooperation(read):
    (found,) = read("Russia vowed to develop new nuclear weapons.", kind="commitment")
    assert (found.actor, found.label) == ("RUS", "MOBILIZE")
    (found,) = read("Russia vowed to develop trade with China.", kind="commitment")
    assert found.label == "COOPERATE"
