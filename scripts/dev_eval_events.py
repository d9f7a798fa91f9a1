"""Measure the event coder on the PLOVER gold dev set: parse → actors → code_events → first event.

Uses ``detente.extract.actors`` (``ArticleActors``, ``actor_category``) when it
exists, else a small stand-in built from spaCy's GPE/NORP/ORG entities and
pycountry (``--fallback`` forces it). Prints the ``EvalReport`` figures, the
confusion matrix, and with ``--errors`` every miss; ``--time`` reports the
speed of ``code_events`` alone (spaCy excluded).

Usage: ``.venv/bin/python scripts/dev_eval_events.py [--gold FILE] [--errors] [--fallback] [--time]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from detente.extract.actors import ActorSpan
from detente.extract.evaluation import evaluate, load_gold
from detente.extract.events import code_events
from detente.extract.nlp import load_nlp
from detente.extract.verbs import load_verbs

GOLD = REPO_ROOT.parent / "shared" / "data" / "gold" / "plover_gsr_dev.jsonl"


_IGO = ("united nations", "u.n.", "un ", "nato", "european union", "eu ", "security council", "osce", "iaea",
        "european community", "arab league", "african union", "unhcr", "world food program")
_NGO = ("red cross", "amnesty", "human rights watch")


def fallback_country(text: str) -> str | None:
    """ISO3 of a country name or demonym (pycountry, with a few suffix rules), else None."""
    import pycountry

    name = text.lower().removeprefix("the ").strip()
    aliases = {"u.s.": "USA", "us": "USA", "america": "USA", "american": "USA", "britain": "GBR",
               "british": "GBR", "uk": "GBR", "russia": "RUS", "russian": "RUS", "soviet": "RUS"}
    if name in aliases:
        return aliases[name]
    for candidate in (name, name[:-1] + "y" if name.endswith("n") else name):
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            pass
    for suffix, repl in (("ian", "ia"), ("ian", "y"), ("ean", "ea"), ("an", "a"), ("ese", ""), ("ish", ""),
                         ("i", ""), ("ic", "")):
        if name.endswith(suffix):
            stem = name[: -len(suffix)] + repl
            for country in pycountry.countries:
                if country.name.lower().startswith(stem) and len(stem) >= 4:
                    return country.alpha_3
    return None


def fallback_actors(sent) -> list[ActorSpan]:
    """Actor spans from spaCy entities: countries (GPE/NORP) and international bodies (ORG)."""
    out = []
    for ent in sent.ents:
        lowered = ent.text.lower() + " "
        if ent.label_ in ("GPE", "NORP", "LOC"):
            iso3 = fallback_country(ent.text)
            if iso3:
                out.append(ActorSpan(ent.start, ent.end, ent.text, iso3, iso3, None))
        elif ent.label_ == "ORG" and any(k in lowered for k in _IGO):
            out.append(ActorSpan(ent.start, ent.end, ent.text, "IGO", None, "IGO"))
        elif ent.label_ == "ORG" and any(k in lowered for k in _NGO):
            out.append(ActorSpan(ent.start, ent.end, ent.text, "NGO", None, "NGO"))
    return out


def fallback_category(actor) -> str | None:
    return actor.country or actor.code


def make_predictor(nlp, use_fallback: bool, timings: list[float]):
    resolver_factory = category = None
    if not use_fallback:
        try:
            from detente.extract.actors import ArticleActors, actor_category

            resolver_factory, category = ArticleActors, actor_category
        except ImportError:
            print("detente.extract.actors not importable: using the fallback actors", file=sys.stderr)
    category = category or fallback_category
    load_verbs()  # load the dictionary before timing

    def predict(text: str, date: str | None):
        doc = nlp(text)
        resolver = resolver_factory() if resolver_factory else None
        for sent in doc.sents:
            actors = resolver.find(sent) if resolver else fallback_actors(sent)
            started = time.perf_counter()
            events = code_events(sent, actors)
            timings.append(time.perf_counter() - started)
            if events:
                main = events[0]
                return (main.plover_type, category(main.source) if main.source else None,
                        category(main.target) if main.target else None)
        return None, None, None

    return predict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--fallback", action="store_true")
    parser.add_argument("--time", action="store_true")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    timings: list[float] = []
    report = evaluate(gold, make_predictor(load_nlp(), args.fallback, timings))
    print(f"records {report.n}  type accuracy {report.type_accuracy:.3f}  macro-F1 {report.macro_f1:.3f}  "
          f"source {report.source_accuracy:.3f} (n={report.source_n})  "
          f"target {report.target_accuracy:.3f} (n={report.target_n})")
    print(f"{'type':<12} {'P':>5} {'R':>5} {'F1':>5} {'gold':>5} {'pred':>5}")
    for kind, s in report.per_type.items():
        print(f"{kind:<12} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} {s.support:5d} {s.predicted:5d}")
    print("confusion (gold: predicted counts)")
    for kind, row in report.confusion.items():
        print(f"  {kind:<12} " + ", ".join(f"{p}={n}" for p, n in sorted(row.items(), key=lambda kv: -kv[1])))
    if args.errors:
        for error in report.errors:
            print(f"\n{error.id}  gold={error.gold}  predicted={error.predicted}\n  {error.text}")
    if args.time and timings:
        total = sum(timings)
        print(f"code_events: {len(timings)} sentences in {total:.3f}s = {len(timings) / total:.0f} sentences/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
