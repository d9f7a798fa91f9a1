"""Who did it to whom, and with what: the arguments of a coded trigger, from the dependency parse.

``events.py`` decides what happened (the CAMEO code of a trigger); this
module finds its arguments among the sentence's actor spans — source,
target, the party informed — and its instrument. The rules, each general:

- *source*: the subject (the ``by``-agent in the passive; the governing
  verb's subject for complements and conjoined verbs; the modified noun for
  relative clauses and active participles — or, when that noun is the
  non-actor object of a verb, "issued a declaration demanding", that verb's
  subject). A pronoun subject of a reported
  clause ("Iraq said it would allow") is the speaker. A subject that is not
  an actor ("the storm reached Florida") leaves the source empty; only a
  verb without any subject takes another actor of its clause. A nominal
  event takes its source from its own phrase: the possessor, a nationality
  modifier or ``by``. Whoever reports the clause ("…, the agency
  reported") is neither its source nor its target.
- *target*: the pattern's ``+`` preposition, the indirect/direct object,
  the passive subject, the noun a passive participle modifies, the verb's
  prepositional objects, the subject of a demanded clause, a conjoined
  co-subject for reciprocal events ("X and Y met"), then (lower confidence)
  another actor of the clause or sentence. An object owned by a possessive
  pronoun ("withdraw *its* troops from Lebanon") belongs to the source and
  is tried last.
- *specified before bare*: within a noun phrase, an actor that names a
  country or an organisation is preferred to a bare sector noun of the same
  phrase ("Vietnamese-led *forces*", "*officials* of the Montenegro
  Association"): the sector noun says what kind of actor, the modifier whose.
  Among the target candidates, a bare sector noun is kept only when no
  candidate names a country or organisation.
- *places*: an actor the resolver marks ``locative`` (a country or city
  named as a place: "arrived in Amman") is never a source, and is a target
  only when no other target was found and the event — or an event it took
  over ("cancelled a *visit* to Haiti") — is one that happens to a place
  (``PLACE_EVENT_CODES``: visits and arrivals, aid and deployments, easing
  curfews, admitting peacekeepers or aid, withdrawing, protests,
  mobilisation, coercion, violence): first a place among the target
  positions, then, after the other actors of the clause, one of the
  sentence.
- *instrument*: see ``violence_code``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from .verbs import phrase

if TYPE_CHECKING:
    from .actors import ActorSpan

#: CAMEO code prefixes of events whose natural object is a place: visits (042, 043), aid and peacekeeping
#: deployments (07), easing curfews and emergencies (081), admitting peacekeepers, inspectors or aid (086),
#: withdrawing from a place (087), protest (14), mobilisation (15), coercion (17: curfews, blockades, arrests
#: in a place), assault and fighting (18, 19, 20).
PLACE_EVENT_CODES = ("042", "043", "07", "081", "086", "087", "14", "15", "17", "18", "19", "20")

_SUBJECTS = ("nsubj", "csubj")
_TARGET_PREPS = ("against", "with", "to", "on", "into", "at", "in", "from", "toward", "towards", "over", "upon",
                 "for", "of", "about", "between", "across", "inside", "near")
_SKIP_IN_NP = frozenset({"relcl", "acl", "advcl", "ccomp", "punct", "cc", "parataxis"})
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "our"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my", "your"})
_OBJECT_DEPS = ("dative", "dobj", "nsubjpass", "attr")
_BODY_CODES = ("IGO", "NGO", "IMG", "MNC")  # CAMEO codes of bodies that belong to no one country
_GENERIC_VIOLENCE = frozenset({"180", "190", "200", "202"})  # codes that name no means of violence
_MEANS_PRIORITY = ("195", "194", "183", "193")  # aerial, artillery, bombing, small arms
_NON_STATE_ARMED = frozenset({"REB", "UAF", "INS", "CRM"})  # rebels, unidentified armed forces, criminals


def is_locative(actor: ActorSpan | None) -> bool:
    """True for a place named as a place ("in Amman"): the resolver's ``locative`` flag, False before it has one."""
    return bool(getattr(actor, "locative", False))


def is_specified(actor: ActorSpan) -> bool:
    """True when an actor names whose it is: a country, or an international or non-state body's code."""
    return bool(actor.country) or (actor.code or "").startswith(_BODY_CODES)


def is_place_event(code: str | None, nominal: bool = False) -> bool:
    """True for CAMEO codes whose object is naturally a place (``PLACE_EVENT_CODES``; a verb coded 040 too:
    "arrived in Amman", where a meeting noun's place is only where it was held)."""
    return bool(code) and (code.startswith(PLACE_EVENT_CODES) or (code == "040" and not nominal))


class ActorIndex:
    """The actor spans of one sentence, looked up by token; parties and places apart."""

    def __init__(self, actors: list[ActorSpan]) -> None:
        self.by_token: dict[int, ActorSpan] = {}
        self.places: dict[int, ActorSpan] = {}
        for actor in actors:
            table = self.places if is_locative(actor) else self.by_token
            for i in range(actor.start, actor.end):
                table.setdefault(i, actor)
        self.ordered = sorted((a for a in actors if not is_locative(a)), key=lambda a: a.start)

    def _phrase_actors(self, head: Token | None, table: dict[int, ActorSpan], exclude: tuple) -> list[ActorSpan]:
        """Actors of ``head``'s phrase, nearest first (breadth-first, embedded clauses excluded)."""
        found: list[ActorSpan] = []
        if head is None:
            return found
        layer = [head]
        for _ in range(8):
            for token in layer:
                actor = table.get(token.i)
                if actor is not None and actor not in exclude and actor not in found:
                    found.append(actor)
            layer = [c for t in layer for c in t.children if c.dep_ not in _SKIP_IN_NP]
            if not layer:
                break
        return found

    def members(self, head: Token | None) -> tuple[ActorSpan, ...]:
        """Every party named in ``head``'s phrase."""
        return tuple(self._phrase_actors(head, self.by_token, ()))

    def in_phrase(self, head: Token | None, exclude: tuple = ()) -> ActorSpan | None:
        """The party named by ``head``'s phrase: the nearest specified actor, else the nearest actor."""
        found = self._phrase_actors(head, self.by_token, exclude)
        return next((a for a in found if is_specified(a)), found[0] if found else None)

    def place_in_phrase(self, head: Token | None) -> ActorSpan | None:
        """The place (locative actor) nearest ``head`` in its phrase."""
        found = self._phrase_actors(head, self.places, ())
        return found[0] if found else None


def pobj(prep: Token | None) -> Token | None:
    """The object of a preposition (or its clausal complement)."""
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def logical_subject(v: Token) -> tuple[Token | None, bool]:
    """The (logical) subject of ``v``, climbing to governing verbs; second value: found by climbing."""
    token, climbed = v, False
    for _ in range(6):
        subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), agent), climbed
        if subject is not None and subject.tag_ in ("WDT", "WP") and token.dep_ == "relcl":
            return token.head, True  # "the forces that attacked": the relative pronoun stands for "forces"
        if subject is not None:
            return subject, climbed
        if token.dep_ == "acl" and token.tag_ == "VBN":
            return None, climbed  # "the curfew imposed in Sudan": the noun is the patient; no agent given
        if token.dep_ in ("relcl", "acl") and not any(c.dep_ == "nsubjpass" for c in token.children):
            return token.head, True
        # shared subjects: complements, conjoined verbs, adverbial clauses; a reported clause ("ccomp") has
        # its own, and its speaker is no agent of it
        if token.dep_ not in ("xcomp", "conj", "advcl", "acomp") or token.head.i == token.i:
            return None, climbed
        head = token.head
        if token.dep_ == "xcomp":
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, True
        token, climbed = head, True
    return None, climbed


def speaker(v: Token, actors: ActorIndex) -> ActorSpan | None:
    """The subject of the nearest governing verb: who reports or intends the clause of ``v``."""
    token = v
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
            actor = actors.in_phrase(subject)
            if actor is not None:
                return actor
    return None


def source_phrase(v: Token, nominal: bool, actors: ActorIndex, source: ActorSpan | None) -> tuple[ActorSpan, ...]:
    """The parties of the source's phrase (the subject's) that cannot be the target: all but the source's
    conjuncts ("U.S. and Ukrainian officials agreed": Ukraine is the other party)."""
    if nominal or source is None:
        return ()
    subject, _ = logical_subject(v)
    doc = v.doc
    own = {t.i for t in doc[source.start:source.end]}

    def coordinated(actor: ActorSpan) -> bool:
        return any(t.dep_ == "conj" and (t.head.i in own or any(c.i in own for c in t.conjuncts))
                   for t in doc[actor.start:actor.end])

    return tuple(a for a in actors.members(subject) if a is source or not coordinated(a))


def find_source(v: Token, nominal: bool, actors: ActorIndex) -> tuple[ActorSpan | None, float]:
    """The source actor of trigger ``v`` and how directly it was found (1.0 direct … 0.6 fallback)."""
    if nominal:
        for child in v.children:
            if child.dep_ in ("poss", "amod", "compound") and (a := actors.in_phrase(child)) is not None:
                return a, 1.0
            if child.dep_ in ("prep", "agent") and child.lower_ == "by" and (a := actors.in_phrase(pobj(child))):
                return a, 1.0
    subject, climbed = logical_subject(v)
    if nominal and subject is None:
        return None, 1.0
    actor = actors.in_phrase(subject)
    if actor is None and v.dep_ == "acl" and subject == v.head and subject.dep_ == "dobj":
        # "issued a declaration demanding ...": what a non-actor object says, its issuer says
        actor = actors.in_phrase(logical_subject(subject.head)[0])
    if subject is not None and subject.lower_ in _PRONOUNS and (actor is None or actor.start == subject.i):
        actor = speaker(v, actors) or actor
    if actor is not None:
        return actor, 0.95 if climbed else 1.0
    if subject is not None:  # "the storm reached Florida": the subject is known and is no actor
        return None, 1.0
    said_by = reporters(v, actors)
    in_clause = [a for a in actors.ordered
                 if a not in said_by and any(t.i == v.i for t in v.doc[a.start].ancestors)]
    return (in_clause[0], 0.6) if in_clause else (None, 1.0)


def reporters(v: Token, actors: ActorIndex) -> tuple[ActorSpan, ...]:
    """The parties that report the clause of ``v`` ("..., the news agency reported"): the subjects of the
    verbs it is a complement clause of. They are neither its source nor its target."""
    found: list[ActorSpan] = []
    token = v
    while token.head.i != token.i:
        if token.dep_ in ("ccomp", "parataxis"):
            subject = next((c for c in token.head.children if c.dep_ in _SUBJECTS), None)
            found.extend(actors.members(subject))
        token = token.head
    return tuple(found)


def _owned_by_pronoun(token: Token) -> bool:
    """ "its troops", "their hunger strike": an object the source owns, not the target."""
    return any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS for c in token.children)


def _candidates(v: Token, heads: list[Token], target_prep: str | None, nominal: bool) -> list[Token | None]:
    """The target positions of a trigger, most direct first."""
    preps = [c for h in heads for c in h.children if c.dep_ == "prep"]
    objects = [c for h in heads for c in h.children if c.dep_ in _OBJECT_DEPS]
    ordered: list[Token | None] = [v.head] if v.dep_ == "acl" and v.tag_ == "VBN" else []  # "curfew imposed"
    if target_prep:
        ordered += [pobj(p) for p in preps if p.lemma_.lower() == target_prep]
    ordered += sorted(objects, key=lambda c: _OBJECT_DEPS.index(c.dep_))
    for name in _TARGET_PREPS:
        ordered += [pobj(p) for p in preps if p.lower_ == name]
    for obj in objects:
        ordered += [pobj(p) for p in obj.children if p.dep_ == "prep"]
    for head in heads:
        ordered += [c for c in head.children if c.dep_ in ("poss", "amod", "compound") and nominal]
    for clause in (c for c in v.children if c.dep_ in ("ccomp", "xcomp")):
        ordered += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "dative")]
    for clause in (c for c in v.children if c.dep_ == "xcomp"):  # the infinitive's own prepositional objects:
        clause_preps = [c for c in clause.children if c.dep_ == "prep"]  # "willing to withdraw from Lebanon"
        for name in _TARGET_PREPS:
            ordered += [pobj(p) for p in clause_preps if p.lower_ == name]
    owned = [t for t in ordered if t is not None and _owned_by_pronoun(t)]
    return [t for t in ordered if t is not None and t not in owned] + owned


def find_target(
    v: Token, actors: ActorIndex, source: ActorSpan | None, *, nominal: bool = False,
    span: tuple[int, int] | None = None, target_prep: str | None = None, codes: tuple[str, ...] = (),
    exclude: tuple = (),
) -> tuple[ActorSpan | None, float]:
    """The target actor of trigger ``v`` and how directly it was found (1.0 direct … 0.5 fallback).

    ``span``: the trigger's tokens; ``codes``: its CAMEO code and those of the events it took over ("cancel
    a visit": 160 and the visit's 042), which say whether it happens to a place; ``exclude``: actors that
    cannot be the target (the source's phrase).
    """
    place_event = any(is_place_event(code, nominal) for code in codes)
    exclude = (*exclude, source) if source is not None else exclude
    heads = [v] + ([v.doc[span[1] - 1]] if span and span[1] - 1 != v.i else [])
    ordered = _candidates(v, heads, target_prep, nominal)
    bare: ActorSpan | None = None
    for token in ordered:
        actor = actors.in_phrase(token, exclude)
        if actor is not None and is_specified(actor):
            return actor, 1.0
        bare = bare or actor
    subject, _ = logical_subject(v) if not nominal else (None, False)
    for conj in subject.conjuncts if subject is not None else ():  # "X and Y met": each is the other's target
        actor = actors.in_phrase(conj, exclude)
        if actor is not None:
            return actor, 0.9
    for token in ordered if place_event else ():
        place = actors.place_in_phrase(token)
        if place is not None:
            return place, 0.9
    if bare is not None:
        return bare, 1.0
    if nominal:  # a nominal event's arguments are in its own phrase
        return None, 1.0
    said_by = reporters(v, actors)
    others = [a for a in actors.ordered if a not in exclude and a not in said_by and v.sent.start <= a.start]
    in_clause = [a for a in others if any(t.i == v.i for t in v.doc[a.start].ancestors)]
    if in_clause:
        return in_clause[0], 0.7
    places = sorted(set(actors.places.values()), key=lambda a: a.start) if place_event else []
    if places:  # "declared a state of siege in Haiti, ... arresting opponents"
        return places[0], 0.6
    return (others[0], 0.5) if others else (None, 1.0)


def informed_party(v: Token, actors: ActorIndex, source: ActorSpan | None) -> ActorSpan | None:
    """The party a verb of informing ("brief Y", "present X to Y") addresses: its "to"-object or direct
    object, when that is a named actor (a country, a body or a person)."""
    exclude = (source,) if source is not None else ()
    for child in v.children:
        head = pobj(child) if child.dep_ == "prep" and child.lower_ == "to" else child
        actor = actors.in_phrase(head, exclude) if child.dep_ in ("dobj", "dative", "prep") else None
        if actor is not None and (is_specified(actor) or actor.person):
            return actor
    return None


def addressee(v: Token, actors: ActorIndex, source: ActorSpan | None) -> ActorSpan | None:
    """Whom a verb of saying addresses: its indirect object or "to"-object ("issued a reminder to Iraq",
    "warned Iraq"), the party a pronoun subject of what it says ("that it must ...") stands for."""
    exclude = (source,) if source is not None else ()
    for child in v.children:
        if child.dep_ in ("dative", "dobj") or (child.dep_ == "prep" and child.lower_ == "to"):
            actor = actors.in_phrase(pobj(child) if child.dep_ == "prep" or child.lower_ == "to" else child, exclude)
            if actor is not None:
                return actor
    return None


def reporting_verb(clause: Token) -> Token | None:
    """The verb whose subject says ``clause``: its head for a complement clause ("said that ..."), the verb
    of the noun whose content it is for a "that"-clause on a noun ("issued a reminder that ...")."""
    if clause.dep_ == "ccomp":
        return clause.head
    if clause.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        noun = clause.head
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
            return noun.head
    return None


def _means(token: Token, span: tuple[int, int] | None, means: dict[tuple[str, ...], str]) -> str | None:
    """The violence code of the instrument named in the trigger's clause or its subject's phrase."""
    words: set[str] = set()
    heads = [token] + ([token.doc[span[1] - 1]] if span else [])
    subject, _ = logical_subject(token)
    for head in [*heads, *([subject] if subject is not None else [])]:
        for t in phrase(head):
            words.update((t.lower_, t.lemma_.lower()))
    found = {code for unit, code in means.items() if all(w in words for w in unit)}
    return next((code for code in _MEANS_PRIORITY if code in found), None)


def violence_code(code: str | None, token: Token, span: tuple[int, int] | None, source: ActorSpan | None,
                  means: dict[tuple[str, ...], str]) -> str | None:
    """A generic violence code (180, 190, 200, 202) refined by the instrument, else by the agent.

    The instrument (``means``: "bomb" 183, "aircraft" 195, "shelling" 194,
    "gunbattle" 193) gives the CAMEO code of violence by that means; without
    one, 190 by rebels or another non-state armed group (sectors REB, UAF,
    INS, CRM) is 180 — the PLOVER manual's line between unconventional
    violence (ASSAULT) and conventional force by organised armed forces
    (FIGHT). Any other code is returned unchanged.
    """
    if code is None or code[:3] not in _GENERIC_VIOLENCE:
        return code
    instrument = _means(token, span, means)
    if instrument is not None:
        return instrument
    if code[:3] == "190" and source is not None and source.sector in _NON_STATE_ARMED:
        return "180"
    return code
