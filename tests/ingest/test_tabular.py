import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.errors import BadOption
from detente.ingest.tabular import parse_mapping, read_csv, read_jsonl
from detente.records import Article, Reject
from tests.conftest import HUFFPOST, HUFFPOST_MAP


def test_huffpost_file_reads_as_is_with_the_mapping(ctx):
    articles, rejects = read_jsonl(HUFFPOST.read_bytes(), ctx, parse_mapping(HUFFPOST_MAP))
    assert len(articles) + len(rejects) == 10_000
    assert rejects == []
    first = articles[0]
    assert first.title == "Over 4 Million Americans Roll Up Sleeves For Omicron-Targeted COVID Boosters"
    assert first.body.startswith("Health experts said it is too early")
    assert first.url.startswith("https://www.huffpost.com/entry/covid-boosters-uptake-us")
    assert first.published_at.isoformat() == "2022-09-23T00:00:00"
    assert sum(a.language == "en" for a in articles) > 9_900


def test_mapping_errors_are_clear():
    assert parse_mapping("title=headline, body=text") == {"title": "headline", "body": "text"}
    with pytest.raises(BadOption, match="unknown field 'colour'"):
        parse_mapping("colour=red")
    with pytest.raises(BadOption, match="needs a column"):
        parse_mapping("title")


def test_bad_lines_do_not_lose_good_ones(ctx):
    good = json.dumps({"title": "Talks", "text": "Envoys met in Geneva.", "date": "2024-05-01"})
    data = "\n".join([good, "{not json", "[1, 2]", "", json.dumps({"title": "No date", "text": "x y z"}), good.replace("Talks", "Talks 2")])
    data_bytes = data.encode() + b"\n\xff\xfe\n"
    articles, rejects = read_jsonl(data_bytes, ctx)
    assert [a.title for a in articles] == ["Talks", "Talks 2"]
    assert [(r.position, r.reason) for r in rejects] == [
        ("line 2", "malformed_row"), ("line 3", "malformed_row"), ("line 5", "missing_date"), ("line 7", "undecodable_bytes")]


def test_csv_with_mapping_and_bad_rows(ctx):
    data = (
        b"Headline;Story;When;Link\n"
        b"Ceasefire holds;Both sides reported calm along the line.;2023-07-01;https://n.example/a\n"
        b"Broken row;only two\n"
        b"Summit ends;Leaders agreed to meet again.;01/08/2023;https://n.example/b\n"
    )
    articles, rejects = read_csv(data, ctx, parse_mapping("title=Headline,body=Story,published=When,url=Link"))
    assert [a.title for a in articles] == ["Ceasefire holds", "Summit ends"]
    assert [(r.position, r.reason) for r in rejects] == [("row 3", "malformed_row")]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.binary(max_size=200), st.dictionaries(st.sampled_from(
    ["title", "headline", "body", "text", "date", "link", "x"]), st.one_of(st.text(max_size=50), st.integers(), st.none())).map(
    lambda d: json.dumps(d).encode())), max_size=20))
def test_any_lines_are_each_accounted_for(ctx, lines):
    result = read_jsonl(b"\n".join(lines), ctx)
    non_blank = sum(1 for chunk in b"\n".join(lines).split(b"\n") if chunk.strip())
    assert len(result.articles) + len(result.rejects) == non_blank
    assert all(isinstance(a, Article) for a in result.articles) and all(isinstance(r, Reject) for r in result.rejects)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_csv_bytes_give_records_or_rejects(ctx, data):
    result = read_csv(b"title,body,date\n" + data, ctx)
    assert all(isinstance(a, Article) for a in result.articles) and all(isinstance(r, Reject) for r in result.rejects)
