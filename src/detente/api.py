"""The Python API for notebooks: ``detente.open(path)`` and its handle.

The CLI calls the same functions; tables come back as pandas DataFrames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Self

import pandas as pd

from .errors import BadOption
from .ingest.normalise import DateError, parse_date
from .ingest.pipeline import IngestOptions, IngestSummary, ingest
from .ingest.tabular import parse_mapping
from .settings import Settings
from .store import ArticleQuery, Store, open_store


def parse_user_date(value: str | dt.date | dt.datetime | None, option: str) -> dt.datetime | None:
    """Parse a date a user typed (``2025-12-06``, ``yesterday``) to naive UTC, or raise ``BadOption``."""
    if value is None:
        return None
    try:
        return parse_date(value, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    except DateError as exc:
        raise BadOption(f"{option}: {exc}") from exc


class Detente:
    """A handle on one Détente database: ingest into it and query it.

    >>> db = detente.open("news.duckdb")
    >>> db.ingest(["feeds/"], map="title=headline").articles_added
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def ingest(
        self,
        targets: str | Path | Iterable[str | Path],
        *,
        format: str | None = None,
        map: str | Mapping[str, str] | None = None,
        source: str | None = None,
        published: str | dt.date | None = None,
        language: str | None = None,
        dedupe: bool = True,
        on_progress: Callable[[int], None] | None = None,
    ) -> IngestSummary:
        """Ingest files, directories or URLs; return what was stored (see ``IngestSummary``)."""
        if isinstance(targets, (str, Path)):
            targets = [targets]
        options = IngestOptions(
            format=format, mapping=parse_mapping(map), source=source,
            default_published=parse_user_date(published, "--published"), language=language, dedupe=dedupe,
        )
        return ingest(self.store, [str(t) for t in targets], options, self.settings, on_progress)

    def articles(
        self,
        search: str | None = None,
        *,
        source: str | None = None,
        language: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> pd.DataFrame:
        """Return stored articles, newest first, filtered by text, source, language and dates."""
        if limit < 0 or offset < 0:
            raise BadOption("--limit and --offset must be zero or more")
        query = ArticleQuery(
            search=search, source=source, language=language, since=parse_user_date(since, "--since"),
            until=parse_user_date(until, "--until"), limit=limit, offset=offset,
        )
        return self.store.articles(query)

    def rejects(self, reason: str | None = None, limit: int = 100) -> pd.DataFrame:
        """Return stored rejects, newest first."""
        return self.store.rejects(reason, limit)

    def stats(self) -> dict[str, object]:
        """Return the database's counts (articles, near-duplicates, rejects by reason, ...)."""
        return self.store.stats()

    def export(self, directory: str | Path) -> dict[str, int]:
        """Export every table as Parquet under ``directory``; return rows per table."""
        return self.store.export_parquet(Path(directory))

    def import_(self, directory: str | Path) -> dict[str, int]:
        """Import a Parquet export; return rows added per table."""
        return self.store.import_parquet(Path(directory))

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(path: str | Path | None = None, *, read_only: bool = False, **overrides: object) -> Detente:
    """Open (creating and migrating if needed) the database at ``path`` (default: the settings' ``db``)."""
    settings = Settings(**overrides) if overrides else Settings()
    return Detente(open_store(path or settings.db, read_only=read_only), settings)
