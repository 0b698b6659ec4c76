"""LiteLLM proxy spend logs (`LiteLLM_SpendLogs`) -> requests.

Reads the proxy's per-request spend log as a CSV export of the `LiteLLM_SpendLogs` table (a
`COPY ... TO ... CSV HEADER`, nested `metadata` as JSON text), or as JSON: the `/spend/logs`
API's array, `/spend/logs/v2`'s `{"data": [...]}`, or one row per line. A row carries
`request_id`, `call_type`, `api_key` (a hash), `spend`, `total_tokens`, `prompt_tokens`,
`completion_tokens`, `startTime`, `endTime`, `completionStartTime`, `model`, `model_group`,
`model_id`, `custom_llm_provider`, `api_base`, `user`, `end_user`, `team_id`,
`organization_id`, `metadata`, `cache_hit`, `cache_key`, `request_tags`, `session_id`,
`status`, and in recent versions the request and response (`messages`, `response`,
`proxy_server_request`), which are never read. Column names are matched however they are
spelt (`startTime`, `start_time`).

| requests column | from |
|---|---|
| request_id | `request_id` |
| occurred_at | `startTime` (UTC; a time without offset, as Postgres writes it, is UTC) |
| user_id | `end_user` (the `user` the calling application named, the person behind an internal app), else `user` (the internal user who owns the virtual key); null when neither |
| tool | `litellm` |
| provider | `custom_llm_provider` as the model catalogue names it (`azure` -> `azure_openai`, `vertex_ai` / `gemini` -> `google`, ...); `bedrock` -> the vendor of the Bedrock model id (see `bedrock.py`) |
| model | `model` without a `<provider>/` prefix (a Bedrock id as the catalogue names it), else `model_group` |
| operation | `call_type`: `completion` / `acompletion` / `responses` -> `chat`, `text_completion` -> `text_completion`, `embedding` -> `embeddings`, image and audio calls -> `generate_content`, `rerank`, `moderation`; other call types (files, batches, pass-through routes) are skipped and counted |
| input_tokens, output_tokens | `prompt_tokens`, `completion_tokens` |
| cost_usd | `spend` (LiteLLM prices in USD) |
| latency_ms | `endTime - startTime` |
| status | `status` (`success`, `failure`), else `metadata.status`: a failure is `timeout` when `metadata.error_information.error_class` names a timeout, else `error`; a row with neither is `success` (older proxies logged successful calls only) |
| use_case_id, business_unit_id | `metadata` tags `cadence.use_case_id` / `use_case_id`, `cadence.business_unit_id` / `business_unit_id` |

Kept as extra columns: `model_group`, `team_id`, `session_id`, `cache_hit`, `litellm_provider`
(the provider as sent). Free text and secrets (`messages`, `response`,
`proxy_server_request`, `api_key`, `cache_key`, `requester_ip_address`, the rest of
`metadata`) are never read: named as not landed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingestion.connectors._calls import (
    as_object,
    bedrock_model,
    catalogue_provider,
    field,
    load_calls,
    millis_between,
    operation,
    skipped_as,
    tag,
    utc_timestamp,
)
from ingestion.connectors._common import VendorFormat, map_identity, track_fields
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "litellm"
TOOL = "litellm"
FAILED = ("failure", "failed", "error")

FORMAT = VendorFormat(
    "LiteLLM proxy spend log (LiteLLM_SpendLogs)",
    ("request_id", "call_type", "startTime", "model"),
    (
        "call_type",
        "spend",
        "api_key",
        "model_group",
        "custom_llm_provider",
        "api_base",
        "cache_hit",
        "end_user",
        "completion_tokens",
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
    """Land LiteLLM spend log exports under `home` as requests."""
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
    """Whether a JSON record or CSV header is a LiteLLM spend log row."""
    keys = {str(name) for name in names} if names is not None else set()
    return {"request_id", "call_type", "spend"} <= keys


def provider_and_model(provider: Any, model: Any) -> tuple[Any, Any]:
    """The catalogue's (provider, model) for a spend log row's `custom_llm_provider` and
    `model`."""
    name = catalogue_provider(provider)
    if isinstance(model, str) and isinstance(provider, str) and "/" in model:
        prefix, rest = model.split("/", 1)
        if prefix.strip().lower() == provider.strip().lower():
            model = rest
    if name == "bedrock" and isinstance(model, str):
        return bedrock_model(model)
    return name, model


def row_of(
    record: Mapping[str, Any], identities: Mapping[str, str]
) -> tuple[dict[str, Any] | None, str]:
    """The requests row of one spend log row, or None and the call type it is skipped as."""
    call_type = field(record, "call_type")
    call = operation(call_type)
    if call is None:
        return None, skipped_as("call_type", call_type)
    metadata = track_fields(as_object(record.get("metadata")), "metadata")
    sent_provider = field(record, "custom_llm_provider")
    provider, model = provider_and_model(
        sent_provider, field(record, "model") or field(record, "model_group")
    )
    outcome = field(record, "status") or field(metadata, "status")
    if str(outcome).lower() in FAILED:
        error = as_object(metadata.get("error_information"))
        timeout = "timeout" in str(error.get("error_class", "")).lower()
        status = "timeout" if timeout else "error"
    else:
        status = "success"
    start = field(record, "startTime")
    return {
        "request_id": field(record, "request_id"),
        "occurred_at": utc_timestamp(start),
        "user_id": map_identity(identities, field(record, "end_user") or field(record, "user")),
        "business_unit_id": tag(metadata, "business_unit_id"),
        "use_case_id": tag(metadata, "use_case_id"),
        "tool": TOOL,
        "provider": provider,
        "model": model,
        "operation": call,
        "input_tokens": field(record, "prompt_tokens"),
        "output_tokens": field(record, "completion_tokens"),
        "latency_ms": millis_between(start, field(record, "endTime")),
        "status": status,
        "cost_usd": field(record, "spend"),
        "model_group": field(record, "model_group"),
        "team_id": field(record, "team_id"),
        "session_id": field(record, "session_id"),
        "cache_hit": field(record, "cache_hit"),
        "litellm_provider": sent_provider,
    }, ""
