"""The risk posture by business unit (rpt_risk_by_business_unit_weekly) of a reader's scope,
against hand sums from the request rows, and the minimum group size with complements.

Built as test_review_tiles builds its warehouse (a small demo organisation, an access.csv with a
two-portfolio sponsor). A request is in a scope when its use case's portfolio (use_cases.csv)
and the requester's business unit form one of the scope's cells.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import duckdb
import pytest
from test_review_tiles import (  # noqa: F401 (fixtures)
    CUSTOMER,
    MIN_GROUP_SIZE,
    RISK,
    _scope_id,
    built,
    portfolio_of,
    warehouse,
)

pytestmark = pytest.mark.timeout(600)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _hand(con, uses, cells) -> dict[tuple[Any, str], dict[str, Any]]:
    sums: dict[tuple[Any, str], dict[str, Any]] = defaultdict(
        lambda: {"requests": 0, "violations": 0, "shadow": 0, "blocked": 0, "people": set()}
    )
    for r in _rows(
        con,
        """select week_start, user_id, business_unit_id, use_case_id, is_policy_violation,
            is_shadow_ai, is_blocked from intermediate.int_requests_enriched
            where is_model_call""",
    ):
        if (uses.get(r["use_case_id"], "unassigned"), r["business_unit_id"]) in cells:
            row = sums[(r["week_start"], r["business_unit_id"])]
            row["requests"] += 1
            row["violations"] += r["is_policy_violation"]
            row["shadow"] += r["is_shadow_ai"]
            row["blocked"] += r["is_blocked"]
            if r["user_id"] is not None:
                row["people"].add(r["user_id"])
    return sums


@pytest.mark.parametrize("scope", ["pair", "two_portfolios"])
def test_rows_of_a_scope_equal_the_hand_sums(scope, warehouse, portfolio_of):  # noqa: F811
    units = [
        b
        for (b,) in warehouse.execute(
            "select business_unit_id from config.business_units"
        ).fetchall()
    ]
    if scope == "pair":
        cells = {(CUSTOMER, "bu_customer_service")}
        scope_id = f"portfolio_business_unit:{CUSTOMER}:bu_customer_service"
    else:
        cells = {(p, b) for p in (CUSTOMER, RISK) for b in units}
        scope_id = _scope_id(warehouse, cells)
    hand = _hand(warehouse, portfolio_of, cells)
    rows = _rows(
        warehouse,
        "select * from main.rpt_risk_by_business_unit_weekly where scope_id = ?",
        scope_id,
    )
    assert {(r["week_start"], r["business_unit_id"]) for r in rows} == set(hand)
    for r in rows:
        h = hand[(r["week_start"], r["business_unit_id"])]
        assert r["requests"] == h["requests"]
        assert r["blocked_requests"] == h["blocked"]
        assert r["survey_responses"] is None  # the scope covers no whole unit
        if 1 <= len(h["people"]) < MIN_GROUP_SIZE:
            assert r["is_suppressed"]
        if not r["is_suppressed"]:
            assert r["requesting_users"] == len(h["people"])
            assert r["shadow_ai_requests"] == h["shadow"]
            assert r["policy_adherence_pct"] == pytest.approx(
                100.0 - 100.0 * h["violations"] / h["requests"], rel=1e-9
            )


def test_the_organisation_rows_are_fct_trust_weekly(warehouse):  # noqa: F811
    mismatched = warehouse.execute(
        """
        select count(*) from main.rpt_risk_by_business_unit_weekly as r
        full join main.fct_trust_weekly as f using (week_start, business_unit_id)
        where coalesce(r.scope_id, 'organisation') = 'organisation' and (
            r.requests is distinct from f.requests
            or not r.is_suppressed and (
                r.requesting_users <> f.requesting_users
                or abs(r.policy_adherence_pct - f.policy_adherence_pct) > 1e-9)
            or not r.is_survey_suppressed and r.survey_responses <> f.survey_responses)
        """
    ).fetchone()[0]
    assert mismatched == 0


def test_no_week_and_scope_has_exactly_one_suppressed_row(warehouse):  # noqa: F811
    lonely = warehouse.execute(
        """
        select count(*) from (
            select week_start, scope_id from main.rpt_risk_by_business_unit_weekly
            where requesting_users > 0 or is_suppressed
            group by all
            having count(*) > 1 and count(*) filter (where is_suppressed) = 1)
        """
    ).fetchone()[0]
    assert lonely == 0
    assert (
        warehouse.execute(
            "select count(*) from main.rpt_risk_by_business_unit_weekly where is_suppressed"
        ).fetchone()[0]
        > 0
    )
