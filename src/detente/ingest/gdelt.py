"""GDELT 2.0 event exports (``*.export.CSV``): already-coded events.

Each line is one event, 61 tab-separated fields, no header. A good line
becomes an ``Event`` with ``origin="gdelt"``; a bad one a ``Reject``
(``bad_event_row`` or ``undecodable_bytes``) and the batch goes on.

Mapping decisions:

- ``event_type`` and ``mode`` come from the CAMEO → PLOVER table
  (``detente.extract.cameo``), falling back to the code's parent; codes
  PLOVER does not cover (the 01 statement and 02 appeal families) get
  ``event_type="OTHER"``. ``goldstein`` is GDELT's own ``GoldsteinScale``.
- ``location`` is the ``ActionGeo`` place (name, lat, lon), None when GDELT
  gives no action geography. Its ``country`` stays None: GDELT's geographic
  country codes are FIPS 10-4, not ISO 3166, and no installed library maps
  one to the other (pycountry has no FIPS codes).
- ``confidence`` is ``min(1, NumSources / 10)``: the number of distinct
  sources that reported the event in its first 15-minute batch, which the
  GDELT codebook offers as a proxy for importance, saturating at ten.
- ``provenance.article_id`` is ``article_id(SOURCEURL)``, the same id the
  article gets when ingested from that URL; a ``SOURCEURL`` that is not a URL
  (GDELT writes names such as ``BBC Monitoring`` for non-web sources) gives an
  id of its own per event, so unrelated events are not tied to one article.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Iterator

from pydantic import ValidationError

from ..extract.cameo import lookup_cameo
from ..records import Event, Location, Modality, Provenance, Reject
from .items import ReadContext, ReadResult, collect, decoded_lines, reject
from .normalise import EARLIEST_DATE, FUTURE_SLACK, article_id, canonical_url

_ACTOR_FIELDS = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
    "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)
_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The 61 columns of a GDELT 2.0 event export, in order, as named in the GDELT
#: Event Database Data Format Codebook V2.0 (2015-02-19) and the BigQuery table
#: ``gdelt-bq.gdeltv2.events`` (the codebook calls ``SQLDATE`` "Day"). GDELT 1.0
#: daily files have 58: the three ``*Geo_ADM2Code`` columns are new in 2.0, and
#: ``DATEADDED`` became ``YYYYMMDDHHMMSS``.
GDELT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{name}" for name in _ACTOR_FIELDS)
    + tuple(f"Actor2{name}" for name in _ACTOR_FIELDS)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1Geo_{name}" for name in _GEO_FIELDS)
    + tuple(f"Actor2Geo_{name}" for name in _GEO_FIELDS)
    + tuple(f"ActionGeo_{name}" for name in _GEO_FIELDS)
    + ("DATEADDED", "SOURCEURL")
)

#: Distinct sources at which an event's confidence reaches 1.
SOURCES_FOR_FULL_CONFIDENCE = 10

_COLUMN = {name: index for index, name in enumerate(GDELT_COLUMNS)}
_EVENT_ID = re.compile(r"[0-9]{1,20}")
_DATE = re.compile(r"[0-9]{8}")
_CAMEO_CODE = re.compile(r"[0-9]{2,4}")
_COUNT = re.compile(r"[0-9]{1,9}")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?")


class _BadRow(ValueError):
    """A field that does not hold what the codebook says it holds."""


def _split(line: str) -> list[str]:
    return line.rstrip("\r\n").split("\t")


def looks_like_gdelt(first_line: bytes) -> bool:
    """Return True if a file's first line looks like a GDELT 2.0 event row.

    That is: 61 tab-separated fields, the first an integer event id and the
    second an 8-digit ``YYYYMMDD`` date.
    """
    try:
        fields = _split(first_line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return False
    return len(fields) == len(GDELT_COLUMNS) and bool(_EVENT_ID.fullmatch(fields[0])) and bool(
        _DATE.fullmatch(fields[1])
    )


def _number(fields: list[str], column: str, low: float, high: float, *, required: bool) -> float | None:
    text = fields[_COLUMN[column]].strip()
    if not text:
        if required:
            raise _BadRow(f"{column} is empty")
        return None
    if not _NUMBER.fullmatch(text):
        raise _BadRow(f"{column} {text!r} is not a number")
    value = float(text)
    if not (math.isfinite(value) and low <= value <= high):
        raise _BadRow(f"{column} {value} is outside {low} … {high}")
    return value


def _event_date(text: str, now: dt.datetime) -> dt.date:
    if not _DATE.fullmatch(text):
        raise _BadRow(f"SQLDATE {text!r} is not YYYYMMDD")
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise _BadRow(f"SQLDATE {text!r}: {exc}") from exc
    if not EARLIEST_DATE.date() <= day <= (now + FUTURE_SLACK).date():
        raise _BadRow(f"SQLDATE {day} is outside 1900 … now")
    return day


def _location(fields: list[str]) -> Location | None:
    name = fields[_COLUMN["ActionGeo_FullName"]].strip()
    lat = _number(fields, "ActionGeo_Lat", -90.0, 90.0, required=False)
    lon = _number(fields, "ActionGeo_Long", -180.0, 180.0, required=False)
    if not name:
        return None
    # ActionGeo_CountryCode is FIPS 10-4; without a FIPS → ISO 3166 map it is not kept.
    return Location(name=name, country=None, lat=lat, lon=lon)


def _provenance(event_id: str, source_url: str) -> Provenance:
    if source_url and canonical_url(source_url):
        return Provenance(article_id=article_id(source_url, "", ""), url=source_url)
    return Provenance(article_id=article_id(None, "gdelt event", event_id), url=source_url or None)


def _event(fields: list[str], ctx: ReadContext) -> Event:
    event_id = fields[_COLUMN["GLOBALEVENTID"]].strip()
    if not _EVENT_ID.fullmatch(event_id):
        raise _BadRow(f"GLOBALEVENTID {event_id!r} is not an integer")
    day = _event_date(fields[_COLUMN["SQLDATE"]].strip(), ctx.now)
    cameo_code = fields[_COLUMN["EventCode"]].strip()
    if not _CAMEO_CODE.fullmatch(cameo_code):
        raise _BadRow(f"EventCode {cameo_code!r} is not a CAMEO code")
    goldstein = _number(fields, "GoldsteinScale", -10.0, 10.0, required=True)
    sources = fields[_COLUMN["NumSources"]].strip()
    if not _COUNT.fullmatch(sources):
        raise _BadRow(f"NumSources {sources!r} is not a count")
    cameo = lookup_cameo(cameo_code)
    return Event(
        id=f"gdelt:{event_id}",
        source_actor=fields[_COLUMN["Actor1Code"]].strip() or None,
        target_actor=fields[_COLUMN["Actor2Code"]].strip() or None,
        event_type=(cameo.plover_type if cameo else None) or "OTHER",
        mode=cameo.plover_mode if cameo else None,
        cameo_code=cameo_code,
        goldstein=goldstein,
        date=day,
        location=_location(fields),
        modality=Modality.ASSERTED,
        confidence=min(1.0, int(sources) / SOURCES_FOR_FULL_CONFIDENCE),
        provenance=_provenance(event_id, fields[_COLUMN["SOURCEURL"]].strip()),
        origin="gdelt",
    )


def iter_gdelt(lines: Iterable[bytes], ctx: ReadContext) -> Iterator[Event | Reject]:
    """Yield one ``Event`` or ``Reject`` per non-blank line of a GDELT 2.0 export.

    Rejects are ``undecodable_bytes`` (not UTF-8), ``oversize`` (a line past
    ``ctx.max_text_bytes``) or ``bad_event_row`` (not 61 fields, or a field
    that does not parse); positions are ``line N``. Never raises on bad input.
    """
    for decoded in decoded_lines(lines, ctx):
        if isinstance(decoded, Reject):
            yield decoded
            continue
        position, line = decoded
        fields = _split(line)
        if len(fields) != len(GDELT_COLUMNS):
            yield reject(ctx, position, "bad_event_row", f"{len(fields)} fields, not {len(GDELT_COLUMNS)}", line)
            continue
        if "\x00" in line:
            yield reject(ctx, position, "bad_event_row", "row contains NUL characters", line)
            continue
        try:
            yield _event(fields, ctx)
        except _BadRow as exc:
            yield reject(ctx, position, "bad_event_row", str(exc), line)
        except ValidationError as exc:  # a value the Event record refuses: still one bad row
            yield reject(ctx, position, "bad_event_row", f"invalid event: {exc.errors()[0]['msg']}", line)


def read_gdelt(data: bytes, ctx: ReadContext) -> ReadResult:
    """Read a GDELT 2.0 export's bytes: events in ``.events``, rejects in ``.rejects``."""
    return collect(iter_gdelt(io.BytesIO(data), ctx))
