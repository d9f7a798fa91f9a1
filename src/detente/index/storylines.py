"""Storylines: online, time-aware clustering of articles into ongoing stories.

An article joins the live storyline it is most like, or opens a new one.
"Like" is a weighted sum of two cosine similarities:

- **actors** — the countries (and international organisations) the article
  names, and the dyads of its coded events (``RUS~UKR``), against the
  storyline's decayed actor profile;
- **text** — TF-IDF of the article's lead (title and first words; scikit-learn's
  analyzer with its English stop words) against the storyline's decayed
  term profile. Document frequencies come from a sliding window of recent
  articles, so the weights follow the news without a corpus-wide fit.

Time enters twice: a storyline's profile decays with a half-life
(``decay_days``), so it follows the current turn of the story, and a
storyline that has been silent needs a higher score to be rejoined (the
threshold rises with the silence, up to ``dormancy_penalty`` after
``dormancy_days``). Only ``max_storylines`` storylines stay live (the most
recently active); older ones are kept in the store but no longer take new
articles. Memory is bounded by those two windows, not by the corpus.

This is single-pass clustering in the manner of the TDT (Topic Detection and
Tracking) trackers (Allan et al., "Topic Detection and Tracking Pilot Study",
1998) with an entity term, as in event-centric news clustering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

#: Words of an article's lead that its text profile reads (title plus the first words of the body).
LEAD_WORDS = 300


@dataclass(frozen=True)
class StoryParams:
    """The clusterer's settings; the defaults are the documented ones (README, "Storylines")."""

    actor_weight: float = 0.65
    text_weight: float = 0.35
    join_threshold: float = 0.32
    dormancy_penalty: float = 0.15
    dormancy_days: float = 90.0
    decay_days: float = 30.0
    profile_terms: int = 120
    profile_actors: int = 16
    max_storylines: int = 2000
    idf_window: int = 5000
    candidates: int = 40
    merge_threshold: float = 0.5
    merge_candidates: int = 5


@dataclass(frozen=True)
class StoryArticle:
    """What the clusterer reads of one article: its lead text and the actors it names."""

    id: str
    published_at: dt.datetime
    text: str
    actors: tuple[str, ...]  # one entry per mention: a country code or an organisation code
    dyads: tuple[str, ...] = ()  # one entry per coded event with two actors: "RUS~UKR"


@dataclass
class Storyline:
    """A live storyline: its decayed profiles and its extent in time."""

    id: str
    first_published: dt.datetime
    last_published: dt.datetime
    n_articles: int = 0
    merged_into: str | None = None
    terms: dict[str, float] = field(default_factory=dict)
    actors: dict[str, float] = field(default_factory=dict)
    _norms: tuple[float, float] | None = None

    def norms(self) -> tuple[float, float]:
        """The Euclidean norms of the term and actor profiles (cached until the next update)."""
        if self._norms is None:
            self._norms = (_norm(self.terms), _norm(self.actors))
        return self._norms

    def profile(self) -> dict[str, dict[str, float]]:
        """The profiles as plain data (stored, so assignment resumes across runs)."""
        return {"terms": {k: round(v, 6) for k, v in self.terms.items()},
                "actors": {k: round(v, 6) for k, v in self.actors.items()}}


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its storyline, the score it joined with, and whether it opened it."""

    article_id: str
    storyline_id: str
    similarity: float
    opened: bool
    merged: tuple[str, ...] = ()  # storylines merged into this one as the article joined


@cache
def _analyzer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english", token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b").build_analyzer()


def lead_terms(text: str) -> Counter[str]:
    """Term counts of a text's lead (its first ``LEAD_WORDS`` words), stop words removed."""
    words = text.split(maxsplit=LEAD_WORDS)
    return Counter(_analyzer()(" ".join(words[:LEAD_WORDS])))


def actor_features(article: StoryArticle) -> dict[str, float]:
    """The article's actor vector: ``1 + log(count)`` per actor named and per event dyad.

    Logarithmic counts keep an article that names its own country twenty
    times about as close to a storyline as one naming it twice.
    """
    vector = {actor: 1.0 + math.log(n) for actor, n in Counter(article.actors).items()}
    for dyad, n in Counter(article.dyads).items():
        vector[dyad] = 1.0 + math.log(n)
    return vector


def storyline_id(article_id: str) -> str:
    """A storyline's id: a short stable hash of the article that opened it."""
    return "s" + hashlib.blake2b(article_id.encode(), digest_size=5).hexdigest()


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def _cosine(vector: dict[str, float], norm: float, profile: dict[str, float], profile_norm: float) -> float:
    if not norm or not profile_norm:
        return 0.0
    if len(profile) < len(vector):
        vector, profile = profile, vector
    get = profile.get
    return sum(w * get(k, 0.0) for k, w in vector.items()) / (norm * profile_norm)


def _prune(profile: dict[str, float], size: int) -> list[str]:
    """Keep the ``size`` heaviest entries of a profile; return the keys dropped."""
    dropped = sorted(profile, key=profile.__getitem__)[: max(0, len(profile) - size)]
    for key in dropped:
        del profile[key]
    return dropped


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = _norm(vector)
    return {k: v / norm for k, v in vector.items()} if norm else {}


class StorylineClusterer:
    """Assign articles, in publication order, to storylines (see the module docstring)."""

    def __init__(self, params: StoryParams | None = None, storylines: Iterable[Storyline] = ()) -> None:
        self.params = params or StoryParams()
        self.live: dict[str, Storyline] = {}
        self._by_actor: dict[str, set[str]] = {}
        self._recent_terms: deque[frozenset[str]] = deque()
        self._document_frequency: Counter[str] = Counter()
        for storyline in storylines:
            self._admit(storyline)

    # -- text weights -----------------------------------------------------------

    def _tfidf(self, counts: Counter[str]) -> dict[str, float]:
        seen = len(self._recent_terms)
        df = self._document_frequency
        return _unit({t: (1.0 + math.log(c)) * (math.log((1.0 + seen) / (1.0 + df[t])) + 1.0)
                      for t, c in counts.items()})

    def _remember_terms(self, terms: Iterable[str]) -> None:
        kept = frozenset(terms)
        self._recent_terms.append(kept)
        self._document_frequency.update(kept)
        if len(self._recent_terms) > self.params.idf_window:
            counts = self._document_frequency
            for term in self._recent_terms.popleft():
                counts[term] -= 1
                if counts[term] <= 0:  # forget the word: the counter stays as big as the window's vocabulary
                    del counts[term]

    def warm_up(self, leads: Iterable[str]) -> None:
        """Count the terms of articles already assigned (oldest first), as if they had just been read."""
        for lead in leads:
            self._remember_terms(lead_terms(lead))

    # -- storylines -------------------------------------------------------------

    def _admit(self, storyline: Storyline) -> None:
        self.live[storyline.id] = storyline
        for actor in storyline.actors:
            self._by_actor.setdefault(actor, set()).add(storyline.id)
        if len(self.live) > self.params.max_storylines:
            oldest = min(self.live.values(), key=lambda s: (s.last_published, s.id))
            self._retire(oldest)

    def _retire(self, storyline: Storyline) -> None:
        del self.live[storyline.id]
        for actor in storyline.actors:
            holders = self._by_actor.get(actor)
            if holders is not None:
                holders.discard(storyline.id)

    def _merge_similar(self, storyline: Storyline) -> tuple[Storyline, tuple[str, ...]]:
        """Merge ``storyline`` with a live one whose profiles have grown alike; return the survivor.

        Two storylines that began apart (one opened by an article naming only
        Ukraine, one by an article naming only Russia) become one story when
        their profiles converge; the smaller joins the larger.
        """
        actors, terms = _unit(storyline.actors), _unit(storyline.terms)
        for similarity, other in self._score(actors, terms, self.params.merge_candidates + 1):
            if other is storyline:
                continue
            if similarity < self.params.merge_threshold:
                break
            large, small = sorted((storyline, other), key=lambda s: (-s.n_articles, s.first_published, s.id))
            self._absorb(large, small)
            return large, (small.id,)
        return storyline, ()

    def _absorb(self, large: Storyline, small: Storyline) -> None:
        when = max(large.last_published, small.last_published)
        for target in (large, small):  # bring both profiles to the same moment before adding
            self._decay(target, when)
        for profile, extra in ((large.terms, small.terms), (large.actors, small.actors)):
            for key, weight in extra.items():
                profile[key] = profile.get(key, 0.0) + weight
        self._prune(large)
        large.n_articles += small.n_articles
        large.first_published = min(large.first_published, small.first_published)
        small.merged_into = large.id
        self._retire(small)

    def _prune(self, storyline: Storyline) -> None:
        """Trim both profiles to their sizes and keep the actor index in step."""
        _prune(storyline.terms, self.params.profile_terms)
        for actor in _prune(storyline.actors, self.params.profile_actors):
            self._by_actor.get(actor, set()).discard(storyline.id)
        for actor in storyline.actors:
            self._by_actor.setdefault(actor, set()).add(storyline.id)
        storyline._norms = None

    def _decay(self, storyline: Storyline, when: dt.datetime) -> None:
        elapsed = max(0.0, (when - storyline.last_published).total_seconds() / 86400.0)
        keep = 0.5 ** (elapsed / self.params.decay_days)
        for profile in (storyline.terms, storyline.actors):
            for key in profile:
                profile[key] *= keep
        storyline.last_published = max(storyline.last_published, when)
        storyline._norms = None

    def _threshold(self, storyline: Storyline, when: dt.datetime) -> float:
        p = self.params
        silence = max(0.0, (when - storyline.last_published).total_seconds() / 86400.0)
        return p.join_threshold + p.dormancy_penalty * min(1.0, silence / p.dormancy_days)

    def _update(self, storyline: Storyline, when: dt.datetime, terms: dict[str, float],
                actors: dict[str, float]) -> None:
        self._decay(storyline, when)
        for profile, vector in ((storyline.terms, terms), (storyline.actors, actors)):
            for key, weight in vector.items():
                profile[key] = profile.get(key, 0.0) + weight
        self._prune(storyline)
        storyline.n_articles += 1

    # -- assignment -------------------------------------------------------------

    def score(self, article: StoryArticle) -> list[tuple[float, Storyline]]:
        """Score the article against the live storylines sharing an actor with it, best first."""
        actors = _unit(actor_features(article))
        terms = self._tfidf(lead_terms(article.text))
        return self._score(actors, terms)

    def _score(self, actors: dict[str, float], terms: dict[str, float],
               candidates: int | None = None) -> list[tuple[float, Storyline]]:
        p = self.params
        shared: set[str] = set()
        for actor in actors:
            shared |= self._by_actor.get(actor, set())
        by_actor = []
        for sid in shared:
            storyline = self.live[sid]
            _, actor_norm = storyline.norms()
            by_actor.append((_cosine(actors, 1.0, storyline.actors, actor_norm), sid))
        by_actor.sort(reverse=True)
        scored = []
        for actor_score, sid in by_actor[: candidates or p.candidates]:
            storyline = self.live[sid]
            term_norm, _ = storyline.norms()
            text_score = _cosine(terms, 1.0, storyline.terms, term_norm)
            scored.append((p.actor_weight * actor_score + p.text_weight * text_score, storyline))
        scored.sort(key=lambda pair: (-pair[0], pair[1].id))
        return scored

    def assign(self, article: StoryArticle) -> Assignment | None:
        """Put the article in a storyline (joining or opening one); ``None`` if it names no actor."""
        actors = _unit(actor_features(article))
        if not actors:
            return None
        counts = lead_terms(article.text)
        terms = self._tfidf(counts)
        self._remember_terms(counts)
        for similarity, storyline in self._score(actors, terms):
            if similarity >= self._threshold(storyline, article.published_at):
                self._update(storyline, article.published_at, terms, actors)
                survivor, merged = self._merge_similar(storyline)
                return Assignment(article.id, survivor.id, round(similarity, 4), opened=False, merged=merged)
        storyline = Storyline(id=storyline_id(article.id), first_published=article.published_at,
                              last_published=article.published_at)
        self._update(storyline, article.published_at, terms, actors)
        self._admit(storyline)
        return Assignment(article.id, storyline.id, 1.0, opened=True)
