"""The demo organisation runs agents (issue 17, item 5): its OTLP/JSON traces
(`cadence/generate_vendor.py`, `otel-genai/`) land through the connector, and the agent marts
show what was planted there.

Each figure of fct_agents_weekly is recomputed here from the landed spans themselves (the
landing zone's Parquet, not a model): runs, successful runs, tool errors and the p95 run
duration per agent and week. Then the planted stories: the claims agent's flaky tool
(`fetch_claim_history`) fails in every week and keeps its success rate amber; the review
agent is slow (p95 run duration red); `knowledge_assistant`, in no registry, is a shadow
agent while the two registered ones are not and carry their registry's use case and owner.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from cadence.generate_vendor import AGENTS

SERVICES = {service: agent for agent, (service, *_rest) in AGENTS.items()}


@pytest.fixture(scope="module")
def landed_runs(published_home: Path) -> dict[tuple[str, object], dict[str, object]]:
    """Per (agent, week): runs, successful runs, tool errors and run durations, from the
    landed spans of the demo's agent services (one agent per trace in these traces)."""
    con = duckdb.connect()
    try:
        rows = con.execute(
            """
            with spans as (
                select * from read_parquet($glob, union_by_name = true)
                where tool in (select unnest($services))
            ),
            runs as (
                select trace_id, agent_name, status, latency_ms,
                    date_trunc('week', occurred_at at time zone 'UTC')::date as week_start
                from spans where operation = 'invoke_agent'
            ),
            tool_errors as (
                select trace_id, count(*) as errors from spans
                where operation = 'execute_tool' and status in ('error', 'timeout')
                group by trace_id
            )
            select runs.agent_name, runs.week_start, count(*) as runs,
                count(*) filter (where runs.status = 'success') as successful_runs,
                coalesce(sum(tool_errors.errors), 0) as tool_errors,
                list(runs.latency_ms) as durations
            from runs left join tool_errors using (trace_id)
            group by all
            """,
            {
                "glob": str(published_home / "landing" / "requests" / "**" / "*.parquet"),
                "services": list(SERVICES),
            },
        ).fetchall()
    finally:
        con.close()
    return {
        (agent, week): {
            "runs": runs,
            "successful_runs": ok,
            "tool_errors": errors,
            "durations": durations,
        }
        for agent, week, runs, ok, errors, durations in rows
    }


def test_agents_weekly_equals_the_landed_spans(landed_runs, mart):
    weekly = mart(
        "select * from fct_agents_weekly where agent_id in (select unnest($agents))",
        agents=list(AGENTS),
    )
    got = {(row["agent_id"], row["week_start"]): row for row in weekly.iter_rows(named=True)}
    assert set(got) == set(landed_runs)
    assert {agent for agent, _ in got} == set(AGENTS)
    assert len({week for _, week in got}) >= 8, "eight weeks of traces"
    for key, want in landed_runs.items():
        row = got[key]
        assert row["runs"] == want["runs"], key
        assert row["successful_runs"] == want["successful_runs"], key
        assert row["tool_errors"] == want["tool_errors"], key
        p95 = float(np.percentile(np.array(want["durations"], dtype=float), 95))
        assert row["duration_p95_ms"] == pytest.approx(p95, abs=1e-3), key
        assert row["success_rate_pct"] == pytest.approx(
            100 * want["successful_runs"] / want["runs"], abs=1e-9
        ), key


def test_the_planted_agents_show_in_the_latest_quarter(mart):
    quarter = mart(
        """
        select * from rpt_agent_periods
        where scope_id = 'organisation' and period_grain = 'quarter'
            and period_start = (
                select max(period_start) from rpt_agent_periods where period_grain = 'quarter'
            )
        """
    )
    rows = {row["agent_id"]: row for row in quarter.iter_rows(named=True)}
    assert set(AGENTS) <= set(rows)
    claims, review, assistant = (
        rows["claims-triage-agent"],
        rows["pr-review-agent"],
        rows["knowledge_assistant"],
    )
    # the flaky tool: failures every quarter, a success rate between the amber and green bounds
    assert claims["tool_errors"] > 0
    assert 85 <= claims["success_rate_pct"] < 95, claims["success_rate_pct"]
    assert claims["success_rate_status"] == "amber"
    # the slow agent: p95 run duration past the red bound (agent_duration_p95_ms amber 120 s)
    assert review["duration_p95_ms"] > 120_000
    assert review["duration_p95_status"] == "red"
    assert review["success_rate_status"] == "green"
    # the registry: use case and owner for the registered, shadow for the unregistered
    assert not claims["is_shadow_agent"]
    assert not review["is_shadow_agent"]
    assert assistant["is_shadow_agent"]
    assert (claims["use_case_id"], claims["owner"]) == (
        "uc_claims_triage",
        "Head of Claims Operations",
    )
    assert (review["use_case_id"], review["owner"]) == (
        "uc_code_review_assistant",
        "VP Engineering",
    )
    assert assistant["owner"] is None
    # the registry joins each registered agent to its use case's verdict and launch readiness
    # as known at the quarter's end (fct_use_case_periods); a shadow agent has neither
    start = quarter["period_start"][0]
    for agent in (claims, review):
        known = mart(
            """
            select recommendation, readiness_status, readiness_gaps from fct_use_case_periods
            where period_grain = 'quarter' and period_start = $start and use_case_id = $use_case
            """,
            start=start,
            use_case=agent["use_case_id"],
        ).row(0, named=True)
        assert known["readiness_status"] in ("ready", "not_ready")
        assert {key: agent[key] for key in known} == known
    assert (assistant["recommendation"], assistant["readiness_status"]) == (None, None)


def test_weekly_tool_failures_run_through_every_week(mart):
    weekly = mart(
        "select week_start, tool_errors from fct_agents_weekly "
        "where agent_id = 'claims-triage-agent' order by week_start"
    )
    assert weekly.height >= 8
    assert all(errors > 0 for errors in weekly["tool_errors"]), weekly
