"""Shared machinery of the per-call connectors (provider and gateway logs -> requests).

`azure_openai.py`, `bedrock.py`, `litellm.py` and `langfuse.py` each read a log whose records
are model calls, and `otel_genai.py` reads spans; what they share lives here, beside the
readers of `_common.py`:

- `SCHEMA`: `requests` as telemetry lands it. A record with no user lands with a null user (it
  counts in operations and trust, not adoption: CONTRACTS.md §1), and a model call whose source
  names no provider or model lands with `unknown` for each (§5.1).
- `iter_records`: the records of a JSON Lines file, a JSON array, a JSON document wrapping its
  records in a list (`records`: Azure Monitor's Event Hubs form; `data`: the Langfuse and
  LiteLLM APIs; `value`), or a CSV file (nested objects as JSON text, read by `as_object`).
- `field`: a record's value under any spelling of a name (`startTime`, `start_time`).
- `utc_timestamp` / `millis_between`: ISO 8601 times (`Z`, an offset, a space for `T`, up to 9
  fractional digits; no offset = UTC) as UTC, and the milliseconds between two of them.
- `catalogue_provider` and `bedrock_model`: provider names as the model catalogue
  (`seeds/models.csv`) names them.
- `OPERATIONS`: vendor call types and operation names as OpenTelemetry GenAI operations.
- `http_status`: an HTTP status code as a request status.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingestion.connectors._common import (
    Rows,
    VendorFormat,
    iter_json,
    land_vendor_files,
    load_identity_map,
    missing_fields,
    name_key,
    read_csv,
    refuse_missing,
    resembled,
    track_fields,
)
from ingestion.entities import requests
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult
from ingestion.readers import detect_format

#: requests as telemetry lands it: no user is a null user; agent and tool calls need no
#: provider or model (model calls get `unknown` from the connector instead).
SCHEMA = dataclasses.replace(
    requests.SCHEMA,
    columns=tuple(
        dataclasses.replace(column, required=False)
        if column.name in ("user_id", "provider", "model")
        else column
        for column in requests.SCHEMA.columns
    ),
)

#: Top-level keys under which an export wraps its list of records.
WRAPPERS = ("records", "data", "value")

#: Provider names as vendors send them (lower case) -> the model catalogue's provider id;
#: other names are lower-cased with `.` and `-` -> `_`.
PROVIDERS: dict[str, str] = {
    "azure.ai.openai": "azure_openai",
    "az.ai.openai": "azure_openai",
    "azure": "azure_openai",
    "azure_text": "azure_openai",
    "text-completion-openai": "openai",
    "gcp.gemini": "google",
    "gcp.vertex_ai": "google",
    "gcp.gen_ai": "google",
    "vertex_ai": "google",
    "vertex_ai_beta": "google",
    "gemini": "google",
    "mistral_ai": "mistral",
    "cohere_chat": "cohere",
    "aws.bedrock": "bedrock",
}

#: Vendor call types and operation names (compared by `name_key`) -> OpenTelemetry GenAI
#: operation. LiteLLM `call_type` (its async `a...` twins too), Azure OpenAI `operationName`,
#: Bedrock `operation`, Langfuse observation `type`.
OPERATIONS: dict[str, str] = {
    **dict.fromkeys(
        (
            "completion",
            "acompletion",
            "chat",
            "chatcompletion",
            "chatcompletionscreate",
            "responses",
            "aresponses",
            "responsescreate",
            "anthropicmessages",
            "generation",
            "invokemodel",
            "invokemodelwithresponsestream",
            "converse",
            "conversestream",
        ),
        "chat",
    ),
    **dict.fromkeys(("textcompletion", "atextcompletion", "completionscreate"), "text_completion"),
    **dict.fromkeys(("embedding", "aembedding", "embeddings", "embeddingscreate"), "embeddings"),
    **dict.fromkeys(
        (
            "imagegeneration",
            "aimagegeneration",
            "imagesgenerationscreate",
            "imagegenerationscreate",
            "transcription",
            "atranscription",
            "audiotranscriptionscreate",
            "speech",
            "aspeech",
            "audiospeechcreate",
        ),
        "generate_content",
    ),
    **dict.fromkeys(("rerank", "arerank"), "rerank"),
    **dict.fromkeys(("moderation", "amoderation", "moderationscreate"), "moderation"),
    "agent": requests.AGENT_OPERATION,
    "tool": requests.TOOL_OPERATION,
}

_FRACTION = re.compile(r"(\.\d{6})\d+")
#: A Bedrock model id: an optional inference-profile region prefix, the vendor, the model, an
#: optional version suffix (`-v1:0`, `-v2`, `:0`), in an ARN or not.
_BEDROCK_REGION = ("us", "eu", "apac", "us-gov", "ca", "jp", "au", "global")
_BEDROCK_VERSION = re.compile(r"(-v\d+(:\d+)*|:\d+)$")
_DATE_STAMP = re.compile(r"-\d{8}$")


def iter_records(path: Path, *, portal_times: bool = False) -> Iterator[tuple[int, Any]]:
    """(line, record) for each record of a JSON or CSV log file; a JSON document that wraps its
    records in a `records`, `data` or `value` list yields them, at the document's line.
    `portal_times`: a CSV file may be the Azure portal's Log Analytics export
    (`_portal_times`)."""
    if detect_format(path) == "csv":
        header, rows = read_csv(path, ())
        yield from _portal_times(path, header, rows) if portal_times else rows
        return
    for line, value in iter_json(path):
        wrapped = _wrapped(value)
        if wrapped is None:
            yield line, value
        else:
            for record in wrapped:
                yield line, record


#: A column the Azure portal's Log Analytics CSV export names with its display time zone:
#: `TimeGenerated [UTC]`, `TimeGenerated [Local Time]`, `TimeGenerated [(UTC-08:00) Pacific]`.
_ZONED = re.compile(r"^(?P<name>.*\S)\s*\[(?P<zone>[^\]]*(?i:utc|gmt|local|time)[^\]]*)\]$")
#: The portal's display of a time in the reader's locale: `3/2/2026, 9:15:00.123 AM` (en-US),
#: `02/03/2026, 09:15:00.123` (en-GB), `2.3.2026, 09:15:00,123` (de-DE), `2026/3/2 9:15:00`
#: (ja-JP). ASCII digits only: another script's digits, or calendar, are not read as dates.
_DAY_MONTH = re.compile(
    r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4}),?\s+(?P<clock>.+)$", re.ASCII
)
_YEAR_FIRST = re.compile(
    r"^(?P<year>\d{4})[/.-](?P<month>\d{1,2})[/.-](?P<day>\d{1,2}),?\s+(?P<clock>.+)$", re.ASCII
)
_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,7}))?)?"
    r"\s*(?P<half>[AaPp]\.?\s?[Mm]\.?)?$",
    re.ASCII,
)


def _portal_times(
    path: Path, header: Sequence[str], rows: Iterator[tuple[int, dict]]
) -> Iterator[tuple[int, dict]]:
    """The rows of a Log Analytics CSV export, with the portal's display undone: a column
    named with its display time zone (`TimeGenerated [UTC]`) takes its plain name and its
    locale times become ISO 8601. Day and month order is read from the file's own dates (one
    that is a valid date only day first, such as 25/02/2026, says which); a file whose every
    date could be either, or that mixes both orders, is refused rather than guessed, as is one
    exported in another time zone."""
    zoned = {}
    for name in header:
        match = _ZONED.match(name)
        if match is None:
            continue
        if match["zone"].strip().upper() != "UTC":
            raise FileRefused(
                path,
                f"column '{name}' holds times in {match['zone'].strip()}, not UTC: set the "
                "Log Analytics display time zone to UTC and export again",
                1,
            )
        zoned[name] = match["name"]
    if not zoned:
        yield from rows
        return
    plain = [zoned.get(name, name) for name in header]
    if clash := sorted({name for name in plain if plain.count(name) > 1}):
        raise FileRefused(path, f"it has two columns named {clash[0]!r} once the zone is read", 1)
    records = [(line, {zoned.get(k, k): v for k, v in row.items()}) for line, row in rows]
    columns = list(zoned.values())
    day_first = _day_first(path, [row[name] for _, row in records for name in columns])
    for line, row in records:
        for name in columns:
            row[name] = _portal_time(row[name], day_first)
        yield line, row


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return True


def _day_first(path: Path, values: Sequence[Any]) -> bool:
    """Whether the portal wrote these dates day first (`25/02/2026`) or month first: only a
    whole time (date and clock) counts, and only a date valid in one order says which. No
    clock style settles it: en-AE and the Indian English locales write the day first with an
    upper-case AM / PM, as en-US writes the month first."""
    day_first = month_first = False
    example = None
    for value in values:
        match = _DAY_MONTH.match(str(value).strip())
        if match is None or _CLOCK.match(match["clock"].strip()) is None:
            continue
        a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
        as_day_first, as_month_first = _valid(year, b, a), _valid(year, a, b)
        day_first |= as_day_first and not as_month_first
        month_first |= as_month_first and not as_day_first
        if as_day_first and as_month_first and a != b and example is None:
            example = match.group(0)
    if day_first and month_first:
        raise FileRefused(path, "its times mix day-first and month-first dates")
    if example is not None and not (day_first or month_first):
        raise FileRefused(
            path,
            f"its dates (such as '{example}') could be day or month first; export the query "
            "as JSON (the portal's JSON export, or az monitor log-analytics query -o json)",
        )
    return day_first


def _portal_time(value: Any, day_first: bool) -> Any:
    """A portal-displayed time as ISO 8601 text; anything else as it came (an ISO 8601 time
    is read as such; a value that is no time is quarantined by validation)."""
    text = str(value).strip()
    date_part = _DAY_MONTH.match(text)
    if date_part is not None:
        a, b = int(date_part["a"]), int(date_part["b"])
        year, (month, day) = int(date_part["year"]), ((b, a) if day_first else (a, b))
    elif (date_part := _YEAR_FIRST.match(text)) is not None:
        year, month, day = (int(date_part[k]) for k in ("year", "month", "day"))
    else:
        return value
    clock = _CLOCK.match(date_part["clock"].strip())
    if clock is None:
        return value
    hour = int(clock["hour"])
    if clock["half"]:
        if not 1 <= hour <= 12:
            return value
        hour = hour % 12 + (12 if clock["half"][0] in "Pp" else 0)
    try:
        moment_ = datetime(
            year,
            month,
            day,
            hour,
            int(clock["minute"]),
            int(clock["second"] or 0),
            int((clock["fraction"] or "0").ljust(6, "0")[:6]),
        )
    except ValueError:
        return value
    return moment_.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _wrapped(value: Any) -> list[Any] | None:
    if not isinstance(value, Mapping):
        return None
    for key in WRAPPERS:
        if isinstance(value.get(key), list):
            return value[key]
    return None


def first_record(value: Any) -> Any:
    """The first record of a JSON value as `iter_records` sees it (for recognising a file)."""
    wrapped = _wrapped(value)
    if wrapped is None:
        return value
    return wrapped[0] if wrapped else {}


def field(record: Mapping[str, Any], *names: str) -> Any:
    """The value of the first of `names` the record has (names compared by `name_key`, so
    `startTime` finds `start_time`); empty text is None."""
    keys = {name_key(key): key for key in record}
    for name in names:
        key = keys.get(name_key(name))
        if key is not None:
            value = record.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            return value
    return None


def as_object(value: Any) -> Mapping[str, Any]:
    """A nested object, or one carried as JSON text (a CSV cell, Azure's `properties` as sent
    by some pipelines); anything else is an empty object."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return {}
        return parsed if isinstance(parsed, Mapping) else {}
    return {}


def moment(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime (no offset = UTC), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = _FRACTION.sub(r"\1", value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def utc_timestamp(value: Any) -> Any:
    """An ISO 8601 timestamp as UTC text (`2026-03-02T09:15:00.250000Z`); a value that is no
    timestamp is passed on, so validation quarantines the row with its reason."""
    parsed = moment(value)
    if parsed is None:
        return value
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def millis_between(start: Any, end: Any) -> float | None:
    """Milliseconds from `start` to `end` (ISO 8601 timestamps); None when either is missing."""
    first, last = moment(start), moment(end)
    if first is None or last is None:
        return None
    return (last - first).total_seconds() * 1000


def catalogue_provider(name: Any) -> Any:
    """A provider name as the model catalogue names providers (`azure` / `azure.ai.openai` ->
    `azure_openai`, `vertex_ai` / `gemini` / `gcp.*` -> `google`, `mistral_ai` -> `mistral`;
    others lower-cased, `.` and `-` -> `_`). Not text: passed on."""
    if not isinstance(name, str):
        return name
    key = name.strip().lower()
    return PROVIDERS.get(key, key.replace(".", "_").replace("-", "_"))


def bedrock_model(model_id: Any) -> tuple[str, str]:
    """(provider, model) of a Bedrock model id as the catalogue names them: the ARN's resource
    and an inference profile's region prefix (`us.`, `eu.`, `apac.`, `global.`, ...) dropped,
    the vendor before the first `.` is the provider, and the model loses its version suffix
    (`-v1:0`, `-v2`, `:0`) and date stamp (`-20240307`):
    `us.anthropic.claude-3-haiku-20240307-v1:0` -> (`anthropic`, `claude-3-haiku`). An id that
    names no vendor (a custom or provisioned model's ARN) is (`bedrock`, the id)."""
    if not isinstance(model_id, str) or not model_id.strip():
        return requests.UNKNOWN, requests.UNKNOWN
    text = model_id.strip()
    if text.startswith("arn:"):
        text = text.rsplit("/", 1)[-1]
    parts = text.split(".")
    if len(parts) > 2 and parts[0].lower() in _BEDROCK_REGION:
        parts = parts[1:]
    if len(parts) < 2:
        return "bedrock", text
    provider = parts[0].lower()
    model = _DATE_STAMP.sub("", _BEDROCK_VERSION.sub("", ".".join(parts[1:])))
    return provider, model


_KIND_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,59}")


def skipped_as(what: str, value: Any) -> str:
    """The kind a skipped record is counted under (`operation Models_List`): its value only
    when it reads like a vendor's identifier (letters, digits, `_`), else `other`, so no
    value that could be a person or free text reaches a message."""
    if isinstance(value, str) and _KIND_NAME.fullmatch(value.strip()):
        return f"{what} {value.strip()}"
    return f"{what} (other)"


def operation(name: Any) -> Any:
    """A vendor call type or operation name as an OpenTelemetry GenAI operation, or None when
    it names no model call (`Models_List`, a fine-tuning job)."""
    if not isinstance(name, str):
        return None
    return OPERATIONS.get(name_key(name))


def http_status(code: Any) -> str | None:
    """`success` for 2xx, `timeout` for 408 and 504, `error` for any other 4xx or 5xx; None
    when `code` is no HTTP status."""
    try:
        value = int(str(code).strip())
    except ValueError:
        return None
    if 200 <= value < 300:
        return "success"
    if value in (408, 504):
        return "timeout"
    if 400 <= value < 600:
        return "error"
    return None


# --------------------------------------------------------------------------- tags, landing


def tag(metadata: Mapping[str, Any], name: str) -> Any:
    """A cadence tag a caller set in a log's free-form metadata: `cadence.<name>`, else
    `cadence_<name>`, else `<name>` (e.g. `use_case_id`)."""
    return field(metadata, f"cadence.{name}", f"cadence_{name}", name) if metadata else None


def require(path: Path, line: int, record: Any, fmt: VendorFormat) -> Mapping[str, Any]:
    """`record` when it has every field `fmt` requires; refuse the file otherwise: naming the
    missing field(s) when the record resembles `fmt` (a field renamed or left out), else saying
    what was expected and found (field names only, never values)."""
    if isinstance(record, Mapping) and resembled(record, (fmt,)) is not None:
        if missing := missing_fields(record, fmt.required):
            raise refuse_missing(path, fmt, missing, record, line)
        return record
    found = (
        ", ".join(str(name) for name in list(record)[:8])
        if isinstance(record, Mapping)
        else (type(record).__name__)
    )
    raise FileRefused(
        path,
        f"not a record of the {fmt.label} (expected {', '.join(fmt.required)}; found: {found})",
        line,
    )


class Missing(Exception):
    """Raised by a connector's `row_of` when a record it lands lacks fields that only such
    records need (an Azure RequestResponse record's `correlationId`): the file is refused like
    one lacking a field its format requires."""

    def __init__(self, fields: Sequence[str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = list(fields)


#: One record -> (the requests row's values, None), or (None, the kind it is skipped as).
RowOf = Callable[[Mapping[str, Any], Mapping[str, str]], tuple[dict[str, Any] | None, str]]


def reshape_calls(
    path: Path,
    fmt: VendorFormat,
    row_of: RowOf,
    identities: Mapping[str, str],
    *,
    portal_times: bool = False,
) -> list[Rows]:
    """One requests row per model call (or agent run, tool call) of a log file; records that
    are none are counted by kind (`Rows.skipped`). A record lacking a field `fmt` requires
    refuses the file whole; so does a file with no model call, naming what it holds."""
    rows = Rows(SCHEMA, skipped_what="record(s) that are not model calls")
    skipped: Counter[str] = Counter()
    for line, raw in iter_records(path, portal_times=portal_times):
        record = track_fields(require(path, line, raw, fmt))
        try:
            values, kind = row_of(record, identities)
        except Missing as missing:
            raise refuse_missing(path, fmt, missing.fields, record, line) from None
        if values is None:
            skipped[kind] += 1
            continue
        if values["operation"] not in requests.NOT_MODEL_CALLS:
            for name in ("provider", "model"):
                if values.get(name) in (None, ""):
                    values[name] = requests.UNKNOWN
        rows.add(line, **values)
    rows.skipped = dict(sorted(skipped.items(), key=lambda item: (-item[1], item[0])))
    if not rows.count:
        held = ", ".join(f"{kind} {count:,}" for kind, count in rows.skipped.items())
        raise FileRefused(
            path, f"no model calls to land ({held or 'no records: an empty export?'})"
        )
    return [rows]


def load_calls(
    paths: Sequence[Path],
    home: Path,
    *,
    connector: str,
    fmt: VendorFormat,
    row_of: RowOf,
    identity_map: Path | str | None = None,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
    portal_times: bool = False,
) -> list[FileResult]:
    """Land per-call log files under `home` as requests (one result per file); `portal_times`:
    a CSV file may be the Azure portal's Log Analytics export."""
    identities = load_identity_map(identity_map)
    return land_vendor_files(
        paths,
        home,
        connector=connector,
        primary=SCHEMA,
        reshape=lambda path: reshape_calls(
            path, fmt, row_of, identities, portal_times=portal_times
        ),
        echo=echo,
        extra_columns=extra_columns,
    )
