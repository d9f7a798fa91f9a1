"""Risk-index benchmark: all daily indexes from 1,000,000 stored events, and the incremental update.

1. Extract 2,000 HuffPost items (every fifth line of the shared corpus) once
   into a temporary DuckDB file (or reuse ``--source DB``, an extracted one).
2. Build a large store by resampling them: articles with new ids and dates
   spread over ``--days`` days, each carrying its source article's events
   (new ids), mentions, extraction record, GPR categories and storyline,
   until there are ``--events`` events.
3. Time the recomputation of every daily component for every scope
   (global, each country, each storyline) on one core — target < 5 s.
4. Add 1,000 new resampled articles (not yet scored) and time
   ``update_index`` (GPR matching of the new articles, stale days, their
   recomputation) — target < 0.5 s.

Run: .venv/bin/python benchmarks/index.py [--events 1000000] [--source extracted.duckdb]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import detente
from detente.index.event_index import index_rules
from detente.index.risk import update_index

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "news" / "huffpost_2018_2022.jsonl"
FULL_TARGET_S, INCREMENTAL_TARGET_S = 5.0, 0.5


def build_source(directory: Path, items: int) -> Path:
    """Ingest and extract ``items`` HuffPost items (an even sample of the corpus) into a DuckDB file."""
    sample = directory / "sample.jsonl"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    step = max(1, len(lines) // items)
    sample.write_text("\n".join(lines[::step][:items]) + "\n", encoding="utf-8")
    path = directory / "source.duckdb"
    with detente.open(path) as db:
        db.ingest(sample, map="title=headline,body=short_description,published=date")
        db.extract()
        db.update_stories()
        db.update_index()
    return path


def resample(con, source: Path, events: int, days: int, prefix: str, start_day: str, limit_articles: int | None,
             scored: bool) -> int:
    """Insert resampled articles (and their events, mentions, extraction, storyline) until ``events`` events."""
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    per_article = con.execute("SELECT count(*) / (SELECT count(*) FROM src.articles) FROM src.events").fetchone()[0]
    n_articles = limit_articles or int(1.05 * events / per_article) + 1
    con.execute("CREATE TEMP TABLE pick AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM src.articles")
    n_src = con.execute("SELECT count(*) FROM pick").fetchone()[0]
    con.execute(f"""CREATE TEMP TABLE plan AS SELECT '{prefix}' || i AS new_id, p.id AS src_id,
        DATE '{start_day}' + CAST(i % {days} AS INTEGER) AS day FROM range({n_articles}) r(i)
        JOIN pick p ON p.k = hash(i) % {n_src}""")
    con.execute(f"""INSERT INTO articles SELECT n.new_id, a.source, NULL, n.day + INTERVAL 12 HOUR, a.title, a.body,
        a.language, now()::TIMESTAMP, 'bench-' || '{prefix}' FROM plan n JOIN src.articles a ON a.id = n.src_id""")
    con.execute(f"""INSERT INTO events SELECT n.new_id || ':' || e.id, e.origin, n.new_id, e.sentence_index,
        e.source_actor, e.event_type, e.mode, e.cameo_code, e.goldstein, e.target_actor,
        n.day + CAST(datediff('day', a.published_at::DATE, e.event_date) AS INTEGER), NULL, e.place, e.place_country, e.lat, e.lon, e.modality,
        e.confidence, e.trigger_start, e.trigger_end, e.source_start, e.source_end, e.target_start, e.target_end,
        NULL, NULL FROM plan n JOIN src.events e ON e.article_id = n.src_id JOIN src.articles a ON a.id = n.src_id
        LIMIT {events}""")
    con.execute("""INSERT INTO mentions SELECT n.new_id, m.sentence_index, m.span_start, m.span_end, m.text,
        m.actor_code, m.country, m.sector, m.person, m.role FROM plan n JOIN src.mentions m ON m.article_id = n.src_id""")
    con.execute("""INSERT INTO extractions SELECT n.new_id, x.extractor, now()::TIMESTAMP, x.n_sentences, x.n_mentions,
        x.n_events FROM plan n JOIN src.extractions x ON x.article_id = n.src_id""")
    con.execute("""INSERT INTO storyline_articles SELECT n.new_id, s.storyline_id, s.similarity, n.day, now()::TIMESTAMP
        FROM plan n JOIN src.storyline_articles s ON s.article_id = n.src_id""")
    if scored:
        con.execute("""INSERT INTO article_gpr SELECT n.new_id, n.day, g.categories, g.categories_and, g.excluded_by,
            NULL, NULL, NULL FROM plan n JOIN src.article_gpr g ON g.article_id = n.src_id""")
        con.execute(f"INSERT INTO index_batches VALUES ('bench-{prefix}', now()::TIMESTAMP)")
    con.execute("DROP TABLE plan")
    con.execute("DROP TABLE pick")
    con.execute("DETACH src")
    return n_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=1_600)
    parser.add_argument("--items", type=int, default=2_000)
    parser.add_argument("--source", type=Path, help="An extracted Détente database to resample instead.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="detente-bench-index-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        source = args.source or build_source(directory, args.items)
        if args.source:  # make sure the source has GPR categories
            copy = directory / "source.duckdb"
            copy.write_bytes(args.source.read_bytes())
            with detente.open(copy) as db:
                db.update_index()
            source = copy
        prepared = time.perf_counter() - started
        db = detente.open(directory / "bench.duckdb")
        con = db.store.con
        con.execute("SET threads = 1")
        articles = resample(con, source, args.events, args.days, "b", "2018-01-01", None, scored=True)
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        scopes_started = time.perf_counter()
        written = db.store.rebuild_index_points(None, index_rules())
        full_s = time.perf_counter() - scopes_started
        n_scopes = con.execute("SELECT count(DISTINCT scope) FROM index_points").fetchone()[0]
        resample(con, source, 10**9, 30, "n", "2022-06-01", 1_000, scored=False)
        incremental_started = time.perf_counter()
        summary = update_index(db.store)
        incremental_s = time.perf_counter() - incremental_started
        db.close()
    figures = {
        "events": n_events, "articles": articles, "scopes": n_scopes, "points_written": written,
        "full_rebuild_s": round(full_s, 3), "full_target_s": FULL_TARGET_S,
        "full_ratio_to_target": round(full_s / FULL_TARGET_S, 3),
        "incremental_articles": summary.articles_scored, "incremental_days": summary.days_recomputed,
        "incremental_s": round(incremental_s, 3), "incremental_target_s": INCREMENTAL_TARGET_S,
        "incremental_ratio_to_target": round(incremental_s / INCREMENTAL_TARGET_S, 3),
        "preparation_s": round(prepared, 1),
    }
    print(json.dumps(figures, indent=2))
    print(f"all daily indexes ({n_scopes:,} scopes) from {n_events:,} events: {full_s:.2f} s "
          f"({full_s / FULL_TARGET_S:.2f}× the {FULL_TARGET_S:.0f} s budget); incremental update after "
          f"{summary.articles_scored:,} new articles: {incremental_s:.3f} s "
          f"({incremental_s / INCREMENTAL_TARGET_S:.2f}× the {INCREMENTAL_TARGET_S} s budget)")


if __name__ == "__main__":
    main()
