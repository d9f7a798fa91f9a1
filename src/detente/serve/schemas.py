"""Request and response bodies of the REST API, and frames turned into JSON rows."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Generic, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..errors import FetchError
from ..ingest.fetch import check_scheme
from ..ingest.watch import YEAR_S, Kind

#: Largest page a list endpoint returns.
MAX_PAGE = 1000
#: Most articles one ``POST /articles`` takes.
MAX_ARTICLES = 1000
#: Longest feed URL ``POST /feeds`` takes (characters).
MAX_FEED_URL = 2_048


#: Columns the store keeps as JSON text; the API returns them as JSON values.
JSON_TEXT_COLUMNS = ("actors", "evidence", "delivered", "drivers")


def _json_value(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON-ready dicts: days as ``YYYY-MM-DD``, other timestamps in ISO 8601, missing values
    null, JSON text columns (``actors``, ``evidence`` ...) decoded."""
    if frame.empty:
        return []
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values) and (values.dropna() == values.dropna().dt.normalize()).all():
            frame[column] = values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None)
    rows = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str, force_ascii=False))
    decode = [column for column in JSON_TEXT_COLUMNS if column in frame.columns]
    for row in rows if decode else ():
        for column in decode:
            row[column] = _json_value(row[column])
    return rows


class Error(BaseModel):
    """Every error answer: one message a person can act on, and the details when there are several."""

    error: str = Field(description="what went wrong and how to fix it")
    details: list[dict[str, Any]] | None = Field(default=None, description="one entry per invalid parameter")


class Row(BaseModel):
    """A row of a stored table; days are ``YYYY-MM-DD``, times ISO 8601; columns added later pass through."""

    model_config = ConfigDict(extra="allow")


class ArticleRow(Row):
    """A stored article."""

    id: str
    published_at: str
    source: str
    language: str | None
    title: str
    url: str | None
    body: str


class EventRow(Row):
    """A coded event; ``*_start``/``*_end`` are character offsets in the article body (``sentence`` starts at
    ``sentence_start``)."""

    id: str
    event_date: str | None
    event_date_end: str | None
    source_actor: str | None
    event_type: str
    cameo_code: str | None
    goldstein: float | None
    target_actor: str | None
    modality: str
    place: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    confidence: float | None
    origin: str
    article_id: str | None
    sentence_index: int | None
    trigger_start: int | None
    trigger_end: int | None
    sentence: str | None
    sentence_start: int | None


class StorylineRow(Row):
    """A storyline with its current phase and extent."""

    id: str
    label: str
    phase: str | None
    phase_since: str | None
    n_articles: int
    first_published: str | None
    last_published: str | None
    actors: list[str] | None


class AlertRow(Row):
    """An alert that fired, with the ids of its evidence."""

    id: str
    alert_date: str
    rule: str
    kind: str
    scope: str
    message: str
    value: float | None
    evidence: list[Any]


class IndexPoint(Row):
    """One day (week, month) of a risk index: base-period average = 100."""

    date: str
    index: float | None
    threat: float | None
    act: float | None
    articles: int


RowT = TypeVar("RowT", bound=Row)


class Page(BaseModel, Generic[RowT]):
    """A page of rows of a list endpoint."""

    count: int = Field(description="rows in this page")
    limit: int
    offset: int = 0
    items: list[RowT]


class Health(BaseModel):
    """The server is up; what it serves."""

    status: str = "ok"
    version: str
    schema_version: int
    read_only: bool


class IndexSeries(BaseModel):
    """A risk-index series (base-period average = 100)."""

    scope: str
    method: str
    freq: str
    points: list[IndexPoint]


class Frames(BaseModel):
    """Several named tables (an explanation of an index day, a storyline)."""

    model_config = ConfigDict(extra="allow")


class AnalyzeIn(BaseModel):
    """A text to code, with its publication date to resolve relative dates."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="plain text or simple HTML, English")
    published: dt.date | None = Field(default=None, description="publication date (YYYY-MM-DD)")


class AnalyzeOut(BaseModel):
    """What extraction found: spans point into ``text`` (the cleaned input)."""

    text: str
    published: dt.date | None
    skipped_reason: str | None
    sentences: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    events: list[dict[str, Any]]
    signals: list[dict[str, Any]]


class ArticleIn(BaseModel):
    """One article to ingest; bad content (no text, impossible date) becomes a stored reject, not an error."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=2_000)
    body: str | None = Field(default=None, description="the article text (limited by DETENTE_MAX_TEXT_BYTES)")
    published: str | None = Field(default=None, max_length=100, description="date or date-time, ISO 8601 preferred")
    url: str | None = Field(default=None, max_length=2_048)
    source: str | None = Field(default=None, max_length=200, description="publisher name")


class ArticlesIn(BaseModel):
    """A batch of articles to ingest."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES)
    source: str | None = Field(default=None, max_length=200, description="publisher for articles that name none")
    dedupe: bool = Field(default=True, description="link near-duplicates of stored articles instead of storing them")


class IngestOut(BaseModel):
    """What one ``POST /articles`` stored."""

    key: str = Field(description="name of the API key that wrote")
    read: int
    articles_added: int
    already_stored: int
    near_duplicates_added: int
    rejects_added: int
    rejects_by_reason: dict[str, int]
    seconds: float


class FeedIn(BaseModel):
    """A feed or page to subscribe to: ``detente watch`` polls it besides the URLs of its watch file."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=MAX_FEED_URL, description="http or https URL with a host")
    source: str | None = Field(default=None, max_length=200, description="publisher for items that name none")
    kind: Kind = Field(default="auto", description="feed (RSS/Atom), page (HTML) or auto (told from the bytes)")
    interval_s: int | None = Field(default=None, gt=0, le=int(YEAR_S),
                                   description="seconds between polls; default: the watcher's")

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        """An absolute http(s) URL with a host, no spaces or control characters (private addresses are
        refused when fetching, where the name is resolved)."""
        url = url.strip()
        if any(char.isspace() or not char.isprintable() for char in url):
            raise ValueError("a URL has no spaces or control characters")
        try:
            check_scheme(url)
        except FetchError as exc:
            raise ValueError(str(exc)) from exc
        return url

    @field_validator("source")
    @classmethod
    def _printable(cls, source: str | None) -> str | None:
        """A publisher name without control characters."""
        if source is not None and not source.isprintable():
            raise ValueError("a source has no control characters")
        return source


class FeedOut(BaseModel):
    """A subscribed feed or page, with what ``detente watch`` remembers of it (zeros and nulls until polled)."""

    url: str
    source: str | None
    kind: Kind
    interval_s: int | None
    created_at: dt.datetime = Field(description="UTC")
    created_by: str = Field(description="name of the API key that subscribed")
    polls: int = 0
    failures: int = Field(default=0, description="failed polls in a row")
    articles_added: int = 0
    last_status: int | None = None
    last_error: str | None = None
    last_polled_at: dt.datetime | None = None
    next_poll_at: dt.datetime | None = None


class FeedList(BaseModel):
    """Every subscribed feed or page."""

    count: int
    items: list[FeedOut]
