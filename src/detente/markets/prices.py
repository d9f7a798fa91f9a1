"""Price series: from a raw table to a clean series with its repairs; returns; calendar alignment.

A price file comes in one of two forms (any number of assets, one a file):
``Date,Price`` (EIA, datasets/*) or the Yahoo form ``Date,Open,High,Low,
Close,Adj Close,Volume`` (or any subset of it). ``clean_prices`` reads either
from a table of text cells and returns the series plus every repair it
made — nothing is repaired silently. What cannot be repaired raises a
``PriceFileError``.

Returns are computed on the asset's own calendar: a missing or non-numeric
day is left out, so the next return spans the gap (the gap is reported
when loading). Log returns skip non-positive prices (WTI closed at
−36.98 USD on 2020-04-20), which have no logarithm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import AmbiguousDates, PriceFileError

#: Value columns in order of preference (lower case): dividend-adjusted close first, as returns need it.
VALUE_COLUMNS = ("adj close", "adj_close", "adjclose", "close", "price", "value", "settle", "last")
DATE_COLUMNS = ("date", "day", "time", "timestamp", "month", "period")
#: Date formats tried, in order; the one reading the most cells wins.
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m", "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%m/%d/%y",
                "%d/%m/%y", "%Y-%m-%d %H:%M:%S", "%d %b %Y", "%b %d, %Y", "%Y-%m-%dT%H:%M:%S")
MISSING = {"", "nan", "null", "none", "na", "n/a", "#n/a", ".", "-", "--"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
GAP_DAYS = {"D": 7, "W": 14, "M": 45}  # a gap longer than this many calendar days is reported


@dataclass(frozen=True)
class PriceRepair:
    """One repair made while cleaning a price file: what kind, where (line or dates), and the detail."""

    kind: str  # date_format, unsorted, duplicate, duplicate_conflict, non_numeric, bad_date, non_positive, gap
    position: str
    detail: str


@dataclass
class CleanPrices:
    """A clean series (columns date, value; sorted, one row a date) and how it was obtained."""

    prices: pd.DataFrame
    column: str
    date_format: str
    frequency: str  # D, W or M
    rows_read: int
    repairs: list[PriceRepair] = field(default_factory=list)

    def repair_counts(self) -> dict[str, int]:
        """How many repairs of each kind."""
        counts: dict[str, int] = {}
        for repair in self.repairs:
            counts[repair.kind] = counts.get(repair.kind, 0) + 1
        return counts


def _column(columns: list[str], wanted: str | None, choices: tuple[str, ...], what: str) -> str:
    lowered = {c.strip().lstrip("\ufeff").lower(): c for c in columns}
    if wanted:
        if wanted.lower() not in lowered:
            raise PriceFileError(f"no column {wanted!r} (columns: {', '.join(columns)})")
        return lowered[wanted.lower()]
    for choice in choices:
        if choice in lowered:
            return lowered[choice]
    raise PriceFileError(f"no {what} column: expected one of {', '.join(choices)} (columns: {', '.join(columns)}); "
                         f"name it with --column")


def parse_number(text: str) -> float | None:
    """A price cell as a number (``1,234.5``, ``12,5``, ``38.15``), or ``None`` if it is not one."""
    cell = text.strip().replace("\u00a0", "").replace(" ", "")
    if cell.lower() in MISSING:
        return None
    if _THOUSANDS.match(cell):
        cell = cell.replace(",", "")
    elif _DECIMAL_COMMA.match(cell):
        cell = cell.replace(",", ".")
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def parse_dates(cells: pd.Series, date_format: str | None = None) -> tuple[pd.Series, str]:
    """Dates of the cells (NaT where unreadable) and the format used: ``date_format`` or the best of ``DATE_FORMATS``.

    Day-first and month-first formats that read the same number of cells are
    ambiguous (``03/04/2022``): ``AmbiguousDates`` asks for ``--date-format``.
    """
    text = cells.astype(str).str.strip()
    if date_format:
        return pd.to_datetime(text, format=date_format, errors="coerce"), date_format
    read = {fmt: pd.to_datetime(text, format=fmt, errors="coerce") for fmt in DATE_FORMATS}
    counts = {fmt: int(parsed.notna().sum()) for fmt, parsed in read.items()}
    best = max(DATE_FORMATS, key=lambda fmt: counts[fmt])  # ties: the earlier (ISO first) wins
    if counts[best] == 0:
        raise PriceFileError(f"no date could be read (first cell {text.iloc[0]!r}); give --date-format, "
                             "e.g. %d/%m/%Y")
    for first, second in (("%d/%m/%Y", "%m/%d/%Y"), ("%d/%m/%y", "%m/%d/%y")):
        if best in (first, second) and counts[first] == counts[second] and not read[first].equals(read[second]):
            raise AmbiguousDates(f"dates such as {text.iloc[0]!r} read both day-first and month-first; "
                                 f"give --date-format {first} or {second}")
    return read[best], best


def infer_frequency(dates: pd.Series) -> str:
    """``D`` (trading days), ``W`` or ``M`` from the median spacing of sorted dates."""
    spacing = pd.Series(dates).diff().dt.days.median()
    return "M" if spacing >= 20 else "W" if spacing >= 5 else "D"


def clean_prices(raw: pd.DataFrame, column: str | None = None, date_format: str | None = None,
                 first_line: int = 2) -> CleanPrices:
    """Clean a price table of text cells into a series (date, value), reporting every repair.

    Repairs: rows with more cells than the header (``malformed_row``, listed
    by the reader in ``raw.attrs["malformed"]``), rows with an unreadable date or a non-numeric value are dropped
    (``bad_date``, ``non_numeric``); rows out of date order are sorted
    (``unsorted``); a date given twice keeps its last row (``duplicate``,
    or ``duplicate_conflict`` when the values differ); non-positive prices
    are kept and reported (``non_positive``); calendar gaps longer than
    ``GAP_DAYS`` are reported (``gap``); a date format other than ISO is
    reported (``date_format``). ``first_line`` is the file line of the first
    row (for positions). Raises ``PriceFileError`` when fewer than two
    prices remain.
    """
    if raw.empty:
        raise PriceFileError("the price file holds no rows")
    # the date column by name, else the first column (a file's first column is its date in both forms)
    date_col = next((c for c in raw.columns if c.strip().lstrip("\ufeff").lower() in DATE_COLUMNS), raw.columns[0])
    value_col = _column([c for c in raw.columns if c != date_col], column, VALUE_COLUMNS, "price")
    repairs = [PriceRepair("malformed_row", f"row {i + 1} of {len(raw.attrs['malformed'])}",
                           f"too many cells: {text!r}: row dropped")
               for i, text in enumerate(raw.attrs.get("malformed", []))]
    lines = np.arange(first_line, first_line + len(raw))  # without malformed rows: exact when there are none
    dates, fmt = parse_dates(raw[date_col], date_format)
    if fmt not in ("%Y-%m-%d", "%Y-%m"):
        repairs.append(PriceRepair("date_format", "all rows", f"dates read as {fmt}, not ISO yyyy-mm-dd"))
    values = np.array([parse_number(str(v)) for v in raw[value_col]], dtype=float)
    for line, cell in zip(lines[dates.isna().to_numpy()], raw[date_col][dates.isna()]):
        repairs.append(PriceRepair("bad_date", f"line {line}", f"date {str(cell)[:40]!r} unreadable: row dropped"))
    bad_value = np.isnan(values) & dates.notna().to_numpy()
    for line, cell in zip(lines[bad_value], raw[value_col][bad_value]):
        repairs.append(PriceRepair("non_numeric", f"line {line}",
                                   f"{value_col} {str(cell)[:40]!r} is not a number: row dropped"))
    frame = pd.DataFrame({"date": dates.dt.normalize(), "value": values, "line": lines})
    frame = frame[frame["date"].notna() & frame["value"].notna()]
    if not frame["date"].is_monotonic_increasing:
        if frame["date"].is_monotonic_decreasing:
            repairs.append(PriceRepair("unsorted", "all rows", "newest first: order reversed"))
        else:
            late = int((frame["date"].diff().dt.days < 0).sum())
            repairs.append(PriceRepair("unsorted", "several rows", f"{late} rows out of date order: sorted"))
        frame = frame.sort_values(["date", "line"], kind="stable")
    doubled = frame[frame["date"].duplicated(keep=False)]
    for day, group in doubled.groupby("date"):
        distinct = group["value"].nunique() > 1
        repairs.append(PriceRepair(
            "duplicate_conflict" if distinct else "duplicate", f"lines {', '.join(map(str, group['line']))}",
            f"{day:%Y-%m-%d} given {len(group)} times" + (f" with values {', '.join(f'{v:g}' for v in group['value'])}"
                                                           f": the last kept" if distinct else ": one kept")))
    frame = frame.drop_duplicates("date", keep="last")
    if len(frame) < 2:
        raise PriceFileError(f"{len(frame)} usable price row(s) in the file: a series needs at least two "
                             f"(column {value_col!r}; {len(repairs)} rows repaired or dropped)")
    for line, day, value in zip(frame["line"], frame["date"], frame["value"]):
        if value <= 0:
            repairs.append(PriceRepair("non_positive", f"line {line}",
                                       f"{day:%Y-%m-%d} price {value:g} ≤ 0: kept, left out of log returns"))
    frequency = infer_frequency(frame["date"])
    if fmt == "%Y-%m":
        frequency = "M"
    spacing = frame["date"].diff().dt.days.to_numpy()
    for i in np.flatnonzero(spacing > GAP_DAYS[frequency]):
        before, after = frame["date"].iloc[i - 1], frame["date"].iloc[i]
        repairs.append(PriceRepair("gap", f"{before:%Y-%m-%d} … {after:%Y-%m-%d}",
                                   f"no price for {int(spacing[i]) - 1} days: the next return spans the gap"))
    prices = frame[["date", "value"]].reset_index(drop=True)
    return CleanPrices(prices, value_col, fmt, frequency, len(raw), repairs)


def returns(prices: pd.Series, kind: str = "log") -> pd.Series:
    """Returns of a price series indexed by date: ``log`` (ln P_t − ln P_{t−1}) or ``simple`` (P_t / P_{t−1} − 1).

    The first date has no return and is left out. Log returns leave out
    non-positive prices (the return after one spans it).
    """
    series = prices.dropna().sort_index()
    if kind == "log":
        series = series[series > 0]
        result = np.log(series).diff()
    elif kind == "simple":
        result = series.pct_change()
    else:
        raise ValueError(f"return kind is log or simple, not {kind!r}")
    return result.iloc[1:]


def align(series: dict[str, pd.Series], how: str = "inner") -> pd.DataFrame:
    """Several series indexed by date as columns of one frame: ``inner`` keeps the dates all share,
    ``outer`` every date (missing values stay NaN: nothing is filled in)."""
    if not series:
        return pd.DataFrame()
    return pd.concat(series, axis=1, join=how).sort_index()


def event_positions(calendar: pd.DatetimeIndex | np.ndarray, dates: list | np.ndarray, frequency: str = "D") -> np.ndarray:
    """The position in ``calendar`` (sorted dates of a series) of each event date.

    Daily and weekly series: the first date on or after the event (an event
    on a weekend or holiday maps to the next trading day). Monthly series:
    the month holding the event (dates are the months' first days). An
    event after the last date gets ``len(calendar)``; before the first, −1
    for monthly series.
    """
    stamps = np.asarray(pd.DatetimeIndex(calendar).normalize().values)
    events = np.asarray(pd.DatetimeIndex(pd.to_datetime(list(dates))).normalize().values)
    if frequency == "M":
        return np.searchsorted(stamps, events, side="right") - 1
    return np.searchsorted(stamps, events, side="left")
