"""How the text holds an event to be true: asserted, negated, hypothetical, conditional, future, reported.

The reading follows event-factuality work (FactBank, Sauri & Pustejovsky 2009;
TimeML SLINKs, Pustejovsky et al. 2003): walk from the trigger up the
dependency tree and collect the markers met on the way, then pick one label.

Markers on a node: ``neg`` ("not", "never"), the determiner "no", modal and
future auxiliaries, hedging ("likely") and evidential ("reportedly")
adverbs, "according to", a paratactic "officials said", an ``if`` / ``unless``
/ "as long as" / "provided that" / inverted ("had they ...") adverbial
clause (the node is then the consequent of a condition), and, on a nominal
trigger, adjectives such as "potential" or "planned".

Markers on an edge (child → head), from the lexicons in
``resources/modality.yaml``: control verbs ("agreed/plan to X" → FUTURE,
"want/threaten to X" → HYPOTHETICAL, "refused/failed to X" → NEGATED), the
same for event nouns as objects ("cancelled the summit", "proposed talks"),
speech verbs (a complement of "said" whose subject differs from the
speaker's → REPORTED; of "denied" → NEGATED), condition predicates
("require", "hinge on", "depend on": their object is CONDITIONAL, and so is
their subject when they are modal, "any deal would require ..."), conditional
adverbial clauses, embedded questions ("whether X"), "without X" and
"instead of X" (NEGATED), and purpose infinitives (FUTURE).

Scope: negation and modals flow down into infinitival complements, nominal
arguments and bare coordinated verbs ("would ease ... and reduce"), not into
that-clauses, finite conjuncts or adverbial clauses; a condition and an
attribution cover everything below them. A definite description presupposes
its referent (Karttunen 1973), so the walk stops at a relative clause on a
definite noun ("the war that began in 2022") and at a definite noun inside
another noun phrase ("a settlement to the war").

Choices: "refused to meet" — the matrix verb is a REJECT event in its own
right and stays ASSERTED, its complement "meet" is NEGATED. "agreed to
reconvene" — "agreed" is ASSERTED, "reconvene" FUTURE. "would" under a
past-tense speech verb is the back-shifted "will" ("said he would visit")
and reads FUTURE. A speaker that is a pronoun subject ("Russia said it
would ...") is taken as the event's own actor: a statement of intent, not
a report.

Precedence, when several labels apply: CONDITIONAL > NEGATED >
HYPOTHETICAL > FUTURE > REPORTED > ASSERTED. A condition suspends everything
in its scope, negation included ("if Russia does not withdraw" denies
nothing); a negation then decides polarity, the fact downstream counts most;
"would/could" is weaker than "will"; attribution only says who claims an
event that is still claimed to have happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

import yaml
from spacy.tokens import Token

from ..records import Modality
from .clause import is_verbal, subject_of

PRECEDENCE = (Modality.CONDITIONAL, Modality.NEGATED, Modality.HYPOTHETICAL, Modality.FUTURE, Modality.REPORTED)
_ALL = frozenset(PRECEDENCE)
_SCOPED = frozenset({Modality.CONDITIONAL, Modality.REPORTED})  # what crosses into a that-clause or finite conjunct
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_PERSONAL = frozenset({"i", "we", "he", "she", "it", "they"})


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    """Return the word lists of ``resources/modality.yaml`` as frozensets (``negative_particles`` as a dict)."""
    data = yaml.safe_load(files("detente.resources").joinpath("modality.yaml").read_text(encoding="utf-8"))
    return {key: (value if isinstance(value, dict) else frozenset(value)) for key, value in data.items()}


@dataclass
class _Reading:
    labels: set[Modality] = field(default_factory=set)
    speaker: Token | None = None

    def add(self, label: Modality, carry: frozenset[Modality]) -> None:
        if label in carry:
            self.labels.add(label)


def _condition_clause(clause: Token) -> bool:
    """True when ``clause`` (an advcl/ccomp) is the antecedent of a condition."""
    lex = lexicon()
    marks = [c for c in clause.children if c.dep_ == "mark"]
    if any(m.lower_ in lex["conditional_marks"] for m in marks) and clause.dep_ == "advcl":
        return True
    if clause.head.lower_ in lex["conditional_heads"] and clause.head.dep_ in {"prep", "advcl", "mark"}:
        return True  # "provided that", "providing", "on condition that"
    if clause.dep_ == "advcl" and any(m.lower_ == "as" for m in marks) and clause.head.lower_ == "long":
        return True  # "as long as", "so long as"
    aux = [c for c in clause.children if c.dep_ == "aux" and c.lower_ in {"had", "were", "should"}]
    subj = subject_of(clause)
    return clause.dep_ == "advcl" and bool(aux) and subj is not None and aux[0].i < subj.i  # "had they known"


def _governs_condition(node: Token, skip: Token | None) -> bool:
    """True when ``node`` is the consequent of a conditional clause attached to it (or to its "as long")."""
    for child in node.children:
        if child == skip:
            continue
        if child.dep_ in {"advcl", "ccomp"} and _condition_clause(child):
            return True
        if child.dep_ in {"prep", "advcl"} and child.lower_ in lexicon()["conditional_heads"]:
            return True
        if child.lower_ == "long" and any(c.dep_ == "advcl" and _condition_clause(c) for c in child.children):
            return True
    return False


def _backshifted(node: Token) -> bool:
    """True when ``node`` is the complement of a past-tense speech verb ("said he would ...")."""
    head = node.head
    return node.dep_ == "ccomp" and head.lemma_ in lexicon()["speech_verbs"] and head.tag_ in {"VBD", "VBN"}


def _node_markers(node: Token, reading: _Reading, carry: frozenset[Modality], skip: Token | None) -> None:
    """Collect the markers that hang off ``node`` itself."""
    lex = lexicon()
    children = list(node.children)
    auxes = {c.lemma_.lower() for c in children if c.dep_ in {"aux", "auxpass"}}
    for child in children:
        word = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "det" and word in lex["negative_determiners"]):
            reading.add(Modality.NEGATED, carry)
        elif child.dep_ == "aux" and word in lex["future_modals"]:
            reading.add(Modality.FUTURE, carry)
        elif child.dep_ == "aux" and child.lemma_.lower() in lex["hypothetical_modals"]:
            future = word == "would" and "have" not in auxes and _backshifted(node)
            reading.add(Modality.FUTURE if future else Modality.HYPOTHETICAL, carry)
        elif child.dep_ == "advmod" and word in lex["hedge_adverbs"]:
            reading.add(Modality.HYPOTHETICAL, carry)
        elif child.dep_ == "advmod" and word in lex["evidential_adverbs"]:
            reading.add(Modality.REPORTED, carry)
        elif child.dep_ == "prep" and word == "according":
            source = next((g for t in child.children if t.lower_ == "to" for g in t.children if g.dep_ == "pobj"), None)
            _report(reading, source, carry)
        elif child.dep_ == "parataxis" and child.lemma_ in lex["speech_verbs"] and child != skip:
            _report(reading, subject_of(child), carry)
    if _governs_condition(node, skip):
        reading.add(Modality.CONDITIONAL, carry)


def _report(reading: _Reading, source: Token | None, carry: frozenset[Modality]) -> None:
    if Modality.REPORTED in carry:
        reading.labels.add(Modality.REPORTED)
        if reading.speaker is None:
            reading.speaker = source


def _same_entity(speaker: Token | None, subject: Token | None) -> bool:
    """True when the reported clause's subject is (or stands for) the speaker."""
    if speaker is None or subject is None:
        return False
    return subject.lower_ in _PERSONAL or subject.lemma_.lower() == speaker.lemma_.lower()


def _control(lemma: str, reading: _Reading, carry: frozenset[Modality], kinds: tuple[str, str, str]) -> None:
    lex = lexicon()
    negative, future, hypothetical = kinds
    if lemma in lex[negative]:
        reading.add(Modality.NEGATED, carry)
    elif lemma in lex[future]:
        reading.add(Modality.FUTURE, carry)
    elif lemma in lex[hypothetical]:
        reading.add(Modality.HYPOTHETICAL, carry)


def _definite(noun: Token) -> bool:
    return noun.pos_ in {"PROPN", "PRON"} or any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in noun.children
    )


def _edge(child: Token, head: Token, reading: _Reading, carry: frozenset[Modality]) -> frozenset[Modality] | None:
    """Apply the markers of the arc ``child`` → ``head``; return what still carries upward (None: stop)."""
    lex = lexicon()
    dep, lemma = child.dep_, head.lemma_.lower()
    if dep == "xcomp":
        if lemma in lex["speech_verbs"] and any(c.dep_ == "auxpass" for c in head.children):
            _report(reading, None, carry)  # "are said to have seized"
        elif lemma == "be" or (lemma == "go" and head.tag_ == "VBG"):
            reading.add(Modality.FUTURE, carry)  # "is to visit", "is going to launch"
        _control(lemma, reading, carry, ("negative_control", "future_control", "hypothetical_control"))
        return carry
    if dep in {"ccomp", "advcl"} and _condition_clause(child):
        reading.add(Modality.CONDITIONAL, carry)
        return _SCOPED & carry
    if dep == "ccomp":
        if any(c.dep_ == "mark" and c.lower_ in lex["question_marks"] for c in child.children):
            reading.add(Modality.HYPOTHETICAL, carry)
        elif lemma in lex["denial_verbs"]:
            reading.add(Modality.NEGATED, carry)
            reading.speaker = reading.speaker or subject_of(head)
        elif lemma in lex["speech_verbs"]:
            speaker = _speaker_of(head)
            if not _same_entity(speaker, subject_of(child)):
                _report(reading, speaker, carry)
        elif lemma in lex["condition_verbs"]:
            reading.add(Modality.CONDITIONAL, carry)
        else:
            _control(lemma, reading, carry, ("negative_control", "future_control", "hypothetical_control"))
        return _SCOPED & carry
    if dep == "advcl":
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            reading.add(Modality.FUTURE, carry)  # purpose infinitive: intended, not yet done
        return carry - {Modality.NEGATED}
    if dep in {"relcl", "acl"}:
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):  # "plan to annex"
            noun = head.lemma_.lower()
            if noun in lex["future_nouns"]:
                reading.add(Modality.FUTURE, carry)
            elif noun in lex["hypothetical_nouns"]:
                reading.add(Modality.HYPOTHETICAL, carry)
            return carry
        return None if _definite(head) else carry - {Modality.NEGATED}
    if dep == "conj" and is_verbal(child):
        own = subject_of(child) or any(c.dep_ in {"aux", "neg"} for c in child.children)
        return _SCOPED & carry if own or child.tag_ in {"VBD", "VBZ", "VBP"} else carry
    if dep == "parataxis":
        return _SCOPED & carry
    if dep == "pobj" and head.head.pos_ in {"NOUN", "PROPN"} and _definite(child):
        return None  # "a settlement to the war": a definite description presupposes its referent
    if head.pos_ == "ADP" and head.lower_ in lex["negative_prepositions"] and dep in {"pobj", "pcomp"}:
        reading.add(Modality.NEGATED, carry)
    previous = head.doc[head.i - 1].lower_ if head.i > 0 else ""
    if dep in {"pobj", "pcomp"} and (previous, head.lower_) in {("instead", "of"), ("rather", "than")}:
        reading.add(Modality.NEGATED, carry)
    if is_verbal(head) or lemma in lex["condition_adjectives"]:
        _verb_argument(child, head, reading, carry)
    return carry


def _verb_argument(child: Token, head: Token, reading: _Reading, carry: frozenset[Modality]) -> None:
    """Markers for an argument ``child`` of verb ``head``: condition, evidential, control of event nouns."""
    lex = lexicon()
    dep, lemma = child.dep_, head.lemma_.lower()
    modal = any(c.dep_ == "aux" and c.lemma_.lower() in lex["hypothetical_modals"] | lex["future_modals"]
                for c in head.children)
    if lemma in lex["condition_verbs"] | lex["condition_adjectives"]:
        if dep in {"dobj", "prep", "attr", "pobj"} or (dep in {"nsubj", "nsubjpass"} and modal):
            reading.add(Modality.CONDITIONAL, carry)
        return
    if dep in {"dobj", "nsubjpass"}:
        if dep == "nsubjpass" and lemma in lex["speech_verbs"]:
            agent = next((g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
            _report(reading, agent, carry)  # "fighting was reported (by residents)"
        elif dep == "dobj" and lemma in lex["evidential_object_verbs"]:
            _report(reading, subject_of(head), carry)
        elif lemma in lex["negative_object_verbs"]:
            particle = lex["negative_particles"].get(lemma)
            if particle is None or any(c.dep_ == "prt" and c.lower_ == particle for c in head.children):
                reading.add(Modality.NEGATED, carry)
        else:
            _control(lemma, reading, carry, ("negative_control", "future_object_verbs", "hypothetical_object_verbs"))
    elif dep == "prep" and child.lower_ == "for" and lemma in lex["hypothetical_object_verbs"]:
        reading.add(Modality.HYPOTHETICAL, carry)  # "called for a ceasefire"
    elif dep == "prep" and child.lower_ in {"of", "for"} and lemma in lex["allegation_verbs"]:
        _report(reading, subject_of(head), carry)  # "accused Russia of shelling"


def _speaker_of(verb: Token) -> Token | None:
    """The subject of a speech verb; for a participle without one ("while stressing"), its controller's.

    A subjectless participial adjunct is controlled by the subject of the clause it attaches to. When the
    parser hangs it on a reported clause ("said X produced Y, while stressing Z"), it belongs to the
    reporting clause, whose subject is taken.
    """
    if (subject := subject_of(verb)) is not None or verb.head.i == verb.i:
        return subject
    head = verb.head
    if verb.tag_ == "VBG" and head.dep_ == "ccomp" and head.head.lemma_ in lexicon()["speech_verbs"]:
        return subject_of(head.head)
    return subject_of(head)


def _read(trigger: Token) -> _Reading:
    reading = _Reading()
    carry: frozenset[Modality] | None = _ALL
    if not is_verbal(trigger):
        for child in trigger.children:
            if child.dep_ == "amod" and child.lower_ in lexicon()["hypothetical_adjectives"]:
                reading.add(Modality.HYPOTHETICAL, carry)
            elif child.dep_ == "amod" and child.lower_ in lexicon()["future_adjectives"]:
                reading.add(Modality.FUTURE, carry)
    node, below = trigger, None
    while carry:
        _node_markers(node, reading, carry, below)
        if node.head.i == node.i:
            break
        carry = _edge(node, node.head, reading, carry)
        node, below = node.head, node
    return reading


def modality(trigger: Token) -> Modality:
    """Return how the sentence holds the event of ``trigger`` to be true.

    One label, by precedence CONDITIONAL > NEGATED > HYPOTHETICAL > FUTURE >
    REPORTED > ASSERTED (see the module docstring for the rules and why).
    """
    labels = _read(trigger).labels
    return next((label for label in PRECEDENCE if label in labels), Modality.ASSERTED)


def speaker(trigger: Token) -> Token | None:
    """Return the head of the subject of the reporting clause when the event is reported speech.

    "Officials said Russia attacked the city" → "Officials"; "according to
    the ministry, ..." → "ministry"; "fighting was reported by residents" →
    "residents". None when the event is not reported, or the report names
    no source ("reportedly", "is said to").
    """
    return _read(trigger).speaker
