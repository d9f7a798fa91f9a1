"""CLI verbs of market prices: ``prices load``, ``prices load-extra``, ``prices moves``, ``prices list``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from . import api
from .cli import _open, _print_json, app, cell, console, state
from .cli_markets import move_cell, pct

prices_app = typer.Typer(help="Load and list market price series.", no_args_is_help=True)
app.add_typer(prices_app, name="prices")


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
    format: Annotated[str | None, typer.Option("--format", help="csv, parquet or investing (an investing.com "
                                                                "export); from the suffix if omitted.")] = None,
    column: Annotated[str | None, typer.Option(help="Price column (default: Adj Close, Close, Price, Value).")] = None,
    date_format: Annotated[str | None, typer.Option(help="strftime format of the dates when not ISO (%m/%d/%y).")] = None,
    screen: Annotated[bool, typer.Option(help="Drop zero quotes and bad prints (spikes that come straight back), "
                                              "reported as repairs.")] = False,
    show_repairs: Annotated[int, typer.Option("--show-repairs", min=0, help="List this many repairs.")] = 10,
) -> None:
    """Load a price series; re-loading the same file adds nothing, and every repair is reported.

    Example: detente prices load ../shared/data/markets/brent-daily.csv --asset brent --unit USD/bbl
    """
    from .markets.loading import load_prices

    with _open() as db:
        load = load_prices(db.store, path, asset, unit, format=format, column=column, date_format=date_format,
                           screen=screen)
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


@prices_app.command("load-extra")
def prices_load_extra(
    directory: Annotated[Path, typer.Argument(help="Directory of the series (e.g. ../shared/data/markets/extra).")],
    manifest: Annotated[Path | None, typer.Option(help="YAML manifest (default: resources/market_series.yaml).")] = None,
    only: Annotated[list[str] | None, typer.Option(help="Load only these assets; repeat.")] = None,
) -> None:
    """Load every series a manifest names (file, unit, reader options), screened for bad prints; then compute
    the baskets and spreads of the exposure map.

    Example: detente prices load-extra ../shared/data/markets/extra
    """
    from .markets.extra import load_extra

    with _open() as db:
        done = load_extra(db.store, directory, manifest, only)
    if state.as_json:
        _print_json(done.as_dict())
        return
    table = Table(title=f"{len(done.loads)} series loaded from {escape(str(directory))}", header_style="bold")
    for column_name in ("asset", "unit", "rows", "first", "last", "added", "bad prints", "zero quotes", "gaps",
                        "other repairs"):
        table.add_column(column_name)
    for load in done.loads:
        kinds = [r.kind for r in load.repairs]
        table.add_row(load.asset, escape(load.unit), f"{load.rows_clean:,}", load.first, load.last, f"{load.added:,}",
                      str(kinds.count("bad_print")), str(kinds.count("zero_price")), str(kinds.count("gap")),
                      str(len(kinds) - kinds.count("bad_print") - kinds.count("zero_price") - kinds.count("gap")))
    console.print(table)
    for load in done.loads:
        for repair in load.repairs:
            if repair.kind in ("bad_print", "zero_price"):
                console.print(f"{repair.kind}: {load.asset} {repair.position}: {escape(repair.detail)}")
    for found in done.computed:
        console.print(f"computed {found['asset']}: {escape(str(found['definition']))} in {escape(str(found['unit']))}, "
                      f"{found['rows']:,} days {found['first']} … {found['last']}"
                      + (f" (missing: {', '.join(found['missing'])})" if found["missing"] else ""))
    for skipped in done.skipped:
        console.print(f"skipped {skipped['asset']}: {escape(skipped['reason'])}")


@prices_app.command("moves")
def prices_moves(
    start: Annotated[str, typer.Option("--from", help="First close: the last on or before this date.")],
    end: Annotated[str, typer.Option("--to", help="Last close: the last on or before this date.")],
    asset: Annotated[list[str] | None, typer.Option(help="Asset(s); default every loaded one of the exposure map.")] = None,
) -> None:
    """Close-to-close move of each channel's series between two dates (log return, or change for spreads).

    Example: detente prices moves --from 2022-02-23 --to 2022-03-08
    """
    from .markets.extra import run_moves

    with _open(read_only=True) as db:
        moves = run_moves(db.store, start, end, asset)
    if state.as_json:
        _print_json(moves.astype(object).where(moves.notna(), None).to_dict("records"))
        return
    table = Table(title=f"Moves, close {start} → close {end}", header_style="bold")
    for column_name in ("channel", "asset", "from", "to", "first", "last", "move", "simple"):
        table.add_column(column_name)
    for row in moves.itertuples():
        table.add_row(row.channel, row.asset, cell(row.start_date), cell(row.end_date), f"{row.start_value:,.4g}",
                      f"{row.end_value:,.4g}", move_cell(row.move, row.measure, row.unit),
                      pct(row.simple) if row.measure == "return" else "")
    table.caption = "move: log return, or change in the unit (bp for spreads); simple: P1/P0 − 1"
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


