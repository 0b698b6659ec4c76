"""people: the directory that maps users to the organisation (CONTRACTS.md §1)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingestion.landing import FileResult, ingest_files
from ingestion.schema import Column, EntitySchema

SCHEMA = EntitySchema(
    name="people",
    columns=(
        Column("user_id", "string", required=True, pseudonymise=True),
        Column("business_unit_id", "string", required=True),
        Column("job_function", "string"),
        Column("is_manager", "boolean"),
        Column("valid_from", "date"),
        Column("valid_to", "date"),
    ),
    natural_key=("user_id", "valid_from"),
    event_date_from=None,
)


def load(paths: Sequence[Path], home: Path) -> list[FileResult]:
    """Ingest people directory files into the landing zone under `home`."""
    return ingest_files(SCHEMA, paths, home)
