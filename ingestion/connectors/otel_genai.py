"""OpenTelemetry GenAI spans (OTLP/JSON) -> requests.

Reads what an OpenTelemetry Collector's file exporter writes (and what any OTLP/JSON export
holds): one `ExportTraceServiceRequest` per line (or one pretty-printed document), i.e.
`resourceSpans[] -> scopeSpans[] -> spans[]`, attributes as `{key, value: {stringValue |
intValue (int64 as a string) | doubleValue | boolValue | arrayValue}}`, times as
`startTimeUnixNano` / `endTimeUnixNano` strings.

Which spans are GenAI, and their operation (first that applies):

1. `gen_ai.operation.name` (current semantic conventions: `chat`, `text_completion`,
   `embeddings`, `generate_content`, `execute_tool`, `invoke_agent`, `create_agent`, ...);
2. OpenLLMetry / Traceloop `llm.request.type` (`chat`; `completion` -> `text_completion`;
   `embedding` -> `embeddings`; `rerank`);
3. a span kind: OpenInference `openinference.span.kind` (`LLM` -> `chat`, `EMBEDDING` ->
   `embeddings`, `TOOL` -> `execute_tool`, `AGENT` -> `invoke_agent`, `RETRIEVER` ->
   `retrieval`, `RERANKER` -> `rerank`) or Traceloop `traceloop.span.kind` (`agent` ->
   `invoke_agent`, `tool` -> `execute_tool`). A span kind that names no model call, agent or
   tool (OpenInference `CHAIN`, `GUARDRAIL`, `EVALUATOR`; Traceloop `workflow`, `task`) makes
   the span a skipped one, whatever else it carries (its usage repeats its children's);
4. otherwise a span naming a GenAI provider, model, token usage or cost (`GENAI_MARKERS`:
   `gen_ai.system`, `gen_ai.usage.*`, `llm.usage.*`, `llm.token_count.*`, `llm.model_name`,
   ...) is a model call, `chat` (a LangSmith-style span with `gen_ai.usage.*` and no operation);
   one naming only `gen_ai.agent.*` is `invoke_agent`, only `gen_ai.tool.name` `execute_tool`.

Every other span (HTTP, database, ...) is skipped and counted by kind (`http.server`,
`http.client`, `db`, `rpc`, `messaging`, `traceloop.workflow`, `openinference.chain`, else the
span kind: `internal`, `server`, ...): the ingest summary lists them. A file holding no GenAI
span is refused whole, naming what it holds ("12 spans, none GenAI: http.server 8, db 4").

| requests column | from |
|---|---|
| request_id | `trace_id-span_id` (the hex ids, so a span exported with base64 ids and with hex ids is the same request) |
| trace_id, span_id, parent_span_id | `traceId`, `spanId`, `parentSpanId` in lower-case hex: OTLP/JSON's hex ids as they are (lower-cased), protobuf-JSON's base64 ids (16 and 8 bytes) converted; anything else as received |
| occurred_at | `startTimeUnixNano` (UTC) |
| latency_ms | `endTimeUnixNano - startTimeUnixNano` |
| user_id | `user.id`, else the deprecated `enduser.id`, on the span or its resource; null when neither (the request counts in operations and trust, not adoption) |
| tool | resource `service.name` (else `otel`) |
| provider | `gen_ai.provider.name`, else `gen_ai.system`, `llm.vendor` (OpenLLMetry), `llm.provider`, `llm.system` (OpenInference), named as the model catalogue names providers (`azure.ai.openai` / `az.ai.openai` -> `azure_openai`; `gcp.gemini`, `gcp.vertex_ai`, `gcp.gen_ai` -> `google`; `mistral_ai` -> `mistral`; others lower-cased with `.` -> `_`) |
| model | `gen_ai.request.model`, else `gen_ai.response.model`, `llm.request.model`, `llm.response.model`, `llm.model_name` |
| operation | as above |
| input_tokens, output_tokens | `gen_ai.usage.input_tokens` / `output_tokens`, else `gen_ai.usage.prompt_tokens` / `completion_tokens` (deprecated), `llm.usage.prompt_tokens` / `completion_tokens` (OpenLLMetry), `llm.token_count.prompt` / `completion` (OpenInference) |
| cost_usd | `gen_ai.usage.cost` (OpenLit, USD), else `llm.cost.total` (OpenInference); null otherwise (priced from the catalogue) |
| agent_id, agent_name | `gen_ai.agent.id`, else `gen_ai.agent.name`; `gen_ai.agent.name`; for an OpenInference or Traceloop agent span, `agent.name` / `traceloop.entity.name` |
| tool_name | `gen_ai.tool.name`, else OpenInference `tool.name`, else a Traceloop tool span's `traceloop.entity.name` |
| status | `timeout` when `error.type` names a timeout; `error` when the span status is ERROR or `error.type` is set; `filtered` when `gen_ai.response.finish_reasons` has `content_filter`; else `success` (an unknown status code is passed on and quarantined) |
| feedback_score | the first `gen_ai.evaluation.result` span event: 1 / 0 / -1 from its `gen_ai.evaluation.score.label` (pass, correct, relevant, ... / neutral / fail, incorrect, not_relevant, ...), else its score when that is -1, 0 or 1 |
| use_case_id, business_unit_id, data_classification | attributes `cadence.use_case_id`, `cadence.business_unit_id`, `cadence.data_classification` (span, else resource), for instrumentation that tags them |

Provider and model (CONTRACTS.md §5.1): a model call (any operation but `invoke_agent` and
`execute_tool`) that names no provider or model lands with `unknown` for each, never
quarantined. Agent and tool spans are not model calls and need neither: one naming none takes
its nearest ancestor's in the same file (the model its run used, as before), else lands with
none.

Kept as extra columns: `conversation_id` (`gen_ai.conversation.id`), `response_id`,
`response_model`, `error_type`, `otel_provider` (the name as sent), `evaluation_name`,
`evaluation_score`, `evaluation_label`. Message content (`gen_ai.input.messages`,
`gen_ai.output.messages`, `gen_ai.system_instructions`, the older `gen_ai.prompt` /
`gen_ai.completion` and their indexed forms, OpenLLMetry's `llm.prompts.*` /
`llm.completions.*` and `traceloop.entity.input` / `output`, OpenInference's `input.value` /
`output.value` / `llm.input_messages.*`, tool call arguments and results) and evaluation
explanations are never read, so never stored: only their names are listed as not landed. A
file that is not OTLP/JSON traces is refused whole.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ingestion.connectors import _calls
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
TRACE_ID_BYTES = 16
SPAN_ID_BYTES = 8

#: requests as the connector lands it: telemetry may have no user (CONTRACTS.md §1), and agent
#: and tool spans need no provider or model (§5.1; model calls get `unknown` here instead).
SCHEMA = _calls.SCHEMA

#: The span fields and attributes the connector reads, and what each feeds.
SPAN: tuple[VendorField, ...] = (
    VendorField("traceId", "string", feeds="request_id, trace_id"),
    VendorField("spanId", "string", required=True, feeds="request_id, span_id"),
    VendorField("parentSpanId", "string", feeds="parent_span_id"),
    VendorField("startTimeUnixNano", "string", required=True, feeds="occurred_at"),
    VendorField("endTimeUnixNano", "string", feeds="latency_ms"),
    VendorField("kind", "integer", feeds="the kind of a skipped span"),
    VendorField("status.code", "integer", feeds="status"),
    VendorField("gen_ai.operation.name", "string", feeds="operation"),
    VendorField("llm.request.type", "string", feeds="operation (OpenLLMetry)"),
    VendorField("openinference.span.kind", "string", feeds="operation (OpenInference)"),
    VendorField("traceloop.span.kind", "string", feeds="operation (Traceloop)"),
    VendorField("gen_ai.provider.name", "string", feeds="provider"),
    VendorField("gen_ai.system", "string", feeds="provider (deprecated)"),
    VendorField("llm.vendor", "string", feeds="provider (OpenLLMetry)"),
    VendorField("llm.provider", "string", feeds="provider (OpenInference)"),
    VendorField("llm.system", "string", feeds="provider (OpenInference)"),
    VendorField("gen_ai.request.model", "string", feeds="model"),
    VendorField("gen_ai.response.model", "string", feeds="model"),
    VendorField("llm.request.model", "string", feeds="model (OpenLLMetry)"),
    VendorField("llm.response.model", "string", feeds="model (OpenLLMetry)"),
    VendorField("llm.model_name", "string", feeds="model (OpenInference)"),
    VendorField("gen_ai.usage.input_tokens", "integer", feeds="input_tokens"),
    VendorField("gen_ai.usage.output_tokens", "integer", feeds="output_tokens"),
    VendorField("gen_ai.usage.prompt_tokens", "integer", feeds="input_tokens (deprecated)"),
    VendorField("gen_ai.usage.completion_tokens", "integer", feeds="output_tokens (deprecated)"),
    VendorField("llm.usage.prompt_tokens", "integer", feeds="input_tokens (OpenLLMetry)"),
    VendorField("llm.usage.completion_tokens", "integer", feeds="output_tokens (OpenLLMetry)"),
    VendorField("llm.token_count.prompt", "integer", feeds="input_tokens (OpenInference)"),
    VendorField("llm.token_count.completion", "integer", feeds="output_tokens (OpenInference)"),
    VendorField("gen_ai.usage.cost", "number", feeds="cost_usd (OpenLit)"),
    VendorField("llm.cost.total", "number", feeds="cost_usd (OpenInference)"),
    VendorField("gen_ai.agent.id", "string", feeds="agent_id"),
    VendorField("gen_ai.agent.name", "string", feeds="agent_id, agent_name"),
    VendorField("agent.name", "string", feeds="agent_id, agent_name (OpenInference)"),
    VendorField("gen_ai.tool.name", "string", feeds="tool_name"),
    VendorField("tool.name", "string", feeds="tool_name (OpenInference)"),
    VendorField("traceloop.entity.name", "string", feeds="agent or tool name (Traceloop)"),
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

OPERATION = "gen_ai.operation.name"
PROVIDER_KEYS = (
    "gen_ai.provider.name",
    "gen_ai.system",
    "llm.vendor",
    "llm.provider",
    "llm.system",
)
MODEL_KEYS = (
    "gen_ai.request.model",
    "gen_ai.response.model",
    "llm.request.model",
    "llm.response.model",
    "llm.model_name",
)
INPUT_TOKEN_KEYS = (
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "llm.usage.prompt_tokens",
    "llm.token_count.prompt",
)
OUTPUT_TOKEN_KEYS = (
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.usage.completion_tokens",
    "llm.token_count.completion",
)
COST_KEYS = ("gen_ai.usage.cost", "llm.cost.total")
AGENT_KEYS = ("gen_ai.agent.id", "gen_ai.agent.name")
TOOL_KEYS = ("gen_ai.tool.name",)
#: Attributes that make a span GenAI on their own: a span naming only these (no operation or
#: span kind) is a model call, `chat` (or an agent run / tool call when it names only those).
MODEL_CALL_MARKERS = (
    *PROVIDER_KEYS,
    *MODEL_KEYS,
    *INPUT_TOKEN_KEYS,
    *OUTPUT_TOKEN_KEYS,
    *COST_KEYS,
    "llm.usage.total_tokens",
    "llm.token_count.total",
)
GENAI_MARKERS = (OPERATION, "llm.request.type", *MODEL_CALL_MARKERS, *AGENT_KEYS, *TOOL_KEYS)
#: OpenLLMetry `llm.request.type` -> operation.
REQUEST_TYPES: dict[str, str] = {
    "chat": "chat",
    "completion": "text_completion",
    "embedding": "embeddings",
    "embeddings": "embeddings",
    "rerank": "rerank",
}
#: Span kinds of other dialects -> operation; None: not a request (skipped).
SPAN_KINDS: dict[str, dict[str, str | None]] = {
    "openinference.span.kind": {
        "llm": "chat",
        "embedding": "embeddings",
        "tool": "execute_tool",
        "agent": "invoke_agent",
        "retriever": "retrieval",
        "reranker": "rerank",
        "chain": None,
        "guardrail": None,
        "evaluator": None,
    },
    "traceloop.span.kind": {
        "agent": "invoke_agent",
        "tool": "execute_tool",
        "workflow": None,
        "task": None,
    },
}
SPAN_KIND_NAMES = {
    0: "unspecified",
    1: "internal",
    2: "server",
    3: "client",
    4: "producer",
    5: "consumer",
}
HTTP_KEYS = ("http.request.method", "http.method", "http.route", "url.full", "http.url")
OTHER_SYSTEMS = (
    ("db", ("db.system", "db.system.name")),
    ("rpc", ("rpc.system",)),
    ("messaging", ("messaging.system",)),
)
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
HEX = re.compile(r"[0-9a-fA-F]+")


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


def hex_id(value: Any, size: int) -> Any:
    """A trace or span id of `size` bytes as lower-case hex: hex as it is (lower-cased), a
    protobuf-JSON base64 id converted; anything else (an id of another length, not text) as
    received, so validation or the reader sees what was sent. Empty is None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    text = value.strip()
    if len(text) == 2 * size and HEX.fullmatch(text):
        return text.lower()
    if len(text) == 4 * math.ceil(size / 3):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                raw = decode(text.encode("ascii"), validate=True)
            except (binascii.Error, ValueError, UnicodeEncodeError):
                continue
            if len(raw) == size:
                return raw.hex()
    return value


def reshape(path: Path, identities: Mapping[str, str] | None = None) -> list[Rows]:
    """One requests row per GenAI span of the file; other spans are counted by kind
    (`Rows.skipped`). A file with no GenAI span is refused, naming what it holds."""
    identities = identities or {}
    spans: list[tuple[int, dict[str, Any]]] = []
    lineage: dict[tuple[Any, Any], tuple[Any, Any, Any]] = {}
    skipped: Counter[str] = Counter()
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
                    trace = hex_id(span.get("traceId"), TRACE_ID_BYTES)
                    key = (trace, hex_id(span.get("spanId"), SPAN_ID_BYTES))
                    parent = (trace, hex_id(span.get("parentSpanId"), SPAN_ID_BYTES))
                    values, other = _span(span, resource, identities)
                    if values is None:
                        skipped[other] += 1
                        lineage[key] = (None, None, parent)
                        continue
                    lineage[key] = (values["provider"], values["model"], parent)
                    spans.append((line, values))
    if not spans:
        raise FileRefused(path, _nothing_genai(skipped))
    rows = Rows(SCHEMA)
    rows.skipped = dict(sorted(skipped.items(), key=lambda item: (-item[1], item[0])))
    for line, values in spans:
        if values["operation"] in requests.NOT_MODEL_CALLS:
            if values["model"] is None or values["provider"] is None:
                values["provider"], values["model"] = _inherited(values, lineage)
        else:
            values["provider"] = _first(values["provider"], requests.UNKNOWN)
            values["model"] = _first(values["model"], requests.UNKNOWN)
        del values["_key"]
        rows.add(line, **values)
    return [rows]


def _nothing_genai(skipped: Mapping[str, int]) -> str:
    """Why a file without a GenAI span is refused: what it holds."""
    total = sum(skipped.values())
    if not total:
        return "no spans: nothing to land (an empty export?)"
    kinds = ", ".join(
        f"{kind} {count:,}"
        for kind, count in sorted(skipped.items(), key=lambda item: (-item[1], item[0]))
    )
    return (
        f"{total:,} span{'s' if total != 1 else ''}, none GenAI: {kinds} (no gen_ai.*, "
        "llm.*, openinference or traceloop model, agent or tool attributes)"
    )


def _inherited(
    values: Mapping[str, Any], lineage: Mapping[tuple[Any, Any], tuple[Any, Any, Any]]
) -> tuple[Any, Any]:
    """Provider and model of an agent or tool span that names none: those of its nearest
    ancestor in the same file that names them (none when no ancestor does)."""
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
    return _calls.catalogue_provider(name)


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


def _word(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def _operation(attrs: Mapping[str, Any]) -> tuple[Any, str | None]:
    """(operation, kind): the span's operation, or None and the kind of a span that is not a
    model call, agent run or tool call (a workflow, a chain) or not GenAI at all (None)."""
    if _first(attrs.get(OPERATION)) is not None:
        operation = attrs[OPERATION]
        return (operation.strip() if isinstance(operation, str) else operation), None
    request_type = REQUEST_TYPES.get(_word(attrs.get("llm.request.type")) or "")
    if request_type is not None:
        return request_type, None
    for key, kinds in SPAN_KINDS.items():
        word = _word(attrs.get(key))
        if word in kinds:
            operation = kinds[word]
            if operation is None:  # a workflow, task, chain, ...: not a request
                return None, f"{key.split('.')[0]}.{word}"
            return operation, None
    if any(marker in attrs for marker in MODEL_CALL_MARKERS) or "llm.request.type" in attrs:
        return "chat", None
    if any(marker in attrs for marker in AGENT_KEYS):
        return requests.AGENT_OPERATION, None
    if any(marker in attrs for marker in TOOL_KEYS):
        return requests.TOOL_OPERATION, None
    return None, None


def _other_kind(span: Mapping[str, Any], attrs: Mapping[str, Any]) -> str:
    """The kind a skipped span is counted under: its protocol, else its span kind (only names
    from fixed lists: a skipped span's values never reach a message)."""
    kind = span.get("kind")
    if isinstance(kind, str):
        word = kind.strip().lower().removeprefix("span_kind_")
        name = word if word in SPAN_KIND_NAMES.values() else "unspecified"
    elif isinstance(kind, int) and not isinstance(kind, bool):
        name = SPAN_KIND_NAMES.get(kind, "unspecified")
    else:
        name = "unspecified"
    if any(key in attrs for key in HTTP_KEYS):
        return f"http.{name}" if name in ("server", "client") else "http"
    for system, keys in OTHER_SYSTEMS:
        if any(key in attrs for key in keys):
            return system
    return name


def _span(
    span: Mapping[str, Any], resource: Mapping[str, Any], identities: Mapping[str, str]
) -> tuple[dict[str, Any] | None, str]:
    """The requests row of one span (columns and extras), or None and the kind it is skipped
    as (not GenAI, or a GenAI workflow / chain span that is not a request)."""
    attrs = attributes(span.get("attributes"))
    operation, not_request = _operation(attrs)
    if operation is None:
        return None, not_request or _other_kind(span, attrs)
    attrs = track_fields(attrs)  # a GenAI span's attributes never read are reported
    for key in ("openinference.span.kind", "traceloop.span.kind", "llm.request.type", OPERATION):
        attrs.get(key)  # read: they decided the operation
    trace = hex_id(span.get("traceId"), TRACE_ID_BYTES)
    span_id = hex_id(span.get("spanId"), SPAN_ID_BYTES)
    start, end = _nanos(span.get("startTimeUnixNano")), _nanos(span.get("endTimeUnixNano"))
    evaluation: Mapping[str, Any] = {}
    for event in objects(span.get("events")):
        if event.get("name") == EVALUATION_EVENT:
            evaluation = attributes(event.get("attributes"))
            break
    label = evaluation.get("gen_ai.evaluation.score.label")
    score = evaluation.get("gen_ai.evaluation.score.value")
    provider = _first(*(attrs.get(key) for key in PROVIDER_KEYS))
    user = _first(
        attrs.get("user.id"),
        attrs.get("enduser.id"),
        resource.get("user.id"),
        resource.get("enduser.id"),
    )
    entity = (
        attrs.get("traceloop.entity.name") if "traceloop.span.kind" in attrs else None
    )  # a Traceloop agent's or tool's name
    is_agent = operation == requests.AGENT_OPERATION
    is_tool = operation == requests.TOOL_OPERATION
    agent_name = _first(attrs.get("gen_ai.agent.name"), attrs.get("agent.name"))
    if agent_name is None and is_agent:
        agent_name = entity
    tool_name = _first(attrs.get("gen_ai.tool.name"), attrs.get("tool.name"))
    if tool_name is None and is_tool:
        tool_name = entity
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
        model=_first(*(attrs.get(key) for key in MODEL_KEYS)),
        operation=operation,
        input_tokens=_first(*(attrs.get(key) for key in INPUT_TOKEN_KEYS)),
        output_tokens=_first(*(attrs.get(key) for key in OUTPUT_TOKEN_KEYS)),
        latency_ms=_latency_ms(start, end),
        status=_status(span, attrs),
        cost_usd=_first(*(attrs.get(key) for key in COST_KEYS)),
        data_classification=_first(
            attrs.get("cadence.data_classification"),
            resource.get("cadence.data_classification"),
        ),
        feedback_score=_feedback(label, score),
        trace_id=trace,
        span_id=span_id,
        parent_span_id=hex_id(span.get("parentSpanId"), SPAN_ID_BYTES),
        agent_id=_first(attrs.get("gen_ai.agent.id"), agent_name),
        agent_name=agent_name,
        tool_name=tool_name,
        conversation_id=attrs.get("gen_ai.conversation.id"),
        response_id=attrs.get("gen_ai.response.id"),
        response_model=attrs.get("gen_ai.response.model"),
        error_type=attrs.get("error.type"),
        otel_provider=provider,
        evaluation_name=evaluation.get("gen_ai.evaluation.name"),
        evaluation_score=score,
        evaluation_label=label,
    ), ""
