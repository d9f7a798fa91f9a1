"""Resolving date expressions and picking the date of an event."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.extract.dates import event_date, resolve_date_expression

PUBLISHED = dt.date(2025, 12, 6)  # a Saturday
D = dt.date


@pytest.fixture(scope="module")
def nlp():
    from detente.extract.nlp import load_nlp

    return load_nlp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 5", (D(2025, 12, 5), None)),
        ("on December 5", (D(2025, 12, 5), None)),
        ("Dec. 5th, 2025", (D(2025, 12, 5), None)),
        ("5 December", (D(2025, 12, 5), None)),
        ("the 5th of December", (D(2025, 12, 5), None)),
        ("December 25", (D(2024, 12, 25), None)),  # no year: the latest on or before publication
        ("20 December 2024", (D(2024, 12, 20), None)),
        ("2022-02-24", (D(2022, 2, 24), None)),
        ("yesterday", (D(2025, 12, 5), None)),
        ("today", (D(2025, 12, 6), None)),
        ("last night", (D(2025, 12, 5), None)),
        ("overnight", (D(2025, 12, 5), D(2025, 12, 6))),
        ("Tuesday", (D(2025, 12, 2), None)),
        ("on Wednesday", (D(2025, 12, 3), None)),
        ("Saturday", (D(2025, 12, 6), None)),
        ("last Saturday", (D(2025, 11, 29), None)),
        ("next Wednesday", (D(2025, 12, 10), None)),
        ("Wednesday morning", (D(2025, 12, 3), None)),
        ("earlier in the week", (D(2025, 12, 1), D(2025, 12, 5))),
        ("earlier this week", (D(2025, 12, 1), D(2025, 12, 5))),
        ("last week", (D(2025, 11, 24), D(2025, 11, 30))),
        ("next week", (D(2025, 12, 8), D(2025, 12, 14))),
        ("the past week", (D(2025, 11, 29), D(2025, 12, 6))),
        ("last month", (D(2025, 11, 1), D(2025, 11, 30))),
        ("this month", (D(2025, 12, 1), D(2025, 12, 31))),
        ("earlier this month", (D(2025, 12, 1), D(2025, 12, 5))),
        ("last year", (D(2024, 1, 1), D(2024, 12, 31))),
        ("two days ago", (D(2025, 12, 4), None)),
        ("the past two weeks", (D(2025, 11, 22), D(2025, 12, 6))),
        ("in February 2022", (D(2022, 2, 1), D(2022, 2, 28))),
        ("March 2001", (D(2001, 3, 1), D(2001, 3, 31))),
        ("February", (D(2025, 2, 1), D(2025, 2, 28))),
        ("mid-December", (D(2025, 12, 11), D(2025, 12, 20))),
        ("early March", (D(2025, 3, 1), D(2025, 3, 10))),
        ("2022", (D(2022, 1, 1), D(2022, 12, 31))),
        ("the 1990s", (D(1990, 1, 1), D(1999, 12, 31))),
        ("summer 2022", (D(2022, 6, 1), D(2022, 8, 31))),
        ("since February 2022", (D(2022, 2, 1), D(2025, 12, 6))),
        ("the night of December 5", (D(2025, 12, 5), None)),
    ],
)
def test_resolve_date_expression(text: str, expected) -> None:
    assert resolve_date_expression(text, PUBLISHED) == expected


@pytest.mark.parametrize(
    "text",
    ["a second day", "four years", "five hour", "12 days", "nearly four year", "decades", "the past",
     "recent weeks", "within days", "before March", "by December 12", "after the attack", "Feb 30", "the 3rd", "",
     "constructive and friendly"],
)
def test_not_a_date(text: str) -> None:
    assert resolve_date_expression(text, PUBLISHED) is None


def test_publication_datetime_is_accepted() -> None:
    assert resolve_date_expression("yesterday", dt.datetime(2025, 12, 6, 14, 30)) == (D(2025, 12, 5), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Wednesday", (D(2025, 12, 10), None)), ("December 12", (D(2025, 12, 12), None)),
     ("March", (D(2026, 3, 1), D(2026, 3, 31))), ("next week", (D(2025, 12, 8), D(2025, 12, 14)))],
)
def test_future_clause_looks_forward(text: str, expected) -> None:
    assert resolve_date_expression(text, PUBLISHED, future=True) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)))
def test_any_text_resolves_or_is_none(text: str, published: dt.date) -> None:
    resolved = resolve_date_expression(text, published)
    if resolved is not None:
        start, end = resolved
        assert isinstance(start, dt.date)
        assert end is None or start < end


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["on", "in", "since", "last", "next", "early", "the", ""]),
       st.sampled_from(["Monday", "December", "5", "2022", "week", "month", "days ago", "of", "mid-"]),
       st.sampled_from(["", " 5", " 2022", "th", " ago", " week"]))
def test_date_like_text_never_raises(lead: str, word: str, tail: str) -> None:
    resolve_date_expression(f"{lead} {word}{tail}", PUBLISHED)


def _sent_token(doc, word: str):
    token = next(t for t in doc if t.text == word)
    return token.sent, token


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("According to the ministry, the army shelled the village on Tuesday.", "shelled", (D(2025, 12, 2), None)),
        ("Protesters clashed with police in the capital yesterday.", "clashed", (D(2025, 12, 5), None)),
        ("The army withdrew from the town two days ago.", "withdrew", (D(2025, 12, 4), None)),
        ("Heavy fighting was reported in the north last month.", "fighting", (D(2025, 11, 1), D(2025, 11, 30))),
        ("Ministers met at the palace earlier this week.", "met", (D(2025, 12, 1), D(2025, 12, 5))),
        ("The invasion of the country began in March 2003.", "invasion", (D(2003, 3, 1), D(2003, 3, 31))),
        ("He met the president on the night of December 5.", "met", (D(2025, 12, 5), None)),
        ("Officials said on Monday that rebels attacked the base on Sunday.", "attacked", (D(2025, 11, 30), None)),
        ("Officials said on Monday that rebels attacked the base on Sunday.", "said", (D(2025, 12, 1), None)),
        ("The negotiators met for four hours on Wednesday.", "met", (D(2025, 12, 3), None)),
        ("The two leaders will meet next week.", "meet", (D(2025, 12, 8), D(2025, 12, 14))),
        ("The leaders will meet on Wednesday.", "meet", (D(2025, 12, 10), None)),
        ("Rebels have controlled the area since 2014.", "controlled", (D(2014, 1, 1), D(2025, 12, 6))),
    ],
)
def test_event_date(nlp, sentence: str, trigger: str, expected) -> None:
    sent, token = _sent_token(nlp(sentence), trigger)
    assert event_date(sent, token, PUBLISHED) == expected


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("The negotiators met for four hours.", "met"),  # a duration is not a date
        ("The ceasefire collapsed after the attack on December 3.", "collapsed"),  # the attack's date
        ("The plan is intended to end the war that began in 2014.", "end"),  # another clause's date
        ("The envoys spent a second day in the city.", "spent"),
    ],
)
def test_no_event_date(nlp, sentence: str, trigger: str) -> None:
    sent, token = _sent_token(nlp(sentence), trigger)
    assert event_date(sent, token, PUBLISHED) is None


# --- the seed article (published 2025-12-06) -----------------------------------------------------


@pytest.fixture(scope="module")
def seed(nlp, shared_data):
    return nlp((shared_data / "samples" / "seed_article.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("phrase", "trigger", "expected"),
    [
        ("on December 5 briefing", "spent", (D(2025, 12, 5), None)),
        ("on December 5 briefing", "briefing", (D(2025, 12, 5), None)),
        ("on December 5 briefing", "invasion", (D(2022, 2, 1), D(2022, 2, 28))),
        ("earlier in the week", "session", (D(2025, 12, 1), D(2025, 12, 5))),
        ("earlier in the week", "presented", (D(2025, 12, 1), D(2025, 12, 5))),
        ("met Ukrainian negotiators in Miami", "met", None),  # "a second day" is a duration
        ("agreed to reconvene", "agreed", None),
    ],
)
def test_seed_article(seed, phrase: str, trigger: str, expected) -> None:
    sent = next(s for s in seed.sents if phrase in s.text)
    token = next(t for t in sent if t.text == trigger)
    assert event_date(sent, token, PUBLISHED) == expected
