"""The event-based risk index: coded threats and acts, weighted by Goldstein intensity.

Where the classic index (``gpr.py``) reads keywords, this one reads the
events Détente coded: threats (THREATEN, MOBILIZE, COERCE, SANCTION, and
violence that is only announced or hypothetical) and acts (ASSAULT, FIGHT
held to have happened), counted only when they are geopolitical in the
sense of Caldara and Iacoviello (AER 2022, section I: wars, terrorism and
tensions among states and political actors) and not retrospective. The
rules are data in ``resources/event_index.yaml``.

Each article is weighted by the Goldstein intensity (|score| / 10, Goldstein
1992) of its strongest counted event, and the index is the day's sum of
weights over the day's article count, normalised like the classic index
(``series.py``). Counting articles, not events, follows the paper: one story
reporting five strikes is one article. The aggregation over the whole store
runs as SQL in the store (``store/duckdb_index.py``); the functions here are
the same rules on one event, for explanations and tests.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

import pycountry
import yaml

from ..store.base import IndexRules


@cache
def index_rules() -> IndexRules:
    """Load ``resources/event_index.yaml`` (once), with the ISO 3166 alpha-3 codes from pycountry."""
    text = resources.files("detente.resources").joinpath("event_index.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return IndexRules(
        threat_types=tuple(raw["threats"]["event_types"]),
        threat_modalities=tuple(raw["threats"]["modalities"]),
        announced_act_modalities=tuple(raw["threats"]["announced_acts_modalities"]),
        act_types=tuple(raw["acts"]["event_types"]),
        act_modalities=tuple(raw["acts"]["modalities"]),
        armed_sectors=tuple(raw["armed_sectors"]),
        organisation_prefixes=tuple(raw["organisation_prefixes"]),
        countries=tuple(sorted(c.alpha_3 for c in pycountry.countries)),
        retrospective_days=int(raw["retrospective_days"]),
    )


def event_kind(event_type: str, modality: str, rules: IndexRules | None = None) -> str | None:
    """``"threat"``, ``"act"`` or ``None``: what an event of this type and modality counts as."""
    rules = rules or index_rules()
    if event_type in rules.threat_types and modality in rules.threat_modalities:
        return "threat"
    if event_type in rules.act_types:
        if modality in rules.act_modalities:
            return "act"
        if modality in rules.announced_act_modalities:
            return "threat"
    return None


def actor_country(code: str | None, rules: IndexRules | None = None) -> str | None:
    """The country an actor code names: its first three letters when they are an ISO 3166 alpha-3 code."""
    rules = rules or index_rules()
    if not code or len(code) < 3:
        return None
    prefix = code[:3].upper()
    return prefix if prefix in set(rules.countries) else None


def is_armed_or_organisation(code: str | None, rules: IndexRules | None = None) -> bool:
    """Whether an actor code is an armed force or agency (``MIL``, ``USAMIL``) or an IGO."""
    rules = rules or index_rules()
    if not code:
        return False
    code = code.upper()
    if code.startswith(rules.organisation_prefixes):
        return True
    return code[:3] in rules.armed_sectors or code[3:6] in rules.armed_sectors


def event_countries(source: str | None, target: str | None, place_country: str | None,
                    rules: IndexRules | None = None) -> tuple[str, ...]:
    """The countries an event counts for: those of its actors and of its place, sorted, once each."""
    found = {actor_country(source, rules), actor_country(target, rules), place_country or None}
    return tuple(sorted(c for c in found if c))


def is_geopolitical(source: str | None, target: str | None, place_country: str | None,
                    rules: IndexRules | None = None) -> bool:
    """Whether an event is geopolitical: two countries named, or an armed force, agency or IGO among its actors."""
    return (len(event_countries(source, target, place_country, rules)) >= 2
            or is_armed_or_organisation(source, rules) or is_armed_or_organisation(target, rules))


def event_weight(goldstein: float | None) -> float:
    """The Goldstein intensity of an event, |score| / 10, in [0, 1] (0 when the score is unknown)."""
    if goldstein is None or math.isnan(goldstein):
        return 0.0
    return min(abs(float(goldstein)) / 10.0, 1.0)
