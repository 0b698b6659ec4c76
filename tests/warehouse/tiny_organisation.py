"""A tiny organisation for the as-of-period tests (CONTRACTS.md §5.3, §5.4): its configuration
and KPI observations, the facts `test_use_case_periods.py` works its answers out from, and a
function that lands and builds it (imported by module name; tests/ has no packages).

The fiscal year starts in May (calendar.csv), so fiscal 2026 runs from May 2025 to April 2026:
Q1 May to July 2025, Q2 August to October, Q3 November 2025 to January 2026, Q4 February to
April 2026.

uc_life: pilot 2025-05-12, production 2025-08-04, retired 2026-01-19; four owners; every
checklist item dated 2025-04-15 except qa_metrics, dated 2025-07-20. Its one KPI, k_life
(increase, baseline 10, target 20 by 2026-02-01, defined 2025-04-01), is observed monthly
from April to September 2025: 10, 10, 11, 12, 12, 13. Expected progress runs over the 181
days from 2025-08-04 to 2026-02-01.

uc_plan: pilot 2025-06-02, no production date; its KPI k_plan (defined 2025-05-01) is
pre-launch in every period.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from cadence.config import DEFAULT_SEEDS
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

OWNERS = {
    "outcome_owner": "Ada",
    "platform_owner": "Grace",
    "risk_owner": "Joan",
    "measurement_owner": "Kat",
}
CHECKLIST = [
    "sponsor_signoff",
    "data_review",
    "security_review",
    "change_plan",
    "training_artifacts",
    "qa_metrics",
    "exit_criterion",
]
USE_CASE_DEFAULTS = {
    "portfolio_id": "pf_1",
    "business_unit_id": "bu_a",
    "risk_tier": "low",
    "value_score": 3,
    "feasibility_score": 3,
    "risk_score": 3,
    "scale_score": 3,
    "exit_criterion": "done",
}
CONFIG: dict[str, list[dict[str, Any]]] = {
    "calendar": [{"setting": "fiscal_year_start_month", "value": 5}],
    "business_units": [{"business_unit_id": "bu_a", "name": "A", "eligible_headcount": 10}],
    "portfolios": [
        {
            "portfolio_id": "pf_1",
            "name": "One",
            "strategic_theme": "t",
            "executive_sponsor": "s",
            "platform_owner": "p",
        }
    ],
    "use_cases": [
        {
            "use_case_id": "uc_life",
            "name": "Life cycle",
            "stage": "retired",
            **OWNERS,
            **USE_CASE_DEFAULTS,
            "pilot_start_date": "2025-05-12",
            "production_date": "2025-08-04",
            "retired_date": "2026-01-19",
        },
        {
            "use_case_id": "uc_plan",
            "name": "Planning",
            "stage": "pilot",
            **OWNERS,
            **USE_CASE_DEFAULTS,
            "pilot_start_date": "2025-06-02",
            "production_date": "",
            "retired_date": "",
        },
    ],
    "kpis": [
        {
            "kpi_id": "k_life",
            "use_case_id": "uc_life",
            "name": "Life KPI",
            "unit": "n",
            "direction": "increase",
            "baseline_value": 10,
            "baseline_start": "",
            "baseline_end": "",
            "target_value": 20,
            "target_date": "2026-02-01",
            "defined_on": "2025-04-01",
        },
        {
            "kpi_id": "k_plan",
            "use_case_id": "uc_plan",
            "name": "Plan KPI",
            "unit": "n",
            "direction": "increase",
            "baseline_value": 1,
            "baseline_start": "",
            "baseline_end": "",
            "target_value": 2,
            "target_date": "2026-06-01",
            "defined_on": "2025-05-01",
        },
    ],
    "launch_checklist": [
        *[
            {
                "use_case_id": "uc_life",
                "item": item,
                "completed_on": "2025-07-20" if item == "qa_metrics" else "2025-04-15",
            }
            for item in CHECKLIST
        ],
        *[
            {"use_case_id": "uc_plan", "item": item, "completed_on": "2025-04-15"}
            for item in CHECKLIST
        ],
    ],
}
OBSERVATIONS = [
    ("k_life", month, value)
    for month, value in zip(
        ("2025-04-01", "2025-05-01", "2025-06-01", "2025-07-01", "2025-08-01", "2025-09-01"),
        (10, 10, 11, 12, 12, 13),
        strict=True,
    )
] + [("k_plan", "2025-06-01", 1.5)]


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_config(config: Path, overrides: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    """The organisation's configuration CSVs in `config` (a file of `overrides` replaces
    its namesake); the model catalogue and thresholds are the repository's."""
    config.mkdir(parents=True, exist_ok=True)
    for name, rows in {**CONFIG, **(overrides or {})}.items():
        write_csv(config / f"{name}.csv", rows)
    (config / "models.csv").write_bytes((DEFAULT_SEEDS / "models.csv").read_bytes())
    (config / "thresholds.csv").write_bytes((DEFAULT_SEEDS / "thresholds.csv").read_bytes())
    return config


def land_observations(home: Path, work: Path) -> None:
    """Ingest the KPI observations into `home` (through the real ingestion)."""
    observations = work / "kpi_observations.csv"
    write_csv(
        observations,
        [
            {"kpi_id": kpi, "period_start": start, "grain": "month", "value": value}
            for kpi, start, value in OBSERVATIONS
        ],
    )
    ingest_files(SCHEMAS["kpi_observations"], [observations], home, echo=lambda _: None)
