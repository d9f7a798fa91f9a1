"""The edge of prices: read a CSV or Parquet price file, clean it (and screen it), store it; read stored series back.

``--format investing`` reads an investing.com export (``Date,Price,Open,
High,Low,Vol.,Change %``: M/D/YY dates newest first, ``4.25K`` volumes,
``5.47%`` changes) through the same reader: the ``Price`` column and the
``%m/%d/%y`` dates are taken, the newest-first order is reported as a repair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import BadOption, InputNotFound, NotEnoughData, PriceFileError, UnknownFormat
from ..store import Store
from .derived import measure_of
from .prices import PriceRepair, clean_prices
from .quality import screen_prices

FORMATS = ("csv", "parquet")
#: Vendor layouts read as CSV with a fixed price column and date format.
PRESETS = {"investing": {"column": "Price", "date_format": "%m/%d/%y"}}
MAX_FILE_BYTES = 200 * 1024 * 1024
_ASSET = re.compile(r"^[a-z0-9][a-z0-9_.\-=^]{0,63}$")


@dataclass
class PriceLoad:
    """What loading one price file did."""

    asset: str
    path: str
    column: str
    date_format: str
    frequency: str
    unit: str
    rows_read: int
    rows_clean: int
    added: int
    already_stored: int
    conflicts: int  # dates already stored with another value (the stored one is kept)
    first: str
    last: str
    repairs: list[PriceRepair] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The summary as plain values (for ``--json``)."""
        return {**{k: v for k, v in self.__dict__.items() if k != "repairs"},
                "repairs": [r.__dict__ for r in self.repairs]}


def asset_name(name: str) -> str:
    """The stored form of an asset name (lower case; ``henry-hub`` → ``henry_hub``), or ``BadOption``."""
    clean = (name or "").strip().lower().replace("-", "_").replace(" ", "_")
    if not _ASSET.match(clean):
        raise BadOption(f"--asset {name!r}: use letters, digits, _ . = ^ (e.g. brent, ttf, zw=f)")
    return clean


def read_price_table(path: Path, format: str | None = None) -> pd.DataFrame:
    """The file's cells as text (CSV, comma or semicolon separated, or Parquet)."""
    if not path.is_file():
        raise InputNotFound(f"no price file at {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise PriceFileError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB")
    kind = (format or path.suffix.lstrip(".") or "csv").lower()
    if kind in ("txt", "tsv") or kind in PRESETS:
        kind = "csv"
    if kind not in FORMATS:
        raise UnknownFormat(f"--format takes {', '.join((*FORMATS, *PRESETS))}, not {kind!r}")
    if kind == "parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise PriceFileError(f"{path} is not a readable Parquet file: {exc}") from exc
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.strftime("%Y-%m-%d")
        return frame.astype(str).reset_index(drop=True)
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            head = handle.readline()
        sep = ";" if head.count(";") > head.count(",") else "\t" if head.count("\t") > head.count(",") else ","
        malformed: list[str] = []

        def keep_aside(fields: list[str]) -> None:  # a row with too many cells is reported, not guessed at
            malformed.append(",".join(fields)[:60])

        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            encoding_errors="replace", skip_blank_lines=True, on_bad_lines=keep_aside,
                            engine="python")
        frame.attrs["malformed"] = malformed
        return frame
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PriceFileError(f"{path} is not a readable CSV price file: {exc}") from exc


def load_prices(store: Store, path: str | Path, asset: str, unit: str, *, format: str | None = None,
                column: str | None = None, date_format: str | None = None, screen: bool = False) -> PriceLoad:
    """Load one price file into the store (idempotent: dates already stored are not added again).

    ``format`` is csv, parquet or a vendor preset (``investing``). With
    ``screen``, zero quotes and bad prints are dropped and reported
    (``markets.quality``); their measure (returns or changes) follows ``unit``.
    """
    path = Path(path).expanduser()
    name = asset_name(asset)
    if not unit or not unit.strip():
        raise BadOption("--unit is required (USD/bbl, USD/MMBtu, EUR/MWh, percent, index ...)")
    preset = PRESETS.get((format or "").lower(), {})
    clean = clean_prices(read_price_table(path, format), column=column or preset.get("column"),
                         date_format=date_format or preset.get("date_format"))
    if screen:
        clean = screen_prices(clean, measure_of(unit))
    series = {"unit": unit.strip(), "frequency": clean.frequency, "source": str(path.resolve()),
              "price_column": clean.column}
    repairs = [{"kind": r.kind, "position": r.position, "detail": r.detail} for r in clean.repairs]
    added, conflicts = store.write_prices(name, clean.prices, series, repairs)
    return PriceLoad(
        asset=name, path=str(path), column=clean.column, date_format=clean.date_format, frequency=clean.frequency,
        unit=unit.strip(), rows_read=clean.rows_read, rows_clean=len(clean.prices), added=added,
        already_stored=len(clean.prices) - added, conflicts=conflicts,
        first=f"{clean.prices['date'].iloc[0]:%Y-%m-%d}", last=f"{clean.prices['date'].iloc[-1]:%Y-%m-%d}",
        repairs=clean.repairs)


def stored_prices(store: Store, assets: list[str]) -> tuple[dict[str, pd.Series], dict[str, str]]:
    """Each asset's stored prices (a series indexed by date) and its frequency; ``NotEnoughData`` if one is missing."""
    names = [asset_name(a) for a in assets]
    known = store.price_series()
    frequency = dict(zip(known["asset"], known["frequency"]))
    missing = [a for a in names if a not in frequency]
    if missing:
        loaded = ", ".join(sorted(frequency)) or "none"
        raise NotEnoughData(f"no prices loaded for {', '.join(missing)} (loaded: {loaded}); "
                            "run `detente prices load FILE --asset NAME --unit UNIT`")
    frame = store.prices(names)
    series = {a: pd.Series(g["value"].to_numpy(), index=pd.DatetimeIndex(pd.to_datetime(g["date"])), name=a)
              for a, g in frame.groupby("asset", sort=False)}
    return {a: series[a] for a in names}, {a: frequency[a] for a in names}
