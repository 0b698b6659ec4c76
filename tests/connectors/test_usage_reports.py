"""Providers' aggregated usage and cost reports -> usage_daily (issue 18 items 3 and 5).

Fixtures follow the vendors' documented responses (OpenAI Usage and Costs APIs; Anthropic's
Usage and Cost Admin API). Figures worked out by hand:

- openai_usage_completions.json, 2026-03-02: gpt-4o-2024-08-06 in two projects, input 1000 +
  3000 text + 100 audio = 4100, output 500 + 700 + 50 audio = 1250, requests 4 + 6 = 10;
  gpt-4o-mini 400 / 100 / 2; 2026-03-03's bucket holds no result: one zero row, no model.
- openai_costs.jsonl (two pages, one a line): 2026-03-02 0.0125 + 0.02 + 0.0004 = 0.0329 USD
  (currency `usd` upper-cased); 2026-03-03 1.5.
- anthropic_usage_report.json, 2026-03-02 sonnet: 1200 uncached + 3000 cache read + 500
  (5m) cache creation + 300 uncached + 100 (1h) = 5100 input, 800 + 200 = 1000 output; haiku
  50 / 25; 2026-03-03 sonnet 10 + 20 + 30 = 60 / 40. No request count (the report has none).
- anthropic_cost_report.json, cents as decimal strings: 2026-03-02 sonnet (123.45 + 1500) /
  100 = 16.2345 USD; web search (no model) 1000 / 100 = 10; 2026-03-03 sonnet 0.5 / 100 =
  0.005.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.connectors import anthropic_usage, openai_usage
from ingestion.connectors.auto import load as load_auto
from ingestion.connectors.auto import recognise
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

TOL = 1e-9
COLUMNS = ["usage_date", "provider", "model", "source", "input_tokens", "output_tokens"]


def _rows(landed: Callable, source: str) -> list[dict]:
    frame = landed("usage_daily").filter(source=source).sort(["usage_date", "model"])
    return frame.to_dicts()


def test_openai_usage_sums_projects_per_day_and_model(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    (result,) = openai_usage.load([fixtures / "openai_usage_completions.json"], home)
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (3, 3, 0)
    rows = _rows(landed, "openai_usage")
    got = [
        (r["usage_date"], r["model"], r["input_tokens"], r["output_tokens"], r["requests"])
        for r in rows
    ]
    assert got == [
        (date(2026, 3, 2), "gpt-4o-2024-08-06", 4100, 1250, 10),
        (date(2026, 3, 2), "gpt-4o-mini-2024-07-18", 400, 100, 2),
        (date(2026, 3, 3), None, 0, 0, 0),
    ]
    assert {r["provider"] for r in rows} == {"openai"}
    assert all(r["cost"] is None for r in rows)
    # the grouping fields and the cached breakdown are named as not landed; user_id never read
    for name in (
        "project_id",
        "user_id",
        "api_key_id",
        "batch",
        "service_tier",
        "input_cached_tokens",
    ):
        assert name in result.dropped
    assert "user-Ab12Cd34Ef56" not in json.dumps(landed("usage_daily").to_dicts(), default=str)


def test_openai_costs_pages_land_one_row_per_day_in_dollars(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    (result,) = openai_usage.load([fixtures / "openai_costs.jsonl"], home)
    assert (result.rows_landed, result.rows_quarantined) == (2, 0)
    rows = _rows(landed, "openai_costs")
    assert [(r["usage_date"], r["model"], r["currency"]) for r in rows] == [
        (date(2026, 3, 2), None, "USD"),
        (date(2026, 3, 3), None, "USD"),
    ]
    assert rows[0]["cost"] == pytest.approx(0.0329, abs=TOL)
    assert rows[1]["cost"] == pytest.approx(1.5, abs=TOL)
    assert set(result.dropped) == {"line_item", "project_id"}


def test_anthropic_usage_counts_every_input_token_and_no_requests(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    (result,) = anthropic_usage.load([fixtures / "anthropic_usage_report.json"], home)
    assert (result.rows_landed, result.rows_quarantined) == (3, 0)
    rows = _rows(landed, "anthropic_usage")
    got = [(r["usage_date"], r["model"], r["input_tokens"], r["output_tokens"]) for r in rows]
    assert got == [
        (date(2026, 3, 2), "claude-haiku-4-5-20251001", 50, 25),
        (date(2026, 3, 2), "claude-sonnet-4-5-20250929", 5100, 1000),
        (date(2026, 3, 3), "claude-sonnet-4-5-20250929", 60, 40),
    ]
    assert all(r["requests"] is None and r["cost"] is None for r in rows)
    assert "server_tool_use" in result.dropped
    assert "workspace_id" in result.dropped


def test_anthropic_cost_amounts_are_cents(home: Path, fixtures: Path, landed: Callable) -> None:
    (result,) = anthropic_usage.load([fixtures / "anthropic_cost_report.json"], home)
    assert (result.rows_landed, result.rows_quarantined) == (3, 0)
    rows = _rows(landed, "anthropic_costs")
    costs = {(r["usage_date"], r["model"]): r["cost"] for r in rows}
    assert costs[(date(2026, 3, 2), "claude-sonnet-4-5-20250929")] == pytest.approx(16.2345)
    assert costs[(date(2026, 3, 2), None)] == pytest.approx(10.0)
    assert costs[(date(2026, 3, 3), "claude-sonnet-4-5-20250929")] == pytest.approx(0.005)
    assert {r["currency"] for r in rows} == {"USD"}
    assert {"description", "token_type", "cost_type"} <= set(result.dropped)


@pytest.mark.parametrize(
    ("name", "connector"),
    [
        ("openai_usage_completions.json", "openai-usage"),
        ("openai_costs.jsonl", "openai-usage"),
        ("anthropic_usage_report.json", "anthropic-usage"),
        ("anthropic_cost_report.json", "anthropic-usage"),
    ],
)
def test_auto_recognises_each_report(fixtures: Path, name: str, connector: str) -> None:
    assert recognise(fixtures / name) == connector


def test_reingesting_a_report_is_a_no_op(home: Path, fixtures: Path, landed: Callable) -> None:
    path = fixtures / "anthropic_cost_report.json"
    load_auto([path], home)
    (again,) = load_auto([path], home)
    assert again.status == "duplicate"
    assert landed("usage_daily").height == 3


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"object": "page", "data": [], "has_more": false}', "holds no OpenAI bucket"),
        (
            '{"data": [{"start_time": 1772409600, "end_time": 1772496000, "results": '
            '[{"object": "organization.usage.vector_stores.result", "usage_bytes": 10}]}]}',
            "vector_stores usage is not model usage",
        ),
        (
            '{"data": [{"start_time": 1772452800, "end_time": 1772539200, "results": []}]}',
            "is not within one UTC day",
        ),
        (
            '{"data": [{"start_time": 1772409600, "end_time": 1772496000, "results": ['
            '{"object": "organization.costs.result", "amount": {"value": 1, "currency": "usd"}},'
            '{"object": "organization.usage.completions.result", "input_tokens": 1, '
            '"output_tokens": 1, "num_model_requests": 1}]}]}',
            "mixes usage and cost results",
        ),
        (
            '{"data": [{"start_time": 1772409600, "end_time": 1772496000, "results": [',
            "invalid JSON",
        ),
    ],
)
def test_bad_openai_reports_are_refused_whole_naming_the_file(
    home: Path, write: Callable, landed: Callable, text: str, problem: str
) -> None:
    path = write("usage.json", text)
    (result,) = openai_usage.load([path], home)
    assert result.status == "refused"
    assert "usage.json" in result.message
    assert problem in result.message
    assert landed("usage_daily").height == 0


def test_a_count_that_is_no_number_quarantines_its_day_and_model(
    home: Path, write: Callable, landed: Callable, quarantined: Callable
) -> None:
    page = {
        "data": [
            {
                "starting_at": "2026-03-02T00:00:00Z",
                "ending_at": "2026-03-03T00:00:00Z",
                "results": [
                    {"uncached_input_tokens": "lots", "output_tokens": 1, "model": "a"},
                    {"uncached_input_tokens": 5, "output_tokens": 1, "model": "b"},
                ],
            }
        ]
    }
    path = write("anthropic.json", json.dumps(page))
    (result,) = anthropic_usage.load([path], home)
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (2, 1, 1)
    (bad,) = quarantined("usage_daily").to_dicts()
    assert bad["model"] == "a"
    assert "input_tokens: not a valid integer" in bad["_reason"]


def test_hourly_buckets_add_up_to_their_day(home: Path, write: Callable, landed: Callable) -> None:
    hours = [
        {
            "starting_at": f"2026-03-02T{hour:02d}:00:00Z",
            "ending_at": f"2026-03-02T{hour + 1:02d}:00:00Z",
            "results": [{"uncached_input_tokens": 7, "output_tokens": 3, "model": "m"}],
        }
        for hour in range(23)
    ]
    path = write("hours.jsonl", "\n".join(json.dumps({"data": [h]}) for h in hours))
    anthropic_usage.load([path], home)
    (row,) = landed("usage_daily").to_dicts()
    assert (row["usage_date"], row["input_tokens"], row["output_tokens"]) == (
        date(2026, 3, 2),
        7 * 23,
        3 * 23,
    )


def test_canonical_file_errors_name_the_file_and_never_read_zero_silently(
    home: Path, write: Callable, quarantined: Callable
) -> None:
    missing = write("usage_missing.csv", "usage_date,provider,model\n2026-03-02,openai,m\n")
    (refused,) = ingest_files(SCHEMAS["usage_daily"], [missing], home)
    assert refused.status == "refused"
    assert "usage_missing.csv" in refused.message
    assert "source" in refused.message
    bad = write(
        "usage_bad.csv",
        "usage_date,provider,source,cost,currency\n"
        "2026-03-02,openai,x,1.5,usd\n"
        "2026-03-02,openai,y,-1,EUR\n"
        "not a date,openai,z,1,EUR\n",
    )
    (result,) = ingest_files(SCHEMAS["usage_daily"], [bad], home)
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (3, 0, 3)
    reasons = sorted(quarantined("usage_daily")["_reason"].to_list())
    assert reasons == [
        "cost: below the minimum of 0",
        "currency: not an ISO 4217 currency code (three capital letters)",
        "usage_date: not a valid date",
    ]


def test_no_vendor_identity_is_stored_under_the_home(home: Path, fixtures: Path) -> None:
    for name in ("openai_usage_completions.json", "openai_costs.jsonl"):
        openai_usage.load([fixtures / name], home)
    for name in ("anthropic_usage_report.json", "anthropic_cost_report.json"):
        anthropic_usage.load([fixtures / name], home)
    con = duckdb.connect()
    try:
        text = " ".join(
            str(row)
            for row in con.sql(
                "select * from read_parquet($glob, union_by_name = true)",
                params={"glob": str(home / "**" / "*.parquet")},
            ).fetchall()
        )
    finally:
        con.close()
    for raw in ("user-Ab12Cd34Ef56", "user-Zz98Yy76Xx54", "apikey_01", "wrkspc_01", "proj_alpha"):
        assert raw not in text
