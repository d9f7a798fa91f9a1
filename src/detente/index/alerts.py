"""Alert rules (a YAML file) and their evaluation: which alerts fire, with what evidence.

The rules file is documented in ``resources/alerts.yaml`` (the defaults
shipped). Evaluation is pure: it takes the frames the store gives
(storyline phases, ledger moves, first mentions of actors in storylines,
escalation rows, index points) and returns ``Alert`` records with stable
ids, so evaluating twice fires nothing new. Delivery is in ``alert_delivery``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import BadOption
from ..records import Alert

Kind = Literal["index_level", "index_jump", "phase", "new_actor", "ledger", "escalation"]


class Rule(BaseModel):
    """One rule of the alerts file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Kind
    scope: str = "global"
    measure: str = "combined"
    above: float | None = None
    k: float = Field(default=3.0, gt=0)
    history: int = Field(default=90, gt=1)
    min_history: int = Field(default=30, gt=1)
    phases: list[str] = []
    statuses: list[str] = ["broken"]
    min_articles: int = Field(default=10, ge=0)
    flags: list[str] = ["escalation"]


class Webhook(BaseModel):
    """Where and how to POST alerts."""

    model_config = ConfigDict(extra="forbid")

    url: str
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    retries: int = Field(default=3, ge=0, le=10)


class Delivery(BaseModel):
    """The channels alerts go to."""

    model_config = ConfigDict(extra="forbid")

    console: bool = True
    jsonl: str | None = None
    webhook: Webhook | None = None


class AlertRules(BaseModel):
    """A whole alerts file."""

    model_config = ConfigDict(extra="forbid")

    lookback_days: int = Field(default=30, ge=0)
    rules: list[Rule] = []
    deliver: Delivery = Delivery()


@cache
def default_rules_text() -> str:
    """The rules shipped with the package (``resources/alerts.yaml``)."""
    return resources.files("detente.resources").joinpath("alerts.yaml").read_text(encoding="utf-8")


def load_rules(path: str | Path | None = None) -> AlertRules:
    """Read and check an alerts file (the shipped defaults when ``path`` is None); ``BadOption`` if wrong."""
    if path is None:
        text, where = default_rules_text(), "the shipped alerts.yaml"
    else:
        file = Path(path)
        if not file.is_file():
            raise BadOption(f"no alerts file at {file}")
        text, where = file.read_text(encoding="utf-8", errors="replace"), str(file)
    try:
        return AlertRules.model_validate(yaml.safe_load(text) or {})
    except yaml.YAMLError as exc:
        raise BadOption(f"{where} is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise BadOption(f"{where}: {place}: {first['msg']}") from exc


def alert_id(rule: str, scope: str, day: dt.date, subject: str = "") -> str:
    """A stable alert id: the same rule firing on the same thing the same day is the same alert."""
    return hashlib.blake2b(f"{rule}|{scope}|{day}|{subject}".encode(), digest_size=10).hexdigest()


def _day(value) -> dt.date:
    return value.date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value


def _phase_alerts(rule: Rule, phases: pd.DataFrame, since: dt.date) -> list[Alert]:
    out = []
    for row in phases.itertuples():
        day = _day(row.phase_date)
        if day >= since and row.phase in rule.phases:
            out.append(Alert(
                id=alert_id(rule.name, row.storyline_id, day, row.phase), rule=rule.name, kind=rule.kind,
                scope=f"storyline:{row.storyline_id}", day=day, value=float(row.score),
                message=f"{row.label}: phase {row.phase}", evidence=tuple(json.loads(row.evidence))))
    return out


def _ledger_alerts(rule: Rule, ledger: pd.DataFrame, since: dt.date) -> list[Alert]:
    out = []
    for row in ledger.itertuples():
        day = _day(row.status_date)
        if day >= since and row.status in rule.statuses:
            who = " and ".join(str(x) for x in (row.actor, row.counterpart) if isinstance(x, str))
            out.append(Alert(
                id=alert_id(rule.name, row.storyline_id, day, row.signal_id), rule=rule.name, kind=rule.kind,
                scope=f"storyline:{row.storyline_id}", day=day,
                message=f"{row.kind} of {who or 'an unnamed party'} to {row.action or '?'}: {row.status} ({row.reason})",
                evidence=tuple(x for x in (row.signal_id, row.evidence_id) if isinstance(x, str))))
    return out


def _new_actor_alerts(rule: Rule, first_named: pd.DataFrame, since: dt.date) -> list[Alert]:
    out = []
    for row in first_named.itertuples():
        day = _day(row.first_published)
        if day >= since and row.articles_before >= rule.min_articles:
            out.append(Alert(
                id=alert_id(rule.name, row.storyline_id, day, row.actor), rule=rule.name, kind=rule.kind,
                scope=f"storyline:{row.storyline_id}", day=day, value=float(row.articles_before),
                message=f"{row.actor} named in {row.label} for the first time", evidence=(row.article_id,)))
    return out


def _escalation_alerts(rule: Rule, rows: pd.DataFrame, since: dt.date) -> list[Alert]:
    out = []
    for row in rows.itertuples():
        day = _day(row.date)
        if day >= since and row.flag in rule.flags:
            out.append(Alert(
                id=alert_id(rule.name, row.key, day, row.flag), rule=rule.name, kind=rule.kind, scope=row.key,
                day=day, value=float(row.z),
                message=f"{row.key}: {row.flag} (Goldstein {row.goldstein:+.1f} over {row.events} events, z {row.z:+.1f})",
                evidence=(f"escalation:{row.key}:{day}",)))
    return out


def _index_alerts(rule: Rule, points: pd.DataFrame, since: dt.date) -> list[Alert]:
    out = []
    series = points.sort_values("date")["value"].astype(float).reset_index(drop=True)
    days = [_day(d) for d in points.sort_values("date")["date"]]
    history = series.shift(1).rolling(rule.history, min_periods=rule.min_history)
    mean, std = history.mean(), history.std()
    for i, (day, value) in enumerate(zip(days, series)):
        if day < since:
            continue
        if rule.kind == "index_level" and rule.above is not None and value > rule.above:
            message = f"{rule.measure} index for {rule.scope} at {value:.1f}, above {rule.above:g}"
        elif rule.kind == "index_jump" and std[i] == std[i] and std[i] > 0 and value - mean[i] >= rule.k * std[i]:
            message = (f"{rule.measure} index for {rule.scope} jumped to {value:.1f}, "
                       f"{(value - mean[i]) / std[i]:.1f} standard deviations above its mean of {mean[i]:.1f}")
        else:
            continue
        out.append(Alert(id=alert_id(rule.name, rule.scope, day, rule.measure), rule=rule.name, kind=rule.kind,
                         scope=rule.scope, day=day, value=round(float(value), 3), message=message,
                         evidence=(f"index:{rule.scope}:{rule.measure}:{day}",)))
    return out


def evaluate(rules: AlertRules, inputs: dict[str, pd.DataFrame], today: dt.date) -> list[Alert]:
    """The alerts the rules fire on ``inputs`` within ``lookback_days`` of ``today`` (the data's last day).

    ``inputs`` has frames ``phases``, ``ledger``, ``first_named``, ``escalation`` and, per index rule,
    ``index:SCOPE:MEASURE`` (columns date, value).
    """
    since = today - dt.timedelta(days=rules.lookback_days)
    fired: dict[str, Alert] = {}
    for rule in rules.rules:
        if rule.kind == "phase":
            found = _phase_alerts(rule, inputs["phases"], since)
        elif rule.kind == "ledger":
            found = _ledger_alerts(rule, inputs["ledger"], since)
        elif rule.kind == "new_actor":
            found = _new_actor_alerts(rule, inputs["first_named"], since)
        elif rule.kind == "escalation":
            found = _escalation_alerts(rule, inputs["escalation"], since)
        else:
            points = inputs.get(f"index:{rule.scope}:{rule.measure}")
            found = _index_alerts(rule, points, since) if points is not None and not points.empty else []
        for alert in found:
            fired.setdefault(alert.id, alert)
    return sorted(fired.values(), key=lambda a: (a.day, a.rule, a.scope, a.id))
