"""Georgia the US state or Georgia the country: the article decides."""

from __future__ import annotations

import pytest

from detente.extract.pipeline import analyze
from detente.extract.places import resolve_place
from detente.extract.state_or_country import us_states_meant


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("The governor of Georgia signed the voting bill on Friday.", True),
        ("Tornadoes tore through Alabama and Georgia overnight.", True),  # another US state
        ("Flooding closed roads around Savannah, Georgia.", True),  # a city of the state
        ("Georgia Republicans and Democrats traded blame over the county's ballots.", True),
        ("Georgia's parliament passed the bill despite protests in Tbilisi.", False),  # the country's capital
        ("Russia warned Georgia against joining NATO.", False),  # no state cue: the country
        ("A senator from Arizona visited Georgia and met the prime minister and Georgian officials.", False),
        ("Prices rose in Georgia.", False),  # no cue either way: the country, as the dictionaries read it
        ("Nothing ambiguous here: the Texas governor spoke.", False),  # no ambiguous name at all
        ("", False),
    ],
)
def test_the_article_decides_whether_georgia_is_the_state(text, state):
    assert us_states_meant(text) == (frozenset({"georgia"}) if state else frozenset())


def test_an_article_about_the_state_codes_georgia_as_the_united_states():
    analysis = analyze("Georgia officials reject the governor's plan\n\n"
                       "Lawmakers in Atlanta said the county would not certify the vote.")
    georgia = [m for m in analysis.mentions if "Georgia" in m.text]
    assert georgia and all(m.country == "USA" and m.actor_code.startswith("USA") for m in georgia)
    assert resolve_place("Georgia", frozenset({"georgia"})).country == "USA"
    assert resolve_place("Georgia").country == "GEO"


def test_an_article_about_the_country_keeps_georgia():
    analysis = analyze("Russia threatens Georgia over its bid to join NATO, officials in Tbilisi said.")
    assert "GEO" in {m.country for m in analysis.mentions}
    assert all(m.country != "USA" for m in analysis.mentions)
