"""Fuzzing the per-call connectors (Azure OpenAI, Bedrock, LiteLLM, Langfuse) and `ingest auto`
on their files: records of the right shape holding values of any JSON type, a required field
sometimes left out, prompt and completion text and raw identities planted, byte corruption;
Azure OpenAI's rows also as the Log Analytics portal's CSV export, times in any locale the portal
writes or any text.

Properties (as in test_fuzz_connectors.py): no exception; a file lands one batch or is refused
whole with nothing in landing/; the model calls counted here from the generated records are
the rows the batch receives; the planted marker is written nowhere."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from fuzz_helpers import ODD_TEXT, check_home, identity_value
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz_connectors import (
    JSON_ANY,
    SECRET,
    _check,
    _json_file,
    _maybe_corrupt,
    csv_writer,
    examples,
)

from ingestion.connectors import auto, azure_openai, bedrock, langfuse, litellm

TIMES = st.one_of(
    st.sampled_from(["2026-03-02T09:15:00.1234567Z", "2026-03-02 09:15:00", "2026-03-02"]),
    JSON_ANY,
)


def _maybe_drop(draw: st.DrawFn, record: dict[str, Any], required: tuple[str, ...]) -> bool:
    """Leave out one required field one time in eight; return whether it was."""
    if draw(st.integers(0, 7)) > 0:
        return False
    # a required 'a|b' is satisfied by either name: the records here spell it the first way
    del record[draw(st.sampled_from(required)).split("|")[0]]
    return True


@st.composite
def azure_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    records, calls, dropped = [], 0, False
    for index in range(draw(st.integers(1, 4))):
        category = draw(st.sampled_from(["RequestResponse", "RequestResponse", "Audit"]))
        name = draw(st.one_of(st.sampled_from(["ChatCompletions_Create", "Models_List"]), JSON_ANY))
        properties = {
            "objectId": draw(st.one_of(identity_value(index), JSON_ANY)),
            "modelName": draw(JSON_ANY),
            "prompt": SECRET,
        }
        record = {
            "time": draw(TIMES),
            "resourceId": "/X/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/A",
            "category": category,
            "operationName": name,
            "correlationId": draw(st.one_of(st.just(f"c{index}"), JSON_ANY)),
            "durationMs": draw(JSON_ANY),
            "resultSignature": draw(st.one_of(st.sampled_from(["200", "429", "408"]), JSON_ANY)),
            "callerIpAddress": SECRET,
            "properties": properties,
        }
        dropped |= _maybe_drop(draw, record, azure_openai.FORMAT.required)
        calls += category == "RequestResponse" and name == "ChatCompletions_Create"
        records.append(record)
    return _json_file(draw, folder, "PT1H", records), {} if dropped else {"requests": calls}


def _portal_time(moment: datetime, style: str) -> str:
    """A time as the Log Analytics portal displays it in one locale."""
    ms = f"{moment.microsecond // 1000:03d}"
    if style == "en-US":
        half = "AM" if moment.hour < 12 else "PM"
        clock = f"{moment.hour % 12 or 12}:{moment:%M:%S}.{ms} {half}"
        return f"{moment.month}/{moment.day}/{moment.year}, {clock}"
    if style == "en-GB":
        return f"{moment:%d/%m/%Y, %H:%M:%S}.{ms}"
    if style == "de-DE":
        return f"{moment.day}.{moment.month}.{moment.year}, {moment:%H:%M:%S},{ms}"
    return f"{moment.year}/{moment.month}/{moment.day} {moment:%H:%M:%S}"  # ja-JP


STYLES = ["en-US", "en-GB", "de-DE", "ja-JP"]
MOMENTS = st.datetimes(datetime(2024, 1, 1), datetime(2026, 11, 30))
ODD_TIMES = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=12))


@st.composite
def azure_portal_csv_files(
    draw: st.DrawFn, folder: Path
) -> tuple[Path, dict[str, int], dict[str, datetime]]:
    """AzureDiagnostics rows as the portal's "Export to CSV" writes them."""
    zone = draw(st.sampled_from(["UTC", "UTC", "UTC", "Local Time"]))
    header = [f"TimeGenerated [{zone}]", "ResourceId", "Category", "OperationName"]
    header += ["CorrelationId", "DurationMs", "ResultSignature", "CallerIPAddress", "properties_s"]
    rows, calls, times = [], 0, {}
    style = draw(st.sampled_from(STYLES))  # one export, one reader's locale
    for index in range(draw(st.integers(1, 4))):
        category = draw(st.sampled_from(["RequestResponse", "RequestResponse", "Audit"]))
        name = draw(st.sampled_from(["ChatCompletions_Create", "Models_List"]))
        properties = {"objectId": draw(identity_value(index)), "prompt": SECRET}
        if draw(st.integers(0, 4)):
            moment = draw(MOMENTS)
            shown = _portal_time(moment, style)
            # the portal shows milliseconds (ja-JP: seconds)
            times[f"c{index}"] = moment.replace(
                microsecond=0 if style == "ja-JP" else moment.microsecond // 1000 * 1000
            )
        else:
            shown = draw(ODD_TIMES)
        rows.append(
            [
                shown,
                "/X/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/A",
                category,
                name,
                f"c{index}",
                draw(st.one_of(st.integers(0, 9_000).map(str), st.text(max_size=4))),
                draw(st.sampled_from(["200", "429", "408", ""])),
                SECRET,
                json.dumps(properties),
            ]
        )
        calls += category == "RequestResponse" and name == "ChatCompletions_Create"
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / "query_data.csv"
    path.write_text(buffer.getvalue(), encoding=draw(st.sampled_from(["utf-8", "utf-8-sig"])))
    return path, {"requests": calls}, times


@st.composite
def bedrock_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    records, dropped = [], False
    count = draw(st.integers(1, 4))
    for index in range(count):
        arn = draw(identity_value(index))
        record = {
            "schemaType": "ModelInvocationLog",
            "timestamp": draw(TIMES),
            "accountId": "1",
            "identity": {"arn": draw(st.sampled_from([f"arn:aws:iam::1:user/{arn}", arn]))},
            "requestId": f"r{index}",
            "operation": draw(JSON_ANY),
            "modelId": draw(
                st.one_of(st.just("us.anthropic.claude-3-haiku-20240307-v1:0"), JSON_ANY)
            ),
            "input": {"inputBodyJson": {"messages": [SECRET]}, "inputTokenCount": draw(JSON_ANY)},
            "output": {
                "outputBodyJson": {"text": SECRET, "metrics": {"latencyMs": draw(JSON_ANY)}},
                "outputTokenCount": draw(JSON_ANY),
            },
        }
        dropped |= _maybe_drop(draw, record, bedrock.FORMAT.required)
        records.append(record)
    return _json_file(draw, folder, "invocations", records), {} if dropped else {"requests": count}


@st.composite
def litellm_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    records, calls, dropped = [], 0, False
    for index in range(draw(st.integers(1, 4))):
        call_type = draw(st.one_of(st.sampled_from(["acompletion", "acreate_batch"]), JSON_ANY))
        record = {
            "request_id": f"r{index}",
            "call_type": call_type,
            "spend": draw(JSON_ANY),
            "prompt_tokens": draw(JSON_ANY),
            "startTime": draw(TIMES),
            "endTime": draw(TIMES),
            "model": draw(JSON_ANY),
            "custom_llm_provider": draw(JSON_ANY),
            "user": draw(st.one_of(identity_value(index), JSON_ANY)),
            "end_user": draw(st.one_of(identity_value(index), st.none())),
            "metadata": draw(st.one_of(st.just({"user_api_key_user_email": SECRET}), JSON_ANY)),
            "messages": [SECRET],
            "response": SECRET,
        }
        dropped |= _maybe_drop(draw, record, litellm.FORMAT.required)
        calls += call_type == "acompletion"
        records.append(record)
    return _json_file(draw, folder, "spend", records), {} if dropped else {"requests": calls}


@st.composite
def langfuse_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    records, calls, dropped = [], 0, False
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.one_of(st.sampled_from(["GENERATION", "AGENT", "SPAN"]), JSON_ANY))
        record = {
            "id": f"o{index}",
            "traceId": draw(JSON_ANY),
            "type": kind,
            "startTime": draw(TIMES),
            "endTime": draw(TIMES),
            "usageDetails": draw(st.one_of(st.just({"input": 3, "output": 4}), JSON_ANY)),
            "costDetails": draw(JSON_ANY),
            "level": draw(st.one_of(st.just("ERROR"), JSON_ANY)),
            "statusMessage": SECRET,
            "userId": draw(st.one_of(identity_value(index), JSON_ANY)),
            "input": SECRET,
            "output": {"content": SECRET},
        }
        dropped |= _maybe_drop(draw, record, langfuse.FORMAT.required)
        calls += isinstance(kind, str) and kind in ("GENERATION", "AGENT")
        records.append(record)
    return _json_file(draw, folder, "observations", records), {} if dropped else {"requests": calls}


MAKERS = {
    azure_openai.load: azure_files,
    bedrock.load: bedrock_files,
    litellm.load: litellm_files,
    langfuse.load: langfuse_files,
}


@settings(max_examples=examples(3))
@given(data=st.data())
def test_per_call_log_files(fresh_home: Callable, data: st.DataObject) -> None:
    with fresh_home() as (home, inputs):
        load = data.draw(st.sampled_from(list(MAKERS)))
        path, expected = data.draw(MAKERS[load](inputs), label="file")
        corrupted = _maybe_corrupt(data.draw, path)
        results = load([path], home)
        _check(home, results, expected, corrupted)


@settings(max_examples=examples(2))
@given(data=st.data())
def test_azure_openai_portal_csv(fresh_home: Callable, data: st.DataObject) -> None:
    """Lands every call, or is refused whole (a time zone other than UTC, dates that could
    be day or month first, or mixed orders), through the connector or `ingest auto`; a call
    that lands with a time in a locale's style lands at that time (to what the portal shows)."""
    with fresh_home() as (home, inputs):
        path, expected, times = data.draw(azure_portal_csv_files(inputs), label="file")
        corrupted = _maybe_corrupt(data.draw, path)
        load = data.draw(st.sampled_from([azure_openai.load, auto.load]))
        results = load([path], home)
        _check(home, results, expected, corrupted)
        landed_rows = sum(result.rows_landed for result in results)
        if corrupted or not landed_rows or any(r.status != "landed" for r in results):
            return
        glob = str(home / "landing" / "requests" / "batch_id=2*" / "*.parquet")
        landed = dict(
            duckdb.sql(f"select request_id, occurred_at from read_parquet('{glob}')").fetchall()
        )
        for request_id, moment in landed.items():
            if request_id in times:
                assert moment == times[request_id], (request_id, path.read_text("utf-8-sig"))


@settings(max_examples=examples(2))
@given(data=st.data())
def test_auto_on_per_call_log_files(fresh_home: Callable, data: st.DataObject) -> None:
    with fresh_home() as (home, inputs):
        maker = data.draw(st.sampled_from(list(MAKERS.values())))
        path, expected = data.draw(maker(inputs), label="file")
        corrupted = _maybe_corrupt(data.draw, path)
        results = auto.load([path], home)
        check_home(home, results)
        _check(home, results, expected, corrupted)
