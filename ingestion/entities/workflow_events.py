"""workflow_events: steps of AI-assisted business workflows (CONTRACTS.md §1)."""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

EVENT_TYPES = (
    "run_started",
    "ai_output",
    "review_completed",
    "exception",
    "run_completed",
    "run_abandoned",
    "published",
)
REVIEW_OUTCOMES = ("accepted", "edited", "overridden")

SCHEMA = EntitySchema(
    name="workflow_events",
    columns=(
        Column("event_id", "string", required=True),
        Column("run_id", "string", required=True),
        Column("use_case_id", "string", required=True),
        Column("occurred_at", "timestamp", required=True, not_future=True),
        Column("event_type", "enum", required=True, allowed=EVENT_TYPES),
        Column("actor_id", "string", pseudonymise=True),
        Column("ai_assisted", "boolean", required_when=("event_type", "run_started")),
        Column(
            "review_outcome",
            "enum",
            allowed=REVIEW_OUTCOMES,
            required_when=("event_type", "review_completed"),
        ),
        Column("quality_score", "number", minimum=0, maximum=1),
        Column("exception_type", "string"),
    ),
    natural_key=("event_id",),
    event_date_from="occurred_at",
)
