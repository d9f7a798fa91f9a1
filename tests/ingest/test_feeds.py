"""RSS 2.0 and Atom feeds: real HuffPost entries, golden files, broken feeds, any bytes."""

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.feeds import iter_feed, read_feed
from detente.ingest.items import ReadContext
from detente.ingest.normalise import html_to_text
from detente.records import Article, Reject

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
CTX = ReadContext(source="test", now=dt.datetime(2026, 1, 1))


def _as_golden(result):
    return {
        "articles": [article.model_dump(mode="json", exclude={"ingested_at"}) for article in result.articles],
        "rejects": [{"position": item.position, "reason": item.reason} for item in result.rejects],
    }


@pytest.mark.parametrize("name", ["huffpost_world.rss", "huffpost_world.atom"])
def test_feed_matches_golden_file(name):
    result = read_feed((FIXTURES / name).read_bytes(), CTX)
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert _as_golden(result) == expected


def test_rss_entries_become_articles_with_utc_dates_and_feed_title_as_source():
    articles, _rejects = read_feed((FIXTURES / "huffpost_world.rss").read_bytes(), CTX)
    assert len(articles) == 6
    first = articles[0]
    assert first.title == "Biden At UN To Call Russian War An Affront To Body's Charter"
    assert first.body.startswith("White House officials say the crux of the president's visit")
    assert "<p>" not in first.body
    assert first.url.startswith("https://www.huffpost.com/entry/biden-un-russian-war")
    assert first.source == "HuffPost World News"
    assert first.published_at == dt.datetime(2022, 9, 21, 12, 0)
    # "Tue, 20 Sep 2022 21:15:00 -0400" is the next day in UTC
    assert articles[1].published_at == dt.datetime(2022, 9, 21, 1, 15)
    assert all(article.language == "en" for article in articles)


def test_entry_without_date_and_entry_with_impossible_date_are_rejected_alone():
    _articles, rejects = read_feed((FIXTURES / "huffpost_world.rss").read_bytes(), CTX)
    assert [(item.position, item.reason) for item in rejects] == [
        ("entry 7", "missing_date"), ("entry 8", "impossible_date"),
    ]
    assert rejects[0].excerpt == "Iran Denies Involvement But Justifies Salman Rushdie Attack"


def test_default_published_rescues_the_entry_without_date():
    ctx = ReadContext(source="test", now=dt.datetime(2026, 1, 1), default_published=dt.datetime(2022, 8, 16))
    articles, rejects = read_feed((FIXTURES / "huffpost_world.rss").read_bytes(), ctx)
    assert len(articles) == 7 and [item.reason for item in rejects] == ["impossible_date"]
    assert articles[6].published_at == dt.datetime(2022, 8, 16)


def test_atom_takes_longest_html_content_keeps_paragraphs_and_falls_back_to_updated():
    articles, _rejects = read_feed((FIXTURES / "huffpost_world.atom").read_bytes(), CTX)
    assert articles[0].body == (
        "Ukrainian forces are claiming new success in their counteroffensive against Russian forces in the east."
        "\n\nHANNA ARHIROVA and YURAS KARMANAU, AP"
    )
    assert articles[0].source == "HuffPost World News (Atom)"
    # only <updated>2022-08-25T08:30:00+02:00</updated>
    assert articles[2].published_at == dt.datetime(2022, 8, 25, 6, 30)


def test_feed_without_title_uses_context_source():
    feed = (
        b'<rss version="2.0"><channel><item><title>Talks resume in Geneva</title>'
        b"<description>Negotiators met again on Monday.</description>"
        b"<pubDate>Mon, 05 Sep 2022 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    articles, rejects = read_feed(feed, CTX)
    assert rejects == [] and articles[0].source == "test"


@pytest.mark.parametrize("name", ["broken_truncated.rss", "seed_article.html"])
def test_unreadable_document_is_one_broken_feed_reject(name):
    articles, rejects = read_feed((FIXTURES / name).read_bytes(), CTX)
    assert articles == []
    assert [(item.position, item.reason) for item in rejects] == [("feed", "broken_feed")]
    assert rejects[0].detail.startswith("not a readable RSS/Atom feed:")


def test_empty_bytes_are_a_broken_feed_and_an_empty_channel_is_nothing():
    assert [item.reason for item in read_feed(b"", CTX).rejects] == ["broken_feed"]
    empty = read_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>', CTX)
    assert empty.articles == [] and empty.rejects == []


def test_bytes_naming_a_file_are_not_opened():
    # feedparser opens a string that names a file; the reader must read the bytes themselves
    path = str(FIXTURES / "huffpost_world.rss").encode()
    assert [item.reason for item in read_feed(path, CTX).rejects] == ["broken_feed"]


def test_html_to_text_drops_scripts_and_keeps_breaks():
    text = html_to_text("<p>One &amp; two</p><script>x()</script><p>three<br>four</p>")
    assert " ".join(text.split()) == "One & two three four"
    assert "\n\n" in text and "x()" not in text
    assert html_to_text("plain 3 < 4") == "plain 3 < 4"


XML_PIECES = st.sampled_from([
    '<?xml version="1.0"?>', '<rss version="2.0">', "</rss>", "<channel>", "</channel>", "<item>", "</item>",
    '<feed xmlns="http://www.w3.org/2005/Atom">', "</feed>", "<entry>", "</entry>", "<title>", "</title>",
    "<description>", "</description>", '<content type="html">', "</content>", "<pubDate>", "</pubDate>",
    "<published>", "</published>", "<link>", "</link>", "<![CDATA[", "]]>", "&amp;", "&lt;p&gt;", "&#0;",
    "&bogus;", "Mon, 31 Feb 2022 10:00:00 GMT", "2022-09-21T12:00:00Z", "0001-01-01", "https://example.org/a",
])


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_articles_or_rejects(data):
    for item in iter_feed(data, CTX):
        assert isinstance(item, Article | Reject)


@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(XML_PIECES | st.text(max_size=40), max_size=40))
def test_any_xmlish_text_gives_articles_or_rejects(pieces):
    for item in iter_feed("".join(pieces).encode("utf-8", "surrogatepass"), CTX):
        assert isinstance(item, Article | Reject)
