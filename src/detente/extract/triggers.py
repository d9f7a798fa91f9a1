"""Which words make a sentence worth parsing: the trigger index of the CAMEO verb dictionary.

The pipeline parses a sentence only when its words can code an event:
a verb or noun whose dictionary default is a PLOVER code, or a verb that
codes an event only through its patterns together with one of the words
those patterns ask for. Built once from ``verbs.load_verbs()``.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from spacy.strings import StringStore

from .verbs import VerbDictionary, default_code, inflections, is_plover_code, load_verbs, pattern_applies


def _plurals(noun: str) -> set[str]:
    return {noun, noun + "s", noun + "es"} | ({noun[:-1] + "ies"} if noun.endswith("y") else set())


@dataclass(frozen=True)
class TriggerIndex:
    """Which lower-case word forms can make a sentence hold an event.

    ``direct``: forms that code an event by themselves (a verb or noun with a
    PLOVER default, an operator verb with an inferred code, a verb of
    informing). ``needs``: forms that code an event only with
    another word — a verb whose PLOVER codes all come from patterns (or a
    multi-word verb), mapped to the forms of the words those patterns ask for
    (their anchors, ``Pattern.anchor``; the particles of ``call off``), and
    an intent word ("willing", "ready") to "to".
    """

    direct: frozenset[str]
    needs: dict[str, frozenset[str]]


def _pattern_words(lemma: str, blocks: set[str], dictionary: VerbDictionary) -> set[str]:
    """Forms of the words one of which must be around ``lemma`` for a pattern to give it a PLOVER code."""
    words: set[str] = set()
    for block in blocks:
        for pattern in dictionary.patterns.get(block, ()):
            if is_plover_code(pattern.code) and pattern_applies(pattern, lemma, block, dictionary):
                for anchor in pattern.anchor:
                    words |= inflections(anchor) | _plurals(anchor)
    return words


@lru_cache(maxsize=1)
def trigger_index() -> TriggerIndex:
    """The ``TriggerIndex`` of the dictionary, built once.

    Auxiliaries heading a multi-word verb (``+IS_DETERMINED``) and the
    statement and appeal verbs of CAMEO 01 and 02 (``say``, ``announce``,
    ``urge``) are no triggers; a statement verb matters only with a deontic
    modal ("said Russia *must* withdraw": a demand), so "must" and "should"
    need one of them.
    """
    dictionary = load_verbs()
    direct: set[str] = set()
    needs: dict[str, set[str]] = {}
    direct_verbs: set[str] = set()
    pattern_words: dict[str, set[str]] = {}
    statements: set[str] = set()
    for lemma, entries in dictionary.verbs.items():
        if lemma in dictionary.auxiliaries:
            continue
        forms = inflections(lemma) | {f for e in entries for f in e.forms if " " not in f}
        blocks = {e.block for e in entries if len(e.words) == 1}
        code = default_code(lemma, entries, dictionary)
        inferred = next((dictionary.inferred_codes.get(b) for b in blocks if dictionary.inferred_codes.get(b)), None)
        if is_plover_code(code) or (code is None and is_plover_code(inferred)) or lemma in dictionary.informing_verbs:
            direct |= forms
            direct_verbs.add(lemma)
            continue
        if (code or "")[:2] in ("01", "02"):
            statements |= forms
        required = _pattern_words(lemma, blocks, dictionary)
        for entry in entries:
            if len(entry.words) > 1 and is_plover_code(entry.code):
                required.update(entry.words[1:])
        pattern_words[lemma] = required
        if required:
            for form in forms:
                needs.setdefault(form, set()).update(required)
    for head, triggers in dictionary.nouns.items():
        forms = _plurals(head)
        if any(is_plover_code(t.code) or t.verb in direct_verbs for t in triggers):
            direct |= forms
        else:
            required = set().union(*(pattern_words.get(t.verb or "", set()) for t in triggers))
            for form in forms if required else ():
                needs.setdefault(form, set()).update(required)
    for word in dictionary.intent_words:  # "willing / ready to X": only before an infinitive
        needs.setdefault(word, set()).add("to")
    for modal in ("must", "should"):
        needs.setdefault(modal, set()).update(statements)
    return TriggerIndex(
        direct=frozenset(f for f in direct if f.isalpha() or "-" in f),
        needs={form: frozenset(words) for form, words in needs.items() if form not in direct and form.isalpha()},
    )


def trigger_forms() -> frozenset[str]:
    """The lower-case word forms that code an event by themselves (``TriggerIndex.direct``).

    Kept for callers that intersect word sets; ``needs_parse`` also counts the
    verbs that code an event only with the words of their patterns.
    """
    return trigger_index().direct


def needs_parse(words: set[str]) -> bool:
    """True when a sentence with these lower-case words can hold a coded event, so is worth parsing.

    A trigger form that codes an event by itself, or a pattern-only form
    together with one of the words its patterns need ("called" + "off",
    "gave" + "aid"); see ``TriggerIndex``.
    """
    index = trigger_index()
    if not words.isdisjoint(index.direct):
        return True
    return any(not words.isdisjoint(index.needs[w]) for w in words if w in index.needs)


@dataclass(frozen=True)
class KeyedTriggerIndex:
    """``TriggerIndex`` on spaCy string keys (the ``LOWER`` ids of a token array), for the parse-skip check.

    The pipeline reads a sentence's words as ``doc.to_array(LOWER)``; testing
    those integer keys needs no Token objects and no string lookups.
    """

    direct: frozenset[int]
    needs: dict[int, frozenset[int]]

    def needs_parse(self, keys: AbstractSet[int]) -> bool:
        """``needs_parse`` for a sentence given as the set of its words' ``LOWER`` keys."""
        if not self.direct.isdisjoint(keys):
            return True
        needs = self.needs
        return any(not needed.isdisjoint(keys) for key in keys if (needed := needs.get(key)) is not None)


@lru_cache(maxsize=2)
def keyed_trigger_index(strings: StringStore) -> KeyedTriggerIndex:
    """The trigger index with every word form replaced by its key in ``strings`` (built once per vocabulary)."""
    index = trigger_index()
    return KeyedTriggerIndex(
        direct=frozenset(strings[form] for form in index.direct),
        needs={strings[form]: frozenset(strings[w] for w in words) for form, words in index.needs.items()},
    )
