"""requests: one row per model call or assistant action (CONTRACTS.md §1, §5.1)."""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

STATUSES = ("success", "error", "timeout", "blocked", "filtered")
CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
POLICY_ACTIONS = ("allowed", "redacted", "blocked")
#: Operations that are not model calls: agent runs and tool calls (CONTRACTS.md §5.1).
AGENT_OPERATION = "invoke_agent"
TOOL_OPERATION = "execute_tool"
NOT_MODEL_CALLS = (AGENT_OPERATION, TOOL_OPERATION)
#: What a model call whose source names no provider or model lands with (CONTRACTS.md §5.1).
UNKNOWN = "unknown"

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
        # traces (CONTRACTS.md §5.1): ids in lower-case hex, the agent and the tool
        Column("trace_id", "string"),
        Column("span_id", "string"),
        Column("parent_span_id", "string"),
        Column("agent_id", "string"),
        Column("agent_name", "string"),
        Column("tool_name", "string"),
    ),
    natural_key=("tool", "request_id"),
    event_date_from="occurred_at",
    dropped=("prompt", "response"),
)
