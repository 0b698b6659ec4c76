"""Azure OpenAI diagnostic logs (the `RequestResponse` category) -> requests.

Reads the resource logs an Azure OpenAI (Cognitive Services) account's diagnostic setting
archives to a storage account (`.../PT1H.json`: one JSON record per line), or streams to Event
Hubs (`{"records": [...]}`), or a JSON array of those records. Each record is one call to the
account: `time`, `resourceId`, `category`, `operationName`, `durationMs`, `resultSignature`
(the HTTP status), `correlationId`, `location`, `callerIpAddress` (masked), and `properties`
(an object, or the same as JSON text) with `apiName`, `requestTime`, `requestLength`,
`responseTime`, `responseLength`, `objectId`, `streamType`, `modelDeploymentName`,
`modelName` and `modelVersion`.

It also reads the same records as a Log Analytics workspace holds them in its
`AzureDiagnostics` table (a diagnostic setting in "Azure diagnostics" mode), exported as JSON
(`az monitor log-analytics query -o json`, or the portal's JSON export): `TimeGenerated` for
`time`, `properties_s` (the properties as JSON text) for `properties`, and the other columns
as above in Pascal case (`OperationName`, `Category`, `DurationMs`, `ResultSignature`,
`CorrelationId`, `ResourceId`); field names are matched however they are spelt. The table
has no `location`: `region` stays null. The portal's "Export to CSV" of the same rows is read
too: its `TimeGenerated [UTC]` column holds times as the portal displays them, in the reader's
locale and to the millisecond (`3/2/2026, 9:15:00.123 AM`, `02/03/2026, 09:15:00.123`,
`2.3.2026, 09:15:00,123`, `2026/3/2 9:15:00`). Day and month order is read from the file's
dates: one valid in a single order (`3/13/2026`, `25/02/2026`) decides. No clock style settles
it (en-AE writes `03/02/2026, 9:15:00 AM` day first, en-US the month first), so a file whose
every date could be either (all on the 1st to the 12th of a month), or that mixes both
orders, is refused: export it as JSON. So is one exported in another display time zone
(`TimeGenerated [Local Time]`), or with another script's digits. `ResourceProvider`, `Resource`, `TenantId` and the
other workspace columns are named as not landed.

**No tokens and no cost**: the RequestResponse log records that a call happened, how long it
took and how it ended, not what it used (Azure reports tokens as metrics, and the prompt and
completion are never logged here). Its rows land with null tokens and null cost, so they count
in requests, error rate, latency and policy, and cost nothing until tokens come from another
source (the provider's usage export, reconciled per day; or a gateway in front of it).

| requests column | from |
|---|---|
| request_id | `correlationId` |
| occurred_at | `time` (UTC), else `TimeGenerated` |
| user_id | `properties.objectId`: the Entra object id of the caller when it signed in with Entra ID; null with an API key (the call counts in operations and trust, not adoption). Map object ids to the directory's ids with `CADENCE_IDENTITY_MAP` |
| tool | `azure_openai` |
| provider | `azure_openai` |
| model | `properties.modelName` (`unknown` when absent: a deployment's name is the customer's choice, not a model, and is kept as `deployment`) |
| operation | `operationName`: `ChatCompletions_Create` / `Responses_Create` -> `chat`, `Completions_Create` -> `text_completion`, `Embeddings_Create` -> `embeddings`, image and audio operations -> `generate_content` |
| latency_ms | `durationMs` |
| status | `resultSignature`: 2xx `success`, 408 / 504 `timeout`, other 4xx / 5xx `error` (a call refused by the content filter is a 400: `error`, the log does not say why); without it, `resultType` (`Succeeded`, `Failed`); anything else is passed on and quarantined |

Kept as extra columns: `deployment`, `model_version`, `stream_type`, `region` (`location`),
`http_status`. A model call's record without `correlationId` refuses the file, like a record
without `time`, `category` or `operationName`. Records of another category (`Audit`, `Trace`, ...) and operations that are no
model call (`Models_List`, `Deployments_Get`, file and fine-tuning operations) are skipped and
counted in the ingest summary. `callerIpAddress` and the other fields are never read: named as
not landed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingestion.connectors._calls import (
    Missing,
    as_object,
    field,
    http_status,
    load_calls,
    operation,
    skipped_as,
    utc_timestamp,
)
from ingestion.connectors._common import (
    VendorFormat,
    map_identity,
    missing_fields,
    name_key,
    track_fields,
)
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "azure-openai"
TOOL = "azure_openai"
PROVIDER = "azure_openai"
CATEGORY = "RequestResponse"
#: `resultType` when a record has no HTTP status in `resultSignature`.
#: Fields a model call's record needs beyond the format's (other categories may lack them).
REQUIRED_FOR_CALLS = ("correlationId",)
RESULT_TYPES = {"succeeded": "success", "success": "success", "failed": "error"}

FORMAT = VendorFormat(
    "Azure OpenAI diagnostic log (RequestResponse, as Azure Monitor exports it)",
    ("time|TimeGenerated", "category", "operationName"),
    (
        "resourceId",
        "operationName",
        "category",
        "durationMs",
        "resultSignature",
        "callerIpAddress",
        "correlationId",
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
    """Land Azure OpenAI RequestResponse log files under `home` as requests."""
    return load_calls(
        paths,
        home,
        connector=CONNECTOR,
        fmt=FORMAT,
        row_of=row_of,
        identity_map=identity_map,
        echo=echo,
        extra_columns=extra_columns,
        portal_times=True,
    )


def is_record(record: Any) -> bool:
    """Whether a JSON record is an Azure resource log record of a Cognitive Services account
    (as archived or streamed, or as a Log Analytics workspace's AzureDiagnostics row)."""
    if not isinstance(record, Mapping):
        return False
    keys = {name_key(key): key for key in record}
    resource = record.get(keys.get("resourceid", ""), "")
    return (
        "operationname" in keys
        and "category" in keys
        and "MICROSOFT.COGNITIVESERVICES" in str(resource).upper()
    )


def row_of(
    record: Mapping[str, Any], identities: Mapping[str, str]
) -> tuple[dict[str, Any] | None, str]:
    """The requests row of one log record, or None and the kind it is skipped as."""
    category = field(record, "category")
    if str(category) != CATEGORY:
        return None, skipped_as("category", category)
    name = field(record, "operationName")
    call = operation(name)
    if call is None:
        return None, skipped_as("operation", name)
    if missing := missing_fields(record, REQUIRED_FOR_CALLS):
        raise Missing(missing)
    raw = field(record, "properties", "properties_s")
    properties = track_fields(as_object(raw), "properties")
    code = field(record, "resultSignature")
    status = http_status(code)
    return {
        "request_id": field(record, "correlationId"),
        "occurred_at": utc_timestamp(field(record, "time", "TimeGenerated")),
        "user_id": map_identity(identities, field(properties, "objectId")),
        "tool": TOOL,
        "provider": PROVIDER,
        "model": field(properties, "modelName"),
        "operation": call,
        "latency_ms": field(record, "durationMs"),
        "status": status or RESULT_TYPES.get(str(field(record, "resultType")).lower(), code),
        "deployment": field(properties, "modelDeploymentName"),
        "model_version": field(properties, "modelVersion"),
        "stream_type": field(properties, "streamType"),
        "region": field(record, "location"),
        "http_status": code,
    }, ""
