"""Known-answer regressions for the bugs the fuzz tests found, each with its minimal input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest
from fuzz_helpers import MARKER, assert_no_marker, check_home, ledger_rejections

from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

REQUEST = {
    "request_id": "r1",
    "occurred_at": "2026-03-02T09:30:00Z",
    "user_id": "alice@corp.test",
    "tool": "gateway",
    "provider": "openai",
    "model": "gpt-4o",
    "operation": "chat",
    "status": "success",
}


def _landed(home: Path, entity: str) -> pl.DataFrame:
    con = duckdb.connect()
    try:
        glob = str(home / "landing" / entity / "**" / "*.parquet")
        return con.sql(
            "select * from read_parquet($glob, hive_partitioning=true, union_by_name=true) "
            "where batch_id <> '0-schema' order by _source_row",
            params={"glob": glob},
        ).pl()
    finally:
        con.close()


def _quarantined(home: Path, entity: str) -> pl.DataFrame:
    con = duckdb.connect()
    try:
        glob = str(home / "quarantine" / entity / "**" / "*.parquet")
        return con.sql(
            "select * from read_parquet($glob, hive_partitioning=true, union_by_name=true) "
            "where batch_id <> '0-schema' order by _source_row",
            params={"glob": glob},
        ).pl()
    finally:
        con.close()


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        # DuckDB trims header names and renames a repeated one `kpi_id_1`: the file landed
        # with the second column kept as an extra one.
        ("kpi_id,period_start,grain,value,kpi_id", "column 'kpi_id' appears more than once"),
        (" grain,kpi_id,period_start,grain,value", "column 'grain' appears more than once"),
        # DuckDB cannot hold two names that differ only in case (it renamed `Value_1`).
        (
            "kpi_id,period_start,grain,value,Value",
            "column 'Value' appears more than once (as 'value' and 'Value')",
        ),
    ],
)
def test_csv_with_a_repeated_column_is_refused(
    fresh_home: Callable, header: str, problem: str
) -> None:
    with fresh_home() as (home, inputs):
        path = inputs / "kpis.csv"
        path.write_text(header + "\nk1,2026-01-01,day,1,2\n")
        [result] = ingest_files(SCHEMAS["kpi_observations"], [path], home)
        assert result.status == "refused"
        assert result.message == f"{path}, line 1: {problem}"
        check_home(home, [result])


def test_parquet_with_names_differing_only_in_case_is_refused(fresh_home: Callable) -> None:
    with fresh_home() as (home, inputs):
        path = inputs / "kpis.parquet"
        pl.DataFrame(
            {"kpi_id": ["k1"], "period_start": ["2026-01-01"], "grain": ["day"], "value": [1.0]}
            | {"Grain": ["week"]}
        ).write_parquet(path)
        [result] = ingest_files(SCHEMAS["kpi_observations"], [path], home)
        assert result.status == "refused"
        assert "column 'Grain' appears more than once (as 'grain' and 'Grain')" in result.message


def test_free_text_columns_in_camel_case_are_not_stored(fresh_home: Callable) -> None:
    """`promptText`, `responseText` and `response_text` landed as kept extra columns; now
    that undeclared columns need naming in extra_columns.csv, not even when named there."""
    with fresh_home() as (home, inputs):
        secret = f"{MARKER} what the user typed"
        row = REQUEST | {
            "promptText": secret,
            "responseText": secret,
            "response_text": secret,
            "systemPrompt": secret,
            "region": "emea",
        }
        path = inputs / "requests.jsonl"
        path.write_text(json.dumps(row) + "\n")
        named = frozenset({"promptText", "responseText", "response_text", "systemPrompt", "region"})
        [result] = ingest_files(
            SCHEMAS["requests"], [path], home, extra_columns={"requests": named}
        )
        assert (result.status, result.rows_landed) == ("landed", 1)
        landed = _landed(home, "requests")
        assert "region" in landed.columns
        assert not {"promptText", "responseText", "response_text", "systemPrompt"} & set(
            landed.columns
        )
        assert_no_marker(home, [result])


def test_required_text_of_only_spaces_is_quarantined(fresh_home: Callable) -> None:
    """A request whose tool is "   " landed; it now goes to quarantine as missing."""
    with fresh_home() as (home, inputs):
        path = inputs / "requests.csv"
        header = ",".join(REQUEST)
        blank_tool = ",".join(" \t " if k == "tool" else v for k, v in REQUEST.items())
        path.write_text(f"{header}\n{','.join(REQUEST.values())}\n{blank_tool}\n")
        [result] = ingest_files(SCHEMAS["requests"], [path], home)
        assert (result.rows_landed, result.rows_quarantined) == (1, 1)
        quarantined = _quarantined(home, "requests")
        assert quarantined["_reason"].to_list() == ["tool: required value missing"]
        assert quarantined["_source_row"].to_list() == [2]
        check_home(home, [result])


def test_json_array_with_a_byte_order_mark_lands(fresh_home: Callable) -> None:
    """DuckDB took a JSON array after a BOM for one value: the file was refused with "every
    record must be a JSON object"."""
    with fresh_home() as (home, inputs):
        path = inputs / "requests.json"
        rows = [REQUEST, REQUEST | {"request_id": "r2"}]
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(rows, indent=1).encode())
        [result] = ingest_files(SCHEMAS["requests"], [path], home)
        assert (result.status, result.rows_landed) == ("landed", 2)
        assert _landed(home, "requests")["request_id"].to_list() == ["r1", "r2"]


def test_json_key_of_no_characters_is_ignored(fresh_home: Callable) -> None:
    """An object with the key "" (valid JSON) was refused with a DuckDB binder error
    ("No function matches ... struct_pack")."""
    with fresh_home() as (home, inputs):
        path = inputs / "requests.jsonl"
        path.write_text(json.dumps(REQUEST | {"": "x"}) + "\n")
        [result] = ingest_files(SCHEMAS["requests"], [path], home)
        assert (result.status, result.rows_landed) == ("landed", 1)


def test_refusal_for_a_repeated_json_key_does_not_quote_the_record(fresh_home: Callable) -> None:
    """DuckDB's error quotes the record ("Object {"request_id": ..., "user_id": "<raw id>"...
    has duplicate key"): the raw id reached the terminal and the ledger."""
    with fresh_home() as (home, inputs):
        path = inputs / "requests.jsonl"
        raw_id = f"{MARKER}@corp.test"
        line = json.dumps(REQUEST | {"user_id": raw_id})[:-1] + f', "user_id": "{raw_id}"}}'
        path.write_text(line + "\n")
        [result] = ingest_files(SCHEMAS["requests"], [path], home)
        assert result.status == "refused"
        assert result.message == (
            f"{path}, line 1: cannot be read as JSON: JSON transform error in line 1: "
            'a record has duplicate key "user_id"'
        )
        [rejection] = ledger_rejections(home)
        assert rejection["line"] == 1
        assert_no_marker(home, [result])


def test_parquet_failing_while_landing_leaves_nothing_in_tmp(fresh_home: Callable) -> None:
    """A Parquet file whose footer reads but whose data does not: the half-written batch
    folder stayed under tmp/ (until the next writer swept it)."""
    with fresh_home() as (home, inputs):
        path = inputs / "broken.parquet"
        pl.DataFrame(
            {
                "kpi_id": [f"k{i}" for i in range(200)],
                "period_start": ["2026-01-01"] * 200,
                "grain": ["day"] * 200,
                "value": ["1"] * 200,
            }
        ).write_parquet(path)
        raw = bytearray(path.read_bytes())
        raw[10:60] = b"\xff" * 50  # inside the first data page
        path.write_bytes(bytes(raw))
        [result] = ingest_files(SCHEMAS["kpi_observations"], [path], home)
        assert result.status == "refused"
        assert "cannot be read as PARQUET" in result.message
        assert list((home / "tmp").iterdir()) == []
        check_home(home, [result])


def test_m365_json_date_that_is_not_text_is_quarantined(fresh_home: Callable) -> None:
    """`"lastActivityDate": 20260301` raised AttributeError ('int' object has no attribute
    'strip') out of `cadence ingest m365-copilot`."""
    from ingestion.connectors import m365_copilot

    with fresh_home() as (home, inputs):
        path = inputs / "m365.json"
        record = {
            "reportRefreshDate": "2026-03-08",
            "userPrincipalName": "alice@corp.test",
            "lastActivityDate": 20260301,
            "wordCopilotLastActivityDate": {"day": 1},
            "copilotActivityUserDetailsByPeriod": [{"reportPeriod": 7}],
        }
        path.write_text(json.dumps({"value": [record]}))
        results = m365_copilot.load([path], home)
        check_home(home, results)
        activity = next(r for r in results if r.entity == "activity")
        assert (activity.rows_read, activity.rows_landed) == (2, 0)  # two dates, neither valid
        reasons = _quarantined(home, "activity")["_reason"].to_list()
        assert reasons == ["activity_date: not a valid date"] * 2


def test_otel_span_time_beyond_any_date_is_quarantined(fresh_home: Callable) -> None:
    """`startTimeUnixNano` of 2**80 raised OverflowError out of `cadence ingest otel-genai`."""
    from ingestion.connectors import otel_genai

    with fresh_home() as (home, inputs):
        span = {
            "traceId": "t1",
            "spanId": "s1",
            "startTimeUnixNano": str(2**80),
            "endTimeUnixNano": "1" + "0" * 400,
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
            ],
        }
        path = inputs / "spans.jsonl"
        path.write_text(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}) + "\n")
        [result] = otel_genai.load([path], home)
        assert (result.rows_read, result.rows_quarantined) == (1, 1)
        [reason] = _quarantined(home, "requests")["_reason"].to_list()
        assert reason == "occurred_at: not a valid timestamp; latency_ms: not a valid number"
        check_home(home, [result])


def test_auto_records_a_file_it_does_not_recognise(fresh_home: Callable) -> None:
    """`ingest auto` refused an unrecognised file without a rejection in the ledger."""
    from ingestion.connectors import auto

    with fresh_home() as (home, inputs):
        path = inputs / "sales.csv"
        path.write_text("region\nnorth\n")
        empty = inputs / "copilot.ndjson"
        empty.write_text("")
        results = auto.load([path, empty], home)
        assert [r.status for r in results] == ["refused", "refused"]
        rejections = sorted(ledger_rejections(home), key=lambda r: r["source_file"])
        assert [(r["entity"], r["source_file"]) for r in rejections] == [
            ("auto", "copilot.ndjson"),
            ("auto", "sales.csv"),
        ]
        assert rejections[0]["reason"] == "not recognised: the file is empty"
        check_home(home, results)
