"""Replay a storyline day by day: what the scenario table said from the news ingested so far, and what markets did.

For each day D of the range, the extracted news published before the end
of D (articles with their sentences, mentions, events, signals and
extraction records) is copied into a scratch database, storylines are
rebuilt there exactly as ``detente stories`` builds them, and the
scenario model (``markets.scenarios``) is read off the storyline that holds
most of the target storyline's articles as of D — storyline ids are not
stable as news arrives, their articles are. Nothing from after D is seen.
Beside it, each exposed channel's close-to-close move from the last close
on or before the first day to the last close on or before D
(``derived.window_moves``): log returns, or changes in bp for spreads.
Asset impacts (event studies of analogues) are not recomputed per day:
they change little from day to day and ``detente scenarios`` shows them.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import BadOption, NotFound
from ..store import Store
from .exposures import exposure_map
from .extra import run_moves
from .scenarios import SCENARIOS, drivers, factors, probabilities, scenario_model

#: Tables copied as of a day: every table keyed by an article, in insertion order.
NEWS_TABLES = ("articles", "sentences", "mentions", "events", "signals", "extractions")
MAX_DAYS = 62


def _copy_news(source: Store, target: Store, until: pd.Timestamp) -> int:
    """Copy the news published before ``until`` from ``source`` to ``target``; return the articles copied."""
    ids = source.con.execute("SELECT id FROM articles WHERE published_at < ?", [until.to_pydatetime()]).df()
    target.con.register("replay_ids", ids)
    for table in NEWS_TABLES:
        key = "id" if table == "articles" else "article_id"
        rows = source.con.execute(f"SELECT * FROM {table} WHERE {key} IN "
                                  f"(SELECT id FROM articles WHERE published_at < ?)", [until.to_pydatetime()]).df()
        target.con.register("replay_rows", rows)
        target.con.execute(f"INSERT INTO {table} SELECT * FROM replay_rows")
        target.con.unregister("replay_rows")
    target.con.unregister("replay_ids")
    return len(ids)


def replay(store: Store, storyline_id: str, start: str, end: str) -> dict[str, pd.DataFrame]:
    """Per day from ``start`` to ``end``: ``scenarios`` (day, articles, storyline as of that day, phase,
    probability per scenario, change from the day before, the evidence ids driving the two deal scenarios)
    and ``moves`` (day, asset, channel,
    measure, unit, move since the close on or before ``start``)."""
    from .. import api
    from .runs import storyline_state

    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if last < first or (last - first).days > MAX_DAYS:
        raise BadOption(f"--from {start} --to {end}: give a range of 0 to {MAX_DAYS} days, --from first")
    target = store.storyline(storyline_id)
    if target is None:
        raise NotFound(f"no storyline {storyline_id!r}; `detente stories` lists them")
    target_articles = set(target["articles"]["id"])
    model = scenario_model()
    rows, moves = [], []
    with tempfile.TemporaryDirectory(prefix="detente-replay-") as scratch:
        for n, day in enumerate(pd.date_range(first, last, freq="D")):
            with api.open(Path(scratch) / f"day{n}.duckdb") as copy:
                count = _copy_news(store, copy.store, day + pd.Timedelta(days=1))
                copy.update_stories()
                found = copy.store.con.execute(
                    "SELECT storyline_id, count(*) AS n FROM storyline_articles WHERE article_id IN "
                    "(SELECT unnest(?::VARCHAR[])) AND storyline_id IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1",
                    [sorted(target_articles)]).fetchone()
                row = {"day": day.date(), "articles": count, "storyline": found[0] if found else None,
                       "shared": int(found[1]) if found else 0, "phase": None}
                if found:
                    state = storyline_state(copy.store, found[0], model)
                    weights = factors(state, model)
                    chances = probabilities(weights)
                    row.update({"phase": state.phase, **chances,
                                "drivers": list(dict.fromkeys([*drivers(weights, "durable_deal", 3),
                                                               *drivers(weights, "fragile_deal", 3)]))})
                rows.append(row)
            day_moves = run_moves(store, first.strftime("%Y-%m-%d"), day.strftime("%Y-%m-%d"),
                                  [e.asset for e in exposure_map().exposures("russia_ukraine")
                                   if e.asset in set(store.price_series()["asset"])])
            if not day_moves.empty:
                moves.append(day_moves.assign(day=day.date()))
    table = pd.DataFrame(rows)
    for name in SCENARIOS:
        if name not in table:
            table[name] = None
        table[f"{name}_change"] = pd.to_numeric(table[name]).diff()
    moved = pd.concat(moves, ignore_index=True) if moves else pd.DataFrame()
    return {"scenarios": table, "moves": moved, "computed_at": pd.DataFrame({"at": [dt.datetime.now(dt.UTC)]})}
