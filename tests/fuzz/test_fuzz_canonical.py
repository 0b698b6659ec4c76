"""Fuzzing canonical ingest: generated CSV / TSV / JSON Lines / JSON array / Parquet files of
every entity (the eight of CONTRACTS.md §1 and copilot_usage_details), through
`ingestion.landing.ingest_files` and the `cadence ingest` command.

Each example builds a fresh cadence home. Properties:

- no exception: a file is landed (rows landed + quarantined) or refused with a message that
  names it, and a refused file leaves nothing in landing/ and a rejection in the ledger;
- counts add up, read back from the landing zone and the quarantine through the ledger:
  rows read = the rows generated, and every `_source_row` 1..n is landed or quarantined
  exactly once;
- a row with an empty required value is quarantined, never landed;
- the planted marker (raw identities, prompt text, personal extra columns) is found in no
  byte under the home.

Run longer: `HYPOTHESIS_PROFILE=soak .venv/bin/python -m pytest tests/fuzz` (random seeds,
25x the examples), or set `CADENCE_FUZZ_EXAMPLES=N` (the base example count, 4 by default;
each test multiplies it by its weight). The `ci` profile (default) is derandomized.
"""

from __future__ import annotations

import contextlib
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fuzz_helpers import (
    PERSONAL_EXTRAS,
    Table,
    assert_no_marker,
    check_home,
    csv_text,
    encode,
    identity_value,
    is_blank,
    json_array_text,
    jsonl_text,
    landed_source_rows,
    parquet_values,
    tables,
    write_bytes,
    write_parquet,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.cli import main
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import FileResult, ingest_files
from ingestion.schema import EntitySchema

ENTITIES = sorted(SCHEMAS)
FORMATS = ("csv", "csv.gz", "tsv", "jsonl", "json", "parquet")
TEXT_ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16")


def examples(weight: int) -> int:
    """This test's share of the profile's base example count."""
    return settings.default.max_examples * weight


@st.composite
def canonical_files(
    draw: st.DrawFn, schema: EntitySchema, folder: Path
) -> tuple[Path, Table, bool]:
    """A generated file of `schema`'s entity: (path, what was written, whether the file is
    well formed: UTF-8 text or Parquet, so that it must land unless it lacks a column)."""
    fmt = draw(st.sampled_from(FORMATS))
    if fmt == "parquet":
        table = draw(tables(schema))
        by_name = {column.name: column for column in schema.columns}
        columns: dict[str, tuple[str, list[Any]]] = {}
        for index, written in enumerate(table.header):
            column = by_name.get(written.strip())
            dtype = draw(st.sampled_from(["string", "string", "string", *PARQUET_TYPES_NAMES]))
            if written in columns:
                continue  # a Parquet file cannot hold a column twice
            values = draw(parquet_values(dtype, column, len(table.rows)))
            if dtype == "string":
                values = [row[written] for row in table.rows]
            if column is not None and column.pseudonymise and dtype == "string":
                values = [draw(st.one_of(st.just(v), identity_value(index))) for v in values]
            columns[written] = (dtype, values)
        table = Table(
            list(columns),
            [
                {name: values[i] for name, (_, values) in columns.items()}
                for i in range(len(table.rows))
            ],
        )
        path = write_parquet(folder / f"{schema.name}.parquet", columns)
        return path, table, True
    if fmt in ("jsonl", "json"):
        table = draw(tables(schema, json_types=True))
        if draw(st.booleans()):  # records leave out their null values
            rows = [{k: v for k, v in row.items() if v is not None} for row in table.rows]
            table = Table(table.header, rows)
        # A JSON file's columns are the keys its records hold.
        table = Table(list(dict.fromkeys(k for row in table.rows for k in row)), table.rows)
        ascii_only = draw(st.booleans())
        encoding = draw(st.sampled_from(TEXT_ENCODINGS))
        text = (
            jsonl_text(table, ascii_only=ascii_only)
            if fmt == "jsonl"
            else json_array_text(table, ascii_only=ascii_only)
        )
        path = write_bytes(folder / f"{schema.name}.{fmt}", encode(text, encoding))
        return path, table, encoding in ("utf-8", "utf-8-sig")
    table = draw(tables(schema))
    delimiter = "\t" if fmt == "tsv" else ","
    text = csv_text(table, newline=draw(st.sampled_from(["\n", "\r\n"])), delimiter=delimiter)
    encoding = draw(st.sampled_from(TEXT_ENCODINGS))
    name = f"{schema.name}.{fmt}"
    path = write_bytes(folder / name, encode(text, encoding), compress=fmt.endswith(".gz"))
    # DuckDB's CSV sniffer gives up on a quoted value holding a lone carriage return (a
    # limitation of DuckDB, not of the file): such a file may be refused, with its line.
    lone_cr = any("\r" in str(value) for row in table.rows for value in row.values())
    return path, table, encoding in ("utf-8", "utf-8-sig") and not lone_cr


PARQUET_TYPES_NAMES = (
    "int64",
    "int8",
    "uint64",
    "float64",
    "boolean",
    "datetime",
    "datetime_tz",
    "date",
    "null",
    "list",
)


def _required_missing(schema: EntitySchema, table: Table) -> list[str]:
    present = {name.strip() for name in table.header}
    return [name for name in schema.required if name not in present]


def _duplicated(table: Table) -> bool:
    names = [name.strip().lower() for name in table.header]  # DuckDB cannot hold A and a
    return len(names) != len(set(names))


BLANKS = " \t\n\r\x0b\x0c"


def _rows_missing_a_required_value(schema: EntitySchema, table: Table) -> set[int]:
    """1-based rows where a required column present in the file has no value (empty, null,
    or only spaces)."""
    written = {name.strip(): name for name in table.header}
    missing = set()
    for number, row in enumerate(table.rows, start=1):
        for name in schema.required:
            value = row.get(written.get(name, name))
            if is_blank(value) or (isinstance(value, str) and not value.strip(BLANKS)):
                missing.add(number)
    return missing


def check_canonical(
    home: Path,
    schema: EntitySchema,
    path: Path,
    table: Table,
    well_formed: bool,
    result: FileResult,
) -> None:
    """What must hold after landing one generated canonical file."""
    batches = check_home(home, [result])
    assert_no_marker(home, [result])
    if _required_missing(schema, table) or _duplicated(table):
        assert result.status == "refused", result
        return
    if well_formed:
        assert result.status == "landed", result.message
    if result.status == "refused":
        return
    assert result.rows_read == len(table.rows), (result, len(table.rows))
    assert result.batch_id in batches
    landed, quarantined = landed_source_rows(home, schema.name, result.batch_id)
    must_quarantine = _rows_missing_a_required_value(schema, table)
    assert not must_quarantine & set(landed), ("landed without a required value", must_quarantine)
    assert set(quarantined) >= must_quarantine


@settings(max_examples=examples(5))
@given(data=st.data())
def test_generated_canonical_file_lands_or_is_refused(
    fresh_home: Callable, data: st.DataObject
) -> None:
    schema = SCHEMAS[data.draw(st.sampled_from(ENTITIES), label="entity")]
    with fresh_home() as (home, inputs):
        path, table, well_formed = data.draw(canonical_files(schema, inputs), label="file")
        [result] = ingest_files(schema, [path], home)
        check_canonical(home, schema, path, table, well_formed, result)


# --------------------------------------------------------------------------- raw bytes


def _mutate(data: bytes, rng: random.Random, kind: str) -> bytes:
    """One corruption of a file's bytes, past its first line where that matters."""
    start = data.find(b"\n") + 1 if b"\n" in data else 0
    spot = rng.randint(start, max(start, len(data)))
    if kind == "truncate":
        return data[:spot]
    if kind == "nul":
        return data[:spot] + b"\x00" + data[spot:]
    if kind == "invalid_utf8":
        return (
            data[:spot] + rng.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80"]) + data[spot:]
        )
    if kind == "latin1":
        return data[:spot] + b"caf\xe9" + data[spot:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "double_bom":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + data
    if kind == "quote":
        return data[:spot] + b'"' + data[spot:]
    if kind == "comma":
        return data[:spot] + b"," + data[spot:]
    if kind == "newline":
        return data[:spot] + rng.choice([b"\n", b"\r", b"\r\n", b"\n\n"]) + data[spot:]
    if kind == "brace":
        return data[:spot] + rng.choice([b"{", b"}", b"[", b"]", b":", b"\\"]) + data[spot:]
    if kind == "delete":
        return data[:spot] + data[spot + rng.randint(1, 40) :]
    if kind == "duplicate_line":
        lines = data.splitlines(keepends=True)
        if len(lines) > 1:
            i = rng.randrange(1, len(lines))
            lines.insert(i, lines[i])
        return b"".join(lines)
    if kind == "empty":
        return b""
    if kind == "whitespace":
        return rng.choice([b"\n", b"   ", b"\n\n\n", b"\r\n", b"\t"])
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "random":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    raise ValueError(kind)


MUTATIONS = (
    "truncate",
    "nul",
    "invalid_utf8",
    "latin1",
    "bom",
    "double_bom",
    "quote",
    "comma",
    "newline",
    "brace",
    "delete",
    "duplicate_line",
    "empty",
    "whitespace",
    "crlf",
    "random",
)


@settings(max_examples=examples(5))
@given(data=st.data())
def test_corrupted_file_lands_or_is_refused(fresh_home: Callable, data: st.DataObject) -> None:
    """Byte-level corruption of a generated file (no planted marker: a corrupted header could
    rename an identity column to a harmless name)."""
    schema = SCHEMAS[data.draw(st.sampled_from(ENTITIES), label="entity")]
    with fresh_home() as (home, inputs):
        path, _, _ = data.draw(canonical_files(schema, inputs), label="file")
        kinds = data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3))
        rng = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            import gzip

            raw = gzip.decompress(raw)
        for kind in kinds:
            raw = _mutate(raw, rng, kind)
        path.write_bytes(raw)
        [result] = ingest_files(schema, [path], home)
        check_home(home, [result])


# --------------------------------------------------------------------------- the command


@settings(max_examples=examples(2))
@given(data=st.data())
def test_cadence_ingest_command_never_raises(fresh_home: Callable, data: st.DataObject) -> None:
    """`cadence ingest <entity> FILE...` on generated and corrupted files: exit code 0 when
    every file landed, 1 when one was refused (named in a REFUSED line), never an exception."""
    entity = data.draw(st.sampled_from(ENTITIES), label="entity")
    schema = SCHEMAS[entity]
    with fresh_home() as (home, inputs):
        files = []
        for index in range(data.draw(st.integers(1, 3))):
            folder = inputs / str(index)
            folder.mkdir()
            path, _, _ = data.draw(canonical_files(schema, folder))
            if data.draw(st.booleans()):
                rng = random.Random(index)
                path.write_bytes(
                    _mutate(path.read_bytes(), rng, data.draw(st.sampled_from(MUTATIONS)))
                )
            files.append(path)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["ingest", entity, *map(str, files), "--home", str(home)])
        printed = out.getvalue()
        refused = printed.count("REFUSED ")
        assert code == (1 if refused else 0), printed
        assert "Traceback" not in printed + err.getvalue()
        summary = printed.strip().splitlines()[-1]
        assert summary.startswith(f"{entity}: {len(files)} batch(es)"), summary
        assert summary.endswith(f"{refused} refused"), summary
        batches = check_home_after_cli(home)
        assert_no_marker(home)
        assert len(batches) + refused + printed.count("skipped, already landed") == len(files)


def check_home_after_cli(home: Path) -> dict[str, dict[str, Any]]:
    """The home's invariants without the in-process results (the command only printed them):
    the ledger's batches against the files they commit."""
    from fuzz_helpers import ledger_batches

    batches = ledger_batches(home)
    check_home(home, _results_from_ledger(home, batches))
    return batches


def _results_from_ledger(home: Path, batches: dict[str, dict[str, Any]]) -> list[FileResult]:
    from fuzz_helpers import ledger_rejections

    results = [
        FileResult(
            Path(record["source_file"]),
            record["entity"],
            "landed",
            batch_id=batch_id,
            rows_read=record["rows_read"],
            rows_landed=record["rows_landed"],
            rows_quarantined=record["rows_quarantined"],
        )
        for batch_id, record in batches.items()
    ]
    results += [
        FileResult(
            Path(r["source_file"]),
            r["entity"],
            "refused",
            message=f"{r['source_file']}: {r['reason']}",
        )
        for r in ledger_rejections(home)
    ]
    return results


_ = PERSONAL_EXTRAS
