"""CLI verbs of the risk indexes: ``index`` (series, sparkline, export, ``--explain DATE``) and ``eval gpr``."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from . import api
from .cli import _open, _print_json, app, cell, console, run_ingest, state
from .cli_extract import _marked, eval_app, run_extract
from .errors import BadOption, InputNotFound, NotEnoughData

REFERENCE = Path("../shared/data/reference/gpr_daily_recent.xls")


def _base(text: str | None) -> tuple[str | None, str | None] | None:
    if not text:
        return None
    first, _, last = text.partition(":")
    return (first or None, last or None)


def _write(frame: pd.DataFrame, out: Path) -> None:
    if out.suffix.lower() == ".csv":
        frame.to_csv(out, index=False)
    elif out.suffix.lower() == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        raise BadOption(f"--out takes a .csv or .parquet file, not {out.name!r}")


def _explain(db: api.Detente, day: str, scope: str, method: str, base) -> None:
    found = db.explain(day, scope=scope, method=method, base=base)
    summary = found["summary"].iloc[0]
    if state.as_json:
        _print_json({key: frame.to_dict("records") for key, frame in found.items()})
        return
    console.print(f"[bold]{summary['method']}[/bold] index of [bold]{summary['scope']}[/bold] on {summary['date']}: "
                  f"{summary['index']:.1f} ({summary['articles']:,} articles that day)")
    events = Table(title="Counted events, largest contribution first", header_style="bold")
    for column in ("points", "kind", "event", "source", "target", "modality", "weight", "sentence"):
        events.add_column(column, overflow="fold")
    for e in found["events"].head(25).itertuples():
        sentence = e.sentence if isinstance(e.sentence, str) else escape(e.title)
        if isinstance(e.sentence, str) and e.trigger_start == e.trigger_start:
            sentence = _marked(sentence, [(int(e.trigger_start), int(e.trigger_end), "bold red")])
        elif isinstance(e.sentence, str):
            sentence = escape(sentence)
        events.add_row(f"{e.contribution:.1f}", e.kind, e.event_type, cell(e.source_actor), cell(e.target_actor),
                       e.modality, f"{e.weight:.2f}", sentence)
    console.print(events)
    articles = Table(title="Articles matching the GPR query (Caldara–Iacoviello categories)", header_style="bold")
    for column in ("points", "categories", "matching words", "title"):
        articles.add_column(column, overflow="fold")
    for a in found["articles"].head(25).itertuples():
        articles.add_row(f"{a.contribution:.1f}", ",".join(map(str, a.categories)) or "(AND only)",
                         escape("; ".join(a.words)), escape(a.title))
    console.print(articles)


@app.command()
def index(
    scope: Annotated[str, typer.Option(help="global, a country code (RUS) or storyline:ID.")] = "global",
    method: Annotated[str, typer.Option(help="classic (GPR query), classic-and (its AND variant), events, "
                                             "combined (per article, the larger of classic and events), "
                                             "combined-and (the same with the AND variant, for items of a "
                                             "sentence or two).")] = "combined",
    freq: Annotated[str, typer.Option(help="D (daily), W (weekly) or M (monthly).")] = "D",
    out: Annotated[Path | None, typer.Option(help="Write the whole series to FILE.csv or FILE.parquet.")] = None,
    explain: Annotated[str | None, typer.Option(help="List the articles and events that moved the index on DATE.")] = None,
    base: Annotated[str | None, typer.Option(help="Base period FIRST:LAST averaging 100 (default: all the data).")] = None,
    rows: Annotated[int, typer.Option(min=1, max=10_000, help="Print this many recent rows.")] = 20,
    update: Annotated[bool, typer.Option(help="First score new articles and update the stored components.")] = True,
    scopes: Annotated[bool, typer.Option("--scopes", help="List the scopes with stored points instead.")] = False,
) -> None:
    """Print a geopolitical risk index (base period = 100) with a sparkline; write it as CSV or Parquet.

    Example: detente index --scope RUS --method events --freq M --out rus.csv; detente index --explain 2022-02-24
    """
    with _open(read_only=not update) as db:
        if update:
            db.update_index()
        if scopes:
            frame = db.store.index_scopes()
            if state.as_json:
                _print_json(frame.to_dict("records"))
                return
            table = Table(title=f"{len(frame)} scopes", header_style="bold")
            for column in ("scope", "days", "first", "last"):
                table.add_column(column)
            for r in frame.head(rows).itertuples():
                table.add_row(r.scope, f"{r.days:,}", cell(r.first), cell(r.last))
            console.print(table)
            return
        if explain:
            _explain(db, explain, scope, method, _base(base))
            return
        frame = db.index(scope=scope, method=method, freq=freq, base=_base(base))
    frame["date"] = [d.date() for d in frame["date"]]
    if out:
        _write(frame, out)
    if state.as_json:
        _print_json({"scope": scope, "method": method, "freq": freq, "points": frame.to_dict("records")})
        return
    from .index.series import sparkline

    recent = frame.tail(rows)
    table = Table(title=f"{method} index, {scope}, {freq} (base period average = 100)", header_style="bold")
    for column in ("date", "index", "threats", "acts", "articles"):
        table.add_column(column, justify="right" if column != "date" else "left")
    for r in recent.itertuples():
        table.add_row(cell(r.date), f"{r.index:.1f}", f"{r.threat:.1f}", f"{r.act:.1f}", f"{r.articles:,}")
    console.print(table)
    console.print(f"{cell(frame['date'].iloc[max(0, len(frame) - 60)])} {sparkline(frame['index'].tail(60))} "
                  f"{cell(frame['date'].iloc[-1])}" + (f"  ({len(frame):,} rows written to {out})" if out else ""))


def _read_reference(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputNotFound(f"no published GPR file at {path} (--reference)")
    columns = ["date", "GPRD", "GPRD_THREAT", "GPRD_ACT"]
    try:
        if path.suffix.lower() in (".xls", ".xlsx"):
            frame = pd.read_excel(path, engine="calamine", usecols=columns)
        else:
            frame = pd.read_csv(path, usecols=columns)
    except (ValueError, KeyError) as exc:
        raise BadOption(f"{path} is not the daily GPR file (date, GPRD, GPRD_THREAT, GPRD_ACT): {exc}") from exc
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    return frame


def _show(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _pair(figures: tuple[float | None, float | None] | list[float | None]) -> str:
    return f"{_show(figures[0])} / {_show(figures[1])}"


def _scorecard_table(report: dict) -> Table:
    """Each index against the validation targets, the best (by monthly Pearson) marked, beside all the others."""
    target = report["targets"]
    table = Table(title=f"Targets: total vs GPRD >= {target['pearson']} / {target['spearman']} (Pearson / Spearman); "
                        "threats and acts beat the naive baseline on GPRD_THREAT and GPRD_ACT", header_style="bold")
    for column in ("freq", "index", "total vs GPRD", "threats vs GPRD_THREAT", "acts vs GPRD_ACT", "target"):
        table.add_column(column)
    mark = {None: "", True: " (beats naive)", False: ""}
    best_freq = (report["best_figures"] or {}).get("freq")
    for c in report["scorecards"]:
        name = c["index"] + (" ← best" if c["index"] == report["best"] and c["freq"] == best_freq else "")
        verdict = "met" if c["meets_target"] else "not met"
        if c["index"] == "naive" or c["freq"] != "M":  # the targets are monthly
            verdict = "baseline" if c["index"] == "naive" else ""
        table.add_row(c["freq"], name, _pair(c["total"]), _pair(c["threat"]) + mark[c["threat_beats_naive"]],
                      _pair(c["act"]) + mark[c["act_beats_naive"]], verdict)
    return table


def _show_periods(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _correlation_table(report: dict) -> Table:
    table = Table(title=f"Correlation with the published GPR ({report['articles']:,} articles, "
                        f"{report['first']} … {report['last']})", header_style="bold")
    numbers = ("Pearson", "95% interval", "Spearman", "periods", "effective")
    for column in ("freq", "index", "part", "reference", *numbers):
        table.add_column(column, justify="right" if column in numbers else "left")
    for c in report["correlations"]:
        interval = c["pearson_interval"]
        table.add_row(c["freq"], c["index"], c["part"], c["reference"], _show(c["pearson"]),
                      f"{interval[0]:.2f}–{interval[1]:.2f}" if interval else "n/a", _show(c["spearman"]),
                      str(c["periods"]), _show_periods(c.get("effective_periods")))
    return table


@eval_app.command("gpr")
def eval_gpr(
    corpus: Annotated[Path, typer.Option(help="A dated news corpus (any format `detente ingest` reads).")],
    map: Annotated[str | None, typer.Option("--map", help="Column mapping, as for ingest.")] = None,
    freq: Annotated[str | None, typer.Option(help="W or M (default: both).")] = None,
    reference: Annotated[Path, typer.Option(help="The published daily GPR (.xls or .csv).")] = REFERENCE,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1, max=64)] = 1,
) -> None:
    """Build the indexes from a corpus in a throwaway database and correlate them with the published GPR.

    Example: detente eval gpr --corpus ../shared/data/news/huffpost_2018_2022.jsonl
    --map title=headline,body=short_description,published=date
    """
    from .index.series import METHODS
    from .index.validation import (
        NAIVE_WORDS,
        TARGET_PEARSON,
        TARGET_SPEARMAN,
        best,
        compare,
        naive_components,
        naive_index,
        reference_series,
        scorecards,
    )
    from .store.base import ArticleQuery

    freqs = [f.upper() for f in ([freq] if freq else ["M", "W"])]
    if any(f not in ("W", "M") for f in freqs):
        raise BadOption(f"--freq takes W or M, not {freq!r}")
    if not corpus.exists():
        raise InputNotFound(f"no such corpus: {corpus}")
    daily = _read_reference(reference)
    with tempfile.TemporaryDirectory(prefix="detente-eval-gpr-") as tmp, api.open(Path(tmp) / "eval.duckdb") as db:
        summary = run_ingest(db, [str(corpus)], map=map)
        articles = db.store.articles(ArticleQuery(limit=10**9))
        if articles.empty:
            reasons = ", ".join(f"{k}: {v}" for k, v in summary.rejects_by_reason.items()) or "none read"
            raise NotEnoughData(f"no dated article in {corpus} ({summary.read:,} items; rejects: {reasons}); "
                                "the index needs publication dates (--map published=COLUMN)")
        days = pd.to_datetime(articles["published_at"]).dt.normalize()
        if days.nunique() < 2:
            raise NotEnoughData(f"the corpus covers one day only ({days.iloc[0].date()}); a correlation needs "
                                "articles over at least three weeks or months")
        run_extract(db, n_process=processes)
        db.update_index()
        naive = naive_components(articles["published_at"], articles["title"] + "\n\n" + articles["body"])
        correlations, spikes = [], []
        for f in freqs:
            indexes = {}
            for method in METHODS:
                try:
                    indexes[method] = db.index(method=method, freq=f).set_index("date")
                except NotEnoughData:
                    continue  # this reading found nothing; the others are still compared
            if not indexes:
                raise NotEnoughData(f"no geopolitical content in {corpus}: no article matched the GPR query and "
                                    "no threat or act was coded, so there is no index to compare")
            found = compare(indexes, naive_index(naive, f), reference_series(daily, f), f)
            correlations += found[0]
            spikes += found[1]
    top = best(correlations, "M") or best(correlations, freqs[0])
    cards = [card for f in freqs for card in scorecards(correlations, f)]
    report = {"corpus": str(corpus), "articles": len(articles), "days": int(days.nunique()),
              "first": str(days.min().date()), "last": str(days.max().date()), "naive_words": list(NAIVE_WORDS),
              "best": top.index if top else None,
              "best_figures": {"freq": top.freq, "pearson": top.pearson, "spearman": top.spearman} if top else None,
              "indexes_compared": len({c.index for c in correlations if c.index != "naive"}),
              "targets": {"pearson": TARGET_PEARSON, "spearman": TARGET_SPEARMAN},
              "scorecards": [dataclasses.asdict(card) for card in cards],
              "correlations": [dataclasses.asdict(c) for c in correlations],
              "spikes": [dataclasses.asdict(s) for s in spikes]}
    if state.as_json:
        _print_json(report)
        return
    console.print(_correlation_table(report))
    console.print(_scorecard_table(report))
    table = Table(title="Largest spikes (period start, value)", header_style="bold")
    for column in ("freq", "series", "largest", "second", "third"):
        table.add_column(column)
    for s in report["spikes"]:
        table.add_row(s["freq"], s["series"], *[f"{d} ({v:,.0f})" for d, v in s["top"]],
                      *[""] * (3 - len(s["top"])))
    console.print(table)
    console.print(f"naive baseline: share of articles containing one of {', '.join(NAIVE_WORDS)}")
    if top:
        met = any(c.meets_target and c.index == top.index and c.freq == top.freq == "M" for c in cards)
        console.print(f"best index by {'monthly' if top.freq == 'M' else 'weekly'} Pearson with GPRD: {top.index} "
                      f"({top.pearson:.3f} / {_show(top.spearman)}), picked after seeing all "
                      f"{report['indexes_compared']} indexes on this corpus, so an optimistic figure for another "
                      f"corpus; targets {TARGET_PEARSON} / {TARGET_SPEARMAN}: "
                      f"{'met' if met else 'not met'}")
