"""Diplomatic register: the reading, its level, negation, contrast and who says it."""

from detente.extract.signals.register import levels


def test_levels_are_documented_and_ordered():
    table = levels()
    values = [table[k]["value"] for k in ("hostility", "disagreement", "engagement", "commitment")]
    assert values == [-1.0, -0.5, 0.5, 1.0]
    assert all(table[k]["meaning"] and table[k]["negated"] in table for k in table)


def test_characterising_verb_attributes_the_reading_to_its_subject(read):
    (reading,) = read("The Chinese foreign ministry described the talks with U.S. officials as frank and candid.",
                      kind="register")
    assert (reading.actor, reading.counterpart) == ("CHNGOV", "USAGOV")
    assert (reading.label, reading.value) == ("disagreement", -0.5)
    assert reading.text == "frank and candid"


def test_reported_speech_and_negation(read):
    (reading,) = read("Turkish officials said the meeting was not constructive.", kind="register")
    assert (reading.actor, reading.label) == ("TURGOV", "disagreement")
    assert reading.text == "not constructive"


def test_negated_commitment_is_engagement_and_a_parenthetical_speaker_counts(read):
    (reading,) = read("The talks ended without a breakthrough, the German chancellor said.", kind="register")
    assert (reading.actor, reading.label, reading.text) == ("DEUGOV", "engagement", "without a breakthrough")


def test_contrast_the_second_part_decides(read):
    readings = read("Japanese and South Korean diplomats described the session as frank but constructive.",
                    kind="register")
    assert {r.actor for r in readings} == {"JPNGOV", "KORGOV"}
    assert all(r.label == "engagement" and r.value == 0.25 and r.text == "frank but constructive" for r in readings)


def test_productive_but_not_formal_negotiations_is_engagement_without_commitment(read):
    readings = read("Iranian and Omani officials described the sessions as productive but not formal negotiations.",
                    kind="register")
    assert {r.actor for r in readings} == {"IRNGOV", "OMNGOV"}
    assert {(r.label, r.value) for r in readings} == {("engagement", 0.5)}


def test_the_writers_reading_has_no_actor(read):
    (reading,) = read("The atmosphere at the summit was cordial.", kind="register")
    assert reading.actor is None and reading.label == "engagement" and reading.provenance.source is None


def test_hostility(read):
    (reading,) = read("Beijing called the arms sale to Taiwan a dangerous provocation.", kind="register")
    assert (reading.actor, reading.label, reading.value) == ("CHNGOV", "hostility", -1.0)


def test_everyday_words_are_no_reading(read):
    assert read("Two soldiers were killed by friendly fire near the border.", kind="register") == []
    assert read("The actor tested positive for the virus after a difficult year.", kind="register") == []


def test_speculation_is_no_reading(read):
    assert read("Any substantive agreement with Russia would be a breakthrough.", kind="register") == []
