"""Connector to public marts: vendor files for people of a small demo organisation, in the
week after its canonical data ends, show up in the adoption and operations marts through the
people directory (one dbt build, ~30 s)."""

from __future__ import annotations

import base64
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from cadence.build import build
from cadence.config import DEFAULT_SEEDS
from cadence.demo.generate import generate
from cadence.published import read_pointer
from ingestion.connectors import github_copilot, m365_copilot, otel_genai
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)

SPAN_IDS = ("00f067aa0ba902b7", "53995c3f42cd8ad8")
FIXTURES = Path(__file__).parent / "fixtures"
END = date(2026, 6, 28)  # a Sunday: the canonical data ends with the week before WEEK
WEEK = date(2026, 6, 29)


def _people(people_csv: Path) -> pl.DataFrame:
    """Two people of one business unit and three of another, present on WEEK."""
    directory = pl.read_csv(people_csv, try_parse_dates=True).filter(
        pl.col("valid_to").is_null() & pl.col("business_unit_id").is_not_null()
    )
    units = directory.group_by("business_unit_id").len().filter(pl.col("len") >= 3)
    first, second = sorted(units["business_unit_id"].to_list())[:2]
    return pl.concat(
        [
            directory.filter(pl.col("business_unit_id") == first).sort("user_id").head(2),
            directory.filter(pl.col("business_unit_id") == second).sort("user_id").head(3),
        ]
    ).select("user_id", "business_unit_id")


def _base64(hex_id: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_id)).decode()


def _emu_login(email: str) -> str:
    return email.split("@")[0].replace(".", "-") + "_contoso"


AGENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _agent_trace(path: Path, user: str) -> Path:
    """One agent run (4 s, its span carrying the 3,000 / 500 tokens of its two model calls) with
    two gpt-4.1-mini calls of 1.5 s and 2.5 s and one failed tool call of 13.35 s, on 2026-07-01."""
    start = 1782898200000000000  # 2026-07-01T09:30:00Z

    def span(span_id: str, parent: str | None, ms: int, status: int, **attributes) -> dict:
        values = [
            {
                "key": key.replace("__", "."),
                "value": {"intValue": str(value)}
                if isinstance(value, int)
                else {"stringValue": value},
            }
            for key, value in attributes.items()
        ]
        values.append({"key": "user.id", "value": {"stringValue": user}})
        return {
            "traceId": AGENT_TRACE,
            "spanId": span_id,
            **({"parentSpanId": parent} if parent else {}),
            "name": attributes.get("gen_ai__operation__name", ""),
            "startTimeUnixNano": str(start),
            "endTimeUnixNano": str(start + ms * 1_000_000),
            "attributes": values,
            "status": {"code": status},
        }

    agent, model = {"gen_ai__agent__name": "copilot-agent"}, "gpt-4.1-mini"
    spans = [
        span(
            "a000000000000001",
            None,
            4000,
            1,
            gen_ai__operation__name="invoke_agent",
            **agent,
            gen_ai__usage__input_tokens=3000,
            gen_ai__usage__output_tokens=500,
        ),
        span(
            "a000000000000002",
            "a000000000000001",
            1500,
            1,
            gen_ai__operation__name="chat",
            gen_ai__provider__name="openai",
            gen_ai__request__model=model,
            gen_ai__usage__input_tokens=1000,
            gen_ai__usage__output_tokens=200,
        ),
        span(
            "a000000000000003",
            "a000000000000001",
            13350,
            2,
            gen_ai__operation__name="execute_tool",
            gen_ai__tool__name="run_in_terminal",
        ),
        span(
            "a000000000000004",
            "a000000000000001",
            2500,
            1,
            gen_ai__operation__name="chat",
            gen_ai__provider__name="openai",
            gen_ai__request__model=model,
            gen_ai__usage__input_tokens=2000,
            gen_ai__usage__output_tokens=300,
        ),
    ]
    export = {"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}
    path.write_text(json.dumps(export) + "\n")
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("round_trip")
    home = root / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_PSEUDONYM_KEY", "ab" * 32)
        patch.delenv("CADENCE_IDENTITY_MAP", raising=False)
        files = generate(root / "input", requests=2_000, people=300, end_date=END)
        for entity, paths in files.items():
            ingest_files(SCHEMAS[entity], paths, home)
        chosen = _people(files["people"][0])
        users = chosen["user_id"].to_list()
        vendor = root / "vendor"
        vendor.mkdir()

        # GitHub: users 0, 1 and 2 with Enterprise Managed Users logins, mapped to the directory.
        identity_map = vendor / "identities.csv"
        identity_map.write_text(
            "vendor_user_id,user_id\n" + "".join(f"{_emu_login(u)},{u}\n" for u in users[:3])
        )
        github = vendor / "users-1-day.ndjson"
        github.write_text(
            "".join(
                json.dumps(
                    {
                        "day": "2026-06-30",
                        "enterprise_id": "7",
                        "user_login": _emu_login(user),
                        "user_initiated_interaction_count": 4,
                        "code_generation_activity_count": 9,
                        "code_acceptance_activity_count": 3,
                        "loc_suggested_to_add_sum": 20,
                        "loc_added_sum": 12,
                        "used_chat": True,
                    }
                )
                + "\n"
                for user in users[:3]
            )
        )
        github_copilot.load([github], home, identity_map=identity_map)

        # Microsoft 365 Copilot: user 3 (by user principal name, as the directory holds it).
        m365 = vendor / "m365-usage.csv"
        m365.write_text(
            "Report Refresh Date,User Principal Name,Display Name,Last Activity Date,"
            "Word Copilot Last Activity Date,Report Period\n"
            f"2026-07-03,{users[3]},Someone,2026-07-01,2026-07-01,7\n"
        )
        m365_copilot.load([m365], home)

        # OpenTelemetry: one chat span by user 4, one span with no user; exported twice, with
        # OTLP/JSON's hex ids and protobuf JSON's base64 ids: two requests, not four.
        def span(span_id: str, user: str | None, *, encode: bool = False) -> dict:
            attributes = [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4.1"}},
                {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "100"}},
                {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "20"}},
            ]
            if user:
                attributes.append({"key": "user.id", "value": {"stringValue": user}})
            trace = "0af7651916cd43dd8448eb211c80319c"
            return {
                "traceId": _base64(trace) if encode else trace,
                "spanId": _base64(span_id) if encode else span_id,
                "startTimeUnixNano": "1782898200000000000",  # 2026-07-01T09:30:00Z
                "endTimeUnixNano": "1782898200800000000",
                "attributes": attributes,
                "status": {"code": 1},
            }

        for name, encode in (("spans.jsonl", False), ("spans-base64.jsonl", True)):
            pair = [
                span(SPAN_IDS[0], users[4], encode=encode),
                span(SPAN_IDS[1], None, encode=encode),
            ]
            export = {
                "resourceSpans": [
                    {
                        "resource": {
                            "attributes": [
                                {"key": "service.name", "value": {"stringValue": "assistant"}}
                            ]
                        },
                        "scopeSpans": [{"spans": pair}],
                    }
                ]
            }
            (vendor / name).write_text(json.dumps(export) + "\n")
            otel_genai.load([vendor / name], home)

        # An agent trace as VS Code's Copilot Chat exports one (issue 17): one agent run whose
        # span repeats its children's usage, two model calls and one failed tool call.
        otel_genai.load([_agent_trace(vendor / "agent.jsonl", users[4])], home)

        # A rotated file: a tool and an agent span whose parents are in another file, naming no
        # provider or model (they land with none; the build still passes).
        otel_genai.load([FIXTURES / "otel_genai_rotated_tool.jsonl"], home)

        build(home, DEFAULT_SEEDS, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    # Read a copy: the build's own DuckDB connection may still be cached in this process.
    copy = root / "published.duckdb"
    shutil.copy2(str(pointer["published_path"]), copy)
    return {"path": copy, "people": chosen}


def test_vendor_users_are_active_users_of_their_business_unit(published: dict) -> None:
    expected = published["people"].group_by("business_unit_id").len().sort("business_unit_id")
    con = duckdb.connect(str(published["path"]), read_only=True)
    try:
        rows = con.execute(
            "select business_unit_id, active_users from main.fct_adoption_weekly "
            "where week_start = $week and active_users > 0 order by business_unit_id",
            {"week": WEEK},
        ).fetchall()
    finally:
        con.close()
    assert rows == [(unit, count) for unit, count in expected.rows()]


def test_spans_reach_the_operations_mart_with_and_without_a_user(published: dict) -> None:
    con = duckdb.connect(str(published["path"]), read_only=True)
    try:
        rows = con.execute(
            "select use_case_id, model, requests, input_tokens, output_tokens, error_rate_pct "
            "from main.fct_operations_weekly where week_start = $week order by model",
            {"week": WEEK},
        ).fetchall()
    finally:
        con.close()
    # model calls only (CONTRACTS.md §5.1): the agent trace's two calls, not its agent span or
    # its failed tool call, and none of the rotated tool and agent spans (model 'unknown')
    assert rows == [
        ("unassigned", "gpt-4.1", 2, 200, 40, 0.0),
        ("unassigned", "gpt-4.1-mini", 2, 3000, 500, 0.0),
    ]


def test_an_agent_run_owns_the_model_and_tool_calls_beneath_it(published: dict) -> None:
    """Issue 17's VS Code trace: one run, 2 model calls, 1 failed tool call, 3,000 / 500 tokens
    (not 6,000 / 1,000), the agent's 4 s (not a 13.35 s tool call as a request's latency), and
    the calls' catalogue price: gpt-4.1-mini at $0.0004 / $0.0016 per 1k tokens, (1000 + 2000)
    x 0.0004 / 1000 + (200 + 300) x 0.0016 / 1000 = $0.002. The agent is in no registry."""
    con = duckdb.connect(str(published["path"]), read_only=True)
    try:
        run = con.execute(
            "select agent_id, model_calls, tool_calls, tool_errors, input_tokens, output_tokens, "
            "duration_ms, cost_usd, status, is_registered from main.fct_agent_runs "
            "where agent_run_id = $id",
            {"id": f"{AGENT_TRACE}-a000000000000001"},
        ).fetchall()
        weekly = con.execute(
            "select runs, successful_runs, success_rate_pct, model_calls_per_run, "
            "tool_calls_per_run, duration_p95_ms, cost_per_successful_run_usd, users, "
            "is_shadow_agent from main.fct_agents_weekly "
            "where week_start = $week and agent_id = 'copilot-agent'",
            {"week": WEEK},
        ).fetchall()
        p95 = con.execute(
            "select latency_p95_ms from main.fct_operations_weekly "
            "where week_start = $week and model = 'gpt-4.1-mini'",
            {"week": WEEK},
        ).fetchone()
    finally:
        con.close()
    assert len(run) == 1
    *counts, cost, status, registered = run[0]
    assert counts == ["copilot-agent", 2, 1, 1, 3000, 500, 4000.0]
    assert cost == pytest.approx(0.002, rel=1e-9)
    assert (status, registered) == ("success", False)
    assert len(weekly) == 1
    *rates, cost_per_run, users, shadow = weekly[0]
    assert rates == [1, 1, 100.0, 2.0, 1.0, 4000.0]
    assert cost_per_run == pytest.approx(0.002, rel=1e-9)
    assert (users, shadow) == (1, True)
    # the model calls' latency only: p95 of 1,500 and 2,500 ms is 2,450 ms (a 1% histogram)
    assert p95 is not None
    assert p95[0] == pytest.approx(2450, rel=0.005)


def test_spans_keep_their_trace_ids_and_deduplicate_across_id_encodings(published: dict) -> None:
    """The hex and base64 exports of the same two spans are two requests in
    int_requests_enriched, with the trace columns of CONTRACTS.md §5.1."""
    con = duckdb.connect(str(published["path"]), read_only=True)
    try:
        schema = con.execute(
            "select table_schema from information_schema.tables "
            "where table_name = 'int_requests_enriched'"
        ).fetchone()
        assert schema is not None
        rows = con.execute(
            "select request_id, trace_id, span_id, parent_span_id, agent_id, agent_name, "
            f"tool_name, provider, model from {schema[0]}.int_requests_enriched "
            "where tool in ('assistant', 'claims-triage') order by tool, request_id"
        ).fetchall()
    finally:
        con.close()
    trace = "0af7651916cd43dd8448eb211c80319c"  # the rotated fixture's trace too (another tool)
    tool_span, agent_span = "e100000000000003", "e100000000000009"
    assert rows == [
        *[
            (f"{trace}-{span}", trace, span, None, None, None, None, "openai", "gpt-4.1")
            for span in sorted(SPAN_IDS)
        ],
        (
            *(f"{trace}-{tool_span}", trace, tool_span, "e100000000000002", None, None),
            *("get_policy", "unknown", "unknown"),
        ),
        (
            *(f"{trace}-{agent_span}", trace, agent_span, "e100000000000001", "policy_lookup"),
            *("policy_lookup", None, "unknown", "unknown"),
        ),
    ]
