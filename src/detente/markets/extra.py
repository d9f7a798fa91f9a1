"""The edge of many series at once: load a directory of price files by a manifest, compute baskets and spreads.

The manifest (``resources/market_series.yaml`` by default, or a YAML file
of the same form) names each asset's file relative to the directory, its
unit and its reader options. Every file goes through ``load_prices`` with
screening on unless the entry says ``screen: false``, so zero quotes and
bad prints are dropped and reported (``markets.quality``). The computed
assets of the exposure map (``basket:`` and ``spread:``) are then built from
the stored, screened members (``markets.derived``) and stored like any
other series, with their definition as their source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from ..errors import BadOption, InputNotFound
from ..store import Store
from .derived import basket_level, measure_of, spread_bp, window_moves
from .exposures import exposure_map
from .loading import PriceLoad, asset_name, load_prices, stored_prices

OPTIONS = {"file", "unit", "format", "column", "date_format", "screen"}


@dataclass
class ExtraLoad:
    """What loading a directory did: one ``PriceLoad`` per file, the computed series, what was skipped."""

    loads: list[PriceLoad] = field(default_factory=list)
    computed: list[dict[str, object]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Plain values (for ``--json``)."""
        return {"loads": [x.as_dict() for x in self.loads], "computed": self.computed, "skipped": self.skipped}


def parse_manifest(text: str, origin: str = "market_series.yaml") -> dict[str, dict[str, object]]:
    """The manifest's entries (asset → options); ``BadOption`` says what is wrong with it."""
    raw = yaml.safe_load(text) or {}
    entries = raw.get("series")
    if not isinstance(entries, dict) or not entries:
        raise BadOption(f"{origin}: a mapping `series:` of asset: {{file: ..., unit: ...}} is required")
    for asset, entry in entries.items():
        if not isinstance(entry, dict) or not entry.get("file") or not entry.get("unit"):
            raise BadOption(f"{origin}: series {asset!r} needs `file:` and `unit:`")
        unknown = set(entry) - OPTIONS
        if unknown:
            raise BadOption(f"{origin}: series {asset!r}: unknown option(s) {', '.join(sorted(unknown))}")
    return {asset_name(a): e for a, e in entries.items()}


@cache
def default_manifest() -> dict[str, dict[str, object]]:
    """The manifest shipped with the package (``resources/market_series.yaml``), loaded once."""
    return parse_manifest(resources.files("detente.resources").joinpath("market_series.yaml").read_text("utf-8"))


def load_extra(store: Store, directory: str | Path, manifest: str | Path | None = None,
               only: list[str] | None = None) -> ExtraLoad:
    """Load the manifest's files found under ``directory`` (all, or the assets in ``only``), then the computed series."""
    root = Path(directory).expanduser()
    if not root.is_dir():
        raise InputNotFound(f"no directory {root}")
    entries = parse_manifest(Path(manifest).read_text("utf-8"), str(manifest)) if manifest else default_manifest()
    wanted = {asset_name(a) for a in only} if only else None
    done = ExtraLoad()
    for asset, entry in entries.items():
        if wanted is not None and asset not in wanted:
            continue
        path = root / str(entry["file"])
        if not path.is_file():
            done.skipped.append({"asset": asset, "reason": f"no file {path}"})
            continue
        done.loads.append(load_prices(store, path, asset, str(entry["unit"]), format=entry.get("format"),
                                      column=entry.get("column"), date_format=entry.get("date_format"),
                                      screen=bool(entry.get("screen", True))))
    done.computed, skipped = store_computed(store)
    done.skipped.extend(skipped)
    return done


def store_computed(store: Store) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
    """Compute and store every basket and spread of the exposure map whose members are loaded (one member of a
    basket may be missing: it is named); return what was computed and what was skipped."""
    mapping = exposure_map()
    loaded = set(store.price_series()["asset"])
    computed, skipped = [], []
    for asset, (kind, members) in mapping.computed().items():
        present = [m for m in members if m in loaded]
        if (kind == "spread" and len(present) < 2) or not present:
            skipped.append({"asset": asset, "reason": f"{kind} members not loaded: "
                                                      f"{', '.join(m for m in members if m not in loaded)}"})
            continue
        prices, _ = stored_prices(store, present)
        level = basket_level(prices) if kind == "basket" else spread_bp(prices[members[0]], prices[members[1]])
        meta = mapping.assets[asset]
        definition = f"{kind} of {', '.join(present)}" if kind == "basket" else f"({members[0]} − {members[1]}) × 100"
        missing = [m for m in members if m not in loaded]
        repairs = [{"kind": "member_missing", "position": m, "detail": f"{m} not loaded: the basket is the mean of "
                                                                       "the others"} for m in missing]
        frame = pd.DataFrame({"date": level.index, "value": level.to_numpy()})
        added, _ = store.write_prices(asset, frame, {"unit": meta.get("unit", ""), "frequency": "D",
                                                     "source": f"computed: {definition}", "price_column": kind},
                                      repairs)
        computed.append({"asset": asset, "kind": kind, "definition": definition, "unit": meta.get("unit", ""),
                         "rows": len(frame), "added": added, "first": f"{level.index[0]:%Y-%m-%d}",
                         "last": f"{level.index[-1]:%Y-%m-%d}", "missing": missing})
    return computed, skipped


def stored_measures(store: Store) -> dict[str, str]:
    """Each stored asset's measure (``return`` or ``change``), from its unit."""
    known = store.price_series()
    return {a: measure_of(u) for a, u in zip(known["asset"], known["unit"])}


def run_moves(store: Store, start: str, end: str, assets: list[str] | None = None) -> pd.DataFrame:
    """Close-to-close moves of stored assets (default: every one in the exposure map) from ``start`` to ``end``,
    with channel, label and unit; the rows in the exposure map's order."""
    mapping = exposure_map()
    measures = stored_measures(store)
    names = [asset_name(a) for a in assets] if assets else [a for a in mapping.assets if a in measures]
    names = [a for a in names if a in measures]
    if not names:
        return pd.DataFrame()
    prices, _ = stored_prices(store, names)
    moves = window_moves(prices, measures, start, end)
    moves["channel"] = [mapping.channel_of(a) for a in moves["asset"]]
    moves["label"] = [mapping.assets.get(a, {}).get("label", a) for a in moves["asset"]]
    units = dict(zip(store.price_series()["asset"], store.price_series()["unit"]))
    moves["unit"] = [units.get(a, "") for a in moves["asset"]]
    return moves
