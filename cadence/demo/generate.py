"""The deterministic demo organisation: canonical input files for `cadence demo`.

`generate(out_dir, requests=..., seed=..., end_date=...)` writes the canonical files
(CONTRACTS.md §1) of a fictitious enterprise ("Contoso", identities `@contoso.example`)
about fifteen months into scaling AI. It reads the operating-model configuration in
`seeds/` (CONTRACTS.md §2) so that use cases, KPIs, models and business units agree with
it. Same arguments, same bytes: every random draw comes from `numpy.random.default_rng`
keyed by `(seed, stream)`, and nothing reads the clock. The period runs from the Monday on
or before `end_date` minus 15 months through `end_date` (default 2025-08-18 to the Sunday
2026-11-22).

Files (under `out_dir/<entity>/`), formats chosen to exercise every reader:

- `requests/requests_YYYY-MM.parquet`: one file per calendar month, so large scales stream.
  The first five months carry a `prompt` column (free text the ingest must drop); months
  from the eleventh on carry an extra `gateway_region` column; the eighth month is exported
  with every value as text (numbers and timestamps stringified).
- `activity/github_copilot_usage.csv`, `activity/m365_copilot_usage.csv`: user x day x tool.
- `workflow_events/workflow_events.jsonl`.
- `kpi_observations/kpi_observations.csv`.
- `survey_responses/survey_responses.jsonl`: numbers written as JSON strings.
- `enablement_events/enablement_events.csv`, `people/people.csv`, `licenses/licenses.parquet`.

What the organisation shows (see `PLANTED_EFFECTS`): adoption spreading along an S-curve
with weekday seasonality; traffic of each use case from its pilot (light) and production
date (full); a KPI that improves after launch and is on track (`kpi_claims_cycle_time`);
a KPI that does not move after launch (`kpi_close_days`); a use case whose reviewers
override about a third of AI outputs (`uc_contract_review`); shadow AI through the web
proxy to models absent from the catalogue (`deepseek/deepseek-chat`, mostly Sales and
Marketing and Engineering; `mistral/mistral-large-latest`, mostly Media) and to catalogue
models that are not approved; confidential or restricted data sent to models cleared only
for less; a five-day Azure OpenAI incident (errors and latency); idle and removed licences.
The people directory's `valid_to` is the last day a row is valid (inclusive); a mover's
next row starts the day after.

`PLANTED_BAD_ROWS` counts, per entity, the rows that each break exactly one CONTRACTS §1
rule and must be quarantined: requests (a 2031 timestamp, negative input tokens, unknown
status, non-numeric latency, unparseable timestamp, feedback_score 5, empty user_id, empty
request_id, unknown data_classification), activity (impossible date, negative
interactions), workflow_events (review without outcome, run_started without ai_assisted,
quality_score 1.7, unknown event_type, empty event_id), kpi_observations (non-numeric value,
unknown grain), survey_responses (satisfaction 9, trust 0, negative minutes saved),
enablement_events (unknown activity, unknown level), people (empty business_unit_id),
licenses (empty assigned_on).

`seeds/thresholds.csv` rows (`metric,direction,green,amber`; the names are the ones the
warehouse reads, `vars.thresholds` in dbt_project.yml, which holds the fallbacks). For a
band, a value is green when it is at least `green` (`higher_is_better`) or at most `green`
(`lower_is_better`), amber when it is on the good side of `amber`, else red. A rule row
(`recommend_*`) is one number, repeated in `green` and `amber`:

- penetration_pct: weekly active users per 100 eligible headcount.
- enablement_coverage_pct: people with a completed training per 100 eligible headcount.
- license_utilisation_pct: licensed users active in the week per 100 licensed users.
- error_rate_pct: error + timeout requests per 100 requests (week x use case x model).
- latency_p95_ms: p95 latency of successful requests.
- completion_rate_pct: runs completed per 100 runs started.
- human_review_rate_pct: AI-assisted runs with a review per 100 AI-assisted runs.
- quality_acceptance_pct, override_rate_pct: accepted / overridden reviews per 100 reviews.
- exception_rate_pct: runs with an exception per 100 runs started.
- policy_adherence_pct: requests without a policy violation per 100 requests.
- shadow_ai_pct: requests to unapproved or uncatalogued models per 100 requests.
- avg_satisfaction, avg_trust: survey means (1-5).
- data_freshness_hours: hours since an entity's latest event.
- kpi_progress_shortfall_pct: expected_progress_pct - gap_closed_pct, in points (KPI status).
- recommend_window_weeks: trailing weeks of evidence behind a recommendation.
- recommend_min_reviews: reviews needed before review-based rules apply.
- recommend_scale_min_kpi_progress_ratio: "scale" needs every KPI's gap_closed_pct at least
  this share of its expected_progress_pct.
- recommend_scale_max_override_rate_pct, recommend_scale_min_quality_acceptance_pct,
  recommend_scale_min_policy_adherence_pct: the other bars for "scale".
- recommend_redesign_override_rate_pct: "redesign" at or above this override rate.
- recommend_redesign_min_quality_acceptance_pct: "redesign" below this acceptance rate.
- recommend_redesign_min_gap_closed_pct: "redesign" when a KPI's latest post-launch
  gap_closed_pct is below this (the KPI moved away from its target).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

DEFAULT_END_DATE = date(2026, 11, 22)
HISTORY_MONTHS = 15
DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
EMAIL_DOMAIN = "contoso.example"
MIN_REQUESTS = 1_000
DAY_MS = 86_400_000

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
EMBEDDING_OPERATIONS = ("embeddings", "retrieval")
#: Per operation: median input tokens, median output tokens, median latency (ms).
OPERATION_SHAPE: dict[str, tuple[float, float, float]] = {
    "chat": (1200, 350, 1600),
    "text_completion": (600, 120, 700),
    "embeddings": (350, 0, 90),
    "retrieval": (120, 0, 180),
    "execute_tool": (800, 150, 450),
    "invoke_agent": (5000, 900, 6500),
    "generate_content": (1500, 300, 2200),
}
STATUSES = ("success", "error", "timeout", "blocked", "filtered")
POLICY_ACTIONS = ("allowed", "redacted", "blocked")
TOOLS = ("gateway", "web_proxy", "copilot_studio")
GATEWAY_REGIONS = ("westeurope", "northeurope", "eastus2")
#: Models outside the catalogue that people reach through the web proxy (shadow AI).
ABSENT_MODELS: tuple[tuple[str, str, float, float], ...] = (
    ("deepseek", "deepseek-chat", 0.00027, 0.0011),
    ("mistral", "mistral-large-latest", 0.002, 0.006),
)
#: Share of untagged requests going to shadow models, per business unit, at the start
#: (it falls by 60% over the period as the approved catalogue widens), and their mix.
SHADOW_BY_BUSINESS_UNIT: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "bu_marketing": (
        0.16,
        (("deepseek-chat", 0.65), ("gemini-1.5-pro", 0.25), ("claude-3-haiku", 0.10)),
    ),
    "bu_engineering": (
        0.09,
        (("deepseek-chat", 0.55), ("claude-3-haiku", 0.35), ("gemini-1.5-pro", 0.10)),
    ),
    "bu_media": (0.04, (("mistral-large-latest", 0.65), ("gemini-1.5-pro", 0.35))),
}
SHADOW_DEFAULT: tuple[float, tuple[tuple[str, float], ...]] = (
    0.006,
    (("claude-3-haiku", 0.5), ("gemini-1.5-pro", 0.5)),
)
UNTAGGED_MODEL_MIX: tuple[tuple[str, float], ...] = (
    ("gpt-4.1", 0.22),
    ("gpt-4.1-mini", 0.25),
    ("gpt-4o", 0.15),
    ("gpt-4o-mini", 0.12),
    ("claude-sonnet-4", 0.14),
    ("gemini-2.5-flash", 0.12),
)

FIRST_NAMES = [
    "aaron",
    "adele",
    "adrian",
    "agnes",
    "aisha",
    "alba",
    "alex",
    "alice",
    "amara",
    "amir",
    "ana",
    "andre",
    "anika",
    "anton",
    "ari",
    "arjun",
    "astrid",
    "aya",
    "beatriz",
    "ben",
    "bianca",
    "bilal",
    "bruno",
    "carla",
    "carlos",
    "cecile",
    "chen",
    "chiara",
    "chloe",
    "clara",
    "conor",
    "dalia",
    "daniel",
    "dara",
    "david",
    "diego",
    "dina",
    "duc",
    "edith",
    "elena",
    "eli",
    "elif",
    "emil",
    "emma",
    "enzo",
    "erik",
    "esther",
    "ethan",
    "eva",
    "farah",
    "felix",
    "fiona",
    "frida",
    "gabriel",
    "greta",
    "hana",
    "hannah",
    "hugo",
    "ida",
    "ines",
    "ingrid",
    "isaac",
    "ivan",
    "jakub",
    "jana",
    "javier",
    "jonas",
    "jorge",
    "julia",
    "kai",
    "karim",
    "kenji",
    "kofi",
    "lara",
    "leila",
    "leo",
    "lina",
    "lucas",
    "luis",
    "maja",
    "malik",
    "maria",
    "mateo",
    "maya",
    "mei",
    "milan",
    "mira",
    "nadia",
    "nina",
    "noah",
    "noor",
    "olga",
    "omar",
    "oscar",
    "paula",
    "pedro",
    "petra",
    "priya",
    "rafael",
    "rania",
    "rosa",
    "ruben",
    "sami",
    "sara",
    "sofia",
    "stefan",
    "tariq",
    "tess",
    "theo",
    "tomas",
    "uma",
    "valentina",
    "victor",
    "wei",
    "yara",
    "yusuf",
    "zara",
    "zoe",
]
LAST_NAMES = [
    "abara",
    "adeyemi",
    "almeida",
    "andersen",
    "arslan",
    "bakker",
    "banerjee",
    "becker",
    "bergstrom",
    "bianchi",
    "blanco",
    "boateng",
    "brennan",
    "castillo",
    "chowdhury",
    "costa",
    "dahl",
    "dimitrov",
    "dubois",
    "eriksen",
    "esposito",
    "farouk",
    "ferreira",
    "fischer",
    "fontaine",
    "garcia",
    "gomez",
    "greco",
    "haddad",
    "hansen",
    "hartmann",
    "horvat",
    "ibrahim",
    "iyer",
    "jansen",
    "jensen",
    "kamara",
    "kaplan",
    "kovac",
    "kowalski",
    "kruger",
    "lambert",
    "larsen",
    "laurent",
    "lindqvist",
    "lopez",
    "maddox",
    "marchetti",
    "martens",
    "mendes",
    "meyer",
    "moreau",
    "moreno",
    "mwangi",
    "nakamura",
    "navarro",
    "nielsen",
    "novak",
    "nowak",
    "obi",
    "okafor",
    "oliveira",
    "olsen",
    "ortiz",
    "osei",
    "park",
    "patel",
    "pereira",
    "peters",
    "petrov",
    "popescu",
    "quinn",
    "ramos",
    "rao",
    "reyes",
    "ricci",
    "rossi",
    "sahin",
    "santos",
    "sato",
    "schmidt",
    "schneider",
    "silva",
    "sorensen",
    "suzuki",
    "tanaka",
    "torres",
    "varga",
    "vasquez",
    "virtanen",
    "vogel",
    "wagner",
    "weber",
    "wojcik",
    "yamada",
    "yilmaz",
    "zhang",
    "zimmermann",
]
JOB_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "bu_claims": ("claims_handler", "claims_adjuster", "fraud_investigator"),
    "bu_customer_service": ("service_agent", "team_lead", "quality_analyst"),
    "bu_engineering": ("software_engineer", "data_engineer", "site_reliability_engineer"),
    "bu_finance": ("accountant", "financial_analyst", "controller"),
    "bu_hr": ("hr_advisor", "recruiter", "people_analyst"),
    "bu_marketing": ("account_executive", "marketing_specialist", "sales_operations"),
    "bu_media": ("content_editor", "video_producer", "metadata_specialist"),
    "bu_risk": ("compliance_analyst", "legal_counsel", "risk_analyst"),
}
#: Business units that adopt earlier (negative) or later (positive), in days.
ADOPTION_SHIFT_DAYS: dict[str, int] = {
    "bu_engineering": -70,
    "bu_marketing": -35,
    "bu_media": -20,
    "bu_claims": 10,
    "bu_finance": 25,
    "bu_hr": 20,
    "bu_risk": 55,
}
EXCEPTION_TYPES = (
    "missing_information",
    "model_timeout",
    "policy_block",
    "escalated_to_specialist",
    "system_error",
)
PROMPTS = (
    "Summarise the attached notes in five bullet points for my manager.",
    "Draft a polite reply to the customer explaining the next steps.",
    "Rewrite this paragraph in plain English.",
    "What does clause 14.2 of the supplier agreement mean for renewal?",
    "Generate test cases for the function below.",
    "Translate this message into German and French.",
    "Extract the policy number, claim date and amount from this email.",
    "Suggest three subject lines for the campaign email.",
    "Explain this SQL error and propose a fix.",
    "Create an agenda for Thursday's project review.",
)


@dataclass(frozen=True)
class _Profile:
    """How a use case behaves in the generated data (weights are relative)."""

    traffic: float = 0.04
    runs: float = 0.05
    operations: tuple[tuple[str, float], ...] = (
        ("chat", 0.7),
        ("retrieval", 0.15),
        ("embeddings", 0.15),
    )
    models: tuple[tuple[str, float], ...] = (("gpt-4o-mini", 0.5), ("gpt-4.1", 0.5))
    classification: tuple[float, float, float, float] = (0.05, 0.55, 0.35, 0.05)
    cycle_minutes: float = 600.0
    ai_speedup: float = 0.75
    outcomes: tuple[float, float, float] = (0.70, 0.25, 0.05)
    exception_rate: float = 0.04
    publishes: bool = False
    quality: tuple[float, float] = (8.0, 2.0)
    feedback: tuple[float, float, float] = (0.12, 0.14, 0.74)


PROFILES: dict[str, _Profile] = {
    "uc_claims_triage": _Profile(
        traffic=0.12,
        runs=0.16,
        operations=(
            ("chat", 0.45),
            ("invoke_agent", 0.15),
            ("execute_tool", 0.10),
            ("retrieval", 0.15),
            ("embeddings", 0.15),
        ),
        models=(("gpt-4o", 0.5), ("gpt-4.1", 0.3), ("gpt-4o-mini", 0.2)),
        classification=(0.02, 0.28, 0.60, 0.10),
        cycle_minutes=4320,
        ai_speedup=0.62,
    ),
    "uc_contact_center_assist": _Profile(
        traffic=0.22,
        runs=0.30,
        operations=(
            ("chat", 0.55),
            ("retrieval", 0.20),
            ("embeddings", 0.15),
            ("execute_tool", 0.10),
        ),
        models=(("gpt-4o-mini", 0.5), ("gpt-4.1-mini", 0.2), ("gpt-4o", 0.3)),
        classification=(0.0, 0.35, 0.55, 0.10),
        cycle_minutes=11,
        ai_speedup=0.8,
    ),
    "uc_email_triage": _Profile(
        traffic=0.09,
        runs=0.12,
        models=(("gpt-4o-mini", 0.6), ("claude-sonnet-4", 0.4)),
        classification=(0.0, 0.30, 0.60, 0.10),
        cycle_minutes=1080,
        ai_speedup=0.55,
    ),
    "uc_code_review_assistant": _Profile(
        traffic=0.16,
        runs=0.14,
        operations=(
            ("text_completion", 0.35),
            ("chat", 0.45),
            ("execute_tool", 0.10),
            ("embeddings", 0.10),
        ),
        models=(("claude-sonnet-4", 0.6), ("gpt-4.1", 0.4)),
        classification=(0.10, 0.80, 0.10, 0.0),
        cycle_minutes=1800,
        ai_speedup=0.75,
    ),
    "uc_hr_helpdesk": _Profile(
        traffic=0.05,
        runs=0.06,
        models=(("gpt-4.1", 0.5), ("claude-sonnet-4", 0.5)),
        classification=(0.0, 0.40, 0.45, 0.15),
        cycle_minutes=1560,
        ai_speedup=0.65,
    ),
    "uc_finance_close": _Profile(
        traffic=0.03,
        runs=0.04,
        operations=(("chat", 0.8), ("execute_tool", 0.2)),
        models=(("gpt-4.1", 0.6), ("gpt-4o", 0.4)),
        classification=(0.0, 0.20, 0.70, 0.10),
        cycle_minutes=480,
        ai_speedup=0.98,
    ),
    "uc_kyc_review": _Profile(
        traffic=0.05,
        runs=0.06,
        operations=(
            ("chat", 0.5),
            ("invoke_agent", 0.2),
            ("retrieval", 0.15),
            ("embeddings", 0.15),
        ),
        models=(("gpt-4o", 1.0),),
        classification=(0.0, 0.10, 0.50, 0.40),
        cycle_minutes=40,
        ai_speedup=0.7,
        outcomes=(0.60, 0.33, 0.07),
    ),
    "uc_contract_review": _Profile(
        traffic=0.04,
        runs=0.06,
        models=(("claude-sonnet-4", 0.5), ("gpt-4o", 0.5)),
        classification=(0.0, 0.20, 0.60, 0.20),
        cycle_minutes=9360,
        ai_speedup=0.9,
        outcomes=(0.33, 0.29, 0.38),
        exception_rate=0.09,
        quality=(4.0, 3.0),
        feedback=(0.40, 0.15, 0.45),
    ),
    "uc_regulatory_change": _Profile(
        traffic=0.02,
        operations=(("chat", 0.8), ("retrieval", 0.2)),
        models=(("gpt-4o", 1.0),),
        classification=(0.0, 0.40, 0.50, 0.10),
    ),
    "uc_alt_text": _Profile(
        traffic=0.08,
        runs=0.08,
        operations=(("generate_content", 0.8), ("chat", 0.2)),
        models=(("gemini-2.5-flash", 0.7), ("gpt-4.1", 0.3)),
        classification=(0.65, 0.35, 0.0, 0.0),
        cycle_minutes=1800,
        ai_speedup=0.4,
        outcomes=(0.78, 0.18, 0.04),
        publishes=True,
    ),
    "uc_video_metadata": _Profile(
        traffic=0.04,
        runs=0.05,
        operations=(("generate_content", 0.6), ("chat", 0.4)),
        models=(("gemini-2.5-flash", 0.6), ("gpt-4.1-mini", 0.4)),
        classification=(0.5, 0.5, 0.0, 0.0),
        cycle_minutes=3240,
        ai_speedup=0.6,
        publishes=True,
    ),
    "uc_marketing_copy": _Profile(
        traffic=0.02,
        operations=(("chat", 1.0),),
        models=(("gpt-4.1", 0.5), ("claude-sonnet-4", 0.5)),
        classification=(0.4, 0.6, 0.0, 0.0),
        publishes=True,
    ),
    "uc_sales_proposals": _Profile(
        traffic=0.02,
        models=(("gpt-4.1", 0.6), ("claude-sonnet-4", 0.4)),
        classification=(0.0, 0.5, 0.5, 0.0),
    ),
    "uc_knowledge_search": _Profile(
        traffic=0.10,
        runs=0.05,
        operations=(("retrieval", 0.35), ("embeddings", 0.25), ("chat", 0.40)),
        models=(("gpt-4o-mini", 0.7), ("gpt-4.1-mini", 0.3)),
        classification=(0.2, 0.7, 0.1, 0.0),
        cycle_minutes=6,
        ai_speedup=0.85,
    ),
}
UNTAGGED_PROFILE = _Profile(
    traffic=0.9,
    operations=(
        ("chat", 0.78),
        ("text_completion", 0.05),
        ("embeddings", 0.06),
        ("retrieval", 0.04),
        ("invoke_agent", 0.04),
        ("execute_tool", 0.03),
    ),
    models=UNTAGGED_MODEL_MIX,
    classification=(0.20, 0.60, 0.17, 0.03),
)


@dataclass(frozen=True)
class _KpiProfile:
    """How a KPI's observations behave: share of the gap to target realised, grain, units."""

    realisation: float = 0.75
    grain: str = "week"
    business_units: tuple[str | None, ...] | None = None  # None: the use case's unit
    source: str = "bi_extract"
    hidden_baseline: float | None = None  # the truth when kpis.csv leaves baseline empty
    noise: float = 0.025
    decimals: int = 2


KPI_PROFILES: dict[str, _KpiProfile] = {
    "kpi_claims_cycle_time": _KpiProfile(realisation=1.0, source="claims_system", noise=0.02),
    "kpi_claims_cost_per_claim": _KpiProfile(
        realisation=0.95,
        grain="month",
        business_units=(None,),
        source="finance_cost_model",
        noise=0.01,
    ),
    "kpi_cc_first_contact_resolution": _KpiProfile(
        realisation=0.95,
        business_units=("bu_customer_service", "bu_claims"),
        source="ccaas_export",
        noise=0.015,
    ),
    "kpi_cc_handle_time": _KpiProfile(realisation=1.0, source="ccaas_export"),
    "kpi_email_backlog": _KpiProfile(realisation=0.6, source="case_management", decimals=0),
    "kpi_pr_lead_time": _KpiProfile(realisation=1.05, source="git_analytics"),
    "kpi_close_days": _KpiProfile(
        realisation=0.0, grain="month", source="erp_close_calendar", noise=0.008, decimals=2
    ),
    "kpi_hr_resolution_time": _KpiProfile(realisation=0.75, source="hr_service_desk"),
    "kpi_kyc_alerts_per_analyst": _KpiProfile(realisation=0.55, source="case_management"),
    "kpi_contract_turnaround": _KpiProfile(realisation=0.25, source="legal_matter_system"),
    "kpi_alt_text_time_to_publish": _KpiProfile(
        realisation=1.0, source="dam_export", hidden_baseline=30.0
    ),
    "kpi_metadata_completeness": _KpiProfile(realisation=0.9, source="dam_export", noise=0.015),
    "kpi_video_time_to_publish": _KpiProfile(realisation=0.8, source="dam_export"),
    "kpi_search_success_rate": _KpiProfile(realisation=0.35, source="search_analytics"),
    "kpi_proposal_turnaround": _KpiProfile(realisation=0.0, source="crm_export"),
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
STRINGIFIED_MONTH = 7
PROMPT_MONTHS = 5  # months [0, 5) carry a prompt column
REGION_FROM_MONTH = 10  # months from index 10 carry gateway_region


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class _UseCase:
    use_case_id: str
    name: str
    business_unit_id: str
    stage: str
    risk_tier: str
    pilot_start: date | None
    production: date | None


@dataclass(frozen=True)
class _Kpi:
    kpi_id: str
    use_case_id: str
    direction: str
    baseline: float | None
    target: float
    target_date: date


@dataclass(frozen=True)
class _Model:
    provider: str
    model: str
    approved: bool
    in_catalogue: bool
    max_class: int
    input_usd_per_1k: float
    output_usd_per_1k: float

    @property
    def is_embedding(self) -> bool:
        return "embedding" in self.model

    @property
    def speed(self) -> float:
        name = self.model
        if any(word in name for word in ("mini", "flash", "haiku")):
            return 0.6
        if "sonnet" in name:
            return 1.25
        if "deepseek" in name:
            return 1.5
        return 1.0


@dataclass(frozen=True)
class _Config:
    business_units: tuple[tuple[str, int], ...]
    use_cases: tuple[_UseCase, ...]
    kpis: tuple[_Kpi, ...]
    models: tuple[_Model, ...]  # catalogue first, then absent (shadow) models


def _parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _read_seed(seeds_dir: Path, name: str) -> list[dict[str, str | None]]:
    return pl.read_csv(seeds_dir / f"{name}.csv", infer_schema=False).to_dicts()


def _load_config(seeds_dir: Path) -> _Config:
    units = tuple(
        (str(row["business_unit_id"]), int(str(row["eligible_headcount"])))
        for row in _read_seed(seeds_dir, "business_units")
    )
    use_cases = tuple(
        _UseCase(
            use_case_id=str(row["use_case_id"]),
            name=str(row["name"]),
            business_unit_id=str(row["business_unit_id"]),
            stage=str(row["stage"]),
            risk_tier=str(row["risk_tier"] or "medium"),
            pilot_start=_parse_date(row["pilot_start_date"]),
            production=_parse_date(row["production_date"]),
        )
        for row in _read_seed(seeds_dir, "use_cases")
    )
    kpis = tuple(
        _Kpi(
            kpi_id=str(row["kpi_id"]),
            use_case_id=str(row["use_case_id"]),
            direction=str(row["direction"]),
            baseline=float(row["baseline_value"]) if row["baseline_value"] else None,
            target=float(str(row["target_value"])),
            target_date=date.fromisoformat(str(row["target_date"])),
        )
        for row in _read_seed(seeds_dir, "kpis")
    )
    catalogue = [
        _Model(
            provider=str(row["provider"]),
            model=str(row["model"]),
            approved=str(row["is_approved"]).strip().lower() == "true",
            in_catalogue=True,
            max_class=CLASSIFICATIONS.index(str(row["max_data_classification"])),
            input_usd_per_1k=float(str(row["input_usd_per_1k_tokens"])),
            output_usd_per_1k=float(str(row["output_usd_per_1k_tokens"])),
        )
        for row in _read_seed(seeds_dir, "models")
    ]
    known = {(m.provider, m.model) for m in catalogue}
    absent = [
        _Model(provider, name, False, False, len(CLASSIFICATIONS) - 1, price_in, price_out)
        for provider, name, price_in, price_out in ABSENT_MODELS
        if (provider, name) not in known
    ]
    return _Config(units, use_cases, kpis, tuple(catalogue + absent))


# --------------------------------------------------------------------------- calendar


def history_start(end_date: date) -> date:
    """The first day of the generated period: the Monday on or before end_date - 15 months."""
    month_index = end_date.year * 12 + end_date.month - 1 - HISTORY_MONTHS
    year, month = divmod(month_index, 12)
    day = min(end_date.day, calendar.monthrange(year, month + 1)[1])
    first = date(year, month + 1, day)
    return first - timedelta(days=first.weekday())


@dataclass
class _Calendar:
    start: date
    end: date
    n_days: int
    start_ms: int
    epoch_day: int  # days from 1970-01-01 to start
    day_factor: np.ndarray  # weekday seasonality x holidays, per day
    holiday: np.ndarray  # year-end shutdown days
    months: list[tuple[str, int, int]] = field(default_factory=list)  # label, first, last+1

    def day_of(self, value: date) -> int:
        return (value - self.start).days

    def date_series(self, days: np.ndarray) -> pl.Series:
        return pl.Series((days + self.epoch_day).astype(np.int32)).cast(pl.Date)


def _calendar(end_date: date) -> _Calendar:
    start = history_start(end_date)
    n_days = (end_date - start).days + 1
    weekday = np.array([1.0, 1.02, 1.0, 0.97, 0.86, 0.11, 0.07])
    holiday = np.zeros(n_days, dtype=bool)
    for offset in range(n_days):
        day = start + timedelta(days=offset)
        holiday[offset] = (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)
    factor = weekday[np.arange(n_days) % 7] * np.where(holiday, 0.35, 1.0)
    months: list[tuple[str, int, int]] = []
    cursor = start
    while cursor <= end_date:
        last = date(cursor.year, cursor.month, calendar.monthrange(cursor.year, cursor.month)[1])
        last = min(last, end_date)
        months.append((f"{cursor:%Y-%m}", (cursor - start).days, (last - start).days + 1))
        cursor = last + timedelta(days=1)
    start_ms = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()) * 1000
    return _Calendar(
        start=start,
        end=end_date,
        n_days=n_days,
        start_ms=start_ms,
        epoch_day=(start - date(1970, 1, 1)).days,
        day_factor=factor,
        holiday=holiday,
        months=months,
    )


# --------------------------------------------------------------------------- helpers


def _categorical(rng: np.random.Generator, cumulative: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Draw one category per row; `cumulative[g]` holds group g's cumulative probabilities."""
    u = rng.random(len(group))
    return (u[:, None] >= cumulative[group][:, :-1]).sum(axis=1)


def _cumulative(weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    totals = weights.sum(axis=-1, keepdims=True)
    totals[totals == 0] = 1.0
    cumulative = np.cumsum(weights / totals, axis=-1)
    cumulative[..., -1] = 1.0
    return cumulative


def _lookup(values: list[str] | tuple[str, ...], index: np.ndarray) -> pl.Series:
    """Strings by index; a negative index gives null."""
    table = pl.Series([*values, None], dtype=pl.String)
    return table.gather(np.where(index < 0, len(values), index))


def _seconds_of_day(rng: np.random.Generator, n: int, mean_hour: float = 13.0) -> np.ndarray:
    """Milliseconds into the day: business hours (UTC) with a flat tail for night usage."""
    seconds = rng.normal(mean_hour * 3600, 2.7 * 3600, n)
    seconds = np.where(rng.random(n) < 0.08, rng.random(n) * 86_400, seconds)
    return (np.clip(seconds, 0, 86_399.999) * 1000).astype(np.int64)


def _timestamps(ms: np.ndarray) -> pl.Series:
    return pl.Series(ms.astype(np.int64)).cast(pl.Datetime("ms")).dt.replace_time_zone("UTC")


def _iso(series: pl.Series, suffix: str = "Z") -> pl.Series:
    return series.dt.strftime("%Y-%m-%dT%H:%M:%S%.3f") + suffix


def _with_nulls(values: np.ndarray, null: np.ndarray, dtype: pl.DataType) -> pl.Series:
    series = pl.Series(values.astype(np.float64))
    return series.set(pl.Series(null), None).cast(dtype)  # type: ignore[arg-type]


def _replace_at(frame: pl.DataFrame, row: int, column: str, value: object) -> pl.DataFrame:
    """`frame` with one cell replaced (a planted bad value)."""
    dtype = frame.schema[column]
    literal = pl.lit(value, dtype=dtype) if value is None else pl.lit(value)
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(literal).otherwise(pl.col(column)).alias(column)
    )


def _reset_dir(path: Path, pattern: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob(pattern):
        stale.unlink()
    return path


# --------------------------------------------------------------------------- people


@dataclass
class _People:
    user_ids: list[str]
    bu0: np.ndarray  # business unit index at the start of the period
    bu1: np.ndarray  # business unit after a move (== bu0 when none)
    move_day: np.ndarray  # first day in the new unit (n_days when none)
    adopt_day: np.ndarray  # first day of AI use (negative: before the period; huge: never)
    propensity: np.ndarray
    is_manager: np.ndarray

    def unit_on(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.where(day >= self.move_day[person], self.bu1[person], self.bu0[person])


def _split(total: int, weights: list[int]) -> np.ndarray:
    shares = np.asarray(weights, dtype=float) / sum(weights) * total
    counts = np.floor(shares).astype(int)
    remainder = total - counts.sum()
    order = np.argsort(-(shares - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts


def _make_people(
    rng: np.random.Generator, config: _Config, n_people: int, cal: _Calendar
) -> _People:
    unit_ids = [unit for unit, _ in config.business_units]
    counts = _split(n_people, [headcount for _, headcount in config.business_units])
    bu0 = np.repeat(np.arange(len(unit_ids)), counts)
    rng.shuffle(bu0)
    combos = len(FIRST_NAMES) * len(LAST_NAMES)
    order = rng.permutation(combos)
    user_ids = []
    for i in range(n_people):
        combo = int(order[i % combos])
        first, last = FIRST_NAMES[combo // len(LAST_NAMES)], LAST_NAMES[combo % len(LAST_NAMES)]
        suffix = "" if i < combos else str(i // combos + 1)
        user_ids.append(f"{first}.{last}{suffix}@{EMAIL_DOMAIN}")

    n_days = cal.n_days
    is_manager = rng.random(n_people) < 0.12
    propensity = rng.lognormal(0.0, 1.3, n_people) * np.where(is_manager, 0.7, 1.0)
    shift = np.array([ADOPTION_SHIFT_DAYS.get(unit, 0) for unit in unit_ids])[bu0]
    u = rng.random(n_people)
    during = rng.logistic(0.42 * n_days, 0.13 * n_days, n_people) + shift
    adopt_day = np.where(
        u < 0.22,
        -rng.integers(1, 240, n_people),
        np.where(u < 0.85, np.clip(during, 0, n_days - 1).astype(np.int64), 10**6),
    )
    moves = rng.random(n_people) < 0.02
    other = (bu0 + rng.integers(1, len(unit_ids), n_people)) % len(unit_ids)
    bu1 = np.where(moves, other, bu0)
    move_day = np.where(moves, rng.integers(60, max(61, n_days - 60), n_people), n_days)
    return _People(user_ids, bu0, bu1, move_day, adopt_day, propensity, is_manager)


def _write_people(
    path: Path, rng: np.random.Generator, people: _People, config: _Config, cal: _Calendar
) -> Path:
    unit_ids = [unit for unit, _ in config.business_units]
    n = len(people.user_ids)
    hire_day = -rng.integers(30, 18 * 365, n)
    function_pick = rng.integers(0, 3, n)
    moved = people.bu1 != people.bu0
    person = np.concatenate([np.arange(n), np.flatnonzero(moved)])
    unit = np.concatenate([people.bu0, people.bu1[moved]])
    valid_from = np.concatenate([hire_day, people.move_day[moved]])
    valid_to = np.concatenate(
        [np.where(moved, people.move_day - 1, -(10**6)), np.full(moved.sum(), -(10**6))]
    )
    functions = [
        JOB_FUNCTIONS.get(unit_ids[u], ("analyst", "specialist", "coordinator"))[k]
        for u, k in zip(unit.tolist(), function_pick[person].tolist(), strict=True)
    ]
    frame = pl.DataFrame(
        {
            "user_id": _lookup(people.user_ids, person),
            "business_unit_id": _lookup(unit_ids, unit),
            "job_function": pl.Series(functions, dtype=pl.String),
            "is_manager": pl.Series(people.is_manager[person]),
            "valid_from": cal.date_series(valid_from),
            "valid_to": cal.date_series(np.maximum(valid_to, -30000)).set(
                pl.Series(valid_to < -(10**5)), None
            ),
        }
    )
    # Planted: a contractor row without a business unit (required).
    planted = pl.DataFrame(
        {
            "user_id": [f"temp.contractor01@{EMAIL_DOMAIN}"],
            "business_unit_id": pl.Series([None], dtype=pl.String),
            "job_function": ["contractor"],
            "is_manager": [False],
            "valid_from": [cal.start + timedelta(days=120)],
            "valid_to": pl.Series([None], dtype=pl.Date),
        }
    )
    frame = pl.concat([frame, planted]).sort("user_id", "valid_from")
    frame.write_csv(path)
    return path


# --------------------------------------------------------------------------- licences and activity


@dataclass
class _Licences:
    person: np.ndarray
    tool: np.ndarray  # 0 github_copilot, 1 m365_copilot
    assigned: np.ndarray  # day index (may be negative)
    removed: np.ndarray  # day index, n_days + 10**6 when never
    idle: np.ndarray


LICENSED_TOOLS = ("github_copilot", "m365_copilot")


def _make_licences(
    rng: np.random.Generator, people: _People, config: _Config, cal: _Calendar
) -> _Licences:
    unit_ids = [unit for unit, _ in config.business_units]
    n = len(people.user_ids)
    engineering = np.array([unit_ids[u] == "bu_engineering" for u in people.bu0])
    gh = rng.random(n) < np.where(engineering, 0.9, 0.04)
    m365 = rng.random(n) < np.where(people.is_manager, 0.8, 0.47)
    gh_waves, gh_p = np.array([-75, 49, 168]), np.array([0.45, 0.35, 0.20])
    m_waves, m_p = np.array([14, 140, 231, 385]), np.array([0.2, 0.35, 0.3, 0.15])
    parts = []
    for tool, holders, waves, probs in ((0, gh, gh_waves, gh_p), (1, m365, m_waves, m_p)):
        person = np.flatnonzero(holders)
        k = len(person)
        wave = waves[rng.choice(len(waves), size=k, p=probs)]
        assigned = np.minimum(wave + rng.integers(0, 10, k), cal.n_days - 1)
        idle = rng.random(k) < (0.14 if tool == 0 else 0.22)
        removal = np.where(
            idle,
            rng.random(k) < 0.4,
            rng.random(k) < 0.04,
        )
        removed_at = assigned + np.where(idle, rng.integers(120, 200, k), rng.integers(60, 300, k))
        removed = np.where(removal & (removed_at < cal.n_days), removed_at, cal.n_days + 10**6)
        parts.append((person, np.full(k, tool), assigned, removed, idle))
    return _Licences(*(np.concatenate([part[i] for part in parts]) for i in range(5)))


def _write_licences(
    path: Path, rng: np.random.Generator, lic: _Licences, people: _People, cal: _Calendar
) -> Path:
    removed_days = np.where(lic.removed > cal.n_days, 0, lic.removed)
    frame = pl.DataFrame(
        {
            "user_id": _lookup(people.user_ids, lic.person),
            "tool": _lookup(LICENSED_TOOLS, lic.tool),
            "assigned_on": cal.date_series(lic.assigned),
            "removed_on": cal.date_series(removed_days).set(
                pl.Series(lic.removed > cal.n_days), None
            ),
        }
    )
    # Planted: a seat without its (required) assignment date.
    planted_person = int(lic.person[int(rng.integers(0, len(lic.person)))])
    planted = pl.DataFrame(
        {
            "user_id": [people.user_ids[planted_person]],
            "tool": ["m365_copilot"],
            "assigned_on": pl.Series([None], dtype=pl.Date),
            "removed_on": pl.Series([None], dtype=pl.Date),
        }
    )
    frame = pl.concat([frame, planted]).sort("tool", "user_id", "assigned_on", nulls_last=True)
    frame.write_parquet(path, compression="zstd")
    return path


def _write_activity(
    directory: Path, rng: np.random.Generator, lic: _Licences, people: _People, cal: _Calendar
) -> list[Path]:
    paths = []
    for tool, name in enumerate(LICENSED_TOOLS):
        mask = (lic.tool == tool) & ~lic.idle
        person = lic.person[mask]
        lag = rng.exponential(10.0 if tool == 0 else 21.0, len(person)).astype(np.int64)
        begin = np.clip(lic.assigned[mask] + lag, 0, cal.n_days)
        stop = np.clip(lic.removed[mask], 0, cal.n_days)
        length = np.maximum(stop - begin, 0)
        rate = rng.beta(6, 4, len(person)) if tool == 0 else rng.beta(3, 4, len(person))
        total = int(length.sum())
        row_person = np.repeat(np.arange(len(person)), length)
        offset = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
        day = np.repeat(begin, length) + offset
        weekday = (day % 7) < 5
        p = (
            rate[row_person]
            * np.where(weekday, 1.0, 0.06)
            * np.minimum(cal.day_factor[day] * 1.2, 1)
        )
        keep = rng.random(total) < p
        row_person, day = row_person[keep], day[keep]
        n = len(day)
        inactive = rng.random(n) < 0.02
        progress = day / cal.n_days
        if tool == 0:
            interactions = rng.poisson(2.5, n)
            generations = rng.poisson(35, n) + 1
            acceptance = 0.26 + 0.08 * progress
            acceptances = rng.binomial(generations, acceptance)
            lines_suggested = generations + rng.poisson(generations * 1.5)
            lines_accepted = rng.binomial(lines_suggested, acceptance * 0.95)
            counts = [interactions, generations, acceptances, lines_suggested, lines_accepted]
        else:
            interactions = rng.poisson(6, n) + 1
            generations = rng.poisson(3, n)
            counts = [interactions, generations]
        counts = [np.where(inactive, 0, c) for c in counts]
        no_value = np.ones(n, dtype=bool)
        columns = [
            "interactions",
            "generations",
            "acceptances",
            "lines_suggested",
            "lines_accepted",
        ]
        data: dict[str, pl.Series] = {
            "user_id": _lookup(people.user_ids, person[row_person]),
            "activity_date": cal.date_series(day).dt.strftime("%Y-%m-%d"),
            "tool": pl.Series([name] * n, dtype=pl.String),
        }
        for i, column in enumerate(columns):
            data[column] = (
                pl.Series(counts[i], dtype=pl.Int64)
                if i < len(counts)
                else _with_nulls(np.zeros(n), no_value, pl.Int64)
            )
        data["input_tokens"] = _with_nulls(np.zeros(n), no_value, pl.Int64)
        data["output_tokens"] = _with_nulls(np.zeros(n), no_value, pl.Int64)
        data["is_active"] = pl.Series(~inactive)
        frame = pl.DataFrame(data).sort("activity_date", "user_id")
        row = len(frame) // 2
        if tool == 0:  # planted: a date that does not exist
            year = cal.start.year + 1
            frame = _replace_at(frame, row, "activity_date", f"{year}-02-30")
        else:  # planted: negative interactions
            frame = _replace_at(frame, row, "interactions", -3)
        path = directory / f"{name}_usage.csv"
        frame.write_csv(path)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- requests


@dataclass
class _Pool:
    """People eligible for a stream, ordered by adoption day, with cumulative propensity."""

    order: np.ndarray
    adopt: np.ndarray
    cumulative: np.ndarray

    def pick(self, rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
        k = np.maximum(np.searchsorted(self.adopt, day, side="right"), 1)
        u = rng.random(len(day)) * self.cumulative[k - 1]
        j = np.minimum(np.searchsorted(self.cumulative, u, side="right"), k - 1)
        return self.order[j]


def _pool(people: _People, members: np.ndarray) -> _Pool | None:
    members = members[people.adopt_day[members] < 10**5]
    if len(members) == 0:
        return None
    order = members[np.argsort(people.adopt_day[members], kind="stable")]
    return _Pool(order, people.adopt_day[order], np.cumsum(people.propensity[order]))


@dataclass
class _Stream:
    use_case: _UseCase | None
    profile: _Profile
    pool: _Pool
    intensity: np.ndarray


def _retire_day(use_case: _UseCase, cal: _Calendar) -> int:
    if use_case.stage != "retired" or use_case.production is None:
        return cal.n_days
    return (cal.day_of(use_case.production) + cal.n_days) // 2


def _use_case_phase(use_case: _UseCase, cal: _Calendar) -> np.ndarray:
    """Relative traffic of a use case per day: light in pilot, ramping in production."""
    days = np.arange(cal.n_days)
    phase = np.zeros(cal.n_days)
    if use_case.pilot_start is not None:
        phase[days >= cal.day_of(use_case.pilot_start)] = 0.12
    if use_case.production is not None:
        live = cal.day_of(use_case.production)
        ramp = 0.3 + 0.7 * np.clip((days - live) / 42, 0, 1)
        if use_case.stage == "scaled":
            ramp = ramp * (1 + 0.6 * np.clip((days - live - 120) / 90, 0, 1))
        phase = np.where(days >= live, ramp, phase)
    phase[days >= _retire_day(use_case, cal)] = 0.0
    return phase


def _make_streams(config: _Config, people: _People, cal: _Calendar) -> list[_Stream]:
    everyone = _pool(people, np.arange(len(people.user_ids)))
    assert everyone is not None, "nobody ever adopts AI: raise `people`"
    days = np.arange(cal.n_days)
    adopted = np.sort(people.adopt_day[people.adopt_day < 10**5])
    share = np.searchsorted(adopted, days, side="right") / len(people.user_ids)
    untagged = UNTAGGED_PROFILE.traffic * share * (1 - 0.2 * days / cal.n_days)
    streams = [_Stream(None, UNTAGGED_PROFILE, everyone, untagged)]
    unit_ids = [unit for unit, _ in config.business_units]
    for use_case in config.use_cases:
        phase = _use_case_phase(use_case, cal)
        if not phase.any():
            continue
        profile = PROFILES.get(use_case.use_case_id, _Profile())
        unit = (
            unit_ids.index(use_case.business_unit_id)
            if use_case.business_unit_id in unit_ids
            else -1
        )
        pool = _pool(people, np.flatnonzero(people.bu0 == unit)) or everyone
        streams.append(_Stream(use_case, profile, pool, profile.traffic * phase))
    return streams


@dataclass
class _ModelTables:
    """Per-stream cumulative model mixes and the routing fall-backs, over config.models."""

    chat: np.ndarray
    embed: np.ndarray
    shadow: np.ndarray  # per business unit, over models
    shadow_rate: np.ndarray  # per business unit
    chat_fallback: int
    embed_fallback: int
    agent_model: int


def _model_tables(config: _Config, streams: list[_Stream]) -> _ModelTables:
    models = config.models
    by_name = {m.model: i for i, m in enumerate(models)}
    approved = [i for i, m in enumerate(models) if m.approved]
    approved_chat = [i for i in approved if not models[i].is_embedding]
    approved_embed = [i for i in approved if models[i].is_embedding] or approved_chat

    def best(candidates: list[int]) -> int:
        return max(candidates, key=lambda i: (models[i].max_class, -i))

    embed_default = min(approved_embed, key=lambda i: (models[i].max_class, i))
    embed_secure = best(approved_embed)
    chat = np.zeros((len(streams), len(models)))
    embed = np.zeros((len(streams), len(models)))
    for s, stream in enumerate(streams):
        for name, weight in stream.profile.models:
            if name in by_name and models[by_name[name]].approved:
                chat[s, by_name[name]] += weight
        if chat[s].sum() == 0:
            chat[s, approved_chat] = 1.0
        secure = stream.profile.classification[3] >= 0.1
        embed[s, embed_secure if secure else embed_default] = 1.0
    unit_ids = [unit for unit, _ in config.business_units]
    shadow = np.zeros((len(unit_ids), len(models)))
    rate = np.zeros(len(unit_ids))
    for u, unit in enumerate(unit_ids):
        rate[u], mix = SHADOW_BY_BUSINESS_UNIT.get(unit, SHADOW_DEFAULT)
        for name, weight in mix:
            if name in by_name and not models[by_name[name]].approved:
                shadow[u, by_name[name]] += weight
        if shadow[u].sum() == 0:
            rate[u] = 0.0
            shadow[u, 0] = 1.0
    agent = by_name.get("gpt-4o", best(approved_chat))
    return _ModelTables(
        _cumulative(chat),
        _cumulative(embed),
        _cumulative(shadow),
        rate,
        best(approved_chat),
        embed_secure,
        agent,
    )


def _request_month(
    rng: np.random.Generator,
    stream_of: np.ndarray,
    day: np.ndarray,
    streams: list[_Stream],
    tables: _ModelTables,
    people: _People,
    config: _Config,
    cal: _Calendar,
    label: str,
) -> pl.DataFrame:
    """One month of requests, in time order (one row per request)."""
    n = len(day)
    models = config.models
    unit_ids = [unit for unit, _ in config.business_units]
    ms = cal.start_ms + day * DAY_MS + _seconds_of_day(rng, n)
    order = np.argsort(ms, kind="stable")
    ms, day, stream_of = ms[order], day[order], stream_of[order]

    user = np.empty(n, dtype=np.int64)
    for s, stream in enumerate(streams):
        mask = stream_of == s
        if mask.any():
            user[mask] = stream.pool.pick(rng, day[mask])
    unit = people.unit_on(user, day)

    op_cum = _cumulative(
        np.array(
            [[dict(st.profile.operations).get(op, 0.0) for op in OPERATIONS] for st in streams]
        )
    )
    operation = _categorical(rng, op_cum, stream_of)
    embedding_op = np.isin(operation, [OPERATIONS.index(op) for op in EMBEDDING_OPERATIONS])
    model = np.where(
        embedding_op,
        _categorical(rng, tables.embed, stream_of),
        _categorical(rng, tables.chat, stream_of),
    )
    class_cum = _cumulative(np.array([st.profile.classification for st in streams]))
    classification = _categorical(rng, class_cum, stream_of)

    tool = np.zeros(n, dtype=np.int64)  # gateway
    untagged = stream_of == 0
    agent = untagged & (operation == OPERATIONS.index("invoke_agent")) & (rng.random(n) < 0.7)
    tool[agent] = TOOLS.index("copilot_studio")
    model[agent] = tables.agent_model
    progress = day / cal.n_days
    shadow = (
        untagged
        & ~embedding_op
        & ~agent
        & (rng.random(n) < tables.shadow_rate[unit] * (1 - 0.6 * progress))
    )
    model = np.where(shadow, _categorical(rng, tables.shadow, unit), model)
    in_catalogue = np.array([m.in_catalogue for m in models])
    tool[shadow & ~in_catalogue[model]] = TOOLS.index("web_proxy")

    # Routing: data above the model's clearance is mostly rerouted, sometimes blocked, rarely
    # let through (a classification violation). Shadow traffic bypasses the gateway.
    max_class = np.array([m.max_class for m in models])
    over = (classification > max_class[model]) & ~shadow
    route = rng.random(n)
    reroute = over & (route < 0.80)
    fallback = np.where(embedding_op, tables.embed_fallback, tables.chat_fallback)
    model = np.where(reroute, fallback, model)
    blocked = over & (route >= 0.80) & (route < 0.92)

    shape = np.array([OPERATION_SHAPE[op] for op in OPERATIONS])
    input_tokens = np.round(shape[operation, 0] * rng.lognormal(0, 0.8, n)).astype(np.int64) + 1
    output_tokens = np.round(shape[operation, 1] * rng.lognormal(0, 0.7, n)).astype(np.int64)

    provider = np.array([m.provider for m in models])[model]
    incident_start = int(cal.n_days * 0.455)
    incident = (provider == "azure_openai") & (day >= incident_start) & (day < incident_start + 5)
    u = rng.random(n)
    error_p = np.where(incident, 0.08, 0.011)
    timeout_p = np.where(incident, 0.035, 0.004)
    chatty = ~embedding_op
    status = np.zeros(n, dtype=np.int64)
    status[u < error_p] = 1
    status[(u >= error_p) & (u < error_p + timeout_p)] = 2
    status[chatty & (u >= error_p + timeout_p) & (u < error_p + timeout_p + 0.004)] = 4
    injection = (rng.random(n) < 0.002) & ~shadow
    blocked |= injection
    status[blocked] = 3
    policy = np.zeros(n, dtype=np.int64)
    policy[blocked] = 2
    redacted = (status == 0) & (classification >= 2) & ~shadow & (rng.random(n) < 0.015)
    policy[redacted] = 1
    policy[(policy == 0) & (rng.random(n) < 0.05)] = -1  # exporter left the default empty

    speed = np.array([m.speed for m in models])[model]
    latency = shape[operation, 2] * speed * rng.lognormal(0, 0.5, n) * (1 + output_tokens / 1500)
    latency = np.where(incident, latency * 2.2, latency)
    latency = np.where(status == 2, 30_000 + rng.random(n) * 30_000, latency)
    latency = np.where(status == 1, 50 + rng.random(n) * 1_950, latency)
    latency = np.where(status == 3, 15 + rng.random(n) * 65, latency)
    latency = np.round(latency, 1)
    output_tokens = np.where(status == 0, output_tokens, 0)

    price_in = np.array([m.input_usd_per_1k for m in models])[model]
    price_out = np.array([m.output_usd_per_1k for m in models])[model]
    cost = (input_tokens * price_in + output_tokens * price_out) / 1000
    cost = np.where(status == 2, input_tokens * price_in / 1000, cost)
    cost = np.where(np.isin(status, [1, 3]), 0.0, cost)
    cost = np.round(cost, 6)
    cost_null = (rng.random(n) < 0.18) | ~in_catalogue[model]

    feedback_ops = np.isin(
        operation, [OPERATIONS.index(op) for op in ("chat", "invoke_agent", "generate_content")]
    )
    has_feedback = (status == 0) & feedback_ops & (rng.random(n) < 0.07)
    fb_cum = _cumulative(np.array([st.profile.feedback for st in streams]))
    feedback = _categorical(rng, fb_cum, stream_of) - 1

    unit_null = (rng.random(n) < 0.25) | (tool == TOOLS.index("web_proxy"))
    class_null = (rng.random(n) < 0.02) & (tool == 0)
    use_case_index = np.array(
        [-1] + [config.use_cases.index(st.use_case) for st in streams[1:] if st.use_case]
    )
    use_case_ids = [uc.use_case_id for uc in config.use_cases]
    ids = pl.Series(np.arange(n)).cast(pl.String).str.zfill(8)
    frame = pl.DataFrame(
        {
            "request_id": f"req-{label.replace('-', '')}-" + ids,
            "occurred_at": _timestamps(ms),
            "user_id": _lookup(people.user_ids, user),
            "business_unit_id": _lookup(unit_ids, np.where(unit_null, -1, unit)),
            "use_case_id": _lookup(use_case_ids, use_case_index[stream_of]),
            "tool": _lookup(TOOLS, tool),
            "provider": _lookup([m.provider for m in models], model),
            "model": _lookup([m.model for m in models], model),
            "operation": _lookup(OPERATIONS, operation),
            "input_tokens": pl.Series(input_tokens),
            "output_tokens": pl.Series(output_tokens),
            "latency_ms": pl.Series(latency),
            "status": _lookup(STATUSES, status),
            "cost_usd": _with_nulls(cost, cost_null, pl.Float64),
            "data_classification": _lookup(
                CLASSIFICATIONS, np.where(class_null, -1, classification)
            ),
            "policy_action": _lookup(POLICY_ACTIONS, policy),
            "feedback_score": _with_nulls(feedback, ~has_feedback, pl.Int32),
        }
    )
    return frame


def _plant_requests(frame: pl.DataFrame, kinds: tuple[str, ...], label: str) -> pl.DataFrame:
    year, month = label.split("-")
    for j, kind in enumerate(kinds):
        row = len(frame) * (j + 1) // (len(kinds) + 1)
        if kind == "future_timestamp":
            frame = _replace_at(frame, row, "occurred_at", datetime(2031, 3, 14, 10, 0, tzinfo=UTC))
        elif kind == "negative_tokens":
            frame = _replace_at(frame, row, "input_tokens", -42)
        elif kind == "unknown_status":
            frame = _replace_at(frame, row, "status", "succeeded")
        elif kind == "non_numeric_latency":
            frame = _replace_at(frame, row, "latency_ms", "n/a")
        elif kind == "unparseable_timestamp":
            frame = _replace_at(frame, row, "occurred_at", f"{year}-{month}-32T09:15:00Z")
        elif kind == "feedback_five":
            frame = _replace_at(frame, row, "feedback_score", 5)
        elif kind == "missing_user":
            frame = _replace_at(frame, row, "user_id", None)
        elif kind == "missing_request_id":
            frame = _replace_at(frame, row, "request_id", None)
        elif kind == "unknown_classification":
            frame = _replace_at(frame, row, "data_classification", "secret")
        else:  # pragma: no cover - the plan above is fixed
            raise ValueError(kind)
    return frame


def _write_requests(
    directory: Path,
    seed: int,
    requests: int,
    streams: list[_Stream],
    people: _People,
    config: _Config,
    cal: _Calendar,
) -> list[Path]:
    tables = _model_tables(config, streams)
    intensity = np.vstack([stream.intensity for stream in streams]) * cal.day_factor
    probabilities = intensity.ravel() / intensity.sum()
    counts = np.random.default_rng([seed, 10]).multinomial(requests, probabilities)
    counts = counts.reshape(intensity.shape)
    paths = []
    for index, (label, first, stop) in enumerate(cal.months):
        rng = np.random.default_rng([seed, 11, index])
        block = counts[:, first:stop]
        width = stop - first
        cell_stream = np.repeat(np.arange(len(streams)), width)
        cell_day = np.tile(np.arange(first, stop), len(streams))
        flat = block.ravel()
        frame = _request_month(
            rng,
            np.repeat(cell_stream, flat),
            np.repeat(cell_day, flat),
            streams,
            tables,
            people,
            config,
            cal,
            label,
        )
        if index < PROMPT_MONTHS:
            frame = frame.with_columns(
                prompt=_lookup(PROMPTS, rng.integers(0, len(PROMPTS), len(frame)))
            )
        if index >= REGION_FROM_MONTH:
            frame = frame.with_columns(
                gateway_region=_lookup(
                    GATEWAY_REGIONS, rng.integers(0, len(GATEWAY_REGIONS), len(frame))
                )
            )
        if index == STRINGIFIED_MONTH:
            frame = frame.with_columns(
                _iso(frame["occurred_at"]).alias("occurred_at"),
                *(pl.col(c).cast(pl.String) for c in frame.columns if c != "occurred_at"),
            )
        frame = _plant_requests(frame, REQUEST_PLANTS.get(index, ()), label)
        path = directory / f"requests_{label}.parquet"
        frame.write_parquet(path, compression="zstd", row_group_size=262_144)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- workflow events


def _ai_share(use_case: _UseCase, cal: _Calendar) -> np.ndarray:
    """Share of a use case's runs that are AI-assisted, per day."""
    days = np.arange(cal.n_days)
    share = np.zeros(cal.n_days)
    if use_case.pilot_start is not None:
        share[days >= cal.day_of(use_case.pilot_start)] = 0.15
    if use_case.production is not None:
        live = cal.day_of(use_case.production)
        target = 0.9 if use_case.stage == "scaled" else 0.7
        ramp = 0.35 + (target - 0.35) * np.clip((days - live) / 70, 0, 1)
        share = np.where(days >= live, ramp, share)
    share[days >= _retire_day(use_case, cal)] = 0.0
    return share


REVIEW_RATE = {"high": 1.0, "medium": 0.85, "low": 0.55}
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


def _workflow_frame(
    rng: np.random.Generator,
    use_case: _UseCase,
    run_days: np.ndarray,
    people: _People,
    unit_ids: list[str],
    cal: _Calendar,
) -> pl.DataFrame:
    """All events of one use case's runs (one row per event)."""
    profile = PROFILES.get(use_case.use_case_id, _Profile())
    n = len(run_days)
    t0 = np.sort(cal.start_ms + run_days * DAY_MS + _seconds_of_day(rng, n, mean_hour=12.5))
    day = (t0 - cal.start_ms) // DAY_MS
    ai = rng.random(n) < _ai_share(use_case, cal)[day]
    reviewed = ai & (rng.random(n) < REVIEW_RATE.get(use_case.risk_tier, 0.85))
    outcome = _categorical(
        rng, _cumulative(np.array([profile.outcomes])), np.zeros(n, dtype=np.int64)
    )
    overridden = reviewed & (outcome == 2)
    exception = rng.random(n) < profile.exception_rate * np.where(overridden, 1.3, 1.0)
    abandoned = rng.random(n) < 0.04 + 0.10 * overridden + 0.10 * exception
    cycle_ms = (
        profile.cycle_minutes
        * 60_000
        * np.where(ai, profile.ai_speedup, 1.0)
        * np.where(overridden, 1.15, 1.0)
        * rng.lognormal(0, 0.45, n)
    )
    t_output = t0 + (40_000 * rng.lognormal(0, 0.6, n)).astype(np.int64)
    t_review = t_output + (cycle_ms * rng.uniform(0.1, 0.3, n)).astype(np.int64)
    t_exception = t0 + (cycle_ms * rng.uniform(0.2, 0.8, n)).astype(np.int64)
    t_end = t0 + (cycle_ms * np.where(abandoned, rng.uniform(0.3, 1.0, n), 1.0)).astype(np.int64)
    t_end = np.maximum(t_end, np.where(reviewed, t_review, t_output) + 1_000)
    t_published = t_end + (1_800_000 * rng.lognormal(0, 0.5, n)).astype(np.int64)
    quality = np.round(rng.beta(*profile.quality, n), 3)
    ai_exceptions = rng.integers(0, len(EXCEPTION_TYPES), n)
    human_exceptions = np.array([0, 3, 4])[rng.integers(0, 3, n)]
    exception_type = np.where(ai, ai_exceptions, human_exceptions)

    unit = (
        unit_ids.index(use_case.business_unit_id) if use_case.business_unit_id in unit_ids else -1
    )
    members = np.flatnonzero(people.bu0 == unit)
    if len(members) == 0:
        members = np.arange(len(people.user_ids))
    worker = members[rng.integers(0, len(members), n)]
    reviewer = members[rng.integers(0, len(members), n)]
    published = profile.publishes & ~abandoned

    run = np.arange(n)
    none = np.full(n, -1)
    parts = [
        # mask, seq, time, type, actor, ai_assisted(-1 null), outcome, quality?, exception type
        (np.ones(n, bool), 1, t0, 0, worker, ai.astype(np.int64), none, False, none),
        (ai, 2, t_output, 1, none, none, none, True, none),
        (reviewed, 3, t_review, 2, reviewer, none, outcome, False, none),
        (exception, 4, t_exception, 3, worker, none, none, False, exception_type),
        (~abandoned, 5, t_end, 4, worker, none, none, False, none),
        (abandoned, 5, t_end, 5, worker, none, none, False, none),
        (published, 6, t_published, 6, worker, none, none, False, none),
    ]
    cols: dict[str, list[np.ndarray]] = {
        k: [] for k in ("run", "seq", "t", "type", "actor", "ai", "outcome", "quality", "exc")
    }
    for mask, seq, times, event_type, actor, ai_flag, review, has_quality, exc in parts:
        cols["run"].append(run[mask])
        cols["seq"].append(np.full(int(mask.sum()), seq))
        cols["t"].append(times[mask])
        cols["type"].append(np.full(int(mask.sum()), event_type))
        cols["actor"].append(actor[mask])
        cols["ai"].append(ai_flag[mask])
        cols["outcome"].append(review[mask])
        cols["quality"].append(np.where(has_quality, quality[mask], np.nan))
        cols["exc"].append(exc[mask])
    data = {k: np.concatenate(v) for k, v in cols.items()}
    keep = data["t"] < cal.start_ms + cal.n_days * DAY_MS
    data = {k: v[keep] for k, v in data.items()}
    run_ids = f"{use_case.use_case_id}-r" + pl.Series(data["run"]).cast(pl.String).str.zfill(7)
    return pl.DataFrame(
        {
            "event_id": run_ids + "-" + pl.Series(data["seq"]).cast(pl.String),
            "run_id": run_ids,
            "use_case_id": pl.Series([use_case.use_case_id] * len(data["t"]), dtype=pl.String),
            "occurred_at": _timestamps(data["t"]),
            "event_type": _lookup(EVENT_TYPES, data["type"]),
            "actor_id": _lookup(people.user_ids, data["actor"]),
            "ai_assisted": _with_nulls(data["ai"], data["ai"] < 0, pl.Int8).cast(pl.Boolean),
            "review_outcome": _lookup(REVIEW_OUTCOMES, data["outcome"]),
            "quality_score": pl.Series(data["quality"]).fill_nan(None),
            "exception_type": _lookup(EXCEPTION_TYPES, data["exc"]),
        }
    )


def _first_of(frame: pl.DataFrame, event_type: str, fraction: float) -> int:
    rows = np.flatnonzero((frame["event_type"] == event_type).to_numpy())
    if len(rows) == 0:
        raise ValueError(f"no {event_type} event to plant a bad row on: raise `requests`")
    return int(rows[int(len(rows) * fraction)])


def _write_workflow(
    path: Path, seed: int, requests: int, config: _Config, people: _People, cal: _Calendar
) -> Path:
    rng = np.random.default_rng([seed, 20])
    launched = [uc for uc in config.use_cases if uc.production is not None]
    total = int(np.clip(requests * 0.03, 3_000, 300_000))
    days = np.arange(cal.n_days)
    base = np.where(days % 7 < 5, 1.0, 0.05) * np.where(cal.holiday, 0.35, 1.0)
    base = base * (1 + 0.2 * days / cal.n_days)
    weights = np.array([PROFILES.get(uc.use_case_id, _Profile()).runs for uc in launched])
    intensity = weights[:, None] * base[None, :]
    counts = rng.multinomial(total, intensity.ravel() / intensity.sum()).reshape(intensity.shape)
    unit_ids = [unit for unit, _ in config.business_units]
    frames = [
        _workflow_frame(rng, uc, np.repeat(days, counts[i]), people, unit_ids, cal)
        for i, uc in enumerate(launched)
    ]
    frame = pl.concat(frames).sort("occurred_at", "event_id")
    # Planted rows, each breaking one rule.
    frame = _replace_at(frame, _first_of(frame, "review_completed", 0.3), "review_outcome", None)
    frame = _replace_at(frame, _first_of(frame, "run_started", 0.5), "ai_assisted", None)
    frame = _replace_at(frame, _first_of(frame, "ai_output", 0.6), "quality_score", 1.7)
    frame = _replace_at(frame, _first_of(frame, "exception", 0.4), "event_type", "run_paused")
    frame = _replace_at(frame, _first_of(frame, "run_completed", 0.7), "event_id", None)
    frame = frame.with_columns(_iso(frame["occurred_at"]).alias("occurred_at"))
    frame.write_ndjson(path)
    return path


# --------------------------------------------------------------------------- KPI observations


def _periods(grain: str, cal: _Calendar) -> list[tuple[date, date]]:
    """(start, end) of each complete period of `grain` inside the generated history."""
    periods = []
    if grain == "week":
        for offset in range(0, cal.n_days - 6, 7):
            first = cal.start + timedelta(days=offset)
            periods.append((first, first + timedelta(days=6)))
        return periods
    cursor = date(cal.start.year, cal.start.month, 1)
    while True:
        last = date(cursor.year, cursor.month, calendar.monthrange(cursor.year, cursor.month)[1])
        if last > cal.end:
            return periods
        periods.append((cursor, last))
        cursor = last + timedelta(days=1)


def _write_kpis(path: Path, seed: int, config: _Config, cal: _Calendar) -> Path:
    rng = np.random.default_rng([seed, 30])
    use_cases = {uc.use_case_id: uc for uc in config.use_cases}
    rows: dict[str, list[object]] = {c: [] for c in COLUMNS["kpi_observations"]}
    for kpi in config.kpis:
        profile = KPI_PROFILES.get(kpi.kpi_id, _KpiProfile())
        use_case = use_cases.get(kpi.use_case_id)
        fallback = kpi.target * 1.5 if kpi.direction == "decrease" else kpi.target / 1.3
        baseline = kpi.baseline if kpi.baseline is not None else profile.hidden_baseline or fallback
        live = use_case.production if use_case else None
        retire = cal.start + timedelta(days=_retire_day(use_case, cal)) if use_case else cal.end
        units = profile.business_units or ((use_case.business_unit_id if use_case else None),)
        for first, last in _periods(profile.grain, cal):
            if first >= retire:
                break
            middle = first + (last - first) / 2
            progress = 0.0
            if live is not None and middle > live and kpi.target_date > live:
                fraction = min(1.0, (middle - live) / (kpi.target_date - live))
                progress = 1 - (1 - fraction) ** 1.5
            expected = baseline + profile.realisation * progress * (kpi.target - baseline)
            season = 1 + 0.005 * np.sin(2 * np.pi * (middle - cal.start).days / 365)
            for i, unit in enumerate(units):
                spread = 1 + 0.03 * (i - (len(units) - 1) / 2)
                noise = rng.normal(0, profile.noise * abs(baseline))
                value = expected * season * spread + noise
                if kpi.kpi_id.endswith(("_rate", "_resolution", "_completeness")):
                    value = min(value, 100.0)
                rows["kpi_id"].append(kpi.kpi_id)
                rows["period_start"].append(first.isoformat())
                rows["grain"].append(profile.grain)
                rows["business_unit_id"].append(unit)
                rows["value"].append(f"{max(value, 0.0):.{profile.decimals}f}")
                rows["source"].append(profile.source)
    frame = pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS["kpi_observations"], pl.String))
    frame = _replace_at(frame, len(frame) // 3, "value", "n/a")
    frame = _replace_at(frame, 2 * len(frame) // 3, "grain", "fortnight")
    frame.write_csv(path)
    return path


# --------------------------------------------------------------------------- surveys and enablement


def _weekday(days: np.ndarray) -> np.ndarray:
    """Move weekend days to the following Monday (the period starts on a Monday)."""
    weekday = days % 7
    return days + np.where(weekday >= 5, 7 - weekday, 0)


def _write_surveys(path: Path, seed: int, config: _Config, people: _People, cal: _Calendar) -> Path:
    rng = np.random.default_rng([seed, 40])
    unit_ids = [unit for unit, _ in config.business_units]
    frames = []
    for pulse in range(28, cal.n_days - 14, 91):
        adopted = people.adopt_day <= pulse
        respond = rng.random(len(people.user_ids)) < np.where(adopted, 0.3, 0.06)
        person = np.flatnonzero(respond)
        n = len(person)
        day = np.minimum(_weekday(pulse + rng.integers(0, 10, n)), cal.n_days - 1)
        unit = people.unit_on(person, day)
        live = [
            [
                config.use_cases.index(uc)
                for uc in config.use_cases
                if uc.business_unit_id == unit_id
                and uc.production is not None
                and cal.day_of(uc.production) <= pulse < _retire_day(uc, cal)
            ]
            for unit_id in unit_ids
        ]
        use_case = np.full(n, -1)
        for u, options in enumerate(live):
            mask = (unit == u) & adopted[person] & (rng.random(n) < 0.6)
            if options and mask.any():
                use_case[mask] = np.array(options)[rng.integers(0, len(options), int(mask.sum()))]
        contract = np.array(
            [uc.use_case_id == "uc_contract_review" for uc in config.use_cases] + [False]
        )
        doubtful = contract[use_case]
        progress = pulse / cal.n_days
        satisfaction = np.clip(
            np.round(rng.normal(3.3 + 0.6 * progress - 0.3 * doubtful, 0.9, n)), 1, 5
        )
        trust = np.clip(np.round(rng.normal(3.0 + 0.7 * progress - 0.6 * doubtful, 0.95, n)), 1, 5)
        minutes = np.round(rng.lognormal(np.log(40 * (1 + progress)), 0.8, n) / 5) * 5
        minutes = np.where(adopted[person], minutes, 0.0)
        ms = cal.start_ms + day * DAY_MS + _seconds_of_day(rng, n)
        label = (cal.start + timedelta(days=pulse)).strftime("%Y%m%d")
        frames.append(
            pl.DataFrame(
                {
                    "response_id": f"svy-{label}-"
                    + pl.Series(np.arange(n)).cast(pl.String).str.zfill(5),
                    "submitted_at": _timestamps(ms),
                    "user_id": _lookup(people.user_ids, person),
                    "use_case_id": _lookup([uc.use_case_id for uc in config.use_cases], use_case),
                    "business_unit_id": _lookup(unit_ids, unit),
                    "satisfaction": pl.Series(satisfaction.astype(np.int64)),
                    "trust": _with_nulls(trust, rng.random(n) < 0.03, pl.Int64),
                    "minutes_saved_per_week": pl.Series(minutes.astype(np.int64)),
                }
            )
        )
    frame = pl.concat(frames).sort("submitted_at", "response_id")
    # Numbers as JSON strings, as several survey tools export them.
    frame = frame.with_columns(
        _iso(frame["submitted_at"], "+00:00").alias("submitted_at"),
        pl.col("satisfaction", "trust", "minutes_saved_per_week").cast(pl.String),
    )
    frame = _replace_at(frame, len(frame) // 4, "satisfaction", "9")
    frame = _replace_at(frame, len(frame) // 2, "trust", "0")
    frame = _replace_at(frame, 3 * len(frame) // 4, "minutes_saved_per_week", "-30")
    frame.write_ndjson(path)
    return path


ENABLEMENT_ACTIVITIES = ("training_completed", "office_hours", "champion_joined")
LEVELS = ("beginner", "intermediate", "advanced")


def _write_enablement(
    path: Path, seed: int, config: _Config, people: _People, cal: _Calendar
) -> Path:
    rng = np.random.default_rng([seed, 50])
    unit_ids = [unit for unit, _ in config.business_units]
    n = len(people.user_ids)
    adopt = people.adopt_day
    adopter = adopt < 10**5
    everyone = np.arange(n)
    intermediate = adopter & (rng.random(n) < 0.35)
    champion_p = 0.035 * np.minimum(people.propensity, 3)
    visits = np.where(adopter, rng.poisson(0.6, n), 0)
    visitor = np.repeat(everyone, visits)
    low = np.clip(adopt[visitor], 0, cal.n_days - 1)
    visit_day = low + (rng.random(len(visitor)) * (cal.n_days - low)).astype(np.int64)
    groups = [
        # person, day, activity, level (-1 none), fixed ms of day (-1 random)
        (adopter & (rng.random(n) < 0.7), adopt - rng.integers(0, 21, n), 0, 0, -1),
        (intermediate, adopt + rng.integers(30, 120, n), 0, 1, -1),
        (intermediate & (rng.random(n) < 0.3), adopt + rng.integers(90, 240, n), 0, 2, -1),
        (
            adopter & (rng.random(n) < champion_p),
            adopt + rng.integers(30, 90, n),
            2,
            -1,
            9 * 3_600_000,
        ),
    ]
    person_parts, day_parts, activity_parts, level_parts, fixed_parts = [], [], [], [], []
    for mask, day, activity, level, fixed in groups:
        person_parts.append(everyone[mask])
        day_parts.append(_weekday(day[mask]))
        activity_parts.append(np.full(int(mask.sum()), activity))
        level_parts.append(np.full(int(mask.sum()), level))
        fixed_parts.append(np.full(int(mask.sum()), fixed))
    person_parts.append(visitor)
    day_parts.append(visit_day - visit_day % 7 + 3)  # office hours: Thursdays at 15:00 UTC
    activity_parts.append(np.full(len(visitor), 1))
    level_parts.append(np.full(len(visitor), -1))
    fixed_parts.append(np.full(len(visitor), 15 * 3_600_000))
    person = np.concatenate(person_parts)
    day = np.concatenate(day_parts)
    activity = np.concatenate(activity_parts)
    level = np.concatenate(level_parts)
    fixed = np.concatenate(fixed_parts)
    keep = (day >= 0) & (day < cal.n_days)
    person, day, activity, level, fixed = (
        person[keep],
        day[keep],
        activity[keep],
        level[keep],
        fixed[keep],
    )
    ms = cal.start_ms + day * DAY_MS + np.where(fixed >= 0, fixed, _seconds_of_day(rng, len(day)))
    ms = ms // 1000 * 1000
    frame = pl.DataFrame(
        {
            "user_id": _lookup(people.user_ids, person),
            "occurred_at": _timestamps(ms),
            "activity": _lookup(ENABLEMENT_ACTIVITIES, activity),
            "level": _lookup(LEVELS, level),
            "business_unit_id": _lookup(unit_ids, people.unit_on(person, day)),
        }
    ).sort("occurred_at", "user_id", "activity")
    frame = frame.with_columns(
        event_id="enb-" + pl.Series(np.arange(len(frame))).cast(pl.String).str.zfill(7),
        occurred_at=frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
    ).select(COLUMNS["enablement_events"])
    office = np.flatnonzero((frame["activity"] == "office_hours").to_numpy())
    training = np.flatnonzero((frame["activity"] == "training_completed").to_numpy())
    frame = _replace_at(frame, int(office[len(office) // 2]), "activity", "webinar")
    frame = _replace_at(frame, int(training[len(training) // 3]), "level", "expert")
    frame.write_csv(path)
    return path


# --------------------------------------------------------------------------- entry point


def generate(
    out_dir: Path,
    *,
    requests: int = 1_000_000,
    seed: int = 7,
    end_date: date = DEFAULT_END_DATE,
    seeds_dir: Path | None = None,
    people: int | None = None,
) -> dict[str, list[Path]]:
    """Write the demo organisation's canonical files under out_dir; return {entity: [files]}.

    `requests` scales the gateway requests (and, capped, the workflow runs); `people` is the
    size of the people directory (default: 75% of the eligible headcount in
    `business_units.csv`). Activity, licences, surveys and enablement follow the people.
    Keep `end_date` in the past: the ingest quarantines rows dated in the future.
    """
    if requests < MIN_REQUESTS:
        raise ValueError(f"requests must be at least {MIN_REQUESTS}")
    config = _load_config(Path(seeds_dir) if seeds_dir is not None else DEFAULT_SEEDS_DIR)
    cal = _calendar(end_date)
    headcount = sum(count for _, count in config.business_units)
    n_people = people if people is not None else round(0.75 * headcount)
    if n_people < 100:
        raise ValueError("people must be at least 100")
    out_dir = Path(out_dir)

    directory = {entity: out_dir / entity for entity in COLUMNS}
    patterns = {
        "requests": "requests_*.parquet",
        "activity": "*_usage.csv",
        "workflow_events": "workflow_events.jsonl",
        "kpi_observations": "kpi_observations.csv",
        "survey_responses": "survey_responses.jsonl",
        "enablement_events": "enablement_events.csv",
        "people": "people.csv",
        "licenses": "licenses.parquet",
    }
    for entity, pattern in patterns.items():
        _reset_dir(directory[entity], pattern)

    staff = _make_people(np.random.default_rng([seed, 1]), config, n_people, cal)
    licences = _make_licences(np.random.default_rng([seed, 2]), staff, config, cal)
    streams = _make_streams(config, staff, cal)
    files = {
        "requests": _write_requests(
            directory["requests"], seed, requests, streams, staff, config, cal
        ),
        "activity": _write_activity(
            directory["activity"], np.random.default_rng([seed, 3]), licences, staff, cal
        ),
        "workflow_events": [
            _write_workflow(
                directory["workflow_events"] / "workflow_events.jsonl",
                seed,
                requests,
                config,
                staff,
                cal,
            )
        ],
        "kpi_observations": [
            _write_kpis(directory["kpi_observations"] / "kpi_observations.csv", seed, config, cal)
        ],
        "survey_responses": [
            _write_surveys(
                directory["survey_responses"] / "survey_responses.jsonl", seed, config, staff, cal
            )
        ],
        "enablement_events": [
            _write_enablement(
                directory["enablement_events"] / "enablement_events.csv", seed, config, staff, cal
            )
        ],
        "people": [
            _write_people(
                directory["people"] / "people.csv",
                np.random.default_rng([seed, 4]),
                staff,
                config,
                cal,
            )
        ],
        "licenses": [
            _write_licences(
                directory["licenses"] / "licenses.parquet",
                np.random.default_rng([seed, 5]),
                licences,
                staff,
                cal,
            )
        ],
    }
    return files
