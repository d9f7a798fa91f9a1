"""Build ``src/detente/resources/cameo_plover.csv`` from the shared reference tables.

Inputs (in ``--shared``, default ``../shared`` from the repository root):

- ``data/reference/CAMEO2PLOVER-2021.txt``: the Open Event Data Alliance's
  CAMEO → PLOVER conversion table (CC BY-SA 4.0), lines such as
  ``0356: AGREE,  ,   military # Express intent to de-escalate military engagement``
  (code: type, mode, context # description; mode and context may be blank)
  and root lines such as ``03: AGREE``.
- ``data/reference/CAMEO.goldsteinscale.txt``: GDELT's CAMEO code → Goldstein
  score lookup table (tab-separated, with a header line).

Output: one row per CAMEO code found in either file, sorted by code, with
columns ``cameo_code,plover_type,plover_mode,plover_context,goldstein,description``.

How the quirks of the inputs are resolved (each is reported on stderr):

- a code listed twice (``08`` as CONCEDE and as RETREAT, ``175`` twice): the
  first line wins;
- an editor's note after the description (``Ease curfew  21.09.17: "ease" is
  no longer a mode``) is dropped from the description;
- modes and contexts are stripped of padding (``access `` → ``access``);
  multi-valued contexts keep the table's ``;`` separator (``military; legal``);
- codes with no PLOVER line (the CAMEO 01 and 02 families: statements and
  appeals, which PLOVER does not code) get empty PLOVER columns;
- codes missing from the Goldstein table get the score of their nearest
  listed parent code (``1213`` → ``121``).

Usage: ``python scripts/build_resources.py [--shared DIR] [--out FILE]``.
Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PLOVER_TABLE = Path("data/reference/CAMEO2PLOVER-2021.txt")
GOLDSTEIN_TABLE = Path("data/reference/CAMEO.goldsteinscale.txt")
COLUMNS = ("cameo_code", "plover_type", "plover_mode", "plover_context", "goldstein", "description")

_CODE_LINE = re.compile(r"^(?P<code>[0-9]{2,4}):\s*(?P<body>[^#]*?)\s*(?:#\s*(?P<description>.*?))?\s*$")
_EDITOR_NOTE = re.compile(r"\s{2,}\d{2}\.\d{2}\.\d{2}:.*$")  # "  21.09.17: ..." in the 2021 table
_PLOVER_TYPE = re.compile(r"^[A-Z]+$")


@dataclass(frozen=True)
class PloverLine:
    """One parsed line of the conversion table."""

    code: str
    plover_type: str
    mode: str
    context: str
    description: str


class TableError(ValueError):
    """A line of a reference table that this script does not understand."""


def parse_plover_table(text: str, warn) -> dict[str, PloverLine]:
    """Return the conversion table by CAMEO code; the first line for a code wins."""
    table: dict[str, PloverLine] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or set(line) == {"~"}:
            continue
        match = _CODE_LINE.match(line)
        if match is None:
            raise TableError(f"CAMEO2PLOVER line {number}: cannot parse {raw!r}")
        fields = [part.strip() for part in match["body"].split(",")]
        if len(fields) > 3 or not _PLOVER_TYPE.match(fields[0]):
            raise TableError(f"CAMEO2PLOVER line {number}: expected 'TYPE, mode, context' in {raw!r}")
        fields += [""] * (3 - len(fields))
        description = match["description"] or ""
        note = _EDITOR_NOTE.search(description)
        if note:
            warn(f"CAMEO2PLOVER line {number}: dropped editor's note {note.group(0).strip()!r} from {match['code']}")
            description = description[: note.start()]
        parsed = PloverLine(match["code"], fields[0], fields[1], fields[2], description.strip())
        if parsed.code in table:
            kept = table[parsed.code]
            warn(
                f"CAMEO2PLOVER line {number}: {parsed.code} listed again as {parsed.plover_type} "
                f"({parsed.description or 'no description'}); keeping the first, {kept.plover_type} "
                f"({kept.description or 'no description'})"
            )
            continue
        table[parsed.code] = parsed
    return table


def parse_goldstein_table(text: str, warn) -> dict[str, float]:
    """Return Goldstein scores by CAMEO code (codes keep their leading zeros)."""
    scores: dict[str, float] = {}
    lines = text.splitlines()
    if not lines or not lines[0].upper().startswith("CAMEOEVENTCODE"):
        raise TableError("Goldstein table: expected a CAMEOEVENTCODE header line")
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        parts = raw.strip().split("\t")
        if len(parts) != 2 or not re.fullmatch(r"[0-9]{2,4}", parts[0]):
            raise TableError(f"Goldstein table line {number}: cannot parse {raw!r}")
        try:
            score = float(parts[1])
        except ValueError as exc:
            raise TableError(f"Goldstein table line {number}: bad score {parts[1]!r}") from exc
        if not -10.0 <= score <= 10.0:
            raise TableError(f"Goldstein table line {number}: score {score} outside -10 … 10")
        if parts[0] in scores:
            warn(f"Goldstein table line {number}: {parts[0]} listed again; keeping the first")
            continue
        scores[parts[0]] = score
    return scores


def nearest_parent(code: str, table: dict) -> str | None:
    """Return the longest proper prefix of ``code`` (at least two digits) that ``table`` has."""
    for length in range(len(code) - 1, 1, -1):
        if code[:length] in table:
            return code[:length]
    return None


def merge(plover: dict[str, PloverLine], goldstein: dict[str, float], warn) -> list[dict[str, str]]:
    """Return one output row per code in either table, sorted by code."""
    rows = []
    for code in sorted(set(plover) | set(goldstein)):
        line = plover.get(code)
        if line is None:
            warn(f"{code}: no PLOVER mapping (in the Goldstein table only)")
        score = goldstein.get(code)
        if score is None:
            parent = nearest_parent(code, goldstein)
            score = goldstein[parent] if parent else None
            warn(f"{code}: not in the Goldstein table; using {parent}'s score {score}")
        rows.append(
            {
                "cameo_code": code,
                "plover_type": line.plover_type if line else "",
                "plover_mode": line.mode if line else "",
                "plover_context": line.context if line else "",
                "goldstein": "" if score is None else repr(score),
                "description": line.description if line else "",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Build the CSV; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared", help="the shared/ directory")
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "src/detente/resources/cameo_plover.csv", help="the CSV to write"
    )
    parser.add_argument("--quiet", action="store_true", help="do not report the quirks resolved")
    args = parser.parse_args(argv)

    def warn(message: str) -> None:
        if not args.quiet:
            print(f"note: {message}", file=sys.stderr)

    try:
        plover = parse_plover_table((args.shared / PLOVER_TABLE).read_text(encoding="utf-8"), warn)
        goldstein = parse_goldstein_table((args.shared / GOLDSTEIN_TABLE).read_text(encoding="utf-8"), warn)
    except (OSError, TableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = merge(plover, goldstein, warn)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} CAMEO codes to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
