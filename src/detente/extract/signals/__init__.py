"""Signals: what an article says beyond its events — tone, diplomatic register, positions, conditions, commitments.

``sentence_signals`` reads one sentence (register, positions, conditions,
commitments) from its tokens, its parse when it has one, and the actor
mentions the pipeline resolved in it; ``tone_signals`` scores every
sentence and the article with VADER. ``SIGNAL_CUES`` are the words that
make a sentence worth parsing for signals (the pipeline adds them to its
parse gate). Lexicons live in ``resources/`` (``register.yaml``,
``issues.yaml``, ``commitments.yaml``) and are loaded once. Nothing here
raises on odd text: a reader that fails on a sentence gives no signals
for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

from spacy.attrs import LOWER
from spacy.tokens import Span as SpacySpan
from spacy.vocab import Vocab

from ...records import Mention, Signal
from .commitments import commitment_signals, promise_forms
from .conditions import condition_signals
from .context import SentenceContext
from .lexicon import condition_patterns, register_patterns, stance_patterns, word_set
from .positions import position_signals
from .register import register_signals
from .speakers import quote_speaker as _quote_speaker
from .tone import tone_signals

_QUOTE_MARKS = frozenset('"“”«»')

__all__ = ["SIGNAL_CUES", "quote_speaker", "sentence_signals", "signal_cues", "tone_signals"]


def sentence_signals(sent: SpacySpan, *, base: int, article_id: str, sentence_index: int,
                     mentions: Sequence[Mention], published: dt.date | None) -> list[Signal]:
    """REGISTER, POSITION, CONDITION and COMMITMENT signals of one sentence.

    ``sent`` is a whole-sentence span of its own Doc, ``base`` its character
    offset in the article text, ``mentions`` the sentence's actor mentions
    (article character spans). A sentence without a dependency parse gives
    what lexical matching can (register readings, nominal positions,
    conditions); commitments need the parse. Never raises: odd input gives [].
    """
    try:
        keys = sent.doc.to_array(LOWER)[sent.start:sent.end].tolist()
        if not keys or _cue_keys(sent.doc.vocab).isdisjoint(keys):
            return []  # compared as string hashes: most sentences hold no cue
        ctx = SentenceContext.build(sent, base, article_id, sentence_index, mentions)
        conditions, ranges = condition_signals(ctx)
        return (register_signals(ctx) + position_signals(ctx, ranges) + conditions
                + commitment_signals(ctx, published, ranges))
    except Exception:  # noqa: BLE001 - one odd sentence must not stop an article's extraction
        return []


def quote_speaker(sent: SpacySpan, *, base: int, mentions: Sequence[Mention], text: str | None = None) -> str | None:
    """Actor code of the named party a sentence quotes (its tone is theirs), None if none.

    ``text``, the sentence's text if the caller has it, spares building it from the tokens.
    """
    if not _QUOTE_MARKS.intersection(sent.text if text is None else text):
        return None
    try:
        return _quote_speaker(SentenceContext.build(sent, base, "", 0, mentions))
    except Exception:  # noqa: BLE001 - as sentence_signals
        return None


@cache
def signal_cues() -> frozenset[str]:
    """Lower-case words whose presence makes a sentence worth parsing for signals.

    The most specific word of every register phrase, stance cue, condition
    predicate and commissive verb (``resources/register.yaml``,
    ``issues.yaml``, ``commitments.yaml``); "if" is left out (too common:
    conditional clauses are read when a sentence is parsed anyway).
    """
    from ..nlp import load_nlp

    vocab = load_nlp().vocab
    readings, _ = register_patterns(vocab)
    nouns, verbs = stance_patterns(vocab)
    conditions = condition_patterns(vocab).cues - {"if"}
    return frozenset(readings.cues | nouns.cues | verbs.cues | conditions | promise_forms())


@cache
def _reader_cues() -> frozenset[str]:
    """``signal_cues`` and the words only a sentence parsed anyway is read for: "if", future auxiliaries."""
    return signal_cues() | word_set("commitments.yaml", "future_auxiliaries") | {"would", "if"}


@cache
def _cue_keys(vocab: Vocab) -> frozenset[int]:
    """String-store hashes of ``_reader_cues`` (a Doc's ``LOWER`` array holds such hashes)."""
    return frozenset(vocab.strings[word] for word in _reader_cues())


def __getattr__(name: str):
    if name == "SIGNAL_CUES":  # loaded on first use: importing the package reads no file
        return signal_cues()
    raise AttributeError(name)
