"""`cadence ingest auto`: recognise what each file is, then land it with the right reader.

Recognised, from the extension and the first record or header line:

| what | how it is recognised |
|---|---|
| `otel-genai` | JSON whose first value has `resourceSpans` |
| `github-copilot` | JSON whose first record has `day` with `user_login`, `day_totals`, `day` with `daily_active_users`, the legacy `date` with `total_active_users` / `copilot_*`, or seat assignments (`seats`, or `assignee` with `created_at`) |
| `openai-usage` | JSON pages (or buckets) whose buckets have `start_time` and `results` (OpenAI Usage and Costs APIs) |
| `anthropic-usage` | JSON pages (or buckets) whose buckets have `starting_at` and `results` (Anthropic usage and cost reports) |
| `m365-copilot` | CSV with `User Principal Name` or `User name` (user detail, the admin centre's export) or `... Enabled Users` (user count summary, or trend with `Report Date`); JSON with `userPrincipalName`, `adoptionByProduct` or `adoptionByDate` (also inside a Graph `value`) |
| `azure-openai` | JSON whose first record (also inside Event Hubs' `records`) has `operationName` and `category` and a `MICROSOFT.COGNITIVESERVICES` `resourceId`, however spelt (a Log Analytics `AzureDiagnostics` row: `OperationName`, `Category`, `ResourceId`) |
| `bedrock` | JSON whose first record has `schemaType` `ModelInvocationLog`, or `modelId`, `requestId` and `accountId` |
| `github-billing` | CSV with `date`, `product`, `sku` and `net_amount` (the metered usage report) or `Timestamp`, `User`, `Model` and `Requests Used` (the premium request analytics report) |
| `litellm` | CSV header or JSON record (also inside `data`) with `request_id`, `call_type` and `spend` |
| `langfuse` | CSV header or JSON record (also inside `data`) with `id`, `type`, `startTime` and `traceId` |
| a canonical entity | CSV header, JSON keys or Parquet columns that hold every required column of exactly one entity best (the entity with the most of its columns present wins; a tie is not recognised) |

A file recognised as none of these, but close to a vendor format (at least two of the fields
that format requires or that mark it, or GitHub's `download_links`, or OTLP `resourceLogs` /
`resourceMetrics`), goes to the connector of the closest format, so the file is refused with
that connector's own reason (the missing field, a list of download links, OTLP logs rather
than traces). A file close to none is refused with what was looked for and what was found.
`CONNECTORS` maps each connector name (and `auto`) to its `load`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion import ledger
from ingestion.connectors import (
    anthropic_usage,
    azure_openai,
    bedrock,
    github_billing,
    github_copilot,
    langfuse,
    litellm,
    m365_copilot,
    openai_usage,
    otel_genai,
)
from ingestion.connectors._calls import first_record
from ingestion.connectors._common import VendorFormat, _open_text, iter_json, name_key
from ingestion.entities.registry import SCHEMAS
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult, ensure_home, file_sha256, ingest_files
from ingestion.readers import detect_format

SNIFF_BYTES = 1 << 20


class Loader(Protocol):
    def __call__(
        self,
        paths: Sequence[Path],
        home: Path,
        *,
        echo: Callable[[str], None] | None = None,
        extra_columns: ExtraColumns | None = None,
    ) -> list[FileResult]: ...


def recognise(path: Path) -> str:
    """The connector (`github-copilot`, `github-billing`, `m365-copilot`, `otel-genai`, `azure-openai`,
    `bedrock`, `litellm`, `langfuse`) or canonical entity `path` holds, or the connector whose
    format it comes closest to; refuse the file when it is none of them."""
    return identify(path)[0]


def identify(path: Path) -> tuple[str, bool]:
    """(connector or entity, whether the file is recognised as it, not only close to it)."""
    try:
        fmt = detect_format(path)
    except FileRefused as refused:
        raise FileRefused(path, f"not recognised: {refused.problem}") from refused
    if fmt == "parquet":
        columns = _parquet_columns(path)  # vendor files are JSON or CSV: canonical only
        entity = _canonical(path, columns)
        if entity is None:
            raise FileRefused(path, _looked_for(columns))
        return entity, True
    if fmt == "csv":
        header = _csv_header(path)
        # before M365: the detailed metered usage report's `username` is M365's `User name`
        if github_billing.report_kind(header):
            return github_billing.CONNECTOR, True
        if m365_copilot.csv_kind(header):
            return m365_copilot.CONNECTOR, True
        for module in (litellm, langfuse):
            if module.is_record(header):
                return module.CONNECTOR, True
        if azure_openai.is_record(_csv_first_record(path, header)):  # Log Analytics' CSV
            return azure_openai.CONNECTOR, True
        return _known(path, header)
    record = _first_json_record(path)
    if otel_genai.is_traces(record):
        return otel_genai.CONNECTOR, True
    if openai_usage.is_report(record):
        return openai_usage.CONNECTOR, True
    if anthropic_usage.is_report(record):
        return anthropic_usage.CONNECTOR, True
    if isinstance(record, dict) and isinstance(record.get("value"), list) and record["value"]:
        record = record["value"][0]
    if github_copilot.record_kind(record):
        return github_copilot.CONNECTOR, True
    if m365_copilot.json_kind(record):
        return m365_copilot.CONNECTOR, True
    call = first_record(record)
    for module in (azure_openai, bedrock):
        if module.is_record(call):
            return module.CONNECTOR, True
    for module in (litellm, langfuse):
        if isinstance(call, dict) and module.is_record(call):
            return module.CONNECTOR, True
    if isinstance(record, dict):
        return _known(path, call if isinstance(call, dict) and call else record)
    raise FileRefused(path, "not recognised: the first JSON value is not an object")


def _known(path: Path, columns: Iterable[str]) -> tuple[str, bool]:
    """The canonical entity the columns name, else the closest vendor format's connector."""
    names = list(columns)
    entity = _canonical(path, names)
    if entity is not None:
        return entity, True
    return _closest(path, names), False


#: Every vendor format `auto` knows, with the connector that reads it.
VENDOR_FORMATS: tuple[tuple[VendorFormat, str], ...] = (
    *(
        (fmt, github_copilot.CONNECTOR)
        for fmt in (
            github_copilot.USER_FORMAT,
            github_copilot.AGGREGATE_FORMAT,
            github_copilot.LEGACY_FORMAT,
            github_copilot.SEAT_FORMAT,
        )
    ),
    *(
        (fmt, m365_copilot.CONNECTOR)
        for fmt in (m365_copilot.DETAIL, m365_copilot.SUMMARY, m365_copilot.TREND)
    ),
    *((fmt, github_billing.CONNECTOR) for fmt in github_billing.FORMATS),
    (azure_openai.FORMAT, azure_openai.CONNECTOR),
    (bedrock.FORMAT, bedrock.CONNECTOR),
    (litellm.FORMAT, litellm.CONNECTOR),
    (langfuse.FORMAT, langfuse.CONNECTOR),
)
#: Fields that send a file to a connector on their own: it refuses the file saying why.
TELLTALES = {
    "downloadlinks": github_copilot.CONNECTOR,  # the API's list of links, not a report
    "resourcelogs": otel_genai.CONNECTOR,  # OTLP logs rather than traces
    "resourcemetrics": otel_genai.CONNECTOR,  # OTLP metrics rather than traces
}
#: Fields a file must share with a vendor format (required or marking it) to be close to it.
CLOSE_ENOUGH = 2


def _closest(path: Path, columns: Iterable[str]) -> str:
    """The connector of the vendor format the columns come closest to (the most fields
    shared, at least `CLOSE_ENOUGH`; ties: the first listed); refuse the file naming what was
    looked for when none is close."""
    names = [str(name) for name in columns]
    keys = {name_key(name) for name in names}
    keys |= {name_key(m365_copilot.graph_name(name)) for name in names}
    for key, connector in TELLTALES.items():
        if key in keys:
            return connector
    best, connector = 0, ""
    for fmt, owner in VENDOR_FORMATS:
        marks = {name_key(one) for wanted in fmt.required for one in wanted.split("|")}
        marks |= {name_key(hint) for hint in fmt.hints}
        shared = len(marks & keys)
        if shared > best:
            best, connector = shared, owner
    if best >= CLOSE_ENOUGH:
        return connector
    raise FileRefused(path, _looked_for(names))


def _looked_for(names: Sequence[str]) -> str:
    """Why a file is not recognised: every format looked for, and what the file holds."""
    vendor = "; ".join(
        f"{fmt.label} ({', '.join(r.replace('|', ' or ') for r in fmt.required)})"
        for fmt, _ in VENDOR_FORMATS
    )
    entities = "; ".join(
        f"{name} ({', '.join(schema.required)})" for name, schema in SCHEMAS.items()
    )
    shown = ", ".join(sorted(names)[:12]) or "none"
    return (
        "not recognised: looked for OpenTelemetry GenAI traces (resourceSpans); "
        f"{vendor}; or every required column of one canonical entity: {entities}. "
        f"Columns found: {shown}. Name the kind: cadence ingest <entity or connector> FILE"
    )


def _canonical(path: Path, columns: Iterable[str]) -> str | None:
    present = {str(name).strip() for name in columns}
    scored = [
        (sum(name in present for name in schema.column_names), name)
        for name, schema in SCHEMAS.items()
        if schema.required and all(column in present for column in schema.required)
    ]
    scored.sort(reverse=True)
    if not scored:
        return None
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        maybe = " or ".join(name for _, name in scored[:2])
        shown = ", ".join(sorted(present)[:12]) or "none"
        raise FileRefused(
            path,
            f"not recognised: it could be {maybe} (it holds the required columns of both); "
            f"columns found: {shown}. Name the kind: cadence ingest <entity> FILE",
        )
    return scored[0][1]


def _parquet_columns(path: Path) -> list[str]:
    """The top-level column names in a Parquet file's footer. pyarrow opens exactly the path
    given (DuckDB would take `star*.parquet` for a pattern)."""
    try:
        return list(pq.read_schema(path).names)
    except (OSError, pa.ArrowException) as error:
        raise FileRefused(path, f"not recognised: cannot be read as Parquet ({error})") from error


def _head(path: Path) -> str:
    try:
        with _open_text(path) as handle:
            return handle.read(SNIFF_BYTES)
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise FileRefused(path, f"not recognised: cannot be read ({error})") from error


def _csv_header(path: Path) -> list[str]:
    head = _head(path)
    delimiter = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    try:
        row = next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
    except csv.Error as error:
        raise FileRefused(path, f"not recognised: cannot be read as CSV ({error})", 1) from error
    return [name.strip().lstrip("\ufeff").strip() for name in row]


def _csv_first_record(path: Path, header: list[str]) -> dict[str, str]:
    """The first data row of a CSV file by its header's names (empty when there is none)."""
    delimiter = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    try:
        rows = csv.reader(io.StringIO(_head(path)), delimiter=delimiter)
        next(rows, None)
        first = next(rows, [])
    except csv.Error:
        return {}
    return dict(zip(header, first, strict=False))


def _first_json_record(path: Path) -> Any:
    """The first JSON value of a JSON Lines file, the first element of a JSON array, or a
    whole JSON document."""
    head = _head(path).lstrip()
    if not head:
        raise FileRefused(path, "not recognised: the file is empty")
    start = 0
    if head[0] == "[":
        start = len(head) - len(head[1:].lstrip())
    try:
        value, _ = json.JSONDecoder().raw_decode(head, start)
    except json.JSONDecodeError:
        try:
            for _, value in iter_json(path):
                return value
        except FileRefused as refused:
            raise FileRefused(path, f"not recognised: {refused.problem}", refused.line) from refused
        raise FileRefused(path, "not recognised: no JSON value found") from None
    return value


def _record_refusal(paths: ledger.Paths, path: Path, refused: FileRefused) -> None:
    """A file recognised as nothing is refused like any other: recorded in the ledger's
    rejections (entity `auto`)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        sha = file_sha256(path)
    except OSError:
        sha = ""
    ledger.record_refusal(
        paths,
        entity="auto",
        source_file=path.name,
        sha256=sha,
        line=refused.line,
        reason=refused.problem,
        at=now,
    )


#: Connectors by the name `cadence ingest` takes.
VENDOR_CONNECTORS = {
    github_copilot.CONNECTOR: github_copilot,
    github_billing.CONNECTOR: github_billing,
    m365_copilot.CONNECTOR: m365_copilot,
    otel_genai.CONNECTOR: otel_genai,
    openai_usage.CONNECTOR: openai_usage,
    anthropic_usage.CONNECTOR: anthropic_usage,
    azure_openai.CONNECTOR: azure_openai,
    bedrock.CONNECTOR: bedrock,
    litellm.CONNECTOR: litellm,
    langfuse.CONNECTOR: langfuse,
}


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Recognise and land each file; a file recognised as nothing is reported, not landed."""
    results: list[FileResult] = []
    paths_ = ensure_home(home)
    for path in paths:
        try:
            kind, exact = identify(Path(path))
        except FileRefused as refused:
            _record_refusal(paths_, Path(path), refused)
            result = FileResult(Path(path), "auto", "refused", message=str(refused))
            results.append(result)
            if echo is not None:
                echo(result.summary())
            continue
        if echo is not None:
            found = "recognised as" if exact else "not recognised, closest to the format of"
            echo(f"{Path(path).name}: {found} {kind}")
        if kind in VENDOR_CONNECTORS:
            results.extend(
                VENDOR_CONNECTORS[kind].load(
                    [Path(path)], home, echo=echo, extra_columns=extra_columns
                )
            )
        else:
            results.extend(
                ingest_files(
                    SCHEMAS[kind], [Path(path)], home, echo=echo, extra_columns=extra_columns
                )
            )
    return results


CONNECTORS: dict[str, Loader] = {
    **{name: module.load for name, module in VENDOR_CONNECTORS.items()},
    "auto": load,
}

__all__ = ["CONNECTORS", "load", "recognise"]
