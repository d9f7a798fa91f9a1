"""Normalising what readers find: text, dates, language, URLs and ids.

Pure functions; readers call them on every item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import ftfy
import lxml.etree
import lxml.html
from courlan import normalize_url
from dateutil import parser as dateutil_parser

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|cmpid|ocid)$", re.IGNORECASE)

#: Dates before this or more than two days after ingestion are impossible for news.
EARLIEST_DATE = dt.datetime(1900, 1, 1)
FUTURE_SLACK = dt.timedelta(days=2)


def normalise_text(text: str) -> str:
    """Return ``text`` with mojibake fixed (ftfy), Unicode NFC, and whitespace tidied.

    Runs of spaces and tabs become one space, line ends become ``\\n``,
    more than one blank line becomes one, and each line is stripped.
    """
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)  # keep the text's own quotes
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalise_title(title: str) -> str:
    """Return a title on one line, normalised like body text."""
    return " ".join(normalise_text(title).split())


def canonical_url(url: str) -> str | None:
    """Return the canonical form of a news URL, or None if it is not an http(s) URL.

    Lower-cased scheme and host, no fragment, no tracking parameters
    (``utm_*``, ``fbclid`` ...), query sorted (courlan's normalisation).
    """
    url = url.strip()
    if not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
        return None
    try:
        normal = urlsplit(normalize_url(url.split("#", 1)[0], strict=False))
    except (ValueError, TypeError):
        return None
    query = "&".join(
        sorted(p for p in normal.query.split("&") if p and not _TRACKING_PARAMS.match(p.split("=", 1)[0]))
    )
    path = normal.path.rstrip("/") or "/"
    return urlunsplit((normal.scheme, normal.netloc, path, query, ""))


def article_id(url: str | None, title: str, body: str) -> str:
    """Return the stable id of an article: a hash of its canonical URL, else of its text."""
    canonical = canonical_url(url) if url else None
    key = f"url:{canonical}" if canonical else "text:" + " ".join(f"{title}\n{body}".lower().split())
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


def reject_id(source: str, position: str, reason: str) -> str:
    """Return the stable id of a reject, so re-ingesting stores it once."""
    return hashlib.blake2b(f"{source}\x00{position}\x00{reason}".encode(), digest_size=10).hexdigest()


class DateError(ValueError):
    """A date string that is missing, unparseable or impossible for news."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def to_utc(moment: dt.datetime) -> dt.datetime:
    """Return ``moment`` as a naive UTC datetime (naive input is taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def parse_date(value: object, now: dt.datetime) -> dt.datetime:
    """Parse a publication date to naive UTC, checking that news could have it.

    Tries ISO 8601, then python-dateutil, then dateparser (relative and
    non-English dates, "3 days ago" against ``now``). Raises ``DateError``
    with reason ``missing_date`` or ``impossible_date``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DateError("missing_date", "no publication date")
    if isinstance(value, dt.datetime):
        moment = to_utc(value)
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            moment = dt.datetime.fromtimestamp(value, dt.UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError) as exc:
            raise DateError("impossible_date", f"timestamp {value!r} out of range") from exc
    else:
        moment = _parse_date_string(str(value), now)
    if moment < EARLIEST_DATE or moment > now + FUTURE_SLACK:
        raise DateError("impossible_date", f"date {moment:%Y-%m-%d} is outside 1900 … now")
    return moment


def _parse_date_string(text: str, now: dt.datetime) -> dt.datetime:
    text = text.strip()[:100]
    try:
        return to_utc(dt.datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        # missing fields come from 1 January of the clock's year, not from today
        return to_utc(dateutil_parser.parse(text, default=dt.datetime(now.year, 1, 1)))
    except (ValueError, OverflowError, dateutil_parser.ParserError):
        pass
    parsed = _dateparser().parse(
        text, settings={"RELATIVE_BASE": now, "RETURN_AS_TIMEZONE_AWARE": True, "TO_TIMEZONE": "UTC"}
    )
    if parsed is None:
        raise DateError("impossible_date", f"unparseable date {text!r}")
    return to_utc(parsed)


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser  # slow to import: only when the fast parsers fail

    return dateparser


#: How sure py3langid must be (its length-calibrated probability) to call a text foreign: below it, a
#: language other than English is unknown (None), so the text is still read. One-line English texts full of
#: names ("Israel Defense Forces struck Gaza.", "Chrissy Teigen And John Legend Welcome Baby Boy") get a
#: foreign language at 0.04-0.52; one-line texts really in French, German, Spanish, Italian or Russian get
#: theirs at 0.91 or more.
FOREIGN_CONFIDENCE = 0.8


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the text's language (py3langid), or None if too short or, for a language
    other than English, unsure (``FOREIGN_CONFIDENCE``)."""
    sample = text[:2000]
    if len(sample.split()) < 3:
        return None
    language, probability = _language_identifier().classify(sample)
    return None if language != "en" and probability < FOREIGN_CONFIDENCE else language


@lru_cache(maxsize=1)
def _language_identifier():
    """py3langid's model restricted to its ISO 639-1 languages, with probabilities calibrated for length.

    Articles store 639-1 codes, and the model's 639-3-only classes (pidgins,
    regional varieties such as ``pcm``) misfire on short English headlines.
    """
    from py3langid import langid

    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def is_binary(text: str) -> bool:
    """Return True if the text looks like binary data rather than prose."""
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    return "\x00" in sample or controls / len(sample) > 0.05


#: Elements whose end is a paragraph break in the text of an entry or page.
_BLOCK_TAGS = (
    "p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
    "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "header", "footer", "aside",
)


def html_to_text(markup: str) -> str:
    """Return the text of an HTML fragment, a blank line after each block and a line end per ``<br>``.

    Scripts and styles are dropped. Markup lxml cannot parse is returned as it is.
    """
    if "<" not in markup and "&" not in markup:
        return markup
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return markup
    lxml.etree.strip_elements(root, "script", "style", lxml.etree.Comment, with_tail=False)
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(*_BLOCK_TAGS):
        if element is root:
            continue
        element.text = "\n\n" + (element.text or "")
        element.tail = "\n\n" + (element.tail or "")
    return root.text_content()
