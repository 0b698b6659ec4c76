"""`cadence ingest auto`: recognise what each file is, then land it with the right reader.

Recognised, from the extension and the first record or header line:

| what | how it is recognised |
|---|---|
| `otel-genai` | JSON whose first value has `resourceSpans` |
| `github-copilot` | JSON whose first record has `day` with `user_login`, `day_totals`, `day` with `daily_active_users`, the legacy `date` with `total_active_users` / `copilot_*`, or seat assignments (`seats`, or `assignee` with `created_at`) |
| `openai-usage` | JSON pages (or buckets) whose buckets have `start_time` and `results` (OpenAI Usage and Costs APIs) |
| `anthropic-usage` | JSON pages (or buckets) whose buckets have `starting_at` and `results` (Anthropic usage and cost reports) |
| `m365-copilot` | CSV with `User Principal Name` or `User name` (user detail, the admin centre's export) or `... Enabled Users` (user count summary, or trend with `Report Date`); JSON with `userPrincipalName`, `adoptionByProduct` or `adoptionByDate` (also inside a Graph `value`) |
| a canonical entity | CSV header, JSON keys or Parquet columns that hold every required column of exactly one entity best (the entity with the most of its columns present wins; a tie is not recognised) |

A file recognised as none of these is refused with a message saying so and what was found.
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
    github_copilot,
    m365_copilot,
    openai_usage,
    otel_genai,
)
from ingestion.connectors._common import _open_text, iter_json
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
    """The connector (`github-copilot`, `m365-copilot`, `otel-genai`) or canonical entity
    `path` holds; refuse the file when it is none of them."""
    try:
        fmt = detect_format(path)
    except FileRefused as refused:
        raise FileRefused(path, f"not recognised: {refused.problem}") from refused
    if fmt == "parquet":
        return _canonical(path, _parquet_columns(path))
    if fmt == "csv":
        header = _csv_header(path)
        if m365_copilot.csv_kind(header):
            return m365_copilot.CONNECTOR
        return _canonical(path, header)
    record = _first_json_record(path)
    if otel_genai.is_traces(record):
        return otel_genai.CONNECTOR
    if openai_usage.is_report(record):
        return openai_usage.CONNECTOR
    if anthropic_usage.is_report(record):
        return anthropic_usage.CONNECTOR
    if isinstance(record, dict) and isinstance(record.get("value"), list) and record["value"]:
        record = record["value"][0]
    if github_copilot.record_kind(record):
        return github_copilot.CONNECTOR
    if m365_copilot.json_kind(record):
        return m365_copilot.CONNECTOR
    if isinstance(record, dict):
        return _canonical(path, record)
    raise FileRefused(path, "not recognised: the first JSON value is not an object")


def _canonical(path: Path, columns: Iterable[str]) -> str:
    present = {str(name).strip() for name in columns}
    scored = [
        (sum(name in present for name in schema.column_names), name)
        for name, schema in SCHEMAS.items()
        if schema.required and all(column in present for column in schema.required)
    ]
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        maybe = f" (could be {' or '.join(name for _, name in scored[:2])})" if scored else ""
        shown = ", ".join(sorted(present)[:12]) or "none"
        raise FileRefused(
            path,
            "not recognised as a GitHub Copilot, Microsoft 365 Copilot or OpenTelemetry "
            f"GenAI file, nor as one canonical entity{maybe}; columns found: {shown}. "
            "Name the kind: cadence ingest <entity or connector> FILE",
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
    m365_copilot.CONNECTOR: m365_copilot,
    otel_genai.CONNECTOR: otel_genai,
    openai_usage.CONNECTOR: openai_usage,
    anthropic_usage.CONNECTOR: anthropic_usage,
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
            kind = recognise(Path(path))
        except FileRefused as refused:
            _record_refusal(paths_, Path(path), refused)
            result = FileResult(Path(path), "auto", "refused", message=str(refused))
            results.append(result)
            if echo is not None:
                echo(result.summary())
            continue
        if echo is not None:
            echo(f"{Path(path).name}: recognised as {kind}")
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
