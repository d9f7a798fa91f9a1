"""CLI verb of live feeds: ``watch`` polls RSS/Atom feeds and pages and runs the stages on what is new."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .cli import _open, _print_json, app, console, state
from .errors import BadOption, InputNotFound


def _log_to_stderr() -> None:
    """One timestamped line per poll on standard error (the ``detente.watch`` logger)."""
    logger = logging.getLogger("detente.watch")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _then_stages(db, summary, first: bool) -> None:
    """After a cycle with new articles (and after the first, to finish what a crash left): the later stages."""
    from .cli_alerts import run_alerts
    from .cli_extract import run_extract
    from .cli_stories import run_stories

    if not (summary.articles_added or first):
        return
    extraction = run_extract(db)
    stories = run_stories(db)
    db.update_index()
    fired = run_alerts(db)
    logging.getLogger("detente.watch").info(
        "stages: %d articles extracted, %d events, %d put into storylines, %d alerts fired",
        extraction.articles, extraction.events, getattr(stories, "articles", 0), len(fired))


@app.command()
def watch(
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Watch file (YAML) listing feeds and pages; "
                                                "optional when the database has subscriptions (POST /api/v1/feeds).",
                                                show_default=False)] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one cycle (the URLs due now), then stop.")] = False,
    interval: Annotated[float | None, typer.Option(min=0.01, help="Seconds between polls of a URL; overrides "
                                                   "the file's interval_s.")] = None,
    max_cycles: Annotated[int | None, typer.Option(min=1, help="Stop after this many cycles.")] = None,
    stages: Annotated[bool, typer.Option("--stages/--no-stages", help="After new articles: extract, update "
                                         "storylines and the index, check alerts.")] = True,
) -> None:
    """Poll RSS/Atom feeds and pages on a schedule and run extract → storylines → index → alerts on what is new.

    Conditional GET (ETag, Last-Modified), per-host politeness, exponential
    back-off on failures; private, loopback and link-local addresses are
    refused unless listed under allow_private. The feeds subscribed over the
    REST API (POST /api/v1/feeds) are polled too; the watch file's entry wins
    on the same URL. Example:

        detente --db news.duckdb watch --config feeds.yaml --once

    A watch file:

        interval_s: 900
        feeds:
          - url: https://feeds.bbci.co.uk/news/world/rss.xml
          - {url: https://www.example.org/summit.html, kind: page, source: example}
    """
    from .ingest.poll import watch as run_watch
    from .ingest.watch import parse_config

    parsed = None
    if config is not None:
        if not config.is_file():
            raise InputNotFound(f"no such watch file: {config}")
        try:
            text = config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputNotFound(f"cannot read the watch file {config}: {exc}") from exc
        parsed = parse_config(text, str(config), interval_s=interval)
    with _open() as db:  # fail now, not after the first sleep, if the database cannot be written
        settings = db.settings
        if parsed is None and not db.store.subscriptions():
            raise BadOption("nothing to watch: give a watch file with --config, or subscribe to feeds with "
                            "POST /api/v1/feeds (`detente serve`)")
    _log_to_stderr()
    summaries = run_watch(_open, parsed, settings, interval_s=interval, max_cycles=1 if once else max_cycles,
                          on_cycle=_then_stages if stages else None)
    if state.as_json:
        _print_json([summary.as_dict() for summary in summaries])
        return
    table = Table(title=f"Watch: {len(summaries)} cycle(s)", header_style="bold")
    for column in ("cycle", "polled", "changed", "not modified", "failed", "new articles", "rejects", "seconds"):
        table.add_column(column, justify="right")
    for number, summary in enumerate(summaries, start=1):
        table.add_row(str(number), str(summary.polled), str(summary.changed), str(summary.not_modified),
                      str(summary.failed), str(summary.articles_added), str(summary.rejects_added),
                      f"{summary.seconds:.1f}")
    console.print(table)
