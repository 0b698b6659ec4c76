"""The weekly operations review's workflow, unit-cost, lifecycle and licence rows of a reader's
scope (rpt_workflow_weekly, rpt_unit_costs_weekly, rpt_user_lifecycle_weekly,
rpt_license_utilisation_weekly) against answers worked out by hand from a few landed rows.

The organisation is `tiny_organisation.py`'s with a second portfolio (pf_2) and a second
business unit (bu_b), built as of 2026-03-31 with the default minimum group size (5). Two
configuration versions are recorded: v1 on 2025-06-01 (uc_life in pf_1) and v2 on 2025-09-10
(uc_life moved to pf_2). Week A starts Monday 2025-09-01 and ends 2025-09-07 (v1 in force); week
B starts 2025-09-08 and ends 2025-09-14 (v2 in force, though its rows happened on 2025-09-09,
the day before v2 was recorded: what counts is the configuration known at the week's end).

Rows landed (through the real ingestion), all in bu_a:
- workflow: uc_life starts 4 runs on Tue 2025-09-02 (r1-r4; r1, r2 complete; r3 has an
  exception) and 2 on Tue 2025-09-09 (r5, r6; both complete);
- requests: u1 makes 3 requests to uc_life in week A (0.50 USD each) and 2 in week B (1.00 USD
  each); u2-u6 make one request each to uc_plan (pf_1) in week A, u2-u7 one each in week B
  (0.10 USD each);
- licences: the tool `chat` is held by u1-u7 from 2025-08-01, `code` by u1-u3; nobody used
  `code`; u7 used `chat` only in week B.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pytest
from tiny_organisation import CONFIG, write_config, write_csv

from cadence import config_history
from cadence.build import build
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(900)

BUILD_DATE = "2026-03-31"
WEEK_A, WEEK_B = date(2025, 9, 1), date(2025, 9, 8)
ORGANISATION, PF_1, PF_2, BU_A = (
    "organisation",
    "portfolio:pf_1",
    "portfolio:pf_2",
    "business_unit:bu_a",
)
TOLERANCE = 1e-9


def _config(portfolio_of_life: str) -> dict[str, list[dict[str, Any]]]:
    portfolio = CONFIG["portfolios"][0]
    unit = CONFIG["business_units"][0]
    return {
        "portfolios": [portfolio, {**portfolio, "portfolio_id": "pf_2", "name": "Two"}],
        "business_units": [unit, {**unit, "business_unit_id": "bu_b", "name": "B"}],
        "use_cases": [
            {**row, "portfolio_id": portfolio_of_life} if row["use_case_id"] == "uc_life" else row
            for row in CONFIG["use_cases"]
        ],
    }


def _requests() -> list[dict[str, Any]]:
    rows = []

    def request(user: str, use_case: str, day: str, cost: float) -> None:
        rows.append(
            {
                "request_id": f"q{len(rows) + 1}",
                "occurred_at": f"{day}T10:00:00",
                "user_id": user,
                "business_unit_id": "bu_a",
                "use_case_id": use_case,
                "tool": "chat",
                "provider": "openai",
                "model": "gpt-4o",
                "operation": "chat",
                "input_tokens": 10,
                "output_tokens": 10,
                "latency_ms": 100,
                "status": "success",
                "cost_usd": cost,
            }
        )

    for _ in range(3):
        request("u1", "uc_life", "2025-09-02", 0.5)
    for _ in range(2):
        request("u1", "uc_life", "2025-09-09", 1.0)
    for user in range(2, 7):
        request(f"u{user}", "uc_plan", "2025-09-03", 0.1)
    for user in range(2, 8):
        request(f"u{user}", "uc_plan", "2025-09-10", 0.1)
    return rows


def _workflow_events() -> list[dict[str, Any]]:
    rows = []

    def event(run: str, day: str, hour: int, event_type: str) -> None:
        rows.append(
            {
                "event_id": f"e{len(rows) + 1}",
                "run_id": run,
                "use_case_id": "uc_life",
                "occurred_at": f"{day}T{hour:02d}:00:00",
                "event_type": event_type,
                "ai_assisted": "true" if event_type == "run_started" else "",
            }
        )

    for run in ("r1", "r2", "r3", "r4"):
        event(run, "2025-09-02", 9, "run_started")
    event("r1", "2025-09-02", 11, "run_completed")
    event("r2", "2025-09-02", 12, "run_completed")
    event("r3", "2025-09-02", 10, "exception")
    for run in ("r5", "r6"):
        event(run, "2025-09-09", 9, "run_started")
        event(run, "2025-09-09", 11, "run_completed")
    return rows


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("weekly_review")
    home, work = root / "home", root / "work"
    work.mkdir()
    v1 = write_config(work / "v1", _config("pf_1"))
    config_history.stage(home, v1, "20250601T000000000000Z", datetime(2025, 6, 1, tzinfo=UTC))
    config_history.commit(home, "20250601T000000000000Z")
    v2 = write_config(work / "v2", _config("pf_2"))
    config_history.stage(home, v2, "20250910T000000000000Z", datetime(2025, 9, 10, tzinfo=UTC))
    config_history.commit(home, "20250910T000000000000Z")
    people = [
        {"user_id": f"u{user}", "business_unit_id": "bu_a", "valid_from": "2025-01-01"}
        for user in range(1, 8)
    ]
    licenses = [
        {"user_id": f"u{user}", "tool": "chat", "assigned_on": "2025-08-01"} for user in range(1, 8)
    ] + [{"user_id": f"u{user}", "tool": "code", "assigned_on": "2025-08-01"} for user in (1, 2, 3)]
    for entity, rows in {
        "people": people,
        "licenses": licenses,
        "requests": _requests(),
        "workflow_events": _workflow_events(),
    }.items():
        path = work / f"{entity}.csv"
        write_csv(path, rows)
        results = ingest_files(SCHEMAS[entity], [path], home, echo=lambda _: None)
        assert all(result.status != "refused" for result in results), results
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", BUILD_DATE)
        patch.delenv("CADENCE_MIN_GROUP_SIZE", raising=False)
        build(home, v2, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    yield con
    con.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _keyed(con, model: str, key: str) -> dict[tuple[str, date, str], dict[str, Any]]:
    rows = _rows(
        con,
        f"select * from main.{model} where week_start in (?, ?)",
        WEEK_A,
        WEEK_B,
    )
    return {(row["scope_id"], row["week_start"], row[key]): row for row in rows}


def test_the_configured_move_is_recorded(warehouse) -> None:
    """The premise: uc_life is in pf_1 as known at week A's end and in pf_2 at week B's."""
    found = dict(
        warehouse.execute(
            "select period_start, portfolio_id from main.fct_use_case_periods"
            " where use_case_id = 'uc_life' and period_grain = 'week' and period_start in (?, ?)",
            [WEEK_A, WEEK_B],
        ).fetchall()
    )
    assert found == {WEEK_A: "pf_1", WEEK_B: "pf_2"}


def test_workflow_rows_use_the_portfolio_known_at_each_weeks_end(warehouse) -> None:
    """Week A: 4 runs, 2 completed (50 %), 1 with an exception (25 %), under pf_1; week B: 2
    runs, both completed, under pf_2; the business unit and the organisation hold both."""
    rows = _keyed(warehouse, "rpt_workflow_weekly", "use_case_id")
    life = {(scope, week) for scope, week, use_case in rows if use_case == "uc_life"}
    assert life == {
        (ORGANISATION, WEEK_A),
        (ORGANISATION, WEEK_B),
        (BU_A, WEEK_A),
        (BU_A, WEEK_B),
        (PF_1, WEEK_A),
        (PF_2, WEEK_B),
        ("portfolio_business_unit:pf_1:bu_a", WEEK_A),
        ("portfolio_business_unit:pf_2:bu_a", WEEK_B),
    }
    week_a = rows[(PF_1, WEEK_A, "uc_life")]
    assert (week_a["runs_started"], week_a["runs_completed"]) == (4, 2)
    assert week_a["completion_rate_pct"] == pytest.approx(50.0, abs=TOLERANCE)
    assert week_a["exception_rate_pct"] == pytest.approx(25.0, abs=TOLERANCE)
    assert week_a["use_case_name"] == "Life cycle"
    week_b = rows[(PF_2, WEEK_B, "uc_life")]
    assert (week_b["runs_started"], week_b["runs_completed"]) == (2, 2)
    assert week_b["exception_rate_pct"] == pytest.approx(0.0, abs=TOLERANCE)


def test_unit_cost_rows_use_the_portfolio_known_at_each_weeks_end(warehouse) -> None:
    """uc_life: week A 3 requests, 1.50 USD, 2 completed runs (0.75 per run) under pf_1; week
    B 2 requests, 2.00 USD, 2 completed runs (1.00 per run) under pf_2. uc_plan stays in pf_1."""
    rows = _keyed(warehouse, "rpt_unit_costs_weekly", "use_case_id")
    assert (PF_2, WEEK_A, "uc_life") not in rows
    assert (PF_1, WEEK_B, "uc_life") not in rows
    week_a = rows[(PF_1, WEEK_A, "uc_life")]
    assert (week_a["requests"], week_a["runs_completed"]) == (3, 2)
    assert week_a["cost_usd"] == pytest.approx(1.5, abs=TOLERANCE)
    assert week_a["cost_per_request_usd"] == pytest.approx(0.5, abs=TOLERANCE)
    assert week_a["cost_per_completed_run_usd"] == pytest.approx(0.75, abs=TOLERANCE)
    week_b = rows[(PF_2, WEEK_B, "uc_life")]
    assert (week_b["requests"], week_b["runs_completed"]) == (2, 2)
    assert week_b["cost_usd"] == pytest.approx(2.0, abs=TOLERANCE)
    assert week_b["cost_per_completed_run_usd"] == pytest.approx(1.0, abs=TOLERANCE)
    assert rows[(PF_1, WEEK_B, "uc_plan")]["cost_usd"] == pytest.approx(0.6, abs=TOLERANCE)
    assert rows[(ORGANISATION, WEEK_B, "uc_life")] == {**week_b, "scope_id": ORGANISATION}


def test_lifecycle_counts_each_scopes_people_and_hides_small_groups(warehouse) -> None:
    """Organisation: week A u1-u6 are new (6); week B u7 is new (1: hidden) and u1-u6 return
    (6: hidden as its complement, new + returning being the active users tile). pf_1: week B
    u1 is active in pf_2 only (uc_life moved), so 1 lapsed from pf_1 (hidden), u7 new (hidden)
    and u2-u6 return (5, hidden as the complement). pf_2: week B u1 is its one new user."""
    rows = {
        key: (row["users_count"], row["is_suppressed"])
        for key, row in _keyed(warehouse, "rpt_user_lifecycle_weekly", "lifecycle_group").items()
    }
    expected = {
        (ORGANISATION, WEEK_A, "new"): (6, False),
        (ORGANISATION, WEEK_A, "returning"): (0, False),
        (ORGANISATION, WEEK_A, "lapsed"): (0, False),
        (ORGANISATION, WEEK_B, "new"): (None, True),
        (ORGANISATION, WEEK_B, "returning"): (None, True),
        (ORGANISATION, WEEK_B, "lapsed"): (0, False),
        (PF_1, WEEK_A, "new"): (6, False),
        (PF_1, WEEK_B, "new"): (None, True),
        (PF_1, WEEK_B, "returning"): (None, True),
        (PF_1, WEEK_B, "lapsed"): (None, True),
        (PF_2, WEEK_A, "new"): (0, False),
        (PF_2, WEEK_B, "new"): (None, True),
        (PF_2, WEEK_B, "returning"): (0, False),
    }
    assert {key: rows[key] for key in expected} == expected


def test_licences_show_whole_business_units_and_hide_small_groups(warehouse) -> None:
    """chat: 7 seats; week A 6 used and 1 idle (u7: a group of one, so the split is hidden),
    week B all 7 used. code: 3 holders, hidden altogether. A portfolio has no licence rows."""
    rows = _keyed(warehouse, "rpt_license_utilisation_weekly", "tool")
    figures = ("licensed_seats", "used_seats", "idle_licenses", "is_suppressed")
    for scope in (ORGANISATION, BU_A):
        assert tuple(rows[(scope, WEEK_A, "chat")][f] for f in figures) == (7, None, None, True)
        assert rows[(scope, WEEK_A, "chat")]["license_utilisation_pct"] is None
        assert tuple(rows[(scope, WEEK_B, "chat")][f] for f in figures) == (7, 7, 0, False)
        assert rows[(scope, WEEK_B, "chat")]["license_utilisation_pct"] == pytest.approx(
            100.0, abs=TOLERANCE
        )
        for week in (WEEK_A, WEEK_B):
            assert tuple(rows[(scope, week, "code")][f] for f in figures) == (
                None,
                None,
                None,
                True,
            )
    assert not [key for key in rows if key[0].startswith("portfolio")]
