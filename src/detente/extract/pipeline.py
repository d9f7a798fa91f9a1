"""From an article's text to sentences, actor mentions and coded events.

Two passes keep the dependency parser for the sentences that need it:

1. tokenise the whole text once, split it into sentences (rule-based
   sentencizer, line breaks are boundaries) and look each sentence over for
   words that can code an event (the CAMEO verb dictionary decides) or name
   an actor;
2. an event needs an actor, so only sentences that can code an event and
   name one are parsed: those holding a dictionary actor word go through the
   whole pipeline; those holding none go through the named-entity
   recogniser first (it has its own token embedding in en_core_web_sm), and
   through the rest of the pipeline only if it finds an actor entity.
   Sentences that name an actor but cannot code an event, and those the
   recogniser found no actor in, keep their entities alone (for their
   mentions); the rest go through nothing. Words are compared as spaCy
   string keys read off one ``LOWER`` array per line, and the texts go
   through in chunks (``CHUNK_ARTICLES``) so memory stays bounded.

Signals (``signals``): a sentence that names a dictionary actor and holds a
signal cue ("constructive", "insistence", "hinge", "pledged") is parsed
like one that can code an event; every sentence that went through spaCy is
read for register, positions, conditions and commitments, and every
sentence of the text is scored for tone (VADER, no spaCy).

Every record keeps character spans into the analysed text (for stored
articles ``Article.text``: title, blank line, body), so each event points
back at the characters it came from.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..records import Article, Event, Location, Mention, Provenance, Sentence, Signal, Span
from .nlp import load_nlp
from .sentences import sentence_doc, sentence_spans
from .triggers import keyed_trigger_index
from .truecase import cased_words

#: Texts analysed together: a chunk's sentence docs are freed before the next chunk is read, so memory
#: stays bounded however many texts come in.
CHUNK_ARTICLES = 2000

#: Components switched off for sentences that name an actor but cannot code an event.
NER_ONLY_DISABLED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]

#: Entity labels that can be (or contain) an actor: the parser runs on sentences with one.
ACTOR_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"})


@dataclass
class Analysis:
    """What extraction found in one text."""

    article_id: str
    text: str
    published: dt.date | None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    speakers: dict[int, str] = field(default_factory=dict)  # sentence index → actor code of the party it quotes
    parsed_sentences: int = 0
    tagged_sentences: int = 0  # through spaCy but not parsed (the entity recogniser only)
    skipped_reason: str | None = None  # why nothing was extracted (not English, binary ...), if so


@dataclass
class _Unit:
    """One sentence to run through spaCy: which article, where, and how much of the pipeline."""

    article: int
    index: int
    start: int
    doc: Doc  # the sentence's tokens, not yet through the statistical components
    parse: bool  # can code an event: parse it if it names an actor
    actor_word: bool = False  # holds a dictionary actor word (else only the NER can find an actor)


@lru_cache(maxsize=1)
def _loaded() -> Language:
    """The spaCy pipeline, with every dictionary extraction reads loaded too (once per process).

    They then live as long as the process, so they are handed to ``gc.freeze``: the cyclic garbage
    collector would otherwise walk their 300,000-odd objects again at every full collection, which cost
    about 5% of extraction time on the HuffPost benchmark (``benchmarks/extract.py``).
    """
    from .actor_lexicon import load_lexicon
    from .cameo import cameo_table
    from .modality import lexicon as modality_lexicon
    from .places import gazetteer
    from .verbs import load_verbs, verb_forms

    nlp = load_nlp()
    load_lexicon(), load_verbs(), verb_forms(), cameo_table(), modality_lexicon(), gazetteer()
    keyed_trigger_index(nlp.vocab.strings), _keys(_actor_words()), _keys(_signal_cues())
    gc.collect()
    gc.freeze()
    return nlp


@lru_cache(maxsize=1)
def _actor_words() -> frozenset[str]:
    from .actors import actor_words

    return frozenset(actor_words())


@lru_cache(maxsize=8)
def _keys(words: frozenset[str]) -> frozenset[int]:
    """The spaCy string keys of lower-case words: what ``doc.to_array(LOWER)`` holds for them."""
    strings = load_nlp().vocab.strings
    return frozenset(strings[word] for word in words)


def _signal_cues() -> frozenset[str]:
    """Words that make a sentence naming an actor worth parsing for signals (``signals.signal_cues``)."""
    from . import signals

    return signals.signal_cues()


def _plan(
    nlp: Language, text: str, article: int, skip_parser: bool = True, article_id: str = "", headline_case: bool = True
) -> tuple[list[Sentence], list[_Unit]]:
    # words are compared as spaCy string keys read off one LOWER array per line: no Token objects, no strings
    triggers = keyed_trigger_index(nlp.vocab.strings)
    cues = _keys(_actor_words())
    signal_cues = _keys(_signal_cues())
    sentences, units = [], []
    lowers, lowers_of = None, None
    for index, sent in enumerate(sentence_spans(nlp, text)):
        start = sent.doc.user_data["offset"] + sent.start_char
        sentence_text = text[start:start + sent.end_char - sent.start_char]  # ``sent.text``, no Token objects
        sentences.append(Sentence(article_id=article_id, index=index, span=Span(start=start, end=start + len(sentence_text)),
                                  text=sentence_text))
        if lowers_of is not sent.doc:
            lowers, lowers_of = sent.doc.to_array(LOWER), sent.doc
        keys = set(lowers[sent.start:sent.end].tolist())
        actor_word = not cues.isdisjoint(keys)
        parse = not skip_parser or triggers.needs_parse(keys) or (actor_word and not signal_cues.isdisjoint(keys))
        if parse or actor_word:
            cased = cased_words(sent) if headline_case else None
            units.append(_Unit(article, index, start, sentence_doc(sent, cased), parse=parse,
                               actor_word=parse and actor_word))
    return sentences, units


def _names_actor(unit: _Unit, doc: Doc) -> bool:
    return unit.actor_word or any(ent.label_ in ACTOR_LABELS for ent in doc.ents)


def _run(
    nlp: Language, units: list[_Unit], n_process: int, batch_size: int, skip_parser: bool = True
) -> Iterator[tuple[_Unit, Doc]]:
    """Run spaCy on the units; a unit left unparsed comes back with ``parse`` set to False.

    A unit that can code an event and holds a dictionary actor word goes through the whole pipeline. One
    that can code an event but holds no actor word goes through the named-entity recogniser first (it has
    its own token embedding): only if that finds an actor does it go through the rest; else, like the
    units that name an actor but cannot code an event, it keeps its entities alone.
    """
    sure = [u for u in units if u.parse and (u.actor_word or not skip_parser)]
    unsure = [u for u in units if u.parse and not (u.actor_word or not skip_parser)]
    named = [u for u in units if not u.parse]
    with_entities = nlp.pipe((u.doc for u in unsure + named), disable=NER_ONLY_DISABLED, n_process=n_process,
                             batch_size=batch_size)
    later = []
    for unit, doc in zip(unsure + named, with_entities):
        if unit.parse and _names_actor(unit, doc):
            later.append((unit, doc))
        else:
            unit.parse = False
            yield unit, doc
    # the whole pipeline in its trained order: the attribute ruler's rules that read the parse (auxiliaries
    # → AUX, subordinators → SCONJ) apply as in a plain ``nlp(text)``
    yield from zip(sure, nlp.pipe((u.doc for u in sure), n_process=n_process, batch_size=batch_size))
    yield from zip((unit for unit, _ in later), nlp.pipe((doc for _, doc in later), disable=["ner"],
                                                         n_process=n_process, batch_size=batch_size))


def _event_id(article_id: str, sentence_index: int, trigger_char: int) -> str:
    key = f"{article_id}:{sentence_index}:{trigger_char}"
    return hashlib.blake2b(key.encode(), digest_size=10).hexdigest()


def _add_signals(analysis: Analysis, unit: _Unit, sent: SpacySpan, mentions: list[Mention]) -> None:
    """Add one sentence's register, position, condition and commitment signals, and the party it quotes."""
    from . import signals

    analysis.signals.extend(signals.sentence_signals(sent, base=unit.start, article_id=analysis.article_id,
        sentence_index=unit.index, mentions=mentions, published=analysis.published))
    text = analysis.sentences[unit.index].text  # spares quote_speaker building it from the tokens
    if speaker := signals.quote_speaker(sent, base=unit.start, mentions=mentions, text=text):
        analysis.speakers[unit.index] = speaker


def _code_sentence(analysis: Analysis, unit: _Unit, doc: Doc, resolver) -> None:
    """Add the mentions and events of one sentence to its article's analysis."""
    from .dates import event_date
    from .events import code_events
    from .modality import modality
    from .places import event_place

    sent: SpacySpan = doc[:]
    actors = resolver.find(sent)
    base = unit.start

    def char_span(start: int, end: int) -> Span:
        return Span(start=base + doc[start].idx, end=base + doc[end - 1].idx + len(doc[end - 1]))

    coded_events = code_events(sent, actors) if unit.parse else []
    used = {id(side) for coded in coded_events for side in (coded.source, coded.target) if side is not None}
    first_mention = len(analysis.mentions)
    original = doc.user_data.get("original")  # a title-cased sentence, read in sentence case
    for actor in actors:
        if getattr(actor, "locative", False) and id(actor) not in used:
            continue  # a place named as a place, not a party: events keep it as their location
        span = char_span(actor.start, actor.end)
        analysis.mentions.append(Mention(
            article_id=analysis.article_id, sentence_index=unit.index, span=span,
            text=analysis.text[span.start:span.end] if original else actor.text, actor_code=actor.code or None,
            country=actor.country, sector=actor.sector, person=actor.person, role=actor.role,
        ))
    _add_signals(analysis, unit, sent, analysis.mentions[first_mention:])
    if not unit.parse:
        analysis.tagged_sentences += 1
        return
    analysis.parsed_sentences += 1
    for coded in coded_events:
        trigger = doc[coded.trigger_start]
        when = event_date(sent, trigger, analysis.published) if analysis.published else None
        place: Location | None = event_place(sent, trigger, resolver.us_states)
        trigger_span = char_span(coded.trigger_start, coded.trigger_end)
        analysis.events.append(Event(
            id=_event_id(analysis.article_id, unit.index, trigger_span.start),
            source_actor=coded.source.code if coded.source else None,
            event_type=coded.plover_type, mode=coded.mode, cameo_code=coded.cameo_code, goldstein=coded.goldstein,
            target_actor=coded.target.code if coded.target else None,
            date=when[0] if when else analysis.published, date_end=when[1] if when else None,
            location=place, modality=modality(trigger), confidence=coded.confidence,
            provenance=Provenance(
                article_id=analysis.article_id, sentence_index=unit.index, trigger=trigger_span,
                source=char_span(coded.source.start, coded.source.end) if coded.source else None,
                target=char_span(coded.target.start, coded.target.end) if coded.target else None,
            ),
        ))


def _analyze_chunk(
    nlp: Language, items: list[tuple[str, str, dt.date | None]], n_process: int, batch_size: int, skip_parser: bool,
    headline_case: bool = True,
) -> list[Analysis]:
    """Sentences, mentions and events of a few texts, with one spaCy pass for all."""
    from .actors import ArticleActors
    from .state_or_country import us_states_meant

    analyses, units = [], []
    for number, (article_id, text, published) in enumerate(items):
        sentences, planned = _plan(nlp, text, number, skip_parser, article_id, headline_case)
        analyses.append(Analysis(article_id=article_id, text=text, published=published, sentences=sentences))
        units.extend(planned)
    coded = sorted(_run(nlp, units, n_process, batch_size, skip_parser),
                   key=lambda pair: (pair[0].article, pair[0].index))
    resolvers: dict[int, ArticleActors] = {}
    for unit, doc in coded:  # in text order, so later short names resolve to earlier full ones
        if (resolver := resolvers.get(unit.article)) is None:
            resolver = resolvers[unit.article] = ArticleActors(us_states_meant(analyses[unit.article].text))
        _code_sentence(analyses[unit.article], unit, doc, resolver)
    return analyses


def analyze_texts(
    items: Iterable[tuple[str, str, dt.date | None]], *, n_process: int = 1, batch_size: int = 256,
    skip_parser: bool = True, headline_case: bool = True,
) -> list[Analysis]:
    """Analyse ``(article_id, text, published)`` triples together (one spaCy pass per ``CHUNK_ARTICLES``).

    ``skip_parser=False`` parses every sentence (to measure what the skip saves); title-cased sentences
    are read in sentence case (``truecase``; the ``headline_case`` setting) unless ``headline_case=False``.
    """
    nlp = _loaded()
    analyses: list[Analysis] = []
    pending = iter(items)
    while chunk := list(islice(pending, CHUNK_ARTICLES)):
        analyses.extend(_analyze_chunk(nlp, chunk, n_process, batch_size, skip_parser, headline_case))
    from . import signals

    for analysis in analyses:  # tone needs no spaCy: every sentence, with the party it quotes
        analysis.signals.extend(signals.tone_signals(analysis.sentences, analysis.article_id, analysis.speakers))
    return analyses


def analyze(text: str, published: dt.date | dt.datetime | None = None, article_id: str | None = None, *,
            headline_case: bool = True) -> Analysis:
    """Analyse one clean text: its sentences, actor mentions and coded events.

    ``published`` resolves relative dates ("December 5", "on Wednesday");
    ``article_id`` defaults to a hash of the text.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    article_id = article_id or hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=10).hexdigest()
    return analyze_texts([(article_id, text, published)], headline_case=headline_case)[0]


def analyze_articles(articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 256,
                     headline_case: bool = True) -> list[Analysis]:
    """Analyse stored articles (their ``text``: title and body); articles not in English are skipped."""
    articles = list(articles)
    english = [a for a in articles if a.language in (None, "en")]
    done = {a.article_id: a for a in analyze_texts(
        ((a.id, a.text, a.published_at.date()) for a in english), n_process=n_process, batch_size=batch_size,
        headline_case=headline_case)}
    return [done.get(a.id) or Analysis(article_id=a.id, text=a.text, published=a.published_at.date(),
                                       skipped_reason=f"language {a.language!r} is not English")
            for a in articles]
