"""How well articles were grouped into storylines: purity, counts, and one focus story followed in time.

There is no gold storyline labelling of the sample corpus, so quality is
read from what the articles name:

- **purity** — for each storyline of two or more articles, the share of its
  articles that name one of its two main actors (its label's first two);
  averaged over storylines weighted by size. A storyline that gathers
  unrelated articles scores low.
- **focus** — the storyline holding most articles of the focus years that
  name a focus country (by default Russia or Ukraine in 2021–2022): its
  purity (share of all its articles naming a focus country), its coverage
  (share of the focus articles it holds) and its phase timeline.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from ..store import Store


@dataclass
class StoryEvaluation:
    """The figures ``detente eval stories`` prints."""

    articles: int
    assigned: int
    storylines: int
    storylines_2plus: int
    purity: float
    focus_countries: tuple[str, ...]
    focus_storyline: str | None = None
    focus_label: str | None = None
    focus_articles: int = 0
    focus_purity: float = 0.0
    focus_coverage: float = 0.0
    focus_phases: list[tuple[str, str]] = field(default_factory=list)  # (date, phase)


def evaluate_stories(store: Store, focus: tuple[str, ...] = ("RUS", "UKR"),
                     years: tuple[int, int] = (2021, 2022)) -> StoryEvaluation:
    """Measure the stored storylines (see the module docstring)."""
    frame = store.storyline_members()
    members = list(frame[["article_id", "storyline_id", "published_at", "actors"]].itertuples(index=False))
    named: dict[str, set[str]] = {}
    for article_id, actor in store.named_actors().itertuples(index=False):
        named.setdefault(article_id, set()).add(actor)
    total = int(frame.attrs.get("read", len(members)))
    sizes: dict[str, int] = {}
    for _, sid, _, _ in members:
        sizes[sid] = sizes.get(sid, 0) + 1
    held = hits = 0
    for article_id, sid, _, actors in members:
        if sizes[sid] < 2:
            continue
        main = set(json.loads(actors)[:2])
        held += 1
        hits += bool(named.get(article_id, set()) & main)
    report = StoryEvaluation(
        articles=total, assigned=len(members), storylines=len(sizes),
        storylines_2plus=sum(1 for n in sizes.values() if n >= 2), purity=round(hits / held, 4) if held else 0.0,
        focus_countries=focus)
    wanted = set(focus)
    in_years = [(a, sid) for a, sid, when, _ in members
                if years[0] <= when.year <= years[1] and named.get(a, set()) & wanted]
    if not in_years:
        return report
    counts: dict[str, int] = {}
    for _, sid in in_years:
        counts[sid] = counts.get(sid, 0) + 1
    best = max(counts, key=lambda sid: (counts[sid], sid))
    own = [a for a, sid, _, _ in members if sid == best]
    report.focus_storyline = best
    detail = store.storyline(best)
    report.focus_label = str(detail["storyline"].iloc[0]["label"]) if detail else None
    report.focus_articles = len(own)
    report.focus_purity = round(sum(1 for a in own if named.get(a, set()) & wanted) / len(own), 4)
    report.focus_coverage = round(counts[best] / len(in_years), 4)
    start = dt.date(years[0], 1, 1)
    if detail:
        report.focus_phases = [(str(row.phase_date.date()), row.phase) for row in detail["phases"].itertuples()
                               if row.phase_date.date() >= start]
    return report
