"""copilot_usage_details: the breakdowns of vendor assistant usage reports.

One row per tool x day x scope (user, organization or enterprise) x breakdown x breakdown
values: the per-IDE, per-feature, per-language and per-model figures of the GitHub Copilot
usage metrics (and the legacy Copilot metrics API), its CLI block, its per-user daily flags,
and the per-app last-activity dates and prompt counts of Microsoft 365 Copilot usage reports.
The `activity` rows of the same reports carry the per-user totals that count for adoption;
these rows are for model usage, acceptance rate by language, agent / chat / CLI usage and
CLI token usage. Written by the connectors; `cadence ingest copilot_usage_details` takes a
file already in this shape.
"""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

SCOPES = ("user", "organization", "enterprise")
BREAKDOWNS = (
    # GitHub Copilot usage metrics reports
    "user_day",  # a user's day: the used_* flags and lines deleted
    "day_total",  # an organisation's or enterprise's day totals
    "ide",
    "feature",
    "language_feature",
    "language_model",
    "model_feature",
    "cli",
    "copilot_app",  # the Copilot app's sessions, requests, prompts and tokens
    "third_party_agent",  # tasks started with a third-party agent (app = its id)
    # legacy GitHub Copilot metrics API
    "ide_code_completions",  # editor x model x language
    "ide_chat",  # editor x model
    "dotcom_chat",  # model
    "dotcom_pull_requests",  # repository x model
    # Microsoft 365 Copilot usage reports
    "app",  # a user's last activity in one app
    "report_period",  # a user's totals over the report period
)
REPORT_PERIODS = (1, 7, 28, 30, 90, 180)

SCHEMA = EntitySchema(
    name="copilot_usage_details",
    columns=(
        Column("tool", "string", required=True),
        Column("activity_date", "date", required=True, not_future=True),
        Column("scope", "enum", required=True, allowed=SCOPES),
        Column("scope_id", "string"),
        Column("user_id", "string", pseudonymise=True),
        Column("breakdown", "enum", required=True, allowed=BREAKDOWNS),
        Column("ide", "string"),
        Column("feature", "string"),
        Column("language", "string"),
        Column("model", "string"),
        Column("app", "string"),
        Column("repository", "string"),
        Column("interactions", "integer", minimum=0),
        Column("generations", "integer", minimum=0),
        Column("acceptances", "integer", minimum=0),
        Column("lines_suggested", "integer", minimum=0),
        Column("lines_accepted", "integer", minimum=0),
        Column("lines_deleted", "integer", minimum=0),
        Column("engaged_users", "integer", minimum=0),
        Column("sessions", "integer", minimum=0),
        Column("requests", "integer", minimum=0),
        Column("prompts", "integer", minimum=0),
        Column("input_tokens", "integer", minimum=0),
        Column("output_tokens", "integer", minimum=0),
        Column("active_days", "integer", minimum=0),
        Column("is_agent_used", "boolean"),
        Column("is_chat_used", "boolean"),
        Column("is_cli_used", "boolean"),
        Column("is_coding_agent_used", "boolean"),
        Column("is_code_review_used", "boolean"),
        Column("report_period_days", "integer", allowed=REPORT_PERIODS),
    ),
    natural_key=(
        "tool",
        "activity_date",
        "scope",
        "scope_id",
        "user_id",
        "breakdown",
        "ide",
        "feature",
        "language",
        "model",
        "app",
        "repository",
        "report_period_days",
    ),
    event_date_from="activity_date",
)
