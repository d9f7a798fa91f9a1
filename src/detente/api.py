"""The Python API for notebooks: ``detente.open(path)`` and its handle.

The CLI calls the same functions; tables come back as pandas DataFrames.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Self

import pandas as pd

from .errors import BadOption, NotFound
from .ingest.normalise import DateError, parse_date
from .ingest.pipeline import IngestOptions, IngestSummary, ingest
from .ingest.tabular import parse_mapping
from .settings import Settings
from .store import ArticleQuery, Store, open_store
from .store.base import EventQuery


def parse_user_date(value: str | dt.date | dt.datetime | None, option: str) -> dt.datetime | None:
    """Parse a date a user typed (``2025-12-06``, ``yesterday``) to naive UTC, or raise ``BadOption``."""
    if value is None:
        return None
    try:
        return parse_date(value, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    except DateError as exc:
        raise BadOption(f"{option}: {exc}") from exc


def _base_period(base) -> tuple[dt.date | None, dt.date | None] | None:
    """A base period (first, last) of user dates as dates."""
    if base is None:
        return None
    first, last = base
    first_at, last_at = parse_user_date(first, "--base"), parse_user_date(last, "--base")
    return (first_at.date() if first_at else None, last_at.date() if last_at else None)


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

    def ingest_rows(self, rows: Iterable[Mapping[str, object]], *, origin: str = "api", source: str | None = None,
                    published: str | dt.date | None = None, language: str | None = None,
                    dedupe: bool = True) -> IngestSummary:
        """Ingest articles given as mappings (``title``, ``body``, ``published``, ``url``, ``source``); bad rows
        become stored rejects from ``origin``. Returns what was stored (see ``IngestSummary``)."""
        from .ingest.pipeline import ingest_rows

        options = IngestOptions(source=source, default_published=parse_user_date(published, "published"),
                                language=language, dedupe=dedupe)
        return ingest_rows(self.store, rows, origin, options, self.settings)

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

    def extract(
        self, *, n_process: int = 1, redo: bool = False, limit: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ):
        """Extract sentences, actors and events from stored articles not yet extracted; return an ``ExtractSummary``."""
        from .extract.stored import extract_stored

        if n_process < 1:
            raise BadOption("--processes must be 1 or more")
        return extract_stored(self.store, n_process=n_process, redo=redo, limit=limit, on_progress=on_progress,
                              headline_case=self.settings.headline_case)

    def events(
        self,
        *,
        actor: str | None = None,
        event_type: str | None = None,
        country: str | None = None,
        modality: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        article_id: str | None = None,
        origin: str | None = None,
        storyline: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> pd.DataFrame:
        """Return stored events (newest first) with their source sentence and character spans."""
        if limit < 0 or offset < 0:
            raise BadOption("--limit and --offset must be zero or more")
        since_at, until_at = parse_user_date(since, "--since"), parse_user_date(until, "--until")
        query = EventQuery(
            actor=actor, event_type=event_type, country=country, modality=modality,
            since=since_at.date() if since_at else None, until=until_at.date() if until_at else None,
            article_id=article_id, origin=origin, storyline_id=storyline, limit=limit, offset=offset,
        )
        return self.store.events(query)

    def update_stories(self, *, rebuild: bool = False, on_progress: Callable[[int], None] | None = None):
        """Put extracted articles not yet in a storyline into one; return a ``StorySummary``.

        ``rebuild`` forgets every storyline first and assigns all articles again.
        """
        from .index.stories import update_storylines

        return update_storylines(self.store, rebuild=rebuild, on_progress=on_progress)

    def stories(self, *, actor: str | None = None, phase: str | None = None, min_articles: int = 1,
                limit: int = 20) -> pd.DataFrame:
        """Return storylines, most recently active first, with their label, phase and extent."""
        if limit < 0 or min_articles < 0:
            raise BadOption("--limit and --min-articles must be zero or more")
        return self.store.storylines(actor=actor, phase=phase, min_articles=min_articles, limit=limit)

    def story(self, storyline_id: str) -> dict[str, pd.DataFrame]:
        """Return one storyline: ``storyline``, ``phases``, ``articles``, ``events``, ``signals``, ``ledger``."""
        found = self.store.storyline(storyline_id)
        if found is None:
            raise NotFound(f"no storyline {storyline_id!r}; `detente stories` lists them")
        return found

    def ledger(self, storyline_id: str) -> pd.DataFrame:
        """Return a storyline's conditions and commitments, one row per status each took, with evidence."""
        return self.story(storyline_id)["ledger"]

    def update_index(self, *, full: bool = False, on_progress: Callable[[int], None] | None = None):
        """Score new articles against the GPR query and recompute the index days that changed; return an
        ``IndexSummary`` (``full`` recomputes every day)."""
        from .index.risk import update_index

        return update_index(self.store, full=full, on_progress=on_progress)

    def index(self, *, scope: str = "global", method: str = "combined", freq: str = "D",
              base: tuple[str | dt.date | None, str | dt.date | None] | None = None) -> pd.DataFrame:
        """Return a risk index series: columns date, index, threat, act, articles (base-period average = 100).

        ``scope`` is ``global``, an ISO3 country (``RUS``) or ``storyline:ID``; ``method`` ``classic``
        (Caldara–Iacoviello GPR query), ``classic-and`` (its AND variant), ``events`` (coded threats and
        acts, Goldstein-weighted), ``combined`` (per article, the larger of classic and events) or
        ``combined-and`` (the same with the AND variant, for items of a sentence or two); ``freq`` ``D``,
        ``W`` or ``M``; ``base`` (first, last) days of the base period (default: the whole data). Reads the
        stored components: call ``update_index()`` after ingesting.
        """
        from .index.risk import index_frame

        return index_frame(self.store, scope, method, (freq or "D").upper(), _base_period(base))

    def explain(self, day: str | dt.date, *, scope: str = "global", method: str = "combined",
                base: tuple[str | dt.date | None, str | dt.date | None] | None = None) -> dict[str, pd.DataFrame]:
        """Return what moved the index on ``day``: frames ``summary``, ``articles`` (GPR categories and
        matching words) and ``events`` (counted events with sentence and trigger), largest contribution first."""
        from .index.risk import explain_frame

        when = parse_user_date(day, "--explain")
        return explain_frame(self.store, when.date(), scope, method, _base_period(base))

    def alerts(self, *, since: str | dt.date | None = None, rule: str | None = None, limit: int = 50) -> pd.DataFrame:
        """Return fired alerts, newest first, with their evidence (``alerts --check`` fires them)."""
        if limit < 0:
            raise BadOption("--limit must be zero or more")
        when = parse_user_date(since, "--since")
        return self.store.alerts(since=when.date() if when else None, rule=rule, limit=limit)

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

    # -- markets (detente.markets) ----------------------------------------------

    def load_prices(self, path: str | Path, *, asset: str, unit: str, format: str | None = None,
                    column: str | None = None, date_format: str | None = None):
        """Load a price file (``Date,Price`` or Yahoo form, CSV or Parquet); return a ``PriceLoad`` with repairs."""
        from .markets.loading import load_prices

        return load_prices(self.store, path, asset, unit, format=format, column=column, date_format=date_format)

    def price_series(self) -> pd.DataFrame:
        """Return the loaded price series: asset, unit, frequency, rows, first, last, repairs."""
        return self.store.price_series()

    def price_repairs(self, asset: str | None = None) -> pd.DataFrame:
        """Return the repairs made while loading prices (of one asset, or all)."""
        from .markets.loading import asset_name

        return self.store.price_repairs(asset_name(asset) if asset else None)

    def prices(self, assets: list[str] | None = None) -> pd.DataFrame:
        """Return stored prices (asset, date, value)."""
        from .markets.loading import asset_name

        return self.store.prices([asset_name(a) for a in assets] if assets else None)

    def study(self, assets: str | list[str], *, events: str | None = None, dates: str | None = None,
              dates_file: str | Path | None = None, windows: tuple[tuple[int, int], ...] = ((0, 5),),
              estimation: tuple[int, int] = (-250, -11), model: str = "constant", market: str | None = None,
              returns: str = "log", bootstrap: int = 1000, max_goldstein: float = -9.0,
              out: str | Path | None = None) -> dict[str, object]:
        """Run an event study (MacKinlay 1997) of stored prices; return ``result`` (a ``StudyResult``),
        ``event_set`` and the ``files`` written under ``out`` (CSVs, PNG and SVG plot)."""
        from .markets.event_study import StudyDesign
        from .markets.runs import event_set, run_study

        if returns not in ("log", "simple"):
            raise BadOption(f"--returns takes log or simple, not {returns!r}")
        found = event_set(self.store, events=events, dates=dates, dates_file=dates_file, max_goldstein=max_goldstein)
        design = StudyDesign(windows=tuple(windows), estimation=tuple(estimation), model=model, bootstrap=bootstrap)
        result = run_study(self.store, found, [assets] if isinstance(assets, str) else list(assets), design,
                           market, returns)
        files = []
        if out is not None:
            from .markets.plots import write_study

            title = f"Event study: {', '.join(result.summary['asset'].unique())}, {model} model, N = " \
                    f"{int(result.summary['n'].max())} events"
            files = write_study(result, found, Path(out), title)
        return {"result": result, "event_set": found, "files": files}

    def betas(self, assets: list[str] | None = None, *, scope: str = "global", method: str = "combined",
              freq: str = "W", window: int = 52, step: int = 4, index_csv: str | Path | None = None,
              index_column: str | None = None) -> dict[str, pd.DataFrame]:
        """Return betas of asset returns on risk-index changes (OLS, Newey-West errors): ``betas``, ``rolling``."""
        from .markets.runs import run_betas

        return run_betas(self.store, assets, scope=scope, method=method, freq=(freq or "W").upper(), window=window,
                         step=step, index_csv=index_csv, index_column=index_column)

    def scenarios(self, storyline_id: str, *, save: bool = True):
        """Return a storyline's ``Outlook``: four scenarios with probabilities (summing to 1), drivers and asset
        impacts from event studies of analogues; stored in the ``scenarios`` table unless ``save`` is False."""
        from .markets.runs import run_scenarios

        return run_scenarios(self.store, storyline_id, save=save)


def open(path: str | Path | None = None, *, read_only: bool = False, **overrides: object) -> Detente:
    """Open (creating and migrating if needed) the database at ``path`` (default: the settings' ``db``)."""
    settings = Settings(**overrides) if overrides else Settings()
    return Detente(open_store(path or settings.db, read_only=read_only), settings)


def analyze(text: str, published: str | dt.date | dt.datetime | None = None, *, headline_case: bool | None = None):
    """Analyse one text without a database: sentences, actor mentions and coded events.

    The text is cleaned first as ingestion cleans it (markup stripped, mojibake
    and whitespace fixed); spans point into the cleaned text (``Analysis.text``).
    ``published`` (a date, or text such as "2025-12-06") resolves relative
    dates. Binary, non-English or empty text gives an empty ``Analysis`` with
    ``skipped_reason`` set; returns a ``detente.extract.pipeline.Analysis``.
    ``headline_case`` (default: the ``headline_case`` setting) reads title-cased sentences in sentence case.
    """
    from .extract.pipeline import Analysis
    from .extract.pipeline import analyze as analyze_text
    from .ingest.normalise import detect_language, html_to_text, is_binary, normalise_text

    if not isinstance(text, str):
        raise BadOption("analyze() takes text (str)")
    when = parse_user_date(published, "published") if published is not None else None
    day = when.date() if when else None
    if is_binary(text):
        return Analysis(article_id="", text="", published=day, skipped_reason="binary content, not text")
    if "<" in text and re.search(r"</?(p|div|br|span|a|html|body|article)\b", text, re.IGNORECASE):
        text = html_to_text(text)
    clean = normalise_text(text)
    language = detect_language(clean)
    if not clean:
        return Analysis(article_id="", text="", published=day, skipped_reason="no text")
    if language not in (None, "en"):
        return Analysis(article_id="", text=clean, published=day,
                        skipped_reason=f"language {language!r} is not English")
    if headline_case is None:
        headline_case = Settings().headline_case
    return analyze_text(clean, day, headline_case=headline_case)
