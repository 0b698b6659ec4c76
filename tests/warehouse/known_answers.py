"""A tiny, hand-computable organisation for the warehouse tests.

`write_landing_zone(home)` writes Parquet files in exactly the layout of
`ingestion/README.md` (hive-partitioned batches, `0-schema` zero-row batches,
the ledger and quarantine); `write_seeds(config_dir)` writes the operating-model
CSVs of CONTRACTS.md §2. The expected answers are worked out in
`test_dbt_build.py` next to each assertion.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

LINEAGE = [
    ("_batch_id", "VARCHAR"),
    ("_source_file", "VARCHAR"),
    ("_source_row", "BIGINT"),
    ("_ingested_at", "TIMESTAMP"),
]

# entity -> (canonical columns with DuckDB types, the entity's event time column)
ENTITIES: dict[str, tuple[list[tuple[str, str]], str | None]] = {
    "requests": (
        [
            ("request_id", "VARCHAR"),
            ("occurred_at", "TIMESTAMP"),
            ("user_id", "VARCHAR"),
            ("business_unit_id", "VARCHAR"),
            ("use_case_id", "VARCHAR"),
            ("tool", "VARCHAR"),
            ("provider", "VARCHAR"),
            ("model", "VARCHAR"),
            ("operation", "VARCHAR"),
            ("input_tokens", "BIGINT"),
            ("output_tokens", "BIGINT"),
            ("latency_ms", "DOUBLE"),
            ("status", "VARCHAR"),
            ("cost_usd", "DOUBLE"),
            ("data_classification", "VARCHAR"),
            ("policy_action", "VARCHAR"),
            ("feedback_score", "INTEGER"),
            # traces (CONTRACTS.md §5.1): null in these rows, as in any canonical file without them
            ("trace_id", "VARCHAR"),
            ("span_id", "VARCHAR"),
            ("parent_span_id", "VARCHAR"),
            ("agent_id", "VARCHAR"),
            ("agent_name", "VARCHAR"),
            ("tool_name", "VARCHAR"),
        ],
        "occurred_at",
    ),
    "activity": (
        [
            ("user_id", "VARCHAR"),
            ("activity_date", "DATE"),
            ("tool", "VARCHAR"),
            ("interactions", "BIGINT"),
            ("generations", "BIGINT"),
            ("acceptances", "BIGINT"),
            ("lines_suggested", "BIGINT"),
            ("lines_accepted", "BIGINT"),
            ("input_tokens", "BIGINT"),
            ("output_tokens", "BIGINT"),
            ("is_active", "BOOLEAN"),
        ],
        "activity_date",
    ),
    "workflow_events": (
        [
            ("event_id", "VARCHAR"),
            ("run_id", "VARCHAR"),
            ("use_case_id", "VARCHAR"),
            ("occurred_at", "TIMESTAMP"),
            ("event_type", "VARCHAR"),
            ("actor_id", "VARCHAR"),
            ("ai_assisted", "BOOLEAN"),
            ("review_outcome", "VARCHAR"),
            ("quality_score", "DOUBLE"),
            ("exception_type", "VARCHAR"),
        ],
        "occurred_at",
    ),
    "kpi_observations": (
        [
            ("kpi_id", "VARCHAR"),
            ("period_start", "DATE"),
            ("grain", "VARCHAR"),
            ("business_unit_id", "VARCHAR"),
            ("value", "DOUBLE"),
            ("source", "VARCHAR"),
        ],
        "period_start",
    ),
    "survey_responses": (
        [
            ("response_id", "VARCHAR"),
            ("submitted_at", "TIMESTAMP"),
            ("user_id", "VARCHAR"),
            ("use_case_id", "VARCHAR"),
            ("business_unit_id", "VARCHAR"),
            ("satisfaction", "INTEGER"),
            ("trust", "INTEGER"),
            ("minutes_saved_per_week", "DOUBLE"),
        ],
        "submitted_at",
    ),
    "enablement_events": (
        [
            ("event_id", "VARCHAR"),
            ("user_id", "VARCHAR"),
            ("occurred_at", "TIMESTAMP"),
            ("activity", "VARCHAR"),
            ("level", "VARCHAR"),
            ("business_unit_id", "VARCHAR"),
        ],
        "occurred_at",
    ),
    "people": (
        [
            ("user_id", "VARCHAR"),
            ("business_unit_id", "VARCHAR"),
            ("job_function", "VARCHAR"),
            ("is_manager", "BOOLEAN"),
            ("valid_from", "DATE"),
            ("valid_to", "DATE"),
        ],
        None,
    ),
    "licenses": (
        [
            ("user_id", "VARCHAR"),
            ("tool", "VARCHAR"),
            ("assigned_on", "DATE"),
            ("removed_on", "DATE"),
        ],
        "assigned_on",
    ),
    # CONTRACTS.md §5.1: a provider's aggregated usage (none in the known answers: its
    # schema batch only, as a home holds for every entity)
    "usage_daily": (
        [
            ("usage_date", "DATE"),
            ("provider", "VARCHAR"),
            ("model", "VARCHAR"),
            ("source", "VARCHAR"),
            ("business_unit_id", "VARCHAR"),
            ("input_tokens", "BIGINT"),
            ("output_tokens", "BIGINT"),
            ("requests", "BIGINT"),
            ("cost", "DOUBLE"),
            ("currency", "VARCHAR"),
        ],
        "usage_date",
    ),
}

LEDGER_BATCHES = [
    ("batch_id", "VARCHAR"),
    ("entity", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("source_format", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("file_bytes", "BIGINT"),
    ("rows_read", "BIGINT"),
    ("rows_landed", "BIGINT"),
    ("rows_quarantined", "BIGINT"),
    ("started_at", "TIMESTAMP"),
    ("committed_at", "TIMESTAMP"),
]
LEDGER_REJECTED = [
    ("rejection_id", "VARCHAR"),
    ("entity", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("line", "BIGINT"),
    ("reason", "VARCHAR"),
    ("rejected_at", "TIMESTAMP"),
]

T = datetime.fromisoformat
D = date.fromisoformat
INGESTED_1 = T("2025-03-12 08:00:00")
INGESTED_2 = T("2025-03-13 08:00:00")

# --- requests (week 1 = Mon 2025-03-03, week 2 = Mon 2025-03-10) -------------
# request_id, occurred_at, user, bu, use case, tool, provider, model, operation,
# in, out, latency, status, cost, classification, policy_action, feedback
REQUESTS_BATCH_1 = [
    # r1 first version: corrected by batch 2 (latency 999 -> 100)
    (
        "r1",
        T("2025-03-03 09:00"),
        "u1",
        "bu_a",
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        100,
        50,
        999.0,
        "success",
        0.01,
        "internal",
        "allowed",
        1,
    ),
    (
        "r2",
        T("2025-03-03 10:00"),
        "u1",
        "bu_a",
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        1000,
        1000,
        200.0,
        "success",
        None,
        "internal",
        "allowed",
        None,
    ),
    (
        "r3",
        T("2025-03-04 10:00"),
        "u2",
        None,
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        10,
        10,
        300.0,
        "success",
        0.02,
        "restricted",
        "allowed",
        None,
    ),
    (
        "r4",
        T("2025-03-05 10:00"),
        "u2",
        None,
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        10,
        10,
        400.0,
        "success",
        0.02,
        "public",
        "allowed",
        None,
    ),
    (
        "r5",
        T("2025-03-06 10:00"),
        "u3",
        "bu_b",
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        10,
        0,
        5000.0,
        "error",
        0.0,
        "internal",
        "allowed",
        None,
    ),
    (
        "r6",
        T("2025-03-09 23:59"),
        "u3",
        "bu_b",
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        10,
        0,
        9000.0,
        "timeout",
        0.0,
        "internal",
        "allowed",
        None,
    ),
]
REQUESTS_BATCH_2 = [
    (
        "r1",
        T("2025-03-03 09:00"),
        "u1",
        "bu_a",
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        100,
        50,
        100.0,
        "success",
        0.01,
        "internal",
        "allowed",
        1,
    ),
    (
        "r7",
        T("2025-03-07 10:00"),
        "u4",
        "bu_b",
        None,
        "gateway",
        "acme",
        "shadow-1",
        "chat",
        10,
        10,
        50.0,
        "success",
        0.05,
        "public",
        "allowed",
        None,
    ),
    (
        "r8",
        T("2025-03-07 11:00"),
        None,
        None,
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o-mini",
        "chat",
        10,
        0,
        5.0,
        "blocked",
        0.0,
        "confidential",
        "blocked",
        None,
    ),
    (
        "r11",
        T("2025-03-10 00:00"),
        "u1",
        "bu_a",
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        10,
        10,
        100.0,
        "success",
        0.01,
        "internal",
        "allowed",
        None,
    ),
]
# landed but never committed (no ledger file): must stay invisible
REQUESTS_UNCOMMITTED = [
    (
        "r99",
        T("2025-03-05 10:00"),
        "u1",
        "bu_a",
        "uc_draft",
        "gateway",
        "openai",
        "gpt-4o",
        "chat",
        10,
        10,
        100.0,
        "success",
        0.01,
        "internal",
        "allowed",
        None,
    ),
]

ACTIVITY = [
    ("u5", D("2025-03-04"), "github_copilot", 5, 3, 2, 40, 10, None, None, True),
    ("u6", D("2025-03-04"), "github_copilot", 0, 0, 0, 0, 0, None, None, False),
]

WORKFLOW_EVENTS = [
    # run1: assisted, accepted, completed in 30 minutes
    ("e1", "run1", "uc_draft", T("2025-03-03 09:00"), "run_started", "u1", True, None, None, None),
    ("e2", "run1", "uc_draft", T("2025-03-03 09:05"), "ai_output", "u1", None, None, 0.9, None),
    (
        "e3",
        "run1",
        "uc_draft",
        T("2025-03-03 09:20"),
        "review_completed",
        "u1",
        None,
        "accepted",
        0.9,
        None,
    ),
    (
        "e4",
        "run1",
        "uc_draft",
        T("2025-03-03 09:30"),
        "run_completed",
        "u1",
        None,
        None,
        None,
        None,
    ),
    # run2: assisted, overridden, an exception, completed in 90 minutes
    ("e5", "run2", "uc_draft", T("2025-03-04 10:00"), "run_started", "u2", True, None, None, None),
    (
        "e6",
        "run2",
        "uc_draft",
        T("2025-03-04 10:30"),
        "review_completed",
        "u2",
        None,
        "overridden",
        0.2,
        None,
    ),
    (
        "e7",
        "run2",
        "uc_draft",
        T("2025-03-04 10:45"),
        "exception",
        "u2",
        None,
        None,
        None,
        "bad_input",
    ),
    (
        "e8",
        "run2",
        "uc_draft",
        T("2025-03-04 11:30"),
        "run_completed",
        "u2",
        None,
        None,
        None,
        None,
    ),
    # run3: not assisted, abandoned
    ("e9", "run3", "uc_draft", T("2025-03-05 10:00"), "run_started", "u3", False, None, None, None),
    (
        "e10",
        "run3",
        "uc_draft",
        T("2025-03-05 12:00"),
        "run_abandoned",
        "u3",
        None,
        None,
        None,
        None,
    ),
    # run4: assisted, edited, still open
    ("e11", "run4", "uc_draft", T("2025-03-06 10:00"), "run_started", "u1", True, None, None, None),
    (
        "e12",
        "run4",
        "uc_draft",
        T("2025-03-06 10:10"),
        "review_completed",
        "u1",
        None,
        "edited",
        0.6,
        None,
    ),
]

KPI_OBSERVATIONS = [
    # kpi_turnaround (decrease, b = 10, t = 5)
    ("kpi_turnaround", D("2025-02-01"), "month", "bu_a", 9.0, "erp"),
    ("kpi_turnaround", D("2025-03-01"), "month", "bu_a", 8.0, "erp"),
    ("kpi_turnaround", D("2025-03-01"), "month", "bu_b", 9.0, "erp"),
    # kpi_csat (increase, baseline from the January observations = 75, t = 90)
    ("kpi_csat", D("2025-01-06"), "week", None, 70.0, "survey"),
    ("kpi_csat", D("2025-01-13"), "week", None, 80.0, "survey"),
    ("kpi_csat", D("2025-03-03"), "week", None, 78.0, "survey"),
    # kpi_backlog (no target)
    ("kpi_backlog", D("2025-03-01"), "month", None, 90.0, "jira"),
]

SURVEY_RESPONSES = [
    ("s1", T("2025-03-04 12:00"), "u1", "uc_draft", "bu_a", 4, 5, 30.0),
    ("s2", T("2025-03-05 12:00"), "u2", "uc_draft", None, 2, 3, None),
]

ENABLEMENT_EVENTS = [
    ("en1", "u1", T("2025-02-10 12:00"), "training_completed", "beginner", "bu_a"),
    ("en2", "u3", T("2025-03-05 12:00"), "training_completed", "advanced", "bu_b"),
    ("en3", "u3", T("2025-03-06 12:00"), "office_hours", None, "bu_b"),
]

PEOPLE = [
    ("u1", "bu_a", "sales", False, D("2024-01-01"), None),
    ("u2", "bu_b", "ops", False, D("2023-01-01"), D("2023-12-31")),
    ("u2", "bu_a", "sales", True, D("2024-01-01"), D("2025-12-31")),
    ("u3", "bu_b", "ops", False, D("2024-01-01"), None),
    ("u4", "bu_b", "ops", False, D("2024-01-01"), None),
    ("u5", "bu_b", "engineering", False, D("2024-01-01"), None),
    ("u6", "bu_a", "engineering", False, D("2024-01-01"), None),
]

LICENSES = [
    ("u1", "github_copilot", D("2025-01-01"), None),
    ("u5", "github_copilot", D("2025-01-01"), None),
    ("u6", "github_copilot", D("2025-01-01"), D("2025-03-31")),
]

QUARANTINED_REQUESTS = [
    {"request_id": "q1", "latency_ms": "-5", "_reason": "latency_ms: must be >= 0"},
    {"request_id": "q2", "latency_ms": "-1", "_reason": "latency_ms: must be >= 0"},
    {"request_id": "q3", "status": "weird", "_reason": "status: not an accepted value"},
]

SEEDS: dict[str, list[dict[str, Any]]] = {
    "business_units": [
        {"business_unit_id": "bu_a", "name": "Sales", "eligible_headcount": 10},
        {"business_unit_id": "bu_b", "name": "Operations", "eligible_headcount": 4},
    ],
    "portfolios": [
        {
            "portfolio_id": "pf_1",
            "name": "Customer",
            "strategic_theme": "growth",
            "executive_sponsor": "Ada",
            "platform_owner": "Grace",
        },
    ],
    "use_cases": [
        {
            "use_case_id": "uc_draft",
            "name": "Proposal drafting",
            "portfolio_id": "pf_1",
            "business_unit_id": "bu_a",
            "stage": "production",
            "outcome_owner": "Ada",
            "platform_owner": "Grace",
            "risk_owner": "Joan",
            "measurement_owner": "Kat",
            "risk_tier": "low",
            "value_score": 5,
            "feasibility_score": 4,
            "risk_score": 2,
            "scale_score": 4,
            "pilot_start_date": "2025-01-06",
            "production_date": "2025-02-03",
            "exit_criterion": "turnaround below 6 days",
        },
        {
            "use_case_id": "uc_triage",
            "name": "Ticket triage",
            "portfolio_id": "pf_1",
            "business_unit_id": "bu_b",
            "stage": "pilot",
            "outcome_owner": "Lin",
            "platform_owner": "Grace",
            "risk_owner": "",
            "measurement_owner": "Kat",
            "risk_tier": "medium",
            "value_score": 3,
            "feasibility_score": 3,
            "risk_score": 4,
            "scale_score": 2,
            "pilot_start_date": "2025-02-01",
            "production_date": "2025-04-01",
            "exit_criterion": "",
        },
    ],
    "kpis": [
        {
            "kpi_id": "kpi_turnaround",
            "use_case_id": "uc_draft",
            "name": "Proposal turnaround",
            "unit": "days",
            "direction": "decrease",
            "baseline_value": 10,
            "baseline_start": "",
            "baseline_end": "",
            "target_value": 5,
            "target_date": "2025-06-02",
            "defined_on": "2025-01-15",
        },
        {
            "kpi_id": "kpi_csat",
            "use_case_id": "uc_draft",
            "name": "Client satisfaction",
            "unit": "score",
            "direction": "increase",
            "baseline_value": "",
            "baseline_start": "2025-01-01",
            "baseline_end": "2025-01-31",
            "target_value": 90,
            "target_date": "2025-12-31",
            "defined_on": "2025-03-01",
        },
        {
            "kpi_id": "kpi_backlog",
            "use_case_id": "uc_triage",
            "name": "Ticket backlog",
            "unit": "tickets",
            "direction": "decrease",
            "baseline_value": 100,
            "baseline_start": "",
            "baseline_end": "",
            "target_value": "",
            "target_date": "",
            "defined_on": "",
        },
    ],
    "models": [
        {
            "provider": "openai",
            "model": "gpt-4o",
            "is_approved": "true",
            "max_data_classification": "confidential",
            "input_usd_per_1k_tokens": 0.005,
            "output_usd_per_1k_tokens": 0.015,
        },
        {
            "provider": "openai",
            "model": "gpt-4o-mini",
            "is_approved": "true",
            "max_data_classification": "internal",
            "input_usd_per_1k_tokens": 0.001,
            "output_usd_per_1k_tokens": 0.002,
        },
        {
            "provider": "acme",
            "model": "shadow-1",
            "is_approved": "false",
            "max_data_classification": "restricted",
            "input_usd_per_1k_tokens": 0.01,
            "output_usd_per_1k_tokens": 0.01,
        },
    ],
    "launch_checklist": [
        *[
            {"use_case_id": "uc_draft", "item": item, "completed_on": "2025-01-20"}
            for item in (
                "sponsor_signoff",
                "data_review",
                "security_review",
                "change_plan",
                "training_artifacts",
                "qa_metrics",
                "exit_criterion",
            )
        ],
        {"use_case_id": "uc_triage", "item": "sponsor_signoff", "completed_on": "2025-02-01"},
        {"use_case_id": "uc_triage", "item": "data_review", "completed_on": ""},
    ],
    "thresholds": [
        {
            "metric": "kpi_progress_shortfall_pct",
            "direction": "lower_is_better",
            "green": 10,
            "amber": 25,
        },
        {"metric": "error_rate_pct", "direction": "lower_is_better", "green": 2, "amber": 5},
    ],
}


def _table(con: duckdb.DuckDBPyConnection, name: str, columns: list[tuple[str, str]]) -> None:
    ddl = ", ".join(f"{column} {dtype}" for column, dtype in columns)
    con.execute(f"create or replace table {name} ({ddl})")


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({query}) to '{path}' (format parquet)")


def _write_batch(
    con: duckdb.DuckDBPyConnection,
    home: Path,
    entity: str,
    batch_id: str,
    rows: list[tuple[Any, ...]],
    ingested_at: datetime,
) -> None:
    """Land one batch as one Parquet file (lineage columns added), as ingestion does."""
    columns, _ = ENTITIES[entity]
    _table(con, "batch", columns + LINEAGE)
    for row_number, row in enumerate(rows, start=1):
        missing = (None,) * (len(columns) - len(row))  # optional columns the rows leave out
        values = (*row, *missing, batch_id, f"{entity}.csv", row_number, ingested_at)
        con.execute(f"insert into batch values ({', '.join('?' * len(values))})", values)
    _copy(
        con,
        "select * from batch",
        home / "landing" / entity / f"batch_id={batch_id}" / "data_0.parquet",
    )


def _write_ledger(
    con: duckdb.DuckDBPyConnection,
    home: Path,
    batch_id: str,
    entity: str,
    rows_landed: int,
    rows_quarantined: int,
    committed_at: datetime,
) -> None:
    _table(con, "ledger", LEDGER_BATCHES)
    con.execute(
        "insert into ledger values (?, ?, ?, 'csv', 'abc', 100, ?, ?, ?, ?, ?)",
        (
            batch_id,
            entity,
            f"{entity}.csv",
            rows_landed + rows_quarantined,
            rows_landed,
            rows_quarantined,
            committed_at,
            committed_at,
        ),
    )
    _copy(con, "select * from ledger", home / "ledger" / "batches" / f"{batch_id}.parquet")


def write_landing_zone(home: Path) -> None:
    """Write the known-answer landing zone under `home` (a cadence home)."""
    con = duckdb.connect()
    for entity, (columns, _) in ENTITIES.items():
        _write_batch(con, home, entity, "0-schema", [], INGESTED_1)
        quarantine_columns = [(column, "VARCHAR") for column, _ in columns]
        _table(con, "quarantine", [*quarantine_columns, ("_reason", "VARCHAR"), *LINEAGE])
        _copy(
            con,
            "select * from quarantine",
            home / "quarantine" / entity / "batch_id=0-schema" / "data_0.parquet",
        )
    _table(con, "ledger", LEDGER_BATCHES)
    _copy(con, "select * from ledger", home / "ledger" / "batches" / "0-schema.parquet")
    _table(con, "rejected", LEDGER_REJECTED)
    _copy(con, "select * from rejected", home / "ledger" / "rejected" / "0-schema.parquet")
    con.execute(
        "insert into rejected values ('rj1', 'requests', 'broken.csv', 'def', 3,"
        " 'missing required column: tool', timestamp '2025-03-12 09:00')"
    )
    _copy(con, "select * from rejected", home / "ledger" / "rejected" / "rj1.parquet")

    batches: list[tuple[str, str, list[tuple[Any, ...]], datetime]] = [
        ("b_req_1", "requests", REQUESTS_BATCH_1, INGESTED_1),
        ("b_req_2", "requests", REQUESTS_BATCH_2, INGESTED_2),
        ("b_act_1", "activity", ACTIVITY, INGESTED_1),
        ("b_wf_1", "workflow_events", WORKFLOW_EVENTS, INGESTED_1),
        ("b_kpi_1", "kpi_observations", KPI_OBSERVATIONS, INGESTED_1),
        ("b_srv_1", "survey_responses", SURVEY_RESPONSES, INGESTED_1),
        ("b_en_1", "enablement_events", ENABLEMENT_EVENTS, INGESTED_1),
        ("b_ppl_1", "people", PEOPLE, INGESTED_1),
        ("b_lic_1", "licenses", LICENSES, INGESTED_1),
    ]
    for batch_id, entity, rows, ingested_at in batches:
        _write_batch(con, home, entity, batch_id, rows, ingested_at)
        quarantined = len(QUARANTINED_REQUESTS) if batch_id == "b_req_2" else 0
        _write_ledger(con, home, batch_id, entity, len(rows), quarantined, ingested_at)
    _write_batch(con, home, "requests", "b_req_uncommitted", REQUESTS_UNCOMMITTED, INGESTED_2)

    columns, _ = ENTITIES["requests"]
    quarantine_columns = [(column, "VARCHAR") for column, _ in columns]
    _table(con, "quarantine", [*quarantine_columns, ("_reason", "VARCHAR"), *LINEAGE])
    for row_number, row in enumerate(QUARANTINED_REQUESTS, start=1):
        values = {
            **row,
            "_batch_id": "b_req_2",
            "_source_file": "requests.csv",
            "_source_row": row_number,
            "_ingested_at": INGESTED_2,
        }
        names = ", ".join(values)
        con.execute(
            f"insert into quarantine ({names}) values ({', '.join('?' * len(values))})",
            list(values.values()),
        )
    _copy(
        con,
        "select * from quarantine",
        home / "quarantine" / "requests" / "batch_id=b_req_2" / "data_0.parquet",
    )
    con.close()


def write_seeds(config_dir: Path) -> None:
    """Write the operating-model CSVs (CONTRACTS.md §2) into `config_dir`."""
    config_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in SEEDS.items():
        with (config_dir / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
