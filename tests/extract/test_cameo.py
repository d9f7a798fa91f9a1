"""The CAMEO table: PLOVER types and Goldstein scores from the shipped resource."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from detente.extract.cameo import CameoCode, cameo_table, lookup_cameo

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
}
SHARED_REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "reference"


@pytest.mark.parametrize(
    ("code", "plover_type", "mode", "context", "goldstein"),
    [
        ("190", "ASSAULT", None, "military", -10.0),
        ("193", "ASSAULT", "firearms", "military", -10.0),
        ("1823", "ASSAULT", None, None, -10.0),
        ("036", "AGREE", None, "diplomatic", 4.0),
        ("042", "CONSULT", "visit", None, 1.9),
        ("057", "SUPPORT", None, "diplomatic", 8.0),
        ("0356", "AGREE", None, "military", 7.0),
        ("0861", "RETREAT", "access", "peacekeeping", 9.0),  # "access " padded in the source
        ("094", "ACCUSE", "investigate", "military; legal", -2.0),
        ("163", "COERCE", "restrict", "diplomatic", -8.0),
        ("0874", "RETREAT", "disarm", "military", 10.0),
        ("03", "AGREE", None, None, 4.0),
    ],
)
def test_known_codes(code, plover_type, mode, context, goldstein):
    entry = cameo_table()[code]
    assert (entry.plover_type, entry.plover_mode, entry.plover_context, entry.goldstein) == (
        plover_type, mode, context, goldstein,
    )


def test_descriptions():
    assert cameo_table()["190"].description == "Use conventional military force"
    assert cameo_table()["0813"].description == "Ease curfew"  # the editor's note is dropped
    assert cameo_table()["175"].description == "Use violent repression"  # the first of two lines


def test_duplicate_root_keeps_the_first_line():
    assert cameo_table()["08"].plover_type == "CONCEDE"  # 08 is listed as CONCEDE, then RETREAT
    assert cameo_table()["084"].plover_type == "RETREAT"


def test_codes_missing_from_the_goldstein_table_take_their_parents_score():
    assert cameo_table()["1213"].goldstein == cameo_table()["121"].goldstein == -4.0


def test_statements_and_appeals_have_no_plover_type():
    table = cameo_table()
    assert table["010"].plover_type is None and table["010"].goldstein == 0.0
    assert table["0256"].plover_type is None and table["0256"].goldstein == -0.3


def test_every_row_is_well_formed():
    table = cameo_table()
    assert len(table) == 313
    for code, entry in table.items():
        assert isinstance(entry, CameoCode) and entry.code == code
        assert re.fullmatch(r"[0-9]{2,4}", code)
        assert entry.goldstein is not None and -10.0 <= entry.goldstein <= 10.0
        if code[:2] in ("01", "02"):
            assert entry.plover_type is None
        else:
            assert entry.plover_type in PLOVER_TYPES, code
        for text in (entry.plover_mode, entry.plover_context):
            assert text is None or text == text.strip() and text


def test_table_is_loaded_once():
    assert cameo_table() is cameo_table()


@pytest.mark.parametrize(
    ("code", "matched"),
    [
        ("0871", "0871"),
        ("0875", "087"),  # unknown sub-code → its base code
        ("209", "20"),  # unknown base code → its root
        ("2099", "20"),
        ("0299", "02"),
        (" 190 ", "190"),
    ],
)
def test_lookup_falls_back_to_the_longest_known_prefix(code, matched):
    entry = lookup_cameo(code)
    assert entry is not None and entry.code == matched


@pytest.mark.parametrize("code", ["", "9", "99", "00", "X19", "19a", "01234", "---"])
def test_lookup_of_non_codes(code):
    assert lookup_cameo(code) is None


@pytest.mark.skipif(not SHARED_REFERENCE.is_dir(), reason="needs ../shared/data/reference")
def test_resource_matches_a_fresh_build(tmp_path):
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    out = tmp_path / "cameo_plover.csv"
    subprocess.run(
        [sys.executable, str(repo / "scripts" / "build_resources.py"), "--shared", str(SHARED_REFERENCE.parents[1]),
         "--out", str(out), "--quiet"],
        check=True, capture_output=True,
    )
    shipped = repo / "src" / "detente" / "resources" / "cameo_plover.csv"
    assert out.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
