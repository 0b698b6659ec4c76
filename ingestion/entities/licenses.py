"""licenses: seats of licensed AI tools (CONTRACTS.md §1)."""

from __future__ import annotations

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
