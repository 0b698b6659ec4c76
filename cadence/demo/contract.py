"""What CONTRACTS §1 fixes for the generated files: the canonical columns of each entity,
and the values the generator writes into coded columns.

The generator draws codes as integers; a code is the index of its value in these tuples
(`requests.status` 0 is `success`, `requests.tool` 0 is `gateway`), so their order is part
of the output.
"""

#: Canonical columns per entity, in CONTRACTS §1 order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "requests": (
        "request_id",
        "occurred_at",
        "user_id",
        "business_unit_id",
        "use_case_id",
        "tool",
        "provider",
        "model",
        "operation",
        "input_tokens",
        "output_tokens",
        "latency_ms",
        "status",
        "cost_usd",
        "data_classification",
        "policy_action",
        "feedback_score",
    ),
    "activity": (
        "user_id",
        "activity_date",
        "tool",
        "interactions",
        "generations",
        "acceptances",
        "lines_suggested",
        "lines_accepted",
        "input_tokens",
        "output_tokens",
        "is_active",
    ),
    "workflow_events": (
        "event_id",
        "run_id",
        "use_case_id",
        "occurred_at",
        "event_type",
        "actor_id",
        "ai_assisted",
        "review_outcome",
        "quality_score",
        "exception_type",
    ),
    "kpi_observations": ("kpi_id", "period_start", "grain", "business_unit_id", "value", "source"),
    "survey_responses": (
        "response_id",
        "submitted_at",
        "user_id",
        "use_case_id",
        "business_unit_id",
        "satisfaction",
        "trust",
        "minutes_saved_per_week",
    ),
    "enablement_events": (
        "event_id",
        "user_id",
        "occurred_at",
        "activity",
        "level",
        "business_unit_id",
    ),
    "people": (
        "user_id",
        "business_unit_id",
        "job_function",
        "is_manager",
        "valid_from",
        "valid_to",
    ),
    "licenses": ("user_id", "tool", "assigned_on", "removed_on"),
}

CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
OPERATIONS = (
    "chat",
    "text_completion",
    "embeddings",
    "retrieval",
    "execute_tool",
    "invoke_agent",
    "generate_content",
)
STATUSES = ("success", "error", "timeout", "blocked", "filtered")
POLICY_ACTIONS = ("allowed", "redacted", "blocked")
TOOLS = ("gateway", "web_proxy", "copilot_studio")
LICENSED_TOOLS = ("github_copilot", "m365_copilot")
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
EXCEPTION_TYPES = (
    "missing_information",
    "model_timeout",
    "policy_block",
    "escalated_to_specialist",
    "system_error",
)
ENABLEMENT_ACTIVITIES = ("training_completed", "office_hours", "champion_joined")
LEVELS = ("beginner", "intermediate", "advanced")
