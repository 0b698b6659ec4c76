"""Open an input file (CSV, JSON Lines / JSON array, Parquet) as SQL over raw values.

Nothing here infers types: CSV and JSON values are read as text, Parquet values keep the
type the file declares, and `ingestion.validate` casts every value with validation. The
returned `Source` is a `FROM` clause with its bound parameters, the columns it offers and
the expression that numbers its rows.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import shutil
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion.errors import FileRefused, is_out_of_memory

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
}
COMPRESSIONS = (".gz", ".zst")

#: Names of extra (undeclared) columns kept in the landing zone; anything else is dropped.
EXTRA_COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
#: The header is the first line (`skip=0`): left to guess, DuckDB's sniffer takes a later row
#: for the header when a row has a field too many, and names its values as the columns.
CSV_OPTIONS = (
    "delim=',', quote='\"', escape='\"', header=true, skip=0, all_varchar=true, "
    "strict_mode=true, null_padding=false, ignore_errors=false, normalize_names=false"
)
#: The most columns a file may have: the widest entity declares 39 (copilot_usage_details);
#: a file far wider is no export of an entity, and each column costs DuckDB a buffer per
#: thread (10,000 columns ran a 1.5 GB memory limit out on a 119 KB file).
MAX_COLUMNS = 1_000
#: The longest header line read (a CSV header of MAX_COLUMNS long names fits many times over);
#: a first line longer than this is no header (a file with no line break).
MAX_HEADER_BYTES = 1 << 20
TRAILING_COMMA = r",\s*[}\]]"


@dataclass
class Source:
    """SQL access to one file: `from_sql` (with `params`) yields `_source_row` plus columns.

    `columns` maps the canonical (whitespace-trimmed) name to the file's own name and
    DuckDB type.
    """

    path: Path
    format: str
    from_sql: str
    params: dict[str, object]
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    row_count: int | None = None
    scan_sql: str = ""  # the same rows without `_source_row` (cheaper: no row numbering)


def quote_identifier(name: str) -> str:
    """Quote a column name for DuckDB SQL."""
    return '"' + name.replace('"', '""') + '"'


def detect_format(path: Path) -> str:
    """The format of `path` from its extension, or refuse the file."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSIONS:
        suffixes = suffixes[:-1]
    if not suffixes or suffixes[-1] not in FORMATS:
        raise FileRefused(
            path, "unknown file type: expected .csv, .jsonl/.ndjson/.json or .parquet"
        )
    return FORMATS[suffixes[-1]]


#: Characters DuckDB's file readers take for a pattern (`*`, `?`, `[`, `{`) or that defeat
#: its pattern escapes (`\\`). DuckDB has no documented way to read a path literally: a file
#: whose path holds one is read through a link with a plain name (`literal_location`).
PATTERN_CHARACTERS = frozenset("*?[]{}\\")


@contextmanager
def literal_location(path: Path, scratch: Path) -> Iterator[Path]:
    """A path DuckDB reads as exactly `path`'s file: `path` itself when it holds no pattern
    character, else a symbolic link (a copy where links are not allowed) under `scratch` with a
    plain name and the same extension, removed afterwards (`scratch` is swept on start)."""
    if not PATTERN_CHARACTERS.intersection(str(path)):
        yield path
        return
    suffixes = [s.lower() for s in path.suffixes]
    tail = suffixes[-2:] if len(suffixes) > 1 and suffixes[-1] in COMPRESSIONS else suffixes[-1:]
    extension = "".join(s for s in tail if not PATTERN_CHARACTERS.intersection(s))
    scratch.mkdir(parents=True, exist_ok=True)
    link = scratch / f"input-{os.getpid()}-{uuid.uuid4().hex[:12]}{extension}"
    try:
        link.symlink_to(path.resolve())
    except OSError:
        shutil.copyfile(path, link)
    try:
        yield link
    finally:
        link.unlink(missing_ok=True)


#: DuckDB's CSV problem statements, in what they mean for the file and what to do next.
CSV_PROBLEMS: tuple[tuple[str, str], ...] = (
    (
        r"Expected Number of Columns: (\d+) Found: (\d+)",
        "this row has {found} field(s) where the header has {expected}: {hint}",
    ),
    (
        r"Invalid unicode|not utf-8 encoded",
        "not UTF-8 text (a byte sequence that is no UTF-8 character): save the file as UTF-8 "
        "and ingest it again",
    ),
    (
        r"unterminated quote",
        'a quoted value is not closed (a " with no closing "): the rest of the file was read '
        "as one value",
    ),
    (
        r"Maximum line size of (\d+) bytes exceeded",
        "a line longer than {limit} bytes: a quote left open, or a file with no line breaks",
    ),
    (
        r"Error when sniffing file",
        "its layout could not be made out as comma-separated values with a header row (a row "
        "with another number of fields than the header, or a quote left open?)",
    ),
)


def _csv_problem(text: str) -> str | None:
    """A DuckDB CSV error in words, never quoting the offending row (it holds raw ids and
    prompts); None when the error is none DuckDB's CSV reader names."""
    for pattern, message in CSV_PROBLEMS:
        found = re.search(pattern, text)
        if found is None:
            continue
        if "Expected Number" in pattern:
            expected, actual = int(found.group(1)), int(found.group(2))
            hint = (
                "a field too many (a comma in a value that is not quoted?)"
                if actual > expected
                else "a field missing (a line broken inside a value?)"
            )
            return message.format(found=actual, expected=expected, hint=hint)
        if "Maximum line size" in pattern:
            return message.format(limit=f"{int(found.group(1)):,}")
        return message
    return None


def duckdb_problem(error: duckdb.Error) -> tuple[str, int | None]:
    """A one-paragraph problem statement and the line number from a DuckDB read error."""
    text = str(error)
    line = None
    match = re.search(r"[Ll]ine:? (\d+)", text)  # not DuckDB's echo of the query, "LINE 1:"
    if match:
        line = int(match.group(1))
    if "Original Line:" in text or "CSV Error on Line" in text:
        # A CSV error quotes the offending row, which may span lines (an open quote): keep only
        # the line number and the problem, never the row's text.
        return _csv_problem(text) or "malformed CSV row", line
    csv_problem = _csv_problem(text)
    if csv_problem is not None:
        return csv_problem, None
    # The first paragraph, without DuckDB's echo of the query ("LINE 1: ..." and its carets).
    kept = [
        part
        for part in text.split("\n\n")[0].splitlines()
        if not re.match(r"\s*(LINE \d+:|\^+\s*$)", part)
    ]
    first = " ".join(" ".join(kept).split())
    first = re.sub(r"^[A-Za-z ]+Error: ", "", first)
    # A JSON error quotes the record ("Object {"user_id": ...} has duplicate key"): keep the
    # problem, never the record's text, which holds raw ids and prompts; nor DuckDB's hints.
    first = re.sub(r"(?:Object|Array) [\[{].*? has ", "a record has ", first)
    first = re.sub(r' in file "[^"]*",', "", first)
    first = re.sub(r"\s*Try setting '?auto_detect.*$", "", first)
    return first or type(error).__name__, line


def open_source(
    con: duckdb.DuckDBPyConnection, path: Path, fmt: str, location: Path | None = None
) -> Source:
    """Describe `path` as a `Source`, refusing files that cannot be parsed. DuckDB reads
    `location` (`literal_location`: the same file under a name it cannot take for a pattern)
    when given; messages name `path`."""
    read = location or path
    try:
        if fmt == "csv":
            return _open_csv(con, path, read)
        if fmt == "json":
            return _open_json(con, path, read)
        return _open_parquet(con, path, read)
    except duckdb.Error as error:
        if is_out_of_memory(error):  # the machine's limit, not the file's fault
            raise
        problem, line = duckdb_problem(error)
        raise FileRefused(path, f"cannot be read as {fmt.upper()}: {problem}", line) from error


def _columns(
    names_types: list[tuple[str, str]], path: Path, raw_names: list[str] | None = None
) -> dict[str, tuple[str, str]]:
    """Canonical name -> (the reader's name, type). `raw_names` are the names as the file
    spells them, when the reader renamed some (DuckDB trims CSV header names and renames a
    repeated one `name_1`); a name repeated, or repeated in another case (DuckDB cannot hold
    both), refuses the file."""
    if raw_names is None or len(raw_names) != len(names_types):
        raw_names = [name for name, _ in names_types]
    columns: dict[str, tuple[str, str]] = {}
    seen: dict[str, str] = {}
    for raw, (name, dtype) in zip(raw_names, names_types, strict=True):
        canonical = raw.strip().lstrip("\ufeff").strip()
        if canonical.lower() in seen:
            other = seen[canonical.lower()]
            if not EXTRA_COLUMN_NAME.match(canonical):  # a value, not a name: never record it
                raise FileRefused(
                    path,
                    "the first line repeats a value that is no column name (a date, a number, "
                    "an e-mail address): is the header row missing?",
                    1,
                )
            same = "" if other == canonical else f" (as {other!r} and {canonical!r})"
            raise FileRefused(path, f"column {canonical!r} appears more than once{same}", 1)
        seen[canonical.lower()] = canonical
        columns[canonical] = (name, dtype)
    return columns


def _open_csv(con: duckdb.DuckDBPyConnection, path: Path, read: Path) -> Source:
    delim = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    options = CSV_OPTIONS.replace("delim=','", "delim='\\t'") if delim == "\t" else CSV_OPTIONS
    header = csv_header_line(path, read, delim)
    check_width(path, len(header) if header is not None else 0, 1)
    scan = f"read_csv($src, {options})"
    describe = "describe select * from " + scan
    try:
        described = con.execute(describe, {"src": str(read)}).fetchall()
    except duckdb.Error:
        _locate_csv_error(con, read, options, header)
        raise
    columns = _columns(
        [(row[0], "VARCHAR") for row in described], path, _csv_header(con, read, options)
    )
    from_sql = f"(select row_number() over () as _source_row, * from {scan})"
    return Source(
        path, "csv", from_sql, {"src": str(read)}, columns, scan_sql=f"(select * from {scan})"
    )


def _csv_header(con: duckdb.DuckDBPyConnection, path: Path, options: str) -> list[str] | None:
    """The header row as written (DuckDB trims the names and renames repeated ones)."""
    scan = f"read_csv($src, {options.replace('header=true', 'header=false')})"
    query = "select * from " + scan + " limit 1"
    try:
        row = con.execute(query, {"src": str(path)}).fetchone()
    except duckdb.Error:
        return None
    return None if row is None else ["" if name is None else str(name) for name in row]


def check_width(path: Path, columns: int, line: int | None = None) -> None:
    """Refuse a file with more than `MAX_COLUMNS` columns before DuckDB reads it."""
    if columns > MAX_COLUMNS:
        raise FileRefused(
            path,
            f"has {columns:,} columns; cadence reads files of at most {MAX_COLUMNS:,} columns "
            "(the widest entity declares 39): is this an export of the entity named?",
            line,
        )


def csv_header_line(path: Path, read: Path, delim: str) -> list[str] | None:
    """The header row's fields, from at most `MAX_HEADER_BYTES` of the file's first line
    (streamed: memory stays bounded whatever the file holds); None when it cannot be read
    here (zstd, unreadable: DuckDB's own error then tells). A first line with no line break
    within the bound refuses the file; so does a header that is not UTF-8 text."""
    suffix = read.suffix.lower()
    if suffix == ".zst":
        return None
    try:
        with (gzip.open if suffix == ".gz" else open)(read, "rb") as handle:
            first = handle.readline(MAX_HEADER_BYTES + 1)
    except (OSError, EOFError, zlib.error):  # DuckDB's own read then names the problem
        return None
    if len(first) > MAX_HEADER_BYTES:
        raise FileRefused(
            path,
            f"the first line is longer than {MAX_HEADER_BYTES:,} bytes (no line break within "
            "it): this is not a CSV file with a header row. Check that the file is the CSV "
            "export meant (not a single-line JSON or binary file) and not cut short",
            1,
        )
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            path,
            f"the header is not UTF-8 text (byte {error.object[error.start]:#04x} at byte "
            f"{error.start + 1} of line 1): save the file as UTF-8 and ingest it again",
            1,
        ) from error
    try:
        return next(csv.reader([text.rstrip("\r\n")], delimiter=delim), [])
    except csv.Error:
        return None


def _locate_csv_error(
    con: duckdb.DuckDBPyConnection, path: Path, options: str, header: list[str] | None
) -> None:
    """When DuckDB's sniffer gives up on a malformed file (it only says "could not detect the
    dialect"), read it again with the header's column count declared and no sniffing, so the
    error raised names the line and the problem. Returns quietly if it cannot tell more."""
    if not header:
        return
    declared = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    strict = options.replace("all_varchar=true, ", "")
    scan = f"read_csv($src, {strict}, auto_detect=false, columns={{{declared}}})"
    query = "select count(*) from " + scan
    con.execute(query, {"src": str(path)}).fetchall()


def _json_layout(path: Path) -> str:
    """`array` when the file is one JSON array, else `auto`: DuckDB's own detection takes a
    file that starts with a byte order mark for one value, not an array of records."""
    suffix = path.suffix.lower()
    if suffix == ".zst":
        return "auto"
    try:
        with (gzip.open if suffix == ".gz" else open)(path, "rb") as handle:
            head = handle.read(4096)
    except (OSError, EOFError, zlib.error):
        return "auto"
    return "array" if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"[") else "auto"


def _open_json(con: duckdb.DuckDBPyConnection, path: Path, read: Path) -> Source:
    layout = _json_layout(read)
    objects = (
        f"(select row_number() over () as rn, json from read_json_objects($src, format='{layout}'))"
    )
    try:
        profile = con.execute(
            f"""
            select
                count(*),
                min(rn) filter (where json_type(json) <> 'OBJECT'),
                list(rn order by rn) filter (where regexp_matches(json, '{TRAILING_COMMA}'))[1:50],
                list(json order by rn) filter (where regexp_matches(json, '{TRAILING_COMMA}'))[1:50]
            from {objects}
            """,
            {"src": str(read)},
        ).fetchone()
    except duckdb.Error as error:
        # DuckDB numbers the malformed record one past its place ("in line 3" for line 2).
        found = re.search(
            r"in (?:line|record/value) (\d+): (.+?)\.?\s*$", str(error).split("\n")[0]
        )
        if found is None:
            raise
        record = int(found.group(1)) - 1
        raise FileRefused(path, f"invalid JSON: {found.group(2)}", record) from error
    assert profile is not None
    count, not_object, suspect_rows, suspect_texts = profile
    if not_object is not None:
        raise FileRefused(path, "every record must be a JSON object", not_object)
    for row, text in zip(suspect_rows or [], suspect_texts or [], strict=True):
        try:
            json.loads(text)
        except ValueError as error:
            raise FileRefused(path, f"invalid JSON: {error.msg}", row) from error
    keys = con.execute(
        f"select distinct unnest(json_keys(json)) as k from {objects} order by k",
        {"src": str(read)},
    ).fetchall()
    check_width(path, len(keys))
    # A key of no characters can be neither a declared column nor a kept extra one (nor a
    # DuckDB struct field): it is left out, as a CSV column without a name is.
    columns = _columns([(key, "VARCHAR") for (key,) in keys if key], path)
    if not columns and count:
        raise FileRefused(path, "the JSON objects have no fields")
    struct = ", ".join(f"{_sql_string(original)}: 'VARCHAR'" for original, _ in columns.values())
    scan = (
        f"read_json($src, format='{layout}', columns={{{struct}}})"
        if columns
        else "(select 1 as _empty where false)"
    )
    from_sql = f"(select row_number() over () as _source_row, * from {scan})"
    return Source(
        path,
        "json",
        from_sql,
        {"src": str(read)},
        columns,
        row_count=count,
        scan_sql=f"(select * from {scan})",
    )


def _open_parquet(con: duckdb.DuckDBPyConnection, path: Path, read: Path) -> Source:
    scan = "read_parquet($src, file_row_number=true)"
    describe = "describe select * from " + scan
    described = con.execute(describe, {"src": str(read)}).fetchall()
    check_width(path, len(described) - 1)  # less file_row_number
    import polars as pl  # here: a command that reads no Parquet file need not import it

    try:  # the names as written (DuckDB renames a repeated one): the footer only
        raw_names: list[str] | None = pl.read_parquet_schema(read).names()
    except Exception:  # DuckDB read it: keep the names DuckDB gives
        raw_names = None
    columns = _columns(
        [(row[0], row[1]) for row in described if row[0] != "file_row_number"], path, raw_names
    )
    from_sql = f"(select file_row_number + 1 as _source_row, * from {scan})"
    return Source(
        path, "parquet", from_sql, {"src": str(read)}, columns, scan_sql=f"(select * from {scan})"
    )


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
