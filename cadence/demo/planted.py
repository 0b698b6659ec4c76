"""What the demo organisation plants: its stories, and its rows that break one rule each.

`PLANTED_BAD_ROWS` counts, per entity, the rows that each break exactly one CONTRACTS §1
rule and must be quarantined: requests (a 2031 timestamp, negative input tokens, unknown
status, non-numeric latency, unparseable timestamp, feedback_score 5, empty user_id, empty
request_id, unknown data_classification), activity (impossible date, negative
interactions), workflow_events (review without outcome, run_started without ai_assisted,
quality_score 1.7, unknown event_type, empty event_id), kpi_observations (non-numeric value,
unknown grain), survey_responses (satisfaction 9, trust 0, negative minutes saved),
enablement_events (unknown activity, unknown level), people (empty business_unit_id),
licenses (empty assigned_on).
"""

from __future__ import annotations

#: Rows per entity that each break exactly one CONTRACTS §1 rule (the ingest quarantines them).
PLANTED_BAD_ROWS: dict[str, int] = {
    "requests": 9,
    "activity": 2,
    "workflow_events": 5,
    "kpi_observations": 2,
    "survey_responses": 3,
    "enablement_events": 2,
    "people": 1,
    "licenses": 1,
}

#: The stories the demo data tells, by id (for tests and for the warehouse's own tests).
PLANTED_EFFECTS: dict[str, object] = {
    "improving_kpi": "kpi_claims_cycle_time",
    "flat_kpi": "kpi_close_days",
    # What fct_kpi_effects must find (CONTRACTS.md §5.4), as of the demo's last quarter:
    # a 12-minute fall in Claims Operations only, the three other units flat until the use case
    # is scaled (organisation.kpis `step`): difference_in_differences, improved;
    "effect_kpi": ("kpi_claims_handling_time", -12.0),
    # better in both units it is observed in, the one without the use case too: the comparison
    # explains the before/after away;
    "everywhere_kpi": "kpi_cc_first_contact_resolution",
    # no effect at all (no seasonality either): no_detectable_change;
    "null_kpi": "kpi_close_days",
    # quarterly, one whole quarter after launch: insufficient_data;
    "short_kpi": "kpi_video_time_to_publish",
    # AI-assisted contact-centre runs take 0.8 of the time of the rest (organisation.use_cases
    # `ai_speedup`): assisted_vs_unassisted over cycle_time_minutes, improved.
    "assisted_kpi": "kpi_cc_handle_time",
    "high_override_use_case": "uc_contract_review",
    "absent_models": (("deepseek", "deepseek-chat"), ("mistral", "mistral-large-latest")),
    "unapproved_models": (("anthropic", "claude-3-haiku"), ("google", "gemini-1.5-pro")),
    "incident_provider": "azure_openai",
    "target_defined_after_launch": ("uc_hr_helpdesk", "uc_video_metadata"),
    # Launched use cases that are not ready, with the gaps the seeds leave (CONTRACTS §4).
    "not_ready_launched": {
        "uc_email_triage": ("checklist: training_artifacts",),
        "uc_hr_helpdesk": ("kpi target defined after launch: kpi_hr_resolution_time",),
        "uc_contract_review": ("checklist: qa_metrics",),
        "uc_video_metadata": (
            "owner: measurement_owner",
            "kpi target defined after launch: kpi_video_time_to_publish",
        ),
    },
}

# Planted bad rows: requests month index -> kinds (month index 7 is the stringified file).
REQUEST_PLANTS: dict[int, tuple[str, ...]] = {
    2: ("future_timestamp",),
    4: ("negative_tokens",),
    5: ("unknown_status",),
    7: ("non_numeric_latency", "unparseable_timestamp"),
    9: ("feedback_five",),
    11: ("missing_user",),
    12: ("missing_request_id",),
    13: ("unknown_classification",),
}
