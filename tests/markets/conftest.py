"""The extra market series of ../shared/data/markets/extra (not in the repo: no licence), loaded once per session."""

from __future__ import annotations

import pytest

import detente
from tests.conftest import SHARED

EXTRA = SHARED / "markets" / "extra"


def need_extra() -> None:
    """Skip, saying why, when the extra series are not beside the repository."""
    if not (EXTRA / "SOURCES.md").is_file():
        pytest.skip(f"the extra market series are absent: expected them in {EXTRA} (see the markets issue)")


@pytest.fixture(scope="session")
def extra_db(tmp_path_factory):
    """A DuckDB file with every series of the manifest loaded and screened, and the baskets and spreads computed."""
    need_extra()
    from detente.markets.extra import load_extra

    path = tmp_path_factory.mktemp("extra") / "extra.duckdb"
    with detente.open(path) as db:
        done = load_extra(db.store, EXTRA)
    return path, done
