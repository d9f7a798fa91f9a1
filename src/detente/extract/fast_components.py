"""Faster drop-in replacements for en_core_web_sm's attribute ruler and rule lemmatizer.

Why: on 3,000 HuffPost items (109,560 tokens) the stock attribute ruler took 2.19 s and the lemmatizer
1.86 s, as much as the parser (2.07 s) or tok2vec (2.84 s), for no model work. The ruler spent 2.17 s
in its spaCy ``Matcher``, which tries its 180 patterns at every token although 157 only test one
token's TAG and/or LOWER (the old tag map and morph rules) and 15 more one token's DEP or IS_SPACE; the
lemmatizer spends ~17 µs a token in Python, most of it in ``rule_lemmatize`` testing ``form in index``
on WordNet word *lists*.

- ``FastAttributeRuler`` keeps the stock rules, ``attrs``, ``indices`` and ``set_annotations``; it
  matches the one-token patterns (on TAG, LOWER, DEP, IS_SPACE) from tables, cached by each token's
  values of the four, and leaves the multi-token ones to a small ``Matcher``, run only on docs with a
  token that can start one. ``match`` returns the stock list of (attr_id, match_id, start, end).
- ``FastLemmatizer`` caches the lemma by (orth, pos, morph), all ``rule_lemmatize`` reads (the
  English ``is_base_form`` reads the morphology), computes misses with the stock ``rule_lemmatize``
  over the same word lists with set-speed ``in``, and writes the lemmas with one ``from_array``.

Their output is identical to the stock components' (``tests/extract/test_fast_components.py``).
``use_fast_components`` installs them under the stock names and positions, so ``disable=`` still works.
"""

from __future__ import annotations

import re

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

#: The token attributes one-token patterns may test to be matched from tables: columns of ``doc.to_array``.
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_INDEXED = (1, 0, 2)  # a pattern is filed under its first exact or IN test on LOWER, TAG or DEP
_STARTS = -1  # the rule id of "this token can start a multi-token pattern"
CACHE_ENTRIES = 500_000  # per cache, a few tens of MB; 10,000 HuffPost items fill 66,579 and 37,578


class FastAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` that matches its one-token patterns from tables, by each token's
    (TAG, LOWER, DEP, IS_SPACE): the multi-token patterns are left to a ``Matcher``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clear()

    def clear(self) -> None:
        super().clear()
        self._rest = Matcher(self.vocab, validate=self.validate)  # the patterns the tables cannot hold
        self._filed: list[dict[int, list]] = [{}, {}, {}]  # column → value → [(attr_id, match_id, tests)]
        self._unfiled: list = []  # rules with no exact or IN test, tried at every token
        self._matcher_always = False
        self._matches_of: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}  # a token's rules, cached

    def add(self, patterns, attrs, index: int = 0) -> None:
        attr_id = len(self.attrs)
        super().add(patterns, attrs, index)
        match_id = self.vocab.strings[str(attr_id)]
        rest = [pattern for pattern in patterns if not self._file(pattern, attr_id, match_id)]
        for pattern in rest:  # the Matcher runs on a doc only if one of its tokens can start such a pattern
            self._matcher_always |= not self._file(pattern[:1], _STARTS, _STARTS)
        if rest:
            self._rest.add(match_id, rest)
        self._matches_of.clear()

    def _file(self, pattern, attr_id: int, match_id: int) -> bool:
        """File a one-token pattern in the tables; False if they cannot hold it."""
        tests = self._token_tests(pattern)
        if tests is None:
            return False
        filed = next((t for column in _INDEXED for t in tests if t[0] == column and t[1] == "IN"), None)
        rule = (attr_id, match_id, tuple(t for t in tests if t is not filed))
        for value in filed[2] if filed else ():
            self._filed[_INDEXED.index(filed[0])].setdefault(value, []).append(rule)
        if filed is None:
            self._unfiled.append(rule)
        return True

    def _token_tests(self, pattern) -> list[tuple[int, str, object]] | None:
        """A one-token pattern as (column, "IN" | "NOT_IN" | "REGEX", values) tests, the Matcher's way
        (strings by hash, booleans as 0/1, regexes searched); None if the tables cannot hold it."""
        if len(pattern) != 1 or not pattern[0]:
            return None
        tests = []
        for attr, value in pattern[0].items():
            column = _COLUMNS.get(attr)
            if column is None:
                return None
            if isinstance(value, bool) and attr == "IS_SPACE":
                tests.append((column, "IN", frozenset([int(value)])))
            elif isinstance(value, str) and attr != "IS_SPACE":
                tests.append((column, "IN", frozenset([get_string_id(value)])))
            elif isinstance(value, dict) and len(value) == 1 and attr != "IS_SPACE":
                (operator, operand), = value.items()
                words = isinstance(operand, list) and all(isinstance(v, str) for v in operand)
                if operator in ("IN", "NOT_IN") and words:
                    tests.append((column, operator, frozenset(get_string_id(v) for v in operand)))
                elif operator == "REGEX" and isinstance(operand, str):
                    tests.append((column, operator, re.compile(operand)))
                else:
                    return None
            else:
                return None
        return tests

    def _passes(self, token: tuple[int, ...], tests) -> bool:
        for column, operator, operand in tests:
            value = token[column]
            if operator == "IN" and value not in operand or operator == "NOT_IN" and value in operand:
                return False
            if operator == "REGEX" and not operand.search(self.vocab.strings[value]):
                return False
        return True

    def _token_matches(self, token: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        candidates = [rule for i, column in enumerate(_INDEXED) for rule in self._filed[i].get(token[column], ())]
        found = {(attr_id, match_id) for attr_id, match_id, tests in candidates + self._unfiled
                 if self._passes(token, tests)}
        self._matches_of[token] = matches = tuple(sorted(found))
        return matches

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The stock ``AttributeRuler.match``: (attr_id, match_id, start, end), sorted so later rules win."""
        matches = []
        cached = self._matches_of
        for start, token in enumerate(map(tuple, doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist())):
            rules = cached.get(token)
            if rules is None:
                if len(cached) >= CACHE_ENTRIES:  # a long-running process meets new words forever
                    cached.clear()
                rules = self._token_matches(token)
            matches.extend((attr_id, match_id, start, start + 1) for attr_id, match_id in rules)
        matches.sort()
        starts = next((i for i, m in enumerate(matches) if m[0] != _STARTS), len(matches))  # sorted first
        matches = matches[starts:]
        if starts or self._matcher_always:
            strings = self.vocab.strings
            found = [(int(strings[match_id]), match_id, start, end)
                     for match_id, start, end in self._rest(doc, allow_missing=True, as_spans=False)]
            if found:  # the Matcher reports a (rule, start, end) once: so must we
                matches = sorted(set(matches + found))
        return matches


class _WordList(list):
    """A list of words whose ``in`` test is a set lookup: ``rule_lemmatize`` asks ``form in index`` of
    WordNet's per-POS word lists (tens of thousands of words), a linear scan on a plain list."""

    def __init__(self, words) -> None:
        super().__init__(words)
        self._words = frozenset(self)

    def __contains__(self, word) -> bool:
        return word in self._words


def _fast_index(lookups: Lookups) -> Lookups:
    """The same tables, with the ``lemma_index`` word lists as ``_WordList`` (same words, same order)."""
    fast = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            table = Table(name=name, data={key: _WordList(words) for key, words in table.items()})
        fast.set_table(name, table)
    return fast


class FastLemmatizer(EnglishLemmatizer):
    """The English rule lemmatizer, with a per-process cache of lemma hashes by (orth, pos, morph)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lemma_of: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule" or not len(doc):
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = rows[:, 3].copy()
            cache, overwrite = self._lemma_of, self.overwrite
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if lemma and not overwrite:
                    continue
                found = cache.get((orth, pos, morph))
                if found is None:
                    if len(cache) >= CACHE_ENTRIES:
                        cache.clear()
                    found = cache[orth, pos, morph] = self.vocab.strings.add(self.rule_lemmatize(doc[i])[0])
                lemmas[i] = found
            return doc.from_array([LEMMA], lemmas)  # sets the lemma field alone
        except Exception as e:  # noqa: BLE001 - spaCy's error handler decides, as in the stock lemmatizer
            return error_handler(self.name, self, [doc], e)


@Language.factory("detente_attribute_ruler", default_config={
    "validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}})
def make_fast_attribute_ruler(nlp: Language, name: str, validate: bool, scorer) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


@Language.factory("detente_lemmatizer", assigns=["token.lemma"], default_config={
    "model": None, "mode": "rule", "overwrite": False, "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}})
def make_fast_lemmatizer(nlp: Language, model, name: str, mode: str, overwrite: bool, scorer) -> FastLemmatizer:
    return FastLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def use_fast_components(nlp: Language) -> Language:
    """Replace ``nlp``'s attribute_ruler and lemmatizer by the fast ones, same names and places; return ``nlp``."""
    ruler = nlp.get_pipe("attribute_ruler")
    fast_ruler = nlp.replace_pipe("attribute_ruler", "detente_attribute_ruler", config={"validate": ruler.validate})
    fast_ruler.add_patterns(ruler.patterns)
    lemmatizer = nlp.get_pipe("lemmatizer")
    fast_lemmatizer = nlp.replace_pipe("lemmatizer", "detente_lemmatizer",
                                       config={"mode": lemmatizer.mode, "overwrite": lemmatizer.overwrite})
    fast_lemmatizer.initialize(lookups=_fast_index(lemmatizer.lookups))
    return nlp
