"""``detente eval events``: the full extraction pipeline scored on gold PLOVER records.

Each headline figure comes with its 95% bootstrap interval over the gold
sentences (``evaluation.intervals``).

The main event of a gold sentence is the first event extraction returns for
it (events come in text order, the most important of each sentence first);
its source and target are scored on their category — the ISO3 country, or
``IGO``/``NGO`` for organisations — as the gold codes them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from rich.table import Table

from ..records import Mention
from .evaluation import NONE, EvalReport, intervals, load_gold, score
from .pipeline import Analysis, analyze_texts


def mention_category(mention: Mention | None) -> str | None:
    """The evaluated category of an actor mention: its country, else ``IGO``/``NGO`` by code."""
    if mention is None:
        return None
    if mention.country:
        return mention.country
    code = mention.actor_code or ""
    return next((prefix for prefix in ("IGO", "NGO") if code.startswith(prefix)), None)


def main_event(analysis: Analysis) -> tuple[str | None, str | None, str | None]:
    """``(type, source category, target category)`` of the analysis's main event."""
    if not analysis.events:
        return None, None, None
    event = analysis.events[0]
    by_span = {(m.span.start, m.span.end): m for m in analysis.mentions}
    prov = event.provenance
    source = by_span.get((prov.source.start, prov.source.end)) if prov.source else None
    target = by_span.get((prov.target.start, prov.target.end)) if prov.target else None
    return event.event_type, mention_category(source), mention_category(target)


def run_event_eval(gold_path: str | Path) -> EvalReport:
    """Analyse every gold sentence (dated by its record) and score the main events."""
    gold = load_gold(gold_path)
    items = []
    for record in gold:
        try:
            published = dt.date.fromisoformat(record.date) if record.date else None
        except ValueError:
            published = None
        items.append((record.id, record.text, published))
    analyses = analyze_texts(items)
    predictions = [main_event(a) for a in analyses]
    return dataclasses.replace(score(gold, predictions), intervals=intervals(gold, predictions))


def render_report(report: EvalReport, errors: bool = False) -> list[Table]:
    """Rich tables: headline figures, per-type scores, the confusion matrix, and (optionally) the errors."""
    headline = Table(title=f"Event coding on {report.n} gold sentences", header_style="bold")
    headline.add_column("measure")
    headline.add_column("value", justify="right")
    headline.add_column("95% interval", justify="right")
    headline.add_column("over", justify="right")

    def interval(name: str) -> str:
        low_high = report.intervals.get(name)
        return f"{low_high[0]:.3f}–{low_high[1]:.3f}" if low_high else "-"

    gold_types = len([t for t in report.per_type.values() if t.support])
    for label, name, over in (("event-type accuracy", "type_accuracy", report.n),
                              ("macro-F1 (gold types)", "macro_f1", gold_types),
                              ("source-country accuracy", "source_accuracy", report.source_n),
                              ("target-country accuracy", "target_accuracy", report.target_n)):
        headline.add_row(label, f"{getattr(report, name):.3f}", interval(name), str(over))
    per_type = Table(title="Per event type", header_style="bold")
    for column in ("type", "precision", "recall", "F1", "gold", "predicted"):
        per_type.add_column(column, justify="left" if column == "type" else "right")
    for kind, s in report.per_type.items():
        per_type.add_row(kind, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.support), str(s.predicted))
    predicted = sorted({p for row in report.confusion.values() for p in row} - {NONE}) + [NONE]
    confusion = Table(title="Confusion (rows gold, columns predicted)", header_style="bold")
    confusion.add_column("gold")
    for kind in predicted:
        confusion.add_column(kind[:4], justify="right")
    for gold_type, row in report.confusion.items():
        confusion.add_row(gold_type, *[str(row.get(kind, "")) for kind in predicted])
    tables = [headline, per_type, confusion]
    if errors:
        misses = Table(title=f"{len(report.errors)} errors", header_style="bold")
        for column in ("id", "gold", "predicted", "sentence"):
            misses.add_column(column, overflow="fold")
        for e in report.errors:
            gold_text = f"{e.gold[0]} {'/'.join(e.gold[1]) or '-'} → {'/'.join(e.gold[2]) or '-'}"
            pred_text = f"{e.predicted[0]} {e.predicted[1] or '-'} → {e.predicted[2] or '-'}"
            misses.add_row(e.id, gold_text, pred_text, e.text)
        tables.append(misses)
    return tables
