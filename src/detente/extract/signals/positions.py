"""Positions: who wants what — (actor, issue, stance) with the words that say it.

A position is a stance cue of ``resources/issues.yaml`` (demand, insist,
red line, offer, reject, support) whose content names an issue of the
same file's small vocabulary (territory, security guarantees, sanctions,
ceasefire ...). Two forms, read off the dependency parse:

- *nominal*: "Ukrainian demands for full territorial integrity",
  "Western insistence on enforceable guarantees", "Moscow's offer of a
  truce": the holder is the possessor, adjective, compound or "by"/"from"
  phrase of the stance noun — or, when the noun has none or only a pronoun
  ("repeated its demands for"), the subject of the verb whose object it
  is; the content is its "for"/"on"/"of"/"to" phrases and infinitive, and
  the adjectives before it ("territorial demands").
- *verbal*: "Kyiv demanded the return of", "Moscow insists on", "the EU
  rejected", "Russia is ready to discuss": the holder is the subject; the
  content the verb's objects, prepositional phrases and complements.
- *red line*: "X is a red line for Y" — holder Y, content X's phrase.

Without a parse, a holder is an actor within three words before the cue and
the content runs from the cue to the end of its clause. The content is
always also cut at the next punctuation mark or stance cue, so one list of
positions ("demands for X, insistence on Y, and demands for Z") gives each
its own issues. A negated stance verb ("did not demand") is no position; a
cue inside a condition ("hinges on Moscow's willingness to") is left to the
condition reader. One Signal per (holder, issue) in a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ...records import Signal, SignalKind
from .context import Party, SentenceContext, subtree_range
from .lexicon import issue_patterns, stance_patterns
from .speakers import _subject

_CONTENT_PREPS = frozenset({"for", "on", "of", "to", "over", "about", "regarding", "concerning", "upon"})
_HOLDER_PREPS = frozenset({"by", "from"})
_STOP = frozenset({",", ";", ":", ".", "—", "–", "(", ")", "!", "?", "but", "while", "whereas", "although"})
_NOT_HEAD = frozenset({"for", "of", "to", "on", "will", "would", "can", "cannot", "ca", "wo", "not", "n't", "never"})
_MAX_WINDOW = 25
_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my", "your", "it", "they", "he", "she", "we"})


def _head(span: SpacySpan, verbal: bool) -> Token:
    """The word of a stance cue that carries its syntax: "demands" of "calls for", "accept" of "will not accept"."""
    words = [t for t in span if t.lower_ not in _NOT_HEAD] or list(span)
    return words[0] if verbal else words[-1]


def _window(ctx: SentenceContext, start: int, stops: Iterable[int]) -> int:
    """End of the lexical content that starts at token ``start``: the next punctuation mark or stance cue."""
    limit = min([ctx.sent.end, start + _MAX_WINDOW, *[s for s in stops if s >= start]])
    doc = ctx.sent.doc
    for i in range(start, limit):
        if doc[i].lower_ in _STOP:
            return i
    return limit


def _verbal(span: SpacySpan, head: Token, ctx: SentenceContext) -> bool:
    if ctx.parsed or head.pos_:
        return head.pos_ in {"VERB", "AUX", "ADJ"}
    return False


def _nominal_holder(ctx: SentenceContext, head: Token) -> tuple[list[Party], tuple[int, int] | None]:
    """Parties holding a stance noun, and the token range that names them."""
    if not ctx.parsed:
        start = max(ctx.sent.start, head.i - 3)
        parties = ctx.parties_in(start, head.i)
        return parties, (start, head.i) if parties else None
    modifiers = [c for c in head.children if c.dep_ in {"poss", "amod", "compound", "nmod"} and c.i < head.i]
    parties = [p for m in modifiers for p in ctx.parties_of(m)]
    if parties:
        return _unique(parties), subtree_range(modifiers)
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in _HOLDER_PREPS:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            parties = [p for o in objects for p in ctx.parties_of(o)]
            if parties:
                return _unique(parties), subtree_range(objects)
    if head.dep_ in {"dobj", "pobj", "nsubjpass"}:  # "Moscow repeated its demands for ..."
        verb = head.head.head if head.dep_ == "pobj" else head.head
        subject = _subject(verb) if verb.pos_ in {"VERB", "AUX"} else None
        if subject is not None:
            return ctx.parties_of(subject), subtree_range([subject])
    return [], None


def _red_line(ctx: SentenceContext, head: Token) -> tuple[list[Party], tuple[int, int] | None, tuple[int, int] | None]:
    """ "X is a red line for Y": holder Y (the "for" phrase), content X (the copula's subject)."""
    if not ctx.parsed or head.dep_ != "attr":
        return [], None, None
    objects = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
               if g.dep_ == "pobj"]
    subject = _subject(head.head)
    if not objects or subject is None:
        return [], None, None
    return _unique([p for o in objects for p in ctx.parties_of(o)]), subtree_range(objects), subtree_range([subject])


def _content(ctx: SentenceContext, head: Token, verbal: bool, window_end: int) -> tuple[int, int]:
    """Token range holding the issues of a stance: its complements (parse) and the lexical window."""
    start, end = head.i + 1, window_end
    if ctx.parsed:
        deps = {"dobj", "xcomp", "ccomp", "attr", "oprd", "acomp", "prep", "dative"} if verbal else {"prep", "acl"}
        kids = [c for c in head.children if c.dep_ in deps and c.i > head.i
                and (c.dep_ != "prep" or c.lower_ in _CONTENT_PREPS or verbal)]
        found = subtree_range(kids)
        if found is not None:
            end = max(end, found[1])
        if not verbal:
            start = head.left_edge.i  # "territorial demands": adjectives before the noun
    return start, end


def position_signals(ctx: SentenceContext, skip: Iterable[tuple[int, int]] = ()) -> list[Signal]:
    """POSITION signals of one sentence: one per (holder, issue), ``stance`` and ``issue`` set.

    ``skip`` are token ranges left to other readers (the content of conditions).
    """
    vocab = ctx.sent.doc.vocab
    noun_cues, verb_cues = stance_patterns(vocab)
    hits = [(stance, span, False) for stance, span in noun_cues.find(ctx.sent, ctx.words)]
    hits += [(stance, span, True) for stance, span in verb_cues.find(ctx.sent, ctx.words)]
    if not hits:
        return []
    issues = issue_patterns(vocab).find(ctx.sent, ctx.words)
    if not issues:
        return []
    skipped = [range(a, b) for a, b in skip]
    starts = sorted(span.start for _, span, _ in hits)
    signals: list[Signal] = []
    seen: set[tuple[str, str]] = set()
    taken: set[int] = set()
    for stance, span, verbal in sorted(hits, key=lambda h: (h[1].start, -len(h[1]))):
        if span.start in taken or any(span.start in r for r in skipped):
            continue
        taken.update(range(span.start, span.end))
        head = _head(span, verbal)
        tagged_verbal = _verbal(span, head, ctx)
        if (ctx.parsed or head.pos_) and verbal != tagged_verbal:
            continue  # "demands" as a noun is the noun cue's, as a verb the verb cue's
        following = [s for s in starts if s > span.start]
        window_end = _window(ctx, span.end, following)
        holder_range = None
        if stance == "red line" and ctx.parsed and head.dep_ == "attr":
            parties, holder_range, content = _red_line(ctx, head)
        elif verbal:
            if ctx.parsed and any(c.dep_ == "neg" for c in head.children) and not any(t.lower_ in _NOT_HEAD
                                                                                      for t in span if t != head):
                continue
            subject = _subject(head if head.pos_ != "ADJ" else head.head) if ctx.parsed else None
            if subject is not None:
                parties, holder_range = ctx.parties_of(subject), subtree_range([subject])
            else:
                parties = ctx.parties_in(max(ctx.sent.start, span.start - 2), span.start)
            content = _content(ctx, head, True, window_end)
        else:
            parties, holder_range = _nominal_holder(ctx, head)
            content = _content(ctx, head, False, window_end)
        if not parties or content is None:
            continue
        if following and content[0] < following[0] < content[1]:  # a misattached phrase: the next stance's
            cut = ctx.sent.doc[following[0]]
            cut_at = min(following[0], cut.left_edge.i) if ctx.parsed and cut.left_edge.i > span.end else following[0]
            content = (content[0], _trim(ctx, cut_at))
        found = [(issue, s) for issue, s in issues if content[0] <= s.start and s.end <= content[1]]
        holder_codes = {p.code for p in parties}
        in_issues = {i for _, s in found for i in range(s.start, s.end)}
        counterpart = next((p.code for p in ctx.parties_in(*content) if p.code not in holder_codes
                            and not _inside(ctx, p, in_issues)), None)
        start = min(span.start, content[0], *([holder_range[0]] if holder_range else []))
        end = max(span.end, content[1], *([holder_range[1]] if holder_range else []))
        source = ctx.char_span(*holder_range) if holder_range else parties[0].span
        for party in parties:
            for issue, _ in found:
                if (party.code, issue) in seen:
                    continue
                seen.add((party.code, issue))
                signals.append(ctx.signal(SignalKind.POSITION, start, end, parties=[party], counterpart=counterpart,
                                          source=source, issue=issue, stance=stance))
    return signals


def _trim(ctx: SentenceContext, end: int) -> int:
    """Drop the joining words ("and", ",", "with") before the token at ``end``."""
    doc = ctx.sent.doc
    while end > ctx.sent.start and (doc[end - 1].is_punct or doc[end - 1].pos_ in {"CCONJ", "ADP", "DET"}
                                    or doc[end - 1].lower_ in {"and", "with", "the", "'s"}):
        end -= 1
    return end


def _inside(ctx: SentenceContext, party: Party, tokens: set[int]) -> bool:
    """True when the party's mention lies within the issue words ("NATO" of "NATO membership")."""
    return any(ctx.base + ctx.sent.doc[i].idx == party.span.start for i in tokens)


def _unique(parties: list[Party]) -> list[Party]:
    out: list[Party] = []
    for party in parties:
        if all(p.code != party.code for p in out):
            out.append(party)
    return out
