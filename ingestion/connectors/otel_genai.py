"""OpenTelemetry GenAI spans (OTLP/JSON) -> requests.

Reads what an OpenTelemetry Collector's file exporter writes (and what any OTLP/JSON export
holds): one `ExportTraceServiceRequest` per line (or one pretty-printed document), i.e.
`resourceSpans[] -> scopeSpans[] -> spans[]`, attributes as `{key, value: {stringValue |
intValue (int64 as a string) | doubleValue | boolValue | arrayValue}}`, times as
`startTimeUnixNano` / `endTimeUnixNano` strings. Every span that carries a GenAI attribute
(`gen_ai.operation.name`, `gen_ai.provider.name` or the deprecated `gen_ai.system`) becomes
one `requests` row; other spans (HTTP, database, ...) are skipped.

| requests column | from |
|---|---|
| request_id | `traceId-spanId` |
| occurred_at | `startTimeUnixNano` (UTC) |
| latency_ms | `endTimeUnixNano - startTimeUnixNano` |
| user_id | `user.id`, else the deprecated `enduser.id`, on the span or its resource; null when neither (the request counts in operations and trust, not adoption) |
| tool | resource `service.name` (else `otel`) |
| provider | `gen_ai.provider.name`, else `gen_ai.system`, named as the model catalogue names providers (`azure.ai.openai` / `az.ai.openai` -> `azure_openai`; `gcp.gemini`, `gcp.vertex_ai`, `gcp.gen_ai` -> `google`; `mistral_ai` -> `mistral`; others with `.` -> `_`) |
| model | `gen_ai.request.model`, else `gen_ai.response.model`; a span naming no model (an `execute_tool` span) takes its nearest ancestor's in the same file (and provider, when it names none) |
| operation | `gen_ai.operation.name` |
| input_tokens, output_tokens | `gen_ai.usage.input_tokens` / `output_tokens`, else the deprecated `gen_ai.usage.prompt_tokens` / `completion_tokens` |
| status | `timeout` when `error.type` names a timeout; `error` when the span status is ERROR or `error.type` is set; `filtered` when `gen_ai.response.finish_reasons` has `content_filter`; else `success` (an unknown status code is passed on and quarantined) |
| feedback_score | the first `gen_ai.evaluation.result` span event: 1 / 0 / -1 from its `gen_ai.evaluation.score.label` (pass, correct, relevant, ... / neutral / fail, incorrect, not_relevant, ...), else its score when that is -1, 0 or 1 |
| use_case_id, business_unit_id, data_classification | attributes `cadence.use_case_id`, `cadence.business_unit_id`, `cadence.data_classification` (span, else resource), for instrumentation that tags them |

Kept as extra columns: `conversation_id` (`gen_ai.conversation.id`), `response_id`,
`response_model`, `error_type`, `otel_provider` (the name as sent), `evaluation_name`,
`evaluation_score`, `evaluation_label`. Message content (`gen_ai.input.messages`,
`gen_ai.output.messages`, `gen_ai.system_instructions`, the older `gen_ai.prompt` /
`gen_ai.completion`, tool call arguments and results) and evaluation explanations are never
read, so never stored. A file that is not OTLP/JSON traces is refused whole.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ingestion.connectors._common import (
    Rows,
    VendorField,
    iter_json,
    land_vendor_files,
    load_identity_map,
    map_identity,
    number,
    objects,
    track_fields,
)
from ingestion.entities import requests
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "otel-genai"
DEFAULT_TOOL = "otel"
EVALUATION_EVENT = "gen_ai.evaluation.result"

#: requests as the connector lands it: telemetry may have no user (CONTRACTS.md §1).
SCHEMA = dataclasses.replace(
    requests.SCHEMA,
    columns=tuple(
        dataclasses.replace(column, required=False) if column.name == "user_id" else column
        for column in requests.SCHEMA.columns
    ),
)

#: The span fields and attributes the connector reads, and what each feeds.
SPAN: tuple[VendorField, ...] = (
    VendorField("traceId", "string", feeds="request_id"),
    VendorField("spanId", "string", required=True, feeds="request_id"),
    VendorField("startTimeUnixNano", "string", required=True, feeds="occurred_at"),
    VendorField("endTimeUnixNano", "string", feeds="latency_ms"),
    VendorField("status.code", "integer", feeds="status"),
    VendorField("gen_ai.operation.name", "string", required=True, feeds="operation"),
    VendorField("gen_ai.provider.name", "string", feeds="provider"),
    VendorField("gen_ai.system", "string", feeds="provider (deprecated)"),
    VendorField("gen_ai.request.model", "string", feeds="model"),
    VendorField("gen_ai.response.model", "string", feeds="model"),
    VendorField("gen_ai.usage.input_tokens", "integer", feeds="input_tokens"),
    VendorField("gen_ai.usage.output_tokens", "integer", feeds="output_tokens"),
    VendorField("gen_ai.usage.prompt_tokens", "integer", feeds="input_tokens (deprecated)"),
    VendorField("gen_ai.usage.completion_tokens", "integer", feeds="output_tokens (deprecated)"),
    VendorField("gen_ai.response.finish_reasons", "array", feeds="status"),
    VendorField("gen_ai.conversation.id", "string", feeds="conversation_id"),
    VendorField("gen_ai.response.id", "string", feeds="response_id"),
    VendorField("error.type", "string", feeds="status"),
    VendorField("user.id", "string", feeds="user_id"),
    VendorField("enduser.id", "string", feeds="user_id (deprecated)"),
    VendorField("service.name", "string", feeds="tool"),
    VendorField("gen_ai.evaluation.score.label", "string", feeds="feedback_score"),
    VendorField("gen_ai.evaluation.score.value", "number", feeds="evaluation_score"),
)
GENAI_MARKERS = ("gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.system")
PROVIDERS: dict[str, str] = {
    "azure.ai.openai": "azure_openai",
    "az.ai.openai": "azure_openai",
    "gcp.gemini": "google",
    "gcp.vertex_ai": "google",
    "gcp.gen_ai": "google",
    "vertex_ai": "google",
    "gemini": "google",
    "mistral_ai": "mistral",
}
POSITIVE = {"pass", "passed", "correct", "relevant", "good", "positive", "accepted", "helpful"}
NEGATIVE = {
    "fail",
    "failed",
    "incorrect",
    "not_relevant",
    "irrelevant",
    "bad",
    "negative",
    "rejected",
    "unhelpful",
}
NEUTRAL = {"neutral", "partial", "partially_relevant"}
STATUS_OK = {None, 0, 1, "0", "1", "STATUS_CODE_UNSET", "STATUS_CODE_OK"}
STATUS_ERROR = {2, "2", "STATUS_CODE_ERROR"}


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    identity_map: Path | str | None = None,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land OTLP/JSON span files under `home` as requests."""
    identities = load_identity_map(identity_map)
    return land_vendor_files(
        paths,
        home,
        connector=CONNECTOR,
        primary=SCHEMA,
        reshape=lambda path: reshape(path, identities),
        echo=echo,
        extra_columns=extra_columns,
    )


def is_traces(record: Any) -> bool:
    """Whether a JSON value is an OTLP/JSON traces export."""
    return isinstance(record, Mapping) and "resourceSpans" in record


def any_value(value: Any) -> Any:
    """The Python value of an OTLP/JSON `AnyValue`."""
    if not isinstance(value, Mapping):
        return value
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        raw = value["intValue"]
        try:
            return int(raw)
        except (TypeError, ValueError):
            return raw
    if "doubleValue" in value:
        return number(value["doubleValue"]) if value["doubleValue"] is not None else None
    if "boolValue" in value:
        return value["boolValue"]
    if "arrayValue" in value:
        return [any_value(v) for v in (value["arrayValue"] or {}).get("values", []) or []]
    if "kvlistValue" in value:
        return attributes((value["kvlistValue"] or {}).get("values"))
    if "bytesValue" in value:
        return value["bytesValue"]
    return None


def attributes(items: Any) -> dict[str, Any]:
    """OTLP/JSON `KeyValue` list -> dict."""
    return {
        str(item["key"]): any_value(item.get("value")) for item in objects(items) if "key" in item
    }


def reshape(path: Path, identities: Mapping[str, str] | None = None) -> list[Rows]:
    """One requests row per GenAI span of the file."""
    identities = identities or {}
    spans: list[tuple[int, dict[str, Any]]] = []
    lineage: dict[tuple[Any, Any], tuple[Any, Any, Any]] = {}
    for line, record in iter_json(path):
        if not is_traces(record):
            found = ", ".join(list(record)[:6]) if isinstance(record, Mapping) else record
            kind = (
                "OTLP logs or metrics, not traces"
                if _is_other_signal(record)
                else "not OTLP/JSON traces"
            )
            raise FileRefused(path, f"{kind} (expected resourceSpans; found: {found})", line)
        for resource_spans in objects(record.get("resourceSpans")):
            resource = track_fields(attributes(dig_list(resource_spans, "resource", "attributes")))
            scopes = objects(resource_spans.get("scopeSpans")) or objects(
                resource_spans.get("instrumentationLibrarySpans")
            )
            for scope in scopes:
                for span in objects(scope.get("spans")):
                    values = _span(span, resource, identities)
                    key = (span.get("traceId"), span.get("spanId"))
                    parent = (span.get("traceId"), span.get("parentSpanId") or None)
                    if values is None:
                        lineage[key] = (None, None, parent)
                        continue
                    lineage[key] = (values["provider"], values["model"], parent)
                    spans.append((line, values))
    rows = Rows(SCHEMA)
    for line, values in spans:
        if values["model"] is None or values["provider"] is None:
            values["provider"], values["model"] = _inherited(values, lineage)
        del values["_key"]
        rows.add(line, **values)
    return [rows]


def _inherited(
    values: Mapping[str, Any], lineage: Mapping[tuple[Any, Any], tuple[Any, Any, Any]]
) -> tuple[Any, Any]:
    """Provider and model of a span that names none (an `execute_tool` span): those of its
    nearest ancestor in the same file that names them."""
    provider, model = values["provider"], values["model"]
    key = lineage.get(values["_key"], (None, None, None))[2]
    for _ in range(64):
        if key is None or key[1] is None or key not in lineage:
            break
        parent_provider, parent_model, key = lineage[key]
        if model is None and parent_model is not None:
            model = parent_model
            provider = provider if provider is not None else parent_provider
            break
    return provider, model


def _is_other_signal(record: Any) -> bool:
    return isinstance(record, Mapping) and any(
        key in record for key in ("resourceLogs", "resourceMetrics")
    )


def dig_list(record: Mapping[str, Any], *keys: str) -> Any:
    value: Any = record
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _nanos(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _timestamp(value: Any) -> Any:
    nanos = _nanos(value)
    if nanos is None:
        return value
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=nanos // 1000)
    except OverflowError:  # beyond year 9999 (or before year 1): passed on, quarantined
        return str(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _latency_ms(start: int | None, end: int | None) -> float | None:
    if start is None or end is None:
        return None
    try:
        return (end - start) / 1e6
    except OverflowError:  # nanosecond counts beyond a float: not a latency
        return math.inf


def _provider(name: Any) -> Any:
    if not isinstance(name, str):
        return name
    key = name.strip().lower()
    return PROVIDERS.get(key, key.replace(".", "_"))


def _status(span: Mapping[str, Any], attrs: Mapping[str, Any]) -> str:
    code = dig_list(span, "status", "code")
    error_type = attrs.get("error.type")
    finish = attrs.get("gen_ai.response.finish_reasons")
    if code in STATUS_ERROR or error_type:
        return "timeout" if "timeout" in str(error_type).lower() else "error"
    if isinstance(finish, list) and "content_filter" in finish:
        return "filtered"
    if code in STATUS_OK:
        return "success"
    return f"status_code_{code}"


def _feedback(label: Any, score: Any) -> int | None:
    if isinstance(label, str):
        word = label.strip().lower().replace(" ", "_").replace("-", "_")
        if word in POSITIVE:
            return 1
        if word in NEGATIVE:
            return -1
        if word in NEUTRAL:
            return 0
    value = number(score)
    if value in (-1.0, 0.0, 1.0):
        return int(value)  # type: ignore[arg-type]
    return None


def _first(*values: Any) -> Any:
    for value in values:
        if value is not None and value != "":
            return value
    return None


def _span(
    span: Mapping[str, Any], resource: Mapping[str, Any], identities: Mapping[str, str]
) -> dict[str, Any] | None:
    """The requests row of one span (columns and extras), or None for a non-GenAI span."""
    attrs = attributes(span.get("attributes"))
    if not any(marker in attrs for marker in GENAI_MARKERS):
        return None
    attrs = track_fields(attrs)  # a GenAI span's attributes never read are reported
    trace, span_id = span.get("traceId"), span.get("spanId")
    start, end = _nanos(span.get("startTimeUnixNano")), _nanos(span.get("endTimeUnixNano"))
    evaluation: Mapping[str, Any] = {}
    for event in objects(span.get("events")):
        if event.get("name") == EVALUATION_EVENT:
            evaluation = attributes(event.get("attributes"))
            break
    label = evaluation.get("gen_ai.evaluation.score.label")
    score = evaluation.get("gen_ai.evaluation.score.value")
    provider = _first(attrs.get("gen_ai.provider.name"), attrs.get("gen_ai.system"))
    user = _first(
        attrs.get("user.id"),
        attrs.get("enduser.id"),
        resource.get("user.id"),
        resource.get("enduser.id"),
    )
    return dict(
        _key=(trace, span_id),
        request_id=f"{trace}-{span_id}" if trace else span_id,
        occurred_at=_timestamp(span.get("startTimeUnixNano")),
        user_id=map_identity(identities, user),
        business_unit_id=_first(
            attrs.get("cadence.business_unit_id"), resource.get("cadence.business_unit_id")
        ),
        use_case_id=_first(attrs.get("cadence.use_case_id"), resource.get("cadence.use_case_id")),
        tool=_first(resource.get("service.name"), DEFAULT_TOOL),
        provider=_provider(provider),
        model=_first(attrs.get("gen_ai.request.model"), attrs.get("gen_ai.response.model")),
        operation=attrs.get("gen_ai.operation.name"),
        input_tokens=_first(
            attrs.get("gen_ai.usage.input_tokens"), attrs.get("gen_ai.usage.prompt_tokens")
        ),
        output_tokens=_first(
            attrs.get("gen_ai.usage.output_tokens"), attrs.get("gen_ai.usage.completion_tokens")
        ),
        latency_ms=_latency_ms(start, end),
        status=_status(span, attrs),
        data_classification=_first(
            attrs.get("cadence.data_classification"),
            resource.get("cadence.data_classification"),
        ),
        feedback_score=_feedback(label, score),
        conversation_id=attrs.get("gen_ai.conversation.id"),
        response_id=attrs.get("gen_ai.response.id"),
        response_model=attrs.get("gen_ai.response.model"),
        error_type=attrs.get("error.type"),
        otel_provider=provider,
        evaluation_name=evaluation.get("gen_ai.evaluation.name"),
        evaluation_score=score,
        evaluation_label=label,
    )
