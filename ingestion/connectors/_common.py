"""Shared machinery of the vendor connectors: read a vendor file, land its canonical rows.

A connector (`ingestion/connectors/github_copilot.py`, `m365_copilot.py`, `otel_genai.py`)
reads one vendor file with the readers here (JSON Lines, JSON documents, CSV; `.gz` too),
reshapes it into rows of canonical entities, and hands them to `land_vendor_file`. That
writes each entity's rows to a Parquet file under `<home>/tmp/` with every value as text,
exactly as a canonical CSV would carry it, and lands it through
`ingestion.landing.ingest_file` under the ORIGINAL file's name and content hash
(`landing.Origin`): the same validation, quarantine, pseudonymisation and ledger as
canonical ingest, and re-ingesting the same vendor file is a no-op. A vendor file that
cannot be parsed, or lacks a field the connector needs, is refused whole before anything
lands, with the file, the line and the problem.

Identity mapping: vendor identities (a GitHub login, an Entra user principal name, an OTel
`user.id`) are joined to the people directory by their pseudonym, so they must be the same
identifier the directory uses. When they are not (GitHub Enterprise Managed Users' logins
are `handle_shortcode`), name a CSV `vendor_user_id,user_id` in `CADENCE_IDENTITY_MAP` (or
pass `identity_map=` to a connector's `load`): vendor ids found in it (case-insensitive) are
replaced by the directory's id before pseudonymisation; others are kept as they are.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import polars as pl

from ingestion import ledger
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import (
    FileResult,
    Origin,
    ensure_home,
    file_sha256,
    ingest_file,
    ingest_key,
)
from ingestion.schema import EntitySchema

IDENTITY_MAP_ENV = "CADENCE_IDENTITY_MAP"
#: Extra column carrying the vendor file's line (JSON Lines, CSV) or record number.
SOURCE_RECORD = "source_record"


@dataclass(frozen=True)
class VendorField:
    """One field a connector reads from a vendor record: its JSON/CSV name, what it holds,
    whether a record without it is refused, and the canonical column it feeds."""

    name: str
    kind: str
    required: bool = False
    feeds: str = ""


@dataclass
class Rows:
    """Canonical rows for one entity, built column by column (values as received)."""

    schema: EntitySchema
    columns: dict[str, list[Any]] = field(default_factory=dict)
    count: int = 0
    #: records of the vendor file that are not rows of this entity, by kind (OTel spans that
    #: are not GenAI): reported with the batch, never landed
    skipped: dict[str, int] = field(default_factory=dict)
    #: what the skipped records are, for the ingest summary
    skipped_what: str = "span(s) that are not GenAI"

    def add(self, record: int, **values: Any) -> None:
        """Append one row; `record` is the vendor line or record number it came from."""
        values[SOURCE_RECORD] = record
        for name in values:
            if name not in self.columns:
                self.columns[name] = [None] * self.count
        for name, column in self.columns.items():
            column.append(values.get(name))
        self.count += 1

    def frame(self) -> pl.DataFrame:
        """The rows as a frame of text columns: declared columns first, in schema order."""
        names = list(self.schema.column_names) + [
            name for name in self.columns if name not in self.schema.column_names
        ]
        data = {
            name: [as_text(v) for v in self.columns.get(name, [None] * self.count)]
            for name in names
        }
        return pl.DataFrame(data, schema=dict.fromkeys(names, pl.String))


def as_text(value: Any) -> str | None:
    """A vendor value as the text a canonical CSV would hold (validation casts it later)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "NaN"
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def number(value: Any) -> float | None:
    """A JSON number (or numeric text) as a float, else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def add(*values: Any) -> Any:
    """Sum of vendor counts; a value that is not a number is passed on so validation
    quarantines the row with its reason; all missing gives None."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    for value in present:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
    return sum(present)


def dig(record: Mapping[str, Any], *keys: str) -> Any:
    """`record[k1][k2]...`, or None when a level is absent or not an object."""
    value: Any = record
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def objects(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a JSON array (anything else counts as empty)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def name_key(name: Any) -> str:
    """A vendor field or header name reduced to lower-case letters and digits, so 'Report
    Date', 'reportDate' and ' report date ' compare equal."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def slug(value: Any) -> str:
    """A vendor value as a snake-case id fragment ('Contoso-Eng' -> 'contoso_eng')."""
    return re.sub(r"[^a-z0-9]+", "_", str(value).strip().lower()).strip("_")


def blank(value: Any) -> bool:
    """None, or text of only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_date(value: Any) -> date | None:
    """A `YYYY-MM-DD` vendor value as a date, else None."""
    if not isinstance(value, str | date):
        return None
    try:
        return value if isinstance(value, date) else date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def utc_date(value: Any) -> Any:
    """The UTC date of an ISO 8601 timestamp (`2026-02-01T23:30:00-06:00` -> 2026-02-02; no
    offset = UTC), as `YYYY-MM-DD`; a value that is no timestamp is passed on (and
    quarantined)."""
    if not isinstance(value, str) or not value.strip():
        return value
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().isoformat()


def weeks_covering(first: date, last: date) -> list[tuple[date, date]]:
    """(Monday, Sunday) of every week that holds a day from `first` to `last`: a seat held
    over a report period becomes one seat per week, so overlapping downloads (a daily 28-day
    report) give the same weeks again, never a second seat."""
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        # the calendar's last week ends on its last day (9999-12-31 is a Friday)
        weeks.append((monday, min(monday, date.max - timedelta(days=6)) + timedelta(days=6)))
        if monday > date.max - timedelta(days=7):
            break
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class VendorFormat:
    """One shape of a vendor file, for telling a user which format a refused file resembles:
    its name, the fields it must have, and fields that only it (and its kin) carry."""

    label: str
    required: tuple[str, ...]
    hints: tuple[str, ...]


def missing_fields(present: Iterable[Any], wanted: Iterable[str]) -> list[str]:
    """The `wanted` names absent from `present` (names compared by `name_key`; a wanted entry
    'a|b' is satisfied by either and reported as 'a or b')."""
    keys = {name_key(name) for name in present}
    return [
        alternatives.replace("|", " or ")
        for alternatives in wanted
        if not any(name_key(one) in keys for one in alternatives.split("|"))
    ]


def resembled(present: Iterable[Any], formats: Sequence[VendorFormat]) -> VendorFormat | None:
    """The format whose hint fields `present` shares most (ties: the first listed), or None
    when it shares none."""
    keys = {name_key(name) for name in present}
    scored = [
        (sum(name_key(hint) in keys for hint in fmt.hints), -index, fmt)
        for index, fmt in enumerate(formats)
    ]
    best = max(scored, key=lambda item: item[:2], default=None)
    return best[2] if best is not None and best[0] > 0 else None


def refuse_missing(
    path: Path, fmt: VendorFormat, missing: Sequence[str], found: Iterable[Any], line: int = 1
) -> FileRefused:
    """The refusal of a file that resembles `fmt` but lacks `missing` (a column renamed or
    left out): it names the file (and line), the format and each missing field."""
    shown = ", ".join(str(name) for name in found)
    return FileRefused(
        path,
        f"resembles the {fmt.label} but lacks required field(s): {', '.join(missing)}"
        f" (found: {shown})",
        line,
    )


# --------------------------------------------------------------------------- fields not landed


class _FieldLog:
    """The vendor fields seen and read while one file is reshaped."""

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}  # in order of first sight
        self.read: set[str] = set()
        self.unread: dict[str, None] = {}

    def not_landed(self) -> tuple[str, ...]:
        found = {**self.unread, **{n: None for n in self.seen if n not in self.read}}
        return tuple(found)


_FIELDS: ContextVar[_FieldLog | None] = ContextVar("cadence_vendor_fields", default=None)


class _Tracked(dict):
    """A vendor record that notes which of its fields the connector reads (`get`, `[]`,
    iteration over its items); `in` does not count as reading. A nested record's fields are
    noted with their path (`totals_by_ide.last_known_ide_version`)."""

    def __init__(self, record: Mapping[str, Any], log: _FieldLog, prefix: str = "") -> None:
        super().__init__(record)
        self._log = log
        self._prefix = prefix
        log.seen.update(dict.fromkeys(f"{prefix}{name}" for name in record))

    def __getitem__(self, name: str) -> Any:
        self._log.read.add(f"{self._prefix}{name}")
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        self._log.read.add(f"{self._prefix}{name}")
        return super().get(name, default)

    def items(self):  # type: ignore[override]
        self._log.read.update(f"{self._prefix}{name}" for name in self)
        return super().items()


def track_fields(record: Any, path: str = "") -> Any:
    """`record` noting the fields the connector reads, while a file is landed: the fields it
    never reads are reported as not landed (as `<path>.<field>` for a nested record's).
    Anything but an object is returned as it is."""
    log = _FIELDS.get()
    if log is None or not isinstance(record, Mapping):
        return record
    return _Tracked(record, log, f"{path}." if path else "")


def note_not_landed(names: Iterable[str]) -> None:
    """Report vendor fields the connector does not land (for a connector that reads every field
    of a record, such as a report whose columns are matched by pattern)."""
    log = _FIELDS.get()
    if log is not None:
        log.unread.update(dict.fromkeys(str(name) for name in names))


# --------------------------------------------------------------------------- readers


def _open_text(path: Path) -> IO[str]:
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_text(path: Path) -> str:
    """The whole file as text (gzip-aware), or refuse it."""
    try:
        with _open_text(path) as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise FileRefused(path, f"cannot be read: {error}") from error


def _json_problem(error: json.JSONDecodeError) -> str:
    return f"invalid JSON: {error.msg} (column {error.colno})"


def iter_json(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, value) for each JSON value of a JSON Lines file, or of a JSON document.

    A document whose top level is an array yields its elements with the line each starts
    on; any other document (an object spanning lines) is yielded whole, at line 1. A value
    that does not parse (a truncated line, a trailing comma) refuses the file at its line.
    """
    text = read_text(path)
    stripped = text.lstrip()
    if not stripped:
        return
    first_line = stripped.split("\n", 1)[0].strip()
    if stripped[0] == "{" and _parses(first_line):
        yield from _iter_lines(path, text)
    elif stripped[0] == "[":
        yield from _iter_array(path, text)
    else:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise FileRefused(path, _json_problem(error), error.lineno) from error
        yield 1, value


def _parses(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _iter_lines(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    for number_, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise FileRefused(path, _json_problem(error), number_) from error
        yield number_, value


def _iter_array(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    line = 1 + text.count("\n", 0, position)
    expect_value = True
    while True:
        gap_end = _skip_space(text, position)
        line += text.count("\n", position, gap_end)
        position = gap_end
        if position >= len(text):
            raise FileRefused(path, "invalid JSON: the array is not closed (truncated?)", line)
        char = text[position]
        if char == "]" and expect_value and text[position - 1] == ",":
            raise FileRefused(path, "invalid JSON: trailing comma before ']'", line)
        if char == "]":
            rest = text[position + 1 :].strip()
            if rest:
                raise FileRefused(path, "invalid JSON: extra data after the array", line)
            return
        if not expect_value:
            if char != ",":
                raise FileRefused(path, "invalid JSON: expected ',' or ']'", line)
            position += 1
            expect_value = True
            continue
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise FileRefused(path, _json_problem(error), error.lineno) from error
        yield line, value
        line += text.count("\n", position, end)
        position = end
        expect_value = False


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def read_csv(path: Path, required: Sequence[str]) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header (names trimmed) and (line, row) pairs of a CSV file; refuse the file when a
    required column is missing or a row has a different number of fields than the header."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text))
    try:
        raw_header = next(reader)
    except StopIteration:
        raise FileRefused(path, "the file is empty", 1) from None
    except csv.Error as error:
        raise FileRefused(path, f"cannot be read as CSV: {error}", 1) from error
    header = [name.strip().lstrip("\ufeff").strip() for name in raw_header]
    missing = [name for name in required if name not in header]
    if missing:
        raise FileRefused(
            path,
            "missing required column(s): " + ", ".join(missing) + f" (found: {', '.join(header)})",
            1,
        )

    def rows() -> Iterator[tuple[int, dict]]:
        try:
            for fields in reader:
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue
                if len(fields) != len(header):
                    raise FileRefused(
                        path,
                        f"expected {len(header)} fields, found {len(fields)}",
                        reader.line_num,
                    )
                yield reader.line_num, dict(zip(header, fields, strict=True))
        except csv.Error as error:
            raise FileRefused(path, f"cannot be read as CSV: {error}", reader.line_num) from error

    return header, rows()


# --------------------------------------------------------------------------- identities


def load_identity_map(path: Path | str | None = None) -> dict[str, str]:
    """Vendor user id (lower-cased, trimmed) -> directory user id, from `path` or the file
    named by `CADENCE_IDENTITY_MAP`; empty when neither is given."""
    chosen = path or os.environ.get(IDENTITY_MAP_ENV)
    if not chosen:
        return {}
    source = Path(chosen)
    _, rows = read_csv(source, ("vendor_user_id", "user_id"))
    mapping: dict[str, str] = {}
    for _, row in rows:
        vendor, user = row["vendor_user_id"].strip(), row["user_id"].strip()
        if vendor and user:
            mapping[vendor.lower()] = user
    return mapping


def map_identity(identities: Mapping[str, str], raw: Any) -> Any:
    """The directory id for a vendor id (unchanged when unmapped or not text)."""
    if not identities or not isinstance(raw, str):
        return raw
    return identities.get(raw.strip().lower(), raw)


# --------------------------------------------------------------------------- landing

Reshape = Callable[[Path], Sequence[Rows]]


def land_vendor_files(
    files: Sequence[Path],
    home: Path,
    *,
    connector: str,
    primary: EntitySchema,
    reshape: Reshape,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Reshape and land each vendor file; one result per (file, entity) that it feeds."""
    paths = ensure_home(home)
    key = ingest_key(paths)
    results: list[FileResult] = []
    for path in files:
        for result in land_vendor_file(
            Path(path),
            paths,
            key,
            connector=connector,
            primary=primary,
            reshape=reshape,
            extra_columns=extra_columns,
        ):
            results.append(result)
            if echo is not None:
                echo(result.summary())
    return results


def land_vendor_file(
    path: Path,
    paths: ledger.Paths,
    key: bytes,
    *,
    connector: str,
    primary: EntitySchema,
    reshape: Reshape,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land one vendor file's canonical rows, entity by entity, under the file's own name and
    hash; refuse it whole (recorded against `primary`) when it cannot be read. The columns the
    connector adds beyond an entity's declared ones (`source_record`, ...) land; the vendor
    fields it does not read are reported as not landed, with the first entity's batch."""
    sha = ""
    log = _FieldLog()
    token = _FIELDS.set(log)
    try:
        sha = file_sha256(path)
        batches = [rows for rows in reshape(path) if rows.count]
    except FileRefused as refused:
        return [_refuse(path, paths, sha, primary, connector, refused)]
    except OSError as error:
        refused = FileRefused(path, f"cannot be read: {error}")
        return [_refuse(path, paths, sha, primary, connector, refused)]
    finally:
        _FIELDS.reset(token)
    if not batches:
        batches = [Rows(primary)]
    results = []
    for index, rows in enumerate(batches):
        origin = Origin(path, sha, connector, log.not_landed() if index == 0 else ())
        own = set(rows.columns) - set(rows.schema.column_names)
        keep = own | (extra_columns or {}).get(rows.schema.name, frozenset())
        prepared = paths.tmp / f"{connector}-{sha[:16]}-{rows.schema.name}.parquet"
        rows.frame().write_parquet(prepared)
        try:
            result = ingest_file(rows.schema, prepared, paths, key, origin=origin, keep=keep)
        finally:
            prepared.unlink(missing_ok=True)
        result.skipped = tuple(rows.skipped.items())
        result.skipped_what = rows.skipped_what
        results.append(result)
    return results


def _refuse(
    path: Path,
    paths: ledger.Paths,
    sha: str,
    primary: EntitySchema,
    connector: str,
    refused: FileRefused,
) -> FileResult:
    from datetime import UTC, datetime

    now = datetime.now(UTC).replace(tzinfo=None)
    problem = f"{connector}: {refused.problem}"
    ledger.record_refusal(
        paths,
        entity=primary.name,
        source_file=path.name,
        sha256=sha,
        line=refused.line,
        reason=problem,
        at=now,
    )
    message = str(FileRefused(path, problem, refused.line))
    return FileResult(path, primary.name, "refused", message=message)
