"""fct_use_case_periods on a tiny organisation, by hand (CONTRACTS.md §5.3, §5.4).

The fiscal year starts in April (calendar.csv), so fiscal 2026 runs from April 2025 to March
2026 and its Q3 is October to December 2025. The build is pinned to 2026-03-31
(CADENCE_BUILD_DATE), the last day of fiscal 2026.

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

import duckdb
import pytest

from cadence.build import build
from cadence.config import DEFAULT_SEEDS
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)

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
    "calendar": [{"setting": "fiscal_year_start_month", "value": 4}],
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


@pytest.fixture(scope="module")
def periods(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict]:
    """fct_use_case_periods of the tiny organisation, by (use case, period label)."""
    root = tmp_path_factory.mktemp("periods")
    config, home = root / "config", root / "home"
    config.mkdir()
    for name, rows in CONFIG.items():
        _write_csv(config / f"{name}.csv", rows)
    (config / "models.csv").write_bytes((DEFAULT_SEEDS / "models.csv").read_bytes())
    (config / "thresholds.csv").write_bytes((DEFAULT_SEEDS / "thresholds.csv").read_bytes())
    observations = root / "kpi_observations.csv"
    _write_csv(
        observations,
        [
            {"kpi_id": kpi, "period_start": start, "grain": "month", "value": value}
            for kpi, start, value in OBSERVATIONS
        ],
    )
    ingest_files(SCHEMAS["kpi_observations"], [observations], home)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", "2026-03-31")
        build(home, config, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        frame = con.sql("select * from main.fct_use_case_periods").pl()
    finally:
        con.close()
    return {(row["use_case_id"], row["period_label"]): row for row in frame.iter_rows(named=True)}


COUNTS = ("kpis_green", "kpis_amber", "kpis_red", "kpis_stale", "kpis_pre_launch")


def _counts(row: dict) -> tuple[int, ...]:
    return tuple(row[name] for name in COUNTS)


def test_the_periods_run_from_the_earliest_date_through_the_build_date_in_fiscal_quarters(
    periods: dict,
) -> None:
    quarters = sorted(
        (row["period_start"].isoformat(), label, row["period_end"].isoformat())
        for (use_case, label), row in periods.items()
        if use_case == "uc_life" and row["period_grain"] == "quarter"
    )
    # the earliest date is 2025-04-01 (k_life's definition and first observation)
    assert quarters == [
        ("2025-04-01", "2026-Q1", "2025-06-30"),
        ("2025-07-01", "2026-Q2", "2025-09-30"),
        ("2025-10-01", "2026-Q3", "2025-12-31"),
        ("2026-01-01", "2026-Q4", "2026-03-31"),
    ]
    months = sorted(
        label
        for (use_case, label), row in periods.items()
        if use_case == "uc_life" and row["period_grain"] == "month"
    )
    assert months[0] == "2025-04"
    assert months[-1] == "2026-03"
    assert len(months) == 12


def test_before_the_pilot_proposed_with_no_recommendation(periods: dict) -> None:
    row = periods[("uc_life", "2025-04")]
    assert row["stage"] == "proposed"
    assert row["recommendation"] is None
    assert row["recommendation_reasons"] is None
    # qa_metrics is dated 2025-07-20, after April's end: missing as of April
    assert (row["readiness_status"], row["readiness_gaps"]) == (
        "not_ready",
        "checklist item missing: qa_metrics",
    )
    # production (2025-08-04) is after the period: the KPI is pre-launch
    assert _counts(row) == (0, 0, 0, 0, 1)


def test_during_the_pilot_hold_with_its_reasons(periods: dict) -> None:
    row = periods[("uc_life", "2025-06")]
    assert row["stage"] == "pilot"
    assert row["readiness_status"] == "not_ready"
    assert row["recommendation"] == "hold"
    assert row["recommendation_reasons"] == (
        "not ready (1 readiness gap(s)); "
        "too little review evidence: 0 review(s) in the last 8 weeks, minimum 20; "
        "1 KPI(s) without a current post-launch actual (pre-launch or stale)"
    )
    assert _counts(row) == (0, 0, 0, 0, 1)


def test_after_production_the_kpi_is_judged_on_its_latest_observation(periods: dict) -> None:
    row = periods[("uc_life", "2025-09")]
    assert row["stage"] == "production"
    # qa_metrics was done on 2025-07-20: ready
    assert (row["readiness_status"], row["readiness_gaps"]) == ("ready", "")
    # September: 13 -> gap closed (13 - 10) / (20 - 10) = 30 %; expected at 2025-10-01:
    # 58 of 181 days = 32.04 %; shortfall 2.04 points <= 10: green
    assert _counts(row) == (1, 0, 0, 0, 0)
    assert row["recommendation"] == "hold"
    assert row["recommendation_reasons"] == (
        "too little review evidence: 0 review(s) in the last 8 weeks, minimum 20"
    )


def test_a_kpi_unobserved_for_more_than_two_whole_months_is_stale(periods: dict) -> None:
    # fiscal 2026 Q3 ends 2025-12-31: December's month starts 3 whole months after the last
    # observation (September), more than kpi_stale_periods (2)
    row = periods[("uc_life", "2026-Q3")]
    assert row["stage"] == "production"
    assert _counts(row) == (0, 0, 0, 1, 0)
    assert "1 KPI(s) without a current post-launch actual" in row["recommendation_reasons"]
    # November's month starts 2 whole months after September: not more than 2, so still
    # judged on September (green, as in September)
    assert _counts(periods[("uc_life", "2025-11")]) == (1, 0, 0, 0, 0)


def test_after_retirement_no_recommendation(periods: dict) -> None:
    row = periods[("uc_life", "2026-02")]
    assert row["stage"] == "retired"
    assert row["recommendation"] is None
    assert _counts(row) == (0, 0, 0, 1, 0)


def test_a_kpi_of_a_use_case_with_no_production_date_is_pre_launch(periods: dict) -> None:
    for (use_case, label), row in periods.items():
        if use_case != "uc_plan":
            continue
        if row["period_end"].isoformat() < "2025-05-01":
            assert row["kpis_known"] == 0, label  # k_plan is defined on 2025-05-01
        else:
            assert _counts(row) == (0, 0, 0, 0, 1), label
        before_pilot = row["as_of_date"].isoformat() < "2025-06-02"
        assert row["stage"] == ("proposed" if before_pilot else "pilot"), label


def test_the_five_counts_add_up_to_the_kpis_known(periods: dict) -> None:
    for key, row in periods.items():
        assert sum(_counts(row)) == row["kpis_known"], key
