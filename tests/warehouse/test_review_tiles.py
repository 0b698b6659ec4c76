"""The review tiles (rpt_review_tiles) and decisions (rpt_review_decisions) of a reader's scope,
against the same figures computed by hand.

The organisation is review_organisation.py's, built once per run for every review-by-scope
file (as of its last day, 2026-11-22), with an `access.csv` naming two sponsors:
- `sponsor@example.com`: two whole portfolios (Customer Operations, Risk and Compliance), every
  business unit — the sponsor-style two-portfolio scope;
- `mixed@example.com`: Customer Operations in Customer Service plus Risk and Compliance in Risk
  — a union of two cells, not their cross product.

"By hand" means from the request rows themselves (`int_requests_enriched`, one row per request)
and the configuration files, with plain Python: a request is in a scope when its use case's
portfolio (use_cases.csv; the demo records one configuration version) and the requester's
business unit form one of the scope's cells. The tiles go through day aggregates, windows,
cells and scopes; the hand sums go through none of that.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from review_organisation import (
    CUSTOMER,
    MIN_GROUP_SIZE,
    RISK,
    built_review_organisation,
)

from cadence.demo.profile import DEFAULT_END_DATE
from cadence.published import read_pointer

pytestmark = pytest.mark.timeout(600)

# 2026-Q3 is closed; 2026-Q4 runs to the build date, 2026-11-22: 53 days, compared with the
# first 53 days of 2026-Q3 (1 July - 22 August).
CLOSED_QUARTER = date(2026, 7, 1)
QUARTER_TO_DATE = date(2026, 10, 1)
LIKE_FOR_LIKE_END = date(2026, 8, 22)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


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
    """Every request row: its day, requester, business unit, use case and flags."""
    cursor = warehouse.execute(
        """
        select request_date, user_id, business_unit_id, use_case_id, cost_usd, is_error,
            is_policy_violation, is_shadow_ai, is_model_call
        from intermediate.int_requests_enriched
        """
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def portfolio_of(built: dict[str, Any]) -> dict[str, str]:
    return {
        row["use_case_id"]: row["portfolio_id"] for row in _rows(built["config"] / "use_cases.csv")
    }


@pytest.fixture(scope="module")
def headcount(built: dict[str, Any]) -> dict[str, int]:
    return {
        row["business_unit_id"]: int(row["eligible_headcount"])
        for row in _rows(built["config"] / "business_units.csv")
    }


def _scope_id(warehouse: duckdb.DuckDBPyConnection, cells: set[tuple[str, str]]) -> str:
    """The access scope whose cells are exactly `cells`."""
    found = warehouse.execute(
        """
        select scope_id from main.dim_scope_cells
        where scope_id like 'access:%'
        group by 1
        having count(*) = ? and count(*) filter (
            where list_contains(?, portfolio_id || '|' || business_unit_id)
        ) = ?
        """,
        [len(cells), [f"{p}|{b}" for p, b in sorted(cells)], len(cells)],
    ).fetchall()
    assert len(found) == 1, found
    return found[0][0]


def _tiles(
    warehouse: duckdb.DuckDBPyConnection, scope_id: str, grain: str, start: date
) -> dict[str, dict[str, Any]]:
    cursor = warehouse.execute(
        """
        select * from main.rpt_review_tiles
        where scope_id = ? and period_grain = ? and period_start = ?
        """,
        [scope_id, grain, start],
    )
    names = [column[0] for column in cursor.description]
    return {
        row[names.index("metric")]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()
    }


def _by_hand(
    requests: list[dict[str, Any]],
    portfolio_of: dict[str, str],
    cells: set[tuple[str, str]],
    first: date,
    last: date,
) -> dict[str, Any]:
    rows = [
        r
        for r in requests
        if first <= r["request_date"] <= last
        and (portfolio_of.get(r["use_case_id"], "unassigned"), r["business_unit_id"]) in cells
    ]
    # the request measures count model calls (CONTRACTS.md §5.1); a person is active
    # through any row, an agent or tool span included
    calls = [r for r in rows if r["is_model_call"]]
    count = len(calls)
    return {
        "requests": count,
        "cost_usd": sum(r["cost_usd"] for r in calls),
        "error_rate_pct": 100.0 * sum(r["is_error"] for r in calls) / count if count else None,
        "policy_adherence_pct": 100.0 - 100.0 * sum(r["is_policy_violation"] for r in calls) / count
        if count
        else None,
        "shadow_ai_pct": 100.0 * sum(r["is_shadow_ai"] for r in calls) / count if count else None,
        "active_users": len({r["user_id"] for r in rows if r["user_id"] is not None}),
        "business_units": {b for _, b in cells},
    }


def _cells(headcount: dict[str, int], portfolios: list[str]) -> set[tuple[str, str]]:
    return {(p, b) for p in portfolios for b in headcount}


SCOPES = {
    "pair": lambda hc: {(CUSTOMER, "bu_customer_service")},
    "two_portfolios": lambda hc: _cells(hc, [CUSTOMER, RISK]),
    "union_of_cells": lambda hc: {(CUSTOMER, "bu_customer_service"), (RISK, "bu_risk")},
}


@pytest.mark.parametrize("scope", list(SCOPES))
def test_tiles_of_a_scope_equal_the_hand_sums(scope, warehouse, requests, portfolio_of, headcount):
    cells = SCOPES[scope](headcount)
    scope_id = (
        f"portfolio_business_unit:{CUSTOMER}:bu_customer_service"
        if scope == "pair"
        else _scope_id(warehouse, cells)
    )
    for start, end, previous_start, previous_end in (
        (CLOSED_QUARTER, date(2026, 9, 30), date(2026, 4, 1), date(2026, 6, 30)),
        (QUARTER_TO_DATE, DEFAULT_END_DATE, CLOSED_QUARTER, LIKE_FOR_LIKE_END),
    ):
        tiles = _tiles(warehouse, scope_id, "quarter", start)
        hand = _by_hand(requests, portfolio_of, cells, start, end)
        before = _by_hand(requests, portfolio_of, cells, previous_start, previous_end)
        assert hand["requests"] > 0, "the scope must hold requests for the test to mean anything"
        assert tiles["requests"]["metric_value"] == hand["requests"]
        assert tiles["requests"]["previous_metric_value"] == before["requests"]
        assert tiles["requests"]["metric_change"] == hand["requests"] - before["requests"]
        assert tiles["cost_usd"]["metric_value"] == pytest.approx(hand["cost_usd"], rel=1e-9)
        for metric in ("error_rate_pct", "policy_adherence_pct", "shadow_ai_pct"):
            if not tiles[metric]["is_suppressed"]:
                assert tiles[metric]["metric_value"] == pytest.approx(hand[metric], rel=1e-9)
        people = hand["active_users"]
        if 1 <= people < MIN_GROUP_SIZE:
            assert tiles["active_users"]["is_suppressed"]
            assert tiles["active_users"]["metric_value"] is None
            assert tiles["penetration_pct"]["metric_value"] is None
        elif not tiles["active_users"]["is_suppressed"]:  # else a complement, tested below
            eligible = sum(headcount[b] for b in hand["business_units"])
            assert tiles["active_users"]["metric_value"] == people
            assert tiles["eligible_headcount"]["metric_value"] == eligible
            assert tiles["penetration_pct"]["metric_value"] == pytest.approx(
                100.0 * people / eligible, rel=1e-9
            )
        expected_comparison = (
            "to date, like for like" if start == QUARTER_TO_DATE else "whole periods"
        )
        assert tiles["requests"]["comparison"] == expected_comparison
        assert tiles["requests"]["previous_window_end"] == previous_end


def test_state_tiles_count_the_scopes_use_cases_as_known_at_the_quarter_end(warehouse):
    """KPI and recommendation counts of the two-portfolio scope are the sums over its use cases'
    rows in fct_use_case_periods; its previous value is last quarter's state."""
    scope_id = _scope_id(
        warehouse,
        {
            (p, b)
            for p in (CUSTOMER, RISK)
            for (b,) in warehouse.execute(
                "select business_unit_id from config.business_units"
            ).fetchall()
        },
    )
    for start, previous in ((QUARTER_TO_DATE, CLOSED_QUARTER), (CLOSED_QUARTER, date(2026, 4, 1))):
        tiles = _tiles(warehouse, scope_id, "quarter", start)
        for metric, expression in (
            ("kpis_red", "sum(kpis_red)"),
            ("kpis_stale", "sum(kpis_stale)"),
            ("use_cases_to_scale", "count(*) filter (where recommendation = 'scale')"),
            (
                "use_cases_in_production",
                "count(*) filter (where stage in ('production', 'scaled'))",
            ),
        ):
            now, before = (
                warehouse.execute(
                    f"""
                    select coalesce({expression}, 0) from main.fct_use_case_periods
                    where period_grain = 'quarter' and period_start = ?
                        and portfolio_id in (?, ?)
                    """,
                    [day, CUSTOMER, RISK],
                ).fetchone()[0]
                for day in (start, previous)
            )
            assert tiles[metric]["metric_value"] == now, metric
            assert tiles[metric]["previous_metric_value"] == before, metric


def test_a_small_group_is_suppressed_with_a_complement(warehouse):
    """Every week and scope whose active people number 1-4 is suppressed; and under a portfolio
    (or a business unit) whose total is shown, never exactly one pair is suppressed."""
    unsuppressed_small = warehouse.execute(
        """
        select count(*) from intermediate.int_review_measures_scoped as m
        inner join main.rpt_review_tiles as t
            on t.scope_id = m.scope_id and t.period_grain = m.period_grain
            and t.period_start = m.period_start and t.metric = 'active_users'
        where m.window_kind = 'period' and m.active_users between 1 and ? and not t.is_suppressed
        """,
        [MIN_GROUP_SIZE - 1],
    ).fetchone()[0]
    assert unsuppressed_small == 0
    suppressed = warehouse.execute(
        "select count(*) from main.rpt_review_tiles where metric = 'active_users' and is_suppressed"
    ).fetchone()[0]
    assert suppressed > 0, "the small demo must hold small groups for this test to mean anything"
    for parent, kind in (("portfolio_id", "portfolio"), ("business_unit_id", "business_unit")):
        lonely = warehouse.execute(
            f"""
            with pairs as (
                select t.period_grain, t.period_start, c.{parent} as parent, t.is_suppressed
                from main.rpt_review_tiles as t
                inner join main.dim_scopes as s on t.scope_id = s.scope_id
                inner join main.dim_scope_cells as c on t.scope_id = c.scope_id
                inner join intermediate.int_review_measures_scoped as m
                    on m.scope_id = t.scope_id and m.period_grain = t.period_grain
                    and m.period_start = t.period_start and m.window_kind = 'period'
                where s.scope_kind = 'portfolio_business_unit' and t.metric = 'active_users'
                    and m.active_users > 0
            ),
            families as (
                select period_grain, period_start, parent
                from pairs group by all
                having count(*) filter (where is_suppressed) = 1
            )
            select count(*) from families
            inner join main.rpt_review_tiles as t
                on t.scope_id = '{kind}:' || families.parent
                and t.period_grain = families.period_grain
                and t.period_start = families.period_start
                and t.metric = 'active_users'
            where not t.is_suppressed
            """
        ).fetchone()[0]
        assert lonely == 0, parent


def test_decisions_follow_the_scope_and_the_quarter(warehouse):
    """The two-portfolio scope's Redesign and Scale decisions are exactly its use cases'
    recommendations as known at each quarter's end; Q3 2025 differs from the latest quarter."""

    def decided(scope_id: str, start: date) -> list[tuple[str, str]]:
        return warehouse.execute(
            """
            select decision, subject from main.rpt_review_decisions
            where scope_id = ? and period_grain = 'quarter' and period_start = ?
            order by decision_order, subject
            """,
            [scope_id, start],
        ).fetchall()

    organisation_now = decided("organisation", QUARTER_TO_DATE)
    assert organisation_now != decided("organisation", date(2025, 7, 1))
    for start in (QUARTER_TO_DATE, CLOSED_QUARTER):
        expected = warehouse.execute(
            """
            select case recommendation when 'redesign' then 'Redesign' else 'Scale' end, v.name
            from main.fct_use_case_periods as p
            inner join config.use_cases as v on p.use_case_id = v.use_case_id
            where p.period_grain = 'quarter' and p.period_start = ?
                and p.portfolio_id = ? and p.recommendation in ('redesign', 'scale')
            order by case recommendation when 'redesign' then 1 else 3 end, v.name
            """,
            [start, CUSTOMER],
        ).fetchall()
        shown = [
            row
            for row in decided(f"portfolio:{CUSTOMER}", start)
            if row[0] in ("Redesign", "Scale")
        ]
        assert shown == expected
