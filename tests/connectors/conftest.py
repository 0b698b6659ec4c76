"""Shared fixtures of the connector tests: a cadence home with a known pseudonym key, and
readers of what landed (rows as landed, without batch and time lineage)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingestion.pseudonymise import pseudonym

FIXTURES = Path(__file__).parent / "fixtures"
KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", KEY_HEX)
    monkeypatch.delenv("CADENCE_IDENTITY_MAP", raising=False)
    return tmp_path / "home"


@pytest.fixture
def alias() -> Callable[[str], str]:
    """The pseudonym the test key gives a raw user id."""
    key = bytes.fromhex(KEY_HEX)
    return lambda raw: pseudonym(key, raw)


def _read(home: Path, area: str, entity: str) -> pl.DataFrame:
    glob = str(home / area / entity / "**" / "*.parquet")
    con = duckdb.connect()
    try:
        frame = con.sql(
            "select * exclude (_batch_id, _ingested_at, batch_id) from "
            "read_parquet($glob, hive_partitioning = true, union_by_name = true) "
            "order by _source_file, _source_row",
            params={"glob": glob},
        ).pl()
    finally:
        con.close()
    return frame


@pytest.fixture
def landed(home: Path) -> Callable[[str], pl.DataFrame]:
    """Rows landed for an entity, in file and row order."""
    return lambda entity: _read(home, "landing", entity)


@pytest.fixture
def quarantined(home: Path) -> Callable[[str], pl.DataFrame]:
    """Rows quarantined for an entity, with `_reason`."""
    return lambda entity: _read(home, "quarantine", entity)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a small input file and return its path."""

    def writer(name: str, text: str) -> Path:
        path = tmp_path / "input" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    return writer
