"""One typed settings object, overridable by ``DETENTE_*`` variables and CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_db_path() -> Path:
    """The default DuckDB file: ``detente.duckdb`` in the user data dir."""
    return Path(platformdirs.user_data_dir("detente")) / "detente.duckdb"


class Settings(BaseSettings):
    """Détente's configuration.

    Every field can be set from the environment as ``DETENTE_<NAME>``
    (``DETENTE_DB=/tmp/x.duckdb``); CLI flags override both.
    """

    model_config = SettingsConfigDict(env_prefix="DETENTE_", extra="ignore")

    db: str = Field(default_factory=lambda: str(default_db_path()))
    max_text_bytes: int = Field(default=2_000_000, gt=0, description="largest article text kept (UTF-8 bytes)")
    batch_size: int = Field(default=500, gt=0, description="articles per writer transaction")
    near_duplicate_threshold: float = Field(default=0.9, gt=0.0, le=1.0, description="Jaccard of word shingles")
    headline_case: bool = Field(default=True, description="read title-cased sentences (headlines, feed titles) in "
                                                           "sentence case when extracting (extract/truecase.py)")
    shingle_words: int = Field(default=5, gt=0)
    minhash_permutations: int = Field(default=128, gt=15)
    fetch_timeout_s: float = Field(default=10.0, gt=0)
    max_fetch_bytes: int = Field(default=20_000_000, gt=0)
    fetch_allow_private: str = Field(
        default="", description="comma-separated hosts or networks (127.0.0.1/32) fetching may reach although "
                                "private, loopback or link-local (SSRF guard); empty: none")
    alerts: str | None = Field(default=None, description="alert rules (YAML); default: the rules shipped")
    api_reads: Literal["localhost", "open", "key"] = Field(
        default="localhost", description="REST reads: open to loopback clients only, to all, or only with an API key")
    api_max_body_bytes: int = Field(default=5_000_000, gt=0, description="largest REST request body (POST /articles)")
    api_max_analyze_bytes: int = Field(default=200_000, gt=0, description="largest POST /analyze body")
    api_cors_origins: str = Field(default="", description="comma-separated origins allowed by CORS; empty: CORS off")
    api_read_only: bool = Field(default=False, description="serve the database read-only (several workers, no writes)")
