"""The signal lexicons of ``resources/`` (register, issues, commitments), loaded once, and their matchers.

Patterns in the YAML files are written one per string, tokens separated by
spaces and matched on lower case (``LOWER``), so they work on a sentence
that was only tokenised: ``a|b`` is a choice, a trailing ``?`` makes a
token optional, ``{name}`` stands for a word class of the file, ``*`` is
one optional word. A plain word is split as spaCy's tokenizer splits it
("in-depth" → "in", "-", "depth"). Patterns are expanded into phrases for a
``PhraseMatcher`` where they can be, else matched by a ``Matcher``; the
longest match wins, overlaps dropped (``spacy.util.filter_spans``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab


@cache
def load_resource(name: str) -> dict:
    """Return the parsed YAML file ``resources/<name>``."""
    return yaml.safe_load(files("detente.resources").joinpath(name).read_text(encoding="utf-8"))


@cache
def _tokenizer():
    from ..nlp import load_nlp

    return load_nlp().tokenizer


def _pieces(word: str) -> list[str]:
    """The tokens spaCy's tokenizer makes of one plain pattern word."""
    if word.isalpha():
        return [word]
    return [t.lower_ for t in _tokenizer()(word)]


#: Function words never chosen as a pattern's cue (``required_words``): every sentence has them.
_FUNCTION_WORDS = frozenset({"for", "on", "of", "to", "upon", "over", "off", "at", "about", "the", "a", "an", "in",
                             "with", "that", "is", "was", "were", "be", "been", "has", "have", "had", "and", "or",
                             "not", "no", "only", "like", "long", "as", "so", "it", "its", "will", "would", "by"})


def _choices(part: str, classes: Mapping[str, Iterable[str]]) -> list[str]:
    """The words one pattern token allows: its ``|`` choices, a ``{class}`` standing for its members."""
    words: list[str] = []
    for choice in part.split("|"):
        if choice.startswith("{") and choice.endswith("}"):
            words.extend(str(w).lower() for w in classes[choice[1:-1]])
        else:
            words.append(choice)
    return words


def compile_pattern(pattern: str, classes: Mapping[str, Iterable[str]]) -> list[dict]:
    """Turn one pattern string into a spaCy ``Matcher`` token pattern (see the module docstring)."""
    tokens: list[dict] = []
    for part in pattern.lower().split():
        optional = part.endswith("?") and len(part) > 1
        part = part[:-1] if optional else part
        if part == "*":
            tokens.append({"IS_ALPHA": True, "OP": "?"})
            continue
        choices = _choices(part, classes)
        if len(choices) == 1 and not optional:
            tokens.extend({"LOWER": piece} for piece in _pieces(choices[0]))
            continue
        single = [c for c in choices if len(_pieces(c)) == 1]
        spec: dict = {"LOWER": {"IN": single}}
        if optional:
            spec["OP"] = "?"
        tokens.append(spec)
    return tokens


def required_words(pattern: str, classes: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """Words one of which a sentence must hold for ``pattern`` to match: the choices of its most specific
    required token (fewest choices, then longest words), each as its last spaCy token."""
    best: tuple[int, float] | None = None
    words: frozenset[str] = frozenset()
    for part in pattern.lower().split():
        if part == "*" or part.endswith("?"):
            continue
        forms = frozenset(_pieces(choice)[-1] for choice in _choices(part, classes))
        if forms <= _FUNCTION_WORDS:
            continue
        rank = (len(forms), -sum(map(len, forms)) / len(forms))
        if best is None or rank <= best:
            best, words = rank, forms
    return words


def expand_pattern(pattern: str, classes: Mapping[str, Iterable[str]], limit: int = 5000) -> list[list[str]] | None:
    """Every token sequence a pattern without ``*`` matches (None if it has one or more than ``limit``)."""
    sequences: list[list[str]] = [[]]
    for part in pattern.lower().split():
        if part == "*":
            return None
        optional = part.endswith("?") and len(part) > 1
        part = part[:-1] if optional else part
        options = [_pieces(choice) for choice in _choices(part, classes)] + ([[]] if optional else [])
        sequences = [seq + option for seq in sequences for option in options]
        if len(sequences) > limit:
            return None
    return [seq for seq in sequences if seq]


@dataclass(frozen=True)
class PatternSet:
    """Labelled patterns compiled for one vocabulary.

    Patterns without a wildcard are expanded into phrases for a
    ``PhraseMatcher`` (a hash lookup per token); the few with one go to a
    ``Matcher``, run only on a sentence holding one of their ``wild_cues``
    (spaCy's Matcher tries every pattern at every token). ``cues`` are the
    words one of which any match needs (``required_words``).
    """

    phrases: PhraseMatcher
    matcher: Matcher
    cues: frozenset[str]
    wild_cues: frozenset[str]

    def find(self, sent: Span, words: Collection[str] | None = None) -> list[tuple[str, Span]]:
        """Return ``(label, span)`` for the longest non-overlapping matches in ``sent``, in text order.

        ``words`` (the sentence's lower-case words, if the caller has them) skip the work for a sentence
        that holds no cue.
        """
        if words is not None and self.cues.isdisjoint(words):
            return []
        try:
            matches = list(self.phrases(sent, as_spans=True))
            if len(self.matcher) and (words is None or not self.wild_cues.isdisjoint(words)):
                matches += self.matcher(sent, as_spans=True)
        except (ValueError, KeyError):  # a Doc without the attributes a pattern needs
            return []
        spans = filter_spans(matches)
        return [(span.label_, span) for span in sorted(spans, key=lambda s: s.start)]


def build_patterns(vocab: Vocab, labelled: Mapping[str, Iterable[str]],
                   classes: Mapping[str, Iterable[str]]) -> PatternSet:
    """Compile ``{label: [pattern, ...]}`` into a ``PatternSet``."""
    phrases = PhraseMatcher(vocab, attr="LOWER")
    matcher = Matcher(vocab)
    cues: set[str] = set()
    wild: set[str] = set()
    for label, patterns in labelled.items():
        docs, compiled = [], []
        for pattern in map(str, patterns):
            needed = required_words(pattern, classes)
            cues |= needed
            expanded = expand_pattern(pattern, classes)
            if expanded is None:
                compiled.append(compile_pattern(pattern, classes))
                wild |= needed
            else:
                docs.extend(Doc(vocab, words=words) for words in expanded)
        if docs:
            phrases.add(str(label), docs)
        if compiled:
            matcher.add(str(label), compiled)
    return PatternSet(phrases, matcher, frozenset(cues), frozenset(wild))


@cache
def issue_patterns(vocab: Vocab) -> PatternSet:
    """Issue cues of ``issues.yaml``, labelled with their issue (``territory``, ``sanctions`` ...)."""
    issues = load_resource("issues.yaml")["issues"]
    return build_patterns(vocab, {name: spec["cues"] for name, spec in issues.items()}, {})


@cache
def issue_actions() -> dict[str, str]:
    """Issue → the PLOVER type of the act a party is asked or promises to do on it (``issues.yaml``)."""
    return {name: spec["action"] for name, spec in load_resource("issues.yaml")["issues"].items()}


@cache
def stance_patterns(vocab: Vocab) -> tuple[PatternSet, PatternSet]:
    """Stance nouns and stance verbs of ``issues.yaml``, each labelled with its stance (``demand`` ...)."""
    stances = load_resource("issues.yaml")["stances"]
    nouns = build_patterns(vocab, {s: spec["nouns"] for s, spec in stances.items() if spec["nouns"]}, {})
    verbs = build_patterns(vocab, {s: spec["verbs"] for s, spec in stances.items() if spec["verbs"]}, {})
    return nouns, verbs


@cache
def blocs() -> dict[str, str]:
    """Bloc words the actor dictionary leaves out → CAMEO region code (``western`` → ``WST``)."""
    return {str(k).lower(): str(v) for k, v in load_resource("issues.yaml")["blocs"].items()}


@cache
def register_patterns(vocab: Vocab) -> tuple[PatternSet, PatternSet]:
    """The register phrases of ``register.yaml`` labelled with their level, and its exclusions."""
    data = load_resource("register.yaml")
    readings = build_patterns(vocab, data["phrases"], data["classes"])
    excluded = build_patterns(vocab, {"exclude": data["exclude"]}, data["classes"])
    return readings, excluded


@cache
def condition_patterns(vocab: Vocab) -> PatternSet:
    """Condition cues of ``commitments.yaml``, labelled ``required``, ``if`` or ``unless``."""
    return build_patterns(vocab, load_resource("commitments.yaml")["conditions"], {})


@cache
def action_types() -> tuple[dict[str, str], dict[str, str]]:
    """Promised or required act → PLOVER type: ``(verbs, nouns)`` from ``commitments.yaml``."""
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    for plover, spec in load_resource("commitments.yaml")["actions"].items():
        for word in spec["verbs"]:
            verbs.setdefault(str(word), plover)
        for word in spec["nouns"]:
            nouns.setdefault(str(word), plover)
    return verbs, nouns


def word_set(resource: str, key: str) -> frozenset[str]:
    """A flat word list of a resource file as a lower-case frozenset."""
    return _word_set(resource, key)


@cache
def _word_set(resource: str, key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_resource(resource)[key])
