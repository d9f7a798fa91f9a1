"""The PLOVER type of an act that is promised or required ("reconvene" → CONSULT, "withdraw" → RETREAT).

From the ``actions`` map of ``resources/commitments.yaml`` (derived from the
PLOVER categories and the CAMEO codes they group, see there): a light verb
("hold talks", "provide guarantees") takes the type of its object noun; a
verb the map lacks takes its default in the CAMEO verb dictionary when that
has a PLOVER type; "de escalate" / "de-escalate", which spaCy splits, is
read as one verb. A verb of material cooperation whose object is a weapon
("develop new nuclear weapons", "build missiles") is an arms buildup,
MOBILIZE (CAMEO 154, "mobilize or increase armed forces"; the weapons are
the CAMEO dictionary's &WEAPON set). Issues stand for an act when the text
names no verb ("a commitment to de-escalation": ``issues.yaml``'s ``action``).
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from .lexicon import action_types, word_set

_DE = frozenset({"de", "de-"})
#: Nouns of capacity or readiness that pass the act on to their complement ("willingness to de-escalate").
_CAPACITIES = frozenset({"willingness", "readiness", "ability", "capacity", "intention", "intent", "plan", "plans",
                         "decision", "offer", "demand", "demands", "call", "calls", "need", "effort", "efforts"})


def _word(token: Token) -> str:
    return (token.lemma_ or token.lower_).lower()


def _split_de(token: Token) -> bool:
    """True for the "escalate" of "de escalate" / "de-escalate" (spaCy splits the prefix off)."""
    doc, i = token.doc, token.i
    if i >= 1 and doc[i - 1].lower_ in _DE:
        return True
    return i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ == "de"


@cache
def _cameo_default(lemma: str) -> str | None:
    """PLOVER type of a verb's default code in the CAMEO verb dictionary (None if it has none)."""
    from ..events import plover_type
    from ..verbs import load_verbs

    for entry in load_verbs().verbs.get(lemma, ()):
        if len(entry.words) == 1 and entry.code and (kind := plover_type(entry.code)):
            return kind
    return None


def noun_action(token: Token) -> str | None:
    """PLOVER type of an act named by a noun ("talks" → CONSULT, "withdrawal" → RETREAT), else None."""
    nouns = action_types()[1]
    return nouns.get(token.lower_) or nouns.get(_word(token))


def verb_action(token: Token, dictionary: bool = True) -> str | None:
    """PLOVER type of the act a verb names, its object noun deciding for a light verb; None if unknown.

    ``dictionary=False`` leaves out the CAMEO verb dictionary's defaults (only ``commitments.yaml``).
    """
    verbs = action_types()[0]
    lemma = _word(token)
    if lemma in {"escalate", "escalating"} and _split_de(token):
        return "RETREAT"
    if lemma in word_set("commitments.yaml", "light_verbs"):
        for child in token.children:
            if child.dep_ in {"dobj", "nsubjpass"} and (kind := noun_action(child)):
                return kind
    kind = verbs.get(lemma) or (_cameo_default(lemma) if dictionary else None)
    return "MOBILIZE" if kind == "COOPERATE" and _arms_object(token) else kind


def _arms_object(verb: Token) -> bool:
    """True when the verb's object is a weapon of the CAMEO dictionary's &WEAPON set ("nuclear weapons")."""
    from ..verbs import load_verbs

    weapons = load_verbs().weapons
    return any(child.dep_ in {"dobj", "nsubjpass"} and _word(child) in weapons for child in verb.children)


def action_of(token: Token) -> str | None:
    """PLOVER type of the act ``token`` names, as a verb or as a noun."""
    if token.pos_ in {"VERB", "AUX"}:
        return verb_action(token)
    return noun_action(token) or (verb_action(token) if token.pos_ == "" else None)


def governing_action(token: Token, start: int, end: int, skip: set[int] = frozenset()) -> str | None:
    """PLOVER type of the nearest verb or act noun above ``token`` within ``[start, end)`` (None if none).

    "accept durable guarantees": the guarantees are to be accepted (AGREE). Commissive words and nouns of
    capacity pass the act on ("agree to a ceasefire", "willingness to de-escalate"); ``skip`` are tokens
    of issue cues, which name the topic, not the act ("compliance with nuclear inspections": AGREE).
    """
    transparent = word_set("commitments.yaml", "commitment_verbs") | word_set("commitments.yaml", "commitment_nouns")
    node = token
    while start <= node.head.i < end and node.head.i != node.i:
        node = node.head
        if node.i in skip or _word(node) in transparent or node.lower_ in _CAPACITIES:
            continue  # "agree to a ceasefire", "a commitment to de-escalation": the act is what they govern
        if node.pos_ in {"VERB", "AUX"} and (kind := verb_action(node)):
            return kind
        if node.pos_ == "NOUN" and (kind := noun_action(node)):
            return kind
    return None
