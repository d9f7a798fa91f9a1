"""A storyline's phase, read from its recent events and signals.

The phases, the evidence each reads and the rules of the reading are data in
``resources/phases.yaml`` (with their meaning and sources). A ``PhaseTracker``
keeps one storyline's trailing window of evidence and says when its phase
changes, with the evidence for the new phase.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class PhaseRules:
    """The phase set and how evidence is read (``resources/phases.yaml``)."""

    window_days: int
    min_score: float
    switch_margin: float
    counted_modalities: frozenset[str]
    phases: dict[str, dict]
    evidence: dict[str, dict[str, float]]

    def needs_parties(self, phase: str) -> bool:
        """Whether only events naming both their parties (source and target) count for ``phase``."""
        return bool(self.phases[phase].get("both_parties"))

    def min_articles(self, phase: str) -> int:
        """How many different articles must back ``phase`` before it can begin (1 unless the phase holds)."""
        return int(self.phases[phase].get("min_articles", 1))

    def allowed(self, phase: str, current: str | None) -> bool:
        """Whether ``phase`` can follow ``current`` (``breakdown`` needs talks or an agreement first)."""
        after = self.phases[phase].get("after")
        return not after or current in after


@cache
def phase_rules() -> PhaseRules:
    """Load the phase rules shipped with the package (once)."""
    text = resources.files("detente.resources").joinpath("phases.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return PhaseRules(
        window_days=int(raw["window_days"]), min_score=float(raw["min_score"]),
        switch_margin=float(raw["switch_margin"]), counted_modalities=frozenset(raw["counted_modalities"]),
        phases=raw["phases"], evidence={str(k): v for k, v in raw["evidence"].items()},
    )


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for a phase: an event or a signal of the storyline, on a day."""

    id: str
    day: dt.date
    key: str  # the phases.yaml evidence key it matched ("046", "ASSAULT", "register:engagement")
    weights: tuple[tuple[str, float], ...]  # (phase, weight) it adds
    article: str = ""  # the article it was read from ("": counts as an article of its own)


def event_evidence(event_id: str, day: dt.date, event_type: str, cameo_code: str | None, modality: str,
                   confidence: float = 1.0, rules: PhaseRules | None = None, article: str = "",
                   both_parties: bool = True) -> Evidence | None:
    """The phase evidence of a coded event, or ``None`` if its modality or type does not count.

    ``both_parties``: whether the event names its source and its target; if not, it adds nothing to the
    phases that need both (``both_parties`` in phases.yaml).
    """
    rules = rules or phase_rules()
    if modality not in rules.counted_modalities:
        return None
    code = cameo_code or ""
    for size in range(len(code), 1, -1):  # the most specific CAMEO prefix first
        if code[:size] in rules.evidence:
            key = code[:size]
            break
    else:
        key = event_type
    weights = {phase: w for phase, w in rules.evidence.get(key, {}).items()
               if both_parties or not rules.needs_parties(phase)}
    if not weights:
        return None
    return Evidence(event_id, day, key, tuple((phase, w * confidence) for phase, w in weights.items()), article)


def signal_evidence(signal_id: str, day: dt.date, kind: str, label: str | None,
                    rules: PhaseRules | None = None, article: str = "") -> Evidence | None:
    """The phase evidence of a signal (register readings by label; positions, conditions, commitments)."""
    rules = rules or phase_rules()
    key = f"register:{label}" if kind == "register" else kind
    weights = rules.evidence.get(key)
    if not weights:
        return None
    return Evidence(signal_id, day, key, tuple(weights.items()), article)


@dataclass(frozen=True)
class PhaseChange:
    """A storyline entered ``phase`` on ``day``, with the score and the evidence behind it."""

    day: dt.date
    phase: str
    score: float
    evidence: tuple[str, ...]


@dataclass
class PhaseTracker:
    """One storyline's trailing evidence window and current phase."""

    phase: str | None = None
    rules: PhaseRules = field(default_factory=phase_rules)
    window: deque[Evidence] = field(default_factory=deque)
    last_day: dt.date | None = None  # the day of the newest evidence seen

    def add(self, evidence: Evidence) -> None:
        """Add evidence (in date order; older evidence outside the window is dropped on ``update``)."""
        self.window.append(evidence)

    def scores(self, day: dt.date) -> dict[str, float]:
        """Each phase's score over the window ending on ``day``.

        Phases that cannot follow now are left out, and so is a phase backed by fewer different articles
        than its ``min_articles`` (unless it is the current one).
        """
        start = day - dt.timedelta(days=self.rules.window_days)
        while self.window and self.window[0].day < start:
            self.window.popleft()
        totals: dict[str, float] = {}
        articles: dict[str, set[str]] = {}
        for item in self.window:  # in article order: an article may bring evidence dated long before it
            if not start <= item.day <= day:
                continue
            for phase, weight in item.weights:
                totals[phase] = totals.get(phase, 0.0) + weight
                articles.setdefault(phase, set()).add(item.article or item.id)
        return {p: s for p, s in totals.items() if self.rules.allowed(p, self.phase)
                and (p == self.phase or len(articles[p]) >= self.rules.min_articles(p))}

    def update(self, day: dt.date) -> PhaseChange | None:
        """Re-read the phase on ``day``; return the change if the phase moved.

        A storyline whose newest earlier evidence is older than the window has
        gone quiet: its old phase no longer holds, and the phase read from the
        new evidence is recorded afresh (even if it has the same name).
        """
        if self.last_day is not None and (day - self.last_day).days > self.rules.window_days:
            self.phase = None
        newest = max((item.day for item in self.window if item.day <= day), default=None)
        if newest is not None:
            self.last_day = max(newest, self.last_day or newest)
        scores = self.scores(day)
        if not scores:
            return None
        best = max(scores, key=lambda p: (scores[p], -self.rules.phases[p]["order"]))
        if best == self.phase or scores[best] < self.rules.min_score:
            return None
        if self.phase is not None and self.rules.phases[self.phase].get("holds") \
                and scores.get(self.phase, 0.0) >= self.rules.min_score:
            return None
        if self.phase is not None and scores[best] < self.rules.switch_margin * scores.get(self.phase, 0.0):
            return None
        self.phase = best
        start = day - dt.timedelta(days=self.rules.window_days)
        backing = sorted((item for item in self.window
                          if start <= item.day <= day and any(p == best for p, _ in item.weights)),
                         key=lambda item: -dict(item.weights)[best])
        return PhaseChange(day, best, round(scores[best], 3), tuple(item.id for item in backing[:20]))
