"""What every signal reader needs of one sentence: its tokens, offsets, actors, and how to make a ``Signal``.

A sentence arrives as a span of its own Doc with ``base``, its character
offset in the article text, so a token's article span is
``base + token.idx``. Its actors are the pipeline's ``Mention`` records
(article character spans); a token belongs to the mention whose span holds
its first character. A bloc word the actor dictionary leaves out
("Western") stands for its CAMEO region code (``issues.yaml``, ``blocs``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.attrs import LOWER
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ...records import Mention, Provenance, Signal, SignalKind, Span
from .lexicon import blocs

#: Dependency labels under which a noun phrase lists who it is about:
#: "U.S. and Ukrainian officials", "Moscow's willingness", "Western insistence".
_HOLDER_DEPS = frozenset({"poss", "amod", "compound", "nmod", "conj", "appos", "npadvmod"})


@dataclass(frozen=True)
class Party:
    """A party found in the sentence: its actor code, article character span and country (ISO3, if any)."""

    code: str
    span: Span
    country: str | None = None

    @property
    def named(self) -> bool:
        """True for a state, an international body or a bloc — not a person of unknown country ("UNK") or
        a sector alone ("officials" → GOV): who can make a promise or be held to a condition."""
        return bool(self.country) or self.code.startswith(("IGO", "NGO")) or self.code in blocs().values()


@dataclass
class SentenceContext:
    """One sentence as the signal readers see it."""

    sent: SpacySpan
    base: int
    article_id: str
    sentence_index: int
    mentions: Sequence[Mention]
    parsed: bool = False
    lowers: list[str] = field(default_factory=list)
    words: frozenset[str] = frozenset()

    @classmethod
    def build(cls, sent: SpacySpan, base: int, article_id: str, sentence_index: int,
              mentions: Sequence[Mention], lowers: list[str] | None = None) -> SentenceContext:
        lowers = lower_words(sent) if lowers is None else lowers
        return cls(sent, base, article_id, sentence_index, mentions,
                   parsed=sent.doc.has_annotation("DEP"), lowers=lowers, words=frozenset(lowers))

    # ----------------------------------------------------------------- spans

    def char_span(self, start: int, end: int) -> Span:
        """Article character span of the tokens ``[start, end)`` (Doc token indices)."""
        doc = self.sent.doc
        last = doc[end - 1]
        return Span(start=self.base + doc[start].idx, end=self.base + last.idx + len(last))

    def text_of(self, start: int, end: int) -> str:
        """The words of tokens ``[start, end)`` as the article writes them (a title-cased sentence is read in
        sentence case: its original text is in ``user_data``)."""
        doc = self.sent.doc
        text = doc.user_data.get("original") or doc.text
        return text[doc[start].idx:doc[end - 1].idx + len(doc[end - 1])]

    # ---------------------------------------------------------------- actors

    def party_at(self, token: Token) -> Party | None:
        """The actor the token belongs to: the mention holding it, else a bloc word, else None."""
        char = self.base + token.idx
        for mention in self.mentions:
            if mention.span.start <= char < mention.span.end and mention.actor_code:
                return Party(mention.actor_code, mention.span, mention.country)
        code = blocs().get(token.lower_)
        if code is not None:
            return Party(code, self.char_span(token.i, token.i + 1))
        return None

    def parties_in(self, start: int, end: int) -> list[Party]:
        """Distinct parties of the tokens ``[start, end)``, in text order."""
        found: list[Party] = []
        for token in self.sent.doc[start:end]:
            party = self.party_at(token)
            if party is not None and all(p.code != party.code for p in found):
                found.append(party)
        return found

    def parties_of(self, head: Token) -> list[Party]:
        """The parties a noun phrase names, by its head: the head's own mention, and those of its
        possessor, adjectives, compounds, conjuncts and appositions ("U.S. and Ukrainian officials" →
        USAGOV, UKRGOV). A relative clause or prepositional phrase of the head is not searched."""
        tokens = _phrase_tokens(head) if self.parsed else [head]
        found: list[Party] = []
        for token in sorted(tokens, key=lambda t: t.i):
            party = self.party_at(token)
            if party is not None and all(p.code != party.code for p in found):
                found.append(party)
        return found

    # --------------------------------------------------------------- signals

    def signal(self, kind: SignalKind, start: int, end: int, *, parties: Sequence[Party] = (),
               counterpart: str | None = None, source: Span | None = None, **fields) -> Signal:
        """A ``Signal`` of this sentence whose words are the tokens ``[start, end)``.

        ``parties[0]`` is the actor, ``parties[1]`` (if any) the counterpart
        unless one is given; the provenance's ``source`` span is the actor's.
        """
        trigger = self.char_span(start, end)
        actor = parties[0].code if parties else None
        if counterpart is None and len(parties) > 1:
            counterpart = parties[1].code
        if source is None and parties:
            source = parties[0].span
        return Signal(
            id=signal_id(self.article_id, kind, self.sentence_index, trigger.start, actor, fields.get("issue")),
            article_id=self.article_id, kind=kind, actor=actor, counterpart=counterpart,
            text=self.text_of(start, end), **fields,
            provenance=Provenance(article_id=self.article_id, sentence_index=self.sentence_index, trigger=trigger,
                                  source=source),
        )


def lower_words(sent: SpacySpan) -> list[str]:
    """The lower-case forms of the sentence's tokens (from the Doc's array: no Token objects)."""
    strings = sent.doc.vocab.strings
    return [strings[key] for key in sent.doc.to_array(LOWER)[sent.start:sent.end].tolist()]


def signal_id(article_id: str, kind: SignalKind | str, sentence_index: int | None, start: int | None,
              actor: str | None, issue: str | None) -> str:
    """Stable id of a signal: BLAKE2b (10 bytes) of article, kind, sentence, span start, actor and issue."""
    key = f"{article_id}:{kind}:{sentence_index}:{start}:{actor}:{issue}"
    return hashlib.blake2b(key.encode(), digest_size=10).hexdigest()


def _phrase_tokens(head: Token) -> list[Token]:
    """The head of a noun phrase and the tokens that name who it is (see ``SentenceContext.parties_of``)."""
    out, stack = [], [head]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ in _HOLDER_DEPS)
    return out


def subtree_range(tokens: Iterable[Token]) -> tuple[int, int] | None:
    """The token range ``[start, end)`` covering the subtrees of ``tokens`` (None if there are none)."""
    starts, ends = [], []
    for token in tokens:
        starts.append(token.left_edge.i)
        ends.append(token.right_edge.i + 1)
    return (min(starts), max(ends)) if starts else None
