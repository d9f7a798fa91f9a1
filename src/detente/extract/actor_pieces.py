"""Actor pieces beyond the dictionary matches: named bodies, unknown places, ethnic groups, collectives.

``ArticleActors._pieces`` (``actors.py``) matches the dictionaries and the
NER's persons; this module adds the pieces that need the sentence around
them, each by a general rule:

- a dictionary name that follows "pro-"/"anti-" is an attitude, not who the
  actor is ("the pro-Iranian Hizbollah group" is Lebanese): dropped;
- an armed group's name that the named-entity recogniser reads otherwise is
  dropped: inside a longer name ("the Detroit Tigers", "the Trump
  Organization": an entity that holds other proper nouns, unless they are a
  country's name or demonym, "Afghan Taliban"), or as a date, event,
  product or work ("Black Friday", "17 November"). PETRARCH's armed-group
  dictionary holds common words as names and translated aliases ("Tigers",
  "Organization"), and a name the recogniser reads as part of something
  else is not that group;
- likewise a place's name that the recogniser reads inside a longer name
  whose other proper words are neither English nor dictionary names
  ("Ariana Grande", "Paris Hilton": named after the place, not the place),
  as a place and as the country of a named body; "Washington Post" and
  "U.S. Supreme Court" keep theirs;
- "ethnic" before a demonym names an ethnic group, whose country is not the
  demonym's ("ethnic Albanians in Serbia", "ethnic Turks in Bulgaria"): a
  civilian sector noun, so the phrase takes a country only from the text
  ("in Serbia");
- an organisation the NER model finds, unknown to the dictionaries, whose name
  holds exactly one country ("the Nigerian Union of Teachers", "the Serbian
  Workers' Union"): a body of that country, with the sector of a sector noun
  in its name;
- a proper noun in a locative slot ("in Jericho", ``actor_phrases.in_locative_slot``)
  that the GeoNames cities table knows: a city of its country;
- relational nouns ("member", ``actor_phrases.RELATIONAL_NOUNS``) become
  pieces that only join a phrase ("a member of the Syrian parliament");
- a sector noun, armed group or organisation followed by a collective noun
  it modifies ("rebel group", "the Hizbollah group") takes that noun into
  its piece, so the phrase covers the head noun the event coder looks at.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.attrs import LOWER
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

from .actor_lexicon import ActorLexicon, AgentEntry, LexiconEntry
from .actor_phrases import RELATIONAL_NOUNS, Piece, attitude_prefix, extends_to_collective, locative_slots

#: Lexicon kinds a named organisation may not contain: it would be that body, not a new one.
_KNOWN_BODIES = frozenset({"institution", "organisation", "group", "person"})
_ETHNIC = AgentEntry(code="CVL", sector="CVL")


@lru_cache(maxsize=4)
def _keys(strings: StringStore, words: frozenset[str]) -> frozenset[int]:
    """The string keys of lower-case words, to test a doc's ``LOWER`` array against."""
    return frozenset(strings[word] for word in words)


def keep_name(doc: Doc, match: Span, entry: LexiconEntry, lexicon: ActorLexicon) -> bool:
    """Whether a dictionary match stands as a name (not "pro-Iranian", not "ethnic Albanians", not "the Detroit
    Tigers")."""
    if entry.kind == "group":
        return _entities_agree(doc, match, lexicon)
    if entry.kind != "country":
        return True
    if attitude_prefix(doc, match.start) or _ethnic(doc, match, entry):
        return False
    return entry.detail == "demonym" or not _inside_foreign_name(doc, match, lexicon)


#: Entity labels that say a span names no actor.
_NOT_ACTORS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PRODUCT",
                         "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})


def _entities_agree(doc: Doc, match: Span, lexicon: ActorLexicon) -> bool:
    """Whether the entities leave ``match`` a name of its own (always, when the doc has no entities)."""
    if not doc.has_annotation("ENT_IOB"):
        return True
    for ent in doc.ents:
        if ent.end <= match.start or ent.start >= match.end:
            continue
        if ent.label_ in _NOT_ACTORS:
            return False
        for token in (*ent[: max(0, match.start - ent.start)], *ent[max(0, match.end - ent.start):]):
            if token.is_punct or token.lower_ in ("the", "'s", "’s") or not _proper_word(token):
                continue  # only another proper name makes a longer name ("Deadly Taliban attack" does not)
            known = lexicon.entries.get(token.lower_)
            if known is None or known.kind != "country" or known.detail not in ("name", "demonym"):
                return False  # "Detroit Tigers": part of another name
    return True


def _inside_foreign_name(doc: Doc, match: Span, lexicon: ActorLexicon) -> bool:
    """Whether the entity recogniser reads a place name as part of a longer name whose other proper words
    are neither English words nor dictionary names ("Ariana Grande", "Paris Hilton"): a person or brand
    named after the place, not the place. "Washington Post", "U.S. Supreme Court" and "Israel Defense
    Forces" stay: their other words are English."""
    if not doc.has_annotation("ENT_IOB"):
        return False
    return any(_holds_foreign_word(ent, match, lexicon) for ent in doc.ents
               if ent.start < match.end and match.start < ent.end and ent.label_ not in ("GPE", "LOC", "NORP"))


def _holds_foreign_word(ent: Span, match: Span, lexicon: ActorLexicon) -> bool:
    """Whether a city's or region's name ``match`` has, next to it inside the entity ``ent``, a proper word that
    is no English word and no dictionary name. A sovereign country's name never does: "India Coronavirus" and
    "North Korea Denuclearization" are badly cased headlines, not names."""
    from .places import is_country_name
    from .truecase import is_common

    if is_country_name(match.text):
        return False
    neighbours = [ent.doc[i] for i in (match.start - 1, match.end) if ent.start <= i < ent.end]
    return any(
        token.is_alpha and _proper_word(token) and not is_common(token.lower_) and token.lower_ not in lexicon.entries
        for token in neighbours
    )


def _proper_word(token) -> bool:
    """A proper noun: by its tag, or, untagged, by its capital (a sentence's first word aside)."""
    if token.pos_:
        return token.pos_ == "PROPN"
    return token.text[:1].isupper() and token.i > 0


def _ethnic(doc: Doc, match: Span, entry: LexiconEntry) -> bool:
    return entry.detail == "demonym" and match.start > 0 and doc[match.start - 1].lower_ == "ethnic"


def extra_pieces(
    lexicon: ActorLexicon, span: Span, names: list[tuple[Span, LexiconEntry]], nouns: list[tuple[Span, AgentEntry]]
) -> list[tuple[int, int, Piece]]:
    """Candidate pieces ``(length, priority, piece)`` from the rules of the module docstring.

    Priority 1 ties with dictionary names (the longest piece still wins).
    """
    doc = span.doc
    candidates: list[tuple[int, int, Piece]] = []
    for match, entry in names:
        if entry.kind == "country" and _ethnic(doc, match, entry):
            candidates.append((len(match) + 1, 1, Piece(match.start - 1, match.end, "agent", agent=_ETHNIC)))
    for ent in doc.ents:
        if ent.label_ == "ORG" and len(ent) > 1 and span.start <= ent.start and ent.end <= span.end:
            piece = _named_body(ent, names, nouns, lexicon)
            if piece is not None:
                candidates.append((len(ent), 1, piece))
    named = {i for match, _ in names for i in range(match.start, match.end)}

    def known_city(start: int, end: int) -> bool:
        return named.isdisjoint(range(start, end)) and doc[start:end].text.lower() in lexicon.cities

    for start, end in locative_slots(doc, span.start, span.end, keep=known_city):
        iso3 = lexicon.cities[doc[start:end].text.lower()]
        if iso3:
            entry = LexiconEntry(kind="country", code=iso3, iso3=iso3, detail="city")
            candidates.append((end - start, 1, Piece(start, end, "country", entry=entry)))
    return candidates


def _named_body(
    ent: Span, names: list[tuple[Span, LexiconEntry]], nouns: list[tuple[Span, AgentEntry]], lexicon: ActorLexicon
) -> Piece | None:
    inside = [(m, e) for m, e in names if ent.start <= m.start and m.end <= ent.end]
    if any(entry.kind in _KNOWN_BODIES for _, entry in inside):
        return None
    if any(e.kind == "country" and e.detail != "demonym" and _holds_foreign_word(ent, m, lexicon) for m, e in inside):
        return None  # "Ariana Grande" is no Tunisian body
    countries = {entry.iso3 for _, entry in inside if entry.kind == "country"}
    if len(countries) != 1:
        return None
    iso3 = countries.pop()
    sector = next((agent.sector for m, agent in nouns if ent.start <= m.start and m.end <= ent.end), None)
    start = ent.start + (ent[0].lower_ == "the")
    entry = LexiconEntry(kind="institution", code=iso3 + (sector or ""), iso3=iso3, sector=sector, name=ent.text)
    return Piece(start, ent.end, "institution", entry=entry)


def widen(span: Span, pieces: list[Piece]) -> list[Piece]:
    """Add relational-noun pieces and stretch pieces over the collective noun they modify."""
    doc, end = span.doc, span.end
    taken = {i for p in pieces for i in range(p.start, p.end)}
    tagged = doc.has_annotation("TAG")
    relational = _keys(doc.vocab.strings, RELATIONAL_NOUNS)
    for i, key in enumerate(doc.to_array(LOWER)[span.start : span.end].tolist(), start=span.start):
        if key in relational and i not in taken and (not tagged or doc[i].pos_ == "NOUN"):
            pieces.append(Piece(i, i + 1, "relation"))
    pieces.sort(key=lambda piece: piece.start)
    for index, piece in enumerate(pieces):
        following = pieces[index + 1].start if index + 1 < len(pieces) else end
        if (
            piece.kind in ("agent", "group", "organisation")
            and piece.end < following
            and extends_to_collective(doc, piece.end)
        ):
            piece.end += 1
    return pieces
