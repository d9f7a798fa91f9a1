"""Which words of a sentence describe the same event as a trigger.

Dates and places are read off the dependency tree (spaCy's ClearNLP-style
labels) the same way: a modifier belongs to an event when it hangs off the
trigger or off one of the heads that still describe that event, without
crossing into another clause. Two functions carry that rule:

- ``event_path(trigger)``: the trigger and its heads up to the verb of its
  clause. A nominal trigger ("talks", "the Miami meetings") climbs through
  nominal and prepositional links to the verb that governs it; a verb stops
  at its own clause, except for conjoined verbs that share its subject
  ("met and talked") and bare participial adjuncts ("spent the day
  briefing"), which describe the same occasion.
- ``attach(anchor, path)``: how far a modifier phrase (its root token)
  sits from that path, or None when it belongs to another clause.
"""

from __future__ import annotations

from spacy.tokens import Token

#: Dependency labels that open a clause of their own.
CLAUSAL_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "csubjpass", "parataxis", "pcomp"})
#: Subject labels.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
#: How far (in arcs) a modifier may sit below the path it attaches to.
MAX_ANCHOR_HOPS = 4


def is_verbal(token: Token) -> bool:
    """True for verbs and auxiliaries used as main verbs."""
    return token.pos_ in {"VERB", "AUX"}


def subject_of(token: Token) -> Token | None:
    """Return the nominal subject dependent of ``token`` (None if it has none)."""
    return next((child for child in token.children if child.dep_ in SUBJECT_DEPS), None)


def is_clause_head(token: Token) -> bool:
    """True when ``token`` heads a clause of its own (a verb or a clausal dependent)."""
    if token.dep_ in CLAUSAL_DEPS:
        return token.dep_ != "pcomp" or is_verbal(token)  # "after briefing", not "after the talks"
    return is_verbal(token) and token.dep_ in {"conj", "ROOT"}


def shares_clause(token: Token) -> bool:
    """True when a clause-heading ``token`` still describes its head's occasion.

    Conjoined verbs without a subject of their own ("met and talked") and
    bare participial adjuncts without a subordinator ("spent a day briefing")
    share the time and place of the verb they attach to.
    """
    if token.dep_ == "conj" and is_verbal(token.head):
        return subject_of(token) is None
    if token.dep_ in {"advcl", "xcomp"} and token.tag_ == "VBG":
        return not any(child.dep_ == "mark" for child in token.children)
    return False


def event_path(trigger: Token) -> list[Token]:
    """Return ``[trigger, head, head's head, ...]`` up to the verb of the trigger's clause.

    The last token is the clause head (a verb, or the sentence root).
    """
    path = [trigger]
    token = trigger
    while token.head.i != token.i:
        if is_clause_head(token) and not shares_clause(token):
            break
        token = token.head
        path.append(token)
    return path


def attach(anchor: Token, path: list[Token]) -> int | None:
    """Return the tree distance from the modifier rooted at ``anchor`` to ``path``, or None.

    The distance is the number of arcs from ``anchor`` up to the first path
    token plus that token's position in the path (0 for the trigger). None
    when the climb crosses into another clause, runs past
    ``MAX_ANCHOR_HOPS`` arcs, or never meets the path.
    """
    position = {token.i: k for k, token in enumerate(path)}
    token, hops = anchor, 0
    while hops <= MAX_ANCHOR_HOPS:
        if token.i in position:
            return hops + position[token.i]
        if token.head.i == token.i or is_clause_head(token):
            return None
        token, hops = token.head, hops + 1
    return None


def modifies_anchor(path: list[Token], start: int, end: int) -> bool:
    """True when the trigger's clause is an adverbial relative clause on a word in ``[start, end)``.

    "the week when they met", "Miami, where the envoys met", "the day the
    war began": the head fills the clause's time or place slot. A relative
    whose pronoun is its subject or object ("China, which is hosting ...")
    is about the head as a participant, not as a time or place.
    """
    top = path[-1]
    if top.dep_ not in {"relcl", "acl", "advcl"} or not start <= top.head.i < end:
        return False
    return not any(c.tag_ in {"WDT", "WP"} and c.dep_ in {"nsubj", "nsubjpass", "dobj"} for c in top.children)
