"""The monthly portfolio review's and the use-case page's people figures, by reading scope and as
known at each period's end, against answers worked out by hand (issue 14): adoption and
enablement by business unit (rpt_adoption_by_business_unit_monthly), the use cases of a scope
month by month (rpt_use_case_scorecard's month rows, which the monthly page's trend charts read)
and one use case's weekly users (rpt_use_case_adoption_weekly). Minimum group size 5.

The organisation: business units bu_a, bu_b, bu_c; portfolios pf_1 and pf_2; two use cases of
bu_a, uc_stay (pf_1) and uc_move. Two configuration versions:
- v1, recorded 2025-06-01: uc_move in pf_1; bu_a's eligible headcount 100;
- v2, recorded 2025-10-15: uc_move in pf_2; bu_a's eligible headcount 200.
Built as of 2025-11-30. Requests (one per person and day):
- 2025-09-10: uc_move by a1..a7 (bu_a); uc_stay by b1..b3 (bu_b) and c1..c6 (bu_c);
- 2025-10-08: uc_stay by b1, b2 (bu_b);
- 2025-11-12: uc_move by a1..a8 (bu_a); uc_stay by b1..b3 (bu_b) and c1..c6 (bu_c).
a1..a5 completed training on 2025-08-01; a1 joined the champions on 2025-08-15.

By hand, September (v1 in force at its end): the organisation's units have 7, 3 and 6 people;
bu_b (3) is a small group; exactly one unit of the month is hidden, so the smallest other
non-empty one, bu_c (6), is hidden too as its complement (the organisation's active-user tile
shows their total, 16). bu_a: 7 people of a headcount of 100 = 7 %, 5 of them trained = 5/7.
pf_1 (every unit's cells of pf_1) has the same rows, uc_move being pf_1's then; pf_2 has nobody.
November (v2): uc_move is pf_2's, so pf_2's bu_a has 8 people of 200 = 4 %, and pf_1's bu_a
nobody; uc_move is in pf_2's monthly use-case rows, no longer in pf_1's.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tiny_organisation import CHECKLIST, OWNERS, USE_CASE_DEFAULTS, write_config

from cadence import config_history
from cadence.build import build
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(900)

BUILD_DATE = "2025-11-30"
SEPTEMBER, OCTOBER, NOVEMBER = date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1)


def _use_case(use_case_id: str, portfolio_id: str) -> dict[str, Any]:
    return {
        "use_case_id": use_case_id,
        "name": use_case_id.replace("_", " "),
        "stage": "pilot",
        **OWNERS,
        **USE_CASE_DEFAULTS,
        "portfolio_id": portfolio_id,
        "business_unit_id": "bu_a",
        "pilot_start_date": "2025-06-02",
        "production_date": "",
        "retired_date": "",
    }


def _config(move_to: str, headcount_a: int) -> dict[str, list[dict[str, Any]]]:
    portfolio = {"strategic_theme": "t", "executive_sponsor": "s", "platform_owner": "p"}
    return {
        "business_units": [
            {"business_unit_id": "bu_a", "name": "A", "eligible_headcount": headcount_a},
            {"business_unit_id": "bu_b", "name": "B", "eligible_headcount": 50},
            {"business_unit_id": "bu_c", "name": "C", "eligible_headcount": 40},
        ],
        "portfolios": [
            {"portfolio_id": "pf_1", "name": "One", **portfolio},
            {"portfolio_id": "pf_2", "name": "Two", **portfolio},
        ],
        "use_cases": [_use_case("uc_stay", "pf_1"), _use_case("uc_move", move_to)],
        "kpis": [
            {
                "kpi_id": "k_stay",
                "use_case_id": "uc_stay",
                "name": "Stay KPI",
                "unit": "n",
                "direction": "increase",
                "baseline_value": 1,
                "baseline_start": "",
                "baseline_end": "",
                "target_value": 2,
                "target_date": "2026-06-01",
                "defined_on": "2025-05-01",
            }
        ],
        "launch_checklist": [
            {"use_case_id": use_case_id, "item": item, "completed_on": "2025-04-15"}
            for use_case_id in ("uc_stay", "uc_move")
            for item in CHECKLIST
        ],
    }


def _uses(day: str, use_case_id: str, unit: str, people: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "request_id": f"{day}-{use_case_id}-{person}",
            "occurred_at": f"{day}T10:00:00Z",
            "user_id": person,
            "business_unit_id": unit,
            "use_case_id": use_case_id,
            "tool": "gateway",
            "provider": "openai",
            "model": "gpt-4.1",
            "operation": "chat",
            "status": "success",
        }
        for person in people
    ]


def _people(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{n}" for n in range(1, count + 1)]


REQUESTS = [
    *_uses("2025-09-10", "uc_move", "bu_a", _people("a", 7)),
    *_uses("2025-09-10", "uc_stay", "bu_b", _people("b", 3)),
    *_uses("2025-09-10", "uc_stay", "bu_c", _people("c", 6)),
    *_uses("2025-10-08", "uc_stay", "bu_b", _people("b", 2)),
    *_uses("2025-11-12", "uc_move", "bu_a", _people("a", 8)),
    *_uses("2025-11-12", "uc_stay", "bu_b", _people("b", 3)),
    *_uses("2025-11-12", "uc_stay", "bu_c", _people("c", 6)),
]
ENABLEMENT = [
    {
        "event_id": f"t-{person}",
        "user_id": person,
        "occurred_at": "2025-08-01T09:00:00Z",
        "activity": "training_completed",
        "level": "beginner",
        "business_unit_id": "bu_a",
    }
    for person in _people("a", 5)
] + [
    {
        "event_id": "champion-a1",
        "user_id": "a1",
        "occurred_at": "2025-08-15T09:00:00Z",
        "activity": "champion_joined",
        "level": "",
        "business_unit_id": "bu_a",
    }
]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("monthly_review")
    home = root / "home"
    quiet = {"echo": lambda _: None}
    ingest_files(SCHEMAS["requests"], [_write(root / "requests.csv", REQUESTS)], home, **quiet)
    ingest_files(
        SCHEMAS["enablement_events"], [_write(root / "enablement.csv", ENABLEMENT)], home, **quiet
    )
    v1 = write_config(root / "v1", _config("pf_1", 100))
    config_history.stage(home, v1, "20250601T000000000000Z", datetime(2025, 6, 1, tzinfo=UTC))
    config_history.commit(home, "20250601T000000000000Z")
    v2 = write_config(root / "v2", _config("pf_2", 200))
    config_history.stage(home, v2, "20251015T000000000000Z", datetime(2025, 10, 15, tzinfo=UTC))
    config_history.commit(home, "20251015T000000000000Z")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", BUILD_DATE)
        patch.delenv("CADENCE_MIN_GROUP_SIZE", raising=False)
        build(home, v2, **quiet)
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    yield con
    con.close()


def _units(con: duckdb.DuckDBPyConnection, scope_id: str, month: date) -> dict[str, dict]:
    cursor = con.execute(
        "select * from main.rpt_adoption_by_business_unit_monthly "
        "where scope_id = ? and month_start = ?",
        [scope_id, month],
    )
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {row["business_unit_id"]: row for row in rows}


HIDDEN = {
    "is_suppressed": True,
    "active_users": None,
    "penetration_pct": None,
    "trained_active_users": None,
    "enablement_coverage_pct": None,
    "champion_active_users": None,
}


@pytest.mark.parametrize("scope_id", ["organisation", "portfolio:pf_1"])
def test_september_hides_a_small_unit_and_its_complement(warehouse, scope_id):
    units = _units(warehouse, scope_id, SEPTEMBER)
    assert set(units) == {"bu_a", "bu_b", "bu_c"}
    a = units["bu_a"]
    assert not a["is_suppressed"]
    assert (a["active_users"], a["eligible_headcount"]) == (7, 100)  # v1's headcount
    assert a["penetration_pct"] == pytest.approx(7.0, abs=1e-9)
    assert (a["trained_active_users"], a["champion_active_users"]) == (5, 1)
    assert a["enablement_coverage_pct"] == pytest.approx(100 * 5 / 7, abs=1e-9)
    for unit in ("bu_b", "bu_c"):  # 3 people; then the complement (6 people)
        assert {key: units[unit][key] for key in HIDDEN} == HIDDEN, unit


def test_a_single_small_unit_is_hidden_in_its_pair_scope(warehouse):
    units = _units(warehouse, "portfolio_business_unit:pf_1:bu_b", SEPTEMBER)
    assert {key: units["bu_b"][key] for key in HIDDEN} == HIDDEN
    october = _units(warehouse, "organisation", OCTOBER)
    assert october["bu_b"]["is_suppressed"]  # 2 people, the month's only active unit
    assert october["bu_a"]["active_users"] == 0
    assert not october["bu_a"]["is_suppressed"]


def test_a_past_month_counts_the_use_case_in_its_portfolio_as_of_that_month(warehouse):
    assert _units(warehouse, "portfolio:pf_2", SEPTEMBER)["bu_a"]["active_users"] == 0
    november_2 = _units(warehouse, "portfolio:pf_2", NOVEMBER)["bu_a"]
    assert (november_2["active_users"], november_2["eligible_headcount"]) == (8, 200)  # v2
    assert november_2["penetration_pct"] == pytest.approx(4.0, abs=1e-9)
    assert _units(warehouse, "portfolio:pf_1", NOVEMBER)["bu_a"]["active_users"] == 0
    organisation = _units(warehouse, "organisation", NOVEMBER)
    assert organisation["bu_a"]["penetration_pct"] == pytest.approx(4.0, abs=1e-9)
    assert organisation["bu_b"]["is_suppressed"]
    assert organisation["bu_c"]["is_suppressed"]  # the complement again


def test_the_monthly_use_case_rows_follow_the_portfolio_as_of_each_month(warehouse):
    rows = warehouse.execute(
        """
        select scope_id, period_start, use_case_id, active_users, is_suppressed
        from main.rpt_use_case_scorecard
        where period_grain = 'month' and scope_id in ('portfolio:pf_1', 'portfolio:pf_2')
            and period_start in (?, ?)
        order by 1, 2, 3
        """,
        [SEPTEMBER, NOVEMBER],
    ).fetchall()
    assert rows == [
        ("portfolio:pf_1", SEPTEMBER, "uc_move", 7, False),
        ("portfolio:pf_1", SEPTEMBER, "uc_stay", 9, False),
        ("portfolio:pf_1", NOVEMBER, "uc_stay", 9, False),
        ("portfolio:pf_2", NOVEMBER, "uc_move", 8, False),
    ]


def test_one_use_cases_weekly_users_hide_a_small_week(warehouse):
    rows = warehouse.execute(
        """
        select week_start, active_users, requests, is_suppressed
        from main.rpt_use_case_adoption_weekly where use_case_id = 'uc_stay' order by 1
        """
    ).fetchall()
    assert rows == [
        (date(2025, 9, 8), 9, 9, False),
        (date(2025, 10, 6), None, 2, True),  # b1 and b2
        (date(2025, 11, 10), 9, 9, False),
    ]
