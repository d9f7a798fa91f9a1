"""Diplomatic register: how a party characterises talks, on the scale of ``resources/register.yaml``.

Readings are the lexicon's phrases found in a sentence (lower case, so a
sentence needs no tags): hostility -1.0, disagreement -0.5, engagement
without commitment +0.5, commitment +1.0. Rules:

- *exclusions*: a phrase inside an everyday collocation of the lexicon's
  ``exclude`` list ("friendly fire", "tested positive") or inside a named
  entity ("Frank Figliuzzi") is no reading; a
  sentence with neither an actor nor a word of diplomacy (``context``)
  holds none; a ``weak`` word ("useful", "difficult") counts only within
  four words of a noun of talks (the ``talks`` class) or as what a named
  speaker says ("called the talks useful", "said the meeting was useful"). A phrase the sentence holds hypothetical or
  conditional (``modality.py``: "any deal would be a breakthrough") is no
  reading of what happened.
- *negation*: a negator up to three words before the phrase, in the same
  clause ("not constructive", "no breakthrough", "little progress"), turns
  the level into its ``negated`` level; a phrase that holds its own
  negation ("not formal negotiations") means what the lexicon says.
- *one characterisation, one reading*: phrases joined only by "and",
  commas, quotation marks or a contrast marker are one reading
  ("constructive and friendly"). Across a contrast ("productive but not
  formal negotiations", "frank but constructive") the part after it
  decides the label and weighs three times the part before (VADER's "but"
  rule, Hutto and Gilbert 2014); otherwise the value is the mean and the
  label the most frequent level (the last one on a tie).
- *speaker*: the reading is the party's who says it (``speakers.py``):
  one Signal per party of the speaker's phrase ("U.S. and Ukrainian
  officials described the sessions as productive" → USAGOV and UKRGOV);
  ``actor`` None is the writer's reading, or an unnamed speaker's (the
  provenance's ``source`` span then still points at "Participants").
  The counterpart is a party named in the characterised object or its
  "with" phrase ("its encounter with the U.S. envoys").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span as SpacySpan

from ...records import Modality, Signal, SignalKind
from ..modality import modality
from .context import SentenceContext
from .lexicon import load_resource, register_patterns, word_set
from .speakers import speaker_candidates, speaker_parties

_LOOKBACK = 3  # words before a phrase that a negator may stand
_NEAR = 4  # words around a weak phrase that a word of diplomacy must stand
_NAMES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
_SPECULATIVE = frozenset({Modality.HYPOTHETICAL, Modality.CONDITIONAL})
_CLAUSE_END = frozenset({".", ";", ":", "!", "?", "—", "(", ")"})


@dataclass
class _Reading:
    level: str
    value: float
    span: SpacySpan


@cache
def levels() -> dict[str, dict]:
    """The register levels of ``register.yaml``: name → ``{"value", "negated", "meaning"}``."""
    return load_resource("register.yaml")["levels"]


def _negator(ctx: SentenceContext, span: SpacySpan) -> int | None:
    """Token index of the negator that turns the phrase around, None if none does."""
    negators = word_set("register.yaml", "negators")
    if any(t.lower_ in negators for t in span):
        return None  # the phrase holds its own negation: "not formal negotiations"
    skip = word_set("register.yaml", "intensifiers") | {"to"}
    stop = word_set("register.yaml", "contrast") | _CLAUSE_END | {",", "and"}
    doc, seen = span.doc, 0
    for i in range(span.start - 1, ctx.sent.start - 1, -1):
        word = doc[i].lower_
        if word in negators:
            return i
        if word in stop:
            return None
        if word not in skip:
            seen += 1
            if seen >= _LOOKBACK:
                return None
    return None


@cache
def _occasions() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_resource("register.yaml")["classes"]["talks"])


def _near_context(ctx: SentenceContext, span: SpacySpan) -> bool:
    context = _occasions()
    offset = ctx.sent.start
    lo, hi = max(0, span.start - offset - _NEAR), min(len(ctx.lowers), span.end - offset + _NEAR)
    return any(w in context for w in ctx.lowers[lo:hi])


def _readings(ctx: SentenceContext) -> list[_Reading]:
    vocab = ctx.sent.doc.vocab
    phrases, excluded = register_patterns(vocab)
    found = phrases.find(ctx.sent, ctx.words)
    if not found:
        return []
    if not ctx.mentions and word_set("register.yaml", "context").isdisjoint(ctx.lowers):
        return []
    blocked = {i for _, span in excluded.find(ctx.sent, ctx.words) for i in range(span.start, span.end)}
    weak = word_set("register.yaml", "weak")
    table = levels()
    readings = []
    for level, span in found:
        if blocked.intersection(range(span.start, span.end)):
            continue
        if blocked_by_name(span):
            continue  # "Frank Figliuzzi", "Blunt" the senator
        is_weak = span.text.lower() in weak or any(t.lower_ in weak for t in span)
        if is_weak and not _near_context(ctx, span) and not _characterised(ctx, span):
            continue
        if ctx.parsed and modality(span.root) in _SPECULATIVE:
            continue  # "any substantive agreement would be a breakthrough": no reading of what happened
        if (negator := _negator(ctx, span)) is not None:
            level = table[level]["negated"]
            span = ctx.sent.doc[negator:span.end]  # "without a breakthrough": the words read
        readings.append(_Reading(level, float(table[level]["value"]), span))
    return readings


def blocked_by_name(span: SpacySpan) -> bool:
    """True when the phrase lies in a named entity (a person, an organisation, a title): a name, no reading."""
    return any(ent.label_ in _NAMES and ent.start <= span.start and span.end <= ent.end for ent in span.doc.ents)


def _characterised(ctx: SentenceContext, span: SpacySpan) -> bool:
    """True when someone says the phrase: a reporting verb above it, or a verb whose "as" phrase or object
    predicate holds it ("called the talks useful") — not the phrase's own verb ("made progress")."""
    if not ctx.parsed:
        return False
    inside = range(span.start, span.end)
    return any(reported or verb.i not in inside for _, verb, reported in speaker_candidates(span.root))


def _groups(ctx: SentenceContext, readings: list[_Reading]) -> list[list[_Reading]]:
    """Readings joined only by joiners or contrast markers form one characterisation."""
    joiners = word_set("register.yaml", "joiners") | word_set("register.yaml", "contrast")
    doc = ctx.sent.doc
    groups: list[list[_Reading]] = []
    for reading in readings:
        if groups:
            last = groups[-1][-1].span
            between = [doc[i].lower_ for i in range(last.end, reading.span.start)]
            if all(w in joiners for w in between) and len(between) <= 4:
                groups[-1].append(reading)
                continue
        groups.append([reading])
    return groups


def _combine(ctx: SentenceContext, group: list[_Reading]) -> tuple[str, float]:
    """Label and value of one characterisation (see the module docstring)."""
    if len(group) == 1:
        return group[0].level, group[0].value
    contrast = word_set("register.yaml", "contrast")
    doc = ctx.sent.doc
    weights, after = [], False
    for k, reading in enumerate(group):
        if k and any(doc[i].lower_ in contrast for i in range(group[k - 1].span.end, reading.span.start)):
            after = True
            weights = [0.5] * len(weights)
        weights.append(1.5 if after else 1.0)
    value = sum(w * r.value for w, r in zip(weights, group)) / sum(weights)
    if after:
        return group[-1].level, value
    counts = Counter(r.level for r in group)
    best = max(counts.values())
    return next(r.level for r in reversed(group) if counts[r.level] == best), value


def register_signals(ctx: SentenceContext) -> list[Signal]:
    """REGISTER signals of one sentence: one per characterisation and speaking party.

    ``label`` is the level (``hostility``, ``disagreement``, ``engagement``,
    ``commitment``), ``value`` on [-1, +1]; ``text`` and the trigger span are
    the phrase ("constructive and friendly"), the source span the speaker.
    """
    signals = []
    for group in _groups(ctx, _readings(ctx)):
        label, value = _combine(ctx, group)
        start, end = group[0].span.start, group[-1].span.end
        parties, head, verb = speaker_parties(ctx, group[0].span.root)
        source = ctx.char_span(head.left_edge.i, head.right_edge.i + 1) if head is not None else None
        if head is not None and head.right_edge.i - head.left_edge.i > 12:
            source = ctx.char_span(head.i, head.i + 1)  # a long subject phrase: its head word
        counterpart = _counterpart(ctx, verb, {p.code for p in parties}) if verb is not None else None
        for party in parties or [None]:
            signals.append(ctx.signal(SignalKind.REGISTER, start, end, parties=[party] if party else [],
                                      counterpart=counterpart, source=source, label=label, value=round(value, 3)))
    return signals


def _counterpart(ctx: SentenceContext, verb, speakers: set[str]) -> str | None:
    """A party named in the characterised object of ``verb`` or its "with" phrase, other than the speakers."""
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass"} or (child.dep_ == "prep" and child.lower_ == "with"):
            for party in ctx.parties_in(child.left_edge.i, child.right_edge.i + 1):
                if party.code not in speakers:
                    return party.code
    return None
