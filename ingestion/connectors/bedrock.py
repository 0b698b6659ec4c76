"""AWS Bedrock model invocation logs -> requests.

Reads what Bedrock's model invocation logging writes to CloudWatch Logs or S3 (one JSON record
per line, a JSON array of them, or an S3 object's `{"records": [...]}`): `schemaType`
(`ModelInvocationLog`), `schemaVersion`, `timestamp`, `accountId`, `identity.arn`, `region`,
`requestId`, `operation` (`InvokeModel`, `InvokeModelWithResponseStream`, `Converse`,
`ConverseStream`), `modelId`, `input` (`inputTokenCount`, cache token counts and
`inputBodyJson`, the prompt) and `output` (`outputTokenCount` and `outputBodyJson`, the
completion), `errorCode` on a failed call, and the caller's `requestMetadata` tags.

| requests column | from |
|---|---|
| request_id | `requestId` |
| occurred_at | `timestamp` (UTC) |
| user_id | the last part of `identity.arn`: an IAM user's name, or an assumed role's session name (IAM Identity Center sets it to the person's user name or e-mail); a role used by a service gives its session name, which is no person: map it with `CADENCE_IDENTITY_MAP` |
| tool | `bedrock` |
| provider, model | `modelId` as the model catalogue names it: the ARN's resource and an inference profile's region prefix dropped, the vendor before the first `.` is the provider, the model loses its version suffix and date stamp (`us.anthropic.claude-3-haiku-20240307-v1:0` -> `anthropic`, `claude-3-haiku`; `amazon.nova-lite-v1:0` -> `amazon`, `nova-lite`); a custom model's ARN -> `bedrock` and the id. The id as sent is kept as `bedrock_model_id` |
| operation | `embeddings` for a model whose id names `embed`, else `chat` |
| input_tokens, output_tokens | `input.inputTokenCount`, `output.outputTokenCount` (cache reads and writes are kept apart as `cache_read_input_tokens`, `cache_write_input_tokens`) |
| latency_ms | `output.outputBodyJson.metrics.latencyMs` (the Converse API's; InvokeModel logs carry none) |
| status | `errorCode`: `timeout` when it names a timeout, else `error`; the Converse `stopReason` `guardrail_intervened` -> `blocked`, `content_filtered` -> `filtered`; else `success` |
| use_case_id, business_unit_id | `requestMetadata` tags `cadence.use_case_id` / `use_case_id`, `cadence.business_unit_id` / `business_unit_id` |

Bedrock logs give no cost: rows are priced from the model catalogue. Kept as extra columns:
`bedrock_model_id`, `bedrock_operation`, `aws_account_id`, `region`, `error_code`. The bodies
(`input.inputBodyJson`, `output.outputBodyJson`: prompt and completion text) are never read
beyond the latency metric, and never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingestion.connectors._calls import (
    as_object,
    bedrock_model,
    field,
    load_calls,
    tag,
    utc_timestamp,
)
from ingestion.connectors._common import VendorFormat, dig, map_identity, track_fields
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "bedrock"
TOOL = "bedrock"
STOP_REASONS = {"guardrail_intervened": "blocked", "content_filtered": "filtered"}

FORMAT = VendorFormat(
    "AWS Bedrock model invocation log (ModelInvocationLog)",
    ("timestamp", "requestId", "modelId"),
    (
        "schemaType",
        "schemaVersion",
        "accountId",
        "identity",
        "requestId",
        "modelId",
        "inferenceRegion",
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
    """Land Bedrock model invocation log files under `home` as requests."""
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


def is_record(record: Any) -> bool:
    """Whether a JSON record is a Bedrock model invocation log record."""
    return isinstance(record, Mapping) and (
        record.get("schemaType") == "ModelInvocationLog"
        or ("modelId" in record and "requestId" in record and "accountId" in record)
    )


def user_of(arn: Any) -> Any:
    """The person an IAM ARN names: the part after its last `/` (a user's name, a role
    session's name); an ARN without one, or a value that is no ARN, as it is."""
    if not isinstance(arn, str) or "/" not in arn:
        return arn
    return arn.rsplit("/", 1)[-1] or arn


def row_of(
    record: Mapping[str, Any], identities: Mapping[str, str]
) -> tuple[dict[str, Any] | None, str]:
    """The requests row of one invocation log record."""
    model_id = field(record, "modelId")
    provider, model = bedrock_model(model_id)
    identity = track_fields(as_object(record.get("identity")), "identity")
    given = track_fields(as_object(record.get("input")), "input")
    returned = track_fields(as_object(record.get("output")), "output")
    metadata = track_fields(as_object(record.get("requestMetadata")), "requestMetadata")
    body = as_object(returned.get("outputBodyJson"))  # read for its metrics only
    error = field(record, "errorCode")
    stop = dig(body, "stopReason")
    if error is not None:
        status = "timeout" if "timeout" in str(error).lower() else "error"
    else:
        status = STOP_REASONS.get(str(stop), "success")
    return {
        "request_id": field(record, "requestId"),
        "occurred_at": utc_timestamp(field(record, "timestamp")),
        "user_id": map_identity(identities, user_of(field(identity, "arn"))),
        "business_unit_id": tag(metadata, "business_unit_id"),
        "use_case_id": tag(metadata, "use_case_id"),
        "tool": TOOL,
        "provider": provider,
        "model": model,
        "operation": "embeddings" if "embed" in str(model_id).lower() else "chat",
        "input_tokens": field(given, "inputTokenCount"),
        "output_tokens": field(returned, "outputTokenCount"),
        "latency_ms": dig(body, "metrics", "latencyMs"),
        "status": status,
        "cache_read_input_tokens": field(given, "cacheReadInputTokenCount"),
        "cache_write_input_tokens": field(given, "cacheWriteInputTokenCount"),
        "bedrock_model_id": model_id,
        "bedrock_operation": field(record, "operation"),
        "aws_account_id": field(record, "accountId"),
        "region": field(record, "region"),
        "error_code": error,
    }, ""
