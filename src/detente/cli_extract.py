"""CLI verbs of the extraction stage: ``analyze``, ``extract``, ``events``, ``eval events``."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import api
from .cli import _open, _print_json, app, cell, console, errors_console, state, summary_table
from .errors import BadOption, InputNotFound

eval_app = typer.Typer(help="Measure accuracy against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Rich markup of ``text`` with each ``(start, end, style)`` span highlighted (outermost first wins)."""
    out, position = [], 0
    for start, end, style in sorted(spans):
        if start < position:
            continue
        out.append(escape(text[position:start]))
        out.append(f"[{style}]{escape(text[start:end])}[/{style}]")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _analysis_json(analysis) -> dict:
    return {
        "article_id": analysis.article_id,
        "published": analysis.published,
        "sentences": [s.model_dump(mode="json") for s in analysis.sentences],
        "mentions": [m.model_dump(mode="json") for m in analysis.mentions],
        "events": [e.model_dump(mode="json") for e in analysis.events],
        "signals": [g.model_dump(mode="json") for g in analysis.signals],
    }


def signals_table(analysis) -> Table:
    """The article's register readings, positions, conditions and commitments as a Rich table.

    Sentence tone is left to ``--json``; the article's tone is the caption.
    """
    table = Table(title="Signals", header_style="bold")
    for column in ("#", "kind", "actor", "reading", "value", "due / status", "text"):
        table.add_column(column, overflow="fold")
    for g in analysis.signals:
        if g.kind == "tone":
            if g.provenance.sentence_index is None:
                table.caption = f"article tone: {g.label} ({g.value:+.2f}, VADER)"
            continue
        actor = cell(g.actor) + (f" → {g.counterpart}" if g.counterpart else "")
        reading = " / ".join(x for x in (g.label, g.issue, g.stance) if x)
        status = " ".join(x for x in (cell(g.due), cell(g.status)) if x)
        table.add_row(cell(g.provenance.sentence_index), g.kind.value, actor, reading,
                      f"{g.value:+.2f}" if g.value is not None else "", status, escape(g.text))
    return table


@app.command()
def analyze(
    path: Annotated[str, typer.Argument(help="A text file, or - for standard input.")],
    published: Annotated[str | None, typer.Option(help="Publication date for relative dates (2025-12-06).")] = None,
) -> None:
    """Print the actors, events, marked source sentences and signals (register, positions, conditions,
    commitments, tone) of one text.

    Example: detente analyze ../shared/data/samples/seed_article.txt --published 2025-12-06
    """
    if path == "-":
        text = sys.stdin.read()
    else:
        file = Path(path)
        if not file.is_file():
            raise InputNotFound(f"no such file: {path}")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadOption(f"{path} is not UTF-8 text") from exc
    analysis = api.analyze(text, published)
    if state.as_json:
        _print_json(_analysis_json(analysis))
        return
    actors = Table(title="Actors", header_style="bold")
    for column in ("mention", "code", "country", "sector", "person", "role"):
        actors.add_column(column)
    for m in analysis.mentions:
        actors.add_row(m.text, m.actor_code or "", m.country or "", m.sector or "", m.person or "", m.role or "")
    console.print(actors)
    events = Table(title="Events", header_style="bold")
    for column in ("#", "source", "event", "target", "modality", "date", "place", "goldstein"):
        events.add_column(column)
    for number, e in enumerate(analysis.events, start=1):
        when = f"{e.date}" + (f" … {e.date_end}" if e.date_end else "") if e.date else ""
        place = f"{e.location.name} ({e.location.country})" if e.location else ""
        kind = e.event_type + (f"/{e.mode}" if e.mode else "") + f" [{e.cameo_code}]"
        events.add_row(str(number), e.source_actor or "", kind, e.target_actor or "", e.modality.value, when, place,
                       f"{e.goldstein:+.1f}" if e.goldstein is not None else "")
    console.print(events)
    by_sentence: dict[int, list] = {}
    for number, e in enumerate(analysis.events, start=1):
        by_sentence.setdefault(e.provenance.sentence_index, []).append((number, e))
    for sentence in analysis.sentences:
        found = by_sentence.get(sentence.index)
        if not found:
            continue
        base = sentence.span.start
        spans = []
        for _number, e in found:
            for span, style in ((e.provenance.trigger, "bold red"), (e.provenance.source, "green"),
                                (e.provenance.target, "blue")):
                if span is not None:
                    spans.append((span.start - base, span.end - base, style))
        numbers = ",".join(str(n) for n, _ in found)
        console.print(f"[dim]({numbers})[/dim] " + _marked(sentence.text, spans))
    console.print("[dim]trigger[/dim] [bold red]red[/bold red], [dim]source[/dim] [green]green[/green], "
                  "[dim]target[/dim] [blue]blue[/blue]")
    console.print(signals_table(analysis))


def run_extract(db: api.Detente, **options: object):
    """Extract with a Rich progress bar on the terminal; return the ``ExtractSummary``."""
    with Progress(
        SpinnerColumn(), TextColumn("extracting"), BarColumn(), TextColumn("{task.completed:,} articles"),
        TimeElapsedColumn(), console=errors_console, transient=True, disable=state.as_json,
    ) as progress:
        task = progress.add_task("extract", total=options.get("limit"))
        return db.extract(on_progress=lambda n: progress.update(task, completed=n), **options)


def extract_dask(engine: str, scheduler: str, input: str | None, output: Path | None, workers: int | None,
                 partition_rows: int, *, redo: bool, limit: int | None) -> None:
    """``extract --engine dask``: extract Parquet articles on a Dask cluster into Parquet for ``detente import``."""
    if engine != "dask":
        raise BadOption(f"--engine takes store or dask, not {engine!r}")
    if not input or output is None:
        raise BadOption("--engine dask needs --input PARQUET_GLOB and --output DIR")
    if limit is not None:
        raise BadOption("--limit applies to --engine store; cut the input files instead")
    from .extract.distributed import PartitionError, failure_message, run_dask_extract
    from .settings import Settings

    with Progress(
        SpinnerColumn(), TextColumn("extracting (Dask)"), BarColumn(), TextColumn("{task.completed:,} articles"),
        TimeElapsedColumn(), console=errors_console, transient=True, disable=state.as_json,
    ) as progress:
        task = progress.add_task("extract", total=None)
        summary = run_dask_extract(input, output, scheduler=scheduler, workers=workers, redo=redo,
                                   partition_rows=partition_rows, headline_case=Settings().headline_case,
                                   on_progress=lambda n: progress.update(task, completed=n))
    if state.as_json:
        _print_json(summary.as_dict())
    else:
        table = Table(title="Extraction (Dask)", header_style="bold", show_header=False)
        for key, value in summary.as_dict().items():
            if isinstance(value, (int, float)):
                table.add_row(key.replace("_", " "), f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
        for worker, peak in sorted(summary.peak_mb_by_worker.items()):
            table.add_row(f"peak MB, worker {worker}", f"{peak:,.0f}")
        console.print(table)
        console.print(f"load it with: detente import {output}")
    if summary.partitions_failed:
        raise PartitionError(failure_message(summary, output))


@app.command()
def extract(
    processes: Annotated[int, typer.Option("--processes", "-p", min=1, max=64, help="spaCy worker processes.")] = 1,
    redo: Annotated[bool, typer.Option(help="Extract every article again, replacing earlier results.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many articles.")] = None,
    stories: Annotated[bool, typer.Option(help="Then update storylines and the risk index, and check alerts.")] = True,
    engine: Annotated[str, typer.Option(help="store: the database's articles, in this process; dask: Parquet "
                                        "articles (--input) on a Dask cluster, Parquet results (--output).")] = "store",
    scheduler: Annotated[str, typer.Option(help="Dask: local (a LocalCluster) or an address (tcp://host:8786).")] = "local",
    input: Annotated[str | None, typer.Option(help="Dask: articles as `detente export` writes them "
                                              "('export/articles/**/*.parquet').")] = None,
    output: Annotated[Path | None, typer.Option(help="Dask: directory for `detente import`; a re-run resumes.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=256, help="Dask local: worker processes (default: cores).")] = None,
    partition_rows: Annotated[int, typer.Option(min=1, help="Dask: at most this many articles per task.")] = 2000,
) -> None:
    """Extract sentences, actors, events and signals from stored articles not yet extracted (with --engine dask:
    from Parquet articles on a Dask cluster, into Parquet that `detente import` loads).

    Example: detente --db news.duckdb extract --processes 2

    Example: detente extract --engine dask --scheduler local --input 'export/articles/**/*.parquet' --output out/
    """
    from .cli_alerts import run_alerts
    from .cli_stories import run_stories

    if engine != "store":
        return extract_dask(engine, scheduler, input, output, workers, partition_rows, redo=redo, limit=limit)
    with _open() as db:
        summary = run_extract(db, n_process=processes, redo=redo, limit=limit)
        story_summary = run_stories(db, rebuild=redo) if stories else None
        index_summary = db.update_index() if stories else None
        fired = run_alerts(db) if stories else []
    if state.as_json:
        _print_json({**summary.as_dict(), "storylines": story_summary.as_dict() if story_summary else None,
                     "index": index_summary.as_dict() if index_summary else None, "alerts_fired": len(fired)})
    else:
        console.print(summary_table("Extraction", summary))
        if story_summary:
            console.print(summary_table("Storylines", story_summary))


@app.command()
def events(
    actor: Annotated[str | None, typer.Option(help="Source or target actor code prefix (RUS, USAGOV).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="PLOVER type (CONSULT, ASSAULT ...).")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 country of an actor or of the place.")] = None,
    modality: Annotated[str | None, typer.Option(help="asserted, negated, hypothetical, conditional, future, reported.")] = None,
    since: Annotated[str | None, typer.Option(help="Event date on or after.")] = None,
    until: Annotated[str | None, typer.Option(help="Event date before.")] = None,
    limit: Annotated[int, typer.Option(min=0, max=100_000)] = 30,
) -> None:
    """List stored events with their source sentence.  Example: detente events --actor RUS --type CONSULT"""
    with _open(read_only=True) as db:
        frame = db.events(actor=actor, event_type=event_type, country=country, modality=modality, since=since,
                          until=until, limit=limit)
    if state.as_json:
        _print_json(frame.to_dict("records"))
        return
    table = Table(title=f"{len(frame)} events", header_style="bold")
    for column in ("date", "source", "event", "target", "modality", "place", "sentence"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples():
        sentence = row.sentence if isinstance(row.sentence, str) else ""
        if sentence and row.trigger_start == row.trigger_start:  # not NaN: highlight the trigger
            start = int(row.trigger_start - row.sentence_start)
            end = int(row.trigger_end - row.sentence_start)
            sentence = _marked(sentence, [(start, end, "bold red")])
        else:
            sentence = escape(sentence or (row.url or ""))
        table.add_row(cell(row.event_date), cell(row.source_actor), row.event_type, cell(row.target_actor),
                      row.modality, cell(row.place), sentence)
    console.print(table)


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Option(help="Gold PLOVER records (JSON Lines).")] = Path("../shared/data/gold/plover_gsr_dev.jsonl"),
    errors: Annotated[bool, typer.Option("--errors", help="List the misses with their sentence.")] = False,
) -> None:
    """Accuracy of event coding on gold PLOVER sentences.

    Example: detente eval events --gold ../shared/data/gold/plover_gsr_dev.jsonl --errors
    """
    from .extract.scoring import render_report, run_event_eval

    if not gold.is_file():
        raise InputNotFound(f"no such gold file: {gold}")
    report = run_event_eval(gold)
    if state.as_json:
        _print_json(dataclasses.asdict(report))
        return
    for table in render_report(report, errors=errors):
        console.print(table)
