"""End to end through the pipeline into a real DuckDB file."""

import json

import pytest

import detente
from detente.errors import InputNotFound, UnknownFormat
from tests.conftest import HUFFPOST, HUFFPOST_MAP


@pytest.fixture
def huffpost_db(tmp_path_factory):
    """One database with the whole HuffPost file in it (built once per test that asks)."""
    path = tmp_path_factory.mktemp("huff") / "h.duckdb"
    with detente.open(path) as db:
        summary = db.ingest(HUFFPOST, map=HUFFPOST_MAP)
    return path, summary


def test_huffpost_ingest_then_reingest_adds_nothing(huffpost_db):
    path, first = huffpost_db
    assert first.read == 10_000
    assert first.articles_added + first.near_duplicates_added + first.already_stored == 10_000
    assert first.articles_added > 9_900
    with detente.open(path) as db:
        again = db.ingest(HUFFPOST, map=HUFFPOST_MAP)
        stats = db.stats()
    assert (again.articles_added, again.near_duplicates_added, again.rejects_added, again.batches) == (0, 0, 0, 0)
    assert again.already_stored == 10_000
    assert stats["articles"] == first.articles_added
    assert stats["batches"] == first.batches


def test_near_duplicates_are_linked_not_dropped(tmp_path):
    rows = [json.loads(line) for line in HUFFPOST.open()][:50]
    original = rows[10]
    repost = dict(original, link="https://wire.example.org/story-123", short_description=original["short_description"] + " (AP)")
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    (tmp_path / "b.jsonl").write_text(json.dumps(repost))
    with detente.open(tmp_path / "db.duckdb") as db:
        db.ingest(tmp_path / "a.jsonl", map=HUFFPOST_MAP)
        second = db.ingest(tmp_path / "b.jsonl", map=HUFFPOST_MAP)  # a later run: the index comes from the store
        links = db.store.con.execute("SELECT original_id, url, jaccard FROM near_duplicates").fetchall()
        original_id = db.articles(original["headline"][:30])["id"].tolist()
    assert second.near_duplicates_added == 1 and second.articles_added == 0
    assert links[0][0] in original_id and links[0][1] == repost["link"] and links[0][2] >= 0.9


def test_directory_mixed_formats_and_rejects(tmp_path, shared_data):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    seed = (shared_data / "samples" / "seed_article.txt").read_text().split("\n", 1)
    (tmp_path / "in" / "seed.md").write_text(f"# {seed[0]}\nPublished: 2025-12-06\n{seed[1]}")
    (tmp_path / "in" / "sub" / "undated.txt").write_text("A title\n\nA body without any date at all.")
    (tmp_path / "in" / "sub" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "in" / "sub" / "rows.jsonl").write_text(
        json.dumps({"title": "T", "body": "Envoys met.", "date": "2024-01-01"}) + "\n{broken\n")
    with detente.open(tmp_path / "db.duckdb") as db:
        summary = db.ingest(tmp_path / "in")
        rejects = db.rejects()
    assert summary.inputs == 4 and summary.articles_added == 2
    assert sorted(rejects["reason"]) == ["malformed_row", "missing_date", "unsupported_format"]
    assert all(src.startswith(str(tmp_path)) for src in rejects["source"])


def test_default_published_rescues_undated_text(tmp_path, shared_data):
    with detente.open(tmp_path / "db.duckdb") as db:
        summary = db.ingest(shared_data / "samples" / "seed_article.txt", published="2025-12-06")
        frame = db.articles()
    assert summary.articles_added == 1
    assert frame["published_at"][0].date().isoformat() == "2025-12-06"


def test_user_mistakes_raise_clear_errors(tmp_path):
    with detente.open(tmp_path / "db.duckdb") as db:
        with pytest.raises(InputNotFound, match="no such file"):
            db.ingest(tmp_path / "missing.jsonl")
        with pytest.raises(UnknownFormat, match="unknown format"):
            db.ingest(tmp_path, format="docx")
