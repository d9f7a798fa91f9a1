"""The ``detente`` command line: thin verbs over the Python API.

Exit codes: 0 ok, 1 user error (one clear line), 2 internal error.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import api
from .errors import DetenteError, UserError
from .ingest.pipeline import IngestSummary
from .ingest.sources import FORMATS

app = typer.Typer(
    help="Détente reads geopolitical news: what happened, whether it is getting worse, what it means for markets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors_console = Console(stderr=True)


class State:
    db: str | None = None
    as_json: bool = False


state = State()


@app.callback()
def main_options(
    db: Annotated[str | None, typer.Option("--db", help="DuckDB file or postgresql:// URL (default: DETENTE_DB or the user data dir).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")] = False,
) -> None:
    """Global options come before the verb: ``detente --db news.duckdb stats``."""
    state.db = db
    state.as_json = as_json


def _open(read_only: bool = False) -> api.Detente:
    return api.open(state.db, read_only=read_only)


def cell(value: object) -> str:
    """Text of a table cell: missing values (None, NaN, NaT) are blank, midnight timestamps are dates."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    return str(value)


def summary_table(title: str, summary) -> Table:
    """A run summary (``as_dict()``: name → count or seconds) as a two-column Rich table."""
    table = Table(title=title, header_style="bold", show_header=False)
    for key, value in summary.as_dict().items():
        table.add_row(key.replace("_", " "), f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
    return table


def _print_json(value: object) -> None:
    console.print_json(json.dumps(value, default=str))


def _summary_table(summary: IngestSummary, stats: dict[str, object]) -> Table:
    table = Table(title="Ingest summary", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("this run", justify="right")
    table.add_column("in database", justify="right")
    table.add_row("inputs read", str(summary.inputs), "")
    table.add_row("items read", str(summary.read), "")
    table.add_row("articles stored", str(summary.articles_added), str(stats["articles"]))
    table.add_row("already stored (skipped)", str(summary.already_stored), "")
    table.add_row("near-duplicates linked", str(summary.near_duplicates_added), str(stats["near_duplicates"]))
    table.add_row("coded events read (GDELT)", str(summary.events_added), str(stats["events_by_origin"].get("gdelt", 0)))
    table.add_row("rejects", str(sum(summary.rejects_by_reason.values())), str(stats["rejects"]))
    stored_reasons = stats["rejects_by_reason"]
    for reason in sorted(set(summary.rejects_by_reason) | set(stored_reasons)):
        table.add_row(f"  {reason}", str(summary.rejects_by_reason.get(reason, 0)), str(stored_reasons.get(reason, 0)))
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    table.caption = f"{summary.seconds:.1f} s, {rate:,.0f} items/s, {summary.batches} batches written"
    return table


def run_ingest(db: api.Detente, targets: list[str], **options: object) -> IngestSummary:
    """Ingest with a Rich progress bar on the terminal."""
    with Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        TextColumn("{task.completed:,} items"), TimeElapsedColumn(), console=errors_console, transient=True,
        disable=state.as_json,
    ) as progress:
        task = progress.add_task("ingesting", total=None)
        return db.ingest(targets, on_progress=lambda n: progress.update(task, completed=n), **options)


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, directories or http(s) URLs.", show_default=False)],
    format: Annotated[str | None, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}; detected if omitted.")] = None,
    map: Annotated[str | None, typer.Option("--map", help="Column mapping for JSONL/CSV: title=headline,body=text,published=date")] = None,
    source: Annotated[str | None, typer.Option(help="Publisher name for items that carry none.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date for items that carry none.")] = None,
    language: Annotated[str | None, typer.Option(help="Force a language code instead of detecting it.")] = None,
    dedupe: Annotated[bool, typer.Option("--dedupe/--no-dedupe", help="Link near-duplicates (MinHash LSH).")] = True,
) -> None:
    """Read news into the database; bad items become stored rejects.

    Example: detente ingest news.jsonl --map title=headline,body=short_description,published=date
    """
    with _open() as db:
        summary = run_ingest(db, targets, format=format, map=map, source=source, published=published,
                             language=language, dedupe=dedupe)
        stats = db.stats()
    if state.as_json:
        _print_json({"run": summary.as_dict(), "database": stats})
    else:
        console.print(_summary_table(summary, stats))


@app.command()
def articles(
    search: Annotated[str | None, typer.Argument(help="Text to find in title or body.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language code.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (2022-02-24, '3 days ago').")] = None,
    until: Annotated[str | None, typer.Option(help="Published before.")] = None,
    limit: Annotated[int, typer.Option(min=0, max=100_000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
) -> None:
    """List stored articles, newest first.  Example: detente articles Kremlin --since 2022-02-01"""
    with _open(read_only=True) as db:
        frame = db.articles(search, source=source, language=language, since=since, until=until, limit=limit, offset=offset)
    if state.as_json:
        _print_json(frame.to_dict("records"))
        return
    table = Table(title=f"{len(frame)} articles", header_style="bold")
    for column in ("published", "source", "lang", "title", "id"):
        table.add_column(column, overflow="fold" if column == "title" else "ellipsis", no_wrap=column != "title")
    for row in frame.itertuples():
        table.add_row(f"{row.published_at:%Y-%m-%d}", row.source, row.language or "", row.title, row.id[:10])
    console.print(table)


@app.command()
def rejects(
    reason: Annotated[str | None, typer.Option(help="Only this reason (oversize, missing_date, ...).")] = None,
    limit: Annotated[int, typer.Option(min=0, max=100_000)] = 50,
) -> None:
    """List stored rejects with where they came from and why.  Example: detente rejects --reason missing_date"""
    with _open(read_only=True) as db:
        frame = db.rejects(reason, limit)
    if state.as_json:
        _print_json(frame.to_dict("records"))
        return
    table = Table(title=f"{len(frame)} rejects", header_style="bold")
    for column in ("source", "position", "reason", "detail"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples():
        table.add_row(row.source, row.position, row.reason, row.detail)
    console.print(table)


def _stats_table(stats: dict[str, object]) -> Table:
    table = Table(title=f"Détente database {stats['database']}", header_style="bold", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for key in ("schema_version", "articles", "near_duplicates", "rejects", "articles_extracted", "mentions", "events",
                "batches",
                "first_published", "last_published"):
        table.add_row(key.replace("_", " "), str(stats[key]))
    for group in ("articles_by_source", "articles_by_language", "events_by_origin", "rejects_by_reason"):
        for name, count in stats[group].items():
            table.add_row(f"{group.replace('_', ' ')}: {name}", str(count))
    return table


@app.command()
def stats() -> None:
    """Show what the database holds.  Example: detente --db news.duckdb stats"""
    with _open(read_only=True) as db:
        found = db.stats()
    if state.as_json:
        _print_json(found)
    else:
        console.print(_stats_table(found))


@app.command("export")
def export_tables(
    directory: Annotated[Path, typer.Argument(help="Directory to write (created if missing).")],
    format: Annotated[str, typer.Option("--format", help="Only parquet for now.")] = "parquet",
) -> None:
    """Write every table as Parquet, dated tables partitioned by month.  Example: detente export --format parquet out/"""
    if format != "parquet":
        raise UserError(f"--format {format}: only parquet is supported")
    with _open(read_only=True) as db:
        counts = db.export(directory)
    _print_counts(counts, f"exported to {directory}")


@app.command("import")
def import_tables(directory: Annotated[Path, typer.Argument(help="A directory written by `detente export`.")]) -> None:
    """Load a Parquet export, skipping rows already stored.  Example: detente import out/"""
    with _open() as db:
        counts = db.import_(directory)
    _print_counts(counts, f"imported from {directory}")


def _print_counts(counts: dict[str, int], title: str) -> None:
    if state.as_json:
        _print_json(counts)
        return
    table = Table(title=title, header_style="bold")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)


def sample_data_dir() -> Path:
    """The sample corpus: ``examples/data`` in a checkout, else the copy in the package."""
    checkout = Path(__file__).resolve().parents[2] / "examples" / "data"
    return checkout if checkout.is_dir() else Path(str(resources.files("detente.resources") / "sample"))


@app.command()
def demo(
    data: Annotated[Path | None, typer.Option(help="Sample corpus directory (default: examples/data).")] = None,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Then serve the dashboard on the demo data "
                                                                   "until Ctrl-C.")] = True,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port of the dashboard.")] = 8000,
) -> None:
    """Ingest the sample corpus shipped in the repo, extract its events, print what was found, then serve the
    dashboard on it (http://127.0.0.1:PORT/) until Ctrl-C.

    Example: detente demo --port 8000   (or detente demo --no-serve to stop after the tables)
    """
    from .cli_extract import run_extract
    from .cli_stories import run_stories

    data = data or sample_data_dir()
    news = data / "news"
    if not news.is_dir():
        raise UserError(f"no sample corpus at {news}")
    with _open() as db:
        summary = run_ingest(db, [str(news / "huffpost_world_politics.jsonl"), str(news / "messy_sample.jsonl")],
                             map="title=headline,body=short_description,published=date", source="huffpost")
        more = run_ingest(db, [str(data / "articles")])
        for field in ("inputs", "read", "articles_added", "already_stored", "near_duplicates_added",
                      "events_added", "rejects_added", "batches", "seconds"):
            setattr(summary, field, getattr(summary, field) + getattr(more, field))
        summary.rejects_by_reason.update(more.rejects_by_reason)
        extraction = run_extract(db)
        story_summary = run_stories(db)
        db.update_index()
        storylines = db.stories(min_articles=2, limit=5)
        found = db.stats()
        seed = db.articles(source="seed_article", limit=1)
        seed_events = db.events(article_id=seed["id"][0], limit=100) if len(seed) else db.events(limit=0)
        seed_events = seed_events.sort_values(["sentence_index", "trigger_start"]).head(12)
        # -- markets: the sample price series (EIA Brent, WTI, Henry Hub; monthly gold); re-loading adds nothing
        from .cli_prices import load_sample_prices

        load_sample_prices(db, data / "markets")
    if state.as_json:
        _print_json({"run": summary.as_dict(), "extraction": extraction.as_dict(),
                     "storylines": story_summary.as_dict(), "database": found})
    else:
        _print_demo(summary, extraction, story_summary, storylines, seed_events, found)
    if serve:
        from .cli_serve import run_server

        (errors_console if state.as_json else console).print(f"Dashboard: http://127.0.0.1:{port}/  (Ctrl-C stops it)",
                                                             highlight=False, soft_wrap=True)
        run_server(str(found["database"]), port=port)


def _print_demo(summary, extraction, story_summary, storylines, seed_events, found) -> None:
    console.print(_summary_table(summary, found))
    console.print(summary_table("Extraction", extraction))
    console.print(summary_table("Storylines", story_summary))
    latest = Table(title="Most recent storylines", header_style="bold")
    for column in ("id", "label", "phase", "since", "articles", "last"):
        latest.add_column(column, overflow="fold")
    for row in storylines.itertuples():
        latest.add_row(row.id, row.label, cell(row.phase), cell(row.phase_since), f"{row.n_articles:,}",
                       cell(row.last_published)[:10])
    console.print(latest)
    table = Table(title="Events coded from the seed article (published 2025-12-06), in text order",
                  header_style="bold")
    for column in ("date", "source", "event", "target", "modality", "place", "trigger"):
        table.add_column(column)
    for row in seed_events.itertuples():
        when = cell(row.event_date) + (f" … {cell(row.event_date_end)}" if cell(row.event_date_end) else "")
        trigger = row.sentence[int(row.trigger_start - row.sentence_start):int(row.trigger_end - row.sentence_start)]
        table.add_row(when, cell(row.source_actor), row.event_type, cell(row.target_actor), row.modality,
                      cell(row.place), trigger)
    console.print(table)
    console.print(f"Database: {found['database']}  —  try: detente --db {found['database']} events --actor RUS")


def main() -> None:
    """Entry point: run the app, turning errors into one line and an exit code."""
    from . import (  # noqa: F401  (register the verbs of the later stages)
        cli_alerts,
        cli_extract,
        cli_index,
        cli_markets,
        cli_prices,
        cli_report,
        cli_serve,
        cli_stories,
        cli_watch,
    )

    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        errors_console.print("interrupted: whole batches are stored; run the same command again to finish")
        sys.exit(130)
    except typer.TyperException as exc:  # bad flags and arguments are user errors
        errors_console.print(f"[red]error:[/red] {exc.format_message()}", highlight=False)
        sys.exit(1)
    except UserError as exc:
        errors_console.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)
    except DetenteError as exc:
        errors_console.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        errors_console.print("interrupted: whole batches are stored; run the same command again to finish")
        sys.exit(130)
    except Exception as exc:  # the last guard: one line, traceback only on request
        if os.environ.get("DETENTE_DEBUG"):
            raise
        errors_console.print(f"[red]internal error:[/red] {type(exc).__name__}: {exc} (DETENTE_DEBUG=1 for a traceback)")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
