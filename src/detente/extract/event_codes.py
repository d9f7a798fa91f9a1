"""CAMEO code arithmetic for the event coder: PLOVER types and CAMEO's mirror codes.

PLOVER types follow the 18-category PLOVER used by the PLOVER gold standard
records (Parus Analytics, 2016–2019): the 2021 table's REQUEST is DEMAND,
its ACCUSE splits into INVESTIGATE (CAMEO 09) and DISAPPROVE (11), and each
of the CAMEO roots 16 (SANCTION), 17 (COERCE) and 19 (FIGHT, conventional
military force) maps whole to one type, as does 081 (easing administrative
sanctions, curfews and states of emergency included: CONCEDE) — the 2021
table's later moves of 163, 1712, 175, 191, 192, 0813 and 0814 are undone.

The CAMEO codebook mirrors its cooperative codes: intent to do X (03x for
cooperation, 13x for conflict), refusal to do X (12x), reduction of X
(16x), and appeal (02x), intent (03x) and demand (10x) share their
sub-codes. ``events`` uses these tables to code "agreed to X", "refused to
X", "cut X" and "demanded that ... X".
"""

from __future__ import annotations

from .cameo import lookup_cameo

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "MOBILIZE",
    "SANCTION",
    "COERCE",
    "ASSAULT",
    "FIGHT",
)
# the 18-category scheme by CAMEO prefix, longest first (see the module docstring)
_ROOT_TYPES = {
    "081": "CONCEDE",
    "09": "INVESTIGATE",
    "10": "DEMAND",
    "11": "DISAPPROVE",
    "16": "SANCTION",
    "17": "COERCE",
    "19": "FIGHT",
}
# CAMEO's mirror codes: intent to do X (03x / 13x) and refusal to do X (12x), by X's code prefix
INTENT = {
    "04": "036",
    "05": "032",
    "06": "031",
    "061": "0311",
    "062": "0312",
    "063": "0313",
    "064": "0314",
    "07": "033",
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "08": "035",
    "081": "0351",
    "0841": "0353",
    "085": "0354",
    "086": "0355",
    "087": "0356",
    "14": "133",
    "15": "138",
    "16": "131",
    "161": "1313",
    "162": "1311",
    "163": "1312",
    "164": "134",
    "165": "135",
    "166": "136",
    "17": "137",
    "172": "132",
    "18": "1383",
    "19": "1384",
    "191": "1381",
    "192": "1382",
    "20": "1383",
    "204": "1385",
}
REFUSAL = {
    "03": "120",
    "04": "125",
    "05": "120",
    "06": "121",
    "061": "1211",
    "062": "1212",
    "063": "1213",
    "064": "1214",
    "07": "122",
    "08": "124",
}
# CAMEO 16 "reduce relations" mirrors cooperation: halt negotiations (164) or mediation (165), break
# diplomatic relations (161), reduce or stop material aid (162: economic 1621, military 1622, humanitarian 1623)
REDUCTION = {
    "04": "160",
    "045": "165",
    "046": "164",
    "05": "161",
    "06": "160",
    "07": "162",
    "071": "1621",
    "072": "1622",
    "073": "1623",
}
# appeal (02), intent (03) and demand (10) share their sub-codes: …1 material cooperation, …2 diplomatic
# cooperation, …3 aid, …4 political reform, …5 yield, …6 meet, …7 settle, …8 mediation (CAMEO codebook)
MIRRORED = frozenset({"02", "03", "10"})


def plover_type(code: str | None) -> str | None:
    """The 18-category PLOVER type of a CAMEO code, None for statements, appeals and unknown codes."""
    entry = lookup_cameo(code) if code else None
    if entry is None or entry.plover_type is None:
        return None
    return next((_ROOT_TYPES[p] for p in (entry.code[:3], entry.code[:2]) if p in _ROOT_TYPES), entry.plover_type)


def mirror(code: str, table: dict[str, str]) -> str | None:
    """The code ``table`` maps ``code``'s longest listed prefix to (4, 3 then 2 digits), None if none is listed."""
    for length in (4, 3, 2):
        if code[:length] in table:
            return table[code[:length]]
    return None


def demanded(code: str, default: str) -> str:
    """The demand (10x) mirror of demanding event ``code``: intent 03x sub-codes moved to 10x."""
    intent = mirror(code, INTENT) if not code.startswith("03") else code
    return "10" + intent[2:] if intent and intent.startswith("03") else default
