"""fct_use_case_periods on a tiny organisation, by hand (CONTRACTS.md §5.3, §5.4): the facts are
in `tiny_organisation.py` (a fiscal year starting in May); the build is pinned to 2026-03-31
(CADENCE_BUILD_DATE), inside fiscal 2026's Q4."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tiny_organisation import land_observations, write_config

from cadence.build import build
from cadence.published import read_pointer

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny organisation landed and built as of 2026-03-31; its published file."""
    root = tmp_path_factory.mktemp("periods")
    config, home = write_config(root / "config"), root / "home"
    land_observations(home, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", "2026-03-31")
        build(home, config, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    return Path(str(pointer["published_path"]))


def _query(published: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.sql(sql).pl().to_dicts()
    finally:
        con.close()


@pytest.fixture(scope="module")
def periods(published: Path) -> dict[tuple[str, str], dict]:
    """fct_use_case_periods of the tiny organisation, by (use case, period label)."""
    rows = _query(published, "select * from main.fct_use_case_periods")
    return {(row["use_case_id"], row["period_label"]): row for row in rows}


def test_the_quarterly_review_counts_kpis_per_fiscal_quarter(published: Path) -> None:
    rows = _query(
        published,
        "pivot (select period_start as quarter_start, metric, cast(metric_value as integer) as v "
        "from main.rpt_review_tiles where scope_id = 'organisation' and period_grain = 'quarter' "
        "and metric like 'kpis_%') on metric in ('kpis_known', 'kpis_green', 'kpis_amber', "
        "'kpis_red', 'kpis_stale', 'kpis_pre_launch') using first(v) order by 1",
    )
    # fiscal quarters from May; k_plan (defined 2025-05-01) is pre-launch throughout; k_life is
    # pre-launch until production (2025-08-04), green at October's end (September's 13), stale
    # at January's (4 months on) and at the build date
    assert [(row["quarter_start"].isoformat(), *list(row.values())[1:]) for row in rows] == [
        ("2025-02-01", 1, 0, 0, 0, 0, 1),
        ("2025-05-01", 2, 0, 0, 0, 0, 2),
        ("2025-08-01", 2, 1, 0, 0, 0, 1),
        ("2025-11-01", 2, 0, 0, 0, 1, 1),
        ("2026-02-01", 2, 0, 0, 0, 1, 1),
    ]


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
    # the earliest date is 2025-04-01 (k_life's definition and first observation), in fiscal
    # 2025's Q4 (February to April 2025); the last quarter holds the build date
    assert quarters == [
        ("2025-02-01", "2025-Q4", "2025-04-30"),
        ("2025-05-01", "2026-Q1", "2025-07-31"),
        ("2025-08-01", "2026-Q2", "2025-10-31"),
        ("2025-11-01", "2026-Q3", "2026-01-31"),
        ("2026-02-01", "2026-Q4", "2026-04-30"),
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
    # December 2025's month starts 3 whole months after the last observation (September), more
    # than kpi_stale_periods (2)
    row = periods[("uc_life", "2025-12")]
    assert row["stage"] == "production"
    assert _counts(row) == (0, 0, 0, 1, 0)
    assert "1 KPI(s) without a current post-launch actual" in row["recommendation_reasons"]
    # November's month starts 2 whole months after September: not more than 2, so still
    # judged on September (green, as in September)
    assert _counts(periods[("uc_life", "2025-11")]) == (1, 0, 0, 0, 0)
    # fiscal 2026 Q2 (August to October 2025) ends a month after September: green
    assert _counts(periods[("uc_life", "2026-Q2")]) == (1, 0, 0, 0, 0)
    # Q3 ends 2026-01-31, after the retirement on 2026-01-19, and 4 months after September
    q3 = periods[("uc_life", "2026-Q3")]
    assert (q3["stage"], q3["recommendation"], _counts(q3)) == ("retired", None, (0, 0, 0, 1, 0))


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
