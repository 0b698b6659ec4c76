"""Langfuse observation exports -> requests.

Reads Langfuse observations as the public API returns them (`GET /api/public/observations`
and `/api/public/v2/observations`: `{"data": [...], "meta": {...}}`), as a JSON array or one
observation per line (a UI or blob-storage export), or as CSV (nested objects as JSON text).
An observation carries `id`, `traceId`, `parentObservationId`, `type` (`GENERATION`,
`EMBEDDING`, `AGENT`, `TOOL`, `SPAN`, `EVENT`, `CHAIN`, `RETRIEVER`, `EVALUATOR`,
`GUARDRAIL`), `name`, `startTime`, `endTime`, `model` (v2: `providedModelName`),
`usageDetails` (older: `usage`), `costDetails` (older: `calculatedTotalCost`; v2 also
`totalCost`), `level` (`DEBUG`, `DEFAULT`, `WARNING`, `ERROR`), `statusMessage`, `metadata`,
and in v2 the trace's `userId` and `sessionId`; `input` and `output` (the prompt and the
completion) are never read.

| requests column | from |
|---|---|
| request_id, span_id | `id` |
| trace_id, parent_span_id | `traceId`, `parentObservationId` (lower-cased) |
| occurred_at | `startTime` (UTC) |
| user_id | `userId` (the v2 API's, from the trace); the v1 API gives none: null user (the call counts in operations and trust, not adoption) |
| tool | `langfuse` |
| provider | the provider the instrumentation recorded in `metadata` (`ls_provider` from LangChain, `gen_ai.provider.name`, `gen_ai.system`, `provider`) as the catalogue names it; Langfuse itself records none, so otherwise `unknown` (never guessed from the model's name) |
| model | `model`, else `providedModelName`; `unknown` when neither |
| operation | `type`: `GENERATION` -> `chat`, `EMBEDDING` -> `embeddings`, `AGENT` -> `invoke_agent` (agent = `name`), `TOOL` -> `execute_tool` (tool = `name`); other types are skipped and counted |
| input_tokens, output_tokens | `usageDetails.input` / `output`, else `usage.input` / `output`, else `promptTokens` / `completionTokens` |
| cost_usd | `costDetails.total`, else `totalCost`, else `calculatedTotalCost` (Langfuse prices in USD); null when none |
| latency_ms | `endTime - startTime`, else `latency` (seconds) x 1000 |
| status | `level` `ERROR`: `timeout` when `statusMessage` names a timeout, else `error`; otherwise `success` (`statusMessage` is read for that word only and never stored) |
| use_case_id, business_unit_id | `metadata` tags `cadence.use_case_id` / `use_case_id`, `cadence.business_unit_id` / `business_unit_id` |

Kept as extra columns: `observation_name`, `session_id`, `environment`, `level`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingestion.connectors._calls import (
    as_object,
    catalogue_provider,
    field,
    load_calls,
    millis_between,
    operation,
    skipped_as,
    tag,
    utc_timestamp,
)
from ingestion.connectors._common import (
    VendorFormat,
    map_identity,
    number,
    track_fields,
)
from ingestion.entities import requests
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "langfuse"
TOOL = "langfuse"
#: Observation types that are requests rows (others are skipped).
TYPES = ("GENERATION", "EMBEDDING", "AGENT", "TOOL")
PROVIDER_KEYS = ("ls_provider", "gen_ai.provider.name", "gen_ai.system", "provider")

FORMAT = VendorFormat(
    "Langfuse observation export (/api/public/observations)",
    ("id", "type", "startTime"),
    (
        "traceId",
        "parentObservationId",
        "usageDetails",
        "costDetails",
        "calculatedTotalCost",
        "completionStartTime",
        "statusMessage",
        "modelParameters",
        "promptId",
    ),
)


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    identity_map: Path | str | None = None,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land Langfuse observation exports under `home` as requests."""
    return load_calls(
        paths,
        home,
        connector=CONNECTOR,
        fmt=FORMAT,
        row_of=row_of,
        identity_map=identity_map,
        echo=echo,
        extra_columns=extra_columns,
    )


def is_record(names: Any) -> bool:
    """Whether a JSON record or CSV header is a Langfuse observation."""
    keys = {str(name) for name in names} if names is not None else set()
    return {"id", "type", "startTime", "traceId"} <= keys


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) and value.strip() else value


def row_of(
    record: Mapping[str, Any], identities: Mapping[str, str]
) -> tuple[dict[str, Any] | None, str]:
    """The requests row of one observation, or None and the type it is skipped as."""
    given = field(record, "type")
    kind = str(given).strip().upper()
    if kind not in TYPES:
        return None, skipped_as("type", given)
    call = operation(kind)
    metadata = track_fields(as_object(record.get("metadata")), "metadata")
    usage = as_object(field(record, "usageDetails")) or as_object(field(record, "usage"))
    cost = as_object(field(record, "costDetails"))
    start = field(record, "startTime")
    latency = millis_between(start, field(record, "endTime"))
    if latency is None and number(field(record, "latency")) is not None:
        latency = number(field(record, "latency")) * 1000  # type: ignore[operator]
    failed = str(field(record, "level")).upper() == "ERROR"
    message = str(field(record, "statusMessage") or "").lower()
    name = field(record, "name")
    provider = field(metadata, *PROVIDER_KEYS)
    return {
        "request_id": field(record, "id"),
        "occurred_at": utc_timestamp(start),
        "user_id": map_identity(identities, field(record, "userId")),
        "business_unit_id": tag(metadata, "business_unit_id"),
        "use_case_id": tag(metadata, "use_case_id"),
        "tool": TOOL,
        "provider": catalogue_provider(provider),
        "model": field(record, "model", "providedModelName"),
        "operation": call,
        "input_tokens": _first(field(usage, "input"), field(record, "promptTokens")),
        "output_tokens": _first(field(usage, "output"), field(record, "completionTokens")),
        "latency_ms": latency,
        "status": ("timeout" if "timeout" in message else "error") if failed else "success",
        "cost_usd": _first(
            field(cost, "total"),
            field(record, "totalCost"),
            field(record, "calculatedTotalCost"),
        ),
        "trace_id": _lower(field(record, "traceId")),
        "span_id": _lower(field(record, "id")),
        "parent_span_id": _lower(field(record, "parentObservationId")),
        "agent_id": name if call == requests.AGENT_OPERATION else None,
        "agent_name": name if call == requests.AGENT_OPERATION else None,
        "tool_name": name if call == requests.TOOL_OPERATION else None,
        "observation_name": name,
        "session_id": field(record, "sessionId"),
        "environment": field(record, "environment"),
        "level": field(record, "level"),
    }, ""


def _first(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None
