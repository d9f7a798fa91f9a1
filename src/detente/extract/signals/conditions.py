"""Conditions: what a deal or an act is said to require of a party, and of whom.

A condition cue of ``resources/commitments.yaml`` opens the condition:
a condition predicate ("would *require* a credible Russian commitment to
de-escalation", "*hinges on* Moscow's willingness to de-escalate",
"*contingent on*", "*in exchange for*"), or a conditional connective
("*if* Russia withdraws", "*unless* Kyiv agrees", "*provided that*"). Its
content is the predicate's object or the connective's clause (from the
parse), always also read to the end of its clause (the next punctuation
mark), since a misparse must not lose the second half of "to de-escalate
and accept guarantees".

- *whose action*: the first party named in the content — the possessor
  or adjective of the required act ("Moscow's willingness", "a Russian
  commitment"), or the subject of the conditional clause. The party whose
  words state the condition is not recorded; a party named in the
  predicate's subject ("Kyiv's support depends on ...") is the counterpart.
- *what*: one Signal per issue of the content (``issues.yaml``), labelled
  with the PLOVER type of the verb governing the issue ("accept durable
  guarantees" → AGREE), else the issue's own act ("a commitment to
  de-escalation" → RETREAT); a conditional clause with no issue gives one
  Signal labelled with its verb's act.
- ``stance`` says how the act conditions: ``required`` (it must happen),
  ``if`` (if it happens), ``if_not`` ("unless", or "if" with a negation).

A condition predicate with no issue in its content is left out ("the law
requires a permit"), as is a conditional clause whose subject is no named
party (a state, an international body, a bloc: ``Party.named``) and an
embedded question ("wonders if X did").
Conditions are not facts: their content is no position or commitment
(``position_signals`` and ``commitment_signals`` skip the returned ranges).
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan

from ...records import Signal, SignalKind
from .actions import action_of, governing_action, verb_action
from .context import Party, SentenceContext, subtree_range
from .lexicon import condition_patterns, issue_actions, issue_patterns
from .speakers import _subject

_STOP = frozenset({",", ";", ":", ".", "—", "–", "(", ")", "!", "?"})
_MAX_WINDOW = 30
_ASKING = frozenset({"say", "says", "said", "ask", "asks", "asked", "wonder", "wonders", "wondered", "know", "knows",
                     "knew", "see", "decide", "decides", "decided", "determine", "unclear", "sure", "tell", "tells",
                     "check", "question", "doubt", "clear"})
_NEGATORS = frozenset({"not", "n't", "never", "no", "fails", "fail", "failed"})


def _window_end(ctx: SentenceContext, start: int) -> int:
    doc, limit = ctx.sent.doc, min(ctx.sent.end, start + _MAX_WINDOW)
    for i in range(start, limit):
        if doc[i].lower_ in _STOP:
            return i
    return limit


def _clause_verb(ctx: SentenceContext, cue: SpacySpan):
    """The verb of a conditional clause ("if Russia withdraws": withdraws), None without a parse."""
    if not ctx.parsed:
        return None
    head = cue[-1].head
    return head if head.pos_ in {"VERB", "AUX"} and head.i > cue.end - 1 and head.dep_ != "ccomp" else None


def _required_content(ctx: SentenceContext, cue: SpacySpan) -> tuple[int, int]:
    end = _window_end(ctx, cue.end)
    if ctx.parsed:
        anchor = cue[-1]
        kids = [c for c in anchor.children if c.dep_ in {"dobj", "pobj", "ccomp", "xcomp", "attr"}]
        if (found := subtree_range(kids)) is not None:
            end = max(end, found[1])
    return cue.end, end


def condition_signals(ctx: SentenceContext) -> tuple[list[Signal], list[tuple[int, int]]]:
    """CONDITION signals of one sentence, and the token ranges of their cue and content."""
    vocab = ctx.sent.doc.vocab
    cues = condition_patterns(vocab).find(ctx.sent, ctx.words)
    if not cues:
        return [], []
    issues = issue_patterns(vocab).find(ctx.sent, ctx.words)
    signals: list[Signal] = []
    ranges: list[tuple[int, int]] = []
    for kind, cue in cues:
        verb = None
        if kind == "required":
            start, end = _required_content(ctx, cue)
        else:
            verb = _clause_verb(ctx, cue)
            end = max(_window_end(ctx, cue.end), verb.right_edge.i + 1 if verb is not None else 0)
            start = cue.end
        if end <= start:
            continue
        found = [(issue, s) for issue, s in issues if start <= s.start and s.end <= end]
        if kind != "required" and (ctx.parsed and verb is None or _asks(ctx, cue)):
            continue  # "wonders if X", "won't say if X": an embedded question, no condition
        if verb is not None and (subject := _subject(verb)) is not None:
            parties = [p for p in ctx.parties_of(subject) if p.named]
        elif kind == "required" or not ctx.parsed:
            parties = [p for p in ctx.parties_in(start, end) if p.named][:1]
        else:
            parties = []
        if kind == "required" and not found:
            continue
        if kind != "required" and not parties:
            continue
        ranges.append((cue.start, end))
        stance = "required" if kind == "required" else "if"
        negated = any(t.lower_ in _NEGATORS for t in ctx.sent.doc[start:end])
        if kind == "unless" or (kind == "if" and negated):
            stance = "if_not"
        counterpart = _counterpart(ctx, cue, {p.code for p in parties})
        party = parties[:1]
        if not found:
            label = verb_action(verb) if verb is not None else None
            if label is None:
                continue
            signals.append(ctx.signal(SignalKind.CONDITION, cue.start, end, parties=party, counterpart=counterpart,
                                      label=label, stance=stance))
            continue
        cue_tokens = {i for _, s in found for i in range(s.start, s.end)}
        for issue, span in found:
            label = governing_action(span.root, start, end, cue_tokens) if ctx.parsed else None
            if label is None and span.root.pos_ in {"VERB", "AUX"}:
                label = action_of(span.root)  # "to de-escalate": the cue is the act
            label = label or issue_actions().get(issue)
            signals.append(ctx.signal(SignalKind.CONDITION, cue.start, end, parties=party, counterpart=counterpart,
                                      label=label, issue=issue, stance=stance))
    return _unique(signals), ranges


def _asks(ctx: SentenceContext, cue: SpacySpan) -> bool:
    """True when the word before "if" asks or tells: "wonders if", "won't say if" (an embedded question)."""
    if cue.start <= ctx.sent.start:
        return False
    before = ctx.sent.doc[cue.start - 1]
    return before.lower_ in _ASKING or (before.lemma_ or "").lower() in _ASKING


def _counterpart(ctx: SentenceContext, cue: SpacySpan, holders: set[str]) -> str | None:
    """A party named in the subject of the condition predicate ("Kyiv's support depends on ...")."""
    if not ctx.parsed:
        return None
    head = cue[0]
    subject = _subject(head) if head.pos_ in {"VERB", "AUX", "ADJ"} else None
    parties: list[Party] = ctx.parties_of(subject) if subject is not None else []
    return next((p.code for p in parties if p.code not in holders), None)


def _unique(signals: list[Signal]) -> list[Signal]:
    seen, out = set(), []
    for signal in signals:
        if signal.id not in seen:
            seen.add(signal.id)
            out.append(signal)
    return out
