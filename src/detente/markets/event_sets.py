"""Event sets for studies: dates given directly, read from a CSV, chosen from the store, or reference episodes.

Every set is a frame with columns ``id``, ``date`` (Timestamp), ``label``
and ``evidence`` (the ids of the events, phase rows or index points
behind the date). The query language of ``detente study --events``:

- ``conflict[:STORYLINE]`` — days with ASSAULT or FIGHT events (asserted or
  reported) at Goldstein ≤ −9 (``max_goldstein``), of one storyline or all;
- ``phases[:STORYLINE][:PHASE]`` — the first day of each new phase;
- ``jumps[:SCOPE][:N]`` — the N (default 10) largest day-on-day rises of the
  daily risk index of SCOPE (``global``, ``RUS``, ``storyline:ID``);
- ``reference[:CLASS_OR_THEME]`` — the documented episodes of
  ``resources/market_events.yaml`` (escalation, talks, deal, collapse;
  russia_ukraine, middle_east).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from ..errors import BadOption, InputNotFound, NotEnoughData
from ..store import Store

COLUMNS = ["id", "date", "label", "evidence"]
KINDS = ("conflict", "phases", "jumps", "reference")


@cache
def reference_episodes() -> pd.DataFrame:
    """The reference episodes (id, date, label, class, cameo, goldstein, intensity, theme, source)."""
    raw = yaml.safe_load(resources.files("detente.resources").joinpath("market_events.yaml").read_text("utf-8"))
    frame = pd.DataFrame(raw["episodes"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["intensity"] = frame["goldstein"].abs()
    frame["evidence"] = [[f"reference:{i}"] for i in frame["id"]]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def parse_day(text: str, what: str = "--dates") -> dt.date:
    """An ISO date a user typed, or ``BadOption``."""
    try:
        return dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError as exc:
        raise BadOption(f"{what}: {text!r} is not a date (use YYYY-MM-DD)") from exc


def dates_given(text: str) -> pd.DataFrame:
    """The event set of ``--dates 2022-02-24,2022-03-29``: one event a date, its id the date."""
    days = [parse_day(part) for part in str(text).replace(";", ",").split(",") if part.strip()]
    if not days:
        raise BadOption("--dates: give at least one date, e.g. --dates 2022-02-24,2022-03-29")
    return _frame([{"id": d.isoformat(), "date": d, "label": "", "evidence": []} for d in days])


def dates_from_csv(path: str | Path) -> pd.DataFrame:
    """The event set of a CSV with a ``date`` column (else the first), and optional ``label`` and ``id``."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(f"no dates file at {path}")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if raw.empty:
        raise NotEnoughData(f"{path} lists no dates")
    lower = {c.strip().lower(): c for c in raw.columns}
    date_col = lower.get("date", raw.columns[0])
    rows = []
    for i, row in raw.iterrows():
        day = parse_day(row[date_col], f"{path.name} line {i + 2}")
        rows.append({"id": row[lower["id"]] if "id" in lower else day.isoformat(), "date": day,
                     "label": row[lower["label"]] if "label" in lower else "", "evidence": []})
    return _frame(rows)


def reference_set(selector: str | None = None) -> pd.DataFrame:
    """Reference episodes, all or of one class or theme."""
    frame = reference_episodes()
    if selector:
        keep = (frame["class"] == selector) | (frame["theme"] == selector) | (frame["id"] == selector)
        if not keep.any():
            known = sorted(set(frame["class"]) | set(frame["theme"]))
            raise BadOption(f"reference:{selector}: no such class or theme (known: {', '.join(known)})")
        frame = frame[keep]
    return frame[COLUMNS].reset_index(drop=True)


def conflict_days(store: Store, storyline_id: str | None, max_goldstein: float = -9.0) -> pd.DataFrame:
    """One event a day on which the storyline (or any) had ASSAULT/FIGHT events at Goldstein ≤ ``max_goldstein``."""
    found = store.conflict_events(storyline_id, max_goldstein)
    rows = []
    for day, group in found.groupby("event_date", sort=True):
        first = group.iloc[0]
        rows.append({"id": first["id"], "date": day, "evidence": group["id"].tolist(),
                     "label": f"{len(group)} × {'/'.join(sorted(set(group['event_type'])))}"
                              f" (min Goldstein {group['goldstein'].min():+.1f})"})
    return _frame(rows)


def phase_days(store: Store, storyline_id: str | None, phase: str | None = None) -> pd.DataFrame:
    """The first day of each new phase (of a storyline, or of all), optionally of one phase only."""
    found = store.phase_starts(storyline_id)
    if phase:
        found = found[found["phase"] == phase]
    return _frame([{"id": f"phase:{r.storyline_id}:{r.phase_date:%Y-%m-%d}", "date": r.phase_date,
                    "label": f"{r.phase} — {r.label}"[:80], "evidence": [f"phase:{r.storyline_id}:{r.phase_date:%Y-%m-%d}"]}
                   for r in found.itertuples()])


def jump_days(store: Store, scope: str = "global", top: int = 10) -> pd.DataFrame:
    """The ``top`` largest day-on-day rises of the daily risk index of ``scope`` (index points)."""
    from ..index.risk import index_frame

    series = index_frame(store, scope, "combined", "D")
    change = series.set_index("date")["index"].diff().dropna()
    largest = change[change > 0].nlargest(top)
    return _frame([{"id": f"index:{scope}:{day:%Y-%m-%d}", "date": day, "label": f"index +{value:.1f} points",
                    "evidence": [f"index:{scope}:{day:%Y-%m-%d}"]} for day, value in largest.items()])


def events_from_query(store: Store | None, query: str, max_goldstein: float = -9.0) -> pd.DataFrame:
    """The event set a ``--events`` query names (see the module docstring)."""
    kind, _, rest = (query or "").strip().partition(":")
    kind = {"fights": "conflict", "phase": "phases", "jump": "jumps", "references": "reference"}.get(kind, kind)
    if kind not in KINDS:
        raise BadOption(f"--events {query!r}: start with one of {', '.join(KINDS)} (e.g. conflict:STORYLINE, "
                        "phases:STORYLINE, jumps:global:10, reference:escalation)")
    if kind == "reference":
        found = reference_set(rest or None)
    elif store is None:
        raise BadOption(f"--events {kind}: needs a database")
    elif kind == "conflict":
        found = conflict_days(store, rest or None, max_goldstein)
    elif kind == "phases":
        storyline, _, phase = rest.partition(":")
        found = phase_days(store, storyline or None, phase or None)
    else:
        parts = rest.split(":") if rest else []
        top = int(parts.pop()) if parts and parts[-1].isdigit() else 10
        found = jump_days(store, ":".join(parts) or "global", top)
    if found.empty:
        raise NotEnoughData(f"--events {query!r} selects no dated event in this database")
    return found
