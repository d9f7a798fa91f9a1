"""Records to table rows: the column layout of each table, shared by every backend."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from ..records import Article, Event, Mention, NearDuplicate, Reject, Sentence, Signal


def article_rows(articles: Iterable[Article], batch_id: str) -> list[dict]:
    """Rows of the ``articles`` table."""
    return [{**a.model_dump(), "batch_id": batch_id} for a in articles]


def near_duplicate_rows(links: Iterable[NearDuplicate], batch_id: str) -> list[dict]:
    """Rows of the ``near_duplicates`` table."""
    return [{**link.model_dump(), "batch_id": batch_id} for link in links]


def reject_rows(rejects: Iterable[Reject], batch_id: str) -> list[dict]:
    """Rows of the ``rejects`` table."""
    return [{**r.model_dump(), "batch_id": batch_id} for r in rejects]


def signature_rows(signatures: dict[str, bytes]) -> list[dict]:
    """Rows of the ``article_minhash`` table."""
    return [{"article_id": key, "signature": value} for key, value in signatures.items()]


def _span(span, side: str) -> int | None:
    return None if span is None else getattr(span, side)


def event_rows(events: Iterable[Event], batch_id: str | None) -> list[dict]:
    """Rows of the ``events`` table (location and provenance flattened)."""
    rows = []
    for e in events:
        loc, prov = e.location, e.provenance
        rows.append({
            "id": e.id, "origin": e.origin, "article_id": prov.article_id, "sentence_index": prov.sentence_index,
            "source_actor": e.source_actor, "event_type": e.event_type, "mode": e.mode,
            "cameo_code": e.cameo_code, "goldstein": e.goldstein, "target_actor": e.target_actor,
            "event_date": e.date, "event_date_end": e.date_end,
            "place": loc.name if loc else None, "place_country": loc.country if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
            "modality": e.modality.value, "confidence": e.confidence,
            "trigger_start": _span(prov.trigger, "start"), "trigger_end": _span(prov.trigger, "end"),
            "source_start": _span(prov.source, "start"), "source_end": _span(prov.source, "end"),
            "target_start": _span(prov.target, "start"), "target_end": _span(prov.target, "end"),
            "url": prov.url, "batch_id": batch_id,
        })
    return rows


def to_arrow(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Build an Arrow table of ``rows`` with the table's schema (column order and types)."""
    return pa.Table.from_pylist(rows, schema=schema)


def sentence_rows(sentences: Iterable[Sentence]) -> list[dict]:
    """Rows of the ``sentences`` table."""
    return [{"article_id": s.article_id, "sentence_index": s.index, "span_start": s.span.start,
             "span_end": s.span.end, "text": s.text} for s in sentences]


def mention_rows(mentions: Iterable[Mention]) -> list[dict]:
    """Rows of the ``mentions`` table."""
    return [{"article_id": m.article_id, "sentence_index": m.sentence_index, "span_start": m.span.start,
             "span_end": m.span.end, "text": m.text, "actor_code": m.actor_code, "country": m.country,
             "sector": m.sector, "person": m.person, "role": m.role} for m in mentions]


def signal_rows(signals: Iterable[Signal]) -> list[dict]:
    """Rows of the ``signals`` table (the quoted words in ``quote``, provenance spans flattened)."""
    return [{"id": s.id, "article_id": s.article_id, "sentence_index": s.provenance.sentence_index,
             "kind": s.kind.value, "actor": s.actor, "value": s.value, "label": s.label, "issue": s.issue,
             "stance": s.stance, "due": s.due, "status": s.status,
             "span_start": _span(s.provenance.trigger, "start"), "span_end": _span(s.provenance.trigger, "end"),
             "counterpart": s.counterpart, "quote": s.text,
             "source_start": _span(s.provenance.source, "start"), "source_end": _span(s.provenance.source, "end")}
            for s in signals]
