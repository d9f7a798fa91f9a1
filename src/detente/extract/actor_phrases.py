"""Noun phrases of actor pieces: which dictionary names, persons and sector nouns go together.

``ArticleActors`` (``actors.py``) finds the pieces of a sentence; this module
groups them into noun phrases and answers the questions about their
surroundings that decide what a phrase stands for (is it a place after
"in"? a modifier of another noun? a person joined by "and" to the one
before?). Everything works from token order, and uses the dependency parse
where the Doc has one (``token.dep_`` is empty without it).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from spacy.attrs import IS_ALPHA, IS_LOWER, POS
from spacy.symbols import PROPN
from spacy.tokens import Doc

from .actor_lexicon import AgentEntry, LexiconEntry

if TYPE_CHECKING:
    from .actors import ActorSpan

#: Prepositions whose object is where something happens, not who does it.
LOCATIVE_PREPOSITIONS = frozenset(
    {"in", "at", "near", "inside", "within", "outside", "across", "throughout", "around", "into"}
)
#: Hand-written: verbs and nouns of motion after which "to X" is a destination
#: ("flew to Moscow", "a visit to China"); elsewhere "to X" is a recipient
#: ("sent arms to Pakistan") and X stays an actor.
# fmt: off
MOTION_WORDS = frozenset(
    {"go", "come", "travel", "fly", "return", "head", "move", "arrive", "flee", "escape", "sail", "drive", "walk",
     "march", "trip", "visit", "journey", "tour", "voyage", "flight", "way", "road", "route"}
)
# fmt: on
#: Hand-written: verbs whose direct object is a place one arrives at or visits ("visited Beijing").
VISIT_VERBS = frozenset({"visit", "tour", "reach", "enter"})
#: Hand-written: nouns that name a place and introduce its name ("the town of Cizre", "the capital Kabul").
# fmt: off
PLACE_NOUNS = frozenset(
    {"city", "town", "village", "capital", "region", "province", "port", "district", "state", "country", "area",
     "island", "republic", "territory", "enclave", "border", "suburb", "outskirts"}
)
# fmt: on
#: Hand-written: collective nouns that take the actor of the word modifying them
#: ("rebel group", "opposition coalition", "the Hizbollah group").
# fmt: off
COLLECTIVE_NOUNS = frozenset(
    {"group", "groups", "faction", "factions", "movement", "movements", "coalition", "coalitions", "alliance",
     "alliances", "wing", "wings", "organisation", "organisations", "organization", "organizations", "network",
     "networks", "cell", "cells", "unit", "units", "bloc", "camp", "contingent", "contingents"}
)
# fmt: on
#: Hand-written: nouns that name people by their relation to a body; with "of"
#: they take the body's actor ("a member of the Syrian parliament").
RELATIONAL_NOUNS = frozenset(
    {"member", "members", "supporter", "supporters", "follower", "followers", "loyalist", "loyalists"}
)
#: Participles through which a body is placed in a country ("a newspaper based in Beirut").
_PLACING = frozenset({"based", "stationed", "operating", "headquartered"})
_DETERMINERS = frozenset({"the", "a", "an"})
_CALENDAR = frozenset(name.lower() for name in [*calendar.month_name, *calendar.day_name] if name)
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
COORDINATORS = frozenset({"and", ",", "or", "&"})
_HYPHENS = frozenset({"-", "–"})
_NOMINAL = frozenset({"ADJ", "NOUN", "PROPN", "NUM"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "npadvmod", "nummod"})
_PLACE_DETAILS = frozenset({"city", "capital"})


@dataclass
class Piece:
    """A token range that names an actor or a sector.

    ``kind`` is a lexicon kind, "person", "agent" (a sector noun) or
    "relation" (``RELATIONAL_NOUNS``: part of a phrase, never an actor alone).
    """

    start: int
    end: int
    kind: str
    entry: LexiconEntry | None = None
    agent: AgentEntry | None = None


@dataclass
class Phrase:
    """Pieces that make one noun phrase, and what the phrase resolved to."""

    pieces: list[Piece]
    actors: list[ActorSpan] = field(default_factory=list)
    country_in_text: bool = False
    of_person: int | None = None  # index of the first piece of an "of"-complement naming a person

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end


def group_pieces(doc: Doc, pieces: list[Piece]) -> list[Phrase]:
    """Group neighbouring pieces into noun phrases (see the module docstring)."""
    phrases: list[Phrase] = []
    for index, piece in enumerate(pieces):
        if phrases and _bridged(doc, pieces, index):
            phrases[-1].pieces.append(piece)
        else:
            phrases.append(Phrase([piece]))
    return phrases


def _bridged(doc: Doc, pieces: list[Piece], index: int) -> bool:
    left, right = pieces[index - 1], pieces[index]
    gap = doc[left.end : right.start]
    if left.kind == "person":  # "Putin's envoy", "the Bush administration"
        return (len(gap) == 1 and gap[0].text in POSSESSIVE) or (not len(gap) and right.kind == "agent")
    if len(gap) and all(token.lower_ in COORDINATORS for token in gap):
        return _coordinated_before_noun(doc, pieces, index)
    if len(gap) == 3 and gap[0].text == "(" and gap[2].text == ")" and gap[1].is_upper:
        return True  # "Revolutionary United Front (RUF) officials"
    tagged = doc.has_annotation("TAG")
    for token in gap:
        if token.text in POSSESSIVE or token.text in _HYPHENS:
            continue
        if token.lower_ == "led" and token.i > 0 and doc[token.i - 1].text in _HYPHENS:
            continue  # "Vietnamese-led forces", "U.S.-led coalition"
        if tagged and token.pos_ in _NOMINAL:
            continue
        if not tagged and token.is_title:
            continue
        return False
    return True


def _coordinated_before_noun(doc: Doc, pieces: list[Piece], index: int) -> bool:
    """Whether country ``index`` and the one before it are coordinated modifiers of a sector noun."""
    if pieces[index - 1].kind != "country" or pieces[index].kind != "country":
        return False
    if doc.has_annotation("DEP") and doc[pieces[index - 1].end - 1].dep_ not in _MODIFIER_DEPS:
        return False  # "between Syria and Palestinian leader Yasser Arafat": Syria heads its own phrase
    for following in range(index + 1, len(pieces)):
        gap = doc[pieces[following - 1].end : pieces[following].start]
        if pieces[following].kind == "agent":
            return all(token.pos_ in _NOMINAL or token.text in POSSESSIVE for token in gap)
        if pieces[following].kind != "country" or not all(t.lower_ in COORDINATORS for t in gap):
            return False
    return False


def merge_phrases(doc: Doc, phrases: list[Phrase]) -> list[Phrase]:
    """Join "the president of Armenia" and, with a parse, appositions ("Umerov, Ukraine's negotiator")."""
    merged: list[Phrase] = []
    for phrase in phrases:
        if merged and _of_person(doc, merged[-1], phrase):
            merged[-1].of_person = len(merged[-1].pieces)
            merged[-1].pieces.extend(phrase.pieces)
        elif merged and (
            _of_country(doc, merged[-1], phrase)
            or _in_country(doc, merged[-1], phrase)
            or _apposition(doc, merged[-1], phrase)
        ):
            merged[-1].pieces.extend(phrase.pieces)
        else:
            merged.append(phrase)
    return [phrase for phrase in merged if any(p.kind != "relation" for p in phrase.pieces)]


def _of_country(doc: Doc, left: Phrase, right: Phrase) -> bool:
    """ "the president of Armenia", "a member of the Syrian parliament", "leader of Hamas"."""
    gap = [token.lower_ for token in doc[left.end : right.start]]
    if gap not in (["of"], ["of", "the"]) or left.pieces[-1].kind not in ("agent", "relation"):
        return False
    kinds = {p.kind for p in right.pieces}
    if kinds == {"agent"}:
        return left.pieces[-1].kind == "relation"  # "members of the opposition"
    return kinds <= {"country", "institution", "organisation", "group", "agent"}


def _of_person(doc: Doc, left: Phrase, right: Phrase) -> bool:
    """ "the military government of President Prosper Avril": a body or sector named by the person it serves."""
    gap = [token.lower_ for token in doc[left.end : right.start]]
    return (
        gap == ["of"] and all(p.kind == "agent" for p in left.pieces) and any(p.kind == "person" for p in right.pieces)
    )


def _in_country(doc: Doc, left: Phrase, right: Phrase) -> bool:
    """ "rebels in Darfur", "ethnic Albanians in south Serbia", "a newspaper based in Beirut",
    "activists from the Fatah party": sector nouns placed in, or coming from, a country or body belong to it.

    With a parse, the preposition must attach to the sector noun, or to a
    participle of ``_PLACING`` that does ("deploy peacekeepers in Iraq"
    attaches it to the verb: Iraq stays a place).
    """
    if not all(p.kind in ("agent", "relation") for p in left.pieces):
        return False
    gap = list(doc[left.end : right.start])
    if gap and gap[0].lower_ in _PLACING:
        placing, gap = gap[0], gap[1:]
    else:
        placing = None
    if not gap or gap[0].lower_ not in ("in", "from"):
        return False
    tagged = doc.has_annotation("TAG")
    if not all(t.lower_ in _DETERMINERS or (tagged and t.pos_ == "ADJ") for t in gap[1:]):
        return False  # "in the", "in south", "from the defeated"
    allowed = {"country"} if gap[0].lower_ == "in" else {"country", "institution", "organisation", "group"}
    if not all(p.kind in allowed for p in right.pieces):
        return False
    if not doc.has_annotation("DEP"):
        return True
    head = gap[0].head
    if placing is not None:
        return head.i == placing.i and left.start <= placing.head.i < left.end
    return left.start <= head.i < left.end


def _apposition(doc: Doc, left: Phrase, right: Phrase) -> bool:
    gap = [t.lower_ for t in doc[left.end : right.start]]
    if not doc.has_annotation("DEP") or not gap or gap[0] != "," or not _DETERMINERS.issuperset(gap[1:]):
        return False
    kinds = ({p.kind for p in left.pieces}, {p.kind for p in right.pieces})
    if ("person" in kinds[0]) == ("person" in kinds[1]):
        return False
    other = kinds[1] if "person" in kinds[0] else kinds[0]
    if not other & {"agent", "relation", "institution", "organisation", "group"}:
        return False  # a role or a body: "Umerov, Ukraine's negotiator"; "Mamoun, a member of parliament"
    left_tokens, right_tokens = range(left.start, left.end), range(right.start, right.end)
    return any(
        token.dep_ == "appos"
        and (
            token.i in right_tokens
            and token.head.i in left_tokens
            or token.i in left_tokens
            and token.head.i in right_tokens
        )
        for token in doc[left.start : right.end]
    )


def coordinated_countries(doc: Doc, entities: list[Piece]) -> list[Piece]:
    """The countries of a phrase that "and"/"," join, when there are several distinct ones."""
    countries = [p for p in entities if p.kind == "country"]
    run = countries[:1]
    for left, right in pairwise(countries):
        gap = doc[left.end : right.start]
        if len(gap) and all(token.lower_ in COORDINATORS for token in gap):
            run.append(right)
    return run if len({p.entry.iso3 for p in run}) > 1 else []


def person_modifies(doc: Doc, pieces: list[Piece]) -> bool:
    """Whether the phrase's last person only qualifies a sector noun after it ("the Bush administration")."""
    last = max(i for i, piece in enumerate(pieces) if piece.kind == "person")
    if last + 1 >= len(pieces) or pieces[-1].kind != "agent":
        return False
    gap = doc[pieces[last].end : pieces[last + 1].start]
    return all(token.text in POSSESSIVE for token in gap)


def is_place_modifier(doc: Doc, piece: Piece) -> bool:
    """A city or capital that only modifies a following noun ("the Miami meetings"): a place."""
    if piece.kind != "country" or piece.entry.detail not in _PLACE_DETAILS:
        return False
    return modifies_noun(doc, piece.end)


def modifies_noun(doc: Doc, index: int) -> bool:
    """Whether the word ending at ``index`` only modifies the noun after it ("military modernization")."""
    if index >= len(doc) or index == 0:
        return False
    if doc.has_annotation("DEP"):
        word = doc[index - 1]
        return word.dep_ in ("compound", "amod", "nmod") and word.head.i >= index
    if not doc.has_annotation("TAG"):
        return False
    token = doc[index]
    return token.pos_ in ("NOUN", "PROPN") and not token.ent_type_ and token.text not in POSSESSIVE


def in_locative_slot(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``start:end`` name where something happens rather than who acts.

    That is the object of a locative preposition ("in Miami", "in
    southeastern Serbia", "in the town of Cizre", "in the capital Kabul"), of
    "to" after a word of motion ("flew to Moscow"), or of a verb of visiting
    ("visited Beijing"). With a dependency parse the phrase's head decides;
    without one, the words before it (determiners and, when tagged,
    adjectives; "to" and visit verbs are then not recognised).
    """
    if doc.has_annotation("DEP"):
        return _locative_head(doc, start, end)
    tagged = doc.has_annotation("TAG")
    index = start - 1
    for _ in range(4):
        if index < 0:
            return False
        token = doc[index]
        if token.lower_ in _DETERMINERS or (tagged and token.pos_ == "ADJ"):
            index -= 1
        elif token.lower_ == "of" and index > 0 and doc[index - 1].lower_ in PLACE_NOUNS:
            index -= 2  # "the town of"
        elif token.lower_ in PLACE_NOUNS:
            index -= 1  # "the capital Kabul"
        else:
            break
    return index >= 0 and doc[index].lower_ in LOCATIVE_PREPOSITIONS


def _locative_head(doc: Doc, start: int, end: int) -> bool:
    root = next((t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i), doc[end - 1])
    for _ in range(4):
        head = root.head
        if root.dep_ == "conj" and head.i != root.i:
            root = head  # "in Syria and Iraq"
        elif root.dep_ in ("appos", "compound") and head.lemma_.lower() in PLACE_NOUNS:
            root = head  # "the capital Kabul"
        elif root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
            root = head.head  # "the town of Cizre"
        else:
            break
    head = root.head
    if root.dep_ == "pobj":
        word = head.lower_
        return word in LOCATIVE_PREPOSITIONS or (word == "to" and head.head.lemma_.lower() in MOTION_WORDS)
    return root.dep_ == "dobj" and head.lemma_.lower() in VISIT_VERBS


def locative_slots(
    doc: Doc, start: int, end: int, keep: Callable[[int, int], bool] | None = None
) -> list[tuple[int, int]]:
    """Runs of proper nouns (capitalised words without tags) that stand in a locative slot of ``doc[start:end]``.

    Candidates for places the dictionaries do not know ("in Jericho"). ``keep(start, end)``, if given, is
    asked first (a cheap test such as a table lookup): runs it rejects are not looked at further.
    """
    tagged = doc.has_annotation("TAG")
    # only proper nouns (tagged) or alphabetic words not all lower case (untagged) can be name words: the
    # arrays spare making a Token of every word
    if tagged:
        possible = [pos == PROPN for pos in doc.to_array(POS).tolist()]
    else:
        possible = [alpha and not lower for alpha, lower in doc.to_array([IS_ALPHA, IS_LOWER]).tolist()]
    runs: list[tuple[int, int]] = []
    index = start
    while index < end:
        stop = index
        while stop < end and possible[stop] and _name_word(doc[stop], tagged) and stop - index < 4:
            stop += 1
        if stop > index:
            if (keep is None or keep(index, stop)) and in_locative_slot(doc, index, stop):
                runs.append((index, stop))
            index = stop
        else:
            index += 1
    return runs


def _name_word(token, tagged: bool) -> bool:
    if not token.is_alpha or not token.text[:1].isupper() or token.lower_ in _CALENDAR:
        return False
    if token.ent_type_ in ("DATE", "TIME"):
        return False  # "in March 2001"
    return token.pos_ == "PROPN" if tagged else True


def extends_to_collective(doc: Doc, end: int) -> bool:
    """Whether the word at ``end`` is a collective noun that the phrase before it modifies ("rebel group")."""
    if end >= len(doc) or doc[end].lower_ not in COLLECTIVE_NOUNS:
        return False
    if doc.has_annotation("DEP"):
        return doc[end - 1].head.i == end
    return not doc.has_annotation("TAG") or doc[end].pos_ == "NOUN"


def attitude_prefix(doc: Doc, start: int) -> bool:
    """Whether a name is the object of "pro-"/"anti-" ("pro-Iranian"): an attitude, not an identity."""
    return start >= 2 and doc[start - 1].text in _HYPHENS and doc[start - 2].lower_ in ("pro", "anti")


def conjoined_to(doc: Doc, previous: Phrase | None, phrase: Phrase) -> bool:
    """Whether a phrase is a person joined by "and" to the previous phrase, a person whose country the text gives."""
    if previous is None or not previous.actors or not previous.country_in_text:
        return False
    if previous.actors[-1].person is None:
        return False
    gap = [token.lower_ for token in doc[previous.end : phrase.start]]
    return gap in (["and"], [",", "and"])
