"""Storyline tables: what the storyline stage reads and writes (mixed into both stores through ``SqlStore``;
the SQL runs on DuckDB and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from .base import StorylineBatch

_IGO = "CASE WHEN starts_with(actor_code, 'IGO') OR starts_with(actor_code, 'NGO') THEN actor_code END"
_EVENT_FIELDS = ("e.id, e.article_id, e.event_date, e.source_actor, e.target_actor, e.event_type, e.cameo_code, "
                 "e.modality, e.confidence, e.goldstein")
_SIGNAL_FIELDS = ("g.id, g.article_id, g.sentence_index, g.kind, g.actor, g.counterpart, g.value, g.label, "
                  "g.issue, g.stance, g.due, g.status, g.quote, g.span_start, g.span_end")


class StorylineTables:
    """Queries of the storyline tables; expects ``self.con`` and ``self._insert_new`` of the store."""

    con: duckdb.DuckDBPyConnection

    # -- what the storyline stage reads ----------------------------------------

    def storyline_inputs(self, limit: int) -> dict[str, pd.DataFrame]:
        """The next ``limit`` extracted articles in no storyline yet (publication order), with what they name.

        Returns frames ``articles`` (id, published_at, lead), ``mentions``
        (article_id, actor: country or organisation code), ``events`` and
        ``signals`` of those articles.
        """
        articles = self.con.execute(
            "SELECT a.id, a.published_at, a.title || '\n\n' || left(a.body, 4000) AS lead FROM articles a "
            "JOIN extractions x ON x.article_id = a.id "
            "LEFT JOIN storyline_articles s ON s.article_id = a.id WHERE s.article_id IS NULL "
            "ORDER BY a.published_at, a.id LIMIT ?", [limit]).df()
        ids = articles["id"].tolist()
        return {"articles": articles, **self._article_records(ids)}

    def _article_records(self, ids: list[str]) -> dict[str, pd.DataFrame]:
        return {
            "mentions": self.con.execute(
                f"SELECT article_id, coalesce(country, {_IGO}) AS actor FROM mentions "
                f"WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND coalesce(country, {_IGO}) IS NOT NULL "
                "ORDER BY article_id, span_start, span_end", [ids]).df(),
            "events": self.con.execute(
                f"SELECT {_EVENT_FIELDS} FROM events e WHERE e.article_id IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY e.article_id, e.sentence_index, e.trigger_start, e.id", [ids]).df(),
            "signals": self.con.execute(
                f"SELECT {_SIGNAL_FIELDS} FROM signals g WHERE g.article_id IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY g.article_id, g.sentence_index, g.span_start, g.id", [ids]).df(),
        }

    def storyline_state(self, limit: int) -> pd.DataFrame:
        """The ``limit`` most recently active storylines (not merged away), to resume assignment from."""
        return self.con.execute(
            "SELECT * FROM storylines WHERE merged_into IS NULL ORDER BY last_published DESC, id LIMIT ?",
            [limit]).df()

    def storyline_evidence(self, storyline_ids: list[str], days: int) -> dict[str, pd.DataFrame]:
        """Events and signals of the storylines' articles from their last ``days`` days, with ``storyline_id``."""
        recent = ("SELECT s.article_id, s.storyline_id, s.published_at FROM storyline_articles s "
                  "JOIN storylines l ON l.id = s.storyline_id WHERE s.storyline_id IN (SELECT unnest(?::VARCHAR[])) "
                  f"AND s.published_at >= l.last_published - INTERVAL '{int(days)} days'")
        return {
            "events": self.con.execute(
                f"SELECT r.storyline_id, r.published_at, {_EVENT_FIELDS} FROM ({recent}) r "
                "JOIN events e ON e.article_id = r.article_id "
                "ORDER BY r.published_at, e.article_id, e.sentence_index, e.trigger_start, e.id",
                [storyline_ids]).df(),
            "signals": self.con.execute(
                f"SELECT r.storyline_id, r.published_at, {_SIGNAL_FIELDS} FROM ({recent}) r "
                "JOIN signals g ON g.article_id = r.article_id "
                "ORDER BY r.published_at, g.article_id, g.sentence_index, g.span_start, g.id",
                [storyline_ids]).df(),
        }

    def open_ledger(self, storyline_ids: list[str]) -> pd.DataFrame:
        """The ledger items of these storylines still open, with the article they were made in."""
        return self.con.execute(
            "SELECT l.*, g.article_id FROM ledger l JOIN signals g ON g.id = l.signal_id "
            "WHERE l.status = 'open' AND l.storyline_id IN (SELECT unnest(?::VARCHAR[])) "
            "AND NOT EXISTS (SELECT 1 FROM ledger m WHERE m.signal_id = l.signal_id AND m.status != 'open')",
            [storyline_ids]).df()

    def recent_leads(self, limit: int) -> list[str]:
        """Leads of the last ``limit`` articles put in storylines (to warm up document frequencies)."""
        rows = self.con.execute(
            "SELECT a.title || '\n\n' || left(a.body, 4000) FROM storyline_articles s JOIN articles a "
            "ON a.id = s.article_id ORDER BY s.published_at DESC, s.article_id DESC LIMIT ?", [limit]).fetchall()
        return [row[0] for row in reversed(rows)]

    def storyline_members(self) -> pd.DataFrame:
        """Every article in a storyline with the storyline's main actors; ``attrs["read"]`` counts all read."""
        frame = self.con.execute(
            "SELECT s.article_id, s.storyline_id, s.published_at, l.actors FROM storyline_articles s "
            "JOIN storylines l ON l.id = s.storyline_id ORDER BY s.published_at, s.article_id").df()
        frame.attrs["read"] = self.con.execute("SELECT count(*) FROM storyline_articles").fetchone()[0]
        return frame

    def named_actors(self) -> pd.DataFrame:
        """Each article with each actor it names (its country, or the code of an organisation)."""
        return self.con.execute(
            "SELECT DISTINCT article_id, coalesce(country, actor_code) AS actor FROM mentions "
            "WHERE actor_code IS NOT NULL").df()

    # -- what it writes ----------------------------------------------------------

    def write_storylines(self, batch: StorylineBatch) -> None:
        """Store one storyline update in one transaction (storylines replaced, the rest added)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute("BEGIN TRANSACTION")
        try:
            for old, new in batch.merges.items():
                self.con.execute("UPDATE storyline_articles SET storyline_id = ? WHERE storyline_id = ?", [new, old])
                self.con.execute("UPDATE ledger SET storyline_id = ? WHERE storyline_id = ?", [new, old])
            ids = [row.id for row in batch.storylines]
            self.con.execute("DELETE FROM storylines WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids])
            self._insert_new("storylines", [
                {**row.__dict__, "actors": json.dumps(list(row.actors)), "updated_at": now}
                for row in batch.storylines])
            self._insert_new("storyline_articles", [
                {"article_id": a, "storyline_id": s, "similarity": score, "published_at": when, "assigned_at": now}
                for a, s, score, when in batch.assignments])
            phases = {(sid, day): rest for sid, day, *rest in batch.phases}  # the day's last change holds
            for sid, day in phases:
                self.con.execute("DELETE FROM storyline_phases WHERE storyline_id = ? AND phase_date = ?", [sid, day])
            self._insert_new("storyline_phases", [
                {"storyline_id": sid, "phase_date": day, "phase": phase, "score": score,
                 "evidence": json.dumps(list(evidence))} for (sid, day), (phase, score, evidence) in phases.items()])
            self._insert_new("ledger", [row.__dict__ for row in batch.ledger])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def clear_storylines(self) -> None:
        """Forget every storyline, assignment, phase and ledger entry (to rebuild them)."""
        self.con.execute("BEGIN TRANSACTION")
        for table in ("storylines", "storyline_articles", "storyline_phases", "ledger"):
            self.con.execute(f"DELETE FROM {table}")
        self.con.execute("COMMIT")

    # -- what users read ---------------------------------------------------------

    def storylines(self, *, actor: str | None = None, phase: str | None = None, min_articles: int = 1,
                   limit: int = 20) -> pd.DataFrame:
        """Storylines, most recently active first (merged ones left out)."""
        where, params = ["merged_into IS NULL", "n_articles >= ?"], [min_articles]
        if actor:
            where.append("actors LIKE ?")
            params.append(f'%"{actor.upper()}%')
        if phase:
            where.append("phase = ?")
            params.append(phase)
        return self.con.execute(
            "SELECT id, label, phase, phase_since, n_articles, first_published, last_published, actors, theme "
            f"FROM storylines WHERE {' AND '.join(where)} ORDER BY last_published DESC, n_articles DESC, id "
            "LIMIT ?", [*params, limit]).df()

    def storyline(self, storyline_id: str) -> dict[str, pd.DataFrame] | None:
        """One storyline (following merges): its row, phases, events, signals and ledger; ``None`` if unknown."""
        row = self.con.execute("SELECT * FROM storylines WHERE id = ?", [storyline_id]).df()
        if row.empty:
            return None
        while row.iloc[0]["merged_into"] is not None and not pd.isna(row.iloc[0]["merged_into"]):
            row = self.con.execute("SELECT * FROM storylines WHERE id = ?", [row.iloc[0]["merged_into"]]).df()
        sid = row.iloc[0]["id"]
        members = "SELECT article_id FROM storyline_articles WHERE storyline_id = ?"
        return {
            "storyline": row,
            "phases": self.con.execute(
                "SELECT phase_date, phase, score, evidence FROM storyline_phases WHERE storyline_id IN "
                "(SELECT id FROM storylines WHERE id = ? OR merged_into = ?) ORDER BY phase_date",
                [sid, sid]).df(),
            "articles": self.con.execute(
                "SELECT a.id, a.published_at, a.title, a.url, s.similarity FROM storyline_articles s "
                "JOIN articles a ON a.id = s.article_id WHERE s.storyline_id = ? ORDER BY a.published_at, a.id",
                [sid]).df(),
            "events": self.con.execute(
                f"SELECT {_EVENT_FIELDS}, e.trigger_start, e.trigger_end, x.text AS sentence, "
                "x.span_start AS sentence_start FROM events e LEFT JOIN sentences x ON x.article_id = e.article_id "
                f"AND x.sentence_index = e.sentence_index WHERE e.article_id IN ({members}) "
                "ORDER BY e.event_date, e.article_id, e.sentence_index, e.trigger_start, e.id", [sid]).df(),
            "signals": self.con.execute(
                f"SELECT {_SIGNAL_FIELDS} FROM signals g WHERE g.article_id IN ({members}) AND g.kind != 'tone' "
                "ORDER BY g.article_id, g.sentence_index, g.span_start, g.id", [sid]).df(),
            "ledger": self.ledger(sid),
        }

    def ledger(self, storyline_id: str) -> pd.DataFrame:
        """The ledger of a storyline: each item with its current status and every move's evidence."""
        return self.con.execute(
            "SELECT l.signal_id, l.kind, l.actor, l.counterpart, l.action, l.issue, l.due, l.status, "
            "l.status_date, l.evidence_id, l.reason, g.quote, g.article_id, "
            "row_number() OVER (PARTITION BY l.signal_id ORDER BY l.status_date DESC, l.status = 'open', l.status) = 1 "
            "AS current FROM ledger l LEFT JOIN signals g ON g.id = l.signal_id WHERE l.storyline_id = ? "
            "ORDER BY l.signal_id, l.status_date, l.status != 'open', l.status", [storyline_id]).df()
