"""Shared fixtures: paths to the real data, fresh DuckDB files, a read context."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HUFFPOST = SHARED / "news" / "huffpost_2018_2022.jsonl"
HUFFPOST_MAP = "title=headline,body=short_description,published=date"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    assert SHARED.is_dir(), f"the shared data must sit beside the repo at {SHARED}"
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "detente.duckdb"


@pytest.fixture(scope="session")
def ctx():
    from detente.ingest.items import ReadContext

    return ReadContext(source="test", now=dt.datetime(2026, 1, 1))
