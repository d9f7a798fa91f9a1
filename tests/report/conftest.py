"""A small real database for the brief: the serve tests' recipe (seed article and 150 HuffPost items, extracted,
grouped, indexed) plus the sample price series, built once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.serve.conftest import EXAMPLES, build_database


@dataclass(frozen=True)
class BriefDatabase:
    """The database file and the storyline of the seed article."""

    path: Path
    storyline_id: str


@pytest.fixture(scope="session")
def brief_db(tmp_path_factory: pytest.TempPathFactory) -> BriefDatabase:
    import detente

    path = tmp_path_factory.mktemp("report") / "brief.duckdb"
    _, storyline = build_database(path)
    with detente.open(path) as db:
        for asset, name in (("brent", "brent-daily.csv"), ("wti", "wti-daily.csv")):
            db.load_prices(EXAMPLES / "markets" / name, asset=asset, unit="USD/bbl")
    return BriefDatabase(path, storyline)
