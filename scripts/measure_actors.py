"""Measure how well ``detente.extract.actors`` finds the actors of a PLOVER gold file.

Each gold record has a sentence and ``source``/``target`` lists of
``{actorText, code, sector}`` (``code`` is ISO3 or ``IGO``/``NGO``; the
target may be empty or a string). For every gold actor with a code, the
sentence's actors are searched for one of the same category
(``actor_category``):

- ``found``: some actor of the sentence has that category;
- ``found at``: one of them also overlaps the gold actor's text (gold actor
  texts not found verbatim in the sentence count on category alone);
  ``only as a place``: those found only as locative actors ("in Amman"),
  which the event coder takes as targets only when nothing else fits;
- ``sector``: found at the right place with the gold sector too (gold
  actors that give a sector only).

The loose ``precision`` counts the predicted actors whose category is one of
the sentence's gold categories (the gold codes only the event's actors, so
this undercounts).

Usage: ``python scripts/measure_actors.py [GOLD.jsonl] [--misses]``
(default ``../shared/data/gold/plover_gsr_dev.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLD = REPO_ROOT.parent / "shared" / "data" / "gold" / "plover_gsr_dev.jsonl"
#: CAMEO codes the gold writes where ISO 3166-1 differs (scripts/build_actors.py explains the mapping).
GOLD_ALIASES = {"JAP": "JPN", "ITL": "ITA", "TMP": "TLS", "KSV": "XKX"}


@dataclass
class Tally:
    """Counts over a gold file."""

    gold: int = 0
    found: int = 0
    found_at: int = 0
    locative: int = 0
    with_sector: int = 0
    sector: int = 0
    predicted: int = 0
    predicted_in_gold: int = 0


def gold_actors(record: dict) -> list[dict]:
    """Return the gold source and target actors of a record that carry a code."""
    actors = []
    for role in ("source", "target"):
        value = record.get(role)
        if isinstance(value, list):
            actors.extend(actor for actor in value if isinstance(actor, dict) and actor.get("code"))
    return actors


def measure(records: list[dict], misses: list[str]) -> Tally:
    """Run the actor finder on each record's sentence and count what it covers."""
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from detente.extract.actors import ArticleActors, actor_category
    from detente.extract.nlp import load_nlp

    nlp = load_nlp()
    tally = Tally()
    for record in records:
        text = record["text"]
        doc = nlp(text)
        finder = ArticleActors()
        actors = [actor for sent in doc.sents for actor in finder.find(sent)]
        expected = gold_actors(record)
        categories = {GOLD_ALIASES.get(a["code"], a["code"]) for a in expected}
        tally.predicted += len(actors)
        tally.predicted_in_gold += sum(actor_category(actor) in categories for actor in actors)
        for gold in expected:
            code = GOLD_ALIASES.get(gold["code"], gold["code"])
            tally.gold += 1
            same = [actor for actor in actors if actor_category(actor) == code]
            tally.found += bool(same)
            where = text.find(gold.get("actorText", "")) if gold.get("actorText") else -1
            if where >= 0:
                end = where + len(gold["actorText"])
                at = [a for a in same if doc[a.start].idx < end and where < doc[a.end - 1].idx + len(doc[a.end - 1])]
            else:
                at = same
            tally.found_at += bool(at)
            tally.locative += bool(at) and all(a.locative for a in at)
            sector = gold.get("sector")
            if sector and sector[:3].isupper() and sector != "***":
                tally.with_sector += 1
                tally.sector += any(a.sector == sector[:3] for a in at)
            if not at:
                found = "; ".join(f"{a.text}={a.code}" for a in actors)
                misses.append(f"{gold.get('actorText')!r} {code}/{sector} | {text[:140]} | found: {found}")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="?", default=GOLD)
    parser.add_argument("--misses", action="store_true", help="list the gold actors not found")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    misses: list[str] = []
    tally = measure(records, misses)
    sector_share = f"{tally.sector / max(tally.with_sector, 1):.1%} of {tally.with_sector}"
    rows = [
        ("records", len(records), ""),
        ("gold actors", tally.gold, ""),
        ("found (category in sentence)", tally.found, f"{tally.found / tally.gold:.1%}"),
        ("found at the gold text", tally.found_at, f"{tally.found_at / tally.gold:.1%}"),
        ("  ... only as a place", tally.locative, f"{tally.locative / tally.gold:.1%}"),
        ("  ... with the gold sector", tally.sector, sector_share),
        ("predicted actors", tally.predicted, ""),
        (
            "  ... of a gold category",
            tally.predicted_in_gold,
            f"{tally.predicted_in_gold / max(tally.predicted, 1):.1%}",
        ),
    ]
    for name, count, share in rows:
        print(f"{name:<32}{count:>6}  {share}")
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
