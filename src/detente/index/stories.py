"""Put stored, extracted articles into storylines; keep each storyline's phase and ledger.

This is the edge of the storyline stage: it reads articles with their
mentions, events and signals from the store in publication order, runs the
pure parts (``storylines.StorylineClusterer``, ``phases.PhaseTracker``,
``ledger.Ledger``) and writes each batch back in one transaction. It resumes
where the last run stopped: live storylines, their recent evidence and
their open ledger items are read back first.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..store import Store
from ..store.base import LedgerRow, StorylineBatch, StorylineRow
from ..summary import RunSummary
from .ledger import Ledger, LedgerEvent, LedgerItem, LedgerUpdate
from .phases import PhaseTracker, event_evidence, phase_rules, signal_evidence
from .storylines import StoryArticle, Storyline, StorylineClusterer, StoryParams

LEDGER_KINDS = ("commitment", "condition")


@dataclass
class StorySummary(RunSummary):
    """What one storyline update read and did."""

    articles: int = 0
    assigned: int = 0
    opened: int = 0
    merged: int = 0
    phase_changes: int = 0
    ledger_moves: int = 0
    seconds: float = 0.0


def _value(value):
    """A frame cell as a plain value (``None`` for pandas' missing values)."""
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return None
    return value


def _day(value, fallback: dt.date | None) -> dt.date | None:
    value = _value(value)
    if value is None:
        return fallback
    return value.date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value


def _party(code) -> str | None:
    code = _value(code)
    if not code:
        return None
    return code if code.startswith(("IGO", "NGO")) else code[:3]


def label_of(storyline: Storyline) -> tuple[tuple[str, ...], str, str]:
    """A storyline's main actors, theme (top terms) and label ("RUS–UKR: ukraine, russia, war")."""
    actors = tuple(k for k, _ in sorted(storyline.actors.items(), key=lambda kv: (-kv[1], kv[0])) if "~" not in k)[:3]
    theme = ", ".join(k for k, _ in sorted(storyline.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
    return actors, theme, f"{'–'.join(actors) or '?'}: {theme}"


class _Run:
    """One update: the live state and the batch being built."""

    def __init__(self, store: Store, params: StoryParams) -> None:
        self.store, self.params, self.rules = store, params, phase_rules()
        state = store.storyline_state(params.max_storylines)
        storylines, self.trackers, self.since = [], {}, {}
        for row in state.itertuples():
            profile = json.loads(row.profile)
            storylines.append(Storyline(
                id=row.id, first_published=row.first_published.to_pydatetime(),
                last_published=row.last_published.to_pydatetime(), n_articles=int(row.n_articles),
                terms=profile["terms"], actors=profile["actors"]))
            self.trackers[row.id] = PhaseTracker(phase=_value(row.phase), last_day=_day(row.last_published, None))
            self.since[row.id] = _value(row.phase_since)
        self.clusterer = StorylineClusterer(params, storylines)
        self.clusterer.warm_up(store.recent_leads(min(params.idf_window, 2000)))
        ids = [s.id for s in storylines]
        if ids:
            self._resume_evidence(ids)
        self.ledger = Ledger([self._ledger_item(row, row.storyline_id, _day(row.status_date, dt.date.min))
                              for row in store.open_ledger(ids).itertuples()] if ids else [])
        self.batch = StorylineBatch()
        self.touched: set[str] = set()

    def _resume_evidence(self, ids: list[str]) -> None:
        recent = self.store.storyline_evidence(ids, self.rules.window_days)
        for row in recent["events"].itertuples():
            self._track_event(row.storyline_id, row, _day(row.published_at, dt.date.min))
        for row in recent["signals"].itertuples():
            self._track_signal(row.storyline_id, row, _day(row.published_at, dt.date.min))

    # -- evidence ----------------------------------------------------------------

    def _track_event(self, sid: str, event, published: dt.date) -> None:
        day = min(_day(event.event_date, published), published)
        evidence = event_evidence(event.id, day, event.event_type, _value(event.cameo_code), event.modality,
                                  float(event.confidence), self.rules, event.article_id,
                                  bool(_value(event.source_actor) and _value(event.target_actor)))
        if evidence:
            self.trackers.setdefault(sid, PhaseTracker()).add(evidence)

    def _track_signal(self, sid: str, signal, published: dt.date) -> None:
        evidence = signal_evidence(signal.id, published, signal.kind, _value(signal.label), self.rules,
                                   signal.article_id)
        if evidence:
            self.trackers.setdefault(sid, PhaseTracker()).add(evidence)

    @staticmethod
    def _ledger_item(signal, sid: str, made_on: dt.date) -> LedgerItem:
        return LedgerItem(
            signal_id=getattr(signal, "signal_id", None) or signal.id, storyline_id=sid,
            kind=signal.kind, article_id=signal.article_id, made_on=made_on, actor=_value(signal.actor),
            counterpart=_value(signal.counterpart),
            action=_value(getattr(signal, "action", None) or getattr(signal, "label", None)),
            issue=_value(signal.issue), due=_day(signal.due, None))

    def _record(self, updates: list[LedgerUpdate]) -> None:
        for u in updates:
            item = u.item
            self.batch.ledger.append(LedgerRow(
                signal_id=item.signal_id, storyline_id=item.storyline_id, kind=item.kind, actor=item.actor,
                counterpart=item.counterpart, action=item.action, issue=item.issue, due=item.due,
                status=u.status, status_date=u.day, evidence_id=u.evidence_id, reason=u.reason))

    # -- one article -------------------------------------------------------------

    def add(self, article, mentions: list[str], events: list, signals: list, summary: StorySummary) -> None:
        """Assign one article (rows of its events and signals) and update its storyline's phase and ledger."""
        published = article.published_at.to_pydatetime()
        dyads = []
        for e in events:
            source, target = _party(e.source_actor), _party(e.target_actor)
            if source and target and source != target:
                dyads.append("~".join(sorted((source, target))))
        assignment = self.clusterer.assign(StoryArticle(article.id, published, article.lead, tuple(mentions),
                                                        tuple(dyads)))
        summary.articles += 1
        if assignment is None:
            self.batch.assignments.append((article.id, None, 0.0, published))
            return
        sid = assignment.storyline_id
        summary.assigned += 1
        summary.opened += assignment.opened
        for old in assignment.merged:
            summary.merged += 1
            self.batch.merges[old] = sid
            self.batch.assignments = [(a, sid if s == old else s, score, when)
                                      for a, s, score, when in self.batch.assignments]
            tracker, mine = self.trackers.pop(old, None), self.trackers.setdefault(sid, PhaseTracker())
            if tracker:
                mine.window.extend(tracker.window)
                mine.window = type(mine.window)(sorted(mine.window, key=lambda item: item.day))
            self.ledger.move(old, sid)
            self.touched.discard(old)
        self.batch.assignments.append((article.id, sid, assignment.similarity, published))
        self.touched.add(sid)
        day = published.date()
        tracker = self.trackers.setdefault(sid, PhaseTracker())
        for e in events:
            self._track_event(sid, e, day)
            summary.ledger_moves += self._observe(sid, e, day)
        for g in signals:
            self._track_signal(sid, g, day)
            if g.kind in LEDGER_KINDS:
                updates = self.ledger.add(self._ledger_item(g, sid, day))
                self._record(updates)
                summary.ledger_moves += len(updates) - 1
        expired = self.ledger.expire(sid, day)
        self._record(expired)
        summary.ledger_moves += len(expired)
        change = tracker.update(day)
        if change:
            summary.phase_changes += 1
            self.since[sid] = change.day
            self.batch.phases.append((sid, change.day, change.phase, change.score, change.evidence))

    def _observe(self, sid: str, e, day: dt.date) -> int:
        event = LedgerEvent(id=e.id, article_id=e.article_id, day=min(_day(e.event_date, day), day),
                            event_type=e.event_type, modality=e.modality, source=_value(e.source_actor),
                            target=_value(e.target_actor))
        updates = self.ledger.observe(sid, event)
        self._record(updates)
        return len(updates)

    def flush(self) -> None:
        """Write the batch: touched storylines with their labels and profiles, assignments, phases, ledger."""
        for sid in sorted(self.touched):
            storyline = self.clusterer.live.get(sid)
            if storyline is None:
                continue
            actors, theme, label = label_of(storyline)
            tracker = self.trackers.get(sid)
            self.batch.storylines.append(StorylineRow(
                id=sid, label=label, actors=actors, theme=theme, first_published=storyline.first_published,
                last_published=storyline.last_published, n_articles=storyline.n_articles,
                profile=json.dumps(storyline.profile()), phase=tracker.phase if tracker else None,
                phase_since=self.since.get(sid)))
        for old, new in self.batch.merges.items():
            self.batch.storylines.append(StorylineRow(
                id=old, label=f"merged into {new}", actors=(), theme="", first_published=dt.datetime.min,
                last_published=dt.datetime.min, n_articles=0, profile="{}", merged_into=new))
        self.store.write_storylines(self.batch)
        self.batch, self.touched = StorylineBatch(), set()


def update_storylines(
    store: Store,
    *,
    params: StoryParams | None = None,
    batch_size: int = 2000,
    rebuild: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> StorySummary:
    """Assign every extracted article not yet in a storyline (all of them again with ``rebuild``)."""
    started = time.perf_counter()
    if rebuild:
        store.clear_storylines()
    run = _Run(store, params or StoryParams())
    summary = StorySummary()
    while True:
        inputs = store.storyline_inputs(batch_size)
        if inputs["articles"].empty:
            break
        mentions, events, signals = defaultdict(list), defaultdict(list), defaultdict(list)
        for name, grouped in (("mentions", mentions), ("events", events), ("signals", signals)):
            for row in inputs[name].itertuples(index=False):  # one pass: pandas per article is slow
                grouped[row.article_id].append(row.actor if name == "mentions" else row)
        for article in inputs["articles"].itertuples():
            run.add(article, mentions.get(article.id, []), events.get(article.id, []),
                    signals.get(article.id, []), summary)
        run.flush()
        if on_progress:
            on_progress(summary.articles)
    summary.seconds = time.perf_counter() - started
    return summary
