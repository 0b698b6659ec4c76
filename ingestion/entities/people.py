"""people: the directory that maps users to the organisation (CONTRACTS.md §1)."""

from __future__ import annotations

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
