"""OpenTelemetry GenAI spans (OTLP/JSON file exporter) -> requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cadence.cli import main
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


# --------------------------------------------------------------------------- dialects (issue 17)

DIALECTS = "otel_genai_dialects.jsonl"
TA, TB, TC, TD, TE = (f"{c * 8}{n:024x}" for c, n in zip("abcde", range(1, 6), strict=True))
TRACE_COLUMNS = [
    "tool",
    "request_id",
    "trace_id",
    "span_id",
    "parent_span_id",
    "operation",
    "provider",
    "model",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "agent_id",
    "agent_name",
    "tool_name",
]
#: Every prompt, completion, instruction, tool argument and result text of the fixtures.
SECRETS = (
    "SECRET-",
    "refund policy",
    "weekend in Lisbon",
    "claim 4711",
    "reset password",
    "you triage claims",
    "select * from claims",
)


def _dialect_rows(landed: Callable, tool: str) -> list[dict]:
    rows = landed("requests").filter(pl.col("tool") == tool)
    return rows.select(TRACE_COLUMNS[1:]).to_dicts()


def _row(trace: str, span: str, parent: str | None, operation: str, **values: object) -> dict:
    """An expected row of `_dialect_rows`: the ids, the operation, and the values given (every
    other column null)."""
    row: dict[str, object] = dict.fromkeys(TRACE_COLUMNS[1:])
    row.update(
        request_id=f"{trace}-{span}",
        trace_id=trace,
        span_id=span,
        parent_span_id=parent,
        operation=operation,
    )
    row.update(values)
    return row


def test_langsmith_style_usage_without_operation_or_system_is_a_model_call(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    """`gen_ai.usage.*` with no operation name or system: a chat whose provider (and model, when
    it names none) is `unknown`; before, the file landed 0 rows and exited 0."""
    otel_genai.load([fixtures / DIALECTS], home)

    first = "a000000000000001"
    assert _dialect_rows(landed, "support-bot") == [
        _row(TA, first, None, "chat", provider="unknown", model="gpt-4o-mini")
        | {"input_tokens": 120, "output_tokens": 30},
        _row(TA, "a000000000000002", first, "chat", provider="unknown", model="unknown")
        | {"input_tokens": 40, "output_tokens": 10},
    ]


def test_traceloop_spans_land_with_their_operation_and_usage(
    home: Path, fixtures: Path, landed: Callable, quarantined: Callable
) -> None:
    """`llm.request.type` and `llm.usage.*` (OpenLLMetry): a chat and an embeddings call, and a
    Traceloop tool span; the workflow span is not a request. Before, the chat was quarantined
    for "operation: required value missing"."""
    otel_genai.load([fixtures / DIALECTS], home)

    root = "b000000000000001"
    assert _dialect_rows(landed, "travel-planner") == [
        _row(TB, "b000000000000002", root, "chat", provider="openai", model="gpt-3.5-turbo")
        | {"input_tokens": 15, "output_tokens": 9},
        # a tool span is not a model call: no provider or model (its parent is a workflow)
        _row(TB, "b000000000000003", root, "execute_tool", tool_name="get_weather"),
        _row(TB, "b000000000000004", root, "embeddings", provider="openai")
        | {"model": "text-embedding-3-small", "input_tokens": 8},
    ]
    assert quarantined("requests").is_empty()


def test_openlit_cost_is_the_request_cost(home: Path, fixtures: Path, landed: Callable) -> None:
    """`gen_ai.usage.cost` (OpenLit, USD) lands as cost_usd; before, it was ignored."""
    otel_genai.load([fixtures / DIALECTS], home)

    assert _dialect_rows(landed, "claims-copilot") == [
        _row(TC, "c000000000000001", None, "chat", provider="openai", model="gpt-4o")
        | {"input_tokens": 1000, "output_tokens": 500, "cost_usd": 0.0075},
    ]


def test_openinference_spans_land_by_their_span_kind(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    """`openinference.span.kind` AGENT / LLM / TOOL with `llm.model_name`, `llm.provider`,
    `llm.token_count.*`, `llm.cost.total`; the CHAIN span is not a request."""
    otel_genai.load([fixtures / DIALECTS], home)

    agent, chain = "d000000000000001", "d000000000000002"
    assert _dialect_rows(landed, "docs-qa") == [
        _row(TD, agent, None, "invoke_agent", agent_id="docs_agent", agent_name="docs_agent"),
        _row(TD, "d000000000000003", chain, "chat", provider="anthropic")
        | {"model": "claude-sonnet-4-5", "input_tokens": 200, "output_tokens": 80}
        | {"cost_usd": 0.0018},
        _row(TD, "d000000000000004", chain, "execute_tool", tool_name="search_docs"),
    ]


def test_semantic_convention_agent_runs_keep_their_agent_and_tool(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    """agent_id is `gen_ai.agent.id` (else the name); a tool span under a model call takes its
    model; a chat naming no provider or model lands with `unknown` for each."""
    otel_genai.load([fixtures / DIALECTS], home)

    agent, chat = "e000000000000001", "e000000000000002"
    model = {"provider": "openai", "model": "gpt-4.1"}
    assert _dialect_rows(landed, "claims-triage") == [
        _row(TE, agent, None, "invoke_agent", **model)
        | {"agent_id": "asst_5j66UpCpwteGg4YSxUnt7lPY", "agent_name": "claims_triage"},
        _row(TE, chat, agent, "chat", **model) | {"input_tokens": 52, "output_tokens": 47},
        _row(TE, "e000000000000003", chat, "execute_tool", **model, tool_name="get_claim"),
        _row(TE, "e000000000000004", agent, "chat", provider="unknown", model="unknown")
        | {"input_tokens": 10, "output_tokens": 5},
    ]


def test_a_mixed_file_lands_its_genai_spans_and_counts_the_rest_by_kind(
    home: Path, fixtures: Path, landed: Callable, capsys: pytest.CaptureFixture[str]
) -> None:
    """13 GenAI spans of five dialects: 8 model calls, 3 tool calls, 2 agent runs; 5 spans
    skipped by kind, in the summary."""
    status = main(["ingest", "--home", str(home), "otel-genai", str(fixtures / DIALECTS)])

    assert status == 0
    rows = landed("requests")
    model_calls = rows.filter(~pl.col("operation").is_in(["invoke_agent", "execute_tool"]))
    assert (rows.height, model_calls.height) == (13, 8)
    assert rows.filter(pl.col("operation") == "execute_tool").height == 3
    assert rows.filter(pl.col("operation") == "invoke_agent").height == 2
    assert (model_calls["input_tokens"].sum(), model_calls["output_tokens"].sum()) == (1445, 681)
    assert round(rows["cost_usd"].sum(), 6) == 0.0093
    assert model_calls.filter(pl.col("provider") == "unknown").height == 3
    out = capsys.readouterr().out
    assert "otel_genai_dialects.jsonl: 13 rows landed, 0 quarantined (requests, batch " in out
    assert (
        "; skipped 5 span(s) that are not GenAI: http.server 2, db 1, "
        "openinference.chain 1, traceloop.workflow 1; not landed: " in out
    )
    assert out.splitlines()[-2:] == [
        "skipped 5 span(s) that are not GenAI (not requests): http.server 2, db 1, "
        "openinference.chain 1, traceloop.workflow 1",
        "otel-genai: 1 batch(es): 13 rows landed, 0 quarantined, 0 skipped as duplicate, 0 refused",
    ]


def test_base64_and_hex_ids_of_the_same_span_are_one_request(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    """Protobuf-JSON exporters write ids in base64, OTLP/JSON in hex: both land as hex, so the
    two exports of the same spans are two versions of the same two requests."""
    hex_file, base64_file = (
        fixtures / "otel_genai_hex_ids.jsonl",
        fixtures / "otel_genai_base64_ids.jsonl",
    )
    [first] = otel_genai.load([hex_file], home)
    [second] = otel_genai.load([base64_file], home)

    assert (first.rows_landed, second.rows_landed) == (2, 2)
    trace, agent, chat = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "53995c3f42cd8ad8"
    expected = [
        (f"{trace}-{agent}", trace, agent, None),
        (f"{trace}-{chat}", trace, chat, agent),
    ]
    rows = landed("requests")
    ids = ["request_id", "trace_id", "span_id", "parent_span_id"]
    by_file = rows.partition_by("_source_file", as_dict=True, maintain_order=True)
    assert by_file[(hex_file.name,)].select(ids).rows() == expected
    assert by_file[(base64_file.name,)].select(ids).rows() == expected
    # what staging keeps: the latest version per natural key (tool, request_id)
    assert rows.select("tool", "request_id").unique().height == 2


def test_a_rotated_file_of_tool_and_agent_spans_lands_without_provider_or_model(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    """Tool and agent spans whose parents are in another file name no provider or model: they
    are not model calls, so they land (before, both were quarantined)."""
    [result] = otel_genai.load([fixtures / "otel_genai_rotated_tool.jsonl"], home)

    assert (result.rows_landed, result.rows_quarantined) == (2, 0)
    assert landed("requests").select(
        "operation", "provider", "model", "agent_id", "tool_name", "parent_span_id"
    ).rows() == [
        ("execute_tool", None, None, None, "get_policy", "e100000000000002"),
        ("invoke_agent", None, None, "policy_lookup", None, "e100000000000001"),
    ]


def test_a_file_without_genai_spans_is_refused_naming_what_it_holds(
    home: Path, fixtures: Path, landed: Callable, capsys: pytest.CaptureFixture[str]
) -> None:
    """Never "0 rows landed" and exit 0 for a file of spans: 12 HTTP and database spans."""
    path = fixtures / "otel_http_and_db_only.jsonl"
    status = main(["ingest", "--home", str(home), "otel-genai", str(path)])

    assert status == 1
    out = capsys.readouterr().out
    assert f"REFUSED {path}: otel-genai: 12 spans, none GenAI: http.server 8, db 4 (" in out
    assert landed("requests").is_empty()
    con = duckdb.connect()
    reasons = con.execute(
        "select source_file, reason from read_parquet($glob)",
        {"glob": str(home / "ledger" / "rejected" / "*.parquet")},
    ).fetchall()
    assert [(name, reason.split(" (")[0]) for name, reason in reasons] == [
        (path.name, "otel-genai: 12 spans, none GenAI: http.server 8, db 4")
    ]


def test_an_export_without_spans_is_refused(home: Path, write: Callable) -> None:
    path = write("empty.json", json.dumps({"resourceSpans": []}))

    [result] = otel_genai.load([path], home)

    assert result.status == "refused"
    assert "no spans" in result.message


def test_prompts_and_messages_of_every_dialect_are_stored_nowhere(
    home: Path, fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No prompt, completion, instruction, tool argument or result of the fixtures in any file
    under the home (landing, quarantine, ledger, refusals), nor in what the terminal shows."""
    files = [
        fixtures / name
        for name in (
            DIALECTS,
            "otel_genai_rotated_tool.jsonl",
            "otel_genai_spans.jsonl",
            "otel_http_and_db_only.jsonl",
        )
    ]
    main(["ingest", "--home", str(home), "otel-genai", *map(str, files)])
    shown = capsys.readouterr()

    con = duckdb.connect()
    stored = [shown.out, shown.err]
    for path in home.rglob("*"):
        if path.is_file():
            stored.append(path.read_bytes().decode("utf-8", "replace"))
            if path.suffix == ".parquet":
                stored.append(
                    json.dumps(
                        con.execute(
                            "select * from read_parquet($path)", {"path": str(path)}
                        ).fetchall(),
                        default=str,
                    )
                )
    assert len(stored) > 10
    text = "\n".join(stored).lower()
    for secret in SECRETS:
        assert secret.lower() not in text, secret
    # the attribute names are listed as not landed; their values are not
    assert "gen_ai.prompt" in shown.out
    assert "llm.prompts.0.content" in shown.out
