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
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from ingestion.errors import FileRefused

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
CSV_OPTIONS = (
    "delim=',', quote='\"', escape='\"', header=true, all_varchar=true, "
    "strict_mode=true, null_padding=false, ignore_errors=false, normalize_names=false"
)
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


def duckdb_problem(error: duckdb.Error) -> tuple[str, int | None]:
    """A one-paragraph problem statement and the line number from a DuckDB read error."""
    text = str(error)
    line = None
    match = re.search(r"[Ll]ine:? (\d+)", text)
    if match:
        line = int(match.group(1))
    if "Original Line:" in text:
        # A CSV error quotes the offending row, which may span lines (an open quote): keep only
        # the line number and the problem (the line before "Possible fixes"), never the row's
        # text, which holds raw ids and prompts.
        before_fixes = text.split("Possible fixes:")[0].rstrip().splitlines()
        last = before_fixes[-1].strip() if before_fixes else ""
        problem = "malformed CSV row" if last.startswith("Original Line:") else last
        return problem, line
    first = text.split("\n\n")[0].strip()
    first = re.sub(r"^[A-Za-z ]+Error: ", "", first)
    first = " ".join(first.split())
    # A JSON error quotes the record ("Object {"user_id": ...} has duplicate key"): keep the
    # problem, never the record's text, which holds raw ids and prompts; nor DuckDB's hints.
    first = re.sub(r"(?:Object|Array) [\[{].*? has ", "a record has ", first)
    first = re.sub(r' in file "[^"]*",', "", first)
    first = re.sub(r"\s*Try setting '?auto_detect.*$", "", first)
    return first, line


def open_source(con: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> Source:
    """Describe `path` as a `Source`, refusing files that cannot be parsed."""
    try:
        if fmt == "csv":
            return _open_csv(con, path)
        if fmt == "json":
            return _open_json(con, path)
        return _open_parquet(con, path)
    except duckdb.Error as error:
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
            same = "" if other == canonical else f" (as {other!r} and {canonical!r})"
            raise FileRefused(path, f"column {canonical!r} appears more than once{same}", 1)
        seen[canonical.lower()] = canonical
        columns[canonical] = (name, dtype)
    return columns


def _open_csv(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    delim = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    options = CSV_OPTIONS.replace("delim=','", "delim='\\t'") if delim == "\t" else CSV_OPTIONS
    scan = f"read_csv($src, {options})"
    describe = "describe select * from " + scan
    try:
        described = con.execute(describe, {"src": str(path)}).fetchall()
    except duckdb.Error:
        _locate_csv_error(con, path, delim, options)
        raise
    columns = _columns(
        [(row[0], "VARCHAR") for row in described], path, _csv_header(con, path, options)
    )
    from_sql = f"(select row_number() over () as _source_row, * from {scan})"
    return Source(
        path, "csv", from_sql, {"src": str(path)}, columns, scan_sql=f"(select * from {scan})"
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


def _locate_csv_error(con: duckdb.DuckDBPyConnection, path: Path, delim: str, options: str) -> None:
    """When DuckDB's sniffer gives up on a malformed file (it only says "could not detect the
    dialect"), read it again with the header's column count declared and no sniffing, so the
    error raised names the line and the problem. Returns quietly if it cannot tell more."""
    suffix = path.suffix.lower()
    if suffix == ".zst":
        return
    try:
        with (gzip.open if suffix == ".gz" else open)(
            path, "rt", encoding="utf-8-sig", newline=""
        ) as handle:
            header = next(csv.reader(handle, delimiter=delim), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return
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
    except (OSError, EOFError):
        return "auto"
    return "array" if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"[") else "auto"


def _open_json(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    layout = _json_layout(path)
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
            {"src": str(path)},
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
        {"src": str(path)},
    ).fetchall()
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
        {"src": str(path)},
        columns,
        row_count=count,
        scan_sql=f"(select * from {scan})",
    )


def _open_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    scan = "read_parquet($src, file_row_number=true)"
    describe = "describe select * from " + scan
    described = con.execute(describe, {"src": str(path)}).fetchall()
    try:  # the names as written (DuckDB renames a repeated one): the footer only
        raw_names: list[str] | None = pl.read_parquet_schema(path).names()
    except Exception:  # DuckDB read it: keep the names DuckDB gives
        raw_names = None
    columns = _columns(
        [(row[0], row[1]) for row in described if row[0] != "file_row_number"], path, raw_names
    )
    from_sql = f"(select file_row_number + 1 as _source_row, * from {scan})"
    return Source(
        path, "parquet", from_sql, {"src": str(path)}, columns, scan_sql=f"(select * from {scan})"
    )


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
