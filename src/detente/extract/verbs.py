"""The CAMEO verb dictionary: verbs, their patterns and the nominal triggers.

Loaded once from ``resources/verbs/`` (built by ``scripts/build_verbs.py``
from the PETRARCH2 dictionary ``CAMEO.2.0.txt``, Open Event Data Alliance,
MIT). A pattern is a set of requirements on the words around a verb:
``pre`` (subject side), ``post`` (object side, particles, complements) and
prepositional groups; each requirement is a set of alternatives, each
alternative a tuple of lemmas that must all be present.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Token

from .cameo import lookup_cameo

_PACKAGE = "detente.resources"
_DIRECTORY = "verbs"

_OBJECT_DEPS = ("dobj", "dative", "attr", "oprd", "acomp", "xcomp", "prt", "advmod", "npadvmod", "neg")
_CORE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "det", "conj", "cc", "neg", "prt", "dobj",
                        "quantmod", "case"})
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis", "punct"})

#: A requirement: any one of these word tuples must be present.
Requirement = frozenset[tuple[str, ...]]


@dataclass(frozen=True)
class PrepGroup:
    """``(PREP words)`` in a pattern: a preposition whose object holds ``requirements``."""

    prep: str
    requirements: tuple[Requirement, ...]
    target: bool


@dataclass(frozen=True)
class Pattern:
    """One pattern line of a verb block; ``code`` None means "no event" (``[---]``)."""

    pre: tuple[Requirement, ...]
    post: tuple[Requirement, ...]
    preps: tuple[PrepGroup, ...]
    target_prep: str | None
    code: str | None
    line: int
    verbs: frozenset[str]  # the block's verbs it was written for; empty = all of them
    specificity: int = 0  # how many words it asks for (a prepositional group counts its preposition too)
    anchor: frozenset[str] = frozenset()  # one of these words must be around the verb for it to match


def _compile(pre, post, preps, **fields) -> Pattern:
    """A pattern with its specificity and anchor (the words of its most selective requirement)."""
    words = sum(min(len(alt) for alt in req) for req in (*pre, *post))
    specificity = words + sum(1 + sum(min(len(a) for a in r) for r in g.requirements) for g in preps)
    requirements = [*pre, *post, *(r for g in preps for r in g.requirements)]
    if requirements:
        anchor = frozenset(alt[0] for alt in min(requirements, key=len))
    else:
        anchor = frozenset(g.prep for g in preps[:1])
    return Pattern(pre, post, preps, specificity=specificity, anchor=anchor, **fields)


@dataclass(frozen=True)
class VerbEntry:
    """A verb (or multi-word verb, ``words[1:]`` its particles) in a block, with its default code."""

    block: str
    code: str | None
    own_code: bool
    words: tuple[str, ...]
    forms: tuple[str, ...]


@dataclass(frozen=True)
class NounTrigger:
    """A noun that names an event: coded directly (``code``) or like its verb (``verb``)."""

    noun: tuple[str, ...]  # modifiers then head lemma, e.g. ("hunger", "strike")
    verb: str | None
    code: str | None
    derivation: str


@dataclass(frozen=True)
class VerbDictionary:
    """The whole dictionary, indexed for the coder."""

    verbs: dict[str, tuple[VerbEntry, ...]]
    patterns: dict[str, tuple[Pattern, ...]]
    block_codes: dict[str, str | None]
    inferred_codes: dict[str, str | None]
    nouns: dict[str, tuple[NounTrigger, ...]]  # by head lemma
    intent_words: frozenset[str]
    intent_blocks: frozenset[str]
    operator_blocks: frozenset[str]
    future_auxiliaries: frozenset[str]
    auxiliaries: frozenset[str]  # the dictionary's &AUXVERB and &TOBEVERB sets: never the head of a trigger
    light_verbs: frozenset[str] = frozenset()  # verbs whose object decides their event: no block default
    informing_verbs: frozenset[str] = frozenset()  # "brief Y", "present X to Y": consultation with Y
    reduction_blocks: frozenset[str] = frozenset()  # "cut / suspend / freeze" + a cooperation noun: CAMEO 16x
    violence_means: dict[tuple[str, ...], str] = field(default_factory=dict)  # "airstrike" → 195 ...
    weapons: frozenset[str] = frozenset()  # one-word members of the dictionary's &WEAPON set ("missile", "weapon")


def _requirement(element: str | list, synsets: dict[str, list[list[str]]]) -> list[Requirement]:
    if isinstance(element, list):
        return [r for part in element for r in _requirement(part, synsets)]
    if element.startswith("&"):
        # an unknown set can never be satisfied (an empty requirement is)
        return [frozenset(tuple(m) for m in synsets.get(element, [])) or frozenset({("&" + element,)})]
    return [frozenset({(element,)})]


def _requirements(elements: list, synsets: dict[str, list[list[str]]]) -> tuple[Requirement, ...]:
    return tuple(r for element in elements for r in _requirement(element, synsets))


def _read(name: str) -> str:
    return files(_PACKAGE).joinpath(_DIRECTORY).joinpath(name).read_text(encoding="utf-8")


def _reduction_blocks(raw: dict, nouns: dict[str, list[NounTrigger]]) -> frozenset[str]:
    """Uncoded blocks whose verbs turn cooperation into its reduction (CAMEO 16, "reduce relations").

    For each single-object pattern of an uncoded block whose object is an
    event noun of cooperation (CAMEO 04–07: by its own code or its verb's
    default), count whether the pattern codes it 16x ("SEPARATE: cut * AID
    [162]", "FREEZE * RELATIONS [160]") or anything else; a block with more
    of the former is a reduction block (CANCEL, FREEZE, REDUCE, REVOKE,
    SEPARATE …). Read off the PETRARCH2 patterns, never a word list.
    """
    codes: dict[str, str] = {}
    for triggers in nouns.values():
        for t in triggers:
            code = t.code or next((e["code"] for e in raw["verbs"].get(t.verb or "", []) if e["code"]), None)
            if code:
                codes[" ".join(t.noun)] = code
    blocks = set()
    for name, block in raw["blocks"].items():
        if block["code"] is not None:
            continue
        reduced = kept = 0
        for p in block["patterns"]:
            if p["pre"] or p["preps"] or len(p["post"]) != 1 or not p["code"]:
                continue
            element = p["post"][0]
            if isinstance(element, list):
                members = [" ".join(element)]
            elif element.startswith("&"):
                members = [" ".join(m) for m in raw["synsets"].get(element, [])]
            else:
                members = [element]
            for noun in members:
                if codes.get(noun, "")[:2] in ("04", "05", "06", "07"):
                    reduced += p["code"].startswith("16")
                    kept += not p["code"].startswith("16")
        if reduced > kept:
            blocks.add(name)
    return frozenset(blocks)


@lru_cache(maxsize=1)
def load_verbs() -> VerbDictionary:
    """Return the CAMEO verb dictionary, loaded once from the package resources."""
    raw = json.loads(_read("verbs.json"))
    synsets = raw["synsets"]
    patterns: dict[str, tuple[Pattern, ...]] = {}
    intent_blocks: set[str] = set()
    for name, block in raw["blocks"].items():
        compiled = []
        for p in block["patterns"]:
            groups = tuple(
                PrepGroup(g["prep"], _requirements(g["elements"], synsets), g["target"]) for g in p["preps"]
            )
            compiled.append(_compile(
                _requirements(p["pre"], synsets), _requirements(p["post"], synsets), groups,
                target_prep=p["target_prep"], code=p["code"], line=p["line"], verbs=frozenset(p["verbs"]),
            ))
        patterns[name] = tuple(compiled)
        # verbs that express intent before an infinitive ("offer to", "agree to"): blocks coded 03x, or
        # blocks most of whose "* (TO ...)" patterns are 03x ("AGREE * (TO PROPOSAL) [030]")
        to_codes = [p.code or "" for p in compiled if any(g.prep == "to" for g in p.preps)]
        intent_to = sum(code.startswith("03") for code in to_codes)
        if (block["code"] or "").startswith("03") or (len(to_codes) >= 3 and intent_to * 2 >= len(to_codes)):
            intent_blocks.add(name)
    verbs = {
        lemma: tuple(
            VerbEntry(e["block"], e["code"], e["own_code"], tuple(e["words"]), tuple(e["forms"])) for e in entries
        )
        for lemma, entries in raw["verbs"].items()
    }
    nouns: dict[str, list[NounTrigger]] = {}
    for row in csv.DictReader(io.StringIO(_read("nouns.csv"))):
        words = tuple(row["noun"].split())
        trigger = NounTrigger(words, row["verb"] or None, row["code"] or None, row["derivation"])
        nouns.setdefault(words[-1], []).append(trigger)
    future = {w for member in synsets.get("&AUXVERB2", []) if len(member) == 1 for w in member}
    auxiliaries = {w for name in ("&AUXVERB1", "&AUXVERB2", "&AUXVERB3", "&TOBEVERB")
                   for member in synsets.get(name, []) for w in member}
    return VerbDictionary(
        verbs=verbs,
        patterns=patterns,
        block_codes={name: b["code"] for name, b in raw["blocks"].items()},
        inferred_codes={name: b.get("inferred_code") for name, b in raw["blocks"].items()},
        nouns={head: tuple(sorted(ts, key=lambda t: -len(t.noun))) for head, ts in nouns.items()},
        intent_words=frozenset(raw["intent_words"]),
        intent_blocks=frozenset(intent_blocks),
        operator_blocks=frozenset(raw["operator_blocks"]),
        future_auxiliaries=frozenset(future),
        auxiliaries=frozenset(auxiliaries | {"be"}),
        light_verbs=frozenset(raw.get("light_verbs", ())),
        informing_verbs=frozenset(raw.get("informing_verbs", ())),
        reduction_blocks=_reduction_blocks(raw, nouns),
        violence_means={tuple(unit.split()): code for unit, code in raw.get("violence_means", {}).items()},
        weapons=frozenset(m[0] for m in synsets.get("&WEAPON", []) if len(m) == 1),
    )


def is_plover_code(code: str | None) -> bool:
    """True when a CAMEO code maps to a PLOVER event type (not a statement, appeal or null)."""
    if not code:
        return False
    entry = lookup_cameo(code)
    return entry is not None and entry.plover_type is not None


def inflections(base: str) -> set[str]:
    """Regular English inflections of a verb or noun (over-generating is harmless here)."""
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        forms.add(base[:-1] + "ing")
    if base.endswith("y"):
        forms.update({base[:-1] + "ies", base[:-1] + "ied"})
    if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou":
        forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})
    return forms


@lru_cache(maxsize=1)
def verb_forms() -> dict[str, str]:
    """Lower-case inflected form → verb lemma, from the dictionary's lemmas, their regular inflections and the
    irregular forms it lists; a form two lemmas share is left out. For words the lemmatiser gets wrong
    ("staged" → "stag")."""
    owners: dict[str, set[str]] = {}
    for lemma, entries in load_verbs().verbs.items():
        for form in inflections(lemma) | {f for e in entries for f in e.forms}:
            owners.setdefault(form, set()).add(lemma)
    return {form: next(iter(lemmas)) for form, lemmas in owners.items() if len(lemmas) == 1}


def default_code(lemma: str, entries: tuple[VerbEntry, ...], dictionary: VerbDictionary) -> str | None:
    """The code a verb has without a pattern: its own, else its block's, which a light verb does not inherit."""
    single = [e for e in entries if len(e.words) == 1]
    inherits = [e for e in single if e.own_code or lemma not in dictionary.light_verbs or e.block.lower() == lemma]
    return next((e.code for e in inherits if e.own_code and e.code), None) or next(
        (e.code for e in inherits if e.code), None)


# ------------------------------------------------------------------ matching a verb's dependents


def _words(tokens) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lower_)
        out.add(t.lemma_.lower())
    return out


@dataclass
class Frame:
    """The words around a trigger that its patterns are matched against (lemmas and lower-cased forms)."""

    pre: set[str]
    post: set[str]
    preps: list[tuple[str, set[str], bool]]  # preposition, words of its object, attached to the verb's object
    children: set[str]
    everything: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.everything = self.pre | self.post | {w for p, bag, _ in self.preps for w in (p, *bag)}


def phrase(token: Token) -> list[Token]:
    """``token`` and its dependents, not crossing into embedded clauses."""
    out, stack = [token], [token]
    while stack:
        for child in stack.pop().children:
            if child.dep_ not in _CLAUSES:
                out.append(child)
                stack.append(child)
    return out


def temporal(prep: Token) -> bool:
    """A prepositional phrase of time ("on Tuesday", "in March") is an adjunct, not a pattern argument."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)


def _core(token: Token) -> list[Token]:
    """The words of a noun phrase that say what it is: head, modifiers, conjuncts and ``of``-complements."""
    out, stack = [token], [token]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in _CORE_DEPS or (child.dep_ == "pobj" and child.head.lower_ == "of") or (
                    child.dep_ == "prep" and child.lower_ == "of"):
                out.append(child)
                stack.append(child)
    return out


def verb_frame(v: Token) -> Frame:
    pre: set[str] = set()
    post: set[str] = set()
    preps: list[tuple[str, set[str], bool]] = []
    for child in v.children:
        dep = child.dep_
        if dep in ("nsubj", "csubj") or (dep in ("aux", "neg", "advmod") and child.i < v.i):
            pre |= _words(phrase(child))
        if dep == "nsubjpass" or (dep in _OBJECT_DEPS and child.i > v.i) or dep == "neg":
            post |= _words(_core(child))
        if dep in ("prep", "agent") and not temporal(child):
            bag = _words(phrase(child)) - {child.lower_}
            preps.append(("by" if dep == "agent" else child.lemma_.lower(), bag, False))
        if dep in ("dobj", "nsubjpass", "xcomp"):
            for grandchild in child.children:
                if grandchild.dep_ == "prep":
                    bag = _words(phrase(grandchild)) - {grandchild.lower_}
                    preps.append((grandchild.lemma_.lower(), bag, True))
    return Frame(pre, post, preps, {c.lemma_.lower() for c in v.children} | {c.lower_ for c in v.children})


def noun_trigger(n: Token, dic: VerbDictionary) -> NounTrigger | None:
    """The nominal trigger a noun token is, if any: the longest entry whose modifiers it has ("hunger strike")."""
    triggers = dic.nouns.get(n.lemma_.lower()) or dic.nouns.get(n.lower_)
    if not triggers:
        return None
    modifiers = {c.lemma_.lower() for c in n.children if c.dep_ in ("compound", "amod", "nmod")}
    return next((t for t in triggers if all(w in modifiers for w in t.noun[:-1])), None)


def noun_frame(n: Token) -> Frame:
    pre: set[str] = set()
    post: set[str] = set()
    preps: list[tuple[str, set[str], bool]] = []
    for child in n.children:
        if child.dep_ in ("poss", "amod") and child.i < n.i:
            pre |= _words(phrase(child))
        elif child.dep_ == "compound":
            post |= _words(phrase(child))
        elif child.dep_ == "prep":
            bag = _words(phrase(child)) - {child.lower_}
            if child.lower_ == "of":
                post |= bag
            preps.append((child.lemma_.lower(), bag, False))
    return Frame(pre, post, preps, {c.lemma_.lower() for c in n.children})


def _satisfied(requirement, bag: set[str]) -> bool:
    return any(all(word in bag for word in alternative) for alternative in requirement)


def _matches(pattern: Pattern, frame: Frame) -> bool:
    if not all(_satisfied(r, frame.pre) for r in pattern.pre):
        return False
    if not all(_satisfied(r, frame.post) for r in pattern.post):
        return False
    for group in pattern.preps:  # a phrase on the object ("warrant for arrest") needs the object in the pattern
        if not any(p == group.prep and (not on_object or pattern.post) and all(_satisfied(r, bag)
                   for r in group.requirements) for p, bag, on_object in frame.preps):
            return False
    return True


def pattern_applies(pattern: Pattern, lemma: str, block: str, dic: VerbDictionary) -> bool:
    """A pattern codes the verb it was written for, and its block-mates when it keeps the block's root.

    ``TAKE * PART [030]`` ("take part") sits in the block of "capture" (171)
    and must not code "captured part of"; ``HALT * AID [162]`` sits in the
    uncoded CANCEL block and codes "suspend aid" too, but a bare
    ``EXPORT * (TO) [061]`` stays with "export".
    """
    if not pattern.verbs or lemma in pattern.verbs:
        return True
    if dic.block_codes.get(block) is None:  # a block without a code is a synonym set defined by its patterns,
        return bool(pattern.post) or any(g.requirements for g in pattern.preps)  # which name objects
    return (pattern.code or "")[:2] == (dic.block_codes[block] or "")[:2]


@lru_cache(maxsize=1)
def _block_anchors() -> dict[str, frozenset[str]]:
    """Every word one of a block's patterns is anchored on (``Pattern.anchor``), per block."""
    return {block: frozenset().union(*(p.anchor for p in patterns)) for block, patterns in load_verbs().patterns.items()}


def patterns_possible(blocks: list[str], words: frozenset[str]) -> bool:
    """Whether a pattern of these blocks can match among ``words`` (a superset of the trigger's frame words):
    when not, ``code_with`` needs no frame."""
    anchors = _block_anchors()
    return any(not anchors.get(block, frozenset()).isdisjoint(words) for block in blocks)


def code_with(lemma: str, blocks: list[str], default: str | None, frame: Frame | None, dic: VerbDictionary) -> tuple:
    """``(code, how, pattern)`` of a trigger: its most specific matching pattern, else ``default``, else the
    block's inferred code. ``frame`` None means no pattern can match (see ``patterns_possible``)."""
    best: Pattern | None = None
    around = frame.everything if frame is not None else frozenset()
    for block in blocks if frame is not None else ():
        for pattern in dic.patterns.get(block, ()):
            if (best is None or pattern.specificity > best.specificity) and not pattern.anchor.isdisjoint(around) \
                    and pattern_applies(pattern, lemma, block, dic) and _matches(pattern, frame):
                best = pattern
    if best is not None:
        return best.code, ("pattern" if best.code else "null"), best
    if default:
        return default, "default", None
    inferred = next((dic.inferred_codes[b] for b in blocks if dic.inferred_codes.get(b)), None)
    return inferred, ("inferred" if inferred else "none"), None
