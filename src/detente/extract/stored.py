"""Extraction over stored articles: read a batch, analyse it, write it back in one transaction."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import __version__
from ..store import Store
from ..store.base import ExtractionBatch
from ..summary import RunSummary
from .pipeline import analyze_articles

EXTRACTOR = f"detente-{__version__}"


def extractor_id(headline_case: bool = True) -> str:
    """The name extraction records under: the version, and whether headlines were read in sentence case (an
    article read one way is read again the other way)."""
    return EXTRACTOR + ("+headline-case" if headline_case else "")


@dataclass
class ExtractSummary(RunSummary):
    """What one extraction run read and stored."""

    articles: int = 0
    sentences: int = 0
    parsed_sentences: int = 0
    tagged_sentences: int = 0
    mentions: int = 0
    events: int = 0
    signals: int = 0
    seconds: float = 0.0


def extract_stored(
    store: Store,
    *,
    batch_size: int = 200,
    n_process: int = 1,
    redo: bool = False,
    limit: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    headline_case: bool = True,
) -> ExtractSummary:
    """Extract every stored article not yet read by this version (all of them with ``redo``); ``headline_case``
    reads title-cased sentences in sentence case (``truecase``)."""
    extractor = extractor_id(headline_case)
    summary = ExtractSummary()
    started = time.perf_counter()
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None) if redo else None
    while limit is None or summary.articles < limit:
        size = batch_size if limit is None else min(batch_size, limit - summary.articles)
        articles = store.articles_to_extract(extractor, size, before)
        if not articles:
            break
        analyses = analyze_articles(articles, n_process=n_process, headline_case=headline_case)
        batch = ExtractionBatch(extractor=extractor, article_ids=[a.id for a in articles])
        for analysis in analyses:
            batch.sentences.extend(analysis.sentences)
            batch.mentions.extend(analysis.mentions)
            batch.events.extend(analysis.events)
            batch.signals.extend(analysis.signals)
            summary.parsed_sentences += analysis.parsed_sentences
            summary.tagged_sentences += analysis.tagged_sentences
        store.write_extraction(batch)
        summary.articles += len(articles)
        summary.sentences += len(batch.sentences)
        summary.mentions += len(batch.mentions)
        summary.events += len(batch.events)
        summary.signals += len(batch.signals)
        if on_progress:
            on_progress(summary.articles)
    summary.seconds = time.perf_counter() - started
    return summary
