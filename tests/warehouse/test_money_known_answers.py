"""Money, labelled (issue 19 item 4; CONTRACTS.md §5.2): landed through the real ingestion and
built by `cadence build` as of 2026-02-28 (calendar quarters), every figure worked out by hand.

- The catalogue prices p/m at 0.01 (input) and 0.02 (output) USD per 1k tokens, and from
  2026-02-01 (models.csv `valid_from`) at 0.002 and 0.004. Two requests of uc_life with 1,000
  input and 1,000 output tokens and no reported cost: on 2026-01-31 it costs 0.01 + 0.02 =
  0.03, on 2026-02-02 0.002 + 0.004 = 0.006 — past usage keeps the price of its day. The
  February one is the one model call of an agent run (a1, 2026-02-02); a second run (a2) fails
  with no call: 2 runs, 1 successful, 0.006 per successful agent run.
- value_assumptions.csv: a `t` seat costs 36.5 USD a month, so 36.5 x 12 / 365 = 1.2 a day;
  loaded_hourly_cost_usd 84. u1 holds a `t` seat from 2026-01-30 through its removal on
  2026-02-02: 1.2 on each of four days, 3 of them in the week of 2026-01-26 (3.6) and 1 in
  the week of 2026-02-02 (1.2); January has 2 seat-days (2.4), February 2 (2.4).
- Five people answer a survey in February, each saving 42 minutes a week: 210 minutes a week
  is 3.5 hours x 84 = 294 USD a week, x 28 elapsed days / 7 = 1,176 USD of modelled value in
  February (the month is to date, and complete, on 2026-02-28). Satisfaction 4, 4, 4, 5, 5:
  mean 4.4.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tiny_organisation import write_config, write_csv

from cadence.build import build
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)

MODELS = [
    {
        "provider": "p",
        "model": "m",
        "is_approved": "true",
        "max_data_classification": "confidential",
        "input_usd_per_1k_tokens": 0.01,
        "output_usd_per_1k_tokens": 0.02,
        "valid_from": "",
    },
    {
        "provider": "p",
        "model": "m",
        "is_approved": "true",
        "max_data_classification": "confidential",
        "input_usd_per_1k_tokens": 0.002,
        "output_usd_per_1k_tokens": 0.004,
        "valid_from": "2026-02-01",
    },
]
VALUE_ASSUMPTIONS = [
    {"assumption": "loaded_hourly_cost_usd", "value": 84, "unit": "USD per hour", "source": "t"},
    {"assumption": "seat_usd_per_month:t", "value": 36.5, "unit": "USD", "source": "t"},
]
TOL = 1e-9


TRACE = "0af7651916cd43dd8448eb211c80319c"


def _request(
    request_id: str,
    occurred_at: str,
    *,
    span: tuple[str, str, str] = ("", "", ""),
    operation: str = "chat",
    status: str = "success",
    tokens: int = 1000,
) -> dict[str, object]:
    """A request of uc_life by u1; `span` = (span_id, parent_span_id, agent_name) in TRACE."""
    span_id, parent, agent = span
    return {
        "request_id": request_id,
        "occurred_at": occurred_at,
        "user_id": "u1",
        "business_unit_id": "bu_a",
        "use_case_id": "uc_life",
        "tool": "gateway",
        "provider": "p",
        "model": "m",
        "operation": operation,
        "input_tokens": tokens,
        "output_tokens": tokens,
        "latency_ms": 100,
        "status": status,
        "trace_id": TRACE if span_id else "",
        "span_id": span_id,
        "parent_span_id": parent,
        "agent_name": agent,
        "cost_usd": "",
        "data_classification": "public",
        "policy_action": "allowed",
        "feedback_score": "",
    }


def _land(home: Path, work: Path) -> None:
    files = {
        "requests": [
            _request("r_january", "2026-01-31T10:00:00Z"),
            # a model call of the agent run a1 (helper); the run a2 failed with no call
            _request(
                "r_february",
                "2026-02-02T10:00:00Z",
                span=("00000000000000c1", "00000000000000a1", ""),
            ),
            _request(
                "a1",
                "2026-02-02T09:59:00Z",
                span=("00000000000000a1", "", "helper"),
                operation="invoke_agent",
                tokens=0,
            ),
            _request(
                "a2",
                "2026-02-03T09:00:00Z",
                span=("00000000000000a2", "", "helper"),
                operation="invoke_agent",
                status="error",
                tokens=0,
            ),
        ],
        "licenses": [
            {"user_id": "u1", "tool": "t", "assigned_on": "2026-01-30", "removed_on": "2026-02-02"}
        ],
        "survey_responses": [
            {
                "response_id": f"s{n}",
                "submitted_at": "2026-02-10T09:00:00Z",
                "user_id": f"u{n}",
                "use_case_id": "uc_life",
                "business_unit_id": "bu_a",
                "satisfaction": satisfaction,
                "trust": 4,
                "minutes_saved_per_week": 42,
            }
            for n, satisfaction in zip(range(1, 6), (4, 4, 4, 5, 5), strict=True)
        ],
    }
    for entity, rows in files.items():
        path = work / f"{entity}.csv"
        write_csv(path, rows)
        results = ingest_files(SCHEMAS[entity], [path], home, echo=lambda _: None)
        assert all(r.rows_quarantined == 0 for r in results), results
        assert sum(r.rows_landed for r in results) == len(rows), results


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("money")
    config = write_config(
        root / "config", {"calendar": [{"setting": "fiscal_year_start_month", "value": 1}]}
    )
    write_csv(config / "models.csv", MODELS)
    write_csv(config / "value_assumptions.csv", VALUE_ASSUMPTIONS)
    home = root / "home"
    _land(home, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", "2026-02-28")
        build(home, config, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    return Path(str(pointer["published_path"]))


def _rows(published: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.sql(sql).pl().to_dicts()
    finally:
        con.close()


def test_usage_is_priced_at_the_catalogue_price_of_its_day(published: Path) -> None:
    rows = _rows(
        published,
        "select week_start::varchar as week, use_case_id, cost_usd, priced_cost_usd, "
        "seat_cost_usd, total_cost_usd from main.fct_unit_costs_weekly order by 1, 2",
    )
    by_key = {(row["week"], row["use_case_id"]): row for row in rows}
    assert set(by_key) == {
        ("2026-01-26", "uc_life"),
        ("2026-01-26", "unassigned"),
        ("2026-02-02", "uc_life"),
        ("2026-02-02", "unassigned"),
    }
    assert by_key["2026-01-26", "uc_life"]["priced_cost_usd"] == pytest.approx(0.03, abs=TOL)
    assert by_key["2026-02-02", "uc_life"]["priced_cost_usd"] == pytest.approx(0.006, abs=TOL)
    for week in ("2026-01-26", "2026-02-02"):
        assert by_key[week, "uc_life"]["seat_cost_usd"] == 0
        assert by_key[week, "uc_life"]["total_cost_usd"] == pytest.approx(
            by_key[week, "uc_life"]["cost_usd"], abs=TOL
        )
    assert by_key["2026-01-26", "unassigned"]["seat_cost_usd"] == pytest.approx(3.6, abs=TOL)
    assert by_key["2026-02-02", "unassigned"]["seat_cost_usd"] == pytest.approx(1.2, abs=TOL)
    assert by_key["2026-02-02", "unassigned"]["cost_usd"] == 0
    # agents (issue 19 item 4, fct_agents_weekly): run a1 owns r_february (0.006), run a2
    # failed with no call beneath it (its own zero tokens): 0.006 per successful run; the
    # operations count the one model call, and the agent cost is not added to the total
    agents = _rows(
        published,
        "select requests, agent_runs, successful_agent_runs, agent_cost_usd, "
        "cost_per_successful_agent_run_usd, total_cost_usd from main.fct_unit_costs_weekly "
        "where week_start = '2026-02-02' and use_case_id = 'uc_life'",
    )[0]
    assert (agents["requests"], agents["agent_runs"], agents["successful_agent_runs"]) == (1, 2, 1)
    assert agents["agent_cost_usd"] == pytest.approx(0.006, abs=TOL)
    assert agents["cost_per_successful_agent_run_usd"] == pytest.approx(0.006, abs=TOL)
    assert agents["total_cost_usd"] == pytest.approx(0.006, abs=TOL)


def test_cost_and_modelled_value_of_each_month(published: Path) -> None:
    rows = _rows(
        published,
        "select period_start::varchar as period, * from main.rpt_cost_and_value "
        "where scope_id = 'organisation' and period_grain = 'month' order by period_start",
    )
    months = {row["period"]: row for row in rows}
    january, february = months["2026-01-01"], months["2026-02-01"]
    assert january["usage_cost_usd"] == pytest.approx(0.03, abs=TOL)
    assert january["seat_days"] == 2
    assert january["seat_cost_usd"] == pytest.approx(2.4, abs=TOL)
    assert january["survey_respondents"] == 0
    assert january["modelled_value_usd"] is None
    assert february["usage_cost_usd"] == pytest.approx(0.006, abs=TOL)
    assert february["seat_cost_usd"] == pytest.approx(2.4, abs=TOL)
    assert february["total_cost_usd"] == pytest.approx(2.406, abs=TOL)
    assert february["elapsed_days"] == 28
    assert february["survey_respondents"] == 5
    assert february["avg_satisfaction"] == pytest.approx(4.4, abs=TOL)
    assert february["avg_minutes_saved_per_week"] == pytest.approx(42, abs=TOL)
    assert february["loaded_hourly_cost_usd"] == pytest.approx(84, abs=TOL)
    assert february["modelled_value_usd"] == pytest.approx(1176, abs=1e-6)
    assert not february["is_survey_suppressed"]


def test_the_quarter_adds_its_months(published: Path) -> None:
    (quarter,) = _rows(
        published,
        "select * from main.rpt_cost_and_value where scope_id = 'organisation' "
        "and period_grain = 'quarter' and period_start = '2026-01-01'",
    )
    assert quarter["usage_cost_usd"] == pytest.approx(0.036, abs=TOL)
    assert quarter["seat_cost_usd"] == pytest.approx(4.8, abs=TOL)
    assert quarter["elapsed_days"] == 59
    # 294 USD a week over the 59 days from 1 January: the respondents' weekly saving is
    # spread over the quarter to date, not only the month they answered in
    assert quarter["modelled_value_usd"] == pytest.approx(294 * 59 / 7, abs=1e-6)
