"""Build ``src/detente/resources/verbs/`` from the PETRARCH2 CAMEO verb dictionary.

Input (in ``--shared``, default ``../shared`` from the repository root):
``data/reference/petrarch2/CAMEO.2.0.txt`` (Open Event Data Alliance, MIT).

The dictionary has three parts, read as PETRARCH's ``read_verb_dictionary``
documents them:

- synonym sets: ``&NAME`` followed by ``+WORD`` members (``_`` joins the words
  of a multi-word member; a trailing ``_`` only forbids PETRARCH's automatic
  plural, so it is dropped);
- verb blocks: ``---  NAME   [code]  ---`` then verb lines
  ``VERB {IRREGULAR FORMS} [code]`` (``+WORD_WORD`` for multi-word verbs such as
  ``+CALL_OFF``; a verb's own code overrides the block's) and pattern lines
  ``- pre-words * post-words [code] # comment``, where ``*`` is the verb,
  ``(PREP words)`` a prepositional phrase, ``{A B}`` words that must all
  appear, ``&SET`` a synonym set, ``$``/``+`` the source/target position,
  ``^`` a skipped phrase and ``%`` a compound marker; the comment names the
  verb the pattern was written for, kept as the pattern's ``verbs``
  (``pattern_verbs``: the coder applies a pattern to its block-mates only
  when it keeps the block's CAMEO root or the block has no code, see
  ``detente.extract.verbs``);
- transformations (``~ ...``), which are not used.

Codes ``[A:B]`` (source-side and target-side codes of reciprocal events) keep
``A``, or ``B`` when ``A`` is empty; ``[---]`` means "no event" and is kept as
an explicit null, so a pattern can switch a verb off (``AVERT * ATTACK``).
Pattern words are lower-cased and lemmatised as nouns with spaCy's rule
lemmatiser (``TALKS`` → ``talk``), which is what the coder compares them with;
verb lines already give base forms and are only lower-cased.

Outputs:

- ``verbs.json``: synonym sets, blocks (default code, ``inferred_code`` — see
  ``infer_block_codes`` — and patterns), ``operator_blocks`` (see
  ``operator_blocks``), verbs
  (head lemma → entries with the extra words of multi-word verbs and their
  surface forms), ``intent_words``, ``light_verbs`` (see ``light_verbs``),
  ``informing_verbs`` (``informing_verbs``) and ``violence_means`` (words
  naming the instrument of violence → CAMEO code, ``violence_means``; it
  also reads ``data/reference/CAMEO2PLOVER-2021.txt``, CC BY-SA 4.0);
- ``nouns.csv``: nominal triggers with how each was derived (see below);
- ``LICENSE-petrarch2.txt``: the dictionary's MIT license.

Nominal triggers (``nouns.csv``, column ``derivation``) come from three
documented rules, never from a word list:

1. ``support``: the object of an aspectual verb (Levin 1993, class 55.1:
   begin, commence, continue, initiate, proceed, resume, restart, start,
   undertake) is an event, so the single-noun objects of the patterns written
   for those verbs in the START, CONTINUE and RESTART blocks are event nouns
   coded as the pattern codes them: "start talks", "resume the offensive".
   ("open" and "launch" are left out: they also take things, "open the
   border", "launch a pipeline".) Its code
   is the most frequent code those patterns give the noun (ties: the first in
   the file). Multi-word objects (``{HUNGER STRIKE}``) are kept as multi-word
   nouns; a synonym set (``&CEASEFIRE``) contributes each of its members.
2. ``nominalisation`` / ``zero``: the nominalisation of a dictionary verb is
   a trigger coded like the verb (its ``of``-object playing the verb's
   object). Suffix rules (-ment, -al, -ion/-ation, -ance/-ence, -ure, -ing,
   -de/-d → -sion, -t → -ssion, -y → -ication/-ial, -ize → -ism, with e-drop
   and consonant doubling) must give a noun of WordNet (spaCy's lemmatiser
   noun index) that keeps the verb's stem (common prefix of at least four
   letters and all but the last two of the verb). The zero-derived noun
   (``raid`` → ``raid``) is kept only when the dictionary itself uses the word
   at least twice as a pattern object with a code of the verb's CAMEO root,
   since many verbs double as unrelated common nouns (``press``, ``pound``).
   Nouns that the PETRARCH agents dictionary (``Phoenix.agents.txt``, MIT)
   lists as agents (``government``, ``settlement``) denote actors, not events,
   and are never triggers by this rule.
3. ``meeting``: the single-noun objects of the consultation-coded (04x)
   patterns of the aspectual blocks, "open" and "launch" included ("open *
   SESSION [046]"): see ``meeting_nouns``. The patterns attest these as
   events, so the agents list does not exclude them ("meeting" is the last
   word of the agent ``A_CABINET_MEETING``).

``intent_words``: single words that follow the verb in patterns coded 03x
(express intent), e.g. ``DECLARE * WILLING``, ``INDICATE * READY``; an
adjective from this set governing an infinitive ("is ready to withdraw")
marks the infinitive's event as an intention.

Usage: ``.venv/bin/python scripts/build_verbs.py [--shared DIR] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

REPO_ROOT = Path(__file__).resolve().parent.parent
DICTIONARY = Path("data/reference/petrarch2/CAMEO.2.0.txt")
LICENSE = Path("data/reference/petrarch2/LICENSE")
AGENTS = Path("data/reference/petrarch2/Phoenix.agents.txt")
PLOVER_TABLE = Path("data/reference/CAMEO2PLOVER-2021.txt")
SUPPORT_BLOCKS = ("START", "CONTINUE", "RESTART")
#: Aspectual ("begin") verbs, Levin (1993) English Verb Classes and Alternations, class 55.1: their
#: object is an event ("start talks", "resume the offensive"), unlike "open" or "launch", which also
#: take things ("open the border", "launch a pipeline").
ASPECTUAL = frozenset({"begin", "commence", "continue", "initiate", "proceed", "resume", "restart", "start",
                       "undertake"})

_BLOCK = re.compile(r"^---\s+(?P<name>\S+)\s+\[(?P<code>[^\]]*)\]")
_CODE = re.compile(r"\[(?P<code>[^\]]*)\]")
_FORMS = re.compile(r"\{(?P<forms>[^}]*)\}")


class Lemmatiser:
    """spaCy's English rule lemmatiser and WordNet noun index, used for pattern words."""

    def __init__(self) -> None:
        sys.path.insert(0, str(REPO_ROOT / "src"))
        from spacy.tokens import Doc

        from detente.extract.nlp import load_nlp

        nlp = load_nlp()
        self._doc = Doc
        self._vocab = nlp.vocab
        self._lemmatizer = nlp.get_pipe("lemmatizer")
        self.nouns = frozenset(self._lemmatizer.lookups.get_table("lemma_index")["noun"])
        self._cache: dict[tuple[str, str], str] = {}

    def lemma(self, word: str, pos: str = "NOUN") -> str:
        key = (word, pos)
        if key not in self._cache:
            doc = self._doc(self._vocab, words=[word])
            doc[0].pos_ = pos
            lemma = self._lemmatizer.rule_lemmatize(doc[0])[0].lower()
            # the rule lemmatiser strips the "s" of unknown words ("crisis" → "crisi", "across" → "acros"):
            # keep a word whose lemma is not a known noun
            if pos == "NOUN" and lemma != word and lemma not in self.nouns:
                lemma = word
            self._cache[key] = lemma
        return self._cache[key]


def parse_code(text: str) -> str | None:
    """``"042:043"`` → ``"042"``, ``":173"`` → ``"173"``, ``"---"`` → None."""
    text = text.strip().rstrip("!")
    if not text or text.startswith("-") or text == "s":
        return None
    first, _, second = text.partition(":")
    code = first or second
    return code if re.fullmatch(r"[0-9]{2,4}", code) else None


def words_of(token: str, lemmatiser: Lemmatiser) -> list[str]:
    """The lemmas of one dictionary token (``PRIME_MINISTER`` → ``["prime", "minister"]``)."""
    token = token.strip("_").lower()
    if token.startswith("re_"):
        token = "re" + token[3:]
    return [lemmatiser.lemma(w) for w in token.split("_") if w]


def parse_elements(text: str, lemmatiser: Lemmatiser) -> tuple[list, list, str | None]:
    """Parse the words on one side of ``*``: flat elements, prepositional groups, target preposition.

    Flat element: a lemma, ``&SET`` or a list of those (``{A B}``, multi-word).
    Group: ``{"prep": lemma, "elements": [...], "target": bool}``.
    """
    flat: list = []
    groups: list[dict] = []
    target_prep: str | None = None
    tokens = re.findall(r"\(|\)|\{|\}|[^\s(){}]+", text)
    i = 0
    last_word: str | None = None
    while i < len(tokens):
        tok = tokens[i]
        if tok == "(":
            j = tokens.index(")", i) if ")" in tokens[i:] else len(tokens)
            inner = tokens[i + 1 : j]
            is_target = "+" in inner
            inner_flat, _, _ = parse_elements(" ".join(t for t in inner if t not in "+$^%"), lemmatiser)
            if inner_flat and isinstance(inner_flat[0], str) and not inner_flat[0].startswith("&"):
                groups.append({"prep": inner_flat[0], "elements": inner_flat[1:], "target": is_target})
                if is_target:
                    target_prep = inner_flat[0]
            i = j + 1
            continue
        if tok == "{":
            j = tokens.index("}", i) if "}" in tokens[i:] else len(tokens)
            multi: list = []
            for inner in tokens[i + 1 : j]:
                multi.extend(_element(inner, lemmatiser))
            if len(multi) == 1:
                flat.append(multi[0])
            elif multi:
                flat.append(multi)
            i = j + 1
            continue
        if tok == "+" and last_word and target_prep is None:
            target_prep = last_word
        elif tok not in ("$", "+", "^", "%", "}", ")"):
            elems = _element(tok, lemmatiser)
            flat.extend(elems)
            if elems and isinstance(elems[-1], str):
                last_word = elems[-1]
        i += 1
    return flat, groups, target_prep


def _element(token: str, lemmatiser: Lemmatiser) -> list:
    if token.startswith("&"):
        return [token.rstrip("_")]
    words = words_of(token, lemmatiser)
    return [words] if len(words) > 1 else words


def read_dictionary(path: Path, lemmatiser: Lemmatiser) -> dict:
    """Parse CAMEO.2.0.txt into synonym sets, blocks and verbs."""
    synsets: dict[str, list[list[str]]] = {}
    blocks: dict[str, dict] = {}
    verbs: dict[str, list[dict]] = defaultdict(list)
    current_set: str | None = None
    block: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not raw.strip() or line.startswith("~"):
            current_set = None  # a blank line ends a synonym set; a comment line does not
            continue
        if not line.strip():
            continue
        if line.startswith("&"):
            current_set = line.strip().rstrip("_")
            synsets[current_set] = []
            continue
        if current_set and line.startswith("+") and block is None:
            synsets[current_set].append(words_of(line.strip()[1:], lemmatiser))
            continue
        if (match := _BLOCK.match(line)) is not None:
            block = match["name"]
            blocks[block] = {"code": parse_code(match["code"]), "patterns": []}
            continue
        if block is None:
            continue
        if line.startswith("-"):
            body = line[1:]
            comment = raw.split("#", 1)[1] if "#" in raw else ""
            code_match = _CODE.search(body)
            if code_match is None or "*" not in body:
                continue
            pattern_text = body[: code_match.start()]
            pre_text, _, post_text = pattern_text.partition("*")
            pre, pre_groups, _ = parse_elements(pre_text, lemmatiser)
            post, groups, target_prep = parse_elements(post_text, lemmatiser)
            blocks[block]["patterns"].append(
                {
                    "pre": pre + [g["prep"] for g in pre_groups],
                    "post": post,
                    "preps": groups,
                    "target_prep": target_prep,
                    "code": parse_code(code_match["code"]),
                    "line": number,
                    "comment": comment,
                }
            )
            continue
        verb_line = line.strip()
        forms_match = _FORMS.search(verb_line)
        forms = forms_match["forms"].split() if forms_match else []
        code_match = _CODE.search(verb_line)
        head = re.split(r"[\s{\[]", verb_line.lstrip("+"), maxsplit=1)[0]
        words = [w for w in head.strip("_").lower().split("_") if w]
        if not words or not words[0].isalpha() and "-" not in words[0]:
            continue
        if words[0] == "re" and len(words) > 1:
            words = ["re" + words[1], *words[2:]]
        lemma = words[0]  # verb lines give base forms; the rule lemmatiser would mangle them ("ring" → "re")
        verbs[lemma].append(
            {
                "block": block,
                "code": parse_code(code_match["code"]) if code_match else blocks[block]["code"],
                "own_code": code_match is not None,
                "words": [lemma, *words[1:]],
                "forms": sorted({w for f in forms if (w := f.lstrip("+").split("_")[0].lower()).isalpha()}),
            }
        )
    for name, block in blocks.items():
        members = {lemma for lemma, entries in verbs.items() for e in entries if e["block"] == name}
        for pattern in block["patterns"]:
            pattern["verbs"] = pattern_verbs(pattern.pop("comment"), members, lemmatiser)
    return {"synsets": synsets, "blocks": blocks, "verbs": dict(verbs)}


def pattern_verbs(comment: str, members: set[str], lemmatiser: Lemmatiser) -> list[str]:
    """The verbs of the block a pattern was written for, from its comment (``# TAKE``); [] = all of them.

    The dictionary's header: "In the comments section of the patterns, the
    verb[s] where the pattern was originally found is shown". A pattern such
    as ``TAKE * PART [030]`` ("take part") must not code "capture part of".
    """
    named = set()
    for word in re.findall(r"[A-Za-z][A-Za-z_'-]*", comment):
        head = word.lower().split("_")[0]
        for candidate in (head, lemmatiser.lemma(head, "VERB")):
            if candidate in members:
                named.add(candidate)
    return sorted(named)


def _pattern_nouns(patterns: list[dict]) -> set[str]:
    """Words used as (the last word of) a flat object in any pattern."""
    nouns: set[str] = set()
    for pattern in patterns:
        for element in pattern["post"]:
            if isinstance(element, str) and not element.startswith("&"):
                nouns.add(element)
            elif isinstance(element, list) and isinstance(element[-1], str):
                nouns.add(element[-1])
    return nouns


def _nominalisations(verb: str) -> set[str]:
    """Candidate nominalisations of a verb by the productive English suffixes.

    -ment, -al, -ion/-ation, -ance/-ence, -ure, -ing (with e-drop and consonant
    doubling), -de/-d → -sion, -t → -ssion/-tion, -y → -ication/-ial, -ize → -ism.
    """
    stem_e = verb.removesuffix("e")
    out = {
        verb + "ment", stem_e + "al", verb + "al", stem_e + "ion", verb + "ion", stem_e + "ation", verb + "ation",
        stem_e + "ance", verb + "ance", stem_e + "ence", stem_e + "ure", verb + "ure", stem_e + "ing", verb + "ing",
    }
    if len(verb) > 2 and verb[-1] in "bdgmnprt" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        out.add(verb + verb[-1] + "ing")
    if verb.endswith("de"):
        out.add(verb[:-2] + "sion")
    if verb.endswith("d"):
        out.add(verb[:-1] + "sion")
    if verb.endswith("t"):
        out.update({verb[:-1] + "ssion", verb + "ion"})
    if verb.endswith("y"):
        out.update({verb[:-1] + "ication", verb[:-1] + "ial"})
    if verb.endswith(("ize", "ise")):
        out.add(verb[:-3] + "ism")
    return {noun for noun in out if _common_prefix(noun, verb) >= max(4, len(verb) - 2)}


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def agent_nouns(path: Path) -> set[str]:
    """Head nouns of the PETRARCH agents dictionary entries (``GOVERNMENT``, ``SETTLEMENT``)."""
    nouns: set[str] = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        head = line.split("[", 1)[0].split("#", 1)[0].strip()
        if head and not head.startswith(("!", "#")) and "!" not in head and " " not in head:
            nouns.add(head.strip("_").lower().split("_")[-1])  # the head noun of "GOVERNMENT_ORGANIZATION"
    return nouns


def noun_triggers(dictionary: dict, lemmatiser: Lemmatiser, agents: set[str]) -> list[dict]:
    """Nominal triggers by the three documented rules (support-verb objects, nominalisations, meeting nouns)."""
    rows: dict[str, dict] = {}
    support_codes: dict[str, Counter] = defaultdict(Counter)
    first_seen: dict[tuple[str, str | None], int] = {}
    for name in SUPPORT_BLOCKS:
        for pattern in dictionary["blocks"].get(name, {}).get("patterns", []):
            if pattern["pre"] or pattern["preps"] or len(pattern["post"]) != 1 or pattern["code"] is None:
                continue
            if not ASPECTUAL & set(pattern["verbs"]):
                continue
            element = pattern["post"][0]
            if isinstance(element, str) and element.startswith("&"):
                nouns = [" ".join(member) for member in dictionary["synsets"].get(element, [])]
            elif isinstance(element, str):
                nouns = [element]
            elif all(isinstance(w, str) and not w.startswith("&") for w in element):
                nouns = [" ".join(element)]
            else:
                continue
            for noun in nouns:
                support_codes[noun][pattern["code"]] += 1
                first_seen.setdefault((noun, pattern["code"]), pattern["line"])
    for noun, codes in support_codes.items():
        if noun.split()[-1] not in lemmatiser.nouns or noun in agents:
            continue
        best = max(codes.items(), key=lambda kv: (kv[1], -first_seen[(noun, kv[0])]))[0]
        rows[noun] = {"noun": noun, "verb": "", "code": best, "derivation": "support"}
    for noun, code in meeting_nouns(dictionary).items():  # the patterns attest these as events: agents or not
        if noun not in rows and noun.split()[-1] in lemmatiser.nouns:
            rows[noun] = {"noun": noun, "verb": "", "code": code, "derivation": "meeting"}

    # how often the dictionary uses a word as a pattern object, per CAMEO root of the pattern's code
    object_roots: dict[str, Counter] = defaultdict(Counter)
    for block in dictionary["blocks"].values():
        for pattern in block["patterns"]:
            for word in _pattern_nouns([pattern]):
                object_roots[word][(pattern["code"] or "")[:2]] += 1
    for verb, entries in sorted(dictionary["verbs"].items()):
        if all(len(e["words"]) > 1 for e in entries):
            continue
        roots = {e["code"][:2] for e in entries if e["code"]}
        candidates = {("nominalisation", n) for n in _nominalisations(verb) if n in lemmatiser.nouns}
        # zero derivation: only when the dictionary itself uses the noun for the verb's event at least twice
        if verb in lemmatiser.nouns and sum(object_roots[verb][r] for r in roots) >= 2:
            candidates.add(("zero", verb))
        for derivation, noun in sorted(candidates):
            if noun in rows or noun in agents:
                continue
            rows[noun] = {"noun": noun, "verb": verb, "code": "", "derivation": derivation}
    return sorted(rows.values(), key=lambda r: r["noun"])


def _single_object(pattern: dict, synsets: dict[str, list[list[str]]]) -> list[str]:
    """The nouns a pattern with one flat object asks for (a set's members; [] for anything else)."""
    if pattern["pre"] or pattern["preps"] or len(pattern["post"]) != 1:
        return []
    element = pattern["post"][0]
    if isinstance(element, str) and element.startswith("&"):
        return [" ".join(member) for member in synsets.get(element, [])]
    if isinstance(element, str):
        return [element]
    if all(isinstance(w, str) and not w.startswith("&") for w in element):
        return [" ".join(element)]
    return []


def meeting_nouns(dictionary: dict) -> dict[str, str]:
    """Nouns that name a meeting: what the aspectual verbs start, open or resume with a consultation code.

    The single-noun objects of the patterns coded 04x (consult) in the START,
    CONTINUE and RESTART blocks, for every verb of those blocks ("open * SESSION
    [046]", "launch * WORKSHOP [046]", "begin * TOUR [042]"): what one opens or
    begins as a consultation is a meeting, visit or negotiation. Unlike the
    ``support`` rule, "open" and "launch" count here, since only their
    consultation-coded objects are taken. Code: the most frequent of those
    codes (ties: the first in the file).
    """
    codes: dict[str, Counter] = defaultdict(Counter)
    first: dict[tuple[str, str], int] = {}
    for name in SUPPORT_BLOCKS:
        for pattern in dictionary["blocks"].get(name, {}).get("patterns", []):
            if not (pattern["code"] or "").startswith("04"):
                continue
            element = pattern["post"][0] if len(pattern["post"]) == 1 else None
            if isinstance(element, str) and element.startswith("&"):
                continue  # a synonym set names a class ("&PROGRAM"), not the meeting itself
            for noun in _single_object(pattern, dictionary["synsets"]):
                codes[noun][pattern["code"]] += 1
                first.setdefault((noun, pattern["code"]), pattern["line"])
    return {noun: max(c.items(), key=lambda kv: (kv[1], -first[(noun, kv[0])]))[0] for noun, c in codes.items()}


def light_verbs(dictionary: dict, threshold: int = 10) -> list[str]:
    """Verbs whose object decides their event: their own one-object patterns span ``threshold``+ CAMEO roots.

    "give" (GRANT block) is coded 010 with STATEMENT, 043 with RECEPTION,
    070 with AID, 120 with {NEGATIVE RESPONSE} ...: the dictionary reads the
    event off its object, so the block's default (060 for "give", "issue";
    171 for "take") is not the verb's meaning. The coder gives such a verb
    no default code: a pattern or an event noun it governs codes it.
    """
    roots: dict[str, set[str]] = defaultdict(set)
    for block in dictionary["blocks"].values():
        for pattern in block["patterns"]:
            if pattern["code"] and not pattern["pre"] and len(pattern["post"]) == 1:
                for verb in pattern["verbs"]:
                    roots[verb].add(pattern["code"][:2])
    return sorted(verb for verb, found in roots.items() if len(found) >= threshold)


#: The CAMEO codes of violence by means (CAMEO 1.1b3 codebook; CAMEO2PLOVER-2021 descriptions): non-military
#: bombing, small arms and light weapons, artillery and tanks, aerial weapons.
MEANS_CODES = {"183": "183", "193": "193", "194": "194", "195": "195"}


def violence_means(dictionary: dict, lemmatiser: Lemmatiser, stop_words: frozenset[str], table: Path) -> dict[str, str]:
    """Words that name the means of a violent act, with the CAMEO code of violence by that means.

    Two sources: (1) the words (or multi-word units, a synonym set counting as
    one unit) of the dictionary's patterns coded 18x–20x, credited to the
    means code of the pattern (183x bombing, 193 small arms, 194 artillery,
    195 aerial) when at least two such patterns use them and at least two
    thirds of all their violence patterns agree ("airstrike", "shelling",
    "gunbattle", the members of &AIRCRAFT); (2) the head noun of the CAMEO →
    PLOVER table's description of each of those codes ("Carry out roadside
    *bombing*", "Fight with artillery and *tanks*"), with the verb of a
    nominalisation ("bombing" → "bomb"). Stop words are left out.
    """
    units: dict[str, Counter] = defaultdict(Counter)
    for block in dictionary["blocks"].values():
        for pattern in block["patterns"]:
            code = pattern["code"] or ""
            if code[:2] not in ("18", "19", "20"):
                continue
            means = MEANS_CODES.get(code[:3], "other")
            found: set[str] = set()
            for element in [*pattern["pre"], *pattern["post"], *(e for g in pattern["preps"] for e in g["elements"])]:
                if isinstance(element, str):
                    found.add(element)
                elif all(isinstance(w, str) and not w.startswith("&") for w in element):
                    found.add(" ".join(element))
            for unit in found:
                units[unit][means] += 1
    out: dict[str, str] = {}
    for unit, counts in units.items():
        best, count = max(((k, v) for k, v in counts.items() if k != "other"), key=lambda kv: kv[1], default=("", 0))
        if count < 2 or count * 3 < 2 * sum(counts.values()) or unit in stop_words:
            continue
        members = [" ".join(m) for m in dictionary["synsets"].get(unit, [])] if unit.startswith("&") else [unit]
        for member in members:
            out.setdefault(member, best)
    for line in table.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{3,4}):[^#]*#\s*(.+)$", line)
        if match is None or match[1][:3] not in MEANS_CODES:
            continue
        head = lemmatiser.lemma(re.findall(r"[A-Za-z]+", match[2])[-1].lower())
        out.setdefault(head, match[1][:3])
        if head.endswith("ing") and head[:-3] in dictionary["verbs"]:
            out.setdefault(head[:-3], match[1][:3])  # the verb of the nominalisation: "bombing" → "bomb"
    return dict(sorted(out.items()))


#: Verbs of informing a party in person, whose object is information rather than an event: "brief" (PETRARCH's
#: INSTRUCT block, whose one pattern codes briefing as sharing information, 064) and "present" (EXHIBIT block,
#: where ``PRESENT * LETTER [040]`` codes handing a document over as consultation).
INFORMING = {"INSTRUCT": ("brief",), "EXHIBIT": ("present",)}


def informing_verbs(dictionary: dict) -> list[str]:
    """The verbs of ``INFORMING`` that the dictionary lists in those blocks.

    Without a pattern that codes a PLOVER event, the coder reads "brief Y" and
    "present X to Y", with an actor Y, as a consultation (CAMEO 040): informing
    a named party is contact with it, whatever is presented.
    """
    return sorted(
        lemma for lemma, entries in dictionary["verbs"].items()
        for e in entries if lemma in INFORMING.get(e["block"], ()) and len(e["words"]) == 1
    )


def infer_block_codes(dictionary: dict) -> None:
    """Give each operator block (see ``operator_blocks``) the CAMEO root most of its patterns share.

    ``REFUSE [---]`` (refuse, reject, deny, decline ...) has no default because
    its code depends on the object ("deny a report" is 016, "reject a
    proposal" 120); when no pattern matches, the coder falls back to the root
    that at least half of the block's coded patterns (and at least ten of
    them) share, as its ``0`` code (``120``). Stored as ``inferred_code``.
    Only operator blocks get one: their verbs do something of their own to
    their object, whereas the shared root of a support block ("commit",
    "carry out": 19x) is its objects' event ("attack", "raid"), which the
    coder reads off the object itself.
    """
    operators = set(dictionary["operator_blocks"])
    for name, block in dictionary["blocks"].items():
        block["inferred_code"] = None
        if block["code"] is not None or name not in operators:
            continue
        roots = Counter((p["code"] or "")[:2] for p in block["patterns"] if p["code"])
        total = sum(roots.values())
        if total >= 10:
            root, count = roots.most_common(1)[0]
            if count * 2 >= total:
                block["inferred_code"] = root + "0"


def operator_blocks(dictionary: dict, nouns: list[dict]) -> list[str]:
    """Uncoded blocks whose verbs change the event of their object noun ("lift", "cancel", "refuse").

    For a block without a code, compare each single-noun pattern's code with
    the noun's own code (``nouns.csv``, or its verb's default): in START,
    "start * ATTACK [190]" keeps the noun's event — the verb is a support
    verb; in CANCEL, "halt * AID [162]" turns aid (070) into its suspension —
    the verb is an operator. A block with at least three such patterns, at
    most half of which keep the noun's root, is an operator block; its verbs
    never hand their code over to their object noun.
    """
    noun_codes: dict[str, str] = {}
    for row in nouns:
        code = row["code"] or next(
            (e["code"] for e in dictionary["verbs"].get(row["verb"], []) if e["code"]), None)
        if code:
            noun_codes[row["noun"]] = code
    operators = []
    for name, block in dictionary["blocks"].items():
        if block["code"] is not None:
            continue
        same = changed = 0
        for pattern in block["patterns"]:
            if pattern["pre"] or pattern["preps"] or len(pattern["post"]) != 1 or not pattern["code"]:
                continue
            word = pattern["post"][0]
            if isinstance(word, str) and word in noun_codes:
                same += noun_codes[word][:2] == pattern["code"][:2]
                changed += noun_codes[word][:2] != pattern["code"][:2]
        if same + changed >= 3 and same * 2 <= same + changed:
            operators.append(name)
    return sorted(operators)


def intent_words(dictionary: dict) -> list[str]:
    """Single words that follow the verb in patterns coded 03x (express intent)."""
    words: set[str] = set()
    for block in dictionary["blocks"].values():
        for pattern in block["patterns"]:
            code = pattern["code"] or ""
            if code.startswith("03") and not pattern["preps"] and len(pattern["post"]) == 1:
                element = pattern["post"][0]
                if isinstance(element, str) and not element.startswith("&"):
                    words.add(element)
    return sorted(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "src" / "detente" / "resources" / "verbs")
    args = parser.parse_args(argv)
    lemmatiser = Lemmatiser()
    dictionary = read_dictionary(args.shared / DICTIONARY, lemmatiser)
    dictionary["intent_words"] = intent_words(dictionary)
    dictionary["source"] = "PETRARCH2 CAMEO.2.0.txt (Open Event Data Alliance, MIT), converted by scripts/build_verbs.py"
    args.out.mkdir(parents=True, exist_ok=True)
    nouns = noun_triggers(dictionary, lemmatiser, agent_nouns(args.shared / AGENTS))
    dictionary["operator_blocks"] = operator_blocks(dictionary, nouns)
    infer_block_codes(dictionary)
    dictionary["light_verbs"] = light_verbs(dictionary)
    dictionary["informing_verbs"] = informing_verbs(dictionary)
    dictionary["violence_means"] = violence_means(dictionary, lemmatiser, STOP_WORDS, args.shared / PLOVER_TABLE)
    (args.out / "verbs.json").write_text(json.dumps(dictionary, separators=(",", ":"), sort_keys=True), "utf-8")
    with (args.out / "nouns.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["noun", "verb", "code", "derivation"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(nouns)
    shutil.copyfile(args.shared / LICENSE, args.out / "LICENSE-petrarch2.txt")
    n_patterns = sum(len(b["patterns"]) for b in dictionary["blocks"].values())
    print(
        f"{len(dictionary['verbs'])} verb lemmas, {len(dictionary['blocks'])} blocks, {n_patterns} patterns, "
        f"{len(dictionary['synsets'])} synonym sets, {len(nouns)} nominal triggers → {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
