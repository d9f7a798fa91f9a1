"""Headline case: a title-cased sentence is read in sentence case, so the tagger sees its verbs.

News headlines and feed titles are often written in title case ("Ukraine
Says Russia Seized Relief Workers In Mariupol Convoy"). spaCy's English
models learnt case from running text: in title case they tag most words as
proper nouns, and the parse has no verb to hang an event on. Written in
sentence case ("Ukraine says Russia seized relief workers in Mariupol
convoy") the same words parse as a clause.

A sentence is title-cased when, after its first word, at least
``TITLE_SHARE`` of its alphabetic words (and at least ``MIN_WORDS`` of
them) start with a capital. In such a sentence a word written Capitalised
(a capital then lower case: not "NATO", "U.S." or "McCain") is lower-cased
when it is a common English word and not a name:

- common: an English stop word (spaCy's list), or a word (or its regular
  inflection: -s, -es, -ies, -ed, -ing) in the WordNet index that spaCy's
  English lemmatiser ships (nouns, verbs, adjectives, adverbs);
- a name: a word of a name the actor dictionary finds in the sentence
  (countries, demonyms, capitals, organisations, persons), a city of the
  gazetteer, or a month or weekday name, which English always capitalises.

Words that are not common English ("Mariupol", "Zelenskyy") keep their
capital. WordNet also lists some proper names ("harris", "fox"): written
in a title-cased sentence and unknown to the dictionaries, those lose their
capital, a smaller loss than a sentence without a verb.

Only letters change case, so the sentence keeps its length and every
character offset; the text shown to users (mentions, signals, sentences)
is always cut from the original.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from functools import cache

from spacy.attrs import ORTH
from spacy.tokens import Span

#: Share of a sentence's alphabetic words (its first aside) that start with a capital in title case.
TITLE_SHARE = 0.75
#: Fewest alphabetic words (the first aside) for a sentence to count as title-cased.
MIN_WORDS = 4

_CALENDAR = frozenset(name.lower() for name in (*calendar.month_name, *calendar.day_name) if name)


def is_title_cased(words: Sequence[str]) -> bool:
    """Whether a sentence's words (its tokens' texts) are in title case."""
    alphabetic = [w for w in words[1:] if w.isalpha()]
    if len(alphabetic) < MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in alphabetic) >= TITLE_SHARE * len(alphabetic)


def _inflections(word: str) -> list[str]:
    """The word and the stems a regular English inflection leaves ("says" → "say", "seized" → "seize")."""
    stems = [word]
    if word.endswith("ies") and len(word) > 4:
        stems.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        stems.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        stems.append(word[:-1])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            stems += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])  # a doubled consonant: "planned" → "plan"
    return stems


@cache
def _english() -> frozenset[str]:
    """Common English words: spaCy's stop words and the WordNet index of its English lemmatiser."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from .nlp import load_nlp

    index = load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(STOP_WORDS).union(*(frozenset(words) for words in index.values()))


def is_common(word: str, english: frozenset[str] | None = None) -> bool:
    """Whether a lower-case word is common English (or a regular inflection of one)."""
    english = _english() if english is None else english
    return any(stem in english for stem in _inflections(word))


def sentence_case(words: Sequence[str], protected: Callable[[int], bool],
                  english: frozenset[str] | None = None) -> list[str]:
    """The words of a title-cased sentence in sentence case: Capitalised common words after the first are
    lower-cased, unless ``protected(i)`` (a name) or a month or weekday."""
    english = _english() if english is None else english
    cased = list(words)
    for i, word in enumerate(words[1:], start=1):
        if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
            continue
        lower = word.lower()
        if lower not in _CALENDAR and is_common(lower, english) and not protected(i):
            cased[i] = lower
    return cased


def cased_words(sent: Span) -> list[str] | None:
    """A tokenised sentence's words in sentence case if it is title-cased (names the actor dictionary finds in
    it and cities of the gazetteer protected), else None."""
    from .actor_lexicon import COMMON_WORDS, load_lexicon

    strings = sent.doc.vocab.strings  # the tokens' texts read off the ORTH array: no Token objects
    words = [strings[key] for key in sent.doc.to_array(ORTH)[sent.start:sent.end].tolist()]
    if not is_title_cased(words):
        return None
    lexicon = load_lexicon()
    named = {i - sent.start for span in lexicon.names(sent, as_spans=True) for i in range(span.start, span.end)
             if len(span) > 1 or span.text.lower() not in COMMON_WORDS}  # "Reunion", "Male": the words
    cased = sentence_case(words, lambda i: i in named or words[i].lower() in lexicon.cities)
    return cased if cased != words else None
