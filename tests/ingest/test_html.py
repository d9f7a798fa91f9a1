"""HTML pages: main text of a real news page without its boilerplate, charsets, broken pages, any bytes."""

import datetime as dt
import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.html import declared_charset, iter_html, read_html
from detente.ingest.items import ReadContext
from detente.records import Article, Reject

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
CTX = ReadContext(source="test", now=dt.datetime(2026, 1, 1))
PAGE = (FIXTURES / "seed_article.html").read_text(encoding="utf-8")

BOILERPLATE = [
    "We use cookies", "Accept all cookies", "Subscribe today", "Most read", "Oil prices slip",
    "Sign up for our morning briefing", "All rights reserved", "Privacy policy", "Share this article",
    "dataLayer", "Staff Reporter",
]


def _words(text):
    return " ".join(text.split())


def test_seed_page_gives_title_date_url_and_main_text(shared_data):
    articles, rejects = read_html(PAGE.encode(), CTX)
    assert rejects == []
    (article,) = articles
    assert article.title == "U.S. and Ukraine Advance Talks in Miami on Peace Framework"
    assert article.published_at == dt.datetime(2025, 12, 6, 9, 0)
    assert article.url == "https://news.example.org/world/2025/12/06/us-ukraine-miami-talks"
    assert article.language == "en"
    seed_text = (shared_data / "samples" / "seed_article.txt").read_text(encoding="utf-8")
    seed_lines = [line for line in seed_text.splitlines()[1:] if line.strip()]
    for paragraph in seed_lines:  # the summary and every paragraph of the story, in order
        assert _words(paragraph) in _words(article.body)
    assert _words(article.body) == _words(" ".join(seed_lines))
    assert not article.body.startswith(article.title)


def test_seed_page_excludes_boilerplate():
    (article,) = read_html(PAGE.encode(), CTX).articles
    for phrase in BOILERPLATE:
        assert phrase not in article.body, phrase


def test_seed_page_matches_golden_file():
    (article,) = read_html(PAGE.encode(), CTX).articles
    expected = json.loads((FIXTURES / "seed_article.html.expected.json").read_text(encoding="utf-8"))
    assert expected == {"articles": [article.model_dump(mode="json", exclude={"ingested_at"})], "rejects": []}


def test_given_url_wins_over_canonical_link():
    (article,) = read_html(PAGE.encode(), CTX, url="https://news.example.org/p/123").articles
    assert article.url == "https://news.example.org/p/123"


def _undated(page):
    page = re.sub(r'<meta property="article:published_time"[^>]*>', "", page)
    return re.sub(r"<time[^>]*>[^<]*</time>", "", page).replace("/2025/12/06", "")


def test_date_from_time_element_without_meta():
    page = re.sub(r'<meta property="article:published_time"[^>]*>', "", PAGE)
    (article,) = read_html(page.encode(), CTX).articles
    assert article.published_at.date() == dt.date(2025, 12, 6)


def test_undated_page_uses_default_published_and_ignores_copyright_year():
    page = _undated(PAGE).encode()
    assert [item.reason for item in read_html(page, CTX).rejects] == ["missing_date"]
    ctx = ReadContext(source="test", now=dt.datetime(2026, 1, 1), default_published=dt.datetime(2025, 12, 7))
    (article,) = read_html(page, ctx).articles
    assert article.published_at == dt.datetime(2025, 12, 7)


def test_page_in_declared_legacy_charset_is_decoded():
    paragraph = "<p>Diplomats met at a café in Genève on Tuesday to discuss the ceasefire and a prisoner exchange.</p>"
    page = (
        "<html><head><meta charset='windows-1252'><title>Café talks</title>"
        '<meta property="article:published_time" content="2025-12-02T10:00:00Z"></head>'
        f"<body><article><h1>Café talks</h1>{paragraph * 3}</article></body></html>"
    ).encode("cp1252")
    assert declared_charset(page) == "windows-1252"
    (article,) = read_html(page, CTX).articles
    assert article.title == "Café talks" and "Genève" in article.body


def test_undecodable_page_is_rejected():
    page = b"<html><head><meta charset='utf-8'></head><body><p>Caf\xe9 \xff\xfe talks</p></body></html>"
    (reject,) = read_html(page, CTX, position="https://example.org/x").rejects
    assert reject.reason == "undecodable_bytes" and reject.position == "https://example.org/x"
    unknown = page.replace(b"utf-8", b"x-klingon")
    assert [item.reason for item in read_html(unknown, CTX).rejects] == ["undecodable_bytes"]


def test_page_without_main_text_is_broken_html():
    nav_only = b"<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></body></html>"
    for page in (b"", b"   ", nav_only, b"<html><body></body></html>"):
        assert [item.reason for item in read_html(page, CTX).rejects] == ["broken_html"], page


def test_binary_and_oversize_pages_are_rejected():
    assert [item.reason for item in read_html(b"\x00\x01\x02" * 100, CTX).rejects] == ["binary_content"]
    small = ReadContext(source="test", now=dt.datetime(2026, 1, 1), max_text_bytes=100)
    assert [item.reason for item in read_html(PAGE.encode(), small).rejects] == ["oversize"]


HTML_PIECES = st.sampled_from([
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<article>", "</article>", "<p>", "</p>",
    "<h1>", "</h1>", "<nav>", "</nav>", "<script>", "</script>", "<meta charset='latin-1'>", "<meta charset='zz'>",
    '<meta property="article:published_time" content="2025-12-06T09:00:00Z">',
    '<meta property="article:published_time" content="9999-99-99">', "<time datetime='0000-00-00'>",
    "<!--", "-->", "&amp;", "&#0;", "<![CDATA[", "<?xml version='1.0' encoding='utf-16'?>",
    "Negotiators met in Miami on Friday to discuss a peace framework for Ukraine. ",
])


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_exactly_one_article_or_reject(data):
    items = list(iter_html(data, CTX, "page"))
    assert len(items) == 1 and isinstance(items[0], Article | Reject)


@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(HTML_PIECES | st.text(max_size=30), max_size=60))
def test_any_htmlish_text_gives_exactly_one_article_or_reject(pieces):
    items = list(iter_html("".join(pieces).encode("utf-8", "surrogatepass"), CTX, "page"))
    assert len(items) == 1 and isinstance(items[0], Article | Reject)
