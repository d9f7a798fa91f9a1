"""Market tables: prices, their series and repairs, event sets and scenarios (mixed into both stores through
``SqlStore``; the SQL runs on DuckDB and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from ..records import Scenario


class MarketTables:
    """Queries of the market tables; expects ``self.con`` and ``self._insert_new`` of the store."""

    con: duckdb.DuckDBPyConnection

    # -- prices --------------------------------------------------------------------

    def write_prices(self, asset: str, prices: pd.DataFrame, series: dict[str, object],
                     repairs: list[dict[str, str]]) -> tuple[int, int]:
        """Store a clean series (columns date, value) in one transaction; dates already stored are kept.

        ``series`` holds unit, frequency, source and price_column; ``repairs`` the
        repairs made while loading (kind, position, detail). Returns (rows added,
        rows whose stored value differs from the file's: kept, not overwritten).
        """
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        frame = pd.DataFrame({"asset": asset, "price_date": pd.to_datetime(prices["date"]).dt.date,
                              "value": prices["value"].astype(float)})
        self.con.execute("BEGIN TRANSACTION")
        try:
            stored = dict(self.con.execute("SELECT price_date, value FROM prices WHERE asset = ?", [asset]).fetchall())
            conflicts = sum(1 for day, value in zip(frame["price_date"], frame["value"])
                            if day in stored and abs(stored[day] - value) > 1e-9 * max(abs(stored[day]), 1))
            added = self._insert_new("prices", frame.to_dict("records"))
            self.con.execute("DELETE FROM price_series WHERE asset = ?", [asset])
            self._insert_new("price_series", [{"asset": asset, **series, "loaded_at": now}])
            self._insert_new("price_repairs", [{"asset": asset, "source": series["source"], **r, "loaded_at": now}
                                               for r in repairs])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return added, conflicts

    def price_series(self) -> pd.DataFrame:
        """Every loaded series: asset, unit, frequency, rows, first and last date, repairs, source."""
        return self.con.execute(
            "SELECT s.asset, s.unit, s.frequency, count(p.price_date) AS rows, min(p.price_date) AS first, "
            "max(p.price_date) AS last, (SELECT count(*) FROM price_repairs r WHERE r.asset = s.asset) AS repairs, "
            "s.source, s.price_column, s.loaded_at FROM price_series s LEFT JOIN prices p ON p.asset = s.asset "
            "GROUP BY s.asset, s.unit, s.frequency, s.source, s.price_column, s.loaded_at ORDER BY s.asset").df()

    def prices(self, assets: list[str] | None = None) -> pd.DataFrame:
        """Stored prices (asset, date, value) of ``assets`` (``None``: all), by asset and date."""
        return self.con.execute(
            "SELECT asset, price_date AS date, value FROM prices "
            "WHERE ?::VARCHAR[] IS NULL OR asset IN (SELECT unnest(?::VARCHAR[])) ORDER BY asset, price_date",
            [assets, assets]).df()

    def price_repairs(self, asset: str | None = None) -> pd.DataFrame:
        """The repairs made while loading prices (of one asset, or all)."""
        return self.con.execute(
            "SELECT asset, source, kind, position, detail, loaded_at FROM price_repairs "
            "WHERE ? IS NULL OR asset = ? ORDER BY asset, kind, position", [asset, asset]).df()

    # -- event sets ----------------------------------------------------------------

    def conflict_events(self, storyline_id: str | None, max_goldstein: float,
                        event_types: tuple[str, ...] = ("ASSAULT", "FIGHT")) -> pd.DataFrame:
        """Dated events of ``event_types`` at Goldstein ≤ ``max_goldstein`` (of one storyline, or all), oldest first."""
        return self.con.execute(
            "SELECT e.id, e.event_date, e.event_type, e.goldstein, e.source_actor, e.target_actor, s.storyline_id "
            "FROM events e LEFT JOIN storyline_articles s ON s.article_id = e.article_id "
            "WHERE e.event_date IS NOT NULL AND e.goldstein <= ? AND e.event_type IN (SELECT unnest(?::VARCHAR[])) "
            "AND e.modality IN ('asserted', 'reported') AND (? IS NULL OR s.storyline_id = ?) "
            "ORDER BY e.event_date, e.id", [max_goldstein, list(event_types), storyline_id, storyline_id]).df()

    def phase_starts(self, storyline_id: str | None = None) -> pd.DataFrame:
        """The first day of each phase of a storyline (or of every storyline), with its score and evidence.

        ``intensity`` is the mean |Goldstein| of the evidence events (NULL when
        the evidence is signals only); ``actors`` the storyline's main actors (JSON).
        """
        return self.con.execute(
            "SELECT p.storyline_id, p.phase_date, p.phase, p.score, p.evidence, l.label, l.actors, "
            "(SELECT avg(abs(e.goldstein)) FROM events e WHERE e.id IN "
            "(SELECT unnest(from_json(p.evidence, '[\"VARCHAR\"]')))) AS intensity FROM storyline_phases p "
            "JOIN storylines l ON l.id = p.storyline_id WHERE ? IS NULL OR p.storyline_id = ? "
            "ORDER BY p.phase_date, p.storyline_id", [storyline_id, storyline_id]).df()

    # -- scenarios -----------------------------------------------------------------

    def write_scenarios(self, scenarios: list[Scenario], computed_at: dt.datetime) -> int:
        """Store one computation of a storyline's scenarios; return the rows added."""
        return self._insert_new("scenarios", [
            {"storyline_id": s.storyline_id, "name": s.name, "probability": s.probability,
             "drivers": json.dumps(list(s.drivers)),
             "asset_impacts": json.dumps([i.model_dump() for i in s.asset_impacts]), "computed_at": computed_at}
            for s in scenarios])

    def scenarios(self, storyline_id: str) -> pd.DataFrame:
        """The latest stored scenarios of a storyline (name, probability, drivers and impacts as JSON)."""
        return self.con.execute(
            "SELECT * FROM scenarios WHERE storyline_id = ? AND computed_at = "
            "(SELECT max(computed_at) FROM scenarios WHERE storyline_id = ?) ORDER BY probability DESC, name",
            [storyline_id, storyline_id]).df()
