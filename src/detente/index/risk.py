"""The edge of the risk indexes: score new articles, bring the daily components up to date, read series back.

``update_index`` matches the articles not scored yet against the GPR query
(``gpr.match_article``), then recomputes the stored daily components only
for the days that changed (new articles, re-extraction, storyline moves) —
or every day with ``full=True``. ``index_frame`` turns the stored components
of one scope into an index series (``series.risk_index``); ``explain_frame``
lists what moved one day's index, largest contribution first.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..errors import BadOption, NotEnoughData
from ..store import Store
from ..store.base import GPRRow
from ..summary import RunSummary
from .event_index import index_rules
from .gpr import categories_of, gpr_query, match_article
from .series import METHODS, base_mean, risk_index

SCORE_BATCHES = 20  # ingest batches (of up to 500 articles) scored at a time


@dataclass
class IndexSummary(RunSummary):
    """What one index update did."""

    articles_scored: int = 0
    days_recomputed: int = 0
    points_written: int = 0
    seconds: float = 0.0


def gpr_rows(articles: pd.DataFrame) -> list[GPRRow]:
    """The GPR categories of each article in a frame of (id, published_at, text)."""
    query = gpr_query()
    rows = []
    for article_id, published_at, text in zip(articles["id"], articles["published_at"], articles["text"]):
        found = match_article(text, query)
        rows.append(GPRRow(article_id=article_id, published_day=pd.Timestamp(published_at).date(),
                           categories=found.mask, categories_and=found.mask_and, excluded_by=found.excluded_by))
    return rows


def update_index(store: Store, *, full: bool = False, on_progress: Callable[[int], None] | None = None) -> IndexSummary:
    """Score articles not yet matched, then recompute the daily components of the days that changed."""
    started = time.perf_counter()
    summary = IndexSummary()
    while True:
        batch = store.articles_to_score(SCORE_BATCHES)
        if not batch.attrs.get("batches"):
            break
        store.write_gpr_rows(gpr_rows(batch), batch.attrs["batches"])
        summary.articles_scored += len(batch)
        if on_progress:
            on_progress(summary.articles_scored)
    days = None if full else store.stale_index_days()
    summary.points_written = store.rebuild_index_points(days, index_rules())
    summary.days_recomputed = len(days) if days is not None else len(store.index_points("global"))
    summary.seconds = time.perf_counter() - started
    return summary


def parse_scope(scope: str) -> str:
    """The stored form of a scope: ``global``, an upper-case ISO3 country (``RUS``) or ``storyline:ID``."""
    scope = (scope or "global").strip()
    if scope.lower() == "global":
        return "global"
    if scope.lower().startswith("storyline:") and len(scope) > len("storyline:"):
        return "storyline:" + scope.split(":", 1)[1]
    if len(scope) == 3 and scope.isalpha():
        return scope.upper()
    raise BadOption(f"--scope takes global, a three-letter country code (RUS) or storyline:ID, not {scope!r}")


def parse_method(method: str) -> str:
    """The stored name of a method (``classic-and`` → ``classic_and``)."""
    name = (method or "combined").strip().lower().replace("-", "_")
    if name not in METHODS:
        raise BadOption(f"--method takes {', '.join(m.replace('_', '-') for m in METHODS)}, not {method!r}")
    return name


def index_frame(store: Store, scope: str = "global", method: str = "combined", freq: str = "D",
                base: tuple[dt.date | None, dt.date | None] | None = None) -> pd.DataFrame:
    """The ``method`` index of ``scope`` at ``freq`` (columns date, index, threat, act, articles), base = 100."""
    scope, method = parse_scope(scope), parse_method(method)
    components = store.index_points(scope)
    if not components.empty and scope != "global" and not (components[list(METHODS)] != 0).any().any():
        known = store.index_scopes()
        if scope not in set(known["scope"]):
            raise NotEnoughData(f"nothing stored for scope {scope!r}: no article or counted event names it "
                                "(`detente index --scopes` lists the scopes)")
    frame = risk_index(components, method, freq, base)
    return frame.reset_index()


def contribution(weight: float, articles_total: int, base: float) -> float:
    """How many index points one article of weight ``weight`` adds to a day of ``articles_total`` articles."""
    return 100.0 * weight / articles_total / base if articles_total and base else 0.0


def explain_frame(store: Store, day: dt.date, scope: str = "global", method: str = "combined",
                  base: tuple[dt.date | None, dt.date | None] | None = None) -> dict[str, pd.DataFrame]:
    """What moved the ``method`` index of ``scope`` on ``day``, largest contribution first.

    Returns ``articles`` (GPR matches: categories, the words of each match,
    contribution in index points) and ``events`` (counted events: kind,
    weight, sentence, trigger offsets, contribution — the strongest event of
    an article carries the article's contribution, the others add nothing),
    and ``summary`` (the day's index value and article count).
    """
    scope, method = parse_scope(scope), parse_method(method)
    series = index_frame(store, scope, method, "D", base)
    components = store.index_points(scope)
    reference = components[f"global_{method}"] / components["articles"]
    base_level = base_mean(reference, base)
    found = store.explain_day(day, scope, index_rules())
    total = int(found["articles_total"]["articles"].iloc[0])
    if total == 0:
        raise NotEnoughData(f"no article published on {day}; the index has no value that day")
    query = gpr_query()
    articles = found["articles"].copy()
    if method == "events":
        articles = articles.iloc[0:0]
    articles["categories"] = [categories_of(m) for m in articles["categories"]]
    articles["categories_and"] = [categories_of(m) for m in articles["categories_and"]]
    articles["words"] = [list(match_article(text, query).words) for text in articles["text"]]
    uses_and = method in ("classic_and", "combined_and")
    counted = articles["categories_and"] if uses_and else articles["categories"]
    articles["contribution"] = [contribution(1.0 if c else 0.0, total, base_level) for c in counted]
    events = found["events"].copy()
    if method in ("classic", "classic_and"):
        events = events.iloc[0:0]
    strongest = ~events.duplicated("article_id")  # ordered by weight: the first of an article is its strongest
    # a combined reading counts a GPR article once, at 1: its events add nothing more
    classic_articles = set(articles.loc[[bool(c) for c in counted], "article_id"]) if method.startswith("combined") \
        else set()
    events["contribution"] = [
        contribution(w, total, base_level) if first and a not in classic_articles else 0.0
        for w, first, a in zip(events["weight"], strongest, events["article_id"])]
    events = events.sort_values(["contribution", "weight"], ascending=False, kind="stable")
    articles = articles.sort_values("contribution", ascending=False, kind="stable").drop(columns=["text"])
    value = series.loc[series["date"] == pd.Timestamp(day), "index"]
    summary = pd.DataFrame({"date": [day], "scope": [scope], "method": [method],
                            "index": [float(value.iloc[0]) if len(value) else 0.0], "articles": [total]})
    return {"summary": summary, "articles": articles.reset_index(drop=True), "events": events.reset_index(drop=True)}
