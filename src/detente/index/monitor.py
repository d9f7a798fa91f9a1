"""The edge of escalation and alerts: read what they need from the store, evaluate, deliver, store.

``detente extract`` calls ``check_alerts`` after extraction and storylines;
``detente alerts --check`` calls it on demand.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pandas as pd

from ..errors import BadOption, NotEnoughData
from ..records import Alert
from ..store import Store
from .alert_delivery import deliver
from .alerts import AlertRules, evaluate
from .escalation import EscalationParams, dyad_daily, escalation, storyline_daily
from .risk import index_frame


def escalation_frame(store: Store, since: dt.date | None = None, params: EscalationParams | None = None,
                     by: str = "both") -> pd.DataFrame:
    """Escalation rows (key, date, goldstein, events, balance, trend, z, flag) per dyad and/or storyline."""
    events = store.escalation_events(since)
    parts = []
    if by in ("both", "dyad"):
        parts.append(escalation(dyad_daily(events), params))
    if by in ("both", "storyline"):
        parts.append(escalation(storyline_daily(events), params))
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else escalation(pd.DataFrame())


def _daily_index(store: Store, scope: str, method: str) -> pd.DataFrame:
    """The daily ``method`` index of ``scope`` (base = 100) as (date, value); empty when nothing is stored."""
    try:
        frame = index_frame(store, scope, method, "D")
    except (NotEnoughData, BadOption):
        return pd.DataFrame(columns=["date", "value"])
    return frame.rename(columns={"index": "value"})[["date", "value"]]


def check_alerts(store: Store, rules: AlertRules, echo: Callable[[str], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> list[Alert]:
    """Evaluate the rules on the data's last ``lookback_days``; deliver and store the alerts not fired before."""
    today = store.last_day()
    if today is None or not rules.rules:
        return []
    since = today - dt.timedelta(days=rules.lookback_days)
    inputs = store.alert_inputs(since)
    params = EscalationParams()
    if any(rule.kind == "escalation" for rule in rules.rules):
        inputs["escalation"] = escalation_frame(store, since - dt.timedelta(days=params.history_days + 30), params)
    for rule in rules.rules:
        if rule.kind in ("index_level", "index_jump"):
            inputs[f"index:{rule.scope}:{rule.measure}"] = _daily_index(store, rule.scope, rule.measure)
    fired = evaluate(rules, inputs, today)
    known = store.known_alerts([a.id for a in fired]) if fired else set()
    new = [a for a in fired if a.id not in known]
    delivered = deliver(new, rules.deliver, echo, sleep)
    store.write_alerts(new, delivered)
    return new
