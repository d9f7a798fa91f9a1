"""Risk-index tables: GPR matches per article and the daily index components (mixed into both stores through
``SqlStore``; the fragments DuckDB and PostgreSQL spell differently come from the store's ``dialect``).

The daily components of every scope (``global``, each country, each
``storyline:ID``) are computed by one SQL statement: the articles of the days
asked for with their GPR categories, the counted events of those articles
(see ``index/event_index.py`` for the rules), each article weighted once per
scope, then summed per day and scope. They are stored in ``index_points`` as
additive measures, so weeks and months are sums of days:

- ``articles`` (global only): articles published that day;
- ``classic``, ``classic_threat``, ``classic_act``: articles matching the GPR
  query (any category, threats 1-5, acts 6-8); ``classic_and*``: the same for
  the paper's AND variant;
- ``events``, ``events_threat``, ``events_act``: sum over articles of the
  Goldstein intensity of their strongest counted event;
- ``combined*``: sum over articles of the larger of the two readings (1 for a
  GPR article, else its event weight); ``combined_and*``: the same with the
  AND variant of the query as the GPR reading.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .base import GPRRow, IndexRules
from .dialect import DUCKDB, Dialect

MEASURES = ("classic", "classic_threat", "classic_act", "classic_and", "classic_and_threat", "classic_and_act",
            "events", "events_threat", "events_act", "combined", "combined_threat", "combined_act",
            "combined_and", "combined_and_threat", "combined_and_act")
_THREAT_BITS, _ACT_BITS = 0b00011111, 0b11100000


def _sql_list(values: tuple[str, ...]) -> str:
    """A SQL list of string literals (the rules' codes are short upper-case words)."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")" if values else "(NULL)"


def _country(column: str, rules: IndexRules) -> str:
    return f"CASE WHEN left({column}, 3) IN {_sql_list(rules.countries)} THEN left({column}, 3) END"


def _armed(column: str, rules: IndexRules) -> str:
    sectors = _sql_list(rules.armed_sectors)
    prefixes = " OR ".join(f"starts_with({column}, '{p}')" for p in rules.organisation_prefixes) or "FALSE"
    return f"coalesce(left({column}, 3) IN {sectors} OR substr({column}, 4, 3) IN {sectors} OR {prefixes}, FALSE)"


def counted_events_sql(rules: IndexRules, articles: str, dialect: Dialect = DUCKDB) -> str:
    """SQL of the counted events of the articles in relation ``articles`` (article_id, day).

    Columns: event id, article_id, day, kind (threat/act), weight (|Goldstein| / 10),
    countries (list, each once).
    """
    kind = (f"CASE WHEN e.event_type IN {_sql_list(rules.threat_types)} "
            f"AND e.modality IN {_sql_list(rules.threat_modalities)} THEN 'threat' "
            f"WHEN e.event_type IN {_sql_list(rules.act_types)} AND e.modality IN {_sql_list(rules.act_modalities)} "
            f"THEN 'act' WHEN e.event_type IN {_sql_list(rules.act_types)} "
            f"AND e.modality IN {_sql_list(rules.announced_act_modalities)} THEN 'threat' END")
    countries = dialect.distinct_strings([_country("e.source_actor", rules), _country("e.target_actor", rules),
                                          "e.place_country"])
    return (
        f"SELECT e.id, a.article_id, a.day, {kind} AS kind, least(abs(coalesce(e.goldstein, 0)) / 10.0, 1.0) AS weight, "
        f"{countries} AS countries FROM events e JOIN {articles} a ON a.article_id = e.article_id "
        f"WHERE ({kind}) IS NOT NULL "
        f"AND ({dialect.length(countries)} >= 2 "
        f"OR {_armed('e.source_actor', rules)} OR {_armed('e.target_actor', rules)}) "
        f"AND (coalesce(e.event_date_end, e.event_date) IS NULL "
        f"OR coalesce(e.event_date_end, e.event_date) >= a.day - INTERVAL '{int(rules.retrospective_days)} days')"
    )


def _points_sql(rules: IndexRules, day_filter: str, dialect: Dialect = DUCKDB) -> str:
    """SQL of the daily components of every scope for the articles passing ``day_filter``."""
    flags = (f"(g.categories > 0)::INT, (g.categories & {_THREAT_BITS} > 0)::INT, (g.categories & {_ACT_BITS} > 0)::INT, "
             f"(g.categories_and > 0)::INT, (g.categories_and & {_THREAT_BITS} > 0)::INT, "
             f"(g.categories_and & {_ACT_BITS} > 0)::INT")
    zeros_classic = "0, 0, 0, 0, 0, 0"
    weights = ("CASE WHEN v.kind = 'threat' THEN v.weight ELSE 0 END, "
               "CASE WHEN v.kind = 'act' THEN v.weight ELSE 0 END, v.weight")
    cols = "article_id, day, scope, c, c_thr, c_act, ca, ca_thr, ca_act, e_thr, e_act, e"
    return f"""
    WITH arts AS (SELECT article_id, published_day AS day, categories, categories_and FROM article_gpr g
                  WHERE {day_filter}),
    v AS ({counted_events_sql(rules, 'arts', dialect)}),
    story AS (SELECT s.article_id, 'storyline:' || s.storyline_id AS scope FROM storyline_articles s
              JOIN arts USING (article_id) WHERE s.storyline_id IS NOT NULL),
    named AS (SELECT DISTINCT m.article_id, m.country AS scope FROM mentions m
              JOIN arts USING (article_id) WHERE m.country IS NOT NULL),
    readings ({cols}) AS (
        SELECT g.article_id, g.day, 'global', {flags}, 0, 0, 0 FROM arts g
        UNION ALL SELECT g.article_id, g.day, n.scope, {flags}, 0, 0, 0 FROM arts g JOIN named n USING (article_id)
            WHERE g.categories_and > 0
        UNION ALL SELECT g.article_id, g.day, s.scope, {flags}, 0, 0, 0 FROM arts g JOIN story s USING (article_id)
            WHERE g.categories_and > 0
        UNION ALL SELECT v.article_id, v.day, 'global', {zeros_classic}, {weights} FROM v
        UNION ALL SELECT v.article_id, v.day, unnest(v.countries), {zeros_classic}, {weights} FROM v
        UNION ALL SELECT v.article_id, v.day, s.scope, {zeros_classic}, {weights} FROM v JOIN story s USING (article_id)
    ),
    per_article AS (
        SELECT day, scope, max(c) AS c, max(c_thr) AS c_thr, max(c_act) AS c_act, max(ca) AS ca,
               max(ca_thr) AS ca_thr, max(ca_act) AS ca_act, max(e_thr) AS e_thr, max(e_act) AS e_act, max(e) AS e
        FROM readings GROUP BY day, scope, article_id
    ),
    per_day AS (
        SELECT day AS point_date, scope, count(*)::DOUBLE AS articles,
               sum(c)::DOUBLE AS classic, sum(c_thr)::DOUBLE AS classic_threat, sum(c_act)::DOUBLE AS classic_act,
               sum(ca)::DOUBLE AS classic_and, sum(ca_thr)::DOUBLE AS classic_and_threat,
               sum(ca_act)::DOUBLE AS classic_and_act,
               sum(e) AS events, sum(e_thr) AS events_threat, sum(e_act) AS events_act,
               sum(greatest(c, e)) AS combined, sum(greatest(c_thr, e_thr)) AS combined_threat,
               sum(greatest(c_act, e_act)) AS combined_act, sum(greatest(ca, e)) AS combined_and,
               sum(greatest(ca_thr, e_thr)) AS combined_and_threat, sum(greatest(ca_act, e_act)) AS combined_and_act
        FROM per_article GROUP BY day, scope
    )
    SELECT point_date, scope, measure, value FROM (
        {dialect.unpivot('per_day', ('point_date', 'scope'), ('articles', *MEASURES))}
    ) AS measured WHERE scope = 'global' OR (value != 0 AND measure != 'articles')
    """


class IndexTables:
    """Queries of the risk-index tables; expects ``self.con`` and ``self._insert_new`` of the store."""

    con: duckdb.DuckDBPyConnection
    dialect: Dialect = DUCKDB

    def articles_to_score(self, batches: int) -> pd.DataFrame:
        """The articles of up to ``batches`` ingest batches not marked scored: id, published_at, text, batch_id.

        ``attrs["batches"]`` lists the batches read (to mark them scored, even
        when all their articles already were).
        """
        todo = [row[0] for row in self.con.execute(
            "SELECT DISTINCT batch_id FROM articles WHERE batch_id NOT IN (SELECT batch_id FROM index_batches) "
            "ORDER BY batch_id LIMIT ?", [batches]).fetchall()]
        frame = self.con.execute(
            "SELECT a.id, a.published_at, a.title || '\n\n' || a.body AS text, a.batch_id FROM articles a "
            "WHERE a.batch_id IN (SELECT unnest(?::VARCHAR[])) "
            "AND NOT EXISTS (SELECT 1 FROM article_gpr g WHERE g.article_id = a.id) "
            "ORDER BY a.published_at, a.id", [todo]).df()
        frame.attrs["batches"] = todo
        return frame

    def write_gpr_rows(self, rows: list[GPRRow], batch_ids: list[str]) -> None:
        """Store the GPR categories of scored articles (not yet counted in the index); mark their batches scored."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._insert_new("article_gpr", [{**row.__dict__, "extracted_at": None, "storyline_id": None,
                                              "indexed_at": None} for row in rows])
            self._insert_new("index_batches", [{"batch_id": b, "scored_at": now} for b in batch_ids])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def stale_index_days(self) -> list[dt.date]:
        """Days with an article not counted yet, re-extracted, or put in (or merged into) another storyline since.

        Changes are found by time against the last index update (``indexed_at``),
        reading a few columns rather than joining every article.
        """
        rows = self.con.execute(
            "WITH mark AS (SELECT coalesce(max(indexed_at), TIMESTAMP '0001-01-01') AS t FROM article_gpr), "
            "changed AS ("
            "  SELECT article_id FROM extractions WHERE extracted_at > (SELECT t FROM mark) "
            "  UNION SELECT article_id FROM storyline_articles WHERE assigned_at > (SELECT t FROM mark)) "
            "SELECT DISTINCT published_day FROM article_gpr WHERE indexed_at IS NULL "
            "OR article_id IN (SELECT article_id FROM changed) "
            "OR storyline_id IN (SELECT id FROM storylines WHERE merged_into IS NOT NULL "
            "AND updated_at > (SELECT t FROM mark)) ORDER BY 1").fetchall()
        return [row[0] for row in rows]

    def rebuild_index_points(self, days: list[dt.date] | None, rules: IndexRules) -> int:
        """Recompute the components of ``days`` (``None``: every day) for every scope, in one transaction.

        The days' old points are replaced; their articles are marked as counted
        with the extraction and storyline seen. Returns the rows written.
        """
        if days is not None and not days:
            return 0
        day_filter = "TRUE" if days is None else "published_day IN (SELECT unnest(?::DATE[]))"
        params = [] if days is None else [days]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute("BEGIN TRANSACTION")
        try:
            measures = _sql_list(("articles", *MEASURES))
            if days is None:
                self.con.execute(f"DELETE FROM index_points WHERE measure IN {measures}")
            else:
                self.con.execute(f"DELETE FROM index_points WHERE measure IN {measures} "
                                 "AND point_date IN (SELECT unnest(?::DATE[]))", params)
            before = self.con.execute("SELECT count(*) FROM index_points").fetchone()[0]
            self.con.execute(f"INSERT INTO index_points {_points_sql(rules, day_filter, self.dialect)}", params)
            written = self.con.execute("SELECT count(*) FROM index_points").fetchone()[0] - before
            self.con.execute(
                "UPDATE article_gpr SET extracted_at = seen.extracted_at, storyline_id = seen.storyline_id, "
                "indexed_at = ? FROM (SELECT g.article_id, x.extracted_at, s.storyline_id FROM article_gpr g "
                "LEFT JOIN extractions x ON x.article_id = g.article_id "
                "LEFT JOIN storyline_articles s ON s.article_id = g.article_id "
                f"WHERE {day_filter.replace('published_day', 'g.published_day')}) seen "
                "WHERE article_gpr.article_id = seen.article_id", [now, *params])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return written

    def index_points(self, scope: str) -> pd.DataFrame:
        """The daily components of ``scope``: one column per measure (0 where none), plus ``global_MEASURE``
        and ``articles``, indexed by day (every day with articles)."""
        frame = self.con.execute(
            "SELECT point_date, scope = 'global' AND ? != 'global' AS is_global, measure, value FROM index_points "
            "WHERE scope = ? OR scope = 'global'", [scope, scope]).df()
        columns = ["articles", *MEASURES, *(f"global_{m}" for m in MEASURES)]
        if frame.empty:
            return pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="date"), dtype=float)
        frame["measure"] = frame["measure"].where(~frame["is_global"] | (frame["measure"] == "articles"),
                                                  "global_" + frame["measure"])
        if scope == "global":
            extra = frame[frame["measure"] != "articles"].assign(measure=lambda f: "global_" + f["measure"])
            frame = pd.concat([frame, extra])
        wide = frame.pivot_table(index="point_date", columns="measure", values="value", aggfunc="sum")
        wide = wide.reindex(columns=columns, fill_value=0.0).fillna(0.0)
        wide.index = pd.DatetimeIndex(pd.to_datetime(wide.index), name="date")
        return wide[wide["articles"] > 0].sort_index()

    def index_scopes(self) -> pd.DataFrame:
        """Every scope with stored points: its number of days and first and last day, largest first."""
        return self.con.execute(
            "SELECT scope, count(DISTINCT point_date) AS days, min(point_date) AS first, max(point_date) AS last, "
            "sum(value) FILTER (WHERE measure = 'combined') AS combined FROM index_points "
            "GROUP BY scope ORDER BY scope != 'global', combined DESC NULLS LAST, scope").df()

    def explain_day(self, day: dt.date, scope: str, rules: IndexRules) -> dict[str, pd.DataFrame]:
        """What one day's index of ``scope`` is made of.

        ``articles``: the day's articles matching the GPR query (either variant)
        in the scope, with their category masks and text; ``events``: the
        counted events of the day's articles in the scope, with kind, weight,
        sentence and trigger offsets (in the sentence); ``articles_total``: the
        day's article count (one row).
        """
        params: dict[str, object] = {"day": day}
        if scope == "global":
            article_filter = event_filter = "TRUE"
        elif scope.startswith("storyline:"):
            params["value"] = scope.split(":", 1)[1]
            members = "(SELECT article_id FROM storyline_articles WHERE storyline_id = $value)"
            article_filter, event_filter = f"a.article_id IN {members}", f"v.article_id IN {members}"
        else:
            params["value"] = scope
            article_filter = "a.article_id IN (SELECT article_id FROM mentions WHERE country = $value)"
            event_filter = self.dialect.contains("v.countries", "$value")
        articles = self.con.execute(
            "SELECT a.article_id, x.published_at, x.title, x.title || '\n\n' || x.body AS text, a.categories, "
            "a.categories_and, a.excluded_by FROM article_gpr a JOIN articles x ON x.id = a.article_id "
            f"WHERE a.published_day = $day AND a.categories_and > 0 AND {article_filter} "
            "ORDER BY a.categories > 0 DESC, x.published_at, a.article_id", params).df()
        day_articles = "(SELECT article_id, published_day AS day FROM article_gpr WHERE published_day = $day)"
        events = self.con.execute(
            "SELECT v.id, v.article_id, v.kind, v.weight, v.countries, e.event_type, e.modality, e.goldstein, "
            "e.source_actor, e.target_actor, e.place, x.title, s.text AS sentence, "
            "e.trigger_start - s.span_start AS trigger_start, e.trigger_end - s.span_start AS trigger_end "
            f"FROM ({counted_events_sql(rules, day_articles, self.dialect)}) v JOIN events e ON e.id = v.id "
            "JOIN articles x ON x.id = v.article_id "
            "LEFT JOIN sentences s ON s.article_id = e.article_id AND s.sentence_index = e.sentence_index "
            f"WHERE {event_filter} ORDER BY v.weight DESC, v.article_id, e.sentence_index, e.trigger_start, v.id",
            params).df()
        total = self.con.execute("SELECT count(*) FROM article_gpr WHERE published_day = ?", [day]).fetchone()[0]
        return {"articles": articles, "events": events, "articles_total": pd.DataFrame({"articles": [total]})}
