"""Data access for the app: the published warehouse, read-only, one short-lived connection
per query. Nothing here writes; a newly published build is picked up on the next query."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import polars as pl


def cadence_home() -> Path:
    return Path(os.environ.get("CADENCE_HOME", "warehouse")).expanduser().resolve()


def published() -> dict[str, object] | None:
    """The published pointer (`build_id`, `published_path`, `published_at`), or None."""
    pointer = cadence_home() / "published.json"
    if not pointer.exists():
        return None
    return json.loads(pointer.read_text())


def query(sql: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """Run a read-only query against the published warehouse; one frame back."""
    pointer = published()
    if pointer is None:
        raise FileNotFoundError("no published warehouse")
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        return con.sql(sql, params=params or {}).pl()
    finally:
        con.close()


def public_tables() -> pl.DataFrame:
    """One row per public mart of the published build: schema, name, rows (estimated)."""
    return query(
        "select schema_name, table_name, estimated_size as rows "
        "from duckdb_tables() where schema_name = 'main' order by table_name"
    )
