"""survey_responses: satisfaction, trust and time saved (CONTRACTS.md §1)."""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

SCHEMA = EntitySchema(
    name="survey_responses",
    columns=(
        Column("response_id", "string", required=True),
        Column("submitted_at", "timestamp", required=True, not_future=True),
        Column("user_id", "string", required=True, pseudonymise=True),
        Column("use_case_id", "string"),
        Column("business_unit_id", "string"),
        Column("satisfaction", "integer", minimum=1, maximum=5, landed_type="INTEGER"),
        Column("trust", "integer", minimum=1, maximum=5, landed_type="INTEGER"),
        Column("minutes_saved_per_week", "number", minimum=0),
    ),
    natural_key=("response_id",),
    event_date_from="submitted_at",
)
