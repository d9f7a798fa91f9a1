"""Persons within one article: their names, and what earlier mentions said about them.

News name a person in full once ("U.S. special envoy Steve Witkoff") and by
surname afterwards ("Witkoff"). ``PersonMemory`` keeps, for one article,
what the first mentions resolved (country, sector, role) so that later short
mentions get the same actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.attrs import IS_ALPHA, IS_TITLE, LENGTH, POS
from spacy.symbols import PROPN

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .actor_lexicon import AgentEntry

#: Name suffixes that are not surnames ("Martin Luther King Jr." → "King").
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
#: Courtesy titles that may precede a name without being a role.
_COURTESY = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady"}
#: Sectors whose nouns are titles of persons ("negotiator", "general"), unlike "company".
PERSON_ROLES = frozenset({"GOV", "MIL", "JUD", "LEG", "COP", "REB", "OPP", "IGO"})
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")


@dataclass(frozen=True)
class PersonRecord:
    """What is known of a person in an article: full name, CAMEO code, country, sector and role."""

    name: str
    code: str
    country: str | None
    sector: str | None
    role: str | None


def clean_name(text: str) -> str:
    """Return a person's name without possessive ending, courtesy title or extra spaces."""
    words = _POSSESSIVE.sub("", " ".join(text.split())).split()
    while words and words[0].lower() in _COURTESY:
        words = words[1:]
    return " ".join(words)


def surname(name: str) -> str:
    """Return the last word of a name that is not a suffix (``Jr.``), lower-cased."""
    words = [word for word in name.split() if word.lower() not in _SUFFIXES]
    return words[-1].lower() if words else ""


class PersonMemory:
    """The persons resolved so far in one article, found again by full name or surname."""

    def __init__(self) -> None:
        self._by_name: dict[str, PersonRecord] = {}
        self._by_surname: dict[str, PersonRecord] = {}

    def recall(self, text: str) -> PersonRecord | None:
        """Return the person a mention refers to: the same full name, or for a surname alone the latest one with it.

        A full name that differs ("Charles Kushner" after "Jared Kushner") is someone else.
        """
        name = clean_name(text).lower()
        if not name:
            return None
        if " " in name:
            return self._by_name.get(name)
        return self._by_name.get(name) or self._by_surname.get(name)

    def knows_anyone(self) -> bool:
        """Whether any person has been met in the article yet."""
        return bool(self._by_surname)

    def knows_surname(self, word: str) -> bool:
        """Whether a word is the surname of a person already met in the article."""
        return word.lower() in self._by_surname

    def remember(self, record: PersonRecord) -> PersonRecord:
        """Store a person; fields a new mention leaves empty are kept from earlier ones. Returns the merged record."""
        earlier = self._by_name.get(record.name.lower())
        if earlier is not None:
            record = replace(
                earlier,
                code=record.code if record.country or not earlier.country else earlier.code,
                country=record.country or earlier.country,
                sector=record.sector or earlier.sector,
                role=record.role or earlier.role,
            )
        self._by_name[record.name.lower()] = record
        key = surname(record.name)
        if key:
            self._by_surname[key] = record
        return record


def names_after_titles(span: Span, nouns: list[tuple[Span, AgentEntry]]) -> list[tuple[int, int]]:
    """Proper-name runs that a singular role noun introduces or that stand in apposition to one.

    "lead negotiator Rustem Umerov", "Rustem Umerov, Ukraine's lead negotiator":
    persons even where the NER model missed them or called them ORG. Dates,
    places and numbers are never names.
    """
    doc = span.doc
    if not nouns or not doc.has_annotation("TAG") or _title_cased(span):
        return []  # without a role noun there is neither a title nor an apposition to one
    roles = {m.end: m for m, agent in nouns if agent.sector in PERSON_ROLES and m[-1].tag_ in ("NN", "NNP")}
    role_tokens = {i for m, _ in nouns for i in range(m.start, m.end)}
    # the heads of role nouns in apposition, found once; only proper nouns can be name words (the tag array
    # spares making a Token of every word)
    appos_heads = {doc[i].head.i for i in role_tokens if span.start <= i < span.end and doc[i].dep_ == "appos"}
    proper = doc.to_array(POS).tolist()
    runs: list[tuple[int, int]] = []
    index = span.start
    while index < span.end:
        end = index
        while end < span.end and proper[end] == PROPN and _name_token(doc[end]) and end not in role_tokens:
            end += 1
        if end > index:
            appos = any(index <= head < end for head in appos_heads)
            if index in roles or (appos and end - index >= 2):
                runs.append((index, min(end, index + 4)))
            index = end
        index += 1
    return runs


def _title_cased(span: Span) -> bool:
    """Whether a sentence is written in headline case, where capitals do not mark names."""
    flags = span.doc.to_array([IS_ALPHA, LENGTH, IS_TITLE])[span.start : span.end]  # no Token objects
    words = flags[(flags[:, 0] == 1) & (flags[:, 1] > 3)]
    return len(words) >= 3 and int(words[:, 2].sum()) > 0.6 * len(words)


def _name_token(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.is_title and token.ent_type_ in ("", "PERSON", "ORG")
