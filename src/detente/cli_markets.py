"""CLI verbs of the markets stage: ``prices load|list``, ``study``, ``betas``, ``scenarios``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from . import api
from .cli import _open, _print_json, app, cell, console, state
from .errors import BadOption

prices_app = typer.Typer(help="Load and list market price series.", no_args_is_help=True)
app.add_typer(prices_app, name="prices")


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


def load_table(load) -> Table:
    """A price load summary as a Rich table."""
    table = Table(title=f"Prices loaded: {load.asset}", header_style="bold", show_header=False)
    for key in ("path", "column", "date_format", "frequency", "unit", "rows_read", "rows_clean", "added",
                "already_stored", "conflicts", "first", "last"):
        table.add_row(key.replace("_", " "), str(getattr(load, key)))
    counts: dict[str, int] = {}
    for repair in load.repairs:
        counts[repair.kind] = counts.get(repair.kind, 0) + 1
    for kind, count in sorted(counts.items()):
        table.add_row(f"repairs: {kind}", str(count))
    return table


#: The sample series of ``examples/data/markets`` (EIA, public domain; gold: datasets/gold-prices, PDDL).
SAMPLE_PRICES = {"brent": ("brent-daily.csv", "USD/bbl"), "wti": ("wti-daily.csv", "USD/bbl"),
                 "henry_hub": ("henry-hub-daily.csv", "USD/MMBtu"), "gold": ("gold-monthly.csv", "USD/ozt")}


def load_sample_prices(db: api.Detente, directory: Path) -> list:
    """Load the sample price series found in ``directory`` (for ``detente demo``); print one line each."""
    loads = []
    for asset, (name, unit) in SAMPLE_PRICES.items():
        if (directory / name).is_file():
            loads.append(db.load_prices(directory / name, asset=asset, unit=unit))
    if loads and not state.as_json:
        console.print("Prices: " + "; ".join(f"{x.asset} {x.rows_clean:,} rows {x.first} … {x.last} "
                                             f"({x.added:,} added, {len(x.repairs)} repairs)" for x in loads))
    return loads


@prices_app.command("load")
def prices_load(
    path: Annotated[Path, typer.Argument(help="CSV or Parquet: Date,Price or Date,Open,High,Low,Close,Adj Close,Volume.")],
    asset: Annotated[str, typer.Option(help="Asset name used everywhere else (brent, wti, henry_hub, gold ...).")],
    unit: Annotated[str, typer.Option(help="Unit of the prices (USD/bbl, USD/MMBtu, EUR/MWh, percent ...).")],
    format: Annotated[str | None, typer.Option("--format", help="csv or parquet; from the suffix if omitted.")] = None,
    column: Annotated[str | None, typer.Option(help="Price column (default: Adj Close, Close, Price, Value).")] = None,
    date_format: Annotated[str | None, typer.Option(help="strftime format of the dates when not ISO (%m/%d/%y).")] = None,
    show_repairs: Annotated[int, typer.Option("--show-repairs", min=0, help="List this many repairs.")] = 10,
) -> None:
    """Load a price series; re-loading the same file adds nothing, and every repair is reported.

    Example: detente prices load ../shared/data/markets/brent-daily.csv --asset brent --unit USD/bbl
    """
    with _open() as db:
        load = db.load_prices(path, asset=asset, unit=unit, format=format, column=column, date_format=date_format)
    if state.as_json:
        _print_json(load.as_dict())
        return
    console.print(load_table(load))
    if load.repairs and show_repairs:
        table = Table(title=f"Repairs (first {min(show_repairs, len(load.repairs))} of {len(load.repairs)})",
                      header_style="bold")
        for column_name in ("kind", "where", "detail"):
            table.add_column(column_name, overflow="fold")
        for repair in load.repairs[:show_repairs]:
            table.add_row(repair.kind, repair.position, escape(repair.detail))
        console.print(table)


@prices_app.command("list")
def prices_list(
    repairs: Annotated[str | None, typer.Option(help="List the repairs made loading this asset instead.")] = None,
) -> None:
    """List the loaded price series (unit, frequency, extent, repairs).  Example: detente prices list"""
    with _open(read_only=True) as db:
        frame = db.price_repairs(repairs) if repairs else db.price_series()
    if state.as_json:
        _print_json(frame.to_dict("records"))
        return
    columns = ("kind", "position", "detail") if repairs else (
        "asset", "unit", "frequency", "rows", "first", "last", "repairs", "price_column", "source")
    table = Table(title=f"{len(frame)} {'repairs' if repairs else 'price series'}", header_style="bold")
    for column_name in columns:
        table.add_column(column_name, overflow="fold")
    for row in frame.itertuples():
        table.add_row(*(escape(Path(str(row.source)).name if c == "source" else cell(getattr(row, c)))
                        for c in columns))
    console.print(table)


@app.command()
def study(
    asset: Annotated[list[str], typer.Option(help="Asset(s) to study; repeat for several.")],
    events: Annotated[str | None, typer.Option(help="conflict[:STORYLINE], phases[:STORYLINE[:PHASE]], "
                                                    "jumps[:SCOPE[:N]] or reference[:CLASS|THEME].")] = None,
    dates: Annotated[str | None, typer.Option(help="Event dates: 2022-02-24,2022-03-29.")] = None,
    dates_file: Annotated[Path | None, typer.Option(help="CSV with a date column (label, id optional).")] = None,
    window: Annotated[list[str], typer.Option(help="Event window FIRST,LAST in trading days; repeat.")] = ["0,5"],
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
    method: Annotated[str, typer.Option(help="Index method: classic, classic-and, events, combined.")] = "combined",
    freq: Annotated[str, typer.Option(help="W (weeks) or M (months).")] = "W",
    window: Annotated[int, typer.Option(min=12, help="Rolling window, in periods.")] = 52,
    step: Annotated[int, typer.Option(min=1, help="Rolling step, in periods.")] = 4,
    index_csv: Annotated[Path | None, typer.Option(help="Use this CSV's index (date, value) instead of the stored one.")] = None,
    index_column: Annotated[str | None, typer.Option(help="The column of --index-csv to use.")] = None,
) -> None:
    """Betas of asset returns on risk-index changes (OLS, Newey–West errors), per asset and channel, and rolling.

    Example: detente betas --freq M --index-csv ../shared/data/reference/gpr_monthly_export.csv --index-column GPR
    """
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


@app.command()
def scenarios(
    storyline: Annotated[str, typer.Option(help="A storyline id from `detente stories`.")],
    save: Annotated[bool, typer.Option(help="Store the scenarios in the database.")] = True,
) -> None:
    """Scenarios of a storyline with probabilities, drivers and measured asset impacts.

    Example: detente scenarios --storyline s322d61a293
    """
    with _open(read_only=not save) as db:
        outlook = db.scenarios(storyline, save=save)
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
    for column_name in ("asset", *(s.name for s in outlook.scenarios), "probability-weighted"):
        impacts.add_column(column_name, overflow="fold")
    expected = outlook.expected.set_index("asset")
    unmeasured = []
    for position, asset in enumerate(i.asset for i in outlook.scenarios[0].asset_impacts):
        if all(s.asset_impacts[position].size is None for s in outlook.scenarios):
            unmeasured.append(asset)
            continue
        cells = []
        for s in outlook.scenarios:
            impact = s.asset_impacts[position]
            cells.append(f"{pct(impact.size)} [{pct(impact.interval_low)}, {pct(impact.interval_high)}]"
                         if impact.size is not None else f"prior {impact.direction:+d} (not measured)")
        e = expected.loc[asset]
        cells.append(f"{pct(e['expected'])} [{pct(e['low'])}, {pct(e['high'])}]" if e["expected"] is not None
                     and e["expected"] == e["expected"] else "")
        impacts.add_row(asset, *cells)
    impacts.caption = "CAR in log-return %, window [0,+5] trading days ([0,+1] months for monthly series)"
    console.print(impacts)
    if unmeasured:
        console.print(f"exposed but without prices (exposure-map priors only): {', '.join(unmeasured)}")
    analogues = outlook.analogues
    if not analogues.empty:
        used = analogues.drop_duplicates(["scenario", "id"])
        for name, group in used.groupby("scenario", sort=False):
            console.print(f"analogues of {name}: " + "; ".join(
                f"{r.id} ({cell(r.date)[:10]})" for r in group.itertuples()))
