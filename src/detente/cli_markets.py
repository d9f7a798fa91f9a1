"""CLI verbs of the markets stage: ``study``, ``betas``, ``scenarios``, ``replay`` (prices: ``cli_prices``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from .cli import _open, _print_json, app, cell, console, state
from .errors import BadOption


def pct(value: object, digits: int = 2) -> str:
    """A return as a signed percentage; blank when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value) * 100:+.{digits}f}%"


def num(value: object, digits: int = 2) -> str:
    """A statistic with ``digits`` decimals; blank when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):+.{digits}f}"


def _pair(text: str, option: str) -> tuple[int, int]:
    try:
        first, second = (int(part) for part in text.replace(":", ",").split(","))
    except ValueError as exc:
        raise BadOption(f"{option} takes two whole numbers FIRST,LAST (e.g. 0,5 or -250,-11), not {text!r}") from exc
    return first, second


def move_cell(value: float, measure: str, unit: str) -> str:
    """A move as a signed log-return percentage, or as a change in the series' unit (bp, percent)."""
    return f"{value:+.1f} {unit}" if measure == "change" else pct(value)


@app.command()
def study(
    asset: Annotated[list[str], typer.Option(help="Asset(s) to study; repeat for several.")],
    events: Annotated[str | None, typer.Option(help="conflict[:STORYLINE], phases[:STORYLINE[:PHASE]], "
                                                    "jumps[:SCOPE[:N]] or reference[:CLASS|THEME].")] = None,
    dates: Annotated[str | None, typer.Option(help="Event dates: 2022-02-24,2022-03-29.")] = None,
    dates_file: Annotated[Path | None, typer.Option(help="CSV with a date column (label, id optional).")] = None,
    window: Annotated[list[str], typer.Option(help="Event window FIRST,LAST in trading days; repeat.")] = ["0,5"],  # noqa: B006 (Typer reads the default, never mutates it)
    estimation: Annotated[str, typer.Option(help="Estimation window FIRST,LAST.")] = "-250,-11",
    model: Annotated[str, typer.Option(help="constant (mean) or market.")] = "constant",
    market: Annotated[str | None, typer.Option(help="Market asset for --model market (e.g. spx).")] = None,
    returns: Annotated[str, typer.Option(help="log or simple returns.")] = "log",
    bootstrap: Annotated[int, typer.Option(min=0, max=100_000, help="Bootstrap resamples for the interval.")] = 1000,
    max_goldstein: Annotated[float, typer.Option(help="For --events conflict: Goldstein at or below.")] = -9.0,
    out: Annotated[Path, typer.Option(help="Directory for the CSVs and the PNG/SVG plot.")] = Path("detente-study"),
) -> None:
    """Event study (MacKinlay 1997): CARs per event, tests per window, a plot and CSVs.

    Example: detente study --dates 2022-02-24,2022-03-29 --asset brent --window 0,5
    """
    windows = tuple(_pair(w, "--window") for w in window)
    with _open(read_only=False) as db:
        found = db.study(asset, events=events, dates=dates, dates_file=dates_file, windows=windows,
                         estimation=_pair(estimation, "--estimation"), model=model, market=market, returns=returns,
                         bootstrap=bootstrap, max_goldstein=max_goldstein, out=out)
    result = found["result"]
    if state.as_json:
        _print_json({"events": result.events.to_dict("records"), "summary": result.summary.to_dict("records"),
                     "dropped": result.dropped.to_dict("records"), "files": [str(p) for p in found["files"]]})
        return
    per_event = Table(title=f"Cumulative abnormal returns ({model} model, {returns} returns)", header_style="bold")
    for column_name in ("asset", "window", "date", "day 0", "label", "CAR", "σ(CAR)", "t"):
        per_event.add_column(column_name, overflow="fold")
    for row in result.events.head(60).itertuples():
        per_event.add_row(row.asset, row.window, cell(row.date)[:10], cell(row.day0), escape(str(row.label))[:50],
                          pct(row.car), pct(row.sd_car), num(row.t))
    console.print(per_event)
    summary = Table(title="Per window: mean CAR and tests", header_style="bold")
    for column_name in ("asset", "window", "N", "mean CAR", "t (cross)", "J1", "Patell Z", "BMP t", "interval"):
        summary.add_column(column_name)
    for row in result.summary.itertuples():
        summary.add_row(row.asset, row.window, str(row.n), pct(row.mean_car), num(row.t_cross), num(row.j1),
                        num(row.patell_z), num(row.bmp_t),
                        f"{pct(row.ci_low)} … {pct(row.ci_high)} ({row.confidence:.0%}, {row.ci_method})")
    console.print(summary)
    for row in result.dropped.itertuples():
        console.print(f"left out: {row.asset} {row.id} ({cell(row.date)[:10]}): {row.reason}")
    console.print(f"written: {', '.join(str(p) for p in found['files'])}")


@app.command()
def betas(
    asset: Annotated[list[str] | None, typer.Option(help="Asset(s); default every loaded one.")] = None,
    scope: Annotated[str, typer.Option(help="Index scope: global, a country (RUS) or storyline:ID.")] = "global",
    method: Annotated[str, typer.Option(help="Index method: classic, classic-and, events, combined, "
                                             "combined-and.")] = "combined",
    freq: Annotated[str, typer.Option(help="W (weeks) or M (months).")] = "W",
    window: Annotated[int, typer.Option(min=12, help="Rolling window, in periods.")] = 52,
    step: Annotated[int, typer.Option(min=1, help="Rolling step, in periods.")] = 4,
    index_csv: Annotated[Path | None, typer.Option(help="Use this CSV's index (date, value) instead of the stored one.")] = None,
    index_column: Annotated[str | None, typer.Option(help="The column of --index-csv to use.")] = None,
    spikes: Annotated[float | None, typer.Option(help="Instead: excess returns over --market on the index's top "
                                                      "fraction of days (0.01 = top 1 %), with t-statistics.")] = None,
    market: Annotated[str, typer.Option(help="Market for --spikes excess returns.")] = "spy",
    since: Annotated[str | None, typer.Option(help="For --spikes: spike days from this date.")] = None,
    until: Annotated[str | None, typer.Option(help="For --spikes: spike days up to this date (a sub-period: "
                                                     "its own top fraction).")] = None,
    spike_on: Annotated[str, typer.Option(help="For --spikes: rank days by the index's daily change or level.")] = "change",
    spike_window: Annotated[str, typer.Option(help="For --spikes: trading days FIRST,LAST around each spike.")] = "-1,0",
) -> None:
    """Betas of asset returns on risk-index changes (OLS, Newey–West errors), per asset and channel, and rolling;
    with --spikes, excess returns over the market on the index's spike days.

    Example: detente betas --freq M --index-csv ../shared/data/reference/gpr_monthly_export.csv --index-column GPR

    Example: detente betas --spikes 0.01 --since 2007-01-01 --index-csv ../shared/data/reference/gpr_daily_recent.xls --index-column GPRD
    """
    if spikes is not None:
        _spike_table(asset, spikes, market, (since, until), spike_on, _pair(spike_window, "--spike-window"), scope,
                     method, index_csv, index_column)
        return
    with _open(read_only=True) as db:
        found = db.betas(asset, scope=scope, method=method, freq=freq, window=window, step=step,
                         index_csv=index_csv, index_column=index_column)
    if state.as_json:
        _print_json({key: frame.to_dict("records") for key, frame in found.items()})
        return
    table = Table(title=f"Betas on the change of the index ({freq}; % return per 10 index points)", header_style="bold")
    for column_name in ("name", "kind", "channel", "N", "beta", "NW se", "t", "p", "R²", "lags", "from", "to"):
        table.add_column(column_name)
    for row in found["betas"].itertuples():
        table.add_row(row.name, row.kind, row.channel, str(row.n), f"{row.beta * 1000:+.3f}", f"{row.se * 1000:.3f}",
                      num(row.t), f"{row.p:.3f}", f"{row.r2:.3f}", str(row.lags), cell(row.first), cell(row.last))
    console.print(table)
    rolling = found["rolling"]
    if not rolling.empty:
        last = rolling.sort_values("end").groupby("name").tail(1)
        console.print("latest rolling betas (% per 10 points): " + ", ".join(
            f"{r.name} {r.beta * 1000:+.3f} (to {r.end})" for r in last.itertuples()))


def _spike_table(asset, top, market, period, on, window, scope, method, index_csv, index_column) -> None:
    from .markets.runs import run_spikes

    since, until = period
    with _open(read_only=True) as db:
        found = run_spikes(db.store, asset, top=top, market=market, on=on, since=since, until=until, window=window,
                           scope=scope, method=method, index_csv=index_csv, index_column=index_column)
    frame = found["spikes"]
    if state.as_json:
        _print_json({"spikes": frame.astype(object).where(frame.notna(), None).to_dict("records"),
                     "days": [f"{d:%Y-%m-%d}" for d in found["days"]], "on": on, "top": top,
                     "window": list(window), "since": since, "until": until})
        return
    table = Table(title=f"Excess return over {market} on the index's top {top:.1%} days by {on} "
                        f"({found['n_days']} days{', since ' + since if since else ''}{', until ' + until if until else ''}; "
                        f"window {window[0]:+d},"
                        f"{window[1]:+d} trading days)", header_style="bold")
    for column_name in ("name", "kind", "channel", "versus", "N", "mean", "sd", "t", "share > 0", "from", "to"):
        table.add_column(column_name)
    for row in frame.itertuples():
        change = row.versus.startswith("none")
        table.add_row(row.name, row.kind, row.channel, row.versus, str(row.n),
                      num(row.mean, 3) if change else pct(row.mean), num(row.sd, 3) if change else pct(row.sd),
                      num(row.t), f"{row.positive:.0%}", cell(row.first), cell(row.last))
    table.caption = "mean: log excess return (changes in the series' unit for yields and spreads); t = mean/(sd/√N)"
    console.print(table)


@app.command()
def scenarios(
    storyline: Annotated[str, typer.Option(help="A storyline id from `detente stories`.")],
    save: Annotated[bool, typer.Option(help="Store the scenarios in the database.")] = True,
) -> None:
    """Scenarios of a storyline with probabilities, drivers and measured asset impacts.

    Example: detente scenarios --storyline s322d61a293
    """
    from .markets.exposures import exposure_map
    from .markets.extra import stored_measures

    with _open(read_only=not save) as db:
        outlook = db.scenarios(storyline, save=save)
        measures = stored_measures(db.store)
    if state.as_json:
        _print_json(outlook.as_dict())
        return
    info = outlook.storyline
    console.print(f"[bold]{escape(str(info['label']))}[/bold] ({info['id']}), phase [bold]{info['phase']}[/bold] "
                  f"since {info['phase_since']}, theme {outlook.theme}")
    table = Table(title="Scenarios", header_style="bold")
    for column_name in ("scenario", "probability", "drivers"):
        table.add_column(column_name, overflow="fold")
    for s in outlook.scenarios:
        table.add_row(s.name, f"{s.probability:.1%}", ", ".join(s.drivers[:8]) + (" …" if len(s.drivers) > 8 else ""))
    table.caption = f"sum of probabilities: {sum(s.probability for s in outlook.scenarios):.6f}"
    console.print(table)
    weights = Table(title="Factors (log-weights added to each scenario)", header_style="bold")
    for column_name in ("factor", "reading", *(s.name for s in outlook.scenarios)):
        weights.add_column(column_name, overflow="fold")
    for f in outlook.factors:
        weights.add_row(f.name, escape(f.reading), *(f"{f.weights.get(s.name, 0.0):+.2f}" for s in outlook.scenarios))
    console.print(weights)
    impacts = Table(title="Asset impacts: mean CAR of the closest analogues, with interval", header_style="bold")
    for column_name in ("asset", "channel", *(s.name for s in outlook.scenarios), "probability-weighted"):
        impacts.add_column(column_name, overflow="fold")
    expected = outlook.expected.set_index("asset")
    unmeasured = []
    for position, asset in enumerate(i.asset for i in outlook.scenarios[0].asset_impacts):
        if all(s.asset_impacts[position].size is None for s in outlook.scenarios):
            unmeasured.append(asset)
            continue
        cells = []
        size = (lambda v: f"{v:+.1f}") if measures.get(asset) == "change" else pct  # bp changes for spreads
        for s in outlook.scenarios:
            impact = s.asset_impacts[position]
            cells.append(f"{impact.direction:+d} {size(impact.size)} [{size(impact.interval_low)}, "
                         f"{size(impact.interval_high)}]" if impact.size is not None
                         else f"prior {impact.direction:+d} (not measured)")
        e = expected.loc[asset]
        cells.append(f"{size(e['expected'])} [{size(e['low'])}, {size(e['high'])}]" if e["expected"] is not None
                     and e["expected"] == e["expected"] else "")
        impacts.add_row(asset, exposure_map().channel_of(asset), *cells)
    impacts.caption = ("direction, CAR in log-return % (spreads and yields: change in bp or points) \\[interval], "
                       "window [0,+5] trading days ([0,+1] months for monthly series)")
    console.print(impacts)
    if unmeasured:
        console.print(f"exposed but without prices (exposure-map priors only): {', '.join(unmeasured)}")
    analogues = outlook.analogues
    if not analogues.empty:
        used = analogues.drop_duplicates(["scenario", "id"])
        for name, group in used.groupby("scenario", sort=False):
            console.print(f"analogues of {name}: " + "; ".join(
                f"{r.id} ({cell(r.date)[:10]})" for r in group.itertuples()))


def _chance(probability: object, change: object) -> str:
    """A probability with its change from the day before in points; blank when unknown."""
    if probability is None or pd.isna(probability):
        return ""
    moved = "" if change is None or pd.isna(change) else f" ({float(change) * 100:+.1f})"
    return f"{float(probability):.1%}{moved}"


@app.command()
def replay(
    storyline: Annotated[str, typer.Option(help="A storyline id from `detente stories`.")],
    start: Annotated[str, typer.Option("--from", help="First day (the moves start from its close).")],
    end: Annotated[str, typer.Option("--to", help="Last day.")],
) -> None:
    """Day by day: the scenario probabilities from the news published so far, beside each channel's move.

    Example: detente replay --storyline s322d61a293 --from 2022-02-23 --to 2022-03-08
    """
    from .markets.replay import replay as run_replay

    with _open(read_only=True) as db:
        found = run_replay(db.store, storyline, start, end)
    days, moves = found["scenarios"], found["moves"]
    if state.as_json:
        _print_json({"scenarios": days.astype(object).where(days.notna(), None).to_dict("records"),
                     "moves": moves.astype(object).where(moves.notna(), None).to_dict("records")})
        return
    names = ("durable_deal", "fragile_deal", "talks_collapse", "escalation")
    table = Table(title=f"Replay of {storyline}: scenarios from the news published by each day", header_style="bold")
    for column_name in ("day", "articles", "storyline", "phase", *names):
        table.add_column(column_name)
    for row in days.itertuples():
        table.add_row(cell(row.day), f"{row.articles:,}", f"{row.storyline} ({row.shared})", cell(row.phase),
                      *(_chance(getattr(row, n), getattr(row, n + "_change")) for n in names))
    table.caption = "probability (change from the day before, in points); storyline as of the day (articles shared)"
    console.print(table)
    seen: set[str] = set()
    for row in days.itertuples():
        new = [d for d in (row.drivers if isinstance(row.drivers, list) else []) if d not in seen]
        seen.update(new)
        if new:
            console.print(f"{cell(row.day)}: deal drivers {'first seen' if len(seen) > len(new) else 'at the start'}: "
                          f"{', '.join(new[:8])}")
    if moves.empty:
        return
    wide = moves.pivot_table(index="asset", columns="day", values="move", sort=False)
    measure = dict(zip(moves["asset"], moves["measure"]))
    unit = dict(zip(moves["asset"], moves["unit"]))
    market = Table(title=f"What each channel did since the close of {start}", header_style="bold")
    market.add_column("asset")
    for day in wide.columns:
        market.add_column(f"{day:%m-%d}")
    for asset, values in wide.iterrows():
        market.add_row(asset, *("" if pd.isna(v) else move_cell(v, measure[asset], "bp" if unit[asset] == "bp" else "")
                                for v in values))
    market.caption = "log return % (spreads: change in bp), close of --from to the last close on or before each day"
    console.print(market)
