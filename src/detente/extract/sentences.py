"""Sentences: a text cut into sentence spans, and a sentence as a doc of its own.

Each line of a text is its own doc (a line break always ends a sentence),
split by punctuation rules (spaCy's rule-based ``Sentencizer``); runaway
sentences without punctuation are cut at ``MAX_SENTENCE_CHARS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from spacy.attrs import NORM, ORTH, SPACY
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

#: Sentences longer than this many characters are cut (runaway text without punctuation).
MAX_SENTENCE_CHARS = 2000


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


_LINE = re.compile(r"[^\n]+")


def sentence_spans(nlp: Language, text: str) -> Iterator[SpacySpan]:
    """Yield the sentences of ``text`` as spans of tokenised (not yet tagged) docs.

    Each line is its own doc (a line break always ends a sentence), split by
    punctuation rules (spaCy's Sentencizer); whitespace is trimmed and
    runaway sentences are cut at ``MAX_SENTENCE_CHARS``. Each doc carries its
    offset in ``text`` in ``doc.user_data["offset"]``.
    """
    sentencizer = _sentencizer()
    for line in _LINE.finditer(text):
        if line.group().isspace():
            continue
        if len(line.group()) > nlp.max_length:  # spaCy refuses longer docs: cut at a space
            pieces = _cut(line.group(), line.start(), nlp.max_length // 2)
        else:
            pieces = [(line.start(), line.group())]
        for offset, piece in pieces:
            doc = sentencizer(nlp.make_doc(piece))
            doc.user_data["offset"] = offset
            for sent in doc.sents:
                start, end = sent.start, sent.end
                while start < end and doc[start].is_space:
                    start += 1
                while end > start and doc[end - 1].is_space:
                    end -= 1
                if start < end and doc[end - 1].idx + len(doc[end - 1]) - doc[start].idx <= MAX_SENTENCE_CHARS:
                    yield doc[start:end]  # the usual case: no need to look at every token
                    continue
                while start < end:
                    piece_end = start + 1
                    limit = doc[start].idx + MAX_SENTENCE_CHARS
                    while piece_end < end and doc[piece_end].idx + len(doc[piece_end]) <= limit:
                        piece_end += 1
                    yield doc[start:piece_end]
                    start = piece_end


def _cut(line: str, offset: int, size: int) -> list[tuple[int, str]]:
    """Cut an over-long line into pieces of at most ``size`` characters, at spaces where possible."""
    pieces, start = [], 0
    while start < len(line):
        end = min(len(line), start + size)
        if end < len(line):
            space = line.rfind(" ", start, end)
            end = space + 1 if space > start else end
        pieces.append((offset + start, line[start:end]))
        start = end
    return pieces


def sentence_doc(sent: SpacySpan, words: list[str] | None = None) -> Doc:
    """The sentence as a doc of its own: the line's doc itself when the sentence is all of it (a headline),
    else a copy of its tokens (with the norms tokenizer exceptions give, "’m" → "am") and the sentence
    boundary, as ``Span.as_doc`` makes it but cheaper. ``words`` (the sentence in sentence case, same
    lengths) replace the tokens' texts; the original text is kept in ``user_data["original"]``."""
    doc = sent.doc
    if words is None and sent.start == 0 and sent.end == len(doc):
        return doc
    tokens = doc.to_array([ORTH, SPACY, NORM])[sent.start : sent.end]
    strings = doc.vocab.strings
    copy = Doc(doc.vocab, words=words or [strings[orth] for orth in tokens[:, 0].tolist()],
               spaces=[bool(space) for space in tokens[:, 1].tolist()],
               sent_starts=[True] + [False] * (len(tokens) - 1))
    if words is not None:
        copy.user_data["original"] = sent.text
    return copy.from_array([NORM], tokens[:, 2:])
