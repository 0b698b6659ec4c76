"""OpenTelemetry GenAI spans (OTLP/JSON file exporter) -> requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

from ingestion.connectors import otel_genai

T1 = "5b8efff798038103d269b633813fc60c"
T2 = "0af7651916cd43dd8448eb211c80319c"
COLUMNS = [
    "request_id",
    "occurred_at",
    "user_id",
    "use_case_id",
    "tool",
    "provider",
    "model",
    "operation",
    "input_tokens",
    "output_tokens",
    "latency_ms",
    "status",
    "feedback_score",
]


def test_genai_spans_become_requests(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    [result] = otel_genai.load([fixtures / "otel_genai_spans.jsonl"], home)

    assert (result.entity, result.rows_landed, result.rows_quarantined) == ("requests", 5, 1)
    ada, grace, alan = (
        alias("ada.lovelace@contoso.example"),
        alias("grace.hopper@contoso.example"),
        alias("alan.turing@contoso.example"),
    )
    expected = pl.DataFrame(
        {
            "request_id": [
                f"{T1}-eee19b7ec3c1b174",
                f"{T1}-051581bf3cb55c13",
                f"{T1}-a2e1bb8d0c0f3b11",
                f"{T2}-b7ad6b7169203331",
                f"{T2}-c0ffee0000000001",
            ],
            "occurred_at": [
                datetime(2026, 7, 1, 9, 30),
                datetime(2026, 7, 1, 9, 30, 0, 100_000),
                datetime(2026, 7, 1, 9, 30, 1, 400_000),
                datetime(2026, 7, 1, 9, 31),
                datetime(2026, 7, 1, 9, 32),
            ],
            # the tool span names no user: it counts in operations and trust, not adoption
            "user_id": [ada, ada, None, grace, alan],
            "use_case_id": ["uc_claims_triage"] * 3 + [None, None],
            "tool": ["claims-triage-agent"] * 3 + ["hr-helpdesk"] * 2,
            # gen_ai.system az.ai.openai and gcp.vertex_ai use the catalogue's provider names
            "provider": ["openai", "openai", "openai", "azure_openai", "google"],
            # the execute_tool span inherits its parent chat span's model
            "model": ["gpt-4.1", "gpt-4.1", "gpt-4.1", "gpt-4o", "gemini-2.5-flash"],
            "operation": ["invoke_agent", "chat", "execute_tool", "chat", "embeddings"],
            # deprecated gen_ai.usage.prompt_tokens / completion_tokens are read too
            "input_tokens": [None, 52, None, 1200, 310],
            "output_tokens": [None, 47, None, 0, None],
            "latency_ms": [2400.0, 1250.0, 250.0, 30000.0, 85.0],
            "status": ["success", "success", "success", "timeout", "filtered"],
            # evaluation events: label "relevant" -> 1, "fail" -> -1
            "feedback_score": pl.Series([None, 1, None, None, -1], dtype=pl.Int32),
        }
    )
    rows = landed("requests")
    assert_frame_equal(rows.select(COLUMNS), expected)
    chat = rows.row(1, named=True)
    assert chat["conversation_id"] == "conv_5j66UpCpwteGg4YSxUnt7lPY"
    assert chat["response_model"] == "gpt-4.1-2025-04-14"
    assert (chat["evaluation_name"], chat["evaluation_score"], chat["evaluation_label"]) == (
        "Relevance",
        "0.92",
        "relevant",
    )
    assert rows.row(3, named=True)["error_type"] == "TimeoutError"
    assert rows.row(3, named=True)["otel_provider"] == "az.ai.openai"


def test_unknown_span_status_is_quarantined(
    home: Path, fixtures: Path, quarantined: Callable
) -> None:
    otel_genai.load([fixtures / "otel_genai_spans.jsonl"], home)

    rows = quarantined("requests").select("request_id", "status", "_reason").rows()
    assert rows == [
        (
            f"{T2}-c0ffee0000000002",
            "status_code_7",
            "status: unknown value (allowed: success, error, timeout, blocked, filtered)",
        )
    ]


def test_message_content_is_never_stored(home: Path, fixtures: Path) -> None:
    otel_genai.load([fixtures / "otel_genai_spans.jsonl"], home)

    con = duckdb.connect()
    for area in ("landing", "quarantine"):
        text = con.execute(
            "select string_agg(cast(columns(*) as varchar), '|') from read_parquet($glob, "
            "union_by_name = true)",
            {"glob": str(home / area / "requests" / "**" / "*.parquet")},
        ).fetchall()
        dumped = json.dumps(text)
        for secret in ("Weather in Paris", "Rainy", "leave policy", "C-1", "answers the question"):
            assert secret not in dumped


def test_spans_without_a_timestamp_or_with_negative_duration_are_quarantined(
    home: Path, write: Callable, quarantined: Callable
) -> None:
    def span(span_id: str, start: str, end: str) -> dict:
        return {
            "traceId": T1,
            "spanId": span_id,
            "startTimeUnixNano": start,
            "endTimeUnixNano": end,
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4.1"}},
            ],
        }

    export = {
        "resourceSpans": [
            {
                "resource": {"attributes": []},
                "scopeSpans": [
                    {
                        "spans": [
                            span("01", "not-a-time", "1782898200000000000"),
                            span("02", "1782898201000000000", "1782898200000000000"),
                        ]
                    }
                ],
            }
        ]
    }
    otel_genai.load([write("spans.json", json.dumps(export))], home)

    assert quarantined("requests").select("request_id", "_reason").rows() == [
        (f"{T1}-01", "occurred_at: not a valid timestamp"),
        (f"{T1}-02", "latency_ms: below the minimum of 0"),
    ]


def test_truncated_export_is_refused_whole(
    home: Path, fixtures: Path, write: Callable, landed: Callable
) -> None:
    text = (fixtures / "otel_genai_spans.jsonl").read_text()
    path = write("truncated.jsonl", text[: len(text) - 200])

    [result] = otel_genai.load([path], home)

    assert result.status == "refused"
    assert result.message.startswith(f"{path}, line 2: otel-genai: invalid JSON")
    assert landed("requests").is_empty()


def test_logs_are_not_traces(home: Path, write: Callable) -> None:
    path = write("logs.json", json.dumps({"resourceLogs": []}))

    [result] = otel_genai.load([path], home)

    assert result.status == "refused"
    assert "OTLP logs or metrics, not traces" in result.message


def test_reingesting_the_same_export_is_a_no_op(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    otel_genai.load([fixtures / "otel_genai_spans.jsonl"], home)
    [again] = otel_genai.load([fixtures / "otel_genai_spans.jsonl"], home)

    assert again.status == "duplicate"
    assert landed("requests").height == 5
