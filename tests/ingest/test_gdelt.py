"""The GDELT 2.0 event export reader: a sample export in GDELT's layout, and any bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.ingest.gdelt import GDELT_COLUMNS, iter_gdelt, looks_like_gdelt, read_gdelt
from detente.ingest.items import ReadContext
from detente.ingest.normalise import article_id
from detente.records import Event, Modality, Reject

SAMPLE = Path(__file__).parent.parent / "fixtures" / "ingest" / "gdelt_sample.export.CSV"
NOW = dt.datetime(2025, 1, 1)


@pytest.fixture
def ctx() -> ReadContext:
    return ReadContext(source="gdelt_sample.export.CSV", now=NOW)


@pytest.fixture(scope="module")
def sample_lines() -> list[bytes]:
    return SAMPLE.read_bytes().splitlines(keepends=True)


@pytest.fixture
def sample(ctx):
    result = read_gdelt(SAMPLE.read_bytes(), ctx)
    return result, {event.id: event for event in result.events}


def test_columns_follow_the_codebook():
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[5] == "Actor1Code" and GDELT_COLUMNS[15] == "Actor2Code"
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
        "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    )
    assert GDELT_COLUMNS[51:59] == (
        "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    )
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert len(set(GDELT_COLUMNS)) == 61


def test_sample_gives_ten_events_and_three_rejects(sample):
    result, _ = sample
    assert len(result.events) == 10
    assert result.articles == []
    assert [(r.position, r.reason) for r in result.rejects] == [
        ("line 11", "bad_event_row"),
        ("line 12", "bad_event_row"),
        ("line 13", "bad_event_row"),
    ]
    assert "20 fields" in result.rejects[0].detail
    assert "SQLDATE" in result.rejects[1].detail
    assert "GoldsteinScale" in result.rejects[2].detail
    assert all(r.source == "gdelt_sample.export.CSV" and r.rejected_at == NOW for r in result.rejects)
    assert result.rejects[2].excerpt.startswith("1028610398\t20220227")


def test_invasion_event_fields(sample):
    _, events = sample
    event = events["gdelt:1028552811"]
    assert event.source_actor == "RUS" and event.target_actor == "UKR"
    assert event.cameo_code == "190"
    assert event.event_type == "ASSAULT" and event.mode is None
    assert event.goldstein == -10.0
    assert event.date == dt.date(2022, 2, 24)
    assert event.modality is Modality.ASSERTED
    assert event.origin == "gdelt"
    assert event.confidence == 1.0  # 12 sources, past the saturation at 10
    assert event.location is not None
    assert event.location.name == "Kiev, Kyyiv, Misto, Ukraine"
    assert event.location.country is None  # GDELT's "UP" is FIPS 10-4, not ISO 3166
    assert (event.location.lat, event.location.lon) == (50.4333, 30.5167)
    url = "https://www.reuters.com/world/europe/putin-orders-military-operations-ukraine-2022-02-24/"
    assert event.provenance.url == url
    assert event.provenance.article_id == article_id(url, "", "")
    assert event.provenance.sentence_index is None


@pytest.mark.parametrize(
    ("event_id", "cameo_code", "event_type", "mode", "goldstein"),
    [
        ("gdelt:1028553407", "193", "ASSAULT", "firearms", -10.0),
        ("gdelt:1028560092", "1823", "ASSAULT", None, -10.0),
        ("gdelt:1028561730", "192", "COERCE", "seize", -9.5),  # occupy territory: COERCE in PLOVER
        ("gdelt:1028561901", "1056", "REQUEST", "yield", -5.0),
        ("gdelt:1028575512", "163", "COERCE", "restrict", -8.0),  # sanctions: COERCE in the 2021 table
        ("gdelt:1028610337", "036", "AGREE", None, 4.0),
        ("gdelt:1028742015", "042", "CONSULT", "visit", 1.9),
        ("gdelt:1055198846", "057", "SUPPORT", None, 8.0),
        ("gdelt:1068803521", "010", "OTHER", None, 0.0),  # statements: no PLOVER type
    ],
)
def test_plover_mapping(sample, event_id, cameo_code, event_type, mode, goldstein):
    _, events = sample
    event = events[event_id]
    assert (event.cameo_code, event.event_type, event.mode, event.goldstein) == (cameo_code, event_type, mode, goldstein)


def test_confidence_grows_with_sources(sample):
    _, events = sample
    assert events["gdelt:1028553407"].confidence == pytest.approx(0.4)  # 4 sources
    assert events["gdelt:1068803521"].confidence == pytest.approx(0.1)  # 1 source
    assert events["gdelt:1055198846"].confidence == 1.0  # 15 sources


def test_event_without_action_geography_or_target(sample):
    _, events = sample
    event = events["gdelt:1068803521"]
    assert event.location is None
    assert event.source_actor == "RUSGOV" and event.target_actor is None


def test_non_ascii_place_name(sample):
    _, events = sample
    assert events["gdelt:1055198846"].location.name == "İstanbul, İstanbul, Turkey"


def test_tracking_parameters_do_not_change_the_article_id(sample):
    _, events = sample
    event = events["gdelt:1028561730"]
    assert event.provenance.url == "https://www.bbc.com/news/world-europe-60514617?at_medium=RSS&utm_source=twitter"
    assert event.provenance.article_id == article_id("https://www.bbc.com/news/world-europe-60514617?at_medium=RSS", "", "")


def test_non_url_source_gets_an_id_of_its_own(ctx, sample_lines):
    other = sample_lines[4].replace(b"1028561901", b"1028561902", 1)
    events = [item for item in iter_gdelt([sample_lines[4], other], ctx) if isinstance(item, Event)]
    assert [e.provenance.url for e in events] == ["BBC Monitoring", "BBC Monitoring"]
    assert events[0].provenance.article_id != events[1].provenance.article_id
    assert events[0].provenance.article_id != article_id("BBC Monitoring", "", "")


def _with(line: bytes, column: str, value: str) -> bytes:
    fields = line.rstrip(b"\n").split(b"\t")
    fields[GDELT_COLUMNS.index(column)] = value.encode()
    return b"\t".join(fields) + b"\n"


@pytest.mark.parametrize(
    ("column", "value", "detail"),
    [
        ("GLOBALEVENTID", "abc", "GLOBALEVENTID"),
        ("SQLDATE", "2022022", "YYYYMMDD"),
        ("SQLDATE", "18991231", "outside"),
        ("SQLDATE", "20300101", "outside"),  # after ctx.now
        ("EventCode", "", "EventCode"),
        ("EventCode", "19x", "EventCode"),
        ("GoldsteinScale", "", "empty"),
        ("GoldsteinScale", "nan", "not a number"),
        ("GoldsteinScale", "-11", "outside"),
        ("NumSources", "-3", "NumSources"),
        ("ActionGeo_Lat", "north", "ActionGeo_Lat"),
        ("ActionGeo_Long", "200", "outside"),
    ],
)
def test_bad_fields_are_rejected(ctx, sample_lines, column, value, detail):
    (item,) = list(iter_gdelt([_with(sample_lines[0], column, value)], ctx))
    assert isinstance(item, Reject)
    assert item.reason == "bad_event_row" and item.position == "line 1"
    assert detail in item.detail


def test_undecodable_and_blank_lines(ctx, sample_lines):
    items = list(iter_gdelt([b"\n", sample_lines[0], b"\xff\xfe bad\n", b"  \t \r\n", sample_lines[1]], ctx))
    assert [type(item).__name__ for item in items] == ["Event", "Reject", "Event"]
    assert (items[1].reason, items[1].position) == ("undecodable_bytes", "line 3")


def test_windows_line_ends_and_byte_order_mark(ctx, sample_lines):
    lines = [b"\xef\xbb\xbf" + sample_lines[0].replace(b"\n", b"\r\n"), sample_lines[1].replace(b"\n", b"\r\n")]
    events = list(iter_gdelt(lines, ctx))
    assert [e.id for e in events] == ["gdelt:1028552811", "gdelt:1028553407"]
    assert events[0].provenance.url.endswith("2022-02-24/")


def test_oversize_line(sample_lines):
    small = ReadContext(source="x", now=NOW, max_text_bytes=100)
    (item,) = list(iter_gdelt([sample_lines[0]], small))
    assert isinstance(item, Reject) and item.reason == "oversize"


def test_looks_like_gdelt(sample_lines):
    assert looks_like_gdelt(sample_lines[0])
    assert looks_like_gdelt(sample_lines[0].rstrip(b"\n"))
    assert not looks_like_gdelt(sample_lines[10])  # short row
    assert not looks_like_gdelt(b"GLOBALEVENTID\tSQLDATE" + b"\tx" * 59)  # a header line
    assert not looks_like_gdelt(b'{"title": "a JSON line"}')
    assert not looks_like_gdelt(b"\xff" * 70)
    assert not looks_like_gdelt(b"")


# -- any input: no crash, one event or reject per non-blank line ---------------

_VALID_FIELDS = SAMPLE.read_bytes().splitlines()[0].decode().split("\t")


def _mutated_row(changes: list[tuple[int, str]]) -> bytes:
    fields = list(_VALID_FIELDS)
    for index, value in changes:
        fields[index] = value
    return "\t".join(fields).encode("utf-8", "surrogatepass")


_lines = st.lists(
    st.one_of(
        st.binary(max_size=200),
        st.lists(st.text(max_size=15), min_size=55, max_size=65).map(lambda f: "\t".join(f).encode("utf-8", "surrogatepass")),
        st.lists(st.tuples(st.integers(0, 60), st.text(max_size=12)), max_size=6).map(_mutated_row),
    ),
    max_size=12,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=_lines)
def test_any_lines_give_one_event_or_reject_each(lines):
    ctx = ReadContext(source="fuzz", now=NOW)
    items = list(iter_gdelt(lines, ctx))
    assert len(items) == sum(1 for line in lines if line.strip())
    for item in items:
        assert isinstance(item, (Event, Reject))
        if isinstance(item, Event):
            assert item.origin == "gdelt" and item.id.startswith("gdelt:")
            assert 0.0 <= item.confidence <= 1.0
