"""Coded events in one parsed sentence: what happened, from the dependency parse.

Triggers are the verbs (and event nouns) of the sentence whose lemma is in
the CAMEO verb dictionary (``verbs.py``, from PETRARCH2's ``CAMEO.2.0.txt``).
Each verb's dependents — subject, object, particles, prepositional phrases,
complements — are matched against its block's patterns; the most specific
matching pattern gives the CAMEO code, else the verb's default. Who did it
to whom is ``event_arguments.py``'s job. The rules that turn a parse into
events, each general:

- *not events*: attributive participles ("the divided island") are states;
  participles heading a prepositional phrase ("according to", "following")
  are prepositions. A block's inferred code (``REFUSE`` → 120, see
  ``scripts/build_verbs.py``) is read off its patterns' objects, so it
  applies only to a verb with an object ("the death toll rose" is no event).
- *light verbs* (``verbs.light_verbs``: give, issue, take … whose own
  patterns code a dozen CAMEO roots by their object) inherit no block
  default: a pattern or their event noun codes them ("issued a
  declaration" is a statement, "gave aid" 070 by its pattern).
- *reported speech*: statement and appeal verbs (CAMEO 01x, 02x: say, tell,
  announce, urge) are not events; the clause they report is, and a pronoun
  subject of that clause ("Iraq said it would allow") is the speaker.
- *support verbs*: a verb with no code of its own that is not an operator
  (``verbs.operator_blocks``: lift, cancel, refuse change their object's
  event), a verb outside the dictionary, or a statement verb, whose object —
  or, failing one, prepositional complement — is an event noun, is coded by
  the noun: "held talks", "announced a suspension", "put under investigation".
- *complements*: "agree / offer / promise to X" (and "willing / ready to X",
  "agreed that ...") express intent to X: CAMEO 03x, or 13x when X is
  conflictual — the codebook's mirror codes; "refuse / threaten / demand to
  X" keep their own type; a verb with no code ("continue to send") leaves X
  its own event, with the verb's subject. Future auxiliaries (the
  dictionary's ``&AUXVERB2``: will, would) mark intent the same way, and a
  negated intent to cooperate is a rejection (12x).
- *demands*: "demand that X do Y" targets X and is coded by Y's demand
  mirror (10x); a reported clause with a deontic modal ("the EU said Russia
  must withdraw") is a demand by the speaker on its subject.
- *reductions*: a verb of a reduction block (``verbs.reduction_blocks``:
  blocks whose PETRARCH patterns code most cooperation objects 16x — cut,
  suspend, freeze, reduce) with no pattern of its own, whose object is a
  cooperation noun (CAMEO 04–07), is its CAMEO 16 mirror: "reduced food
  supplies" (070) is 162, "froze ties" (050) 161.
- *opposing a cooperation*: a verb coded only by its block's unspecified
  disapproval (110: oppose, dismiss, object) whose object — or
  prepositional complement, "opposed to" — is an event noun of cooperation
  (CAMEO 03–08) rejects it: the refusal mirror (12x), since CAMEO 12 is
  the rejection of proposed cooperation and 11 the criticism of actors.
- *acts of protest*: a non-violent act whose purpose infinitive is a
  protest (CAMEO 14: "shunned work to protest", "gathered to protest") is
  that protest — CAMEO 14 codes collective actions carried out as protest
  (strikes, boycotts, blockades), so the act is its form, not another event.
- *informing*: "brief Y", "present X to Y" (``verbs.informing_verbs``) with
  an actor Y and no pattern coding a PLOVER event are consultations (040).
- *nominal events*: event nouns not already part of a verbal event ("X's
  invasion of Y", "talks with Y", "a session at the Kremlin") take their
  arguments from their own phrase and rank after the verbal events.
- *means of violence*: a generic violence code (kill, attack, wound) is
  refined by the instrument its clause names, else by its agent
  (``event_arguments.violence_code``).

Events come main clause first (dependency depth, then text order);
``confidence`` falls from 0.9 (pattern match, direct arguments) as the code
comes from a default or a noun and the arguments from fallbacks.

PLOVER types and CAMEO's mirror codes (intent, refusal, reduction, demand)
are ``event_codes``' job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.symbols import ADJ, NOUN, VERB, acl, ccomp
from spacy.tokens import Doc, Span, Token

from . import event_arguments as arguments
from .cameo import lookup_cameo
from .event_codes import INTENT, MIRRORED, PLOVER_TYPES, REDUCTION, REFUSAL, demanded, mirror, plover_type
from .verbs import (
    Pattern,
    VerbDictionary,
    code_with,
    is_plover_code,
    load_verbs,
    noun_frame,
    noun_trigger,
    patterns_possible,
    temporal,
    verb_forms,
    verb_frame,
)

if TYPE_CHECKING:
    from .actors import ActorSpan

__all__ = ["PLOVER_TYPES", "CodedEvent", "code_events", "plover_type"]

_COOPERATIVE = ("03", "04", "05", "06", "07", "08")
_MATERIAL_CONFLICT = ("14", "15", "16", "17", "18", "19", "20")
_OBLIGATION = frozenset({"must", "should"})  # deontic modals: "X must withdraw", said by another, is a demand
_KEEP_WITH_COMPLEMENT = ("09", "10", "11", "12", "13")  # "demand / refuse / threaten to X" stay what they are
_CONSULT = "040"
_VIOLENT = ("18", "19", "20")  # assault, fight, mass violence: never re-read as the protest they serve
_DISAPPROVE = "110"  # disapprove, not specified: the block default of oppose, dismiss, object
_TRIGGER_POS = frozenset({VERB, ADJ, NOUN})
_CLAUSE_DEPS = frozenset({ccomp, acl})


@dataclass(frozen=True)
class CodedEvent:
    """One event of a sentence; token indices are into the sentence's Doc."""

    trigger_start: int
    trigger_end: int
    cameo_code: str
    plover_type: str
    mode: str | None
    goldstein: float | None
    source: ActorSpan | None
    target: ActorSpan | None
    confidence: float
    depth: int




@dataclass
class _Trigger:
    token: Token
    code: str | None
    how: str  # "pattern", "default", "inferred", "noun", "null", "none"
    pattern: Pattern | None = None
    blocks: tuple[str, ...] = ()
    nominal: bool = False
    span: tuple[int, int] | None = None
    source_from: Token | None = None  # take the source from this verb's subject (the speaker of a demand)
    target_from: Token | None = None  # take the target from this clause's subject (who is to act)
    informing: bool = False  # "brief Y", "present X to Y": a consultation if Y is an actor
    related: list[str] = field(default_factory=list)  # codes of the events it took over (nouns, complements)


def _has_object(v: Token) -> bool:
    """A direct, passive, clausal or prepositional object ("reneged on his commitment"; not "rose to 200")."""
    return any(c.dep_ in ("dobj", "nsubjpass", "xcomp", "ccomp") for c in v.children) or any(
        o.pos_ in ("NOUN", "PROPN") for p in v.children if p.dep_ == "prep" and not temporal(p)
        for o in p.children if o.dep_ == "pobj")


def _resolve_verb(v: Token, dic: VerbDictionary, words: frozenset[str]) -> _Trigger | None:
    """The trigger verb ``v`` is, if its lemma is in the dictionary; ``words``: those of its sentence."""
    lemma = v.lemma_.lower()
    if lemma not in dic.verbs and v.lower_ in verb_forms():
        lemma = verb_forms()[v.lower_]  # the lemmatiser's miss: "staged" → "stag"
    entries = dic.verbs.get(lemma)
    if not entries and v.pos_ == "ADJ" and lemma.endswith("ed"):
        entries = dic.verbs.get(lemma[:-1]) or dic.verbs.get(lemma[:-2])  # "prepared" → prepare
    if not entries:
        return None
    frame = verb_frame(v) if any(len(e.words) > 1 for e in entries) else None
    multi = [e for e in entries if len(e.words) > 1 and all(w in frame.children for w in e.words[1:])]
    chosen = multi or [e for e in entries if len(e.words) == 1] or list(entries)
    blocks = list(dict.fromkeys(e.block for e in chosen))
    if frame is None and patterns_possible(blocks, words):
        frame = verb_frame(v)
    inherits = [e for e in chosen if e.own_code or len(e.words) > 1 or e.words[0] not in dic.light_verbs
                or e.block.lower() == e.words[0]]  # a light verb takes no block default ("give", "take")
    default = next((e.code for e in inherits if e.own_code and e.code), None) or next(
        (e.code for e in inherits if e.code), None)
    code, how, pattern = code_with(chosen[0].words[0], blocks, default, frame, dic)
    if how == "pattern" and default and code[:2] != default[:2] and {code[:2], default[:2]} <= MIRRORED:
        code = default[:2] + code[2:]  # "demand" + a pattern written for "want" (0231) → 1031
    if how == "inferred" and not _has_object(v):  # the inferred code was read off the block's objects
        code, how = None, "none"
    trigger = _Trigger(v, code, how, pattern, tuple(blocks), related=[code or ""])
    trigger.informing = lemma in dic.informing_verbs and not is_plover_code(code)
    return trigger


def _resolve_noun(n: Token, dic: VerbDictionary, words: frozenset[str]) -> _Trigger | None:
    """The nominal trigger ``n`` is, if any; ``words``: those of its sentence."""
    trigger = noun_trigger(n, dic)
    if trigger is None:
        return None
    start = min([n.i] + [c.i for c in n.children if c.dep_ in ("compound", "amod") and c.lemma_ in trigger.noun])
    if trigger.code:
        return _Trigger(n, trigger.code, "noun", nominal=True, span=(start, n.i + 1))
    entries = dic.verbs.get(trigger.verb or "", ())
    blocks = list(dict.fromkeys(e.block for e in entries if len(e.words) == 1))
    default = next((e.code for e in entries if e.code and len(e.words) == 1), None)
    frame = noun_frame(n) if patterns_possible(blocks, words) else None
    code, how, pattern = code_with(trigger.verb or "", blocks, default, frame, dic)
    if how == "inferred" and not any(c.dep_ == "prep" and c.lower_ == "of" for c in n.children):
        return None  # like its verb, the noun needs its object ("the refusal of aid")
    return _Trigger(n, code, how, pattern, tuple(blocks), nominal=True, span=(start, n.i + 1))


def _depths(sent: Span) -> dict[int, int]:
    """Dependency distance of every token of ``sent`` from its root (0 for the root), read off the doc's
    head array (no Token objects), each head's depth computed once."""
    offsets = sent.doc.to_array(HEAD).view(numpy.int64).tolist()  # head index minus token index
    depths: dict[int, int] = {}
    for i in range(sent.start, sent.end):
        path, j = [], i
        while j not in depths and offsets[j] != 0:
            path.append(j)
            j += offsets[j]
        depth = depths.setdefault(j, 0)
        for k in reversed(path):
            depth += 1
            depths[k] = depth
    return depths


def _is_future(v: Token, dic: VerbDictionary) -> bool:
    auxiliaries = [c for c in v.children if c.dep_ == "aux"]
    if not auxiliaries and v.dep_ == "conj" and v.head.pos_ == "VERB":
        auxiliaries = [c for c in v.head.children if c.dep_ == "aux"]
    return any(a.lower_ in dic.future_auxiliaries or a.lemma_ in dic.future_auxiliaries for a in auxiliaries)


def _is_support(trigger: _Trigger, dic: VerbDictionary) -> bool:
    """A verb that hands its event over to its object noun: no code of its own, not an operator, or a statement."""
    if trigger.how == "none":
        return not any(block in dic.operator_blocks for block in trigger.blocks)
    return trigger.how == "default" and not is_plover_code(trigger.code)


def _event_object(v: Token, triggers: dict[int, _Trigger], support: bool) -> Token | None:
    """The object noun of ``v`` that names an event: its direct object (or a conjunct of it), or for a
    support verb an event noun in a prepositional complement ("put under investigation", "return to talks")."""
    obj = next((c for c in v.children if c.dep_ in ("dobj", "nsubjpass")), None)
    candidates = [obj, *obj.conjuncts] if obj is not None else []  # "launched artillery and rocket fire"
    if support:
        candidates += [o for p in v.children if p.dep_ == "prep" and not temporal(p) for o in p.children
                       if o.dep_ == "pobj"]
    return next((o for o in candidates if o.i in triggers and triggers[o.i].nominal), obj)


def _negated(v: Token) -> bool:
    return any(c.dep_ == "neg" for c in v.children)


def _is_intent_head(trigger: _Trigger | None, head: Token, dic: VerbDictionary) -> bool:
    if head.pos_ == "ADJ" and head.lemma_.lower() in dic.intent_words:
        return True
    if trigger is None:
        return False
    return any(b in dic.intent_blocks for b in trigger.blocks) or (trigger.code or "").startswith("03")


def _complement(v: Token, intent: bool) -> Token | None:
    """The infinitive (or, after a verb of intent, the clause or "to"-noun) that ``v`` governs."""
    for child in v.children:
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
            return child
    if intent:
        for child in v.children:
            if child.dep_ == "ccomp":
                return child
            if child.dep_ == "prep" and child.lower_ == "to":
                return arguments.pobj(child)
    return None


def _doc_words(doc: Doc) -> frozenset[str]:
    """The lower-case forms and lemmas of a doc: a superset of any trigger's frame words (``verbs.Frame``)."""
    strings = doc.vocab.strings
    keys = doc.to_array([LOWER, LEMMA])
    return frozenset({strings[k] for k in set(keys[:, 0].tolist())}
                     | {strings[k].lower() for k in set(keys[:, 1].tolist())})


def _find_triggers(sent: Span, dic: VerbDictionary) -> dict[int, _Trigger]:
    """Every verb and event noun of the sentence with its own code (before the combination rules)."""
    triggers: dict[int, _Trigger] = {}
    doc = sent.doc
    tags = doc.to_array(POS).tolist()  # only verbs, adjectives and nouns can be triggers
    words = _doc_words(doc)
    for i in range(sent.start, sent.end):
        if tags[i] not in _TRIGGER_POS:
            continue
        token = doc[i]
        if token.dep_ in ("amod", "prep"):  # "the divided island": a state; "according to": a preposition
            trigger = None
        elif token.pos_ == "VERB" or (token.pos_ == "ADJ" and any(c.dep_ == "xcomp" for c in token.children)):
            trigger = _resolve_verb(token, dic, words)
            if trigger is None and token.pos_ == "VERB":
                trigger = _Trigger(token, None, "none")  # a support verb outside the dictionary ("renew")
            if token.pos_ == "ADJ" and token.lemma_.lower() in dic.intent_words:
                trigger = _Trigger(token, "030", "default")  # "willing / ready to X"
        elif token.pos_ == "NOUN":
            trigger = _resolve_noun(token, dic, words)
        else:
            trigger = None
        if trigger is not None:
            triggers[token.i] = trigger
    return triggers


def _combine(token: Token, trigger: _Trigger, triggers: dict[int, _Trigger], consumed: set[int],
             dic: VerbDictionary) -> None:
    """Apply the support-verb, complement, demand and future rules to one verbal trigger."""
    opposing = trigger.how == "default" and trigger.code == _DISAPPROVE
    obj = _event_object(token, triggers, _is_support(trigger, dic) or opposing)
    noun = triggers.get(obj.i) if obj is not None else None
    if noun is not None and noun.nominal:
        consumed.add(obj.i)
        trigger.related += [noun.code or "", *noun.related]
        if opposing and (noun.code or "")[:2] in _COOPERATIVE:  # "opposed French mediation": a rejection (12x)
            trigger.code, trigger.how = mirror(noun.code, REFUSAL) or "120", "noun"
        reduced = mirror(noun.code or "", REDUCTION) if trigger.how in ("none", "inferred", "default") and \
            not is_plover_code(trigger.code) and any(b in dic.reduction_blocks for b in trigger.blocks) else None
        if reduced:  # "cut aid", "suspended talks": the reduction of a cooperation (CAMEO 16)
            trigger.code, trigger.how, trigger.span = reduced, "noun", noun.span
        elif _is_support(trigger, dic) and is_plover_code(noun.code):
            trigger.code, trigger.how, trigger.span = noun.code, "noun", noun.span
    intent = _is_intent_head(trigger, token, dic)
    complement = _complement(token, intent and trigger.how != "pattern")
    inner = triggers.get(complement.i) if complement is not None else None
    if inner is not None:
        trigger.related += [inner.code or "", *inner.related]
    if complement is not None and intent:
        inner_code = inner.code if inner is not None and is_plover_code(inner.code) else None
        own = trigger.code if (trigger.code or "").startswith("03") else "030"
        code = (mirror(inner_code, INTENT) or own) if inner_code else own
        if _negated(token) or _negated(complement):
            code = mirror(inner_code or "03", REFUSAL) or "120"
        trigger.code, trigger.how = code, "pattern"
        consumed.add(complement.i)
    elif inner is not None and is_plover_code(trigger.code) and trigger.code[:2] in _KEEP_WITH_COMPLEMENT:
        if trigger.code.startswith("13") and is_plover_code(inner.code):
            trigger.code = mirror(inner.code, INTENT) if inner.code[:2] > "13" else trigger.code
        consumed.add(complement.i)
    purpose = next((c for c in token.children if c.dep_ == "advcl" and c.pos_ == "VERB"
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
    protest = triggers.get(purpose.i) if purpose is not None else None
    if protest is not None and (protest.code or "").startswith("14") and purpose.i not in consumed \
            and not (trigger.code or "").startswith(_VIOLENT):  # "shunned work to protest": the protest
        trigger.code, trigger.how = protest.code, protest.how
        trigger.related += [protest.code or "", *protest.related]
        consumed.add(purpose.i)
    clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
    if clause is not None and (trigger.code or "")[:2] == "10":  # "demand that X do Y": X is the target
        inner = triggers.get(clause.i)
        if inner is not None and is_plover_code(inner.code):
            trigger.code = demanded(inner.code, trigger.code)
        trigger.target_from = clause
        consumed.add(clause.i)
    family = (trigger.code or "")[:2] if is_plover_code(trigger.code) else ""
    if family in _COOPERATIVE and _negated(token) and (family == "03" or _is_future(token, dic)):
        trigger.code = mirror(trigger.code, REFUSAL) or "120"  # "will not accept", "did not agree"
    elif family in _COOPERATIVE + _MATERIAL_CONFLICT and _is_future(token, dic):
        trigger.code = mirror(trigger.code, INTENT) or trigger.code  # "will send" 03x, "will attack" 13x


def _code_sentence(sent: Span, dic: VerbDictionary, depths: dict[int, int]) -> dict[int, _Trigger]:
    """Resolve every trigger of the sentence, then apply the combination rules bottom-up."""
    triggers = _find_triggers(sent, dic)
    consumed: set[int] = set()
    for i in sorted(triggers, key=depths.__getitem__, reverse=True):  # deepest first; ties in text order
        trigger = triggers[i]
        if not trigger.nominal:
            _combine(trigger.token, trigger, triggers, consumed, dic)
    doc = sent.doc
    deps = doc.to_array(DEP).tolist()
    for i in range(sent.start, sent.end):  # "the speaker said that X must do Y": a demand by the speaker on X
        if deps[i] not in _CLAUSE_DEPS:  # only a complement clause is reported (``reporting_verb``)
            continue
        token = doc[i]
        speaker = arguments.reporting_verb(token)
        if speaker is None or token.pos_ not in ("VERB", "AUX") or token.i in consumed:
            continue
        if not any(c.dep_ == "aux" and c.lower_ in _OBLIGATION for c in token.children):
            continue
        head = triggers.get(speaker.i)
        if head is not None and is_plover_code(head.code) and speaker.i not in consumed:
            continue
        trigger = triggers.get(token.i) or _Trigger(token, None, "none")
        trigger.code = demanded(trigger.code, "100") if is_plover_code(trigger.code) else "100"
        trigger.how, trigger.source_from, trigger.target_from = "pattern", speaker, token
        trigger.informing = False
        triggers[token.i] = trigger
    return {i: t for i, t in triggers.items()
            if i not in consumed and (is_plover_code(t.code) or (t.informing and not t.nominal))}



def code_events(sent: Span, actors: list[ActorSpan]) -> list[CodedEvent]:
    """Events in one parsed sentence, most important first (main clause first, reporting verbs skipped).

    ``sent`` must come from a Doc run through the full pipeline (tagger,
    parser, lemmatizer); ``actors`` are the sentence's resolved actor spans.
    Returns an empty list for a sentence with no coded trigger.
    """
    if len(sent) == 0 or not sent.doc.has_annotation("DEP"):
        return []
    dic = load_verbs()
    index = arguments.ActorIndex([a for a in actors if sent.start <= a.start < sent.end])
    ranked: list[tuple[int, bool, int, CodedEvent]] = []
    depths = _depths(sent)
    for i, trigger in _code_sentence(sent, dic, depths).items():
        token = trigger.token
        source, source_conf = arguments.find_source(trigger.source_from or token, trigger.nominal, index)
        target, target_conf = None, 1.0
        if trigger.informing:
            target = arguments.informed_party(token, index, source)
            if target is None:
                continue
            trigger.code, trigger.how = _CONSULT, "pattern"
        if trigger.target_from is not None:
            target = index.in_phrase(arguments.logical_subject(trigger.target_from)[0], (source,) if source else ())
            if target is None and trigger.source_from is not None:  # "warned Iraq that it must": the addressee
                target = arguments.addressee(trigger.source_from, index, source)
        trigger.code = arguments.violence_code(trigger.code, token, trigger.span, source, dic.violence_means)
        if target is None:
            target, target_conf = arguments.find_target(
                token, index, source, nominal=trigger.nominal, span=trigger.span,
                codes=(trigger.code or "", *trigger.related),
                target_prep=trigger.pattern.target_prep if trigger.pattern is not None else None,
                exclude=arguments.source_phrase(trigger.source_from or token, trigger.nominal, index, source),
            )
        if source is None and (target is None or arguments.is_locative(target)):
            continue  # who did what to whom: an event needs a party, and a place alone is none
        entry = lookup_cameo(trigger.code)
        base = {"pattern": 0.9, "default": 0.75, "noun": 0.7}.get(trigger.how, 0.55) - 0.1 * trigger.nominal
        start, end = trigger.span or (i, i + 1)
        event = CodedEvent(
            trigger_start=start, trigger_end=end, cameo_code=trigger.code, plover_type=plover_type(trigger.code),
            mode=entry.plover_mode if entry else None, goldstein=entry.goldstein if entry else None,
            source=source, target=target, confidence=round(base * source_conf * target_conf, 3),
            depth=depths[token.i],
        )
        ranked.append((trigger.nominal, event.depth, i, event))
    return [event for *_, event in sorted(ranked, key=lambda r: r[:3])]
