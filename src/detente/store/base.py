"""The store interface: what the other stages may ask of a database.

DuckDB (``duckdb_store.py``) is the embedded default; PostgreSQL
(``postgres_store.py``) serves a shared server. Both implement the ``Store``
protocol with the same queries (``sql_store.py``). Stages only ever talk to
this interface, never to a driver.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

import pandas as pd

from ..records import (
    Alert,
    Article,
    Event,
    FeedState,
    FeedSubscription,
    Mention,
    NearDuplicate,
    Reject,
    Scenario,
    Sentence,
    Signal,
)

#: Tables exported and imported as Parquet, with the column that partitions them by month.
TABLES: dict[str, str | None] = {
    "articles": "published_at",
    "near_duplicates": "published_at",
    "article_minhash": None,
    "rejects": None,
    "ingest_batches": None,
    "sentences": None,
    "mentions": None,
    "events": "event_date",
    "signals": None,
    "index_points": "point_date",
    "scenarios": None,
    "extractions": None,
    "storylines": "last_published",
    "storyline_articles": "published_at",
    "storyline_phases": "phase_date",
    "ledger": None,
    "article_gpr": "published_day",
    "index_batches": None,
    "alerts": "alert_date",
    "prices": "price_date",
    "price_series": None,
    "price_repairs": None,
}

#: Primary-key columns, used to import without duplicating rows.
KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("id",),
    "near_duplicates": ("article_id",),
    "article_minhash": ("article_id",),
    "rejects": ("id",),
    "ingest_batches": ("batch_id",),
    "sentences": ("article_id", "sentence_index"),
    "mentions": ("article_id", "span_start", "span_end"),
    "events": ("id",),
    "signals": ("id",),
    "index_points": ("point_date", "scope", "measure"),
    "scenarios": ("storyline_id", "name", "computed_at"),
    "extractions": ("article_id",),
    "storylines": ("id",),
    "storyline_articles": ("article_id",),
    "storyline_phases": ("storyline_id", "phase_date"),
    "ledger": ("signal_id", "status"),
    "article_gpr": ("article_id",),
    "index_batches": ("batch_id",),
    "alerts": ("id",),
    "prices": ("asset", "price_date"),
    "price_series": ("asset",),
    "price_repairs": ("asset", "source", "kind", "position"),
}


@dataclass(frozen=True)
class Migration:
    """One schema version: its number, name and SQL."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Return the schema migrations shipped with the package, in version order."""
    found = []
    for entry in resources.files("detente.store.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append(Migration(int(name[:4]), name[5:-4], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def sql_statements(sql: str) -> list[str]:
    """Split a migration into statements (no semicolons inside statements)."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [stmt.strip() for stmt in "\n".join(lines).split(";") if stmt.strip()]


@dataclass
class IngestBatch:
    """What one writer transaction stores: the new records of one batch."""

    source: str
    articles: list[Article] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)  # article id -> MinHash
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles) + len(self.near_duplicates) + len(self.rejects) + len(self.events)


@dataclass(frozen=True)
class BatchCounts:
    """How many rows one batch actually added (re-ingested rows are not counted)."""

    articles: int = 0
    near_duplicates: int = 0
    rejects: int = 0
    events: int = 0


@dataclass
class ExtractionBatch:
    """What extraction found in a batch of articles; storing it replaces earlier results."""

    extractor: str
    article_ids: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)


@dataclass(frozen=True)
class StorylineRow:
    """A storyline as stored: label, extent, phase, and the profile assignment resumes from."""

    id: str
    label: str
    actors: tuple[str, ...]
    theme: str
    first_published: dt.datetime
    last_published: dt.datetime
    n_articles: int
    profile: str  # JSON
    phase: str | None = None
    phase_since: dt.date | None = None
    merged_into: str | None = None


@dataclass(frozen=True)
class LedgerRow:
    """One status a condition or commitment took, with what moved it there."""

    signal_id: str
    storyline_id: str
    kind: str
    actor: str | None
    counterpart: str | None
    action: str | None
    issue: str | None
    due: dt.date | None
    status: str
    status_date: dt.date
    evidence_id: str | None
    reason: str


@dataclass
class StorylineBatch:
    """What one storyline update stores, in one transaction."""

    storylines: list[StorylineRow] = field(default_factory=list)
    assignments: list[tuple[str, str | None, float, dt.datetime]] = field(default_factory=list)
    phases: list[tuple[str, dt.date, str, float, tuple[str, ...]]] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)
    merges: dict[str, str] = field(default_factory=dict)  # merged storyline -> the one it joined


@dataclass(frozen=True)
class IndexRules:
    """Which coded events the event-based risk index counts (``resources/event_index.yaml``)."""

    threat_types: tuple[str, ...]
    threat_modalities: tuple[str, ...]
    announced_act_modalities: tuple[str, ...]  # acts only announced or hypothetical count as threats
    act_types: tuple[str, ...]
    act_modalities: tuple[str, ...]
    armed_sectors: tuple[str, ...]
    organisation_prefixes: tuple[str, ...]
    countries: tuple[str, ...]  # ISO 3166 alpha-3 codes: an actor code starting with one names that country
    retrospective_days: int


@dataclass(frozen=True)
class GPRRow:
    """The GPR search categories one article matched (bit masks, bit ``n - 1`` for category ``n``)."""

    article_id: str
    published_day: dt.date
    categories: int  # the published query (N/2)
    categories_and: int  # the paper's broader variant, N/2 replaced by AND
    excluded_by: str | None


@dataclass(frozen=True)
class EventQuery:
    """Filters for listing events."""

    actor: str | None = None  # prefix of the source or target actor code ("RUS", "USAGOV")
    event_type: str | None = None
    country: str | None = None  # ISO3: an actor's country or the place's
    modality: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    article_id: str | None = None
    origin: str | None = None
    storyline_id: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class ArticleQuery:
    """Filters for listing articles."""

    search: str | None = None  # case-insensitive substring of title or body
    source: str | None = None
    language: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 20
    offset: int = 0


class Store(Protocol):
    """A Détente database."""

    url: str

    def schema_version(self) -> int:
        """Return the schema version the database is at."""
        ...

    def known_ids(self, ids: list[str]) -> set[str]:
        """Return which of ``ids`` are already stored as articles or near-duplicates."""
        ...

    def signatures(self) -> list[tuple[str, bytes]]:
        """Return the MinHash signature of every stored original article."""
        ...

    def write_batch(self, batch: IngestBatch) -> BatchCounts:
        """Store one batch in one transaction; rows already stored are skipped."""
        ...

    def articles(self, query: ArticleQuery) -> pd.DataFrame:
        """Return the articles matching ``query``, newest first."""
        ...

    def articles_to_extract(self, extractor: str, limit: int, before: dt.datetime | None = None) -> list[Article]:
        """Return up to ``limit`` articles not yet read by ``extractor``, or read before ``before``."""
        ...

    def write_extraction(self, batch: ExtractionBatch) -> None:
        """Store sentences, mentions and events of a batch of articles in one transaction, replacing old ones."""
        ...

    def events(self, query: EventQuery) -> pd.DataFrame:
        """Return events matching ``query``, newest first, with their source sentence."""
        ...

    def rejects(self, reason: str | None = None, limit: int = 100) -> pd.DataFrame:
        """Return stored rejects, optionally of one reason."""
        ...

    # storylines (the index stage); see ``duckdb_stories.StorylineTables`` for what each returns

    def storyline_inputs(self, limit: int) -> dict[str, pd.DataFrame]:
        """The next extracted articles in no storyline yet, with their mentions, events and signals."""
        ...

    def storyline_state(self, limit: int) -> pd.DataFrame:
        """The most recently active storylines, to resume assignment from."""
        ...

    def storyline_evidence(self, storyline_ids: list[str], days: int) -> dict[str, pd.DataFrame]:
        """Recent events and signals of the storylines' articles."""
        ...

    def open_ledger(self, storyline_ids: list[str]) -> pd.DataFrame:
        """The storylines' ledger items still open."""
        ...

    def recent_leads(self, limit: int) -> list[str]:
        """Leads of the articles last put in storylines."""
        ...

    def storyline_members(self) -> pd.DataFrame:
        """Every article in a storyline with the storyline's main actors."""
        ...

    def named_actors(self) -> pd.DataFrame:
        """Each article with each actor it names."""
        ...

    def write_storylines(self, batch: StorylineBatch) -> None:
        """Store one storyline update in one transaction."""
        ...

    def clear_storylines(self) -> None:
        """Forget every storyline (to rebuild them)."""
        ...

    def storylines(self, *, actor: str | None = None, phase: str | None = None, min_articles: int = 1,
                   limit: int = 20) -> pd.DataFrame:
        """Storylines, most recently active first."""
        ...

    def storyline(self, storyline_id: str) -> dict[str, pd.DataFrame] | None:
        """One storyline with its phases, articles, events, signals and ledger."""
        ...

    def ledger(self, storyline_id: str) -> pd.DataFrame:
        """A storyline's conditions and commitments with every status move."""
        ...

    # escalation and alerts; see ``duckdb_alerts.AlertTables``

    def last_day(self) -> dt.date | None:
        """The publication day of the newest stored article."""
        ...

    def escalation_events(self, since: dt.date | None = None) -> pd.DataFrame:
        """Dated events with Goldstein scores and their article's storyline."""
        ...

    def alert_inputs(self, since: dt.date) -> dict[str, pd.DataFrame]:
        """Phase changes, ledger moves and first mentions of actors in storylines since a day."""
        ...

    def write_alerts(self, alerts: list[Alert], delivered: dict[str, dict[str, str]]) -> int:
        """Store alerts not stored yet, with how each was delivered."""
        ...

    def known_alerts(self, ids: list[str]) -> set[str]:
        """Which alert ids are already stored."""
        ...

    def alerts(self, *, since: dt.date | None = None, rule: str | None = None, limit: int = 50) -> pd.DataFrame:
        """Fired alerts, newest first."""
        ...

    # risk indexes (the index stage); see ``duckdb_index.IndexTables`` for what each returns

    def articles_to_score(self, batches: int) -> pd.DataFrame:
        """Articles of up to ``batches`` ingest batches not yet matched against the GPR query."""
        ...

    def write_gpr_rows(self, rows: list[GPRRow], batch_ids: list[str]) -> None:
        """Store the GPR categories of scored articles; mark their ingest batches as scored."""
        ...

    def stale_index_days(self) -> list[dt.date]:
        """Days whose index points are out of date (new, re-extracted or re-assigned articles)."""
        ...

    def rebuild_index_points(self, days: list[dt.date] | None, rules: IndexRules) -> int:
        """Recompute the daily index components of ``days`` (``None``: all) for every scope; return rows written."""
        ...

    def index_points(self, scope: str) -> pd.DataFrame:
        """The daily components of one scope, one column per measure, with the global ones beside them."""
        ...

    def index_scopes(self) -> pd.DataFrame:
        """Every scope with stored points, its days and first and last day."""
        ...

    def explain_day(self, day: dt.date, scope: str, rules: IndexRules) -> dict[str, pd.DataFrame]:
        """The articles matching the GPR query and the counted events of one day and scope."""
        ...

    # markets; see ``duckdb_markets.MarketTables`` for what each returns

    def write_prices(self, asset: str, prices: pd.DataFrame, series: dict[str, object],
                     repairs: list[dict[str, str]]) -> tuple[int, int]:
        """Store a clean price series and its repairs; return (rows added, stored rows that differ)."""
        ...

    def price_series(self) -> pd.DataFrame:
        """Every loaded price series with its unit, frequency, extent and number of repairs."""
        ...

    def prices(self, assets: list[str] | None = None) -> pd.DataFrame:
        """Stored prices (asset, date, value), by asset and date."""
        ...

    def price_repairs(self, asset: str | None = None) -> pd.DataFrame:
        """The repairs made while loading prices."""
        ...

    def conflict_events(self, storyline_id: str | None, max_goldstein: float,
                        event_types: tuple[str, ...] = ("ASSAULT", "FIGHT")) -> pd.DataFrame:
        """Dated asserted events of these types at or below a Goldstein score, with their storyline."""
        ...

    def phase_starts(self, storyline_id: str | None = None) -> pd.DataFrame:
        """The first day of each phase of a storyline (or of all), with score and evidence."""
        ...

    def write_scenarios(self, scenarios: list[Scenario], computed_at: dt.datetime) -> int:
        """Store one computation of a storyline's scenarios."""
        ...

    def scenarios(self, storyline_id: str) -> pd.DataFrame:
        """The latest stored scenarios of a storyline."""
        ...

    # -- API keys (store/duckdb_keys.py) ----------------------------------------

    def add_api_key(self, name: str, key_id: str, salt: bytes, key_hash: bytes) -> None:
        """Store a key's hash under ``name``; ``BadOption`` if ``name`` has a live key."""
        ...

    def api_key(self, key_id: str) -> dict[str, object] | None:
        """The row (name, salt, key_hash, revoked_at) of the key with this public id, or None."""
        ...

    def revoke_api_key(self, name: str) -> bool:
        """Revoke the live key ``name``; False if there is none."""
        ...

    def api_keys(self) -> pd.DataFrame:
        """Every key: name, key_id, created_at, revoked_at (no hashes)."""
        ...

    # -- watched feeds (store/duckdb_feeds.py) ------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        """The stored state of every URL ``detente watch`` polls, by URL."""
        ...

    def save_feed_state(self, state: FeedState) -> None:
        """Store ``state`` in place of its URL's previous one."""
        ...

    def subscriptions(self) -> list[FeedSubscription]:
        """Every feed or page URL subscribed to over the API (``POST /api/v1/feeds``), in URL order."""
        ...

    def subscribe(self, subscription: FeedSubscription) -> None:
        """Store ``subscription``, replacing an earlier one of the same URL."""
        ...

    def unsubscribe(self, url: str) -> bool:
        """Remove the subscription of ``url``; return whether there was one."""
        ...

    def stats(self) -> dict[str, object]:
        """Return counts: articles, near-duplicates, rejects by reason, events, sources, dates."""
        ...

    def export_parquet(self, directory: Path) -> dict[str, int]:
        """Write every table as Parquet under ``directory``; return rows per table."""
        ...

    def import_parquet(self, directory: Path) -> dict[str, int]:
        """Load a Parquet export, skipping rows already stored; return rows added per table."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...
