from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.text import parse_text_document, read_text
from detente.records import Article, Reject


def test_seed_article_with_header(shared_data, ctx):
    raw = (shared_data / "samples" / "seed_article.txt").read_text(encoding="utf-8").split("\n", 1)
    data = f"{raw[0]}\nPublished: 2025-12-06\n{raw[1]}".encode()
    articles, rejects = read_text(data, ctx)
    assert rejects == []
    (article,) = articles
    assert article.title == "U.S. and Ukraine Advance Talks in Miami on Peace Framework"
    assert article.published_at.date().isoformat() == "2025-12-06"
    assert article.body.startswith("U.S. special envoys met Ukrainian negotiators in Miami")
    assert "constructive and friendly" in article.body
    assert article.language == "en"


def test_seed_article_without_date_is_rejected_unless_a_default_is_given(shared_data, ctx):
    import dataclasses
    import datetime as dt

    data = (shared_data / "samples" / "seed_article.txt").read_bytes()
    assert [r.reason for r in read_text(data, ctx).rejects] == ["missing_date"]
    with_default = dataclasses.replace(ctx, default_published=dt.datetime(2025, 12, 6))
    assert len(read_text(data, with_default).articles) == 1


def test_markdown_heading_and_front_matter():
    doc = parse_text_document("---\ntitle: Talks resume\ndate: 2024-03-01\nurl: https://x.org/a\n---\nBody text.\n")
    assert (doc["title"], doc["published"], doc["url"], doc["body"].strip()) == (
        "Talks resume", "2024-03-01", "https://x.org/a", "Body text.")
    doc = parse_text_document("# Heading\nSource: Reuters\nDate: 2024-01-01\n\nFirst paragraph.")
    assert (doc["title"], doc["source"], doc["published"]) == ("Heading", "Reuters", "2024-01-01")


def test_bad_bytes_and_oversize(ctx):
    import dataclasses

    assert read_text(b"Title\nPublished: 2024-01-01\n\xff\xfe broken", ctx).rejects[0].reason == "undecodable_bytes"
    small = dataclasses.replace(ctx, max_text_bytes=100)
    assert read_text(b"T\nPublished: 2024-01-01\n" + b"word " * 100, small).rejects[0].reason == "oversize"
    assert read_text(b"T\nPublished: 2024-01-01\n\x00\x01\x02\x03" * 50, ctx).rejects[0].reason == "binary_content"
    assert read_text(b"", ctx).rejects[0].reason == "empty_body"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_exactly_one_record_or_reject(ctx, data):
    result = read_text(data, ctx)
    items = result.articles + result.rejects
    assert len(items) == 1 and isinstance(items[0], Article | Reject)
