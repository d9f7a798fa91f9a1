"""Actors: who a sentence talks about, as CAMEO-style codes (``USAGOV``, ``RUSMIL``, ``IGOUNO``).

A sentence is read in three steps.

1. Pieces. Dictionary names (``actor_lexicon``: countries and their
   demonyms, capitals and regions; national bodies and seats of government;
   international organisations; armed groups; PETRARCH's persons), spaCy's
   PERSON entities, surnames of persons met earlier in the article, sector
   nouns (``officials`` → GOV, ``troops`` → MIL), and the pieces of
   ``actor_pieces`` (named bodies holding a country, unknown cities in a
   locative slot, ethnic groups, relational nouns such as "member").
   Overlaps go to the longest piece; on a tie a dictionary name beats a
   PERSON entity.
2. Noun phrases (``actor_phrases``). Neighbouring pieces form one phrase when
   only possessive ``'s``, hyphens, "-led", a parenthesised acronym and
   adjectives or nouns stand between them ("Ukraine's lead negotiator
   Rustem Umerov", "Vietnamese-led forces"). Countries joined by "and"/","
   form one phrase only when a sector noun follows ("Senior Hungarian and
   Romanian officials"); otherwise they are separate actors ("Jordan and
   Britain"). "X of Y" joins a sector or relational noun to a country or
   body ("the president of Armenia", "a member of the Syrian parliament")
   and a sector noun to a person ("the government of President X");
   "in"/"from"/"based in" joins sector nouns to a country ("rebels in
   Darfur"); with a dependency parse, an apposition joins a person to their
   role or body ("Rustem Umerov, Ukraine's lead negotiator").
3. One actor per phrase, or one per country of coordinated countries
   (``actor_codes``). A person takes the country and role of their phrase;
   the sector comes from the leftmost sector noun ("army spokesman" → MIL),
   else from the body, a capital (GOV) or the dictionary.

Rules chosen (see ``ArticleActors.find``):

- A country, region or city in a locative slot (``actor_phrases.in_locative_slot``:
  "in Miami", "near the town of Cizre", "flew to Moscow", "visited
  Beijing") is a *locative* actor: code and country are its country, sector
  None, ``locative=True``; the event coder takes it only as a fallback
  target. A seat of government or other body there is a plain actor ("at
  the Kremlin": the Russian government took part). A city or capital
  written as a plain modifier of another noun ("the Miami meetings") is no
  actor; possessives are actors ("Moscow's willingness" → RUSGOV).
- Capitals stand for their government: ``Moscow`` → ``RUSGOV``.
- Two adjacent demonyms name a people within a country: "Croatian Serb
  refugees" are Croatian (``actor_codes.named_identity``).
- A person conjoined to a previous person whose country the text states,
  and who has no country of their own, inherits that country and sector but
  not the role ("U.S. special envoy Steve Witkoff and Jared Kushner" → both
  USAGOV, only Witkoff is "special envoy").
- A later mention of a person by surname or full name takes what the
  article said of them first (``PersonMemory``); a full name the dictionary
  lacks is matched on first given name and surname ("Omar El Bashir").
  A lone name the dictionary holds more often as a given name than as a
  surname ("Bernie") is no dictionary person, and a country's or city's name
  opening a PERSON entity is a given name ("Jordan Peterson", "Alexandria
  Ocasio-Cortez") unless the rest is a person of that country ("Chad Deby").
- An actor with a national sector but no country, in a sentence whose other
  actors name exactly one country, takes that country (``_domestic``: wire
  copy gives foreign officials their nationality, so for a person that
  country must come from a body, not from another person).
- A person with neither country nor sector gets the code ``UNK``; a sector
  noun alone ("officials said") gets its sector as code (``GOV``).
- Without a dependency parse (``token.dep_`` empty) everything but the
  apposition rule still works from token order; without tags, only
  capitalised words bridge pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from .actor_codes import identity_code, named_identity, only_places, person_role, phrase_sector
from .actor_lexicon import ActorLexicon, AgentEntry, LexiconEntry, load_lexicon
from .actor_phrases import (
    POSSESSIVE,
    Phrase,
    Piece,
    conjoined_to,
    coordinated_countries,
    group_pieces,
    in_locative_slot,
    is_place_modifier,
    merge_phrases,
    modifies_noun,
    person_modifies,
)
from .actor_pieces import extra_pieces, keep_name, widen
from .persons import PersonMemory, PersonRecord, clean_name, names_after_titles

_BODIES = ("institution", "organisation", "group")
#: What "Georgia" is in an article that means the US state: a part of the United States, as "Texas" is.
_US_STATE = LexiconEntry(kind="country", code="USA", iso3="USA", detail="name")
#: Sectors ``ArticleActors._domestic`` leaves alone: international bodies and human-rights groups
#: (mostly international NGOs: Amnesty International, Human Rights Watch).
_INTERNATIONAL = frozenset({"IGO", "NGO", "HRI"})


@dataclass(frozen=True)
class ActorSpan:
    """One actor mention in a sentence, with its CAMEO-style code.

    ``start``/``end`` are token indices in the Doc (end exclusive). ``code``
    is country + sector (``USAGOV``, ``RUSMIL``, ``UKR``), an organisation's
    CAMEO code (``IGOUNO``, ``IGOWSTNAT`` for NATO), a sector alone (``GOV``)
    when no country is known, or ``UNK`` for a person of unknown country and
    sector. ``country`` is ISO 3166-1 alpha-3, None for organisations.
    ``locative`` marks a place named as a place ("in Amman", "visited
    Beijing"): code and country are its country, sector None; the event coder
    takes it only as a fallback target.
    """

    start: int
    end: int
    text: str
    code: str
    country: str | None
    sector: str | None
    person: str | None = None
    role: str | None = None
    locative: bool = False


def actor_category(actor: ActorSpan) -> str | None:
    """Return the category an actor is evaluated on: its ISO3 country, or "IGO"/"NGO" for organisations.

    None for actors with neither (a sector alone, an international armed group).
    """
    if actor.country:
        return actor.country
    for prefix in ("IGO", "NGO"):
        if actor.code.startswith(prefix):
            return prefix
    return None


def actor_words() -> frozenset[str]:
    """Return lower-case words whose presence makes a sentence worth looking at for actors.

    The last word of every dictionary name and sector noun ("kremlin",
    "putin", "ukrainian", "officials"); persons known only from the NER
    model or from earlier sentences are not in it.
    """
    return load_lexicon().head_words()


class ArticleActors:
    """Per-article resolver: remembers persons so later short mentions ("Witkoff") resolve to them.

    Feed it the sentences of one article in order.
    """

    def __init__(self, us_states: frozenset[str] = frozenset()) -> None:
        self.memory = PersonMemory()
        #: ambiguous names this article uses for a US state, not the country (``state_or_country``)
        self.us_states = us_states
        self._lexicon: ActorLexicon | None = None
        self._nouns: list[tuple[Span, AgentEntry]] = []  # the sector nouns of the current sentence

    def find(self, sent: Span | Doc) -> list[ActorSpan]:
        """Return the actors of a sentence (a Span of a parsed Doc, or a whole Doc), in text order."""
        span = sent if isinstance(sent, Span) else sent[:]
        if len(span) == 0:
            return []
        if self._lexicon is None:
            self._lexicon = load_lexicon()
        doc = span.doc
        pieces = self._pieces(span)
        phrases = merge_phrases(doc, group_pieces(doc, pieces))
        actors: list[ActorSpan] = []
        previous: Phrase | None = None
        for phrase in phrases:
            phrase.actors = self._resolve(doc, phrase, previous)
            actors.extend(phrase.actors)
            previous = phrase
        return self._domestic(actors)

    def _domestic(self, actors: list[ActorSpan]) -> list[ActorSpan]:
        """Give the sentence's one country to its national actors that name none ("President Dos Santos").

        Wire copy names a foreign official with their nationality ("South
        African leader de Klerk") and a domestic one without; so a person with
        a national sector but no country, in a sentence whose other actors
        (not persons) name exactly one country, is taken to be of that
        country, and a person of another named country leaves them as they
        are. A group with a national sector but no country ("leaders",
        "fundamentalists", "protesters") is of the one country the sentence
        names, persons' countries included ("Yoruba leaders … Nigerian
        President X"). Two countries leave every actor as it is.
        """
        named = {a.country for a in actors if a.country}
        if len(named) != 1:
            return actors
        (country,) = named
        persons_too = any(a.country and a.person is None for a in actors)  # the country comes from a body
        resolved = []
        for actor in actors:
            national = actor.sector is not None and actor.sector not in _INTERNATIONAL
            if actor.country is None and national and actor.code == actor.sector and (persons_too or not actor.person):
                actor = replace(actor, country=country, code=country + actor.sector)
                if actor.person:
                    self.memory.remember(PersonRecord(actor.person, actor.code, country, actor.sector, actor.role))
            resolved.append(actor)
        return resolved

    # ----------------------------------------------------------------- pieces

    def _pieces(self, span: Span) -> list[Piece]:
        lexicon = self._lexicon
        doc = span.doc
        nouns = self._nouns = lexicon.match_nouns(span)
        noun_tokens = {i for match, _ in nouns for i in range(match.start, match.end)}
        candidates: list[tuple[int, int, Piece]] = []
        names = lexicon.match_names(span)
        for match, entry in names:
            if self.us_states and entry.kind == "country" and match.text.lower() in self.us_states:
                entry = _US_STATE
            if keep_name(doc, match, entry, lexicon):
                candidates.append((len(match), 1, Piece(match.start, match.end, entry.kind, entry=entry)))
        candidates.extend(extra_pieces(lexicon, span, names, nouns))
        for ent in doc.ents:
            if ent.label_ == "PERSON" and span.start <= ent.start and ent.end <= span.end:
                start, end = ent.start, ent.end
                while start < end and (start in noun_tokens or self._qualifies(doc, start, end)):
                    start += 1
                while end > start and doc[end - 1].text in POSSESSIVE:
                    end -= 1
                if start < end:
                    bare = start - 1 not in noun_tokens  # "President Bush" is titled, "Bush" alone bare
                    entry = lexicon.person_by_surname(doc[start].text, bare=bare) if end - start == 1 else None
                    candidates.append((end - start, 0, Piece(start, end, "person", entry=entry)))
        for start, end in names_after_titles(span, nouns):
            candidates.append((end - start, 0, Piece(start, end, "person")))
        for token in span if self.memory.knows_anyone() else ():
            if token.is_alpha and token.text[:1].isupper() and self.memory.knows_surname(token.text):
                candidates.append((1, 0, Piece(token.i, token.i + 1, "person")))
        taken: set[int] = set()
        pieces: list[Piece] = []
        for _, _, piece in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2].start)):
            if not taken.intersection(range(piece.start, piece.end)):
                taken.update(range(piece.start, piece.end))
                pieces.append(piece)
        for match, agent in sorted(nouns, key=lambda m: (-len(m[0]), m[0].start)):
            if not taken.intersection(range(match.start, match.end)):
                taken.update(range(match.start, match.end))
                pieces.append(Piece(match.start, match.end, "agent", agent=agent))
        return widen(span, sorted(pieces, key=lambda piece: piece.start))

    # --------------------------------------------------------------- resolving

    def _qualifies(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the country word opening the PERSON entity ``doc[start:end]`` qualifies the name after it.

        A demonym always does ("Russian Putin"). A country's or city's name does only when the rest is a
        person of that country, known from the article or the dictionary ("Chad Deby"); else it is a given
        name of the person ("Jordan Peterson", "India Walton", "Alexandria Ocasio-Cortez").
        """
        lexicon = self._lexicon
        entry = lexicon.entries.get(doc[start].lower_)
        if entry is None or entry.kind != "country":
            return False
        if entry.detail == "demonym":
            return True
        rest = clean_name(doc[start + 1 : end].text)
        if not rest:
            return False
        known = self.memory.recall(rest)
        if known is not None:
            return known.country == entry.iso3
        person = lexicon.person_by_name(rest) if " " in rest else lexicon.person_by_surname(rest)
        return person is not None and person.iso3 == entry.iso3

    def _resolve(self, doc: Doc, phrase: Phrase, previous: Phrase | None) -> list[ActorSpan]:
        agent_starts = {p.start for p in phrase.pieces if p.kind == "agent"}
        pieces = [p for p in phrase.pieces if p.end in agent_starts or not is_place_modifier(doc, p)]
        if not pieces:
            return []
        persons = [p for p in pieces if p.kind == "person"]
        agents = [p for p in pieces if p.kind == "agent"]
        entities = [p for p in pieces if p.kind in _BODIES or p.kind == "country"]
        if phrase.of_person is not None and persons:  # "the military government of President X"
            return [self._led_body(doc, phrase, persons, phrase.pieces[: phrase.of_person])]
        if not agents and not persons and only_places(entities) and in_locative_slot(doc, phrase.start, phrase.end):
            return _locatives(doc, entities)
        if persons and person_modifies(doc, pieces):
            if not entities:
                return [self._led_body(doc, phrase, persons, agents)]
        elif persons:
            return [self._person(doc, phrase, persons, entities, agents, previous)]
        if not entities:
            last = agents[-1] if agents else None
            if last is None or modifies_noun(doc, last.end):  # "military modernization"
                return []
            sector = agents[0].agent.sector
            return [_actor(doc, phrase.start, phrase.end, sector, None, sector)]
        if (
            not agents
            and all(p.kind == "country" for p in entities)
            and in_locative_slot(doc, phrase.start, phrase.end)
        ):
            return []  # a demonym as a place: "in Chinese"
        identity = named_identity(entities)
        sector = phrase_sector(identity, agents)
        coordinated = coordinated_countries(doc, entities)
        if len(coordinated) > 1:  # the last country also covers the shared head: "Romanian officials"
            phrase.country_in_text = True
            ends = [p.end for p in coordinated[:-1]] + [max(coordinated[-1].end, *(p.end for p in agents))]
            return [
                _actor(doc, p.start, end, p.entry.iso3 + (sector or ""), p.entry.iso3, sector)
                for p, end in zip(coordinated, ends, strict=True)
            ]
        code, country = identity_code(identity.entry, sector)
        phrase.country_in_text = country is not None
        start = min(p.start for p in pieces)
        end = max(p.end for p in pieces)
        return [_actor(doc, start, end, code, country, sector)]

    def _person(self, doc, phrase, persons, entities, agents, previous) -> ActorSpan:
        head = persons[-1]
        name, country, sector, role = self._known_person(doc, head)
        org_code = body_sector = None
        if entities:  # what the text says beats the dictionary
            body = min(entities, key=lambda p: abs(p.start - head.start))
            country = body.entry.iso3
            org_code = body.entry.code if body.kind == "organisation" or not country else None
            body_sector = body.entry.sector if body.kind in ("institution", "group") else None
            phrase.country_in_text = country is not None
        elif len(persons) > 1:  # "Putin's envoy Kirill Dmitriev"
            country = self._known_person(doc, persons[0])[1] or country
        if agents:
            role, sector = person_role(doc, agents, head), agents[0].agent.sector
        else:  # a title inside a dictionary name: "President Vladimir Putin"
            inner = [(m, a) for m, a in self._nouns if m.start == head.start and m.end < head.end]
            if inner:
                role, sector = inner[0][0].text, inner[0][1].sector
        sector = body_sector or sector
        if country is None and org_code is None and conjoined_to(doc, previous, phrase):
            inherited = previous.actors[-1]
            country, sector = inherited.country, sector or inherited.sector
        code = org_code or (country or "") + (sector or "") or "UNK"
        record = self.memory.remember(PersonRecord(name=name, code=code, country=country, sector=sector, role=role))
        return ActorSpan(
            start=phrase.start,
            end=phrase.end,
            text=doc[phrase.start : phrase.end].text,
            code=code,
            country=country,
            sector=sector,
            person=record.name,
            role=role or record.role,
        )

    def _known_person(self, doc: Doc, piece: Piece) -> tuple[str, str | None, str | None, str | None]:
        """Name, country, sector and role of a person piece from the article so far, else the dictionary."""
        mention = clean_name(doc[piece.start : piece.end].text)
        entry = piece.entry
        earlier = self.memory.recall(mention) or (self.memory.recall(entry.person) if entry and entry.person else None)
        if earlier is not None:
            return earlier.name, earlier.country, earlier.sector, earlier.role
        entry = entry or (self._lexicon.person_by_name(mention) if " " in mention else None)
        if entry is not None:
            return entry.person or mention, entry.iso3, entry.sector, None
        return mention, None, None, None

    def _led_body(self, doc: Doc, phrase: Phrase, persons: list[Piece], agents: list[Piece]) -> ActorSpan:
        """ "the Bush administration", "Putin's envoy", "the government of President X": the body or
        agent of a person, in the person's country (the sector of the first of ``agents`` after the
        person, or of the first of them when all come before it)."""
        country = self._known_person(doc, persons[-1])[1]
        after = [p for p in agents if p.start > persons[-1].start] or agents
        sector = after[0].agent.sector
        phrase.country_in_text = country is not None
        return _actor(doc, phrase.start, phrase.end, (country or "") + sector, country, sector)


# --------------------------------------------------------------------- helpers


def _actor(doc: Doc, start: int, end: int, code: str, country: str | None, sector: str | None) -> ActorSpan:
    return ActorSpan(start=start, end=end, text=doc[start:end].text, code=code or "UNK", country=country, sector=sector)


def _locatives(doc: Doc, entities: list[Piece]) -> list[ActorSpan]:
    """Locative actors for the places of a phrase: each of coordinated countries, else the last one."""
    places = coordinated_countries(doc, entities) or entities[-1:]
    return [
        ActorSpan(
            start=p.start,
            end=p.end,
            text=doc[p.start : p.end].text,
            code=p.entry.iso3,
            country=p.entry.iso3,
            sector=None,
            locative=True,
        )
        for p in places
    ]
