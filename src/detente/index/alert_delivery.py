"""Deliver fired alerts: the console, a JSON Lines file, an HTTP webhook (POST, timeout, retries).

A channel that fails does not stop the others, and never raises: each alert
comes back with what happened on each channel (``"ok"`` or the error), which
the store keeps with the alert.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from ..records import Alert
from .alerts import Delivery


def alert_json(alert: Alert) -> dict:
    """An alert as plain JSON values."""
    return alert.model_dump(mode="json")


def post_with_retries(url: str, payload: dict, timeout_s: float, retries: int,
                      sleep: Callable[[float], None] = time.sleep) -> str:
    """POST ``payload`` as JSON; retry on connection errors and 5xx with exponential back-off (0.5 s, 1 s, 2 s …).

    Returns ``"ok"`` or the last error; a 4xx answer is not retried (the
    receiver refused the alert, sending it again will not help).
    """
    error = "not sent"
    for attempt in range(retries + 1):
        if attempt:
            sleep(0.5 * 2 ** (attempt - 1))
        try:
            response = httpx.post(url, json=payload, timeout=timeout_s)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
            continue
        if response.status_code < 300:
            return "ok"
        error = f"HTTP {response.status_code}"
        if response.status_code < 500:
            break
    return error


def deliver(alerts: list[Alert], delivery: Delivery, echo: Callable[[str], None] | None = None,
            sleep: Callable[[float], None] = time.sleep) -> dict[str, dict[str, str]]:
    """Send each alert to every configured channel; return alert id -> channel -> outcome."""
    outcome: dict[str, dict[str, str]] = {alert.id: {} for alert in alerts}
    if not alerts:
        return outcome
    if delivery.console and echo is not None:
        for alert in alerts:
            echo(f"[alert] {alert.day} {alert.rule}: {alert.message}")
            outcome[alert.id]["console"] = "ok"
    if delivery.jsonl:
        try:
            path = Path(delivery.jsonl).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                for alert in alerts:
                    handle.write(json.dumps(alert_json(alert), ensure_ascii=False) + "\n")
            result = "ok"
        except OSError as exc:
            result = f"{type(exc).__name__}: {exc}"
        for alert in alerts:
            outcome[alert.id]["jsonl"] = result
    if delivery.webhook:
        hook = delivery.webhook
        for alert in alerts:
            outcome[alert.id]["webhook"] = post_with_retries(hook.url, alert_json(alert), hook.timeout_s,
                                                             hook.retries, sleep)
    return outcome
