"""When an event happened: resolve date expressions against the publication date.

``resolve_date_expression`` returns ``(start, end)``: ``end`` is None for a
single day, else the last day of a range ("last month", "earlier in the
week"). Rules, in order (news reports the past, so an expression without a
year takes the most recent date on or before publication unless it is
clearly future, "next week"):

- ISO dates ``2022-02-24``; "today", "yesterday", "tomorrow", "overnight"
  (the night before publication: yesterday and today).
- Weekday names: "Wednesday" / "on Wednesday" / "this Wednesday" is the
  latest one on or before publication, "last Wednesday" the latest one
  before it, "next Wednesday" the first one after it.
- Calendar weeks (Monday to Sunday, ISO 8601), months and years: "this",
  "last", "next", "earlier this / in the" (start to the day before
  publication), "later this / in the" (the day after to the end).
- "N days/weeks/months/years ago" (a day), "the past / last N ..." (a range
  ending at publication), "the next / coming N ..." (a range after it).
- Month and day: "December 5", "5 December", "Dec. 5th, 2025"; month and
  year "February 2022"; month alone; "early/mid/late December" (days 1-10,
  11-20, 21-end); years "2022"; decades "the 1990s"; seasons "summer 2022"
  (meteorological, northern hemisphere).
- "since X" runs from X to publication. "before/after/by/until X" bound
  an event without dating it: None.
- Durations ("a second day", "four years", "five hour", "12 days") are not
  dates: None. Anything else goes to ``dateparser`` (``RELATIVE_BASE`` =
  publication, ``PREFER_DATES_FROM='past'``), kept only if it names a
  month or is a numeric date.
- ``future=True`` (the caller knows the clause is future tense, "will meet
  on Wednesday") turns the direction around for expressions that leave it
  open: a bare weekday, month-day or month is the next one.

``event_date`` picks, among the sentence's DATE entities, TIME entities
that name a day, and bare day words spaCy missed ("Tuesday"), the one
attached closest to the trigger's event (``clause.attach``), and resolves
it with the words just before it ("earlier in the week", "since 2014").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.attrs import LOWER
from spacy.strings import StringStore
from spacy.tokens import Span, Token

from ..records import Modality
from .clause import attach, event_path, modifies_anchor
from .modality import modality

DateRange = tuple[dt.date, dt.date | None]

_MONTHS = {name.lower(): k for k, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): k for k, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): k for k, name in enumerate(calendar.day_name)}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_UNITS = r"(day|week|month|year|decade)s?"
_NUM = r"(\d{1,3}|" + "|".join(_NUMBERS) + ")"
_MON = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_TIME_OF_DAY = (r"\b(?:(?:the )?early hours of|(?:early |late )?(?:morning|afternoon|evening|night|noon|midnight|dawn)"
                r"(?: of)?)\b")
_BOUNDS = re.compile(r"^(before|after|by|until|till|prior to|ahead of|within|from|between|through)\b")
_DURATION = re.compile(r"\b(\d+|" + "|".join(_NUMBERS) + r"|several|few|many|first|second|third|fourth|fifth"
                       r"|next|last|past|coming|some|\w+teen|\w+ty)\b.*\b(second|minute|hour|day|night|week"
                       r"|month|year|decade)s?\b|^(second|minute|hour|day|night|week|month|year|decade)s$")
_ANCHORED = re.compile(r"\b(ago|last|past|next|coming|this|earlier|later|previous|recent)\b")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_range(year: int, month: int) -> DateRange:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(start: dt.date, end: dt.date) -> DateRange | None:
    """A range, or a single day when both ends meet; None when it is empty."""
    if end < start:
        return None
    return (start, None) if end == start else (start, end)


def _shift(published: dt.date, n: int, unit: str) -> dt.date:
    if unit == "day":
        return published + dt.timedelta(days=n)
    if unit == "week":
        return published + dt.timedelta(weeks=n)
    return _add_months(published, n * {"month": 1, "year": 12, "decade": 120}[unit])


def _unit_range(unit: str, published: dt.date, offset: int) -> DateRange:
    """The whole calendar week/month/year ``offset`` units from the one holding ``published``."""
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=offset)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        first = _add_months(published.replace(day=1), offset)
        return _month_range(first.year, first.month)
    return dt.date(published.year + offset, 1, 1), dt.date(published.year + offset, 12, 31)


def _relative(s: str, published: dt.date, future: bool) -> DateRange | None:
    """Today, weekdays, this/last/next week-month-year, N units ago, the past/next N units."""
    one_day = dt.timedelta(days=1)
    simple = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2}
    if s in simple:
        return published + dt.timedelta(days=simple[s]), None
    if s == "overnight":
        return published - one_day, published
    if m := re.fullmatch(r"(last|this|next|past|previous|coming)?\s*(" + "|".join(_WEEKDAYS) + r")", s):
        back = (published.weekday() - _WEEKDAYS[m[2]]) % 7
        if m[1] in {"next", "coming"}:
            return published + dt.timedelta(days=(7 - back) or 7), None
        if m[1] is None and future:
            return published + dt.timedelta(days=(7 - back) % 7), None
        if m[1] in {"last", "past", "previous"} and back == 0:
            back = 7
        return published - dt.timedelta(days=back), None
    if m := re.fullmatch(r"(earlier|early|later|late)?\s*(?:in|during)?\s*(?:the )?(this|the|last|previous|past|next|coming)"
                         r" (week|month|year)", s):
        when, which, unit = m[1], m[2], m[3]
        offset = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
        if which == "past" and when is None:
            return _shift(published, -1, unit), published
        start, end = _unit_range(unit, published, offset)
        if when in {"earlier", "early"} and offset == 0:
            return _span(start, max(start, published - one_day))
        if when in {"later", "late"} and offset == 0:
            return _span(min(end, published + one_day), end)
        return start, end
    if m := re.fullmatch(_NUM + " " + _UNITS + " ago", s):
        return _shift(published, -_count(m[1]), m[2]), None
    if m := re.fullmatch(r"(?:the )?(past|last|next|coming) " + _NUM + " " + _UNITS, s):
        n, unit = _count(m[2]), m[3]
        if m[1] in {"past", "last"}:
            return _shift(published, -n, unit), published
        return published + one_day, _shift(published, n, unit)
    return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _year_for(month: int, day: int, published: dt.date, future: bool) -> int:
    """The year that puts ``month``/``day`` on or before publication (on or after it when ``future``)."""
    if future:
        return published.year if (month, day) >= (published.month, published.day) else published.year + 1
    return published.year if (month, day) <= (published.month, published.day) else published.year - 1


def _calendar(s: str, published: dt.date, future: bool) -> DateRange | None:
    """Month-day, month-year, month, parts of months, years, decades, seasons."""
    day_suffix = r"(\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?:,? (\d{4}))?"
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s):
        return dt.date(int(m[1]), int(m[2]), int(m[3])), None
    match = re.fullmatch(_MON + " " + day_suffix + year, s)
    if match:
        month, day, yr = _MONTHS[match[1]], int(match[2]), match[3]
    elif match := re.fullmatch(r"(?:the )?" + day_suffix + r" (?:of )?" + _MON + year, s):
        month, day, yr = _MONTHS[match[2]], int(match[1]), match[3]
    if match:
        return dt.date(int(yr) if yr else _year_for(month, day, published, future), month, day), None
    if m := re.fullmatch(r"(early|mid|late)?-?\s*" + _MON + r"(?:,? (?:of )?(\d{4}))?", s):
        month = _MONTHS[m[2]]
        yr = int(m[3]) if m[3] else _year_for(month, 1 if not future else 31, published, future)
        start, end = _month_range(yr, month)
        part = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}.get(m[1] or "")
        return (start.replace(day=part[0]), end.replace(day=part[1])) if part else (start, end)
    if m := re.fullmatch(r"(early|mid|late)?-?\s*(\d{4})", s):
        start, end = dt.date(int(m[2]), 1, 1), dt.date(int(m[2]), 12, 31)
        part = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}.get(m[1] or "")
        return (dt.date(start.year, part[0], 1), _month_range(start.year, part[1])[1]) if part else (start, end)
    if m := re.fullmatch(r"(?:the )?(\d{3})0s", s):
        return dt.date(int(m[1]) * 10, 1, 1), dt.date(int(m[1]) * 10 + 9, 12, 31)
    if m := re.fullmatch(r"(last |this )?(" + "|".join(_SEASONS) + r")(?: (?:of )?(\d{4}))?", s):
        return _season(_SEASONS[m[2]], int(m[3]) if m[3] else None, m[1] == "last ", published)
    return None


def _season(first: int, year: int | None, last: bool, published: dt.date) -> DateRange:
    """A three-month meteorological season: the latest to have begun, or ended ("last"), by publication."""
    def bounds(yr: int) -> DateRange:
        end_year, end_month = divmod(yr * 12 + first + 1, 12)
        return dt.date(yr, first, 1), _month_range(end_year, end_month + 1)[1]
    if year is not None:
        return bounds(year)
    start, end = bounds(published.year if first <= published.month else published.year - 1)
    return bounds(start.year - 1) if last and end >= published else (start, end)


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"[^\w\s\-/.]", " ", folded)
    folded = re.sub(r"\s+", " ", folded).strip(" .")
    return re.sub(r"^(on|in|at|during|of|around|about|as of|as early as)\s+", "", folded)


def resolve_date_expression(text: str, published: dt.date, *, future: bool = False) -> DateRange | None:
    """Return ``(start, end)`` for a date expression read on the ``published`` day, or None.

    ``end`` is None for a single day. None for durations, bounds ("before
    March") and anything that names no date. ``future=True`` (the clause is
    in the future tense) resolves a bare weekday, month or month-day to the
    first one on or after publication instead. See the module docstring.
    """
    published = published.date() if isinstance(published, dt.datetime) else published
    s = _normalise(text)
    if not s or len(s) > 80 or _BOUNDS.match(s):
        return None
    if s.startswith("since "):
        since = resolve_date_expression(s[6:], published)
        return _span(since[0], published) if since else None
    s = {"last night": "yesterday", "tonight": "today"}.get(s, s)
    s = re.sub(r"\s+", " ", re.sub(_TIME_OF_DAY, " ", s)).strip() or "today"
    try:
        resolved = _relative(s, published, future) or _calendar(s, published, future)
    except (ValueError, OverflowError, KeyError):
        return None  # "February 30", year 0
    if resolved or (_DURATION.search(s) and not _ANCHORED.search(s)):
        return resolved
    return _fallback(s, published, future)


def _fallback(s: str, published: dt.date, future: bool) -> DateRange | None:
    if not re.search(r"\d{1,4}[/.-]\d{1,2}", s) and not any(word in _MONTHS for word in re.findall(r"[a-z]+", s)):
        return None  # dateparser reads "the 3rd" or "24" as dates of the current month
    parser = DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime.combine(published, dt.time()), "PREFER_DATES_FROM": "future" if future else "past"})
    try:
        data = parser.get_date_data(s)
    except (ValueError, OverflowError, TypeError, KeyError, IndexError):
        return None  # dateparser raises assorted errors on odd input
    if data.date_obj is None or not 1000 <= data.date_obj.year <= 2999:
        return None
    day = data.date_obj.date()
    if data.period == "month":
        return _month_range(day.year, day.month)
    if data.period == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if data.period == "week":
        return _unit_range("week", day, 0)
    return day, None


# --- picking the date of an event -------------------------------------------------------------

_DAY_WORDS = frozenset(_WEEKDAYS) | {"today", "yesterday", "tomorrow", "tonight", "overnight"}
_LEAD_WORDS = frozenset({"earlier", "later", "early", "late", "mid", "in", "on", "at", "during", "since", "by",
                         "until", "before", "after", "this", "last", "next", "of", "around", "from", "the"})
_BOUND_PREPOSITIONS = frozenset({"after", "before", "until", "till", "following", "since", "by", "prior", "ahead",
                                 "pending"})


def _candidates(sent: Span) -> list[Span]:
    """DATE entities, TIME entities naming a day, and day words outside entities."""
    ents = sent.ents
    spans = [e for e in ents if e.label_ == "DATE" or (
        e.label_ == "TIME" and any(t.lower_ in _DAY_WORDS or t.lower_ in _MONTHS for t in e))]
    covered = {i for e in ents for i in range(e.start, e.end)}
    doc = sent.doc
    day_words = _day_word_keys(doc.vocab.strings)  # a LOWER array: no Token object per word
    lowers = doc.to_array(LOWER)[sent.start : sent.end].tolist()
    spans += [doc[i:i + 1] for i, key in enumerate(lowers, start=sent.start) if key in day_words and i not in covered]
    return spans


@lru_cache(maxsize=2)
def _day_word_keys(strings: StringStore) -> frozenset[int]:
    return frozenset(strings[word] for word in _DAY_WORDS)


def _with_lead(span: Span, sent: Span) -> str:
    """The span's text with the temporal words just before it ("earlier in", "since")."""
    start = span.start
    while start > sent.start and span.start - start < 3 and sent.doc[start - 1].lower_ in _LEAD_WORDS:
        start -= 1
    return sent.doc[start:span.end].text


def _through_bound(anchor: Token, path: list[Token]) -> bool:
    """True when the date reaches the path through "after/before/until ..." a noun: it dates another event."""
    on_path = {token.i for token in path}
    token = anchor.head
    while token.i not in on_path:
        if token.lower_ in _BOUND_PREPOSITIONS and token.i != anchor.head.i:
            return True
        if token.head.i == token.i:
            break
        token = token.head
    return False


def event_date(sent: Span, trigger: Token, published: dt.date) -> DateRange | None:
    """Return the date (range) the sentence gives for the event of ``trigger``, or None.

    The date expression attached closest to the trigger's event path wins
    (ties: the nearest in the text); durations and bounds are skipped, and
    so are dates of another event the trigger is placed after or before
    ("collapsed after the attack on December 3"). In a future-tense clause
    (``modality`` FUTURE) a bare weekday or month-day is the next one.
    """
    published = published.date() if isinstance(published, dt.datetime) else published
    candidates = _candidates(sent)
    if not candidates:
        return None
    path = event_path(trigger)
    future: bool | None = None  # read when a date is there to resolve
    scored: list[tuple[int, int, DateRange]] = []
    for span in candidates:
        distance = 0 if modifies_anchor(path, span.start, span.end) else attach(span.root, path)
        if distance is None or _through_bound(span.root, path):
            continue
        if future is None:
            future = modality(trigger) is Modality.FUTURE
        resolved = resolve_date_expression(_with_lead(span, sent), published, future=future)
        if resolved is not None:
            scored.append((distance, abs(span.root.i - trigger.i), resolved))
    return min(scored, key=lambda item: item[:2])[2] if scored else None
