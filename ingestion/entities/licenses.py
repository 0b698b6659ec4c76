"""licenses: seats of licensed AI tools (CONTRACTS.md §1)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingestion.landing import FileResult, ingest_files
from ingestion.schema import Column, EntitySchema

SCHEMA = EntitySchema(
    name="licenses",
    columns=(
        Column("user_id", "string", required=True, pseudonymise=True),
        Column("tool", "string", required=True),
        Column("assigned_on", "date", required=True),
        Column("removed_on", "date"),
    ),
    natural_key=("user_id", "tool", "assigned_on"),
    event_date_from="assigned_on",
)


def load(paths: Sequence[Path], home: Path) -> list[FileResult]:
    """Ingest licence files into the landing zone under `home`."""
    return ingest_files(SCHEMA, paths, home)
