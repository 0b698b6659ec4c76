"""Build the dbt project on a tiny hand-computed landing zone and check the §4 metrics.

The landing zone and seeds come from `known_answers.py`; every expected value
below is worked out by hand from those rows (CONTRACTS.md §4).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from dbt.cli.main import dbtRunner, dbtRunnerResult
from known_answers import write_landing_zone, write_seeds

from cadence import config_history, period_close
from cadence.build import close_dbt_duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
BUILD_ID = "20250314T120000000000Z"
# After every event and KPI observation of known_answers.py (the latest KPI period is April
# 2025), and within 8 weeks of the first request (2025-03-03): the week to date's evidence
# window holds every review and request.
BUILD_DATE = "2025-04-20"

pytestmark = pytest.mark.timeout(300)


def _checksums(directory: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.glob("*.csv"))
    }


def _dbt(args: list[str], work_dir: Path) -> dbtRunnerResult:
    try:
        return _invoke(args, work_dir)
    finally:
        close_dbt_duckdb()  # the profile keeps the file open (keep_open: true)


def _invoke(args: list[str], work_dir: Path) -> dbtRunnerResult:
    return dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
            "--no-partial-parse",
            "--log-level-file",
            "none",
            "--quiet",
        ]
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Write the landing zone and seeds, run `dbt build`, yield paths and the dbt result."""
    root = tmp_path_factory.mktemp("warehouse")
    home = root / "home"
    config_dir = root / "seeds"
    write_landing_zone(home)
    write_seeds(config_dir)
    seeds_before = _checksums(config_dir)
    build_path = root / "build.duckdb"
    # as `cadence build` does: the configuration this build uses is recorded in the ledger
    config_history.stage(home, config_dir, BUILD_ID, datetime(2025, 3, 14, 12, tzinfo=UTC))
    config_history.commit(home, BUILD_ID)
    period_close.ensure_layout(home)  # the ledger's period closes: none
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", BUILD_DATE)
        patch.setenv("CADENCE_HOME", str(home))
        patch.setenv("CADENCE_CONFIG_DIR", str(config_dir))
        patch.setenv("CADENCE_BUILD_PATH", str(build_path))
        result = _dbt(["build", "--target", "duckdb"], root)
    return {
        "result": result,
        "build_path": build_path,
        "config_dir": config_dir,
        "seeds_before": seeds_before,
    }


@pytest.fixture(scope="module")
def warehouse(built: dict[str, Any]) -> Iterator[duckdb.DuckDBPyConnection]:
    assert built["result"].success, built["result"].exception or [
        (node.node.name, node.status, node.message)
        for node in built["result"].result
        if node.status not in ("success", "pass")
    ]
    connection = duckdb.connect(str(built["build_path"]), read_only=True)
    yield connection
    connection.close()


def _one(connection: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> tuple[Any, ...]:
    rows = connection.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_build_succeeds_and_leaves_the_seed_files_untouched(built: dict[str, Any]) -> None:
    """dbt-core #7373 would overwrite CSVs under an absolute seed path with SQL."""
    assert built["result"].success
    assert _checksums(built["config_dir"]) == built["seeds_before"]


def test_public_marts_are_in_schema_main(warehouse: duckdb.DuckDBPyConnection) -> None:
    tables = {
        name
        for (name,) in warehouse.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
    }
    assert {
        "dim_use_cases",
        "fct_adoption_weekly",
        "fct_operations_weekly",
        "fct_workflow_weekly",
        "fct_trust_weekly",
        "fct_kpi_progress",
    } <= tables


def test_requests_are_deduplicated_and_only_committed_batches_count(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    # r1 landed twice (latest wins), r99 sits in a batch without a ledger file
    (total,) = _one(warehouse, "select sum(requests) from main.fct_operations_weekly")
    assert total == 9


def test_operations_error_rate_latency_percentiles_and_cost(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = _one(
        warehouse,
        """
        select requests, error_rate_pct, latency_p50_ms, latency_p95_ms, cost_usd,
            reported_cost_usd, priced_cost_usd, input_tokens, output_tokens
        from main.fct_operations_weekly
        where week_start = date '2025-03-03' and use_case_id = 'uc_draft' and model = 'gpt-4o'
        """,
    )
    requests, error_rate, p50, p95, cost, reported, priced, tokens_in, tokens_out = row
    assert requests == 6  # r1 (corrected), r2, r3, r4, r5 (error), r6 (timeout, Sunday 23:59)
    assert error_rate == pytest.approx(100 * 2 / 6)
    # success latencies 100 (r1's corrected value, not 999), 200, 300, 400
    assert p50 == pytest.approx(250.0)
    assert p95 == pytest.approx(385.0)  # 300 + 0.85 * (400 - 300)
    # r2 reported no cost: 1000/1000 * 0.005 + 1000/1000 * 0.015
    assert priced == pytest.approx(0.02)
    assert reported == pytest.approx(0.05)
    assert cost == pytest.approx(0.07)
    assert (tokens_in, tokens_out) == (1140, 1070)

    (untagged_model,) = _one(
        warehouse,
        "select model from main.fct_operations_weekly where use_case_id = 'unassigned'",
    )
    assert untagged_model == "shadow-1"
    # Monday 00:00 falls into the new week
    (week_two,) = _one(
        warehouse,
        "select sum(requests) from main.fct_operations_weekly where week_start = date '2025-03-10'",
    )
    assert week_two == 1


def test_adoption_active_users_penetration_and_licences(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    rows = {
        (str(week), unit): values
        for week, unit, *values in warehouse.execute(
            """
            select week_start, business_unit_id, active_users, eligible_headcount,
                penetration_pct, new_users, returning_users, licensed_users, idle_licenses
            from main.fct_adoption_weekly
            """
        ).fetchall()
    }
    # bu_a: u1 (request BU) and u2 (directory row valid in 2025, not the 2023 bu_b row)
    assert rows[("2025-03-03", "bu_a")] == [2, 10, pytest.approx(20.0), 2, 0, 2, 2]
    # bu_b: u3, u4 (requests) and u5 (active activity row); u6's inactive row does not count
    assert rows[("2025-03-03", "bu_b")] == [3, 4, pytest.approx(75.0), 3, 0, 1, 0]
    assert rows[("2025-03-10", "bu_a")] == [1, 10, pytest.approx(10.0), 0, 1, 2, 2]
    assert rows[("2025-03-10", "bu_b")] == [0, 4, pytest.approx(0.0), 0, 0, 1, 1]


def test_trust_policy_adherence_shadow_ai_and_surveys(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    rows = {
        unit: values
        for unit, *values in warehouse.execute(
            """
            select business_unit_id, requests, policy_adherence_pct, shadow_ai_pct,
                classification_violations, blocked_requests, avg_satisfaction, avg_trust
            from main.fct_trust_weekly where week_start = date '2025-03-03'
            """
        ).fetchall()
    }
    # r3 sends restricted data to a model allowed up to confidential
    assert rows["bu_a"] == [4, pytest.approx(75.0), pytest.approx(0.0), 1, 0, 3.0, 4.0]
    # r7 goes to the unapproved shadow-1
    assert rows["bu_b"] == [3, pytest.approx(200 / 3), pytest.approx(100 / 3), 0, 0, None, None]
    # r8: no user, blocked, confidential data on an internal-only model
    assert rows["unassigned"] == [1, pytest.approx(0.0), pytest.approx(0.0), 1, 1, None, None]


def test_workflow_rates_and_cycle_time(warehouse: duckdb.DuckDBPyConnection) -> None:
    row = _one(
        warehouse,
        """
        select runs_started, runs_completed, completion_rate_pct, human_review_rate_pct,
            quality_acceptance_pct, override_rate_pct, exception_rate_pct,
            median_cycle_time_minutes, workflow_penetration_pct
        from main.fct_workflow_weekly
        where week_start = date '2025-03-03' and use_case_id = 'uc_draft'
        """,
    )
    assert row == (
        4,
        2,
        pytest.approx(50.0),
        pytest.approx(75.0),
        pytest.approx(100 / 3),
        pytest.approx(100 / 3),
        pytest.approx(25.0),
        pytest.approx(60.0),  # median of 30 and 90 minutes
        pytest.approx(75.0),
    )


def test_kpi_progress_decrease_and_baseline_fallback(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    turnaround = _one(
        warehouse,
        """
        select baseline_value, actual_value, target_value, gap_closed_pct,
            expected_progress_pct, status
        from main.fct_kpi_progress
        where kpi_id = 'kpi_turnaround' and period_start = date '2025-03-01'
        """,
    )
    # decrease: a = mean(8, 9) = 8.5, b = 10, t = 5 → (8.5 - 10) / (5 - 10) = 30 %;
    # production 2025-02-03 → target 2025-06-02 is 119 days, 57 elapsed at 2025-04-01
    assert turnaround == (
        10.0,
        8.5,
        5.0,
        pytest.approx(30.0),
        pytest.approx(100 * 57 / 119),
        "amber",  # shortfall 17.9 points: above green (10), within amber (25)
    )
    csat = _one(
        warehouse,
        """
        select baseline_value, gap_closed_pct, expected_progress_pct, status
        from main.fct_kpi_progress
        where kpi_id = 'kpi_csat' and period_start = date '2025-03-03'
        """,
    )
    # baseline = mean of the January observations (70, 80); (78 - 75) / (90 - 75) = 20 %;
    # 35 of 331 days elapsed at 2025-03-10
    assert csat == (75.0, pytest.approx(20.0), pytest.approx(100 * 35 / 331), "green")
    backlog = _one(
        warehouse,
        "select gap_closed_pct, status from main.fct_kpi_progress where kpi_id = 'kpi_backlog'",
    )
    assert backlog == (None, None)


def test_use_case_readiness_and_recommendation(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = {
        use_case: values
        for use_case, *values in warehouse.execute(
            """
            select use_case_id, readiness_status, readiness_gaps, recommendation,
                priority_score
            from main.dim_use_cases
            """
        ).fetchall()
    }
    assert rows["uc_draft"][:2] == ["not_ready", "kpi kpi_csat: target defined after production"]
    assert rows["uc_triage"][:2] == [
        "not_ready",
        "owner not named: risk_owner; checklist item undated: data_review; "
        "checklist item missing: security_review; checklist item missing: change_plan; "
        "checklist item missing: training_artifacts; checklist item missing: qa_metrics; "
        "checklist item missing: exit_criterion; kpi kpi_backlog: no target",
    ]
    assert rows["uc_draft"][2] == "hold"
    assert rows["uc_triage"][2] == "hold"
    # (5 + 4 + 4 + (6 - 2) - 4) / 16 * 100
    assert rows["uc_draft"][3] == pytest.approx(81.25)


def test_ci_target_builds_in_memory(built: dict[str, Any], tmp_path: Path) -> None:
    """The `ci` target needs no build path; parse-only keeps this fast."""
    env = {
        "CADENCE_HOME": os.environ.get("CADENCE_HOME", str(tmp_path)),
        "CADENCE_CONFIG_DIR": str(built["config_dir"]),
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        result = _dbt(["parse", "--target", "ci"], tmp_path)
    assert result.success


def test_every_unit_test_runs_and_passes(built: dict[str, Any]) -> None:
    """`cadence build` leaves dbt's unit tests out of production builds; this build runs them."""
    unit_tests = [r for r in built["result"].result if str(r.node.resource_type) == "unit_test"]
    declared = sum(
        len(yaml.safe_load(path.read_text()).get("unit_tests") or [])
        for path in (PROJECT_DIR / "models").rglob("*.yml")
    )
    assert declared >= 11  # every unit test of the project, as declared in its YAML
    assert len(unit_tests) == declared
    assert {str(r.status) for r in unit_tests} == {"pass"}


def test_unique_combination_test_finds_a_duplicated_key(
    built: dict[str, Any], tmp_path: Path
) -> None:
    """The uniqueness test groups a 64-bit hash of the key first: a key landed twice must
    still fail it, with the real key and its count in the failing row."""
    copy = tmp_path / "build.duckdb"  # same file name: same catalogue as the views expect
    copy.write_bytes(built["build_path"].read_bytes())
    with duckdb.connect(str(copy)) as con:
        week, use_case, model = con.execute(
            "select week_start, use_case_id, model from main.fct_operations_weekly"
            " order by week_start, use_case_id, model limit 1"
        ).fetchone()
        con.execute(
            "insert into main.fct_operations_weekly select * from main.fct_operations_weekly"
            " where week_start = ? and use_case_id = ? and model = ?",
            [week, use_case, model],
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_CONFIG_DIR", str(built["config_dir"]))
        patch.setenv("CADENCE_BUILD_PATH", str(copy))
        result = _dbt(
            [
                "test",
                "--target",
                "duckdb",
                "--select",
                "fct_operations_weekly,test_name:unique_combination_of_columns",
                "fct_trust_weekly,test_name:unique_combination_of_columns",
            ],
            tmp_path,
        )
    outcomes = {
        r.node.attached_node: (str(r.status), r.failures)
        for r in result.result
        if str(r.node.resource_type) == "test"
    }
    assert outcomes == {
        "model.cadence.fct_operations_weekly": ("fail", 1),
        "model.cadence.fct_trust_weekly": ("pass", 0),
    }
