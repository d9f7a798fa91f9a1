"""What "the same query results" means across backends: every read of the Store, compared as sorted frames.

Columns holding the wall-clock time a row was written (``ingested_at``,
``extracted_at`` ...) differ between two builds by nature and are left out;
everything else, dtypes included, must match.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from detente.index.event_index import index_rules
from detente.store.base import TABLES, ArticleQuery, EventQuery

WRITE_TIMES = {"ingested_at", "extracted_at", "fired_at", "assigned_at", "updated_at", "loaded_at", "computed_at",
               "rejected_at", "committed_at", "scored_at", "indexed_at", "created_at", "revoked_at"}
BATCH_IDS = {"batch_id"}  # random per write


def query_results(store, *, exact_tables: bool = False) -> dict[str, pd.DataFrame]:
    """The answers of the store's read queries on its own data (storylines, days and scopes found in it)."""
    rules = index_rules()
    found: dict[str, pd.DataFrame] = {
        "articles": store.articles(ArticleQuery(limit=100_000)),
        "articles_search": store.articles(ArticleQuery(search="iran", limit=50)),
        "events": store.events(EventQuery(limit=100_000)),
        "events_rus": store.events(EventQuery(actor="RUS", limit=100_000)),
        "events_country": store.events(EventQuery(country="UKR", since=dt.date(2022, 1, 1), limit=100)),
        "rejects": store.rejects(limit=10_000),
        "storylines": store.storylines(min_articles=1, limit=10_000),
        "storyline_members": store.storyline_members(),
        "named_actors": store.named_actors(),
        "escalation_events": store.escalation_events(),
        "alerts": store.alerts(limit=10_000),
        "index_scopes": store.index_scopes(),
        "index_global": store.index_points("global").reset_index(),
        "price_series": store.price_series(),
        "prices": store.prices(),
        "price_repairs": store.price_repairs(),
        "conflict_events": store.conflict_events(None, -5.0),
        "phase_starts": store.phase_starts(),
        "stats": pd.DataFrame([{k: json.dumps(v, default=str, sort_keys=True) for k, v in store.stats().items()
                                if k != "database"}]),
    }
    scopes = found["index_scopes"]["scope"].tolist()
    for scope in [s for s in scopes if s != "global"][:6]:
        found[f"index_{scope}"] = store.index_points(scope).reset_index()
    days = found["index_global"]["date"].dt.date.tolist()
    for day in days[-3:]:
        for scope in ["global", *scopes[1:3]]:
            for part, frame in store.explain_day(day, scope, rules).items():
                found[f"explain_{day}_{scope}_{part}"] = frame
    for sid in found["storylines"]["id"].tolist()[:8]:
        for part, frame in (store.storyline(sid) or {}).items():
            found[f"storyline_{sid}_{part}"] = frame
        found[f"scenarios_{sid}"] = store.scenarios(sid)
    since = found["alerts"]["alert_date"].min() if len(found["alerts"]) else dt.date(2020, 1, 1)
    for part, frame in store.alert_inputs(pd.Timestamp(since).date()).items():
        found[f"alert_inputs_{part}"] = frame
    if exact_tables:
        for table in TABLES:
            found[f"table_{table}"] = store.con.execute(f"SELECT * FROM {table}").df()
    return found


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Volatile columns dropped, lists as tuples, rows sorted on every column, index reset."""
    frame = frame.drop(columns=[c for c in frame.columns if c in WRITE_TIMES | BATCH_IDS])
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(_hashable)
    if frame.empty:
        return frame.reset_index(drop=True)
    order = frame.map(repr).sort_values(list(frame.columns)).index
    return frame.loc[order].reset_index(drop=True)


def _hashable(value: object) -> object:
    if isinstance(value, np.ndarray):
        return tuple(value.tolist())
    return bytes(value) if isinstance(value, bytearray) else value


def assert_same_results(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame], *,
                        check_dtype: bool = True) -> None:
    """Every answer of ``left`` equals ``right``'s (see ``normalise``)."""
    assert sorted(left) == sorted(right)
    for name, frame in left.items():
        try:
            pd.testing.assert_frame_equal(normalise(frame), normalise(right[name]), check_dtype=check_dtype,
                                          check_index_type=False, check_column_type=False)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
