"""Which Geopolitical Risk search categories an article matches (Caldara and Iacoviello 2022).

The classic GPR index counts the share of articles that match at least one
of eight search categories of Caldara and Iacoviello, "Measuring Geopolitical
Risk", American Economic Review 112(4), 2022, Table 1: war threats, peace
threats, military buildup, nuclear threats, terror threats (the threats
sub-index, categories 1-5), beginning of war, escalation of war, terror acts
(the acts sub-index, 6-8). Articles containing an exclusion word ("movie",
"anniversary", "history" ...) are dropped. The word sets and categories are
data in ``resources/gpr_categories.yaml``, compiled once into regular
expressions here; ``match_article`` is a pure function of the text.

Words are runs of letters and digits (a possessive ``'s`` stays with its
word); a hyphen separates words, as in the newspaper archives the query was
run on, so "anti-war" contains "war" and "h-bomb" is the phrase "h bomb".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
THREAT_CATEGORIES = (1, 2, 3, 4, 5)
ACT_CATEGORIES = (6, 7, 8)


@dataclass(frozen=True)
class Category:
    """One search category of Table 1: ``left`` N/2 or AND ``right``, in the threats or acts sub-index."""

    number: int
    name: str
    left: str
    operator: str  # "near" (N/2) or "and"
    right: str
    kind: str  # "threat" or "act"


@dataclass(frozen=True)
class GPRQuery:
    """The compiled query: one regular expression per word set, the categories and the exclusions."""

    word_sets: dict[str, re.Pattern[str]]
    categories: tuple[Category, ...]
    exclusions: re.Pattern[str]
    near_words_between: int


@dataclass(frozen=True)
class GPRMatch:
    """What the query found in one article.

    ``categories`` are the numbers (1-8) of the categories matched by the
    published query; ``categories_and`` those of the paper's broader variant
    with N/2 replaced by AND (their GPR_AND index); ``words`` the words that
    made each match, as ``"category: word … word"``; ``excluded_by`` the
    exclusion word that dropped the article, if any.
    """

    categories: tuple[int, ...] = ()
    categories_and: tuple[int, ...] = ()
    words: tuple[str, ...] = ()
    excluded_by: str | None = None

    @property
    def threat(self) -> bool:
        """Whether a threats category (1-5) matched."""
        return any(c in THREAT_CATEGORIES for c in self.categories)

    @property
    def act(self) -> bool:
        """Whether an acts category (6-8) matched."""
        return any(c in ACT_CATEGORIES for c in self.categories)

    @property
    def mask(self) -> int:
        """The categories as a bit mask (bit ``n - 1`` for category ``n``), as stored."""
        return category_mask(self.categories)

    @property
    def mask_and(self) -> int:
        """The AND variant's categories as a bit mask."""
        return category_mask(self.categories_and)


def category_mask(categories: tuple[int, ...]) -> int:
    """Category numbers as a bit mask (bit ``n - 1`` for category ``n``)."""
    return sum(1 << (c - 1) for c in categories)


def term_pattern(term: str) -> str:
    """The regular expression of one query term over normalised text (lower case, one space between words).

    ``*`` is any ending; a phrase or hyphenated term matches its words in sequence.
    """
    parts = [p for p in re.split(r"[\s\-]+", term.lower()) if p]
    return " ".join(re.escape(p.rstrip("*")) + (r"\S*" if p.endswith("*") else "") for p in parts)


def compile_terms(terms: list[str]) -> re.Pattern[str]:
    """One pattern matching any of ``terms`` as whole words of normalised text."""
    alternatives = "|".join(term_pattern(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\S)(?:{alternatives})(?!\S)")


@cache
def gpr_query() -> GPRQuery:
    """Load and compile ``resources/gpr_categories.yaml`` (once)."""
    text = resources.files("detente.resources").joinpath("gpr_categories.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return GPRQuery(
        word_sets={name: compile_terms(terms) for name, terms in raw["word_sets"].items()},
        categories=tuple(Category(**c) for c in raw["categories"]),
        exclusions=compile_terms(raw["exclusions"]),
        near_words_between=int(raw["near_words_between"]),
    )


def normalise_words(text: str) -> tuple[str, list[int]]:
    """The text as lower-case words joined by single spaces, and the character offset of each word in it."""
    words = _WORD.findall(text.lower())
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    return " ".join(words), starts


def _occurrences(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[tuple[int, int, str]]:
    """Each match of ``pattern`` as (first word index, last word index, matched words)."""
    found = []
    for m in pattern.finditer(text):
        first = bisect.bisect_right(starts, m.start()) - 1
        found.append((first, first + m.group().count(" "), m.group()))
    return found


def _near(left: list[tuple[int, int, str]], right: list[tuple[int, int, str]], between: int) -> tuple[str, str] | None:
    """The first pair of occurrences at most ``between`` words apart (either order), else ``None``."""
    for a_first, a_last, a_word in left:
        for b_first, b_last, b_word in right:
            gap = b_first - a_last - 1 if b_first > a_last else a_first - b_last - 1
            if 0 <= gap <= between:
                return a_word, b_word
    return None


def match_article(text: str, query: GPRQuery | None = None) -> GPRMatch:
    """The GPR categories ``text`` (title and body) matches, with the words behind each match.

    Caldara and Iacoviello (2022), Table 1: N/2 = two words within two words
    of each other, AND = both anywhere; an exclusion word drops the article.
    The AND variant (every N/2 read as AND) is computed in the same pass.
    """
    query = query or gpr_query()
    normal, starts = normalise_words(text)
    excluded = query.exclusions.search(normal)
    if excluded:
        return GPRMatch(excluded_by=excluded.group())
    found: dict[str, list[tuple[int, int, str]]] = {}

    def occurrences(word_set: str) -> list[tuple[int, int, str]]:
        if word_set not in found:
            found[word_set] = _occurrences(query.word_sets[word_set], normal, starts)
        return found[word_set]

    numbers, numbers_and, words = [], [], []
    for category in query.categories:
        left = occurrences(category.left)
        if not left:
            continue
        right = occurrences(category.right)
        if not right:
            continue
        numbers_and.append(category.number)
        pair = (left[0][2], right[0][2])
        if category.operator == "near":
            pair = _near(left, right, query.near_words_between)
        if pair:
            numbers.append(category.number)
            words.append(f"{category.name}: {pair[0]} … {pair[1]}")
        else:
            words.append(f"{category.name} (AND only): {left[0][2]} … {right[0][2]}")
    return GPRMatch(categories=tuple(numbers), categories_and=tuple(numbers_and), words=tuple(words))


def categories_of(mask: int) -> tuple[int, ...]:
    """The category numbers of a stored bit mask."""
    return tuple(n for n in range(1, 9) if mask & (1 << (n - 1)))
