"""How the pieces of an actor phrase become a code: which body or country it is, its sector, a person's role.

Pure functions over ``actor_phrases.Piece`` lists, used by ``actors.ArticleActors``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .actor_lexicon import LexiconEntry
from .actor_phrases import Piece


def named_identity(entities: list[Piece]) -> Piece:
    """The body or country a phrase stands for: its last one, except after two adjacent demonyms.

    "Croatian Serb refugees", "Bosnian Serb forces", "Iraqi Kurdish groups":
    the first names the country, the second the people within it.
    """
    last = entities[-1]
    if len(entities) > 1:
        before = entities[-2]
        if before.end == last.start and {before.entry.detail, last.entry.detail} == {"demonym"}:
            return before
    return last


def only_places(entities: list[Piece]) -> bool:
    """Whether a phrase names only places: countries, regions, capitals or cities (not a demonym)."""
    return bool(entities) and all(p.kind == "country" and p.entry.detail != "demonym" for p in entities)


def identity_code(entry: LexiconEntry, sector: str | None) -> tuple[str, str | None]:
    """Return the code and country of a phrase whose identity is ``entry``."""
    if entry.kind == "organisation" or (entry.kind == "group" and not entry.iso3):
        return entry.code, entry.iso3 if entry.kind == "organisation" and entry.detail == "MNC" else None
    return entry.iso3 + (sector or ""), entry.iso3


def phrase_sector(identity: Piece, agents: list[Piece]) -> str | None:
    """The sector of a phrase: a body's own, else the leftmost sector noun, else GOV for a capital."""
    entry = identity.entry
    if identity.kind in ("institution", "group") and entry.sector:
        return entry.sector
    if agents:
        return agents[0].agent.sector
    if identity.kind == "organisation":
        return entry.sector
    return "GOV" if entry.detail == "capital" else None


def person_role(doc: Doc, agents: list[Piece], person: Piece) -> str:
    """A person's role: the sector nouns next to their name, with the adjectives just before them.

    The nouns before the name if there are any ("lead negotiator Rustem
    Umerov"), else those after it ("Rustem Umerov, Ukraine's lead negotiator").
    """
    side = [p for p in agents if p.end <= person.start] or [p for p in agents if p.start >= person.end]
    start, end = side[0].start, side[0].end
    for piece in side[1:]:
        if piece.start - end > 1:
            break
        end = piece.end  # "Secretary ... of State", "army spokesman"
    while start > 0 and doc[start - 1].pos_ == "ADJ" and doc[start - 1].is_lower:
        start -= 1  # "lead negotiator", "former president"
    return doc[start:end].text
