"""The exposure map (``resources/exposures.yaml``): assets by channel, expected signs per storyline theme,
and the computed assets (baskets, spreads) with their members."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import BadOption


@dataclass(frozen=True)
class Exposure:
    """One asset's expected reaction under a theme: +1 up, −1 down, 0 no prior."""

    asset: str
    channel: str
    label: str
    unit: str
    escalation: int
    de_escalation: int

    def sign(self, direction: str) -> int:
        """The expected sign for ``escalation`` or ``de_escalation``."""
        return self.escalation if direction == "escalation" else self.de_escalation


@dataclass(frozen=True)
class ExposureMap:
    """Channels, assets and themes of the exposure map."""

    channels: dict[str, str]
    assets: dict[str, dict[str, str]]
    themes: dict[str, dict]

    def theme_of(self, actors: list[str] | tuple[str, ...]) -> str:
        """The first theme naming one of ``actors`` (country codes), else ``default``."""
        codes = {str(a)[:3].upper() for a in actors}
        for name, theme in self.themes.items():
            if codes & set(theme.get("actors") or []):
                return name
        return "default"

    def exposures(self, theme: str) -> list[Exposure]:
        """The assets exposed under ``theme``, in the order of the file."""
        if theme not in self.themes:
            raise BadOption(f"no theme {theme!r} in the exposure map (themes: {', '.join(self.themes)})")
        found = []
        for asset, signs in (self.themes[theme].get("signs") or {}).items():
            meta = self.assets.get(asset, {})
            found.append(Exposure(asset, meta.get("channel", "other"), meta.get("label", asset), meta.get("unit", ""),
                                  int(signs.get("escalation", 0)), int(signs.get("de_escalation", 0))))
        return found

    def computed(self) -> dict[str, tuple[str, list[str]]]:
        """The computed assets: name → (``basket`` or ``spread``, member asset names), in the order of the file."""
        return {asset: (kind, list(meta[kind])) for asset, meta in self.assets.items()
                for kind in ("basket", "spread") if kind in meta}

    def channel_of(self, asset: str) -> str:
        """The channel of an asset (``other`` if the map does not list it)."""
        return self.assets.get(asset, {}).get("channel", "other")


def parse_exposure_map(text: str, origin: str = "exposures.yaml") -> ExposureMap:
    """Read and check an exposure map; ``BadOption`` says what is wrong in it."""
    raw = yaml.safe_load(text) or {}
    for key in ("channels", "assets", "themes"):
        if not isinstance(raw.get(key), dict):
            raise BadOption(f"{origin}: a mapping `{key}:` is required")
    for asset, meta in raw["assets"].items():
        if not isinstance(meta, dict) or meta.get("channel") not in raw["channels"]:
            raise BadOption(f"{origin}: asset {asset!r} needs a `channel:` listed under `channels:`")
        members = meta.get("basket", meta.get("spread"))
        if members is not None and (not isinstance(members, list) or not members
                                    or ("spread" in meta and len(members) != 2)):
            raise BadOption(f"{origin}: asset {asset!r}: `basket:` lists members, `spread:` exactly two yields")
    for name, theme in raw["themes"].items():
        for asset, signs in ((theme or {}).get("signs") or {}).items():
            if not isinstance(signs, dict) or any(signs.get(k, 0) not in (-1, 0, 1)
                                                  for k in ("escalation", "de_escalation")):
                raise BadOption(f"{origin}: theme {name!r}, asset {asset!r}: signs are -1, 0 or 1")
    if "default" not in raw["themes"]:
        raise BadOption(f"{origin}: a `default` theme is required")
    return ExposureMap(raw["channels"], raw["assets"], raw["themes"])


@cache
def exposure_map(path: str | None = None) -> ExposureMap:
    """The exposure map shipped with the package, or the one at ``path`` (loaded once)."""
    if path:
        return parse_exposure_map(Path(path).read_text(encoding="utf-8"), path)
    text = resources.files("detente.resources").joinpath("exposures.yaml").read_text(encoding="utf-8")
    return parse_exposure_map(text)
