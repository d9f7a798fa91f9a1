"""Build the sample corpus in ``examples/data/`` from ``../shared/data/`` (run once; output is committed).

- news/huffpost_world_politics.jsonl: every WORLD NEWS item and every
  third POLITICS item of the HuffPost file (about 2,300 items), fields as shipped.
- news/messy_sample.jsonl: a handful of those items altered the way real
  feeds break (wire re-posts, truncated lines, missing and impossible dates,
  empty items), so the demo shows near-duplicate linking and rejects.
- articles/seed_article.txt: the seed article with its publication date header.
- markets/*.csv: the EIA price series (public domain) and the gold series (PDDL).

Usage: python scripts/make_sample.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    data = args.shared / "data"
    out = ROOT / "examples" / "data"
    for sub in ("news", "articles", "markets"):
        (out / sub).mkdir(parents=True, exist_ok=True)

    rows = [json.loads(line) for line in (data / "news" / "huffpost_2018_2022.jsonl").open(encoding="utf-8")]
    politics = [r for r in rows if r["category"] == "POLITICS"]
    keep = {id(r) for r in rows if r["category"] == "WORLD NEWS"} | {id(r) for r in politics[::3]}
    sample = [r for r in rows if id(r) in keep]
    with (out / "news" / "huffpost_world_politics.jsonl").open("w", encoding="utf-8") as handle:
        for row in sample:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    world = [r for r in sample if r["category"] == "WORLD NEWS"]
    messy = []
    for row in world[:3]:  # wire re-posts of stories already in the sample: near-duplicates
        copy = dict(row, link=row["link"].replace("www.huffpost.com", "wire.example.org"))
        copy["short_description"] = row["short_description"] + " (AP)"
        messy.append(json.dumps(copy, ensure_ascii=False))
    messy.append(json.dumps(dict(world[3], date=""), ensure_ascii=False))  # missing date
    messy.append(json.dumps(dict(world[4], date="2099-01-01", link=world[4]["link"] + "-x"), ensure_ascii=False))
    messy.append(json.dumps(dict(world[5], headline="", short_description="", link=""), ensure_ascii=False))
    messy.append(json.dumps(world[6], ensure_ascii=False)[:80])  # a line cut off mid-write
    messy.append(json.dumps([world[7]["headline"]]))  # an array, not an object
    (out / "news" / "messy_sample.jsonl").write_text("\n".join(messy) + "\n", encoding="utf-8")

    seed = (data / "samples" / "seed_article.txt").read_text(encoding="utf-8").split("\n", 1)
    (out / "articles" / "seed_article.txt").write_text(
        f"{seed[0]}\nPublished: 2025-12-06\n{seed[1]}", encoding="utf-8"
    )
    for name in ("brent-daily.csv", "wti-daily.csv", "henry-hub-daily.csv", "gold-monthly.csv"):
        shutil.copyfile(data / "markets" / name, out / "markets" / name)
    print(f"{len(sample)} news items, {len(messy)} messy items written to {out}")


if __name__ == "__main__":
    main()
