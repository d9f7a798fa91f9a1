"""Modality and speaker of event triggers, on small real sentences and the seed article."""

from __future__ import annotations

import pytest

from detente.extract.modality import lexicon, modality, speaker
from detente.records import Modality

A, N, H, C, F, R = (Modality.ASSERTED, Modality.NEGATED, Modality.HYPOTHETICAL, Modality.CONDITIONAL,
                    Modality.FUTURE, Modality.REPORTED)


@pytest.fixture(scope="module")
def nlp():
    from detente.extract.nlp import load_nlp

    return load_nlp()


def _token(doc, word: str):
    return next(t for t in doc if t.text == word)


CASES = [
    # asserted
    ("Protesters clashed with police in the capital.", "clashed", A),
    ("Officials said that Russian forces attacked the city.", "said", A),
    ("Egypt agreed to host the talks.", "agreed", A),
    ("Iran refused to resume talks with the inspectors.", "refused", A),
    ("The invasion of the country began in 2003.", "invasion", A),
    # negated
    ("The president did not meet the envoy.", "meet", N),
    ("The government never signed the treaty.", "signed", N),
    ("No agreement was reached at the summit.", "agreement", N),
    ("Iran refused to resume talks with the inspectors.", "resume", N),
    ("Israel failed to reach a deal with the group.", "deal", N),
    ("They signed the accord without consulting parliament.", "consulting", N),
    ("The president cancelled the summit.", "summit", N),
    ("The rebels denied that they had attacked the convoy.", "attacked", N),
    ("The army did not attack or shell the city.", "shell", N),
    ("They chose to negotiate instead of attacking the town.", "attacking", N),
    # hypothetical
    ("The sanctions could hurt the economy.", "hurt", H),
    ("A truce would likely ease the pressure on prices.", "ease", H),
    ("Pakistan threatened to expel the diplomats.", "expel", H),
    ("Japan proposed talks with China.", "talks", H),
    ("The opposition called for a ceasefire.", "ceasefire", H),
    ("Washington asked whether Moscow would attend the summit.", "attend", H),
    # conditional
    ("If Russia attacks, NATO will respond.", "respond", C),
    ("Turkey will send troops unless the rebels withdraw.", "withdraw", C),
    ("Turkey will send troops unless the rebels withdraw.", "send", C),
    ("The talks will continue as long as both sides observe the truce.", "observe", C),
    ("The deal depends on a withdrawal of foreign troops.", "withdrawal", C),
    ("Any settlement would require the release of prisoners.", "release", C),
    ("Any settlement would require the release of prisoners.", "settlement", C),
    # future
    ("The two leaders will meet in Paris next week.", "meet", F),
    ("The foreign minister is expected to visit Beijing in March.", "visit", F),
    ("China plans to hold military drills near the island.", "drills", F),
    ("Egypt agreed to host the talks.", "host", F),
    ("The army is going to launch an offensive.", "launch", F),
    ("The prime minister is to visit Washington on Monday.", "visit", F),
    ("The minister said he would visit the capital.", "visit", F),
    ("The meeting is scheduled for December 12.", "meeting", F),
    # reported
    ("Officials said that Russian forces attacked the city.", "attacked", R),
    ("Russian forces attacked the city, officials said.", "attacked", R),
    ("According to the ministry, the army shelled the village on Tuesday.", "shelled", R),
    ("The envoy told reporters that the rebels had seized the airport.", "seized", R),
    ("Heavy fighting was reported by residents in the north.", "fighting", R),
    ("The rebels are said to have seized the airport.", "seized", R),
    ("The ministry reportedly ordered the arrests.", "ordered", R),
    ("Kyiv accused Moscow of shelling the power plant.", "shelling", R),
]


@pytest.mark.parametrize(("sentence", "trigger", "expected"), CASES)
def test_modality_of_trigger(nlp, sentence: str, trigger: str, expected: Modality) -> None:
    assert modality(_token(nlp(sentence), trigger)) is expected


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Officials said that Russian forces attacked the city.", "attacked", "Officials"),
        ("According to the ministry, the army shelled the village on Tuesday.", "shelled", "ministry"),
        ("Heavy fighting was reported by residents in the north.", "fighting", "residents"),
        ("The envoy told reporters that the rebels had seized the airport.", "seized", "envoy"),
        ("Aides said the meeting went well, while stressing that a deal would require a vote.", "deal", "Aides"),
        ("Protesters clashed with police in the capital.", "clashed", None),
        ("The minister said he would visit the capital.", "visit", None),
    ],
)
def test_speaker(nlp, sentence: str, trigger: str, expected: str | None) -> None:
    found = speaker(_token(nlp(sentence), trigger))
    assert (found.text if found is not None else None) == expected


def test_precedence_condition_over_negation(nlp) -> None:
    """"If Russia does not withdraw" asserts nothing about the withdrawal."""
    doc = nlp("If Russia does not withdraw its troops, sanctions will follow.")
    assert modality(_token(doc, "withdraw")) is C


def test_definite_relative_clause_is_presupposed(nlp) -> None:
    doc = nlp("The plan is intended to end the war that began in 2014.")
    assert modality(_token(doc, "began")) is A


def test_lexicon_is_general() -> None:
    lex = lexicon()
    assert {"say", "report", "claim"} <= lex["speech_verbs"]
    assert {"would", "could", "might"} <= lex["hypothetical_modals"]
    assert not lex["future_control"] & lex["negative_control"]


# --- the seed article (DESIGN.md, "The example it must handle") ---------------------------------


@pytest.fixture(scope="module")
def seed(nlp, shared_data):
    return nlp((shared_data / "samples" / "seed_article.txt").read_text(encoding="utf-8"))


def _in_sentence(doc, phrase: str, word: str):
    sent = next(s for s in doc.sents if phrase in s.text)
    return next(t for t in sent if t.text == word)


@pytest.mark.parametrize(
    ("phrase", "trigger", "expected"),
    [
        ("would require a credible Russian commitment", "agreement", {C, H}),
        ("would require a credible Russian commitment", "commitment", {C}),
        ("would require a credible Russian commitment", "require", {C, H}),
        ("would likely ease", "ease", {H}),
        ("would likely ease", "reduce", {H}),
        ("If it does not", "remembered", {C}),
        ("If the framework evolves", "prompt", {C}),
        ("spent a second day in Miami", "spent", {A}),
        ("spent a second day in Miami", "briefing", {A}),
        ("agreed to reconvene", "agreed", {A}),
        ("agreed to reconvene", "reconvene", {F}),
        ("met Ukrainian negotiators in Miami", "met", {A}),
        ("with officials saying progress was made", "made", {R}),
        ("Witkoff and Kushner had presented", "session", {A}),
        ("without committing to binding concessions", "committing", {N}),
    ],
)
def test_seed_article(seed, phrase: str, trigger: str, expected: set[Modality]) -> None:
    assert modality(_in_sentence(seed, phrase, trigger)) in expected
