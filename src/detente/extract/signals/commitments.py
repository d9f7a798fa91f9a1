"""Commitments: what a named party promised to do, by when — the open entries of the ledger.

Three forms, from the dependency parse (a sentence without one gives none):

- *commissive verbs* (``commitments.yaml``: agree, pledge, promise, vow,
  commit, undertake ...; Searle's commissives): "U.S. and Ukrainian
  officials agreed to reconvene", "Russia pledged $1bn in aid", "Kyiv
  committed to a ceasefire". The promised act is the verb's infinitive
  complement, else its object or "to"/"on" noun; "agree" needs one of them
  ("agreed with X" alone promises nothing).
- *nouns of promise*: "Moscow's pledge to withdraw", "a commitment to
  release prisoners" — holder from the possessor or adjective.
- *statements of intent*: a named subject with a future auxiliary ("Kyiv
  will release 50 prisoners", "said it would reopen the crossing") and an
  act of cooperation or retreat (CONSULT, RETREAT, AID, AGREE, SUPPORT,
  COOPERATE, CONCEDE, INVESTIGATE) named in ``commitments.yaml`` itself
  (not the CAMEO dictionary's defaults: "will face", "will host" are
  forecasts): "Russia will attack" is a threat or a forecast, not a
  commitment.

Only a named party promises: a state, an international body or a bloc
(``Party.named``), not "officials" alone or a person of unknown country.

Modality matters (``modality.py``): a negated, hypothetical or conditional
promise ("did not agree to", "could agree to", "if they agree to") is none,
and neither is a promise inside a condition ("would require a Russian
commitment to"). ``actor`` is the first party of the subject and
``counterpart`` the second ("U.S. and Ukrainian officials": USAGOV,
UKRGOV), else the party it is made to ("agreed with", "promised Kyiv",
"pledged to Ukraine"). ``label`` is the PLOVER type of the promised act
(``actions.py``), ``status`` is ``open``, ``due`` the deadline or date the
sentence attaches ("by Friday", "within 30 days", "next week"), resolved
against the publication date with ``extract.dates``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from spacy.tokens import Token

from ...records import Modality, Signal, SignalKind
from ..dates import resolve_date_expression
from ..modality import modality
from .actions import action_of, verb_action
from .context import Party, SentenceContext, subtree_range
from .lexicon import issue_patterns, word_set
from .speakers import _subject

_NOT_PROMISED = frozenset({Modality.NEGATED, Modality.HYPOTHETICAL, Modality.CONDITIONAL})
_INTENT_TYPES = frozenset({"CONSULT", "RETREAT", "AID", "AGREE", "SUPPORT", "COOPERATE", "CONCEDE", "INVESTIGATE"})
_OBJECT_PREPS = frozenset({"to", "on", "upon"})
_PARTY_PREPS = frozenset({"with", "to"})


@cache
def promise_forms() -> frozenset[str]:
    """Lower-case forms of the commissive verbs and nouns of ``commitments.yaml`` ("agreed", "pledges")."""
    forms: set[str] = {"committed", "committing", "undertook", "undertaken", "swore", "sworn"}
    for lemma in word_set("commitments.yaml", "commitment_verbs"):
        stem = lemma.removesuffix("e")
        forms |= {lemma, lemma + "s", stem + "ed", (lemma if lemma.endswith("ee") else stem) + "ing"}
    for noun in word_set("commitments.yaml", "commitment_nouns"):
        forms |= {noun, noun + "s"}
    return frozenset(forms)


def _promised_act(verb: Token) -> Token | None:
    """The act a commissive verb promises: its infinitive, else its object or "to"/"on" noun."""
    for child in verb.children:
        if child.dep_ in {"xcomp", "ccomp"} and child.pos_ in {"VERB", "AUX"}:
            return child
    for child in verb.children:
        if child.dep_ == "dobj":
            return child
        if child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS:
            obj = next((g for g in child.children if g.dep_ in {"pobj", "pcomp"}), None)
            if obj is not None:
                return obj
    return None


def _addressee(ctx: SentenceContext, verb: Token, holders: set[str]) -> str | None:
    """The party a promise is made to or with: "agreed with X", "promised Kyiv", "pledged to Ukraine"."""
    for child in verb.children:
        if child.dep_ in {"dative", "dobj"} or (child.dep_ == "prep" and child.lower_ in _PARTY_PREPS):
            head = next((g for g in child.children if g.dep_ == "pobj"), child) if child.dep_ == "prep" else child
            for party in ctx.parties_of(head):
                if party.code not in holders:
                    return party.code
    return None


def due_date(ctx: SentenceContext, start: int, end: int, published: dt.date | None,
             act: tuple[int, int] | None = None) -> dt.date | None:
    """The deadline of a promise among the DATE entities of ``[start, end)`` (None if none).

    A date counts when a deadline word leads it ("by/before/until X": X, or
    the end of X when X is a range; "within N days": the end of the next N
    days) or when it sits inside the promised act (``act``, token range:
    "to meet again next week": the end of next week). A date on the
    promise itself ("agreed on Monday to …") is when it was made, and a
    duration ("for thirty days") how long it holds: neither is a deadline.
    Relative expressions take the future reading
    (``resolve_date_expression(future=True)``).
    """
    if published is None:
        return None
    deadline = word_set("commitments.yaml", "deadline_words")
    doc = ctx.sent.doc
    for ent in doc.ents:
        if ent.label_ != "DATE" or not (start <= ent.start < end):
            continue
        lead = doc[ent.start - 1].lower_ if ent.start > ctx.sent.start else ""
        inside_act = act is not None and act[0] <= ent.start < act[1]
        if lead == "for" or not (lead in deadline or ent.text.lower().startswith("within ") or inside_act):
            continue
        text = ent.text
        if lead == "within" or text.lower().startswith("within "):
            text = "the next " + text.lower().removeprefix("within ").removeprefix("the ")
        try:
            found = resolve_date_expression(text, published, future=True)
        except (ValueError, OverflowError):
            found = None
        if found is None:
            continue
        first, last = found
        return last or first
    return None


def commitment_signals(ctx: SentenceContext, published: dt.date | None,
                       skip: Iterable[tuple[int, int]] = ()) -> list[Signal]:
    """COMMITMENT signals of one parsed sentence (``status`` open, ``label`` the promised act's PLOVER type)."""
    if not ctx.parsed:
        return []
    skipped = [range(a, b) for a, b in skip]
    verbs = word_set("commitments.yaml", "commitment_verbs")
    nouns = word_set("commitments.yaml", "commitment_nouns")
    future = word_set("commitments.yaml", "future_auxiliaries") | {"would"}
    promised = promise_forms()
    if promised.isdisjoint(ctx.words) and future.isdisjoint(ctx.words):
        return []
    offset = ctx.sent.start
    candidates = {offset + k for k, w in enumerate(ctx.lowers) if w in promised}
    candidates |= {ctx.sent.doc[offset + k].head.i for k, w in enumerate(ctx.lowers) if w in future}
    issues = None
    signals: list[Signal] = []
    for token in (ctx.sent.doc[i] for i in sorted(candidates)):
        if any(token.i in r for r in skipped):
            continue
        lemma = token.lemma_.lower()
        if token.pos_ in {"VERB", "AUX"} and lemma in verbs:
            found = _commissive(ctx, token)
        elif token.pos_ == "NOUN" and lemma in nouns:
            found = _promise_noun(ctx, token)
        elif token.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ in future for c in token.children):
            found = _intent(ctx, token)
        else:
            continue
        if found is None:
            continue
        parties, act, label, counterpart, speaker = found
        start, end = token.i, max(token.i + 1, act.right_edge.i + 1)
        while end - 1 > start and ctx.sent.doc[end - 1].is_punct:
            end -= 1
        if issues is None:
            issues = issue_patterns(ctx.sent.doc.vocab).find(ctx.sent, ctx.words)
        topics = [issue for issue, s in issues if start <= s.start and s.end <= end] or [None]
        due = due_date(ctx, token.i, _clause_end(token, end), published, (act.left_edge.i, act.right_edge.i + 1))
        source = ctx.char_span(*subtree_range([speaker])) if speaker is not None else parties[0].span
        for issue in dict.fromkeys(topics):
            signals.append(ctx.signal(SignalKind.COMMITMENT, start, end, parties=parties, counterpart=counterpart,
                                      source=source, label=label, issue=issue, due=due, status="open"))
    return signals


def _clause_end(token: Token, end: int) -> int:
    head = token if token.pos_ in {"VERB", "AUX"} else token.head
    return max(end, head.right_edge.i + 1)


def _commissive(ctx: SentenceContext, verb: Token):
    if any(c.dep_ == "neg" for c in verb.children) or modality(verb) in _NOT_PROMISED:
        return None
    act = _promised_act(verb)
    subject = _subject(verb)
    if act is None or subject is None:
        return None
    if act.pos_ in {"VERB", "AUX"} and any(c.dep_ == "neg" for c in act.children):
        return None  # "vowed not to withdraw": a refusal
    parties = [p for p in ctx.parties_of(subject) if p.named]
    if not parties:
        return None
    counterpart = parties[1].code if len(parties) > 1 else _addressee(ctx, verb, {p.code for p in parties})
    return parties[:1], act, action_of(act), counterpart, subject


def _promise_noun(ctx: SentenceContext, noun: Token):
    if modality(noun) in _NOT_PROMISED:
        return None
    holders = [c for c in noun.children if c.dep_ in {"poss", "amod", "compound", "nmod"}]
    parties: list[Party] = [p for h in holders for p in ctx.parties_of(h) if p.named]
    act = next((c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"), None)
    if act is None:
        act = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS
                    for g in c.children if g.dep_ in {"pobj", "pcomp"}), None)
    if not parties or act is None:
        return None
    return parties[:1], act, action_of(act), parties[1].code if len(parties) > 1 else None, None


def _intent(ctx: SentenceContext, verb: Token):
    if any(c.dep_ == "neg" for c in verb.children) or modality(verb) != Modality.FUTURE:
        return None
    would = any(c.dep_ == "aux" and c.lower_ == "would" for c in verb.children)
    if would and not (verb.dep_ == "ccomp" and verb.head.tag_ in {"VBD", "VBN"}):
        return None  # "would" is a promise only back-shifted under a past speech verb
    label = verb_action(verb, dictionary=False)
    subject = _subject(verb)
    if label not in _INTENT_TYPES or subject is None:
        return None
    parties = [p for p in ctx.parties_of(subject) if p.named]
    if not parties and subject.lower_ in {"it", "they", "we"} and verb.dep_ == "ccomp":
        subject = _subject(verb.head)  # "Russia said it would ...": the speaker promises
        parties = [p for p in ctx.parties_of(subject) if p.named] if subject is not None else []
    if not parties:
        return None
    counterpart = parties[1].code if len(parties) > 1 else _addressee(ctx, verb, {p.code for p in parties})
    return parties[:1], verb, label, counterpart, subject
