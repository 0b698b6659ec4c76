"""activity: one row per user x day x tool, from vendor usage reports (CONTRACTS.md §1)."""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

SCHEMA = EntitySchema(
    name="activity",
    columns=(
        Column("user_id", "string", required=True, pseudonymise=True),
        Column("activity_date", "date", required=True, not_future=True),
        Column("tool", "string", required=True),
        Column("interactions", "integer", minimum=0),
        Column("generations", "integer", minimum=0),
        Column("acceptances", "integer", minimum=0),
        Column("lines_suggested", "integer", minimum=0),
        Column("lines_accepted", "integer", minimum=0),
        Column("input_tokens", "integer", minimum=0),
        Column("output_tokens", "integer", minimum=0),
        Column("is_active", "boolean", default=True),
    ),
    natural_key=("user_id", "activity_date", "tool"),
    event_date_from="activity_date",
)
