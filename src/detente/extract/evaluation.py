"""Accuracy of event coding against gold records (PLOVER gold standard JSONL).

Pure: ``load_gold`` reads a file, ``evaluate`` runs a predictor over the
records and returns an ``EvalReport``; printing is the CLI's job.

Measures, one prediction (the main event) per record:

- per-type precision, recall and F1 of the PLOVER type; macro-F1 is the mean
  F1 over the types present in the gold (a type never predicted scores 0);
- event-type accuracy: share of records whose predicted type equals the gold;
- source-country accuracy: over records whose gold source carries a code,
  share whose predicted source category (ISO3 country, ``IGO`` or ``NGO``) is
  one of the gold source codes; target-country accuracy likewise;
- the confusion matrix (gold type × predicted type, ``"none"`` for no event)
  and the list of errors;
- ``intervals``: a percentile bootstrap interval (``scipy.stats.bootstrap``,
  gold sentences resampled with replacement) for each of the four headline
  figures — how far another sample of the same kind of sentences could move
  them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

NONE = "none"
#: The headline figures, in the order ``intervals`` returns them.
HEADLINE = ("type_accuracy", "macro_f1", "source_accuracy", "target_accuracy")

#: ``predict(text, date) -> (plover_type, source_category, target_category)``, each possibly None.
Predictor = Callable[[str, str | None], tuple[str | None, str | None, str | None]]


@dataclass(frozen=True)
class GoldActor:
    """One actor of a gold record: its text, code (ISO3, ``IGO``, ``NGO`` …) and sector."""

    text: str
    code: str | None
    sector: str | None


@dataclass(frozen=True)
class GoldRecord:
    """One gold sentence with its coded event."""

    id: str
    text: str
    date: str | None
    event: str
    mode: str | None
    sources: tuple[GoldActor, ...]
    targets: tuple[GoldActor, ...]

    @property
    def source_codes(self) -> frozenset[str]:
        """The codes of the gold sources (empty when none is coded)."""
        return frozenset(a.code for a in self.sources if a.code)

    @property
    def target_codes(self) -> frozenset[str]:
        """The codes of the gold targets (empty when none is coded)."""
        return frozenset(a.code for a in self.targets if a.code)


@dataclass(frozen=True)
class TypeScore:
    """Precision, recall and F1 of one event type, with the counts behind them."""

    precision: float
    recall: float
    f1: float
    support: int  # gold records of this type
    predicted: int  # records predicted as this type


@dataclass(frozen=True)
class EvalError:
    """A record the coder got wrong on type, source or target."""

    id: str
    text: str
    gold: tuple[str, tuple[str, ...], tuple[str, ...]]  # type, source codes, target codes
    predicted: tuple[str, str | None, str | None]  # type ("none"), source, target


@dataclass(frozen=True)
class EvalReport:
    """Every figure of one evaluation run."""

    n: int
    per_type: dict[str, TypeScore]
    macro_f1: float
    type_accuracy: float
    source_accuracy: float
    source_n: int
    target_accuracy: float
    target_n: int
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[EvalError] = field(default_factory=list)
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)  # 95% bootstrap, by HEADLINE name


def _actors(value: object) -> tuple[GoldActor, ...]:
    """Gold source/target as shipped: a list of actor objects, a bare string ("" or a note), or missing."""
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict):
            code = item.get("code")
            out.append(GoldActor(str(item.get("actorText", "")), str(code).strip() or None if code else None,
                                 item.get("sector") or None))
    return tuple(out)


def parse_gold(lines: Iterable[str]) -> list[GoldRecord]:
    """Parse gold JSONL lines (blank lines skipped); raises ``ValueError`` on a line that is not a record."""
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            records.append(GoldRecord(
                id=str(raw.get("id", number)), text=str(raw["text"]), date=raw.get("date") or None,
                event=str(raw["event"]).strip().upper(), mode=raw.get("mode") or None,
                sources=_actors(raw.get("source")), targets=_actors(raw.get("target")),
            ))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"gold line {number}: {exc}") from exc
    return records


def load_gold(path: str | Path) -> list[GoldRecord]:
    """Read a gold JSONL file exactly as shipped (one record per line)."""
    with Path(path).open(encoding="utf-8") as handle:
        return parse_gold(handle)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def score(gold: list[GoldRecord], predictions: list[tuple[str | None, str | None, str | None]]) -> EvalReport:
    """Score predictions (one per gold record, in order) against the gold."""
    if len(gold) != len(predictions):
        raise ValueError(f"{len(gold)} gold records but {len(predictions)} predictions")
    confusion: dict[str, Counter] = {}
    errors: list[EvalError] = []
    correct = source_hits = source_n = target_hits = target_n = 0
    for record, (kind, source, target) in zip(gold, predictions, strict=True):
        predicted = kind or NONE
        confusion.setdefault(record.event, Counter())[predicted] += 1
        type_ok = predicted == record.event
        correct += type_ok
        source_ok = target_ok = True
        if record.source_codes:
            source_n += 1
            source_ok = source in record.source_codes
            source_hits += source_ok
        if record.target_codes:
            target_n += 1
            target_ok = target in record.target_codes
            target_hits += target_ok
        if not (type_ok and source_ok and target_ok):
            errors.append(EvalError(
                record.id, record.text,
                (record.event, tuple(sorted(record.source_codes)), tuple(sorted(record.target_codes))),
                (predicted, source, target),
            ))
    gold_counts = Counter(r.event for r in gold)
    predicted_counts = Counter(kind or NONE for kind, _, _ in predictions)
    per_type: dict[str, TypeScore] = {}
    for kind in sorted(set(gold_counts) | (set(predicted_counts) - {NONE})):
        hits = confusion.get(kind, Counter())[kind]
        precision = _ratio(hits, predicted_counts[kind])
        recall = _ratio(hits, gold_counts[kind])
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_type[kind] = TypeScore(precision, recall, f1, gold_counts[kind], predicted_counts[kind])
    macro = _ratio(sum(per_type[k].f1 for k in gold_counts), len(gold_counts)) if gold_counts else 0.0
    return EvalReport(
        n=len(gold), per_type=per_type, macro_f1=macro, type_accuracy=_ratio(correct, len(gold)),
        source_accuracy=_ratio(source_hits, source_n), source_n=source_n,
        target_accuracy=_ratio(target_hits, target_n), target_n=target_n,
        confusion={g: dict(row) for g, row in sorted(confusion.items())}, errors=errors,
    )


def evaluate(gold: list[GoldRecord], predict: Predictor) -> EvalReport:
    """Run ``predict(text, date)`` on every gold record and score the main events it returns."""
    return score(gold, [predict(record.text, record.date) for record in gold])


def intervals(gold: list[GoldRecord], predictions: list[tuple[str | None, str | None, str | None]],
              level: float = 0.95, resamples: int = 1000, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of the headline figures (``HEADLINE``), resampling gold sentences.

    Empty when there are fewer than two records. Seeded, so a run is repeatable.
    """
    if len(gold) < 2:
        return {}
    from scipy import stats

    def figures(indices: np.ndarray) -> np.ndarray:
        picked = [int(i) for i in indices]
        report = score([gold[i] for i in picked], [predictions[i] for i in picked])
        return np.array([getattr(report, name) for name in HEADLINE])

    result = stats.bootstrap((np.arange(len(gold)),), figures, vectorized=False, n_resamples=resamples,
                             confidence_level=level, method="percentile", random_state=seed)
    low, high = result.confidence_interval
    return {name: (float(lo), float(hi)) for name, lo, hi in zip(HEADLINE, low, high, strict=True)}
