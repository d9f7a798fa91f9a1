"""CLI verbs of the storyline stage: ``stories``, ``story``, ``ledger``, ``eval stories``."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import api
from .cli import _open, _print_json, app, cell, console, errors_console, state
from .cli_extract import _marked, eval_app


def run_stories(db: api.Detente, rebuild: bool = False):
    """Update storylines with a Rich spinner on the terminal; return the ``StorySummary``."""
    with Progress(SpinnerColumn(), TextColumn("storylines"), TextColumn("{task.completed:,} articles"),
                  TimeElapsedColumn(), console=errors_console, transient=True, disable=state.as_json) as progress:
        task = progress.add_task("stories", total=None)
        return db.update_stories(rebuild=rebuild, on_progress=lambda n: progress.update(task, completed=n))


@app.command()
def stories(
    actor: Annotated[str | None, typer.Option(help="Only storylines whose main actors include this code (RUS).")] = None,
    phase: Annotated[str | None, typer.Option(help="Only storylines in this phase (armed_conflict ...).")] = None,
    min_articles: Annotated[int, typer.Option(min=1, help="Only storylines with at least this many articles.")] = 2,
    limit: Annotated[int, typer.Option(min=0, max=10_000)] = 20,
    update: Annotated[bool, typer.Option(help="First put newly extracted articles into storylines.")] = True,
    rebuild: Annotated[bool, typer.Option(help="Forget all storylines and assign every article again.")] = False,
) -> None:
    """List storylines with their phase and last activity, most recent first.

    Example: detente stories --actor UKR
    """
    with _open(read_only=not (update or rebuild)) as db:
        summary = run_stories(db, rebuild) if (update or rebuild) else None
        frame = db.stories(actor=actor, phase=phase, min_articles=min_articles, limit=limit)
    if state.as_json:
        _print_json({"update": summary.as_dict() if summary else None, "storylines": frame.to_dict("records")})
        return
    table = Table(title=f"{len(frame)} storyline{'' if len(frame) == 1 else 's'}", header_style="bold")
    for column in ("id", "label", "phase", "since", "articles", "first", "last"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples():
        table.add_row(row.id, escape(row.label), cell(row.phase), cell(row.phase_since), f"{row.n_articles:,}",
                      cell(row.first_published)[:10], cell(row.last_published)[:10])
    console.print(table)


def _ledger_table(frame, title: str) -> Table:
    table = Table(title=title, header_style="bold")
    for column in ("kind", "actor", "counterpart", "action", "issue", "status", "date", "why", "evidence", "quote"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples():
        style = "" if row.current else "dim"
        table.add_row(row.kind, cell(row.actor), cell(row.counterpart), cell(row.action), cell(row.issue),
                      f"[{style}]{row.status}[/{style}]" if style else f"[bold]{row.status}[/bold]",
                      cell(row.status_date), escape(row.reason), cell(row.evidence_id), escape(cell(row.quote)))
    return table


@app.command()
def story(
    storyline_id: Annotated[str, typer.Argument(help="A storyline id from `detente stories`.")],
    events_limit: Annotated[int, typer.Option("--events", min=0, help="Show at most this many events.")] = 25,
) -> None:
    """Show one storyline: phases, timeline of events, signals (positions, register), ledger.

    Example: detente story s322d61a293
    """
    with _open(read_only=True) as db:
        found = db.story(storyline_id)
    row = found["storyline"].iloc[0]
    if state.as_json:
        _print_json({key: frame.to_dict("records") for key, frame in found.items()})
        return
    console.print(f"[bold]{escape(row['label'])}[/bold]  ({row['id']}, {row['n_articles']:,} articles, "
                  f"{cell(row['first_published'])[:10]} … {cell(row['last_published'])[:10]}), "
                  f"phase [bold]{cell(row['phase'])}[/bold] since {cell(row['phase_since'])}")
    phases = Table(title="Phases", header_style="bold")
    for column in ("since", "phase", "score", "evidence"):
        phases.add_column(column, overflow="fold")
    for p in found["phases"].itertuples():
        phases.add_row(cell(p.phase_date)[:10], p.phase, f"{p.score:.2f}", ", ".join(json.loads(p.evidence)[:4]))
    console.print(phases)
    timeline = Table(title="Timeline (latest events)", header_style="bold")
    for column in ("date", "source", "event", "target", "modality", "goldstein", "sentence"):
        timeline.add_column(column, overflow="fold")
    for e in found["events"].tail(events_limit).itertuples():
        sentence = e.sentence if isinstance(e.sentence, str) else ""
        if sentence and e.trigger_start == e.trigger_start:
            sentence = _marked(sentence, [(int(e.trigger_start - e.sentence_start),
                                           int(e.trigger_end - e.sentence_start), "bold red")])
        else:
            sentence = escape(sentence)
        timeline.add_row(cell(e.event_date), cell(e.source_actor), e.event_type, cell(e.target_actor), e.modality,
                         f"{e.goldstein:+.1f}" if e.goldstein == e.goldstein else "", sentence)
    console.print(timeline)
    signals = Table(title="Signals (register, positions, conditions, commitments)", header_style="bold")
    for column in ("kind", "actor", "label", "issue", "stance", "value", "quote"):
        signals.add_column(column, overflow="fold")
    for g in found["signals"].itertuples():
        signals.add_row(g.kind, cell(g.actor), cell(g.label), cell(g.issue), cell(g.stance),
                        f"{g.value:+.2f}" if g.value == g.value and g.value is not None else "", escape(cell(g.quote)))
    console.print(signals)
    console.print(_ledger_table(found["ledger"], "Ledger"))


@app.command()
def ledger(
    storyline: Annotated[str, typer.Option("--storyline", "-s", help="A storyline id from `detente stories`.")],
) -> None:
    """Show a storyline's conditions and commitments, every status each took and the evidence that moved it.

    Example: detente ledger --storyline s322d61a293
    """
    with _open(read_only=True) as db:
        frame = db.ledger(storyline)
    if state.as_json:
        _print_json(frame.to_dict("records"))
        return
    console.print(_ledger_table(frame, f"Ledger of {storyline} ({frame['signal_id'].nunique()} items)"))


@eval_app.command("stories")
def eval_stories(
    focus: Annotated[str, typer.Option(help="Countries of the focus story, comma-separated.")] = "RUS,UKR",
    years: Annotated[str, typer.Option(help="Years of the focus story, FIRST-LAST.")] = "2021-2022",
) -> None:
    """Purity and number of storylines in the database, and the focus story followed in time.

    Example: detente demo --no-serve && detente eval stories
    """
    from .errors import BadOption
    from .index.evaluation import evaluate_stories

    try:
        first, last = (int(y) for y in years.split("-", 1))
    except ValueError as exc:
        raise BadOption(f"--years takes FIRST-LAST (2021-2022), not {years!r}") from exc
    countries = tuple(c.strip().upper() for c in focus.split(",") if c.strip())
    with _open() as db:
        run_stories(db)
        report = evaluate_stories(db.store, countries, (first, last))
    if state.as_json:
        _print_json(dataclasses.asdict(report))
        return
    table = Table(title="Storylines", header_style="bold", show_header=False)
    table.add_row("articles read", f"{report.articles:,}")
    table.add_row("articles in a storyline", f"{report.assigned:,}")
    table.add_row("storylines (of 2+ articles)", f"{report.storylines:,} ({report.storylines_2plus:,})")
    table.add_row("purity (share naming a main actor)", f"{report.purity:.3f}")
    if report.focus_storyline:
        table.add_row(f"focus storyline ({'/'.join(countries)}, {years})",
                      f"{report.focus_storyline}: {escape(report.focus_label or '')}")
        table.add_row("  its articles", f"{report.focus_articles:,}")
        table.add_row(f"  purity (share naming {' or '.join(countries)})", f"{report.focus_purity:.3f}")
        table.add_row("  coverage (share of the focus articles it holds)", f"{report.focus_coverage:.3f}")
        table.add_row("  phases", ", ".join(f"{day} {phase}" for day, phase in report.focus_phases))
    console.print(table)
