"""From an article's text to sentences, actor mentions and coded events.

Two passes keep the dependency parser for the sentences that need it:

1. tokenise the whole text once, split it into sentences (rule-based
   sentencizer, line breaks are boundaries) and look each sentence over for
   words that can code an event (the CAMEO verb dictionary decides) or name
   an actor;
2. sentences that can code an event go through the pipeline without the
   parser (embeddings, tags, lemmas, entities); the dependency parser then
   runs — on the embeddings already computed — only on those that name an
   actor (a dictionary actor word or a named entity), since an event needs
   one; sentences that name an actor but cannot code an event go through
   the named-entity recogniser alone (it has its own token embedding in
   en_core_web_sm), for their mentions; the rest go through nothing.

Every record keeps character spans into the analysed text (for stored
articles ``Article.text``: title, blank line, body), so each event points
back at the characters it came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..records import Article, Event, Location, Mention, Provenance, Sentence, Span
from .nlp import load_nlp
from .triggers import needs_parse

#: Sentences longer than this many characters are cut (runaway text without punctuation).
MAX_SENTENCE_CHARS = 2000

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
    parsed_sentences: int = 0
    tagged_sentences: int = 0
    skipped_reason: str | None = None  # why nothing was extracted (not English, binary ...), if so


@dataclass
class _Unit:
    """One sentence to run through spaCy: which article, where, and how much of the pipeline."""

    article: int
    index: int
    start: int
    doc: Doc  # the sentence's tokens, not yet through the statistical components
    parse: bool  # can code an event: parse it if it names an actor
    words: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


@lru_cache(maxsize=1)
def _actor_words() -> frozenset[str]:
    from .actors import actor_words

    return frozenset(actor_words())


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


def _plan(nlp: Language, text: str, article: int, skip_parser: bool = True) -> tuple[list[Sentence], list[_Unit]]:
    cues = _actor_words()
    strings = nlp.vocab.strings
    sentences, units = [], []
    lowers, lowers_of = None, None
    for index, sent in enumerate(sentence_spans(nlp, text)):
        start = sent.doc.user_data["offset"] + sent.start_char
        sentences.append(Sentence(article_id="", index=index, span=Span(start=start, end=start + len(sent.text)),
                                  text=sent.text))
        if lowers_of is not sent.doc:  # one array per doc: no Token objects for the word check
            lowers, lowers_of = sent.doc.to_array(LOWER), sent.doc
        words = {strings[key] for key in set(lowers[sent.start:sent.end].tolist())}
        if not skip_parser or needs_parse(words):
            units.append(_Unit(article, index, start, sent.as_doc(), parse=True, words=frozenset(words)))
        elif words & cues:
            units.append(_Unit(article, index, start, sent.as_doc(), parse=False))
    return sentences, units


def _names_actor(unit: _Unit, doc: Doc) -> bool:
    return bool(unit.words & _actor_words()) or any(ent.label_ in ACTOR_LABELS for ent in doc.ents)


def _run(
    nlp: Language, units: list[_Unit], n_process: int, batch_size: int, skip_parser: bool = True
) -> Iterator[tuple[_Unit, Doc]]:
    """Run spaCy on the units; a unit left unparsed comes back with ``parse`` set to False."""
    candidates = [u for u in units if u.parse]
    tag = [u for u in units if not u.parse]
    tagged = list(nlp.pipe((u.doc for u in candidates), disable=["parser"], n_process=n_process,
                           batch_size=batch_size))
    to_parse = []
    for unit, doc in zip(candidates, tagged):
        if not skip_parser or _names_actor(unit, doc):
            to_parse.append((unit, doc))
        else:
            unit.parse = False
            yield unit, doc
    # the parser listens to the embeddings the first pass stored in ``doc.tensor``
    parsed = nlp.get_pipe("parser").pipe((doc for _, doc in to_parse), batch_size=batch_size)
    yield from zip((unit for unit, _ in to_parse), parsed)
    yield from zip(tag, nlp.pipe((u.doc for u in tag), disable=NER_ONLY_DISABLED, n_process=n_process,
                                 batch_size=batch_size))


def _event_id(article_id: str, sentence_index: int, trigger_char: int) -> str:
    key = f"{article_id}:{sentence_index}:{trigger_char}"
    return hashlib.blake2b(key.encode(), digest_size=10).hexdigest()


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
    for actor in actors:
        if getattr(actor, "locative", False) and id(actor) not in used:
            continue  # a place named as a place, not a party: events keep it as their location
        analysis.mentions.append(Mention(
            article_id=analysis.article_id, sentence_index=unit.index, span=char_span(actor.start, actor.end),
            text=actor.text, actor_code=actor.code or None, country=actor.country, sector=actor.sector,
            person=actor.person, role=actor.role,
        ))
    if not unit.parse:
        analysis.tagged_sentences += 1
        return
    analysis.parsed_sentences += 1
    for coded in coded_events:
        trigger = doc[coded.trigger_start]
        when = event_date(sent, trigger, analysis.published) if analysis.published else None
        place: Location | None = event_place(sent, trigger)
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


def analyze_texts(
    items: Iterable[tuple[str, str, dt.date | None]], *, n_process: int = 1, batch_size: int = 256,
    skip_parser: bool = True,
) -> list[Analysis]:
    """Analyse ``(article_id, text, published)`` triples together (one spaCy pass for all).

    ``skip_parser=False`` parses every sentence (to measure what the skip saves).
    """
    from .actors import ArticleActors

    nlp = load_nlp()
    analyses, units = [], []
    for number, (article_id, text, published) in enumerate(items):
        sentences, planned = _plan(nlp, text, number, skip_parser)
        analysis = Analysis(article_id=article_id, text=text, published=published)
        analysis.sentences = [s.model_copy(update={"article_id": article_id}) for s in sentences]
        analyses.append(analysis)
        units.extend(planned)
    coded = sorted(_run(nlp, units, n_process, batch_size, skip_parser),
                   key=lambda pair: (pair[0].article, pair[0].index))
    resolvers: dict[int, ArticleActors] = {}
    for unit, doc in coded:  # in text order, so later short names resolve to earlier full ones
        resolver = resolvers.setdefault(unit.article, ArticleActors())
        _code_sentence(analyses[unit.article], unit, doc, resolver)
    return analyses


def analyze(text: str, published: dt.date | dt.datetime | None = None, article_id: str | None = None) -> Analysis:
    """Analyse one clean text: its sentences, actor mentions and coded events.

    ``published`` resolves relative dates ("December 5", "on Wednesday");
    ``article_id`` defaults to a hash of the text.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    article_id = article_id or hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=10).hexdigest()
    return analyze_texts([(article_id, text, published)])[0]


def analyze_articles(articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 256) -> list[Analysis]:
    """Analyse stored articles (their ``text``: title and body); articles not in English are skipped."""
    articles = list(articles)
    english = [a for a in articles if a.language in (None, "en")]
    done = {a.article_id: a for a in analyze_texts(
        ((a.id, a.text, a.published_at.date()) for a in english), n_process=n_process, batch_size=batch_size)}
    return [done.get(a.id) or Analysis(article_id=a.id, text=a.text, published=a.published_at.date(),
                                       skipped_reason=f"language {a.language!r} is not English")
            for a in articles]
