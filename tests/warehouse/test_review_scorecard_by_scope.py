"""The review scorecard (rpt_use_case_scorecard, rpt_use_case_trends), KPI rows (rpt_kpi_values)
and readiness (rpt_readiness) of a reader's scope, against the same figures computed by hand.

The organisation is review_organisation.py's, built once per run for every review-by-scope
file (as of its last day, 2026-11-22), with an `access.csv` naming a sponsor of two whole
portfolios (Customer Operations, Risk and Compliance: every business unit) — the two-portfolio
scope.

A use case is in a scope when the scope covers its portfolio x business unit as known at the
period's end (fct_use_case_periods; the demo records one configuration version, so that is
use_cases.csv). "By hand" means: which use cases, their stage and statuses from
fct_use_case_periods' rows, their requests, cost and active people from the request rows
themselves (`int_requests_enriched`, one row per request: activity rows from vendor reports
belong to no use case), in plain Python.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from review_organisation import CUSTOMER, MIN_GROUP_SIZE, RISK, built_review_organisation
from test_review_tiles import _scope_id

from cadence.demo.profile import DEFAULT_END_DATE
from cadence.published import read_pointer

pytestmark = pytest.mark.timeout(600)

PAIR = (CUSTOMER, "bu_customer_service")
# (grain, start, end, the latest month with data in it): a closed quarter, the quarter to date
# (through the build date, 2026-11-22) and a closed month.
PERIODS = [
    ("quarter", date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 1)),
    ("quarter", date(2026, 10, 1), DEFAULT_END_DATE, date(2026, 11, 1)),
    ("month", date(2026, 8, 1), date(2026, 8, 31), date(2026, 8, 1)),
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return built_review_organisation(tmp_path_factory)


@pytest.fixture(scope="module")
def warehouse(built: dict[str, Any]) -> Iterator[duckdb.DuckDBPyConnection]:
    pointer = read_pointer(built["home"])
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def requests(warehouse: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every landed row: its day, requester, use case, cost and whether it is a model call
    (CONTRACTS.md §5.1: agent and tool spans make a person active but are not requests)."""
    return _dicts(
        warehouse.execute(
            "select request_date, user_id, use_case_id, cost_usd, is_model_call "
            "from intermediate.int_requests_enriched"
        )
    )


@pytest.fixture(scope="module")
def scopes(built: dict[str, Any], warehouse: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The portfolio x business-unit scope and the sponsor's two-portfolio scope: id, cells."""
    units = [row["business_unit_id"] for row in _rows(built["config"] / "business_units.csv")]
    two_portfolios = {(p, b) for p in (CUSTOMER, RISK) for b in units}
    sponsor = _scope_id(warehouse, two_portfolios)  # sponsor@example.com's
    return {
        "pair": (f"portfolio_business_unit:{PAIR[0]}:{PAIR[1]}", {PAIR}),
        "two_portfolios": (sponsor, two_portfolios),
    }


def _scorecard(
    warehouse: duckdb.DuckDBPyConnection, scope_id: str, grain: str, start: date
) -> list[dict[str, Any]]:
    return _dicts(
        warehouse.execute(
            """
            select * from main.rpt_use_case_scorecard
            where scope_id = ? and period_grain = ? and period_start = ?
            order by scorecard_order
            """,
            [scope_id, grain, start],
        )
    )


def _use_case_periods(
    warehouse: duckdb.DuckDBPyConnection, grain: str, start: date
) -> dict[str, dict[str, Any]]:
    rows = _dicts(
        warehouse.execute(
            "select * from main.fct_use_case_periods where period_grain = ? and period_start = ?",
            [grain, start],
        )
    )
    return {row["use_case_id"]: row for row in rows}


@pytest.mark.parametrize("scope", ["pair", "two_portfolios"])
@pytest.mark.parametrize(("grain", "start", "end", "latest_month"), PERIODS)
def test_scorecard_rows_of_a_scope_equal_the_hand_figures(
    scope, grain, start, end, latest_month, warehouse, requests, scopes
):
    scope_id, cells = scopes[scope]
    as_of = _use_case_periods(warehouse, grain, start)
    expected = {
        use_case_id
        for use_case_id, row in as_of.items()
        if (row["portfolio_id"], row["business_unit_id"]) in cells
    }
    rows = _scorecard(warehouse, scope_id, grain, start)
    assert expected, "the scope must hold use cases for the test to mean anything"
    assert {row["use_case_id"] for row in rows} == expected
    assert [row["scorecard_order"] for row in rows] == list(range(1, len(rows) + 1))
    ordered = sorted(
        rows, key=lambda r: (r["portfolio_name"], -(r["priority_score"] or -1), r["use_case_name"])
    )
    assert [r["use_case_id"] for r in rows] == [r["use_case_id"] for r in ordered]
    month_end = date(latest_month.year + latest_month.month // 12, latest_month.month % 12 + 1, 1)
    with_requests = 0
    for row in rows:
        state = as_of[row["use_case_id"]]
        for column in (
            "stage",
            "readiness_status",
            "recommendation",
            "kpis_known",
            "kpis_green",
            "kpis_amber",
            "kpis_red",
            "kpis_stale",
            "kpis_pre_launch",
        ):
            assert row[column] == state[column], (row["use_case_id"], column)
        mine = [r for r in requests if r["use_case_id"] == row["use_case_id"]]
        calls = [r for r in mine if start <= r["request_date"] <= end and r["is_model_call"]]
        with_requests += bool(calls)
        assert row["period_requests"] == len(calls), row["use_case_id"]
        assert row["period_cost_usd"] == pytest.approx(
            sum(r["cost_usd"] for r in calls), rel=1e-9, abs=1e-9
        )
        assert row["latest_month_start"] == latest_month
        people = len(
            {
                r["user_id"]
                for r in mine
                if latest_month <= r["request_date"] < month_end and r["user_id"] is not None
            }
        )
        if 1 <= people < MIN_GROUP_SIZE:
            assert row["is_suppressed"], row["use_case_id"]
            assert row["active_users"] is None
        else:
            assert not row["is_suppressed"], row["use_case_id"]
            assert row["active_users"] == people, row["use_case_id"]
    assert with_requests > 0, "the scope must hold requests for the test to mean anything"


def test_two_portfolio_scope_is_the_union_of_its_portfolios(warehouse, scopes):
    """Each of the sponsor's rows is the same row as in its own portfolio's scope."""
    sponsor, _ = scopes["two_portfolios"]
    for grain, start, _, _ in PERIODS:
        union = _scorecard(warehouse, sponsor, grain, start)
        parts = _scorecard(warehouse, f"portfolio:{CUSTOMER}", grain, start) + _scorecard(
            warehouse, f"portfolio:{RISK}", grain, start
        )
        drop = ("scope_id", "scorecard_order")
        assert sorted(
            (tuple((k, v) for k, v in r.items() if k not in drop) for r in union), key=str
        ) == sorted((tuple((k, v) for k, v in r.items() if k not in drop) for r in parts), key=str)


def test_a_past_quarter_shows_stages_as_of_then(built, warehouse):
    """2025-Q3 (fiscal, dim_periods) as known at its end: no use case launched in 2026 shows as
    live, and every stage is the one its configured dates give on the quarter's last day."""
    start, end = warehouse.execute(
        """
        select period_start, period_end from main.dim_periods
        where period_grain = 'quarter' and period_label = '2025-Q3'
        """
    ).fetchone()
    configured = {row["use_case_id"]: row for row in _rows(built["config"] / "use_cases.csv")}
    rows = _scorecard(warehouse, "organisation", "quarter", start)
    assert {row["use_case_id"] for row in rows} == set(configured)
    launched_2026 = [
        use_case_id
        for use_case_id, row in configured.items()
        if row["production_date"] and date.fromisoformat(row["production_date"]).year == 2026
    ]
    assert launched_2026
    today = dict(warehouse.execute("select use_case_id, stage from main.dim_use_cases").fetchall())
    changed = 0
    for row in rows:
        config = configured[row["use_case_id"]]
        stage = "proposed"
        for name, column in (
            ("pilot", "pilot_start_date"),
            ("production", "production_date"),
            ("scaled", "scaled_date"),
            ("retired", "retired_date"),
        ):
            if config.get(column) and date.fromisoformat(config[column]) <= end:
                stage = name
        assert row["stage"] == stage, row["use_case_id"]
        if row["use_case_id"] in launched_2026:
            assert row["stage"] in ("proposed", "pilot"), row["use_case_id"]
        changed += row["stage"] != today[row["use_case_id"]]
    assert changed > 0, "today's stages must differ from the past quarter's somewhere"


def test_small_active_user_groups_are_suppressed_in_rows_and_trend_points(warehouse):
    """Every scorecard row and trend point whose month counts 1-4 people is null and flagged;
    larger (and empty) groups are shown; the demo holds small groups."""
    for relation, month in (
        ("rpt_use_case_scorecard", "latest_month_start"),
        ("rpt_use_case_trends", "month_start"),
    ):
        wrong, hidden = warehouse.execute(
            f"""
            select
                count(*) filter (
                    where (monthly.active_users between 1 and ?) <> shown.is_suppressed
                        or (shown.is_suppressed and shown.active_users is not null)
                        or (not shown.is_suppressed
                            and shown.active_users is distinct from monthly.active_users)
                ),
                count(*) filter (where shown.is_suppressed)
            from main.{relation} as shown
            inner join main.rpt_monthly_portfolio as monthly
                on shown.use_case_id = monthly.use_case_id
                and shown.{month} = monthly.month_start
            """,
            [MIN_GROUP_SIZE - 1],
        ).fetchone()
        assert wrong == 0, relation
        assert hidden > 0, f"{relation}: the small demo must hold small groups"


def test_trend_points_are_the_trailing_twelve_months(warehouse, scopes):
    scope_id, _ = scopes["two_portfolios"]
    for grain, start, _, _ in PERIODS:
        # the period's last month (December for the quarter to date, which has no data yet)
        months = start.month - 1 + (3 if grain == "quarter" else 1) - 1
        last_month = date(start.year + months // 12, months % 12 + 1, 1)
        points = _dicts(
            warehouse.execute(
                """
                select t.use_case_id, t.month_start, t.months_back, t.cost_usd, m.cost_usd as cost
                from main.rpt_use_case_trends as t
                inner join main.rpt_monthly_portfolio as m using (use_case_id, month_start)
                where t.scope_id = ? and t.period_grain = ? and t.period_start = ?
                """,
                [scope_id, grain, start],
            )
        )
        use_cases = {row["use_case_id"] for row in _scorecard(warehouse, scope_id, grain, start)}
        assert {p["use_case_id"] for p in points} == use_cases
        for point in points:
            back = (last_month.year - point["month_start"].year) * 12 + (
                last_month.month - point["month_start"].month
            )
            assert point["months_back"] == back
            assert 0 <= back <= 11
            assert point["cost_usd"] == point["cost"]
        assert max(p["months_back"] for p in points) == 11
        assert min(p["months_back"] for p in points) == (last_month > DEFAULT_END_DATE)


@pytest.mark.parametrize("scope", ["pair", "two_portfolios"])
def test_kpi_rows_of_a_scope_are_its_kpis_as_known_at_the_period_end(
    scope, built, warehouse, scopes
):
    """The KPIs of the scope's use cases defined by the period's end, each at its latest
    fct_kpi_progress actual starting on or before the as-of date; their statuses add up to the
    use cases' counts in fct_use_case_periods."""
    scope_id, cells = scopes[scope]
    kpis = _rows(built["config"] / "kpis.csv")
    for grain, start, end, _ in PERIODS:
        as_of = _use_case_periods(warehouse, grain, start)
        in_scope = {
            use_case_id
            for use_case_id, row in as_of.items()
            if (row["portfolio_id"], row["business_unit_id"]) in cells
        }
        expected = {
            kpi["kpi_id"]
            for kpi in kpis
            if kpi["use_case_id"] in in_scope
            and (not kpi.get("defined_on") or date.fromisoformat(kpi["defined_on"]) <= end)
        }
        rows = _dicts(
            warehouse.execute(
                """
                select * from main.rpt_kpi_values
                where scope_id = ? and period_grain = ? and period_start = ?
                order by kpi_order
                """,
                [scope_id, grain, start],
            )
        )
        assert expected, "the scope must hold KPIs for the test to mean anything"
        assert {row["kpi_id"] for row in rows} == expected
        for row in rows:
            latest = warehouse.execute(
                """
                select period_start, actual_value from main.fct_kpi_progress
                where kpi_id = ? and period_start <= ?
                order by period_start desc limit 1
                """,
                [row["kpi_id"], min(end, DEFAULT_END_DATE)],
            ).fetchone()
            if latest is None:
                assert row["actual_value"] is None
                assert row["status"] in ("stale", "pre_launch")
            else:
                assert row["observation_period_start"] == latest[0]
                assert row["actual_value"] == pytest.approx(latest[1], rel=1e-9)
            if row["actual_value"] is not None and row["baseline_value"] is not None:
                assert row["change_from_baseline"] == pytest.approx(
                    row["actual_value"] - row["baseline_value"], rel=1e-9, abs=1e-9
                )
        for use_case_id in in_scope:
            statuses = [row["status"] for row in rows if row["use_case_id"] == use_case_id]
            for status in ("green", "amber", "red", "stale", "pre_launch"):
                assert statuses.count(status) == as_of[use_case_id][f"kpis_{status}"], (
                    use_case_id,
                    status,
                )


def test_readiness_rows_of_a_scope_are_its_use_cases_as_known_then(warehouse, scopes):
    scope_id, cells = scopes["pair"]
    for grain, start in (("week", date(2026, 8, 3)), ("month", date(2026, 8, 1))):
        as_of = _use_case_periods(warehouse, grain, start)
        rows = _dicts(
            warehouse.execute(
                """
                select * from main.rpt_readiness
                where scope_id = ? and period_grain = ? and period_start = ?
                order by readiness_order
                """,
                [scope_id, grain, start],
            )
        )
        expected = {
            use_case_id
            for use_case_id, row in as_of.items()
            if (row["portfolio_id"], row["business_unit_id"]) in cells
        }
        assert expected
        assert {row["use_case_id"] for row in rows} == expected
        for row in rows:
            state = as_of[row["use_case_id"]]
            for column in (
                "stage",
                "readiness_status",
                "readiness_gaps",
                "recommendation",
                "recommendation_reasons",
                "window_reviews",
                "kpis_known",
                "as_of_date",
            ):
                assert row[column] == state[column], (row["use_case_id"], column)
        rank = {"scale": 1, "redesign": 2, "hold": 3}
        keys = [
            (rank.get(row["recommendation"], 4), -(row["priority_score"] or -1)) for row in rows
        ]
        assert keys == sorted(keys)
