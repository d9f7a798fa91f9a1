"""Alert and escalation queries (mixed into both stores through ``SqlStore``; DuckDB and PostgreSQL SQL)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from ..records import Alert

_ACTOR = ("coalesce(m.country, CASE WHEN starts_with(m.actor_code, 'IGO') OR starts_with(m.actor_code, 'NGO') "
          "THEN m.actor_code END)")


class AlertTables:
    """What alert rules read, and the alerts table; expects ``self.con`` and ``self._insert_new``."""

    con: duckdb.DuckDBPyConnection

    def last_day(self) -> dt.date | None:
        """The publication day of the newest stored article (alerts look back from it)."""
        value = self.con.execute("SELECT max(published_at) FROM articles").fetchone()[0]
        return value.date() if value is not None else None

    def escalation_events(self, since: dt.date | None = None) -> pd.DataFrame:
        """Events with a date and a Goldstein score, with the storyline of their article."""
        return self.con.execute(
            "SELECT e.id, e.event_date, e.source_actor, e.target_actor, e.event_type, e.modality, e.goldstein, "
            "s.storyline_id FROM events e LEFT JOIN storyline_articles s ON s.article_id = e.article_id "
            "WHERE e.event_date IS NOT NULL AND e.goldstein IS NOT NULL "
            "AND e.event_date >= coalesce(?, DATE '0001-01-01') ORDER BY e.event_date, e.id",
            [since]).df()

    def alert_inputs(self, since: dt.date) -> dict[str, pd.DataFrame]:
        """Phase changes, ledger moves and first mentions of actors in storylines from ``since`` on."""
        return {
            "phases": self.con.execute(
                "SELECT p.storyline_id, p.phase_date, p.phase, p.score, p.evidence, l.label "
                "FROM storyline_phases p JOIN storylines l ON l.id = p.storyline_id "
                "WHERE p.phase_date >= ? ORDER BY p.phase_date, p.storyline_id", [since]).df(),
            "ledger": self.con.execute(
                "SELECT * FROM ledger WHERE status_date >= ? ORDER BY status_date, signal_id, status", [since]).df(),
            "first_named": self.con.execute(
                f"WITH named AS (SELECT s.storyline_id, {_ACTOR} AS actor, s.published_at, s.article_id "
                "FROM storyline_articles s JOIN mentions m ON m.article_id = s.article_id "
                f"WHERE s.storyline_id IS NOT NULL AND {_ACTOR} IS NOT NULL), "
                "firsts AS (SELECT storyline_id, actor, min(published_at) AS first_published, "
                "(array_agg(article_id ORDER BY published_at, article_id))[1] AS article_id "
                "FROM named GROUP BY storyline_id, actor) "
                "SELECT f.*, l.label, (SELECT count(*) FROM storyline_articles x WHERE x.storyline_id = f.storyline_id "
                "AND x.published_at < f.first_published) AS articles_before FROM firsts f "
                "JOIN storylines l ON l.id = f.storyline_id WHERE f.first_published >= ? "
                "ORDER BY f.first_published, f.storyline_id, f.actor", [since]).df(),
        }

    def write_alerts(self, alerts: list[Alert], delivered: dict[str, dict[str, str]]) -> int:
        """Store alerts not stored yet; return how many were new."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return self._insert_new("alerts", [
            {"id": a.id, "rule": a.rule, "kind": a.kind, "scope": a.scope, "alert_date": a.day,
             "message": a.message, "value": a.value, "evidence": json.dumps(list(a.evidence)), "fired_at": now,
             "delivered": json.dumps(delivered.get(a.id, {}))} for a in alerts])

    def known_alerts(self, ids: list[str]) -> set[str]:
        """Which of these alert ids are already stored."""
        rows = self.con.execute("SELECT id FROM alerts WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
        return {row[0] for row in rows}

    def alerts(self, *, since: dt.date | None = None, rule: str | None = None, limit: int = 50) -> pd.DataFrame:
        """Fired alerts, newest first."""
        return self.con.execute(
            "SELECT alert_date, rule, kind, scope, message, value, evidence, delivered, fired_at, id FROM alerts "
            "WHERE alert_date >= coalesce(?, DATE '0001-01-01') AND (? IS NULL OR rule = ?) "
            "ORDER BY alert_date DESC, fired_at DESC, id LIMIT ?", [since, rule, rule, limit]).df()
