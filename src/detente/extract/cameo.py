"""CAMEO event codes: their PLOVER event type, mode and context, and Goldstein score.

The table is ``resources/cameo_plover.csv``, built by
``scripts/build_resources.py`` from the Open Event Data Alliance's
CAMEO → PLOVER conversion table (2021, CC BY-SA 4.0) and GDELT's CAMEO →
Goldstein lookup table (Goldstein 1992, "A Conflict-Cooperation Scale for
WEIS Events Data", Journal of Conflict Resolution 36(2)).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

_RESOURCE = "cameo_plover.csv"
_CODE = re.compile(r"[0-9]{2,4}")


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code.

    ``plover_type`` is the PLOVER event category (``ASSAULT``, ``CONSULT`` ...),
    None for the CAMEO 01 (public statement) and 02 (appeal) families, which
    PLOVER does not code. ``plover_mode`` and ``plover_context`` refine it
    (``visit``, ``military``; contexts may hold several, ``military; legal``).
    ``goldstein`` is the conflict–cooperation score, -10 … +10.
    """

    code: str
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None
    goldstein: float | None
    description: str


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, CameoCode]:
    """Return every known CAMEO code (``"010"``, ``"0871"`` ...) mapped to its ``CameoCode``.

    Loaded once from the package resources and cached; do not mutate the result.
    """
    text = files("detente.resources").joinpath(_RESOURCE).read_text(encoding="utf-8")
    table: dict[str, CameoCode] = {}
    for row in csv.DictReader(io.StringIO(text)):
        table[row["cameo_code"]] = CameoCode(
            code=row["cameo_code"],
            plover_type=row["plover_type"] or None,
            plover_mode=row["plover_mode"] or None,
            plover_context=row["plover_context"] or None,
            goldstein=float(row["goldstein"]) if row["goldstein"] else None,
            description=row["description"],
        )
    return table


def lookup_cameo(code: str) -> CameoCode | None:
    """Return the entry for a CAMEO code, or for its longest known prefix.

    An unknown code falls back to its parent (``"0875"`` → ``"087"`` →
    ``"08"``); the returned entry's ``code`` says which one matched. Returns
    None for anything that is not a 2–4 digit code with a known root.
    """
    code = code.strip()
    if not _CODE.fullmatch(code):
        return None
    table = cameo_table()
    for length in range(len(code), 1, -1):
        entry = table.get(code[:length])
        if entry is not None:
            return entry
    return None
