"""enablement_events: training, office hours and champions (CONTRACTS.md §1)."""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

ACTIVITIES = ("training_completed", "office_hours", "champion_joined")
LEVELS = ("beginner", "intermediate", "advanced")

SCHEMA = EntitySchema(
    name="enablement_events",
    columns=(
        Column("event_id", "string", required=True),
        Column("user_id", "string", required=True, pseudonymise=True),
        Column("occurred_at", "timestamp", required=True, not_future=True),
        Column("activity", "enum", required=True, allowed=ACTIVITIES),
        Column("level", "enum", allowed=LEVELS),
        Column("business_unit_id", "string"),
    ),
    natural_key=("event_id",),
    event_date_from="occurred_at",
)
