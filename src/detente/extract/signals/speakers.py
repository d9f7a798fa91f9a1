"""Who says it: the speaker of a characterisation or a quotation.

A reading belongs to the subject of the reporting or characterising verb
above it ("the Kremlin *summarized* its encounter as 'constructive'",
"officials *said* the talks were productive", "X *described* the sessions
as productive" — a conjoined verb without a subject takes its head's), to
the subject of any verb whose "as" complement or object predicate holds it
("rejected the plan as unacceptable", "deemed it useful"), to the source
of "according to X", or to the subject of a reporting verb in parataxis
("The talks were useful, officials said"). Reporting verbs are the speech
verbs of ``modality.yaml`` (FactBank's source-introducing predicates)
and the characterising verbs of ``register.yaml``.

Without a dependency parse, the speaker of a quoted sentence is a
mention standing right before or after a reporting verb ("X said",
"said X").
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from spacy.tokens import Token

from ..clause import subject_of
from .context import Party, SentenceContext
from .lexicon import word_set

_QUOTES = frozenset({'"', "“", "”", "«", "»", "``", "''"})
#: Inflected forms of common reporting verbs, for sentences without lemmas.
_REPORTING_FORMS = frozenset({
    "said", "says", "told", "tells", "added", "adds", "stated", "states", "declared", "noted", "warned", "insisted",
    "stressed", "described", "describes", "called", "calls", "summarized", "summarised", "characterized",
    "characterised", "termed", "wrote", "tweeted", "announced", "claimed", "argued", "according",
})


@cache
def reporting_verbs() -> frozenset[str]:
    """Lemmas of speech verbs (``modality.yaml``) and characterising verbs (``register.yaml``)."""
    from ..modality import lexicon

    return frozenset(lexicon()["speech_verbs"]) | word_set("register.yaml", "characterising_verbs")


def _subject(verb: Token) -> Token | None:
    """The verb's subject; a conjoined or participial verb without one takes its head's."""
    node = verb
    for _ in range(4):
        subject = subject_of(node)
        if subject is not None:
            return subject
        if node.dep_ in {"conj", "xcomp", "advcl"} and node.head.i != node.i:
            node = node.head
            continue
        return None
    return None


def _agent(verb: Token) -> Token | None:
    """The "by X" agent of a passive verb ("were described by officials as ...")."""
    return next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)


def _according_to(node: Token) -> Token | None:
    for child in node.children:
        if child.dep_ == "prep" and child.lower_ == "according":
            return next((g for t in child.children if t.lower_ == "to" for g in t.children if g.dep_ == "pobj"), None)
    return None


def speaker_candidates(token: Token) -> Iterator[tuple[Token, Token, bool]]:
    """Who may say or characterise what ``token`` is part of, nearest first: ``(head of the speaker's
    phrase, the verb it is the subject of, reported)``. ``reported`` is False for the subject of the
    token's own verb or of a verb whose "as" phrase or predicate holds it: that subject is a speaker only
    if it names a party ("the conversations produced progress" is no one's reading)."""
    verbs = reporting_verbs()
    node, below = token, None
    while True:
        if node.pos_ in {"VERB", "AUX"}:
            reported = node.lemma_.lower() in verbs
            characterising = below is not None and (
                below.dep_ in {"oprd", "acomp"} and node.lemma_ != "be"
                or below.dep_ == "prep" and below.lower_ == "as"
            )
            if reported or characterising or node.i == token.i:
                found = _agent(node) or _subject(node)
                if found is not None and found.i != token.i:
                    yield found, node, reported
        if (source := _according_to(node)) is not None:
            yield source, node, True
        for child in node.children:
            if (child.dep_ == "parataxis" and child.lemma_.lower() in verbs and child != below
                    and (found := _subject(child)) is not None):
                yield found, child, True
        if node.head.i == node.i:
            return
        node, below = node.head, node


def speaker_parties(ctx: SentenceContext, token: Token) -> tuple[list[Party], Token | None, Token | None]:
    """The parties who say what ``token`` is part of, the speaker's head token and the verb it is the
    subject of (empty and None: the writer)."""
    if not ctx.parsed:
        return [], None, None
    for head, verb, reported in speaker_candidates(token):
        parties = ctx.parties_of(head)
        if parties or reported:
            return parties, head, verb
    return [], None, None


def quote_speaker(ctx: SentenceContext) -> str | None:
    """Actor code of the speaker of a sentence that quotes someone, None if it quotes no named party.

    The sentence must hold a double quotation mark; with a parse, the
    speaker is the subject of its reporting verb, else a mention next to one.
    """
    tokens = ctx.sent
    if not any(t.text in _QUOTES for t in tokens):
        return None
    if ctx.parsed:
        verbs = reporting_verbs()
        for token in tokens:
            if token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in verbs:
                subject = _agent(token) or _subject(token)
                parties = ctx.parties_of(subject) if subject is not None else []
                if parties:
                    return parties[0].code
        return None
    for token in tokens:
        if token.lower_ not in _REPORTING_FORMS:
            continue
        for neighbour in (token.i - 1, token.i + 1, token.i + 2):
            if tokens.start <= neighbour < tokens.end:
                party = ctx.party_at(tokens.doc[neighbour])
                if party is not None:
                    return party.code
    return None
