"""requests: one row per model call or assistant action (CONTRACTS.md §1)."""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

STATUSES = ("success", "error", "timeout", "blocked", "filtered")
CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
POLICY_ACTIONS = ("allowed", "redacted", "blocked")

SCHEMA = EntitySchema(
    name="requests",
    columns=(
        Column("request_id", "string", required=True),
        Column("occurred_at", "timestamp", required=True, not_future=True),
        Column("user_id", "string", required=True, pseudonymise=True),
        Column("business_unit_id", "string"),
        Column("use_case_id", "string"),
        Column("tool", "string", required=True),
        Column("provider", "string", required=True),
        Column("model", "string", required=True),
        Column("operation", "string", required=True),
        Column("input_tokens", "integer", minimum=0),
        Column("output_tokens", "integer", minimum=0),
        Column("latency_ms", "number", minimum=0),
        Column("status", "enum", required=True, allowed=STATUSES),
        Column("cost_usd", "number", minimum=0),
        Column("data_classification", "enum", allowed=CLASSIFICATIONS),
        Column("policy_action", "enum", allowed=POLICY_ACTIONS, default="allowed"),
        Column("feedback_score", "integer", allowed=(-1, 0, 1), landed_type="INTEGER"),
    ),
    natural_key=("tool", "request_id"),
    event_date_from="occurred_at",
    dropped=("prompt", "response"),
)
