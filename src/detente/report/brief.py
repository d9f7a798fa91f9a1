"""The document model of a brief and ``build_report``, which fills it from a storyline's data (pure).

A brief answers, in order: what happened (the latest events with the
sentence that reported each, the latest headlines), how bad it is (the
storyline's risk index and its phase), who wants what (positions and the
ledger of conditions and commitments), and what it may mean for markets
(scenario probabilities and the per-asset impacts measured by event studies
of analogues). Every cell is already text, so the renderers only lay it out.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass

import pandas as pd

from .data import StorylineData

#: Ledger rows and positions shown at most.
MAX_ROWS = 40


@dataclass(frozen=True)
class Table:
    """A titled table of text cells; ``empty`` is said instead when it has no rows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    empty: str = "None recorded."


@dataclass(frozen=True)
class EventLine:
    """A coded event with the sentence that reported it, split around its trigger word for highlighting."""

    date: str
    source: str
    event_type: str
    target: str
    modality: str
    goldstein: str
    before: str
    trigger: str
    after: str


@dataclass(frozen=True)
class Chart:
    """A chart as SVG (HTML, PDF) and PNG (Markdown) bytes."""

    name: str
    title: str
    svg: bytes
    png: bytes


@dataclass(frozen=True)
class Report:
    """A dated brief on one storyline."""

    storyline_id: str
    label: str
    dated: dt.date
    phase: str
    phase_since: str
    summary: tuple[str, ...]
    events: tuple[EventLine, ...]
    headlines: Table
    index: Table
    phases: Table
    positions: Table
    ledger: Table
    scenarios: Table
    markets: Table
    notes: tuple[str, ...]
    charts: tuple[Chart, ...]

    @property
    def title(self) -> str:
        """The brief's title: storyline and date."""
        return f"Brief: {self.label} — {self.dated.isoformat()}"


def text(value: object) -> str:
    """A cell's text: blank for missing values (None, NaN, NaT), a date for a midnight timestamp."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ")[:16]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value)


def pct(value: object) -> str:
    """A log return as a signed percentage (blank when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value) * 100:+.1f}%"


def event_lines(events: pd.DataFrame, limit: int) -> tuple[EventLine, ...]:
    """The latest ``limit`` events, newest day first (in text order within a day), each with its sentence split
    around the trigger."""
    lines = []
    for e in events.tail(limit).sort_values("event_date", ascending=False, kind="stable").itertuples():
        sentence = e.sentence if isinstance(e.sentence, str) else ""
        before, trigger, after = sentence, "", ""
        if sentence and not pd.isna(e.trigger_start) and not pd.isna(e.sentence_start):
            start, end = int(e.trigger_start - e.sentence_start), int(e.trigger_end - e.sentence_start)
            if 0 <= start < end <= len(sentence):
                before, trigger, after = sentence[:start], sentence[start:end], sentence[end:]
        goldstein = f"{e.goldstein:+.1f}" if not pd.isna(e.goldstein) else ""
        lines.append(EventLine(text(e.event_date), text(e.source_actor), e.event_type, text(e.target_actor),
                               e.modality, goldstein, before, trigger, after))
    return tuple(lines)


def _index_table(index: pd.DataFrame, weeks: int = 8) -> Table:
    active = index[index["articles"] > 0].tail(weeks).iloc[::-1]
    rows = tuple((text(r.date), f"{r.index:.0f}", f"{r.threat:.0f}", f"{r.act:.0f}", f"{int(r.articles):,}")
                 for r in active.itertuples())
    return Table("Risk index of the storyline (latest active weeks)", ("week", "index", "threat", "act", "articles"),
                 rows, "combined method: GPR words and coded events, base-period average = 100",
                 index.attrs.get("missing", "No index yet: run `detente index`."))


def _phases_table(phases: pd.DataFrame) -> Table:
    rows = tuple((text(p.phase_date), p.phase, f"{p.score:.2f}", ", ".join(json.loads(p.evidence)[:3])
                  if isinstance(p.evidence, str) else "") for p in phases.iloc[::-1].head(12).itertuples())
    return Table("Phases, latest first", ("since", "phase", "score", "evidence"), rows)


def _positions_table(signals: pd.DataFrame) -> Table:
    kept = signals[signals["kind"].isin(["position", "condition", "commitment"])].head(MAX_ROWS)
    rows = tuple((g.kind, text(g.actor), text(g.stance), text(g.issue), text(g.label), text(g.quote))
                 for g in kept.itertuples())
    return Table("Positions, conditions and commitments", ("kind", "actor", "stance", "issue", "label", "quote"), rows)


def _ledger_table(ledger: pd.DataFrame) -> Table:
    current = ledger[ledger["current"].astype(bool)].head(MAX_ROWS) if not ledger.empty else ledger
    rows = tuple((r.kind, text(r.actor), text(r.counterpart), text(r.action), text(r.issue), r.status,
                  text(r.status_date), text(r.reason)) for r in current.itertuples())
    return Table("Ledger: each condition and commitment at its current status",
                 ("kind", "actor", "counterpart", "action", "issue", "status", "since", "why"), rows)


def _scenario_tables(data: StorylineData) -> tuple[Table, Table]:
    outlook = data.outlook
    if outlook is None:
        why = f"No scenarios: {data.outlook_missing}" if data.outlook_missing else "No scenarios."
        return (Table("Scenarios", ("scenario", "probability", "drivers"), (), empty=why),
                Table("Markets", ("asset",), (), empty=why))
    scenarios = Table("Scenarios", ("scenario", "probability", "drivers"), tuple(
        (s.name.replace("_", " "), f"{s.probability:.0%}", ", ".join(s.drivers[:5]) + (" …" if len(s.drivers) > 5
                                                                                           else ""))
        for s in outlook.scenarios), f"theme {outlook.theme}; probabilities sum to 1")
    expected = outlook.expected.set_index("asset") if not outlook.expected.empty else pd.DataFrame()
    rows = []
    for position, impact in enumerate(outlook.scenarios[0].asset_impacts if outlook.scenarios else ()):
        asset = impact.asset
        if all(s.asset_impacts[position].size is None for s in outlook.scenarios):
            continue
        size = (lambda v: "" if v is None else f"{v:+.1f}") if data.measures.get(asset) == "change" else pct
        cells = [f"{size(i.size)} [{size(i.interval_low)}, {size(i.interval_high)}]" if i.size is not None
                 else f"prior {i.direction:+d}" for i in (s.asset_impacts[position] for s in outlook.scenarios)]
        mean = expected.loc[asset] if asset in expected.index else None
        weighted = (f"{size(mean['expected'])} [{size(mean['low'])}, {size(mean['high'])}]"
                    if mean is not None and not pd.isna(mean["expected"]) else "")
        rows.append((asset, data.channels.get(asset, ""), *cells, weighted))
    markets = Table("Markets: mean move of the closest analogues under each scenario",
                    ("asset", "channel", *(s.name.replace("_", " ") for s in outlook.scenarios), "probability-weighted"),
                    tuple(rows), "cumulative abnormal log return [0,+5] trading days (spreads and yields: change in "
                                 "their unit) [90% interval]; event studies after MacKinlay (1997)",
                    "No asset with measured impacts: load prices (`detente prices`).")
    return scenarios, markets


def _summary(row: pd.Series, story: dict[str, pd.DataFrame], index: pd.DataFrame, outlook: object | None) -> tuple:
    actors = row["actors"]
    actors = json.loads(actors) if isinstance(actors, str) else list(actors) if actors is not None else []
    lines = [(f"{int(row['n_articles']):,} articles from {text(row['first_published'])[:10]} to "
             f"{text(row['last_published'])[:10]}, {len(story['events']):,} coded events; main actors "
             f"{', '.join(actors) or 'unknown'}.")]
    if row["phase"] is not None and not pd.isna(row["phase"]):
        lines.append(f"Phase: {str(row['phase']).replace('_', ' ')} since {text(row['phase_since'])[:10]}.")
    active = index[index["articles"] > 0]
    if len(active):
        last = active.iloc[-1]
        lines.append(f"Risk index {last['index']:.0f} in the week of {text(last['date'])} "
                     f"(threat {last['threat']:.0f}, act {last['act']:.0f}; base-period average 100).")
    if outlook is not None and outlook.scenarios:
        top = max(outlook.scenarios, key=lambda s: s.probability)
        lines.append(f"Most likely scenario: {top.name.replace('_', ' ')} ({top.probability:.0%}).")
    open_items = story["ledger"][story["ledger"]["current"].astype(bool)] if not story["ledger"].empty else None
    if open_items is not None and len(open_items):
        counts = open_items["status"].value_counts()
        lines.append("Ledger: " + ", ".join(f"{n} {status}" for status, n in counts.items()) + ".")
    return tuple(lines)


def build_report(data: StorylineData, dated: dt.date, *, events_limit: int = 12, charts: bool = True) -> Report:
    """The brief on ``data``'s storyline dated ``dated``: its latest ``events_limit`` events, tables and charts."""
    from .charts import event_chart, index_chart, scenario_chart

    story = data.story
    row = story["storyline"].iloc[0]
    headlines = story["articles"].tail(8).iloc[::-1]
    notes = []
    if data.outlook is not None:
        notes.append("Scenario probabilities are a multinomial-logit score over the storyline's state with stated "
                     "weights (resources/scenarios.yaml), not estimates; impacts are measured on analogues.")
    drawn = ()
    if charts:
        span = (row["first_published"], row["last_published"])
        drawn = tuple(c for c in (index_chart(data.index), event_chart(story["events"], span),
                                  scenario_chart(data.outlook)) if c is not None)
    scenarios, markets = _scenario_tables(data)
    return Report(
        storyline_id=str(row["id"]), label=str(row["label"]), dated=dated,
        phase=text(row["phase"]) or "unknown", phase_since=text(row["phase_since"])[:10],
        summary=_summary(row, story, data.index, data.outlook),
        events=event_lines(story["events"], events_limit),
        headlines=Table("Latest headlines", ("published", "title"),
                        tuple((text(a.published_at)[:10], text(a.title)) for a in headlines.itertuples())),
        index=_index_table(data.index), phases=_phases_table(story["phases"]),
        positions=_positions_table(story["signals"]), ledger=_ledger_table(story["ledger"]),
        scenarios=scenarios, markets=markets, notes=tuple(notes), charts=drawn)
