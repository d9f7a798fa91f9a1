"""The typed records every stage exchanges (DESIGN.md, "Records").

Each record is a frozen pydantic model: stages pass these, never dicts.
Times are UTC; character spans are ``[start, end)`` offsets into the
article's text (``Article.text``: the title, a blank line, the body).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base of all records: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Record):
    """A half-open character range ``[start, end)`` in an article body."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Article(Record):
    """One news item after normalisation.

    ``id`` is a stable hash of the canonical URL, or of the normalised title
    and body when there is no URL, so the same story ingested twice gets the
    same id.
    """

    id: str
    source: str
    url: str | None = None
    published_at: dt.datetime  # UTC, naive
    title: str
    body: str
    language: str | None = None  # ISO 639-1 code
    ingested_at: dt.datetime  # UTC, naive

    @property
    def text(self) -> str:
        """The text extraction reads and spans point into: title, blank line, body."""
        return f"{self.title}\n\n{self.body}" if self.title and self.title != self.body else self.body


class Reject(Record):
    """An input that could not become a record, kept with the reason why.

    ``position`` locates it in its source: a line number, an entry index,
    a file path inside a directory, a URL.
    """

    id: str
    source: str
    position: str
    reason: str  # one of ``detente.ingest.items.REASONS``
    detail: str
    excerpt: str = ""
    rejected_at: dt.datetime


class NearDuplicate(Record):
    """An article whose text nearly repeats one already stored.

    It is stored as a link to the original (MinHash estimate of the Jaccard
    similarity of word 5-shingles), not as a second article.
    """

    article_id: str
    original_id: str
    jaccard: float
    source: str
    url: str | None = None
    title: str
    published_at: dt.datetime


class Sentence(Record):
    """A sentence of an article: its index and span in the body."""

    article_id: str
    index: int
    span: Span
    text: str


class Mention(Record):
    """A mention of an actor, resolved to a CAMEO-style code (``USAGOV``)."""

    article_id: str
    sentence_index: int
    span: Span
    text: str
    actor_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # GOV, MIL, REB, CVL, ...
    person: str | None = None
    role: str | None = None


class Modality(StrEnum):
    """How the text holds an event to be true."""

    ASSERTED = "asserted"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"
    CONDITIONAL = "conditional"
    FUTURE = "future"
    REPORTED = "reported"


class Location(Record):
    """Where an event took place."""

    name: str
    country: str | None = None  # ISO 3166-1 alpha-3
    lat: float | None = None
    lon: float | None = None


class Provenance(Record):
    """Where a record came from: article, sentence and character spans."""

    article_id: str
    sentence_index: int | None = None
    trigger: Span | None = None
    source: Span | None = None
    target: Span | None = None
    url: str | None = None


class Event(Record):
    """Who did what to whom, where and when.

    ``event_type`` is a PLOVER category (``CONSULT``, ``ASSAULT`` ...);
    ``cameo_code`` the CAMEO code it came from and ``goldstein`` that code's
    Goldstein conflict-cooperation score (-10 ... +10). ``date_end`` is set
    when the date is a range ("earlier in the week"). ``origin`` says which
    coder produced it (``detente`` or ``gdelt``).
    """

    id: str
    source_actor: str | None = None
    event_type: str
    mode: str | None = None
    cameo_code: str | None = None
    goldstein: float | None = None
    target_actor: str | None = None
    date: dt.date | None = None
    date_end: dt.date | None = None
    location: Location | None = None
    modality: Modality = Modality.ASSERTED
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    provenance: Provenance
    origin: str = "detente"


class SignalKind(StrEnum):
    """The kinds of reading an article gives beyond its events."""

    TONE = "tone"
    REGISTER = "register"
    POSITION = "position"
    CONDITION = "condition"
    COMMITMENT = "commitment"


class Signal(Record):
    """Tone, diplomatic register, a position, a condition or a commitment.

    ``actor`` is whose reading, position, commitment it is (the speaker for
    tone and register; for a condition, the party whose action is
    required) and ``counterpart`` the other party where there is one.
    ``label`` is the reading (``engagement``) or, for conditions and
    commitments, the PLOVER type of the action required or promised
    (``CONSULT`` for "agreed to reconvene"); ``issue`` is from the issue
    vocabulary (``territory``); ``stance`` says how a position is held
    (``demand``, ``insist``, ``offer``, ``reject``); ``due`` and ``status``
    describe commitments (``open`` until a later event meets or breaks it).
    ``text`` is the quoted words; the provenance's ``trigger`` span points
    at them and its ``source`` span at the speaker.
    """

    id: str
    article_id: str
    kind: SignalKind
    actor: str | None = None
    counterpart: str | None = None
    value: float | None = None
    label: str | None = None
    issue: str | None = None
    stance: str | None = None
    text: str = ""
    due: dt.date | None = None
    status: str | None = None
    provenance: Provenance


class IndexPoint(Record):
    """One value of a risk index: scope is ``global``, a country or a storyline."""

    date: dt.date
    scope: str
    measure: str
    value: float


class Alert(Record):
    """A rule of the alerts file that fired, with the evidence behind it.

    ``id`` is stable (rule, scope, day, subject), so re-evaluating the rules
    never fires the same alert twice. ``evidence`` holds the ids of the
    events, signals, articles or index points that made it fire.
    """

    id: str
    rule: str
    kind: str  # index_level, index_jump, phase, new_actor, ledger, escalation
    scope: str
    day: dt.date
    message: str
    value: float | None = None
    evidence: tuple[str, ...] = ()


class AssetImpact(Record):
    """The expected reaction of one asset under a scenario, with its basis."""

    asset: str
    direction: int = Field(ge=-1, le=1)
    size: float | None = None
    interval_low: float | None = None
    interval_high: float | None = None
    basis: str = ""


class Scenario(Record):
    """A storyline's possible outcome with its probability and market impacts."""

    storyline_id: str
    name: str
    probability: float = Field(ge=0.0, le=1.0)
    drivers: tuple[str, ...] = ()  # ids of the events and signals behind it
    asset_impacts: tuple[AssetImpact, ...] = ()


class FeedState(Record):
    """What ``detente watch`` remembers of one feed or page URL between polls.

    ``etag`` and ``last_modified`` are the validators of the last good
    answer (sent back for a conditional GET); ``failures`` counts failed
    polls in a row, which set ``next_poll_at`` by exponential back-off.
    Times are naive UTC.
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None  # HTTP status of the last answer; None when none came
    last_error: str | None = None  # why the last poll failed; None after a success
    failures: int = Field(default=0, ge=0)
    polls: int = Field(default=0, ge=0)
    articles_added: int = Field(default=0, ge=0)  # over every poll
    last_polled_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    next_poll_at: dt.datetime | None = None


class FeedSubscription(Record):
    """A feed or page URL subscribed to over the REST API, polled by ``detente watch``.

    ``kind`` is ``auto`` (told from the first bytes), ``feed`` or ``page``;
    ``interval_s`` None means the watcher's default. ``created_by`` is the
    name of the API key that subscribed. Times are naive UTC.
    """

    url: str
    source: str | None = None
    kind: Literal["auto", "feed", "page"] = "auto"
    interval_s: int | None = Field(default=None, gt=0)
    created_at: dt.datetime
    created_by: str
