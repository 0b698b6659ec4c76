"""Strategies, file writers and landing-zone invariants shared by the fuzz tests.

The invariants (`check_home`) are read back from the cadence home itself, through the
ledger's committed batches, never from what the code under test reports alone.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from hypothesis import strategies as st

from ingestion.landing import FileResult
from ingestion.schema import Column, EntitySchema

#: Planted in prompt text and raw identities; must never be found under the home.
MARKER = "zqxplantedmarker"
SCHEMA_BATCH = "batch_id=0-schema"

#: Extra columns whose name says they hold a person's identity or free text (CONTRACTS.md §1:
#: prompt and response are never stored; README: extra columns naming a person are dropped).
PERSONAL_EXTRAS = (
    "prompt",
    "Prompt",
    "RESPONSE",
    "response",
    "prompts",
    "user_prompt",
    "system_prompt",
    "prompt_text",
    "promptText",
    "response_text",
    "responseText",
    "completion",
    "completion_text",
    "messages",
    "message_text",
    "content",
    "email",
    "user_email",
    "userEmail",
    "mail",
    "display_name",
    "displayName",
    "full_name",
    "login",
    "user_principal_name",
    "userPrincipalName",
    "upn",
    "ip_address",
    "phone",
)
#: Extra columns with harmless names (kept in the landing zone as text).
PLAIN_EXTRAS = (
    "region",
    "notes",
    "cost_centre",
    "batch_id",
    "_hidden",
    "_source_row",
    "file_row_number",
    "x1",
    "Tool",
    "weird-name",
    "",
)

# --------------------------------------------------------------------------- values

ODD_TEXT = (
    "",
    " ",
    "   ",
    "\t",
    "null",
    "NULL",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "99999999999999999999999999999999",
    "-99999999999999999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "0x1A",
    "1_000",
    "1,5",
    " 12 ",
    "+3",
    "-0",
    "1.5",
    "1.0",
    "2.",
    "true",
    "FALSE",
    "yes",
    "t",
    "2026-1-5",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "9999-12-31T23:59:59Z",
    "99999-01-01",
    "294247-01-10T04:00:54Z",
    "-0044-03-15",
    "0001-01-01T00:00:00",
    "1677-09-21T00:12:43Z",
    "1969-12-31T23:59:59-23:59",
    "2026-03-02T09:30:00+14:00",
    "2026-03-02 09:30",
    "2026-03-02T25:00:00",
    "1700000000",
    "03/02/2026",
    "caf\u00e9",
    "na\u00efve \u2603 \U0001f600",
    "\u202eevil",
    "a\x00b",
    "\x00",
    "line\nbreak",
    'quote"inside',
    "comma,inside",
    "\r",
    "\ufeffbom",
    "' or 1=1 --",
    "'); drop table x; --",
    "${jndi:ldap://x}",
)


def _iso(moment: datetime, style: int) -> str:
    if style == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if style == 2:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f+02:00")
    return moment.date().isoformat()


def valid_text(column: Column) -> st.SearchStrategy[str]:
    """A value that meets the column's kind (not necessarily its range rules)."""
    kind = column.kind
    if column.allowed is not None:
        choices = [str(v) for v in column.allowed]
        return st.sampled_from(choices + [c.upper() for c in choices if isinstance(c, str)])
    if kind == "timestamp":
        return st.builds(
            _iso,
            st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2026, 1, 1)),
            st.integers(0, 3),
        )
    if kind == "date":
        return st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 1, 1)).map(str)
    if kind == "integer":
        return st.one_of(st.integers(0, 10_000), st.integers(-(2**70), 2**70)).map(str)
    if kind == "number":
        return st.one_of(st.integers(0, 10_000).map(str), st.floats(0, 1).map(repr))
    if kind == "boolean":
        return st.sampled_from(["true", "false", "True", "0", "1"])
    return st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)


def long_text() -> st.SearchStrategy[str]:
    """A long value without asking hypothesis to generate every character."""
    return st.builds(
        lambda char, n: char * n, st.sampled_from('x9 ,"é'), st.integers(1_000, 50_000)
    )


def text_value(column: Column) -> st.SearchStrategy[str]:
    """Any text a file might hold for this column: mostly valid, often odd."""
    return st.one_of(
        valid_text(column),
        valid_text(column),
        st.sampled_from(ODD_TEXT),
        st.text(max_size=16),
        long_text(),
    )


def identity_value(index: int) -> st.SearchStrategy[str]:
    """A raw identity carrying the marker (in varying case and padding)."""
    raw = f"{MARKER}.person{index}@Example.test"
    return st.sampled_from([raw, raw.upper(), f"  {raw} ", raw.lower()])


def json_value(column: Column) -> st.SearchStrategy[Any]:
    """A JSON value for a column: text, or a value of another JSON type."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**80), 2**80),
        st.floats(allow_nan=False, allow_infinity=False),
    )
    return st.one_of(
        text_value(column),
        text_value(column),
        scalars,
        st.lists(scalars, max_size=3),
        st.dictionaries(st.text(max_size=5), scalars, max_size=3),
    )


# --------------------------------------------------------------------------- files


@dataclass
class Table:
    """Generated rows: `header` (names as written) and one dict per row keyed by header."""

    header: list[str]
    rows: list[dict[str, Any]]


@st.composite
def tables(
    draw: st.DrawFn, schema: EntitySchema, *, plant: bool = True, json_types: bool = False
) -> Table:
    """A header (a subset of the declared columns in any order, extra columns, stray spaces,
    sometimes a duplicate) and rows of odd values; identities and personal extras carry the
    marker when `plant`."""
    declared = []
    for column in schema.columns:
        keep = draw(st.booleans()) if not column.required else draw(st.integers(0, 19)) > 0
        if keep:
            declared.append(column)
    extras = draw(
        st.lists(
            st.one_of(st.sampled_from(PLAIN_EXTRAS + PERSONAL_EXTRAS), st.text(max_size=6)),
            max_size=4,
        )
    )
    names = [column.name for column in declared] + extras
    names = list(dict.fromkeys(draw(st.permutations(names))))
    padded = [draw(st.sampled_from([name, name, name, f" {name}", f"{name} "])) for name in names]
    if padded and draw(st.integers(0, 15)) == 0:
        padded.append(draw(st.sampled_from(padded)).strip())  # a duplicate column
    by_name = {column.name: column for column in schema.columns}
    count = draw(st.integers(0, 8))
    rows = []
    for index in range(count):
        row: dict[str, Any] = {}
        for written in padded:
            name = written.strip()
            column = by_name.get(name)
            if column is not None and column.pseudonymise and plant:
                row[written] = draw(st.one_of(identity_value(index), text_value(column)))
            elif column is not None:
                row[written] = draw(json_value(column) if json_types else text_value(column))
            elif name in PERSONAL_EXTRAS and plant:
                row[written] = f"secret {MARKER} text {index}"
            else:
                row[written] = draw(st.sampled_from(ODD_TEXT))
        rows.append(row)
    return Table(padded, rows)


def encode(text: str, encoding: str) -> bytes:
    """`text` in an encoding a file might come in (latin-1 drops what it cannot hold)."""
    if encoding == "latin-1":
        return text.encode("latin-1", errors="replace")
    return text.encode(encoding)


def write_bytes(path: Path, data: bytes, *, compress: bool = False) -> Path:
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


def csv_text(table: Table, newline: str = "\n", delimiter: str = ",") -> str:
    """The table as CSV (every value as text; None as an empty field)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline, delimiter=delimiter)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_as_csv(row.get(name)) for name in table.header])
    return buffer.getvalue()


def _as_csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def jsonl_text(table: Table, *, ascii_only: bool = True, drop_missing: bool = False) -> str:
    """One JSON object per line (keys in header order; None values left out when
    `drop_missing`)."""
    lines = []
    for row in table.rows:
        record = {
            name: value for name, value in row.items() if not (drop_missing and value is None)
        }
        lines.append(json.dumps(record, ensure_ascii=ascii_only))
    return "".join(line + "\n" for line in lines)


def json_array_text(table: Table, *, ascii_only: bool = True) -> str:
    return json.dumps(table.rows, ensure_ascii=ascii_only, indent=1)


#: Parquet column types a file may declare, with values of that type.
PARQUET_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "int64": pl.Int64(),
    "int8": pl.Int8(),
    "uint64": pl.UInt64(),
    "float64": pl.Float64(),
    "boolean": pl.Boolean(),
    "datetime": pl.Datetime("us"),
    "datetime_tz": pl.Datetime("us", "UTC"),
    "date": pl.Date(),
    "null": pl.Null(),
    "list": pl.List(pl.String()),
}


def parquet_values(dtype: str, column: Column | None, n: int) -> st.SearchStrategy[list[Any]]:
    """`n` values of a Parquet column type (None mixed in)."""
    element: st.SearchStrategy[Any]
    if dtype == "string":
        element = text_value(column) if column is not None else st.sampled_from(ODD_TEXT)
    elif dtype == "int64":
        element = st.integers(-(2**63), 2**63 - 1)
    elif dtype == "int8":
        element = st.integers(-128, 127)
    elif dtype == "uint64":
        element = st.integers(0, 2**64 - 1)
    elif dtype == "float64":
        element = st.floats()
    elif dtype == "boolean":
        element = st.booleans()
    elif dtype in ("datetime", "datetime_tz"):
        element = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
        if dtype == "datetime_tz":
            element = element.map(lambda moment: moment.replace(tzinfo=UTC))
    elif dtype == "date":
        element = st.dates()
    elif dtype == "list":
        element = st.lists(st.text(max_size=4), max_size=3)
    else:
        return st.just([None] * n)
    return st.lists(st.one_of(st.none(), element), min_size=n, max_size=n)


def write_parquet(path: Path, columns: dict[str, tuple[str, list[Any]]]) -> Path:
    """A Parquet file with the given (type, values) per column name."""
    frame = pl.DataFrame(
        {
            name: pl.Series(name, values, dtype=PARQUET_TYPES[dtype], strict=False)
            for name, (dtype, values) in columns.items()
        }
    )
    frame.write_parquet(path)
    return path


# --------------------------------------------------------------------------- invariants


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    return con


def _source_rows(con: duckdb.DuckDBPyConnection, folder: Path, batch_id: str) -> list[int]:
    """`_source_row` of every row in one batch folder; each row must carry the batch id."""
    if not folder.exists():
        return []
    files = sorted(str(p) for p in folder.rglob("*.parquet"))
    assert files, f"empty batch folder {folder}"
    rows = con.execute(
        "select _source_row, _batch_id from read_parquet($files, hive_partitioning=false)",
        {"files": files},
    ).fetchall()
    assert {batch for _, batch in rows} <= {batch_id}, folder
    return [int(row) for row, _ in rows]


def ledger_batches(home: Path) -> dict[str, dict[str, Any]]:
    con = _con()
    try:
        glob = str(home / "ledger" / "batches" / "*.parquet")
        frame = con.sql(
            "select * from read_parquet($glob) where batch_id is not null",
            params={"glob": glob},
        ).pl()
    finally:
        con.close()
    return {row["batch_id"]: row for row in frame.to_dicts()}


def ledger_rejections(home: Path) -> list[dict[str, Any]]:
    con = _con()
    try:
        glob = str(home / "ledger" / "rejected" / "*.parquet")
        frame = con.sql(
            "select * from read_parquet($glob) where rejection_id is not null",
            params={"glob": glob},
        ).pl()
    finally:
        con.close()
    return frame.to_dicts()


def check_home(home: Path, results: Sequence[FileResult]) -> dict[str, dict[str, Any]]:
    """Check what the home holds against the results and the ledger; return the ledger's
    committed batches by id.

    - every batch folder in landing/ and quarantine/ is committed in the ledger;
    - each committed batch holds exactly its ledger counts, every row carrying its batch id,
      and its landed and quarantined `_source_row`s are 1..rows_read, each exactly once;
    - the results agree with the ledger; each refused file has a message naming it and a
      rejection record, and nothing in tmp/ is left behind.
    """
    batches = ledger_batches(home)
    con = _con()
    try:
        for area in ("landing", "quarantine"):
            for folder in (home / area).glob("*/batch_id=*"):
                if folder.name == SCHEMA_BATCH:
                    continue
                batch_id = folder.name.removeprefix("batch_id=")
                assert batch_id in batches, f"uncommitted {folder}"
                assert batches[batch_id]["entity"] == folder.parent.name
        for batch_id, record in batches.items():
            entity = record["entity"]
            landed = _source_rows(con, home / "landing" / entity / f"batch_id={batch_id}", batch_id)
            quarantined = _source_rows(
                con, home / "quarantine" / entity / f"batch_id={batch_id}", batch_id
            )
            assert len(landed) == record["rows_landed"], record
            assert len(quarantined) == record["rows_quarantined"], record
            assert record["rows_read"] == record["rows_landed"] + record["rows_quarantined"]
            assert sorted(landed + quarantined) == list(range(1, record["rows_read"] + 1)), (
                "rows lost or counted twice",
                record,
            )
    finally:
        con.close()

    rejections = ledger_rejections(home)
    landed_results = [r for r in results if r.status == "landed"]
    refused = [r for r in results if r.status == "refused"]
    assert {r.batch_id for r in landed_results} == set(batches), "results and ledger disagree"
    for result in landed_results:
        record = batches[result.batch_id]
        assert record["entity"] == result.entity
        assert record["source_file"] == result.path.name
        assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (
            record["rows_read"],
            record["rows_landed"],
            record["rows_quarantined"],
        )
        assert result.rows_read == result.rows_landed + result.rows_quarantined
    for result in refused:
        assert result.message, result
        assert result.path.name in result.message, result.message
        assert result.rows_landed == result.rows_quarantined == 0
        assert "Traceback" not in result.message
    assert len(rejections) == len(refused), (rejections, refused)
    assert sorted(r["source_file"] for r in rejections) == sorted(r.path.name for r in refused)
    assert all(r["reason"] for r in rejections)
    leftovers = list((home / "tmp").iterdir()) if (home / "tmp").exists() else []
    assert leftovers == [], leftovers
    return batches


def landed_source_rows(home: Path, entity: str, batch_id: str) -> tuple[list[int], list[int]]:
    """(landed, quarantined) `_source_row`s of one batch."""
    con = _con()
    try:
        return (
            _source_rows(con, home / "landing" / entity / f"batch_id={batch_id}", batch_id),
            _source_rows(con, home / "quarantine" / entity / f"batch_id={batch_id}", batch_id),
        )
    finally:
        con.close()


def _parquet_text(path: Path) -> str:
    con = duckdb.connect()
    try:
        relation = con.sql(
            "select * from read_parquet($p, hive_partitioning=false)", params={"p": str(path)}
        )
        return repr(relation.columns) + repr(relation.fetchall())
    finally:
        con.close()


def assert_no_marker(home: Path, results: Sequence[FileResult] = ()) -> None:
    """The planted marker is in no byte and no value of any file under the home, nor in what
    the user is told."""
    for path in home.rglob("*"):
        if not path.is_file():
            continue
        assert MARKER.encode() not in path.read_bytes().lower(), path
        if path.suffix == ".parquet":
            assert MARKER not in _parquet_text(path).lower(), path
    for result in results:
        assert MARKER not in result.message.lower(), result.message
        assert MARKER not in result.summary().lower()


def is_blank(value: Any) -> bool:
    """Whether a file value counts as empty (null, or empty text)."""
    return value is None or value == ""


def finite(value: float) -> bool:
    return not (math.isnan(value) or math.isinf(value))
