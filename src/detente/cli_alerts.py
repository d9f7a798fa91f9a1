"""CLI verbs of escalation and alerts: ``escalation``, ``alerts``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .api import parse_user_date
from .cli import _open, _print_json, app, cell, console, errors_console, state


def run_alerts(db, rules_path: str | Path | None = None) -> list:
    """Evaluate the alert rules, deliver and store what fires; print each new alert on the console channel."""
    from .index.alerts import load_rules
    from .index.monitor import check_alerts

    rules = load_rules(rules_path or db.settings.alerts)
    echo = None if state.as_json else (lambda line: errors_console.print(escape(line), style="yellow"))
    return check_alerts(db.store, rules, echo=echo)


@app.command()
def alerts(
    check: Annotated[bool, typer.Option("--check", help="Evaluate the rules now (deliver and store new alerts).")] = False,
    rules: Annotated[Path | None, typer.Option(help="Alert rules (YAML); default DETENTE_ALERTS or the shipped ones.")] = None,
    since: Annotated[str | None, typer.Option(help="Alerts on or after this day.")] = None,
    rule: Annotated[str | None, typer.Option(help="Only alerts of this rule name.")] = None,
    limit: Annotated[int, typer.Option(min=0, max=100_000)] = 50,
) -> None:
    """List fired alerts with their evidence (and, with --check, evaluate the rules first).

    Example: detente alerts --check --rules my-alerts.yaml
    """
    with _open(read_only=not check) as db:
        fired = run_alerts(db, rules) if check else []
        when = parse_user_date(since, "--since")
        frame = db.store.alerts(since=when.date() if when else None, rule=rule, limit=limit)
    if state.as_json:
        _print_json({"fired_now": len(fired), "alerts": frame.to_dict("records")})
        return
    table = Table(title=f"{len(frame)} alerts" + (f" ({len(fired)} new)" if check else ""), header_style="bold")
    for column in ("day", "rule", "scope", "message", "evidence"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples():
        table.add_row(cell(row.alert_date), escape(row.rule), escape(row.scope), escape(row.message),
                      escape(row.evidence))
    console.print(table)


@app.command("escalation")
def escalation_cmd(
    key: Annotated[str | None, typer.Argument(help="A dyad (RUS~UKR) or storyline:ID; none: rank them all.")] = None,
    by: Annotated[str, typer.Option(help="Rank dyads, storylines or both.")] = "both",
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days shown for one key; activity window for ranking.")] = 30,
    limit: Annotated[int, typer.Option(min=0, max=10_000)] = 15,
) -> None:
    """Conflict–cooperation balance per dyad and storyline (Goldstein, decayed), its trend and flags.

    Example: detente escalation RUS~UKR --days 60
    """
    from .errors import BadOption
    from .index.escalation import latest
    from .index.monitor import escalation_frame

    if by not in ("both", "dyad", "storyline"):
        raise BadOption("--by takes dyad, storyline or both")
    with _open(read_only=True) as db:
        frame = escalation_frame(db.store, by=by)
    if key:
        frame = frame[frame["key"] == key].tail(days)
        if frame.empty:
            raise BadOption(f"no events for {key!r}; keys look like RUS~UKR or storyline:ID")
        title = f"Escalation of {key}, last {len(frame)} days"
    else:
        recent = frame[frame["events"] > 0]
        if not recent.empty:
            recent = recent[recent["date"] >= max(recent["date"]) - dt.timedelta(days=days)]
        frame = latest(frame[frame["key"].isin(set(recent["key"]))]).head(limit)
        title = f"Most escalated dyads and storylines (active in the last {days} days of data)"
    if state.as_json:
        _print_json(frame.to_dict("records"))
        return
    table = Table(title=title, header_style="bold")
    for column in ("key", "date", "events", "goldstein", "balance", "trend", "z", "flag"):
        table.add_column(column, justify="right" if column in ("events", "goldstein", "balance", "trend", "z") else "left")
    for row in frame.itertuples():
        table.add_row(row.key, cell(row.date), f"{row.events}", f"{row.goldstein:+.1f}", f"{row.balance:+.1f}",
                      f"{row.trend:+.1f}", f"{row.z:+.1f}", row.flag)
    console.print(table)
